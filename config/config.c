/*
 * Loading mailorder.conf.  inih splits lines into key and value; a reader
 * of our own feeds it one line at a time so that we know the line number
 * of every key (Debian's inih is built without INI_HANDLER_LINENO) and so
 * that section headers, syntax errors and long lines are reported here.
 * Like `smtpd -n`, the whole file is read and every problem is collected
 * before the load fails.
 */
#include "config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ini.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "config/conf.h"
#include "config/table.h"
/* carrier_pattern_bad(), so that a link the loader takes is one that ship
 * and the queue take too; carrier.c needs nothing else of review/. */
#include "review/carrier.h"

#define LOAD_NAME_MAX	40	/* longest section, inbox or carrier name */
#define LOAD_LOGIN_MAX	32	/* longest login name in [operators] */
#define LOAD_SIGNER_MAX	64	/* longest name an operator signs with */
#define LOAD_QUOTE_MAX	60	/* values are cut to this in messages */

struct problem {
	int	 line;
	size_t	 seq;
	char	*msg;
};

/* One section of the file; [imap.NAME] sections have their own struct. */
struct section {
	enum config_sect	 sect;
	char			*label;		/* "imap", "imap.shop", "smtp" */
	int			 line;		/* of the first header */
	void			*base;		/* the struct its rows point into */
	struct config_imap	*imap;		/* owned until the load succeeds */
	int			*lines;		/* per table row: where it was set */
};

struct load {
	const char		*path;
	FILE			*fp;
	struct config		*conf;
	int			 lineno;
	char			*line;
	size_t			 linecap;
	struct section		**sects;
	size_t			 nsects;
	struct section		*cur;		/* NULL: before any section */
	int			 skipping;	/* in an unknown section */
	struct problem		*probs;
	size_t			 nprobs;
};

static void load_problem(struct load *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
load_problem(struct load *ld, int line, const char *fmt, ...)
{
	struct problem *p;
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ld->probs = xreallocarray(ld->probs, ld->nprobs + 1,
	    sizeof(*ld->probs));
	p = &ld->probs[ld->nprobs];
	p->line = line;
	p->seq = ld->nprobs++;
	xasprintf(&p->msg, "%s:%d: %s", ld->path, line, msg);
}

static int
problem_cmp(const void *a, const void *b)
{
	const struct problem *pa = a, *pb = b;

	if (pa->line != pb->line)
		return pa->line < pb->line ? -1 : 1;
	return pa->seq < pb->seq ? -1 : pa->seq > pb->seq;
}

/* A value as it may appear in a message: cut short and printable.  Never
 * used for secret rows. */
static const char *
quote(const char *v, char *out, size_t outsz)
{
	size_t i, n = 0;

	for (i = 0; v[i] != '\0' && n + 4 < outsz; i++) {
		if (i == LOAD_QUOTE_MAX) {
			memcpy(out + n, "...", 3);
			n += 3;
			break;
		}
		out[n++] = isprint((unsigned char)v[i]) ? v[i] : '?';
	}
	out[n] = '\0';
	return out;
}

/* Optimal string alignment distance, for "did you mean". */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t d[LOAD_NAME_MAX + 2][LOAD_NAME_MAX + 2];
	size_t la = strlen(a), lb = strlen(b), i, j, c, m;

	if (la > LOAD_NAME_MAX || lb > LOAD_NAME_MAX)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			c = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			m = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < m)
				m = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < m)
				m = d[i - 1][j - 1] + c;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < m)
				m = d[i - 2][j - 2] + 1;
			d[i][j] = m;
		}
	}
	return d[la][lb];
}

/* Close enough to be a typo: a third of the word may be wrong. */
static int
is_close(const char *typed, const char *known)
{
	size_t len = strlen(known), max = len / 3;

	if (max < 1)
		max = 1;
	return edit_distance(typed, known) <= max;
}

/* The value does not have the row's form: say which form it wants. */
static int
setting_bad(const struct config_setting *st, const char *value,
    struct err *err)
{
	const struct config_choice *c;
	char expect[128] = "", q[LOAD_QUOTE_MAX + 8];
	size_t len;

	switch (st->type) {
	case CONFIG_TYPE_INT:
		snprintf(expect, sizeof(expect), "a whole number");
		break;
	case CONFIG_TYPE_SIZE:
		snprintf(expect, sizeof(expect), "a size such as 512K or 16M");
		break;
	case CONFIG_TYPE_DOUBLE:
		snprintf(expect, sizeof(expect), "a number");
		break;
	case CONFIG_TYPE_BOOL:
		snprintf(expect, sizeof(expect), "yes or no");
		break;
	case CONFIG_TYPE_CHOICE:
		for (c = st->choices; c->name != NULL; c++) {
			len = strlen(expect);
			snprintf(expect + len, sizeof(expect) - len, "%s%s",
			    c == st->choices ? "" : c[1].name == NULL ?
			    " or " : ", ", c->name);
		}
		break;
	default:
		break;
	}
	return err_set(err, ERR_CONFIG, "invalid value '%s' for '%s': "
	    "expected %s", quote(value, q, sizeof(q)), st->name, expect);
}

static int
setting_string(const struct config_setting *st, char **p, const char *value,
    struct err *err)
{
	char q[LOAD_QUOTE_MAX + 8];

	if ((st->flags & CONFIG_F_CREDENTIAL) && *value != '\0' &&
	    (strchr(value, '/') != NULL || strcmp(value, ".") == 0 ||
	    strcmp(value, "..") == 0))
		return err_set(err, ERR_CONFIG, "invalid credential name '%s': "
		    "it is a file name in $CREDENTIALS_DIRECTORY, without "
		    "'/'", quote(value, q, sizeof(q)));
	if ((st->flags & CONFIG_F_ADDRESS) && *value != '\0' &&
	    (strchr(value, '@') == NULL ||
	    strpbrk(value, " \t<>,\"") != NULL))
		return err_set(err, ERR_CONFIG, "invalid address '%s' for "
		    "'%s': expected a bare address such as orders@example.com",
		    quote(value, q, sizeof(q)), st->name);
	free(*p);
	*p = NULL;
	if (*value != '\0')
		*p = (st->flags & CONFIG_F_PATH) ? config_path_expand(value) :
		    xstrdup(value);
	return 0;
}

static int
setting_list(const struct config_setting *st, void *base, const char *value)
{
	char ***listp = (char ***)((char *)base + st->off), *s, *w;
	size_t *countp = (size_t *)((char *)base + st->count_off), n;

	for (n = 0; n < *countp; n++)
		free((*listp)[n]);
	free(*listp);
	*listp = NULL;
	*countp = 0;
	s = xstrdup(value);
	for (w = strtok(s, " \t"); w != NULL; w = strtok(NULL, " \t")) {
		*listp = xreallocarray(*listp, *countp + 1, sizeof(**listp));
		(*listp)[(*countp)++] = (st->flags & CONFIG_F_PATH) ?
		    config_path_expand(w) : xstrdup(w);
	}
	free(s);
	return 0;
}

/* A size's unit after the number (K, M, G, optionally iB or B, or B
 * alone): *mult_r; -1 when end is no unit. */
static int
setting_unit(const char *end, unsigned long long *mult_r)
{
	*mult_r = 1;
	if (*end == '\0')
		return 0;
	switch (toupper((unsigned char)*end)) {
	case 'K':
		*mult_r = 1024;
		break;
	case 'M':
		*mult_r = 1024 * 1024;
		break;
	case 'G':
		*mult_r = 1024 * 1024 * 1024;
		break;
	case 'B':
		end--;
		break;
	default:
		return -1;
	}
	end++;
	if (strcmp(end, "iB") == 0 || strcasecmp(end, "B") == 0)
		end += strlen(end);
	return *end == '\0' ? 0 : -1;
}

/*
 * The digits of a whole number, with an optional sign, into *mag_r and
 * *neg_r; the magnitude saturates at ULLONG_MAX, so a huge value is out
 * of range rather than wrapped.  Returns the end, or NULL when there are
 * no digits.  Not strtoll(): it skips leading space, reads "-5" as a
 * number a caller then has to remember to refuse, and gives ERANGE for
 * 99999999999999999999, which is a number too, only too big.
 */
static const char *
setting_digits(const char *s, unsigned long long *mag_r, int *neg_r)
{
	unsigned long long m = 0;
	const char *p;

	*neg_r = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	for (p = s; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		m = m > (ULLONG_MAX - d) / 10 ? ULLONG_MAX : m * 10 + d;
	}
	*mag_r = m;
	return p == s ? NULL : p;
}

/* A whole number or a size, within the row's range.  A negative or
 * too-big number is out of range, said as such: never wrapped. */
static int
setting_number(const struct config_setting *st, char *p, const char *value,
    struct err *err)
{
	unsigned long long mult = 1, u;
	char lo[32], hi[32], q[LOAD_QUOTE_MAX + 8];
	const char *end;
	int neg;

	if ((end = setting_digits(value, &u, &neg)) == NULL ||
	    (st->type == CONFIG_TYPE_SIZE ? setting_unit(end, &mult) == -1 :
	    *end != '\0'))
		return setting_bad(st, value, err);
	if ((neg && u > 0) || u > ULLONG_MAX / mult ||
	    u * mult < (unsigned long long)st->min ||
	    u * mult > (unsigned long long)st->max) {
		if (st->type == CONFIG_TYPE_SIZE) {
			config_size_format(st->min, lo, sizeof(lo));
			config_size_format(st->max, hi, sizeof(hi));
		} else {
			snprintf(lo, sizeof(lo), "%lld", st->min);
			snprintf(hi, sizeof(hi), "%lld", st->max);
		}
		return err_set(err, ERR_CONFIG, "'%s' must be between %s and "
		    "%s, not %s", st->name, lo, hi, quote(value, q, sizeof(q)));
	}
	if (st->type == CONFIG_TYPE_SIZE)
		*(size_t *)p = u * mult;
	else
		*(long *)p = (long)u;
	return 0;
}

static int
setting_double(const struct config_setting *st, double *p, const char *value,
    struct err *err)
{
	char q[LOAD_QUOTE_MAX + 8], *end;
	double d;

	errno = 0;
	d = strtod(value, &end);
	if (end == value || *end != '\0' || errno != 0 || !isfinite(d))
		return setting_bad(st, value, err);
	if (d < st->dmin || d > st->dmax)
		return err_set(err, ERR_CONFIG, "'%s' must be between %g and "
		    "%g, not %s", st->name, st->dmin, st->dmax,
		    quote(value, q, sizeof(q)));
	*p = d;
	return 0;
}

static int
setting_bool(const struct config_setting *st, int *p, const char *value,
    struct err *err)
{
	if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0 ||
	    strcasecmp(value, "on") == 0)
		*p = 1;
	else if (strcasecmp(value, "no") == 0 ||
	    strcasecmp(value, "false") == 0 || strcasecmp(value, "off") == 0)
		*p = 0;
	else
		return setting_bad(st, value, err);
	return 0;
}

static int
setting_choice(const struct config_setting *st, int *p, const char *value,
    struct err *err)
{
	const struct config_choice *c;

	/* Exact and case-sensitive: "tls = None" should not quietly turn
	 * encryption off. */
	for (c = st->choices; c->name != NULL; c++) {
		if (strcmp(value, c->name) == 0) {
			*p = c->value;
			return 0;
		}
	}
	return setting_bad(st, value, err);
}

/*
 * Parse value for row st into base.  On failure err says why (without
 * the FILE:LINE prefix; ERR_CONFIG).  Built-in defaults go through here
 * too, so they obey the same rules as the file.
 */
static int
setting_set(const struct config_setting *st, void *base, const char *value,
    struct err *err)
{
	char *p = (char *)base + st->off;

	switch (st->type) {
	case CONFIG_TYPE_REFUSED:
		return err_set(err, ERR_CONFIG, "inline secret '%s' refused: "
		    "put secrets in password_file or a systemd credential",
		    st->name);
	case CONFIG_TYPE_STRING:
		return setting_string(st, (char **)p, value, err);
	case CONFIG_TYPE_LIST:
		return setting_list(st, base, value);
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_SIZE:
		return setting_number(st, p, value, err);
	case CONFIG_TYPE_DOUBLE:
		return setting_double(st, (double *)p, value, err);
	case CONFIG_TYPE_BOOL:
		return setting_bool(st, (int *)p, value, err);
	case CONFIG_TYPE_CHOICE:
		return setting_choice(st, (int *)p, value, err);
	}
	return setting_bad(st, value, err);
}

static void
section_defaults(enum config_sect sect, void *base)
{
	const struct config_setting *st;
	struct err err;
	size_t i;
	int r;

	for (i = 0; i < config_nsettings; i++) {
		st = &config_settings[i];
		if (st->sect != sect || st->def == NULL)
			continue;
		r = setting_set(st, base, st->def, &err);
		assert(r == 0);	/* the table's own defaults must parse */
		(void)r;
	}
}

static void
section_release(enum config_sect sect, void *base)
{
	const struct config_setting *st;
	char ***listp;
	size_t i, n, *countp;

	for (i = 0; i < config_nsettings; i++) {
		st = &config_settings[i];
		if (st->sect != sect)
			continue;
		if (st->type == CONFIG_TYPE_STRING) {
			free(*(char **)((char *)base + st->off));
		} else if (st->type == CONFIG_TYPE_LIST) {
			listp = (char ***)((char *)base + st->off);
			countp = (size_t *)((char *)base + st->count_off);
			for (n = 0; n < *countp; n++)
				free((*listp)[n]);
			free(*listp);
		}
	}
}

static void *
section_base(struct config *conf, enum config_sect sect)
{
	switch (sect) {
	case CONFIG_SECT_SMTP:
		return &conf->smtp;
	case CONFIG_SECT_REPLY:
		return &conf->reply;
	case CONFIG_SECT_POLICY:
		return &conf->policy;
	case CONFIG_SECT_STATUS:
		return &conf->status;
	case CONFIG_SECT_WEBHOOK:
		return &conf->webhook;
	default:
		return conf;
	}
}

static struct config *
config_new_defaults(void)
{
	struct config *conf;
	int s;

	conf = xcalloc(1, sizeof(*conf));
	for (s = 0; s < CONFIG_SECT_COUNT; s++)
		if (s != CONFIG_SECT_IMAP)
			section_defaults(s, section_base(conf, s));
	/* Computed defaults, as if there were an [smtp] section, so that
	 * config_dump() shows sensible values either way. */
	conf->smtp.port = 465;
	return conf;
}

/* An inbox or carrier name: letters, digits, '-' and '_'. */
static int
name_valid(const char *s)
{
	if (*s == '\0' || strlen(s) > LOAD_NAME_MAX)
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
	return 1;
}

static struct section *
section_get(struct load *ld, enum config_sect sect, const char *label)
{
	struct section *sc;
	size_t i;

	for (i = 0; i < ld->nsects; i++)
		if (strcmp(ld->sects[i]->label, label) == 0)
			return ld->sects[i];
	sc = xcalloc(1, sizeof(*sc));
	sc->sect = sect;
	sc->label = xstrdup(label);
	sc->line = ld->lineno;
	sc->lines = xcalloc(config_nsettings, sizeof(*sc->lines));
	if (sect == CONFIG_SECT_IMAP) {
		sc->imap = xcalloc(1, sizeof(*sc->imap));
		sc->imap->name = xstrdup(strchr(label, '.') != NULL ?
		    strchr(label, '.') + 1 : "");
		section_defaults(sect, sc->imap);
		sc->base = sc->imap;
	} else
		sc->base = section_base(ld->conf, sect);
	ld->sects = xreallocarray(ld->sects, ld->nsects + 1,
	    sizeof(*ld->sects));
	ld->sects[ld->nsects++] = sc;
	return sc;
}

static void
section_free(struct section *sc)
{
	if (sc->imap != NULL) {
		section_release(CONFIG_SECT_IMAP, sc->imap);
		free(sc->imap->name);
		free(sc->imap);
	}
	free(sc->label);
	free(sc->lines);
	free(sc);
}

/* A "[...]" line: find or open the section, or report why not. */
static void
load_section(struct load *ld, char *s)
{
	const char *best = NULL;
	char *end, *name, *rest, q[LOAD_QUOTE_MAX + 8];
	size_t len;
	int i;

	ld->cur = NULL;
	ld->skipping = 1;	/* until the header proves good */
	if ((end = strchr(s, ']')) == NULL) {
		load_problem(ld, ld->lineno, "missing ']' in section header");
		return;
	}
	rest = end + 1;
	rest += strspn(rest, " \t");
	if (*rest != '\0' && *rest != ';' && *rest != '#')
		load_problem(ld, ld->lineno, "unexpected text after ']'");
	*end = '\0';
	name = s + 1 + strspn(s + 1, " \t");
	for (len = strlen(name); len > 0 && isspace((unsigned char)
	    name[len - 1]); len--)
		name[len - 1] = '\0';

	for (i = 0; i < CONFIG_SECT_COUNT; i++) {
		if (strcmp(name, config_sections[i].name) == 0) {
			ld->cur = section_get(ld, i, name);
			ld->skipping = 0;
			return;
		}
	}
	if (strncmp(name, "imap.", 5) == 0) {
		if (!name_valid(name + 5)) {
			load_problem(ld, ld->lineno, "invalid inbox name in "
			    "[%s]: use letters, digits, '-' and '_'",
			    quote(name, q, sizeof(q)));
			return;
		}
		ld->cur = section_get(ld, CONFIG_SECT_IMAP, name);
		ld->skipping = 0;
		return;
	}
	for (i = 0; i < CONFIG_SECT_COUNT && best == NULL; i++)
		if (is_close(name, config_sections[i].name))
			best = config_sections[i].name;
	/* [imao.shop]: a typo in the prefix of a named inbox. */
	if (best == NULL && (rest = strchr(name, '.')) != NULL &&
	    name_valid(rest + 1)) {
		*rest = '\0';
		if (is_close(name, "imap"))
			load_problem(ld, ld->lineno, "unknown section [%s.%s] "
			    "(did you mean [imap.%s]?)", quote(name, q,
			    sizeof(q)), rest + 1, rest + 1);
		else
			load_problem(ld, ld->lineno, "unknown section [%s.%s]",
			    quote(name, q, sizeof(q)), rest + 1);
		return;
	}
	if (best != NULL)
		load_problem(ld, ld->lineno, "unknown section [%s] (did you "
		    "mean [%s]?)", quote(name, q, sizeof(q)), best);
	else
		load_problem(ld, ld->lineno, "unknown section [%s]",
		    quote(name, q, sizeof(q)));
}

/*
 * inih's reader: hand it one line, left-trimmed (so that inih never sees
 * an indented line as the continuation of the previous value), or an empty
 * line for anything handled or refused here.
 */
static char *
load_reader(char *str, int num, void *stream)
{
	struct load *ld = stream;
	ssize_t n;
	char *s;

	if ((n = getline(&ld->line, &ld->linecap, ld->fp)) == -1)
		return NULL;
	ld->lineno++;
	s = ld->line;
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	if (ld->lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	s += strspn(s, " \t");
	str[0] = '\0';
	if (strlen(s) + 2 > (size_t)num)
		load_problem(ld, ld->lineno, "line too long (more than %d "
		    "bytes)", num - 2);
	else if (*s == '\0' || *s == ';' || *s == '#')
		;
	else if (*s == '[')
		load_section(ld, s);
	else if (strpbrk(s, "=:") == NULL)
		load_problem(ld, ld->lineno, "expected 'key = value' or "
		    "'[section]'");
	else
		snprintf(str, num, "%s", s);
	strncat(str, "\n", num - strlen(str) - 1);
	return str;
}

/* [operators]: a login name as useradd(8) takes it. */
static int
login_valid(const char *s)
{
	if (*s == '\0' || *s == '-' || strlen(s) > LOAD_LOGIN_MAX)
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("._-", *s) == NULL)
			return 0;
	return 1;
}

/* Why name cannot sign a letter, or NULL: it goes into the body of a
 * mail, so a line break or another control character is refused. */
static const char *
signer_bad(const char *name)
{
	const unsigned char *p;

	if (*name == '\0')
		return "it is empty";
	if (strlen(name) > LOAD_SIGNER_MAX)
		return "it is longer than 64 bytes";
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "it holds a control character";
	return NULL;
}

static struct config_named **
named_list(struct config *conf, enum config_sect sect, size_t **n_r)
{
	if (sect == CONFIG_SECT_CARRIERS) {
		*n_r = &conf->ncarriers;
		return &conf->carriers;
	}
	*n_r = &conf->noperators;
	return &conf->operators;
}

/* The line of [carriers] or [operators] named name; carriers in any
 * case. */
static const struct config_named *
named_find(const struct config_named *list, size_t n, const char *name,
    int anycase)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((anycase ? strcasecmp(list[i].name, name) :
		    strcmp(list[i].name, name)) == 0)
			return &list[i];
	return NULL;
}

/* Check a line of [carriers] or [operators]: -1 when it is refused,
 * with the problem reported at its line. */
static int
named_check(struct load *ld, const char *name, const char *value)
{
	char q[LOAD_QUOTE_MAX + 8];
	const char *why;

	quote(name, q, sizeof(q));
	if (ld->cur->sect == CONFIG_SECT_CARRIERS) {
		if (!name_valid(name)) {
			load_problem(ld, ld->lineno, "invalid carrier name "
			    "'%s': use letters, digits, '-' and '_', at most "
			    "%d", q, LOAD_NAME_MAX);
			return -1;
		}
		if ((why = carrier_pattern_bad(value)) != NULL) {
			load_problem(ld, ld->lineno, "invalid tracking link "
			    "for '%s': %s", q, why);
			return -1;
		}
		return 0;
	}
	if (!login_valid(name)) {
		load_problem(ld, ld->lineno, "invalid login name '%s' in "
		    "[operators]: use letters, digits, '.', '-' and '_'", q);
		return -1;
	}
	if ((why = signer_bad(value)) != NULL) {
		load_problem(ld, ld->lineno, "invalid name for operator '%s': "
		    "%s", q, why);
		return -1;
	}
	return 0;
}

/* A line of a section whose keys are names the shop chooses. */
static void
load_named(struct load *ld, const char *name, const char *value)
{
	struct config_named **listp, *nv;
	const struct config_named *first;
	size_t *np;
	int carriers = ld->cur->sect == CONFIG_SECT_CARRIERS;

	if (named_check(ld, name, value) == -1)
		return;
	listp = named_list(ld->conf, ld->cur->sect, &np);
	if ((first = named_find(*listp, *np, name, carriers)) != NULL) {
		load_problem(ld, ld->lineno, "duplicate %s '%s' in [%s] "
		    "(first set at line %d)", carriers ? "carrier" :
		    "operator", name, ld->cur->label, first->line);
		return;
	}
	*listp = xreallocarray(*listp, *np + 1, sizeof(**listp));
	nv = &(*listp)[(*np)++];
	nv->name = xstrdup(name);
	nv->value = xstrdup(value);
	nv->line = ld->lineno;
}

static void
unknown_key(struct load *ld, const char *name)
{
	const struct config_setting *st;
	const char *best = NULL, *home = NULL;
	char q[LOAD_QUOTE_MAX + 8];
	size_t i;

	for (i = 0; i < config_nsettings; i++) {
		st = &config_settings[i];
		if (st->sect == ld->cur->sect) {
			if (best == NULL && is_close(name, st->name))
				best = st->name;
		} else if (home == NULL && strcmp(name, st->name) == 0)
			home = config_sections[st->sect].name;
	}
	quote(name, q, sizeof(q));
	if (best != NULL)
		load_problem(ld, ld->lineno, "unknown key '%s' in [%s] (did "
		    "you mean '%s'?)", q, ld->cur->label, best);
	else if (home != NULL)
		load_problem(ld, ld->lineno, "unknown key '%s' in [%s] (it "
		    "belongs in [%s])", q, ld->cur->label, home);
	else
		load_problem(ld, ld->lineno, "unknown key '%s' in [%s]", q,
		    ld->cur->label);
}

static int
load_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct load *ld = user;
	const struct config_setting *st;
	char q[LOAD_QUOTE_MAX + 8];
	struct err err;
	size_t idx;

	if (ld->skipping)
		return 1;
	if (*name == '\0') {
		load_problem(ld, ld->lineno, "missing key before '='");
		return 1;
	}
	if (ld->cur == NULL) {
		load_problem(ld, ld->lineno, "'%s' is outside any section; "
		    "put it under its [section]", quote(name, q, sizeof(q)));
		return 1;
	}
	if (config_sections[ld->cur->sect].key != NULL) {
		load_named(ld, name, value);
		return 1;
	}
	if ((st = config_setting_find(ld->cur->sect, name)) == NULL) {
		unknown_key(ld, name);
		return 1;
	}
	idx = st - config_settings;
	if (ld->cur->lines[idx] != 0) {
		load_problem(ld, ld->lineno, "duplicate key '%s' in [%s] "
		    "(first set at line %d)", name, ld->cur->label,
		    ld->cur->lines[idx]);
		return 1;
	}
	ld->cur->lines[idx] = ld->lineno;
	err_clear(&err);
	if (setting_set(st, ld->cur->base, value, &err) == -1)
		load_problem(ld, ld->lineno, "%s", err.msg);
	return 1;
}

const struct config_named *
config_carrier(const struct config *conf, const char *carrier)
{
	if (conf == NULL || carrier == NULL)
		return NULL;
	return named_find(conf->carriers, conf->ncarriers, carrier, 1);
}

const char *
config_operator(const struct config *conf, const char *login)
{
	const struct config_named *nv;

	if (conf == NULL || login == NULL)
		return NULL;
	nv = named_find(conf->operators, conf->noperators, login, 0);
	return nv != NULL ? nv->value : NULL;
}

static int
row_line(const struct section *sc, const char *name)
{
	const struct config_setting *st;

	st = config_setting_find(sc->sect, name);
	return st == NULL ? 0 : sc->lines[st - config_settings];
}

/* Is host this machine?  Only then may a login travel in clear text. */
static int
host_is_loopback(const char *host)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (host == NULL)
		return 0;
	if (strcmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, host, &a6) == 1 &&
	    IN6_IS_ADDR_LOOPBACK(&a6);
}

/* Checks across the settings of one account section ([imap*], [smtp]). */
static void
check_account(struct load *ld, struct section *sc, struct config_secret *sec,
    const char *host, const char *user, enum config_tls tls, long *port)
{
	const struct config_setting *st, *src[8];
	int lines[8], line;
	size_t i, j, nsources = 0;

	for (i = 0; i < config_nsettings; i++) {
		st = &config_settings[i];
		if (st->sect != sc->sect)
			continue;
		line = sc->lines[i];
		/* "host =" is reported where it was written, not as a
		 * missing key at the section. */
		if ((st->flags & CONFIG_F_REQUIRED) && line == 0)
			load_problem(ld, sc->line, "[%s] is missing '%s'",
			    sc->label, st->name);
		else if ((st->flags & CONFIG_F_REQUIRED) &&
		    st->type == CONFIG_TYPE_STRING &&
		    *(char **)((char *)sc->base + st->off) == NULL)
			load_problem(ld, line, "'%s' must not be empty",
			    st->name);
		if (!(st->flags & CONFIG_F_SECRET_SOURCE) || line == 0 ||
		    nsources == 8)
			continue;
		/* Keep them in file order for the conflict messages. */
		for (j = nsources; j > 0 && lines[j - 1] > line; j--) {
			src[j] = src[j - 1];
			lines[j] = lines[j - 1];
		}
		src[j] = st;
		lines[j] = line;
		nsources++;
	}
	for (i = 1; i < nsources; i++)
		load_problem(ld, lines[i], "'%s' conflicts with '%s' at line "
		    "%d: give only one secret source", src[i]->name,
		    src[0]->name, lines[0]);
	if (nsources == 0 && (sc->sect == CONFIG_SECT_IMAP || user != NULL))
		load_problem(ld, sc->line, "[%s] is missing a secret: set "
		    "password_file, password_credential, oauth2_token_file "
		    "or oauth2_token_command", sc->label);
	if (nsources > 0 && user == NULL && sc->sect == CONFIG_SECT_SMTP)
		load_problem(ld, sc->line, "[%s] has a secret but no 'user'",
		    sc->label);
	/* Plaintext is for a server on this machine (tests, a local
	 * relay); anywhere else it would put the password on the wire. */
	if (tls == CONFIG_TLS_NONE && !host_is_loopback(host) &&
	    (sc->sect == CONFIG_SECT_IMAP || nsources > 0))
		load_problem(ld, row_line(sc, "tls"), "'tls = none' would "
		    "send the login in clear text to '%s': it is only "
		    "allowed for a server on this machine (localhost, "
		    "127.0.0.0/8, ::1)", host != NULL ? host : "");
	if (row_line(sc, "port") == 0) {
		if (sc->sect == CONFIG_SECT_IMAP)
			*port = tls == CONFIG_TLS_IMPLICIT ? 993 : 143;
		else
			*port = tls == CONFIG_TLS_IMPLICIT ? 465 :
			    tls == CONFIG_TLS_STARTTLS ? 587 : 25;
	}
	snprintf(sec->label, sizeof(sec->label), "%s", sc->label);
}

/* [webhook]: the receiver's URL (https, or http to this machine), one
 * secret source, and events from the list. */
static void
check_webhook(struct load *ld, struct section *sc, struct config_webhook *w)
{
	char *list, *tok, *save = NULL;
	int bit;

	w->enabled = 1;
	snprintf(w->secret.label, sizeof(w->secret.label), "webhook");
	w->secret.timeout = w->timeout;
	if (w->url != NULL && strncmp(w->url, "https://", 8) != 0 &&
	    !config_url_loopback(w->url))
		load_problem(ld, row_line(sc, "url"), "'url' must be https://, "
		    "or http:// to this machine only (127.0.0.1, [::1], "
		    "localhost)");
	if (w->secret.password_file == NULL &&
	    w->secret.password_credential == NULL)
		load_problem(ld, sc->line, "[webhook] needs 'secret_file' or "
		    "'secret_credential' to sign the events");
	w->event_mask = 0;
	list = xstrdup(w->events != NULL ? w->events : "");
	for (tok = strtok_r(list, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		if ((bit = config_webhook_event(tok)) < 0)
			load_problem(ld, row_line(sc, "events"), "'%s' is not "
			    "an event (accepted, approved, edited, shipped, "
			    "rejected)", tok);
		else
			w->event_mask |= 1u << bit;
	}
	free(list);
}

int
config_url_loopback(const char *url)
{
	const char *h, *end;
	size_t n;

	if (strncmp(url, "http://", 7) != 0)
		return 0;
	h = url + 7;
	if (*h == '[')
		end = strchr(h, ']') != NULL ? strchr(h, ']') + 1 : h;
	else
		end = h + strcspn(h, ":/?#");
	n = (size_t)(end - h);
	if (*end != '\0' && strchr(":/?#", *end) == NULL)
		return 0;
	return (n == 9 && strncmp(h, "localhost", 9) == 0) ||
	    (n == 5 && strncmp(h, "[::1]", 5) == 0) ||
	    (n > 4 && strncmp(h, "127.", 4) == 0 &&
	    strspn(h, "0123456789.") == n);
}

int
config_webhook_event(const char *name)
{
	static const char *const names[] = { "accepted", "approved",
	    "edited", "shipped", "rejected" };
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

/* Cross-setting checks and computed defaults, once the file is read. */
static void
load_finish(struct load *ld)
{
	struct config *conf = ld->conf;
	struct section *sc, *smtp = NULL;
	struct config_imap *im;
	int line;
	size_t i;

	for (i = 0; i < ld->nsects; i++) {
		sc = ld->sects[i];
		if (sc->sect == CONFIG_SECT_IMAP) {
			im = sc->imap;
			check_account(ld, sc, &im->secret, im->host, im->user,
			    im->tls, &im->port);
			im->secret.timeout = im->timeout;
			line = row_line(sc, "after_processing");
			if (line == 0)
				im->after_processing =
				    im->processed_folder != NULL ?
				    CONFIG_AFTER_MOVE : CONFIG_AFTER_SEEN;
			else if (im->after_processing == CONFIG_AFTER_MOVE &&
			    im->processed_folder == NULL)
				load_problem(ld, line, "'after_processing = "
				    "move' needs 'processed_folder'");
		} else if (sc->sect == CONFIG_SECT_WEBHOOK) {
			check_webhook(ld, sc, &conf->webhook);
		} else if (sc->sect == CONFIG_SECT_SMTP) {
			smtp = sc;
			conf->smtp.enabled = 1;
			check_account(ld, sc, &conf->smtp.secret,
			    conf->smtp.host, conf->smtp.user, conf->smtp.tls,
			    &conf->smtp.port);
			conf->smtp.secret.timeout = conf->smtp.timeout;
			if (conf->smtp.retry_initial > conf->smtp.retry_max) {
				line = row_line(sc, "retry_initial");
				load_problem(ld, line != 0 ? line :
				    row_line(sc, "retry_max"), "'retry_initial' "
				    "(%ld) is longer than 'retry_max' (%ld)",
				    conf->smtp.retry_initial,
				    conf->smtp.retry_max);
			}
		}
	}
	if (smtp != NULL && conf->smtp.from == NULL &&
	    (conf->reply.confirm_accepted || conf->reply.acknowledge_flagged))
		load_problem(ld, smtp->line, "[smtp] is missing 'from', "
		    "needed to send replies (see confirm_accepted and "
		    "acknowledge_flagged in [reply])");
	if (smtp != NULL && conf->smtp.sent_folder != NULL) {
		for (i = 0; i < ld->nsects; i++)
			if (ld->sects[i]->sect == CONFIG_SECT_IMAP)
				break;
		if (i == ld->nsects)
			load_problem(ld, row_line(smtp, "sent_folder"),
			    "'sent_folder' needs an [imap] section");
	}
}

/* Move the inboxes into conf->imaps, [imap] first, the rest in file
 * order. */
static void
load_take_inboxes(struct load *ld)
{
	struct config *conf = ld->conf;
	struct section *sc;
	size_t i, pass;

	for (i = 0; i < ld->nsects; i++)
		if (ld->sects[i]->sect == CONFIG_SECT_IMAP)
			conf->nimaps++;
	if (conf->nimaps == 0)
		return;
	conf->imaps = xcalloc(conf->nimaps, sizeof(*conf->imaps));
	conf->nimaps = 0;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ld->nsects; i++) {
			sc = ld->sects[i];
			if (sc->imap == NULL ||
			    (pass == 0) != (sc->imap->name[0] == '\0'))
				continue;
			conf->imaps[conf->nimaps++] = *sc->imap;
			free(sc->imap);
			sc->imap = NULL;
		}
	}
}

void
config_problems_init(struct config_problems *probs)
{
	probs->msgs = NULL;
	probs->n = 0;
}

void
config_problems_release(struct config_problems *probs)
{
	size_t i;

	if (probs == NULL)
		return;
	for (i = 0; i < probs->n; i++)
		free(probs->msgs[i]);
	free(probs->msgs);
	config_problems_init(probs);
}

int
config_load(const char *path, struct config **conf_r,
    struct config_problems *probs, struct err *err)
{
	struct load ld;
	struct stat sb;
	size_t i;
	int r;

	*conf_r = NULL;
	memset(&ld, 0, sizeof(ld));
	ld.conf = config_new_defaults();
	if (path == NULL) {
		*conf_r = ld.conf;
		return 0;
	}
	ld.path = path;
	ld.conf->path = xstrdup(path);
	if ((ld.fp = fopen(path, "r")) == NULL) {
		err_set(err, ERR_CONFIG, "cannot open '%s': %s", path,
		    strerror(errno));
		config_free(ld.conf);
		return -1;
	}
	if (fstat(fileno(ld.fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		err_set(err, ERR_CONFIG, "cannot read '%s': %s", path,
		    strerror(EISDIR));
		fclose(ld.fp);
		config_free(ld.conf);
		return -1;
	}

	r = ini_parse_stream(load_reader, &ld, load_handler, &ld);
	/* Everything inih could object to was caught by load_reader; this is
	 * a safety net, not the normal path. */
	if (r > 0) {
		for (i = 0; i < ld.nprobs; i++)
			if (ld.probs[i].line == r)
				break;
		if (i == ld.nprobs)
			load_problem(&ld, r, "syntax error");
	}
	if (ferror(ld.fp))
		load_problem(&ld, ld.lineno + 1, "read error: %s",
		    strerror(errno));
	fclose(ld.fp);
	free(ld.line);
	load_finish(&ld);
	load_take_inboxes(&ld);
	for (i = 0; i < ld.nsects; i++)
		section_free(ld.sects[i]);
	free(ld.sects);

	if (ld.nprobs > 0) {
		qsort(ld.probs, ld.nprobs, sizeof(*ld.probs), problem_cmp);
		if (ld.nprobs == 1)
			err_set(err, ERR_CONFIG, "%s", ld.probs[0].msg);
		else
			err_set(err, ERR_CONFIG, "%s (and %zu more)",
			    ld.probs[0].msg, ld.nprobs - 1);
		for (i = 0; i < ld.nprobs; i++) {
			if (probs != NULL) {
				probs->msgs = xreallocarray(probs->msgs,
				    probs->n + 1, sizeof(*probs->msgs));
				probs->msgs[probs->n++] = ld.probs[i].msg;
			} else
				free(ld.probs[i].msg);
		}
		free(ld.probs);
		config_free(ld.conf);
		return -1;
	}
	*conf_r = ld.conf;
	return 0;
}

int
config_load_report(const char *path, struct config **conf_r)
{
	struct config_problems probs;
	struct err err;
	size_t i;
	int rc;

	config_problems_init(&probs);
	err_clear(&err);
	if ((rc = config_load(path, conf_r, &probs, &err)) == -1) {
		if (probs.n == 0)
			log_err("%s", err.msg);
		for (i = 0; i < probs.n; i++)
			log_err("%s", probs.msgs[i]);
	}
	config_problems_release(&probs);
	return rc;
}

static void
named_free(struct config_named *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].value);
	}
	free(list);
}

void
config_free(struct config *conf)
{
	size_t i;
	int s;

	if (conf == NULL)
		return;
	for (s = 0; s < CONFIG_SECT_COUNT; s++)
		if (s != CONFIG_SECT_IMAP)
			section_release(s, section_base(conf, s));
	for (i = 0; i < conf->nimaps; i++) {
		section_release(CONFIG_SECT_IMAP, &conf->imaps[i]);
		free(conf->imaps[i].name);
	}
	free(conf->imaps);
	named_free(conf->carriers, conf->ncarriers);
	named_free(conf->operators, conf->noperators);
	free(conf->path);
	free(conf);
}

/* The value of row st in base as it would be written in the file, or NULL
 * when unset. */
static const char *
setting_format(const struct config_setting *st, const void *base, char *buf,
    size_t bufsz)
{
	const char *p = (const char *)base + st->off;
	char *const *list;
	size_t i, n, len;

	switch (st->type) {
	case CONFIG_TYPE_STRING:
		if (*(char *const *)p == NULL)
			return NULL;
		if (st->flags & CONFIG_F_HIDDEN)
			return "(set)";
		return *(char *const *)p;
	case CONFIG_TYPE_LIST:
		list = *(char **const *)p;
		n = *(const size_t *)((const char *)base + st->count_off);
		buf[0] = '\0';
		for (i = 0; i < n; i++) {
			len = strlen(buf);
			snprintf(buf + len, bufsz - len, "%s%s",
			    i == 0 ? "" : " ", list[i]);
		}
		return buf;
	case CONFIG_TYPE_INT:
		snprintf(buf, bufsz, "%ld", *(const long *)p);
		return buf;
	case CONFIG_TYPE_SIZE:
		config_size_format(*(const size_t *)p, buf, bufsz);
		return buf;
	case CONFIG_TYPE_DOUBLE:
		snprintf(buf, bufsz, "%g", *(const double *)p);
		return buf;
	case CONFIG_TYPE_BOOL:
		return *(const int *)p ? "yes" : "no";
	case CONFIG_TYPE_CHOICE:
		return config_choice_name(st->choices, *(const int *)p);
	case CONFIG_TYPE_REFUSED:
		break;
	}
	return NULL;
}

static void
dump_section(FILE *fp, enum config_sect sect, const char *label,
    const void *base)
{
	const struct config_setting *st;
	const char *v;
	char buf[4096];
	size_t i;

	fprintf(fp, "\n[%s]\n", label);
	for (i = 0; i < config_nsettings; i++) {
		st = &config_settings[i];
		if (st->sect != sect || st->type == CONFIG_TYPE_REFUSED)
			continue;
		if ((v = setting_format(st, base, buf, sizeof(buf))) == NULL)
			fprintf(fp, "#%s =\n", st->name);
		else
			fprintf(fp, "%s = %s\n", st->name, v);
	}
}

static void
dump_named(FILE *fp, const char *label, const struct config_named *list,
    size_t n)
{
	size_t i;

	fprintf(fp, "\n[%s]\n", label);
	if (n == 0)
		fputs("# none\n", fp);
	for (i = 0; i < n; i++)
		fprintf(fp, "%s = %s\n", list[i].name, list[i].value);
}

void
config_dump(const struct config *conf, FILE *fp)
{
	char label[64];
	size_t i;
	int s;

	fprintf(fp, "# effective settings (%s)\n", conf->path != NULL ?
	    conf->path : "built-in defaults");
	for (s = 0; s < CONFIG_SECT_COUNT; s++) {
		if (s == CONFIG_SECT_IMAP) {
			if (conf->nimaps == 0)
				fprintf(fp, "\n# no [imap] section: no mail "
				    "is fetched\n");
			for (i = 0; i < conf->nimaps; i++) {
				snprintf(label, sizeof(label), "imap%s%s",
				    conf->imaps[i].name[0] != '\0' ? "." : "",
				    conf->imaps[i].name);
				dump_section(fp, s, label, &conf->imaps[i]);
			}
		} else if (s == CONFIG_SECT_SMTP && !conf->smtp.enabled)
			fprintf(fp, "\n# no [smtp] section: no replies are "
			    "sent\n");
		else if (s == CONFIG_SECT_CARRIERS)
			dump_named(fp, config_sections[s].name, conf->carriers,
			    conf->ncarriers);
		else if (s == CONFIG_SECT_OPERATORS)
			dump_named(fp, config_sections[s].name,
			    conf->operators, conf->noperators);
		else if (s == CONFIG_SECT_WEBHOOK && !conf->webhook.enabled)
			fprintf(fp, "\n# no [webhook] section: no events are "
			    "posted\n");
		else
			dump_section(fp, s, config_sections[s].name,
			    section_base((struct config *)conf, s));
	}
}
