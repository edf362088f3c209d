/*
 * Internals shared by the files of engine/.
 */
#ifndef MO_ENGINE_INT_H
#define MO_ENGINE_INT_H

#include <time.h>

#include "engine/engine.h"

struct catalog;
struct ruleset;

#include <stdint.h>

#include "resolve/history.h"
#include "store/history.h"

/* Recently used customers' histories: reading one costs a join over
 * the customer's orders, lines and products (about a third of the
 * worker's time per message before it was cached across batches), and
 * the same customers write again and again.  Kept current when this
 * engine stores an order (engine_note_order), dropped wholesale when
 * the store's history version moves for any other reason. */
#define ENGINE_HISTORY_CACHE 256

#define ENGINE_MAX_LINES	500
#define ENGINE_MAX_FLAGS	500
#define ENGINE_MAX_CANDIDATES	5	/* products a line could be */
#define ENGINE_MAX_REFERENCED	30	/* lines of an order referred to */

struct engine_hcache {
	char		*customer;	/* NULL: free slot */
	struct history	 h;
	uint64_t	 used;
};

struct strmap;

/* What the whole shop takes of a SKU (store_history_sku_range). */
struct engine_sku_range {
	long		 lines;		/* counted up to min_history_orders */
	double		 max;
};

struct engine {
	struct store		*store;
	const struct ruleset	*rules;
	struct catalog		*catalog;
	struct engine_policy	 policy;
	struct engine_hcache	 hcache[ENGINE_HISTORY_CACHE];
	uint64_t		 hclock;
	/* SKU -> struct engine_sku_range, kept as the histories are (and
	 * flushed with them); NULL until the first lookup. */
	struct strmap		*sku_ranges;
	int64_t			 history_version;
	struct store_history_cut cut;		/* before_msg 0: none */
	char			 cut_date[11];
};

/* The history of customer (borrowed until the next call), from the
 * cache or the store; NULL with err on a store error. */
const struct history *engine_history(struct engine *, const char *customer,
		    struct err *);

/* What the whole shop takes of sku (borrowed until the next flush), from
 * the cache or the store; NULL with err on a store error. */
const struct engine_sku_range *engine_sku_range(struct engine *,
		    const char *sku, struct err *);

/* Why m is automatic mail, or NULL when a person wrote it. */
const char	*engine_automatic_reason(const struct parsed_msg *,
		    const struct ruleset *);

/* An attached CSV order sheet as tab-separated text for the rules'
 * table reader (malloc'd; NULL when it is no readable CSV). */
char		*engine_sheet_text(const struct parser_sheet *, size_t *len_r);

/* Read the cleaned text and the sheets of r into lines, references,
 * unread spans and fields, resolve every line against the catalog and
 * the customer's history h, and raise the flags.  Returns 0, or -1 with
 * err (a rule failure). */
int		 engine_read(struct engine *, struct engine_result *,
		    const struct history *h, time_t now, struct err *);

/* Flag r sender_unverified when the topmost Authentication-Results of a
 * trusted server (raw's header) says its From: domain failed. */
void		 engine_sender_auth(const struct engine *, const char *raw,
		    size_t len, struct engine_result *r);

/* For a sender no customer owns: flag r lookalike_sender, naming the
 * customer, when its domain is a near miss of a customer's.  Returns 1
 * when flagged, 0 when not, -1 with err on a store error. */
int		 engine_sender_lookalike(struct engine *, struct engine_result *r,
		    struct err *);

/* Append a line / a flag to a result; strings are copied. */
struct engine_line *engine_line_add(struct engine_result *);
struct engine_flag *engine_flag_add(struct engine_result *, const char *code,
		    int line, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
void		 engine_flag_candidate(struct engine_flag *, const char *sku,
		    double score);

/* Flag line i of r "unavailable" when its product is out of stock or
 * discontinued, with the nearest available products (engine/stock.c). */
void		 engine_check_stock(struct engine *, struct engine_result *,
		    size_t i);


#endif
