/*
 * Synthetic but realistic test data for benchmarks: a catalog, customers,
 * a long order history and order emails in the shapes real mail programs
 * produce (plain, quoted-printable, HTML alternative, quoted replies,
 * signatures).  Deterministic for a given seed.
 */
#ifndef MO_BENCH_GEN_H
#define MO_BENCH_GEN_H

#include <stddef.h>

#include "common/buf.h"
#include "common/error.h"

struct store;

struct gen {
	unsigned long	 seed;
	size_t		 nproducts;
	size_t		 ncustomers;
};

/* Fill the store with g->nproducts products (two aliases each),
 * g->ncustomers customers and nhistory history lines. */
int	gen_store(struct gen *, struct store *, size_t nhistory, struct err *);

/* Append message number i (2-10 KB) to out. */
void	gen_message(struct gen *, size_t i, struct buf *out);

#endif
