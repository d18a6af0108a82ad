/*
 * esc_proto: attacks on the prison protocol and the registry, for the
 * escape suite.  Links libjail's message codec (proto.c) so that it
 * speaks the protocol itself instead of going through the library, whose
 * own checks are not what is being tested.  Built statically.
 *
 *   call SOCK REQ...       connect to a prison's socket and send each
 *                          request (get, attach, update, remove); print
 *                          "REQ ok" or "REQ fail ERRNO [errmsg]"
 *   late-peer SOCK GO      fork a child named esc-conn that waits for
 *                          file GO, connects and exits; the parent keeps
 *                          the connection, reaps the child, and then
 *                          sends get, update and attach on it
 *   stale SOCK             take an entry handle (ATTACH: init's pidfd, the
 *                          cgroup fd), print "held", wait for a line on
 *                          stdin, then use the handle and the connection
 *   fake-prison REG JID NAME USERDIR LOG
 *                          (host, root) register a look-alike jail whose
 *                          "prison" runs as nobody in a user and mount
 *                          namespace of its own, and answer any request
 *                          as a prison would, logging each to LOG
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

#include "internal.h"
#include "policy.h"
#include "proto.h"

static unsigned char rbuf[JPROTO_MAXMSG];
static struct jmsg reply;

static const char *
ename(int e)
{
	const char *n = strerrorname_np(e);

	return n != NULL ? n : "E?";
}

static void __attribute__((noreturn))
die(const char *what)
{
	printf("setup %s fail %s\n", what, ename(errno));
	fflush(stdout);
	exit(3);
}

static int
sock_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;

		close(s);
		errno = e;
		return -1;
	}
	return s;
}

/* One request; prints the answer.  Returns the status (or -1). */
static int
request(int s, const char *req)
{
	unsigned char q[512];
	struct jmsg_buf b;
	int type, fds[JPROTO_MAXFDS], nfds = 0;
	ssize_t n;

	if (strcmp(req, "get") == 0)
		type = JM_GET;
	else if (strcmp(req, "attach") == 0)
		type = JM_ATTACH;
	else if (strcmp(req, "update") == 0)
		type = JM_UPDATE;
	else if (strcmp(req, "remove") == 0)
		type = JM_REMOVE;
	else
		return -1;
	jmsg_start(&b, q, sizeof(q), type, 0, 0);
	if (type == JM_GET)
		jmsg_add(&b, "name", NULL, 0, 1);
	/* An update that changes nothing: only the answer matters. */
	if (jmsg_finish(&b) < 0)
		die("encode");
	if (jmsg_send(s, q, (size_t)b.len, NULL, 0) < 0) {
		printf("%s fail %s\n", req, ename(errno));
		return -1;
	}
	n = jmsg_recv(s, rbuf, sizeof(rbuf), fds, &nfds);
	if (n == 0) {
		printf("%s fail EOF\n", req);
		return -1;
	}
	if (n < 0) {
		printf("%s fail %s\n", req, ename(errno));
		return -1;
	}
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
	if (jmsg_decode(rbuf, (size_t)n, &reply) < 0) {
		printf("%s fail EBADMSG\n", req);
		return -1;
	}
	if (reply.h.status == 0)
		printf("%s ok fds %d\n", req, nfds);
	else {
		const struct jmsg_item *e = jmsg_find(&reply, "errmsg");

		printf("%s fail %s %s\n", req, ename(reply.h.status),
		    e != NULL && e->len > 0 ? (const char *)e->value : "");
	}
	fflush(stdout);
	return reply.h.status;
}

static int
cmd_call(int argc, char **argv)
{
	int s;

	if (argc < 2)
		return 2;
	for (int i = 1; i < argc; i++) {
		/* A connection per request: the prison may drop one. */
		if ((s = sock_connect(argv[0])) < 0) {
			printf("%s fail connect %s\n", argv[i], ename(errno));
			continue;
		}
		request(s, argv[i]);
		close(s);
	}
	return 0;
}

/*
 * The peer credential a prison reads with SO_PEERCRED names the process
 * that connected; once it has exited, its pid may belong to anyone.
 */
static int
cmd_late_peer(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat sb;
	pid_t c;
	int s, st;

	if (argc < 2)
		return 2;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", argv[0]);
	if ((s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		die("socket");
	if ((c = fork()) < 0)
		die("fork");
	if (c == 0) {
		prctl(PR_SET_NAME, "esc-conn", 0, 0, 0);
		while (stat(argv[1], &sb) < 0)
			usleep(10000);
		_exit(connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0 ?
		    errno : 0);
	}
	printf("child %d\n", c);
	fflush(stdout);
	waitpid(c, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		errno = WEXITSTATUS(st);
		die("connect");
	}
	printf("connected\n");
	fflush(stdout);
	request(s, "get");
	request(s, "update");
	request(s, "attach");
	return 0;
}

static int
cmd_stale(int argc, char **argv)
{
	unsigned char q[256];
	struct jmsg_buf b;
	struct clone_args ca;
	char line[64], pid[32];
	int s, fds[JPROTO_MAXFDS], nfds = 0, pidfd, cgfd, fd;
	ssize_t n;
	pid_t p;

	if (argc < 1)
		return 2;
	if ((s = sock_connect(argv[0])) < 0)
		die("connect");
	jmsg_start(&b, q, sizeof(q), JM_ATTACH, 0, 0);
	if (jmsg_finish(&b) < 0 || jmsg_send(s, q, (size_t)b.len, NULL, 0) < 0)
		die("send");
	n = jmsg_recv(s, rbuf, sizeof(rbuf), fds, &nfds);
	if (n <= 0 || jmsg_decode(rbuf, (size_t)n, &reply) < 0 ||
	    reply.h.status != 0 || nfds != 2)
		die("attach");
	pidfd = fds[0];
	cgfd = fds[1];
	printf("held\n");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		die("stdin");

	errno = 0;
	printf("pidfd_send_signal %s\n", syscall(SYS_pidfd_send_signal, pidfd,
	    0, NULL, 0) == 0 ? "ok" : ename(errno));
	/* setns and clone in a child: a success must not move us. */
	if ((p = fork()) == 0)
		_exit(setns(pidfd, CLONE_NEWNET | CLONE_NEWUTS) == 0 ? 0 : errno);
	waitpid(p, (int *)&n, 0);
	printf("setns %s\n", WEXITSTATUS(n) == 0 ? "ok" : ename(WEXITSTATUS(n)));
	fd = openat(cgfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		printf("cgroup.procs %s\n", ename(errno));
	else {
		if ((p = fork()) == 0) {
			snprintf(pid, sizeof(pid), "%d", (int)getpid());
			_exit(write(fd, pid, strlen(pid)) < 0 ? errno : 0);
		}
		waitpid(p, (int *)&n, 0);
		printf("cgroup.procs %s\n", WEXITSTATUS(n) == 0 ? "ok" :
		    ename(WEXITSTATUS(n)));
		close(fd);
	}
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_INTO_CGROUP;
	ca.cgroup = (uint64_t)cgfd;
	ca.exit_signal = SIGCHLD;
	p = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (p == 0)
		_exit(0);
	if (p > 0) {
		waitpid(p, NULL, 0);
		printf("clone3-into-cgroup ok\n");
	} else
		printf("clone3-into-cgroup %s\n", ename(errno));
	fflush(stdout);
	request(s, "get");
	return 0;
}

/* ------------------------------------------------------------------ */

static int
fake_serve(int l, int logfd)
{
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW) };
	unsigned char q[JPROTO_MAXMSG];
	struct jail_policy *pol;
	struct jmsg_buf b;
	char line[128];
	int c, fds[2];
	ssize_t n;

	pol = calloc(1, JPOL_SIZE(1));
	pol->version = JPOL_VERSION;
	pol->caps = ~0ULL >> 23;
	pol->ninsns = 1;
	memcpy(pol->insns, allow, sizeof(allow));
	for (;;) {
		if ((c = accept(l, NULL, NULL)) < 0)
			return 1;
		(void)!write(logfd, "connection\n", 11);
		while ((n = jmsg_recv(c, rbuf, sizeof(rbuf), NULL, NULL)) > 0) {
			if (jmsg_decode(rbuf, (size_t)n, &reply) < 0)
				break;
			snprintf(line, sizeof(line), "request %d\n",
			    (int)reply.h.type);
			(void)!write(logfd, line, strlen(line));
			jmsg_start(&b, q, sizeof(q), JM_REPLY, 0, 0);
			jmsg_add_int(&b, "jid", 7);
			if (reply.h.type == JM_GET)
				jmsg_add_str(&b, "name", "fake");
			if (reply.h.type == JM_ATTACH)
				jmsg_add(&b, "policy", pol, JPOL_SIZE(1), 0);
			if (jmsg_finish(&b) < 0)
				break;
			fds[0] = (int)syscall(SYS_pidfd_open, getpid(), 0);
			fds[1] = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY);
			jmsg_send(c, q, (size_t)b.len, fds,
			    reply.h.type == JM_ATTACH ? 2 : 0);
			close(fds[0]);
			close(fds[1]);
		}
		close(c);
	}
}

static void
write_map(const char *file, const char *map)
{
	int fd = open(file, O_WRONLY);

	if (fd < 0 || write(fd, map, strlen(map)) < 0)
		die(file);
	close(fd);
}

static int
cmd_fake_prison(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char path[4096], sock[4096], to[4096], ok;
	struct jrec r;
	int recfd, logfd, p[2], l;
	pid_t c;

	if (argc < 5)
		return 2;
	snprintf(path, sizeof(path), "%s/%s", argv[0], argv[1]);
	recfd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (recfd < 0 || flock(recfd, LOCK_EX) < 0)
		die("record");
	memset(&r, 0, sizeof(r));
	r.magic = JREC_MAGIC;
	r.jid = atoi(argv[1]);
	r.state = JREC_ALIVE;
	r.pid = getpid();
	snprintf(r.name, sizeof(r.name), "%s", argv[2]);
	if (pwrite(recfd, &r, sizeof(r), 0) != sizeof(r))
		die("record write");
	if ((logfd = open(argv[4], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0644)) < 0)
		die("log");
	if (pipe(p) < 0)
		die("pipe");
	snprintf(sock, sizeof(sock), "%s/s", argv[3]);
	if ((c = fork()) == 0) {
		/* The would-be attacker: nobody, in namespaces of its own. */
		close(p[0]);
		if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			die("drop");
		/* After the uid change, which clears both. */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);	/* own /proc/self again */
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
			die("unshare");
		write_map("/proc/self/setgroups", "deny");
		write_map("/proc/self/uid_map", "0 65534 1");
		write_map("/proc/self/gid_map", "0 65534 1");
		prctl(PR_SET_NAME, "esc-fake", 0, 0, 0);
		if (strlen(sock) >= sizeof(sun.sun_path))
			die("socket path");
		memcpy(sun.sun_path, sock, strlen(sock) + 1);
		unlink(sock);
		if ((l = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0 ||
		    bind(l, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
		    listen(l, 8) < 0)
			die("listen");
		(void)!write(p[1], "x", 1);
		close(p[1]);
		_exit(fake_serve(l, logfd));
	}
	close(p[1]);
	if (read(p[0], &ok, 1) != 1)
		die("fake prison");
	/* Root puts the socket where the jail's would be. */
	snprintf(to, sizeof(to), "%s/%s.sock", argv[0], argv[1]);
	if (rename(sock, to) < 0)
		die("rename");
	printf("ready %d\n", c);
	fflush(stdout);
	waitpid(c, NULL, 0);
	return 0;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && strcmp(argv[1], "call") == 0)
		return cmd_call(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "late-peer") == 0)
		return cmd_late_peer(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "stale") == 0)
		return cmd_stale(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "fake-prison") == 0)
		return cmd_fake_prison(argc - 2, argv + 2);
	fprintf(stderr, "usage: esc_proto call|late-peer|stale|fake-prison ...\n");
	return 2;
}
