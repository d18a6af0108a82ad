/*
 * devfs_ruleset and devfs.rules(5) for mount.devfs (devfs.c, mount.c).
 */
#ifndef JAIL_DEVFS_H
#define JAIL_DEVFS_H

#include "jail8.h"

/* devfsrules_jail: what mount.devfs applies when devfs_ruleset is 0. */
#define	DEVFS_RULESET_JAIL	4

/*
 * The devfs.rules files read after the built-in defaults, in order,
 * NULL-terminated: /etc/defaults/devfs.rules and /etc/devfs.rules, as
 * FreeBSD's devfs_rulesets.  A missing one is skipped.  Tests point it
 * at files of their own.
 */
extern const char *const *devfs_rules_files;

/*
 * Check that ruleset RULESET suits the jail's own /dev: it may not unhide
 * a device that /dev cannot have, nor hide one it always has.  Notes (-v)
 * what it asks for that jails here go without.  0, or -1 with a message.
 */
int	devfs_check_ruleset(const struct cfjail *j, int ruleset);

#endif
