/*
 * libFuzzer target for the MIME path: the input is a raw message, parsed
 * with the default limits and cleaned.  Besides crashes, it checks the
 * promises parser.h makes: the body is valid UTF-8 of body_len bytes, the
 * clean segments tile the body and the map points into it.
 *
 * Build and run: tests/fuzz/run.sh [seconds]  (needs clang), or by hand:
 *   ./configure --enable-fuzz CC=clang \
 *       CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address"
 *   make tests/fuzz/fuzz_parse
 *   ./tests/fuzz/fuzz_parse -max_len=65536 $top_srcdir/tests/fuzz/corpus/parse
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "parser/parser.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct parser_limits lim;
	struct parsed_msg m;
	struct err err;
	size_t i, off = 0;

	parser_limits_default(&lim);
	if (parser_parse((const char *)data, len, &lim, &m, &err) == -1) {
		if (err.cls != ERR_MSG || err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (strlen(m.body) != m.body_len || m.body_len > lim.max_text ||
	    !utf8_valid(m.body, m.body_len, NULL))
		abort();
	for (i = 0; i < m.clean.nsegs; i++) {
		if (m.clean.segs[i].off != off)
			abort();
		off += m.clean.segs[i].len;
	}
	if (off != m.body_len || strlen(m.clean.text) != m.clean.len)
		abort();
	for (i = 0; i < m.clean.len; i++)
		if (m.clean.map[i] >= m.body_len ||
		    m.body[m.clean.map[i]] != m.clean.text[i])
			abort();
	for (i = 0; i < m.nsheets; i++)
		if (strlen(m.sheets[i].text) != m.sheets[i].len)
			abort();
	parser_msg_release(&m);
	return 0;
}
