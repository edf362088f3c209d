/*
 * import/ over a real database file: good imports land with the right
 * counts, re-imports change nothing, and every kind of bad row aborts the
 * whole import with its "FILE:LINE: reason" while the database stays
 * byte-for-byte what it was.  Also the customer lookups the engine relies
 * on (exact address beats @domain) and the history walk.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/buf.h"
#include "common/error.h"
#include "import/import.h"
#include "store/catalog.h"
#include "store/customer.h"
#include "store/history.h"
#include "store/store.h"
#include "tests/unit/helpers.h"

static const char good_catalog[] =
    "sku,name,unit,aliases,price\n"
    "HB-1,House Blend 1kg,bag,house blend;HB;House-Blend,12.50\n"
    "CUP-12,\"Cups, 12oz\",case,12oz cups; twelve ounce cups ;,3\n"
    "LID-12,Lids for 12oz cups,,,1\n";

static const char good_customers[] =
    "id,name,emails\n"
    "C1,Cafe One,orders@one.example;@one.example\n"
    "C2,Boss of One,Boss@One.Example\n"
    "C3,Cafe Three,\n";

static const char good_history[] =
    "order_ref,customer_id,date,sku,quantity\n"
    "H1,C1,2024-01-05,HB-1,3\n"
    "H1,C1,2024-01-05,CUP-12,2\n"
    "H2,C2,2024-02-29,HB-1,1\n"
    "H3,C1,2024-03-01,LID-12,10\n";

struct fixture {
	char		 dir[64];
	char		 db[128];
	char		 csv[128];
	struct store	*st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err err;

	th_tmpdir(f->dir, "import");
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	snprintf(f->csv, sizeof(f->csv), "%s/in.csv", f->dir);
	if ((f->st = store_open(f->db, 0, &err)) == NULL)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	if (th_rmdir(f->dir) != 0)
		return -1;
	free(f);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

typedef int (*import_fn)(struct store *, const char *, struct import_stats *,
    struct err *);

/* Import text as kind; on success return the stats. */
static int
run_import(struct fixture *f, import_fn fn, const char *text,
    struct import_stats *stats, struct err *err)
{
	write_file(f->csv, text);
	err_clear(err);
	memset(stats, 0, sizeof(*stats));
	return fn(f->st, f->csv, stats, err);
}

static void
import_good(struct fixture *f)
{
	struct import_stats s;
	struct err err;

	assert_int_equal(run_import(f, import_catalog, good_catalog, &s,
	    &err), 0);
	assert_int_equal(run_import(f, import_customers, good_customers, &s,
	    &err), 0);
	assert_int_equal(run_import(f, import_history, good_history, &s,
	    &err), 0);
}

static int
dump_row(void *arg, int n, char **v, char **names)
{
	struct buf *b = arg;
	int i;

	for (i = 0; i < n; i++)
		buf_addf(b, "%s%s", i ? "|" : "", v[i] ? v[i] : "NULL");
	buf_adds(b, "\n");
	return 0;
}

/* Every row of every table an import touches, timestamps included, read
 * through a second connection as any other process would see it.
 * skip_volatile leaves out the columns a re-import legitimately bumps. */
static char *
dump_db(const char *path, int skip_volatile)
{
	static const char *const all[] = {
		"SELECT * FROM products ORDER BY sku",
		"SELECT * FROM product_aliases ORDER BY alias, sku, customer_id",
		"SELECT * FROM customers ORDER BY id",
		"SELECT * FROM customer_addresses ORDER BY address",
		"SELECT * FROM orders ORDER BY id",
		"SELECT * FROM order_lines ORDER BY order_id, line_no",
		NULL
	};
	static const char *const stable[] = {
		"SELECT * FROM products ORDER BY sku",
		"SELECT * FROM product_aliases ORDER BY alias, sku, customer_id",
		"SELECT id, name FROM customers ORDER BY id",
		"SELECT * FROM customer_addresses ORDER BY address",
		"SELECT id, ref, customer_id, status, order_date FROM orders"
		"  ORDER BY id",
		"SELECT * FROM order_lines ORDER BY order_id, line_no",
		NULL
	};
	const char *const *q = skip_volatile ? stable : all;
	struct buf b;
	sqlite3 *db;
	size_t i;

	buf_init(&b, BUF_NOLIMIT);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	for (i = 0; q[i] != NULL; i++) {
		buf_addf(&b, "-- %s\n", q[i]);
		assert_int_equal(sqlite3_exec(db, q[i], dump_row, &b, NULL),
		    SQLITE_OK);
	}
	sqlite3_close(db);
	return buf_detach(&b, NULL);
}

static void
test_import_good_counts(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	struct err err;
	long n, m;
	char *dump;

	assert_int_equal(run_import(f, import_catalog, good_catalog, &s,
	    &err), 0);
	assert_int_equal(s.rows, 3);
	assert_int_equal(s.added, 3);
	assert_int_equal(s.updated, 0);
	assert_int_equal(s.extra, 5);
	assert_int_equal(store_product_count(f->st, &n, &m, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(m, 4);	/* "House-Blend" normalises to "house blend" */

	assert_int_equal(run_import(f, import_customers, good_customers, &s,
	    &err), 0);
	assert_int_equal(s.added, 3);
	assert_int_equal(s.extra, 3);
	assert_int_equal(store_customer_count(f->st, &n, &m, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(m, 3);

	assert_int_equal(run_import(f, import_history, good_history, &s,
	    &err), 0);
	assert_int_equal(s.rows, 4);
	assert_int_equal(s.added, 3);
	assert_int_equal(s.updated, 0);
	assert_int_equal(store_history_count(f->st, &n, &m, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(m, 4);

	/* What landed, exactly: trimmed, normalised, lower-cased, quoted
	 * commas intact, an empty unit as NULL, status 'imported'. */
	dump = dump_db(f->db, 1);
	assert_non_null(strstr(dump, "CUP-12|Cups, 12oz|case|1|available\n"));
	assert_non_null(strstr(dump, "LID-12|Lids for 12oz cups|NULL|1|available\n"));
	assert_non_null(strstr(dump, "twelve ounce cups|CUP-12||import\n"));
	assert_non_null(strstr(dump, "hb|HB-1||import\n"));
	assert_non_null(strstr(dump, "boss@one.example|C2|import\n"));
	assert_non_null(strstr(dump, "@one.example|C1|import\n"));
	assert_non_null(strstr(dump, "1|H1|C1|imported|2024-01-05\n"));
	assert_non_null(strstr(dump, "1|2|CUP-12|2|NULL|NULL|NULL\n"));
	free(dump);
}

static void
test_import_twice_is_idempotent(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	struct err err;
	char *before, *after;

	import_good(f);
	/* Everything, versions and timestamps included: an unchanged row
	 * is not touched at all. */
	before = dump_db(f->db, 0);

	assert_int_equal(run_import(f, import_catalog, good_catalog, &s,
	    &err), 0);
	assert_int_equal(s.added, 0);
	assert_int_equal(s.updated, 0);
	assert_int_equal(s.unchanged, 3);
	assert_int_equal(run_import(f, import_customers, good_customers, &s,
	    &err), 0);
	assert_int_equal(s.added, 0);
	assert_int_equal(s.updated, 0);
	assert_int_equal(s.unchanged, 3);
	assert_int_equal(run_import(f, import_history, good_history, &s,
	    &err), 0);
	assert_int_equal(s.added, 0);
	assert_int_equal(s.updated, 0);
	assert_int_equal(s.unchanged, 3);

	after = dump_db(f->db, 0);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

/* A re-import replaces what an earlier import said, but keeps what the
 * operators taught. */
static void
test_import_update_keeps_operator_data(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	struct err err;
	char *dump, *id = NULL;

	import_good(f);
	assert_int_equal(store_alias_learn(f->st, "the usual beans", "HB-1",
	    "C1", &err), 0);
	assert_int_equal(store_customer_assign(f->st, "shop@three.example",
	    "C3", &err), 0);

	assert_int_equal(run_import(f, import_catalog,
	    "sku,name,aliases\nHB-1,House Blend 1 kg,hb\n", &s, &err), 0);
	assert_int_equal(run_import(f, import_customers,
	    "id,name,emails\nC3,Cafe Three,\n", &s, &err), 0);
	assert_int_equal(run_import(f, import_history,
	    "order_ref,customer_id,date,sku,quantity\n"
	    "H1,C2,2024-01-06,LID-12,4\n", &s, &err), 0);
	assert_int_equal(s.added, 0);
	assert_int_equal(s.updated, 1);

	dump = dump_db(f->db, 1);
	assert_non_null(strstr(dump, "HB-1|House Blend 1 kg|NULL|1|available\n"));
	assert_null(strstr(dump, "house blend|HB-1"));	/* import alias gone */
	assert_non_null(strstr(dump, "hb|HB-1||import\n"));
	assert_non_null(strstr(dump, "the usual beans|HB-1|C1|operator\n"));
	assert_non_null(strstr(dump, "shop@three.example|C3|operator\n"));
	/* H1's two lines became the one line of the new file. */
	assert_non_null(strstr(dump, "1|H1|C2|imported|2024-01-06\n"));
	assert_non_null(strstr(dump, "1|1|LID-12|4|"));
	assert_null(strstr(dump, "1|2|CUP-12"));
	free(dump);

	assert_int_equal(store_customer_find(f->st, "SHOP@three.example", &id,
	    NULL, &err), 1);
	assert_string_equal(id, "C3");
	free(id);
}

struct bad_case {
	const char	*name;
	import_fn	 fn;
	const char	*csv;
	const char	*error;		/* after "FILE:" */
};

#define HIS "order_ref,customer_id,date,sku,quantity\n"
#define HIS_OK "N1,C1,2024-05-01,HB-1,7\nH1,C1,2024-01-05,LID-12,1\n"

/* Each bad file starts with rows that would change the database, so an
 * import that is not all-or-nothing shows up in the dump. */
static const struct bad_case bad_cases[] = {
	{ "unknown sku", import_history, HIS HIS_OK
	    "N2,C1,2024-05-01,XYZ-1,1\n", "4: unknown sku 'XYZ-1'" },
	{ "unknown customer", import_history, HIS HIS_OK
	    "N2,C9,2024-05-01,HB-1,1\n", "4: unknown customer 'C9'" },
	{ "no such day", import_history, HIS HIS_OK
	    "N2,C1,2023-02-29,HB-1,1\n",
	    "4: invalid date '2023-02-29' (expected YYYY-MM-DD)" },
	{ "month 13", import_history, HIS HIS_OK
	    "N2,C1,2024-13-01,HB-1,1\n",
	    "4: invalid date '2024-13-01' (expected YYYY-MM-DD)" },
	{ "day-first date", import_history, HIS HIS_OK
	    "N2,C1,05/01/2024,HB-1,1\n",
	    "4: invalid date '05/01/2024' (expected YYYY-MM-DD)" },
	{ "zero quantity", import_history, HIS HIS_OK
	    "N2,C1,2024-05-01,HB-1,0\n", "4: invalid quantity '0' "
	    "(expected a number above 0 and up to 1000000, at most 3 "
	    "decimals)" },
	{ "negative quantity", import_history, HIS HIS_OK
	    "N2,C1,2024-05-01,HB-1,-3\n", "4: invalid quantity '-3' "
	    "(expected a number above 0 and up to 1000000, at most 3 "
	    "decimals)" },
	{ "text quantity", import_history, HIS HIS_OK
	    "N2,C1,2024-05-01,HB-1,two\n", "4: invalid quantity 'two' "
	    "(expected a number above 0 and up to 1000000, at most 3 "
	    "decimals)" },
	{ "decimal quantity", import_history, HIS HIS_OK
	    "N2,C1,2024-05-01,HB-1,1.5555\n", "4: invalid quantity '1.5555' "
	    "(expected a number above 0 and up to 1000000, at most 3 "
	    "decimals)" },
	{ "decimal comma", import_history, HIS HIS_OK
	    "N2,C1,2024-05-01,HB-1,\"1,5\"\n", "4: invalid quantity '1,5' "
	    "(expected a number above 0 and up to 1000000, at most 3 "
	    "decimals)" },
	{ "huge quantity", import_history, HIS HIS_OK
	    "N2,C1,2024-05-01,HB-1,99999999999999999999\n",
	    "4: invalid quantity '99999999999999999999' "
	    "(expected a number above 0 and up to 1000000, at most 3 "
	    "decimals)" },
	{ "empty sku", import_history, HIS HIS_OK
	    "N2,C1,2024-05-01, ,1\n", "4: missing value for 'sku'" },
	{ "short row", import_history, HIS HIS_OK "N2,C1,2024-05-01\n",
	    "4: missing value for 'sku'" },
	{ "order changes customer", import_history, HIS HIS_OK
	    "N1,C2,2024-05-01,HB-1,1\n", "4: order 'N1' is for customer "
	    "'C1' on an earlier line, not 'C2'" },
	{ "order changes date", import_history, HIS HIS_OK
	    "N1,C1,2024-05-02,HB-1,1\n", "4: order 'N1' is dated "
	    "2024-05-01 on an earlier line, not 2024-05-02" },
	{ "missing column", import_history,
	    "order_ref,customer_id,date,sku\nN1,C1,2024-05-01,HB-1\n",
	    "1: missing column 'quantity'" },
	{ "invalid UTF-8", import_catalog,
	    "sku,name\nNEW-1,New\nNEW-2,Caf\xe9\n",
	    "3: invalid UTF-8 in column 'name'" },
	{ "unterminated quote", import_catalog,
	    "sku,name\nHB-1,Renamed\nNEW-2,\"Oops\n\n",
	    "3: unterminated quoted field" },
	{ "empty product name", import_catalog,
	    "sku,name\nNEW-1,New\nNEW-2,\"\"\n", "3: missing value for 'name'" },
	{ "duplicate sku", import_catalog,
	    "sku,name\nNEW-1,New\nHB-1,a\nNEW-1,Again\n",
	    "4: duplicate sku 'NEW-1' (first on line 2)" },
	{ "catalog without name column", import_catalog,
	    "sku,title\nNEW-1,New\n", "1: missing column 'name'" },
	{ "empty file", import_catalog, "", "1: empty file: a header line "
	    "is required" },
	{ "bad address", import_customers,
	    "id,name,emails\nC9,New,a@new.example\nC8,Bad,not-an-address\n",
	    "3: invalid address 'not-an-address' (expected user@domain or "
	    "@domain)" },
	{ "two @", import_customers, "id,name,emails\nC9,Bad,a@b@c\n",
	    "2: invalid address 'a@b@c' (expected user@domain or @domain)" },
	{ "address claimed twice", import_customers,
	    "id,name,emails\nC9,New,x@new.example\nC8,Also,X@NEW.example\n",
	    "3: address 'X@NEW.example' is already given on line 2" },
	{ "customer without id", import_customers,
	    "id,name,emails\nC9,New,\n,Nobody,n@x.example\n",
	    "3: missing value for 'id'" },
};

static void
test_import_bad_rows_change_nothing(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	struct err err;
	char *before, *after, want[ERR_MSG_MAX];
	size_t i;

	import_good(f);
	before = dump_db(f->db, 0);
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *tc = &bad_cases[i];

		print_message("# %s\n", tc->name);
		assert_int_equal(run_import(f, tc->fn, tc->csv, &s, &err), -1);
		assert_int_equal(err.cls, ERR_INPUT);
		snprintf(want, sizeof(want), "%s:%s", f->csv, tc->error);
		assert_string_equal(err.msg, want);
		after = dump_db(f->db, 0);
		assert_string_equal(after, before);
		free(after);
	}
	free(before);
	/* The store is still usable: nothing was left half-open. */
	assert_int_equal(run_import(f, import_history, HIS HIS_OK, &s, &err),
	    0);
	assert_int_equal(s.added, 1);
}

/* An order that came from mail is never overwritten by history. */
static void
test_import_history_spares_mail_orders(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	struct err err;
	char *before, *after;
	sqlite3 *db;

	import_good(f);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO orders (ref,"
	    " customer_id, status, order_date) VALUES ('MO-1', 'C1',"
	    " 'accepted', '2024-06-01')", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	before = dump_db(f->db, 0);
	assert_int_equal(run_import(f, import_history,
	    HIS "MO-1,C1,2024-06-01,HB-1,1\n", &s, &err), -1);
	assert_int_equal(err.cls, ERR_INPUT);
	assert_non_null(strstr(err.msg, ":2: order 'MO-1' already exists "
	    "and is not imported history"));
	after = dump_db(f->db, 0);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

static void
test_import_unreadable_file(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	struct err err;

	assert_int_equal(import_catalog(f->st, "/nonexistent/cat.csv", &s,
	    &err), -1);
	assert_int_equal(err.cls, ERR_CONFIG);
	assert_int_equal(import_history(f->st, f->dir, &s, &err), -1);
	assert_int_equal(err.cls, ERR_CONFIG);
	assert_non_null(strstr(err.msg, "Is a directory"));
}

struct find_case {
	const char	*addr;
	const char	*want;		/* NULL: nobody */
};

static void
test_customer_find(void **state)
{
	static const struct find_case cases[] = {
		{ "orders@one.example", "C1" },
		{ "Boss@one.example", "C2" },	/* exact beats @one.example */
		{ "boss@ONE.EXAMPLE", "C2" },
		{ "Anne Boss <boss@one.example>", "C2" },
		{ "someone.else@one.example", "C1" },	/* the domain entry */
		{ "x@sub.one.example", NULL },	/* a domain is not its parent */
		{ "x@two.example", NULL },
		{ "@one.example", "C1" },
		{ "one.example", NULL },
	};
	struct fixture *f = *state;
	struct err err;
	char *id, *name;
	size_t i;
	int r;

	import_good(f);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("# %s\n", cases[i].addr);
		id = name = NULL;
		r = store_customer_find(f->st, cases[i].addr, &id, &name, &err);
		if (cases[i].want == NULL) {
			assert_int_equal(r, 0);
			continue;
		}
		assert_int_equal(r, 1);
		assert_string_equal(id, cases[i].want);
		assert_non_null(name);
		free(id);
		free(name);
	}
}

static int
collect_line(void *arg, const char *ref, const char *date, const char *sku,
    const char *product_name, double quantity)
{
	buf_addf(arg, "%s %s %s %g %s\n", ref, date, sku, quantity,
	    product_name);
	return 0;
}

static void
test_history_foreach_newest_first(void **state)
{
	struct fixture *f = *state;
	struct err err;
	struct buf b;

	import_good(f);
	buf_init(&b, BUF_NOLIMIT);
	assert_int_equal(store_history_foreach(f->st, "C1", 0, NULL, collect_line,
	    &b, &err), 0);
	assert_string_equal(buf_str(&b),
	    "H3 2024-03-01 LID-12 10 Lids for 12oz cups\n"
	    "H1 2024-01-05 HB-1 3 House Blend 1kg\n"
	    "H1 2024-01-05 CUP-12 2 Cups, 12oz\n");
	buf_reset(&b);
	assert_int_equal(store_history_foreach(f->st, "C1", 1, NULL, collect_line,
	    &b, &err), 0);
	assert_string_equal(buf_str(&b),
	    "H3 2024-03-01 LID-12 10 Lids for 12oz cups\n");
	buf_release(&b);
}

static void
test_date_valid(void **state)
{
	static const struct {
		const char	*s;
		int		 ok;
	} cases[] = {
		{ "2024-02-29", 1 }, { "2000-02-29", 1 }, { "1900-02-29", 0 },
		{ "2023-02-29", 0 }, { "2024-04-31", 0 }, { "2024-12-31", 1 },
		{ "2024-00-10", 0 }, { "2024-01-00", 0 }, { "2024-1-05", 0 },
		{ "2024-01-05 ", 0 }, { "20240105", 0 }, { "", 0 },
		{ "0000-01-01", 0 }, { "2024-01-5x", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("# %s\n", cases[i].s);
		assert_int_equal(import_date_valid(cases[i].s), cases[i].ok);
	}
}

static void
test_alias_normalise(void **state)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "  House-Blend  ", "house blend" },
		{ "12oz. Cups!!", "12oz cups" },
		{ "1.5L bottle", "1.5l bottle" },
		{ "v.2 .5 end.", "v 2 5 end" },
		{ "100% Arabica", "100% arabica" },
		{ "K\xc3\xa4se", "k\xc3\xa4se" },
		{ "---", "" },
	};
	size_t i;
	char *got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = store_alias_normalise(cases[i].in);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import_good_counts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_twice_is_idempotent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_import_update_keeps_operator_data, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_import_bad_rows_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_import_history_spares_mail_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_unreadable_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_customer_find,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_history_foreach_newest_first, setup, teardown),
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_alias_normalise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
