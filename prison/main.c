/*
 * prison -r REGISTRY: the supervisor of one jail.
 *
 * Started by jail_set(JAIL_CREATE) with its control socket on fd 3, it
 * detaches, reads the CREATE request, registers the jail under the
 * registry lock, builds it, and then serves requests on its socket
 * "<registry>/<jid>.sock" until the jail is removed.  It is alive exactly
 * as long as the jail: its death kills jail init (PR_SET_PDEATHSIG) and
 * with it the jail's pid namespace; the jail's end ends it.
 *
 * This file is the jail's life cycle: its creation, step by step, and its
 * removal.  Serving requests is serve.c's; what they do, ops.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "jail.h"
#include "internal.h"
#include "prison.h"
#include "sys/jail.h"

char **prison_argv;
static struct prison pr;

/* The record's header as P has it, in STATE. */
static void
header_of(const struct prison *p, int state, struct jrec *r)
{
	memset(r, 0, sizeof(*r));
	r->magic = JREC_MAGIC;
	r->jid = p->st.jid;
	r->state = state;
	r->pid = (int32_t)getpid();
	snprintf(r->name, sizeof(r->name), "%s", p->st.name);
	snprintf(r->cgroup, sizeof(r->cgroup), "%s", p->cgpath);
	r->idmap_base = p->idbase;
	r->prison_died = p->prison_died;
	r->uts_dev = p->uts_dev;
	r->uts_ino = p->uts_ino;
}

/*
 * The header, and with it every parameter (what jail_get reads instead of
 * asking us: struct jrec), rewritten between an odd and an even sequence
 * number so that a reader can tell a torn reading.  The number is taken
 * from the file: the guardian, a copy of us from earlier, writes too.
 */
void
record_write(struct prison *p, int state)
{
	static unsigned char params[JPROTO_MAXMSG];
	struct jrec r, old;
	ssize_t len;

	if (pread(p->recfd, &old, sizeof(old), 0) != sizeof(old))
		memset(&old, 0, sizeof(old));
	header_of(p, state, &r);
	if (p->is_guardian) {
		/* Its copy of the parameters may be old: the state only. */
		r.seq = old.seq;
		r.params_len = old.params_len;
		(void)!pwrite(p->recfd, &r, sizeof(r), 0);
		return;
	}
	r.seq = (old.seq + 1) | 1;
	r.params_len = old.params_len;
	(void)!pwrite(p->recfd, &r, sizeof(r), 0);
	len = params_encode(&p->st, params, sizeof(params));
	if (len > 0 && pwrite(p->recfd, params, (size_t)len,
	    JREC_PARAMS_OFF) == len)
		r.params_len = (uint32_t)len;
	else
		r.params_len = 0;	/* jail_get asks us */
	r.seq++;
	(void)!pwrite(p->recfd, &r, sizeof(r), 0);
}

static void __attribute__((noreturn))
fail_create(int fd, const struct jmsg *req, int err, const char *text)
{
	jail_build_done(&pr);
	teardown(&pr);
	reply_err_fd(fd, req, err, text);
	_exit(1);
}

/*
 * Under the registry lock: whether JID has a live record; a dead one is
 * taken away (the next jail may have its jid).  Dead records are
 * otherwise left to whoever lists the jails: looking at every record here
 * would make each new jail cost more than the last.
 */
static int
sweep_one(int regfd, int jid, struct jrec *r)
{
	int dead;

	if (jreg_read_dead(regfd, jid, r, &dead))
		return 1;
	if (dead) {
		r->jid = jid;
		jreg_cleanup_dead(regfd, r);
	}
	return 0;
}

/* Under the registry lock: pick the jid, check the name, write the record. */
static int
reserve(char *err, size_t errlen)
{
	char file[16];
	struct jrec r;
	int lock, jid, rc = -1;

	if ((pr.regfd = jreg_open(1)) < 0)
		return jerr(err, errlen, errno, "jail registry %s: %s",
		    jreg_path(), strerror(errno));
	if ((lock = jreg_lock(pr.regfd)) < 0)
		return jerr(err, errlen, errno, "registry lock: %s",
		    strerror(errno));
	net_record_sweep(pr.regfd);
	if (jreg_names_ready(pr.regfd) < 0) {
		jerr(err, errlen, errno, "registry name index: %s",
		    strerror(errno));
		goto out;
	}
	if (pr.st.jid != 0) {
		if (sweep_one(pr.regfd, pr.st.jid, &r)) {
			jerr(err, errlen, EEXIST, "jail %d already exists",
			    pr.st.jid);
			goto out;
		}
		jid = pr.st.jid;
	} else {
		int last = jreg_lastjid(lock), tries = 0;

		for (jid = last + 1;; jid++, tries++) {
			if (jid > JAIL_MAX)
				jid = 1;
			if (tries >= JAIL_MAX) {
				jerr(err, errlen, EAGAIN, "no available jail IDs");
				goto out;
			}
			snprintf(file, sizeof(file), "%d", jid);
			if (faccessat(pr.regfd, file, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
				break;
		}
	}
	pr.st.jid = jid;
	if (pr.st.name[0] == '\0')
		snprintf(pr.st.name, sizeof(pr.st.name), "%d", jid);
	else if (strspn(pr.st.name, "0123456789") == strlen(pr.st.name)) {
		snprintf(file, sizeof(file), "%d", jid);
		if (strcmp(file, pr.st.name) != 0) {
			jerr(err, errlen, EINVAL,
			    "name cannot be numeric (unless it is the jid)");
			goto out;
		}
	}
	if (jreg_find_name(pr.regfd, pr.st.name, &r) && r.state != JREC_DYING) {
		jerr(err, errlen, EEXIST, "jail \"%s\" already exists", pr.st.name);
		goto out;
	}
	snprintf(file, sizeof(file), "%d", jid);
	pr.recfd = openat(pr.regfd, file, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (pr.recfd < 0) {
		jerr(err, errlen, errno == EEXIST ? EEXIST : errno,
		    "jail %d already exists", jid);
		goto out;
	}
	if (flock(pr.recfd, LOCK_EX) < 0) {
		jerr(err, errlen, errno, "flock: %s", strerror(errno));
		unlinkat(pr.regfd, file, 0);
		close(pr.recfd);
		pr.recfd = -1;
		goto out;
	}
	record_write(&pr, JREC_CREATING);
	jreg_name_add(pr.regfd, pr.st.name, jid);
	jreg_changed(pr.regfd);
	if (pr.st.jid > jreg_lastjid(lock) || jid < jreg_lastjid(lock))
		jreg_set_lastjid(lock, jid);
	rc = 0;
out:
	jreg_unlock(lock);
	return rc;
}

/*
 * A private uid range for the jail, recorded with the name of the cgroup
 * its processes will be in (not made yet), so that whoever finds the
 * range abandoned can first kill what still runs with its ids.
 */
static int
take_ids(char *err, size_t errlen)
{
	struct jidmap_pool pool;
	char record[1024];
	uint32_t base;

	if (strcmp(pr.st.idmap, "private") != 0)
		return 0;
	if (jidmap_pool(pr.pool, &pool, err, errlen) < 0)
		return -1;
	if (pr.st.idmap_base > UINT32_MAX)
		return jerr(err, errlen, EINVAL, "idmap.base %lu: out of range",
		    pr.st.idmap_base);
	snprintf(record, sizeof(record), "jid=%d\nname=%s\nprison=%d\n"
	    "registry=%s\ncgroup=%s\n", pr.st.jid, pr.st.name, (int)getpid(),
	    jreg_path(), pr.cgpath);
	if (jidmap_alloc(&pool, (uint32_t)pr.st.idmap_base,
	    (unsigned)pr.st.jid - 1, record, &base, &pr.idmapfd, err,
	    errlen) < 0)
		return -1;
	pr.idbase = base;
	pr.st.idmap_base = base;
	return 0;
}

static int
bind_socket(char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char name[24];

	jreg_sockname(pr.st.jid, name, sizeof(name));
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s",
	    jreg_path(), name) >= sizeof(sun.sun_path))
		return jerr(err, errlen, ENAMETOOLONG, "registry path too long");
	pr.listenfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0);
	if (pr.listenfd < 0)
		return jerr(err, errlen, errno, "socket: %s", strerror(errno));
	unlinkat(pr.regfd, name, 0);
	if (bind(pr.listenfd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    fchmodat(pr.regfd, name, 0666, 0) < 0 ||
	    listen(pr.listenfd, 128) < 0)
		return jerr(err, errlen, errno, "%s: %s", sun.sun_path,
		    strerror(errno));
	return 0;
}

static void
reply_created(int fd, const struct jmsg *req)
{
	struct jmsg_buf *b = reply_start(req, 0);

	jmsg_add_int(b, "jid", pr.st.jid);
	/* Who we are: a descriptor asked for next must be ours (jaildesc.c). */
	jmsg_add_int(b, "pid", (int)getpid());
	reply_send_fd(fd, b, NULL, 0);
}

/* The jail's cgroup's inode: FreeBSD's cpuset.id has no better match. */
static void
note_cpuset(void)
{
	struct stat sb;

	pr.st.cpuset_id = fstat(pr.cgfd, &sb) == 0 ? (int)sb.st_ino : 0;
}

/*
 * Every step that leaves something on the host is recorded before it is
 * made (DESIGN.md §10): a crash at any crash_point leaves what the next
 * sweep can find and take away.
 */
static void
create(int fd)
{
	static unsigned char buf[JPROTO_MAXMSG];
	static struct jmsg req;
	char err[JAIL_ERRMSGLEN] = "";
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, 30000) <= 0)
		_exit(1);
	n = jmsg_recv(fd, buf, sizeof(buf), NULL, NULL);
	if (n <= 0 || jmsg_decode(buf, (size_t)n, &req) < 0)
		memset(&req, 0, sizeof(req));
	if (req.h.type != JM_CREATE) {
		reply_err_fd(fd, &req, EINVAL, "bad create request");
		_exit(1);
	}
	jstate_defaults(&pr.st);
	pr.st.jid = 0;
	if (params_apply(&pr.st, &req, 1, err, sizeof(err)) < 0)
		fail_create(fd, &req, errno, err);
	pr.own_pending = (req.h.flags & JM_F_OWN) != 0;
	if (!pr.st.persist && !(req.h.flags & (JAIL_ATTACH | JM_F_HOLD)))
		fail_create(fd, &req, EINVAL, "new jail must persist or attach");
	if (reserve(err, sizeof(err)) < 0)
		fail_create(fd, &req, errno, err);
	crash_point("reserved");
	if (cgroup_name(&pr, err, sizeof(err)) < 0 ||
	    take_ids(err, sizeof(err)) < 0)
		fail_create(fd, &req, errno, err);
	crash_point("ids");
	record_write(&pr, JREC_CREATING);
	crash_point("recorded");
	if (cgroup_create(&pr, err, sizeof(err)) < 0)
		fail_create(fd, &req, errno, err);
	crash_point("cgroup");
	note_cpuset();
	record_write(&pr, JREC_CREATING);
	if (policy_build(&pr.st, pr.regfd, &pr.policy, &pr.policylen, err,
	    sizeof(err)) < 0)
		fail_create(fd, &req, errno, err);
	if (jail_build(&pr, err, sizeof(err)) < 0 ||
	    uts_join(&pr, err, sizeof(err)) < 0)
		fail_create(fd, &req, errno, err);
	crash_point("built");
	if (snapshot_write(&pr, err, sizeof(err)) < 0)
		fail_create(fd, &req, errno, err);
	/* What outlives the jail's namespace needs the guardian first. */
	if (net_needs_guardian(&pr.st))
		guardian_start(&pr);
	if (pr.netnsfd >= 0 && net_build(&pr, pr.netnsfd, err,
	    sizeof(err)) < 0)
		fail_create(fd, &req, errno, err);
	if (net_vnet_in(&pr, err, sizeof(err)) < 0)
		fail_create(fd, &req, errno, err);
	if (bind_socket(err, sizeof(err)) < 0)
		fail_create(fd, &req, errno, err);
	jail_build_done(&pr);
	crash_point("socket");
	record_write(&pr, JREC_ALIVE);
	crash_point("alive");
	reply_created(fd, &req);
}

/*
 * Remove the jail.  jail_remove(2) is answered once everything is gone;
 * a jail_set(2) that cleared persist on an empty jail is answered as soon
 * as the jail is dying (as FreeBSD's), and the teardown follows.  C and
 * REQ are whom to answer, if anyone.
 */
void
prison_remove(struct prison *p, struct conn *c, const struct jmsg *req,
    int answer_first)
{
	p->st.dying = 1;
	record_write(p, JREC_DYING);
	crash_point("dying");
	/* Descriptors and waiting clients see the end at once (POLLHUP). */
	conns_post(NOTE_JAIL_REMOVE, 0);
	conns_close_except(c);
	if (c != NULL && answer_first) {
		reply_jid(c, req);
		conn_close(c);
		c = NULL;
	}
	teardown(p);
	if (c != NULL)
		reply_jid(c, req);
	_exit(0);
}

/* A jail without persist ends with its last process and its last holder. */
void
maybe_remove(struct prison *p)
{
	if (!p->st.persist && !conns_hold(NULL) && !cgroup_populated(p))
		prison_remove(p, NULL, NULL, 0);
}

int
main(int argc, char **argv)
{
	pid_t pid;
	int opt;

	prison_argv = argv;
	while ((opt = getopt(argc, argv, "p:r:")) != -1) {
		if (opt == 'p')
			pr.pool = optarg;
		else if (opt == 'r' && optarg[0] == '/')
			setenv("JAIL_REGISTRY", optarg, 1);
		else
			_exit(2);
	}
	if (fcntl(3, F_GETFD) < 0)
		_exit(2);
	fcntl(3, F_SETFD, FD_CLOEXEC);
	signal(SIGPIPE, SIG_IGN);
	umask(022);
	/* A descriptor is a connection: room for MAXCONN of them. */
	{
		struct rlimit rl;

		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 8192) {
			rl.rlim_cur = rl.rlim_max < 8192 ? rl.rlim_max : 8192;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	if (chdir("/") < 0)
		_exit(1);
	/*
	 * Detach: the caller reaps our first half at once.  A caller that
	 * started us detached already (lib/client.c) says so.
	 */
	if (getenv("JAIL_PRISON_DETACHED") != NULL)
		unsetenv("JAIL_PRISON_DETACHED");
	else if ((pid = fork()) < 0)
		_exit(1);
	else if (pid > 0)
		_exit(0);
	pr.regfd = pr.recfd = pr.cgfd = pr.cgjailfd = pr.cgevfd = -1;
	pr.idmapfd = -1;
	pr.listenfd = pr.initfd = pr.netnsfd = -1;
	pr.held_ns[0] = pr.held_ns[1] = pr.held_ns[2] = -1;
	pr.snapfd = -1;
	create(3);
	serve(&pr, 3);
}
