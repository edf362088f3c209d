/*
 * Cleaning a body: keep what the customer wrote this time, drop what mail
 * programs add around it (quoted earlier mail, signatures, phone and
 * address blocks, disclaimers).  A phone number or "Suite 200" that
 * survived would be read as a quantity by the rules, and a quoted earlier
 * order would be ordered twice, so when in doubt about a line that looks
 * like contact details we drop it; lines that look like what customers
 * write are kept.
 *
 * The body is classified line by line, with a little look-ahead for the
 * shapes that span lines (Gmail's two-line "On ... wrote:", Outlook's
 * From/Sent/To/Subject block).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "parser/clean.h"

struct line {
	const char	*s;	/* trimmed of blanks at both ends */
	size_t		 n;
	size_t		 off;	/* in the body, of the untrimmed line */
	size_t		 end;	/* offset just past its '\n' */
	int		 indented;	/* a header continuation, maybe */
	enum clean_kind	 kind;
};

enum clean_state {
	ST_TEXT,		/* the customer's words */
	ST_SIGNATURE,		/* signature until a forwarded message */
	ST_QUOTE,		/* quoted mail until the end */
	ST_FORWARD,		/* header lines of a forwarded message */
};

/* ASCII lower case without the locale machinery of tolower(). */
static inline int
lc(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* strncasecmp() for ASCII, 0 when equal; several times faster here. */
static int
ci_ncmp(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
			return 1;
	return 0;
}

static int
ci_prefix(const struct line *l, const char *p)
{
	size_t n = strlen(p);

	return l->n >= n && ci_ncmp(l->s, p, n) == 0;
}

static int
ci_suffix(const struct line *l, const char *p)
{
	size_t n = strlen(p);

	return l->n >= n && ci_ncmp(l->s + l->n - n, p, n) == 0;
}

static int
ci_contains(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	for (i = 0; i + m <= n; i++)
		if (lc((unsigned char)s[i]) == needle[0] &&
		    ci_ncmp(s + i, needle, m) == 0)
			return 1;
	return 0;
}

static int
line_blank(const struct line *l)
{
	return l->n == 0;
}

/* "Name:" at the start of a line, as in a mail header. */
static int
line_field(const struct line *l, const char *name)
{
	size_t n = strlen(name);

	return l->n > n && ci_ncmp(l->s, name, n) == 0 && l->s[n] == ':';
}

static int
line_forward_marker(const struct line *l)
{
	if (ci_prefix(l, "Begin forwarded message"))
		return 1;
	return l->n > 0 && (l->s[0] == '-' || l->s[0] == '_') &&
	    (ci_contains(l->s, l->n, "forwarded message") ||
	    ci_contains(l->s, l->n, "weitergeleitete nachricht") ||
	    ci_contains(l->s, l->n, "message transf"));
}

static int
line_header_field(const struct line *l)
{
	static const char *const names[] = {
		"From", "Date", "Sent", "To", "Cc", "Subject", "Reply-To",
		NULL
	};
	const char *const *n;

	for (n = names; *n != NULL; n++)
		if (line_field(l, *n))
			return 1;
	return 0;
}

static int
line_original_message(const struct line *l)
{
	return l->n > 0 && l->s[0] == '-' &&
	    (ci_contains(l->s, l->n, "original message") ||
	    ci_contains(l->s, l->n, "ursprüngliche nachricht") ||
	    ci_contains(l->s, l->n, "message d'origine"));
}

static int
line_underscores(const struct line *l)
{
	size_t i;

	if (l->n < 8)
		return 0;
	for (i = 0; i < l->n; i++)
		if (l->s[i] != '_')
			return 0;
	return 1;
}

/* "On Tue, 3 Mar 2026 at 10:02, Bob <b@x> wrote:", maybe over two lines. */
static int
line_wrote(const struct line *ls, size_t i, size_t nl)
{
	const struct line *l = &ls[i];

	if (ci_prefix(l, "On ") || ci_prefix(l, "Am ") ||
	    ci_prefix(l, "Le ")) {
		if (ci_suffix(l, "wrote:") || ci_suffix(l, "schrieb:") ||
		    ci_suffix(l, "crit :") || ci_suffix(l, "crit:"))
			return 1;
		if (i + 1 < nl && ls[i + 1].n < 120 &&
		    (ci_suffix(&ls[i + 1], "wrote:") ||
		    ci_suffix(&ls[i + 1], "schrieb:")))
			return 2;
	}
	return 0;
}

/*
 * An Outlook header block "From: / Sent: / To: / Subject:" quoting the
 * previous mail.  Returns 1 for a reply, 2 when the Subject says it is a
 * forward (then it is a forward header, kept content follows).
 */
static int
line_outlook_block(const struct line *ls, size_t i, size_t nl)
{
	size_t j;
	int sent = 0, subj = 0, fwd = 0;

	if (!line_field(&ls[i], "From"))
		return 0;
	for (j = i + 1; j < nl && j < i + 8 && !line_blank(&ls[j]); j++) {
		if (line_field(&ls[j], "Sent") || line_field(&ls[j], "Date"))
			sent = 1;
		else if (line_field(&ls[j], "Subject")) {
			const char *v = ls[j].s + 8;
			size_t vn = ls[j].n - 8;

			while (vn > 0 && *v == ' ') {
				v++;
				vn--;
			}
			subj = 1;
			fwd = (vn >= 3 && ci_ncmp(v, "FW:", 3) == 0) ||
			    (vn >= 4 && ci_ncmp(v, "Fwd:", 4) == 0);
		} else if (line_field(&ls[j], "To"))
			subj = subj ? subj : 1;
	}
	if (!sent || !subj)
		return 0;
	return fwd ? 2 : 1;
}

static int
line_mobile_signature(const struct line *l)
{
	static const char *const sigs[] = {
		"Sent from my ", "Sent from Outlook", "Get Outlook for ",
		"Sent from Mail for Windows", "Sent from Yahoo Mail",
		"Sent from Samsung", "Sent from my iPhone", "Sent with ",
		"Von meinem iPhone gesendet", "Envoyé de mon ",
		NULL
	};
	const char *const *p;

	if (l->n > 80 || l->n == 0)
		return 0;
	for (p = sigs; *p != NULL; p++)
		if (lc((unsigned char)**p) == lc((unsigned char)l->s[0]) &&
		    ci_prefix(l, *p))
			return 1;
	return 0;
}

static int
line_disclaimer(const struct line *l)
{
	size_t i;

	/* one cheap pass first: every test below needs one of these */
	for (i = 0; i + 8 <= l->n; i++) {
		int c = lc((unsigned char)l->s[i]);

		if ((c == 'd' || c == 'c' || c == 'p' || c == 'i') &&
		    (ci_ncmp(l->s + i, "disclaim", 8) == 0 ||
		    ci_ncmp(l->s + i, "confiden", 8) == 0 ||
		    ci_ncmp(l->s + i, "privileg", 8) == 0 ||
		    ci_ncmp(l->s + i, "intended", 8) == 0))
			break;
	}
	if (i + 8 > l->n)
		return 0;
	if (ci_prefix(l, "DISCLAIMER") || ci_prefix(l, "CONFIDENTIALITY") ||
	    ci_contains(l->s, l->n, "confidentiality notice"))
		return 1;
	return (ci_contains(l->s, l->n, "this email") ||
	    ci_contains(l->s, l->n, "this e-mail") ||
	    ci_contains(l->s, l->n, "this message") ||
	    ci_contains(l->s, l->n, "this communication") ||
	    ci_contains(l->s, l->n, "information contained")) &&
	    (ci_contains(l->s, l->n, "confidential") ||
	    ci_contains(l->s, l->n, "privileged") ||
	    ci_contains(l->s, l->n, "intended recipient") ||
	    ci_contains(l->s, l->n, "intended solely"));
}

/* "Thanks," or "Best regards" alone on a line, maybe with a short name. */
static int
line_closing(const struct line *l)
{
	static const char *const closings[] = {
		"thanks", "thank you", "many thanks", "thanks again",
		"thanks so much", "thanks in advance", "regards",
		"best regards", "kind regards", "warm regards", "best",
		"cheers", "sincerely", "yours truly", "thx", "best wishes",
		"rgds", "kr", "br", "mfg", "viele grüße", "beste grüße",
		"mit freundlichen grüßen", "cordialement", "merci",
		NULL
	};
	const char *const *c;
	size_t n, rest, i;

	if (l->n == 0 || l->n > 40)
		return 0;
	for (c = closings; *c != NULL; c++) {
		if (**c != lc((unsigned char)l->s[0]))
			continue;
		n = strlen(*c);
		if (l->n < n || ci_ncmp(l->s, *c, n) != 0)
			continue;
		if (l->n == n)
			return 1;
		if (strchr(",.!-", l->s[n]) == NULL)
			continue;
		/* "Thanks, John": at most two more words, no digits */
		rest = 0;
		for (i = n + 1; i < l->n; i++) {
			if (isdigit((unsigned char)l->s[i]))
				return 0;
			if (l->s[i] == ' ' && l->s[i - 1] != ' ')
				rest++;
		}
		return rest <= 2;
	}
	return 0;
}

static size_t
count_digits(const char *s, size_t n)
{
	size_t i, d = 0;

	for (i = 0; i < n; i++)
		if (isdigit((unsigned char)s[i]))
			d++;
	return d;
}

static size_t
count_words(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && (i == 0 || s[i - 1] == ' '))
			w++;
	return w;
}

/* "+1 (555) 123-4567": only digits and phone punctuation, enough digits,
 * in more than one group unless it starts with + or (. */
static int
text_phone(const char *s, size_t n)
{
	size_t i, groups = 0;
	int in = 0;

	if (count_digits(s, n) < 7)
		return 0;
	for (i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i])) {
			groups += !in;
			in = 1;
			continue;
		}
		in = 0;
		if (strchr(" ()+-./", s[i]) == NULL)
			return 0;
	}
	return groups > 1 || s[0] == '+' || s[0] == '(';
}

/*
 * "T +44 20 7946 0958 | M +44 7700 900123": phone numbers with the short
 * labels Outlook signatures put before them.  Any other word ("1 x
 * 4006381333931" is an order line with a barcode) makes it not one.
 */
static int
text_phone_labeled(const char *s, size_t n)
{
	static const char *const labels[] = {
		"t", "m", "f", "p", "d", "o", "tel", "phone", "fax", "mobile",
		"mob", "cell", "direct", "office", "ext", "main", NULL
	};
	const char *const *lb;
	size_t i = 0, j, k, wl, digits = 0, groups = 0;
	int labelled = 0, word_label = 0, intl = 0;

	while (i < n) {
		while (i < n && strchr(" |,;/", s[i]) != NULL)
			i++;
		for (j = i; j < n && strchr(" |,;", s[j]) == NULL; j++)
			;
		if (j == i)
			break;
		if (isalpha((unsigned char)s[i])) {
			for (wl = j - i; wl > 0 && (s[i + wl - 1] == ':' ||
			    s[i + wl - 1] == '.'); wl--)
				;
			for (lb = labels; *lb != NULL; lb++)
				if (strlen(*lb) == wl &&
				    ci_ncmp(s + i, *lb, wl) == 0)
					break;
			if (*lb == NULL)
				return 0;
			labelled = 1;
			word_label |= wl > 1;
		} else {
			for (k = i; k < j; k++) {
				if (isdigit((unsigned char)s[k])) {
					digits++;
					if (k == i || !isdigit((unsigned char)
					    s[k - 1]))
						groups++;
				} else if (strchr("()+-.", s[k]) == NULL)
					return 0;
				else if (s[k] == '+' || s[k] == '(')
					intl = 1;
			}
		}
		i = j;
	}
	/* "P: 4500012345" is a PO number: one bare run of digits needs a
	 * label that says phone */
	return labelled && digits >= 7 && (groups > 1 || intl || word_label);
}

static int
word_at(const char *s, size_t n, size_t i, const char *w)
{
	size_t m = strlen(w);

	if (i + m > n || ci_ncmp(s + i, w, m) != 0)
		return 0;
	if (i > 0 && isalpha((unsigned char)s[i - 1]))
		return 0;
	return i + m == n || !isalpha((unsigned char)s[i + m]);
}

/* "Suite 200", "PO Box 12", "Unit 4B" anywhere in the line. */
static int
text_unit(const char *s, size_t n)
{
	static const char *const units[] = {
		"suite", "ste", "unit", "floor", "fl", "po box", "p.o. box",
		"bldg", "building", "apt", NULL
	};
	const char *const *u;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!isalpha((unsigned char)s[i]) ||
		    (i > 0 && isalpha((unsigned char)s[i - 1])))
			continue;
		for (u = units; *u != NULL; u++) {
			if (**u != lc((unsigned char)s[i]) ||
			    !word_at(s, n, i, *u))
				continue;
			j = i + strlen(*u);
			if (j < n && s[j] == '.')
				j++;
			if (j < n && s[j] == '#')
				j++;
			while (j < n && s[j] == ' ')
				j++;
			if (j < n && isdigit((unsigned char)s[j]))
				return 1;
		}
	}
	return 0;
}

/*
 * "123 Main Street", "1200 W. Elm Ave., Suite 4": a number, capitalised
 * words, and a street word that ends the line or is followed by a comma
 * or a unit ("24 cans Dr Pepper" and "3 Bags Highway Blend" are not).
 */
static int
text_street(const char *s, size_t n)
{
	static const char *const kinds[] = {
		"st", "street", "ave", "avenue", "rd", "road", "blvd",
		"boulevard", "dr", "drive", "ln", "lane", "way", "ct", "court",
		"pl", "place", "pkwy", "parkway", "hwy", "highway", "terrace",
		"cir", "circle", "sq", "square", NULL
	};
	const char *const *k;
	size_t i, j;

	if (n == 0 || !isdigit((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n && isalnum((unsigned char)s[i]); i++)
		;
	for (; i < n; i = j) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n || !isupper((unsigned char)s[i]))
			return 0;		/* names are capitalised */
		for (j = i; j < n && s[j] != ' ' && s[j] != ',' && s[j] != '.';
		    j++)
			;
		for (k = kinds; *k != NULL; k++)
			if (j - i == strlen(*k) && ci_ncmp(s + i, *k, j - i) == 0)
				break;
		if (j < n && s[j] == '.')
			j++;
		if (*k != NULL && (j == n || s[j] == ',' ||
		    text_unit(s + j, n - j)))
			return 1;
		if (j < n && s[j] == ',')
			return 0;
	}
	return 0;
}

/* "Springfield, IL 62704" or "... CA 94105-1234" at the end: 2 when
 * a comma precedes the state, 1 without. */
static int
text_zip(const char *s, size_t n)
{
	size_t i = n, d;

	if (i >= 5 && s[i - 5] == '-' && count_digits(s + i - 4, 4) == 4)
		i -= 5;
	for (d = 0; i > 0 && isdigit((unsigned char)s[i - 1]); i--)
		d++;
	if (d != 5 || i < 4 || s[i - 1] != ' ')
		return 0;
	if (!isupper((unsigned char)s[i - 2]) ||
	    !isupper((unsigned char)s[i - 3]))
		return 0;
	if (i >= 5 && s[i - 4] == ',')
		return 2;
	if (i >= 6 && s[i - 4] == ' ' && s[i - 5] == ',')
		return 2;
	return i < 5 || s[i - 4] == ' ';
}

/*
 * Contact details: 2 for lines that are never part of an order (phone
 * numbers, labelled contact lines, web and mail addresses, "Suite 200",
 * "City, ST 12345"), dropped wherever they are; 1 for lines that only
 * look like contact details next to others (a street address, a ZIP
 * without the comma); 0 for anything else.
 */
static int
line_contact(const struct line *l)
{
	static const char *const labels[] = {
		"tel", "telephone", "phone", "ph", "fax", "mobile", "mob",
		"cell", "direct", "office", "main", "toll free", "toll-free",
		"email", "e-mail", "web", "website", "skype", "m", "t", "f",
		"p", "o", "d", "c", "e", "w", NULL
	};
	const char *const *lb;
	const char *s = l->s, *r;
	size_t n = l->n, m, i, rn;
	int z;

	if (n == 0)
		return 0;
	for (lb = labels; *lb != NULL; lb++) {
		if (**lb != lc((unsigned char)s[0]))
			continue;
		m = strlen(*lb);
		if (n <= m || ci_ncmp(s, *lb, m) != 0)
			continue;
		i = m;
		if (s[i] == '.' && m > 1)
			i++;
		while (i < n && s[i] == ' ')
			i++;
		if (i < n && s[i] == ':')
			i++;
		else if (m == 1 || i == m)
			continue;	/* "T:" needs its colon, "Tel" a break */
		while (i < n && s[i] == ' ')
			i++;
		r = s + i;
		rn = n - i;
		if (rn == 0)
			continue;
		if (memchr(r, '@', rn) != NULL || ci_contains(r, rn, "www.") ||
		    ci_contains(r, rn, "http"))
			return 2;
		/* "P: 4500012345" is a PO number; a phone has punctuation
		 * or a label that says so */
		if (text_phone(r, rn) ||
		    (m > 1 && count_digits(r, rn) >= 7))
			return 2;
	}
	if (ci_prefix(l, "www.") || ci_prefix(l, "http://") ||
	    ci_prefix(l, "https://"))
		return 2;
	if (memchr(s, '@', n) != NULL && memchr(s, ' ', n) == NULL)
		return 2;			/* a bare address */
	if ((ci_contains(s, n, "://") || ci_contains(s, n, "www.")) &&
	    count_words(s, n) <= 3)
		return 2;			/* a web address, maybe named */
	if (text_phone(s, n) || text_phone_labeled(s, n) || text_unit(s, n))
		return 2;
	if ((z = text_zip(s, n)) > 0)
		return z;
	return text_street(s, n) ? 1 : 0;
}

/* A name, title or company line of a signature: a few capitalised words,
 * no digits. */
static int
line_name_like(const struct line *l)
{
	static const char *const small[] = {
		"of", "and", "&", "the", "for", "de", "-", "|", NULL
	};
	const char *const *sw;
	size_t i = 0, j, words = 0;

	if (l->n == 0 || l->n > 60 || count_digits(l->s, l->n) > 0)
		return 0;
	while (i < l->n) {
		for (j = i; j < l->n && l->s[j] != ' '; j++)
			;
		if (j > i) {
			words++;
			if (!isupper((unsigned char)l->s[i]) &&
			    !((unsigned char)l->s[i] & 0x80)) {
				for (sw = small; *sw != NULL; sw++)
					if (j - i == strlen(*sw) &&
					    ci_ncmp(l->s + i, *sw, j - i)
					    == 0)
						break;
				if (*sw == NULL)
					return 0;
			}
		}
		i = j + 1;
	}
	return words > 0 && words <= 8;
}

static size_t
clean_split(const char *body, size_t len, struct line **lines_r)
{
	struct line *ls;
	const char *p = body, *end = body + len, *eol;
	size_t nl = 0, cap = 1;

	/* memchr, not a loop over every byte: this counting was 3% of a
	 * parse. */
	for (eol = body; (eol = memchr(eol, '\n', (size_t)(end - eol))) !=
	    NULL; eol++)
		cap++;
	ls = xreallocarray(NULL, cap, sizeof(*ls));
	while (p < end) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		ls[nl].off = (size_t)(p - body);
		ls[nl].end = eol < end ? (size_t)(eol + 1 - body) : len;
		ls[nl].kind = CLEAN_KEPT;
		ls[nl].indented = p < eol && (*p == ' ' || *p == '\t');
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		while (eol > p && (eol[-1] == ' ' || eol[-1] == '\t' ||
		    eol[-1] == '\r'))
			eol--;
		ls[nl].s = p;
		ls[nl].n = (size_t)(eol - p);
		nl++;
		p = body + ls[nl - 1].end;
	}
	*lines_r = ls;
	return nl;
}

/* The lines from i up to the next blank one. */
static size_t
paragraph_end(const struct line *ls, size_t i, size_t nl)
{
	while (i < nl && !line_blank(&ls[i]))
		i++;
	return i;
}

/*
 * A paragraph made only of contact lines and name-like lines, with at
 * least two contact lines, is a signature block even without "-- ".
 */
static int
paragraph_contact_block(const struct line *ls, size_t i, size_t e)
{
	size_t contact = 0;

	for (; i < e; i++) {
		if (line_contact(&ls[i]))
			contact++;
		else if (!line_name_like(&ls[i]))
			return 0;
	}
	return contact >= 2;
}

/* After a closing line, is the rest (up to a quote or a forward) short
 * enough to be a signature rather than more of the message? */
static int
closing_tail_short(const struct line *ls, size_t i, size_t nl)
{
	size_t n = 0;

	for (i++; i < nl; i++) {
		if (line_forward_marker(&ls[i]) || line_wrote(ls, i, nl) ||
		    line_original_message(&ls[i]) || line_underscores(&ls[i]) ||
		    line_outlook_block(ls, i, nl) ||
		    (ls[i].n > 0 && ls[i].s[0] == '>'))
			break;
		if (!line_blank(&ls[i]) && ++n > 10)
			return 0;
	}
	return 1;
}

/* line_outlook_block, where in a forwarded mail (CLEAN_FORWARDED) the
 * first block is the forward's, whatever its Subject says. */
static int
outlook_block(const struct line *ls, size_t i, size_t nl, int flags,
    int *blocks)
{
	int w = line_outlook_block(ls, i, nl);

	if (w > 0 && (*blocks)++ == 0 && (flags & CLEAN_FORWARDED))
		w = 2;
	return w;
}

/* Where the classification is between lines. */
struct classify {
	enum clean_state	st;
	int			seen_text;	/* the customer wrote something */
	int			fwd_fields;	/* header lines of a forward */
	int			flags;		/* clean_body()'s CLEAN_* */
	int			blocks;		/* Outlook header blocks seen */
};

/* A forwarded message's marker and the header block after it: 1 when l
 * belongs to them. */
static int
classify_forward(struct classify *c, struct line *l)
{
	if (line_forward_marker(l)) {
		l->kind = CLEAN_FORWARD_HEADER;
		c->st = ST_FORWARD;
		c->fwd_fields = 0;
		return 1;
	}
	if (c->st != ST_FORWARD)
		return 0;
	if (line_header_field(l) ||
	    (c->fwd_fields > 0 && l->indented && l->n > 0)) {
		c->fwd_fields++;
		l->kind = CLEAN_FORWARD_HEADER;
		return 1;
	}
	if (line_blank(l)) {
		l->kind = CLEAN_FORWARD_HEADER;
		if (c->fwd_fields > 0)
			c->st = ST_TEXT;
		return 1;
	}
	c->st = ST_TEXT;
	return 0;
}

/* An Outlook header block w (line_outlook_block()) starts at l. */
static void
classify_outlook(struct classify *c, struct line *l, int w, int fields)
{
	if (w == 2) {
		l->kind = CLEAN_FORWARD_HEADER;
		c->st = ST_FORWARD;
		c->fwd_fields = fields;
	} else {
		l->kind = CLEAN_QUOTE;
		c->st = ST_QUOTE;
	}
}

/* Quoted text: '>' lines, "X wrote:", "Original Message", Outlook's
 * header blocks.  1 when ls[*i_r] starts or is some (*i_r may advance
 * over a two-line "wrote:"). */
static int
classify_quote(struct classify *c, struct line *ls, size_t *i_r, size_t nl)
{
	size_t i = *i_r, j;
	struct line *l = &ls[i];
	int w;

	if (l->n > 0 && l->s[0] == '>') {
		l->kind = CLEAN_QUOTE;
		return 1;
	}
	if ((w = line_wrote(ls, i, nl)) > 0) {
		l->kind = CLEAN_QUOTE;
		if (w == 2)
			ls[++*i_r].kind = CLEAN_QUOTE;
		return 1;
	}
	if (line_original_message(l)) {
		l->kind = CLEAN_QUOTE;
		c->st = ST_QUOTE;
		return 1;
	}
	if (line_underscores(l)) {
		for (j = i + 1; j < nl && line_blank(&ls[j]); j++)
			;
		if (j < nl && (w = outlook_block(ls, j, nl, c->flags,
		    &c->blocks)) > 0) {
			classify_outlook(c, l, w, 0);
			return 1;
		}
	}
	if ((w = outlook_block(ls, i, nl, c->flags, &c->blocks)) > 0) {
		classify_outlook(c, l, w, 1);
		return 1;
	}
	return 0;
}

/* The signature, and contact details on their own: 1 when ls[*i_r] is
 * part of them or blank (*i_r may advance over a contact block). */
static int
classify_signature(struct classify *c, struct line *ls, size_t *i_r,
    size_t nl)
{
	size_t i = *i_r, e;
	struct line *l = &ls[i];

	if (c->st == ST_SIGNATURE && l->n > 3 && (ci_prefix(l, "P.S") ||
	    ci_prefix(l, "PS:") || ci_prefix(l, "PS "))) {
		/* a postscript after the name is the customer again */
		c->st = ST_TEXT;
	}
	if (c->st == ST_SIGNATURE) {
		l->kind = CLEAN_SIGNATURE;
		return 1;
	}
	if ((l->n == 2 && memcmp(l->s, "--", 2) == 0 &&
	    l->end - l->off <= 5) || line_mobile_signature(l) ||
	    line_disclaimer(l) || (c->seen_text && line_closing(l) &&
	    closing_tail_short(ls, i, nl))) {
		l->kind = CLEAN_SIGNATURE;
		c->st = ST_SIGNATURE;
		return 1;
	}
	if (line_blank(l))
		return 1;
	/* a block of contact details, or a single contact line */
	if (i == 0 || line_blank(&ls[i - 1])) {
		e = paragraph_end(ls, i, nl);
		if (paragraph_contact_block(ls, i, e)) {
			for (; i < e; i++)
				ls[i].kind = CLEAN_SIGNATURE;
			*i_r = e - 1;
			return 1;
		}
	}
	if (line_contact(l) == 2) {
		l->kind = CLEAN_SIGNATURE;
		return 1;
	}
	return 0;
}

static void
clean_classify(struct line *ls, size_t nl, int flags)
{
	struct classify c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.st = ST_TEXT;
	c.flags = flags;
	for (i = 0; i < nl; i++) {
		if (c.st == ST_QUOTE) {
			ls[i].kind = CLEAN_QUOTE;
			continue;
		}
		if (classify_forward(&c, &ls[i]) ||
		    classify_quote(&c, ls, &i, nl) ||
		    classify_signature(&c, ls, &i, nl))
			continue;
		c.seen_text = 1;
	}
}

void
clean_body(const char *body, size_t len, int flags, struct clean_text *out)
{
	struct line *ls;
	size_t nl, i, k, t, n;

	memset(out, 0, sizeof(*out));
	nl = clean_split(body, len, &ls);
	clean_classify(ls, nl, flags);

	out->segs = xreallocarray(NULL, nl > 0 ? nl : 1, sizeof(*out->segs));
	out->text = xmalloc(len + 1);
	out->map = xreallocarray(NULL, len + 1, sizeof(*out->map));
	for (i = 0, t = 0; i < nl; i++) {
		n = ls[i].end - ls[i].off;
		if (out->nsegs > 0 &&
		    out->segs[out->nsegs - 1].kind == ls[i].kind)
			out->segs[out->nsegs - 1].len += n;
		else {
			out->segs[out->nsegs].kind = ls[i].kind;
			out->segs[out->nsegs].off = ls[i].off;
			out->segs[out->nsegs].len = n;
			out->nsegs++;
		}
		if (ls[i].kind != CLEAN_KEPT)
			continue;
		memcpy(out->text + t, body + ls[i].off, n);
		for (k = 0; k < n; k++)
			out->map[t + k] = ls[i].off + k;
		t += n;
	}
	/* no blank lines or spaces left dangling where a signature was cut */
	while (t > 0 && (out->text[t - 1] == '\n' || out->text[t - 1] == ' ' ||
	    out->text[t - 1] == '\t' || out->text[t - 1] == '\r'))
		t--;
	out->text[t] = '\0';
	out->map[t] = len;
	out->len = t;
	free(ls);
}

void
clean_text_release(struct clean_text *c)
{
	if (c == NULL)
		return;
	free(c->text);
	free(c->segs);
	free(c->map);
	memset(c, 0, sizeof(*c));
}
