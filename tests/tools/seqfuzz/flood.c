/*
 * Check "flood": one client keeps every connection it may have busy with
 * requests that cost the prison a fork each (GET host.hostname), and never
 * reads an answer.  Meanwhile a second process of the same user asks,
 * every 100 ms, on a connection of its own: the prison must answer it
 * within the deadline all the same.  A slow client may be slow to serve;
 * it must not make everyone else wait.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "seqfuzz.h"

#define	FLOOD_CONNS	48	/* an unprivileged uid may have 64 */

/* The second process: asks until END, each answer within the deadline. */
static void __attribute__((noreturn))
asker(struct fz *f, long end)
{
	usleep(500000);		/* let the queues fill first */
	while (fz_now_ms() < end) {
		probe_alive(f);
		usleep(100000);
	}
	printf("flood: %lu questions answered, the slowest in %ld ms\n",
	    f->probes, f->probe_max_ms);
	exit(0);
}

static size_t
costly_get(unsigned char *buf, size_t size)
{
	struct jmsg_buf b;

	jmsg_start(&b, buf, size, JM_GET, 0, 0);
	jmsg_add(&b, "host.hostname", NULL, 0, 1);
	return (size_t)jmsg_finish(&b);
}

/* Refill every socket's queue until the asker is done. */
static void
flood(struct fz *f, pid_t kid, int *socks, int n, int *status)
{
	unsigned char req[256];
	size_t len = costly_get(req, sizeof(req));

	while (waitpid(kid, status, WNOHANG) == 0) {
		for (int i = 0; i < n; i++)
			while (socks[i] >= 0 && send(socks[i], req, len,
			    MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
				f->sent[RQ_GET]++;
		usleep(5000);
	}
}

int
flood_check(struct fz *f, long secs)
{
	int socks[FLOOD_CONNS], n, status = 0;
	pid_t kid;

	for (n = 0; n < FLOOD_CONNS; n++)
		socks[n] = fz_dial(f, 1);
	fflush(stdout);
	if ((kid = fork()) < 0)
		fz_fail(f, "fork: %s", strerror(errno));
	if (kid == 0)
		asker(f, fz_now_ms() + secs * 1000);
	flood(f, kid, socks, n, &status);
	for (int i = 0; i < n; i++)
		if (socks[i] >= 0)
			close(socks[i]);
	printf("flood: %lu requests sent, none read\n", f->sent[RQ_GET]);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
