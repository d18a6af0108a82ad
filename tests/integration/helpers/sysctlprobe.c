/*
 * sysctlprobe: libjail's jail_sysctlbyname(3) and jail_pid_getid(3), from
 * a test (static, so that it runs in busybox jails too).
 *
 *   sysctlprobe int NAME     print NAME's int value
 *   sysctlprobe ulong NAME   print NAME's unsigned long value
 *   sysctlprobe str NAME     print NAME's string, after checking that a
 *                            size query (no buffer) gives its size
 *   sysctlprobe small NAME   a 1-byte buffer must fail with ENOMEM
 *   sysctlprobe set NAME     a new value must fail with EPERM
 *   sysctlprobe pid PID      print the jid of process PID
 *   sysctlprobe attach JID   jail_attach(JID), print "attached", and wait
 *                            to be killed
 *
 * Exits 0 on success; else prints errno's name and jail_errmsg, exits 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/jail.h>

#include <jail.h>

static int
failed(const char *what)
{
	printf("%s: %s: %s\n", what, strerror(errno), jail_errmsg);
	return 1;
}

int
main(int argc, char **argv)
{
	char buf[8192];
	size_t len;
	int iv, jid;
	unsigned long lv;

	if (argc != 3)
		return 2;
	if (strcmp(argv[1], "int") == 0) {
		len = sizeof(iv);
		if (jail_sysctlbyname(argv[2], &iv, &len, NULL, 0) < 0)
			return failed(argv[2]);
		if (len != sizeof(iv))
			return failed("length");
		printf("%d\n", iv);
	} else if (strcmp(argv[1], "ulong") == 0) {
		len = sizeof(lv);
		if (jail_sysctlbyname(argv[2], &lv, &len, NULL, 0) < 0)
			return failed(argv[2]);
		printf("%lu\n", lv);
	} else if (strcmp(argv[1], "str") == 0) {
		size_t need = 0;

		if (jail_sysctlbyname(argv[2], NULL, &need, NULL, 0) < 0)
			return failed(argv[2]);
		len = sizeof(buf);
		if (jail_sysctlbyname(argv[2], buf, &len, NULL, 0) < 0)
			return failed(argv[2]);
		if (len != need || len != strlen(buf) + 1) {
			printf("size %zu, then %zu for \"%s\"\n", need, len, buf);
			return 1;
		}
		printf("%s\n", buf);
	} else if (strcmp(argv[1], "small") == 0) {
		len = 1;
		if (jail_sysctlbyname(argv[2], buf, &len, NULL, 0) == 0 ||
		    errno != ENOMEM)
			return failed("not ENOMEM");
		printf("ENOMEM\n");
	} else if (strcmp(argv[1], "set") == 0) {
		iv = 1;
		if (jail_sysctlbyname(argv[2], NULL, NULL, &iv,
		    sizeof(iv)) == 0 || errno != EPERM)
			return failed("not EPERM");
		printf("EPERM\n");
	} else if (strcmp(argv[1], "pid") == 0) {
		if ((jid = jail_pid_getid((pid_t)atoi(argv[2]))) < 0)
			return failed(argv[2]);
		printf("%d\n", jid);
	} else if (strcmp(argv[1], "attach") == 0) {
		if (jail_attach(atoi(argv[2])) < 0)
			return failed("jail_attach");
		printf("attached\n");
		fflush(stdout);
		for (;;)
			pause();
	} else
		return 2;
	return 0;
}
