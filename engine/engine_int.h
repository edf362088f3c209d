/*
 * Internals shared by the files of engine/.
 */
#ifndef MO_ENGINE_INT_H
#define MO_ENGINE_INT_H

#include "engine/engine.h"

struct catalog;
struct ruleset;

#include <stdint.h>

#include "resolve/history.h"

/* Recently used customers' histories: reading one costs a join over
 * the customer's orders, lines and products (about a third of the
 * worker's time per message before it was cached across batches), and
 * the same customers write again and again.  Kept current when this
 * engine stores an order (engine_note_order), dropped wholesale when
 * the store's history version moves for any other reason. */
#define ENGINE_HISTORY_CACHE 256

struct engine_hcache {
	char		*customer;	/* NULL: free slot */
	struct history	 h;
	uint64_t	 used;
};

struct engine {
	struct store		*store;
	const struct ruleset	*rules;
	struct catalog		*catalog;
	struct engine_policy	 policy;
	struct engine_hcache	 hcache[ENGINE_HISTORY_CACHE];
	uint64_t		 hclock;
	int64_t			 history_version;
};

/* The history of customer (borrowed until the next call), from the
 * cache or the store; NULL with err on a store error. */
const struct history *engine_history(struct engine *, const char *customer,
		    struct err *);

/* Why m is automatic mail, or NULL when a person wrote it. */
const char	*engine_automatic_reason(const struct parsed_msg *,
		    const struct ruleset *);

/* Append order lines read from a CSV order sheet. */
void		 engine_sheet_lines(struct engine *, const struct parser_sheet *,
		    struct engine_result *);

/* Append a line / a flag to a result; strings are copied. */
struct engine_line *engine_line_add(struct engine_result *);
struct engine_flag *engine_flag_add(struct engine_result *, const char *code,
		    int line, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
void		 engine_flag_candidate(struct engine_flag *, const char *sku,
		    double score);

/* Resolve the item text of line l to a SKU, flagging when unsure. */
void		 engine_resolve_line(struct engine *, struct engine_result *,
		    size_t l);

#endif
