/*
 * Order sheets: a CSV attached to the email (a spreadsheet exported by the
 * customer).  The sheet becomes tab-separated text, header first, and goes
 * through the same table reader as a table written in the mail, so its
 * columns get their roles from the same header words: the quantity from
 * "Qty", the item from "Description", a "Line" column never a quantity,
 * and an item-code column used only when it holds the shop's SKUs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/csv.h"
#include "common/xmalloc.h"
#include "engine/engine_int.h"

#define SHEET_TEXT_MAX	(256 * 1024)

/* A field with its tabs and line breaks as spaces, so it stays one cell. */
static void
sheet_cell(struct buf *b, const char *s, int first)
{
	if (!first)
		buf_addc(b, '\t');
	for (; *s != '\0'; s++)
		buf_addc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* The separator of a sheet: whichever of ',', ';' and tab its first
 * line has most of ("#;Code;Description;Qty" from a European Excel). */
static int
sheet_sep(const char *s, size_t len)
{
	size_t i, comma = 0, semi = 0, tab = 0;

	for (i = 0; i < len && s[i] != '\n'; i++) {
		comma += s[i] == ',';
		semi += s[i] == ';';
		tab += s[i] == '\t';
	}
	if (semi > comma && semi >= tab)
		return ';';
	return tab > comma ? '\t' : ',';
}

char *
engine_sheet_text(const struct parser_sheet *sh, size_t *len_r)
{
	struct buf b;
	struct err err;
	struct csv *c;
	FILE *fp;
	size_t i, n;
	char *out = NULL;

	if (sh->len == 0 || (fp = fmemopen(sh->text, sh->len, "r")) == NULL)
		return NULL;
	buf_init(&b, SHEET_TEXT_MAX);
	if ((c = csv_new_sep(fp, sh->filename ? sh->filename : "sheet",
	    sheet_sep(sh->text, sh->len), &err)) == NULL)
		goto out;
	for (i = 0; i < csv_ncolumns(c); i++)
		sheet_cell(&b, csv_column_name(c, i), i == 0);
	buf_addc(&b, '\n');
	while (csv_read(c, &err) == 1) {
		n = csv_nfields(c);
		for (i = 0; i < n; i++)
			sheet_cell(&b, csv_field(c, (int)i), i == 0);
		buf_addc(&b, '\n');
	}
	*len_r = b.len;
	out = xstrndup(buf_str(&b), b.len);
out:
	csv_free(c);
	fclose(fp);
	buf_release(&b);
	return out;
}
