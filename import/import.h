/*
 * Importing the shop's existing data from CSV: the catalog, the customers
 * and their addresses, and past orders.  Each import is all or nothing:
 * one transaction, and the first bad row aborts it with a
 * "FILE:LINE: reason" error and leaves the database as it was.
 * Re-importing a file is harmless: rows are upserted, never doubled, and
 * a row already as the file has it is not touched at all.
 *
 * Columns (header names, any order, extra columns ignored):
 *   catalog:   sku, name, [unit], [aliases]   aliases ';'-separated
 *   customers: id, name, emails               emails ';'-separated,
 *                                             "@domain" = whole domain
 *   history:   order_ref, customer_id, date, sku, quantity
 *              one row per order line, date YYYY-MM-DD, quantity > 0
 */
#ifndef MO_IMPORT_H
#define MO_IMPORT_H

#include "common/error.h"
#include "store/store.h"

/* Largest quantity accepted on a history line; anything bigger is a typo
 * or a unit mix-up rather than an order. */

struct import_stats {
	long	rows;		/* data rows read */
	long	added;		/* products, customers or orders new to the db */
	long	updated;	/* ones that existed and differed */
	long	unchanged;	/* ones that existed as the file has them */
	long	extra;		/* aliases, addresses or order lines in the file
				   (aliases equal once normalised count twice) */
};

/* Import path into the store.  Returns 0 and fills *stats (may be NULL),
 * or -1 and err, with nothing imported:
 *   ERR_INPUT   bad data: err->msg is "FILE:LINE: reason", FILE as given;
 *   ERR_CONFIG  the file cannot be opened or read;
 *   ERR_TEMP    the database is locked by someone else;
 *   ERR_FATAL   anything else. */
int	import_catalog(struct store *, const char *path,
	    struct import_stats *, struct err *);
int	import_customers(struct store *, const char *path,
	    struct import_stats *, struct err *);
int	import_history(struct store *, const char *path,
	    struct import_stats *, struct err *);

/* 1 when s is a real calendar date written YYYY-MM-DD, else 0. */
int	import_date_valid(const char *s);

#endif
