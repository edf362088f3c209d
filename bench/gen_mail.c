/*
 * gen_mail: write N generated order emails (the same shapes bench_parse
 * uses) as files DIR/000001.eml ..., and a store DB with the matching
 * catalog (1,000 products), customers and history (100,000 lines), for the
 * ingest benchmark.
 *
 *   gen_mail -n N -o DIR -d DB
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/gen.h"
#include "common/buf.h"
#include "store/store.h"

int
main(int argc, char **argv)
{
	struct gen g = { 42, 1000, 100 };
	const char *dir = NULL, *dbpath = NULL;
	struct store *st;
	struct err err;
	char path[4096];
	size_t n = 10000, i;
	struct buf b;
	FILE *fp;
	int ch;

	while ((ch = getopt(argc, argv, "n:o:d:")) != -1) {
		switch (ch) {
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'o': dir = optarg; break;
		case 'd': dbpath = optarg; break;
		default: dir = NULL; optind = argc; break;
		}
	}
	if (dir == NULL || dbpath == NULL) {
		fprintf(stderr, "usage: gen_mail -n N -o DIR -d DB\n");
		return 64;
	}
	if ((st = store_open(dbpath, 0, &err)) == NULL ||
	    gen_store(&g, st, 100000, &err) == -1) {
		fprintf(stderr, "gen_mail: %s\n", err.msg);
		return 1;
	}
	store_close(st);
	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		gen_message(&g, i, &b);
		snprintf(path, sizeof(path), "%s/%06zu.eml", dir, i + 1);
		if ((fp = fopen(path, "w")) == NULL ||
		    fwrite(b.data, 1, b.len, fp) != b.len || fclose(fp) != 0) {
			perror(path);
			return 1;
		}
	}
	buf_release(&b);
	return 0;
}
