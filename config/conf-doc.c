/*
 * conf-doc: print documentation generated from the settings table.
 * Without arguments it prints the OPTIONS part of mailorder.conf(5); with
 * -e the commented examples/mailorder.conf.  Run by hand after changing
 * config/table.c:
 *
 *	./conf-doc -e > $(srcdir)/examples/mailorder.conf
 *
 * and paste the plain output between the markers of man/mailorder.conf.5.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "config/conf.h"

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "-e") == 0)
		config_example_write(stdout);
	else if (argc == 1)
		config_doc_write(stdout);
	else {
		fputs("usage: conf-doc [-e]\n", stderr);
		return EX_USAGE;
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("conf-doc: stdout");
		return EX_IOERR;
	}
	return EX_OK;
}
