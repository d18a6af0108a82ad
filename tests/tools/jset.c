/*
 * jset: call jail_set(2), jail_get(2), jail_remove(2) or jail_attach(2)
 * with a hand-made iovec, to test the system call interface directly.
 *
 *   jset set|get FLAGS [name TYPE:VALUE ...]
 *   jset remove|attach JID
 *   jset legacy PATH HOSTNAME IPV4
 *
 * After a successful attach (attach, set with JAIL_ATTACH, legacy), the
 * program named by $JSET_THEN is executed: it runs in the jail.
 *
 * TYPE: i (int), u (unsigned long), s (string with NUL), r (string
 * without NUL), n (NULL value), z (int-sized buffer of length 3),
 * o (an odd iovec count: the name only), b N (buffer of N bytes, output).
 * Prints "jid N" or "errno NAME: errmsg"; get prints each output value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/jail.h>
#include <unistd.h>
#include <arpa/inet.h>

static const char *
errname(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EEXIST: return "EEXIST";
	case EPERM: return "EPERM";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EFAULT: return "EFAULT";
	case EAGAIN: return "EAGAIN";
	case ENOTDIR: return "ENOTDIR";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EBADF: return "EBADF";
	default: return strerror(e);
	}
}

static void
then(void)
{
	const char *prog = getenv("JSET_THEN");

	fflush(stdout);
	if (prog != NULL) {
		execl(prog, prog, (char *)NULL);
		perror(prog);
		exit(127);
	}
}

int
main(int argc, char **argv)
{
	struct iovec iov[128];
	char errmsg[1024] = "", *bufs[64];
	int ints[64], nb = 0, n = 0, flags, rc;
	unsigned long ul[64];

	if (argc < 3)
		return 2;
	if (strcmp(argv[1], "remove") == 0 || strcmp(argv[1], "attach") == 0) {
		rc = argv[1][0] == 'r' ? jail_remove(atoi(argv[2])) :
		    jail_attach(atoi(argv[2]));
		if (rc < 0)
			printf("errno %s\n", errname(errno));
		else {
			printf("ok\n");
			if (argv[1][0] == 'a')
				then();
		}
		return 0;
	}
	if (strcmp(argv[1], "legacy") == 0 && argc == 5) {
		struct in_addr a;
		struct jail j = { .version = JAIL_API_VERSION, .path = argv[2],
		    .hostname = argv[3], .ip4s = 1, .ip4 = &a };

		inet_pton(AF_INET, argv[4], &a);
		rc = jail(&j);
		if (rc < 0)
			printf("errno %s\n", errname(errno));
		else {
			printf("jid %d\n", rc);
			then();
		}
		return 0;
	}
	flags = (int)strtol(argv[2], NULL, 0);
	for (int i = 3; i < argc; i += 2) {
		iov[n].iov_base = argv[i];
		iov[n++].iov_len = strlen(argv[i]) + 1;
		if (i + 1 >= argc)
			break;
		char t = argv[i + 1][0], *v = argv[i + 1] + 2;

		switch (t) {
		case 'i':
			ints[nb] = atoi(v);
			iov[n].iov_base = &ints[nb];
			iov[n++].iov_len = sizeof(int);
			break;
		case 'u':
			ul[nb] = strtoul(v, NULL, 0);
			iov[n].iov_base = &ul[nb];
			iov[n++].iov_len = sizeof(unsigned long);
			break;
		case 's':
			iov[n].iov_base = v;
			iov[n++].iov_len = strlen(v) + 1;
			break;
		case 'r':
			iov[n].iov_base = v;
			iov[n++].iov_len = strlen(v);
			break;
		case 'n':
			iov[n].iov_base = NULL;
			iov[n++].iov_len = 0;
			break;
		case 'z':
			iov[n].iov_base = &ints[nb];
			iov[n++].iov_len = 3;
			break;
		case 'o':
			break;
		case 'b':
			bufs[nb] = calloc(1, (size_t)atoi(v) + 1);
			iov[n].iov_base = bufs[nb];
			iov[n++].iov_len = (size_t)atoi(v);
			break;
		}
		nb++;
	}
	iov[n].iov_base = "errmsg";
	iov[n++].iov_len = sizeof("errmsg");
	iov[n].iov_base = errmsg;
	iov[n++].iov_len = sizeof(errmsg);
	if (strcmp(argv[1], "set") == 0)
		rc = jail_set(iov, (unsigned)n, flags);
	else
		rc = jail_get(iov, (unsigned)n, flags);
	if (rc < 0)
		printf("errno %s: %s\n", errname(errno), errmsg);
	else {
		printf("jid %d\n", rc);
		if (strcmp(argv[1], "set") == 0 && (flags & JAIL_ATTACH))
			then();
	}
	return 0;
}
