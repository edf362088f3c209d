/*
 * rules/: the rule files (data, not code) and PCRE2 matching.  Turns a
 * cleaned UTF-8 text into candidate order lines, references to earlier
 * orders and fields (PO number, requested delivery date).  Knows nothing
 * about the catalog: item text stays text here; resolve/ maps it to SKUs.
 *
 * The file format is documented in rules/FORMAT.md.
 * Every pattern is compiled with PCRE2_UTF | PCRE2_UCP |
 * PCRE2_MATCH_INVALID_UTF | PCRE2_CASELESS, JIT-compiled when possible,
 * and run with match and depth limits so hostile text cannot hang the
 * engine.
 */
#ifndef MO_RULES_H
#define MO_RULES_H

#include <stddef.h>
#include <time.h>

#include "common/error.h"

struct ruleset;

/* Load rules from paths[0..n): each a file, or a directory whose *.rules
 * files are read in name order (a drop-in directory).  Later definitions
 * add to earlier ones.  A path that does not exist is skipped unless its
 * name ends in ".rules" (a drop-in directory not made yet adds nothing; a
 * missing rule file is an error).  A syntax error or a pattern PCRE2
 * refuses fails the whole load with ERR_CONFIG and "FILE:LINE: reason". */
struct ruleset	*rules_load(const char *const *paths, size_t n, struct err *);

/* The same from a buffer in memory; name is used in messages as FILE.
 * Used by the fuzzer and the tests. */
struct ruleset	*rules_load_buffer(const char *name, const char *data,
		    size_t len, struct err *);
void		 rules_free(struct ruleset *);

/* Number of rules loaded, and whether JIT is in use (it can be denied,
 * e.g. by systemd's MemoryDenyWriteExecute=). */
size_t		 rules_count(const struct ruleset *);
int		 rules_jit_active(const struct ruleset *);

struct rules_line {		/* "3 bags of house blend" */
	char		*item;		/* "house blend", trimmed */
	double		 quantity;	/* 3; words and "a dozen" converted */
	char		*unit;		/* canonical unit ("bag"), or NULL */
	char		*sku;		/* a code from a table row, or NULL */
	size_t		 off, len;	/* span in the text given to extract */
	const char	*rule;		/* rule name; borrowed from the ruleset */
};

struct rules_ref {		/* "same as last time", "that chocolate thing" */
	char		*descriptor;	/* "chocolate thing", or NULL */
	char		*period;	/* "october", "last month", or NULL */
	double		 quantity;	/* a quantity given with it, else 0 */
	size_t		 off, len;
	const char	*rule;
};

struct rules_result {
	struct rules_line	*lines;
	size_t			 nlines;
	struct rules_ref	*refs;
	size_t			 nrefs;
	char			*po_number;	/* NULL when not given */
	char			*requested_date;	/* YYYY-MM-DD, or NULL */
	char			*requested_date_text;	/* the words, or NULL */
	int			 limit_hit;	/* a match limit was reached somewhere */
	int			 truncated;	/* text or a line was cut at a cap */
};

#define RULES_LINE_MAX	4096		/* longer lines are cut here */
#define RULES_TEXT_MAX	(256 * 1024)	/* text past this is not read */
#define RULES_QUANTITY_MAX 1000000	/* larger is not an order line */

/* Run the rules over text[0..len) (UTF-8; invalid bytes are tolerated).
 * The ruleset's match data is reused, so one ruleset must not be used by
 * two threads at once.  All strings in *out are owned by *out.
 * now is the message's date, for relative dates ("next Friday", "12/3").
 * Fills *out (zeroed first).  Returns 0; -1 only on a PCRE2 failure other
 * than hitting a limit (which sets limit_hit and carries on). */
int	rules_extract(const struct ruleset *, const char *text, size_t len,
	    time_t now, struct rules_result *out, struct err *);
void	rules_result_release(struct rules_result *);

/* 1 when subject matches an "auto-subject" rule (out-of-office and
 * autoresponder subjects), else 0. */
int	rules_subject_is_automatic(const struct ruleset *, const char *subject);

/* 1 when the text matches a "not-order" rule (questions, complaints,
 * thanks with no order in them), else 0; *rule_r gets the rule name. */
int	rules_text_not_order(const struct ruleset *, const char *text,
	    size_t len, const char **rule_r);

/* Turn the date words a "date" rule captured into YYYY-MM-DD (out gets
 * 11 bytes) relative to now, in local time.  Weekdays mean the next such
 * day after now; a day and month without a year mean the next such date
 * on or after now.  Returns 0, or -1 when the parts are not a date. */
struct rules_date_parts {
	const char	*year, *month, *day;	/* NULL when not captured */
	const char	*weekday, *relative;
	const char	*first, *second;	/* "12/03": order per date-order */
};
int	rules_date_resolve(const struct ruleset *,
	    const struct rules_date_parts *, time_t now, char out[11]);

#endif
