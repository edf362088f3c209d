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

/*
 * What the engine knows that the rules do not: which words name a
 * product.  The reader asks it about the item of every way it could read
 * a clause, and keeps the reading whose item is a product, so no single
 * pattern decides alone ("12oz cups 3" is 3 of "12oz cups", not 12 of
 * "oz cups 3").  Without a lexicon the first pattern that matches wins.
 */
struct rules_mention {
	size_t	so, eo;		/* the words naming a product, in the item */
	double	score;		/* 0: names none; RULES_SURE and up: sure */
	int	weak;		/* it rests on one word that is only part of
				   a name ("kitchen" of "kitchen roll"):
				   enough for an item, not to call stray
				   words an order */
};

#define RULES_SURE	0.9	/* a mention this good is one product */
#define RULES_HINT	0.5	/* this good: product words are there */

struct rules_lexicon {
	/* How well s[0..len) names a product; fills *m (span relative to
	 * s).  Returns m->score. */
	double	(*mention)(void *arg, const char *s, size_t len,
		    struct rules_mention *m);
	void	*arg;
};

struct rules_line {		/* "3 bags of house blend" */
	char		*item;		/* "house blend", trimmed */
	double		 quantity;	/* 3; words and "half a" converted */
	char		*unit;		/* canonical unit ("bag"), or NULL */
	char		*sku;		/* a code from a table row, or NULL */
	size_t		 off, len;	/* span in the text given to extract */
	size_t		 item_off, item_len;	/* the item's span */
	double		 mention;	/* the lexicon's score for the item */
	const char	*rule;		/* rule name; borrowed from the ruleset */
};

/* Text that was read but gave nothing, and holds something that looks
 * like part of an order: a person must see it.  The engine turns these
 * into unread_text flags, so nothing is silently dropped. */
enum {
	RULES_RESIDUE_QUANTITY = 1 << 0,	/* a number that could be one */
	RULES_RESIDUE_MENTION = 1 << 1,		/* product words */
	RULES_RESIDUE_PHRASE = 1 << 2,		/* "please send", "we need" */
	RULES_RESIDUE_QUESTION = 1 << 3,	/* a not-order sentence with */
						/* one of the above */
	RULES_RESIDUE_ROW = 1 << 4,		/* a table row not understood */
};

struct rules_residue {
	size_t		 off, len;	/* span in the text given to extract */
	int		 why;		/* RULES_RESIDUE_* */
};

struct rules_ref {		/* "same as last time", "that chocolate thing" */
	char		*descriptor;	/* "chocolate thing", or NULL */
	char		*period;	/* "october", "last month", or NULL */
	double		 quantity;	/* a quantity given with it, else 0 */
	char		*change;	/* "but double the oat milk", or NULL */
	size_t		 off, len;
	const char	*rule;
};

struct rules_result {
	struct rules_line	*lines;
	size_t			 nlines;
	struct rules_residue	*residues;
	size_t			 nresidues;
	struct rules_ref	*refs;
	size_t			 nrefs;
	char			*po_number;	/* NULL when not given */
	char			*requested_date;	/* YYYY-MM-DD, or NULL */
	char			*requested_date_text;	/* the words, or NULL */
	int			 limit_hit;	/* a match limit was reached somewhere */
	int			 truncated;	/* text or a line was cut at a cap,
						   or more lines than the cap */
};

#define RULES_LINE_MAX	4096		/* longer lines are cut here */
#define RULES_TEXT_MAX	(256 * 1024)	/* text past this is not read */
#define RULES_QUANTITY_MAX 1000000	/* larger is not an order line */
#define RULES_LINES_MAX	500		/* order lines read from one text */
#define RULES_RESIDUES_MAX 64		/* unread spans kept */

/* Run the rules over text[0..len) (UTF-8; invalid bytes are tolerated).
 * The ruleset's match data is reused, so one ruleset must not be used by
 * two threads at once.  All strings in *out are owned by *out.
 * now is the message's date, for relative dates ("next Friday", "12/3").
 * Fills *out (zeroed first).  Returns 0; -1 only on a PCRE2 failure other
 * than hitting a limit (which sets limit_hit and carries on). */
int	rules_extract(const struct ruleset *, const char *text, size_t len,
	    time_t now, const struct rules_lexicon *, struct rules_result *out,
	    struct err *);

/* Read text[0..len) as one table whose first row is its header: cells
 * are separated by tabs, rows by newlines (an attached CSV sheet).  The
 * columns get their roles from the header words the rules know (`column`
 * lines); rows append to *out, which must be initialised (zeroed or from
 * rules_extract).  Returns 0, or -1 as rules_extract. */
int	rules_extract_sheet(const struct ruleset *, const char *text,
	    size_t len, const struct rules_lexicon *, struct rules_result *out,
	    struct err *);

/*
 * Units.  The canonical name of a unit a person wrote ("bags" -> "bag"),
 * or NULL when the rules do not know it.  rules_unit_convert turns q of
 * unit from into unit to: 0 with *q_r set when they are the same unit
 * or a ratio line links them ("ratio dozen 12 each": 2 dozen = 24 each),
 * -1 when no ratio does.  rules_unit_is_measure says whether a unit
 * takes part in any ratio: such a unit cannot be taken as written for a
 * product sold in another unit ("2 kg" of something sold by the bag).
 */
const char *rules_unit_canon(const struct ruleset *, const char *word);
int	rules_unit_convert(const struct ruleset *, double q, const char *from,
	    const char *to, double *q_r);
int	rules_unit_is_measure(const struct ruleset *, const char *unit);

/* 1 when word (one word, any case) is a qualifier: a word that makes a
 * different product ("decaf", "vegan", "gluten-free"); or a unit. */
int	rules_word_is_qualifier(const struct ruleset *, const char *word,
	    size_t len);
int	rules_word_is_unit(const struct ruleset *, const char *word,
	    size_t len);
void	rules_result_release(struct rules_result *);

/* 1 when a "not-order" rule whose name begins with "complaint" matches
 * somewhere in text[0..len): the mail complains (missing, damaged, a
 * refund).  Used to put complaints first in the operator's queue. */
int	rules_text_complaint(const struct ruleset *, const char *text,
	    size_t len);

/* 1 when subject matches an "auto-subject" rule (out-of-office and
 * autoresponder subjects), else 0. */
int	rules_subject_is_automatic(const struct ruleset *, const char *subject);


/* Turn the date words a "date" rule captured into YYYY-MM-DD (out gets
 * 11 bytes) relative to now, read as UTC (the engine passes the sender's
 * wall clock: the Date header's time plus its zone).  Weekdays mean the
 * next such day after now; a day and month without a year mean the next
 * such date on or after now, a day alone ("the 2nd") the next such day.
 * A numeric date ("02/12") is read in the rules' date-order unless that
 * gives no date, a date in the past, or (without a year) one more than
 * RULES_DATE_AHEAD days ahead, while the other order gives one within
 * them: a British "03/12" or "01/12/2026" sent on 30 November is
 * December, whatever the shop's setting.
 * Returns 0, or -1 when the parts are not a date. */
#define RULES_DATE_AHEAD	60
struct rules_date_parts {
	const char	*year, *month, *day;	/* NULL when not captured */
	const char	*weekday, *relative;
	const char	*first, *second;	/* "12/03": order per date-order */
};
int	rules_date_resolve(const struct ruleset *,
	    const struct rules_date_parts *, time_t now, char out[11]);

#endif
