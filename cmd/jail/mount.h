/*
 * What jail(8)'s mount files share (jail8.h has their interface):
 *
 *	mount.c		the mount steps: targets resolved inside the jail's
 *			path, mounted, recorded and unmounted
 *	fstab.c		mount.fstab's files read; one line of mount or
 *			mount.fstab taken apart and checked (struct mline)
 *	fsopts.c	fstab(5)'s file system types and options, and what
 *			each is on Linux
 */
#ifndef JAIL8_MOUNT_H
#define JAIL8_MOUNT_H

#include <stdint.h>

#include "jail8.h"

/* What mounting a type of file system means here. */
enum fskind {
	FS_BIND,	/* nullfs: a bind mount of a host directory or file */
	FS_NEW,		/* a new instance of a Linux file system */
	FS_OWN,		/* the jail always has its own: nothing to mount */
	FS_REFUSED,
};

struct fstype {
	const char	*name;		/* as fstab(5) writes it */
	enum fskind	 kind;
	const char	*arg;		/* FS_NEW: Linux's name; FS_OWN: where
					   under path the jail has its own */
	const char	*why;		/* FS_REFUSED: the reason */
};

/* One line of mount or mount.fstab, taken apart and checked. */
struct mline {
	const char	*line;		/* as written */
	char		*where;		/* "mount" or "mount.fstab: FILE line N" */
	char		*whereline;	/* the same, with the line for "mount" */
	char		*buf;		/* the fields, decoded, NUL-terminated */
	int		 nfields;
	char		*spec, *file, *type, *opts;
	const struct fstype *fs;	/* NULL: any other type, FS_NEW */
	enum fskind	 kind;
	const char	*fstype;	/* Linux's name, FS_NEW */
	/* The options. */
	uint64_t	 attrs;		/* MOUNT_ATTR_*, not the atime mode */
	uint64_t	 atime;
	int		 atime_set, ro, nocover, emptydir, failok, skip;
	char	       **kopts;		/* for the kernel: "key" or "key=value" */
	int		 nkopts;
	/* Where. */
	char		*path;		/* the jail's path, normalised */
	char		*target;	/* FILE, normalised */
	char		*rel;		/* FILE under path; "." for path */
	char		*specrel;	/* SPEC under path, or NULL */
};

/* What taking a line apart may say. */
enum mline_voice {
	MLINE_ALL,	/* every note and warning */
	MLINE_QUIET,	/* already said (the line was checked when its file
			   was read), or being undone: no notes or warnings
			   about its options again */
	/* Undoing a line that may never have been checked: its errors mean
	   only that it was never mounted. */
	MLINE_SILENT,
};

/* ---- One line (fstab.c) ---- */

/*
 * Take the line VALUE of step IP apart and check it, into M.  WHERE names
 * a mount.fstab line ("mount.fstab: FILE line N"); NULL for mount.
 * 0, or -1 with the message printed (unless VOICE is MLINE_SILENT); M is
 * to be freed with mline_free either way.
 */
int	mline_parse(const struct cfjail *j, enum intparam ip, const char *value,
	    const char *where, enum mline_voice voice, struct mline *m);
void	mline_free(struct mline *m);
/* Where a mount.fstab line was read, for its messages, or NULL. */
char	*fstab_where(const struct cfjail *j, const char *value);

/* "jail: NAME: WHERE: message", unless a line is parsed MLINE_SILENT. */
void	mwarn(const struct cfjail *j, const char *where, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* asprintf(3) that exits on failure, as emalloc. */
char	*eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- Types and options (fsopts.c) ---- */

/* M's type: its kind, Linux's name for it; -1 with a message if refused. */
int	type_resolve(const struct cfjail *j, struct mline *m);
/*
 * The options field of M, comma-separated; "" is none (rw).  QUIET as
 * MLINE_QUIET.  0, or -1 with the message printed.
 */
int	opts_apply(const struct cfjail *j, struct mline *m, int quiet);

#endif
