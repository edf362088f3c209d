/*
 * bench_parse: how fast the engine turns order emails into orders.
 *
 * Builds a store with a generated catalog and history, generates N
 * order emails (2-10 KB, the shapes real mail programs produce) in
 * memory, and runs every one through engine_process() on one core.
 * Prints messages/second and peak RSS.  A benchmark, not a test: it
 * asserts nothing.
 *
 *   bench_parse [-p PRODUCTS] [-H HISTORY] [-n MESSAGES] [-d DB] -r RULES
 *
 * -d DB runs against that store instead of a new one: gen_mail's shop,
 * say, after gen_store -s has added a year to it (bench/bench_scale.sh).
 * The engine only reads the store, so DB is left as it was.
 */
#include "config.h"

#include <sys/resource.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/gen.h"
#include "common/buf.h"
#include "common/xmalloc.h"
#include "engine/engine.h"
#include "rules/rules.h"
#include "store/store.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int
main(int argc, char **argv)
{
	struct gen g = { 42, 1000, 100 };
	size_t nhistory = 100000, nmsg = 20000, i, bytes = 0;
	size_t counts[3] = { 0, 0, 0 }, lines = 0;
	const char *rules_path = NULL, *dbpath = NULL;
	char dir[] = "/tmp/mo-bench.XXXXXX", path[64];
	struct engine_result res;
	struct ruleset *rules;
	struct engine *eng;
	struct store *st;
	struct buf msg;
	struct err err;
	double t0, tgen, busy = 0;
	int ch;

	xmalloc_tune();
	while ((ch = getopt(argc, argv, "p:H:n:r:d:")) != -1) {
		switch (ch) {
		case 'd': dbpath = optarg; break;
		case 'p': g.nproducts = strtoul(optarg, NULL, 10); break;
		case 'H': nhistory = strtoul(optarg, NULL, 10); break;
		case 'n': nmsg = strtoul(optarg, NULL, 10); break;
		case 'r': rules_path = optarg; break;
		default:
			fprintf(stderr, "usage: bench_parse [-p N] [-H N] "
			    "[-n N] [-d DB] -r RULES\n");
			return 64;
		}
	}
	if (rules_path == NULL || mkdtemp(dir) == NULL) {
		fprintf(stderr, "bench_parse: need -r RULES\n");
		return 64;
	}
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	t0 = now_s();
	if (dbpath != NULL) {
		if ((st = store_open(dbpath, 0, &err)) == NULL) {
			fprintf(stderr, "bench_parse: %s\n", err.msg);
			return 1;
		}
	} else if ((st = store_open(path, 0, &err)) == NULL ||
	    gen_store(&g, st, nhistory, &err) == -1) {
		fprintf(stderr, "bench_parse: %s\n", err.msg);
		return 1;
	}
	tgen = now_s() - t0;
	if ((rules = rules_load(&rules_path, 1, &err)) == NULL ||
	    (eng = engine_new(st, rules, NULL, &err)) == NULL) {
		fprintf(stderr, "bench_parse: %s\n", err.msg);
		return 1;
	}
	/* Messages are generated one at a time into one buffer, so peak
	 * RSS is the engine's and not the benchmark's; only the engine's
	 * time is counted. */
	buf_init(&msg, BUF_NOLIMIT);
	for (i = 0; i < nmsg; i++) {
		buf_reset(&msg);
		gen_message(&g, i, &msg);
		bytes += msg.len;
		t0 = now_s();
		if (engine_process(eng, msg.data, msg.len, &res, &err) == -1) {
			fprintf(stderr, "bench_parse: message %zu: %s\n", i,
			    err.msg);
			continue;
		}
		busy += now_s() - t0;
		counts[res.status]++;
		lines += res.nlines;
		engine_result_release(&res);
	}

	if (dbpath != NULL)
		printf("store %s (opened in %.2f s)\n", dbpath, tgen);
	else
		printf("catalog %zu products, history %zu lines (store built "
		    "in %.2f s)\n", g.nproducts, nhistory, tgen);
	printf("messages %zu, %.1f KB average, jit %s\n", nmsg,
	    (double)bytes / nmsg / 1024, rules_jit_active(rules) ? "on" :
	    "OFF");
	printf("parsed in %.3f s: %.0f messages/second, %.1f us/message\n",
	    busy, nmsg / busy, busy * 1e6 / nmsg);
	printf("accepted %zu, flagged %zu, ignored %zu, %zu lines\n",
	    counts[0], counts[1], counts[2], lines);
	printf("peak RSS %.1f MB\n", peak_rss_kb() / 1024.0);

	engine_free(eng);
	rules_free(rules);
	store_close(st);
	buf_release(&msg);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	return system(path) == 0 ? 0 : 1;
}
