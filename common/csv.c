/*
 * RFC 4180 CSV reader; see csv.h.  A byte-at-a-time state machine over
 * stdio: imports are at most a few megabytes, and reading bytes keeps the
 * line count exact and the size limits easy to enforce before anything
 * grows.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/csv.h"
#include "common/utf8.h"
#include "common/xmalloc.h"

struct csv {
	FILE		*fp;
	int		 own_fp;	/* opened by csv_open: close it */
	char		*name;
	unsigned long	 line;		/* physical line of the next byte */
	unsigned long	 rec_line;	/* line where the current record starts */
	int		 back[4];	/* pushed-back bytes, a small stack */
	int		 nback;
	struct buf	 rec;		/* the fields, each NUL-terminated */
	size_t		 off[CSV_FIELDS_MAX];
	size_t		 nf;
	char		**cols;		/* header names, trimmed */
	size_t		 ncols;
	int		 sep;		/* ',' unless csv_new_sep said */
};

static int
csv_getc(struct csv *c)
{
	if (c->nback > 0)
		return c->back[--c->nback];
	return getc(c->fp);
}

static void
csv_ungetc(struct csv *c, int ch)
{
	if (ch != EOF && c->nback < (int)(sizeof(c->back) /
	    sizeof(c->back[0])))
		c->back[c->nback++] = ch;
}

static int
csv_fail(struct csv *c, struct err *err, unsigned long line,
    const char *what)
{
	return err_set(err, ERR_INPUT, "%s:%lu: %s", c->name, line, what);
}

/* Called when csv_getc() returned EOF: tell a real end of file from a
 * read error. */
static int
csv_check_read(struct csv *c, struct err *err)
{
	if (ferror(c->fp))
		return err_set(err, ERR_CONFIG, "cannot read '%s': %s",
		    c->name, strerror(errno));
	return 0;
}

/* Append one byte to the field that started at field_start, enforcing
 * both limits. */
static int
csv_add(struct csv *c, int ch, size_t field_start, struct err *err)
{
	char msg[64];

	if (c->rec.len - field_start >= CSV_FIELD_MAX) {
		snprintf(msg, sizeof(msg), "field longer than %d bytes",
		    CSV_FIELD_MAX);
		return csv_fail(c, err, c->rec_line, msg);
	}
	/* The record limit counts data bytes, not our NUL separators; the
	 * buffer's own cap is only a backstop. */
	if (c->rec.len - c->nf >= CSV_RECORD_MAX ||
	    buf_addc(&c->rec, ch) == -1) {
		snprintf(msg, sizeof(msg), "record longer than %d bytes",
		    CSV_RECORD_MAX);
		return csv_fail(c, err, c->rec_line, msg);
	}
	return 0;
}

/* Read one quoted field (the opening quote already consumed).  Returns
 * the byte that follows the closing quote, or -2 on error. */
static int
csv_parse_quoted(struct csv *c, size_t start, struct err *err)
{
	unsigned long open_line = c->line;
	int ch;

	for (;;) {
		if ((ch = csv_getc(c)) == EOF) {
			if (csv_check_read(c, err) == -1)
				return -2;
			csv_fail(c, err, open_line,
			    "unterminated quoted field");
			return -2;
		}
		if (ch == '"') {
			if ((ch = csv_getc(c)) != '"')
				return ch;	/* closing quote */
		} else if (ch == '\n')
			c->line++;
		if (csv_add(c, ch, start, err) == -1)
			return -2;
	}
}

/* Read one unquoted field starting with ch.  Returns the byte that ended
 * it (',', '\n' for LF or CRLF, or EOF), or -2 on error.  A lone CR is
 * data, as is a quote in the middle of an unquoted field. */
static int
csv_parse_plain(struct csv *c, int ch, size_t start, struct err *err)
{
	int next;

	while (ch != c->sep && ch != '\n' && ch != EOF) {
		if (ch == '\r') {
			if ((next = csv_getc(c)) == '\n')
				return '\n';
			csv_ungetc(c, next);
		}
		if (csv_add(c, ch, start, err) == -1)
			return -2;
		ch = csv_getc(c);
	}
	return ch;
}

/* Every field must be UTF-8; utf8_valid() also refuses NUL bytes, which
 * would silently cut a field short once it is used as a C string. */
static int
csv_validate(struct csv *c, struct err *err)
{
	char msg[128];
	size_t i, end;

	for (i = 0; i < c->nf; i++) {
		end = i + 1 < c->nf ? c->off[i + 1] - 1 : c->rec.len - 1;
		const char *f = c->rec.data + c->off[i], *what;

		if (utf8_valid(f, end - c->off[i], NULL))
			continue;
		what = strlen(f) < end - c->off[i] ? "NUL byte" :
		    "invalid UTF-8";
		if (c->cols != NULL && i < c->ncols)
			snprintf(msg, sizeof(msg), "%s in column '%s'", what,
			    c->cols[i]);
		else
			snprintf(msg, sizeof(msg), "%s in field %zu", what,
			    i + 1);
		return csv_fail(c, err, c->rec_line, msg);
	}
	return 0;
}

int
csv_read(struct csv *c, struct err *err)
{
	size_t start;
	int ch, next;

	buf_reset(&c->rec);
	c->nf = 0;
	/* Skip empty lines between records. */
	for (;;) {
		c->rec_line = c->line;
		ch = csv_getc(c);
		if (ch == '\n') {
			c->line++;
			continue;
		}
		if (ch == '\r') {
			if ((next = csv_getc(c)) == '\n') {
				c->line++;
				continue;
			}
			csv_ungetc(c, next);
		}
		break;
	}
	if (ch == EOF)
		return csv_check_read(c, err) == -1 ? -1 : 0;

	for (;;) {
		start = c->rec.len;
		if (ch == '"') {
			ch = csv_parse_quoted(c, start, err);
			if (ch == '\r') {
				if ((next = csv_getc(c)) == '\n')
					ch = '\n';
				else
					csv_ungetc(c, next);
			}
			if (ch != -2 && ch != c->sep && ch != '\n' &&
			    ch != EOF) {
				csv_fail(c, err, c->line,
				    "unexpected character after closing quote");
				ch = -2;
			}
		} else
			ch = csv_parse_plain(c, ch, start, err);
		if (ch == -2)
			return -1;
		if (c->nf == CSV_FIELDS_MAX) {
			char msg[64];

			snprintf(msg, sizeof(msg), "more than %d fields",
			    CSV_FIELDS_MAX);
			return csv_fail(c, err, c->rec_line, msg);
		}
		if (buf_addc(&c->rec, '\0') == -1)
			return csv_fail(c, err, c->rec_line,
			    "record too long");
		c->off[c->nf++] = start;
		if (ch == c->sep) {
			ch = csv_getc(c);
			continue;
		}
		if (ch == '\n')
			c->line++;
		else if (csv_check_read(c, err) == -1)
			return -1;
		break;
	}
	return csv_validate(c, err) == -1 ? -1 : 1;
}

static char *
csv_trim_dup(const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

struct csv *
csv_new(FILE *fp, const char *name, struct err *err)
{
	return csv_new_sep(fp, name, ',', err);
}

struct csv *
csv_new_sep(FILE *fp, const char *name, int sep, struct err *err)
{
	struct csv *c = xcalloc(1, sizeof(*c));
	int ch, rc;
	size_t i;

	c->sep = sep;
	c->fp = fp;
	c->name = xstrdup(name);
	c->line = 1;
	/* The field limit bounds each field; the record limit (plus one NUL
	 * per field) bounds the whole line. */
	buf_init(&c->rec, CSV_RECORD_MAX + CSV_FIELDS_MAX);

	/* A UTF-8 byte order mark, as spreadsheet exports write it. */
	if ((ch = csv_getc(c)) == 0xef) {
		int b2 = csv_getc(c), b3 = csv_getc(c);

		if (b2 != 0xbb || b3 != 0xbf) {
			csv_ungetc(c, b3);
			csv_ungetc(c, b2);
			csv_ungetc(c, ch);
		}
	} else
		csv_ungetc(c, ch);

	if ((rc = csv_read(c, err)) == 0)
		csv_fail(c, err, 1, "empty file: a header line is required");
	if (rc != 1) {
		csv_free(c);
		return NULL;
	}
	c->ncols = c->nf;
	c->cols = xreallocarray(NULL, c->ncols, sizeof(*c->cols));
	for (i = 0; i < c->ncols; i++)
		c->cols[i] = csv_trim_dup(csv_field(c, (int)i));
	return c;
}

struct csv *
csv_open(const char *path, struct err *err)
{
	struct csv *c;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		err_set(err, ERR_CONFIG, "cannot open '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	if ((c = csv_new(fp, path, err)) == NULL) {
		fclose(fp);
		return NULL;
	}
	c->own_fp = 1;
	return c;
}

void
csv_free(struct csv *c)
{
	size_t i;

	if (c == NULL)
		return;
	if (c->own_fp)
		fclose(c->fp);
	for (i = 0; i < c->ncols; i++)
		free(c->cols[i]);
	free(c->cols);
	buf_release(&c->rec);
	free(c->name);
	free(c);
}

int
csv_column(struct csv *c, const char *name, struct err *err)
{
	size_t i;

	for (i = 0; i < c->ncols; i++)
		if (strcasecmp(c->cols[i], name) == 0)
			return (int)i;
	if (err == NULL)
		return -1;
	/* A spreadsheet saved in a locale whose list separator is ';'
	 * gives one column named "sku;name;...": say so, not just that
	 * sku is missing. */
	if (c->ncols == 1 && strchr(c->cols[0], ';') != NULL)
		err_set(err, ERR_INPUT, "%s:1: missing column '%s': the file "
		    "looks semicolon-separated (header '%.60s'); save it "
		    "with commas between the columns", c->name, name,
		    c->cols[0]);
	else
		err_set(err, ERR_INPUT, "%s:1: missing column '%s'", c->name,
		    name);
	return -1;
}

const char *
csv_field(const struct csv *c, int col)
{
	if (col < 0 || (size_t)col >= c->nf)
		return "";
	return c->rec.data + c->off[col];
}

size_t
csv_nfields(const struct csv *c)
{
	return c->nf;
}

unsigned long
csv_line(const struct csv *c)
{
	return c->rec_line;
}

const char *
csv_name(const struct csv *c)
{
	return c->name;
}

size_t
csv_ncolumns(const struct csv *c)
{
	return c->ncols;
}

const char *
csv_column_name(const struct csv *c, size_t col)
{
	return col < c->ncols ? c->cols[col] : NULL;
}
