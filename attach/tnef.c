/*
 * winmail.dat (TNEF, application/ms-tnef): what Outlook sends instead of
 * MIME when it believes the other end is Outlook too.  Unwrapped with
 * libytnef (the only file that uses it): the plain-text body, when the
 * stream carries one, and each attached file, which the parser then
 * reads as if it had been a MIME attachment of its own.  A body only in
 * compressed RTF is not read (the attachments still are).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <ytnef.h>

#include "attach/attach.h"

/* The string property id of props, without its trailing NUL; NULL when
 * absent or empty. */
static const char *
tnef_prop(MAPIProps *props, unsigned int id, size_t *len_r)
{
	variableLength *v = MAPIFindProperty(props, PROP_TAG(PT_STRING8, id));

	if (v == NULL || v == MAPI_UNDEFINED || v->data == NULL ||
	    v->size <= 0)
		return NULL;
	*len_r = (size_t)v->size;
	while (*len_r > 0 && v->data[*len_r - 1] == '\0')
		(*len_r)--;
	return *len_r > 0 ? (const char *)v->data : NULL;
}

/* A TNEF string attribute as a file name; fits or is cut. */
static void
tnef_name(const variableLength *v, char *out, size_t outlen)
{
	size_t n = v->data != NULL && v->size > 0 ? (size_t)v->size : 0;

	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, n > 0 ? (const char *)v->data : "", n);
	out[n] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
}

int
attach_tnef_read(const char *data, size_t len,
    const struct attach_limits *lim, const struct attach_tnef_cb *cb,
    struct err *err)
{
	TNEFStruct t;
	Attachment *a;
	char name[256], mime[128];
	const char *s;
	size_t n, nfiles = 0;
	int rc;

	if (len > (size_t)0x7fffffff)
		return err_set(err, ERR_MSG, "winmail.dat too large");
	TNEFInitialize(&t);
	t.Debug = 0;
	/* libytnef reads from the buffer only; the cast drops const */
	rc = TNEFParseMemory((BYTE *)(uintptr_t)data, (long)len, &t);
	if (rc < 0) {
		TNEFFree(&t);
		return err_set(err, ERR_MSG, "unreadable winmail.dat "
		    "(libytnef error %d)", rc);
	}
	if ((s = tnef_prop(&t.MapiProperties, PR_BODY, &n)) != NULL)
		cb->body(cb->arg, s, n);
	else if (t.body.data != NULL && t.body.size > 0)
		cb->body(cb->arg, (const char *)t.body.data,
		    strnlen((const char *)t.body.data, (size_t)t.body.size));
	for (a = t.starting_attach.next; a != NULL; a = a->next) {
		if (a->FileData.data == NULL || a->FileData.size <= 0)
			continue;
		if (++nfiles > 64)
			break;
		if ((s = tnef_prop(&a->MAPI, PR_ATTACH_LONG_FILENAME, &n)) !=
		    NULL) {
			variableLength v = { (BYTE *)(uintptr_t)s, (int)n };

			tnef_name(&v, name, sizeof(name));
		} else
			tnef_name(&a->Title, name, sizeof(name));
		mime[0] = '\0';
		if ((s = tnef_prop(&a->MAPI, PR_ATTACH_MIME_TAG, &n)) !=
		    NULL) {
			variableLength v = { (BYTE *)(uintptr_t)s, (int)n };

			tnef_name(&v, mime, sizeof(mime));
		}
		if ((size_t)a->FileData.size <= lim->max_unpacked)
			cb->file(cb->arg, name, mime[0] ? mime : NULL,
			    (const char *)
			    a->FileData.data, (size_t)a->FileData.size);
	}
	TNEFFree(&t);
	return 0;
}
