/*
 * The few libxml2 reader helpers the XML spreadsheet readers share
 * (xlsx.c, ods.c).  The reader never fetches anything (XML_PARSE_NONET)
 * and never expands entities, so a document cannot reach the network or
 * the disk, and libxml2's own limits keep a huge text node out.
 */
#include "config.h"

#include <string.h>

#include "attach/attach_int.h"
#include "common/xmalloc.h"

xmlTextReaderPtr
attach_xml_reader(const char *xml, size_t len)
{
	return xmlReaderForMemory(xml, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* The value of the attribute with local name local (any namespace);
 * malloc'd or NULL. */
char *
attach_xml_attr(xmlTextReaderPtr r, const char *local)
{
	char *v = NULL;

	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return NULL;
	do {
		if (strcmp((const char *)xmlTextReaderConstLocalName(r),
		    local) == 0) {
			v = xstrdup((const char *)xmlTextReaderConstValue(r));
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
	return v;
}

int
attach_xml_is(xmlTextReaderPtr r, int type, const char *local)
{
	return xmlTextReaderNodeType(r) == type &&
	    strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0;
}

