/*
 * Unit tests of jpeer_in_host() (lib/peer.c): who is at the other end of
 * a UNIX socket, as the library asks of a prison and a prison of its
 * clients.
 */
#include <atf-c.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "internal.h"

ATF_TC_WITHOUT_HEAD(self);
ATF_TC_BODY(self, tc)
{
	int sv[2];

	if (jail_caller_jailed())
		atf_tc_skip("the test runs inside a user namespace");
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
	ATF_CHECK_EQ(1, jpeer_in_host(sv[0]));
	ATF_CHECK_EQ(1, jpeer_in_host(sv[1]));
	close(sv[0]);
	close(sv[1]);
}

/*
 * socketpair's credentials are those of its creator: for a child of its
 * own, connect a real pair over an abstract name.
 */
static int
listen_abstract(const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s;

	strncpy(sun.sun_path + 1, name, sizeof(sun.sun_path) - 2);
	s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ATF_REQUIRE(s >= 0);
	ATF_REQUIRE(bind(s, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	ATF_REQUIRE(listen(s, 4) == 0);
	return s;
}

static pid_t
connect_child(const char *name, int flags, int *go)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int p[2], s;
	pid_t pid;
	char c;

	strncpy(sun.sun_path + 1, name, sizeof(sun.sun_path) - 2);
	ATF_REQUIRE(pipe(p) == 0);
	if ((pid = fork()) == 0) {
		close(p[1]);
		if (flags != 0 && unshare(flags) < 0)
			_exit(2);
		if ((s = socket(AF_UNIX, SOCK_SEQPACKET, 0)) < 0 ||
		    connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0)
			_exit(3);
		(void)!read(p[0], &c, 1);
		_exit(0);
	}
	ATF_REQUIRE(pid > 0);
	close(p[0]);
	*go = p[1];
	return pid;
}

ATF_TC_WITHOUT_HEAD(other_userns);
ATF_TC_BODY(other_userns, tc)
{
	char name[64];
	int l, c, go, st;
	pid_t pid;

	snprintf(name, sizeof(name), "jail-peer-test-%d", (int)getpid());
	l = listen_abstract(name);
	pid = connect_child(name, CLONE_NEWUSER, &go);
	c = accept(l, NULL, NULL);
	ATF_REQUIRE(c >= 0);
	/* A process in a user namespace of its own: not the host's. */
	ATF_CHECK_EQ(0, jpeer_in_host(c));
	close(go);
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2)
		atf_tc_skip("no user namespaces here");
	close(c);
	close(l);
}

ATF_TC_WITHOUT_HEAD(host_child);
ATF_TC_BODY(host_child, tc)
{
	char name[64];
	int l, c, go;
	pid_t pid;

	if (jail_caller_jailed())
		atf_tc_skip("the test runs inside a user namespace");
	snprintf(name, sizeof(name), "jail-peer-test-h%d", (int)getpid());
	l = listen_abstract(name);
	pid = connect_child(name, 0, &go);
	c = accept(l, NULL, NULL);
	ATF_REQUIRE(c >= 0);
	ATF_CHECK_EQ(1, jpeer_in_host(c));
	close(go);
	waitpid(pid, NULL, 0);
	close(c);
	close(l);
}

/* A peer that has gone is nobody's: its pid may be someone else's now. */
ATF_TC_WITHOUT_HEAD(gone);
ATF_TC_BODY(gone, tc)
{
	char name[64];
	int l, c, go;
	pid_t pid;

	snprintf(name, sizeof(name), "jail-peer-test-g%d", (int)getpid());
	l = listen_abstract(name);
	pid = connect_child(name, 0, &go);
	close(go);
	ATF_REQUIRE(waitpid(pid, NULL, 0) == pid);
	c = accept(l, NULL, NULL);
	ATF_REQUIRE(c >= 0);
	ATF_CHECK_EQ(0, jpeer_in_host(c));
	close(c);
	close(l);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, self);
	ATF_TP_ADD_TC(tp, other_userns);
	ATF_TP_ADD_TC(tp, host_child);
	ATF_TP_ADD_TC(tp, gone);
	return atf_no_error();
}
