/*
 * jail(8)'s messages, as FreeBSD's prints them: notes on standard output
 * ("NAME: created"), warnings on standard error ("jail: NAME: ..."), each
 * named after the jail's configuration entry when it has one.
 */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jail8.h"

int verbose;
int iflag;

void
jail_note(const struct cfjail *j, const char *fmt, ...)
{
	va_list ap;

	if (j != NULL && j->name != NULL)
		printf("%s: ", j->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

char *
evformat(const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		err(1, "vasprintf");
	return msg;
}

void
jail_warnx(const struct cfjail *j, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = evformat(fmt, ap);
	va_end(ap);
	fflush(stdout);
	if (j != NULL && j->name != NULL)
		warnx("%s: %s", j->name, msg);
	else
		warnx("%s", msg);
	free(msg);
}

/*
 * Quoted when empty or holding blanks or quotes, with backslashes and the
 * quote character escaped: what jail(8) and jail.conf(5) read back.
 */
void
quoted_print(FILE *fp, const char *v)
{
	int qc;

	if (*v == '\0' || strchr(v, '\'') != NULL)
		qc = '"';
	else if (strchr(v, '"') != NULL)
		qc = '\'';
	else if (strpbrk(v, " \t\n") != NULL)
		qc = '"';
	else
		qc = 0;
	if (qc != 0)
		putc(qc, fp);
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == qc)
			putc('\\', fp);
		putc(*v, fp);
	}
	if (qc != 0)
		putc(qc, fp);
}
