/*
 * libFuzzer targets for the attachment readers, one binary per reader:
 * this file is built five times with FUZZ_READER set to xlsx, xls, ods,
 * pdf or tnef (attach/local.mk).  The input is the document's bytes, read
 * under the default limits.  Besides crashes, it checks what attach.h
 * promises: a failure is ERR_MSG with a message, the laid-out text is
 * NUL-free, within max_text and valid UTF-8 when the input was, and a
 * winmail.dat hands out files within max_unpacked.
 *
 * Build and run: tests/fuzz/run.sh [seconds] (runs each target), or by
 * hand, as for fuzz_parse:
 *   make tests/fuzz/fuzz_pdf
 *   ./tests/fuzz/fuzz_pdf -max_len=262144 tests/fuzz/corpus/pdf
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attach/attach.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_xlsx	1
#define FUZZ_ods	2
#define FUZZ_pdf	3
#define FUZZ_tnef	4
#define FUZZ_xls	5
#define FUZZ_PASTE(a, b) a##b
#define FUZZ_ID(r)	FUZZ_PASTE(FUZZ_, r)

static size_t fuzz_max_unpacked;

#if FUZZ_ID(FUZZ_READER) == FUZZ_tnef
/* winmail.dat hands out its body and files through callbacks. */
static void
fuzz_body(void *arg, const char *text, size_t len)
{
	(void)arg;
	if (len > 0 && memchr(text, '\0', len) != NULL)
		abort();
}

static void
fuzz_file(void *arg, const char *name, const char *type, const char *data,
    size_t len)
{
	(void)arg;
	(void)type;
	(void)data;
	if (name != NULL && strlen(name) > 255)
		abort();
	if (len > fuzz_max_unpacked)
		abort();
}
#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct attach_limits lim;
	struct buf out;
	struct err err;
	const char *d = (const char *)data;
	int rc;

	attach_limits_default(&lim);
	fuzz_max_unpacked = lim.max_unpacked;
	buf_init(&out, lim.max_text);
	err_clear(&err);
#if FUZZ_ID(FUZZ_READER) == FUZZ_tnef
	{
		struct attach_tnef_cb cb = { fuzz_body, fuzz_file, NULL };

		rc = attach_tnef_read(d, len, &lim, &cb, &err);
	}
#elif FUZZ_ID(FUZZ_READER) == FUZZ_pdf
	rc = attach_pdf_read(d, len, &lim, &out, &err);
#elif FUZZ_ID(FUZZ_READER) == FUZZ_xls
	rc = attach_xls_read(d, len, &lim, &out, &err);
#elif FUZZ_ID(FUZZ_READER) == FUZZ_ods
	rc = attach_ods_read(d, len, &lim, &out, &err);
#else
	rc = attach_xlsx_read(d, len, &lim, &out, &err);
#endif
	/* ERR_TEMP only from the memory file the .xls reader needs */
	if (rc == -1 && ((err.cls != ERR_MSG && err.cls != ERR_TEMP) ||
	    err.msg[0] == '\0'))
		abort();
	if (rc == 0 && (out.len > lim.max_text ||
	    strlen(buf_str(&out)) != out.len))
		abort();
	buf_release(&out);
	return 0;
}
