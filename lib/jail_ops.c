/*
 * jail_remove(2), the legacy jail(2), and the descriptor calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "internal.h"
#include "sys/jail.h"

JAIL_EXPORT int
jail_remove(int jid)
{
	unsigned char req[64], rbuf[4096];
	struct jmsg *reply;
	struct jmsg_buf b;
	int sock, st;

	if (geteuid() != 0 || jail_caller_jailed()) {
		errno = EPERM;
		return -1;
	}
	/* Removing a dying jail is FreeBSD's silent no-op: let it through. */
	if ((sock = jcl_connect_jail(jid, 0)) < 0)
		return -1;
	if ((reply = malloc(sizeof(*reply))) == NULL) {
		close(sock);
		return -1;
	}
	jmsg_start(&b, req, sizeof(req), JM_REMOVE, 0, 0);
	if (jmsg_finish(&b) < 0)
		st = errno;
	else
		st = jcl_call(sock, req, (size_t)b.len, rbuf, sizeof(rbuf), reply,
		    NULL, NULL);
	/* The prison exits once the jail is gone: EOF is success too. */
	if (st < 0 && errno == ENOENT)
		st = 0;
	else if (st < 0)
		st = errno;
	close(sock);
	free(reply);
	if (st != 0) {
		errno = st;
		return -1;
	}
	return 0;
}

/*
 * jail(2): jail_set of path, host.hostname, name and the addresses, with
 * create and attach; version 0 carries one IPv4 address in host order.
 */
JAIL_EXPORT int
jail(struct jail *j)
{
	struct iovec iov[12];
	struct in_addr a0;
	unsigned n = 0;
	struct jail_v0 v0;

#define	SETV(name, val, len) do {					\
	iov[n].iov_base = (void *)(name);				\
	iov[n++].iov_len = strlen(name) + 1;				\
	iov[n].iov_base = (void *)(val);				\
	iov[n++].iov_len = (len);					\
} while (0)

	if (j == NULL) {
		errno = EFAULT;
		return -1;
	}
	if (j->version == 0) {
		memcpy(&v0, j, sizeof(v0));
		a0.s_addr = htonl(v0.ip_number);
		SETV("path", v0.path, v0.path ? strlen(v0.path) + 1 : 0);
		SETV("host.hostname", v0.hostname,
		    v0.hostname ? strlen(v0.hostname) + 1 : 0);
		SETV("ip4.addr", &a0, sizeof(a0));
	} else if (j->version == JAIL_API_VERSION) {
		if (j->ip4s > 255 || j->ip6s > 255) {
			errno = EINVAL;
			return -1;
		}
		SETV("path", j->path, j->path ? strlen(j->path) + 1 : 0);
		SETV("host.hostname", j->hostname,
		    j->hostname ? strlen(j->hostname) + 1 : 0);
		if (j->jailname != NULL)
			SETV("name", j->jailname, strlen(j->jailname) + 1);
		if (j->ip4s > 0)
			SETV("ip4.addr", j->ip4, j->ip4s * sizeof(struct in_addr));
		if (j->ip6s > 0)
			SETV("ip6.addr", j->ip6, j->ip6s * sizeof(struct in6_addr));
	} else {
		errno = EINVAL;
		return -1;
	}
#undef SETV
	return jail_set(iov, n, JAIL_CREATE | JAIL_ATTACH);
}
