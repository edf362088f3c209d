/*
 * rules/ internals shared by the loader (load.c), the matcher
 * (extract.c) and the date normaliser (date.c).  Nothing outside rules/
 * includes this; the rest of the tree sees struct ruleset as opaque.
 */
#ifndef MO_RULES_INT_H
#define MO_RULES_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

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
	RULE_NOT_ORDER,		/* a text that is not an order */
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
	long		 value;
	char		*canon;
};

enum rules_wordlist {
	WORDS_NUMBER = 0,
	WORDS_UNIT,
	WORDS_MONTH,
	WORDS_WEEKDAY,
	WORDS_RELATIVE,
	WORDS_NLISTS
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
	struct rules_define	*defines;
	size_t			 ndefines;
	char			**files;	/* names for messages */
	size_t			 nfiles;
	int			 date_dmy;	/* "12/03" is 12 March */
	int			 jit;		/* every pattern JIT-compiled */
	pcre2_match_context	*mctx;
	pcre2_jit_stack		*jstack;
};

#define RULES_MATCH_LIMIT	100000
#define RULES_DEPTH_LIMIT	1000

/* Look a word up in list l (case-insensitive, runs of spaces count as
 * one); NULL when it is not there. */
const struct rules_word *rules_word_find(const struct ruleset *,
	    enum rules_wordlist l, const char *text, size_t len);

#endif
