/*
 * fbsd_libjail: a program written to FreeBSD's jail(2) and libjail(3) as
 * FreeBSD's own tools use them, built by install_test.sh against an
 * installed tree (headers, libjail.a or libjail.so) and run there.
 *
 *   fbsd_libjail PATH NAME
 *
 * creates a persistent jail NAME at PATH, reads it, changes it, enters it
 * from a child and removes it, printing one line per step; exits 1 with
 * jail_errmsg or errno on the first failure.
 */
#include <sys/param.h>
#include <sys/jail.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <jail.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One parameter of a list, as jls(8)'s add_param: a raw value, no NUL. */
static void
param_raw(struct jailparam *jp, const char *name, void *value, size_t len)
{

	if (jailparam_init(jp, name) < 0)
		errx(1, "jailparam_init %s: %s", name, jail_errmsg);
	if (value != NULL && jailparam_import_raw(jp, value, len) < 0)
		errx(1, "jailparam_import_raw %s: %s", name, jail_errmsg);
}

static void
show(const char *step, struct jailparam *jp, unsigned njp)
{
	char *value;
	unsigned i;

	printf("%s:", step);
	for (i = 0; i < njp; i++) {
		if ((value = jailparam_export(&jp[i])) == NULL)
			errx(1, "jailparam_export %s: %s", jp[i].jp_name,
			    jail_errmsg);
		printf(" %s=%s", jp[i].jp_name, value);
		free(value);
	}
	printf("\n");
}

int
main(int argc, char **argv)
{
	struct jailparam params[3], *all;
	struct iovec iov[2];
	char host[MAXHOSTNAMELEN], kname[] = "name", *name, *jname;
	int jid, n, i, found, status;
	pid_t pid;

	if (argc != 3)
		errx(1, "usage: fbsd_libjail path name");
	name = argv[2];

	/* jail(8) -c, the short way. */
	jid = jail_setv(JAIL_CREATE, "name", name, "path", argv[1],
	    "host.hostname", "fbsd.example", "persist", NULL, NULL);
	if (jid < 0)
		errx(1, "jail_setv: %s", jail_errmsg);
	printf("setv: created\n");
	if (jail_getv(0, "name", name, "host.hostname", host, NULL) != jid)
		errx(1, "jail_getv: %s", jail_errmsg);
	printf("getv: %s\n", host);
	if (jail_getid(name) != jid)
		errx(1, "jail_getid: %s", jail_errmsg);
	if ((jname = jail_getname(jid)) == NULL)
		errx(1, "jail_getname: %s", jail_errmsg);
	printf("getname: %s\n", jname);
	free(jname);

	/* jail_get(2) itself: the jid of a name (NUL included, as jail(2)). */
	iov[0].iov_base = kname;
	iov[0].iov_len = sizeof(kname);
	iov[1].iov_base = name;
	iov[1].iov_len = strlen(name) + 1;
	if (jail_get(iov, 2, 0) != jid)
		err(1, "jail_get");
	printf("get(2): ok\n");

	/* jls -s: every parameter there is. */
	if ((n = jailparam_all(&all)) < 0)
		errx(1, "jailparam_all: %s", jail_errmsg);
	for (i = found = 0; i < n; i++)
		if (strcmp(all[i].jp_name, "host.hostname") == 0)
			found = 1;
	jailparam_free(all, n);
	free(all);
	printf("all: %s\n", found ? "host.hostname found" : "no host.hostname");

	/* jls -j NAME: the name imported raw, without its NUL. */
	param_raw(&params[0], "name", name, strlen(name));
	param_raw(&params[1], "host.hostname", NULL, 0);
	param_raw(&params[2], "persist", NULL, 0);
	if (jailparam_get(params, 3, 0) != jid)
		errx(1, "jailparam_get: %s", jail_errmsg);
	show("get", params, 3);
	jailparam_free(params, 3);

	/* jail(8) -m: values imported from strings. */
	if (jailparam_init(&params[0], "jid") < 0 ||
	    jailparam_init(&params[1], "host.hostname") < 0)
		errx(1, "jailparam_init: %s", jail_errmsg);
	snprintf(host, sizeof(host), "%d", jid);
	if (jailparam_import(&params[0], host) < 0 ||
	    jailparam_import(&params[1], "jailed.example") < 0)
		errx(1, "jailparam_import: %s", jail_errmsg);
	if (jailparam_set(params, 2, JAIL_UPDATE) != jid)
		errx(1, "jailparam_set: %s", jail_errmsg);
	show("set", &params[1], 1);
	jailparam_free(params, 2);

	/* jexec(8): a child enters the jail and sees its host name. */
	fflush(stdout);
	if ((pid = fork()) < 0)
		err(1, "fork");
	if (pid == 0) {
		if (jail_attach(jid) < 0)
			err(1, "jail_attach");
		if (gethostname(host, sizeof(host)) < 0)
			err(1, "gethostname");
		printf("attach: %s\n", host);
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0 || status != 0)
		errx(1, "the attached child failed");

	/* jail(8) -r. */
	if (jail_remove(jid) < 0)
		err(1, "jail_remove");
	printf("remove: ok\n");
	if (jail_getv(0, "name", name, "host.hostname", host, NULL) >= 0)
		errx(1, "jail_getv found the removed jail");
	printf("after: %s\n", jail_errmsg);
	return 0;
}
