/*
 * What mounts.c and paths.c share: the bundle's file system, made in
 * create's own mount namespace (see mounts.c).
 */
#ifndef JAIL_OCI_MOUNTS_H
#define JAIL_OCI_MOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "oci.h"

/* A mount's options, taken apart. */
struct mopts {
	int		 bind, recursive;
	uint64_t	 set, clr;		/* MOUNT_ATTR_* */
	uint64_t	 propagation;		/* MS_PRIVATE and kin, or 0 */
	char		 data[1024];		/* the rest, comma-separated */
};

/* Is P (normalized) DIR or below it? */
int	oci_below(const char *p, const char *dir);
/* Is P under one of the jail's own instances, /proc, /sys or /dev? */
int	oci_jails_own(const char *p);
/* DEST absolute, without "//", "." or a trailing "/"; ".." refused. */
int	oci_normalize(const char *what, const char *dest, char *out, size_t len);
/* A new detached instance of TYPE named SOURCE, with O's data options. */
int	oci_new_instance(const char *type, const char *source,
	    const struct mopts *o, const char *dest);
/*
 * root.readonly, maskedPaths and readonlyPaths, after the mounts (paths.c);
 * *ROOT is reopened when the root was replaced.
 */
int	oci_paths_make(const struct oci_bundle *b, int *root);

#endif
