/*
 * The one table of jail parameters.  See param.h.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/utsname.h>

#include "param.h"
#include "sys/jail.h"

#define	F(field)	offsetof(struct jstate, field)
#define	A(bit)		offsetof(struct jstate, allow), (bit)

#define	INT(n, acc, sup, field, def, d, l) \
	{ n, JPK_INT, acc, sup, 0, sizeof(int), F(field), 0, def, d, l }
#define	BOOL(n, acc, sup, field, def, d, l) \
	{ n, JPK_BOOL, acc, sup, 0, sizeof(int), F(field), 0, def, d, l }
#define	SYS(n, acc, sup, field, def, d, l) \
	{ n, JPK_JAILSYS, acc, sup, 0, sizeof(int), F(field), 0, def, d, l }
#define	STR(n, acc, sup, field, max, def, d, l) \
	{ n, JPK_STRING, acc, sup, 0, max, F(field), 0, def, d, l }
#define	ALLOW(n, sup, bit, def, d, l) \
	{ n, JPK_BOOL, JPA_RW, sup, 0, sizeof(int), A(bit), def, d, l }

const struct jparam_def jparam_table[] = {
	INT("jid", JPA_CREATE, JPL_ENFORCED, jid, "next free",
	    "The jail identifier, 1 to 999999; a lookup key.",
	    "Allocated from the registry under a lock."),
	STR("name", JPA_RW, JPL_ENFORCED, name, JAIL_NAME_MAX, "the jid",
	    "The jail's name; numeric only if equal to the jid.",
	    "Unique in the registry."),
	STR("path", JPA_CREATE, JPL_ENFORCED, path, JAIL_PATH_MAX, "/",
	    "Directory that becomes the jail's root.",
	    "A private mount namespace rooted there with pivot_root(2); "
	    "the old root is detached."),
	INT("parent", JPA_RO, JPL_ENFORCED, parent, "0",
	    "The parent jail's jid; 0 at the top level.", ""),
	BOOL("dying", JPA_RO, JPL_ENFORCED, dying, "nodying",
	    "The jail is being removed.", ""),
	BOOL("persist", JPA_RW, JPL_ENFORCED, persist, "nopersist",
	    "The jail lives on without processes.",
	    "The jail's cgroup reports when its last process exits."),
	INT("securelevel", JPA_RW, JPL_STORED, securelevel, "-1",
	    "The jail's securelevel; never below the parent's.",
	    "Stored and reported; Linux has no securelevel to enforce."),
	INT("devfs_ruleset", JPA_RW, JPL_STORED, devfs_ruleset, "0",
	    "The devfs ruleset of the jail's /dev, 0 to 65535.",
	    "The jail's /dev is a private tmpfs with a fixed safe set of nodes."),
	INT("enforce_statfs", JPA_RW, JPL_STORED, enforce_statfs, "2",
	    "Which mount points the jail sees, 0 to 2.",
	    "The jail always sees exactly the mounts of its own mount "
	    "namespace; the value only decides, as on FreeBSD, whether "
	    "allow.mount can take effect (below 2)."),
	INT("children.max", JPA_RW, JPL_STORED, children_max, "0",
	    "How many child jails the jail may create.",
	    "Stored; child jails are not yet supported."),
	INT("children.cur", JPA_RO, JPL_ENFORCED, children_cur, "0",
	    "How many child jails exist.", ""),
	INT("cpuset.id", JPA_RO, JPL_ENFORCED, cpuset_id, "",
	    "The jail's cpuset.",
	    "Reports the id (inode number) of the jail's cgroup directory."),
	STR("osrelease", JPA_CREATE, JPL_STORED, osrelease, 32, "the host's",
	    "The release reported inside the jail.",
	    "Stored and reported; uname(2) inside the jail shows the host kernel."),
	INT("osreldate", JPA_CREATE, JPL_STORED, osreldate, "the host's",
	    "The release date reported inside the jail.",
	    "Stored and reported; defaults to major*100000+minor*1000+patch of "
	    "the running kernel."),
	SYS("host", JPA_CREATE, JPL_ENFORCED, host, "new",
	    "new: the jail has its own host information; inherit: the parent's.",
	    "new: a UTS namespace of the jail's own; inherit: the host's.  "
	    "A process cannot change UTS namespace, so this is fixed at "
	    "creation."),
	STR("host.hostname", JPA_RW, JPL_ENFORCED, hostname, JAIL_NAME_MAX, "\"\"",
	    "The jail's host name.", "Set in the jail's UTS namespace."),
	STR("host.domainname", JPA_RW, JPL_ENFORCED, domainname, JAIL_NAME_MAX,
	    "\"\"", "The jail's NIS domain name.",
	    "Set in the jail's UTS namespace."),
	STR("host.hostuuid", JPA_RW, JPL_STORED, hostuuid, 64,
	    DEFAULT_HOSTUUID, "The jail's host UUID.", "Stored and reported."),
	{ "host.hostid", JPK_ULONG, JPA_RW, JPL_STORED, 0, sizeof(unsigned long),
	    F(hostid), 0, "0", "The jail's host id.", "Stored and reported." },
	SYS("ip4", JPA_CREATE, JPL_ENFORCED, ip4, "disable",
	    "disable: no IPv4 beyond loopback; new: only ip4.addr; "
	    "inherit: the host's.",
	    "With ip4 and ip6 both disable or new, a network namespace of the "
	    "jail's own; with either new, a veth pair joins it to the host "
	    "(see ip4.addr); with either inherit, the host's network "
	    "namespace, where a disabled family's sockets fail with "
	    "EAFNOSUPPORT."),
	{ "ip4.addr", JPK_IN_ADDR, JPA_RW, JPL_ENFORCED, 0, JAIL_MAX_AF_IPS,
	    F(ip4_addr), 0, "", "The jail's IPv4 addresses; the first is primary.",
	    "On eth0, the jail's end of a veth pair whose host end, "
	    "jail<jid>, has a /32 route to each (also on update); the jail's "
	    "default route goes to the host, which forwards between jails "
	    "and drops every packet from the jail whose source is not one of "
	    "its addresses." },
	BOOL("ip4.saddrsel", JPA_RW, JPL_ENFORCED, ip4_saddrsel, "ip4.saddrsel",
	    "Source address selection; with ip4.nosaddrsel the primary "
	    "address is always used.",
	    "ip4.nosaddrsel makes the primary address the preferred source "
	    "of the jail's default route; with ip4.saddrsel Linux selects."),
	SYS("ip6", JPA_CREATE, JPL_ENFORCED, ip6, "disable",
	    "As ip4, for IPv6.", "As ip4."),
	{ "ip6.addr", JPK_IN6_ADDR, JPA_RW, JPL_ENFORCED, 0, JAIL_MAX_AF_IPS,
	    F(ip6_addr), 0, "", "The jail's IPv6 addresses; the first is primary.",
	    "As ip4.addr, with /128 routes; the jail's gateway is fe80::1, "
	    "the host end." },
	BOOL("ip6.saddrsel", JPA_RW, JPL_ENFORCED, ip6_saddrsel, "ip6.saddrsel",
	    "Source address selection.", "As ip4.saddrsel."),
	STR("interface", JPA_RW, JPL_ENFORCED, interface, JAIL_IFLIST_MAX,
	    "\"\"",
	    "Host interfaces on whose networks the jail's addresses are "
	    "published: IF for all of them, IF|ADDR for one.",
	    "A Linux extension of what FreeBSD's jail(8) does itself (jail(8) "
	    "makes it from interface= and the IF| of ip4.addr and ip6.addr): "
	    "a proxy ARP or NDP entry on IF for each address, and forwarding "
	    "(IPv4) or proxy_ndp and forwarding (IPv6) turned on for IF."),
	STR("vnet.interface", JPA_CREATE, JPL_ENFORCED, vnet_interface,
	    JAIL_VNET_IFLIST_MAX, "\"\"",
	    "Host interfaces moved into a vnet jail, comma-separated.",
	    "Moved into the jail's network namespace once it is made and back "
	    "to the host when it is removed, also when its prison was killed "
	    "(the guardian holds the namespace until they are back)."),
	SYS("vnet", JPA_CREATE, JPL_ENFORCED, vnet, "inherit",
	    "new: the jail has its own network stack.",
	    "new: a network namespace the jail's root may configure."),
	STR("vnet.netns", JPA_CREATE, JPL_ENFORCED, vnet_netns, JAIL_PATH_MAX,
	    "\"\"", "A Linux extension: the network namespace a vnet jail "
	    "joins instead of having one of its own.",
	    "A path to a network namespace file (/proc/PID/ns/net, "
	    "/run/netns/NAME), opened by the prison at creation, which "
	    "refuses anything else; the jail shares that namespace's "
	    "interfaces and addresses with whatever else is in it (a "
	    "Kubernetes pod's containers, another jail), and its root cannot "
	    "configure it, having no capability over it.  Needs vnet; "
	    "excludes vnet.interface."),
	STR("idmap", JPA_CREATE, JPL_ENFORCED, idmap, 16, "private",
	    "How the jail's user and group ids relate to the host's: private "
	    "(its ids 0 to 65535 are a range of host ids of its own) or "
	    "identity (they are the host's).",
	    "private: a user namespace mapping the jail's ids to a block of "
	    "65536 host ids taken from the pool (the jail entry of "
	    "/etc/subuid, else 1610612736:268435456) and never shared by two "
	    "live jails; the root and every mount into the jail are idmapped "
	    "mounts, so files keep their ids on disk.  identity: weaker, for "
	    "file systems that cannot be idmapped; see SECURITY."),
	{ "idmap.base", JPK_ULONG, JPA_CREATE, JPL_ENFORCED, 0,
	    sizeof(unsigned long), F(idmap_base), 0, "from the pool",
	    "The host id that the jail's id 0 maps to; ids 0 to 65535 map to "
	    "the 65536 host ids from it.",
	    "A multiple of 65536, at least 65536; given at creation it must be "
	    "free; 0 with idmap=identity." },
	STR("idmap.hidden", JPA_RO, JPL_ENFORCED, idmap_hidden, JAIL_HIDDEN_MAX,
	    "\"\"", "Mount points under path that the jail does not see "
	    "because their file systems cannot be idmapped.",
	    "Space-separated; also logged to syslog at creation."),
	SYS("sysvmsg", JPA_CREATE, JPL_ENFORCED, sysvmsg, "disable",
	    "System V message queues: disable, new or inherit.",
	    "new: an IPC namespace of the jail's own; inherit: the host's; "
	    "disable: the calls fail with ENOSYS.  Linux has one IPC namespace "
	    "for all three kinds, so new and inherit cannot be mixed, and a "
	    "process cannot change IPC namespace, so they are fixed at "
	    "creation."),
	SYS("sysvsem", JPA_CREATE, JPL_ENFORCED, sysvsem, "disable",
	    "System V semaphores: disable, new or inherit.", "As sysvmsg."),
	SYS("sysvshm", JPA_CREATE, JPL_ENFORCED, sysvshm, "disable",
	    "System V shared memory: disable, new or inherit.", "As sysvmsg."),
	{ "meta", JPK_STRING, JPA_RW, JPL_ENFORCED, 1, JAIL_META_CEIL, F(meta), 0,
	    "\"\"", "Free text for the host; key=value lines are addressable as "
	    "meta.KEY.", "" },
	{ "env", JPK_STRING, JPA_RW, JPL_STORED, 1, JAIL_META_CEIL, F(env), 0,
	    "\"\"", "Like meta, meant to be readable inside the jail.",
	    "Stored; the jail's processes read it with jail-sysctl(8), as "
	    "security.jail.env, from the jail's /dev/jail." },
	ALLOW("allow.set_hostname", JPL_ENFORCED, JA_SET_HOSTNAME,
	    "allow.set_hostname", "Jail root may set the host name.",
	    "With host=new: CAP_SYS_ADMIN in the jail's user namespace, which "
	    "owns the UTS namespace; mount and namespace calls stay blocked by "
	    "seccomp."),
	ALLOW("allow.sysvipc", JPL_ENFORCED, JA_SYSVIPC, "allow.nosysvipc",
	    "Deprecated: sysvmsg, sysvsem and sysvshm inherit.",
	    "The host's IPC namespace."),
	ALLOW("allow.raw_sockets", JPL_ENFORCED, JA_RAW_SOCKETS,
	    "allow.noraw_sockets", "Jail root may create raw sockets.",
	    "CAP_NET_RAW in the jail's user namespace."),
	ALLOW("allow.chflags", JPL_STORED, JA_CHFLAGS, "allow.nochflags",
	    "Jail root may change system file flags.",
	    "Stored and reported, so that the jail managers that set it by "
	    "default work, but it grants nothing: Linux has no BSD file "
	    "flags, and the nearest, the immutable and append-only attributes "
	    "(chattr +i and +a, FS_IOC_SETFLAGS), need CAP_LINUX_IMMUTABLE in "
	    "the host's user namespace, which no jail has: jail root cannot "
	    "set or clear them, with or without it."),
	ALLOW("allow.mount", JPL_ENFORCED, JA_MOUNT, "allow.nomount",
	    "Jail root may mount file systems (needs enforce_statfs below 2).",
	    "Mount system calls are let through seccomp; Linux itself decides "
	    "which file system types a user namespace may mount."),
	ALLOW("allow.mount.devfs", JPL_STORED, JA_MOUNT_DEVFS,
	    "allow.mount.nodevfs", "Jail root may mount devfs.",
	    "Stored; Linux refuses devtmpfs in a user namespace."),
	ALLOW("allow.mount.fdescfs", JPL_STORED, JA_MOUNT_FDESCFS,
	    "allow.mount.nofdescfs", "Jail root may mount fdescfs.", "Stored."),
	ALLOW("allow.mount.fusefs", JPL_STORED, JA_MOUNT_FUSEFS,
	    "allow.mount.nofusefs", "Jail root may mount FUSE file systems.",
	    "Stored; Linux does not check file system types one by one: "
	    "allow.mount decides, and the kernel allows what a user namespace "
	    "may mount."),
	ALLOW("allow.mount.nullfs", JPL_STORED, JA_MOUNT_NULLFS,
	    "allow.mount.nonullfs", "Jail root may mount nullfs (bind mounts).",
	    "Stored; Linux does not check file system types one by one: "
	    "allow.mount decides, and the kernel allows what a user namespace "
	    "may mount."),
	ALLOW("allow.mount.procfs", JPL_STORED, JA_MOUNT_PROCFS,
	    "allow.mount.noprocfs", "Jail root may mount procfs.",
	    "Stored; Linux refuses: the jail's pid namespace belongs to the host."),
	ALLOW("allow.mount.linprocfs", JPL_STORED, JA_MOUNT_LINPROCFS,
	    "allow.mount.nolinprocfs", "Jail root may mount linprocfs.", "Stored."),
	ALLOW("allow.mount.linsysfs", JPL_STORED, JA_MOUNT_LINSYSFS,
	    "allow.mount.nolinsysfs", "Jail root may mount linsysfs.", "Stored."),
	ALLOW("allow.mount.tmpfs", JPL_STORED, JA_MOUNT_TMPFS,
	    "allow.mount.notmpfs", "Jail root may mount tmpfs.",
	    "Stored; Linux does not check file system types one by one: "
	    "allow.mount decides, and the kernel allows what a user namespace "
	    "may mount."),
	ALLOW("allow.mount.zfs", JPL_STORED, JA_MOUNT_ZFS, "allow.mount.nozfs",
	    "Jail root may mount ZFS datasets.", "Stored."),
	ALLOW("allow.quotas", JPL_REFUSED, JA_QUOTAS, "allow.noquotas",
	    "Jail root may administer quotas.",
	    "Refused: quotactl(2) needs privilege in the host's user namespace."),
	ALLOW("allow.read_msgbuf", JPL_REFUSED, JA_READ_MSGBUF,
	    "allow.noread_msgbuf", "Jail may read the kernel message buffer.",
	    "Refused: the kernel log is not namespaced; syslog(2) is blocked."),
	ALLOW("allow.socket_af", JPL_ENFORCED, JA_SOCKET_AF, "allow.nosocket_af",
	    "Sockets of families beyond UNIX, IPv4, IPv6 and netlink.",
	    "Without it seccomp lets socket(2) and socketpair(2) make only "
	    "UNIX sockets, TCP, UDP, ping and raw IPv4 and IPv6 sockets, and "
	    "routing and socket-diagnostics netlink sockets; other families "
	    "fail with EAFNOSUPPORT, other types and protocols of these "
	    "families (SCTP, DCCP, MPTCP, UDP-Lite, L2TP, other netlink "
	    "protocols) with EPROTONOSUPPORT.  This also keeps the jail from "
	    "having the kernel load modules, and from protocols with a history "
	    "of bugs.  Raw sockets still need allow.raw_sockets."),
	ALLOW("allow.mlock", JPL_ENFORCED, JA_MLOCK, "allow.nomlock",
	    "Jail may lock memory.",
	    "Without it seccomp refuses mlock(2) and its kin; with it, locking "
	    "is bounded by RLIMIT_MEMLOCK."),
	ALLOW("allow.nfsd", JPL_REFUSED, JA_NFSD, "allow.nonfsd",
	    "Jail may run an NFS server.",
	    "Refused: the Linux NFS server is not namespaced this way."),
	ALLOW("allow.reserved_ports", JPL_ENFORCED, JA_RESERVED_PORTS,
	    "allow.reserved_ports", "Jail root may bind ports below 1024.",
	    "CAP_NET_BIND_SERVICE in the user namespace that owns the jail's "
	    "network namespace."),
	ALLOW("allow.unprivileged_parent_tampering", JPL_STORED,
	    JA_UNPRIV_PARENT_TAMPER, "allow.nounprivileged_parent_tampering",
	    "Unprivileged host processes may signal or debug jailed ones of "
	    "the same uid.",
	    "Without it, as on FreeBSD, they cannot: with a private uid range no "
	    "host process has a jailed process's host id.  With it nothing "
	    "changes (stored); with idmap=identity Linux lets a host process of "
	    "the same uid do so whatever the value."),
	ALLOW("allow.unprivileged_proc_debug", JPL_ENFORCED, JA_UNPRIV_DEBUG,
	    "allow.unprivileged_proc_debug", "Jailed processes may debug.",
	    "Without it seccomp refuses ptrace(2), process_vm_readv(2) and "
	    "process_vm_writev(2) to every process in the jail, root included."),
	ALLOW("allow.suser", JPL_ENFORCED, JA_SUSER, "allow.suser",
	    "Jail root has its (restricted) privilege.",
	    "Without it uid 0 gets no capabilities (SECBIT_NOROOT, locked)."),
	ALLOW("allow.extattr", JPL_REFUSED, JA_EXTATTR, "allow.noextattr",
	    "Jail root may set system-namespace extended attributes.",
	    "Refused: trusted.* attributes need privilege in the host's user "
	    "namespace."),
	ALLOW("allow.adjtime", JPL_REFUSED, JA_ADJTIME, "allow.noadjtime",
	    "Jail may slew the clock.", "Refused: the clock is not namespaced."),
	ALLOW("allow.settime", JPL_REFUSED, JA_SETTIME, "allow.nosettime",
	    "Jail may set the clock.", "Refused: the clock is not namespaced."),
	ALLOW("allow.routing", JPL_REFUSED, JA_ROUTING, "allow.norouting",
	    "Jail root may change the routing table.",
	    "Refused: Linux cannot grant route changes without address changes; "
	    "use vnet."),
	ALLOW("allow.vmm", JPL_REFUSED, JA_VMM, "allow.novmm",
	    "Jail may run virtual machines (FreeBSD's vmm(4)).",
	    "Refused: /dev/kvm is never among a jail's devices."),
	ALLOW("allow.setaudit", JPL_REFUSED, JA_SETAUDIT, "allow.nosetaudit",
	    "Jail may manage audit sessions.",
	    "Refused: the audit subsystem is not namespaced."),
};

const size_t jparam_count = sizeof(jparam_table) / sizeof(jparam_table[0]);

/*
 * The table by name, hashed: a listing looks up every parameter of every
 * jail, so a lookup should cost one pass over the name and, almost
 * always, one comparison.  Built once, on first use; open addressing in
 * a table at least twice the number of parameters, so a probe ends.
 */
#define	BY_NAME_SLOTS	256
static const struct jparam_def *by_name[BY_NAME_SLOTS];
static pthread_once_t by_name_once = PTHREAD_ONCE_INIT;

static unsigned
name_hash(const char *name)
{
	unsigned h = 2166136261u;	/* FNV-1a */

	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h & (BY_NAME_SLOTS - 1);
}

static void
hash_by_name(void)
{
	_Static_assert(sizeof(jparam_table) / sizeof(jparam_table[0]) * 2 <=
	    BY_NAME_SLOTS, "by_name is too small for the parameter table");
	for (size_t i = 0; i < jparam_count; i++) {
		unsigned h = name_hash(jparam_table[i].name);

		while (by_name[h] != NULL)
			h = (h + 1) & (BY_NAME_SLOTS - 1);
		by_name[h] = &jparam_table[i];
	}
}

static const struct jparam_def *
find_exact(const char *name)
{
	unsigned h = name_hash(name);

	pthread_once(&by_name_once, hash_by_name);
	for (; by_name[h] != NULL; h = (h + 1) & (BY_NAME_SLOTS - 1))
		if (strcmp(by_name[h]->name, name) == 0)
			return by_name[h];
	return NULL;
}

const struct jparam_def *
jparam_lookup(const char *name, int *negated, const char **key)
{
	const struct jparam_def *d;
	char buf[JAIL_NAME_MAX];
	const char *dot;

	if (negated != NULL)
		*negated = 0;
	if (key != NULL)
		*key = NULL;
	if ((d = find_exact(name)) != NULL)
		return d;

	/* meta.KEY and env.KEY address one line of a key=value buffer. */
	if (strncmp(name, "meta.", 5) == 0 || strncmp(name, "env.", 4) == 0) {
		dot = strchr(name, '.');
		if (dot[1] == '\0' || key == NULL)
			return NULL;
		*key = dot + 1;
		return find_exact(strncmp(name, "meta", 4) == 0 ? "meta" : "env");
	}

	/* The "no" of a boolean goes on the last component: allow.mount.noX. */
	dot = strrchr(name, '.');
	size_t pre = dot == NULL ? 0 : (size_t)(dot - name) + 1;
	if (strncmp(name + pre, "no", 2) != 0 || strlen(name) >= sizeof(buf))
		return NULL;
	memcpy(buf, name, pre);
	strcpy(buf + pre, name + pre + 2);
	d = find_exact(buf);
	if (d == NULL || d->kind != JPK_BOOL)
		return NULL;
	if (negated != NULL)
		*negated = 1;
	return d;
}

size_t
jparam_elemsize(const struct jparam_def *d)
{
	switch (d->kind) {
	case JPK_ULONG:		return sizeof(unsigned long);
	case JPK_STRING:	return 1;
	case JPK_IN_ADDR:	return sizeof(struct in_addr);
	case JPK_IN6_ADDR:	return sizeof(struct in6_addr);
	default:		return sizeof(int);
	}
}

void *
jstate_field(struct jstate *st, const struct jparam_def *d)
{
	return (char *)st + d->off;
}

void
jstate_defaults(struct jstate *st)
{
	struct utsname u;
	unsigned maj = 0, min = 0, pat = 0;

	memset(st, 0, sizeof(*st));
	st->securelevel = -1;
	st->enforce_statfs = 2;
	st->host = JAIL_SYS_NEW;
	st->ip4 = JAIL_SYS_DISABLE;
	st->ip6 = JAIL_SYS_DISABLE;
	st->ip4_saddrsel = 1;
	st->ip6_saddrsel = 1;
	st->vnet = JAIL_SYS_INHERIT;
	st->sysvmsg = st->sysvsem = st->sysvshm = JAIL_SYS_DISABLE;
	st->allow = JA_DEFAULT;
	strcpy(st->path, "/");
	strcpy(st->idmap, "private");
	strcpy(st->hostuuid, DEFAULT_HOSTUUID);
	if (uname(&u) == 0) {
		snprintf(st->osrelease, sizeof(st->osrelease), "%.31s", u.release);
		sscanf(u.release, "%u.%u.%u", &maj, &min, &pat);
	}
	st->osreldate = (int)(maj * 100000 + min * 1000 + pat);
}
