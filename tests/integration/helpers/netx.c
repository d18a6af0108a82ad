/*
 * netx: TCP and UDP echo services and clients for the network tests,
 * static, for jails that have only busybox.
 *
 *   netx serve tcp|udp ADDR PORT COUNT
 *	print "ready", then answer COUNT requests with "echo:REQUEST",
 *	printing "from PEER" for each
 *   netx send tcp|udp [-f] [-s SRC] ADDR PORT MESSAGE
 *	send MESSAGE (from SRC, with IP_FREEBIND if -f), print the answer,
 *	"timeout" if none comes within 2 s, or "fail ERRNO-NAME"
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *
ename(int e)
{
	switch (e) {
	case EADDRNOTAVAIL:	return "EADDRNOTAVAIL";
	case ECONNREFUSED:	return "ECONNREFUSED";
	case ENETUNREACH:	return "ENETUNREACH";
	case EHOSTUNREACH:	return "EHOSTUNREACH";
	case EPERM:		return "EPERM";
	case EACCES:		return "EACCES";
	case ETIMEDOUT:		return "ETIMEDOUT";
	case EINVAL:		return "EINVAL";
	case EAFNOSUPPORT:	return "EAFNOSUPPORT";
	default:		return strerror(e);
	}
}

static socklen_t
parse(const char *a, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		return sizeof(*s6);
	}
	fprintf(stderr, "netx: bad address %s\n", a);
	exit(2);
}

static void
peer(const struct sockaddr_storage *ss)
{
	char t[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr,
		    t, sizeof(t));
	else
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr,
		    t, sizeof(t));
	printf("from %s\n", t);
	fflush(stdout);
}

static int
serve(int udp, const char *addr, int port, int count)
{
	struct sockaddr_storage ss, from;
	socklen_t len = parse(addr, port, &ss), flen;
	char buf[512], out[600];
	int fd, one = 1;
	ssize_t n;

	fd = socket(ss.ss_family, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    (!udp && listen(fd, 8) < 0)) {
		printf("fail %s\n", ename(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (count-- > 0) {
		flen = sizeof(from);
		if (udp) {
			n = recvfrom(fd, buf, sizeof(buf) - 1, 0,
			    (struct sockaddr *)&from, &flen);
			if (n < 0)
				return 1;
			buf[n] = '\0';
			peer(&from);
			n = snprintf(out, sizeof(out), "echo:%s", buf);
			sendto(fd, out, (size_t)n, 0, (struct sockaddr *)&from,
			    flen);
			continue;
		}
		int c = accept(fd, (struct sockaddr *)&from, &flen);

		if (c < 0)
			return 1;
		peer(&from);
		n = read(c, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		n = snprintf(out, sizeof(out), "echo:%s", buf);
		(void)!write(c, out, (size_t)n);
		close(c);
	}
	return 0;
}

static int
sendone(int udp, int freebind, const char *src, const char *addr, int port,
    const char *msg)
{
	struct sockaddr_storage ss, s2;
	socklen_t len = parse(addr, port, &ss);
	struct pollfd p;
	char buf[600];
	int fd, one = 1;
	ssize_t n;

	fd = socket(ss.ss_family, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0) {
		printf("fail %s\n", ename(errno));
		return 0;
	}
	if (freebind && setsockopt(fd, ss.ss_family == AF_INET ? IPPROTO_IP :
	    IPPROTO_IPV6, ss.ss_family == AF_INET ? IP_FREEBIND :
	    IPV6_FREEBIND, &one, sizeof(one)) < 0) {
		printf("freebind fail %s\n", ename(errno));
		return 0;
	}
	if (src != NULL) {
		socklen_t l2 = parse(src, 0, &s2);

		if (bind(fd, (struct sockaddr *)&s2, l2) < 0) {
			printf("bind fail %s\n", ename(errno));
			return 0;
		}
	}
	/* Connect within 2 s, or say so. */
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 &&
	    errno != EINPROGRESS) {
		printf("fail %s\n", ename(errno));
		return 0;
	}
	p.fd = fd;
	p.events = POLLOUT;
	if (poll(&p, 1, 2000) <= 0) {
		printf("timeout\n");
		return 0;
	}
	{
		int e = 0;
		socklen_t el = sizeof(e);

		getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el);
		if (e != 0) {
			printf("fail %s\n", ename(e));
			return 0;
		}
	}
	fcntl(fd, F_SETFL, 0);
	if (write(fd, msg, strlen(msg)) < 0) {
		printf("fail %s\n", ename(errno));
		return 0;
	}
	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, 2000) <= 0) {
		printf("timeout\n");
		return 0;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		printf("fail %s\n", ename(errno));
		return 0;
	}
	buf[n] = '\0';
	printf("%s\n", buf);
	return 0;
}

int
main(int argc, char **argv)
{
	int udp, freebind = 0, i = 3;
	const char *src = NULL;

	if (argc < 6)
		goto usage;
	udp = strcmp(argv[2], "udp") == 0;
	if (strcmp(argv[1], "serve") == 0)
		return serve(udp, argv[3], atoi(argv[4]), atoi(argv[5]));
	if (strcmp(argv[1], "send") != 0)
		goto usage;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-f") == 0)
			freebind = 1;
		else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			src = argv[++i];
		else
			goto usage;
	}
	if (argc - i != 3)
		goto usage;
	return sendone(udp, freebind, src, argv[i], atoi(argv[i + 1]),
	    argv[i + 2]);
usage:
	fprintf(stderr, "usage: netx serve tcp|udp ADDR PORT COUNT\n"
	    "       netx send tcp|udp [-f] [-s SRC] ADDR PORT MESSAGE\n");
	return 2;
}
