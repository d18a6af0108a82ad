/*
 * Unit tests of a jail's seccomp program (prison/policy.c): the program
 * the prison would load is run in a BPF interpreter over made-up system
 * calls, for both architectures it covers, with the argument values an
 * attacker would choose: the kernel reads many arguments as 32-bit ints
 * and ignores the upper half of the register, which seccomp sees whole.
 */
#include <atf-c.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <seccomp.h>

#include "bpfsim.h"
#include "param.h"
#include "prison.h"
#include "sys/jail.h"

#define	ALLOW		SECCOMP_RET_ALLOW
#define	ERRNO(e)	(SECCOMP_RET_ERRNO | (e))

static const uint64_t hibits[] = { 0, 1ULL << 32, 0xffffffff00000000ULL,
    0x8000000000000000ULL };
#define	NHI	(sizeof(hibits) / sizeof(hibits[0]))

struct arch {
	const char	*name;
	uint32_t	 audit;		/* seccomp_data.arch */
	uint32_t	 scmp;		/* libseccomp's token */
};

static const struct arch arches[] = {
	{ "x86_64", AUDIT_ARCH_X86_64, SCMP_ARCH_X86_64 },
	{ "x86", AUDIT_ARCH_I386, SCMP_ARCH_X86 },
};

static struct jail_policy *
build(const struct jstate *st)
{
	struct jail_policy *p;
	char err[256];
	size_t len;

	if (policy_build(st, -1, &p, &len, err, sizeof(err)) < 0)
		atf_tc_fail("policy_build: %s", err);
	return p;
}

static int
nr_of(const struct arch *a, const char *call)
{
	int nr = seccomp_syscall_resolve_name_arch(a->scmp, call);

	if (nr < 0 && strcmp(call, "socket") == 0)
		nr = BPFSIM_X86_socket;
	if (nr < 0 && strcmp(call, "socketpair") == 0)
		nr = BPFSIM_X86_socketpair;
	ATF_REQUIRE_MSG(nr >= 0, "%s has no number on %s", call, a->name);
	return nr;
}

/* What program P answers to CALL(A0, A1, A2) on arch A. */
static uint32_t
verdict(const struct jail_policy *p, const struct arch *a, const char *call,
    uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct seccomp_data d = bpfsim_call(a->audit, nr_of(a, call), a0, a1,
	    a2);

	return bpfsim_run(p->insns, p->ninsns, &d, NULL);
}

/* Check CALL's verdict on both architectures. */
#define	EXPECT(p, want, call, a0, a1, a2) do {				\
	for (size_t ai_ = 0; ai_ < 2; ai_++) {				\
		uint32_t got_ = verdict((p), &arches[ai_], (call),	\
		    (a0), (a1), (a2));					\
		ATF_CHECK_MSG(got_ == (uint32_t)(want),			\
		    "%s: %s(%#llx, %#llx, %#llx) -> %#x, not %#x",	\
		    arches[ai_].name, (call), (unsigned long long)(a0),	\
		    (unsigned long long)(a1), (unsigned long long)(a2),	\
		    got_, (uint32_t)(want));				\
	}								\
} while (0)

/* Like EXPECT, but anything except ALLOW will do. */
#define	REFUSED(p, call, a0, a1, a2) do {				\
	for (size_t ai_ = 0; ai_ < 2; ai_++) {				\
		uint32_t got_ = verdict((p), &arches[ai_], (call),	\
		    (a0), (a1), (a2));					\
		ATF_CHECK_MSG(got_ != ALLOW && got_ != BPFSIM_BAD,	\
		    "%s: %s(%#llx, %#llx, %#llx) -> %#x",		\
		    arches[ai_].name, (call), (unsigned long long)(a0),	\
		    (unsigned long long)(a1), (unsigned long long)(a2),	\
		    got_);						\
	}								\
} while (0)

static struct jail_policy *
default_policy(void)
{
	struct jstate st;

	jstate_defaults(&st);
	return build(&st);
}

ATF_TC_WITHOUT_HEAD(ioctl_tiocsti);
ATF_TC_BODY(ioctl_tiocsti, tc)
{
	struct jail_policy *p = default_policy();

	/* The kernel takes cmd as an unsigned int: CVE-2019-7303. */
	for (size_t h = 0; h < NHI; h++) {
		EXPECT(p, ERRNO(EPERM), "ioctl", 0, hibits[h] | TIOCSTI, 0);
		EXPECT(p, ERRNO(EPERM), "ioctl", 0, hibits[h] | TIOCLINUX, 0);
	}
	free(p);
}

ATF_TC_WITHOUT_HEAD(ioctl_others);
ATF_TC_BODY(ioctl_others, tc)
{
	static const uint32_t cmds[] = { 0, TCGETS, TIOCGWINSZ, TIOCSTI - 1,
	    TIOCSTI + 1, TIOCLINUX - 1, TIOCLINUX + 1, FIONREAD, TIOCGPTN,
	    0xffffffff, TIOCSTI | 0x10000, TIOCLINUX | 0x80000000 };
	struct jail_policy *p = default_policy();

	/* Every other ioctl, also sign-extended from an int as musl passes it. */
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		for (size_t h = 0; h < NHI; h++)
			EXPECT(p, ALLOW, "ioctl", 3, hibits[h] | cmds[i], 0);
	free(p);
}

ATF_TC_WITHOUT_HEAD(personality);
ATF_TC_BODY(personality, tc)
{
	struct jail_policy *p = default_policy();

	/* The kernel takes an unsigned int: the upper half is noise. */
	for (size_t h = 0; h < NHI; h++) {
		EXPECT(p, ALLOW, "personality", hibits[h] | PER_LINUX, 0, 0);
		EXPECT(p, ALLOW, "personality", hibits[h] | PER_LINUX32, 0, 0);
		EXPECT(p, ALLOW, "personality", hibits[h] | 0xffffffff, 0, 0);
		REFUSED(p, "personality", hibits[h] | READ_IMPLIES_EXEC, 0, 0);
		REFUSED(p, "personality", hibits[h] | ADDR_NO_RANDOMIZE, 0, 0);
		REFUSED(p, "personality", hibits[h] | PER_BSD, 0, 0);
	}
	free(p);
}

ATF_TC_WITHOUT_HEAD(namespaces);
ATF_TC_BODY(namespaces, tc)
{
	static const uint64_t ns[] = { CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC,
	    CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP };
	struct jail_policy *p = default_policy();

	for (size_t h = 0; h < NHI; h++) {
		for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
			REFUSED(p, "clone", hibits[h] | ns[i] | SIGCHLD, 0, 0);
			REFUSED(p, "unshare", hibits[h] | ns[i], 0, 0);
		}
		REFUSED(p, "unshare", hibits[h] | CLONE_NEWTIME, 0, 0);
		/* Threads, fork, and unsharing what is not a namespace. */
		EXPECT(p, ALLOW, "clone", hibits[h] | CLONE_VM | CLONE_FS |
		    CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		    CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |
		    CLONE_CHILD_CLEARTID, 0, 0);
		EXPECT(p, ALLOW, "clone", hibits[h] | SIGCHLD, 0, 0);
		EXPECT(p, ALLOW, "unshare", hibits[h] | CLONE_FILES | CLONE_FS,
		    0, 0);
	}
	free(p);
}

/* A jail with the defaults but for ip4, ip6 and more allow.* bits. */
static struct jail_policy *
policy_with(int ip4, int ip6, uint64_t allow_more)
{
	struct jstate st;

	jstate_defaults(&st);
	st.ip4 = ip4;
	st.ip6 = ip6;
	st.allow |= allow_more;
	return build(&st);
}

/* socket and socketpair answer alike, whatever the upper halves hold. */
#define	SOCKET(p, want, fam, type, proto) do {				\
	for (size_t h_ = 0; h_ < NHI; h_++) {				\
		EXPECT(p, want, "socket", hibits[h_] | (fam),		\
		    hibits[h_] | (type), hibits[h_] | (proto));		\
		EXPECT(p, want, "socketpair", hibits[h_] | (fam),	\
		    hibits[h_] | (type), hibits[h_] | (proto));		\
	}								\
} while (0)

#define	FLAGS	(SOCK_NONBLOCK | SOCK_CLOEXEC)

ATF_TC_WITHOUT_HEAD(socket_allowed);
ATF_TC_BODY(socket_allowed, tc)
{
	struct jail_policy *p = default_policy();
	static const int inet[] = { AF_INET, AF_INET6 };

	SOCKET(p, ALLOW, AF_UNIX, SOCK_STREAM, 0);
	SOCKET(p, ALLOW, AF_UNIX, SOCK_DGRAM | FLAGS, 0);
	SOCKET(p, ALLOW, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	for (size_t i = 0; i < 2; i++) {
		SOCKET(p, ALLOW, inet[i], SOCK_STREAM, 0);
		SOCKET(p, ALLOW, inet[i], SOCK_STREAM | FLAGS, IPPROTO_TCP);
		SOCKET(p, ALLOW, inet[i], SOCK_DGRAM | SOCK_CLOEXEC, 0);
		SOCKET(p, ALLOW, inet[i], SOCK_DGRAM, IPPROTO_UDP);
		/* Raw sockets still need CAP_NET_RAW (allow.raw_sockets). */
		SOCKET(p, ALLOW, inet[i], SOCK_RAW, IPPROTO_RAW);
		SOCKET(p, ALLOW, inet[i], SOCK_RAW | FLAGS, IPPROTO_SCTP);
	}
	SOCKET(p, ALLOW, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_ICMP);
	SOCKET(p, ALLOW, AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6);
	SOCKET(p, ALLOW, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	SOCKET(p, ALLOW, AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
	SOCKET(p, ALLOW, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
	free(p);
}

ATF_TC_WITHOUT_HEAD(socket_protocols);
ATF_TC_BODY(socket_protocols, tc)
{
	struct jail_policy *p = default_policy();
	static const int inet[] = { AF_INET, AF_INET6 };
	const uint32_t no = ERRNO(EPROTONOSUPPORT);

	for (size_t i = 0; i < 2; i++) {
		SOCKET(p, no, inet[i], SOCK_STREAM, IPPROTO_SCTP);
		SOCKET(p, no, inet[i], SOCK_SEQPACKET, IPPROTO_SCTP);
		SOCKET(p, no, inet[i], SOCK_SEQPACKET | FLAGS, 0);
		SOCKET(p, no, inet[i], SOCK_DCCP, IPPROTO_DCCP);
		SOCKET(p, no, inet[i], SOCK_DCCP, 0);
		SOCKET(p, no, inet[i], SOCK_STREAM, IPPROTO_MPTCP);
		SOCKET(p, no, inet[i], SOCK_DGRAM, 115);	/* L2TP */
		SOCKET(p, no, inet[i], SOCK_DGRAM, IPPROTO_UDPLITE);
		SOCKET(p, no, inet[i], SOCK_STREAM, IPPROTO_UDP);
		SOCKET(p, no, inet[i], SOCK_PACKET, 0);
		SOCKET(p, no, inet[i], SOCK_RDM, 0);
		SOCKET(p, no, inet[i], 0, 0);
	}
	SOCKET(p, no, AF_INET6, SOCK_DGRAM, IPPROTO_ICMP);
	SOCKET(p, no, AF_INET, SOCK_DGRAM, IPPROTO_ICMPV6);
	SOCKET(p, no, AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	SOCKET(p, no, AF_NETLINK, SOCK_DGRAM, NETLINK_AUDIT);
	SOCKET(p, no, AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	SOCKET(p, no, AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT);
	SOCKET(p, no, AF_NETLINK, SOCK_RAW, NETLINK_XFRM);
	free(p);
}

ATF_TC_WITHOUT_HEAD(socket_families);
ATF_TC_BODY(socket_families, tc)
{
	static const uint32_t fams[] = { AF_UNSPEC, AF_PACKET, AF_KEY,
	    AF_TIPC, AF_ALG, AF_VSOCK, AF_BLUETOOTH, AF_APPLETALK, AF_AX25,
	    AF_RDS, AF_LLC, AF_CAN, AF_XDP, AF_MAX, 1000, 0xffffffff };
	struct jail_policy *p = default_policy();

	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		SOCKET(p, ERRNO(EAFNOSUPPORT), fams[i], SOCK_RAW, 0);
		SOCKET(p, ERRNO(EAFNOSUPPORT), fams[i], SOCK_STREAM, 0);
		SOCKET(p, ERRNO(EAFNOSUPPORT), fams[i], SOCK_DGRAM, 0);
	}
	free(p);
}

/* Sharing the host's network, the disabled family is not there at all. */
ATF_TC_WITHOUT_HEAD(socket_inherit);
ATF_TC_BODY(socket_inherit, tc)
{
	struct jail_policy *p;

	p = policy_with(JAIL_SYS_INHERIT, JAIL_SYS_DISABLE, 0);
	SOCKET(p, ALLOW, AF_INET, SOCK_STREAM, 0);
	SOCKET(p, ERRNO(EAFNOSUPPORT), AF_INET6, SOCK_STREAM, 0);
	SOCKET(p, ERRNO(EAFNOSUPPORT), AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
	SOCKET(p, ALLOW, AF_UNIX, SOCK_STREAM, 0);
	free(p);
	p = policy_with(JAIL_SYS_DISABLE, JAIL_SYS_INHERIT, 0);
	SOCKET(p, ALLOW, AF_INET6, SOCK_STREAM, 0);
	SOCKET(p, ERRNO(EAFNOSUPPORT), AF_INET, SOCK_STREAM, 0);
	SOCKET(p, ERRNO(EAFNOSUPPORT), AF_INET, SOCK_RAW, IPPROTO_ICMP);
	SOCKET(p, ALLOW, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	free(p);
	/* Both new: both there. */
	p = policy_with(JAIL_SYS_NEW, JAIL_SYS_NEW, 0);
	SOCKET(p, ALLOW, AF_INET, SOCK_STREAM, 0);
	SOCKET(p, ALLOW, AF_INET6, SOCK_STREAM, 0);
	free(p);
}

ATF_TC_WITHOUT_HEAD(socket_af);
ATF_TC_BODY(socket_af, tc)
{
	struct jail_policy *p = policy_with(JAIL_SYS_DISABLE, JAIL_SYS_DISABLE,
	    JA_SOCKET_AF);

	SOCKET(p, ALLOW, AF_PACKET, SOCK_RAW, 0);
	SOCKET(p, ALLOW, AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	SOCKET(p, ALLOW, AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	SOCKET(p, ALLOW, AF_UNIX, SOCK_STREAM, 0);
	free(p);
}

/* x86's socketcall(2) hides its arguments in memory: refused outright. */
ATF_TC_WITHOUT_HEAD(socketcall);
ATF_TC_BODY(socketcall, tc)
{
	struct jail_policy *p = default_policy();

	for (uint64_t call = 0; call <= 20; call++)
		for (uint64_t ptr = 0; ptr < 64; ptr++) {
			struct seccomp_data d = bpfsim_call(AUDIT_ARCH_I386,
			    102, call, ptr, 0);
			uint32_t got = bpfsim_run(p->insns, p->ninsns, &d, NULL);

			ATF_CHECK_MSG(got == ERRNO(EPERM),
			    "socketcall(%llu, %llu) -> %#x",
			    (unsigned long long)call, (unsigned long long)ptr,
			    got);
		}
	free(p);
}

/*
 * The program the prison loads is libseccomp's made shorter (compact.c):
 * it must answer every call as libseccomp's does.  Every number up to
 * 1100 and the x32 and out-of-range ones, on both architectures and one
 * the program does not know, with argument values at and around those the
 * rules test, for jails whose rules differ.
 */
static void
same_as_libseccomp(const struct jstate *st)
{
	static const uint32_t odd_nr[] = { 0x3fffffff, 0x40000000, 0x40000001,
	    0x40000200, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff };
	static const uint64_t args[] = { 0, 1, 2, 3, 10, 16, 17, TIOCSTI,
	    TIOCLINUX, TCGETS, PER_LINUX32, UNAME26, 0xffffffff,
	    CLONE_NEWNET | SIGCHLD, CLONE_FILES, 1ULL << 32,
	    0xffffffff00000000ULL | TIOCSTI, 0x8000000000000000ULL };
	static const uint32_t foreign[] = { AUDIT_ARCH_X86_64,
	    AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64 };
	struct jail_policy *raw, *cp;
	char err[256];
	size_t len;
	const size_t na = sizeof(args) / sizeof(args[0]);

	if (policy_compile(st, 0, &raw, &len, err, sizeof(err)) < 0 ||
	    policy_compile(st, 1, &cp, &len, err, sizeof(err)) < 0)
		atf_tc_fail("policy_compile: %s", err);
	ATF_CHECK_MSG(cp->ninsns * 2 < raw->ninsns, "%u instructions from %u",
	    cp->ninsns, raw->ninsns);
	for (size_t ai = 0; ai < 3; ai++)
		for (uint32_t i = 0; i < 1100 + 8; i++) {
			uint32_t nr = i < 1100 ? i : odd_nr[i - 1100];

			for (size_t k = 0; k < na * na; k++) {
				struct seccomp_data d = bpfsim_call(foreign[ai],
				    (int)nr, args[k % na], args[k / na],
				    args[(k / na + k) % na]);
				uint32_t want = bpfsim_run(raw->insns,
				    raw->ninsns, &d, NULL);
				uint32_t got = bpfsim_run(cp->insns,
				    cp->ninsns, &d, NULL);

				if (got != want)
					atf_tc_fail("arch %#x nr %u args %#llx "
					    "%#llx: %#x, libseccomp's %#x",
					    foreign[ai], nr, (unsigned long long)
					    d.args[0], (unsigned long long)
					    d.args[1], got, want);
			}
		}
	free(raw);
	free(cp);
}

ATF_TC_WITHOUT_HEAD(compacted);
ATF_TC_BODY(compacted, tc)
{
	struct jstate st;

	jstate_defaults(&st);
	same_as_libseccomp(&st);
	st.allow |= JA_SOCKET_AF | JA_MLOCK | JA_UNPRIV_DEBUG;
	same_as_libseccomp(&st);
	jstate_defaults(&st);
	st.ip4 = JAIL_SYS_INHERIT;
	st.ip6 = JAIL_SYS_DISABLE;
	st.sysvmsg = st.sysvsem = st.sysvshm = JAIL_SYS_DISABLE;
	same_as_libseccomp(&st);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, compacted);
	ATF_TP_ADD_TC(tp, socket_allowed);
	ATF_TP_ADD_TC(tp, socket_protocols);
	ATF_TP_ADD_TC(tp, socket_families);
	ATF_TP_ADD_TC(tp, socket_inherit);
	ATF_TP_ADD_TC(tp, socket_af);
	ATF_TP_ADD_TC(tp, socketcall);
	ATF_TP_ADD_TC(tp, ioctl_tiocsti);
	ATF_TP_ADD_TC(tp, ioctl_others);
	ATF_TP_ADD_TC(tp, personality);
	ATF_TP_ADD_TC(tp, namespaces);
	return atf_no_error();
}
