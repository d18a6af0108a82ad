/*
 * jail-sysctl: FreeBSD's sysctl(8) for the names of jails, security.jail.*
 * (and kern.hostname, kern.domainname, kern.hostuuid, kern.hostid), so
 * that a jailed process, or a script written for FreeBSD, can ask what
 * jail it is in and what that jail allows it.  Debian's procps has
 * /usr/sbin/sysctl for Linux's /proc/sys names; this one is of another
 * name, and reads only these.  Output as FreeBSD's: "name: value", -n,
 * -e, -N, -d, -a and node prefixes.  Every name is read-only here.
 *
 * It is linked statically: it is meant to be copied into jail trees,
 * which need not have the host's C library.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail.h"
#include "internal.h"
#include "jsysctl.h"

static int aflag, dflag, eflag, iflag, Nflag, nflag, oflag, qflag;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: jail-sysctl [-deiNnoqx] name ...\n"
	    "       jail-sysctl [-deNnoqx] -a\n");
	exit(1);
}

/* An opaque value as FreeBSD's -o shows one: its format and bytes. */
static void
print_opaque(const struct jsc_entry *e)
{
	size_t v = (size_t)strtoul(e->value, NULL, 10);
	const unsigned char *b = (const unsigned char *)&v;

	printf("Format:%s Length:%zu Dump:0x", e->fmt, sizeof(v));
	for (size_t i = 0; i < sizeof(v); i++)
		printf("%02x", b[i]);
}

static void
show(const struct jsc_entry *e)
{
	if (Nflag) {
		printf("%s\n", e->name);
		return;
	}
	if (!nflag)
		printf("%s%s", e->name, eflag && !dflag ? "=" : ": ");
	if (dflag)
		fputs(e->descr, stdout);
	else if (e->kind == JSC_OPAQUE)
		print_opaque(e);
	else
		fputs(e->value, stdout);
	putchar('\n');
}

/* Whether E is NAME, or under the node NAME. */
static int
under(const struct jsc_entry *e, const char *name)
{
	size_t l = strlen(name);

	if (strcmp(e->name, name) == 0)
		return 2;
	return strncmp(e->name, name, l) == 0 && e->name[l] == '.';
}

static int
one(const struct jsc_entry *e, size_t n, int missing, const char *arg)
{
	const char *eq = strchr(arg, '=');
	int found = 0;

	if (eq != NULL) {
		if (!qflag)
			fprintf(stderr, "jail-sysctl: oid '%.*s' is read only\n",
			    (int)(eq - arg), arg);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		int u = under(&e[i], arg);

		if (u == 0)
			continue;
		found = 1;
		/* Opaque values are listed with -o or -N, or when named. */
		if (e[i].kind == JSC_OPAQUE && !oflag && !Nflag && u != 2)
			continue;
		show(&e[i]);
	}
	if (found || iflag)
		return 0;
	if (!qflag) {
		if (missing && strncmp(arg, "kern.", 5) != 0 &&
		    strncmp(arg, "security.jail.param", 19) != 0)
			fprintf(stderr, "jail-sysctl: %s: this jail publishes "
			    "no such value (its /dev has no " JSC_DIR ")\n",
			    arg);
		else
			fprintf(stderr, "jail-sysctl: unknown oid '%s'\n", arg);
	}
	return 1;
}

int
main(int argc, char **argv)
{
	struct jsc_entry *e;
	char err[JAIL_ERRMSGLEN];
	size_t n;
	int ch, missing, rc = 0;

	while ((ch = getopt(argc, argv, "AadeiNnoqXx")) != -1) {
		switch (ch) {
		case 'A':
			aflag = oflag = 1;
			break;
		case 'a':
			aflag = 1;
			break;
		case 'd':
			dflag = 1;
			break;
		case 'e':
			eflag = 1;
			break;
		case 'i':
			iflag = 1;
			break;
		case 'N':
			Nflag = 1;
			break;
		case 'n':
			nflag = 1;
			break;
		case 'o':
		case 'x':
			oflag = 1;
			break;
		case 'X':
			aflag = oflag = 1;
			break;
		case 'q':
			qflag = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 && !aflag)
		usage();
	if (jsc_load(&e, &n, &missing, err, sizeof(err)) < 0) {
		fprintf(stderr, "jail-sysctl: %s\n", err);
		return 1;
	}
	if (argc == 0) {
		for (size_t i = 0; i < n; i++)
			if (e[i].kind != JSC_OPAQUE || oflag || Nflag)
				show(&e[i]);
	}
	for (int i = 0; i < argc; i++)
		rc |= one(e, n, missing, argv[i]);
	jsc_free(e, n);
	return rc;
}
