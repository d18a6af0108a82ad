/*
 * Running a command fully inside a jail: the common path of jexec(8) and of
 * jail(8)'s command= and exec.start.  Not part of FreeBSD's API, nor of
 * libjail's: internal, for the commands, which link the library's
 * internals statically (lib/libjail.map lists what is exported).
 *
 * The command runs in every namespace of the jail, is born in the jail's
 * cgroup (clone3 CLONE_INTO_CGROUP), in a new session, with the jail's
 * capability bounding set, no_new_privs, Landlock and seccomp filter, and
 * holding no file descriptor but 0, 1 and 2.  The calling process is not
 * moved: it forks a helper that enters the jail and forks the command;
 * with enter_self it enters the namespaces itself (never the cgroup, nor
 * the policy) and the command is its child.
 */
#ifndef JAIL_RUN_H
#define JAIL_RUN_H

#include <sys/types.h>

struct jail_run {
	char *const	*argv;		/* command and arguments; NULL: the user's shell */
	char *const	*envp;		/* environment; NULL: the caller's */
	const char	*dir;		/* working directory in the jail; NULL: see below */
	const char	*host_user;	/* -u: user from the host's passwd */
	const char	*jail_user;	/* -U: user from the jail's /etc/passwd */
	int		 login;		/* -l: clean environment, start in home */
	int		 enter_self;	/* the caller itself enters the jail's
					   namespaces (saves a fork): for jexec,
					   which needs nothing of the host after */
	int		 gate;		/* >0: the command waits, confined, for
					   a byte on it before exec (jail-oci) */
	int		 ids_set;	/* run as uid/gid below (jail ids), no
					   supplementary groups (jail-oci) */
	uid_t		 uid;
	gid_t		 gid;
	/* What an OCI process adds (jail-oci); zero: nothing. */
	int		 ngroups;	/* with ids_set: supplementary groups */
	const gid_t	*groups;
	int		 umask_set;
	mode_t		 umask;
	int		 nrlimits;	/* set in the command before its policy;
					   each at most the caller's hard limit
					   (the caller checks) */
	const struct jail_rlimit *rlimits;
	const struct jproc *proc;	/* capabilities within the jail's,
					   no_new_privs, a seccomp program
					   stacked on the jail's (policy.h) */
	int		 check_exec;	/* argv[0] is resolved, as the user,
					   before the gate and exec, failing
					   in runc's words when it is not
					   there (jail-oci) */
	int		*console;	/* jail__spawn: a new pty of the jail's
					   as the command's stdio and terminal,
					   its master returned here */
	unsigned short	 rows, cols;	/* the console's size */
	unsigned long long *jail_caps;	/* non-NULL: the jail's capabilities
					   are returned here */
	/*
	 * jail__run: called with the command's pid once it has started (and,
	 * with gate, waits at it), before the wait; the one moment a caller
	 * can place it (cgroups), open its gate and name it (a pid file).
	 * -1 kills the command and fails the run (jail_errmsg said why).
	 */
	int		(*started)(pid_t pid, void *arg);
	void		*started_arg;
};

/* An rlimit for jail_run. */
struct jail_rlimit {
	int		 resource;	/* RLIMIT_* */
	unsigned long long soft, hard;
};

/*
 * Run R inside jail JID and wait for it.  Returns 0 and the command's wait
 * status in *status, or -1 with errno set and jail_errmsg describing the
 * failure (for example "jail_attach(3): ..." or "unknown user x").
 * Without dir, the command starts in the user's home with login, else in /.
 * With host_user and jail_user both NULL, it runs as the caller's uid/gid.
 * SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2 and SIGWINCH received by the
 * caller while it waits are forwarded to the command.
 */
int jail__run(int jid, const struct jail_run *r, int *status);
/*
 * The same, asking for the jail's entry on HELD, a connection to its
 * prison the caller already has (the hold of jail__set_held): the jail's
 * creator need not connect again.
 */
int jail__run_held(int held, int jid, const struct jail_run *r,
	    int *status);

/*
 * Start R inside jail JID without waiting for its end: the command is the
 * caller's child (*pid), for jail-oci, whose caller's caller (an engine's
 * subreaper) waits for it.  Returns once the command has exec'd or, with
 * a gate, once it waits on the gate, confined and (check_exec) with its
 * executable found; a failure before is this call's.  A terminal as
 * stdio is refused unless R->console gives the command a pty of the
 * jail's instead (nothing would relay it, and a host terminal must not
 * go in).  0, or -1 with errno and jail_errmsg.
 */
int jail__spawn(int jid, const struct jail_run *r, pid_t *pid);

/*
 * Stop jail JID's processes before its removal, as FreeBSD's jail(8) does
 * for stop.timeout: SIGTERM to every process of the jail but its init,
 * then wait until none is left or TIMEOUT_SEC seconds have passed.  With
 * TIMEOUT_SEC 0 nothing is signalled (jail_remove alone kills).  Returns
 * 0 when no process is left (or the jail ended meanwhile, being without
 * persist), 1 when some are still there at the timeout, or -1 with errno
 * and jail_errmsg: ENOENT for no such (live) jail, EPERM for a caller
 * that is not root outside every jail, EINVAL for a negative timeout.
 */
int jail__stop(int jid, int timeout_sec);

/*
 * jail_set(2) and jailparam_set(3) that, when they create a jail, return
 * in *hold a descriptor that keeps the new jail alive without persist
 * until it is closed (or the caller dies).  Nothing changes for an update.
 */
struct iovec;
struct jailparam;
int jail__set_held(struct iovec *, unsigned int, int flags,
	    int *hold);
int jailparam__set_held(struct jailparam *, unsigned int,
	    int flags, int *hold);

#endif
