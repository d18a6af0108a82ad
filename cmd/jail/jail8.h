/*
 * jail(8)'s model, shared by its files:
 *
 *	main.c		options, the command-line forms, choosing the jails
 *	config.c	jail.conf(5): the parsed statements, wildcards applied,
 *			variables expanded, one resolved jail per block
 *	parse.y lex.l	jail.conf(5)'s grammar (bison, flex)
 *	params.c	kernel parameters: import, create, update, remove, -J
 *	state.c		the per-jail state machine: start and stop sequences,
 *			dependencies, undo of a failed start
 *	command.c	the commands of exec.* and command=, host and inside
 *	mount.c		mount, mount.fstab, mount.devfs/procfs/fdescfs
 *	fstab.c		mount.fstab files and the fstab(5) line of a mount
 *	fsopts.c	FreeBSD's file system types and options, for Linux
 *	devfs.c		devfs.rules(5) rulesets against the jail's own /dev
 *	note.c		messages as FreeBSD's jail(8) prints them
 *
 * Every jail jail(8) works on is a struct cfjail, whether it comes from
 * jail.conf or from the command line.
 */
#ifndef JAIL8_H
#define JAIL8_H

#include <stdarg.h>
#include <stdio.h>
#include <sys/types.h>

#include "jail.h"
#include "intparam.h"

#define	CONF_FILE	"/etc/jail.conf"
#define	CONF_DIR	"/etc/jail.conf.d"	/* its *.conf are read too */

/* ---- Configuration (config.c, parse.y, lex.l) ---- */

/* Where something was written: for messages ("FILE line N: ..."). */
struct cfwhere {
	const char	*file;		/* owned by the configuration */
	int		 line;
};

/* A "$name" or "${name}" in a value as written: expanded per jail. */
struct cfvarref {
	size_t		 pos;		/* where it goes in the text */
	char		*name;
};

/* One value as written: its text, and the variables to put in it. */
struct cfstring {
	char		*s;		/* text without the references */
	size_t		 len;
	struct cfvarref	*refs;
	int		 nrefs;
};

#define	PF_VAR		0x01	/* a $variable: substituted, never sent */
#define	PF_APPEND	0x02	/* "+=": added to the values before it */
#define	PF_BOOL		0x04	/* a boolean; its value is "true"/"false" */
#define	PF_CMDLINE	0x08	/* from the command line: never expanded */

/*
 * A parameter of a resolved jail.  Booleans are kept under their positive
 * name with one value "true" or "false" ("nopersist" is persist=false);
 * NVAL 0 means given bare ("vnet;", "exec.start;" clearing the list).
 * Values are expanded: no variable reference is left in them, and VAL is
 * NULL-terminated (command='s values are an argv).
 */
struct cfparam {
	char		*name;
	char	       **val;
	int		 nval;
	unsigned	 flags;		/* PF_* */
	int		 ip;		/* enum intparam, or -1: the kernel's */
	struct cfwhere	 where;		/* its last definition */
};

/* A child process of a step: a command, or the wait after SIGTERM. */
struct cfchild {
	pid_t		 pid;		/* 0: none */
	int		 pidfd;
	int		 reportfd;	/* command.c's: it could not start */
	long long	 deadline_ms;	/* CLOCK_MONOTONIC; 0: none */
	char		*line;		/* the command line, for messages */
	enum intparam	 step;
};

/* Flags of a jail in the state machine. */
#define	JF_START	0x0001	/* -c */
#define	JF_SET		0x0002	/* -m */
#define	JF_STOP		0x0004	/* -r */
#define	JF_OP_MASK	(JF_START | JF_SET | JF_STOP)
#define	JF_DEPEND	0x0008	/* only there because another depends on it */
#define	JF_WILD		0x0010	/* matched by a wildcard, not named */
#define	JF_FAILED	0x0020
#define	JF_CREATED	0x0040	/* jail_set created it in this run */
#define	JF_TIMEDOUT	0x0080	/* a command overran exec.timeout */
#define	JF_DONE		0x0100
#define	JF_CLEANUP	0x0200	/* -C: only the steps after removal */
#define	JF_NOCONF	0x0400	/* -R: jail_remove and nothing else */
#define	JF_RDTUN	0x0800	/* create-only parameters found unchanged */

struct cfjail {
	char		*name;		/* the configuration name (block name);
					   NULL for a command-line jail */
	struct cfparam	*params;	/* resolved, in order of definition */
	int		 nparams;
	struct cfparam	*ip[IP_NPARAM];	/* the internal ones, by index */

	/* Kernel parameters, imported once (params.c). */
	struct jailparam *jp;
	int		 njp;

	/* The state machine (state.c). */
	unsigned	 flags;		/* JF_* */
	int		 jid;		/* 0: not running (or not looked up) */
	int		 hold;		/* keeps a new jail alive while its
					   commands run (in place of FreeBSD's
					   temporary persist); -1: none */
	const enum intparam *seq;	/* the sequence being run */
	int		 step;		/* index in it */
	int		 vi;		/* index of the step's next value */
	int		 undo;		/* running seq backwards (failed start) */
	int		 done_upto;	/* start steps completed, for undo */
	struct cfchild	 child;
	struct cfjail  **deps;		/* depend= */
	int		 ndeps;
	char		**fstab;	/* the lines of its mount.fstab files */
	struct cfwhere	*fstab_where;	/* the file and line of each */
	int		 nfstab;
	char		**mounted;	/* targets mounted in this run, in order,
					   for undo */
	int		 nmounted;
};

/* All jails: of the configuration, or the one of the command line. */
extern struct cfjail **cfjails;
extern int ncfjails;

/*
 * Read the configuration FILE ("-" for standard input), with its
 * .include files; with FILE NULL, CONF_FILE and CONF_DIR/\*.conf, either
 * of which may be missing.  Fills cfjails with every jail block that is
 * not a wildcard, each resolved: the statements that apply to it (from
 * outside blocks, "*" and matching "foo.*" blocks, its own) applied in
 * the order written, its variables expanded.  On a syntax or semantic
 * error prints "jail: FILE line N: ..." and exits 1: nothing has been
 * done yet.
 */
void	config_load(const char *file);

/* A new, empty jail named NAME (NULL for a command-line jail). */
struct cfjail *cfjail_new(const char *name);

/*
 * Set parameter NAME of J to VALUE (NULL: bare), as "=" does, or as "+="
 * with PF_APPEND in FLAGS.  Booleans are canonicalised ("noexec.clean",
 * "exec.noclean" -> exec.clean=false).  An unknown internal name
 * (exec.foo, mount.bar) is an error; unknown kernel names are left to
 * params_import, which names the jail.  Returns 0, or -1 with a message.
 */
int	cfjail_set(struct cfjail *j, const char *name, const char *value,
	    unsigned flags);

/* The configured jail NAME, or NULL. */
struct cfjail *cfjail_named(const char *name);
/* The parameter NAME of J, or NULL. */
struct cfparam *cfjail_find(const struct cfjail *j, const char *name);

/* A parameter's value as a string (the last one for a list), or NULL. */
const char *cf_string(const struct cfparam *p);
/* A boolean: 1 for true or bare, 0 for false or absent. */
int	cf_bool(const struct cfparam *p);
/* An integer into *V: 1 if given, 0 if absent, -1 (with a message) if bad. */
int	cf_int(const struct cfjail *j, const struct cfparam *p, int *v);

/* Does jail name NAME match the wildcard WILD ("*", "foo.*")? */
int	wild_match(const char *wild, const char *name);
int	wild_name(const char *name);	/* has a wildcard in it */

/* -e SEP: print each jail's parameters, SEP between them. */
void	config_show(const char *sep);

/* ---- Kernel parameters and the operations (params.c) ---- */

/* Import J's kernel parameters once: 0, or -1 with the message printed. */
int	params_import(struct cfjail *j);
/* Create J (jail_set JAIL_CREATE, held while commands remain): 0 or -1. */
int	params_create(struct cfjail *j);
/* Update J (jail -m): 0 or -1. */
int	params_update(struct cfjail *j);
/* Whether a create-only parameter of J differs from the running jail. */
int	params_need_restart(struct cfjail *j, int complain);
/* Remove the running J (jail_remove): 0, or -1 with the message. */
int	params_remove(struct cfjail *j);
/* What names J in messages: config name, jid= or name=; NULL if none. */
const char *params_key(const struct cfjail *j);
/* The jid of the jail J names, if running, in j->jid (else 0). */
void	params_lookup(struct cfjail *j);
/* -J: the line of J in the jid file. */
void	params_write_jfile(FILE *fp, struct cfjail *j, int legacy);

/* ---- Commands (command.c) ---- */

/*
 * Start the command string S of step IP (exec.* or command) for J: on
 * the host, or in the jail for exec.start, command and exec.stop.  As
 * FreeBSD: with a shell special character (other than one trailing "&")
 * it is run by /bin/sh -c, else split on blanks; a trailing "&" runs it
 * in the background (a session of its own, stdin /dev/null), not waited
 * for.  command= of a jail without a configuration name (j->name NULL)
 * is one argv of all its values, run when S is its first value (or
 * NULL); S its other values then runs nothing.  Honours exec.clean,
 * exec.jail_user, exec.system_jail_user, exec.system_user,
 * exec.consolelog (in-jail commands), exec.fib (0 only) and
 * exec.timeout (j->child.deadline_ms).  Commands get JID, JNAME and
 * JPATH unless exec.clean; host commands with exec.timeout lead a
 * process group of their own.  A command that could not start (no such
 * user, program or jail) is reported once, with its reason.
 * Returns 1 with j->child filled when a process runs, 0 when nothing
 * needs waiting for, -1 when it could not start (message printed).
 */
int	command_start(struct cfjail *j, enum intparam ip, const char *s);

/*
 * J's child ended (its pidfd is readable), or (TIMEDOUT) overran its
 * deadline or jail(8) was interrupted: kill what it runs if it has not
 * ended (its process group if it leads one; for an in-jail command,
 * every process of the command's session in the jail), reap it and
 * clear j->child.  0 when it succeeded; else -1 with the message
 * ("NAME: LINE: failed", "...: exited on signal N", "...: timed out"
 * past its deadline, none for an interruption: state.c says it), LINE
 * being the argv joined by blanks, "/bin/sh -c ..." included, as
 * FreeBSD's.  The stop.timeout child always succeeds.
 */
int	command_finish(struct cfjail *j, int timedout);

/*
 * The stop.timeout step (default 10 s): SIGTERM J's processes and wait
 * for them to go, in a child with a deadline a little beyond it, waited
 * for as a command.  1 with j->child filled, 0 when there is nothing to
 * wait for (stop.timeout 0, J not running), -1 on error.
 */
int	command_stop_timeout(struct cfjail *j);

/* ---- Mounts (mount.c, fstab.c) ---- */

/*
 * Step IP of J (mount, the fstab lines, mount.devfs, mount.fdescfs,
 * mount.procfs) for VALUE: mount it (UNDO 0) or unmount it (UNDO 1).
 * Targets are resolved inside the jail's path without following a
 * symlink out of it.  0, or -1 with the message printed.
 */
int	mount_step(struct cfjail *j, enum intparam ip, const char *value,
	    int undo);
/* Read J's mount.fstab files into j->fstab: 0, or -1 with a message. */
int	mount_read_fstab(struct cfjail *j);

/* ---- Messages (note.c) ---- */

extern int verbose;		/* -1: -q or -i; 1: -v */
extern int iflag;		/* -i */

/* "NAME: " then the message, on stdout. */
void	jail_note(const struct cfjail *j, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* "jail: NAME: " then the message, on stderr. */
void	jail_warnx(const struct cfjail *j, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* A value as jail(8) prints it: quoted when needed, with escapes. */
void	quoted_print(FILE *fp, const char *v);

/* Allocation that exits on failure, as FreeBSD's jail(8). */
void	*emalloc(size_t n);
void	*ereallocarray(void *p, size_t n, size_t size);
char	*estrdup(const char *s);
/* A message made from FMT and AP, exiting if memory runs out. */
char	*evformat(const char *fmt, va_list ap);
/* CLOCK_MONOTONIC in milliseconds: the deadlines of commands. */
long long now_ms(void);

#endif
