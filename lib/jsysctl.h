/*
 * What a process learns of its own jail: FreeBSD's security.jail.*
 * sysctls (and kern.hostname, kern.hostuuid and kern.hostid), read
 * through jail_sysctlbyname(3) and jail-sysctl(8).  Internal to libjail,
 * its commands and the prison.
 *
 * Inside a jail the values that belong to the jail are read from a
 * snapshot its prison publishes on a read-only mount of its own,
 * JSC_SNAPSHOT (prison/snapshot.c writes it, from jsc_snapshot); outside
 * every jail they are the host's.  Whether the caller is jailed is never
 * read from the snapshot: its user namespace says.  The host never reads
 * a snapshot back.
 */
#ifndef JAIL_JSYSCTL_H
#define JAIL_JSYSCTL_H

#include <stddef.h>
#include <sys/types.h>

#include "param.h"

/* The jail's /dev/jail, a tmpfs only its prison writes (rootfs.c). */
#define	JSC_DIR		"/dev/jail"
#define	JSC_FILE	"sysctl"
#define	JSC_SNAPSHOT	JSC_DIR "/" JSC_FILE
/* Room for every line of a snapshot: env and the rest, escaped. */
#define	JSC_SNAPSHOT_MAX	(2 * JAIL_META_CEIL + 4096)

enum jsc_kind {
	JSC_INT,	/* int, printed in decimal */
	JSC_ULONG,	/* unsigned long */
	JSC_STRING,	/* NUL-terminated */
	JSC_OPAQUE,	/* a size_t: element size of an address list */
};

/* One name, with its value as the caller sees it (text, as printed). */
struct jsc_entry {
	char		*name;
	int		 kind;		/* enum jsc_kind */
	const char	*descr;
	char		*value;
	const char	*fmt;		/* FreeBSD's format ("I", "A", ...) */
};

/*
 * Every name with the caller's values, in listing order: 0 and *OUT (to be
 * freed with jsc_free), or -1 with a message in ERR.  Names whose value
 * is the jail's and cannot be read (no snapshot) are left out; *MISSING
 * says so then.
 */
int	jsc_load(struct jsc_entry **out, size_t *n, int *missing, char *err,
	    size_t errlen);
void	jsc_free(struct jsc_entry *e, size_t n);

/*
 * The snapshot of jail ST as its prison publishes it: "name=value" lines,
 * backslash and newline escaped in values.  Its length, or -1 if SIZE is
 * too small.
 */
ssize_t	jsc_snapshot(const struct jstate *st, char *buf, size_t size);

#endif
