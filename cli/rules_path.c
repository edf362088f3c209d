/*
 * Which rule files a command uses: --rules, else the shipped defaults plus
 * the drop-in directory when it exists.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>

#include "cli/cli.h"
#include "rules/rules.h"

#define CLI_RULES_DEFAULT	MO_DATADIR "/rules/en.rules"
#define CLI_RULES_DROPIN	MO_SYSCONFDIR "/rules.d"

size_t
cli_rule_paths(const struct cli_ctx *ctx, const char *paths[2])
{
	struct stat sb;
	size_t n = 0;

	if (ctx->rules_path != NULL) {
		paths[n++] = ctx->rules_path;
	} else {
		paths[n++] = CLI_RULES_DEFAULT;
		if (stat(CLI_RULES_DROPIN, &sb) == 0 && S_ISDIR(sb.st_mode))
			paths[n++] = CLI_RULES_DROPIN;
	}
	return n;
}

struct ruleset *
cli_rules(struct cli_ctx *ctx, int *status_r)
{
	const char *paths[2];
	struct ruleset *rs;
	struct err err;
	size_t n;

	n = cli_rule_paths(ctx, paths);
	err_clear(&err);
	if ((rs = rules_load(paths, n, &err)) == NULL)
		*status_r = cli_fail(&err);
	return rs;
}
