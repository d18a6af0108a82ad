/*
 * peerprobe: a jailed root trying to pass for the host, on either side of
 * a prison's control socket.  Built statically by the test (jt_cc in
 * common.subr) and run inside a jail.
 *
 *   peerprobe fake DIR JID
 *	build a fake registry in DIR (created) holding a live-looking
 *	record of jail JID and a listening socket, as a prison would, and
 *	serve it: DIR/ready when listening, DIR/request once a client sent
 *	anything.  Runs until killed.
 *   peerprobe get SOCKET
 *	connect to a prison's SOCKET, send a GET request, print the reply's
 *	status: "status 0" or "status ERRNO".
 *   peerprobe handoff SOCKET
 *	wait for /tmp/go1, connect to SOCKET, fork a child that holds the
 *	connection, and exit at once; the child waits for /tmp/go2, sends
 *	a GET request and writes its status to /tmp/result.  The test
 *	hands the exited process's pid to a host process in between.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

/* lib/proto.h's header and lib/internal.h's record, as the wire has them. */
struct hdr {
	uint32_t	magic;
	uint16_t	version;
	uint16_t	type;
	uint32_t	len;
	int32_t		flags;
	int32_t		status;
	uint32_t	nitems;
	uint32_t	seq;
	uint32_t	event;
};
#define	MAGIC		0x4c49414aU
#define	JM_GET		3

struct jrec {
	uint32_t	magic;
	int32_t		jid;
	int32_t		state;
	int32_t		pid;
	char		name[256];
	char		cgroup[512];
};
#define	JREC_MAGIC	0x4a524543U
#define	JREC_ALIVE	1

static void
die(const char *what)
{
	fprintf(stderr, "peerprobe: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		die(path);
	close(fd);
}

static void
wait_for(const char *path)
{
	for (int i = 0; i < 6000 && access(path, F_OK) < 0; i++)
		usleep(10000);
}

static int
connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((s = socket(AF_UNIX, SOCK_SEQPACKET, 0)) < 0)
		die("socket");
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		die(path);
	return s;
}

/* A GET request for nothing; the reply's status (0 or an errno). */
static int
get(int s)
{
	struct hdr h = { MAGIC, 2, JM_GET, sizeof(h), 0, 0, 0, 1, 0 };
	unsigned char buf[65536];
	ssize_t n;

	if (send(s, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		die("send");
	if ((n = recv(s, buf, sizeof(buf), 0)) < (ssize_t)sizeof(h))
		return -1;
	memcpy(&h, buf, sizeof(h));
	return h.status;
}

static int
fake(const char *dir, int jid)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct jrec r;
	char path[512], marker[600];
	int fd, s, c;

	mkdir(dir, 0755);
	chmod(dir, 0755);
	memset(&r, 0, sizeof(r));
	r.magic = JREC_MAGIC;
	r.jid = jid;
	r.state = JREC_ALIVE;
	r.pid = getpid();
	strcpy(r.name, "fake");
	snprintf(path, sizeof(path), "%s/%d", dir, jid);
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r) ||
	    flock(fd, LOCK_EX) < 0)
		die(path);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%d.sock", dir, jid);
	unlink(sun.sun_path);
	if ((s = socket(AF_UNIX, SOCK_SEQPACKET, 0)) < 0 ||
	    bind(s, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    chmod(sun.sun_path, 0666) < 0 || listen(s, 16) < 0)
		die(sun.sun_path);
	snprintf(marker, sizeof(marker), "%s/ready", dir);
	touch(marker);
	snprintf(marker, sizeof(marker), "%s/request", dir);
	for (;;) {
		char buf[65536];

		if ((c = accept(s, NULL, NULL)) < 0)
			continue;
		/* Anything at all: the client took us for its prison. */
		if (recv(c, buf, sizeof(buf), 0) > 0)
			touch(marker);
		close(c);
	}
}

static int
handoff(const char *sock)
{
	FILE *f;
	pid_t pid;
	int s, st;

	touch("/tmp/ready");
	wait_for("/tmp/go1");
	s = connect_to(sock);
	if ((pid = fork()) < 0)
		die("fork");
	if (pid > 0)
		_exit(0);	/* the connecting process goes */
	/* Out of its process group too: else its pid stays in use. */
	setsid();
	wait_for("/tmp/go2");
	st = get(s);
	if ((f = fopen("/tmp/result.tmp", "w")) == NULL)
		die("/tmp/result.tmp");
	fprintf(f, "status %d\n", st);
	fclose(f);
	rename("/tmp/result.tmp", "/tmp/result");
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "fake") == 0)
		return fake(argv[2], atoi(argv[3]));
	if (argc == 3 && strcmp(argv[1], "get") == 0) {
		printf("status %d\n", get(connect_to(argv[2])));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "handoff") == 0)
		return handoff(argv[2]);
	fprintf(stderr, "usage: peerprobe fake DIR JID | get SOCKET | "
	    "handoff SOCKET\n");
	return 2;
}
