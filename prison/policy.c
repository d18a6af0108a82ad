/*
 * A jail's policy: the capabilities jailed root keeps (inside the jail's
 * user namespace only) and its seccomp program, from its allow.* and
 * other parameters.  The program is an allowlist: a system call not named
 * here fails with ENOSYS, the ones known to be dangerous fail with EPERM,
 * so new kernel interfaces stay closed until reviewed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <seccomp.h>

#include "internal.h"
#include "prison.h"
#include "sys/jail.h"

#define	CAP(c)	(1ULL << (c))

/* What FreeBSD lets jailed root do unconditionally, as capabilities. */
static const uint64_t base_caps =
    CAP(CAP_CHOWN) | CAP(CAP_DAC_OVERRIDE) | CAP(CAP_DAC_READ_SEARCH) |
    CAP(CAP_FOWNER) | CAP(CAP_FSETID) | CAP(CAP_KILL) | CAP(CAP_SETGID) |
    CAP(CAP_SETUID) | CAP(CAP_SETPCAP) | CAP(CAP_SYS_CHROOT) |
    CAP(CAP_SYS_PTRACE) | CAP(CAP_IPC_OWNER) | CAP(CAP_LEASE) |
    CAP(CAP_AUDIT_WRITE);

/* Ordinary system calls every jailed process may make. */
static const char *const allowed[] = {
	"accept", "accept4", "access", "alarm", "arch_prctl", "bind", "brk",
	"capget", "capset", "chdir", "chmod", "chown", "chown32", "chroot",
	"clock_adjtime", "clock_getres", "clock_getres_time64",
	"clock_gettime", "clock_gettime64", "clock_nanosleep",
	"clock_nanosleep_time64", "close", "close_range", "connect",
	"copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create",
	"epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
	"epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
	"execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2",
	"fadvise64", "fadvise64_64", "fallocate", "fanotify_mark", "fchdir",
	"fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat",
	"fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock",
	"fork", "fremovexattr", "fsetxattr", "fstat", "fstat64", "fstatat64",
	"fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64", "futex",
	"futex_requeue", "futex_time64", "futex_wait", "futex_waitv",
	"futex_wake", "futimesat", "get_mempolicy", "get_robust_list",
	"get_thread_area", "getcpu", "getcwd", "getdents", "getdents64",
	"getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32",
	"getgroups", "getgroups32", "getitimer", "getpeername", "getpgid",
	"getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid",
	"getresgid32", "getresuid", "getresuid32", "getrlimit", "getrusage",
	"getsid", "getsockname", "getsockopt", "gettid", "gettimeofday",
	"getuid", "getuid32", "getxattr", "getxattrat", "inotify_add_watch",
	"inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel",
	"io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
	"io_setup", "io_submit", "ioprio_get", "ioprio_set", "kill",
	"landlock_add_rule", "landlock_create_ruleset",
	"landlock_restrict_self", "lchown", "lchown32", "lgetxattr", "link",
	"linkat", "listen", "listxattr", "listxattrat", "llistxattr", "lremovexattr", "lseek",
	"lsetxattr", "lstat", "lstat64", "madvise", "map_shadow_stack",
	"membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir",
	"mkdirat", "mknod", "mknodat", "mmap", "mmap2", "mprotect",
	"mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
	"mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64",
	"mq_unlink", "mremap", "mseal", "msync", "munmap", "name_to_handle_at",
	"nanosleep", "newfstatat", "_newselect", "open", "openat", "openat2",
	"pause", "pidfd_getfd", "pidfd_open", "pidfd_send_signal", "pipe",
	"pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll",
	"ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64",
	"process_madvise", "process_mrelease", "pselect6",
	"pselect6_time64", "pwrite64", "pwritev", "pwritev2", "read",
	"readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom",
	"recvmmsg", "recvmmsg_time64", "recvmsg", "remap_file_pages",
	"removexattr", "removexattrat", "rename", "renameat", "renameat2", "restart_syscall",
	"rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask",
	"rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
	"rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_get_priority_max",
	"sched_get_priority_min", "sched_getaffinity", "sched_getattr",
	"sched_getparam", "sched_getscheduler", "sched_rr_get_interval",
	"sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr",
	"sched_setparam", "sched_setscheduler", "sched_yield", "seccomp",
	"select", "semtimedop_time64", "send", "sendfile", "sendfile64",
	"sendmmsg", "sendmsg", "sendto", "set_mempolicy",
	"set_mempolicy_home_node", "set_robust_list", "set_thread_area",
	"set_tid_address", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32",
	"setgid", "setgid32", "setgroups", "setgroups32", "setitimer",
	"setpgid", "setpriority", "setregid", "setregid32", "setresgid",
	"setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32",
	"setrlimit", "setsid", "setsockopt", "setuid", "setuid32", "setxattr",
	"setxattrat", "shutdown", "sigaltstack", "signalfd", "signalfd4",
	"sigprocmask", "sigreturn", "splice", "stat", "stat64",
	"statfs", "statfs64", "statx", "symlink", "symlinkat", "sync",
	"sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time",
	"timer_create", "timer_delete", "timer_getoverrun", "timer_gettime",
	"timer_gettime64", "timer_settime", "timer_settime64",
	"timerfd_create", "timerfd_gettime", "timerfd_gettime64",
	"timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate",
	"truncate64", "ugetrlimit", "umask", "uname", "unlink", "unlinkat",
	"utime", "utimensat", "utimensat_time64", "utimes", "vfork", "wait4",
	"waitid", "waitpid", "write", "writev", "cachestat", "lsm_get_self_attr",
	"lsm_list_modules", "uretprobe", "statmount", "listmount",
	"file_getattr", "file_setattr",
};

/* Refused with EPERM, so a program sees "not permitted", not "not there". */
static const char *const denied[] = {
	"acct", "add_key", "adjtimex", "bpf", "clock_settime",
	"clock_settime64", "create_module", "delete_module", "finit_module",
	"get_kernel_syms", "init_module", "ioperm", "iopl", "kcmp",
	"kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie",
	"nfsservctl", "open_by_handle_at", "open_tree_attr", "perf_event_open",
	"pivot_root", "quotactl", "quotactl_fd", "reboot", "request_key",
	"setns", "settimeofday", "stime", "swapoff", "swapon", "syslog",
	"uselib", "userfaultfd", "ustat", "vhangup", "vm86", "vm86old",
	"_sysctl", "sysfs", "fanotify_init", "socketcall",
};

static int
rule(scmp_filter_ctx ctx, uint32_t action, const char *name)
{
	int nr = seccomp_syscall_resolve_name(name), rc;

	if (nr == __NR_SCMP_ERROR)
		return 0;	/* not a system call on this architecture */
	if (action == SCMP_ACT_ERRNO(ENOSYS))
		return 0;	/* the default already */
	rc = seccomp_rule_add(ctx, action, nr, 0);
	if (rc != 0 && getenv("JAIL_DEBUG_SECCOMP"))
		fprintf(stderr, "seccomp rule %s: %s\n", name, strerror(-rc));
	return rc;
}

static int
allow_if(scmp_filter_ctx ctx, const char *name, int yes, int err)
{
	return rule(ctx, yes ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO((uint32_t)err),
	    name);
}

/*
 * Argument N's low 32 bits equal V.  The kernel reads ioctl's cmd,
 * personality's persona and socket's family, type and protocol as 32-bit
 * ints and ignores the upper half of the register, but seccomp sees all
 * 64 bits: an exact comparison is bypassed by setting the upper half
 * (CVE-2019-7303 in snapd).  libseccomp's SCMP_A1_32 does not help: it
 * truncates the datum and still compares 64 bits.  On x86 the arguments
 * are 32 bits wide and this is a plain comparison.
 */
#define	LOW32_EQ(n, v)	SCMP_CMP64((n), SCMP_CMP_MASKED_EQ, 0xffffffffU, \
			    (uint32_t)(v))

/*
 * "Otherwise", for the last rule of a system call: an always true test of
 * argument N.  A rule with no test cannot say it: libseccomp silently
 * drops every conditional rule of a system call that also has an
 * unconditional one, whatever their actions.  This one it keeps, places
 * after the equality tests on the same argument (it orders the tests of an
 * argument: equalities, then ranges), and a call that fails the others
 * falls through to it.  tests/unit/policy_test.c checks the outcome.
 */
#define	OTHERWISE(n)	SCMP_CMP64((n), SCMP_CMP_GE, 0)

/*
 * ioctl: everything but pushing input into a terminal (TIOCSTI) and the
 * virtual console's selection and paste (TIOCLINUX), whatever the upper
 * half of cmd holds.
 */
static int
ioctl_rules(scmp_filter_ctx ctx)
{
	int nr = seccomp_syscall_resolve_name("ioctl"), rc = 0;

	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1,
	    LOW32_EQ(1, TIOCSTI));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1,
	    LOW32_EQ(1, TIOCLINUX));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, OTHERWISE(1));
	return rc;
}

/*
 * personality: the plain Linux persona, 32-bit, uname26 and the query;
 * flags such as READ_IMPLIES_EXEC or ADDR_NO_RANDOMIZE fail with EPERM.
 * The upper half is ignored, as the kernel does: a C library that passes
 * the query as (unsigned long)-1 still gets an answer.
 */
static int
personality_rules(scmp_filter_ctx ctx)
{
	static const uint32_t personas[] = { PER_LINUX, PER_LINUX32, UNAME26,
	    PER_LINUX32 | UNAME26, 0xffffffffU };
	int nr = seccomp_syscall_resolve_name("personality"), rc = 0;

	for (size_t i = 0; i < sizeof(personas) / sizeof(personas[0]); i++)
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    LOW32_EQ(0, personas[i]));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1, OTHERWISE(0));
	return rc;
}

/*
 * UNIX, IPv4, IPv6 and netlink (of the protocols in sockrules[]); but with
 * ip4=inherit and ip6=disable (or the other way round) the disabled family
 * is refused, as on FreeBSD: the jail shares the host's network, where it
 * would be live.
 */
static int
family_allowed(const struct jstate *st, int fam)
{
	switch (fam) {
	case AF_UNIX:
	case AF_NETLINK:
		return 1;
	case AF_INET:
		return !(st->ip4 == JAIL_SYS_DISABLE && st->ip6 == JAIL_SYS_INHERIT);
	case AF_INET6:
		return !(st->ip6 == JAIL_SYS_DISABLE && st->ip4 == JAIL_SYS_INHERIT);
	default:
		return 0;
	}
}

/*
 * The sockets a jail may open without allow.socket_af.  Rarely used
 * protocols have the kernel load modules or have a history of bugs: SCTP,
 * DCCP, MPTCP, L2TP, UDP-Lite, generic and audit netlink and the rest are
 * refused.  A raw socket may have any protocol: the kernel still wants
 * CAP_NET_RAW, which jailed root has only with allow.raw_sockets.  TYPE
 * and PROTO are -1 for "any".
 */
static const struct sockrule {
	int	family, type, proto;
} sockrules[] = {
	{ AF_UNIX,	-1,		-1 },
	{ AF_INET,	SOCK_STREAM,	0 },
	{ AF_INET,	SOCK_STREAM,	IPPROTO_TCP },
	{ AF_INET,	SOCK_DGRAM,	0 },
	{ AF_INET,	SOCK_DGRAM,	IPPROTO_UDP },
	{ AF_INET,	SOCK_DGRAM,	IPPROTO_ICMP },		/* ping */
	{ AF_INET,	SOCK_RAW,	-1 },
	{ AF_INET6,	SOCK_STREAM,	0 },
	{ AF_INET6,	SOCK_STREAM,	IPPROTO_TCP },
	{ AF_INET6,	SOCK_DGRAM,	0 },
	{ AF_INET6,	SOCK_DGRAM,	IPPROTO_UDP },
	{ AF_INET6,	SOCK_DGRAM,	IPPROTO_ICMPV6 },	/* ping */
	{ AF_INET6,	SOCK_RAW,	-1 },
	{ AF_NETLINK,	-1,		NETLINK_ROUTE },
	{ AF_NETLINK,	-1,		NETLINK_SOCK_DIAG },
};

/*
 * The socket type without SOCK_NONBLOCK and SOCK_CLOEXEC: the kernel
 * takes the type from these four bits and refuses any other flag.
 */
#define	SOCKTYPE_EQ(v)	SCMP_CMP64(1, SCMP_CMP_MASKED_EQ, 0xfU, (uint32_t)(v))

static int
sockrule_add(scmp_filter_ctx ctx, int nr, const struct sockrule *r)
{
	struct scmp_arg_cmp cmp[3];
	unsigned n = 0;

	cmp[n++] = LOW32_EQ(0, r->family);
	if (r->type >= 0)
		cmp[n++] = SOCKTYPE_EQ(r->type);
	if (r->proto >= 0)
		cmp[n++] = LOW32_EQ(2, r->proto);
	return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, n, cmp);
}

/*
 * The rules of FAMILY, then for a family restricted by type or protocol
 * its "otherwise", on the argument its rules test first: EPROTONOSUPPORT.
 */
static int
family_rules(scmp_filter_ctx ctx, int nr, int family)
{
	const struct sockrule *first = NULL;
	int rc = 0;

	for (size_t i = 0; i < sizeof(sockrules) / sizeof(sockrules[0]); i++) {
		if (sockrules[i].family != family)
			continue;
		if (first == NULL)
			first = &sockrules[i];
		rc |= sockrule_add(ctx, nr, &sockrules[i]);
	}
	if (first != NULL && (first->type >= 0 || first->proto >= 0))
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPROTONOSUPPORT), nr,
		    2, LOW32_EQ(0, family), OTHERWISE(first->type >= 0 ? 1 : 2));
	return rc;
}

/*
 * socket or socketpair (which creates sockets just the same, and can load
 * modules as well).  As FreeBSD answers: a family that is not allowed
 * fails with EAFNOSUPPORT, a type or protocol that is not allowed for an
 * allowed family with EPROTONOSUPPORT.  All three arguments are ints to
 * the kernel: only their low halves are compared.
 */
static int
socket_rules(scmp_filter_ctx ctx, const struct jstate *st, const char *call)
{
	static const int families[] = { AF_UNIX, AF_INET, AF_INET6, AF_NETLINK };
	int nr = seccomp_syscall_resolve_name(call), rc = 0;

	if (st->allow & JA_SOCKET_AF)
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (family_allowed(st, families[i]))
			rc |= family_rules(ctx, nr, families[i]);
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1,
	    OTHERWISE(0));
	return rc;
}

static int
add_rules(scmp_filter_ctx ctx, const struct jstate *st)
{
	const int debug = (st->allow & JA_UNPRIV_DEBUG) != 0;
	const int mlock = (st->allow & JA_MLOCK) != 0;
	const int sysv = st->sysvmsg != JAIL_SYS_DISABLE ||
	    st->sysvsem != JAIL_SYS_DISABLE || st->sysvshm != JAIL_SYS_DISABLE;
	const int mount = (st->allow & JA_MOUNT) && st->enforce_statfs < 2;
	const int hostname = (st->allow & JA_SET_HOSTNAME) && st->host == JAIL_SYS_NEW;
	const uint64_t nsflags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
	    CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP |
	    CLONE_NEWTIME;
	int rc = 0;

	/*
	 * The refusals first.  On x86 libseccomp derives from each rule of
	 * a socket call a rule for socketcall(2) that tests socketcall's
	 * pointer as if it were the call's arguments; refused outright
	 * beforehand, socketcall keeps that one rule (libseccomp lets an
	 * unconditional rule of a call win over later conditional ones).
	 */
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		rc |= rule(ctx, SCMP_ACT_ERRNO(EPERM), denied[i]);
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		rc |= rule(ctx, SCMP_ACT_ALLOW, allowed[i]);

	rc |= allow_if(ctx, "ptrace", debug, EPERM);
	rc |= allow_if(ctx, "process_vm_readv", debug, EPERM);
	rc |= allow_if(ctx, "process_vm_writev", debug, EPERM);
	static const char *const mlocks[] = {
		"mlock", "mlock2", "mlockall", "munlock", "munlockall" };
	for (size_t i = 0; i < 5; i++)
		rc |= allow_if(ctx, mlocks[i], mlock, EPERM);
	/* FreeBSD answers ENOSYS when System V IPC is disabled in a jail. */
	static const char *const sysvcalls[] = {
		"msgctl", "msgget", "msgrcv", "msgsnd", "semctl", "semget",
		"semop", "semtimedop", "shmat", "shmctl", "shmdt", "shmget", "ipc" };
	for (size_t i = 0; i < sizeof(sysvcalls) / sizeof(sysvcalls[0]); i++)
		rc |= allow_if(ctx, sysvcalls[i], sysv, ENOSYS);
	static const char *const mounts[] = {
		"mount", "umount", "umount2", "fsopen", "fsconfig", "fsmount",
		"fspick", "move_mount", "open_tree", "mount_setattr" };
	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++)
		rc |= allow_if(ctx, mounts[i], mount, EPERM);
	rc |= allow_if(ctx, "sethostname", hostname, EPERM);
	rc |= allow_if(ctx, "setdomainname", hostname, EPERM);

	/* io_uring bypasses per-call filtering; clone3's flags are hidden. */
	rc |= rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "io_uring_setup");
	rc |= rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "io_uring_enter");
	rc |= rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "io_uring_register");
	rc |= rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3");

	/*
	 * clone and unshare: no new namespaces (no child jails yet).  A call
	 * with a namespace flag matches no rule and fails with ENOSYS, as
	 * clone3 does; one rule per call keeps the program short, which is
	 * what every process in the jail pays for on each system call.  The
	 * mask tests bits of the low half only, so the upper half cannot
	 * hide a flag: clone reads only the low 32 bits of its flags, and
	 * unshare refuses any upper bit with EINVAL.
	 */
	static const char *const nscalls[] = { "clone", "unshare" };
	for (size_t i = 0; i < 2; i++)
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
		    seccomp_syscall_resolve_name(nscalls[i]), 1,
		    SCMP_A0_64(SCMP_CMP_MASKED_EQ, nsflags, 0));

	rc |= ioctl_rules(ctx);
	rc |= personality_rules(ctx);

	rc |= socket_rules(ctx, st, "socket");
	rc |= socket_rules(ctx, st, "socketpair");
	return rc;
}

static uint32_t
policy_flags(const struct jstate *st)
{
	uint32_t f = 0;

	if (!(st->allow & JA_SUSER))
		f |= JPOL_NOROOT;
	/* Sharing the host's network means sharing its abstract sockets. */
	if (st->ip4 == JAIL_SYS_INHERIT || st->ip6 == JAIL_SYS_INHERIT)
		f |= JPOL_LL_ABSTRACT;
	if (strcmp(st->idmap, "private") != 0)
		f |= JPOL_NNP;
	return f;
}

static uint64_t
caps_of(const struct jstate *st)
{
	uint64_t c = base_caps;

	if (st->allow & JA_RESERVED_PORTS)
		c |= CAP(CAP_NET_BIND_SERVICE);
	if (st->allow & JA_RAW_SOCKETS)
		c |= CAP(CAP_NET_RAW);
	if (st->allow & JA_MLOCK)
		c |= CAP(CAP_IPC_LOCK);
	if (((st->allow & JA_SET_HOSTNAME) && st->host == JAIL_SYS_NEW) ||
	    ((st->allow & JA_MOUNT) && st->enforce_statfs < 2))
		c |= CAP(CAP_SYS_ADMIN);
	if (st->vnet == JAIL_SYS_NEW)
		c |= CAP(CAP_NET_ADMIN) | CAP(CAP_NET_RAW);
	return c;
}

/* Everything of a jail's state that its seccomp program depends on. */
struct filter_key {
	char		version[64];	/* the prison binary and libseccomp */
	uint64_t	allow;
	int		enforce_statfs, host, ip4, ip6, sysv;
};

static void
filter_key(const struct jstate *st, struct filter_key *k)
{
	const struct scmp_version *v = seccomp_version();
	struct stat sb;

	memset(k, 0, sizeof(*k));
	if (stat("/proc/self/exe", &sb) < 0)
		memset(&sb, 0, sizeof(sb));
	snprintf(k->version, sizeof(k->version), "%u.%u.%u:%lu:%ld.%ld:%d",
	    v->major, v->minor, v->micro, (unsigned long)sb.st_ino,
	    (long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec, JPOL_VERSION);
	k->allow = st->allow;
	k->enforce_statfs = st->enforce_statfs < 2;
	k->host = st->host;
	k->ip4 = st->ip4;
	k->ip6 = st->ip6;
	k->sysv = st->sysvmsg != JAIL_SYS_DISABLE ||
	    st->sysvsem != JAIL_SYS_DISABLE || st->sysvshm != JAIL_SYS_DISABLE;
}

/*
 * Compiling the program takes libseccomp milliseconds, most of a jail's
 * creation; so compiled programs are kept in the (root-only) registry,
 * named by a hash of everything they depend on.  A program read back is
 * loaded into every process of a jail unchecked, so it is trusted only
 * as root's own work (see cache_trusted).
 */
static void
cache_name(const struct filter_key *k, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)k;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	snprintf(buf, len, ".seccomp-%016llx", (unsigned long long)h);
}

/*
 * Whether the directory DIR and the open cache file FD (whose status is
 * *SB) were written by host root alone: a directory only root may write
 * in, and in it a regular file of root's that nobody else may write, with
 * one link, so not a hard link to a file that lives (and may be written)
 * elsewhere.  A jailed root cannot have made it: with the private uid
 * range that is the default it is never host uid 0, and the registry is
 * outside every jail's view (masked in a path=/ jail, and outside the
 * root of any other).  Only the weaker identity mapping makes jailed root
 * host root, and it still does not see the registry.
 */
static int
cache_trusted(int dir, int fd, struct stat *sb)
{
	struct stat dsb;

	if (fstat(dir, &dsb) < 0 || !S_ISDIR(dsb.st_mode) || dsb.st_uid != 0 ||
	    (dsb.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return 0;
	return fstat(fd, sb) == 0 && S_ISREG(sb->st_mode) &&
	    sb->st_nlink == 1 && sb->st_uid == 0 &&
	    (sb->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

static void *
cache_read(int dirfd, const char *name, size_t *len)
{
	struct stat sb;
	void *buf;
	int fd;

	/* O_NONBLOCK: a FIFO in its place must not hold the jail up. */
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (!cache_trusted(dirfd, fd, &sb) || sb.st_size <= 0 ||
	    sb.st_size > (off_t)JPOL_SIZE(JPOL_MAXINSNS) ||
	    (buf = malloc((size_t)sb.st_size)) == NULL) {
		close(fd);
		return NULL;
	}
	if (pread(fd, buf, (size_t)sb.st_size, 0) != sb.st_size ||
	    jpolicy_check(buf, (size_t)sb.st_size) < 0) {
		free(buf);
		close(fd);
		return NULL;
	}
	close(fd);
	*len = (size_t)sb.st_size;
	return buf;
}

static void
cache_write(int dirfd, const char *name, const void *buf, size_t len)
{
	char tmp[96];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.%d", name, (int)getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, buf, len) != (ssize_t)len || fsync(fd) < 0 ||
	    renameat(dirfd, tmp, dirfd, name) < 0)
		unlinkat(dirfd, tmp, 0);
	close(fd);
}

int
policy_build(const struct jstate *st, int cachefd, struct jail_policy **out,
    size_t *outlen, char *err, size_t errlen)
{
	struct filter_key key;
	char cname[64];

	filter_key(st, &key);
	cache_name(&key, cname, sizeof(cname));
	if (cachefd >= 0 && (*out = cache_read(cachefd, cname, outlen)) != NULL) {
		/* The program is cached; the rest is cheap to recompute. */
		(*out)->caps = caps_of(st);
		(*out)->flags = policy_flags(st);
		return 0;
	}
	if (policy_compile(st, 1, out, outlen, err, errlen) < 0)
		return -1;
	if (cachefd >= 0)
		cache_write(cachefd, cname, *out, *outlen);
	return 0;
}

/* The jail's rules in a libseccomp context; NULL with a message. */
static scmp_filter_ctx
policy_ctx(const struct jstate *st, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	int rc;

	ctx = seccomp_init(SCMP_ACT_ERRNO(ENOSYS));
	if (ctx == NULL) {
		jerr(err, errlen, ENOMEM, "seccomp_init failed");
		return NULL;
	}
	/* 32-bit x86 programs run too, under the same rules. */
	if (seccomp_arch_native() == SCMP_ARCH_X86_64)
		seccomp_arch_add(ctx, SCMP_ARCH_X86);
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	rc = add_rules(ctx, st);
	if (rc != 0) {
		seccomp_release(ctx);
		jerr(err, errlen, EINVAL, "seccomp rules: %s", strerror(-rc));
		return NULL;
	}
	return ctx;
}

int
policy_pfc(const struct jstate *st, int fd, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	int rc;

	if ((ctx = policy_ctx(st, err, errlen)) == NULL)
		return -1;
	rc = seccomp_export_pfc(ctx, fd);
	seccomp_release(ctx);
	if (rc != 0)
		return jerr(err, errlen, -rc, "seccomp_export_pfc: %s",
		    strerror(-rc));
	return 0;
}

/* Shorter when it can be: the same verdicts, fewer instructions to load. */
static size_t
compact(void *insns, size_t n)
{
	struct sock_filter *c = malloc(n * sizeof(*c));
	int m;

	if (c == NULL)
		return n;
	m = policy_compact(insns, (int)n, c, (int)n);
	if (m > 0 && (size_t)m < n) {
		memcpy(insns, c, (size_t)m * sizeof(*c));
		n = (size_t)m;
	}
	free(c);
	return n;
}

int
policy_compile(const struct jstate *st, int compact_it,
    struct jail_policy **out, size_t *outlen, char *err, size_t errlen)
{
	size_t ninsns;

	struct jail_policy *p = NULL;
	scmp_filter_ctx ctx;
	char *buf = NULL;
	size_t size = 0;
	FILE *mem;
	int rc;

	if ((ctx = policy_ctx(st, err, errlen)) == NULL)
		return -1;
	/* libseccomp 2.5 exports to an fd only: collect it in memory. */
	if ((mem = open_memstream(&buf, &size)) == NULL) {
		seccomp_release(ctx);
		return jerr(err, errlen, ENOMEM, "open_memstream failed");
	}
	{
		int pfd[2];
		char chunk[4096];
		ssize_t n;

		if (pipe(pfd) < 0) {
			fclose(mem);
			free(buf);
			seccomp_release(ctx);
			return jerr(err, errlen, errno, "pipe: %s", strerror(errno));
		}
		rc = seccomp_export_bpf(ctx, pfd[1]);
		close(pfd[1]);
		while ((n = read(pfd[0], chunk, sizeof(chunk))) > 0)
			fwrite(chunk, 1, (size_t)n, mem);
		close(pfd[0]);
	}
	fclose(mem);
	seccomp_release(ctx);
	if (rc != 0 || size == 0 || size % sizeof(struct sock_filter) != 0 ||
	    size / sizeof(struct sock_filter) > JPOL_MAXINSNS) {
		free(buf);
		return jerr(err, errlen, EINVAL, "seccomp export failed");
	}
	ninsns = size / sizeof(struct sock_filter);
	if (compact_it)
		ninsns = compact(buf, ninsns);
	*outlen = JPOL_SIZE(ninsns);
	if ((p = calloc(1, *outlen)) == NULL) {
		free(buf);
		return jerr(err, errlen, ENOMEM, "out of memory");
	}
	p->version = JPOL_VERSION;
	p->caps = caps_of(st);
	p->flags = policy_flags(st);
	p->ninsns = (uint32_t)ninsns;
	memcpy(p->insns, buf, ninsns * sizeof(struct sock_filter));
	free(buf);
	*out = p;
	return 0;
}
