/*
 * Customers and the email addresses that identify them.
 */
#ifndef MO_STORE_CUSTOMER_H
#define MO_STORE_CUSTOMER_H

#include <stddef.h>

#include "common/error.h"
#include "store/store.h"

/* Insert or update a customer. */
int	store_customer_upsert(struct store *, const char *id,
	    const char *name, struct err *);

/* Replace the imported addresses of customer id with addrs[0..n): each is
 * "user@domain" or "@domain" (whole domain), stored lower-case.  Addresses
 * assigned by operators are kept.  An address already owned by another
 * customer moves to this one. */
int	store_customer_set_addresses(struct store *, const char *id,
	    char *const *addrs, size_t n, struct err *);

/* For imports: create or update customer id (name) and make its imported
 * addresses addrs[0..n), as store_customer_set_addresses() does, touching
 * only what differs.  *how_r says whether anything did. */
int	store_customer_import(struct store *, const char *id,
	    const char *name, char *const *addrs, size_t n,
	    enum store_import_how *how_r, struct err *);

/* Assign one address to a customer (operator action, source 'operator'). */
int	store_customer_assign(struct store *, const char *addr,
	    const char *id, struct err *);

/* Room for a customer ID, NUL included, in what store_customer_lookup()
 * fills in. */
#define STORE_CUSTOMER_ID_MAX	128

/* The stored ID of the customer a person typed as id ("acme" for
 * ACME): the exact ID, else the one ID equal to it but for ASCII case.
 * Returns 1 with the ID in id_r[0..len), 0 when there is none (id_r gets
 * id as typed), -1 on error: ERR_INPUT when two IDs differ from it only in
 * case, or when id does not fit. */
int	store_customer_lookup(struct store *, const char *id, char *id_r,
	    size_t len, struct err *);

/* 1 when the customer exists, 0 when not, -1 on error. */
int	store_customer_exists(struct store *, const char *id, struct err *);

/* Count customers and address rows (all sources); for import summaries
 * and tests. */
int	store_customer_count(struct store *, long *customers_r,
	    long *addresses_r, struct err *);

/* Find the customer for a sender address: the exact address wins over its
 * "@domain" entry.  Case-insensitive.  Returns 1 and a malloc'd id (and,
 * when name_r is not NULL, a malloc'd name), 0 when nobody matches, -1 on
 * error. */
int	store_customer_find(struct store *, const char *addr, char **id_r,
	    char **name_r, struct err *);

/* A domain customers' addresses name ("acme.com" of "dana@acme.com" and
 * of "@acme.com"), with the customer; for lookalike checks. */
struct store_customer_domain {
	char	*domain;
	char	*customer_id;
	char	*customer_name;
};

/* Every (domain, customer) pair once, sorted by domain.  Returns 0 with
 * a malloc'd array in *doms_r (free it with
 * store_customer_domains_free), or -1. */
int	store_customer_domains(struct store *,
	    struct store_customer_domain **doms_r, size_t *n_r, struct err *);
void	store_customer_domains_free(struct store_customer_domain *, size_t n);

#endif
