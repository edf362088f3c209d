/*
 * What every command works with: the configuration (--config, else the
 * default file when there is one), the store it names and the rules.
 * mailorder.conf(5) promises the file is checked before any of it is
 * used, so main() loads it before the command runs, for every command.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "store/webhook.h"
#include "config/conf.h"
#include "store/store.h"

int
cli_ctx_setup(struct cli_ctx *ctx, int *status_r)
{
	const char *path = ctx->config_path, *env;
	struct stat sb;

	/* Without --config the default file is optional: an operator's
	 * machine may have none. */
	if (path == NULL && stat(CONFIG_FILE_DEFAULT, &sb) == 0)
		path = CONFIG_FILE_DEFAULT;
	if (config_load_report(path, &ctx->conf) == -1) {
		*status_r = EX_CONFIG;
		return -1;
	}
	/* --db, then $MAILORDER_DB, then [store] path (or its default). */
	if (ctx->db_path == NULL) {
		env = getenv("MAILORDER_DB");
		ctx->db_path = env != NULL && *env != '\0' ? env :
		    ctx->conf->store_path;
	}
	return 0;
}

void
cli_ctx_release(struct cli_ctx *ctx)
{
	store_close(ctx->store);
	ctx->store = NULL;
	config_free(ctx->conf);
	ctx->conf = NULL;
}

static struct store *
cli_store_open(struct cli_ctx *ctx, int flags, int *status_r)
{
	struct err err;

	if (ctx->store != NULL)
		return ctx->store;
	err_clear(&err);
	if ((ctx->store = store_open(ctx->db_path, flags, &err)) == NULL)
		*status_r = cli_fail(&err);
	else if (ctx->conf->webhook.enabled)	/* an operator's change posts */
		store_webhook_events(ctx->store, ctx->conf->webhook.event_mask);
	return ctx->store;
}

struct store *
cli_store(struct cli_ctx *ctx, int *status_r)
{
	return cli_store_open(ctx, 0, status_r);
}

struct store *
cli_store_read(struct cli_ctx *ctx, int *status_r)
{
	return cli_store_open(ctx, STORE_READONLY, status_r);
}
