/*
 * The jail's own network namespace: loopback up, and the jail's
 * addresses on it.  Runs in jail init before it drops its capabilities.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "internal.h"
#include "prison.h"
#include "sys/jail.h"

static int
talk(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned portid = mnl_socket_get_portid(nl);
	ssize_t n;

	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -1;
	return mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, NULL, NULL) < 0 ?
	    -1 : 0;
}

static int
link_up(struct mnl_socket *nl, unsigned ifindex, unsigned seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)ifindex;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	return talk(nl, nlh);
}

static int
addr_add(struct mnl_socket *nl, unsigned ifindex, int family, const void *addr,
    size_t alen, unsigned seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)family;
	ifa->ifa_prefixlen = family == AF_INET ? 32 : 128;
	ifa->ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	return talk(nl, nlh);
}

int
net_setup(const struct jstate *st, char *err, size_t errlen)
{
	struct mnl_socket *nl;
	unsigned lo = if_nametoindex("lo"), seq = (unsigned)time(NULL);
	int rc = 0;

	if (lo == 0)
		return jerr(err, errlen, ENODEV, "no loopback interface");
	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		if (nl != NULL)
			mnl_socket_close(nl);
		return jerr(err, errlen, errno, "netlink: %s", strerror(errno));
	}
	if (link_up(nl, lo, seq++) < 0)
		rc = jerr(err, errlen, errno, "lo up: %s", strerror(errno));
	for (unsigned i = 0; rc == 0 && i < st->n_ip4; i++)
		if (addr_add(nl, lo, AF_INET, &st->ip4_addr[i], 4, seq++) < 0) {
			char a[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &st->ip4_addr[i], a, sizeof(a));
			rc = jerr(err, errlen, errno, "ip4.addr %s: %s", a,
			    strerror(errno));
		}
	for (unsigned i = 0; rc == 0 && i < st->n_ip6; i++)
		if (addr_add(nl, lo, AF_INET6, &st->ip6_addr[i], 16, seq++) < 0) {
			char a[INET6_ADDRSTRLEN];

			inet_ntop(AF_INET6, &st->ip6_addr[i], a, sizeof(a));
			rc = jerr(err, errlen, errno, "ip6.addr %s: %s", a,
			    strerror(errno));
		}
	mnl_socket_close(nl);
	return rc;
}
