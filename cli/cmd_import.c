/*
 * mailorder import catalog|customers|history FILE
 *
 * Glue over import/: pick the importer, map its error class to an exit
 * status, print the summary.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "import/import.h"

typedef int (*import_fn)(struct store *, const char *, struct import_stats *,
    struct err *);

static const struct {
	const char	*kind;
	import_fn	 fn;
	const char	*noun[2];	/* what a row makes: one, many */
	const char	*extra[2];	/* what the list column makes */
} cmd_import_kinds[] = {
	{ "catalog", import_catalog, { "product", "products" },
	    { "alias", "aliases" } },
	{ "customers", import_customers, { "customer", "customers" },
	    { "address", "addresses" } },
	{ "history", import_history, { "order", "orders" },
	    { "order line", "order lines" } },
};

/* The kind's index, or -1. */
static int
import_kind(const char *kind)
{
	size_t i, n = sizeof(cmd_import_kinds) / sizeof(cmd_import_kinds[0]);

	for (i = 0; i < n; i++)
		if (strcmp(kind, cmd_import_kinds[i].kind) == 0)
			return (int)i;
	return -1;
}

static int
cmd_import_check(const struct cli_run *run)
{
	FILE *fp;

	if (import_kind(run->argv[0]) == -1) {
		fprintf(stderr, "mailorder: unknown import '%s' (expected "
		    "catalog, customers or history)\n", run->argv[0]);
		return cli_usage(run->cmd);
	}
	/* Check the file before the database, so a typo in its name does
	 * not leave a new, empty database behind. */
	if ((fp = fopen(run->argv[1], "r")) == NULL) {
		fprintf(stderr, "mailorder: cannot open '%s': %s\n",
		    run->argv[1], strerror(errno));
		return EX_NOINPUT;
	}
	fclose(fp);
	return EX_OK;
}

static int
cmd_import_exec(struct cli_run *run)
{
	struct import_stats stats;
	struct err err;
	const char *path = run->argv[1];
	int i = import_kind(run->argv[0]);
	long total;

	err_clear(&err);
	if (cmd_import_kinds[i].fn(run->store, path, &stats, &err) == -1) {
		switch (err.cls) {
		case ERR_INPUT:
			/* Already "FILE:LINE: reason", like a compiler's. */
			fprintf(stderr, "%s\n", err.msg);
			return EX_DATAERR;
		case ERR_CONFIG:
			fprintf(stderr, "mailorder: %s\n", err.msg);
			return EX_NOINPUT;
		default:
			return cli_fail(&err);
		}
	}
	total = stats.added + stats.updated + stats.unchanged;
	printf("imported %ld %s (%ld new, %ld updated, %ld unchanged), "
	    "%ld %s\n", total, cmd_import_kinds[i].noun[total != 1],
	    stats.added, stats.updated, stats.unchanged, stats.extra,
	    cmd_import_kinds[i].extra[stats.extra != 1]);
	return EX_OK;
}

const struct cli_command cmd_import = {
	.name = "import",
	.operands = "catalog|customers|history FILE",
	.nmin = 2,
	.nmax = 2,
	.store = CLI_STORE_WRITE,
	.summary = "load products, customers or past orders from CSV",
	.help =
	    "FILE is CSV (RFC 4180, UTF-8) with a header line; columns are\n"
	    "found by name and extra columns are ignored.\n"
	    "\n"
	    "  catalog    sku,name[,unit][,aliases]    aliases ';'-separated\n"
	    "  customers  id,name,emails               emails ';'-separated;\n"
	    "                                          '@domain' = whole domain\n"
	    "  history    order_ref,customer_id,date,sku,quantity\n"
	    "             one row per order line; date YYYY-MM-DD\n"
	    "\n"
	    "Existing rows are updated where they differ and left alone\n"
	    "where they do not, so importing a file twice changes nothing\n"
	    "the second time.  The first bad row stops the import with\n"
	    "'FILE:LINE: reason' and nothing is imported.\n"
	    "\n"
	    "Exit status: 0 done, 64 bad arguments, 65 bad data,\n"
	    "66 unreadable file, 75 database busy, 78 bad database.\n",
	.check = cmd_import_check,
	.exec = cmd_import_exec,
};
