/*
 * What `mailorder export` reads and the cursor of `export --new`; see
 * migration 7 in store/schema.c for why a run keeps its files.  Strings
 * passed to callbacks are borrowed for the call; a callback returning
 * non-zero stops the walk and its value is returned.
 */
#ifndef MO_STORE_EXPORT_H
#define MO_STORE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

struct store_export_filter {
	const char		*since, *until;	/* order_date; NULL: open */
	const char *const	*statuses;	/* NULL-terminated */
	const char		*new_for;	/* format: only orders whose
						 * version it has not had */
};

/* Orders from mail matching the filter, oldest (by id) first. */
typedef int (*store_export_order_cb)(void *arg, int64_t id, int version);
int	store_export_select(struct store *, const struct store_export_filter *,
	    store_export_order_cb, void *arg, struct err *);

/* One order's head as export writes it. */
struct store_export_head {
	int64_t		 id;
	const char	*ref, *status;
	int		 version;
	const char	*received_at;	/* the mail's arrival, ISO 8601 UTC */
	const char	*order_date;
	const char	*customer_id, *customer_name;	/* NULL: unknown */
	const char	*from_addr, *subject;
	const char	*po_number, *requested_date;
	const char	*carrier, *tracking;	/* NULL unless shipped */
};
typedef int (*store_export_head_cb)(void *arg,
	    const struct store_export_head *);
/* The carrier and tracking number of a shipped order, from the ship
 * action in force: 1 with both malloc'd, 0 when it is not shipped. */
int	store_order_shipment(struct store *, int64_t id, char **carrier_r,
	    char **tracking_r, struct err *);

/* 1 and cb called, 0 when there is no such order. */
int	store_export_head(struct store *, int64_t id, store_export_head_cb,
	    void *arg, struct err *);

/* Inside the caller's transaction: a new run of format into dir, its
 * items (order and version) and its files. */
int	store_export_run_new(struct store *, const char *format,
	    const char *dir, int64_t *run_id_r, struct err *);
int	store_export_item_add(struct store *, int64_t run_id,
	    int64_t order_id, int version, struct err *);
int	store_export_file_add(struct store *, int64_t run_id,
	    const char *name, const void *body, size_t len, struct err *);

/* The runs of format not done yet, oldest first. */
typedef int (*store_export_run_cb)(void *arg, int64_t run_id,
	    const char *dir);
int	store_export_runs_open(struct store *, const char *format,
	    store_export_run_cb, void *arg, struct err *);
/* The files of a run. */
typedef int (*store_export_file_cb)(void *arg, const char *name,
	    const void *body, size_t len);
int	store_export_run_files(struct store *, int64_t run_id,
	    store_export_file_cb, void *arg, struct err *);
/* Mark a run done and drop its files (one transaction). */
int	store_export_run_done(struct store *, int64_t run_id, struct err *);

#endif
