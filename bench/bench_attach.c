/*
 * bench_attach: how long the attachment readers take on one document,
 * and the peak RSS.  Reads FILE (a PDF, XLSX, ODS or winmail.dat, told
 * apart by its bytes and name) N times with the default limits and
 * prints the fastest, the median and the slowest run in ms.  A
 * benchmark, not a test: it asserts nothing.
 *
 *   bench_attach [-n RUNS] FILE
 * e.g. bench_attach tests/fixtures/attach/docs/bench-10-pages.pdf
 */
#include "config.h"

#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attach/attach.h"
#include "common/xmalloc.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
tnef_body(void *arg, const char *t, size_t n)
{
	(void)arg;
	(void)t;
	(void)n;
}

static void
tnef_file(void *arg, const char *name, const char *type, const char *d,
    size_t n)
{
	(void)arg;
	(void)name;
	(void)type;
	(void)d;
	(void)n;
}

static int
read_once(enum attach_format f, const char *d, size_t n,
    const struct attach_limits *lim, size_t *len_r, struct err *err)
{
	struct attach_tnef_cb cb = { tnef_body, tnef_file, NULL };
	struct buf b;
	int rc;

	buf_init(&b, lim->max_text);
	if (f == ATTACH_PDF)
		rc = attach_pdf_read(d, n, lim, &b, err);
	else if (f == ATTACH_ODS)
		rc = attach_ods_read(d, n, lim, &b, err);
	else if (f == ATTACH_TNEF)
		rc = attach_tnef_read(d, n, lim, &cb, err);
	else
		rc = attach_xlsx_read(d, n, lim, &b, err);
	*len_r = b.len;
	buf_release(&b);
	return rc;
}

int
main(int argc, char **argv)
{
	struct attach_limits lim;
	struct rusage ru;
	struct err err;
	enum attach_format f;
	double *ms, t;
	size_t n = 0, cap = 1 << 16, got, len = 0;
	char *d;
	FILE *fp;
	int c, runs = 20, i;

	while ((c = getopt(argc, argv, "n:")) != -1)
		if (c == 'n')
			runs = atoi(optarg);
	if (optind + 1 != argc || runs < 1) {
		fprintf(stderr, "usage: bench_attach [-n RUNS] FILE\n");
		return 64;
	}
	if ((fp = fopen(argv[optind], "rb")) == NULL) {
		perror(argv[optind]);
		return 66;
	}
	d = xmalloc(cap);
	while ((got = fread(d + n, 1, cap - n, fp)) > 0)
		if ((n += got) == cap)
			d = xreallocarray(d, cap *= 2, 1);
	fclose(fp);
	attach_limits_default(&lim);
	f = attach_format_of(NULL, argv[optind], d, n);
	ms = xcalloc((size_t)runs, sizeof(*ms));
	for (i = 0; i < runs; i++) {
		t = now_ms();
		if (read_once(f, d, n, &lim, &len, &err) == -1) {
			fprintf(stderr, "%s: %s\n", argv[optind], err.msg);
			return 65;
		}
		ms[i] = now_ms() - t;
	}
	qsort(ms, (size_t)runs, sizeof(*ms), dbl_cmp);
	getrusage(RUSAGE_SELF, &ru);
	printf("%s: %s, %zu bytes -> %zu bytes of text; %d runs: "
	    "min %.1f ms, median %.1f ms, max %.1f ms; peak RSS %ld KiB\n",
	    argv[optind], attach_format_name(f), n, len, runs, ms[0],
	    ms[runs / 2], ms[runs - 1], ru.ru_maxrss);
	free(ms);
	free(d);
	return 0;
}
