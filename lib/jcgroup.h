/*
 * The cgroup of a jail's processes, for jail-oci's pause, resume, ps and
 * kill --all.  Internal: the commands link libjail's internals.
 */
#ifndef JAIL_JCGROUP_H
#define JAIL_JCGROUP_H

#include <stddef.h>

/*
 * The directory (cgroup2) that every process of jail JID but its init is
 * in or below, open (O_DIRECTORY); its path, relative to the cgroup2
 * mount ("jail/<jid>.<random>.<prison pid>/jail"), in PATH.  -1 with errno
 * and jail_errmsg: ENOENT for no such live jail.
 */
int	jail__cgroup(int jid, char *path, size_t len);

#endif
