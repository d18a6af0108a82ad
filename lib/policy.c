/*
 * Applying a jail policy to the calling process.  See policy.h.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/landlock.h>
#include <linux/securebits.h>
#include <linux/seccomp.h>

#include "internal.h"
#include "policy.h"

#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define	LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#define	LANDLOCK_SCOPE_SIGNAL			(1ULL << 1)
#endif

/* struct landlock_ruleset_attr as of ABI 6, whatever the headers say. */
struct ll_attr {
	uint64_t	handled_access_fs;
	uint64_t	handled_access_net;
	uint64_t	scoped;
};

int
jpolicy_check(const void *blob, size_t len)
{
	struct jail_policy p;

	if (len < sizeof(p))
		goto bad;
	memcpy(&p, blob, sizeof(p));
	if (p.version != JPOL_VERSION || p.ninsns == 0 ||
	    p.ninsns > JPOL_MAXINSNS || len != JPOL_SIZE(p.ninsns) ||
	    (p.flags & ~(JPOL_NOROOT | JPOL_LL_ABSTRACT | JPOL_LL_SIGNAL |
	    JPOL_NNP)) != 0)
		goto bad;
	return 0;
bad:
	errno = EBADMSG;
	return -1;
}

void
jcred_self(struct jcred *c)
{
	gid_t g[64];
	int n = getgroups(64, g);

	c->set = 1;
	c->uid = getuid();
	c->gid = getgid();
	c->ngroups = 0;
	for (int i = 0; i < n; i++)
		if (g[i] <= 65535)
			c->groups[c->ngroups++] = g[i];
}

static int
landlock_scope(uint32_t flags)
{
	struct ll_attr attr = { 0 };
	long abi;
	int fd;

	if (flags & JPOL_LL_ABSTRACT)
		attr.scoped |= LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
	if (flags & JPOL_LL_SIGNAL)
		attr.scoped |= LANDLOCK_SCOPE_SIGNAL;
	if (attr.scoped == 0)
		return 0;
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 6)
		return 0;	/* no scopes on this kernel: documented */
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		return -1;
	if (syscall(SYS_landlock_restrict_self, fd, 0) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

/* X's own seccomp program, stacked on what is loaded already. */
static int
load_own(const struct jproc *x, char *err, size_t errlen)
{
	struct sock_fprog prog;

	if (x == NULL || x->ninsns == 0)
		return 0;
	prog.len = x->ninsns;
	prog.filter = (struct sock_filter *)x->insns;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, x->seccomp_flags,
	    &prog) < 0)
		return jerr(err, errlen, errno, "the process's seccomp "
		    "program: %s", strerror(errno));
	return 0;
}

int
jpolicy_apply(const struct jail_policy *p, const struct jcred *c, char *err,
    size_t errlen)
{
	return jpolicy_apply_proc(p, c, NULL, err, errlen);
}

int
jpolicy_apply_proc(const struct jail_policy *p, const struct jcred *c,
    const struct jproc *x, char *err, size_t errlen)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	struct sock_fprog prog;
	uint64_t caps = p->caps, inh = 0;
	int keep = 0;

	/* Never more than the jail's: each set of the process's within it. */
	if (x != NULL && x->caps_set)
		caps &= x->bounding;

	/*
	 * Bounding set first: it needs CAP_SETPCAP, which we still have.
	 * Capabilities are numbered without gaps: the first the kernel does
	 * not know (EINVAL) ends them.
	 */
	for (int cap = 0; cap < 64; cap++) {
		if (caps & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL)
			break;
		return jerr(err, errlen, errno, "PR_CAPBSET_DROP: %s",
		    strerror(errno));
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return jerr(err, errlen, errno, "ambient capabilities: %s",
		    strerror(errno));
	if (p->flags & JPOL_NOROOT) {
		if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
		    SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED) < 0)
			return jerr(err, errlen, errno, "securebits: %s",
			    strerror(errno));
		caps = 0;
	}
	/*
	 * Set-user-id programs work as on FreeBSD: with a private uid range
	 * they can give no more than jail root has.  With the identity
	 * mapping jail root's files are host root's, so they stay off.
	 */
	if ((p->flags & JPOL_NNP || (x != NULL && x->nnp)) &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return jerr(err, errlen, errno, "no_new_privs: %s",
		    strerror(errno));
	/* Landlock and seccomp while we still have CAP_SYS_ADMIN for them. */
	if (landlock_scope(p->flags) < 0)
		return jerr(err, errlen, errno, "landlock: %s", strerror(errno));
	prog.len = (unsigned short)p->ninsns;
	prog.filter = (struct sock_filter *)p->insns;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return jerr(err, errlen, errno, "seccomp: %s", strerror(errno));
	if (x != NULL && !x->nnp && load_own(x, err, errlen) < 0)
		return -1;
	if (x != NULL && x->caps_set) {
		inh = x->inheritable & caps;
		caps &= x->permitted;
		/* A user other than root keeps what it is given, as in runc. */
		keep = c != NULL && c->set && c->uid != 0 && caps != 0 &&
		    !(p->flags & JPOL_NOROOT);
		if (keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			return jerr(err, errlen, errno, "PR_SET_KEEPCAPS: %s",
			    strerror(errno));
	}
	if (c != NULL && c->set) {
		if (setgroups((size_t)c->ngroups, c->groups) < 0 ||
		    setresgid(c->gid, c->gid, c->gid) < 0 ||
		    setresuid(c->uid, c->uid, c->uid) < 0)
			return jerr(err, errlen, errno, "cannot set credentials: %s",
			    strerror(errno));
	}
	if (getuid() != 0 && !keep)
		caps = inh = 0;
	if (p->flags & JPOL_NOROOT)
		inh = 0;
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (uint32_t)caps;
	d[1].effective = d[1].permitted = (uint32_t)(caps >> 32);
	d[0].inheritable = (uint32_t)inh;
	d[1].inheritable = (uint32_t)(inh >> 32);
	if (x != NULL && x->caps_set) {
		d[0].effective &= (uint32_t)x->effective;
		d[1].effective &= (uint32_t)(x->effective >> 32);
	}
	if (syscall(SYS_capset, &h, d) < 0)
		return jerr(err, errlen, errno, "capset: %s", strerror(errno));
	if (keep)
		(void)prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	/* Ambient: only what is both permitted and inheritable now. */
	for (int cap = 0; x != NULL && x->caps_set && cap < 64; cap++)
		if ((x->ambient & caps & inh & (1ULL << cap)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return jerr(err, errlen, errno, "ambient capability "
			    "%d: %s", cap, strerror(errno));
	if (x != NULL && x->nnp && load_own(x, err, errlen) < 0)
		return -1;
	return 0;
}
