/*
 * rawstr: pass strings to libjail and jail_set(2) the ways FreeBSD
 * programs do, and print what came back.
 *
 *   rawstr jls NAME PARAM...	as FreeBSD's jls -j NAME: the name imported
 *				with jailparam_import_raw(jp, name,
 *				strlen(name)), then jailparam_get; prints
 *				"jid value..." (values exported)
 *   rawstr setv NAME PATH	jail_setv(JAIL_CREATE, name, path, persist)
 *   rawstr rawset NAME PARAM VALUE
 *				jailparam_set(JAIL_UPDATE) with the name and
 *				VALUE both imported raw without their NUL
 *   rawstr iov NAME PARAM VALUE LEN
 *				jail_set(2) by hand, JAIL_UPDATE: PARAM's
 *				value iovec is LEN bytes of VALUE (so
 *				strlen(VALUE) leaves the NUL out)
 *
 * Failures print "errno N: MESSAGE" and exit 1.  Built for the host
 * against the build's library and headers (jt_cc_libjail).
 */
#include <sys/param.h>
#include <sys/jail.h>
#include <sys/uio.h>
#include <errno.h>
#include <jail.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
failed(const char *msg)
{
	printf("errno %d: %s\n", errno, msg);
	return 1;
}

static int
do_jls(int argc, char **argv)
{
	struct jailparam *jp;
	int n = argc - 1, jid;

	if ((jp = calloc((size_t)n + 1, sizeof(*jp))) == NULL)
		return failed("calloc");
	for (int i = 0; i < n - 1; i++)
		if (jailparam_init(&jp[i], argv[i + 2]) < 0)
			return failed(jail_errmsg);
	/* Last, as jls adds its key after the parameters it prints. */
	if (jailparam_init(&jp[n - 1], "name") < 0 ||
	    jailparam_import_raw(&jp[n - 1], argv[1], strlen(argv[1])) < 0)
		return failed(jail_errmsg);
	if ((jid = jailparam_get(jp, (unsigned)n, 0)) < 0)
		return failed(jail_errmsg);
	printf("%d", jid);
	for (int i = 0; i < n - 1; i++) {
		char *s = jailparam_export(&jp[i]);

		if (s == NULL)
			return failed(jail_errmsg);
		printf(" %s", s);
		free(s);
	}
	printf("\n");
	jailparam_free(jp, (unsigned)n);
	free(jp);
	return 0;
}

int
main(int argc, char **argv)
{
	struct jailparam jp[2];
	struct iovec iov[6];
	char errmsg[256] = "";
	int jid;

	if (argc >= 3 && strcmp(argv[1], "jls") == 0)
		return do_jls(argc - 1, argv + 1);
	if (argc == 4 && strcmp(argv[1], "setv") == 0) {
		jid = jail_setv(JAIL_CREATE, "name", argv[2], "path", argv[3],
		    "persist", NULL, NULL);
		if (jid < 0)
			return failed(jail_errmsg);
		printf("%d\n", jid);
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "rawset") == 0) {
		if (jailparam_init(&jp[0], "name") < 0 ||
		    jailparam_init(&jp[1], argv[3]) < 0)
			return failed(jail_errmsg);
		jailparam_import_raw(&jp[0], argv[2], strlen(argv[2]));
		jailparam_import_raw(&jp[1], argv[4], strlen(argv[4]));
		if ((jid = jailparam_set(jp, 2, JAIL_UPDATE)) < 0)
			return failed(jail_errmsg);
		printf("%d\n", jid);
		jailparam_free(jp, 2);
		return 0;
	}
	if (argc == 6 && strcmp(argv[1], "iov") == 0) {
		iov[0].iov_base = "name";
		iov[0].iov_len = sizeof("name");
		iov[1].iov_base = argv[2];
		iov[1].iov_len = strlen(argv[2]) + 1;
		iov[2].iov_base = argv[3];
		iov[2].iov_len = strlen(argv[3]) + 1;
		iov[3].iov_base = argv[4];
		iov[3].iov_len = strtoul(argv[5], NULL, 10);
		iov[4].iov_base = "errmsg";
		iov[4].iov_len = sizeof("errmsg");
		iov[5].iov_base = errmsg;
		iov[5].iov_len = sizeof(errmsg);
		if ((jid = jail_set(iov, 6, JAIL_UPDATE)) < 0)
			return failed(errmsg);
		printf("%d\n", jid);
		return 0;
	}
	fprintf(stderr, "usage: rawstr jls|setv|rawset|iov ...\n");
	return 2;
}
