/*
 * The one way into a jail: see jspawn.c.  Internal to libjail and the
 * prison.
 */
#ifndef JAIL_JSPAWN_H
#define JAIL_JSPAWN_H

#include <sys/types.h>

#include "passwd.h"
#include "policy.h"
#include "pty.h"

struct jail_entry;
struct jail_rlimit;

/* What to run in a jail, and as whom. */
struct jspawn {
	char *const	*argv;		/* NULL: the user's shell */
	char *const	*envp;		/* NULL: the spawner's */
	const char	*dir;		/* NULL: home with login, else / */
	const char	*jail_user;	/* looked up in the jail, or NULL */
	int		 login;		/* clean environment, home */
	int		 user_env;	/* a user was named: its PATH, HOME,
					   USER and SHELL over the environment */
	int		 stdio[3];	/* to be its 0-2; -1: the spawner's */
	int		 reset_signals;	/* default dispositions, none blocked
					   (the spawner's are not its user's) */
	int		 stdio_only;	/* 0-2 it is not given stay closed
					   (the spawner's are the host's) */
	struct jcred	 cred;		/* the jail's ids it takes */
	struct jpw	 pw;		/* the user's entry */
	int		 have_pw;
	char		**envv;		/* the environment made for the user */
	char		 envstr[4][1100];
	struct jail_pty	 pty;		/* the jail's terminal, if any */
	int		 gate;		/* >0: B, confined, waits for a byte
					   on it before exec (jail-oci's
					   create, released by start) */
	/* jail-oci's process (run.h): */
	const struct jproc *proc;	/* NULL: the jail's policy alone */
	int		 umask_set;
	mode_t		 umask;		/* with umask_set, before exec */
	int		 nrlimits;
	const struct jail_rlimit *rlimits;
	int		 check_exec;	/* argv[0] resolved before the gate,
					   failing in runc's words */
	int		 gated;		/* B reported it waits on the gate */
};

/*
 * Enter E's jail and start P's command there, born in its cgroup and pid
 * namespace, a child of the caller, in a session of its own; without
 * waiting for it.  *PID is the command's; *REPORT gives EOF once it has
 * exec'd (jspawn_result).  With ENTER_SELF the caller enters the jail's
 * namespaces itself, saving a fork (jexec, which needs nothing of the
 * host after).  0, or -1 with errno and a message.
 */
int	jspawn_start(struct jspawn *p, struct jail_entry *e, int enter_self,
	    pid_t *pid, int *report, char *err, size_t errlen);
/* Whether the command exec'd: 0, or -1 with errno and its failure. */
int	jspawn_result(int report, char *err, size_t errlen);
/* For a gated command: 0 once it waits on its gate, or -1 as above. */
int	jspawn_gated(int report, char *err, size_t errlen);

#endif
