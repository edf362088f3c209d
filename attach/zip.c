/*
 * One member of a zip archive (XLSX and ODS are zip archives of XML),
 * unpacked into memory with a hard maximum: the size a member's header
 * claims is not trusted, the reading stops at max + 1 bytes, so a zip
 * bomb costs max bytes and one unreadable attachment.  The only file
 * that uses libzip.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "attach/attach_int.h"
#include "common/xmalloc.h"

#define ZIP_CHUNK	65536

static zip_t *
zip_open_mem(const char *data, size_t len, struct err *err)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, len, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		err_set(err, ERR_MSG, "not a zip archive");
		return NULL;
	}
	if ((za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		err_set(err, ERR_MSG, "not a zip archive: %s",
		    zip_error_strerror(&ze));
		zip_source_free(src);
	}
	zip_error_fini(&ze);
	return za;
}

/* Read the open member f up to max bytes; -1 past max or on a bad
 * (corrupt, encrypted) member. */
static int
zip_slurp(zip_file_t *f, const char *name, size_t max, char **out_r,
    size_t *len_r, struct err *err)
{
	char *b = NULL;
	size_t n = 0, cap = 0;
	zip_int64_t got;

	for (;;) {
		if (n + ZIP_CHUNK + 1 > cap) {
			cap = cap ? cap * 2 : ZIP_CHUNK * 2;
			b = xreallocarray(b, cap, 1);
		}
		if ((got = zip_fread(f, b + n, ZIP_CHUNK)) < 0) {
			free(b);
			return err_set(err, ERR_MSG, "cannot unpack '%s': %s",
			    name, zip_file_strerror(f));
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			free(b);
			return err_set(err, ERR_MSG, "'%s' unpacks to more "
			    "than %zu bytes", name, max);
		}
	}
	b = xreallocarray(b, n + 1, 1);
	b[n] = '\0';
	*out_r = b;
	*len_r = n;
	return 0;
}

int
attach_zip_member(const char *data, size_t len, const char *name,
    size_t max, char **out_r, size_t *len_r, struct err *err)
{
	zip_t *za;
	zip_file_t *f;
	zip_int64_t idx;
	int rc;

	*out_r = NULL;
	*len_r = 0;
	if ((za = zip_open_mem(data, len, err)) == NULL)
		return -1;
	if ((idx = zip_name_locate(za, name, ZIP_FL_NOCASE)) < 0) {
		zip_discard(za);
		return 0;
	}
	if ((f = zip_fopen_index(za, (zip_uint64_t)idx, 0)) == NULL) {
		err_set(err, ERR_MSG, "cannot unpack '%s': %s", name,
		    zip_strerror(za));
		zip_discard(za);
		return -1;
	}
	rc = zip_slurp(f, name, max, out_r, len_r, err);
	zip_fclose(f);
	zip_discard(za);
	return rc == -1 ? -1 : 1;
}
