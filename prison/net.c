/*
 * The jail's own network namespace: loopback up, and the jail's
 * addresses on it.  Runs in jail init before it drops its capabilities.
 * Plain rtnetlink: two message types do not need a library, and the
 * prison stays a static binary that starts fast.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "internal.h"
#include "prison.h"
#include "sys/jail.h"

struct nlreq {
	struct nlmsghdr	h;
	union {
		struct ifinfomsg	ifi;
		struct ifaddrmsg	ifa;
	} u;
	char		attrs[64];
};

static void
add_attr(struct nlreq *r, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Send one request and wait for its acknowledgement. */
static int
talk(int fd, struct nlreq *r)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char buf[4096];
	struct nlmsghdr *h;
	ssize_t n;

	r->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (sendto(fd, r, r->h.nlmsg_len, 0, (struct sockaddr *)&kernel,
	    sizeof(kernel)) < 0)
		return -1;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -1;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		    h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->h.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (e->error == 0)
					return 0;
				errno = -e->error;
				return -1;
			}
		}
	}
}

static int
link_up(int fd, unsigned ifindex, unsigned seq)
{
	struct nlreq r;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(r.u.ifi));
	r.h.nlmsg_type = RTM_NEWLINK;
	r.h.nlmsg_seq = seq;
	r.u.ifi.ifi_family = AF_UNSPEC;
	r.u.ifi.ifi_index = (int)ifindex;
	r.u.ifi.ifi_flags = IFF_UP;
	r.u.ifi.ifi_change = IFF_UP;
	return talk(fd, &r);
}

static int
addr_op(int fd, int op, unsigned ifindex, int family, const void *addr,
    size_t alen, unsigned seq)
{
	struct nlreq r;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(r.u.ifa));
	r.h.nlmsg_type = (unsigned short)op;
	r.h.nlmsg_flags = op == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0;
	r.h.nlmsg_seq = seq;
	r.u.ifa.ifa_family = (unsigned char)family;
	r.u.ifa.ifa_prefixlen = family == AF_INET ? 32 : 128;
	r.u.ifa.ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0;
	r.u.ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	r.u.ifa.ifa_index = ifindex;
	add_attr(&r, IFA_LOCAL, addr, alen);
	add_attr(&r, IFA_ADDRESS, addr, alen);
	return talk(fd, &r);
}

static int
nl_open(char *err, size_t errlen)
{
	struct sockaddr_nl me = { .nl_family = AF_NETLINK };
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
		jerr(err, errlen, errno, "netlink: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Address I of ST (its IPv4 ones first), as family, bytes and length. */
static const void *
addr_at(const struct jstate *st, unsigned i, int *family, size_t *len)
{
	if (i < st->n_ip4) {
		*family = AF_INET;
		*len = 4;
		return &st->ip4_addr[i];
	}
	*family = AF_INET6;
	*len = 16;
	return &st->ip6_addr[i - st->n_ip4];
}

static int
has_addr(const struct jstate *st, int family, const void *addr)
{
	for (unsigned i = 0; i < st->n_ip4 + st->n_ip6; i++) {
		int f;
		size_t len;
		const void *a = addr_at(st, i, &f, &len);

		if (f == family && memcmp(a, addr, len) == 0)
			return 1;
	}
	return 0;
}

/*
 * Add (OP RTM_NEWADDR) or remove the addresses of A that B has not; all
 * of them, or none (what was done is undone).
 */
static int
change_addrs(int fd, int op, unsigned lo, const struct jstate *a,
    const struct jstate *b, unsigned *seq, char *err, size_t errlen)
{
	int undo = op == RTM_NEWADDR ? RTM_DELADDR : RTM_NEWADDR, e;
	unsigned i;

	for (i = 0; i < a->n_ip4 + a->n_ip6; i++) {
		int f;
		size_t len;
		const void *addr = addr_at(a, i, &f, &len);
		char text[INET6_ADDRSTRLEN];

		if (has_addr(b, f, addr) ||
		    addr_op(fd, op, lo, f, addr, len, (*seq)++) == 0)
			continue;
		e = errno;
		inet_ntop(f, addr, text, sizeof(text));
		jerr(err, errlen, e, "%s %s: %s",
		    f == AF_INET ? "ip4.addr" : "ip6.addr", text, strerror(e));
		while (i-- > 0) {
			addr = addr_at(a, i, &f, &len);
			if (!has_addr(b, f, addr))
				addr_op(fd, undo, lo, f, addr, len, (*seq)++);
		}
		errno = e;
		return -1;
	}
	return 0;
}

/*
 * OLD's addresses become NEW's: those only in NEW are added first, then
 * those only in OLD removed (an address in both is never down), and a
 * failure leaves OLD's.
 */
int
net_replace(const struct jstate *old, const struct jstate *new, char *err,
    size_t errlen)
{
	unsigned lo = if_nametoindex("lo"), seq = 1;
	int fd, rc, e;

	if (lo == 0)
		return jerr(err, errlen, ENODEV, "no loopback interface");
	if ((fd = nl_open(err, errlen)) < 0)
		return -1;
	rc = change_addrs(fd, RTM_NEWADDR, lo, new, old, &seq, err, errlen);
	if (rc == 0 && (rc = change_addrs(fd, RTM_DELADDR, lo, old, new, &seq,
	    err, errlen)) < 0) {
		e = errno;
		change_addrs(fd, RTM_DELADDR, lo, new, old, &seq, NULL, 0);
		errno = e;
	}
	close(fd);
	return rc;
}

int
net_setup(const struct jstate *st, char *err, size_t errlen)
{
	static const struct jstate none;
	unsigned lo = if_nametoindex("lo"), seq = 1;
	int fd, rc = 0;

	if (lo == 0)
		return jerr(err, errlen, ENODEV, "no loopback interface");
	if ((fd = nl_open(err, errlen)) < 0)
		return -1;
	if (link_up(fd, lo, seq++) < 0)
		rc = jerr(err, errlen, errno, "lo up: %s", strerror(errno));
	if (rc == 0)
		rc = change_addrs(fd, RTM_NEWADDR, lo, st, &none, &seq, err,
		    errlen);
	close(fd);
	return rc;
}
