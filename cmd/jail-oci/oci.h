/*
 * jail-oci(8): the OCI runtime command line over jails.  One container is
 * one jail; its state lives in a directory of its own under --root.  See
 * man/jail-oci.8 for what this first slice supports.
 */
#ifndef JAIL_OCI_H
#define JAIL_OCI_H

#include <sys/types.h>

#define	OCI_SPEC_VERSION	"1.0.2"
#define	OCI_DEFAULT_ROOT	"/run/jail-oci"
/* runc's limit on a container id's length. */
#define	OCI_ID_MAX		1024

/* Global options (main.c). */
extern const char *oci_root;

/* Errors, to stderr and to --log in --log-format (main.c). */
void	oci_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	oci_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	oci_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An OCI process object (process.c). */
#include <stdint.h>
#include <jansson.h>
#include "run.h"
#include "policy.h"

#define	OCI_MAX_RLIMITS	16
enum { OCI_CAP_BOUNDING, OCI_CAP_EFFECTIVE, OCI_CAP_PERMITTED,
    OCI_CAP_INHERITABLE, OCI_CAP_AMBIENT, OCI_CAP_SETS };
struct oci_process {
	char		**args;
	char		**env;
	char		*cwd;
	uid_t		 uid;
	gid_t		 gid;
	int		 ngids;
	gid_t		 gids[64];
	int		 umask;		/* -1: runc's default, 022 */
	int		 terminal;
	unsigned short	 rows, cols;	/* consoleSize */
	int		 caps_set;	/* absent: the jail's, unnarrowed */
	uint64_t	 caps[OCI_CAP_SETS];
	int		 nrlimits;
	struct jail_rlimit rlimits[OCI_MAX_RLIMITS];
	int		 nnp;
	int		 oom_set, oom;
	/* The container's seccomp program (seccomp.c), and what is passed. */
	unsigned	 seccomp_flags;
	unsigned short	 jproc_ninsns;
	struct sock_filter *jproc_insns;
	struct jproc	 jproc;
	unsigned long long jail_caps;	/* the jail's, after the spawn */
};
int	oci_process_parse(json_t *o, const char *where, struct oci_process *p);
void	oci_process_free(struct oci_process *p);
void	oci_process_run(struct oci_process *p, struct jail_run *r);
void	oci_process_report(const struct oci_process *p, pid_t pid);
void	oci_oom_score(pid_t pid, int adj);
int	oci_cap_number(const char *name);
const char *oci_cap_name(int cap);
char	**oci_strings(json_t *a, const char *what);
void	oci_strings_free(char **v);
/* config.json's process and linux.seccomp; 0 or -1 after an error. */
int	oci_process_config(json_t *config, struct oci_process *p);

/* linux.seccomp compiled for the process (seccomp.c); 0 or -1. */
int	oci_seccomp_compile(json_t *seccomp, struct oci_process *p);
/* What features says of them (seccomp.c, process.c). */
json_t	*oci_seccomp_features(void);
json_t	*oci_caps_json(void);

/* The console socket (console.c). */
int	oci_console_connect(const char *path);
int	oci_console_send(int sock, int master);

/* What config.json asks for (bundle.c). */
struct oci_bundle {
	char		*bundle;	/* absolute path of the bundle */
	char		*rootfs;	/* absolute path of root.path */
	char		*hostname;	/* NULL: none asked for */
	struct oci_process proc;
	char		*annotations;	/* compact JSON object */
	char		*resources;	/* linux.resources, compact JSON, or NULL */
	char		*cgroups_path;	/* linux.cgroupsPath, or NULL */
	json_t		*config;	/* config.json, as read; mounts.c and
					   namespaces.c read their parts */
};
int	oci_bundle_load(const char *dir, struct oci_bundle *b);
void	oci_bundle_free(struct oci_bundle *b);

/*
 * The bundle's file system (mounts.c): mounts, maskedPaths and
 * readonlyPaths made under root.path in a mount namespace of create's
 * own, which the prison inherits and builds the jail's tree from.
 */
int	oci_mounts_make(const struct oci_bundle *b);

/*
 * linux.namespaces and linux.uid/gidMappings as jail parameters
 * (namespaces.c), added to P.
 */
#define	OCI_JPARAMS_MAX	16
struct oci_jparams {
	unsigned	 n;
	const char	*name[OCI_JPARAMS_MAX];
	const char	*value[OCI_JPARAMS_MAX];
	char		 idbase[24];
	char		 hostname[65];	/* a joined uts namespace's */
};
int	oci_namespaces(const struct oci_bundle *b, struct oci_jparams *p);
int	oci_has_ns(const struct oci_bundle *b, const char *type);

/* linux.sysctl, written in the namespaces of PID, in the jail (sysctl.c). */
int	oci_sysctl(const struct oci_bundle *b, pid_t pid);

/* A container's state (state.c). */
struct oci_state {
	char		 id[OCI_ID_MAX + 1];
	char		*bundle;
	char		*annotations;	/* compact JSON object */
	char		 created[64];	/* RFC 3339 */
	pid_t		 pid;
	unsigned long long starttime;	/* /proc/PID/stat's: pid reuse */
	int		 jid;
	char		 name[OCI_ID_MAX + 8];	/* the jail's */
};
int	oci_id_valid(const char *id);
void	oci_jail_name(const char *id, char *name, size_t len);
int	oci_root_open(int create);
int	oci_state_mkdir(int root, const char *id);
int	oci_state_open(int root, const char *id);
int	oci_state_write(int dir, const struct oci_state *s);
int	oci_state_read(int dir, const char *id, struct oci_state *s);
void	oci_state_free(struct oci_state *s);
int	oci_state_remove(int root, const char *id);
unsigned long long oci_starttime(pid_t pid, char *state);
const char *oci_status(int dir, const struct oci_state *s);
#define	OCI_FIFO	"exec.fifo"

/*
 * config.json's hooks at POINT (hooks.c), given S's state with STATUS;
 * CONFIG the bundle's json_t, or NULL to read S's bundle again.  -1 when
 * one failed (said).  oci_host_mntns: the host's mount namespace, which
 * create leaves for its own (mounts.c) and runtime hooks run in.
 */
int	oci_hooks(void *config, const struct oci_state *s, const char *point,
	    const char *status);
extern int oci_host_mntns;

/*
 * create's work, shared with run; 0 or 1, the process's pid in *OUT.
 * With MASTER_OUT (run -t), a terminal's master is returned there rather
 * than sent to a console socket.
 */
int	oci_create_container(const char *bundle, const char *pidfile,
	    const char *console, int *master_out, const char *id, int root,
	    pid_t *out);
/* The container's config.json, kept in its state directory (execproc.c). */
int	oci_config_save(int dir, json_t *config);
json_t	*oci_config_load(int dir, const char *id);

/* exec's command line, before it is applied to a process (exec.c). */
struct oci_execopts {
	const char	*process, *console, *pidfile, *cwd, *user;
	int		 detach, tty, nnp;
	char		**env;		/* -e, in order */
	int		 nenv;
	gid_t		 gids[64];
	int		 ngids;
	uint64_t	 caps;		/* --cap, added to the sets */
	int		 ignore_paused;	/* runc's: wait for the resume */
};
/* exec's process, for container ID of state directory DIR (execproc.c). */
int	oci_exec_process(int dir, const char *id,
	    const struct oci_execopts *o, char **args, struct oci_process *p);
/* An id in decimal digits only; -1 when it is not one. */
long long oci_id_number(const char *s, size_t n);

/* Relay MASTER to our stdio until PID, our child, exits (relay.c). */
int	oci_relay(int master, pid_t pid);
/* The process started, our child (child.c). */
int	oci_pidfile_write(const char *path, pid_t pid);
/* Wait for PID forwarding signals; its exit code, 128+N for signal N. */
int	oci_wait_forwarding(pid_t pid);
int	oci_exit_code(int wait_status);

/* Sub-commands. */
int	oci_create(int argc, char **argv);	/* create.c */
int	oci_exec(int argc, char **argv);	/* exec.c */
int	oci_run(int argc, char **argv);		/* run.c */
int	oci_start(int argc, char **argv);	/* lifecycle.c */
int	oci_kill(int argc, char **argv);
int	oci_delete(int argc, char **argv);
int	oci_state_cmd(int argc, char **argv);	/* query.c */
int	oci_features(int argc, char **argv);
int	oci_spec(int argc, char **argv);	/* spec.c */
int	oci_list(int argc, char **argv);	/* list.c */

/*
 * The container's cgroup2 directory (cgroup.c): open, its path relative
 * to the cgroup2 mount in REL (if not NULL); -1 when its jail is gone.
 */
int	oci_cgroup_jail(const struct oci_state *s, char *rel, size_t len);
/* Freeze (ON) or thaw CG and wait until it is; -1 with errno. */
int	oci_freeze(int cg, int on);
int	oci_frozen(int cg);
int	oci_paused(const struct oci_state *s);
/* The pids in CG and below, sorted, malloc'ed in *PIDS; how many, or -1. */
int	oci_cgroup_pids(int cg, pid_t **pids);
/* A pidfd of PID if it is in the cgroup REL or below; else -1. */
int	oci_pidfd_in(pid_t pid, const char *rel);
/* SIG to every process of S; how many got it, or -1 with errno. */
int	oci_signal_all(const struct oci_state *s, int sig);

/*
 * The jail's top cgroup2 directory, above CG (oci_cgroup_jail's), open,
 * with the controllers the root has handed down to it (cgroupv2.c): where
 * linux.resources go on cgroup2.  -1 if CG is not where it should be.
 */
int	oci_cgroup_top(int cg);
/* linux.resources (resources.c, cgroupv1.c, cgroupv2.c). */
int	oci_bundle_cgroups(void *config, struct oci_bundle *b);
int	oci_resources_apply(const struct oci_bundle *b,
	    const struct oci_state *s, int dir);
/* linux.resources changed (update.c): R is a json_t. */
struct json_t;
int	oci_resources_update(struct json_t *r, const struct oci_state *s,
	    int dir);
/*
 * Move PID, a process exec started, into the v1 cgroups recorded in the
 * container's state directory DIR (those create made for
 * linux.resources): best before it runs anything.  Failures are warnings.
 */
void	oci_cgroup_enter(int dir, pid_t pid);
/* Remove the v1 cgroups recorded in the state directory DIR. */
void	oci_cgroup_remove(int dir);

int	oci_pause(int argc, char **argv);	/* pause.c */
int	oci_resume(int argc, char **argv);
int	oci_ps(int argc, char **argv);		/* ps.c */
int	oci_update(int argc, char **argv);	/* update.c */

/* Opening a container that must exist; -1 after an error said so. */
int	oci_open_existing(const char *id, int *root, struct oci_state *s);

#endif
