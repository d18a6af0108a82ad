/*
 * The lines of mount and mount.fstab (mount.h): mount.fstab's files read
 * into j->fstab, and one line taken apart into a struct mline, its fields
 * decoded as getfsent(3) does, its type and options looked up (fsopts.c)
 * and its FILE and SPEC placed against the jail's path (mount.c opens
 * them).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "mount.h"

/* Set while undoing a line that may never have been checked: its errors
   mean only that it was never mounted. */
static int silent;

/* "jail: NAME: WHERE: message". */
void
mwarn(const struct cfjail *j, const char *where, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (silent)
		return;
	va_start(ap, fmt);
	msg = evformat(fmt, ap);
	va_end(ap);
	jail_warnx(j, "%s: %s", where, msg);
	free(msg);
}

char *
eprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = evformat(fmt, ap);
	va_end(ap);
	return s;
}

/* ---- One line of mount or mount.fstab ---- */

void
mline_free(struct mline *m)
{
	free(m->where);
	free(m->whereline);
	free(m->buf);
	for (int i = 0; i < m->nkopts; i++)
		free(m->kopts[i]);
	free(m->kopts);
	free(m->path);
	free(m->target);
	free(m->rel);
	free(m->specrel);
	memset(m, 0, sizeof(*m));
}

/*
 * Decode fstab(5)'s escapes in place, as getfsent(3) and FreeBSD's jail(8)
 * (strunvis) do: \NNN in octal (\040 is a space), \\, \t, \n and \s.
 * Returns -1 on any other escape and on a NUL.
 */
static int
unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++, o++) {
		if (*s != '\\') {
			*o = *s;
			continue;
		}
		s++;
		if (*s >= '0' && *s <= '7') {
			int v = 0, n;

			for (n = 0; n < 3 && *s >= '0' && *s <= '7'; n++, s++)
				v = v * 8 + (*s - '0');
			s--;
			if (v == 0 || v > 255)
				return -1;
			*o = (char)v;
		} else if (*s == '\\')
			*o = '\\';
		else if (*s == 't')
			*o = '\t';
		else if (*s == 'n')
			*o = '\n';
		else if (*s == 's')
			*o = ' ';
		else
			return -1;
	}
	*o = '\0';
	return 0;
}

/*
 * The absolute path P with its empty and "." components gone and no
 * trailing "/": "/" for the root.  NULL if a component is "..", which
 * could lead anywhere.
 */
static char *
normalise(const char *p)
{
	char *out = emalloc(strlen(p) + 2), *o = out;

	while (*p != '\0') {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			free(out);
			return NULL;
		}
		*o++ = '/';
		memcpy(o, p, n);
		o += n;
		p += n;
	}
	if (o == out)
		*o++ = '/';
	*o = '\0';
	return out;
}

/* FILE (normalised) relative to PATH (normalised): "." for PATH, NULL if
   FILE is not under it. */
static char *
under(const char *path, const char *file)
{
	size_t n = strlen(path);

	if (strcmp(path, "/") == 0)
		return estrdup(file[1] != '\0' ? file + 1 : ".");
	if (strncmp(file, path, n) != 0)
		return NULL;
	if (file[n] == '\0')
		return estrdup(".");
	if (file[n] != '/')
		return NULL;
	return estrdup(file + n + 1);
}

/* Split M's line into its fields, decoded: -1 with a message if bad. */
static int
fields_split(const struct cfjail *j, struct mline *m)
{
	char *fields[7], *s, *save = NULL;
	int n = 0;

	m->buf = estrdup(m->line);
	for (s = strtok_r(m->buf, " \t\f\v\r\n", &save); s != NULL;
	    s = strtok_r(NULL, " \t\f\v\r\n", &save)) {
		if (n == 6) {
			mwarn(j, m->whereline, "too many fields (fstab(5) has "
			    "six: SPEC FILE TYPE OPTIONS FREQ PASSNO)");
			return -1;
		}
		if (unescape(s) < 0) {
			mwarn(j, m->whereline, "fstab parse error: a bad "
			    "escape (\\NNN in octal, \\\\, \\t, \\n or \\s)");
			return -1;
		}
		fields[n++] = s;
	}
	m->nfields = n;
	if (n == 0)
		return 0;
	if (n < 3) {
		mwarn(j, m->whereline, "missing information");
		return -1;
	}
	for (int i = 4; i < n; i++)
		if (strspn(fields[i], "0123456789") != strlen(fields[i])) {
			mwarn(j, m->whereline, "%s: %s is not a number",
			    i == 4 ? "FREQ" : "PASSNO", fields[i]);
			return -1;
		}
	m->spec = fields[0];
	m->file = fields[1];
	m->type = fields[2];
	m->opts = n > 3 ? fields[3] : NULL;
	return 0;
}

/*
 * NAME, an absolute pathname without "..", normalised: NULL with a
 * message.  WHAT is what it is in the line: "mount point", "source".
 */
static char *
pathname_checked(const struct cfjail *j, const struct mline *m,
    const char *name, const char *what)
{
	char *p;

	if (name[0] != '/') {
		mwarn(j, m->where, "%s: not an absolute pathname", name);
		return NULL;
	}
	if ((p = normalise(name)) == NULL)
		mwarn(j, m->where, "%s: \"..\" is not allowed in a %s", name,
		    what);
	return p;
}

/*
 * M's SPEC, if it is nullfs's or written as a pathname: under the jail's
 * path (m->specrel) or not.  Only nullfs may take its source from there.
 */
static int
spec_resolve(const struct cfjail *j, struct mline *m)
{
	char *spec;

	if (m->kind != FS_BIND && m->spec[0] != '/')
		return 0;
	if ((spec = pathname_checked(j, m, m->spec, "source")) == NULL)
		return -1;
	m->specrel = under(m->path, spec);
	free(spec);
	if (m->specrel != NULL && m->kind == FS_NEW) {
		mwarn(j, m->where, "%s: the source of a %s mount cannot lie in "
		    "the jail's path", m->spec, m->type);
		return -1;
	}
	return 0;
}

/* M's FILE and SPEC against the jail's path. */
static int
paths_resolve(const struct cfjail *j, struct mline *m)
{
	const char *path = cf_string(cfjail_find(j, "path"));

	if (path == NULL || *path == '\0') {
		mwarn(j, m->where, "no path");
		return -1;
	}
	if (path[0] != '/' || (m->path = normalise(path)) == NULL) {
		mwarn(j, m->where, "path %s: not an absolute pathname without "
		    "\"..\"", path);
		return -1;
	}
	if ((m->target = pathname_checked(j, m, m->file, "mount point")) ==
	    NULL)
		return -1;
	if ((m->rel = under(m->path, m->target)) == NULL) {
		mwarn(j, m->where, "%s: not under the jail's path %s", m->file,
		    m->path);
		return -1;
	}
	return spec_resolve(j, m);
}

/*
 * Take the line VALUE of step IP apart and check it, into M.  WHERE names
 * a mount.fstab line ("mount.fstab: FILE line N"); NULL for mount.
 * QUIET: notes and warnings about options were already given.
 */
static int
mline_fill(const struct cfjail *j, enum intparam ip, const char *value,
    const char *where, int quiet, struct mline *m)
{
	memset(m, 0, sizeof(*m));
	m->line = value;
	if (where != NULL) {
		m->where = estrdup(where);
		m->whereline = estrdup(where);
	} else {
		m->where = estrdup(intparams[ip == IP_MOUNT ? IP_MOUNT :
		    IP_MOUNT_FSTAB].name);
		m->whereline = eprintf("%s: %s", m->where, value);
	}
	if (fields_split(j, m) < 0)
		return -1;
	if (m->nfields == 0)
		return 0;
	if (type_resolve(j, m) < 0 || opts_apply(j, m, quiet) < 0)
		return -1;
	if (m->skip)
		return 0;
	return paths_resolve(j, m);
}

int
mline_parse(const struct cfjail *j, enum intparam ip, const char *value,
    const char *where, enum mline_voice voice, struct mline *m)
{
	int rc;

	silent = voice == MLINE_SILENT;
	rc = mline_fill(j, ip, value, where, voice != MLINE_ALL, m);
	silent = 0;
	return rc;
}

/* ---- mount.fstab ---- */

static void
fstab_free(struct cfjail *j)
{
	for (int i = 0; i < j->nfstab; i++)
		free(j->fstab[i]);
	free(j->fstab);
	free(j->fstab_where);
	j->fstab = NULL;
	j->fstab_where = NULL;
	j->nfstab = 0;
}

static void
fstab_add(struct cfjail *j, const char *line, const char *file, int lineno)
{
	j->fstab = ereallocarray(j->fstab, (size_t)j->nfstab + 1,
	    sizeof(*j->fstab));
	j->fstab_where = ereallocarray(j->fstab_where, (size_t)j->nfstab + 1,
	    sizeof(*j->fstab_where));
	j->fstab[j->nfstab] = estrdup(line);
	j->fstab_where[j->nfstab].file = file;
	j->fstab_where[j->nfstab].line = lineno;
	j->nfstab++;
}

/* Where a mount.fstab line was read, for its messages, or NULL. */
char *
fstab_where(const struct cfjail *j, const char *value)
{
	int i;

	for (i = 0; i < j->nfstab; i++)
		if (j->fstab[i] == value)
			break;
	if (i == j->nfstab)
		for (i = 0; i < j->nfstab; i++)
			if (strcmp(j->fstab[i], value) == 0)
				break;
	if (i == j->nfstab || j->fstab_where == NULL)
		return NULL;
	return eprintf("%s: %s line %d", intparams[IP_MOUNT_FSTAB].name,
	    j->fstab_where[i].file, j->fstab_where[i].line);
}

/*
 * One line of FILE: without its comment ("#" to the end, as FreeBSD's
 * jail(8) cuts it) and trailing blanks; blank lines are dropped.  Each is
 * checked now, so that a bad one is reported with its file and line
 * before anything is mounted.
 */
static int
fstab_line(struct cfjail *j, char *line, size_t len, const char *file,
    int lineno)
{
	struct mline m;
	char *where;
	int rc;

	if (strlen(line) != len) {
		jail_warnx(j, "mount.fstab: %s line %d: a NUL byte", file,
		    lineno);
		return -1;
	}
	line[strcspn(line, "#")] = '\0';
	len = strlen(line);
	while (len > 0 && strchr(" \t\f\v\r\n", line[len - 1]) != NULL)
		line[--len] = '\0';
	if (line[strspn(line, " \t\f\v\r\n")] == '\0')
		return 0;
	where = eprintf("mount.fstab: %s line %d", file, lineno);
	/* Stopping, the options were noted when the jail started. */
	rc = mline_parse(j, IP__MOUNT_FROM_FSTAB, line, where,
	    (j->flags & JF_OP_MASK) == JF_STOP ? MLINE_QUIET : MLINE_ALL, &m);
	free(where);
	mline_free(&m);
	if (rc == 0)
		fstab_add(j, line, file, lineno);
	return rc;
}

/* Read FILE's lines into j->fstab; every bad line is reported. */
static int
fstab_read(struct cfjail *j, const char *file)
{
	struct stat sb;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int fd, lineno = 0, rc = 0;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0
	    || fstat(fd, &sb) < 0) {
		jail_warnx(j, "mount.fstab: %s: %s", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || (f = fdopen(fd, "r")) == NULL) {
		jail_warnx(j, "mount.fstab: %s: %s", file, S_ISREG(sb.st_mode) ?
		    strerror(errno) : "not a regular file");
		close(fd);
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0)
		if (fstab_line(j, line, (size_t)n, file, ++lineno) < 0)
			rc = -1;
	if (ferror(f)) {
		jail_warnx(j, "mount.fstab: %s: %s", file, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

int
mount_read_fstab(struct cfjail *j)
{
	struct cfparam *p = j->ip[IP_MOUNT_FSTAB];
	int rc = 0;

	fstab_free(j);
	if (p == NULL)
		return 0;
	for (int i = 0; i < p->nval; i++)
		if (p->val[i][0] != '\0' && fstab_read(j, p->val[i]) < 0)
			rc = -1;
	return rc;
}
