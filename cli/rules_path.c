/*
 * Which rule files a command uses: --rules, else the configured [rules]
 * paths (by default the shipped rules and the drop-in directory, which is
 * skipped while it does not exist), exactly as mailorderd's worker does.
 */
#include "config.h"

#include "cli/cli.h"
#include "config/conf.h"
#include "rules/rules.h"

size_t
cli_rule_paths(const struct cli_ctx *ctx, const char *const **paths_r)
{
	if (ctx->rules_path != NULL) {
		*paths_r = &ctx->rules_path;
		return 1;
	}
	*paths_r = (const char *const *)ctx->conf->rule_paths;
	return ctx->conf->nrule_paths;
}

struct ruleset *
cli_rules(struct cli_ctx *ctx, int *status_r)
{
	const char *const *paths;
	struct ruleset *rs;
	struct err err;
	size_t n;

	n = cli_rule_paths(ctx, &paths);
	err_clear(&err);
	if ((rs = rules_load(paths, n, &err)) == NULL)
		*status_r = cli_fail(&err);
	return rs;
}
