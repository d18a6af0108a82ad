/*
 * jail.conf(5): reading the files (with their .include files) into
 * statements and blocks, then one resolved jail (expand.c) for every
 * block that is not a wildcard; and -e, which prints them.
 *
 * A load is done once, before anything else: its state is this file's.
 * Every error is printed with the file and line it is about, and the
 * load goes on to find the others; at its end, if there was any, jail(8)
 * exits 1 having done nothing.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confparse.h"

static struct {
	struct cfstmt	**stmts;	/* in the order written */
	int		  nstmts;
	struct cfblock	 *blocks;	/* each name once, in order of its
					   first block */
	int		  nblocks;
	int		 *open;		/* the blocks we are in, innermost
					   last */
	int		  nopen;
	int		  include_depth;
	int		  errors;	/* messages printed */
	int		  fatal;	/* stop reading: a file is missing or
					   an included one is wrong */
} ld;

/* The names of the files read: cfwhere.file points here, for good. */
static char **files;
static int nfiles;

static const char *
file_name(const char *name)
{
	for (int i = 0; i < nfiles; i++)
		if (strcmp(files[i], name) == 0)
			return files[i];
	files = array_grow(files, (size_t)nfiles, sizeof(*files));
	return files[nfiles++] = estrdup(name);
}

/* ---- Messages ---- */

void
conf_error(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = evformat(fmt, ap);
	va_end(ap);
	fflush(stdout);
	warnx("%s line %d: %s", file, line, msg);
	free(msg);
	ld.errors++;
}

/*
 * As FreeBSD's: "FILE line N: TOKEN: syntax error", with the token the
 * parser stopped at, or "FILE: unexpected EOF" when it was the end.
 */
void
conf_syntax_error(struct conf_file *cf, const char *msg)
{
	fflush(stdout);
	if (cf->eof)
		warnx("%s: unexpected EOF", cf->name);
	else
		warnx("%s line %d: %s: %s", cf->name,
		    cfyget_lineno(cf->scanner), cfyget_text(cf->scanner), msg);
	ld.errors++;
}

void
conf_fatal_read(struct conf_file *cf, const char *msg)
{
	fflush(stdout);
	errx(1, "%s: %s", cf->name, msg);
}

/* ---- What the grammar does ---- */

static int
find_block(const char *name)
{
	for (int i = 0; i < ld.nblocks; i++)
		if (strcmp(ld.blocks[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * "NAME {": the jail (or wildcard) NAME, or "OUTER.NAME" inside the block
 * OUTER, as FreeBSD's jail(8) names a nested definition.  Several blocks
 * of one name are one jail.
 */
int
conf_block_open(struct conf_file *cf, struct cfstring *name, int line)
{
	char *full;
	int b;

	if (name->nrefs > 0)
		conf_error(cf->name, line,
		    "variables not permitted in a jail name");
	if (ld.nopen >= CONF_BLOCK_DEPTH) {
		conf_error(cf->name, line, "jail definitions nested too deeply");
		ld.fatal = 1;
		cfstr_free(name);
		return -1;
	}
	if (ld.nopen == 0)
		full = estrdup(name->s);
	else if (asprintf(&full, "%s.%s",
	    ld.blocks[ld.open[ld.nopen - 1]].name, name->s) < 0)
		err(1, "asprintf");
	cfstr_free(name);
	if ((b = find_block(full)) >= 0)
		free(full);
	else {
		ld.blocks = array_grow(ld.blocks, (size_t)ld.nblocks,
		    sizeof(*ld.blocks));
		b = ld.nblocks++;
		ld.blocks[b].name = full;
		ld.blocks[b].wild = wild_name(full);
		ld.blocks[b].where.file = cf->name;
		ld.blocks[b].where.line = line;
	}
	ld.open = array_grow(ld.open, (size_t)ld.nopen, sizeof(*ld.open));
	ld.open[ld.nopen++] = b;
	return 0;
}

void
conf_block_close(void)
{
	if (ld.nopen > 0)
		ld.nopen--;
}

static int	read_file(const char *path, int is_stdin);

/*
 * The files read so far, by identity: /etc/jail.conf commonly includes
 * /etc/jail.conf.d/\*.conf itself, and those must not be read twice when
 * the directory is read after it (every "+=" would count double).
 */
static struct file_id {
	dev_t	dev;
	ino_t	ino;
} *read_ids;
static int nread_ids;

static void
note_read(const struct stat *st)
{
	read_ids = ereallocarray(read_ids, (size_t)nread_ids + 1,
	    sizeof(*read_ids));
	read_ids[nread_ids].dev = st->st_dev;
	read_ids[nread_ids++].ino = st->st_ino;
}

static int
was_read(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return 0;
	for (int i = 0; i < nread_ids; i++)
		if (read_ids[i].dev == st.st_dev && read_ids[i].ino == st.st_ino)
			return 1;
	return 0;
}

/*
 * .include PATTERN, written in CF: a path relative to CF's directory
 * (not for standard input), which may be a glob(3) pattern.  A plain path
 * must exist; a pattern may match nothing.
 */
static int
include(struct conf_file *cf, const char *pattern, int line)
{
	const char *slash = strrchr(cf->name, '/');
	char *path;
	glob_t g;
	int rc;

	if (ld.include_depth >= CONF_INCLUDE_DEPTH) {
		conf_error(cf->name, line, "maximum include depth exceeded");
		ld.fatal = 1;
		return -1;
	}
	if (pattern[0] != '/' && !cf->is_stdin && slash != NULL) {
		if (asprintf(&path, "%.*s%s", (int)(slash - cf->name + 1),
		    cf->name, pattern) < 0)
			err(1, "asprintf");
	} else
		path = estrdup(pattern);
	memset(&g, 0, sizeof(g));
	rc = glob(path, GLOB_NOMAGIC, NULL, &g);
	if (rc != 0 && rc != GLOB_NOMATCH) {
		conf_error(cf->name, line, "%s: filename glob failed", path);
		ld.fatal = 1;
	}
	ld.include_depth++;
	for (size_t i = 0; rc == 0 && i < g.gl_pathc && !ld.fatal; i++)
		read_file(g.gl_pathv[i], 0);
	ld.include_depth--;
	globfree(&g);
	free(path);
	return ld.fatal ? -1 : 0;
}

/* ".include "x";", written as FreeBSD's: a name, a value, no "=". */
static int
is_include(const struct cfstmt *st)
{
	return (st->flags & (PF_VAR | PF_APPEND | SF_NAMEVAL)) == SF_NAMEVAL &&
	    strcmp(st->name, ".include") == 0;
}

int
conf_statement(struct conf_file *cf, struct cfstmt *st)
{
	int rc = 0;

	if (st == NULL)		/* what a syntax error left */
		return 0;
	if (!is_include(st)) {
		st->block = ld.nopen > 0 ? ld.open[ld.nopen - 1] : -1;
		ld.stmts = array_grow(ld.stmts, (size_t)ld.nstmts,
		    sizeof(*ld.stmts));
		ld.stmts[ld.nstmts++] = st;
		return 0;
	}
	for (int i = 0; i < st->nvals && rc == 0; i++) {
		if (st->vals[i].nrefs > 0)
			conf_error(cf->name, st->where.line,
			    "variables not permitted in '.include' filename");
		else
			rc = include(cf, st->vals[i].s, st->where.line);
	}
	stmt_free(st);
	return rc;
}

/* ---- Files ---- */

/*
 * Parse one file (standard input for IS_STDIN) into the statements.  An
 * included file with an error stops the whole load, as FreeBSD's jail(8)
 * stops there.  Returns -1 when the load must stop.
 */
static int
read_file(const char *path, int is_stdin)
{
	struct conf_file cf;
	struct stat st;
	FILE *fp = stdin;
	int errors = ld.errors, nopen = ld.nopen;

	memset(&cf, 0, sizeof(cf));
	cf.name = file_name(is_stdin ? "STDIN" : path);
	cf.is_stdin = is_stdin;
	if (!is_stdin && (fp = fopen(path, "re")) == NULL) {
		fflush(stdout);
		warn("%s", path);
		ld.errors++;
		ld.fatal = 1;
		return -1;
	}
	if (fstat(fileno(fp), &st) < 0)
		memset(&st, 0, sizeof(st));
	else if (!is_stdin)
		note_read(&st);
	if (S_ISDIR(st.st_mode)) {
		fflush(stdout);
		warnx("%s: %s", path, strerror(EISDIR));
		ld.errors++;
		ld.fatal = 1;
	} else {
		if (cfylex_init_extra(&cf, &cf.scanner) != 0)
			err(1, "yylex_init");
		cfyset_in(fp, cf.scanner);
		if (cfyparse(cf.scanner, &cf) != 0 && ld.errors == errors)
			ld.errors++;	/* not expected: yyerror was called */
		cfylex_destroy(cf.scanner);
	}
	if (!is_stdin)
		fclose(fp);
	ld.nopen = nopen;
	if (ld.include_depth > 0 && ld.errors > errors)
		ld.fatal = 1;
	return ld.fatal ? -1 : 0;
}

/* FILE and DIR/\*.conf, each only if it is there. */
static void
read_default(const char *file, const char *dir)
{
	struct stat st;
	char *pattern;
	glob_t g;

	if (stat(file, &st) == 0) {
		if (read_file(file, 0) < 0)
			return;
	} else if (errno != ENOENT) {
		fflush(stdout);
		warn("%s", file);
		ld.errors++;
		return;
	}
	if (asprintf(&pattern, "%s/*.conf", dir) < 0)
		err(1, "asprintf");
	memset(&g, 0, sizeof(g));
	if (glob(pattern, 0, NULL, &g) == 0)
		for (size_t i = 0; i < g.gl_pathc && !ld.fatal; i++)
			if (!was_read(g.gl_pathv[i]))
				read_file(g.gl_pathv[i], 0);
	globfree(&g);
	free(pattern);
}

/* ---- Resolution ---- */

/* Does a statement of block B (-1: outside any) apply to jail NAME? */
static void
applying_blocks(const char *name, int self, unsigned char *applies)
{
	for (int b = 0; b < ld.nblocks; b++)
		applies[b] = b == self ||
		    (ld.blocks[b].wild && wild_match(ld.blocks[b].name, name));
}

/* One jail for every block that is not a wildcard: -1 if any failed. */
static int
resolve_all(void)
{
	struct cfstmt **mine = ereallocarray(NULL, (size_t)ld.nstmts,
	    sizeof(*mine));
	unsigned char *applies = emalloc((size_t)ld.nblocks);
	int rc = 0;

	for (int b = 0; b < ld.nblocks; b++) {
		struct cfjail *j;
		int n = 0;

		if (ld.blocks[b].wild)
			continue;
		j = cfjail_new(ld.blocks[b].name);
		applying_blocks(j->name, b, applies);
		for (int i = 0; i < ld.nstmts; i++)
			if (ld.stmts[i]->block < 0 ||
			    applies[ld.stmts[i]->block])
				mine[n++] = ld.stmts[i];
		if (resolve_jail(j, &ld.blocks[b], mine, n) < 0)
			rc = -1;
	}
	free(applies);
	free(mine);
	return rc;
}

/* Forget the statements and blocks: the jails are what stays. */
static void
free_load(void)
{
	for (int i = 0; i < ld.nstmts; i++)
		stmt_free(ld.stmts[i]);
	free(ld.stmts);
	for (int i = 0; i < ld.nblocks; i++)
		free(ld.blocks[i].name);
	free(ld.blocks);
	free(ld.open);
	memset(&ld, 0, sizeof(ld));
	free(read_ids);
	read_ids = NULL;
	nread_ids = 0;
}

/* The files are read: resolve the jails, or exit 1 after any error. */
static void
finish_load(void)
{
	int rc = ld.errors > 0 ? -1 : resolve_all();

	free_load();
	if (rc < 0) {
		config_free();
		exit(1);
	}
}

void
config_load(const char *file)
{
	free_load();
	if (file == NULL)
		read_default(CONF_FILE, CONF_DIR);
	else
		read_file(file, strcmp(file, "-") == 0);
	finish_load();
}

void
config_load_default(const char *file, const char *dir)
{
	free_load();
	read_default(file, dir);
	finish_load();
}

void
config_free(void)
{
	for (int i = 0; i < ncfjails; i++) {
		struct cfjail *j = cfjails[i];

		for (int k = 0; k < j->nparams; k++) {
			for (int v = 0; v < j->params[k].nval; v++)
				free(j->params[k].val[v]);
			free(j->params[k].val);
			free(j->params[k].name);
		}
		free(j->params);
		free(j->name);
		free(j);
	}
	free(cfjails);
	cfjails = NULL;
	ncfjails = 0;
	for (int i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	files = NULL;
	nfiles = 0;
}

/* ---- -e ---- */

/* A boolean as jail.conf writes it: "persist", "nopersist", "allow.nomount". */
static void
print_bool(FILE *fp, const struct cfparam *p)
{
	const char *dot = strrchr(p->name, '.');
	int head = dot != NULL ? (int)(dot - p->name + 1) : 0;

	if (cf_bool(p))
		fputs(p->name, fp);
	else
		fprintf(fp, "%.*sno%s", head, p->name, p->name + head);
}

/* "name", or "name=value", or "name=v1,v2": values quoted as needed. */
static void
print_param(FILE *fp, const struct cfparam *p)
{
	if (p->flags & PF_BOOL) {
		print_bool(fp, p);
		return;
	}
	fputs(p->name, fp);
	for (int i = 0; i < p->nval; i++) {
		putc(i == 0 ? '=' : ',', fp);
		quoted_print(fp, p->val[i]);
	}
}

/*
 * As FreeBSD's jail -e: a line per jail, its parameters in the order
 * they were first set, SEP between them; never its jid.
 */
void
config_show(const char *sep)
{
	for (int i = 0; i < ncfjails; i++) {
		const struct cfjail *j = cfjails[i];
		int first = 1;

		for (int k = 0; k < j->nparams; k++) {
			const struct cfparam *p = &j->params[k];

			if ((p->flags & PF_VAR) || strcmp(p->name, "jid") == 0)
				continue;
			if (!first)
				fputs(sep, stdout);
			first = 0;
			print_param(stdout, p);
		}
		putchar('\n');
	}
	fflush(stdout);
}
