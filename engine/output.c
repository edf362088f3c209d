/*
 * Writing a result: the stable JSON line of `mailorder parse --json`, and
 * the readable report a person gets without --json.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/json.h"
#include "common/qty.h"
#include "engine/engine_int.h"

static void
json_key(struct buf *b, const char *key, const char *value)
{
	buf_addf(b, ",\"%s\":", key);
	json_add_str(b, value);
}

static void
engine_json_lines(const struct engine_result *r, struct buf *b)
{
	char q[QTY_FMT_MAX];
	size_t i;

	buf_adds(b, ",\"lines\":[");
	for (i = 0; i < r->nlines; i++) {
		const struct engine_line *l = &r->lines[i];

		buf_adds(b, i ? ",{\"sku\":" : "{\"sku\":");
		json_add_str(b, l->sku);
		buf_addf(b, ",\"quantity\":%s", qty_format(l->quantity, q));
		json_key(b, "unit", l->unit);
		json_key(b, "text", l->text);
		json_key(b, "rule", l->rule);
		buf_addf(b, ",\"confidence\":%.2f", l->score);
		json_key(b, "note", l->note);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static void
engine_json_flags(const struct engine_result *r, struct buf *b)
{
	size_t i, j;

	buf_adds(b, ",\"flags\":[");
	for (i = 0; i < r->nflags; i++) {
		const struct engine_flag *f = &r->flags[i];

		buf_adds(b, i ? ",{\"code\":" : "{\"code\":");
		json_add_str(b, f->code);
		json_key(b, "text", f->text);
		if (f->line >= 0)
			buf_addf(b, ",\"line\":%d", f->line);
		buf_adds(b, ",\"candidates\":[");
		for (j = 0; j < f->ncands; j++) {
			if (j > 0)
				buf_addc(b, ',');
			json_add_str(b, f->cands[j].sku);
		}
		buf_adds(b, "]}");
	}
	buf_addc(b, ']');
}

static const char *
engine_attach_status(enum parser_attach_status st)
{
	return st == PARSER_ATTACH_READ ? "read" :
	    st == PARSER_ATTACH_IGNORED ? "ignored" : "unreadable";
}

/* Every attachment that was no text of the body, with what became of
 * it: the record of why an image or a vCard was ignored. */
static void
engine_json_attachments(const struct engine_result *r, struct buf *b)
{
	size_t i;

	buf_adds(b, ",\"attachments\":[");
	for (i = 0; i < r->msg.nattachments; i++) {
		const struct parser_attachment *a = &r->msg.attachments[i];

		buf_adds(b, i ? ",{\"file\":" : "{\"file\":");
		json_add_str(b, a->filename);
		json_key(b, "format", a->format[0] ? a->format : NULL);
		json_key(b, "status", engine_attach_status(a->status));
		json_key(b, "reason", a->reason);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

int
engine_result_json(const struct engine *e, const struct engine_result *r,
    const char *file, struct buf *b)
{
	buf_adds(b, "{\"file\":");
	json_add_str(b, file);
	json_key(b, "message_id", r->msg.message_id);
	json_key(b, "from", r->msg.from_addr);
	json_key(b, "subject", r->msg.subject);
	json_key(b, "customer", r->customer_id);
	json_key(b, "status", engine_status_name(r->status));
	if (r->ignore_reason != NULL)
		json_key(b, "ignored_because", r->ignore_reason);
	engine_json_lines(r, b);
	engine_json_flags(r, b);
	json_key(b, "po_number", r->po_number);
	json_key(b, "requested_date", r->requested_date);
	engine_json_attachments(r, b);
	return buf_addc(b, '}');
}

static void
engine_report_lines(const struct engine *e, const struct engine_result *r,
    struct buf *b)
{
	char q[QTY_FMT_MAX];
	size_t i;

	for (i = 0; i < r->nlines; i++) {
		const struct engine_line *l = &r->lines[i];
		const char *name = engine_product_name(e, l->sku);

		buf_addf(b, "  %2zu. %5s %-8s %-14s %s\n", i + 1,
		    qty_format(l->quantity, q),
		    l->unit ? l->unit : "", l->sku ? l->sku : "?",
		    name ? name : "(no product found)");
		buf_addf(b, "        \"%s\"  [rule %s", l->text ? l->text : "",
		    l->rule ? l->rule : "?");
		if (l->sku != NULL)
			buf_addf(b, ", %s match %.2f", l->how ? l->how : "",
			    l->score);
		buf_adds(b, "]\n");
		if (l->note != NULL)
			buf_addf(b, "        (%s)\n", l->note);
	}
}

static void
engine_report_flags(const struct engine *e, const struct engine_result *r,
    struct buf *b)
{
	size_t i, j;

	for (i = 0; i < r->nflags; i++) {
		const struct engine_flag *f = &r->flags[i];

		buf_addf(b, "  ! %s: %s\n", f->code, f->text ? f->text : "");
		for (j = 0; j < f->ncands; j++) {
			const char *name = engine_product_name(e,
			    f->cands[j].sku);

			buf_addf(b, "      - %-14s %s\n", f->cands[j].sku,
			    name ? name : "");
		}
	}
}

int
engine_result_report(const struct engine *e, const struct engine_result *r,
    const char *file, struct buf *b)
{
	size_t i;

	if (file != NULL)
		buf_addf(b, "== %s\n", file);
	buf_addf(b, "From:     %s\n", r->msg.from_addr ? r->msg.from_addr :
	    "(none)");
	buf_addf(b, "Subject:  %s\n", r->msg.subject ? r->msg.subject : "");
	buf_addf(b, "Customer: %s%s%s%s\n", r->customer_id ? r->customer_id :
	    "(unknown sender)", r->customer_name ? " (" : "",
	    r->customer_name ? r->customer_name : "",
	    r->customer_name ? ")" : "");
	buf_addf(b, "Status:   %s", engine_status_name(r->status));
	if (r->ignore_reason != NULL)
		buf_addf(b, " (%s)", r->ignore_reason);
	buf_addc(b, '\n');
	if (r->po_number != NULL)
		buf_addf(b, "PO:       %s\n", r->po_number);
	if (r->requested_date != NULL)
		buf_addf(b, "Deliver:  %s\n", r->requested_date);
	if (r->nlines > 0) {
		buf_adds(b, "Lines:\n");
		engine_report_lines(e, r, b);
	}
	if (r->nflags > 0) {
		buf_adds(b, "Flags:\n");
		engine_report_flags(e, r, b);
	}
	for (i = 0; i < r->msg.nattachments; i++) {
		const struct parser_attachment *a = &r->msg.attachments[i];

		buf_addf(b, "%s  %s%s%s: %s%s%s\n", i ? "" : "Attached:\n",
		    a->filename ? a->filename : "(no name)",
		    a->format[0] ? " " : "", a->format,
		    engine_attach_status(a->status), a->reason ? ", " : "",
		    a->reason ? a->reason : "");
	}
	return 0;
}
