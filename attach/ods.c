/*
 * ODS (OpenDocument spreadsheets, LibreOffice's own format): the order's
 * table from content.xml as laid-out text.
 *
 * The table read is the first whose name says order or PO, else the
 * first.  A cell's value comes from its typed attribute when it has one
 * (office:value for numbers, office:date-value for dates), so "12.00 EUR"
 * on screen is 12 here and a date is YYYY-MM-DD; text cells give their
 * paragraphs.  Repeated rows and columns (LibreOffice writes "1024 empty
 * columns" as one element) only cost cells when they hold something.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attach/attach_int.h"
#include "common/xmalloc.h"

#define ODS_START(r, n)	attach_xml_is((r), XML_READER_TYPE_ELEMENT, (n))
#define ODS_END(r, n)	attach_xml_is((r), XML_READER_TYPE_END_ELEMENT, (n))
#define ODS_REPEAT_MAX	100000	/* a repeat count past this is hostile */

struct ods {
	xmlTextReaderPtr	 r;
	struct layout		 lo;
	size_t			 row, col;
	int			 full;	/* max_cells passed */
};

static int
ods_name_is_order(const char *name)
{
	return name != NULL && (strcasestr(name, "order") != NULL ||
	    strncasecmp(name, "po", 2) == 0 || strcasestr(name, "bestell") !=
	    NULL);
}

/* Which table (0-based) to read. */
static size_t
ods_pick_table(const char *xml, size_t len)
{
	xmlTextReaderPtr r = attach_xml_reader(xml, len);
	size_t i = 0, pick = 0;
	int found = 0;
	char *name;

	if (r == NULL)
		return 0;
	while (!found && xmlTextReaderRead(r) == 1) {
		if (!ODS_START(r, "table"))
			continue;
		name = attach_xml_attr(r, "name");
		if (ods_name_is_order(name)) {
			pick = i;
			found = 1;
		}
		free(name);
		i++;
	}
	xmlFreeTextReader(r);
	return pick;
}

static size_t
ods_repeat(xmlTextReaderPtr r, const char *attr)
{
	char *a = attach_xml_attr(r, attr);
	unsigned long n = a != NULL ? strtoul(a, NULL, 10) : 1;

	free(a);
	return n == 0 ? 1 : n > ODS_REPEAT_MAX ? ODS_REPEAT_MAX : n;
}

/* The paragraphs of the current cell, joined by spaces. */
static char *
ods_cell_text(xmlTextReaderPtr r)
{
	struct buf b;
	char *s;

	buf_init(&b, 64 * 1024);
	while (xmlTextReaderRead(r) == 1 && !ODS_END(r, "table-cell")) {
		int t = xmlTextReaderNodeType(r);

		if (t == XML_READER_TYPE_TEXT ||
		    t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
			(void)buf_adds(&b, (const char *)
			    xmlTextReaderConstValue(r));
		else if (ODS_START(r, "s") || ODS_START(r, "tab") ||
		    ODS_START(r, "line-break") || ODS_END(r, "p"))
			(void)buf_addc(&b, ' ');
	}
	s = buf_detach(&b, NULL);
	buf_release(&b);
	return s;
}

/* A cell's value: typed attribute first, else its text. */
static char *
ods_cell_value(xmlTextReaderPtr r)
{
	char *type = attach_xml_attr(r, "value-type"), *v = NULL, *text;
	char num[64];

	if (type != NULL && (strcmp(type, "float") == 0 ||
	    strcmp(type, "currency") == 0 || strcmp(type, "percentage") == 0) &&
	    (v = attach_xml_attr(r, "value")) != NULL) {
		snprintf(num, sizeof(num), "%.15g", strtod(v, NULL));
		free(v);
		v = xstrdup(num);
	} else if (type != NULL && strcmp(type, "date") == 0 &&
	    (v = attach_xml_attr(r, "date-value")) != NULL && strlen(v) > 10)
		v[10] = '\0';	/* 2026-12-10T00:00:00: the day */
	else if (type != NULL && strcmp(type, "boolean") == 0 &&
	    (v = attach_xml_attr(r, "boolean-value")) != NULL) {
		free(v);
		v = NULL;
	}
	free(type);
	if (xmlTextReaderIsEmptyElement(r))
		return v;
	text = ods_cell_text(r);
	if (v != NULL) {
		free(text);
		return v;
	}
	return text;
}

static void
ods_cell(struct ods *o)
{
	size_t n = ods_repeat(o->r, "number-columns-repeated"), i;
	char *v = ods_cell_value(o->r);

	for (i = 0; v != NULL && *v != '\0' && i < n && !o->full; i++)
		if (layout_add(&o->lo, o->row, (double)(o->col + i), v,
		    strlen(v)) == -1)
			o->full = 1;
	o->col += n;
	free(v);
}

/* One table-row, repeated as its attribute says. */
static void
ods_row(struct ods *o)
{
	size_t n = ods_repeat(o->r, "number-rows-repeated"), i, first, had;

	first = o->lo.n;
	o->col = 0;
	if (!xmlTextReaderIsEmptyElement(o->r))
		while (xmlTextReaderRead(o->r) == 1 &&
		    !ODS_END(o->r, "table-row")) {
			if (ODS_START(o->r, "table-cell"))
				ods_cell(o);
			else if (ODS_START(o->r, "covered-table-cell"))
				o->col += ods_repeat(o->r,
				    "number-columns-repeated");
		}
	had = o->lo.n - first;
	/* the same row again, n - 1 times: copies of its cells */
	for (i = 1; had > 0 && i < n && !o->full; i++) {
		size_t k;

		for (k = 0; k < had && !o->full; k++) {
			const struct layout_cell *c = &o->lo.cells[first + k];

			if (layout_add(&o->lo, o->row + i, c->x, c->text,
			    c->len) == -1)
				o->full = 1;
		}
	}
	o->row += n;
}

int
attach_ods_read(const char *data, size_t len,
    const struct attach_limits *lim, struct buf *out, struct err *err)
{
	struct ods o;
	char *xml;
	size_t n, pick, t = 0;
	int r, rc = 0;

	if ((r = attach_zip_member(data, len, "content.xml",
	    lim->max_unpacked, &xml, &n, err)) != 1)
		return r == 0 ? err_set(err, ERR_MSG, "no content.xml in the "
		    "document") : -1;
	pick = ods_pick_table(xml, n);
	memset(&o, 0, sizeof(o));
	if ((o.r = attach_xml_reader(xml, n)) == NULL) {
		free(xml);
		return err_set(err, ERR_MSG, "unreadable content.xml");
	}
	layout_init(&o.lo, lim->max_cells, 1);
	while (xmlTextReaderRead(o.r) == 1 && !o.full) {
		if (!ODS_START(o.r, "table"))
			continue;
		if (t++ != pick)
			continue;	/* counted as ods_pick_table counts */
		while (xmlTextReaderRead(o.r) == 1 && !ODS_END(o.r, "table") &&
		    !o.full)
			if (ODS_START(o.r, "table-row"))
				ods_row(&o);
		break;
	}
	xmlFreeTextReader(o.r);
	free(xml);
	if (o.full)
		rc = err_set(err, ERR_MSG, "more than %zu cells",
		    lim->max_cells);
	else if (layout_text(&o.lo, out) == -1)
		rc = err_set(err, ERR_MSG, "the sheet is longer than %zu "
		    "bytes of text", out->max);
	layout_release(&o.lo);
	return rc;
}
