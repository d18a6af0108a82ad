/*
 * jail(8)'s internal parameters: those it handles itself and never sends
 * to the kernel (exec.*, mount.*, depend, stop.timeout, ...), one table
 * indexed by an enum, so that a name is looked up once and each value is
 * reached by its index, never by comparing strings again.
 *
 * The names beginning with IP__ are not parameters anyone writes: they are
 * the steps of the start and stop sequences (state.c) that are not a
 * parameter's commands, such as the jail_set call itself.
 */
#ifndef JAIL_INTPARAM_H
#define JAIL_INTPARAM_H

enum intparam {
	IP_ALLOW_DYING,		/* deprecated, no effect */
	IP_COMMAND,		/* command=: run in the jail, then removal */
	IP_DEPEND,
	IP_EXEC_CLEAN,
	IP_EXEC_CONSOLELOG,
	IP_EXEC_CREATED,
	IP_EXEC_FIB,
	IP_EXEC_JAIL_USER,
	IP_EXEC_POSTSTART,
	IP_EXEC_POSTSTOP,
	IP_EXEC_PREPARE,
	IP_EXEC_PRESTART,
	IP_EXEC_PRESTOP,
	IP_EXEC_RELEASE,
	IP_EXEC_START,
	IP_EXEC_STOP,
	IP_EXEC_SYSTEM_JAIL_USER,
	IP_EXEC_SYSTEM_USER,
	IP_EXEC_TIMEOUT,
	IP_IP_HOSTNAME,
	IP_MOUNT,
	IP_MOUNT_DEVFS,
	IP_MOUNT_FDESCFS,
	IP_MOUNT_FSTAB,
	IP_MOUNT_PROCFS,
	IP_STOP_TIMEOUT,
	IP_ZFS_DATASET,
	IP_NPARAM,		/* the end of the named ones */
	/* Steps of the sequences that no one writes: */
	IP__OP = IP_NPARAM,	/* the operation: jail_set or jail_remove */
	IP__MOUNT_FROM_FSTAB,	/* the lines of the mount.fstab files */
	IP__NULL		/* the end of a sequence */
};

/* What kind of value a parameter takes. */
#define	IPF_BOOL	0x01	/* bare, true/false or a number; "no" form */
#define	IPF_INT		0x02	/* a non-negative integer */
#define	IPF_LIST	0x04	/* each value adds to the list */
#define	IPF_STRING	0x08
#define	IPF_UNAVAILABLE	0x10	/* not on Linux (yet): a jail with it fails */
#define	IPF_REV		0x20	/* undone in reverse order (mounts) */
#define	IPF_INJAIL	0x40	/* its commands run inside the jail */

struct intparam_def {
	const char	*name;
	unsigned	 flags;
};

extern const struct intparam_def intparams[IP_NPARAM];

/*
 * The internal parameter NAME, also in its "no" form for a boolean
 * (exec.noclean, noip_hostname, allow.nodying): its index, and in
 * *NEGATED whether it came negated.  -1 for a kernel parameter.
 */
int	intparam_find(const char *name, int *negated);

#endif
