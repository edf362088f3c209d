/*
 * Customers and the addresses that identify them.  An address row is
 * either "user@domain" or "@domain" (everyone at the domain), stored
 * lower-case so lookups are exact matches.  Rows from imports have source
 * 'import' and are replaced on re-import; rows operators assigned have
 * source 'operator' and are kept.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "store/customer.h"
#include "store/store_int.h"

/* ASCII lower-case copy.  Only ASCII is folded: the local part may be
 * case-sensitive in theory, but every mail system we meet treats it
 * case-insensitively, and non-ASCII folding needs tables we lack. */
static char *
store_addr_lower(const char *s, size_t n)
{
	char *d = xstrndup(s, n);
	size_t i;

	for (i = 0; d[i] != '\0'; i++)
		if (d[i] >= 'A' && d[i] <= 'Z')
			d[i] = d[i] - 'A' + 'a';
	return d;
}

/* "user@domain" or "@domain": exactly one '@', a non-empty domain, and
 * no blanks or angle brackets. */
static int
store_addr_check(const char *a)
{
	const char *at = strchr(a, '@');

	if (at == NULL || strchr(at + 1, '@') != NULL || at[1] == '\0')
		return 0;
	return strpbrk(a, " \t\r\n<>,;") == NULL;
}

int
store_customer_upsert(struct store *st, const char *id, const char *name,
    struct err *err)
{
	static const char sql[] =
	    "INSERT INTO customers (id, name) VALUES (?1, ?2)"
	    " ON CONFLICT (id) DO UPDATE SET name = excluded.name";
	sqlite3_stmt *stmt;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, id);
	store_bind_text(stmt, 2, name);
	return store_step_done(st, stmt, err, "save customer");
}

static int
store_address_put(struct store *st, const char *addr, const char *id,
    const char *source, struct err *err)
{
	/* The address moves to the new customer; an operator's row for the
	 * same customer keeps its 'operator' source so a later re-import
	 * does not drop it. */
	static const char sql[] =
	    "INSERT INTO customer_addresses (address, customer_id, source)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (address) DO UPDATE SET"
	    " source = CASE WHEN customer_id = excluded.customer_id AND"
	    " source = 'operator' THEN 'operator' ELSE excluded.source END,"
	    " customer_id = excluded.customer_id";
	sqlite3_stmt *stmt;
	char *lower;
	int rc;

	if (!store_addr_check(addr))
		return err_set(err, ERR_INPUT, "invalid address '%s' (expected "
		    "user@domain or @domain)", addr);
	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	lower = store_addr_lower(addr, strlen(addr));
	store_bind_text(stmt, 1, lower);
	store_bind_text(stmt, 2, id);
	store_bind_text(stmt, 3, source);
	rc = store_step_done(st, stmt, err, "save address");
	free(lower);
	return rc;
}

int
store_customer_set_addresses(struct store *st, const char *id,
    char *const *addrs, size_t n, struct err *err)
{
	static const char del_sql[] =
	    "DELETE FROM customer_addresses WHERE customer_id = ?1"
	    " AND source = 'import'";
	sqlite3_stmt *stmt;
	size_t i;

	if ((stmt = store_stmt(st, del_sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, id);
	if (store_step_done(st, stmt, err, "replace addresses") == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (store_address_put(st, addrs[i], id, "import", err) == -1)
			return -1;
	return 0;
}

/* Give addr (lower-case) to id unless it is id's already; add 1 to
 * *changed_r when it was not. */
static int
store_address_import(struct store *st, const char *addr, const char *id,
    int *changed_r, struct err *err)
{
	static const char sql[] =
	    "SELECT 1 FROM customer_addresses WHERE address = ?1"
	    " AND customer_id = ?2";
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, addr);
	store_bind_text(stmt, 2, id);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "look up address");
	(*changed_r)++;
	return store_address_put(st, addr, id, "import", err);
}

int
store_customer_import(struct store *st, const char *id, const char *name,
    char *const *addrs, size_t n, enum store_import_how *how_r,
    struct err *err)
{
	static const char sql[] =
	    "INSERT INTO customers (id, name) VALUES (?1, ?2)"
	    " ON CONFLICT (id) DO UPDATE SET name = excluded.name"
	    " WHERE name IS NOT excluded.name";
	static const char list_sql[] =
	    "SELECT address FROM customer_addresses WHERE customer_id = ?1"
	    " AND source = 'import'";
	static const char del_sql[] =
	    "DELETE FROM customer_addresses WHERE address = ?1"
	    " AND customer_id = ?2 AND source = 'import'";
	sqlite3_stmt *stmt;
	char **lower = xcalloc(n + 1, sizeof(*lower));
	size_t i;
	int exists, changed = 0, rc = -1;

	for (i = 0; i < n; i++)
		lower[i] = store_addr_lower(addrs[i], strlen(addrs[i]));
	for (i = 0; i < n; i++)
		if (!store_addr_check(addrs[i])) {
			err_set(err, ERR_INPUT, "invalid address '%s' (expected "
			    "user@domain or @domain)", addrs[i]);
			goto out;
		}
	if ((exists = store_customer_exists(st, id, err)) == -1 ||
	    (stmt = store_stmt(st, sql, err)) == NULL)
		goto out;
	store_bind_text(stmt, 1, id);
	store_bind_text(stmt, 2, name);
	if (store_step_done(st, stmt, err, "save customer") == -1)
		goto out;
	changed = sqlite3_changes(st->db);
	if (store_drop_unlisted(st, list_sql, del_sql, id, lower, n,
	    &changed, err) == -1)
		goto out;
	for (i = 0; i < n; i++)
		if (store_address_import(st, lower[i], id, &changed,
		    err) == -1)
			goto out;
	*how_r = !exists ? STORE_IMPORT_NEW : changed ? STORE_IMPORT_UPDATED :
	    STORE_IMPORT_UNCHANGED;
	rc = 0;
out:
	store_strings_free(lower, n);
	return rc;
}

int
store_customer_assign(struct store *st, const char *addr, const char *id,
    struct err *err)
{
	return store_address_put(st, addr, id, "operator", err);
}

int
store_customer_lookup(struct store *st, const char *id, char *id_r,
    size_t len, struct err *err)
{
	/* NOCASE cannot use the primary key's index: a scan, so only when
	 * the exact ID (an index look-up: every row of a history import)
	 * is not there. */
	static const char sql[] =
	    "SELECT id FROM customers WHERE id = ?1 COLLATE NOCASE"
	    " ORDER BY id LIMIT 2";
	sqlite3_stmt *stmt;
	char first[STORE_CUSTOMER_ID_MAX] = "";
	int rc, n = 0;

	if (strlen(id) >= len || strlen(id) >= sizeof(first))
		return err_set(err, ERR_INPUT, "customer ID '%.40s...' is too "
		    "long", id);
	snprintf(id_r, len, "%s", id);
	if ((rc = store_customer_exists(st, id, err)) != 0)
		return rc;
	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n++ == 0) {
			snprintf(first, sizeof(first), "%s",
			    (const char *)sqlite3_column_text(stmt, 0));
		} else {
			err_set(err, ERR_INPUT, "customer '%s' could be '%s' or "
			    "'%s'", id, first,
			    (const char *)sqlite3_column_text(stmt, 0));
			sqlite3_reset(stmt);
			return -1;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "look up customer");
	if (n == 0)
		return 0;
	snprintf(id_r, len, "%s", first);
	return 1;
}

int
store_customer_exists(struct store *st, const char *id, struct err *err)
{
	static const char sql[] = "SELECT 1 FROM customers WHERE id = ?1";

	return store_exists(st, sql, id, "look up customer", err);
}

int
store_customer_count(struct store *st, long *customers_r,
    long *addresses_r, struct err *err)
{
	static const char sql[] =
	    "SELECT (SELECT count(*) FROM customers),"
	    " (SELECT count(*) FROM customer_addresses)";
	int64_t v[2];

	if (store_query_ints(st, sql, v, 2, "count customers", err) == -1)
		return -1;
	*customers_r = (long)v[0];
	*addresses_r = (long)v[1];
	return 0;
}

int
store_customer_find(struct store *st, const char *addr, char **id_r,
    char **name_r, struct err *err)
{
	/* ?1 is the address, ?2 its "@domain".  Two point lookups in
	 * order, the exact one first: an IN list with ORDER BY made SQLite
	 * build and sort an ephemeral table for every message, 60,000
	 * instructions of a parse's 1.2 million. */
	static const char sql[] =
	    "SELECT c.id, c.name FROM customer_addresses a"
	    " JOIN customers c ON c.id = a.customer_id WHERE a.address = ?1"
	    " UNION ALL"
	    " SELECT c.id, c.name FROM customer_addresses a"
	    " JOIN customers c ON c.id = a.customer_id WHERE a.address = ?2"
	    " LIMIT 1";
	const char *lt, *gt, *at;
	sqlite3_stmt *stmt;
	char *lower;
	size_t n;
	int rc;

	/* Accept "Name <user@domain>" as well as the bare address. */
	if ((lt = strrchr(addr, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL) {
		addr = lt + 1;
		n = (size_t)(gt - addr);
	} else
		n = strlen(addr);
	lower = store_addr_lower(addr, n);
	if ((stmt = store_stmt(st, sql, err)) == NULL) {
		free(lower);
		return -1;
	}
	store_bind_text(stmt, 1, lower);
	/* Without an '@' only an exact match is possible. */
	if ((at = strrchr(lower, '@')) != NULL && at != lower)
		store_bind_text(stmt, 2, at);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*id_r = xstrdup((const char *)sqlite3_column_text(stmt, 0));
		if (name_r != NULL)
			*name_r = xstrdup(
			    (const char *)sqlite3_column_text(stmt, 1));
	}
	sqlite3_reset(stmt);
	free(lower);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, err, "find customer");
}

int
store_customer_domains(struct store *st, struct store_customer_domain **doms_r,
    size_t *n_r, struct err *err)
{
	static const char sql[] =
	    "SELECT DISTINCT substr(a.address, instr(a.address, '@') + 1),"
	    " c.id, c.name FROM customer_addresses a"
	    " JOIN customers c ON c.id = a.customer_id"
	    " WHERE instr(a.address, '@') > 0 ORDER BY 1, 2";
	struct store_customer_domain *d = NULL;
	sqlite3_stmt *stmt;
	size_t n = 0;
	int rc;

	*doms_r = NULL;
	*n_r = 0;
	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		d = xreallocarray(d, n + 1, sizeof(*d));
		d[n].domain = xstrdup((const char *)sqlite3_column_text(stmt, 0));
		d[n].customer_id = xstrdup(
		    (const char *)sqlite3_column_text(stmt, 1));
		d[n].customer_name = xstrdup(
		    (const char *)sqlite3_column_text(stmt, 2));
		n++;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_customer_domains_free(d, n);
		return store_fail(st, err, "list customer domains");
	}
	*doms_r = d;
	*n_r = n;
	return 0;
}

void
store_customer_domains_free(struct store_customer_domain *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(d[i].domain);
		free(d[i].customer_id);
		free(d[i].customer_name);
	}
	free(d);
}
