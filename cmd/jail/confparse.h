/*
 * What the reading of jail.conf(5) shares between its grammar (parse.y),
 * its scanner (lex.l), the loader (config.c) and the resolution of each
 * jail (expand.c).  The rest of jail(8) sees only config_load, config_show
 * and the resolved jails of jail8.h.
 */
#ifndef CONFPARSE_H
#define CONFPARSE_H

#include "jail8.h"

#define	SF_NAMEVAL	0x100	/* "name value;", without "=": how .include
				   is written */

/* Limits that keep a hostile configuration from exhausting memory. */
#define	CONF_INCLUDE_DEPTH	32	/* .include within .include (FreeBSD's) */
#define	CONF_BLOCK_DEPTH	64	/* blocks within blocks */
#define	CONF_EXPAND_DEPTH	256	/* references within references */
#define	CONF_VALUE_MAX		(1 << 20)	/* bytes of one expanded value */
#define	CONF_NVAL_MAX		(1 << 13)	/* values of one parameter */
#define	CONF_JAIL_BYTES		(1 << 22)	/* all of a jail's values */

/*
 * A statement as written: "name = v1, v2;", "name += v;", "name;" or
 * "$var = v;", with the block it is in.
 */
struct cfstmt {
	char		*name;
	struct cfstring	*vals;
	int		 nvals;
	unsigned	 flags;		/* PF_VAR, PF_APPEND, SF_NAMEVAL */
	int		 block;		/* index in the blocks; -1: outside */
	struct cfwhere	 where;		/* where its name is */
};

/* A block name as written ("foo", "*", "foo.*", "foo.bar" when nested). */
struct cfblock {
	char		*name;
	int		 wild;		/* a wildcard: not a jail of its own */
	struct cfwhere	 where;		/* its first block */
};

/* One file being read. */
struct conf_file {
	const char	*name;		/* for messages: the path, or "STDIN" */
	int		 is_stdin;
	int		 instr;		/* the last token was part of a string:
					   the next piece continues it */
	int		 eof;		/* the scanner reached the end */
	void		*scanner;
};

/* The scanner (lex.l, generated with the prefix "cfy"). */
int	cfylex_init_extra(struct conf_file *cf, void **scanner);
int	cfylex_destroy(void *scanner);
void	cfyset_in(FILE *fp, void *scanner);
char	*cfyget_text(void *scanner);
int	cfyget_lineno(void *scanner);

/* The grammar (parse.y). */
int	cfyparse(void *scanner, struct conf_file *cf);

/*
 * ARRAY of N elements of SIZE bytes, with room made for one more: its
 * capacity doubles, so that adding elements one at a time stays linear
 * (confstr.c).
 */
void	*array_grow(void *array, size_t n, size_t size);

/* Strings as written (confstr.c). */
struct cfstring *cfstr_new(void);
struct cfstring *cfstr_decode(const char *text, size_t len, int vars);
struct cfstring *cfstr_var(const char *name, size_t len);
void	cfstr_cat(struct cfstring *dst, struct cfstring *src);
void	cfstr_free(struct cfstring *s);

/* Statements (confstr.c), built by the grammar. */
struct cfstmt *stmt_name(struct conf_file *cf, struct cfstring *name,
	    unsigned flags, int line);
struct cfstmt *stmt_value(struct cfstring *val);
void	stmt_add_value(struct cfstmt *st, struct cfstring *val);
struct cfstmt *stmt_take_values(struct cfstmt *st, struct cfstmt *vals,
	    unsigned flags);
void	stmt_free(struct cfstmt *st);

/* What the grammar does (config.c): 0, or -1 to stop reading. */
int	conf_statement(struct conf_file *cf, struct cfstmt *st);
int	conf_block_open(struct conf_file *cf, struct cfstring *name, int line);
void	conf_block_close(void);

/* Messages that name the place, counted as errors (config.c). */
void	conf_syntax_error(struct conf_file *cf, const char *msg);
void	conf_error(const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The scanner could not read its input: it cannot go on. */
void	conf_fatal_read(struct conf_file *cf, const char *msg)
	    __attribute__((noreturn));

/*
 * The jail J, of block name NAME, from the statements ST[0..N-1] that
 * apply to it, in the order written: merged, its variables expanded and
 * set with cfjail_set (expand.c).  0, or -1 with the messages printed.
 */
int	resolve_jail(struct cfjail *j, const struct cfblock *b,
	    struct cfstmt *const *st, int n);

/* Read FILE and DIR/\*.conf, either of which may be missing (config.c). */
void	config_load_default(const char *file, const char *dir);
/* Forget every jail and the configuration's file names (tests, fuzzing). */
void	config_free(void);

#endif
