/*
 * UBL export: one OASIS UBL 2.1 Order document per order, written with
 * libxml2's text writer, elements in the order the UBL-Order-2.1 schema's
 * sequences give them.  Which element comes from where:
 *
 *   cbc:UBLVersionID       "2.1"
 *   cbc:ID                 the customer's PO number, else our reference
 *                          (the schema's ID is the buyer's order number)
 *   cbc:SalesOrderID       our reference, MO-123
 *   cbc:IssueDate          the order's date
 *   cbc:IssueTime          the time the mail arrived (UTC), when known
 *   cbc:Note               the mail's subject; "shipped with CARRIER,
 *                          tracking NUMBER" once shipped
 *   cbc:LineCountNumeric   the number of lines
 *   cac:BuyerCustomerParty cbc:SupplierAssignedAccountID: the customer
 *                          ID; cac:Party: cac:PartyName/cbc:Name, the
 *                          customer's name; cac:Contact/cbc:ElectronicMail,
 *                          the address the order came from
 *   cac:SellerSupplierParty cac:Party: [smtp] from_name and from
 *   cac:Delivery           cac:RequestedDeliveryPeriod, start and end the
 *                          requested date, when there is one
 *   cac:OrderLine          cac:LineItem: cbc:ID the line number;
 *                          cbc:Quantity with unitCode, the UN/ECE
 *                          Recommendation 20 code of the unit (a unit
 *                          without one goes into the line's cbc:Note);
 *                          cac:Item: cbc:Name the product's name (the
 *                          customer's words for a line without a SKU),
 *                          cac:SellersItemIdentification/cbc:ID the SKU
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlwriter.h>

#include "common/qty.h"
#include "common/xmalloc.h"
#include "export/export.h"
#include "store/export.h"
#include "store/query.h"

#define UBL_NS_ORDER	"urn:oasis:names:specification:ubl:schema:xsd:Order-2"
#define UBL_NS_CAC	"urn:oasis:names:specification:ubl:schema:xsd:" \
			"CommonAggregateComponents-2"
#define UBL_NS_CBC	"urn:oasis:names:specification:ubl:schema:xsd:" \
			"CommonBasicComponents-2"

/* Units as customers write them, and their Recommendation 20 codes. */
static const struct {
	const char	*unit, *code;
} ubl_units[] = {
	{ "bag", "BG" }, { "bottle", "BO" }, { "box", "BX" },
	{ "bucket", "BJ" }, { "can", "CA" }, { "carton", "CT" },
	{ "case", "CS" }, { "dozen", "DZN" }, { "drum", "DR" },
	{ "each", "EA" }, { "g", "GRM" }, { "jar", "JR" }, { "kg", "KGM" },
	{ "l", "LTR" }, { "litre", "LTR" }, { "liter", "LTR" },
	{ "ml", "MLT" }, { "pack", "PK" }, { "pair", "PR" },
	{ "piece", "H87" }, { "roll", "RO" }, { "sack", "SA" },
	{ "set", "SET" }, { "tube", "TU" }, { "unit", "C62" },
};

static const char *
ubl_unit_code(const char *unit)
{
	size_t i;

	for (i = 0; unit != NULL && i < sizeof(ubl_units) /
	    sizeof(ubl_units[0]); i++)
		if (strcasecmp(unit, ubl_units[i].unit) == 0)
			return ubl_units[i].code;
	return NULL;
}

struct ubl_line {
	int	 no;
	char	*sku, *name, *unit, *text;
	double	 qty;
};

struct ubl_ctx {
	xmlTextWriterPtr	 w;
	struct ubl_line		*lines;
	size_t			 nlines;
	char			 name[64];
	const struct export_opts *opts;
	int			 failed;
};

static void
ubl_el(struct ubl_ctx *c, const char *el, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	if (xmlTextWriterWriteElement(c->w, BAD_CAST el, BAD_CAST text) < 0)
		c->failed = 1;
}

static void
ubl_open(struct ubl_ctx *c, const char *el)
{
	if (xmlTextWriterStartElement(c->w, BAD_CAST el) < 0)
		c->failed = 1;
}

static void
ubl_close(struct ubl_ctx *c)
{
	if (xmlTextWriterEndElement(c->w) < 0)
		c->failed = 1;
}

static int
ubl_line(void *arg, int no, const char *sku, const char *name, double qty,
    const char *unit, const char *text, const char *rule)
{
	struct ubl_ctx *c = arg;
	struct ubl_line *l;

	(void)rule;
	c->lines = xreallocarray(c->lines, c->nlines + 1, sizeof(*c->lines));
	l = &c->lines[c->nlines++];
	l->no = no;
	l->sku = sku ? xstrdup(sku) : NULL;
	l->name = name ? xstrdup(name) : NULL;
	l->unit = unit ? xstrdup(unit) : NULL;
	l->text = text ? xstrdup(text) : NULL;
	l->qty = qty;
	return 0;
}

static void
ubl_party(struct ubl_ctx *c, const char *name, const char *email)
{
	ubl_open(c, "cac:Party");
	if (name != NULL && *name != '\0') {
		ubl_open(c, "cac:PartyName");
		ubl_el(c, "cbc:Name", name);
		ubl_close(c);
	}
	if (email != NULL && *email != '\0') {
		ubl_open(c, "cac:Contact");
		ubl_el(c, "cbc:ElectronicMail", email);
		ubl_close(c);
	}
	ubl_close(c);
}

static void
ubl_order_line(struct ubl_ctx *c, const struct ubl_line *l)
{
	const char *code = ubl_unit_code(l->unit);
	char no[16], q[QTY_FMT_MAX], note[128];

	snprintf(no, sizeof(no), "%d", l->no);
	ubl_open(c, "cac:OrderLine");
	ubl_open(c, "cac:LineItem");
	ubl_el(c, "cbc:ID", no);
	if (code == NULL && l->unit != NULL) {
		snprintf(note, sizeof(note), "unit: %s", l->unit);
		ubl_el(c, "cbc:Note", note);
	}
	ubl_open(c, "cbc:Quantity");
	if (code != NULL && xmlTextWriterWriteAttribute(c->w,
	    BAD_CAST "unitCode", BAD_CAST code) < 0)
		c->failed = 1;
	if (xmlTextWriterWriteString(c->w, BAD_CAST qty_format(l->qty,
	    q)) < 0)
		c->failed = 1;
	ubl_close(c);
	ubl_open(c, "cac:Item");
	ubl_el(c, "cbc:Name", l->name != NULL ? l->name : l->text);
	if (l->sku != NULL) {
		ubl_open(c, "cac:SellersItemIdentification");
		ubl_el(c, "cbc:ID", l->sku);
		ubl_close(c);
	}
	ubl_close(c);	/* Item */
	ubl_close(c);	/* LineItem */
	ubl_close(c);	/* OrderLine */
}

static void
ubl_head_fields(struct ubl_ctx *c, const struct store_export_head *h)
{
	char time[16], note[512], count[16];

	ubl_el(c, "cbc:UBLVersionID", "2.1");
	ubl_el(c, "cbc:ID", h->po_number != NULL ? h->po_number : h->ref);
	ubl_el(c, "cbc:SalesOrderID", h->ref);
	ubl_el(c, "cbc:IssueDate", h->order_date);
	/* "2026-12-01T09:30:00Z" -> "09:30:00Z" */
	if (h->received_at != NULL && strlen(h->received_at) == 20) {
		memcpy(time, h->received_at + 11, 9);
		time[9] = '\0';
		ubl_el(c, "cbc:IssueTime", time);
	}
	ubl_el(c, "cbc:Note", h->subject);
	if (h->carrier != NULL) {
		snprintf(note, sizeof(note), "shipped with %s, tracking %s",
		    h->carrier, h->tracking);
		ubl_el(c, "cbc:Note", note);
	}
	snprintf(count, sizeof(count), "%zu", c->nlines);
	ubl_el(c, "cbc:LineCountNumeric", count);
}

static int
ubl_head(void *arg, const struct store_export_head *h)
{
	struct ubl_ctx *c = arg;
	size_t i;

	snprintf(c->name, sizeof(c->name), "%s-v%d.xml", h->ref, h->version);
	ubl_head_fields(c, h);
	ubl_open(c, "cac:BuyerCustomerParty");
	ubl_el(c, "cbc:SupplierAssignedAccountID", h->customer_id);
	ubl_party(c, h->customer_name, h->from_addr);
	ubl_close(c);
	ubl_open(c, "cac:SellerSupplierParty");
	if (c->opts->seller_name != NULL || c->opts->seller_email != NULL)
		ubl_party(c, c->opts->seller_name, c->opts->seller_email);
	ubl_close(c);
	if (h->requested_date != NULL) {
		ubl_open(c, "cac:Delivery");
		ubl_open(c, "cac:RequestedDeliveryPeriod");
		ubl_el(c, "cbc:StartDate", h->requested_date);
		ubl_el(c, "cbc:EndDate", h->requested_date);
		ubl_close(c);
		ubl_close(c);
	}
	for (i = 0; i < c->nlines; i++)
		ubl_order_line(c, &c->lines[i]);
	return 0;
}

static void
ubl_lines_free(struct ubl_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nlines; i++) {
		free(c->lines[i].sku);
		free(c->lines[i].name);
		free(c->lines[i].unit);
		free(c->lines[i].text);
	}
	free(c->lines);
}

static int
ubl_start(struct ubl_ctx *c)
{
	return xmlTextWriterStartDocument(c->w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(c->w, NULL, BAD_CAST "Order",
	    BAD_CAST UBL_NS_ORDER) < 0 ||
	    xmlTextWriterWriteAttribute(c->w, BAD_CAST "xmlns:cac",
	    BAD_CAST UBL_NS_CAC) < 0 ||
	    xmlTextWriterWriteAttribute(c->w, BAD_CAST "xmlns:cbc",
	    BAD_CAST UBL_NS_CBC) < 0 ? -1 : 0;
}

int
export_ubl_order(struct store *st, int64_t id, const struct export_opts *o,
    struct buf *b, char name_r[64], struct err *err)
{
	struct ubl_ctx c;
	xmlBufferPtr xb;
	int rc = -1, found;

	memset(&c, 0, sizeof(c));
	c.opts = o;
	if (store_order_lines(st, id, ubl_line, &c, err) == -1)
		goto out;
	if ((xb = xmlBufferCreate()) == NULL ||
	    (c.w = xmlNewTextWriterMemory(xb, 0)) == NULL) {
		xmlBufferFree(xb);
		err_set(err, ERR_FATAL, "cannot start an XML document");
		goto out;
	}
	xmlTextWriterSetIndent(c.w, 1);
	xmlTextWriterSetIndentString(c.w, BAD_CAST "  ");
	if (ubl_start(&c) == -1)
		c.failed = 1;
	if ((found = store_export_head(st, id, ubl_head, &c, err)) == 0)
		err_set(err, ERR_MSG, "no order MO-%lld", (long long)id);
	if (found == 1 && (c.failed || xmlTextWriterEndDocument(c.w) < 0))
		err_set(err, ERR_FATAL, "cannot write the UBL document of "
		    "MO-%lld", (long long)id);
	else if (found == 1) {
		xmlFreeTextWriter(c.w);	/* flushes into xb */
		c.w = NULL;
		buf_add(b, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
		memcpy(name_r, c.name, sizeof(c.name));
		rc = 0;
	}
	if (c.w != NULL)
		xmlFreeTextWriter(c.w);
	xmlBufferFree(xb);
out:
	ubl_lines_free(&c);
	return rc;
}
