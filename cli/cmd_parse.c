/*
 * mailorder parse [--json] FILE.eml...
 *
 * Run the engine over message files and show what it understood.  Reads
 * the store (catalog, customers, history) and writes nothing.  One bad
 * file gets an error line and the rest are still parsed; the exit status
 * says whether any failed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "common/json.h"
#include "engine/engine.h"
#include "ingest/policy.h"
#include "rules/rules.h"
#include "store/store.h"

/* Read a whole file, refusing more than max bytes so a huge file cannot
 * take the memory. */
static int
parse_read_file(const char *path, size_t max, struct buf *out,
    struct err *err)
{
	char chunk[65536];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return err_set(err, ERR_MSG, "cannot open '%s': %s", path,
		    strerror(errno));
	buf_init(out, max);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (buf_add(out, chunk, n) == -1) {
			fclose(fp);
			buf_release(out);
			return err_set(err, ERR_MSG, "'%s' is larger than "
			    "the %zu byte limit for a message", path, max);
		}
	}
	if (ferror(fp)) {
		err_set(err, ERR_MSG, "cannot read '%s': %s", path,
		    strerror(errno));
		fclose(fp);
		buf_release(out);
		return -1;
	}
	fclose(fp);
	return 0;
}

static void
parse_print_error(const char *file, const struct err *err, int json)
{
	struct buf b;

	if (!json) {
		fprintf(stderr, "mailorder: %s: %s\n", file, err->msg);
		return;
	}
	buf_init(&b, BUF_NOLIMIT);
	buf_adds(&b, "{\"file\":");
	json_add_str(&b, file);
	buf_adds(&b, ",\"error\":");
	json_add_str(&b, err->msg);
	buf_adds(&b, "}\n");
	fputs(buf_str(&b), stdout);
	buf_release(&b);
	fprintf(stderr, "mailorder: %s: %s\n", file, err->msg);
}

static int
parse_one(struct engine *eng, const char *file, size_t max, int json)
{
	struct engine_result res;
	struct buf raw, out;
	struct err err;

	err_clear(&err);
	if (parse_read_file(file, max, &raw, &err) == -1) {
		parse_print_error(file, &err, json);
		return -1;
	}
	if (engine_process(eng, raw.data ? raw.data : "", raw.len, &res,
	    &err) == -1) {
		buf_release(&raw);
		parse_print_error(file, &err, json);
		return -1;
	}
	buf_init(&out, BUF_NOLIMIT);
	if (json)
		engine_result_json(eng, &res, file, &out);
	else
		engine_result_report(eng, &res, file, &out);
	buf_addc(&out, '\n');
	fputs(buf_str(&out), stdout);
	buf_release(&out);
	engine_result_release(&res);
	buf_release(&raw);
	return 0;
}

static int
cmd_parse_exec(struct cli_run *run)
{
	struct engine_policy policy;
	struct ruleset *rules;
	struct engine *eng;
	struct err err;
	int json = cli_opt_has(run, 'j'), failed = 0, status = EX_OK, i;

	if ((rules = cli_rules(run->ctx, &status)) == NULL)
		return status;
	ingest_policy_init(&policy, run->ctx->conf);
	err_clear(&err);
	if ((eng = engine_new(run->store, rules, &policy, &err)) == NULL) {
		rules_free(rules);
		return cli_fail(&err);
	}
	for (i = 0; i < run->argc; i++)
		if (parse_one(eng, run->argv[i], policy.limits.max_message,
		    json) == -1)
			failed++;
	fflush(stdout);
	engine_free(eng);
	rules_free(rules);
	return failed ? EX_DATAERR : EX_OK;
}

const struct cli_command cmd_parse = {
	.name = "parse",
	.operands = "FILE.eml...",
	.nmin = 1,
	.nmax = -1,
	.store = CLI_STORE_READ,
	.opts = {
		{ 'j', "json", NULL, "one JSON object per file", 0, NULL },
	},
	.summary = "show what the engine reads in order emails",
	.help = "Run each message file through the engine (MIME, cleaning,\n"
	    "rules, catalog and history) and print what it found: the order\n"
	    "lines with the rule that matched each, the flags with their\n"
	    "candidate products, and the decision.  Reads the store and\n"
	    "writes nothing.\n\n"
	    "--json prints one object per line (a stable interface for\n"
	    "scripts); an unreadable file gives {\"file\": ..., \"error\": ...}.\n"
	    "Exit status: 0 when every file was parsed, 65 when any failed.\n",
	.exec = cmd_parse_exec,
};
