#ifndef JAIL_PASSWD_H
#define JAIL_PASSWD_H

#include <sys/types.h>

struct jpw {
	char	name[256];
	char	home[1024];
	char	shell[1024];
	uid_t	uid;
	gid_t	gid;
};

/* Look up NAME (or, with NAME NULL, UID) in /etc/passwd of the current root. */
int	jpw_lookup(const char *name, uid_t uid, struct jpw *out);
/* PRIMARY and the groups that list USER in /etc/group; returns the count. */
int	jpw_groups(const char *user, gid_t primary, gid_t *groups, int max);

#endif
