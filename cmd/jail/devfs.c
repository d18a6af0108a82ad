/*
 * devfs_ruleset against the jail's own /dev (devfs.h).
 *
 * On FreeBSD, mount.devfs mounts a devfs on path/dev and applies a
 * ruleset to it, devfs_ruleset or 4 (devfsrules_jail), which hides and
 * unhides device nodes; rulesets are read from /etc/defaults/devfs.rules
 * and /etc/devfs.rules.  Here the prison always gives the jail a /dev of
 * its own with a fixed, safe set of nodes (prison/rootfs.c: null, zero,
 * full, random, urandom, tty, ptmx and pts (a devpts instance of the
 * jail's own), fd, stdin, stdout, stderr, shm), whatever the ruleset.  So
 * a ruleset is checked against that set, never applied:
 *
 *  - unhiding one of those nodes is what they are there for;
 *  - unhiding a device FreeBSD's standard jail rulesets give and jails here
 *    go without (crypto, log, fuse, zfs, pf, bpf, the legacy BSD ptys) is
 *    noted with -v: a program that wants one finds it missing;
 *  - unhiding anything else (a disk, tun, "*") is refused: the jail would
 *    not have it, and it is no ruleset 4 device;
 *  - hiding one of the nodes above that FreeBSD names is refused, since it
 *    would not be hidden (full, tty and shm are Linux's, named by no
 *    FreeBSD ruleset, and always there);
 *  - mode, user and group rules are noted and not applied: the nodes are
 *    the jail root's, mode 0666, as ruleset 4 leaves them;
 *  - "type" conditions on hide and unhide are refused, in the ruleset
 *    applied; verbs other than "add" anywhere.
 *
 * devfs.rules(5): "#" starts a comment anywhere; "[NAME=N]" starts
 * ruleset N; each other line is a devfs(8) rule, "add [NUM] [path
 * PATTERN] ACTION", where ACTION is hide, unhide, include $NAME (or N),
 * mode M, user U or group G.  Patterns are fnmatch(3)'s with
 * FNM_PATHNAME, as devfs's.  A ruleset read again (the same N) replaces
 * the earlier one.  The built-in defaults below are FreeBSD's standard
 * rulesets 1 to 5 (the same names, numbers and effect), for hosts
 * without /etc/defaults/devfs.rules.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jail8.h"
#include "devfs.h"

static const char *const default_files[] = {
	"/etc/defaults/devfs.rules", "/etc/devfs.rules", NULL,
};
const char *const *devfs_rules_files = default_files;

static const char builtin_name[] = "(built-in devfs.rules)";
static const char builtin_rules[] =
    "[devfsrules_hide_all=1]\n"
    "add hide\n"
    "[devfsrules_unhide_basic=2]\n"
    "add path null unhide\n"
    "add path zero unhide\n"
    "add path crypto unhide\n"
    "add path random unhide\n"
    "add path urandom unhide\n"
    "[devfsrules_unhide_login=3]\n"
    "add path 'pty[pqrsPQRSlmnoLMNO]*' unhide\n"
    "add path 'tty[pqrsPQRSlmnoLMNO]*' unhide\n"
    "add path ptmx unhide\n"
    "add path pts unhide\n"
    "add path 'pts/*' unhide\n"
    "add path fd unhide\n"
    "add path 'fd/*' unhide\n"
    "add path stdin unhide\n"
    "add path stdout unhide\n"
    "add path stderr unhide\n"
    "[devfsrules_jail=4]\n"
    "add include $devfsrules_hide_all\n"
    "add include $devfsrules_unhide_basic\n"
    "add include $devfsrules_unhide_login\n"
    "add path fuse unhide\n"
    "add path zfs unhide\n"
    "[devfsrules_jail_vnet=5]\n"
    "add include $devfsrules_jail\n"
    "add path pf unhide\n";

/* The nodes of the jail's /dev that FreeBSD names: no ruleset hides them. */
static const char *const provided[] = {
	"null", "zero", "random", "urandom", "ptmx", "pts", "fd", "stdin",
	"stdout", "stderr",
};
#define	NPROVIDED	(sizeof(provided) / sizeof(provided[0]))

/* What a ruleset may unhide and the jail's /dev has. */
static const char *const have[] = {
	"null", "zero", "random", "urandom", "ptmx", "pts", "pts/*", "fd",
	"fd/*", "stdin", "stdout", "stderr", "full", "tty", "shm", NULL,
};

/* What FreeBSD's standard rulesets unhide and jails here go without. */
static const char *const without[] = {
	"crypto", "log", "fuse", "zfs", "pf", "bpf", "bpf*", NULL,
};
#define	NWITHOUT	(sizeof(without) / sizeof(without[0]) - 1)

#define	MAXDEPTH	16	/* includes within includes */

enum devaction { DA_HIDE, DA_UNHIDE, DA_INCLUDE, DA_ATTR };

struct devrule {
	char		*pattern;	/* path condition; NULL: every node */
	int		 typed;		/* has a "type" condition */
	enum devaction	 action;
	char		*arg;		/* DA_INCLUDE: "$NAME" or N;
					   DA_ATTR: "mode 0600" ... */
	const char	*file;
	int		 line;
};

struct ruleset {
	char		*name;
	int		 num;
	struct devrule	*rules;
	int		 nrules;
};

struct rulesets {
	struct ruleset	*v;
	int		 n;
	/* What the ruleset unhides that jails here go without, for -v. */
	int		 without_seen[NWITHOUT];
	int		 legacy_ptys;
};

static int
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static void
rules_clear(struct ruleset *r)
{
	for (int i = 0; i < r->nrules; i++) {
		free(r->rules[i].pattern);
		free(r->rules[i].arg);
	}
	free(r->rules);
	r->rules = NULL;
	r->nrules = 0;
}

static void
rulesets_free(struct rulesets *rs)
{
	for (int i = 0; i < rs->n; i++) {
		rules_clear(&rs->v[i]);
		free(rs->v[i].name);
	}
	free(rs->v);
}

/* Ruleset N, emptied if it was read before (a later one replaces it). */
static struct ruleset *
ruleset_start(struct rulesets *rs, const char *name, int num)
{
	struct ruleset *r;

	for (int i = 0; i < rs->n; i++)
		if (rs->v[i].num == num) {
			r = &rs->v[i];
			rules_clear(r);
			free(r->name);
			r->name = estrdup(name);
			return r;
		}
	rs->v = ereallocarray(rs->v, (size_t)rs->n + 1, sizeof(*rs->v));
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->name = estrdup(name);
	r->num = num;
	return r;
}

static struct ruleset *
ruleset_find(struct rulesets *rs, int num)
{
	for (int i = 0; i < rs->n; i++)
		if (rs->v[i].num == num)
			return &rs->v[i];
	return NULL;
}

/* A ruleset number, 1 to 65535: -1 if S is not one. */
static int
ruleset_num(const char *s)
{
	char *end;
	long n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || n < 1 || n > 65535)
		return -1;
	return (int)n;
}

/* "[NAME=N]": 0, or -1 if LINE is not that. */
static int
header_parse(struct rulesets *rs, char *line, struct ruleset **cur)
{
	size_t len = strlen(line);
	char *eq;
	int num;

	if (len < 4 || line[len - 1] != ']')
		return -1;
	line[len - 1] = '\0';
	line++;
	if ((eq = strchr(line, '=')) == NULL || eq == line)
		return -1;
	*eq = '\0';
	if (strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_") != strlen(line) || (num = ruleset_num(eq + 1)) < 0)
		return -1;
	*cur = ruleset_start(rs, line, num);
	return 0;
}

/*
 * The words of LINE, in place: blanks separate them; '...' and "..."
 * quote (devfs.rules is read by sh).  At most MAX; -1 if more or if a
 * quote is left open.
 */
static int
words(char *line, char **w, int max)
{
	char *s = line, *o;
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			return n;
		if (n == max)
			return -1;
		w[n++] = o = s;
		while (*s != '\0' && *s != ' ' && *s != '\t') {
			if (*s == '\'' || *s == '"') {
				char q = *s++;

				while (*s != '\0' && *s != q)
					*o++ = *s++;
				if (*s++ == '\0')
					return -1;
			} else
				*o++ = *s++;
		}
		if (*s != '\0')
			s++;
		*o = '\0';
	}
}

/* One rule line of ruleset R: NULL, or what is wrong with it. */
static const char *
rule_parse(struct ruleset *r, char *line, const char *file, int lineno)
{
	struct devrule d = { .file = file, .line = lineno };
	char *w[8];
	int n = words(line, w, 8), i = 1;

	if (n < 0)
		return "an open quote or too many words";
	if (strcmp(w[0], "add") != 0)
		return "only \"add\" rules are understood";
	if (i < n && strspn(w[i], "0123456789") == strlen(w[i]))
		i++;			/* a rule number: order is the file's */
	while (i < n && (strcmp(w[i], "path") == 0 || strcmp(w[i], "type") ==
	    0)) {
		if (strcmp(w[i], "type") == 0) {
			static const char *const types[] = { "disk", "mem",
			    "tape", "tty", NULL };

			if (i + 1 >= n || !in_list(types, w[i + 1]))
				return "\"type\" needs disk, mem, tape or tty";
			d.typed = 1;
		} else if (i + 1 >= n || d.pattern != NULL)
			return "\"path\" needs one pattern";
		else
			d.pattern = w[i + 1];
		i += 2;
	}
	if (i >= n)
		return "no action (hide, unhide, include, mode, user, group)";
	if (strcmp(w[i], "hide") == 0 || strcmp(w[i], "unhide") == 0) {
		d.action = w[i][0] == 'h' ? DA_HIDE : DA_UNHIDE;
		i++;
	} else if (strcmp(w[i], "include") == 0 && i + 1 < n) {
		d.action = DA_INCLUDE;
		d.arg = w[i + 1];
		i += 2;
	} else if ((strcmp(w[i], "mode") == 0 || strcmp(w[i], "user") == 0 ||
	    strcmp(w[i], "group") == 0) && i + 1 < n) {
		d.action = DA_ATTR;
		d.arg = w[i];
		i += 2;
	} else
		return "an unknown action or one without its argument";
	if (i != n)
		return "words after the action";
	d.pattern = d.pattern != NULL ? estrdup(d.pattern) : NULL;
	d.arg = d.arg != NULL ? estrdup(d.arg) : NULL;
	r->rules = ereallocarray(r->rules, (size_t)r->nrules + 1,
	    sizeof(*r->rules));
	r->rules[r->nrules++] = d;
	return NULL;
}

/* Read the rulesets of F (named FILE) into RS: 0, or -1 with a message. */
static int
rules_read(const struct cfjail *j, struct rulesets *rs, FILE *f,
    const char *file)
{
	struct ruleset *cur = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, rc = 0;

	while ((len = getline(&line, &cap, f)) > 0) {
		const char *bad = NULL;
		char *s;

		lineno++;
		if (strlen(line) != (size_t)len)
			bad = "a NUL byte";
		line[strcspn(line, "#\n\r")] = '\0';
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		len = (ssize_t)strlen(s);
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			s[--len] = '\0';
		if (bad == NULL && *s == '\0')
			continue;
		if (bad == NULL && *s == '[') {
			if (header_parse(rs, s, &cur) < 0)
				bad = "not a ruleset header [NAME=N], N from 1 "
				    "to 65535";
		} else if (bad == NULL && cur == NULL)
			bad = "a rule before any [NAME=N]";
		else if (bad == NULL)
			bad = rule_parse(cur, s, file, lineno);
		if (bad != NULL) {
			jail_warnx(j, "mount.devfs: %s line %d: %s", file,
			    lineno, bad);
			rc = -1;
		}
	}
	free(line);
	return rc;
}

/* The built-in defaults, then each of devfs_rules_files. */
static int
rulesets_load(const struct cfjail *j, struct rulesets *rs)
{
	FILE *f = fmemopen((void *)builtin_rules, sizeof(builtin_rules) - 1,
	    "r");
	int rc;

	if (f == NULL) {
		jail_warnx(j, "mount.devfs: fmemopen: %s", strerror(errno));
		return -1;
	}
	rc = rules_read(j, rs, f, builtin_name);
	fclose(f);
	for (const char *const *p = devfs_rules_files; *p != NULL; p++) {
		if ((f = fopen(*p, "re")) == NULL) {
			if (errno == ENOENT)
				continue;
			jail_warnx(j, "mount.devfs: %s: %s", *p,
			    strerror(errno));
			return -1;
		}
		if (rules_read(j, rs, f, *p) < 0)
			rc = -1;
		fclose(f);
	}
	return rc;
}

/* pty[pqrs...]* or tty[pqrs...]*: FreeBSD's legacy ptys, one letter or a
   bracket of them. */
static int
legacy_pty(const char *p)
{
	static const char letters[] = "pqrsPQRSlmnoLMNO";
	size_t n;

	if (strncmp(p, "pty", 3) != 0 && strncmp(p, "tty", 3) != 0)
		return 0;
	p += 3;
	if (*p != '\0' && *p != '[' && strchr(letters, *p) != NULL)
		return strcmp(p + 1, "*") == 0;
	if (*p++ != '[')
		return 0;
	n = strspn(p, letters);
	return n > 0 && strcmp(p + n, "]*") == 0;
}

/* May D unhide what it names?  Notes what the jail goes without. */
static int
unhide_ok(struct rulesets *rs, const struct devrule *d)
{
	if (d->pattern == NULL)
		return 0;
	if (in_list(have, d->pattern))
		return 1;
	for (size_t i = 0; i < NWITHOUT; i++)
		if (strcmp(without[i], d->pattern) == 0) {
			rs->without_seen[i] = 1;
			return 1;
		}
	if (legacy_pty(d->pattern)) {
		rs->legacy_ptys = 1;
		return 1;
	}
	return 0;
}

/*
 * Apply ruleset R to VISIBLE (one flag per provided node), following its
 * includes.  0, or -1 with a message.
 */
static int
ruleset_apply(const struct cfjail *j, struct rulesets *rs, int top,
    const struct ruleset *r, int *visible, int depth)
{
	if (depth > MAXDEPTH) {
		jail_warnx(j, "devfs_ruleset %d: includes nest too deep (a "
		    "ruleset includes itself?)", top);
		return -1;
	}
	for (int i = 0; i < r->nrules; i++) {
		const struct devrule *d = &r->rules[i];
		const struct ruleset *inc = NULL;

		if (d->typed && (d->action == DA_HIDE ||
		    d->action == DA_UNHIDE)) {
			jail_warnx(j, "devfs_ruleset %d: %s line %d: \"type\" "
			    "conditions are not supported", top, d->file,
			    d->line);
			return -1;
		}
		switch (d->action) {
		case DA_ATTR:
			if (verbose > 0)
				jail_note(j, "mount.devfs: %s line %d: %s rules "
				    "are not applied: the jail's nodes are its "
				    "root's, mode 0666\n", d->file, d->line,
				    d->arg);
			break;
		case DA_INCLUDE:
			if (d->arg[0] == '$') {
				for (int k = rs->n - 1; k >= 0 && inc == NULL;
				    k--)
					if (strcmp(rs->v[k].name, d->arg + 1)
					    == 0)
						inc = &rs->v[k];
			} else if (ruleset_num(d->arg) > 0)
				inc = ruleset_find(rs, ruleset_num(d->arg));
			if (inc == NULL) {
				jail_warnx(j, "devfs_ruleset %d: %s line %d: "
				    "include %s: no such ruleset", top, d->file,
				    d->line, d->arg);
				return -1;
			}
			if (ruleset_apply(j, rs, top, inc, visible,
			    depth + 1) < 0)
				return -1;
			break;
		case DA_UNHIDE:
			if (!unhide_ok(rs, d)) {
				jail_warnx(j, "devfs_ruleset %d: %s line %d: "
				    "unhides %s, which the jail's /dev cannot "
				    "have (it has only the devices of ruleset "
				    "%d)", top, d->file, d->line, d->pattern !=
				    NULL ? d->pattern : "every device",
				    DEVFS_RULESET_JAIL);
				return -1;
			}
			/* FALLTHROUGH */
		case DA_HIDE:
			for (size_t k = 0; k < NPROVIDED; k++)
				if (d->pattern == NULL || fnmatch(d->pattern,
				    provided[k], FNM_PATHNAME) == 0)
					visible[k] = d->action == DA_UNHIDE;
			break;
		}
	}
	return 0;
}

/* -v: the ruleset, and what it asks for that jails here go without. */
static void
note_ruleset(const struct cfjail *j, const struct rulesets *rs,
    const struct ruleset *r)
{
	char list[256] = "";
	size_t len = 0;

	for (size_t i = 0; i < NWITHOUT; i++)
		if (rs->without_seen[i])
			len += (size_t)snprintf(list + len, sizeof(list) - len,
			    ", %s", without[i]);
	if (rs->legacy_ptys)
		snprintf(list + len, sizeof(list) - len, ", legacy BSD ptys");
	jail_note(j, "mount.devfs: the jail's own /dev, ruleset %d (%s)%s%s\n",
	    r->num, r->name, list[0] != '\0' ? "; jails here go without " :
	    "", list[0] != '\0' ? list + 2 : "");
}

int
devfs_check_ruleset(const struct cfjail *j, int ruleset)
{
	struct rulesets rs;
	const struct ruleset *r;
	int visible[NPROVIDED], rc = -1;

	memset(&rs, 0, sizeof(rs));
	if (rulesets_load(j, &rs) < 0)
		goto out;
	if ((r = ruleset_find(&rs, ruleset)) == NULL) {
		jail_warnx(j, "devfs_ruleset %d: no such ruleset (in the "
		    "built-in defaults or devfs.rules)", ruleset);
		goto out;
	}
	for (size_t k = 0; k < NPROVIDED; k++)
		visible[k] = 1;
	if (ruleset_apply(j, &rs, ruleset, r, visible, 0) < 0)
		goto out;
	for (size_t k = 0; k < NPROVIDED; k++)
		if (!visible[k]) {
			jail_warnx(j, "devfs_ruleset %d (%s) hides %s, which the "
			    "jail's /dev always has", ruleset, r->name,
			    provided[k]);
			goto out;
		}
	if (verbose > 0)
		note_ruleset(j, &rs, r);
	rc = 0;
out:
	rulesets_free(&rs);
	return rc;
}
