/*
 * Jail descriptors against real jails (jaildesc(4)): FreeBSD's own cases
 * (tests/sys/kern/jaildesc.c: a poll woken by jail_remove_jd, an
 * unprivileged JAIL_GET_DESC, a jailed process refused its own jail, the
 * self-destruct of an owning descriptor closed inside the jail, AT_DESC
 * with a non-descriptor a hundred times), then ours: the creator
 * credential across SCM_RIGHTS, one jail for ever, close-on-exec, events,
 * rights and many descriptors at once.
 *
 * Written against the installed interface only: <sys/jail.h>, <jail.h>
 * and, for what Linux adds, <jaildesc.h>.  Each case has a registry and a
 * jail root of its own in its work directory, and its cleanup removes
 * whatever jails are left.
 */
#include <atf-c.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <sys/jail.h>
#include <jail.h>
#include <jaildesc.h>

#include "jdtest.h"

#define	NOBODY		65534



/*
 * A persistent jail NAME (with jid WANT, if not 0); its descriptor in
 * *DESC with FLAGS, if asked.
 */
static int
make_jail_jid(const char *name, int want, int flags, int *desc)
{
	char root[600], cwd[512];
	int d = -1, jid;
	struct iovec iov[] = {
		IOV("name", name, strlen(name) + 1),
		IOV("path", root, 0),
		IOV("persist", NULL, 0),
		IOV("errmsg", errmsg, sizeof(errmsg)),
		IOV("jid", &want, sizeof(want)),
		IOV("desc", &d, sizeof(d)),
	};

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(root, sizeof(root), "%s/root", cwd);
	iov[3].iov_len = strlen(root) + 1;
	errmsg[0] = '\0';
	jid = jail_set(iov, desc != NULL ? 12 : 10, JAIL_CREATE | flags);
	ATF_REQUIRE_MSG(jid > 0, "jail_set %s: %s: %s", name, strerror(errno),
	    errmsg);
	if (desc != NULL)
		*desc = d;
	return jid;
}

static int
make_jail(const char *name, int flags, int *desc)
{
	return make_jail_jid(name, 0, flags, desc);
}

/* A jail of the host's tree (path=/), for commands to run in. */
static int
make_host_jail(const char *name, int *desc)
{
	int d = -1, jid;
	struct iovec iov[] = {
		IOV("name", name, strlen(name) + 1),
		IOV("path", "/", 2),
		IOV("persist", NULL, 0),
		IOV("errmsg", errmsg, sizeof(errmsg)),
		IOV("desc", &d, sizeof(d)),
	};

	errmsg[0] = '\0';
	jid = jail_set(iov, 10, JAIL_CREATE | JAIL_GET_DESC);
	ATF_REQUIRE_MSG(jid > 0, "jail_set %s: %s: %s", name, strerror(errno),
	    errmsg);
	*desc = d;
	return jid;
}


/* jail_set host.hostname=NAME through descriptor DESC. */
static int
set_hostname(int desc, const char *name)
{
	struct iovec iov[] = {
		IOV("host.hostname", name, strlen(name) + 1),
		IOV("desc", &desc, sizeof(desc)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	errmsg[0] = '\0';
	return jail_set(iov, 6, JAIL_UPDATE | JAIL_USE_DESC);
}

/* The host name of the descriptor's jail, through it. */
static const char *
hostname_of(int desc)
{
	static char name[256];
	struct iovec iov[] = {
		IOV("host.hostname", name, sizeof(name)),
		IOV("desc", &desc, sizeof(desc)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	name[0] = '\0';
	if (jail_get(iov, 6, JAIL_USE_DESC) < 0)
		return NULL;
	return name;
}

static int
jail_exists(int jid)
{
	struct iovec iov[] = { IOV("jid", &jid, sizeof(jid)) };

	return jail_get(iov, 2, 0) == jid;
}

/* Wait up to MS for the jail to be gone. */
static int
gone_within(int jid, int ms)
{
	for (int t = 0; t < ms; t += 20) {
		if (!jail_exists(jid))
			return 1;
		usleep(20000);
	}
	return 0;
}

/* The registry holds no jail: no record, no socket. */
static void
nothing_left(void)
{
	const char *reg = getenv("JAIL_REGISTRY");
	struct dirent *d;
	DIR *dp;

	for (int t = 0; t < 250; t++) {
		int any = 0;

		if ((dp = opendir(reg)) == NULL)
			return;
		while ((d = readdir(dp)) != NULL)
			any |= d->d_name[0] != '.';
		closedir(dp);
		if (!any)
			return;
		usleep(20000);
	}
	atf_tc_fail("the registry %s still holds a jail", reg);
}


/* Run FN in a child; its exit status must be 0. */
static void
in_child(void (*fn)(void *), void *arg)
{
	int st;
	pid_t pid = fork();

	ATF_REQUIRE(pid >= 0);
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "the child failed (status %#x)", st);
}

static void
become_nobody(void)
{
	if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
		_exit(90);
}

/* Pass descriptor FD over a socket pair to a child running FN(fd). */
static void
hand_to_child(int fd, void (*fn)(int), int as_nobody)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	int sv[2], st, got;
	pid_t pid;

	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	ATF_REQUIRE((pid = fork()) >= 0);
	if (pid == 0) {
		close(sv[0]);
		if (as_nobody)
			become_nobody();
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		if (recvmsg(sv[1], &mh, 0) != 1 ||
		    (c = CMSG_FIRSTHDR(&mh)) == NULL)
			_exit(91);
		memcpy(&got, CMSG_DATA(c), sizeof(got));
		fn(got);
		_exit(0);
	}
	close(sv[1]);
	memset(&ctl, 0, sizeof(ctl));
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	ATF_REQUIRE(sendmsg(sv[0], &mh, 0) == 1);
	close(sv[0]);
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "the child failed (status %#x)", st);
}

/* In a child: fail with exit status LINE % 256 unless COND. */
#define	CHILD_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "line %d: %s: %s (%s)\n", __LINE__,	\
		    #cond, strerror(errno), errmsg);			\
		_exit(1);						\
	}								\
} while (0)

/* ---- FreeBSD's cases ---- */

ATF_TC_WITH_CLEANUP(poll_woken_by_remove);
ATF_TC_HEAD(poll_woken_by_remove, tc)
{
	atf_tc_set_md_var(tc, "descr", "a poll on a descriptor is woken with "
	    "POLLHUP by jail_remove_jd, and a later poll sees it at once");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(poll_woken_by_remove, tc)
{
	struct pollfd p;
	int desc, other, st;
	pid_t pid;

	setup();
	make_jail("pw", JAIL_GET_DESC, &desc);
	ATF_REQUIRE(get_desc(1, JAIL_GET_DESC, &other) == 1);
	p = (struct pollfd){ .fd = desc, .events = POLLIN };
	ATF_CHECK_EQ(0, poll(&p, 1, 0));
	ATF_REQUIRE((pid = fork()) >= 0);
	if (pid == 0) {
		p = (struct pollfd){ .fd = desc, .events = 0 };
		_exit(poll(&p, 1, 10000) == 1 && (p.revents & POLLHUP) ?
		    0 : 1);
	}
	usleep(200000);		/* the child is asleep in poll */
	ATF_REQUIRE_MSG(jail_remove_jd(other) == 0, "%s", strerror(errno));
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "the poll was not woken with POLLHUP");
	p = (struct pollfd){ .fd = desc, .events = 0 };
	ATF_CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP));
	ATF_CHECK(!jail_exists(1));
	close(desc);
	close(other);
	nothing_left();
}
ATF_TC_CLEANUP(poll_woken_by_remove, tc) { remove_all(); }

static void
unpriv_get(void *arg)
{
	int jid = *(int *)arg, desc;

	become_nobody();
	CHILD_CHECK(get_desc(jid, JAIL_GET_DESC, &desc) == jid);
	CHILD_CHECK(desc >= 0);
	/* Made by nobody: it reads, and that is all. */
	CHILD_CHECK(hostname_of(desc) != NULL);
	CHILD_CHECK(set_hostname(desc, "x") < 0 && errno == EPERM);
	CHILD_CHECK(jail_remove_jd(desc) < 0 && errno == EPERM);
	CHILD_CHECK(get_desc(jid, JAIL_OWN_DESC, &desc) < 0 &&
	    errno == EPERM);
}

ATF_TC_WITH_CLEANUP(unprivileged_get_desc);
ATF_TC_HEAD(unprivileged_get_desc, tc)
{
	atf_tc_set_md_var(tc, "descr", "an unprivileged process gets a "
	    "descriptor with JAIL_GET_DESC, which can only read; "
	    "JAIL_OWN_DESC is refused");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(unprivileged_get_desc, tc)
{
	int jid;

	setup();
	jid = make_jail("ug", 0, NULL);
	in_child(unpriv_get, &jid);
	ATF_CHECK(jail_exists(jid));
	ATF_REQUIRE(jail_remove(jid) == 0);
	nothing_left();
}
ATF_TC_CLEANUP(unprivileged_get_desc, tc) { remove_all(); }

static void
own_jail(void *arg)
{
	int jid = *(int *)arg, desc;
	char name[] = "oj";
	struct iovec iov[] = {
		IOV("name", name, sizeof(name)),
		IOV("desc", &desc, sizeof(desc)),
	};

	CHILD_CHECK(jail_attach(jid) == 0);
	CHILD_CHECK(jail_get(iov, 4, JAIL_GET_DESC) < 0 && errno == ENOENT);
	CHILD_CHECK(jail_get(iov, 4, JAIL_OWN_DESC) < 0);
	CHILD_CHECK(get_desc(jid, JAIL_GET_DESC, &desc) < 0);
}

ATF_TC_WITH_CLEANUP(jailed_no_own_desc);
ATF_TC_HEAD(jailed_no_own_desc, tc)
{
	atf_tc_set_md_var(tc, "descr", "a jailed process cannot get a "
	    "descriptor for its own jail");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(jailed_no_own_desc, tc)
{
	int jid;

	setup();
	jid = make_jail("oj", 0, NULL);
	in_child(own_jail, &jid);
	ATF_REQUIRE(jail_remove(jid) == 0);
	nothing_left();
}
ATF_TC_CLEANUP(jailed_no_own_desc, tc) { remove_all(); }

ATF_TC_WITH_CLEANUP(self_destruct);
ATF_TC_HEAD(self_destruct, tc)
{
	atf_tc_set_md_var(tc, "descr", "a process attached through an owning "
	    "descriptor that closes its last copy removes the jail and dies "
	    "with it");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(self_destruct, tc)
{
	int desc, jid, st, p[2];
	char c;
	pid_t pid;

	setup();
	jid = make_jail("sd", JAIL_OWN_DESC, &desc);
	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE((pid = fork()) >= 0);
	if (pid == 0) {
		close(p[0]);
		if (jail_attach_jd(desc) < 0)
			_exit(2);
		(void)!write(p[1], "a", 1);
		close(desc);	/* the last copy: the jail goes, and we too */
		sleep(10);
		_exit(3);
	}
	close(p[1]);
	close(desc);		/* ours first: the child's is the last */
	ATF_REQUIRE_EQ(1, read(p[0], &c, 1));
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_CHECK_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	    "the closer was not killed (status %#x)", st);
	ATF_CHECK(gone_within(jid, 5000));
	nothing_left();
}
ATF_TC_CLEANUP(self_destruct, tc) { remove_all(); }


/* The count once the prison has let go of what it was closing. */
static int
quiet_fds(pid_t pid)
{
	int n = count_fds(pid), m;

	for (int t = 0; t < 40; t++) {
		usleep(50000);
		if ((m = count_fds(pid)) == n)
			break;
		n = m;
	}
	return n;
}

/* The pid of the prison behind descriptor DESC. */
static pid_t
prison_of(int desc)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);

	ATF_REQUIRE(getsockopt(desc, SOL_SOCKET, SO_PEERCRED, &cred, &cl) == 0);
	return cred.pid;
}

ATF_TC_WITH_CLEANUP(at_desc_not_desc);
ATF_TC_HEAD(at_desc_not_desc, tc)
{
	atf_tc_set_md_var(tc, "descr", "JAIL_AT_DESC with a descriptor that "
	    "is not a jail descriptor fails with EINVAL, a hundred times, "
	    "and the prison leaks nothing");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(at_desc_not_desc, tc)
{
	int desc, jid, p[2], before, fd, sv[2];
	pid_t prison;

	setup();
	jid = make_jail("at", JAIL_GET_DESC, &desc);
	prison = prison_of(desc);
	before = quiet_fds(prison);
	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
	for (int i = 0; i < 100; i++) {
		fd = i % 2 ? p[0] : sv[0];
		ATF_REQUIRE(get_desc(jid, JAIL_AT_DESC, &fd) < 0);
		ATF_CHECK_EQ_MSG(EINVAL, errno, "try %d: %s", i,
		    strerror(errno));
	}
	/* A jail descriptor is taken, and its jail has no children. */
	fd = desc;
	ATF_CHECK(get_desc(jid, JAIL_AT_DESC, &fd) < 0 && errno == ENOENT);
	ATF_CHECK_EQ(before, quiet_fds(prison));
	ATF_REQUIRE(jail_remove_jd(desc) == 0);
	close(desc);
	nothing_left();
}
ATF_TC_CLEANUP(at_desc_not_desc, tc) { remove_all(); }

/* ---- ours ---- */

static void
nobody_uses_root_desc(int desc)
{
	CHILD_CHECK(getuid() == NOBODY);
	CHILD_CHECK(set_hostname(desc, "delegated") > 0);
	CHILD_CHECK(strcmp(hostname_of(desc), "delegated") == 0);
	/* Entering needs privilege over the namespaces: the message says so. */
	CHILD_CHECK(jail_attach_jd(desc) < 0 && errno == EPERM);
	CHILD_CHECK(strstr(jail_errmsg, "jexec") != NULL);
	CHILD_CHECK(jail_remove_jd(desc) == 0);
}

ATF_TC_WITH_CLEANUP(root_desc_to_nobody);
ATF_TC_HEAD(root_desc_to_nobody, tc)
{
	atf_tc_set_md_var(tc, "descr", "a root-made descriptor received over "
	    "a socket lets uid nobody change and remove the jail");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(root_desc_to_nobody, tc)
{
	int desc, jid;

	setup();
	jid = make_jail("rn", JAIL_GET_DESC, &desc);
	hand_to_child(desc, nobody_uses_root_desc, 1);
	ATF_CHECK(gone_within(jid, 5000));
	close(desc);
	nothing_left();
}
ATF_TC_CLEANUP(root_desc_to_nobody, tc) { remove_all(); }

ATF_TC_WITH_CLEANUP(one_jail_forever);
ATF_TC_HEAD(one_jail_forever, tc)
{
	atf_tc_set_md_var(tc, "descr", "after a jail is removed and another "
	    "made with its name and jid, the old descriptor fails with ENOENT "
	    "and never touches the new jail");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(one_jail_forever, tc)
{
	int old, jid, again, fresh;
	unsigned ev;
	intptr_t data;

	setup();
	jid = make_jail("same", JAIL_GET_DESC, &old);
	ATF_REQUIRE(set_hostname(old, "first") == jid);
	ATF_REQUIRE(jail_remove(jid) == 0);
	again = make_jail_jid("same", jid, JAIL_GET_DESC, &fresh);
	ATF_REQUIRE_EQ(jid, again);
	ATF_CHECK(set_hostname(old, "hijack") < 0 && errno == ENOENT);
	ATF_CHECK(hostname_of(old) == NULL && errno == ENOENT);
	ATF_CHECK(jail_remove_jd(old) < 0 && errno == ENOENT);
	ATF_CHECK(jail_attach_jd(old) < 0 && errno == ENOENT);
	ATF_CHECK(jaildesc_event(old, &ev, &data) == 1 &&
	    ev == NOTE_JAIL_REMOVE);
	ATF_CHECK_STREQ("", hostname_of(fresh));
	ATF_CHECK(jail_exists(again));
	close(old);
	ATF_REQUIRE(jail_remove_jd(fresh) == 0);
	close(fresh);
	nothing_left();
}
ATF_TC_CLEANUP(one_jail_forever, tc) { remove_all(); }

ATF_TC_WITH_CLEANUP(owning_last_close);
ATF_TC_HEAD(owning_last_close, tc)
{
	atf_tc_set_md_var(tc, "descr", "an owning descriptor removes its jail "
	    "on the last close of all its dup, fork and SCM_RIGHTS copies, "
	    "not before");
	atf_tc_set_md_var(tc, "require.user", "root");
}
static void
hold_a_while(int fd)
{
	(void)fd;
	usleep(300000);
}
ATF_TC_BODY(owning_last_close, tc)
{
	int desc, dup1, jid, st, p[2];
	char c;
	pid_t pid;

	setup();
	jid = make_jail("ol", JAIL_OWN_DESC, &desc);
	ATF_REQUIRE((dup1 = dup(desc)) >= 0);
	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE((pid = fork()) >= 0);
	if (pid == 0) {		/* holds the fork copy until told */
		close(p[1]);
		(void)!read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	/* A copy passed over a socket, to a process that lets it go. */
	hand_to_child(desc, hold_a_while, 0);
	close(desc);
	usleep(200000);
	ATF_CHECK_MSG(jail_exists(jid), "removed while a dup was open");
	close(dup1);
	usleep(200000);
	ATF_CHECK_MSG(jail_exists(jid), "removed while a fork held a copy");
	close(p[1]);
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_CHECK_MSG(gone_within(jid, 5000), "still there after the last close");
	nothing_left();
}
ATF_TC_CLEANUP(owning_last_close, tc) { remove_all(); }

ATF_TC_WITH_CLEANUP(not_cloexec);
ATF_TC_HEAD(not_cloexec, tc)
{
	atf_tc_set_md_var(tc, "descr", "a descriptor is not close-on-exec "
	    "unless JAIL_DESC_CLOEXEC asks");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(not_cloexec, tc)
{
	int desc, ce, jid;

	setup();
	jid = make_jail("ce", JAIL_GET_DESC, &desc);
	ATF_CHECK_EQ(0, fcntl(desc, F_GETFD) & FD_CLOEXEC);
	ATF_REQUIRE(get_desc(jid, JAIL_GET_DESC | JAIL_DESC_CLOEXEC, &ce) ==
	    jid);
	ATF_CHECK(fcntl(ce, F_GETFD) & FD_CLOEXEC);
	/* Without a descriptor flag the bit means nothing: refused. */
	ATF_CHECK(get_desc(jid, JAIL_DESC_CLOEXEC, &ce) < 0 && errno == EINVAL);
	ATF_REQUIRE(jail_remove_jd(desc) == 0);
	nothing_left();
}
ATF_TC_CLEANUP(not_cloexec, tc) { remove_all(); }

static int
readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static void
attach_and_leave(void *arg)
{
	CHILD_CHECK(jail_attach(*(int *)arg) == 0);
}

ATF_TC_WITH_CLEANUP(events);
ATF_TC_HEAD(events, tc)
{
	atf_tc_set_md_var(tc, "descr", "a watched descriptor is readable while "
	    "an event is pending: SET, ATTACH with its pid, two ATTACHes as "
	    "MULTI with data 0, REMOVE; unwatched kinds are not reported");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(events, tc)
{
	int desc, jid, st;
	unsigned ev;
	intptr_t data;
	pid_t pid;

	setup();
	jid = make_jail("ev", JAIL_GET_DESC, &desc);
	ATF_REQUIRE(jaildesc_watch(desc, NOTE_JAIL_SET | NOTE_JAIL_ATTACH |
	    NOTE_JAIL_REMOVE) == 0);
	ATF_CHECK(!readable(desc, 0));
	ATF_CHECK_EQ(0, jaildesc_event(desc, &ev, &data));

	ATF_REQUIRE(set_hostname(desc, "e1") == jid);
	ATF_CHECK(readable(desc, 2000));
	ATF_CHECK_EQ(1, jaildesc_event(desc, &ev, &data));
	ATF_CHECK_EQ(NOTE_JAIL_SET, ev);
	ATF_CHECK(!readable(desc, 0));

	ATF_REQUIRE((pid = fork()) >= 0);
	if (pid == 0)
		_exit(jail_attach(jid) == 0 ? 0 : 1);
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid && st == 0);
	ATF_CHECK(readable(desc, 2000));
	ATF_CHECK_EQ(1, jaildesc_event(desc, &ev, &data));
	ATF_CHECK_EQ(NOTE_JAIL_ATTACH, ev);
	ATF_CHECK_EQ(pid, (pid_t)data);

	in_child(attach_and_leave, &jid);
	in_child(attach_and_leave, &jid);
	ATF_CHECK_EQ(1, jaildesc_event(desc, &ev, &data));
	ATF_CHECK_EQ(NOTE_JAIL_ATTACH | NOTE_JAIL_MULTI, ev);
	ATF_CHECK_EQ(0, data);

	/* Not watched: not reported. */
	ATF_REQUIRE(jaildesc_watch(desc, NOTE_JAIL_REMOVE) == 0);
	ATF_REQUIRE(set_hostname(desc, "e2") == jid);
	ATF_CHECK_EQ(0, jaildesc_event(desc, &ev, &data));

	ATF_REQUIRE(jail_remove(jid) == 0);
	ATF_CHECK(readable(desc, 2000));
	ATF_CHECK_EQ(1, jaildesc_event(desc, &ev, &data));
	ATF_CHECK_EQ(NOTE_JAIL_REMOVE, ev);
	ATF_CHECK(jaildesc_watch(desc, 0x1) < 0);
	close(desc);
	nothing_left();
}
ATF_TC_CLEANUP(events, tc) { remove_all(); }

static void
limited_desc(int desc)
{
	CHILD_CHECK(jaildesc_limit(desc, JAILDESC_ALL) == JAILDESC_WATCH);
	CHILD_CHECK(set_hostname(desc, "no") < 0 && errno == EPERM);
	CHILD_CHECK(jail_remove_jd(desc) < 0 && errno == EPERM);
	CHILD_CHECK(hostname_of(desc) != NULL);
}

ATF_TC_WITH_CLEANUP(rights);
ATF_TC_HEAD(rights, tc)
{
	atf_tc_set_md_var(tc, "descr", "a descriptor's rights can be limited, "
	    "never widened, and the limit travels with it");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(rights, tc)
{
	int desc, full, jid;

	setup();
	jid = make_jail("ri", JAIL_GET_DESC, &desc);
	ATF_REQUIRE(get_desc(jid, JAIL_GET_DESC, &full) == jid);
	ATF_CHECK_EQ(JAILDESC_ALL, jaildesc_limit(desc, JAILDESC_ALL));
	ATF_CHECK_EQ(JAILDESC_WATCH | JAILDESC_SET,
	    jaildesc_limit(desc, JAILDESC_WATCH | JAILDESC_SET));
	ATF_CHECK_EQ(JAILDESC_WATCH, jaildesc_limit(desc, JAILDESC_WATCH));
	/* Asking for more gives nothing back. */
	ATF_CHECK_EQ(JAILDESC_WATCH, jaildesc_limit(desc, JAILDESC_ALL));
	ATF_CHECK(set_hostname(desc, "no") < 0 && errno == EPERM);
	/* An owning descriptor through it would be a way to remove: no. */
	ATF_CHECK(jail_attach_jd(desc) < 0 && errno == EPERM);
	hand_to_child(desc, limited_desc, 1);
	/* Another descriptor of the same jail keeps its own rights. */
	ATF_CHECK(set_hostname(full, "yes") == jid);
	ATF_REQUIRE(jail_remove_jd(full) == 0);
	close(desc);
	close(full);
	nothing_left();
}
ATF_TC_CLEANUP(rights, tc) { remove_all(); }

ATF_TC_WITH_CLEANUP(flag_errors);
ATF_TC_HEAD(flag_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "FreeBSD's errors for desc and its "
	    "flags");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(flag_errors, tc)
{
	int desc, jid, fd, p[2];
	char name[] = "fe";
	struct iovec key[] = { IOV("name", name, sizeof(name)) };
	struct iovec create[] = {
		IOV("name", name, sizeof(name)),
		IOV("persist", NULL, 0),
		IOV("desc", &fd, sizeof(fd)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	setup();
	jid = make_jail("fe", JAIL_GET_DESC, &desc);
	ATF_CHECK(jail_get(key, 2, JAIL_GET_DESC) < 0 && errno == ENOENT);
	fd = desc;
	ATF_CHECK(jail_get(create, 6, 0) < 0 && errno == EINVAL);
	ATF_CHECK(jail_get(create, 6, JAIL_USE_DESC | JAIL_AT_DESC) < 0 &&
	    errno == EINVAL);
	/* USE_DESC names an existing jail: CREATE alone clashes. */
	ATF_CHECK(jail_set(create, 8, JAIL_CREATE | JAIL_USE_DESC) < 0 &&
	    errno == EEXIST);
	ATF_REQUIRE(pipe(p) == 0);
	fd = p[0];
	ATF_CHECK(jail_set(create, 8, JAIL_UPDATE | JAIL_USE_DESC) < 0 &&
	    errno == EINVAL);
	fd = 1000;
	ATF_CHECK(jail_set(create, 8, JAIL_UPDATE | JAIL_USE_DESC) < 0 &&
	    errno == EBADF);
	/* Under a jail: no children, so nothing to create. */
	fd = desc;
	ATF_CHECK(jail_set(create, 8, JAIL_CREATE | JAIL_AT_DESC) < 0 &&
	    errno == EPERM);
	ATF_CHECK(get_desc(jid, JAIL_GET_DESC, &fd) == jid);
	ATF_CHECK(fd >= 0 && fd != desc);
	ATF_REQUIRE(jail_remove_jd(desc) == 0);
	ATF_CHECK(set_hostname(desc, "late") < 0 && errno == ENOENT);
	nothing_left();
}
ATF_TC_CLEANUP(flag_errors, tc) { remove_all(); }

ATF_TC_WITH_CLEANUP(thousand_descriptors);
ATF_TC_HEAD(thousand_descriptors, tc)
{
	atf_tc_set_md_var(tc, "descr", "1000 descriptors open on one jail all "
	    "work and all see its removal");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(thousand_descriptors, tc)
{
	static int d[1000];
	static struct pollfd p[1000];
	int jid, n;

	setup();
	jid = make_jail("th", 0, NULL);
	for (int i = 0; i < 1000; i++) {
		ATF_REQUIRE_MSG(get_desc(jid, JAIL_GET_DESC, &d[i]) == jid,
		    "descriptor %d: %s", i, strerror(errno));
		p[i] = (struct pollfd){ .fd = d[i] };
	}
	ATF_CHECK_STREQ("", hostname_of(d[999]));
	ATF_REQUIRE(set_hostname(d[500], "many") == jid);
	ATF_CHECK_STREQ("many", hostname_of(d[0]));
	ATF_REQUIRE(jail_remove_jd(d[0]) == 0);
	n = poll(p, 1000, 5000);
	ATF_CHECK_EQ(1000, n);
	for (int i = 0; i < 1000; i++) {
		ATF_CHECK(p[i].revents & POLLHUP);
		close(d[i]);
	}
	nothing_left();
}
ATF_TC_CLEANUP(thousand_descriptors, tc) { remove_all(); }

static void
create_attach(void *arg)
{
	int desc = -1, jid;
	char name[] = "ca";
	struct iovec iov[] = {
		IOV("name", name, sizeof(name)),
		IOV("desc", &desc, sizeof(desc)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	(void)arg;
	jid = jail_set(iov, 6, JAIL_CREATE | JAIL_ATTACH | JAIL_GET_DESC);
	CHILD_CHECK(jid > 0 && desc >= 0);
	/* Inside now, the descriptor still names the jail we are in. */
	CHILD_CHECK(set_hostname(desc, "inside") == jid);
	CHILD_CHECK(strcmp(hostname_of(desc), "inside") == 0);
}

ATF_TC_WITH_CLEANUP(create_attach_desc);
ATF_TC_HEAD(create_attach_desc, tc)
{
	atf_tc_set_md_var(tc, "descr", "jail_set with JAIL_CREATE, "
	    "JAIL_ATTACH and JAIL_GET_DESC gives a descriptor that works "
	    "from inside the new jail; the jail ends with its process");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(create_attach_desc, tc)
{
	setup();
	in_child(create_attach, NULL);
	ATF_CHECK(gone_within(1, 5000));
	nothing_left();
}
ATF_TC_CLEANUP(create_attach_desc, tc) { remove_all(); }

/* ---- delegation: jail_spawn_jd ---- */

/* Run ARGV through DESC with a pipe as stdout; its output and status. */
static int
spawn_output(int desc, char *const argv[], char *out, size_t len, int *status)
{
	int p[2], h, saved, n = 0;
	ssize_t k;

	if (pipe(p) < 0)
		return -1;
	saved = dup(1);
	dup2(p[1], 1);
	close(p[1]);
	h = jail_spawn_jd(desc, argv, NULL, NULL);
	dup2(saved, 1);
	close(saved);
	if (h < 0) {
		close(p[0]);
		return -1;
	}
	while (n < (int)len - 1 && (k = read(p[0], out + n, len - 1 -
	    (size_t)n)) > 0)
		n += (int)k;
	out[n] = '\0';
	close(p[0]);
	return jail_spawn_wait(h, status);
}

static void
nobody_spawns(int desc)
{
	char *const id[] = { "/bin/sh", "-c", "id -u; id -g; "
	    "readlink /proc/self/ns/pid; readlink /proc/self/ns/mnt; exit 5",
	    NULL };
	char out[512], pid_ns[64], mnt_ns[64], host[64];
	unsigned uid, gid;
	ssize_t n;
	int st;

	CHILD_CHECK(getuid() == NOBODY);
	CHILD_CHECK(spawn_output(desc, id, out, sizeof(out), &st) == 0);
	CHILD_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	CHILD_CHECK(sscanf(out, "%u %u %63s %63s", &uid, &gid, pid_ns,
	    mnt_ns) == 4);
	/* As itself, and in namespaces of the jail's, not the host's. */
	CHILD_CHECK(uid == NOBODY && gid == NOBODY);
	CHILD_CHECK((n = readlink("/proc/self/ns/pid", host,
	    sizeof(host) - 1)) > 0);
	host[n] = '\0';
	CHILD_CHECK(strcmp(host, pid_ns) != 0);
	CHILD_CHECK((n = readlink("/proc/self/ns/mnt", host,
	    sizeof(host) - 1)) > 0);
	host[n] = '\0';
	CHILD_CHECK(strcmp(host, mnt_ns) != 0);
}

ATF_TC_WITH_CLEANUP(spawn_by_nobody);
ATF_TC_HEAD(spawn_by_nobody, tc)
{
	atf_tc_set_md_var(tc, "descr", "uid nobody holding a root-made "
	    "descriptor runs a command in the jail, as itself, with its "
	    "stdio, and gets back its exit status");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(spawn_by_nobody, tc)
{
	int desc, jid;

	setup();
	jid = make_host_jail("sn", &desc);
	hand_to_child(desc, nobody_spawns, 1);
	ATF_REQUIRE(jail_remove(jid) == 0);
	close(desc);
	nothing_left();
}
ATF_TC_CLEANUP(spawn_by_nobody, tc) { remove_all(); }

static void
nobody_refused(void *arg)
{
	char *const t[] = { "/bin/true", NULL };
	int desc;

	become_nobody();
	/* A descriptor of its own: made by nobody, it only reads. */
	CHILD_CHECK(get_desc(*(int *)arg, JAIL_GET_DESC, &desc) > 0);
	CHILD_CHECK(jail_spawn_jd(desc, t, NULL, NULL) < 0 && errno == EPERM);
}

static void
nobody_spawn_states(int desc)
{
	char *const sleeper[] = { "/bin/sleep", "30", NULL };
	char *const missing[] = { "/no/such/program", NULL };
	int h, st;

	/* A command that cannot be run: the reason comes back. */
	CHILD_CHECK((h = jail_spawn_jd(desc, missing, NULL, NULL)) >= 0);
	CHILD_CHECK(jail_spawn_wait(h, &st) < 0 && errno == ENOENT);
	CHILD_CHECK(strstr(jail_errmsg, "/no/such/program") != NULL);
	/* A signal reaches it. */
	CHILD_CHECK((h = jail_spawn_jd(desc, sleeper, NULL, NULL)) >= 0);
	CHILD_CHECK(jail_spawn_kill(h, SIGTERM) == 0);
	CHILD_CHECK(jail_spawn_wait(h, &st) == 0);
	CHILD_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
}

ATF_TC_WITH_CLEANUP(spawn_rules);
ATF_TC_HEAD(spawn_rules, tc)
{
	atf_tc_set_md_var(tc, "descr", "a spawn needs a root-made descriptor "
	    "with the spawn right; a command that cannot run says why; "
	    "signals reach it; removing the jail kills it");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(spawn_rules, tc)
{
	char *const sleeper[] = { "/bin/sleep", "30", NULL };
	int desc, limited, jid, h, st;

	setup();
	jid = make_host_jail("sr", &desc);
	hand_to_child(desc, nobody_spawn_states, 1);
	/* Without the right: refused, whoever asks. */
	ATF_REQUIRE(get_desc(jid, JAIL_GET_DESC, &limited) == jid);
	ATF_REQUIRE(jaildesc_limit(limited, JAILDESC_ALL & ~JAILDESC_SPAWN) >= 0);
	ATF_CHECK(jail_spawn_jd(limited, sleeper, NULL, NULL) < 0 &&
	    errno == EPERM);
	/* Made by nobody: refused. */
	in_child(nobody_refused, &jid);
	/* Removing the jail kills it: it ends as killed by SIGKILL. */
	ATF_REQUIRE((h = jail_spawn_jd(desc, sleeper, NULL, NULL)) >= 0);
	ATF_REQUIRE(jail_remove(jid) == 0);
	ATF_REQUIRE(jail_spawn_wait(h, &st) == 0);
	ATF_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	close(desc);
	close(limited);
	nothing_left();
}
ATF_TC_CLEANUP(spawn_rules, tc) { remove_all(); }

ATF_TC_WITH_CLEANUP(libjail_setv_getv);
ATF_TC_HEAD(libjail_setv_getv, tc)
{
	atf_tc_set_md_var(tc, "descr", "jail_setv and jail_getv take and give "
	    "desc as a string, as FreeBSD's libjail does");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(libjail_setv_getv, tc)
{
	char root[600], cwd[512], desc[16] = "", other[16] = "", host[256];
	int jid;

	setup();
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(root, sizeof(root), "%s/root", cwd);
	jid = jail_setv(JAIL_CREATE | JAIL_GET_DESC, "name", "gv", "path", root,
	    "persist", NULL, "desc", desc, NULL);
	ATF_REQUIRE_MSG(jid > 0 && desc[0] != '\0', "%s", jail_errmsg);
	ATF_REQUIRE(jail_getv(JAIL_GET_DESC, "name", "gv", "desc", other,
	    NULL) == jid);
	ATF_CHECK(atoi(other) > 2 && atoi(other) != atoi(desc));
	ATF_REQUIRE(jail_setv(JAIL_UPDATE | JAIL_USE_DESC, "desc", other,
	    "host.hostname", "viasetv", NULL) == jid);
	ATF_REQUIRE(jail_getv(JAIL_USE_DESC, "desc", desc, "host.hostname",
	    host, NULL) == jid);
	ATF_CHECK_STREQ("viasetv", host);
	ATF_REQUIRE(jail_remove_jd(atoi(desc)) == 0);
	ATF_CHECK(jail_getv(JAIL_USE_DESC, "desc", other, "host.hostname",
	    host, NULL) < 0 && errno == ENOENT);
	close(atoi(desc));
	close(atoi(other));
	nothing_left();
}
ATF_TC_CLEANUP(libjail_setv_getv, tc) { remove_all(); }

ATF_TC_WITH_CLEANUP(plain_takes_no_fds);
ATF_TC_HEAD(plain_takes_no_fds, tc)
{
	atf_tc_set_md_var(tc, "descr", "a plain connection to a prison takes "
	    "no descriptors (SO_PASSRIGHTS, Linux 6.16): the sender is "
	    "refused, and the prison never holds what it did not ask for");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(plain_takes_no_fds, tc)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun);
	char hdr[64] = "JAIL";
	struct iovec iov = { hdr, sizeof(hdr) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	int desc, raw, p[2], on = 0, probe[2];

	setup();
	/* Without the option (older kernels) there is nothing to check. */
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, probe) == 0);
	if (setsockopt(probe[0], SOL_SOCKET, 83 /* SO_PASSRIGHTS */, &on,
	    sizeof(on)) < 0)
		atf_tc_skip("no SO_PASSRIGHTS in this kernel");
	make_jail("pt", JAIL_GET_DESC, &desc);
	ATF_REQUIRE(getpeername(desc, (struct sockaddr *)&sun, &len) == 0);
	ATF_REQUIRE((raw = socket(AF_UNIX, SOCK_SEQPACKET, 0)) >= 0);
	ATF_REQUIRE(connect(raw, (struct sockaddr *)&sun, len) == 0);
	/* Once the prison has set it up: it answers a first request. */
	ATF_REQUIRE(send(raw, hdr, 8, 0) == 8);
	ATF_REQUIRE(recv(raw, hdr, sizeof(hdr), 0) > 0);
	ATF_REQUIRE(pipe(p) == 0);
	memset(&ctl, 0, sizeof(ctl));
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &p[0], sizeof(int));
	ATF_CHECK(sendmsg(raw, &mh, 0) < 0 && errno == EPERM);
	/* A descriptor takes its channels all the same. */
	ATF_CHECK_STREQ("", hostname_of(desc));
	close(raw);
	ATF_REQUIRE(jail_remove_jd(desc) == 0);
	close(desc);
	nothing_left();
}
ATF_TC_CLEANUP(plain_takes_no_fds, tc) { remove_all(); }

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, plain_takes_no_fds);
	ATF_TP_ADD_TC(tp, libjail_setv_getv);
	ATF_TP_ADD_TC(tp, spawn_by_nobody);
	ATF_TP_ADD_TC(tp, spawn_rules);
	ATF_TP_ADD_TC(tp, create_attach_desc);
	ATF_TP_ADD_TC(tp, poll_woken_by_remove);
	ATF_TP_ADD_TC(tp, unprivileged_get_desc);
	ATF_TP_ADD_TC(tp, jailed_no_own_desc);
	ATF_TP_ADD_TC(tp, self_destruct);
	ATF_TP_ADD_TC(tp, at_desc_not_desc);
	ATF_TP_ADD_TC(tp, root_desc_to_nobody);
	ATF_TP_ADD_TC(tp, one_jail_forever);
	ATF_TP_ADD_TC(tp, owning_last_close);
	ATF_TP_ADD_TC(tp, not_cloexec);
	ATF_TP_ADD_TC(tp, events);
	ATF_TP_ADD_TC(tp, rights);
	ATF_TP_ADD_TC(tp, flag_errors);
	ATF_TP_ADD_TC(tp, thousand_descriptors);
	return atf_no_error();
}
