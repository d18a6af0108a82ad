/*
 * mkparams TEMPLATE: copy an mdoc(7) template to standard output, replacing
 * the line `.\" @PARAMETERS@` with a tagged list of every jail parameter in
 * jparam_table, so that the manual and the code cannot disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "param.h"

#define	MARKER	".\\\" @PARAMETERS@"

/*
 * Print S as mdoc text, continuing a line COL bytes long.  Words wrap
 * before column 78 and every sentence starts a line, as mandoc wants; a
 * backslash is escaped, and a line that would start with a control
 * character gets \& first.
 */
static void
text(const char *s, size_t col)
{
	for (;;) {
		size_t n;

		s += strspn(s, " ");
		if ((n = strcspn(s, " ")) == 0)
			break;
		if (col > 0 && col + 1 + n > 78) {
			putchar('\n');
			col = 0;
		} else if (col > 0) {
			putchar(' ');
			col++;
		}
		if (col == 0 && (*s == '.' || *s == '\''))
			col += (size_t)printf("\\&");
		for (; n > 0; n--, s++, col++)
			if (*s == '\\')
				col += (size_t)printf("\\e") - 1;
			else
				putchar(*s);
		if (s[-1] == '.' && *s == ' ') {
			putchar('\n');
			col = 0;
		}
	}
	if (col > 0)
		putchar('\n');
}

static const char *
type_of(const struct jparam_def *d, char *buf, size_t len)
{
	switch (d->kind) {
	case JPK_INT:		return "Integer";
	case JPK_ULONG:		return "Unsigned long integer";
	case JPK_BOOL:		return "Boolean";
	case JPK_JAILSYS:	/* host and vnet cannot be disabled */
		return strcmp(d->name, "host") == 0 || strcmp(d->name, "vnet") == 0 ?
		    "Either new or inherit" : "One of disable, new or inherit";
	case JPK_IN_ADDR:	return "List of IPv4 addresses";
	case JPK_IN6_ADDR:	return "List of IPv6 addresses";
	case JPK_STRING:
		if (d->keyvalue) {
			/* The host's setting: see the Limits section. */
			snprintf(buf, len, "String of fewer bytes than "
			    "security.jail.meta_maxbufsize (%u unless host root "
			    "set another)", JAIL_META_MAXBUF);
			return buf;
		}
		snprintf(buf, len, "String of at most %u bytes",
		    (unsigned)d->maxlen - 1);
		return buf;
	}
	return "Value";
}

/* The default as a reader wants it: booleans as true or false. */
static const char *
default_of(const struct jparam_def *d)
{
	if (d->kind == JPK_BOOL)
		return strcmp(d->deflt, d->name) == 0 ? "true" : "false";
	if (strcmp(d->deflt, "\"\"") == 0)
		return "empty";
	if (d->deflt[0] == '\0')
		return "none";
	return d->deflt;
}

/* "Integer, settable only at creation; default: 0; not enforced on Linux." */
static void
summary(const struct jparam_def *d)
{
	char buf[128], line[256];
	const char *acc = "", *sup = "";

	if (d->access == JPA_CREATE)
		acc = ", settable only at creation";
	if (d->linux_support == JPL_STORED)
		sup = "; not enforced on Linux";
	else if (d->linux_support == JPL_REFUSED)
		sup = "; true is refused on Linux (EPERM)";
	if (d->access == JPA_RO)
		snprintf(line, sizeof(line), "%s, read-only.",
		    type_of(d, buf, sizeof(buf)));
	else
		snprintf(line, sizeof(line), "%s%s; default: %s%s.",
		    type_of(d, buf, sizeof(buf)), acc, default_of(d), sup);
	text(line, 0);
}

static void
param_list(void)
{
	puts(".Bl -tag -width indent");
	for (size_t i = 0; i < jparam_count; i++) {
		const struct jparam_def *d = &jparam_table[i];

		if (d->access == JPA_PSEUDO)
			continue;
		printf(".It Va %s\n", d->name);
		summary(d);
		text(d->descr, 0);
		if (d->linux_note[0] != '\0') {
			fputs("Linux:", stdout);
			text(d->linux_note, 6);
		}
	}
	puts(".El");
}

int
main(int argc, char **argv)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int found = 0;
	FILE *in;

	if (argc != 2) {
		fprintf(stderr, "usage: mkparams template\n");
		return 2;
	}
	if ((in = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	while ((n = getline(&line, &cap, in)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (strcmp(line, MARKER) == 0) {
			param_list();
			found = 1;
		} else
			puts(line);
	}
	free(line);
	if (ferror(in) || fclose(in) != 0) {
		perror(argv[1]);
		return 1;
	}
	if (!found) {
		fprintf(stderr, "mkparams: %s: no %s line\n", argv[1], MARKER);
		return 1;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("mkparams: stdout");
		return 1;
	}
	return 0;
}
