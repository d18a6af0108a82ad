/*
 * jstop: call jail__stop (the stop.timeout step of jail(8)'s removal) and
 * say what it returned and how long it took.
 *
 *   jstop JAIL TIMEOUT    prints "RC MS": jail__stop's return value (0 all
 *                         exited, 1 timed out) and the milliseconds it
 *                         took; or "fail ERRNO: MESSAGE" and exits 1
 *
 * Built for the host against the build's library (jt_cc_host, with the
 * library's internal header run.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/jail.h>
#include <jail.h>
#include "run.h"

static const char *
ename(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	default: return strerror(e);
	}
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	int jid, rc;

	if (argc != 3) {
		fprintf(stderr, "usage: jstop jail timeout\n");
		return 2;
	}
	if ((jid = jail_getid(argv[1])) < 0)
		jid = atoi(argv[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = jail__stop(jid, atoi(argv[2]));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc < 0) {
		printf("fail %s: %s\n", ename(errno), jail_errmsg);
		return 1;
	}
	printf("%d %ld\n", rc, (long)((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000));
	return 0;
}
