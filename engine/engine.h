/*
 * engine/: one raw email in, one decided order out.  Glue over parser/
 * (MIME -> clean text), rules/ (text -> lines, references, fields) and
 * resolve/ (lines -> SKUs, references -> history candidates), plus the
 * decision: accepted, flagged for a person, or ignored as automatic mail.
 *
 * The engine reads the store (catalog, customers, history) and never
 * writes it.
 */
#ifndef MO_ENGINE_H
#define MO_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/error.h"
#include "parser/parser.h"

struct store;
struct ruleset;
struct engine;

struct engine_policy {
	double	match_threshold;	/* product match score needed (0..1) */
	double	match_margin;		/* a runner-up this close is ambiguous */
	double	unusual_factor;		/* qty > max*f or < min/f is unusual */
	int	min_history_orders;	/* orders with a SKU before judging qty */
	int	history_orders;		/* recent orders references look at */
	struct parser_limits limits;
	/* Receiving servers whose Authentication-Results are believed
	 * ([policy] trusted_authserv_id); borrowed, they must outlive the
	 * engine.  None: authenticity is not judged. */
	const char *const *trusted_ids;
	size_t	ntrusted_ids;
};

void	engine_policy_default(struct engine_policy *);

enum engine_status {
	ENGINE_ACCEPTED,
	ENGINE_FLAGGED,
	ENGINE_IGNORED,
};

struct engine_line {
	char		*sku;		/* NULL: no product found with confidence */
	double		 quantity;
	char		*unit;		/* as the customer wrote it, canonical */
	char		*text;		/* the words in the email */
	char		*item;		/* the item part of text */
	const char	*rule;		/* rule (or "sheet:FILE") that found it */
	double		 score;		/* match confidence */
	const char	*how;		/* how the SKU was found */
	char		*note;		/* why, when the text alone did not
					   settle it ("in 7 of the last 10
					   orders"), or a unit conversion */
	size_t		 off, len;	/* span in the cleaned text */
	int		 in_text;	/* off/len index the cleaned text (not
					   an attached sheet) */
};

struct engine_candidate {
	char		*sku;
	double		 score;
};

struct engine_flag {
	const char		*code;	/* history_reference, unknown_product, ... */
	char			*text;	/* what a person should look at */
	int			 line;	/* index into lines, or -1 */
	size_t			 off, len;	/* unread_text: the words in the
						   cleaned text; len 0 none */
	struct engine_candidate	*cands;
	size_t			 ncands;
};

struct engine_result {
	struct parsed_msg	 msg;
	char			*customer_id;	/* NULL: unknown sender */
	char			*customer_name;
	enum engine_status	 status;
	const char		*ignore_reason;	/* why automatic, when ignored */
	struct engine_line	*lines;
	size_t			 nlines;
	struct engine_flag	*flags;
	size_t			 nflags;
	char			*po_number;
	char			*requested_date;	/* YYYY-MM-DD */
	int			 cut;		/* lines past the engine's cap */
	const char		*no_reply;	/* why no automatic reply may go
						   out (a forged or lookalike
						   sender), or NULL */
	int			 complaint;	/* it complains
						   (rules_text_complaint): when
						   flagged, first in the queue
						   and never an order's reply */
};

/* Create an engine over an open store and loaded rules (both borrowed;
 * they must outlive the engine).  Loads the catalog index. */
struct engine	*engine_new(struct store *, const struct ruleset *,
		    const struct engine_policy *, struct err *);
void		 engine_free(struct engine *);

/* Swap in new rules (after SIGHUP) or re-read the catalog (after an
 * import or an operator's correction). */
void		 engine_set_rules(struct engine *, const struct ruleset *);
int		 engine_reload_catalog(struct engine *, struct err *);

/* Tell the engine about an order just stored through its own connection
 * (res's order, as ref, dated date), so its cached copy of the
 * customer's history stays current without a reload. */
void		 engine_note_order(struct engine *, const struct engine_result *,
		    const char *ref, const char *date);

/* Read history as the message with that store id could have known it
 * when it arrived on date (YYYY-MM-DD): only orders from earlier mail
 * and imported orders dated before it (for `mailorder replay`, so that
 * an order never answers its own "same as last time").  message_id 0
 * goes back to all of it. */
void		 engine_history_before(struct engine *, int64_t message_id,
		    const char *date);

/* Drop every cached history (after the transaction that noted orders
 * rolled back). */
void		 engine_history_flush(struct engine *);

/* Process one message.  Returns 0 with *res filled (release it with
 * engine_result_release), or -1: ERR_MSG when the message cannot be
 * read at all, ERR_TEMP/ERR_FATAL from the store. */
int		 engine_process(struct engine *, const char *raw, size_t len,
		    struct engine_result *res, struct err *);
void		 engine_result_release(struct engine_result *);

const char	*engine_status_name(enum engine_status);

/* Product name for a SKU from the engine's catalog (borrowed), or NULL. */
const char	*engine_product_name(const struct engine *, const char *sku);

/* Write the message's identity for deduplication into key (at least 72
 * bytes, up to ENGINE_IDENTITY_MAX): "mid:<Message-ID>", or
 * "sha256:<hex>" when there is no Message-ID.  Only the header is read.
 * Returns 0, or -1 when key is too small or hashing fails. */
#define ENGINE_IDENTITY_MAX 260
int		 engine_message_identity(const char *raw, size_t len,
		    char *key, size_t keylen);

/* The result as one line of JSON (the stable `parse --json` format),
 * without a trailing newline.  file may be NULL. */
int		 engine_result_json(const struct engine *,
		    const struct engine_result *, const char *file,
		    struct buf *out);

/* The result as a readable report for a person. */
int		 engine_result_report(const struct engine *,
		    const struct engine_result *, const char *file,
		    struct buf *out);

#endif
