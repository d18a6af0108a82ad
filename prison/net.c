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

/* Add (OP RTM_NEWADDR) or remove (RTM_DELADDR) the addresses of ST. */
static int
addrs(int fd, int op, unsigned lo, const struct jstate *st, unsigned *seq,
    char *err, size_t errlen)
{
	char a[INET6_ADDRSTRLEN];

	for (unsigned i = 0; i < st->n_ip4; i++)
		if (addr_op(fd, op, lo, AF_INET, &st->ip4_addr[i], 4, (*seq)++) < 0) {
			inet_ntop(AF_INET, &st->ip4_addr[i], a, sizeof(a));
			return jerr(err, errlen, errno, "ip4.addr %s: %s", a,
			    strerror(errno));
		}
	for (unsigned i = 0; i < st->n_ip6; i++)
		if (addr_op(fd, op, lo, AF_INET6, &st->ip6_addr[i], 16,
		    (*seq)++) < 0) {
			inet_ntop(AF_INET6, &st->ip6_addr[i], a, sizeof(a));
			return jerr(err, errlen, errno, "ip6.addr %s: %s", a,
			    strerror(errno));
		}
	return 0;
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

int
net_replace(const struct jstate *old, const struct jstate *new, char *err,
    size_t errlen)
{
	unsigned lo = if_nametoindex("lo"), seq = 1;
	int fd, rc;

	if (lo == 0)
		return jerr(err, errlen, ENODEV, "no loopback interface");
	if ((fd = nl_open(err, errlen)) < 0)
		return -1;
	rc = addrs(fd, RTM_DELADDR, lo, old, &seq, err, errlen);
	if (rc == 0 && (rc = addrs(fd, RTM_NEWADDR, lo, new, &seq, err,
	    errlen)) < 0)
		addrs(fd, RTM_NEWADDR, lo, old, &seq, NULL, 0);	/* undo */
	close(fd);
	return rc;
}

int
net_setup(const struct jstate *st, char *err, size_t errlen)
{
	unsigned lo = if_nametoindex("lo"), seq = 1;
	int fd, rc = 0;

	if (lo == 0)
		return jerr(err, errlen, ENODEV, "no loopback interface");
	if ((fd = nl_open(err, errlen)) < 0)
		return -1;
	if (link_up(fd, lo, seq++) < 0)
		rc = jerr(err, errlen, errno, "lo up: %s", strerror(errno));
	if (rc == 0)
		rc = addrs(fd, RTM_NEWADDR, lo, st, &seq, err, errlen);
	close(fd);
	return rc;
}
