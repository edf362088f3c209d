/*
 * Which attachments are documents mailorder reads, and why the others
 * are ignored.  The format is decided by the bytes: a name or a MIME
 * type only picks among the formats whose magic the data starts with
 * (a mail program sends an XLSX as application/octet-stream, or a PDF
 * named "scan.jpg"), and a zip archive is told apart as XLSX or ODS by
 * its name and type since both are zip.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "attach/attach.h"

void
attach_limits_default(struct attach_limits *l)
{
	l->max_unpacked = ATTACH_MAX_UNPACKED_DEFAULT;
	l->max_cells = ATTACH_MAX_CELLS_DEFAULT;
	l->max_pages = ATTACH_MAX_PAGES_DEFAULT;
	l->max_text = ATTACH_MAX_TEXT_DEFAULT;
	l->read_xls = 0;
}

static int
ends_with_ci(const char *s, const char *suffix)
{
	size_t n, m = strlen(suffix);

	if (s == NULL)
		return 0;
	n = strlen(s);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int
type_is(const char *type, const char *want)
{
	return type != NULL && strcasecmp(type, want) == 0;
}

/* The TNEF signature, 0x223E9F78 little-endian. */
static int
is_tnef(const char *d, size_t n)
{
	return n >= 4 && (unsigned char)d[0] == 0x78 &&
	    (unsigned char)d[1] == 0x9f && (unsigned char)d[2] == 0x3e &&
	    (unsigned char)d[3] == 0x22;
}

/* An OLE2 compound file: legacy Excel, but also Word (.doc) and
 * Outlook (.msg), told apart by name and type. */
static int
is_ole2(const char *d, size_t n)
{
	return n >= 8 && memcmp(d, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0;
}

enum attach_format
attach_format_of(const char *type, const char *name, const char *d, size_t n)
{
	if (n >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return ATTACH_PDF;
	if (is_tnef(d, n))
		return ATTACH_TNEF;
	if (is_ole2(d, n))
		return ends_with_ci(name, ".xls") || type_is(type,
		    "application/vnd.ms-excel") ? ATTACH_XLS : ATTACH_NONE;
	if (n < 4 || memcmp(d, "PK\003\004", 4) != 0)
		return ATTACH_NONE;
	if (ends_with_ci(name, ".ods") ||
	    type_is(type, "application/vnd.oasis.opendocument.spreadsheet"))
		return ATTACH_ODS;
	if (ends_with_ci(name, ".xlsx") || ends_with_ci(name, ".xlsm") ||
	    type_is(type, "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet"))
		return ATTACH_XLSX;
	return ATTACH_NONE;
}

const char *
attach_format_name(enum attach_format f)
{
	switch (f) {
	case ATTACH_XLSX:
		return "xlsx";
	case ATTACH_XLS:
		return "xls";
	case ATTACH_ODS:
		return "ods";
	case ATTACH_PDF:
		return "pdf";
	case ATTACH_TNEF:
		return "winmail.dat";
	case ATTACH_NONE:
		break;
	}
	return "";
}

const char *
attach_ignore_reason(const char *type, const char *name)
{
	static const struct {
		const char *prefix, *suffix, *reason;
	} kinds[] = {
		{ "image/", NULL, "an image" },
		{ "text/vcard", ".vcf", "a contact card" },
		{ "text/x-vcard", NULL, "a contact card" },
		{ "text/calendar", ".ics", "a calendar invitation" },
		{ "application/pgp-signature", ".asc",
		    "a signature (PGP)" },
		{ "application/pkcs7-signature", ".p7s",
		    "a signature (S/MIME)" },
		{ "application/x-pkcs7-signature", NULL,
		    "a signature (S/MIME)" },
		{ "audio/", NULL, "a sound file" },
		{ "video/", NULL, "a video" },
		{ NULL, ".png", "an image" },
		{ NULL, ".jpg", "an image" },
		{ NULL, ".gif", "an image" },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (kinds[i].prefix != NULL && type != NULL &&
		    strncasecmp(type, kinds[i].prefix,
		    strlen(kinds[i].prefix)) == 0)
			return kinds[i].reason;
		if (kinds[i].suffix != NULL && ends_with_ci(name,
		    kinds[i].suffix))
			return kinds[i].reason;
	}
	return "not a format mailorder reads";
}

int
attach_looks_like_order(const char *type, const char *name)
{
	static const char *const exts[] = {
		".xls", ".xlsb", ".doc", ".docx", ".odt", ".rtf", ".numbers",
		".xlsx", ".ods", ".pdf", ".dat", ".tnef",
	};
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (ends_with_ci(name, exts[i]))
			return 1;
	return type_is(type, "application/vnd.ms-excel") ||
	    type_is(type, "application/msword") ||
	    type_is(type, "application/ms-tnef") ||
	    type_is(type, "application/pdf") || (name != NULL &&
	    (strcasestr(name, "order") != NULL ||
	    strcasestr(name, "purchase") != NULL));
}
