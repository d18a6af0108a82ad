/*
 * The confinement a process takes on when it enters a jail: the capability
 * set of jailed root, securebits, Landlock scopes and the seccomp program.
 * The prison computes it once per jail (and again on update) and hands it
 * to jail init and to every process that enters, precompiled.
 */
#ifndef JAIL_POLICY_H
#define JAIL_POLICY_H

#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>

#define	JPOL_VERSION		1
#define	JPOL_NOROOT		0x1	/* allow.nosuser: uid 0 is powerless */
#define	JPOL_LL_ABSTRACT	0x2	/* Landlock: scope abstract UNIX sockets */
#define	JPOL_LL_SIGNAL		0x4	/* Landlock: scope signals */
#define	JPOL_NNP		0x8	/* no_new_privs (identity mapping) */
#define	JPOL_MAXINSNS		4096

struct jail_policy {
	uint32_t		version;
	uint32_t		flags;
	uint64_t		caps;		/* capabilities of jailed root */
	uint32_t		ninsns;		/* seccomp program length */
	uint32_t		pad;
	struct sock_filter	insns[];
};

/* Whole size of a policy with N instructions. */
#define	JPOL_SIZE(n)	(sizeof(struct jail_policy) + (size_t)(n) * sizeof(struct sock_filter))

/* Check a received policy blob of LEN bytes; 0 or -1/EBADMSG. */
int	jpolicy_check(const void *blob, size_t len);

/*
 * The ids a process takes on as it enters: numbers of the jail's user
 * namespace (with a private range, host ids are not jail ids).
 */
struct jcred {
	int		 set;		/* change uid/gid/groups */
	uid_t		 uid;
	gid_t		 gid;
	int		 ngroups;
	gid_t		 groups[64];
};

/*
 * The caller's own ids, to keep them across entering: host root becomes
 * the jail's root, as FreeBSD's jail_attach keeps the credential.  Only
 * ids a jail can have (0-65535) are kept among the groups.
 */
void	jcred_self(struct jcred *);

/*
 * Confine the calling (single-threaded) process, already in the jail's
 * namespaces: bounding set, ambient set cleared, securebits, no_new_privs
 * (identity mapping only), Landlock and seccomp while it still has the
 * capability they need, then credentials and capabilities.  After this the
 * process can only exec (or exit).  0, or -1 with errno and a message.
 */
int	jpolicy_apply(const struct jail_policy *, const struct jcred *,
	    char *err, size_t errlen);

/*
 * What one process asks for within the jail's policy (jail-oci's OCI
 * process): it can narrow the jail's, never widen it.  Capability sets
 * are intersected with the jail's; a seccomp program of its own is
 * stacked after the jail's (the kernel runs both and the stricter verdict
 * wins): before the ids change without no_new_privs (it needs
 * CAP_SYS_ADMIN then), last with it, as runc does.
 */
struct jproc {
	int		 caps_set;
	uint64_t	 bounding, effective, permitted, inheritable, ambient;
	int		 nnp;		/* no_new_privs */
	unsigned	 seccomp_flags;	/* SECCOMP_FILTER_FLAG_* */
	unsigned short	 ninsns;	/* 0: no program of its own */
	const struct sock_filter *insns;
};
int	jpolicy_apply_proc(const struct jail_policy *, const struct jcred *,
	    const struct jproc *, char *err, size_t errlen);

#endif
