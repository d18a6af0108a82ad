/*
 * Entering a jail: what the prison hands over (its init's pidfd, the
 * jail's cgroup directory and the policy) and the steps that use it.
 */
#ifndef JAIL_ATTACH_H
#define JAIL_ATTACH_H

#include <stddef.h>

#include "policy.h"

struct iovec;
struct jiov;

struct jail_entry {
	int			 jid;
	int			 pidfd;		/* the jail's init */
	int			 cgfd;		/* cgroup for the jail's processes */
	int			 recfd;		/* its registry record: jreg_fate */
	struct jail_policy	*policy;	/* malloc'ed */
};

/*
 * Ask the prison of jail JID, on SOCK, for an entry.  0, or -1 with errno
 * and message.
 */
int	jail_entry_get(int sock, int jid, struct jail_entry *, char *err,
	    size_t errlen);
void	jail_entry_free(struct jail_entry *);
/* setns into every namespace of the jail (single-threaded callers only). */
int	jail_entry_setns(const struct jail_entry *, char *err, size_t errlen);
/*
 * chdir(DIR) in the jail, then check that the directory reached is inside
 * the jail's root: a path through /proc (a process's cwd, an fd) can lead
 * anywhere.  0, or -1 with errno and message.
 */
int	jail_entry_chdir(const char *dir, char *err, size_t errlen);
/* jail_attach(2) semantics for the caller, through the prison of JID on SOCK. */
int	jail_attach_sock(int sock, int jid, char *err, size_t errlen);

/* Shared by jail_set and jail_get. */
int	jail_numeric_name(const char *s);
int	jail_check_flags(struct jiov *j, int flags, int mask);

#endif
