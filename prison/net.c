/*
 * The jail's network, built and changed by the prison.
 *
 * A jail with ip4=new or ip6=new gets a veth pair: its end, "eth0", in
 * the jail's network namespace, the other, "jail<jid>", in the host's
 * (see net_host_ifname).
 * Both ends are made by one request (the peer is created directly in the
 * jail's namespace), so there is never a moment when the jail's end is a
 * host interface; and when the jail's namespace dies, whatever killed
 * the prison, the kernel destroys the pair and with it every route
 * through it.
 *
 *   jail: eth0   addresses /32 and /128, default routes via 169.254.0.1
 *                and fe80::1, whose neighbour entries name the host end
 *                (no ARP or NDP from the jail is needed)
 *   host: jailN  no IPv4 address, fe80::1/64; a /32 or /128 route to each
 *                jail address; forwarding on it (per interface), no
 *                redirects or router advertisements accepted; on its
 *                ingress a filter that drops every packet whose source
 *                is not one of the jail's addresses (or, for IPv6,
 *                link-local), and everything that is neither IPv4, ARP
 *                nor IPv6: the jail cannot spoof, whatever it does with
 *                raw sockets or IP_FREEBIND
 *
 * A change is a list of steps (struct step), run in order; a step that
 * fails takes back the ones before it, so a jail_set either gets the
 * whole change or none of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_addr.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

#include "internal.h"
#include "prison.h"
#include "sys/jail.h"

#define	JAIL_IFNAME	"eth0"
#define	RTPROT_JAIL	213	/* our routes, as "ip route" shows them */

/* The host end's MAC address: locally administered, "jail". */
static const unsigned char host_mac[ETH_ALEN] = {
	0x02, 0x6a, 0x61, 0x69, 0x6c, 0x00
};

static const struct in_addr gw4 = { .s_addr = 0x0100fea9 }; /* 169.254.0.1 */
static const struct in6_addr gw6 = {
	.s6_addr = { 0xfe, 0x80, [15] = 1 }
};

int
net_wanted(const struct jstate *st)
{
	return st->ip4 == JAIL_SYS_NEW || st->ip6 == JAIL_SYS_NEW;
}

/*
 * The host end's name: jail<jid> in the system's registry; a registry of
 * its own (the tests') has jids of its own, so there it is jp<prison pid>.
 */
void
net_host_ifname(int jid, char *buf, size_t len)
{
	if (strcmp(jreg_path(), JAIL_REGISTRY_DEFAULT) == 0)
		snprintf(buf, len, "jail%d", jid);
	else
		snprintf(buf, len, "jp%d", (int)getpid());
}

/* ---- Requests ---- */

static int
link_set(struct nl *nl, unsigned ifindex, unsigned flags, unsigned change)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC, .ifi_index = (int)ifindex,
		.ifi_flags = flags, .ifi_change = change,
	};

	nl_start(nl, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	return nl_talk(nl);
}

/* No link-local address of the kernel's making on IFINDEX. */
static int
link_no_ll(struct nl *nl, unsigned ifindex)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC, .ifi_index = (int)ifindex,
	};
	struct nlattr *spec, *in6;
	uint8_t mode = IN6_ADDR_GEN_MODE_NONE;

	nl_start(nl, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	spec = nl_nest(nl, IFLA_AF_SPEC);
	in6 = nl_nest(nl, AF_INET6);
	nl_put(nl, IFLA_INET6_ADDR_GEN_MODE, &mode, sizeof(mode));
	nl_nest_end(nl, in6);
	nl_nest_end(nl, spec);
	return nl_talk(nl);
}

static int
link_del(struct nl *nl, unsigned ifindex)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC, .ifi_index = (int)ifindex,
	};

	nl_start(nl, RTM_DELLINK, 0, &ifi, sizeof(ifi));
	return nl_talk(nl);
}

/* Move IFINDEX into the network namespace NSFD, renamed NAME (or not). */
int
net_link_move(struct nl *nl, unsigned ifindex, int nsfd, const char *name)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC, .ifi_index = (int)ifindex,
	};

	nl_start(nl, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	nl_put_u32(nl, IFLA_NET_NS_FD, (uint32_t)nsfd);
	if (name != NULL)
		nl_put_str(nl, IFLA_IFNAME, name);
	return nl_talk(nl);
}

static size_t
alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

static int
addr_op(struct nl *nl, int op, unsigned ifindex, int family, const void *a,
    unsigned plen)
{
	struct ifaddrmsg ifa = {
		.ifa_family = (unsigned char)family,
		.ifa_prefixlen = (unsigned char)plen,
		.ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0,
		.ifa_scope = RT_SCOPE_UNIVERSE,
		.ifa_index = ifindex,
	};

	if (family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL((const struct in6_addr *)a))
		ifa.ifa_scope = RT_SCOPE_LINK;
	nl_start(nl, (uint16_t)op, op == RTM_NEWADDR ?
	    NLM_F_CREATE | NLM_F_EXCL : 0, &ifa, sizeof(ifa));
	nl_put(nl, IFA_LOCAL, a, alen(family));
	nl_put(nl, IFA_ADDRESS, a, alen(family));
	return nl_talk(nl);
}

/*
 * A neighbour entry: permanent (MAC given) or, with NTF_PROXY in FLAGS,
 * a proxy entry answering ARP or NDP for A on IFINDEX.
 */
int
net_neigh(struct nl *nl, int op, unsigned ifindex, int family, const void *a,
    const unsigned char *mac, uint8_t flags)
{
	struct ndmsg nd = {
		.ndm_family = (uint8_t)family, .ndm_ifindex = (int)ifindex,
		.ndm_state = NUD_PERMANENT, .ndm_flags = flags,
	};

	nl_start(nl, (uint16_t)op, op == RTM_NEWNEIGH ?
	    NLM_F_CREATE | NLM_F_REPLACE : 0, &nd, sizeof(nd));
	nl_put(nl, NDA_DST, a, alen(family));
	if (mac != NULL)
		nl_put(nl, NDA_LLADDR, mac, ETH_ALEN);
	return nl_talk(nl);
}

struct route {
	int		 family;
	const void	*dst;		/* NULL: default */
	const void	*gw;
	const void	*src;		/* preferred source, or NULL */
	unsigned	 oif;
	int		 excl;		/* fail if it exists (else replace) */
};

static int
route_op(struct nl *nl, int op, const struct route *r)
{
	struct rtmsg rt = {
		.rtm_family = (unsigned char)r->family,
		.rtm_dst_len = r->dst != NULL ? (unsigned char)(alen(r->family) * 8) : 0,
		.rtm_table = RT_TABLE_MAIN,
		.rtm_protocol = RTPROT_JAIL,
		.rtm_scope = r->gw != NULL ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK,
		.rtm_type = RTN_UNICAST,
		.rtm_flags = r->gw != NULL ? RTNH_F_ONLINK : 0,
	};
	uint16_t flags = 0;

	if (op == RTM_NEWROUTE)
		flags = NLM_F_CREATE | (r->excl ? NLM_F_EXCL : NLM_F_REPLACE);
	nl_start(nl, (uint16_t)op, flags, &rt, sizeof(rt));
	if (r->dst != NULL)
		nl_put(nl, RTA_DST, r->dst, alen(r->family));
	if (r->gw != NULL)
		nl_put(nl, RTA_GATEWAY, r->gw, alen(r->family));
	if (r->src != NULL)
		nl_put(nl, RTA_PREFSRC, r->src, alen(r->family));
	nl_put_u32(nl, RTA_OIF, r->oif);
	return nl_talk(nl);
}

/* The veth pair: NAME here, its peer JAIL_IFNAME in the namespace NSFD. */
static int
veth_create(struct nl *nl, const char *name, int nsfd)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *info, *data, *peer;

	nl_start(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
	nl_put_str(nl, IFLA_IFNAME, name);
	nl_put(nl, IFLA_ADDRESS, host_mac, sizeof(host_mac));
	info = nl_nest(nl, IFLA_LINKINFO);
	nl_put_str(nl, IFLA_INFO_KIND, "veth");
	data = nl_nest(nl, IFLA_INFO_DATA);
	peer = nl_nest(nl, VETH_INFO_PEER);
	nl_put_raw(nl, &ifi, sizeof(ifi));
	nl_put_str(nl, IFLA_IFNAME, JAIL_IFNAME);
	nl_put_u32(nl, IFLA_NET_NS_FD, (uint32_t)nsfd);
	nl_nest_end(nl, peer);
	nl_nest_end(nl, data);
	nl_nest_end(nl, info);
	return nl_talk(nl);
}

/* ---- The host end's filter ---- */

#define	INS(c, k)		((struct sock_filter)BPF_STMT((c), (k)))
#define	JMP(c, k, t, f)		((struct sock_filter)BPF_JUMP((c), (k), (t), (f)))
#define	PASS			0	/* TC_ACT_OK */
#define	DROP			2	/* TC_ACT_SHOT */

struct prog {
	struct sock_filter	*f;
	unsigned		 n, max;
};

static void
emit(struct prog *p, struct sock_filter ins)
{
	if (p->n < p->max)
		p->f[p->n] = ins;
	p->n++;
}

/* Pass if the word at OFF is one of the IPv4 addresses of A or B. */
static void
emit_v4_sources(struct prog *p, unsigned off, const struct jstate *a,
    const struct jstate *b)
{
	const struct jstate *s[2] = { a, b };

	emit(p, INS(BPF_LD | BPF_W | BPF_ABS, off));
	for (int k = 0; k < 2; k++)
		for (unsigned i = 0; s[k] != NULL && i < s[k]->n_ip4; i++) {
			emit(p, JMP(BPF_JMP | BPF_JEQ | BPF_K,
			    ntohl(s[k]->ip4_addr[i].s_addr), 0, 1));
			emit(p, INS(BPF_RET | BPF_K, PASS));
		}
	emit(p, INS(BPF_RET | BPF_K, DROP));
}

static void
emit_v6_sources(struct prog *p, const struct jstate *a, const struct jstate *b)
{
	const struct jstate *s[2] = { a, b };
	const unsigned src = ETH_HLEN + 8;

	/* Link-local sources: the kernel never forwards them. */
	emit(p, INS(BPF_LD | BPF_W | BPF_ABS, src));
	emit(p, INS(BPF_ALU | BPF_AND | BPF_K, 0xffc00000));
	emit(p, JMP(BPF_JMP | BPF_JEQ | BPF_K, 0xfe800000, 0, 1));
	emit(p, INS(BPF_RET | BPF_K, PASS));
	for (int k = 0; k < 2; k++)
		for (unsigned i = 0; s[k] != NULL && i < s[k]->n_ip6; i++) {
			uint32_t w[4];

			memcpy(w, &s[k]->ip6_addr[i], sizeof(w));
			for (unsigned j = 0; j < 4; j++) {
				emit(p, INS(BPF_LD | BPF_W | BPF_ABS, src + 4 * j));
				emit(p, JMP(BPF_JMP | BPF_JEQ | BPF_K, ntohl(w[j]),
				    0, (uint8_t)(7 - 2 * j)));
			}
			emit(p, INS(BPF_RET | BPF_K, PASS));
		}
	emit(p, INS(BPF_RET | BPF_K, DROP));
}

/*
 * The classic BPF program of the host end's ingress for the addresses of
 * A and B (B may be NULL): a packet from the jail passes only with one
 * of them as its source.  A packet too short to hold its source makes
 * the program end with 0, "pass": the stack then drops it as truncated.
 */
static unsigned
filter_build(struct prog *p, const struct jstate *a, const struct jstate *b)
{
	unsigned v4, arp, v6, at;

	p->n = 0;
	emit(p, INS(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT));
	emit(p, JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0));
	emit(p, INS(BPF_RET | BPF_K, DROP));
	emit(p, INS(BPF_LD | BPF_H | BPF_ABS, 12));
	at = p->n;
	emit(p, JMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 1));
	emit(p, INS(BPF_JMP | BPF_JA, 0));			/* -> v4 */
	emit(p, JMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_ARP, 0, 1));
	emit(p, INS(BPF_JMP | BPF_JA, 0));			/* -> arp */
	emit(p, JMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 1));
	emit(p, INS(BPF_JMP | BPF_JA, 0));			/* -> v6 */
	emit(p, INS(BPF_RET | BPF_K, DROP));

	v4 = p->n;
	if (a->ip4 == JAIL_SYS_NEW)
		emit_v4_sources(p, ETH_HLEN + 12, a, b);
	else
		emit(p, INS(BPF_RET | BPF_K, DROP));
	/* ARP for IPv4 over Ethernet only; its sender address is the source. */
	arp = p->n;
	if (a->ip4 == JAIL_SYS_NEW) {
		emit(p, INS(BPF_LD | BPF_W | BPF_ABS, ETH_HLEN));
		emit(p, JMP(BPF_JMP | BPF_JEQ | BPF_K, 0x00010800, 1, 0));
		emit(p, INS(BPF_RET | BPF_K, DROP));
		emit(p, INS(BPF_LD | BPF_H | BPF_ABS, ETH_HLEN + 4));
		emit(p, JMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0604, 1, 0));
		emit(p, INS(BPF_RET | BPF_K, DROP));
		emit_v4_sources(p, ETH_HLEN + 14, a, b);
	} else
		emit(p, INS(BPF_RET | BPF_K, DROP));
	v6 = p->n;
	if (a->ip6 == JAIL_SYS_NEW)
		emit_v6_sources(p, a, b);
	else
		emit(p, INS(BPF_RET | BPF_K, DROP));
	if (p->n <= p->max) {
		p->f[at + 1].k = v4 - (at + 2);
		p->f[at + 3].k = arp - (at + 4);
		p->f[at + 5].k = v6 - (at + 6);
	}
	return p->n;
}

/* The clsact qdisc that the filter hangs from. */
static int
tc_clsact(struct nl *nl, unsigned ifindex)
{
	struct tcmsg tc = {
		.tcm_family = AF_UNSPEC, .tcm_ifindex = (int)ifindex,
		.tcm_handle = TC_H_MAKE(TC_H_CLSACT, 0),
		.tcm_parent = TC_H_CLSACT,
	};

	nl_start(nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, &tc, sizeof(tc));
	nl_put_str(nl, TCA_KIND, "clsact");
	return nl_talk(nl);
}

/* Install, or replace, the filter for the addresses of A and B. */
static int
tc_filter(struct nl *nl, unsigned ifindex, const struct jstate *a,
    const struct jstate *b)
{
	static struct sock_filter f[BPF_MAXINSNS];
	struct prog p = { f, 0, BPF_MAXINSNS };
	struct tcmsg tc = {
		.tcm_family = AF_UNSPEC, .tcm_ifindex = (int)ifindex,
		.tcm_handle = 1,
		.tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS),
		.tcm_info = TC_H_MAKE(1U << 16, htons(ETH_P_ALL)),
	};
	struct nlattr *opt;
	uint16_t n;

	if (filter_build(&p, a, b) > p.max) {
		errno = E2BIG;
		return -1;
	}
	n = (uint16_t)p.n;
	nl_start(nl, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_REPLACE, &tc,
	    sizeof(tc));
	nl_put_str(nl, TCA_KIND, "bpf");
	opt = nl_nest(nl, TCA_OPTIONS);
	nl_put(nl, TCA_BPF_OPS_LEN, &n, sizeof(n));
	nl_put(nl, TCA_BPF_OPS, f, n * sizeof(f[0]));
	nl_put_u32(nl, TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
	nl_nest_end(nl, opt);
	return nl_talk(nl);
}

/* ---- Host interface settings ---- */

/* net.PROTO.conf.IFNAME.KEY = VAL; ENOENT if the kernel has no such knob. */
int
net_sysctl(const char *proto, const char *ifname, const char *key,
    const char *val)
{
	char path[128];
	ssize_t n;
	int fd, e;

	if ((size_t)snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s",
	    proto, ifname, key) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -1;
	n = write(fd, val, strlen(val));
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/*
 * The host end as a router port that believes nothing the jail says:
 * forwarding on (IPv4's is per input interface; IPv6's needs the
 * kernel's force_forwarding, 6.17 and later, else the host's own
 * setting decides), no redirects, no router advertisements.
 */
static int
host_end_settings(const char *ifname, const struct jstate *st)
{
	static const char *const v4[][2] = {
		{ "forwarding", "1" }, { "accept_redirects", "0" },
		{ "send_redirects", "0" }, { "accept_source_route", "0" },
	};
	static const char *const v6[][2] = {
		{ "accept_ra", "0" }, { "accept_redirects", "0" },
		{ "autoconf", "0" }, { "accept_dad", "0" },
		{ "accept_source_route", "0" },
	};

	for (size_t i = 0; st->ip4 == JAIL_SYS_NEW && i < 4; i++)
		if (net_sysctl("ipv4", ifname, v4[i][0], v4[i][1]) < 0)
			return -1;
	for (size_t i = 0; st->ip6 == JAIL_SYS_NEW && i < 5; i++)
		if (net_sysctl("ipv6", ifname, v6[i][0], v6[i][1]) < 0)
			return -1;
	if (st->ip6 == JAIL_SYS_NEW &&
	    net_sysctl("ipv6", ifname, "force_forwarding", "1") < 0 &&
	    errno != ENOENT)
		return -1;
	return 0;
}

/* ---- Steps ---- */

struct netctx {
	struct prison	*pr;
	struct nl	 host, jail;	/* sockets in each namespace */
	unsigned	 hostif, jailif;
	const struct jstate *from, *to;
};

enum step_kind {
	S_ROUTE,	/* host route to an address through the host end */
	S_ADDR,		/* the address on the jail's end */
	S_FILTER,	/* the filter for both states (during a change) */
	S_DEFAULT,	/* the jail's default route of a family, as in TO */
	S_PROXY,	/* a proxy entry on an interface= interface */
};

struct step {
	uint8_t		 kind;
	uint8_t		 undo;		/* the step is a removal */
	uint8_t		 family;
	unsigned	 idx;		/* address index in its state */
	const struct jstate *st;	/* whose address */
};

static const void *
step_addr(const struct step *s)
{
	return s->family == AF_INET ? (const void *)&s->st->ip4_addr[s->idx] :
	    (const void *)&s->st->ip6_addr[s->idx];
}

/* The jail's default route of FAMILY, as ST has it. */
static int
default_route(struct netctx *c, int family, const struct jstate *st)
{
	struct route r = {
		.family = family, .oif = c->jailif,
		.gw = family == AF_INET ? (const void *)&gw4 : (const void *)&gw6,
	};

	if (family == AF_INET && !st->ip4_saddrsel && st->n_ip4 > 0)
		r.src = &st->ip4_addr[0];
	if (family == AF_INET6 && !st->ip6_saddrsel && st->n_ip6 > 0)
		r.src = &st->ip6_addr[0];
	return route_op(&c->jail, RTM_NEWROUTE, &r);
}

/* Do step S (BACK: take it back). */
static int
step_run(struct netctx *c, const struct step *s, int back)
{
	int add = s->undo == back;
	struct route r = {
		.family = s->family, .oif = c->hostif, .excl = 1,
	};

	switch (s->kind) {
	case S_ROUTE:
		r.dst = step_addr(s);
		return route_op(&c->host, add ? RTM_NEWROUTE : RTM_DELROUTE, &r);
	case S_ADDR:
		return addr_op(&c->jail, add ? RTM_NEWADDR : RTM_DELADDR,
		    c->jailif, s->family, step_addr(s),
		    s->family == AF_INET ? 32 : 128);
	case S_FILTER:
		return back ? tc_filter(&c->host, c->hostif, c->from, NULL) :
		    tc_filter(&c->host, c->hostif, c->from, c->to);
	case S_DEFAULT:
		return default_route(c, s->family, back ? c->from : c->to);
	case S_PROXY:
		return net_proxy_step(&c->host, s->st, s->family, s->idx, add);
	}
	errno = EINVAL;
	return -1;
}

static int
has_addr(const struct jstate *st, int family, const void *a)
{
	if (family == AF_INET) {
		for (unsigned i = 0; i < st->n_ip4; i++)
			if (memcmp(&st->ip4_addr[i], a, 4) == 0)
				return 1;
		return 0;
	}
	for (unsigned i = 0; i < st->n_ip6; i++)
		if (memcmp(&st->ip6_addr[i], a, 16) == 0)
			return 1;
	return 0;
}

struct plan {
	struct step	*s;
	unsigned	 n;
};

static void
add_step(struct plan *p, int kind, int undo, int family, unsigned idx,
    const struct jstate *st)
{
	struct step *s = &p->s[p->n++];

	s->kind = (uint8_t)kind;
	s->undo = (uint8_t)undo;
	s->family = (uint8_t)family;
	s->idx = idx;
	s->st = st;
}

/* Steps for the addresses of FAMILY in A and not in B (ADD, or removal). */
static void
plan_addrs(struct plan *p, int family, const struct jstate *a,
    const struct jstate *b, int add)
{
	unsigned n = family == AF_INET ? a->n_ip4 : a->n_ip6;

	for (unsigned i = 0; i < n; i++) {
		const void *x = family == AF_INET ? (const void *)&a->ip4_addr[i] :
		    (const void *)&a->ip6_addr[i];

		if (has_addr(b, family, x))
			continue;
		if (add) {
			add_step(p, S_ROUTE, 0, family, i, a);
			add_step(p, S_ADDR, 0, family, i, a);
			if (net_proxy_wanted(a, family, i))
				add_step(p, S_PROXY, 0, family, i, a);
		} else {
			if (net_proxy_wanted(a, family, i))
				add_step(p, S_PROXY, 1, family, i, a);
			add_step(p, S_ADDR, 1, family, i, a);
			add_step(p, S_ROUTE, 1, family, i, a);
		}
	}
}

static void net_step_error(const struct step *s, int e, char *err,
    size_t errlen);

/* Proxy entries of addresses in both that move to another interface. */
static void
plan_moved_proxies(struct plan *p, const struct jstate *from,
    const struct jstate *to)
{
	for (unsigned i = 0; i < to->n_ip4 + to->n_ip6; i++) {
		int fam = i < to->n_ip4 ? AF_INET : AF_INET6;
		unsigned k = fam == AF_INET ? i : i - to->n_ip4, j;
		unsigned n = fam == AF_INET ? from->n_ip4 : from->n_ip6;
		const char *a, *b;
		char was[IFNAMSIZ] = "";

		for (j = 0; j < n; j++)
			if (memcmp(fam == AF_INET ? (const void *)&from->ip4_addr[j] :
			    (const void *)&from->ip6_addr[j],
			    fam == AF_INET ? (const void *)&to->ip4_addr[k] :
			    (const void *)&to->ip6_addr[k], fam == AF_INET ? 4 : 16) == 0)
				break;
		if (j == n)
			continue;
		if ((a = net_proxy_ifname(from, fam, j)) != NULL &&
		    from->interface[0] != '\0')
			snprintf(was, sizeof(was), "%s", a);
		b = to->interface[0] != '\0' ? net_proxy_ifname(to, fam, k) : NULL;
		if (strcmp(was, b != NULL ? b : "") == 0)
			continue;
		if (b != NULL)
			add_step(p, S_PROXY, 0, fam, k, to);
		if (was[0] != '\0')
			add_step(p, S_PROXY, 1, fam, j, from);
	}
}

static int
default_differs(const struct jstate *a, const struct jstate *b, int family)
{
	if (family == AF_INET)
		return a->ip4_saddrsel != b->ip4_saddrsel ||
		    (a->n_ip4 > 0) != (b->n_ip4 > 0) || (a->n_ip4 > 0 &&
		    a->ip4_addr[0].s_addr != b->ip4_addr[0].s_addr);
	return a->ip6_saddrsel != b->ip6_saddrsel ||
	    (a->n_ip6 > 0) != (b->n_ip6 > 0) || (a->n_ip6 > 0 &&
	    memcmp(&a->ip6_addr[0], &b->ip6_addr[0], 16) != 0);
}

/*
 * FROM becomes TO: the filter lets both through, new addresses come
 * (route, then address, then proxy entry), the default routes take the
 * new primary, old ones go (the other way round), the filter keeps TO's.
 */
static int
transition(struct netctx *c, char *err, size_t errlen)
{
	struct step *steps;
	struct plan p = { NULL, 0 };
	unsigned max = 4 * 2 * (c->from->n_ip4 + c->from->n_ip6 +
	    c->to->n_ip4 + c->to->n_ip6) + 8, i;
	int e;

	if ((steps = calloc(max, sizeof(*steps))) == NULL)
		return jerr(err, errlen, ENOMEM, "out of memory");
	p.s = steps;
	if ((c->from->interface[0] != '\0' || c->to->interface[0] != '\0') &&
	    net_record(c->pr, c->from, c->to, err, errlen) < 0) {
		free(steps);
		return -1;
	}
	add_step(&p, S_FILTER, 0, 0, 0, NULL);
	plan_addrs(&p, AF_INET, c->to, c->from, 1);
	plan_addrs(&p, AF_INET6, c->to, c->from, 1);
	plan_moved_proxies(&p, c->from, c->to);
	if (c->to->ip4 == JAIL_SYS_NEW && default_differs(c->from, c->to, AF_INET))
		add_step(&p, S_DEFAULT, 0, AF_INET, 0, NULL);
	if (c->to->ip6 == JAIL_SYS_NEW && default_differs(c->from, c->to, AF_INET6))
		add_step(&p, S_DEFAULT, 0, AF_INET6, 0, NULL);
	plan_addrs(&p, AF_INET, c->from, c->to, 0);
	plan_addrs(&p, AF_INET6, c->from, c->to, 0);
	for (i = 0; i < p.n; i++) {
		if (step_run(c, &p.s[i], 0) == 0) {
			/* Killed with a proxy entry made, more steps to come. */
			if (p.s[i].kind == S_PROXY && !p.s[i].undo)
				crash_point("net-proxy");
			continue;
		}
		e = errno;
		net_step_error(&p.s[i], e, err, errlen);
		while (i-- > 0)
			step_run(c, &p.s[i], 1);
		free(steps);
		if (c->from->interface[0] != '\0' || c->to->interface[0] != '\0')
			net_record(c->pr, c->from, NULL, NULL, 0);
		errno = e;
		return -1;
	}
	free(steps);
	if ((c->from->interface[0] != '\0' || c->to->interface[0] != '\0') &&
	    net_record(c->pr, c->to, NULL, err, errlen) < 0)
		return -1;
	/* The last step: only TO's addresses pass. */
	e = tc_filter(&c->host, c->hostif, c->to, NULL) < 0 ? errno : 0;
	if (e != 0)
		return jerr(err, errlen, e, "filter: %s", strerror(e));
	return 0;
}

/* What failed, in the words of the parameter it came from. */
static void
net_step_error(const struct step *s, int e, char *err, size_t errlen)
{
	char text[INET6_ADDRSTRLEN] = "";
	const char *pname = s->family == AF_INET ? "ip4.addr" : "ip6.addr";

	if (s->st != NULL)
		inet_ntop(s->family, step_addr(s), text, sizeof(text));
	switch (s->kind) {
	case S_ROUTE:
		if (e == EEXIST) {
			jerr(err, errlen, EADDRINUSE, "%s %s: already routed "
			    "(another jail has it)", pname, text);
			return;
		}
		jerr(err, errlen, e, "%s %s: route: %s", pname, text,
		    strerror(e));
		return;
	case S_ADDR:
		jerr(err, errlen, e, "%s %s: %s", pname, text, strerror(e));
		return;
	case S_PROXY:
		jerr(err, errlen, e, "%s %s: interface %s: %s", pname, text,
		    net_proxy_ifname(s->st, s->family, s->idx),
		    e == ENXIO ? "no such interface" : strerror(e));
		return;
	case S_FILTER:
		jerr(err, errlen, e, "filter: %s", strerror(e));
		return;
	default:
		jerr(err, errlen, e, "default route: %s", strerror(e));
	}
}

/* ---- Entry points ---- */

/*
 * An address of the host cannot be a jail's: the host's local table
 * would keep it.  A bind without IP_FREEBIND tells.
 */
static int
host_owns(const struct jstate *st, char *err, size_t errlen)
{
	for (unsigned i = 0; i < st->n_ip4 + st->n_ip6; i++) {
		int v6 = i >= st->n_ip4;
		struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
		struct sockaddr_in s4 = { .sin_family = AF_INET };
		char text[INET6_ADDRSTRLEN];
		int fd, rc;

		if (v6)
			s6.sin6_addr = st->ip6_addr[i - st->n_ip4];
		else
			s4.sin_addr = st->ip4_addr[i];
		fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		rc = v6 ? bind(fd, (struct sockaddr *)&s6, sizeof(s6)) :
		    bind(fd, (struct sockaddr *)&s4, sizeof(s4));
		close(fd);
		if (rc < 0)
			continue;
		inet_ntop(v6 ? AF_INET6 : AF_INET, v6 ?
		    (const void *)&s6.sin6_addr : (const void *)&s4.sin_addr,
		    text, sizeof(text));
		return jerr(err, errlen, EADDRINUSE, "%s %s: an address of the "
		    "host", v6 ? "ip6.addr" : "ip4.addr", text);
	}
	return 0;
}

/*
 * An address on a network the host is directly attached to cannot be a
 * jail's: its /32 or /128 route through the jail's veth would take the
 * host's traffic to that neighbour (its gateway, even) into the jail.
 * Such an address is the jail's only when published with interface= on
 * that very interface (proxy ARP/NDP).  "Directly attached" is a route
 * of the host's main table without gateway: unicast, not the default,
 * on an interface that is not a jail's host end (whose MAC is host_mac).
 */
struct connected {
	const struct jstate	*st;
	int			 family;
	unsigned		 idx;		/* the address refused */
	unsigned		 oif;		/* its interface, 0: none */
	unsigned		 last_oif;	/* is_host_end's cache */
	int			 last_end;
};

static int
is_host_end(unsigned ifindex)
{
	struct ifreq ifr;
	int fd, rc = 0;

	memset(&ifr, 0, sizeof(ifr));
	if (if_indextoname(ifindex, ifr.ifr_name) == NULL)
		return 0;
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return 0;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0 &&
	    memcmp(ifr.ifr_hwaddr.sa_data, host_mac, sizeof(host_mac)) == 0)
		rc = 1;
	close(fd);
	return rc;
}

static const void *
addr_of_st(const struct jstate *st, int family, unsigned idx)
{
	return family == AF_INET ? (const void *)&st->ip4_addr[idx] :
	    (const void *)&st->ip6_addr[idx];
}

static int
in_prefix(const void *addr, const void *net, unsigned plen)
{
	const unsigned char *a = addr, *n = net;
	unsigned bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, n, bytes) != 0)
		return 0;
	return bits == 0 ||
	    ((a[bytes] ^ n[bytes]) & (unsigned char)(0xff << (8 - bits))) == 0;
}

static int
got_route(const struct nlmsghdr *h, void *arg)
{
	struct connected *c = arg;
	const struct rtmsg *rt = mnl_nlmsg_get_payload(h);
	const struct nlattr *a;
	const void *dst = NULL;
	unsigned table, oif = 0, n, i;
	char ifname[IFNAMSIZ];
	const char *pub;

	if (h->nlmsg_type != RTM_NEWROUTE ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*rt)) ||
	    rt->rtm_family != c->family || rt->rtm_type != RTN_UNICAST ||
	    rt->rtm_dst_len == 0 || rt->rtm_dst_len > alen(c->family) * 8 ||
	    (rt->rtm_flags & RTM_F_CLONED) != 0 || c->oif != 0)
		return MNL_CB_OK;
	table = rt->rtm_table;
	mnl_attr_for_each(a, h, sizeof(*rt)) {
		switch (mnl_attr_get_type(a)) {
		case RTA_TABLE:
			if (mnl_attr_get_payload_len(a) >= 4)
				table = mnl_attr_get_u32(a);
			break;
		case RTA_DST:
			if (mnl_attr_get_payload_len(a) >= alen(c->family))
				dst = mnl_attr_get_payload(a);
			break;
		case RTA_OIF:
			if (mnl_attr_get_payload_len(a) >= 4)
				oif = mnl_attr_get_u32(a);
			break;
		case RTA_GATEWAY:
		case RTA_VIA:
		case RTA_MULTIPATH:
			return MNL_CB_OK;	/* through a router */
		}
	}
	if (table != RT_TABLE_MAIN || dst == NULL || oif == 0)
		return MNL_CB_OK;
	n = c->family == AF_INET ? c->st->n_ip4 : c->st->n_ip6;
	for (i = 0; i < n; i++) {
		if (!in_prefix(addr_of_st(c->st, c->family, i), dst,
		    rt->rtm_dst_len))
			continue;
		if (oif != c->last_oif) {
			c->last_oif = oif;
			c->last_end = is_host_end(oif);
		}
		if (c->last_end)
			return MNL_CB_OK;
		if (if_indextoname(oif, ifname) == NULL)
			snprintf(ifname, sizeof(ifname), "#%u", oif);
		pub = net_proxy_wanted(c->st, c->family, i) ?
		    net_proxy_ifname(c->st, c->family, i) : NULL;
		if (pub != NULL && strcmp(pub, ifname) == 0)
			continue;	/* published there: proxy ARP/NDP */
		c->idx = i;
		c->oif = oif;
		return MNL_CB_OK;
	}
	return MNL_CB_OK;
}

static int
host_connected(const struct jstate *st, char *err, size_t errlen)
{
	static const int fams[2] = { AF_INET, AF_INET6 };
	struct connected c;
	struct nl nl;
	char text[INET6_ADDRSTRLEN], ifname[IFNAMSIZ];

	if (st->n_ip4 + st->n_ip6 == 0)
		return 0;
	if (nl_open(&nl) < 0)
		return jerr(err, errlen, errno, "netlink: %s", strerror(errno));
	for (int k = 0; k < 2; k++) {
		struct rtmsg rt = { .rtm_family = (unsigned char)fams[k] };

		if ((fams[k] == AF_INET ? st->n_ip4 : st->n_ip6) == 0)
			continue;
		memset(&c, 0, sizeof(c));
		c.st = st;
		c.family = fams[k];
		nl_start(&nl, RTM_GETROUTE, NLM_F_DUMP, &rt, sizeof(rt));
		if (nl_talk_cb(&nl, got_route, &c) < 0) {
			int e = errno;

			nl_close(&nl);
			return jerr(err, errlen, e, "routes: %s", strerror(e));
		}
		if (c.oif == 0)
			continue;
		nl_close(&nl);
		inet_ntop(c.family, addr_of_st(st, c.family, c.idx), text,
		    sizeof(text));
		if (if_indextoname(c.oif, ifname) == NULL)
			snprintf(ifname, sizeof(ifname), "#%u", c.oif);
		return jerr(err, errlen, EINVAL, "%s: %s is on the network of "
		    "host interface %s: publish it there with interface=%s",
		    c.family == AF_INET ? "ip4.addr" : "ip6.addr", text, ifname,
		    ifname);
	}
	nl_close(&nl);
	return 0;
}

/* A netlink socket in the network namespace NSFD (-1: ours). */
static int
nl_open_in(struct nl *nl, int nsfd)
{
	int self, rc, e;

	if (nsfd < 0)
		return nl_open(nl);
	if ((self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		e = errno;
		close(self);
		errno = e;
		return -1;
	}
	rc = nl_open(nl);
	e = errno;
	/* Never stay in the jail's network. */
	if (setns(self, CLONE_NEWNET) < 0)
		abort();
	close(self);
	errno = e;
	return rc;
}

static int
ctx_open(struct netctx *c, struct prison *pr, int nsfd, char *err,
    size_t errlen)
{
	char name[IFNAMSIZ];

	memset(c, 0, sizeof(*c));
	c->pr = pr;
	if (nl_open(&c->host) < 0 || nl_open_in(&c->jail, nsfd) < 0) {
		jerr(err, errlen, errno, "netlink: %s", strerror(errno));
		nl_close(&c->host);
		return -1;
	}
	net_host_ifname(pr->st.jid, name, sizeof(name));
	c->hostif = pr->hostif;
	if (c->hostif == 0)
		c->hostif = if_nametoindex(name);
	return 0;
}

static void
ctx_close(struct netctx *c)
{
	nl_close(&c->host);
	nl_close(&c->jail);
}

static int
got_index(const struct nlmsghdr *h, void *arg)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(h);

	if (h->nlmsg_type == RTM_NEWLINK &&
	    h->nlmsg_len >= NLMSG_LENGTH(sizeof(*ifi)))
		*(unsigned *)arg = (unsigned)ifi->ifi_index;
	return MNL_CB_OK;
}

/* The index of the jail's end, asked in its own namespace. */
static unsigned
jail_ifindex(struct netctx *c)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	unsigned idx = 0;

	nl_start(&c->jail, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	nl_put_str(&c->jail, IFLA_IFNAME, JAIL_IFNAME);
	if (nl_talk_cb(&c->jail, got_index, &idx) < 0)
		return 0;
	return idx;
}

/* Make the veth pair, waiting out a namesake whose namespace is dying. */
static int
make_pair(struct netctx *c, const char *name, int nsfd, char *err,
    size_t errlen)
{
	for (int tries = 0;; tries++) {
		if (veth_create(&c->host, name, nsfd) == 0)
			break;
		if (errno != EEXIST || tries >= 300)
			return jerr(err, errlen, errno, "veth %s: %s", name,
			    strerror(errno));
		usleep(10000);
	}
	if ((c->hostif = if_nametoindex(name)) == 0 ||
	    (c->jailif = jail_ifindex(c)) == 0)
		return jerr(err, errlen, errno, "veth %s: %s", name,
		    strerror(errno));
	return 0;
}

/* The host end, down: its settings, its address, its filter; then up. */
static int
host_end(struct netctx *c, const char *name, const struct jstate *st,
    char *err, size_t errlen)
{
	static const struct jstate none;
	struct jstate empty = none;

	empty.ip4 = st->ip4;
	empty.ip6 = st->ip6;
	if (host_end_settings(name, st) < 0)
		return jerr(err, errlen, errno, "%s: settings: %s", name,
		    strerror(errno));
	if (st->ip6 == JAIL_SYS_NEW && (link_no_ll(&c->host, c->hostif) < 0 ||
	    addr_op(&c->host, RTM_NEWADDR, c->hostif, AF_INET6, &gw6, 64) < 0))
		return jerr(err, errlen, errno, "%s: fe80::1: %s", name,
		    strerror(errno));
	if (tc_clsact(&c->host, c->hostif) < 0 ||
	    tc_filter(&c->host, c->hostif, &empty, NULL) < 0)
		return jerr(err, errlen, errno, "%s: filter: %s", name,
		    strerror(errno));
	if (link_set(&c->host, c->hostif, IFF_UP, IFF_UP) < 0)
		return jerr(err, errlen, errno, "%s: up: %s", name,
		    strerror(errno));
	return 0;
}

/* The jail's end: up, no address yet, its gateways known. */
static int
jail_end(struct netctx *c, const struct jstate *st, char *err, size_t errlen)
{
	if (link_no_ll(&c->jail, c->jailif) < 0 ||
	    link_set(&c->jail, c->jailif, IFF_UP, IFF_UP) < 0)
		return jerr(err, errlen, errno, "%s: %s", JAIL_IFNAME,
		    strerror(errno));
	if (st->ip4 == JAIL_SYS_NEW && net_neigh(&c->jail, RTM_NEWNEIGH,
	    c->jailif, AF_INET, &gw4, host_mac, 0) < 0)
		return jerr(err, errlen, errno, "gateway: %s", strerror(errno));
	if (st->ip6 == JAIL_SYS_NEW && net_neigh(&c->jail, RTM_NEWNEIGH,
	    c->jailif, AF_INET6, &gw6, host_mac, 0) < 0)
		return jerr(err, errlen, errno, "gateway: %s", strerror(errno));
	return 0;
}

/*
 * Build the jail's network in its namespace NSFD: loopback up and, for a
 * jail with ip4 or ip6 new, the veth pair and the jail's addresses.
 * Nothing made here outlives the namespace (see the top of the file); a
 * failure leaves what was made for the namespace's end to take.
 */
int
net_build(struct prison *pr, int nsfd, char *err, size_t errlen)
{
	static const struct jstate none;
	struct jstate from = none;
	struct netctx c;
	char name[IFNAMSIZ];
	int rc = -1;

	if (ctx_open(&c, pr, nsfd, err, errlen) < 0)
		return -1;
	if (link_set(&c.jail, 1, IFF_UP, IFF_UP) < 0) {
		jerr(err, errlen, errno, "lo up: %s", strerror(errno));
		goto out;
	}
	if (!net_wanted(&pr->st)) {
		rc = 0;
		goto out;
	}
	if (host_owns(&pr->st, err, errlen) < 0 ||
	    host_connected(&pr->st, err, errlen) < 0)
		goto out;
	net_host_ifname(pr->st.jid, name, sizeof(name));
	if (make_pair(&c, name, nsfd, err, errlen) < 0)
		goto out;
	pr->hostif = c.hostif;
	crash_point("net-veth");
	if (host_end(&c, name, &pr->st, err, errlen) < 0)
		goto out;
	crash_point("net-host");
	if (jail_end(&c, &pr->st, err, errlen) < 0)
		goto out;
	crash_point("net-jail");
	from.ip4 = pr->st.ip4;
	from.ip6 = pr->st.ip6;
	from.ip4_saddrsel = !pr->st.ip4_saddrsel;	/* default routes too */
	from.ip6_saddrsel = !pr->st.ip6_saddrsel;
	c.from = &from;
	c.to = &pr->st;
	rc = transition(&c, err, errlen);
	crash_point("net-addrs");
out:
	ctx_close(&c);
	return rc;
}

/* jail_set on the live jail: OLD's addresses become NEW's, or none do. */
int
net_update(struct prison *pr, const struct jstate *old,
    const struct jstate *new, char *err, size_t errlen)
{
	struct netctx c;
	int rc;

	if (!net_wanted(old))
		return 0;
	if (host_owns(new, err, errlen) < 0 ||
	    host_connected(new, err, errlen) < 0)
		return -1;
	if (ctx_open(&c, pr, pr->netnsfd, err, errlen) < 0)
		return -1;
	if ((c.jailif = jail_ifindex(&c)) == 0 || c.hostif == 0) {
		ctx_close(&c);
		return jerr(err, errlen, ENODEV, "the jail's interface is gone");
	}
	c.from = old;
	c.to = new;
	rc = transition(&c, err, errlen);
	ctx_close(&c);
	return rc;
}

/*
 * The end of the jail's network, at once rather than when the kernel
 * gets round to its namespace: the pair, and with it its routes.
 */
void
net_destroy(struct prison *pr)
{
	struct nl nl;

	/*
	 * A guardian made before the pair does not know it: the pair then
	 * goes with the namespace, once the guardian lets go of it.
	 */
	if (pr->hostif == 0 || nl_open(&nl) < 0)
		return;
	link_del(&nl, pr->hostif);
	nl_close(&nl);
	pr->hostif = 0;
}
