/*
 * Order references on the command line: "MO-54", "mo-54" or "54".
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "cli/cli.h"

int
cli_order_id(const char *arg, int64_t *id_r)
{
	char *end;
	long long v;

	if (strncasecmp(arg, "MO-", 3) == 0)
		arg += 3;
	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v <= 0) {
		fprintf(stderr, "mailorder: '%s' is not an order number "
		    "(MO-123 or 123)\n", arg);
		return -1;
	}
	*id_r = v;
	return 0;
}
