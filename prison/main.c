/*
 * prison -r REGISTRY: the supervisor of one jail.
 *
 * Started by jail_set(JAIL_CREATE) with its control socket on fd 3, it
 * detaches, reads the CREATE request, registers the jail under the
 * registry lock, builds it, and then serves requests on its socket
 * "<registry>/<jid>.sock" until the jail is removed.  It is alive exactly
 * as long as the jail: its death kills jail init (PR_SET_PDEATHSIG) and
 * with it the jail's pid namespace; the jail's end ends it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "jail.h"
#include "internal.h"
#include "prison.h"
#include "sys/jail.h"

#define	MAXCONN		4096
#define	MAXCONN_USER	64	/* per non-root uid: root always gets in */

struct conn {
	int	fd;
	uid_t	uid;
	int	host;		/* the peer is not inside any jail */
	int	creator;	/* the connection that created the jail */
};

char **prison_argv;
static struct prison pr;
static struct conn conns[MAXCONN];
static int nconns, epfd = -1;
static unsigned char rbuf[JPROTO_MAXMSG], sbuf[JPROTO_MAXMSG];
static struct jmsg msg;

static void
reply_err(int fd, int err, const char *text)
{
	struct jmsg_buf b;

	jmsg_start(&b, sbuf, sizeof(sbuf), JM_REPLY, 0, err);
	if (text != NULL && text[0] != '\0')
		jmsg_add_str(&b, "errmsg", text);
	if (jmsg_finish(&b) > 0)
		send(fd, sbuf, b.len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void
reply_jid(int fd)
{
	struct jmsg_buf b;

	jmsg_start(&b, sbuf, sizeof(sbuf), JM_REPLY, 0, 0);
	jmsg_add_int(&b, "jid", pr.st.jid);
	if (jmsg_finish(&b) > 0)
		send(fd, sbuf, b.len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

void
record_write(struct prison *p, int state)
{
	struct jrec r;

	memset(&r, 0, sizeof(r));
	r.magic = JREC_MAGIC;
	r.jid = p->st.jid;
	r.state = state;
	r.pid = (int32_t)getpid();
	snprintf(r.name, sizeof(r.name), "%s", p->st.name);
	snprintf(r.cgroup, sizeof(r.cgroup), "%s", p->cgpath);
	r.idmap_base = p->idbase;
	r.prison_died = p->prison_died;
	(void)!pwrite(p->recfd, &r, sizeof(r), 0);
}

static void __attribute__((noreturn))
fail_create(int fd, int err, const char *text)
{
	teardown(&pr);
	reply_err(fd, err, text);
	_exit(1);
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
	jreg_sweep_locked(pr.regfd);
	if (pr.st.jid != 0) {
		if (jreg_read(pr.regfd, pr.st.jid, &r)) {
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
		goto out;
	}
	record_write(&pr, JREC_CREATING);
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
create(int fd)
{
	char err[JAIL_ERRMSGLEN] = "";
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, 30000) <= 0)
		_exit(1);
	n = jmsg_recv(fd, rbuf, sizeof(rbuf), NULL, NULL);
	if (n <= 0 || jmsg_decode(rbuf, (size_t)n, &msg) < 0 ||
	    msg.h.type != JM_CREATE) {
		reply_err(fd, EINVAL, "bad create request");
		_exit(1);
	}
	jstate_defaults(&pr.st);
	pr.st.jid = 0;
	if (params_apply(&pr.st, &msg, 1, err, sizeof(err)) < 0)
		fail_create(fd, errno, err);
	if (!pr.st.persist && !(msg.h.flags & (JAIL_ATTACH | JM_F_HOLD)))
		fail_create(fd, EINVAL, "new jail must persist or attach");
	if (reserve(err, sizeof(err)) < 0)
		fail_create(fd, errno, err);
	crash_point("reserved");
	if (cgroup_name(&pr, err, sizeof(err)) < 0 ||
	    take_ids(err, sizeof(err)) < 0)
		fail_create(fd, errno, err);
	crash_point("ids");
	record_write(&pr, JREC_CREATING);
	crash_point("recorded");
	if (cgroup_create(&pr, err, sizeof(err)) < 0)
		fail_create(fd, errno, err);
	crash_point("cgroup");
	pr.st.cpuset_id = 0;
	{
		struct stat sb;

		if (fstat(pr.cgfd, &sb) == 0)
			pr.st.cpuset_id = (int)sb.st_ino;
	}
	record_write(&pr, JREC_CREATING);
	if (policy_build(&pr.st, pr.regfd, &pr.policy, &pr.policylen, err, sizeof(err)) < 0)
		fail_create(fd, errno, err);
	if (jail_build(&pr, err, sizeof(err)) < 0)
		fail_create(fd, errno, err);
	crash_point("built");
	if (bind_socket(err, sizeof(err)) < 0)
		fail_create(fd, errno, err);
	crash_point("socket");
	record_write(&pr, JREC_ALIVE);
	crash_point("alive");
	reply_jid(fd);
}

static void
add_conn(int fd, int creator)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct ucred cred;
	socklen_t cl = sizeof(cred);

	if (nconns >= MAXCONN ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0) {
		close(fd);
		return;
	}
	if (cred.uid != 0) {
		int mine = 0;

		for (int i = 0; i < nconns; i++)
			mine += conns[i].uid == cred.uid;
		if (mine >= MAXCONN_USER || nconns >= MAXCONN - MAXCONN_USER) {
			close(fd);
			return;
		}
	}
	conns[nconns].fd = fd;
	conns[nconns].uid = cred.uid;
	/* The pidfd check, not the pid: a jailed peer may be gone by now. */
	conns[nconns].host = jpeer_in_host(fd) == 1;
	conns[nconns].creator = creator;
	ev.data.u32 = (uint32_t)nconns + 16;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(fd);
		return;
	}
	nconns++;
}

static void
drop_conn(int i)
{
	struct epoll_event ev;

	close(conns[i].fd);
	nconns--;
	if (i != nconns) {
		conns[i] = conns[nconns];
		ev.events = EPOLLIN;
		ev.data.u32 = (uint32_t)i + 16;
		epoll_ctl(epfd, EPOLL_CTL_MOD, conns[i].fd, &ev);
	}
}

/*
 * Remove the jail.  jail_remove(2) is answered once everything is gone;
 * a jail_set(2) that cleared persist on an empty jail is answered as soon
 * as the jail is dying (as FreeBSD's), and the teardown follows.
 */
static void __attribute__((noreturn))
remove_jail(int replyfd, int answer_first)
{
	pr.st.dying = 1;
	record_write(&pr, JREC_DYING);
	crash_point("dying");
	if (replyfd >= 0 && answer_first) {
		reply_jid(replyfd);
		replyfd = -1;
	}
	teardown(&pr);
	if (replyfd >= 0)
		reply_jid(replyfd);
	for (int i = 0; i < nconns; i++)
		close(conns[i].fd);
	_exit(0);
}

static int
creator_holds(void)
{
	for (int i = 0; i < nconns; i++)
		if (conns[i].creator)
			return 1;
	return 0;
}

static void
maybe_remove(void)
{
	if (!pr.st.persist && !creator_holds() && !cgroup_populated(&pr))
		remove_jail(-1, 0);
}

/* Run FN in a child that has joined the jail's namespaces NS. */
static int
in_jail(int ns, int (*fn)(const struct jstate *, char *, size_t),
    const struct jstate *st, char *err, size_t errlen)
{
	int p[2], status;
	pid_t pid;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0)
		return jerr(err, errlen, errno, "pipe: %s", strerror(errno));
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return jerr(err, errlen, errno, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		char e[256] = "";

		close(p[0]);
		if (setns(pr.initfd, ns) < 0 || fn(st, e, sizeof(e)) < 0) {
			if (e[0] == '\0')
				snprintf(e, sizeof(e), "%s", strerror(errno));
			(void)!write(p[1], e, strlen(e) + 1);
			_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], err, errlen > 0 ? errlen - 1 : 0);
	close(p[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (n > 0)
			err[n] = '\0';
		errno = EPERM;
		return -1;
	}
	return 0;
}

static const struct jstate *old_for_net;

static int
replace_addrs(const struct jstate *st, char *err, size_t errlen)
{
	return net_replace(old_for_net, st, err, errlen);
}

static int
set_uts(const struct jstate *st, char *err, size_t errlen)
{
	if (sethostname(st->hostname, strlen(st->hostname)) < 0 ||
	    setdomainname(st->domainname, strlen(st->domainname)) < 0)
		return jerr(err, errlen, errno, "sethostname: %s", strerror(errno));
	return 0;
}

static void
update(int fd)
{
	char err[JAIL_ERRMSGLEN] = "";
	struct jstate *nst = malloc(sizeof(*nst));
	struct jail_policy *np = NULL;
	size_t nplen = 0;
	struct jrec r;
	int lock;

	if (nst == NULL) {
		reply_err(fd, ENOMEM, NULL);
		return;
	}
	*nst = pr.st;
	if (params_apply(nst, &msg, 0, err, sizeof(err)) < 0) {
		reply_err(fd, errno, err);
		goto out;
	}
	if (nst->n_ip4 != pr.st.n_ip4 || nst->n_ip6 != pr.st.n_ip6 ||
	    memcmp(nst->ip4_addr, pr.st.ip4_addr, sizeof(nst->ip4_addr)) != 0 ||
	    memcmp(nst->ip6_addr, pr.st.ip6_addr, sizeof(nst->ip6_addr)) != 0) {
		/* New addresses on the jail's loopback, in its own netns. */
		old_for_net = &pr.st;
		if (in_jail(CLONE_NEWNET, replace_addrs, nst, err,
		    sizeof(err)) < 0) {
			reply_err(fd, errno, err);
			goto out;
		}
	}
	if (nst->allow != pr.st.allow || nst->enforce_statfs != pr.st.enforce_statfs) {
		if (policy_build(nst, pr.regfd, &np, &nplen, err, sizeof(err)) < 0) {
			reply_err(fd, errno, err);
			goto out;
		}
	}
	if (strcmp(nst->name, pr.st.name) != 0) {
		lock = jreg_lock(pr.regfd);
		if (strspn(nst->name, "0123456789") == strlen(nst->name) &&
		    atoi(nst->name) != pr.st.jid) {
			jreg_unlock(lock);
			reply_err(fd, EINVAL,
			    "name cannot be numeric (unless it is the jid)");
			goto out;
		}
		if (jreg_find_name(pr.regfd, nst->name, &r) && r.jid != pr.st.jid &&
		    r.state != JREC_DYING) {
			jreg_unlock(lock);
			snprintf(err, sizeof(err), "jail \"%s\" already exists",
			    nst->name);
			reply_err(fd, EEXIST, err);
			goto out;
		}
		pr.st.name[0] = '\0';
		snprintf(pr.st.name, sizeof(pr.st.name), "%s", nst->name);
		record_write(&pr, JREC_ALIVE);
		jreg_unlock(lock);
	}
	if (nst->host == JAIL_SYS_NEW && (strcmp(nst->hostname, pr.st.hostname) ||
	    strcmp(nst->domainname, pr.st.domainname))) {
		if (in_jail(CLONE_NEWUTS, set_uts, nst, err, sizeof(err)) < 0) {
			reply_err(fd, errno, err);
			goto out;
		}
	}
	pr.st = *nst;
	if (np != NULL) {
		free(pr.policy);
		pr.policy = np;
		pr.policylen = nplen;
		np = NULL;
	}
	/* Clearing persist on an empty jail removes it before we answer. */
	if (!pr.st.persist && !cgroup_populated(&pr)) {
		int creator_only = 1;

		for (int i = 0; i < nconns; i++)
			if (conns[i].creator && conns[i].fd != fd)
				creator_only = 0;
		if (creator_only)
			remove_jail(fd, 1);
	}
	reply_jid(fd);
out:
	free(np);
	free(nst);
}

/*
 * Jailed root may set its host name (allow.set_hostname), and on FreeBSD
 * that is the jail's host.hostname.  So when asked, read the names from
 * the jail's UTS namespace, through a child that joins only that.
 */
static void
refresh_uts(void)
{
	struct utsname u;
	int p[2];
	pid_t pid;

	if (pr.st.host != JAIL_SYS_NEW || pipe2(p, O_CLOEXEC) < 0)
		return;
	if ((pid = fork()) == 0) {
		close(p[0]);
		if (setns(pr.initfd, CLONE_NEWUTS) == 0 && uname(&u) == 0)
			(void)!write(p[1], &u, sizeof(u));
		_exit(0);
	}
	close(p[1]);
	if (pid > 0 && read(p[0], &u, sizeof(u)) == sizeof(u)) {
		snprintf(pr.st.hostname, sizeof(pr.st.hostname), "%s", u.nodename);
		snprintf(pr.st.domainname, sizeof(pr.st.domainname), "%s",
		    strcmp(u.domainname, "(none)") == 0 ? "" : u.domainname);
	}
	close(p[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void
get(int fd)
{
	struct jmsg_buf b;

	for (unsigned i = 0; i < msg.n; i++)
		if (strcmp(msg.item[i].name, "host.hostname") == 0 ||
		    strcmp(msg.item[i].name, "host.domainname") == 0) {
			refresh_uts();
			break;
		}

	jmsg_start(&b, sbuf, sizeof(sbuf), JM_REPLY, 0, 0);
	for (unsigned i = 0; i < msg.n; i++)
		params_get(&pr.st, msg.item[i].name, &b);
	if (jmsg_finish(&b) < 0) {
		reply_err(fd, EMSGSIZE, "reply too large");
		return;
	}
	send(fd, sbuf, b.len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void
attach_reply(int fd)
{
	struct jmsg_buf b;
	int fds[2] = { pr.initfd, pr.cgjailfd };

	jmsg_start(&b, sbuf, sizeof(sbuf), JM_REPLY, 0, 0);
	jmsg_add_int(&b, "jid", pr.st.jid);
	jmsg_add(&b, "policy", pr.policy, pr.policylen, 0);
	if (jmsg_finish(&b) < 0) {
		reply_err(fd, EMSGSIZE, "reply too large");
		return;
	}
	jmsg_send(fd, sbuf, (size_t)b.len, fds, 2);
}

/* One request; returns -1 when the connection should go. */
static int
handle(int i)
{
	struct conn *c = &conns[i];
	int privileged = c->host && c->uid == 0;
	ssize_t n;

	n = recv(c->fd, rbuf, sizeof(rbuf), MSG_DONTWAIT | MSG_TRUNC);
	if (n <= 0)
		return n < 0 && errno == EAGAIN ? 0 : -1;
	if ((size_t)n > sizeof(rbuf) || jmsg_decode(rbuf, (size_t)n, &msg) < 0) {
		reply_err(c->fd, EINVAL, "malformed request");
		return 0;
	}
	if (!c->host) {
		reply_err(c->fd, EPERM, "jailed processes cannot reach this jail");
		return 0;
	}
	switch (msg.h.type) {
	case JM_GET:
		get(c->fd);
		return 0;
	case JM_UPDATE:
	case JM_REMOVE:
	case JM_ATTACH:
		if (!privileged) {
			reply_err(c->fd, EPERM, NULL);
			return 0;
		}
		if (msg.h.type == JM_UPDATE)
			update(c->fd);
		else if (msg.h.type == JM_REMOVE)
			remove_jail(c->fd, 0);
		else
			attach_reply(c->fd);
		return 0;
	case JM_ATTACHED:
		c->creator = 0;
		return 0;
	default:
		reply_err(c->fd, EINVAL, "unknown request");
		return 0;
	}
}

#define	EV_LISTEN	1
#define	EV_INIT		2
#define	EV_CGROUP	3
#define	EV_SIGNAL	4

static void __attribute__((noreturn))
serve(int creatorfd)
{
	struct epoll_event ev, evs[64];

	epfd = epoll_create1(EPOLL_CLOEXEC);
	ev.events = EPOLLIN;
	ev.data.u32 = EV_LISTEN;
	epoll_ctl(epfd, EPOLL_CTL_ADD, pr.listenfd, &ev);
	ev.data.u32 = EV_INIT;
	epoll_ctl(epfd, EPOLL_CTL_ADD, pr.initfd, &ev);
	/* kernfs keeps EPOLLPRI raised until re-read: take each change once. */
	ev.events = EPOLLPRI | EPOLLET;
	ev.data.u32 = EV_CGROUP;
	epoll_ctl(epfd, EPOLL_CTL_ADD, pr.cgevfd, &ev);
	/* Told to stop (shutdown, kill): remove the jail in good order. */
	{
		sigset_t set;
		int sfd;

		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGHUP);
		sigprocmask(SIG_BLOCK, &set, NULL);
		sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
		ev.events = EPOLLIN;
		ev.data.u32 = EV_SIGNAL;
		if (sfd >= 0)
			epoll_ctl(epfd, EPOLL_CTL_ADD, sfd, &ev);
	}
	fcntl(creatorfd, F_SETFL, O_NONBLOCK);
	add_conn(creatorfd, 1);
	guardian_start(&pr);

	for (;;) {
		int n;

		maybe_remove();
		n = epoll_wait(epfd, evs, 64, -1);
		for (int k = 0; k < n; k++) {
			uint32_t id = evs[k].data.u32;

			if (id == EV_LISTEN) {
				int fd;

				while ((fd = accept4(pr.listenfd, NULL, NULL,
				    SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0)
					add_conn(fd, 0);
			} else if (id == EV_SIGNAL) {
				remove_jail(-1, 0);
			} else if (id == EV_INIT) {
				/* Jail init is gone: so is the jail. */
				remove_jail(-1, 0);
			} else if (id >= 16 && id - 16 < (uint32_t)nconns) {
				int i = (int)(id - 16);

				if ((evs[k].events & (EPOLLHUP | EPOLLERR)) &&
				    !(evs[k].events & EPOLLIN))
					drop_conn(i);
				else if (handle(i) < 0)
					drop_conn(i);
				/* Indices moved: take fresh events next round. */
				break;
			}
		}
	}
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
	if (chdir("/") < 0)
		_exit(1);
	/* Detach: the caller reaps our first half at once. */
	if ((pid = fork()) < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	pr.regfd = pr.recfd = pr.cgfd = pr.cgjailfd = pr.cgevfd = -1;
	pr.idmapfd = -1;
	pr.listenfd = pr.initfd = -1;
	create(3);
	serve(3);
}
