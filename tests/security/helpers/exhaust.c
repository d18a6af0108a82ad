/*
 * exhaust KIND [MAX]: take kernel objects of one kind until the kernel
 * refuses (or MAX are held), print "KIND <count> <errno>", then hold them
 * until killed (with "once", exit instead).  Run inside a jail to show
 * that the jail's limit stops it; run on the host or in another jail to
 * show that the limit is the jail's own.
 *
 *   proc     fork children that sleep      (RLIMIT_NPROC of the jail)
 *   pty      open /dev/ptmx                 (the jail's devpts max)
 *   inotify  inotify_init1                  (per-user inotify instances)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static int
take(const char *kind)
{
	pid_t pid;

	if (strcmp(kind, "proc") == 0) {
		if ((pid = fork()) < 0)
			return -1;
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		return 0;
	}
	if (strcmp(kind, "pty") == 0)
		return open("/dev/ptmx", O_RDWR | O_NOCTTY) < 0 ? -1 : 0;
	if (strcmp(kind, "inotify") == 0)
		return inotify_init1(0) < 0 ? -1 : 0;
	fprintf(stderr, "exhaust: unknown kind %s\n", kind);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct rlimit nofile = { 65536, 65536 };
	long max = argc > 2 ? atol(argv[2]) : 100000, n = 0;
	int once = argc > 3 && strcmp(argv[3], "once") == 0, err = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: exhaust proc|pty|inotify [max [once]]\n");
		return 2;
	}
	setrlimit(RLIMIT_NOFILE, &nofile);
	while (n < max) {
		if (take(argv[1]) < 0) {
			err = errno;
			break;
		}
		n++;
	}
	printf("%s %ld %d\n", argv[1], n, err);
	fflush(stdout);
	if (once)
		return 0;	/* the children die with us (PDEATHSIG) */
	for (;;)
		pause();
}
