/*
 * CSV imports into the store; see import.h.  This file knows what the
 * columns mean and checks every value before the store sees it, so a bad
 * row is reported as "FILE:LINE: reason" in the user's terms rather than
 * as a constraint failure.  All writes of one import share a transaction:
 * either the whole file is in the database or none of it.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "common/qty.h"
#include "common/strmap.h"
#include "common/xmalloc.h"
#include "import/import.h"
#include "store/catalog.h"
#include "store/customer.h"
#include "store/history.h"

/* A list field split on ';', entries trimmed, empty ones dropped. */
struct import_list {
	char	**v;
	size_t	  n;
};

static int
import_fail(struct csv *c, struct err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
import_fail(struct csv *c, struct err *err, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(err, ERR_INPUT, "%s:%lu: %s", csv_name(c), csv_line(c),
	    msg);
}

/* Give an error from the store the position of the row that caused it. */
static int
import_fail_store(struct csv *c, struct err *err)
{
	return err_prefix(err, "%s:%lu", csv_name(c), csv_line(c));
}

static int
import_isblank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static char *
import_trim(const char *s, size_t n)
{
	while (n > 0 && import_isblank(*s)) {
		s++;
		n--;
	}
	while (n > 0 && import_isblank(s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* The trimmed value of column col in a malloc'd string.  When required,
 * an empty value is an error and NULL is returned; an optional empty value
 * gives NULL without error. */
static char *
import_value(struct csv *c, int col, const char *name, int required,
    struct err *err)
{
	const char *f = csv_field(c, col);
	char *v = import_trim(f, strlen(f));

	if (*v != '\0')
		return v;
	free(v);
	if (required)
		import_fail(c, err, "missing value for '%s'", name);
	return NULL;
}

static void
import_list_split(struct import_list *l, const char *s)
{
	const char *semi;
	char *item;

	l->v = NULL;
	l->n = 0;
	if (s == NULL)
		return;
	for (;;) {
		semi = strchr(s, ';');
		item = import_trim(s, semi ? (size_t)(semi - s) : strlen(s));
		if (*item != '\0') {
			l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
			l->v[l->n++] = item;
		} else
			free(item);
		if (semi == NULL)
			break;
		s = semi + 1;
	}
}

static void
import_list_release(struct import_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Look up all columns named in names[] (NULL-terminated); optional ones
 * are prefixed with '?' and get -1 when absent. */
static int
import_columns(struct csv *c, const char *const *names, int *cols,
    struct err *err)
{
	size_t i;

	for (i = 0; names[i] != NULL; i++) {
		if (names[i][0] == '?')
			cols[i] = csv_column(c, names[i] + 1, NULL);
		else if ((cols[i] = csv_column(c, names[i], err)) == -1)
			return -1;
	}
	return 0;
}

/* Remember that key was first seen on the current line; when it was seen
 * before, return that line (else 0). */
static unsigned long
import_seen(struct strmap *seen, struct csv *c, const char *key)
{
	void *v;

	if ((v = strmap_get(seen, key)) != NULL)
		return (unsigned long)(uintptr_t)v;
	strmap_put(seen, key, (void *)(uintptr_t)csv_line(c));
	return 0;
}

int
import_date_valid(const char *s)
{
	static const int mdays[] =
	    { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int i, y, m, d;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	if (s[10] != '\0')
		return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return 0;
	return 1;
}

static void
import_count(struct import_stats *stats, enum store_import_how how)
{
	if (how == STORE_IMPORT_NEW)
		stats->added++;
	else if (how == STORE_IMPORT_UPDATED)
		stats->updated++;
	else
		stats->unchanged++;
}

/* Open the file, find the columns and start the transaction. */
static struct csv *
import_start(struct store *st, const char *path, const char *const *names,
    int *cols, struct err *err)
{
	struct csv *c;

	if ((c = csv_open(path, err)) == NULL)
		return NULL;
	if (import_columns(c, names, cols, err) == -1 ||
	    store_begin(st, err) == -1) {
		csv_free(c);
		return NULL;
	}
	return c;
}

/* Commit when everything went well, else roll back; returns rc. */
static int
import_finish(struct store *st, struct csv *c, int rc, struct err *err)
{
	if (rc == 0)
		rc = store_commit(st, err);
	else
		store_rollback(st);
	csv_free(c);
	return rc;
}

enum { CAT_SKU, CAT_NAME, CAT_UNIT, CAT_ALIASES, CAT_STATUS };

/* The optional status column: when the file has it, it says whether
 * each product can be sold (empty: available); without it a product
 * keeps what `mailorder catalog set` gave it. */
static int
import_availability(struct store *st, struct csv *c, int col,
    const char *sku, enum store_import_how *how, struct err *err)
{
	char *v;
	int changed, r;

	if (col < 0)
		return 0;
	v = import_value(c, col, "status", 0, err);
	if (store_availability_parse(v ? v : "") == NULL) {
		import_fail(c, err, "unknown status '%s' (available, "
		    "out_of_stock, discontinued)", v);
		free(v);
		return -1;
	}
	r = store_product_set_availability(st, sku, v ? v : "", &changed,
	    err);
	free(v);
	if (r == -1) {
		import_fail_store(c, err);
		return -1;
	}
	if (changed && *how == STORE_IMPORT_UNCHANGED)
		*how = STORE_IMPORT_UPDATED;
	return 0;
}

int
import_catalog(struct store *st, const char *path,
    struct import_stats *stats_r, struct err *err)
{
	static const char *const names[] =
	    { "sku", "name", "?unit", "?aliases", "?status", NULL };
	struct import_stats stats;
	struct import_list aliases;
	enum store_import_how how;
	struct strmap *seen;
	struct csv *c;
	char *sku = NULL, *name = NULL, *unit = NULL, *al = NULL;
	unsigned long first;
	int cols[5], rc = -1, r;

	memset(&stats, 0, sizeof(stats));
	if ((c = import_start(st, path, names, cols, err)) == NULL)
		return -1;
	if (cols[CAT_STATUS] == -1)
		cols[CAT_STATUS] = csv_column(c, "availability", NULL);
	seen = strmap_new();
	while ((r = csv_read(c, err)) == 1) {
		free(sku);
		free(name);
		free(unit);
		free(al);
		name = unit = al = NULL;
		stats.rows++;
		if ((sku = import_value(c, cols[CAT_SKU], "sku", 1,
		    err)) == NULL ||
		    (name = import_value(c, cols[CAT_NAME], "name", 1,
		    err)) == NULL)
			goto out;
		unit = import_value(c, cols[CAT_UNIT], "unit", 0, err);
		al = import_value(c, cols[CAT_ALIASES], "aliases", 0, err);
		if ((first = import_seen(seen, c, sku)) != 0) {
			import_fail(c, err, "duplicate sku '%s' (first on "
			    "line %lu)", sku, first);
			goto out;
		}
		import_list_split(&aliases, al);
		r = store_product_import(st, sku, name, unit, aliases.v,
		    aliases.n, &how, err);
		stats.extra += (long)aliases.n;
		import_list_release(&aliases);
		if (r == -1) {
			import_fail_store(c, err);
			goto out;
		}
		if (import_availability(st, c, cols[CAT_STATUS], sku, &how,
		    err) == -1)
			goto out;
		import_count(&stats, how);
	}
	if (r == -1)
		goto out;
	rc = 0;
out:
	free(sku);
	free(name);
	free(unit);
	free(al);
	strmap_free(seen);
	if (rc == 0 && stats_r != NULL)
		*stats_r = stats;
	return import_finish(st, c, rc, err);
}

enum { CUS_ID, CUS_NAME, CUS_EMAILS };

int
import_customers(struct store *st, const char *path,
    struct import_stats *stats_r, struct err *err)
{
	static const char *const names[] = { "id", "name", "emails", NULL };
	struct import_stats stats;
	struct import_list emails;
	enum store_import_how how;
	struct strmap *seen, *seen_addr;
	struct csv *c;
	char *id = NULL, *name = NULL, *em = NULL, *lower;
	unsigned long first;
	size_t i, j;
	int cols[3], rc = -1, r;

	memset(&stats, 0, sizeof(stats));
	if ((c = import_start(st, path, names, cols, err)) == NULL)
		return -1;
	seen = strmap_new();
	seen_addr = strmap_new();
	while ((r = csv_read(c, err)) == 1) {
		free(id);
		free(name);
		free(em);
		name = em = NULL;
		stats.rows++;
		if ((id = import_value(c, cols[CUS_ID], "id", 1,
		    err)) == NULL ||
		    (name = import_value(c, cols[CUS_NAME], "name", 1,
		    err)) == NULL)
			goto out;
		em = import_value(c, cols[CUS_EMAILS], "emails", 0, err);
		if ((first = import_seen(seen, c, id)) != 0) {
			import_fail(c, err, "duplicate customer '%s' (first "
			    "on line %lu)", id, first);
			goto out;
		}
		import_list_split(&emails, em);
		/* Two customers claiming one address would make the last
		 * row win silently; say so instead. */
		for (i = 0; i < emails.n; i++) {
			lower = xstrdup(emails.v[i]);
			for (j = 0; lower[j] != '\0'; j++)
				if (lower[j] >= 'A' && lower[j] <= 'Z')
					lower[j] += 'a' - 'A';
			first = import_seen(seen_addr, c, lower);
			free(lower);
			if (first != 0) {
				import_fail(c, err, "address '%s' is already "
				    "given on line %lu", emails.v[i], first);
				import_list_release(&emails);
				goto out;
			}
		}
		if (store_customer_import(st, id, name, emails.v, emails.n,
		    &how, err) == -1) {
			import_list_release(&emails);
			import_fail_store(c, err);
			goto out;
		}
		import_count(&stats, how);
		stats.extra += (long)emails.n;
		import_list_release(&emails);
	}
	if (r == -1)
		goto out;
	rc = 0;
out:
	free(id);
	free(name);
	free(em);
	strmap_free(seen);
	strmap_free(seen_addr);
	if (rc == 0 && stats_r != NULL)
		*stats_r = stats;
	return import_finish(st, c, rc, err);
}

enum { HIS_REF, HIS_CUSTOMER, HIS_DATE, HIS_SKU, HIS_QUANTITY, HIS_NCOLS };

/* Check one history row and write it. */
static int
import_history_row(struct store *st, struct csv *c, const int *cols,
    struct err *err)
{
	static const char *const what[HIS_NCOLS] =
	    { "order_ref", "customer_id", "date", "sku", "quantity" };
	char *v[HIS_NCOLS], cid[STORE_CUSTOMER_ID_MAX];
	double qty;
	int i, rc = -1, r;

	memset(v, 0, sizeof(v));
	for (i = 0; i < HIS_NCOLS; i++)
		if ((v[i] = import_value(c, cols[i], what[i], 1, err)) == NULL)
			goto out;
	if (!import_date_valid(v[HIS_DATE])) {
		import_fail(c, err, "invalid date '%s' (expected YYYY-MM-DD)",
		    v[HIS_DATE]);
		goto out;
	}
	/* "0.5" trays and "1.5" kg are quantities too; "1,5" is not
	 * accepted here, a CSV field is written by software */
	if (strchr(v[HIS_QUANTITY], ',') != NULL ||
	    qty_parse(v[HIS_QUANTITY], &qty) == -1) {
		import_fail(c, err, "invalid quantity '%s' (expected a number "
		    "above 0 and up to %.0f, at most %d decimals)",
		    v[HIS_QUANTITY], QTY_MAX, QTY_DECIMALS);
		goto out;
	}
	/* As a person typed it: "acme" is ACME. */
	if ((r = store_customer_lookup(st, v[HIS_CUSTOMER], cid, sizeof(cid),
	    err)) != 1) {
		if (r == 0)
			import_fail(c, err, "unknown customer '%s'",
			    v[HIS_CUSTOMER]);
		else
			import_fail_store(c, err);
		goto out;
	}
	if ((r = store_product_exists(st, v[HIS_SKU], err)) != 1) {
		if (r == 0)
			import_fail(c, err, "unknown sku '%s'", v[HIS_SKU]);
		else
			import_fail_store(c, err);
		goto out;
	}
	if (store_history_import_line(st, v[HIS_REF], cid, v[HIS_DATE],
	    v[HIS_SKU], qty, err) == -1) {
		import_fail_store(c, err);
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < HIS_NCOLS; i++)
		free(v[i]);
	return rc;
}

int
import_history(struct store *st, const char *path,
    struct import_stats *stats_r, struct err *err)
{
	static const char *const names[] = { "order_ref", "customer_id",
	    "date", "sku", "quantity", NULL };
	struct import_stats stats;
	struct csv *c;
	int cols[HIS_NCOLS], rc = -1, r;

	memset(&stats, 0, sizeof(stats));
	if ((c = import_start(st, path, names, cols, err)) == NULL)
		return -1;
	store_history_import_reset(st);
	while ((r = csv_read(c, err)) == 1) {
		stats.rows++;
		if (import_history_row(st, c, cols, err) == -1)
			goto out;
	}
	if (r == -1 || store_history_import_apply(st, &stats.added,
	    &stats.updated, &stats.unchanged, err) == -1)
		goto out;
	stats.extra = stats.rows;
	rc = 0;
out:
	if (rc == 0 && stats_r != NULL)
		*stats_r = stats;
	return import_finish(st, c, rc, err);
}
