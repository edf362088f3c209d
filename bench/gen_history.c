/*
 * gen_history DIR [ROWS]: write a matching catalog.csv, customers.csv and
 * a history.csv of ROWS order lines (default 100000) into DIR, for
 * bench/bench_import.sh.  The output is the same on every run (fixed
 * seed), so timings compare like with like.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define GEN_PRODUCTS	500
#define GEN_CUSTOMERS	300

static uint64_t gen_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: plenty for spreading orders around. */
static unsigned
gen_rand(unsigned n)
{
	gen_state ^= gen_state >> 12;
	gen_state ^= gen_state << 25;
	gen_state ^= gen_state >> 27;
	return (unsigned)((gen_state * 0x2545f4914f6cdd1dULL) >> 33) % n;
}

static FILE *
gen_open(const char *dir, const char *name)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	return fp;
}

static void
gen_close(FILE *fp)
{
	if (ferror(fp) || fclose(fp) != 0) {
		perror("write");
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	static const char *const units[] = { "bag", "case", "box", "bottle" };
	long rows = 100000, done = 0, order = 0;
	unsigned i, n, cust, y, m, d;
	FILE *fp;

	if (argc < 2 || argc > 3 || (argc == 3 && (rows = atol(argv[2])) < 1)) {
		fprintf(stderr, "usage: gen_history DIR [ROWS]\n");
		return 64;
	}

	fp = gen_open(argv[1], "catalog.csv");
	fprintf(fp, "sku,name,unit,aliases\n");
	for (i = 0; i < GEN_PRODUCTS; i++)
		fprintf(fp, "P-%04u,\"Product %u, %u-pack\",%s,"
		    "prod %u;item %u;p%u\n", i, i, 1 + i % 12, units[i % 4],
		    i, i, i);
	gen_close(fp);

	fp = gen_open(argv[1], "customers.csv");
	fprintf(fp, "id,name,emails\n");
	for (i = 0; i < GEN_CUSTOMERS; i++)
		fprintf(fp, "C%03u,Customer %u,orders@c%u.example;@c%u.example\n",
		    i, i, i, i);
	gen_close(fp);

	fp = gen_open(argv[1], "history.csv");
	fprintf(fp, "order_ref,customer_id,date,sku,quantity\n");
	while (done < rows) {
		order++;
		cust = gen_rand(GEN_CUSTOMERS);
		y = 2020 + gen_rand(5);
		m = 1 + gen_rand(12);
		d = 1 + gen_rand(28);
		n = 1 + gen_rand(7);
		for (i = 0; i < n && done < rows; i++, done++)
			fprintf(fp, "H%06ld,C%03u,%04u-%02u-%02u,P-%04u,%u\n",
			    order, cust, y, m, d, gen_rand(GEN_PRODUCTS),
			    1 + gen_rand(20));
	}
	gen_close(fp);
	printf("%ld history rows in %ld orders, %d products, %d customers\n",
	    rows, order, GEN_PRODUCTS, GEN_CUSTOMERS);
	return 0;
}
