/*
 * withdesc: run a command with a descriptor of a jail on fd 3, as a
 * holder would be handed one (the test then drops privilege with
 * setpriv).
 *
 *   withdesc NAME [-l RIGHTS] COMMAND [ARG...]
 *
 * Built for the host against the installed interface (jt_cc_host, with
 * the library and headers of the build).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

#include <sys/jail.h>
#include <jail.h>
#include <jaildesc.h>

int
main(int argc, char **argv)
{
	char name[256];
	int d = -1, arg = 2;
	struct iovec iov[4];

	if (argc < 3) {
		fprintf(stderr, "usage: withdesc name [-l rights] command...\n");
		return 2;
	}
	snprintf(name, sizeof(name), "%s", argv[1]);
	iov[0].iov_base = "name";
	iov[0].iov_len = sizeof("name");
	iov[1].iov_base = name;
	iov[1].iov_len = sizeof(name);
	iov[2].iov_base = "desc";
	iov[2].iov_len = sizeof("desc");
	iov[3].iov_base = &d;
	iov[3].iov_len = sizeof(d);
	if (jail_get(iov, 4, JAIL_GET_DESC) < 0) {
		fprintf(stderr, "withdesc: %s\n", jail_errmsg);
		return 2;
	}
	if (strcmp(argv[2], "-l") == 0 && argc > 4) {
		if (jaildesc_limit(d, (unsigned)strtoul(argv[3], NULL, 0)) < 0)
			return 2;
		arg = 4;
	}
	if (d != 3 && (dup2(d, 3) < 0 || close(d) < 0))
		return 2;
	execvp(argv[arg], argv + arg);
	perror(argv[arg]);
	return 2;
}
