/*
 * gen_store [-s] [-w DAYS] DB ORDERS [END-DATE [DAYS [SEED]]]: fill a store with
 * a generated shop history of about ORDERS orders (4 lines each on
 * average) over the DAYS days (default 365) up to END-DATE (default
 * today, UTC), for bench/bench_report.sh and tests/report.sh.
 *
 * -s: DB already holds a shop (gen_mail's, say); its products are the
 * catalog, its customers order first, and more customers (Y00000...)
 * are added for the rest.  So the same generated mail can be ingested
 * into that shop empty and into the same shop after a busy year
 * (bench/bench_scale.sh).  There every mailed order comes with a
 * second orderless mail (an answer, a thanks), a quarter with a third,
 * as in a real inbox: a year of 500,000 orders holds a million
 * messages.
 *
 * -w DAYS: the operator works the queue every day, so only the orders
 * flagged in the last DAYS days still wait; the older ones were
 * approved.  Without it a thirty-third of every flagged order ever
 * received is still waiting (13,000 in a year of 500,000), which keeps
 * the queue's worst case and the tests' flagged orders at hand.
 *
 * Each customer orders on a rhythm of their own (every 3 to 28 days,
 * give or take a day or two) from a few favourite products in usual
 * quantities; some stop ordering part-way, some try new products late.
 * The oldest tenth is imported history; the rest came by mail: most
 * accepted untouched and confirmed within minutes, some flagged and
 * approved, edited or rejected by an operator, some shipped, a few still
 * waiting, a few confirmations still queued.
 *
 * The schema comes from store_open() (the real migrations); the rows are
 * written with plain SQL in one transaction, since the store's own
 * functions stamp everything "now" and a history needs its past times.
 * Same arguments, same store: the generator has its own fixed-seed
 * random numbers.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store.h"

#define GEN_PRODUCTS	300
#define GEN_FAVOURITES	6

static uint64_t gen_state = 0x9e3779b97f4a7c15ULL;

static unsigned
gen_rand(unsigned n)
{
	gen_state ^= gen_state >> 12;
	gen_state ^= gen_state << 25;
	gen_state ^= gen_state >> 27;
	return (unsigned)((gen_state * 0x2545f4914f6cdd1dULL) >> 33) % n;
}

static sqlite3 *gen_db;

static void
gen_die(const char *what)
{
	fprintf(stderr, "gen_store: %s: %s\n", what, sqlite3_errmsg(gen_db));
	exit(1);
}

static void
gen_exec(const char *sql)
{
	if (sqlite3_exec(gen_db, sql, NULL, NULL, NULL) != SQLITE_OK)
		gen_die(sql);
}

static sqlite3_stmt *
gen_prepare(const char *sql)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(gen_db, sql, -1, &s, NULL) != SQLITE_OK)
		gen_die(sql);
	return s;
}

static void
gen_step(sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		gen_die(sqlite3_sql(s));
	sqlite3_reset(s);
}

static void
gen_iso(time_t t, char buf[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
gen_day(time_t t, char buf[16])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 16, "%Y-%m-%d", &tm);
}

struct gen_customer {
	unsigned	 gap;		/* usual days between orders */
	unsigned	 fav[GEN_FAVOURITES];
	unsigned	 qty[GEN_FAVOURITES];
	time_t		 next;
	time_t		 stop;		/* orders nothing from then on */
};

static struct {
	sqlite3_stmt	*msg, *order, *status, *line, *flag, *outbox, *audit;
	long		 orders, lines, msgs;
	char		**skus, **cids;	/* the catalog; the customers */
	unsigned	 nskus, nexisting;
	time_t		 worked_before;	/* -w: flagged orders from before
					 * this were handled; 0: none were */
} g;

static char *
gen_strdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL) {
		perror("gen_store");
		exit(1);
	}
	return d;
}

/* -s: the shop's own products and customers, in a stable order. */
static void
gen_existing(unsigned ncust)
{
	sqlite3_stmt *s;
	unsigned n;

	s = gen_prepare("SELECT count(*) FROM products");
	n = sqlite3_step(s) == SQLITE_ROW ? (unsigned)sqlite3_column_int(s,
	    0) : 0;
	sqlite3_finalize(s);
	if (n == 0) {
		fprintf(stderr, "gen_store: -s: the store has no products\n");
		exit(1);
	}
	g.skus = calloc(n, sizeof(*g.skus));
	s = gen_prepare("SELECT sku FROM products ORDER BY sku");
	while (g.nskus < n && sqlite3_step(s) == SQLITE_ROW)
		g.skus[g.nskus++] = gen_strdup((const char *)
		    sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	s = gen_prepare("SELECT id FROM customers ORDER BY id");
	while (g.nexisting < ncust && sqlite3_step(s) == SQLITE_ROW)
		g.cids[g.nexisting++] = gen_strdup((const char *)
		    sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	s = gen_prepare("SELECT coalesce(max(id), 0) FROM orders");
	if (sqlite3_step(s) == SQLITE_ROW)
		g.orders = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
}

static void
gen_catalog(unsigned ncust)
{
	static const char *const units[] = { "bag", "case", "box", "bottle" };
	sqlite3_stmt *p, *c, *a;
	char sku[16], name[64], id[16], addr[64];
	unsigned i;

	if (g.skus == NULL) {
		g.skus = calloc(GEN_PRODUCTS, sizeof(*g.skus));
		p = gen_prepare("INSERT INTO products (sku, name, unit)"
		    " VALUES (?,?,?)");
		for (i = 0; i < GEN_PRODUCTS; i++) {
			snprintf(sku, sizeof(sku), "P-%04u", i);
			snprintf(name, sizeof(name), "Product %u", i);
			sqlite3_bind_text(p, 1, sku, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(p, 2, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(p, 3, units[i % 4], -1,
			    SQLITE_STATIC);
			gen_step(p);
			g.skus[g.nskus++] = gen_strdup(sku);
		}
		sqlite3_finalize(p);
	}
	c = gen_prepare("INSERT INTO customers (id, name) VALUES (?,?)");
	a = gen_prepare("INSERT INTO customer_addresses (address, customer_id)"
	    " VALUES (?,?)");
	/* The shop's own customers (-s) keep their addresses; the added
	 * ones get their own IDs, so as not to meet the shop's. */
	for (i = g.nexisting; i < ncust; i++) {
		snprintf(id, sizeof(id), g.nexisting ? "Y%05u" : "C%04u", i);
		snprintf(name, sizeof(name), "Customer %u", i);
		snprintf(addr, sizeof(addr), "orders@c%u.example", i);
		g.cids[i] = gen_strdup(id);
		sqlite3_bind_text(c, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(c, 2, name, -1, SQLITE_TRANSIENT);
		gen_step(c);
		sqlite3_bind_text(a, 1, addr, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(a, 2, id, -1, SQLITE_TRANSIENT);
		gen_step(a);
	}
	sqlite3_finalize(c);
	sqlite3_finalize(a);
}

static void
gen_audit(const char *action, int64_t order_id, time_t at)
{
	char iso[32];

	gen_iso(at, iso);
	sqlite3_bind_text(g.audit, 1, iso, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(g.audit, 2, action, -1, SQLITE_STATIC);
	sqlite3_bind_int64(g.audit, 3, order_id);
	sqlite3_bind_text(g.audit, 4, strcmp(action, "ship") == 0 ?
	    "{\"note\":\"dhl JD0001\"}" : "{}", -1, SQLITE_STATIC);
	gen_step(g.audit);
}

/* A confirmation, sent at `sent` (0: still queued). */
static void
gen_confirm(int64_t order_id, time_t queued, time_t sent)
{
	char iso[32], mid[64];

	snprintf(mid, sizeof(mid), "<conf-%lld@gen.example>",
	    (long long)order_id);
	sqlite3_bind_int64(g.outbox, 1, order_id);
	sqlite3_bind_text(g.outbox, 2, mid, -1, SQLITE_TRANSIENT);
	gen_iso(queued, iso);
	sqlite3_bind_text(g.outbox, 3, iso, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(g.outbox, 4, sent ? "sent" : "queued", -1,
	    SQLITE_STATIC);
	if (sent) {
		gen_iso(sent, iso);
		sqlite3_bind_text(g.outbox, 5, iso, -1, SQLITE_TRANSIENT);
	} else
		sqlite3_bind_null(g.outbox, 5);
	gen_step(g.outbox);
}

/* Minutes to confirm, with a long tail. */
static time_t
gen_latency(void)
{
	unsigned r = gen_rand(100);

	if (r < 70)
		return 5 + gen_rand(120);
	if (r < 95)
		return 120 + gen_rand(1800);
	return 1800 + gen_rand(4 * 3600);
}

/* What happened to a mail order: its status and the audit trail. */
static const char *
gen_fate(int64_t id, time_t recv, int *flagged_r)
{
	static const char *const codes[] = { "unknown_product",
	    "unusual_quantity", "history_reference", "unknown_sender",
	    "no_items" };
	unsigned r = gen_rand(100);
	time_t at = recv + 600 + gen_rand(7200), sent;
	const char *status = "accepted";
	/* Left for a person, unless the operator has worked the queue
	 * since (-w): then it was approved as the others were. */
	int waiting = r >= 97 && recv >= g.worked_before;

	*flagged_r = r >= 80;
	if (*flagged_r) {
		sqlite3_bind_int64(g.flag, 1, id);
		sqlite3_bind_text(g.flag, 2, codes[gen_rand(5)], -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(g.flag, 3, !waiting);
		gen_step(g.flag);
		if (r >= 90 && r < 93) {
			sqlite3_bind_int64(g.flag, 1, id);
			sqlite3_bind_text(g.flag, 2, "unknown_product", -1,
			    SQLITE_STATIC);
			sqlite3_bind_int(g.flag, 3, 1);
			gen_step(g.flag);
		}
	}
	if ((r >= 80 && r < 90) || (r >= 97 && !waiting)) {
		gen_audit("approve", id, at);
	} else if (r >= 90 && r < 94) {
		gen_audit("edit", id, at);
		gen_audit("approve", id, at + 30);
		at += 30;
	} else if (r >= 94 && r < 97) {
		gen_audit("reject", id, at);
		return "rejected";
	} else if (waiting)
		return "flagged";
	else
		at = recv;
	sent = gen_rand(50) == 0 ? 0 : at + gen_latency();
	gen_confirm(id, at, sent);
	if (gen_rand(3) == 0) {
		gen_audit("ship", id, at + 86400 + gen_rand(86400));
		status = "shipped";
	}
	return status;
}

static void
gen_lines(int64_t id, const struct gen_customer *c, int late)
{
	unsigned n = 1 + gen_rand(4) + gen_rand(4), i, k, sku, q;

	for (i = 0; i < n; i++) {
		k = gen_rand(GEN_FAVOURITES + 2);
		if (k < GEN_FAVOURITES - (late ? 0 : 1)) {
			sku = c->fav[k];
			q = c->qty[k] + gen_rand(3);
		} else if (late && k >= GEN_FAVOURITES) {
			sku = c->fav[GEN_FAVOURITES - 1];	/* the new one */
			q = 2;
		} else {
			sku = gen_rand(g.nskus);
			q = 1 + gen_rand(5);
		}
		sqlite3_bind_int64(g.line, 1, id);
		sqlite3_bind_int(g.line, 2, (int)i + 1);
		sqlite3_bind_text(g.line, 3, g.skus[sku], -1, SQLITE_STATIC);
		sqlite3_bind_int(g.line, 4, (int)q);
		gen_step(g.line);
		g.lines++;
	}
}

/* The orderless mail that follows an order: an answer, a thanks. */
static void
gen_other_mail(int64_t id, time_t recv, char which)
{
	char key[32], iso[32];

	snprintf(key, sizeof(key), "gen-other%c:%lld", which, (long long)id);
	gen_iso(recv + 3600 + gen_rand(2 * 86400), iso);
	sqlite3_bind_text(g.msg, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(g.msg, 2, iso, -1, SQLITE_TRANSIENT);
	gen_step(g.msg);
	g.msgs++;
}

static void
gen_order(unsigned ci, const struct gen_customer *c, time_t recv,
    time_t mail_from, time_t late_from)
{
	char day[16], iso[32], key[32], ref[32];
	int64_t id = g.orders + 1, mid = 0;
	const char *status = "imported";
	int flagged;

	gen_day(recv, day);
	if (recv >= mail_from) {
		snprintf(key, sizeof(key), "gen:%lld", (long long)id);
		gen_iso(recv, iso);
		sqlite3_bind_text(g.msg, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(g.msg, 2, iso, -1, SQLITE_TRANSIENT);
		gen_step(g.msg);
		mid = sqlite3_last_insert_rowid(gen_db);
		g.msgs++;
		if (g.nexisting) {
			gen_other_mail(id, recv, 'a');
			if (gen_rand(4) == 0)
				gen_other_mail(id, recv, 'b');
		}
		snprintf(ref, sizeof(ref), "MO-%lld", (long long)id);
	} else
		snprintf(ref, sizeof(ref), "H-%lld", (long long)id);
	sqlite3_bind_int64(g.order, 1, id);
	sqlite3_bind_text(g.order, 2, ref, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(g.order, 3, g.cids[ci], -1, SQLITE_STATIC);
	if (mid)
		sqlite3_bind_int64(g.order, 4, mid);
	else
		sqlite3_bind_null(g.order, 4);
	sqlite3_bind_text(g.order, 5, "imported", -1, SQLITE_STATIC);
	sqlite3_bind_text(g.order, 6, day, -1, SQLITE_TRANSIENT);
	gen_step(g.order);
	g.orders++;
	gen_lines(id, c, recv >= late_from);
	if (mid) {
		/* The fate writes flags and audit rows for the order, which
		 * must exist first; its status is set afterwards. */
		status = gen_fate(id, recv, &flagged);
		sqlite3_bind_int64(g.status, 1, id);
		sqlite3_bind_text(g.status, 2, status, -1, SQLITE_STATIC);
		gen_step(g.status);
	}
}

static void
gen_prepare_all(void)
{
	g.msg = gen_prepare("INSERT INTO messages (dedupe_key, from_addr,"
	    " subject, received_at, state) VALUES (?1, 'orders@gen.example',"
	    " 'Order', ?2, 'done')");
	g.order = gen_prepare("INSERT INTO orders (id, ref, customer_id,"
	    " message_id, status, order_date) VALUES (?,?,?,?,?,?)");
	g.status = gen_prepare("UPDATE orders SET status = ?2 WHERE id = ?1");
	g.line = gen_prepare("INSERT INTO order_lines (order_id, line_no, sku,"
	    " quantity, unit, text) VALUES (?1, ?2, ?3, ?4,"
	    " (SELECT unit FROM products WHERE sku = ?3), 'gen')");
	g.flag = gen_prepare("INSERT INTO flags (order_id, code, resolved)"
	    " VALUES (?,?,?)");
	g.outbox = gen_prepare("INSERT INTO outbox (order_id, kind, message_id,"
	    " rcpt, body, created_at, state, sent_at)"
	    " VALUES (?1, 'confirmation', ?2, 'orders@gen.example', x'00',"
	    " ?3, ?4, ?5)");
	g.audit = gen_prepare("INSERT INTO audit_log (at, operator, action,"
	    " order_id, detail) VALUES (?1, 'alice', ?2, ?3, ?4)");
}

/* END-DATE as the last second of that day, UTC. */
static time_t
gen_end(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strcmp(s, "today") == 0)
		return time(NULL);
	if (sscanf(s, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
		fprintf(stderr, "gen_store: '%s' is not YYYY-MM-DD\n", s);
		exit(64);
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 23;
	return timegm(&tm);
}

int
main(int argc, char **argv)
{
	struct gen_customer *cust;
	struct store *st;
	struct err err;
	long want, days = 365, before;
	unsigned ncust, nprod, i, k;
	time_t end, start, t;
	double per = 0;
	long worked = -1;
	int existing = 0, c;

	while ((c = getopt(argc, argv, "sw:")) != -1) {
		if (c == 's')
			existing = 1;
		else if (c == 'w' && (worked = atol(optarg)) >= 0)
			continue;
		else
			argc = 0;	/* usage */
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 3 || argc > 6 || (want = atol(argv[2])) < 1 ||
	    (argc > 4 && (days = atol(argv[4])) < 7)) {
		fprintf(stderr, "usage: gen_store [-s] [-w DAYS] DB ORDERS "
		    "[END-DATE [DAYS [SEED]]]\n");
		return 64;
	}
	if (argc > 5)
		gen_state ^= strtoull(argv[5], NULL, 10) * 0x100000001b3ULL;
	end = gen_end(argc > 3 ? argv[3] : NULL);
	start = end - days * 86400 + 1;
	if (worked >= 0)
		g.worked_before = end - worked * 86400;
	err_clear(&err);
	if ((st = store_open(argv[1], 0, &err)) == NULL) {
		fprintf(stderr, "gen_store: %s\n", err.msg);
		return 1;
	}
	store_close(st);
	if (sqlite3_open(argv[1], &gen_db) != SQLITE_OK)
		gen_die(argv[1]);
	gen_exec("PRAGMA synchronous = OFF; BEGIN");

	/* Gaps 3..28 days: about days * mean(1/gap) orders a customer. */
	static const unsigned gaps[] = { 3, 5, 7, 7, 10, 14, 14, 21, 28 };
	for (i = 0; i < 9; i++)
		per += (double)days / gaps[i] / 9;
	/* A few stop early: ask for a few more customers. */
	ncust = (unsigned)(want / per * 1.06) + 1;
	cust = calloc(ncust, sizeof(*cust));
	g.cids = calloc(ncust, sizeof(*g.cids));
	if (existing)
		gen_existing(ncust);
	before = g.orders;
	nprod = existing ? g.nskus : GEN_PRODUCTS;
	for (i = 0; i < ncust; i++) {
		cust[i].gap = gaps[gen_rand(9)];
		for (k = 0; k < GEN_FAVOURITES; k++) {
			cust[i].fav[k] = (i * 7 + k * 13) % nprod;
			cust[i].qty[k] = 1 + gen_rand(10);
		}
		cust[i].next = start + (time_t)gen_rand(cust[i].gap * 86400);
		cust[i].stop = gen_rand(8) == 0 ? start + (end - start) *
		    (time_t)(3 + gen_rand(6)) / 10 : end + 1;
	}
	gen_catalog(ncust);
	gen_prepare_all();
	/* Day by day, so order ids rise with time as in a real store. */
	for (t = start; t <= end; t += 86400)
		for (i = 0; i < ncust; i++) {
			if (cust[i].next >= t + 86400 || cust[i].next > end)
				continue;
			if (cust[i].next < cust[i].stop)
				gen_order(i, &cust[i], cust[i].next,
				    start + (end - start) / 10,
				    end - (end - start) / 8);
			cust[i].next += (time_t)(cust[i].gap * 86400 -
			    86400 + gen_rand(2 * 86400 + 1));
		}
	gen_exec("COMMIT");
	/* A settled store, as a shop's is: the history in the database
	 * file, not in a WAL that every read would have to look through. */
	gen_exec("PRAGMA wal_checkpoint(TRUNCATE)");
	printf("%ld orders, %ld lines, %ld messages, %u customers, %u "
	    "products\n", g.orders - before, g.lines, g.msgs, ncust, g.nskus);
	sqlite3_close(gen_db);
	free(cust);
	return 0;
}
