/*
 * Written as a FreeBSD program would be: the same includes and calls,
 * compiled unchanged against this project's <sys/jail.h> and <jail.h>.
 */
#include <sys/param.h>
#include <sys/jail.h>
#include <sys/uio.h>
#include <err.h>
#include <errno.h>
#include <jail.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	struct jailparam params[4];
	char *name, *value;
	int jid;

	if (argc != 2)
		errx(1, "usage: freebsd_prog path");
	jid = jail_setv(JAIL_CREATE, "name", "fbsd", "path", argv[1],
	    "host.hostname", "fbsd.example", "persist", NULL, NULL);
	if (jid < 0)
		errx(1, "jail_setv: %s", jail_errmsg);
	if (jail_getid("fbsd") != jid)
		errx(1, "jail_getid");
	if ((name = jail_getname(jid)) == NULL || strcmp(name, "fbsd") != 0)
		errx(1, "jail_getname");
	free(name);

	jailparam_init(&params[0], "jid");
	jailparam_import_raw(&params[0], &jid, sizeof(jid));
	jailparam_init(&params[1], "host.hostname");
	jailparam_init(&params[2], "persist");
	if (jailparam_get(params, 3, 0) != jid)
		errx(1, "jailparam_get: %s", jail_errmsg);
	value = jailparam_export(&params[1]);
	printf("%d %s %s\n", jid, value, *(int *)params[2].jp_value ? "persist" :
	    "nopersist");
	free(value);
	jailparam_free(params, 3);

	if (jail_remove(jid) != 0)
		err(1, "jail_remove");
	if (jail_remove(jid) == 0 || errno != EINVAL)
		errx(1, "jail_remove of a removed jail");
	return 0;
}
