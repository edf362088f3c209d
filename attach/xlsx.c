/*
 * XLSX (Office Open XML spreadsheets, from Excel, LibreOffice, openpyxl):
 * the order's sheet as laid-out text.
 *
 * The workbook names its sheets; the one read is the first whose name
 * says order or PO ("Order", "Purchase Order", "PO 4711"), else the one
 * the workbook opens on, else the first.  Cells are shared strings,
 * inline strings or numbers.  A number is written from its stored value,
 * never from its display format ("12", not "12.00" or "1.20E+01"), and a
 * number whose style is a date format becomes YYYY-MM-DD, so a requested
 * date reads the same whatever the buyer's locale showed.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "attach/attach_int.h"
#include "common/xmalloc.h"

#define XLSX_SHEETS_MAX	64
#define XLSX_NUMFMTS_MAX 512
#define XLSX_XFS_MAX	4096

struct xlsx {
	const struct attach_limits	*lim;
	char	**strings;		/* shared strings */
	size_t	  nstrings;
	int	 *xf_date;		/* cellXfs index -> is a date format */
	size_t	  nxf;
};

#define xlsx_reader	attach_xml_reader
#define xlsx_attr	attach_xml_attr
#define XLSX_START(r, n)	attach_xml_is((r), XML_READER_TYPE_ELEMENT, (n))
#define XLSX_END(r, n)		attach_xml_is((r), XML_READER_TYPE_END_ELEMENT, (n))

static int
xlsx_member(const char *data, size_t len, const struct attach_limits *lim,
    const char *name, char **xml_r, size_t *n_r, struct err *err)
{
	int r = attach_zip_member(data, len, name, lim->max_unpacked, xml_r,
	    n_r, err);

	if (r == 0)
		err_set(err, ERR_MSG, "no '%s' in the workbook", name);
	return r == 1 ? 0 : -1;
}

/* An order's sheet by its name. */
static int
xlsx_name_is_order(const char *name)
{
	return name != NULL && (strcasestr(name, "order") != NULL ||
	    strncasecmp(name, "po", 2) == 0 || strcasestr(name, "bestell") !=
	    NULL);
}

/* The relationship id of the sheet to read, from xl/workbook.xml. */
static char *
xlsx_pick_sheet(const char *xml, size_t len)
{
	xmlTextReaderPtr r = xlsx_reader(xml, len);
	char *ids[XLSX_SHEETS_MAX], *name, *pick = NULL, *tab = NULL;
	size_t n = 0, i, active = 0;

	if (r == NULL)
		return NULL;
	while (xmlTextReaderRead(r) == 1) {
		if (XLSX_START(r, "workbookView") &&
		    (tab = xlsx_attr(r, "activeTab")) != NULL) {
			active = strtoul(tab, NULL, 10);
			free(tab);
		}
		if (!XLSX_START(r, "sheet") || n >= XLSX_SHEETS_MAX)
			continue;
		if ((ids[n] = xlsx_attr(r, "id")) == NULL)
			continue;
		name = xlsx_attr(r, "name");
		if (pick == NULL && xlsx_name_is_order(name))
			pick = ids[n];
		free(name);
		n++;
	}
	xmlFreeTextReader(r);
	if (pick == NULL && n > 0)
		pick = ids[active < n ? active : 0];
	for (i = 0; i < n; i++)
		if (ids[i] != pick)
			free(ids[i]);
	return pick;
}

/* The sheet's part name ("xl/worksheets/sheet1.xml") for relationship
 * id, from xl/_rels/workbook.xml.rels. */
static char *
xlsx_sheet_path(const char *xml, size_t len, const char *id)
{
	xmlTextReaderPtr r = xlsx_reader(xml, len);
	char *rid, *target, *path = NULL;

	if (r == NULL)
		return NULL;
	while (path == NULL && xmlTextReaderRead(r) == 1) {
		if (!XLSX_START(r, "Relationship"))
			continue;
		rid = xlsx_attr(r, "Id");
		target = xlsx_attr(r, "Target");
		if (rid != NULL && target != NULL && strcmp(rid, id) == 0) {
			if (target[0] == '/')
				path = xstrdup(target + 1);
			else {
				path = xmalloc(strlen(target) + 4);
				sprintf(path, "xl/%s", target);
			}
		}
		free(rid);
		free(target);
	}
	xmlFreeTextReader(r);
	return path;
}

/* The text of the <t> elements inside the current element (a shared
 * string <si> or an inline <is>), phonetic runs (<rPh>) left out. */
static char *
xlsx_string(xmlTextReaderPtr r, const char *end)
{
	struct buf b;
	int in_t = 0, in_ph = 0;
	char *s;

	buf_init(&b, 1024 * 1024);
	if (xmlTextReaderIsEmptyElement(r))
		return xstrdup("");
	while (xmlTextReaderRead(r) == 1 && !XLSX_END(r, end)) {
		if (XLSX_START(r, "rPh"))
			in_ph = 1;
		else if (XLSX_END(r, "rPh"))
			in_ph = 0;
		else if (XLSX_START(r, "t"))
			in_t = 1;
		else if (XLSX_END(r, "t"))
			in_t = 0;
		else if (in_t && !in_ph && (xmlTextReaderNodeType(r) ==
		    XML_READER_TYPE_TEXT || xmlTextReaderNodeType(r) ==
		    XML_READER_TYPE_SIGNIFICANT_WHITESPACE))
			(void)buf_adds(&b, (const char *)
			    xmlTextReaderConstValue(r));
	}
	s = buf_detach(&b, NULL);
	buf_release(&b);
	return s != NULL ? s : xstrdup("");
}

static int
xlsx_shared_strings(struct xlsx *x, const char *xml, size_t len,
    struct err *err)
{
	xmlTextReaderPtr r = xlsx_reader(xml, len);
	size_t cap = 0;

	if (r == NULL)
		return err_set(err, ERR_MSG, "unreadable shared strings");
	while (xmlTextReaderRead(r) == 1) {
		if (!XLSX_START(r, "si"))
			continue;
		if (x->nstrings >= x->lim->max_cells) {
			xmlFreeTextReader(r);
			return err_set(err, ERR_MSG, "more than %zu strings",
			    x->lim->max_cells);
		}
		if (x->nstrings == cap) {
			cap = cap ? cap * 2 : 256;
			x->strings = xreallocarray(x->strings, cap,
			    sizeof(*x->strings));
		}
		x->strings[x->nstrings++] = xlsx_string(r, "si");
	}
	xmlFreeTextReader(r);
	return 0;
}

/* A number format code that shows a date: d, m or y outside quotes and
 * brackets ("[$-409]d/m/yyyy", "yyyy-mm-dd"); "0.00" and "#,##0" are not. */
static int
xlsx_code_is_date(const char *code)
{
	int quote = 0, bracket = 0;

	for (; code != NULL && *code != '\0'; code++) {
		if (*code == '"')
			quote = !quote;
		else if (!quote && *code == '[')
			bracket = 1;
		else if (!quote && *code == ']')
			bracket = 0;
		else if (!quote && !bracket && *code == '\\' && code[1] != '\0')
			code++;
		else if (!quote && !bracket &&
		    strchr("dmyDMY", *code) != NULL)
			return 1;
	}
	return 0;
}

/* Excel's built-in date formats. */
static int
xlsx_builtin_is_date(long id)
{
	return (id >= 14 && id <= 22) || (id >= 45 && id <= 47) ||
	    (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

/* Which cell styles (cellXfs) show dates, from xl/styles.xml. */
static void
xlsx_styles(struct xlsx *x, const char *xml, size_t len)
{
	xmlTextReaderPtr r = xlsx_reader(xml, len);
	long ids[XLSX_NUMFMTS_MAX];
	int isdate[XLSX_NUMFMTS_MAX];
	size_t nfmt = 0, i;
	int in_xfs = 0;
	char *a, *code;
	long id;

	if (r == NULL)
		return;
	x->xf_date = xcalloc(XLSX_XFS_MAX, sizeof(*x->xf_date));
	while (xmlTextReaderRead(r) == 1) {
		if (XLSX_START(r, "numFmt") && nfmt < XLSX_NUMFMTS_MAX) {
			a = xlsx_attr(r, "numFmtId");
			code = xlsx_attr(r, "formatCode");
			ids[nfmt] = a ? strtol(a, NULL, 10) : -1;
			isdate[nfmt++] = xlsx_code_is_date(code);
			free(a);
			free(code);
		} else if (XLSX_START(r, "cellXfs"))
			in_xfs = !xmlTextReaderIsEmptyElement(r);
		else if (XLSX_END(r, "cellXfs"))
			in_xfs = 0;
		else if (in_xfs && XLSX_START(r, "xf") &&
		    x->nxf < XLSX_XFS_MAX) {
			a = xlsx_attr(r, "numFmtId");
			id = a ? strtol(a, NULL, 10) : 0;
			free(a);
			x->xf_date[x->nxf] = xlsx_builtin_is_date(id);
			for (i = 0; i < nfmt; i++)
				if (ids[i] == id)
					x->xf_date[x->nxf] = isdate[i];
			x->nxf++;
		}
	}
	xmlFreeTextReader(r);
}

/* "BC12" -> column 54 (0-based), row 12; -1 when it is no reference. */
static int
xlsx_ref(const char *ref, size_t *col_r, size_t *row_r)
{
	size_t col = 0, row = 0;
	int letters = 0;

	for (; ref != NULL && isalpha((unsigned char)*ref); ref++) {
		if (++letters > 3)
			return -1;
		col = col * 26 + (size_t)(toupper((unsigned char)*ref) - 'A' +
		    1);
	}
	if (letters == 0)
		return -1;
	for (; isdigit((unsigned char)*ref); ref++)
		if ((row = row * 10 + (size_t)(*ref - '0')) > 10000000)
			return -1;
	if (*ref != '\0' || row == 0)
		return -1;
	*col_r = col - 1;
	*row_r = row;
	return 0;
}

/* A cell's text from its type (t=), its style (s=) and its <v>. */
static char *
xlsx_value(const struct xlsx *x, const char *type, const char *style,
    const char *v)
{
	char date[11], num[64], *end;
	unsigned long si;
	double d;

	if (type != NULL && strcmp(type, "s") == 0) {
		si = strtoul(v, &end, 10);
		return *end == '\0' && si < x->nstrings ?
		    xstrdup(x->strings[si]) : NULL;
	}
	if (type != NULL && strcmp(type, "e") == 0)
		return NULL;	/* #REF!, #DIV/0!: nothing the buyer meant */
	if (type != NULL && strcmp(type, "b") == 0)
		return xstrdup(strcmp(v, "1") == 0 ? "TRUE" : "FALSE");
	if (type != NULL && strcmp(type, "n") != 0)
		return xstrdup(v);	/* "str": a formula's text */
	d = strtod(v, &end);
	if (end == v || *end != '\0')
		return xstrdup(v);
	si = style != NULL ? strtoul(style, NULL, 10) : 0;
	if (si < x->nxf && x->xf_date[si] && attach_serial_date(d, date) == 0)
		return xstrdup(date);
	snprintf(num, sizeof(num), "%.15g", d);
	return xstrdup(num);
}

/* One <c> element: its reference, type and style, then its value. */
static int
xlsx_cell(struct xlsx *x, xmlTextReaderPtr r, struct layout *lo,
    size_t *row, size_t *col)
{
	char *ref = xlsx_attr(r, "r"), *type = xlsx_attr(r, "t");
	char *style = xlsx_attr(r, "s"), *text = NULL, *v;
	int rc = 0;

	if (ref != NULL && xlsx_ref(ref, col, row) == -1)
		goto out;
	if (!xmlTextReaderIsEmptyElement(r))
		while (xmlTextReaderRead(r) == 1 && !XLSX_END(r, "c")) {
			if (XLSX_START(r, "is") && text == NULL)
				text = xlsx_string(r, "is");
			else if (XLSX_START(r, "v") && text == NULL &&
			    (v = (char *)xmlTextReaderReadString(r)) != NULL) {
				text = xlsx_value(x, type, style, v);
				xmlFree(v);
			}
		}
	if (text != NULL)
		rc = layout_add(lo, *row, (double)*col, text, strlen(text));
out:
	(*col)++;
	free(text);
	free(ref);
	free(type);
	free(style);
	return rc;
}

static int
xlsx_sheet(struct xlsx *x, const char *xml, size_t len, struct buf *out,
    struct err *err)
{
	xmlTextReaderPtr r = xlsx_reader(xml, len);
	struct layout lo;
	size_t row = 0, col = 0;
	char *a;
	int rc = 0;

	if (r == NULL)
		return err_set(err, ERR_MSG, "unreadable sheet");
	layout_init(&lo, x->lim->max_cells, 1);
	while (rc == 0 && xmlTextReaderRead(r) == 1) {
		if (XLSX_START(r, "row")) {
			a = xlsx_attr(r, "r");
			row = a != NULL ? strtoul(a, NULL, 10) : row + 1;
			col = 0;
			free(a);
		} else if (XLSX_START(r, "c") &&
		    xlsx_cell(x, r, &lo, &row, &col) == -1)
			rc = err_set(err, ERR_MSG, "more than %zu cells",
			    x->lim->max_cells);
	}
	xmlFreeTextReader(r);
	if (rc == 0 && layout_text(&lo, out) == -1)
		rc = err_set(err, ERR_MSG, "the sheet is longer than %zu "
		    "bytes of text", out->max);
	layout_release(&lo);
	return rc;
}

static void
xlsx_release(struct xlsx *x)
{
	size_t i;

	for (i = 0; i < x->nstrings; i++)
		free(x->strings[i]);
	free(x->strings);
	free(x->xf_date);
}

int
attach_xlsx_read(const char *data, size_t len,
    const struct attach_limits *lim, struct buf *out, struct err *err)
{
	struct xlsx x;
	char *xml = NULL, *id = NULL, *path = NULL;
	size_t n;
	int rc = -1, r;

	memset(&x, 0, sizeof(x));
	x.lim = lim;
	if (xlsx_member(data, len, lim, "xl/workbook.xml", &xml, &n,
	    err) == -1)
		goto out;
	id = xlsx_pick_sheet(xml, n);
	free(xml);
	xml = NULL;
	if (id == NULL) {
		err_set(err, ERR_MSG, "the workbook lists no sheet");
		goto out;
	}
	if (xlsx_member(data, len, lim, "xl/_rels/workbook.xml.rels", &xml,
	    &n, err) == -1)
		goto out;
	path = xlsx_sheet_path(xml, n, id);
	free(xml);
	xml = NULL;
	if (path == NULL) {
		err_set(err, ERR_MSG, "the workbook's sheet '%s' is missing",
		    id);
		goto out;
	}
	/* both optional: a workbook of numbers only has no strings */
	if ((r = attach_zip_member(data, len, "xl/sharedStrings.xml",
	    lim->max_unpacked, &xml, &n, err)) == -1 || (r == 1 &&
	    xlsx_shared_strings(&x, xml, n, err) == -1))
		goto out;
	free(xml);
	xml = NULL;
	if ((r = attach_zip_member(data, len, "xl/styles.xml",
	    lim->max_unpacked, &xml, &n, err)) == -1)
		goto out;
	if (r == 1)
		xlsx_styles(&x, xml, n);
	free(xml);
	xml = NULL;
	if (xlsx_member(data, len, lim, path, &xml, &n, err) == -1)
		goto out;
	rc = xlsx_sheet(&x, xml, n, out, err);
out:
	free(xml);
	free(id);
	free(path);
	xlsx_release(&x);
	return rc;
}
