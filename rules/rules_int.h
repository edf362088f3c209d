/*
 * rules/ internals shared by the loader (load.c), the matcher
 * (extract.c) and the date normaliser (date.c).  Nothing outside rules/
 * includes this; the rest of the tree sees struct ruleset as opaque.
 */
#ifndef MO_RULES_INT_H
#define MO_RULES_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "common/strmap.h"
#include "rules/rules.h"

enum rule_kind {
	RULE_LINE = 0,		/* an order line: (?<item>) required */
	RULE_REF,		/* a reference to an earlier order */
	RULE_PO,		/* a PO number: (?<value>) required */
	RULE_DATE,		/* a requested delivery date */
	RULE_IGNORE,		/* skip this line */
	RULE_STOP,		/* stop reading at this line */
	RULE_GUARD,		/* this line is never an order line */
	RULE_SPLIT,		/* where one line holds several items */
	RULE_TAIL,		/* words after an item that are not part of it */
	RULE_LEAD,		/* where an order starts inside a sentence */
	RULE_AUTO_SUBJECT,	/* autoresponder subjects */
	RULE_NOT_ORDER,		/* a sentence that is not an order */
	RULE_KNOWN_LINE,	/* an order line, when the item is a product */
	RULE_NEGATION,		/* "no baguettes this week" */
	RULE_CORRECTION,	/* "make that 5, not 3" */
	RULE_NKINDS
};

struct rule {
	enum rule_kind		 kind;
	char			*name;
	const char		*file;	/* borrowed from ruleset->files */
	int			 line;
	char			*source;	/* as written, before expansion */
	pcre2_code		*code;
	pcre2_match_data	*md;	/* reused by every match */
	int			 jit;	/* JIT-compiled: use the fast path */
};

/* A data word: number words, unit aliases, month, weekday and relative
 * day names.  text is the word as written (lowercase), value its number
 * and canon the canonical unit name (units only; borrowed from the first
 * word of the same "unit" line). */
struct rules_word {
	char		*text;
	double		 value;
	char		*canon;
};

enum rules_wordlist {
	WORDS_NUMBER = 0,
	WORDS_UNIT,
	WORDS_MONTH,
	WORDS_WEEKDAY,
	WORDS_RELATIVE,
	WORDS_QUALIFIER,
	WORDS_COLUMN,		/* header words; value is the column role */
	WORDS_MEASURE,		/* units of weight, volume or length */
	WORDS_NLISTS
};

/* What a table column holds, named by its header ("column ROLE WORD..."). */
enum rules_role {
	ROLE_NONE = 0,
	ROLE_QUANTITY,
	ROLE_ITEM,
	ROLE_CODE,
	ROLE_UNIT,
	ROLE_PRICE,
	ROLE_LINE,
	ROLE_OTHER,		/* a known column that is none of these */
	ROLE_NROLES
};

/* "ratio dozen 12 each piece": one FROM is FACTOR of each TO. */
struct rules_ratio {
	char		*from;		/* canonical unit names */
	char		*to;
	double		 factor;
};

struct rules_define {
	char		*name;
	char		*value;
};

struct ruleset {
	struct rule		*rules;		/* in file order */
	size_t			 nrules;
	struct rule		**bykind[RULE_NKINDS];	/* same order */
	size_t			 nbykind[RULE_NKINDS];
	struct rules_word	*words[WORDS_NLISTS];
	size_t			 nwords[WORDS_NLISTS];
	struct strmap		*wordmap[WORDS_NLISTS];	/* folded text -> word */
	struct rules_define	*defines;
	size_t			 ndefines;
	struct rules_ratio	*ratios;
	size_t			 nratios;
	char			**files;	/* names for messages */
	size_t			 nfiles;
	int			 date_dmy;	/* "12/03" is 12 March */
	int			 jit;		/* every pattern JIT-compiled */
	pcre2_match_context	*mctx;
	pcre2_jit_stack		*jstack;
};

/* One reading of a text: what rules_extract and the table reader share. */
struct rules_ctx {
	const struct ruleset		*rs;
	const struct rules_lexicon	*lex;	/* may be NULL */
	struct rules_result		*out;
	struct err			*e;
	int				 failed;
	time_t				 now;
	const char			*text;	/* the whole text */
	size_t				 len;
	int				 date_strong;	/* the date found is
							   for a delivery */
	/* The product words last seen, for "6 balls of it", "the 32 oz
	 * ones", "Need 4 cases" after "we're out of jumbo rolls". */
	struct {
		size_t	off, len;	/* in text; len 0: none yet */
		size_t	residue;	/* the residue they are in, or -1 */
	} ante;
};

/* A line of the text: text[off, off + len), without its newline. */
struct rules_span {
	size_t	off, len;
};

/* 1 when a rule of kind matches s[0..len). */
int	rules_ctx_match(struct rules_ctx *, enum rule_kind, const char *s,
	    size_t len);

/* Append an order line (strings are copied; item NULL for none) or an
 * unread span to the result.  Lines past RULES_LINES_MAX are not kept
 * and set truncated. */
struct rules_line *rules_ctx_line(struct rules_ctx *, const char *item,
	    size_t item_off, size_t item_len, double q, const char *unit,
	    size_t off, size_t len, const char *rule);
void	rules_ctx_residue(struct rules_ctx *, size_t off, size_t len, int why);

/* The lexicon's score for text[off, off + len), 0 without a lexicon. */
double	rules_ctx_mention(struct rules_ctx *, size_t off, size_t len,
	    struct rules_mention *);

/* Why s[0..len), which gave nothing, matters: RULES_RESIDUE_* bits, 0
 * when it is small talk. */
int	rules_ctx_residue_why(struct rules_ctx *, const char *s, size_t len);

/* s[0..len) has a number that could be a quantity / a word that is not
 * small talk ("please", "we", "need", "the"). */
int	rules_text_has_quantity(const struct ruleset *, const char *s,
	    size_t len);
int	rules_text_has_content(const char *s, size_t len);

/* s[0..len) has one of words (a NULL-terminated list), as a whole word. */
int	rules_text_has_any(const char *s, size_t len, const char *const *words);

/* 1 when the number at s[i] names something rather than counts it:
 * "week 48", "Dock 4", "before 9", "Dec 12". */
int	rules_text_number_is_label(const char *s, size_t len, size_t i);

/* Where the phone number starting at s[i] ends, i when it is none
 * ("020 7946 0321", "(555) 017-2040": seven digits or more). */
size_t	rules_text_phone_end(const char *s, size_t len, size_t i);

/* 1 when the words after a number ending at s[j] are a street's: "117
 * Gloucester Road", "1419 S. Main St". */
int	rules_text_number_is_address(const char *s, size_t len, size_t j);

/* When lines[i] starts a table (tab-, pipe- or space-separated cells in
 * consecutive lines), read its rows into the result and return how many
 * lines it took; 0 when it is no table.  header_first: the first row is
 * the header whatever it says (an attached sheet). */
size_t	rules_table_read(struct rules_ctx *, const struct rules_span *lines,
	    size_t nlines, size_t i, int header_first);

#define RULES_MATCH_LIMIT	100000
#define RULES_DEPTH_LIMIT	1000

/* Look a word up in list l (case-insensitive, runs of spaces count as
 * one); NULL when it is not there. */
const struct rules_word *rules_word_find(const struct ruleset *,
	    enum rules_wordlist l, const char *text, size_t len);

/* Run rule r on s[0..len) from start: 1 on a match, 0 otherwise (a
 * limit counts as no match and sets *limit_hit; any other PCRE2 failure
 * sets *failed and e once).  limit_hit, failed and e may be NULL. */
int	rule_run(const struct ruleset *, const struct rule *, const char *s,
	    size_t len, size_t start, int *limit_hit, int *failed,
	    struct err *e);

/* The quantity s[0..len) says: digits ("3", "1,000", "1.5"), fractions
 * ("1/2", "1 1/2", "½"), number words ("two", "half a", "twenty-four").
 * Returns it, or -1 when s is none of these. */
double	rules_quantity_parse(const struct ruleset *, const char *s,
	    size_t len);

/* A whole table cell as a quantity, with an optional unit before or
 * after it: "4", "4 cases", "x4", "4x", "1.5 kg", "a dozen".  Returns the
 * quantity (> 0) with *unit_r set to the canonical unit or NULL, or -1. */
double	rules_quantity_cell(const struct ruleset *, const char *s,
	    size_t len, const char **unit_r);

/* The role of a table header cell s[0..len), ROLE_NONE when no column
 * word names it. */
enum rules_role	rules_column_role(const struct ruleset *, const char *s,
	    size_t len);

#endif
