/*
 * opath: run a command with an O_PATH descriptor as one of its standard
 * descriptors, which no shell can open.  Built on the host (jt_cc_host).
 *
 *	opath FILE FD command [arg ...]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int fd, to;

	if (argc < 4) {
		fprintf(stderr, "usage: opath file fd command [arg ...]\n");
		return 2;
	}
	to = atoi(argv[2]);
	if ((fd = open(argv[1], O_PATH | O_CLOEXEC)) < 0 || dup2(fd, to) < 0) {
		perror(argv[1]);
		return 2;
	}
	execvp(argv[3], argv + 3);
	perror(argv[3]);
	return 127;
}
