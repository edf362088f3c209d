/*
 * The audit log: one row per operator action, with who, when, a readable
 * note and what undo needs (the order's snapshot before, the outbox row
 * it queued, the alias or address it taught).  Rows are written inside
 * the action's transaction.
 */
#ifndef MO_STORE_AUDIT_H
#define MO_STORE_AUDIT_H

#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

/* One row to write.  Borrowed; NULL and 0 fields stay NULL in the row. */
struct store_audit {
	const char	*operator;	/* login name */
	const char	*action;	/* "approve", "edit", ... "undo" */
	int64_t		 order_id;	/* 0: none (an address alone) */
	const char	*note;		/* readable: "line 1: sku HB-1KG" */
	int64_t		 outbox_id;	/* the reply it queued; 0: none */
	const char	*before;	/* JSON snapshot, store_review_snapshot */
	const char	*alias;		/* normalised alias it learned */
	const char	*alias_sku;
	int		 alias_new;	/* 1: the alias did not exist before */
	const char	*addr;		/* address it assigned */
	int		 addr_new;
	int64_t		 undoes;	/* the audit row an undo reverts */
};

int	store_audit_add(struct store *, const struct store_audit *,
	    struct err *);

/* The newest row of an order: who changed it, when, and how; 1, or 0
 * when it has none. */
struct store_audit_change {
	char	operator[64];
	char	at[32];
	char	action[16];
};
int	store_audit_latest(struct store *, int64_t order_id,
	    struct store_audit_change *, struct err *);

/* The newest action on an order that is no undo and not undone yet:
 * 1 with *u (strings malloc'd, store_audit_undo_release() frees them),
 * or 0 when there is none. */
struct store_audit_undo {
	int64_t	 id;
	char	*action;
	int64_t	 outbox_id;
	char	*before;
	char	*alias;
	char	*alias_sku;
	int	 alias_new;
	char	*addr;
	int	 addr_new;
};
int	store_audit_undoable(struct store *, int64_t order_id,
	    struct store_audit_undo *u, struct err *);
void	store_audit_undo_release(struct store_audit_undo *);

#endif
