/*
 * The cgroup v1 side of linux.resources (cgroupv1.c), for resources.c, and
 * the cgroup file reads and writes both sides use.
 */
#ifndef JAIL_OCI_CGROUPV1_H
#define JAIL_OCI_CGROUPV1_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#define	OCI_V1_MAX	12

struct oci_v1cg {
	char		 ctl[32];	/* the controller */
	char		 mnt[256];	/* its hierarchy's mount point */
	int		 fd;		/* the container's directory, or -1 */
	int		 failed;	/* none can be made: do not retry */
	int		 fresh;		/* made now, not loaded: to be joined */
};

/* The container's v1 cgroups, made as limits need them. */
struct oci_v1 {
	struct oci_v1cg	 cg[OCI_V1_MAX];
	int		 n;
	char		 rel[PATH_MAX];	/* the path in every hierarchy */
};

/* The path: cgroupsPath when it is a plain one, else jail-oci/ID. */
void	oci_v1_path(struct oci_v1 *a, const char *cgpath, const char *id);
/* The directory for controller CTL, made on first use; -1: none. */
int	oci_v1_dir(struct oci_v1 *a, const char *ctl);
/* Listed in the state directory DIR, for exec and delete. */
int	oci_v1_record(int dir, const struct oci_v1 *a);
/* Those recorded in DIR, open, into A (update); how many. */
int	oci_v1_load(int dir, struct oci_v1 *a);
/* PID into those made since (fresh). */
void	oci_v1_enter(struct oci_v1 *a, pid_t pid);
void	oci_v1_close(struct oci_v1 *a);
/* VAL written to FILE in the cgroup directory DIR; -1 with errno. */
int	oci_cgroup_write(int dir, const char *file, const char *val);
/* FILE of the cgroup directory DIR, whole, NUL-ended in BUF: its length. */
ssize_t	oci_cgroup_read(int dir, const char *file, char *buf, size_t len);

#endif
