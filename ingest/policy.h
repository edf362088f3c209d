/*
 * The engine's policy from mailorder.conf's [policy] section, filled in
 * one place so mailorderd and mailorder(1) (parse, ingest) decide alike.
 */
#ifndef MO_INGEST_POLICY_H
#define MO_INGEST_POLICY_H

#include "engine/engine.h"

struct config;

/* The engine's defaults with every [policy] setting of conf applied. */
void	ingest_policy_init(struct engine_policy *, const struct config *conf);

#endif
