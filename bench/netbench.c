/*
 * netbench: TCP round trips and throughput between two ends, for bench/net
 * (a service in a jail reached from the host, against the same service on
 * the host).  Static: the server side runs inside a busybox jail.
 *
 *	netbench serve ADDR PORT		echo for "rr", sink for "tput"
 *	netbench rr ADDR PORT COUNT		COUNT one-byte round trips
 *	netbench tput ADDR PORT MBYTES		MBYTES sent, then one ack
 *
 * The client prints one line: "rr N us_per_trip" or "tput N MB_per_s".
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define	CHUNK	(64 * 1024)

static char buf[CHUNK];

/* ADDR PORT as a socket address, IPv4 or IPv6. */
static socklen_t
address(const char *addr, const char *port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	int p = atoi(port);

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)p);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)p);
		return sizeof(*s6);
	}
	errx(2, "%s: not an address", addr);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
nodelay(int fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* One client: its first byte says which test ('r' or 't'). */
static void
serve_one(int c)
{
	char mode;
	ssize_t n;

	nodelay(c);
	if (read(c, &mode, 1) != 1)
		return;
	if (mode == 'r') {
		while ((n = read(c, buf, 1)) == 1)
			if (write(c, buf, 1) != 1)
				return;
		return;
	}
	while ((n = read(c, buf, sizeof(buf))) > 0)
		if (memchr(buf, '!', (size_t)n) != NULL)
			break;
	(void)!write(c, "k", 1);
}

static int
serve(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = address(addr, port, &ss);
	int s, c, one = 1;

	signal(SIGCHLD, SIG_IGN);
	if ((s = socket(ss.ss_family, SOCK_STREAM, 0)) < 0)
		err(1, "socket");
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&ss, len) < 0 || listen(s, 16) < 0)
		err(1, "bind %s %s", addr, port);
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		if ((c = accept(s, NULL, NULL)) < 0) {
			if (errno == EINTR)
				continue;
			err(1, "accept");
		}
		if (fork() == 0) {
			close(s);
			serve_one(c);
			_exit(0);
		}
		close(c);
	}
}

static int
dial(const char *addr, const char *port, char mode)
{
	struct sockaddr_storage ss;
	socklen_t len = address(addr, port, &ss);
	int s;

	if ((s = socket(ss.ss_family, SOCK_STREAM, 0)) < 0)
		err(1, "socket");
	if (connect(s, (struct sockaddr *)&ss, len) < 0)
		err(1, "connect %s %s", addr, port);
	nodelay(s);
	if (write(s, &mode, 1) != 1)
		err(1, "write");
	return s;
}

static int
round_trips(const char *addr, const char *port, long count)
{
	int s = dial(addr, port, 'r');
	char b = 'x';
	double t0 = now();

	for (long i = 0; i < count; i++)
		if (write(s, &b, 1) != 1 || read(s, &b, 1) != 1)
			err(1, "round trip %ld", i);
	printf("rr %ld %.2f\n", count, (now() - t0) / (double)count * 1e6);
	close(s);
	return 0;
}

static int
throughput(const char *addr, const char *port, long mbytes)
{
	int s = dial(addr, port, 't');
	long left = mbytes * 1024 * 1024;
	double t0 = now();
	char ack;

	memset(buf, 'd', sizeof(buf));
	while (left > 0) {
		ssize_t n = write(s, buf, left < CHUNK ? (size_t)left : CHUNK);

		if (n <= 0)
			err(1, "write");
		left -= n;
	}
	if (write(s, "!", 1) != 1 || read(s, &ack, 1) != 1)
		err(1, "ack");
	printf("tput %ld %.1f\n", mbytes, (double)mbytes / (now() - t0));
	close(s);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "rr") == 0)
		return round_trips(argv[2], argv[3], atol(argv[4]));
	if (argc == 5 && strcmp(argv[1], "tput") == 0)
		return throughput(argv[2], argv[3], atol(argv[4]));
	fprintf(stderr, "usage: netbench serve ADDR PORT | rr ADDR PORT COUNT | "
	    "tput ADDR PORT MBYTES\n");
	return 2;
}
