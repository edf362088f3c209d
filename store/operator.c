/*
 * Operator actions on orders; see operator.h.
 *
 * Each action runs op_open() (BEGIN IMMEDIATE, load the order, check its
 * state and version, snapshot it), changes what it changes, and ends with
 * op_finish() (reply, version bump, audit row, COMMIT).  The snapshot is
 * JSON made by SQLite itself and undo reads it back with json_each(), so
 * the undo record cannot drift from the tables it restores.
 */
#include "config.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/qty.h"
#include "common/xmalloc.h"
#include "store/catalog.h"
#include "store/customer.h"
#include "store/mailbox.h"
#include "store/operator.h"
#include "store/store_int.h"
#include "store/webhook.h"

/* Which statuses an action may start from. */
#define OP_OPEN		"flagged,ignored"
#define OP_ACCEPTED	"accepted"
#define OP_ANY		NULL

struct op_order {
	char	 status[16];
	int	 version;
	char	*customer_id;
	char	*from_addr;
	char	*before;	/* JSON snapshot for undo */
};

/* What an action leaves for undo besides the snapshot. */
struct op_extra {
	const char	*alias;		/* normalised alias learned, or NULL */
	const char	*alias_sku;
	int		 alias_new;	/* 1: did not exist before */
	const char	*addr;		/* address assigned, or NULL */
	int		 addr_new;
	int64_t		 undoes;	/* audit id an undo reverts */
};

static const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	return col_text(s, i) != NULL ? xstrdup(col_text(s, i)) : NULL;
}

const char *
store_operator_login(void)
{
	static char name[64];
	struct passwd *pw;
	const char *s;

	if ((s = getenv("LOGNAME")) != NULL && *s != '\0')
		snprintf(name, sizeof(name), "%s", s);
	else if ((pw = getpwuid(getuid())) != NULL)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	else
		snprintf(name, sizeof(name), "uid %lu",
		    (unsigned long)getuid());
	return name;
}

static void
op_order_release(struct op_order *o)
{
	free(o->customer_id);
	free(o->from_addr);
	free(o->before);
	memset(o, 0, sizeof(*o));
}

static int
op_fail(struct store *st, struct op_order *o, struct err *err,
    enum err_class cls, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Roll back, release, and (when fmt is not NULL) set the error. */
static int
op_fail(struct store *st, struct op_order *o, struct err *err,
    enum err_class cls, const char *fmt, ...)
{
	va_list ap;

	/* The message may quote o: format it before o goes. */
	if (fmt != NULL) {
		va_start(ap, fmt);
		err_setv(err, cls, fmt, ap);
		va_end(ap);
	}
	store_rollback(st);
	if (o != NULL)
		op_order_release(o);
	return -1;
}

static int
op_status_in(const char *status, const char *list)
{
	size_t n = strlen(status);
	const char *p;

	if (list == NULL)
		return 1;
	for (p = list; (p = strstr(p, status)) != NULL; p += n)
		if ((p == list || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The refusal for a stale version: who changed the order, and when. */
static int
op_stale(struct store *st, int64_t id, int seen, int now, struct err *err)
{
	static const char sql[] =
	    "SELECT operator, at, action FROM audit_log WHERE order_id = ?1"
	    " ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		err_set(err, ERR_TEMP, "MO-%lld was changed by %s at %s (%s) "
		    "since you opened it (version %d, now %d); look at it "
		    "again", (long long)id, col_text(s, 0), col_text(s, 1),
		    col_text(s, 2), seen, now);
	} else {
		err_set(err, ERR_TEMP, "MO-%lld was changed by mailorderd "
		    "since you opened it (version %d, now %d); look at it "
		    "again", (long long)id, seen, now);
	}
	sqlite3_reset(s);
	return -1;
}

static const char SQL_SNAPSHOT[] =
	"SELECT json_object('status', o.status, 'customer', o.customer_id,"
	" 'lines', (SELECT json_group_array(json_object('n', l.line_no,"
	"  'sku', l.sku, 'q', l.quantity, 'unit', l.unit, 'text', l.text,"
	"  'rule', l.rule)) FROM order_lines l WHERE l.order_id = o.id),"
	" 'flags', (SELECT json_group_array(json_object('id', f.id,"
	"  'r', f.resolved)) FROM flags f WHERE f.order_id = o.id))"
	" FROM orders o WHERE o.id = ?1";

/*
 * Begin the action's transaction and load the order.  Refuses imported
 * history, a status not in allowed, and a version other than the one the
 * operator saw.  On failure the transaction is rolled back.
 */
static int
op_open(struct store *st, const struct store_operator_ctx *ctx,
    const char *allowed, const char *what, struct op_order *o,
    struct err *err)
{
	static const char sql[] =
	    "SELECT o.status, o.version, o.customer_id, m.from_addr,"
	    " o.message_id IS NULL"
	    " FROM orders o LEFT JOIN messages m ON m.id = o.message_id"
	    " WHERE o.id = ?1";
	sqlite3_stmt *s;
	long long id = (long long)ctx->order_id;
	int rc, imported;

	memset(o, 0, sizeof(*o));
	if (store_begin(st, err) == -1)
		return -1;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return op_fail(st, o, err, ERR_NONE, NULL);
	sqlite3_bind_int64(s, 1, ctx->order_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(o->status, sizeof(o->status), "%s", col_text(s, 0));
		o->version = sqlite3_column_int(s, 1);
		o->customer_id = col_dup(s, 2);
		o->from_addr = col_dup(s, 3);
		imported = sqlite3_column_int(s, 4);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return op_fail(st, o, err, ERR_MSG, "no order MO-%lld", id);
	if (rc != SQLITE_ROW) {
		store_fail(st, err, "read order");
		return op_fail(st, o, err, ERR_NONE, NULL);
	}
	if (imported)
		return op_fail(st, o, err, ERR_MSG, "MO-%lld is imported "
		    "history, not an order from mail", id);
	if (ctx->version != 0 && ctx->version != o->version) {
		op_stale(st, ctx->order_id, ctx->version, o->version, err);
		return op_fail(st, o, err, ERR_NONE, NULL);
	}
	if (!op_status_in(o->status, allowed))
		return op_fail(st, o, err, ERR_MSG, "cannot %s MO-%lld: it is "
		    "%s", what, id, o->status);
	if ((s = store_stmt(st, SQL_SNAPSHOT, err)) == NULL)
		return op_fail(st, o, err, ERR_NONE, NULL);
	sqlite3_bind_int64(s, 1, ctx->order_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		o->before = col_dup(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		store_fail(st, err, "snapshot order");
		return op_fail(st, o, err, ERR_NONE, NULL);
	}
	return 0;
}

static int
op_audit(struct store *st, const char *operator, const char *action,
    int64_t order_id, const char *note, int64_t outbox_id,
    const char *before, const struct op_extra *x, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO audit_log (operator, action, order_id, detail)"
	    " VALUES (?1, ?2, ?3, json_object('note', ?4, 'outbox', ?5,"
	    " 'before', json(?6), 'alias', ?7, 'alias_sku', ?8,"
	    " 'alias_new', ?9, 'address', ?10, 'address_new', ?11,"
	    " 'undoes', ?12))";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, operator != NULL ? operator :
	    store_operator_login());
	store_bind_text(s, 2, action);
	if (order_id > 0)
		sqlite3_bind_int64(s, 3, order_id);
	store_bind_text(s, 4, note);
	if (outbox_id > 0)
		sqlite3_bind_int64(s, 5, outbox_id);
	store_bind_text(s, 6, before);
	if (x != NULL) {
		store_bind_text(s, 7, x->alias);
		store_bind_text(s, 8, x->alias_sku);
		sqlite3_bind_int(s, 9, x->alias_new);
		store_bind_text(s, 10, x->addr);
		sqlite3_bind_int(s, 11, x->addr_new);
		if (x->undoes > 0)
			sqlite3_bind_int64(s, 12, x->undoes);
	}
	return store_step_done(st, s, err, "write audit log");
}

/* The webhook event of an action, after its version bump; assign and
 * undo post none. */
static int
op_webhook(struct store *st, int64_t id, enum store_operator_action action,
    struct err *err)
{
	switch (action) {
	case STORE_OPERATOR_APPROVE:
		return store_webhook_queue(st, id, STORE_WEBHOOK_APPROVED, err);
	case STORE_OPERATOR_EDIT:
		return store_webhook_queue(st, id, STORE_WEBHOOK_EDITED, err);
	case STORE_OPERATOR_SHIP:
		return store_webhook_queue(st, id, STORE_WEBHOOK_SHIPPED, err);
	case STORE_OPERATOR_REJECT:
		return store_webhook_queue(st, id, STORE_WEBHOOK_REJECTED, err);
	default:
		return 0;
	}
}

/*
 * Queue the reply (when wanted), set the new status (NULL: keep), bump
 * the version, write the audit row and commit.  Consumes o.
 */
static int
op_finish(struct store *st, const struct store_operator_ctx *ctx,
    enum store_operator_action action, const char *name,
    const char *new_status, const char *note, const struct op_extra *x,
    struct op_order *o, struct err *err)
{
	static const char sql[] =
	    "UPDATE orders SET status = coalesce(?2, status),"
	    " version = version + 1,"
	    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
	    " WHERE id = ?1";
	sqlite3_stmt *s;
	int64_t outbox = 0;

	/* Edits, assignments and undo send nothing. */
	if (ctx->reply != NULL && (action == STORE_OPERATOR_APPROVE ||
	    action == STORE_OPERATOR_ASK || action == STORE_OPERATOR_REJECT ||
	    action == STORE_OPERATOR_SHIP) &&
	    ctx->reply(ctx->reply_arg, st, ctx->order_id, action, &outbox,
	    err) == -1)
		return op_fail(st, o, err, ERR_NONE, NULL);
	if ((s = store_stmt(st, sql, err)) == NULL)
		return op_fail(st, o, err, ERR_NONE, NULL);
	sqlite3_bind_int64(s, 1, ctx->order_id);
	store_bind_text(s, 2, new_status);
	if (store_step_done(st, s, err, "update order") == -1 ||
	    op_webhook(st, ctx->order_id, action, err) == -1 ||
	    op_audit(st, ctx->operator, name, ctx->order_id, note, outbox,
	    o->before, x, err) == -1 ||
	    store_commit(st, err) == -1)
		return op_fail(st, o, err, ERR_NONE, NULL);
	op_order_release(o);
	return 0;
}

/* Mark flags of the order resolved; code and line may be NULL/0 for any. */
static int
op_flags_resolve(struct store *st, int64_t id, const char *code, int line,
    struct err *err)
{
	static const char sql[] =
	    "UPDATE flags SET resolved = 1 WHERE order_id = ?1"
	    " AND (?2 IS NULL OR code = ?2) AND (?3 = 0 OR line_no = ?3)";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, code);
	sqlite3_bind_int(s, 3, line);
	return store_step_done(st, s, err, "resolve flags");
}

int
store_operator_approve(struct store *st, const struct store_operator_ctx *ctx,
    struct err *err)
{
	static const char sql[] =
	    "SELECT count(*), count(sku), (SELECT min(line_no) FROM"
	    " order_lines WHERE order_id = ?1 AND sku IS NULL)"
	    " FROM order_lines WHERE order_id = ?1";
	struct op_order o;
	sqlite3_stmt *s;
	long long id = (long long)ctx->order_id;
	int n = 0, nsku = 0, first = 0;

	if (op_open(st, ctx, OP_OPEN, "approve", &o, err) == -1)
		return -1;
	if (o.customer_id == NULL)
		return op_fail(st, &o, err, ERR_MSG, "cannot approve MO-%lld: "
		    "the sender is no known customer; assign it first", id);
	if ((s = store_stmt(st, sql, err)) == NULL)
		return op_fail(st, &o, err, ERR_NONE, NULL);
	sqlite3_bind_int64(s, 1, ctx->order_id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		n = sqlite3_column_int(s, 0);
		nsku = sqlite3_column_int(s, 1);
		first = sqlite3_column_int(s, 2);
	}
	sqlite3_reset(s);
	if (n == 0)
		return op_fail(st, &o, err, ERR_MSG, "cannot approve MO-%lld: "
		    "it has no lines; add one or reject it", id);
	if (nsku < n)
		return op_fail(st, &o, err, ERR_MSG, "cannot approve MO-%lld: "
		    "line %d has no product; choose one first", id, first);
	if (op_flags_resolve(st, ctx->order_id, NULL, 0, err) == -1)
		return op_fail(st, &o, err, ERR_NONE, NULL);
	return op_finish(st, ctx, STORE_OPERATOR_APPROVE, "approve",
	    "accepted", "approved", NULL, &o, err);
}

static int
op_line_get(struct store *st, int64_t id, int line, struct err *err)
{
	static const char sql[] =
	    "SELECT 1 FROM order_lines WHERE order_id = ?1 AND line_no = ?2";
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, line);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, err, "read order line");
}

/* Learn alias for the order's customer, noting whether it is new. */
static int
op_learn(struct store *st, const char *customer_id, const char *words,
    const char *sku, struct op_extra *x, char **norm_r, struct err *err)
{
	static const char sql[] =
	    "SELECT 1 FROM product_aliases WHERE alias = ?1"
	    " AND customer_id = ?2 AND sku = ?3";
	sqlite3_stmt *s;
	char *norm;
	int rc;

	*norm_r = NULL;
	norm = store_alias_normalise(words);
	if (*norm == '\0') {	/* nothing to learn from */
		free(norm);
		return 0;
	}
	if ((s = store_stmt(st, sql, err)) == NULL) {
		free(norm);
		return -1;
	}
	store_bind_text(s, 1, norm);
	store_bind_text(s, 2, customer_id);
	store_bind_text(s, 3, sku);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(norm);
		return store_fail(st, err, "look up alias");
	}
	if (store_alias_learn(st, norm, sku, customer_id, err) == -1) {
		free(norm);
		return -1;
	}
	x->alias = norm;
	x->alias_sku = sku;
	x->alias_new = rc == SQLITE_DONE;
	*norm_r = norm;
	return 0;
}

static int
op_edit_set(struct store *st, const struct store_operator_ctx *ctx,
    const struct op_order *o, const struct store_operator_edit *e,
    struct op_extra *x, char **norm_r, struct err *err)
{
	static const char sql[] =
	    "UPDATE order_lines SET sku = coalesce(?3, sku),"
	    " quantity = CASE WHEN ?4 > 0 THEN ?4 ELSE quantity END,"
	    " unit = CASE WHEN ?3 IS NULL THEN unit ELSE"
	    "  coalesce((SELECT unit FROM products WHERE sku = ?3), unit) END"
	    " WHERE order_id = ?1 AND line_no = ?2";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ctx->order_id);
	sqlite3_bind_int(s, 2, e->line);
	store_bind_text(s, 3, e->sku);
	store_bind_qty(s, 4, e->quantity);
	if (store_step_done(st, s, err, "update order line") == -1)
		return -1;
	if (e->sku != NULL && (op_flags_resolve(st, ctx->order_id,
	    "unknown_product", e->line, err) == -1))
		return -1;
	if (op_flags_resolve(st, ctx->order_id, "unusual_quantity", e->line,
	    err) == -1)
		return -1;
	if (e->sku != NULL && e->alias != NULL && o->customer_id != NULL)
		return op_learn(st, o->customer_id, e->alias, e->sku, x,
		    norm_r, err);
	return 0;
}

static int
op_edit_add(struct store *st, const struct store_operator_ctx *ctx,
    const struct op_order *o, const struct store_operator_edit *e,
    int *line_r, struct err *err)
{
	static const char sql_no[] =
	    "SELECT coalesce(max(line_no), 0) + 1 FROM order_lines"
	    " WHERE order_id = ?1";
	static const char sql_add[] =
	    "INSERT INTO order_lines (order_id, line_no, sku, quantity, unit,"
	    " text, rule) VALUES (?1, ?2, ?3, ?4,"
	    " (SELECT unit FROM products WHERE sku = ?3), NULL, 'operator')";
	static const char sql_ref[] =
	    "UPDATE flags SET resolved = 1 WHERE order_id = ?1"
	    " AND code = 'history_reference' AND NOT resolved"
	    " AND id IN (SELECT flag_id FROM flag_candidates WHERE sku = ?2)";
	sqlite3_stmt *s;
	double qty = e->quantity;
	int line = 0;

	if (qty <= 0 && o->customer_id != NULL &&
	    store_operator_last_quantity(st, o->customer_id, e->sku, &qty,
	    err) == -1)
		return -1;
	if (qty <= 0)
		qty = 1;
	if ((s = store_stmt(st, sql_no, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ctx->order_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		line = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	if (line == 0)
		return store_fail(st, err, "number new line");
	if ((s = store_stmt(st, sql_add, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ctx->order_id);
	sqlite3_bind_int(s, 2, line);
	store_bind_text(s, 3, e->sku);
	store_bind_qty(s, 4, qty);
	if (store_step_done(st, s, err, "add order line") == -1)
		return -1;
	if ((s = store_stmt(st, sql_ref, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ctx->order_id);
	store_bind_text(s, 2, e->sku);
	if (store_step_done(st, s, err, "resolve reference") == -1)
		return -1;
	*line_r = line;
	return 0;
}

int
store_operator_edit(struct store *st, const struct store_operator_ctx *ctx,
    const struct store_operator_edit *e, int *line_r, struct err *err)
{
	static const char sql_del[] =
	    "DELETE FROM order_lines WHERE order_id = ?1 AND line_no = ?2";
	struct op_extra x;
	struct op_order o;
	sqlite3_stmt *s;
	long long id = (long long)ctx->order_id;
	char note[256], qbuf[QTY_FMT_MAX], *norm = NULL;
	int line = e->line, rc;

	memset(&x, 0, sizeof(x));
	if (e->quantity < 0 || e->quantity > QTY_MAX)
		return err_set(err, ERR_MSG, "quantity %s is out of range "
		    "(0-%.0f)", qty_format(e->quantity, qbuf), QTY_MAX);
	if (e->op == STORE_OPERATOR_LINE_ADD && e->sku == NULL)
		return err_set(err, ERR_MSG, "a new line needs a product");
	if (e->op == STORE_OPERATOR_LINE_SET && e->sku == NULL &&
	    e->quantity == 0)
		return err_set(err, ERR_MSG, "nothing to change on line %d",
		    e->line);
	if (op_open(st, ctx, OP_OPEN, "edit", &o, err) == -1)
		return -1;
	if (e->sku != NULL) {
		if ((rc = store_product_exists(st, e->sku, err)) == -1)
			return op_fail(st, &o, err, ERR_NONE, NULL);
		if (rc == 0)
			return op_fail(st, &o, err, ERR_MSG, "no product '%s' "
			    "in the catalog", e->sku);
	}
	if (e->op != STORE_OPERATOR_LINE_ADD) {
		if ((rc = op_line_get(st, ctx->order_id, e->line, err)) == -1)
			return op_fail(st, &o, err, ERR_NONE, NULL);
		if (rc == 0)
			return op_fail(st, &o, err, ERR_MSG, "MO-%lld has no "
			    "line %d", id, e->line);
	}
	switch (e->op) {
	case STORE_OPERATOR_LINE_SET:
		rc = op_edit_set(st, ctx, &o, e, &x, &norm, err);
		snprintf(note, sizeof(note), "line %d:%s%s%s%s%s%s%s", line,
		    e->sku ? " sku " : "", e->sku ? e->sku : "",
		    e->quantity ? " quantity " : "",
		    e->quantity ? qty_format(e->quantity, qbuf) : "",
		    norm ? " (learned '" : "", norm ? norm : "",
		    norm ? "')" : "");
		break;
	case STORE_OPERATOR_LINE_DELETE:
		if ((s = store_stmt(st, sql_del, err)) == NULL) {
			rc = -1;
			break;
		}
		sqlite3_bind_int64(s, 1, ctx->order_id);
		sqlite3_bind_int(s, 2, e->line);
		rc = store_step_done(st, s, err, "delete order line");
		if (rc == 0)
			rc = op_flags_resolve(st, ctx->order_id, NULL, e->line,
			    err);
		snprintf(note, sizeof(note), "line %d deleted", line);
		break;
	default:
		rc = op_edit_add(st, ctx, &o, e, &line, err);
		snprintf(note, sizeof(note), "line %d added: %s", line,
		    e->sku);
		break;
	}
	if (rc == -1) {
		free(norm);
		return op_fail(st, &o, err, ERR_NONE, NULL);
	}
	rc = op_finish(st, ctx, STORE_OPERATOR_EDIT, "edit", NULL, note, &x,
	    &o, err);
	free(norm);
	if (rc == 0 && line_r != NULL)
		*line_r = line;
	return rc;
}

int
store_operator_ask(struct store *st, const struct store_operator_ctx *ctx,
    const char *text, struct err *err)
{
	struct op_order o;

	if (text == NULL || *text == '\0')
		return err_set(err, ERR_MSG, "the question is empty");
	if (op_open(st, ctx, OP_OPEN, "ask about", &o, err) == -1)
		return -1;
	return op_finish(st, ctx, STORE_OPERATOR_ASK, "ask", NULL, text,
	    NULL, &o, err);
}

int
store_operator_reject(struct store *st, const struct store_operator_ctx *ctx,
    const char *reason, struct err *err)
{
	struct op_order o;

	if (reason == NULL || *reason == '\0')
		return err_set(err, ERR_MSG, "a rejection needs a reason");
	if (op_open(st, ctx, OP_OPEN, "reject", &o, err) == -1)
		return -1;
	if (op_flags_resolve(st, ctx->order_id, NULL, 0, err) == -1)
		return op_fail(st, &o, err, ERR_NONE, NULL);
	return op_finish(st, ctx, STORE_OPERATOR_REJECT, "reject", "rejected",
	    reason, NULL, &o, err);
}

int
store_operator_ship(struct store *st, const struct store_operator_ctx *ctx,
    const char *carrier, const char *tracking, struct err *err)
{
	struct op_order o;
	char note[256];

	if (carrier == NULL || *carrier == '\0' || tracking == NULL ||
	    *tracking == '\0')
		return err_set(err, ERR_MSG, "shipping needs a carrier and a "
		    "tracking number");
	if (op_open(st, ctx, OP_ACCEPTED, "ship", &o, err) == -1)
		return -1;
	snprintf(note, sizeof(note), "%s %s", carrier, tracking);
	return op_finish(st, ctx, STORE_OPERATOR_SHIP, "ship", "shipped",
	    note, NULL, &o, err);
}

/*
 * Make sure customer_id exists (creating it when name is given) and
 * remember addr as theirs.  *new_r: the address was not theirs before.
 */
static int
op_address_put(struct store *st, const char *addr, const char *customer_id,
    const char *name, int *new_r, struct err *err)
{
	static const char sql[] =
	    "SELECT 1 FROM customer_addresses WHERE address = lower(?1)"
	    " AND customer_id = ?2";
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_customer_exists(st, customer_id, err)) == -1)
		return -1;
	if (rc == 0 && name == NULL)
		return err_set(err, ERR_MSG, "no customer '%s' (give a name "
		    "to create one)", customer_id);
	if (rc == 0 && store_customer_upsert(st, customer_id, name, err) == -1)
		return -1;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, addr);
	store_bind_text(s, 2, customer_id);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "look up address");
	*new_r = rc == SQLITE_DONE;
	return store_customer_assign(st, addr, customer_id, err);
}

/* Within the open transaction: the order is customer_id's now. */
static int
op_order_assign(struct store *st, int64_t id, const char *customer_id,
    struct err *err)
{
	static const char sql[] =
	    "UPDATE orders SET customer_id = ?2 WHERE id = ?1";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, customer_id);
	if (store_step_done(st, s, err, "assign order") == -1)
		return -1;
	return op_flags_resolve(st, id, "unknown_sender", 0, err);
}

int
store_operator_assign(struct store *st, const struct store_operator_ctx *ctx,
    const char *addr, const char *customer_id, const char *name,
    struct err *err)
{
	struct op_extra x;
	struct op_order o;
	char note[256], cid[STORE_CUSTOMER_ID_MAX];

	memset(&x, 0, sizeof(x));
	/* As the operator typed it: "acme" is ACME. */
	if (store_customer_lookup(st, customer_id, cid, sizeof(cid),
	    err) == -1)
		return -1;
	customer_id = cid;
	if (op_open(st, ctx, OP_OPEN, "assign", &o, err) == -1)
		return -1;
	if (addr == NULL)
		addr = o.from_addr;
	if (addr == NULL)
		return op_fail(st, &o, err, ERR_MSG, "MO-%lld has no sender "
		    "address", (long long)ctx->order_id);
	if (op_address_put(st, addr, customer_id, name, &x.addr_new,
	    err) == -1 ||
	    op_order_assign(st, ctx->order_id, customer_id, err) == -1)
		return op_fail(st, &o, err, ERR_NONE, NULL);
	x.addr = addr;
	snprintf(note, sizeof(note), "%s is %s", addr, customer_id);
	/* x.addr points into o, which op_finish releases after the audit. */
	return op_finish(st, ctx, STORE_OPERATOR_ASSIGN, "assign", NULL, note,
	    &x, &o, err);
}

int
store_operator_assign_address(struct store *st, const char *operator,
    const char *addr, const char *customer_id, const char *name,
    int *norders_r, struct err *err)
{
	static const char sql[] =
	    "SELECT o.id FROM orders o JOIN messages m ON m.id = o.message_id"
	    " WHERE o.customer_id IS NULL AND o.status IN ('flagged','ignored')"
	    " AND lower(m.from_addr) = lower(?1) ORDER BY o.id";
	struct store_operator_ctx ctx;
	struct op_extra x;
	struct op_order o;
	sqlite3_stmt *s;
	int64_t *ids = NULL;
	size_t n = 0, i;
	char note[256], cid[STORE_CUSTOMER_ID_MAX];
	int rc;

	*norders_r = 0;
	if (strchr(addr, '@') == NULL)
		return err_set(err, ERR_MSG, "'%s' is not an email address "
		    "(user@domain or @domain)", addr);
	if (store_customer_lookup(st, customer_id, cid, sizeof(cid),
	    err) == -1)
		return -1;
	customer_id = cid;
	memset(&x, 0, sizeof(x));
	memset(&o, 0, sizeof(o));
	if (store_begin(st, err) == -1)
		return -1;
	if (op_address_put(st, addr, customer_id, name, &x.addr_new,
	    err) == -1)
		return op_fail(st, NULL, err, ERR_NONE, NULL);
	x.addr = addr;
	snprintf(note, sizeof(note), "%s is %s", addr, customer_id);
	if ((s = store_stmt(st, sql, err)) == NULL)
		return op_fail(st, NULL, err, ERR_NONE, NULL);
	store_bind_text(s, 1, addr);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(ids);
		store_fail(st, err, "find orders");
		return op_fail(st, NULL, err, ERR_NONE, NULL);
	}
	/* The address row itself, for orders yet to come. */
	if (n == 0 && op_audit(st, operator, "assign", 0, note, 0, NULL, &x,
	    err) == -1) {
		free(ids);
		return op_fail(st, NULL, err, ERR_NONE, NULL);
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.operator = operator;
	for (i = 0; i < n; i++) {
		static const char sql_snap_v[] =
		    "UPDATE orders SET version = version + 1 WHERE id = ?1";

		ctx.order_id = ids[i];
		if ((s = store_stmt(st, SQL_SNAPSHOT, err)) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, ids[i]);
		rc = sqlite3_step(s);
		free(o.before);
		o.before = rc == SQLITE_ROW ? col_dup(s, 0) : NULL;
		sqlite3_reset(s);
		if (rc != SQLITE_ROW) {
			store_fail(st, err, "snapshot order");
			goto fail;
		}
		if (op_order_assign(st, ids[i], customer_id, err) == -1 ||
		    (s = store_stmt(st, sql_snap_v, err)) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, ids[i]);
		if (store_step_done(st, s, err, "update order") == -1 ||
		    op_audit(st, operator, "assign", ids[i], note, 0, o.before,
		    &x, err) == -1)
			goto fail;
		x.addr_new = 0;	/* only the first undo forgets the address */
	}
	free(ids);
	free(o.before);
	if (store_commit(st, err) == -1)
		return op_fail(st, NULL, err, ERR_NONE, NULL);
	*norders_r = (int)n;
	return 0;
fail:
	free(ids);
	return op_fail(st, &o, err, ERR_NONE, NULL);
}

/*
 * Undo: the newest audit row of the order that is not an undo and not
 * undone yet.
 */
static const char SQL_LAST[] =
	"SELECT a.id, a.action, json_extract(a.detail, '$.outbox'),"
	" json_extract(a.detail, '$.before'),"
	" json_extract(a.detail, '$.alias'),"
	" json_extract(a.detail, '$.alias_sku'),"
	" json_extract(a.detail, '$.alias_new'),"
	" json_extract(a.detail, '$.address'),"
	" json_extract(a.detail, '$.address_new')"
	" FROM audit_log a WHERE a.order_id = ?1 AND a.action <> 'undo'"
	" AND NOT EXISTS (SELECT 1 FROM audit_log u WHERE u.order_id = ?1"
	"  AND u.action = 'undo'"
	"  AND json_extract(u.detail, '$.undoes') = a.id)"
	" ORDER BY a.id DESC LIMIT 1";

static const char *const op_action_names[] = {
	"approve", "edit", "ask", "reject", "assign", "ship",
};

static int
op_restore(struct store *st, int64_t id, const char *before,
    struct err *err)
{
	static const char sql_order[] =
	    "UPDATE orders SET status = json_extract(?2, '$.status'),"
	    " customer_id = json_extract(?2, '$.customer') WHERE id = ?1";
	static const char sql_del[] =
	    "DELETE FROM order_lines WHERE order_id = ?1";
	static const char sql_lines[] =
	    "INSERT INTO order_lines (order_id, line_no, sku, quantity, unit,"
	    " text, rule) SELECT ?1, json_extract(value, '$.n'),"
	    " json_extract(value, '$.sku'), json_extract(value, '$.q'),"
	    " json_extract(value, '$.unit'), json_extract(value, '$.text'),"
	    " json_extract(value, '$.rule') FROM json_each(?2, '$.lines')";
	static const char sql_flags[] =
	    "UPDATE flags SET resolved = coalesce((SELECT"
	    " json_extract(value, '$.r') FROM json_each(?2, '$.flags')"
	    " WHERE json_extract(value, '$.id') = flags.id), resolved)"
	    " WHERE order_id = ?1";
	const char *sqls[] = { sql_order, sql_del, sql_lines, sql_flags };
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++) {
		if ((s = store_stmt(st, sqls[i], err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		if (i != 1)
			store_bind_text(s, 2, before);
		if (store_step_done(st, s, err, "restore order") == -1)
			return -1;
	}
	return 0;
}

static int
op_forget(struct store *st, const char *alias, const char *sku,
    const char *customer_id, const char *addr, struct err *err)
{
	static const char sql_alias[] =
	    "DELETE FROM product_aliases WHERE alias = ?1 AND sku = ?2"
	    " AND customer_id = ?3 AND source = 'operator'";
	static const char sql_addr[] =
	    "DELETE FROM customer_addresses WHERE address = lower(?1)"
	    " AND source = 'operator'";
	sqlite3_stmt *s;

	if (alias != NULL && sku != NULL && customer_id != NULL) {
		if ((s = store_stmt(st, sql_alias, err)) == NULL)
			return -1;
		store_bind_text(s, 1, alias);
		store_bind_text(s, 2, sku);
		store_bind_text(s, 3, customer_id);
		if (store_step_done(st, s, err, "forget alias") == -1)
			return -1;
	}
	if (addr != NULL) {
		if ((s = store_stmt(st, sql_addr, err)) == NULL)
			return -1;
		store_bind_text(s, 1, addr);
		if (store_step_done(st, s, err, "forget address") == -1)
			return -1;
	}
	return 0;
}

int
store_operator_undo(struct store *st, const struct store_operator_ctx *ctx,
    const char **action_r, struct err *err)
{
	static const char sql_cancel[] =
	    "UPDATE outbox SET state = 'cancelled' WHERE id = ?1"
	    " AND state = 'queued'";
	struct store_operator_ctx uctx = *ctx;
	struct op_extra x;
	struct op_order o;
	sqlite3_stmt *s;
	long long id = (long long)ctx->order_id;
	char *action = NULL, *before = NULL, *alias = NULL, *sku = NULL;
	char *addr = NULL, note[64];
	const char *name = NULL;
	int64_t audit_id = 0, outbox = 0;
	int rc, alias_new = 0, addr_new = 0;
	size_t i;

	memset(&x, 0, sizeof(x));
	if (op_open(st, ctx, OP_ANY, "undo", &o, err) == -1)
		return -1;
	if ((s = store_stmt(st, SQL_LAST, err)) == NULL)
		return op_fail(st, &o, err, ERR_NONE, NULL);
	sqlite3_bind_int64(s, 1, ctx->order_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		audit_id = sqlite3_column_int64(s, 0);
		action = col_dup(s, 1);
		outbox = sqlite3_column_int64(s, 2);
		before = col_dup(s, 3);
		alias = col_dup(s, 4);
		sku = col_dup(s, 5);
		alias_new = sqlite3_column_int(s, 6);
		addr = col_dup(s, 7);
		addr_new = sqlite3_column_int(s, 8);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "read audit log");
		goto fail;
	}
	if (rc == SQLITE_DONE || before == NULL) {
		err_set(err, ERR_MSG, "nothing to undo on MO-%lld", id);
		goto fail;
	}
	for (i = 0; i < sizeof(op_action_names) / sizeof(*op_action_names);
	    i++)
		if (strcmp(op_action_names[i], action) == 0)
			name = op_action_names[i];
	if (outbox > 0) {
		if ((s = store_stmt(st, sql_cancel, err)) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, outbox);
		if (store_step_done(st, s, err, "cancel reply") == -1)
			goto fail;
		if (sqlite3_changes(st->db) == 0) {
			err_set(err, ERR_MSG, "cannot undo the %s of MO-%lld: "
			    "its reply is no longer waiting in the outbox",
			    action, id);
			goto fail;
		}
	}
	if (op_restore(st, ctx->order_id, before, err) == -1 ||
	    op_forget(st, alias_new ? alias : NULL, sku, o.customer_id,
	    addr_new ? addr : NULL, err) == -1)
		goto fail;
	x.undoes = audit_id;
	snprintf(note, sizeof(note), "undo %s", action);
	uctx.reply = NULL;
	rc = op_finish(st, &uctx, STORE_OPERATOR_UNDO, "undo", NULL, note, &x,
	    &o, err);
	if (rc == 0 && action_r != NULL)
		*action_r = name != NULL ? name : "action";
	free(action);
	free(before);
	free(alias);
	free(sku);
	free(addr);
	return rc;
fail:
	free(action);
	free(before);
	free(alias);
	free(sku);
	free(addr);
	return op_fail(st, &o, err, ERR_NONE, NULL);
}

int
store_operator_history(struct store *st, const char *customer_id, int limit,
    store_operator_history_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT o.ref, o.order_date, o.status, (SELECT group_concat("
	    "  l.quantity || ' ' || coalesce(l.sku, '?'), ', ')"
	    "  FROM (SELECT * FROM order_lines WHERE order_id = o.id"
	    "  ORDER BY line_no) l)"
	    " FROM orders o WHERE o.customer_id = ?1"
	    " AND o.status IN ('imported', 'accepted', 'shipped')"
	    " ORDER BY o.order_date DESC, o.id DESC"
	    " LIMIT CASE WHEN ?2 > 0 THEN ?2 ELSE -1 END";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, customer_id);
	sqlite3_bind_int(s, 2, limit);
	return store_rows4(st, s, cb, arg, "read history", err);
}

int
store_operator_audit(struct store *st, int64_t order_id,
    store_operator_audit_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT at, operator, action, json_extract(detail, '$.note')"
	    " FROM audit_log WHERE order_id = ?1 ORDER BY id";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, order_id);
	return store_rows4(st, s, cb, arg, "read audit log", err);
}

int
store_operator_products_search(struct store *st, const char *words,
    int limit, store_operator_product_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT sku, name, unit FROM products WHERE active"
	    " AND (instr(lower(sku), lower(?1)) OR instr(lower(name), lower(?1))"
	    "  OR EXISTS (SELECT 1 FROM product_aliases a WHERE a.sku ="
	    "  products.sku AND a.customer_id = '' AND"
	    "  instr(a.alias, lower(?1))))"
	    " ORDER BY sku LIMIT ?2";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, words != NULL ? words : "");
	sqlite3_bind_int(s, 2, limit > 0 ? limit : 1000);
	return store_rows3(st, s, cb, arg, "search products", err);
}

int
store_operator_last_quantity(struct store *st, const char *customer_id,
    const char *sku, double *quantity_r, struct err *err)
{
	static const char sql[] =
	    "SELECT l.quantity FROM order_lines l JOIN orders o"
	    " ON o.id = l.order_id WHERE o.customer_id = ?1 AND l.sku = ?2"
	    " AND o.status IN ('imported', 'accepted', 'shipped')"
	    " ORDER BY o.order_date DESC, o.id DESC LIMIT 1";
	sqlite3_stmt *s;
	int rc;

	*quantity_r = 0;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, customer_id);
	store_bind_text(s, 2, sku);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*quantity_r = sqlite3_column_double(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read history");
	return 0;
}

int
store_operator_data_version(struct store *st, int64_t *version_r,
    struct err *err)
{
	return store_data_version(st, version_r, err);
}
