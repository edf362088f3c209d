/*
 * mailorder catalog set SKU --status available|out_of_stock|discontinued
 * mailorder catalog unavailable
 *
 * Whether a product can be sold now, changed without a re-import (the
 * operator who finds a product out of stock marks it at once); a running
 * mailorderd sees the change with the next mail.  An order line for a
 * product that is not available is flagged "unavailable" with the
 * nearest available products.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/catalog.h"
#include "store/store.h"

/* Parses its own argv (.exec_argv) until it is ported to the table. */
extern const struct cli_command cmd_catalog;

static int
catalog_set(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status",	required_argument,	NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *status = NULL, *sku;
	char *before = NULL;
	struct store *st;
	struct err err;
	int ch, changed, rc = EX_OK;

	while ((ch = getopt_long(argc, argv, "s:", opts, NULL)) != -1) {
		if (ch != 's')
			return cli_usage(&cmd_catalog);
		status = optarg;
	}
	if (status == NULL || optind + 1 != argc)
		return cli_usage(&cmd_catalog);
	sku = argv[optind];
	if (store_availability_parse(status) == NULL || *status == '\0') {
		fprintf(stderr, "mailorder: unknown status '%s' (available, "
		    "out_of_stock, discontinued)\n", status);
		return EX_USAGE;
	}
	if ((st = cli_store(ctx, &rc)) == NULL)
		return rc;
	err_clear(&err);
	if (store_begin(st, &err) == -1)
		return cli_fail(&err);
	if (store_product_availability(st, sku, &before, &err) == -1 ||
	    store_product_set_availability(st, sku, status, &changed,
	    &err) == -1 || store_commit(st, &err) == -1) {
		store_rollback(st);
		free(before);
		return cli_fail(&err);
	}
	printf("%s: %s%s%s%s\n", sku, store_availability_parse(status),
	    changed ? " (was " : " (unchanged)", changed ? before : "",
	    changed ? ")" : "");
	free(before);
	return EX_OK;
}

static int
catalog_unavailable_row(void *arg, const char *sku, const char *availability,
    const char *name)
{
	(void)arg;
	printf("%-14s %-13s %s\n", sku, availability, name ? name : "");
	return 0;
}

static int
catalog_unavailable(struct cli_ctx *ctx, int argc, char **argv)
{
	struct store *st;
	struct err err;
	int rc = EX_OK;

	(void)argv;
	if (argc != 1)
		return cli_usage(&cmd_catalog);
	if ((st = cli_store_read(ctx, &rc)) == NULL)
		return rc;
	err_clear(&err);
	if (store_products_unavailable_foreach(st, catalog_unavailable_row,
	    NULL, &err) == -1)
		return cli_fail(&err);
	return EX_OK;
}

static int
cmd_catalog_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(&cmd_catalog);
	if (strcmp(argv[1], "set") == 0)
		return catalog_set(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "unavailable") == 0)
		return catalog_unavailable(ctx, argc - 1, argv + 1);
	return cli_usage(&cmd_catalog);
}

const struct cli_command cmd_catalog = {
	.name = "catalog",
	.operands = "set SKU --status available|out_of_stock|discontinued | "
	    "unavailable",
	.summary = "mark a product out of stock or discontinued, or list those",
	.help = "set SKU --status S   whether the product can be sold now:\n"
	    "                      available, out_of_stock (also \"out of\n"
	    "                      stock\") or discontinued; no re-import\n"
	    "                      needed, a running mailorderd sees it with\n"
	    "                      the next mail\n"
	    "unavailable          the products that are not available\n"
	    "\n"
	    "A line for a product that is not available is flagged\n"
	    "'unavailable', with the nearest available products as\n"
	    "candidates.  The catalog CSV may carry the same in a 'status'\n"
	    "(or 'availability') column; without one, an import keeps what\n"
	    "was set here.  Exit 65 for an unknown SKU.\n",
	.exec_argv = cmd_catalog_exec,
};
