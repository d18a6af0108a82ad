/*
 * libjail internals shared by the library and the prison: the registry of
 * live jails, the client side of the prison protocol, error messages.
 */
#ifndef JAIL_INTERNAL_H
#define JAIL_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proto.h"

/* On the definitions of the public API only (lib/libjail.map lists it). */
#ifndef JAIL_EXPORT
#define	JAIL_EXPORT	__attribute__((visibility("default")))
#endif

#define	JAIL_REGISTRY_DEFAULT	"/run/jail"

/* ---- registry (registry.c) ---- */

#define	JREC_MAGIC	0x4a524543U	/* "JREC" */

enum jrec_state { JREC_CREATING = 0, JREC_ALIVE = 1, JREC_DYING = 2 };

/* One file per jail, "<dir>/<jid>", held under an exclusive flock by its prison. */
struct jrec {
	uint32_t	magic;
	int32_t		jid;
	int32_t		state;
	int32_t		pid;		/* the prison */
	char		name[256];
	char		cgroup[512];	/* absolute path of the jail's cgroup */
	uint32_t	idmap_base;	/* host id of jail id 0; 0: identity */
	int32_t		prison_died;	/* DYING because its prison died */
	/*
	 * The jail's parameters, all of them as a GET answers, are kept at
	 * JREC_PARAMS_OFF (params_len bytes), so that jail_get need not wake
	 * the prison: written between an odd and the next even SEQ.
	 */
	uint32_t	seq;
	uint32_t	params_len;
	/* The jail's UTS namespace (host=new), pinned by the prison; or 0. */
	uint64_t	uts_dev;
	uint64_t	uts_ino;
};
#define	JREC_PARAMS_OFF	4096
_Static_assert(sizeof(struct jrec) <= JREC_PARAMS_OFF,
    "the record's header runs into its parameters");

const char *jreg_path(void);
/* Open the registry directory (creating it when CREATE); checks ownership. */
int	jreg_open(int create);
/* Take the registry-wide lock; returns the lock fd. */
int	jreg_lock(int dirfd);
void	jreg_unlock(int lockfd);
int	jreg_lastjid(int lockfd);
void	jreg_set_lastjid(int lockfd, int jid);
/*
 * Read the record of JID.  Returns 1 if the jail is alive (its prison holds
 * the record), 0 if there is no such live jail.  Dead records are left for
 * jreg_sweep.
 */
int	jreg_read(int dirfd, int jid, struct jrec *out);
/*
 * The same, keeping the record open: its descriptor, or -1 (*DEAD: there
 * was a record, of a dead prison).
 */
int	jreg_open_read(int dirfd, int jid, struct jrec *out, int *dead);
/*
 * The live jail with the smallest jid above LAST (DYING_TOO: dying ones
 * count): its record, open, or -1 if there is none.  For jail_get's
 * lastjid, with no limit on how many jails there are.
 */
int	jreg_next(int dirfd, int last, int dying_too, struct jrec *out);
/*
 * Open the record of JID (read-only) in DIRFD, or in the registry when
 * DIRFD is -1.  Held open while a prison is asked something, it still
 * tells how the jail ended once the prison stops answering, even after a
 * sweep has unlinked it.
 */
int	jreg_open_record(int dirfd, int jid);
enum jreg_fate {
	JREG_ALIVE,		/* its prison holds it */
	JREG_DYING,		/* the jail was being removed */
	JREG_PRISON_DIED,	/* the prison died without removing the jail */
	JREG_GONE,		/* no record: no such jail */
};
/* What the record RECFD (from jreg_open_record, or -1) says of its jail. */
enum jreg_fate jreg_fate(int recfd);
/*
 * Find a jail by name: a live one (or one still being created: check the
 * state) if there is one, else a dying one.
 */
int	jreg_find_name(int dirfd, const char *name, struct jrec *out);
/* The same as jreg_read, telling in *DEAD whether the record was a dead one. */
int	jreg_read_dead(int dirfd, int jid, struct jrec *out, int *dead);
/* The jid a registry file is the record of ("17"), or 0. */
int	jreg_jid_of(const char *file);
/* Call FN for each live record until it returns non-zero; whether any was dead. */
int	jreg_walk(int dirfd, int (*fn)(const struct jrec *, void *), void *arg);
/* Whether the record RECFD is still held by its prison (or its guardian). */
int	jreg_held(int recfd);
/*
 * The parameters kept with the record (see struct jrec) and its header R
 * of the same moment (with HAVE, R is the caller's reading of it through
 * RECFD, on entry): the parameters' length in BUF, or -1 if there are none.
 */
ssize_t	jreg_read_params(int recfd, struct jrec *r, int have, void *buf,
	    size_t size);
/*
 * The indexes (regindex.c), kept under the registry lock: a record was
 * made or removed (jreg_changed), a name was given or taken back.
 * jreg_names_ready builds the name index of a registry that has none.
 */
void	jreg_changed(int dirfd);
void	jreg_name_add(int dirfd, const char *name, int jid);
void	jreg_name_del(int dirfd, const char *name, int jid);
int	jreg_names_ready(int dirfd);
/* Remove records of dead prisons, their sockets and cgroups.  Takes the lock. */
void	jreg_sweep(int dirfd);
void	jreg_sweep_locked(int dirfd);
/* Remove the leftovers of one dead jail (lock held by the caller). */
void	jreg_cleanup_dead(int dirfd, const struct jrec *r);
/*
 * Kill every process of a cgroup tree and remove its directories, waiting
 * a bounded time; 0 once it is gone, -1 if it is still there.
 */
int	jcg_destroy(const char *path);
void	jreg_sockname(int jid, char *buf, size_t len);

/*
 * jail_get(2), for jailparam_get: OWN when every value buffer and IOV
 * itself are libjail's own allocations (then written without the checks
 * that make a bad pointer of a caller's an EFAULT).
 */
struct iovec;
int	jail_get_into(struct iovec *iov, unsigned int niov, int flags, int own);

/* ---- a jail's UTS namespace (uts.c) ---- */

struct utsname;
/* Host and domain name as jail_get reports them ("(none)" is ""). */
void	juts_names(const struct utsname *u, char *host, size_t hostlen,
	    char *domain, size_t domainlen);
/*
 * Read the names of the jail of record R (held open as RECFD) from its
 * UTS namespace: 0, or -1 when this caller cannot (then ask the prison).
 * They are the jail's if its prison holds the record after the call
 * (jreg_held).
 */
int	juts_read(int recfd, const struct jrec *r, struct utsname *u);

/* ---- private uid ranges (idmap.c) ---- */

#define	JIDMAP_BLOCK	65536U	/* ids per jail: 0-65535 inside */

struct jidmap_pool {
	uint32_t	start;		/* first host id, a multiple of 65536 */
	uint32_t	count;		/* a multiple of 65536 */
};

/* Parse "START:COUNT". */
int	jidmap_parse_pool(const char *s, struct jidmap_pool *, char *err,
	    size_t errlen);
/* The pool: OVERRIDE if given, else /etc/subuid's "jail" entry or the default. */
int	jidmap_pool(const char *override, struct jidmap_pool *, char *err,
	    size_t errlen);
/*
 * Take a free block of the pool for a jail (or exactly WANT, if not 0),
 * trying slot HINT first; RECORD (text naming the jail's cgroup) is kept
 * with it.  *fdp holds the block until jidmap_release.
 */
int	jidmap_alloc(const struct jidmap_pool *, uint32_t want, unsigned hint,
	    const char *record, uint32_t *base, int *fdp, char *err,
	    size_t errlen);
void	jidmap_release(uint32_t base, int fd);
/* Free the block of a dead jail, unless someone holds it again. */
void	jidmap_release_dead(uint32_t base);
/* Free a block that the dead prison PRISON of REGISTRY took but never recorded. */
void	jidmap_release_orphan(const char *registry, int prison);

/* ---- client (client.c) ---- */

/*
 * Connect to the prison of JID; checks that the peer is root in the host's
 * user namespace.
 */
int	jcl_connect(int jid);
/* The prison's pid, for a connection SOCK made by jcl_connect; 0 if unknown. */
pid_t	jcl_peer_pid(int sock);
/*
 * The same for jail_attach and jail_remove: the jail must be registered
 * (and, with ALIVE_ONLY, not dying); anything else is EINVAL, as theirs.
 */
int	jcl_connect_jail(int jid, int alive_only);
/*
 * Send REQ, receive the reply into RBUF and decode it into *REPLY.
 * Returns the reply status (0 or an errno value), or -1 with errno for a
 * transport failure: ENOENT when the prison is gone (it closed the
 * connection, whether or not our request had reached it).  Received fds
 * go to FDS/NFDS when given.  REQ is numbered (jmsg_set_seq) in place,
 * and what comes before its reply (events) is passed over.
 */
/* jcl_call in two halves: send REQ (with FDS) and its number, or 0... */
uint32_t jcl_send(int sock, void *req, size_t reqlen, const int *fds,
	    int nfds);
/* ...and receive the reply to number SEQ. */
int	jcl_reply(int sock, uint32_t seq, void *rbuf, size_t rsize,
	    struct jmsg *reply, int *fds, int *nfds);
int	jcl_call(int sock, void *req, size_t reqlen, void *rbuf,
	    size_t rsize, struct jmsg *reply, int *fds, int *nfds);
/* Start a new prison; returns the connected control socket. */
int	jcl_spawn_prison(void);
/* Copy the reply's errmsg (or strerror of STATUS) into buf. */
void	jcl_errmsg(const struct jmsg *reply, int status, char *buf, size_t len);
/*
 * Jail JID went away under the caller: its prison closed the connection
 * unanswered (jcl_connect or jcl_call failed with ENOENT) or the jail's
 * init died.  Say what happened, from its record RECFD (see
 * jreg_open_record; -1 if none), in FreeBSD's words where it has them;
 * NAME, when not NULL, is how the caller named the jail.  Returns -1 with
 * errno ERR.
 */
int	jcl_lost(int recfd, int jid, const char *name, int err, char *buf,
	    size_t len);

/* ---- jail descriptors (jaildesc.c) ---- */

/* The jid of descriptor FD (and its prison's pid); EINVAL if not one. */
int	jdesc_jid(int fd, pid_t *prison);
/* A private channel to the prison through descriptor FD (jaildesc.c). */
int	jdesc_channel(int fd);
/*
 * A new descriptor of jail JID (of the prison PRISON, if not 0), owning
 * with JAIL_OWN_DESC in FLAGS.
 */
int	jdesc_open(int jid, pid_t prison, int flags, char *err, size_t errlen);
/* Hand SOCK, a marked connection, to the caller as its descriptor. */
int	jdesc_keep(int sock, int flags);

/* ---- processes (peer.c) ---- */

/* Whether the calling process is itself inside a jail (not in the host userns). */
int	jail_caller_jailed(void);
/*
 * Whether the process at the other end of the connected UNIX socket SOCK
 * is outside every jail (in the host's initial user namespace): 1 or 0;
 * -1 with EACCES when the caller may not look into the peer's namespaces
 * (it is not root and the peer is someone else's).
 */
int	jpeer_in_host(int sock);

/* ---- descriptors (fds.c) ---- */

/* Close every descriptor from FROM up except the N in KEEP (-1s ignored). */
void	jfd_close_except(int from, const int *keep, int n);
/* REL below ROOT as an O_PATH fd, never leaving ROOT nor following a
 * symlink (openin.c); FLAGS adds O_DIRECTORY and the like. */
int	jfd_open_in(int root, const char *rel, int flags);

/*
 * The mount point, in BUF, of the first file system of type TYPE in our
 * mount namespace whose super options hold OPT (any, with NULL): 0, or -1
 * if there is none (mountinfo.c).
 */
int	jmountinfo_point(const char *type, const char *opt, char *buf,
	    size_t len);

/* ---- errors ---- */

/*
 * Copy LEN bytes to the caller's DST as copyout(9) would: 0, or -1 with
 * EFAULT when DST cannot be written, instead of a crash.
 */
int	jcopyout(const void *src, void *dst, size_t len);
/* N copies of SRC[i] to DST[i] (equal lengths), in order, in one call if it can. */
struct iovec;
int	jcopyout_v(const struct iovec *src, const struct iovec *dst, unsigned n);

/* Format into buf (may be NULL) and return -1 with errno = ERR. */
int	jerr(char *buf, size_t len, int err, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
/* The same into libjail(3)'s jail_errmsg (<jail.h>). */
#define	jfail(err, ...)	jerr(jail_errmsg, JAIL_ERRMSGLEN, (err), __VA_ARGS__)

#endif
