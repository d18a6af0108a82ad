/*
 * The prison: one process per jail that builds it, holds it and answers
 * for it.  See DESIGN.md §2.
 */
#ifndef PRISON_H
#define PRISON_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>

#include "param.h"
#include "policy.h"
#include "proto.h"

/* The overlay work directories a jail made (overlay.c), one a line. */
#define	JAIL_OVLWORK_MAX	1024

struct prison {
	struct jstate		 st;
	int			 regfd;		/* registry directory */
	int			 recfd;		/* our record, flocked */
	char			 cgpath[512];	/* <cgroup2>/jail/<jid>.<random>.<pid> */
	int			 cgfd;		/* the jail's cgroup */
	int			 cgjailfd;	/* cgpath/jail: its processes */
	int			 cgevfd;	/* cgpath/jail/cgroup.events */
	pid_t			 init;		/* jail init, our child */
	pid_t			 holder;	/* killed, to be reaped (build.c) */
	int			 initfd;	/* its pidfd */
	struct jail_policy	*policy;
	size_t			 policylen;
	int			 listenfd;
	int			 registered;	/* record written and ready */
	uint32_t		 idbase;	/* host id of jail id 0; 0: identity */
	int			 idmapfd;	/* holds the range (idmap.c) */
	const char		*pool;		/* -p START:COUNT, or NULL */
	pid_t			 guardian;	/* see teardown.c */
	int			 prison_died;	/* the guardian's finding */
	int			 own_pending;	/* JM_F_OWN: the creator owns it */
	unsigned		 hostif;	/* host end of the veth (net.c) */
	int			 netnsfd;	/* the jail's network, for vnet.interface */
	unsigned		 vnet_ifindex[JAIL_VNET_IFMAX];	/* moved in */
	char			 vnet_name[JAIL_VNET_IFMAX][16];
	unsigned		 n_vnet;
	int			 is_guardian;	/* this is the guardian's copy */
	/* The jail's UTS namespace, which we stay in (ops.c uts_join). */
	uint64_t		 uts_dev;
	uint64_t		 uts_ino;
	int			 held_ns[3];	/* see ops.c hold_ns */
	int			 snapfd;	/* the jail's /dev/jail (snapshot.c) */
	char			 ovlwork[JAIL_OVLWORK_MAX];	/* overlay.c */
};

/* Default limits of every jail (jail(8), LIMITS). */
#define	JAIL_MAXPROC	4096	/* processes and threads, all users */
#define	JAIL_MAXPTY	256	/* ptys of its devpts */

/* main.c: our argv, renamed to "init" in jail init. */
extern char **prison_argv;

/* params.c: apply a CREATE or UPDATE request to a copy of the state. */
int	params_apply(struct jstate *st, const struct jmsg *m, int creating,
	    char *err, size_t errlen);
/* Whether a change to ST needs a new policy / network reconfiguration. */
int	params_check_combination(const struct jstate *st, char *err,
	    size_t errlen);
/*
 * Every parameter, as a GET of all of them is answered, into BUF (what
 * the registry record keeps, for jail_get): the length, or -1.
 */
ssize_t	params_encode(const struct jstate *st, void *buf, size_t size);
/* Encode the value of parameter NAME (as a jail_get reply item). */
void	params_get(const struct jstate *st, const char *name,
	    struct jmsg_buf *b);

/*
 * policy.c: compute the policy of a jail (caps, seccomp program); compiled
 * programs are cached in the directory CACHEFD (-1: no cache).
 */
int	policy_build(const struct jstate *st, int cachefd,
	    struct jail_policy **out, size_t *outlen, char *err, size_t errlen);
/*
 * The policy compiled by libseccomp, with COMPACT its program made shorter
 * (compact.c); policy_build uses it so.  Exposed for the tests.
 */
int	policy_compile(const struct jstate *st, int compact,
	    struct jail_policy **out, size_t *outlen, char *err, size_t errlen);
/*
 * compact.c: the seccomp program IN of N instructions decided by ranges of
 * system call numbers, into OUT (room for MAX): its length, or -1 when it
 * cannot be made shorter (OUT is then not to be used).
 */
int	policy_compact(const struct sock_filter *in, int n,
	    struct sock_filter *out, int max);
/* Write the program's rules as libseccomp's pseudo code to FD (tests). */
int	policy_pfc(const struct jstate *st, int fd, char *err, size_t errlen);

/* cgroup.c: the name first, recorded before the cgroup is made. */
int	cgroup_name(struct prison *pr, char *err, size_t errlen);
int	cgroup_create(struct prison *pr, char *err, size_t errlen);
int	cgroup_populated(struct prison *pr);
/*
 * The pids of the jail's processes but its init (cgroup.procs of its
 * "jail" child), sorted, in *PIDS (to be freed): their number, or -1.
 */
int	cgroup_procs(struct prison *pr, pid_t **pids);

/*
 * crash.c: die here (SIGKILL) if the environment's JAIL_CRASH_AT names
 * STEP: the tests' fault injection, one case per step of create and
 * remove.  A no-op otherwise.  In the holder or jail init it kills that
 * process, not the prison.  crash_other kills the process of PIDFD
 * instead, and returns once it has exited.
 */
void	crash_point(const char *step);
void	crash_other(const char *step, int pidfd);

/* main.c: write the registry record in STATE (enum jrec_state). */
void	record_write(struct prison *pr, int state);

/*
 * The jail's life cycle (main.c) and the requests that serve it.
 */
struct conn;	/* a client's connection (serve.c) */

/* What the event loop waits on: each begins with what to do when ready. */
struct source {
	void	(*ready)(struct source *, uint32_t events);
};
void	serve_watch(int fd, uint32_t events, struct source *s);
void	serve_unwatch(int fd);

/*
 * main.c: remove the jail and exit; answer C's request REQ (if C is not
 * NULL) once it is gone, or with ANSWER_FIRST as soon as it is dying.
 */
void	prison_remove(struct prison *pr, struct conn *c,
	    const struct jmsg *req, int answer_first)
	    __attribute__((noreturn));
/* Remove a jail that nothing keeps (persist, a holder, a process). */
void	maybe_remove(struct prison *pr);

/* serve.c: the event loop, from the creator's connection CREATORFD on. */
void	serve(struct prison *pr, int creatorfd) __attribute__((noreturn));
/* Whether a connection other than EXCEPT holds the jail (needs no persist). */
int	conns_hold(const struct conn *except);
void	conn_release(struct conn *c);
/*
 * Close every client's connection but KEEP's (NULL: all): they see the
 * jail's end as POLLHUP.  conn_close closes one.
 */
void	conns_close_except(const struct conn *keep);
void	conn_close(struct conn *c);
/* The pid of C's peer when it connected (its creator, for a channel). */
pid_t	conn_pid(const struct conn *c);
int	conn_fd(const struct conn *c);
/*
 * Keep C (a channel, otherwise closed after its one request) for OWNER;
 * GONE(OWNER) is called if it closes.  Until it is let go, C takes only
 * requests of type TAKES (0: none).  conn_done closes it, quietly;
 * conn_unkeep lets it go: a channel is closed, a connection serves on.
 */
void	conn_keep(struct conn *c, void *owner, void (*gone)(void *owner),
	    int takes);
void	*conn_owner(const struct conn *c);
void	conn_done(struct conn *c);
void	conn_unkeep(struct conn *c);
/* Take up to MAX of the descriptors that came with the request at hand. */
int	req_take_fds(int *fds, int max);
/* EVENT (NOTE_JAIL_*) happened, about DATA: tell who watches for it. */
void	conns_post(uint32_t event, int64_t data);
/*
 * Answers: start one to REQ with STATUS, add items, send it (never
 * blocking; a client that does not read loses it).  The _fd forms are for
 * the create request, before the creator is a client.
 */
struct jmsg_buf *reply_start(const struct jmsg *req, int status);
void	reply_send(struct conn *c, struct jmsg_buf *b, const int *fds,
	    int nfds);
void	reply_send_fd(int fd, struct jmsg_buf *b, const int *fds, int nfds);
void	reply_err(struct conn *c, const struct jmsg *req, int err,
	    const char *text);
void	reply_err_fd(int fd, const struct jmsg *req, int err,
	    const char *text);
void	reply_jid(struct conn *c, const struct jmsg *req);

/*
 * ops.c: the table of requests; what each needs of its client (the
 * creator's credential, for a descriptor) and of a descriptor's rights.
 * A handler answers, and returns 0 when it did what was asked.
 */
enum op_need {
	OP_ANY,		/* any client (none from inside a jail gets here) */
	OP_ROOT,	/* root outside every jail */
};
struct op {
	int		 type;		/* enum jmsg_type */
	enum op_need	 need;
	unsigned	 right;		/* JAILDESC_*, or 0 */
	int		(*fn)(struct prison *, struct conn *,
			    const struct jmsg *);
};
const struct op *op_find(int type);
/*
 * ops.c: enter the jail's UTS namespace for good (host=new), so that
 * reading and setting its names need no child.
 */
int	uts_join(struct prison *pr, char *err, size_t errlen);
/* spawn.c: a command started for a descriptor's holder; its signals. */
int	op_spawn(struct prison *pr, struct conn *c, const struct jmsg *req);
int	op_signal(struct prison *pr, struct conn *c, const struct jmsg *req);
/* update.c: jail_set on the live jail, all of it or nothing. */
int	op_update(struct prison *pr, struct conn *c, const struct jmsg *req);
/*
 * stop.c: SIGTERM to the jail's processes, answered once they are gone
 * or the time is up (JM_TERM); stop_poll answers the waiters when the
 * jail has emptied, looked at before each round of the loop.
 */
int	op_term(struct prison *pr, struct conn *c, const struct jmsg *req);
void	stop_poll(struct prison *pr);

/*
 * teardown.c: end the jail (kill, remove, release), in bounded time; what
 * cannot be done at once is left to the guardian, which guardian_start
 * forks (once) to finish the work if the prison dies first.
 */
void	teardown(struct prison *pr);
void	guardian_start(struct prison *pr);

/* rootfs.c: the jail's tree, built in jail init before it enters the jail. */
struct rootfs {
	const char	*path;
	int		 userns;	/* idmap through it; -1: identity */
	uint32_t	 idbase;
	int		 masks;		/* tmpfs holding the empty "d" and "f" */
	int		 whole_host;	/* path is the host's / */
	int		 mqueue;	/* own IPC namespace: /dev/mqueue */
	char		 hidden[JAIL_HIDDEN_MAX];
	int		 snapfd;	/* /dev/jail, writable; -1: none */
	int		 jid;
	char		 ovlwork[JAIL_OVLWORK_MAX];	/* overlay.c */
	char		*err;
	size_t		 errlen;
};
int	rootfs_build(struct rootfs *);
void	rootfs_hide(struct rootfs *, const char *rel);
void	rootfs_unescape(char *);

/*
 * devbinds.c: the mounts under path/dev, which the jail's own /dev
 * covers, carried into it at the same places.  devbinds_find lists them
 * (path's tree at ORIG, named CANON in mountinfo) before the /dev tmpfs
 * exists, refusing device nodes and the jail's own entries;
 * devbinds_prepare makes their mount points in the detached tmpfs DEV
 * before it is idmapped; devbinds_attach mounts them once DEV is in
 * place; devbinds_free closes what is left.
 */
struct devbind;
struct devbinds {
	struct devbind	*v;
	size_t		 n;
};
int	devbinds_find(struct rootfs *, int orig, const char *canon,
	    struct devbinds *);
int	devbinds_prepare(struct rootfs *, int dev, struct devbinds *);
int	devbinds_attach(struct rootfs *, int dev, struct devbinds *);
void	devbinds_free(struct devbinds *);
/* Paths below the tree are resolved with jfd_open_in (lib/openin.c). */

/*
 * overlay.c: a new overlay like overlay mount MNTID, of idmapped layers,
 * rooted where REAL (a path on that mount; NULL: its mount point) lies;
 * a detached mount, or -1.  Each work directory made for it is noted in
 * c->ovlwork, a list that overlay_cleanup removes (and empties) once the
 * jail is gone.
 */
int	overlay_clone(struct rootfs *c, int mntid, const char *real);
void	overlay_cleanup(char *list);

/*
 * snapshot.c: publish in the jail's /dev/jail what its processes may
 * read of it (lib/jsysctl.h), at creation and after each change.
 */
int	snapshot_write(struct prison *pr, char *err, size_t errlen);

/*
 * build.c: create the namespaces, the root file system and jail init.
 * jail_build_done reaps the helper that made the namespaces, killed by
 * then (no-op if there is none).
 */
int	jail_build(struct prison *pr, char *err, size_t errlen);
void	jail_build_done(struct prison *pr);

/*
 * nl.c: rtnetlink through libmnl.  nl_start begins a request (header
 * HDR of HDRLEN bytes after the netlink header) in the fixed buffer; the
 * nl_put calls add attributes, never past the buffer (a request that
 * would not fit fails in nl_talk with EMSGSIZE); nl_talk sends it and
 * waits for the acknowledgement (0, or -1 with the kernel's errno).
 */
struct mnl_socket;
struct nlattr;
struct nlmsghdr;
struct nl {
	struct mnl_socket	*sock;
	unsigned		 portid, seq;
	int			 overflow;
	char			 buf[8192];
};
int	nl_open(struct nl *);
void	nl_close(struct nl *);
struct nlmsghdr *nl_start(struct nl *, uint16_t type, uint16_t flags,
	    const void *hdr, size_t hdrlen);
void	nl_put(struct nl *, uint16_t type, const void *data, size_t len);
void	nl_put_u32(struct nl *, uint16_t type, uint32_t v);
void	nl_put_str(struct nl *, uint16_t type, const char *s);
void	nl_put_raw(struct nl *, const void *data, size_t len);
struct nlattr *nl_nest(struct nl *, uint16_t type);
void	nl_nest_end(struct nl *, struct nlattr *);
int	nl_talk(struct nl *);
int	nl_talk_cb(struct nl *, int (*cb)(const struct nlmsghdr *, void *),
	    void *arg);

/*
 * net.c: the jail's network.  net_build makes it in the namespace NSFD
 * (loopback up; for ip4 or ip6 new, the veth pair, its routes, filter and
 * addresses); net_update makes OLD's addresses NEW's, all or none;
 * net_destroy removes the pair at once.
 */
int	net_wanted(const struct jstate *st);
void	net_host_ifname(int jid, char *buf, size_t len);
int	net_build(struct prison *pr, int nsfd, char *err, size_t errlen);
int	net_update(struct prison *pr, const struct jstate *old,
	    const struct jstate *new, char *err, size_t errlen);
void	net_destroy(struct prison *pr);
int	net_neigh(struct nl *nl, int op, unsigned ifindex, int family,
	    const void *a, const unsigned char *mac, uint8_t flags);
int	net_link_move(struct nl *nl, unsigned ifindex, int nsfd,
	    const char *name);
int	net_sysctl(const char *proto, const char *ifname, const char *key,
	    const char *val);

/*
 * netif.c: host interfaces a jail uses.  interface= and IF|addr publish
 * jail addresses on a host interface with proxy ARP/NDP entries, written
 * to the registry ("<jid>.net") before they are made, so that the
 * guardian removes them whatever happens to the prison; vnet.interface
 * moves host interfaces into the jail and back.
 */
int	net_proxy_wanted(const struct jstate *st, int family, unsigned idx);
const char *net_proxy_ifname(const struct jstate *st, int family,
	    unsigned idx);
int	net_proxy_step(struct nl *nl, const struct jstate *st, int family,
	    unsigned idx, int add);
/* Drop the IF|ADDR entries of addresses the jail no longer has. */
void	net_proxy_prune(struct jstate *st);
/* Check the interface parameter against the jail's addresses. */
int	net_proxy_check(const struct jstate *st, char *err, size_t errlen);
/*
 * Record the proxy entries of A and B (either may be NULL) and the
 * interfaces moved in; undo a record (NSFD: the jail's namespace, -1 if
 * gone) and remove it; undo the records of dead jails (registry lock held).
 */
int	net_record(struct prison *pr, const struct jstate *a,
	    const struct jstate *b, char *err, size_t errlen);
void	net_record_undo(int regfd, int jid, int nsfd);
void	net_record_sweep(int regfd);
int	net_vnet_check(const struct jstate *st, char *err, size_t errlen);
int	net_vnet_in(struct prison *pr, char *err, size_t errlen);
/* Whether the jail holds host state that must outlive the prison. */
int	net_needs_guardian(const struct jstate *st);

#endif
