/*
 * Host interfaces that a jail uses, and the record of what it holds on
 * them.
 *
 * interface=IF publishes every jail address on IF's network, and an
 * entry IF|ADDR of the interface parameter one address: a proxy entry
 * (NTF_PROXY) for the address on IF makes the host answer ARP or NDP
 * for it there, and the host routes what comes in to the jail.  The
 * kernel answers for a proxy entry only on an interface that forwards,
 * so IPv4 forwarding, IPv6 proxy_ndp and forwarding are turned on for IF.
 *
 * vnet.interface moves host interfaces into a vnet jail's namespace; they
 * are moved back on removal.
 *
 * Both outlive the jail's namespace, so they are written to the record
 * "<registry>/.net/<jid>" before they are made:
 *
 *	proxy IF ADDR
 *	vnet IFINDEX NAME
 *
 * and whoever ends the jail undoes what the record says: the prison on
 * removal, its guardian if the prison was killed (it holds the jail's
 * namespace, so moved interfaces are still there to bring back), and the
 * next prison's sweep if both were (proxy entries only: by then the
 * namespace is gone, a physical interface is back by itself and a veth
 * is destroyed).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "internal.h"
#include "prison.h"
#include "sys/jail.h"

struct ifent {
	char	name[IFNAMSIZ];
	int	family;		/* 0: no address (the default interface) */
	union {
		struct in_addr	a4;
		struct in6_addr	a6;
	} a;
};

/* An interface name as Linux takes it: 1-15 bytes, no '/', ':' or blank. */
static int
valid_ifname(const char *s, size_t len)
{
	if (len == 0 || len >= IFNAMSIZ || (len == 1 && s[0] == '.') ||
	    (len == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] == ',' || s[i] == '|' ||
		    isspace((unsigned char)s[i]) || !isprint((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * The next entry of the list at *P ("IF" or "IF|ADDR", comma-separated):
 * 1 and *E, 0 at the end, -1 for a malformed one (message in ERR).
 */
static int
next_entry(const char **p, struct ifent *e, const char *pname, char *err,
    size_t errlen)
{
	const char *s = *p, *end, *bar;
	char addr[INET6_ADDRSTRLEN];
	size_t nl;

	while (*s == ',')
		s++;
	if (*s == '\0')
		return 0;
	end = strchr(s, ',');
	if (end == NULL)
		end = s + strlen(s);
	*p = end;
	memset(e, 0, sizeof(*e));
	bar = memchr(s, '|', (size_t)(end - s));
	nl = (size_t)((bar != NULL ? bar : end) - s);
	if (!valid_ifname(s, nl))
		return jerr(err, errlen, EINVAL, "%s: bad interface name: %.*s",
		    pname, (int)(end - s), s);
	memcpy(e->name, s, nl);
	if (bar == NULL)
		return 1;
	if ((size_t)(end - bar - 1) >= sizeof(addr))
		return jerr(err, errlen, EINVAL, "%s: not an address: %.*s",
		    pname, (int)(end - s), s);
	memcpy(addr, bar + 1, (size_t)(end - bar - 1));
	addr[end - bar - 1] = '\0';
	if (inet_pton(AF_INET, addr, &e->a.a4) == 1)
		e->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &e->a.a6) == 1)
		e->family = AF_INET6;
	else
		return jerr(err, errlen, EINVAL, "%s: not an address: %.*s",
		    pname, (int)(end - s), s);
	return 1;
}

static const void *
addr_of(const struct jstate *st, int family, unsigned idx)
{
	return family == AF_INET ? (const void *)&st->ip4_addr[idx] :
	    (const void *)&st->ip6_addr[idx];
}

/* The interface ST publishes address IDX of FAMILY on, or NULL. */
const char *
net_proxy_ifname(const struct jstate *st, int family, unsigned idx)
{
	static char found[IFNAMSIZ];
	const char *p = st->interface;
	char dflt[IFNAMSIZ] = "";
	struct ifent e;

	while (next_entry(&p, &e, "interface", NULL, 0) == 1) {
		if (e.family == 0) {
			snprintf(dflt, sizeof(dflt), "%s", e.name);
			continue;
		}
		if (e.family == family && memcmp(&e.a, addr_of(st, family, idx),
		    family == AF_INET ? 4 : 16) == 0) {
			snprintf(found, sizeof(found), "%s", e.name);
			return found;
		}
	}
	if (dflt[0] == '\0')
		return NULL;
	snprintf(found, sizeof(found), "%s", dflt);
	return found;
}

int
net_proxy_wanted(const struct jstate *st, int family, unsigned idx)
{
	return st->interface[0] != '\0' &&
	    net_proxy_ifname(st, family, idx) != NULL;
}

static int
is_jail_addr(const struct jstate *st, const struct ifent *e)
{
	unsigned n = e->family == AF_INET ? st->n_ip4 : st->n_ip6;

	for (unsigned i = 0; i < n; i++)
		if (memcmp(addr_of(st, e->family, i), &e->a,
		    e->family == AF_INET ? 4 : 16) == 0)
			return 1;
	return 0;
}

int
net_proxy_check(const struct jstate *st, char *err, size_t errlen)
{
	const char *p = st->interface;
	struct ifent e;
	int rc, dflt = 0;

	if (st->interface[0] != '\0' && !net_wanted(st))
		return jerr(err, errlen, EINVAL,
		    "interface needs ip4=new or ip6=new");
	while ((rc = next_entry(&p, &e, "interface", err, errlen)) == 1) {
		if (e.family == 0 && dflt++ > 0)
			return jerr(err, errlen, EINVAL,
			    "interface: more than one interface for all "
			    "addresses");
		if (e.family != 0 && !is_jail_addr(st, &e))
			return jerr(err, errlen, EINVAL, "interface %s|%s: not "
			    "an address of the jail", e.name,
			    inet_ntop(e.family, &e.a, (char[INET6_ADDRSTRLEN]){ 0 },
			    INET6_ADDRSTRLEN));
	}
	return rc;
}

/*
 * Entries IF|ADDR whose ADDR the jail no longer has are dropped: a
 * jail_set that changes the addresses without naming interfaces.
 */
void
net_proxy_prune(struct jstate *st)
{
	char out[JAIL_IFLIST_MAX] = "";
	const char *p = st->interface, *start;
	struct ifent e;
	size_t len = 0;
	int rc;

	for (start = p; (rc = next_entry(&p, &e, "interface", NULL, 0)) == 1;
	    start = p) {
		while (*start == ',')
			start++;
		if (e.family != 0 && !is_jail_addr(st, &e))
			continue;
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%.*s",
		    len > 0 ? "," : "", (int)(p - start), start);
	}
	/* A malformed list is left for net_proxy_check to refuse. */
	if (rc == 0)
		memcpy(st->interface, out, sizeof(out));
}

/*
 * The host answers for a proxy entry only on an interface that
 * forwards: IPv4's forwarding, IPv6's proxy_ndp and forwarding (and
 * force_forwarding where the kernel has it, for what comes in).
 */
static int
proxy_settings(const char *ifname, int family)
{
	if (family == AF_INET)
		return net_sysctl("ipv4", ifname, "forwarding", "1");
	if (net_sysctl("ipv6", ifname, "proxy_ndp", "1") < 0 ||
	    net_sysctl("ipv6", ifname, "forwarding", "1") < 0)
		return -1;
	if (net_sysctl("ipv6", ifname, "force_forwarding", "1") < 0 &&
	    errno != ENOENT)
		return -1;
	return 0;
}

int
net_proxy_step(struct nl *nl, const struct jstate *st, int family,
    unsigned idx, int add)
{
	const char *ifname = net_proxy_ifname(st, family, idx);
	unsigned ifindex;

	if (ifname == NULL)
		return 0;
	if ((ifindex = if_nametoindex(ifname)) == 0) {
		if (!add)
			return 0;
		errno = ENXIO;
		return -1;
	}
	if (!add) {
		if (net_neigh(nl, RTM_DELNEIGH, ifindex, family,
		    addr_of(st, family, idx), NULL, NTF_PROXY) < 0 &&
		    errno != ENOENT)
			return -1;
		return 0;
	}
	if (proxy_settings(ifname, family) < 0)
		return -1;
	return net_neigh(nl, RTM_NEWNEIGH, ifindex, family,
	    addr_of(st, family, idx), NULL, NTF_PROXY);
}

/* ---- The record ---- */

/*
 * In a directory of their own, so that looking for the records of dead
 * jails reads only the jails that have one.
 */
#define	NETDIR	".net"

static void
record_name(int jid, char *buf, size_t len, int tmp)
{
	snprintf(buf, len, NETDIR "/%d%s", jid, tmp ? ".tmp" : "");
}

static void
write_proxies(FILE *f, const struct jstate *st)
{
	char text[INET6_ADDRSTRLEN];

	for (unsigned i = 0; st != NULL && i < st->n_ip4 + st->n_ip6; i++) {
		int fam = i < st->n_ip4 ? AF_INET : AF_INET6;
		unsigned k = fam == AF_INET ? i : i - st->n_ip4;

		if (!net_proxy_wanted(st, fam, k))
			continue;
		inet_ntop(fam, addr_of(st, fam, k), text, sizeof(text));
		fprintf(f, "proxy %s %s\n", net_proxy_ifname(st, fam, k), text);
	}
}

/*
 * Write the record: the proxy entries of A and B (either may be NULL;
 * both while a change goes from one to the other), the interfaces moved
 * in.  Replaced as a whole (rename), so that it is never half written.
 */
int
net_record(struct prison *pr, const struct jstate *a, const struct jstate *b,
    char *err, size_t errlen)
{
	char tmp[32], name[32];
	FILE *f;
	int fd, bad;

	record_name(pr->st.jid, tmp, sizeof(tmp), 1);
	record_name(pr->st.jid, name, sizeof(name), 0);
	if (mkdirat(pr->regfd, NETDIR, 0700) < 0 && errno != EEXIST)
		return jerr(err, errlen, errno, "%s: %s", NETDIR,
		    strerror(errno));
	fd = openat(pr->regfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		return jerr(err, errlen, errno, "%s: %s", tmp, strerror(errno));
	}
	write_proxies(f, a);
	write_proxies(f, b);
	for (unsigned i = 0; i < pr->n_vnet; i++)
		fprintf(f, "vnet %u %s\n", pr->vnet_ifindex[i],
		    pr->vnet_name[i]);
	bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	if (fclose(f) != 0 || bad ||
	    renameat(pr->regfd, tmp, pr->regfd, name) < 0) {
		int e = errno;

		unlinkat(pr->regfd, tmp, 0);
		return jerr(err, errlen, e, "%s: %s", name, strerror(e));
	}
	return 0;
}

/* Bring interface IFINDEX back from the namespace NSFD, as NAME if free. */
static void
vnet_return(int nsfd, unsigned ifindex, const char *name)
{
	struct nl nl;
	int self, host;

	if (nsfd < 0 || (self = open("/proc/self/ns/net", O_RDONLY |
	    O_CLOEXEC)) < 0)
		return;
	host = self;
	if (setns(nsfd, CLONE_NEWNET) == 0) {
		if (nl_open(&nl) == 0) {
			if (net_link_move(&nl, ifindex, host, name) < 0)
				net_link_move(&nl, ifindex, host, NULL);
			nl_close(&nl);
		}
		if (setns(self, CLONE_NEWNET) < 0)
			abort();
	}
	close(self);
}

/*
 * Undo what the record of JID says (NSFD: the jail's namespace, or -1
 * when it is gone) and remove it.
 */
void
net_record_undo(int regfd, int jid, int nsfd)
{
	char name[32], line[128], kind[8], a[INET6_ADDRSTRLEN + 1];
	char ifname[IFNAMSIZ + 1];
	struct nl nl;
	unsigned idx;
	FILE *f;
	int fd, have_nl;

	record_name(jid, name, sizeof(name), 0);
	fd = openat(regfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || (f = fdopen(fd, "r")) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	have_nl = nl_open(&nl) == 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		union { struct in_addr a4; struct in6_addr a6; } u;
		int fam;

		if (sscanf(line, "%7s %16s %46s", kind, ifname, a) != 3)
			continue;
		if (strcmp(kind, "vnet") == 0) {
			idx = (unsigned)strtoul(ifname, NULL, 10);
			if (idx > 0 && valid_ifname(a, strlen(a)))
				vnet_return(nsfd, idx, a);
			continue;
		}
		if (strcmp(kind, "proxy") != 0 || !have_nl ||
		    !valid_ifname(ifname, strlen(ifname)))
			continue;
		fam = inet_pton(AF_INET, a, &u) == 1 ? AF_INET :
		    inet_pton(AF_INET6, a, &u) == 1 ? AF_INET6 : 0;
		if (fam != 0 && (idx = if_nametoindex(ifname)) != 0)
			net_neigh(&nl, RTM_DELNEIGH, idx, fam, &u, NULL,
			    NTF_PROXY);
	}
	if (have_nl)
		nl_close(&nl);
	fclose(f);
	unlinkat(regfd, name, 0);
}

/*
 * Under the registry lock: the records of jails that are gone (no live
 * record holds them) are undone, proxy entries only.
 */
void
net_record_sweep(int regfd)
{
	struct dirent *de;
	struct jrec r;
	DIR *d;
	int fd, jid;
	char *end;

	fd = openat(regfd, NETDIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		jid = (int)strtol(de->d_name, &end, 10);
		if (jid <= 0 || end == de->d_name || jreg_read(regfd, jid, &r))
			continue;
		if (*end == '\0')
			net_record_undo(regfd, jid, -1);
		else if (strcmp(end, ".tmp") == 0)	/* died writing it */
			unlinkat(fd, de->d_name, 0);
	}
	closedir(d);
}

/* ---- vnet.interface ---- */

int
net_vnet_check(const struct jstate *st, char *err, size_t errlen)
{
	const char *p = st->vnet_interface;
	struct ifent e;
	unsigned n = 0;
	int rc;

	if (st->vnet_interface[0] != '\0' && st->vnet != JAIL_SYS_NEW)
		return jerr(err, errlen, EINVAL, "vnet.interface needs vnet");
	while ((rc = next_entry(&p, &e, "vnet.interface", err, errlen)) == 1)
		if (e.family != 0 || ++n > JAIL_VNET_IFMAX)
			return jerr(err, errlen, EINVAL, "vnet.interface: %s",
			    e.family != 0 ? "an interface name, without '|'" :
			    "too many interfaces");
	return rc;
}

/*
 * Move the vnet.interface interfaces into the jail's namespace, each
 * recorded before it goes.
 */
int
net_vnet_in(struct prison *pr, char *err, size_t errlen)
{
	const char *p = pr->st.vnet_interface;
	struct ifent e;
	struct nl nl;
	unsigned idx;
	int rc = 0;

	if (pr->st.vnet_interface[0] == '\0')
		return 0;
	if (nl_open(&nl) < 0)
		return jerr(err, errlen, errno, "netlink: %s", strerror(errno));
	while (rc == 0 && next_entry(&p, &e, "vnet.interface", NULL, 0) == 1) {
		if ((idx = if_nametoindex(e.name)) == 0) {
			rc = jerr(err, errlen, ENXIO, "vnet.interface %s: no "
			    "such interface", e.name);
			break;
		}
		pr->vnet_ifindex[pr->n_vnet] = idx;
		snprintf(pr->vnet_name[pr->n_vnet], IFNAMSIZ, "%s", e.name);
		pr->n_vnet++;
		if ((rc = net_record(pr, &pr->st, NULL, err, errlen)) < 0)
			break;
		crash_point("vnet-recorded");
		if (net_link_move(&nl, idx, pr->netnsfd, NULL) < 0)
			rc = jerr(err, errlen, errno, "vnet.interface %s: %s",
			    e.name, strerror(errno));
		crash_point("vnet-moved");
	}
	nl_close(&nl);
	return rc;
}

int
net_needs_guardian(const struct jstate *st)
{
	return st->interface[0] != '\0' || st->vnet_interface[0] != '\0';
}
