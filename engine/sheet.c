/*
 * Order sheets: a CSV attached to the email (a spreadsheet exported by the
 * customer).  Columns are found by their usual names; a row with a known
 * SKU needs no guessing, a row with only a description is matched like any
 * written line.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "common/xmalloc.h"
#include "engine/engine_int.h"
#include "resolve/catalog.h"

static int
sheet_column(struct csv *c, const char *const *names)
{
	int col;

	for (; *names != NULL; names++)
		if ((col = csv_column(c, *names, NULL)) >= 0)
			return col;
	return -1;
}

static int
sheet_quantity(const char *s, long *q)
{
	char *end;
	long v;

	while (*s == ' ')
		s++;
	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == ' ')
		end++;
	if (errno != 0 || end == s || *end != '\0' || v <= 0 || v > 1000000)
		return -1;
	*q = v;
	return 0;
}

void
engine_sheet_lines(struct engine *e, const struct parser_sheet *sh,
    struct engine_result *r)
{
	static const char *const sku_names[] = {
		"sku", "code", "item code", "product code", "article", NULL
	};
	static const char *const item_names[] = {
		"product", "item", "description", "name", "product name", NULL
	};
	static const char *const qty_names[] = {
		"quantity", "qty", "amount", "count", "units", NULL
	};
	struct engine_line *l;
	struct err err;
	struct csv *c;
	FILE *fp;
	int csku, citem, cqty;
	long q;

	if (sh->len == 0 ||
	    (fp = fmemopen(sh->text, sh->len, "r")) == NULL)
		return;
	if ((c = csv_new(fp, sh->filename ? sh->filename : "sheet",
	    &err)) == NULL)
		goto out;
	csku = sheet_column(c, sku_names);
	citem = sheet_column(c, item_names);
	cqty = sheet_column(c, qty_names);
	if (cqty < 0 || (csku < 0 && citem < 0))
		goto out;
	while (csv_read(c, &err) == 1) {
		const char *sku = csku >= 0 ? csv_field(c, csku) : "";
		const char *item = citem >= 0 ? csv_field(c, citem) : "";

		if (sheet_quantity(csv_field(c, cqty), &q) == -1 ||
		    (*sku == '\0' && *item == '\0'))
			continue;
		if ((l = engine_line_add(r)) == NULL)
			break;
		l->quantity = q;
		l->rule = "sheet";
		l->item = xstrdup(*item != '\0' ? item : sku);
		xasprintf(&l->text, "%s%s%s,%ld", sku, *sku && *item ? "," : "",
		    item, q);
		if (*sku != '\0' && catalog_name(e->catalog, sku) != NULL) {
			l->sku = xstrdup(sku);
			l->score = 1.0;
			l->how = "sku";
		}
	}
out:
	csv_free(c);
	fclose(fp);
}
