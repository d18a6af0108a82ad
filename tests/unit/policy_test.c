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

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ioctl_tiocsti);
	ATF_TP_ADD_TC(tp, ioctl_others);
	ATF_TP_ADD_TC(tp, personality);
	ATF_TP_ADD_TC(tp, namespaces);
	return atf_no_error();
}
