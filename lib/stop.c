/*
 * jail__stop: the stop.timeout step of jail(8)'s removal.  See run.h.
 * The jail's prison signals its processes and answers once they are gone
 * or the time is up (JM_TERM, prison/stop.c): we only ask and wait.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail.h"
#include "internal.h"
#include "run.h"

/* Ask the prison on SOCK; what is left (0: none), or -1. */
static int
ask(int sock, int timeout_sec)
{
	unsigned char req[64], rbuf[256];
	const struct jmsg_item *it;
	struct jmsg *reply;
	struct jmsg_buf b;
	int st, left = -1;

	if ((reply = malloc(sizeof(*reply))) == NULL)
		return -1;
	jmsg_start(&b, req, sizeof(req), JM_TERM, 0, 0);
	jmsg_add_int(&b, "timeout", timeout_sec);
	if (jmsg_finish(&b) < 0)
		st = -1;
	else
		st = jcl_call(sock, req, (size_t)b.len, rbuf, sizeof(rbuf),
		    reply, NULL, NULL);
	if (st < 0 && errno == ENOENT) {
		/* The prison closed: the jail ended, with its last process. */
		left = 0;
	} else if (st > 0) {
		jcl_errmsg(reply, st, jail_errmsg, JAIL_ERRMSGLEN);
		errno = st;
	} else if (st == 0) {
		it = jmsg_find(reply, "left");
		if (it != NULL && !it->null && it->len == sizeof(int))
			memcpy(&left, it->value, sizeof(left));
		if (left < 0)
			errno = EBADMSG;
	}
	free(reply);
	return left;
}

int
jail__stop(int jid, int timeout_sec)
{
	int sock, left, err;

	jail_errmsg[0] = '\0';
	if (timeout_sec < 0)
		return jerr(jail_errmsg, JAIL_ERRMSGLEN, EINVAL,
		    "stop.timeout: %d: not a number of seconds", timeout_sec);
	if (geteuid() != 0 || jail_caller_jailed())
		return jerr(jail_errmsg, JAIL_ERRMSGLEN, EPERM, "jail %d: only "
		    "root outside every jail can stop its processes", jid);
	/* A dying jail's processes are being killed already. */
	if ((sock = jcl_connect_jail(jid, 1)) < 0)
		return jerr(jail_errmsg, JAIL_ERRMSGLEN, ENOENT,
		    "jail %d not found", jid);
	/* FreeBSD's stop.timeout=0: no SIGTERM, removal kills at once. */
	if (timeout_sec == 0) {
		close(sock);
		return 0;
	}
	left = ask(sock, timeout_sec);
	err = errno;
	close(sock);
	if (left < 0) {
		/* The prison's words if it said why, else the errno's. */
		if (jail_errmsg[0] == '\0')
			snprintf(jail_errmsg, JAIL_ERRMSGLEN, "jail %d: %s",
			    jid, strerror(err));
		errno = err;
		return -1;
	}
	return left == 0 ? 0 : 1;
}
