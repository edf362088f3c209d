/*
 * The catalog in the store: products and the aliases customers use for
 * them.  Imports replace the imported aliases of a product; aliases that
 * operators taught (source 'operator') survive every re-import.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "store/catalog.h"
#include "store/store_int.h"

int
store_product_upsert(struct store *st, const char *sku, const char *name,
    const char *unit, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO products (sku, name, unit) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (sku) DO UPDATE SET name = excluded.name,"
	    " unit = excluded.unit, active = 1";
	sqlite3_stmt *stmt;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, sku);
	store_bind_text(stmt, 2, name);
	store_bind_text(stmt, 3, unit);
	return store_step_done(st, stmt, err, "save product");
}

int
store_product_set_aliases(struct store *st, const char *sku,
    char *const *aliases, size_t n, struct err *err)
{
	static const char del_sql[] =
	    "DELETE FROM product_aliases WHERE sku = ?1 AND customer_id = ''"
	    " AND source = 'import'";
	/* An operator's identical global alias already holds the key and
	 * keeps its source. */
	static const char ins_sql[] =
	    "INSERT OR IGNORE INTO product_aliases (alias, sku, customer_id,"
	    " source) VALUES (?1, ?2, '', 'import')";
	sqlite3_stmt *stmt;
	char *norm;
	size_t i;
	int rc;

	if ((stmt = store_stmt(st, del_sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, sku);
	if (store_step_done(st, stmt, err, "replace aliases") == -1)
		return -1;
	for (i = 0; i < n; i++) {
		norm = store_alias_normalise(aliases[i]);
		if (*norm == '\0') {
			free(norm);
			continue;
		}
		if ((stmt = store_stmt(st, ins_sql, err)) == NULL) {
			free(norm);
			return -1;
		}
		store_bind_text(stmt, 1, norm);
		store_bind_text(stmt, 2, sku);
		rc = store_step_done(st, stmt, err, "save alias");
		free(norm);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* The normalised, distinct, non-empty aliases of a list. */
static size_t
alias_norm_list(char *const *aliases, size_t n, char **out)
{
	size_t i, k = 0;
	char *norm;

	for (i = 0; i < n; i++) {
		norm = store_alias_normalise(aliases[i]);
		if (*norm == '\0' || store_listed(out, k, norm))
			free(norm);
		else
			out[k++] = norm;
	}
	return k;
}

int
store_product_import(struct store *st, const char *sku, const char *name,
    const char *unit, char *const *aliases, size_t n,
    enum store_import_how *how_r, struct err *err)
{
	/* The WHERE leaves an unchanged row alone: no UPDATE, so no
	 * trigger moves the catalog version. */
	static const char sql[] =
	    "INSERT INTO products (sku, name, unit) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (sku) DO UPDATE SET name = excluded.name,"
	    " unit = excluded.unit, active = 1"
	    " WHERE name IS NOT excluded.name OR unit IS NOT excluded.unit"
	    " OR active IS NOT 1";
	static const char ins_sql[] =
	    "INSERT OR IGNORE INTO product_aliases (alias, sku, customer_id,"
	    " source) VALUES (?1, ?2, '', 'import')";
	static const char list_sql[] =
	    "SELECT alias FROM product_aliases WHERE sku = ?1"
	    " AND customer_id = '' AND source = 'import'";
	static const char del_sql[] =
	    "DELETE FROM product_aliases WHERE alias = ?1 AND sku = ?2"
	    " AND customer_id = '' AND source = 'import'";
	sqlite3_stmt *stmt;
	char **norm = xcalloc(n + 1, sizeof(*norm));
	size_t k, i;
	int exists, changed = 0, rc = -1;

	k = alias_norm_list(aliases, n, norm);
	if ((exists = store_product_exists(st, sku, err)) == -1 ||
	    (stmt = store_stmt(st, sql, err)) == NULL)
		goto out;
	store_bind_text(stmt, 1, sku);
	store_bind_text(stmt, 2, name);
	store_bind_text(stmt, 3, unit);
	if (store_step_done(st, stmt, err, "save product") == -1)
		goto out;
	changed = sqlite3_changes(st->db);
	if (store_drop_unlisted(st, list_sql, del_sql, sku, norm, k,
	    &changed, err) == -1)
		goto out;
	for (i = 0; i < k; i++) {
		if ((stmt = store_stmt(st, ins_sql, err)) == NULL)
			goto out;
		store_bind_text(stmt, 1, norm[i]);
		store_bind_text(stmt, 2, sku);
		if (store_step_done(st, stmt, err, "save alias") == -1)
			goto out;
		changed += sqlite3_changes(st->db);
	}
	*how_r = !exists ? STORE_IMPORT_NEW : changed ? STORE_IMPORT_UPDATED :
	    STORE_IMPORT_UNCHANGED;
	rc = 0;
out:
	for (i = 0; i < k; i++)
		free(norm[i]);
	free(norm);
	return rc;
}

int
store_alias_learn(struct store *st, const char *alias, const char *sku,
    const char *customer_id, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO product_aliases (alias, sku, customer_id, source)"
	    " VALUES (?1, ?2, ?3, 'operator')"
	    " ON CONFLICT (alias, customer_id, sku) DO UPDATE"
	    " SET source = 'operator'";
	sqlite3_stmt *stmt;
	char *norm;
	int rc;

	norm = store_alias_normalise(alias);
	if (*norm == '\0') {
		free(norm);
		return err_set(err, ERR_INPUT, "alias '%s' has no words", alias);
	}
	if ((stmt = store_stmt(st, sql, err)) == NULL) {
		free(norm);
		return -1;
	}
	store_bind_text(stmt, 1, norm);
	store_bind_text(stmt, 2, sku);
	store_bind_text(stmt, 3, customer_id != NULL ? customer_id : "");
	rc = store_step_done(st, stmt, err, "learn alias");
	free(norm);
	return rc;
}

int
store_product_exists(struct store *st, const char *sku, struct err *err)
{
	static const char sql[] = "SELECT 1 FROM products WHERE sku = ?1";

	return store_exists(st, sql, sku, "look up product", err);
}

int
store_product_count(struct store *st, long *products_r, long *aliases_r,
    struct err *err)
{
	static const char sql[] =
	    "SELECT (SELECT count(*) FROM products),"
	    " (SELECT count(*) FROM product_aliases)";
	int64_t v[2];

	if (store_query_ints(st, sql, v, 2, "count products", err) == -1)
		return -1;
	*products_r = (long)v[0];
	*aliases_r = (long)v[1];
	return 0;
}

static char *
store_column_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

int
store_product_get(struct store *st, const char *sku, char **name_r,
    char **unit_r, struct err *err)
{
	static const char sql[] =
	    "SELECT name, unit FROM products WHERE sku = ?1";
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, sku);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (name_r != NULL)
			*name_r = store_column_dup(stmt, 0);
		if (unit_r != NULL)
			*unit_r = store_column_dup(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, err, "read product");
}

int
store_products_foreach(struct store *st, store_product_cb cb, void *arg,
    struct err *err)
{
	static const char sql[] =
	    "SELECT sku, name, unit FROM products WHERE active = 1"
	    " ORDER BY sku";
	sqlite3_stmt *stmt;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	return store_rows3(st, stmt, cb, arg, "list products", err);
}

const char *
store_availability_parse(const char *s)
{
	static const struct {
		const char	*typed, *canon;
	} names[] = {
		{ "", "available" }, { "available", "available" },
		{ "in stock", "available" }, { "in_stock", "available" },
		{ "in-stock", "available" },
		{ "out_of_stock", "out_of_stock" }, { "out of stock", "out_of_stock" },
		{ "out-of-stock", "out_of_stock" },
		{ "discontinued", "discontinued" },
	};
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].typed) == 0)
			return names[i].canon;
	return NULL;
}

int
store_product_set_availability(struct store *st, const char *sku,
    const char *availability, int *changed_r, struct err *err)
{
	/* The WHERE leaves an unchanged row alone, so the catalog version
	 * only moves when something changed. */
	static const char sql[] =
	    "UPDATE products SET availability = ?2 WHERE sku = ?1"
	    " AND availability IS NOT ?2";
	const char *canon = store_availability_parse(availability);
	sqlite3_stmt *stmt;
	int exists;

	if (changed_r != NULL)
		*changed_r = 0;
	if (canon == NULL)
		return err_set(err, ERR_MSG, "unknown availability '%s' "
		    "(available, out_of_stock, discontinued)", availability);
	if ((exists = store_product_exists(st, sku, err)) == -1)
		return -1;
	if (!exists)
		return err_set(err, ERR_MSG, "unknown sku '%s'", sku);
	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, sku);
	store_bind_text(stmt, 2, canon);
	if (store_step_done(st, stmt, err, "set availability") == -1)
		return -1;
	if (changed_r != NULL)
		*changed_r = sqlite3_changes(st->db) > 0;
	return 0;
}

int
store_product_availability(struct store *st, const char *sku,
    char **availability_r, struct err *err)
{
	static const char sql[] =
	    "SELECT availability FROM products WHERE sku = ?1";
	sqlite3_stmt *stmt;
	int rc;

	*availability_r = NULL;
	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, sku);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*availability_r = xstrdup((const char *)
		    sqlite3_column_text(stmt, 0));
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read availability");
	return rc == SQLITE_ROW;
}

int
store_products_unavailable_foreach(struct store *st,
    store_availability_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT sku, availability, name FROM products WHERE active = 1"
	    " AND availability <> 'available' ORDER BY sku";
	sqlite3_stmt *stmt;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	return store_rows3(st, stmt, cb, arg, "list unavailable products",
	    err);
}

int
store_aliases_foreach(struct store *st, store_alias_cb cb, void *arg,
    struct err *err)
{
	static const char sql[] =
	    "SELECT a.alias, a.sku, a.customer_id FROM product_aliases a"
	    " JOIN products p ON p.sku = a.sku WHERE p.active = 1"
	    " ORDER BY a.alias, a.customer_id, a.sku";
	sqlite3_stmt *stmt;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	return store_rows3(st, stmt, cb, arg, "list aliases", err);
}

static int
store_isdigit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Letters include every non-ASCII byte: "Käse" stays one word. */
static int
store_isword(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    store_isdigit(c) || c == '%' || c >= 0x80;
}

char *
store_alias_normalise(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b;
	int space = 0;
	size_t i;

	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; p[i] != '\0'; i++) {
		unsigned char c = p[i];

		/* "1.5" keeps its point; "box." and ".5" do not. */
		if (c == '.' && i > 0 && store_isdigit(p[i - 1]) &&
		    store_isdigit(p[i + 1]))
			;
		else if (!store_isword(c)) {
			space = 1;
			continue;
		}
		if (space && b.len > 0)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	return buf_detach(&b, NULL);
}
