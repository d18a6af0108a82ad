/*
 * netprobe: TCP and UDP endpoints, spoofed and sniffing raw sockets, for
 * the network tests (netbb_test.sh).  Built statically by the test
 * (jt_cc in common.subr) into the jail's /bin; the same binary runs on
 * the host and in the test's network namespaces.  Every report is one
 * line on stdout; a failed call is "<what> fail ERRNO".
 *
 *   netprobe serve PROTO ADDR PORT LOG
 *	PROTO is tcp or udp.  Bind ADDR (IPv4 or IPv6, "0.0.0.0" or "::"
 *	for any) port PORT (0: any), print "ready PORT", then serve until
 *	killed: for each TCP connection or UDP datagram append "PEER MSG"
 *	to LOG (PEER the numeric source address as the server sees it, MSG
 *	the first line received) and answer "pong PEER".
 *   netprobe send [-f] [-s SRC] [-m MSG] [-w SEC] PROTO ADDR PORT
 *	Send MSG (default "ping") to ADDR:PORT, from SRC if given (-f:
 *	bound with IP_FREEBIND, which lets any address be bound), and wait
 *	SEC seconds (default 3) for the answer.  Prints "ok LOCAL PEER":
 *	LOCAL the socket's own address, PEER the source the server saw.
 *	"bind SRC fail ERRNO" if SRC cannot be bound; "send fail ERRNO"
 *	if nothing came back (ETIMEDOUT when silence).
 *   netprobe rawsend SRC DST PORT MSG
 *	Send one UDP datagram carrying MSG from SRC to DST:PORT through a
 *	raw IPPROTO_RAW socket that writes the IP header itself: SRC is
 *	whatever address the caller likes.  "rawsend ok" or
 *	"socket fail ERRNO" / "rawsend fail ERRNO".
 *   netprobe sniff SEC MARKER
 *	Open raw UDP sockets (IPv4 and IPv6: every UDP packet the
 *	namespace's stack sees), print "ready", and after SEC seconds print
 *	"sniffed N", N the number of packets that held MARKER.  "socket
 *	fail ERRNO" if neither family can be opened.
 */
#define	_GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const struct {
	int		e;
	const char	*name;
} errnames[] = {
	{ EPERM, "EPERM" }, { EACCES, "EACCES" }, { ENOENT, "ENOENT" },
	{ EINVAL, "EINVAL" }, { EAGAIN, "EAGAIN" }, { ENODEV, "ENODEV" },
	{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { EADDRINUSE, "EADDRINUSE" },
	{ ECONNREFUSED, "ECONNREFUSED" }, { ECONNRESET, "ECONNRESET" },
	{ ENETUNREACH, "ENETUNREACH" }, { EHOSTUNREACH, "EHOSTUNREACH" },
	{ ETIMEDOUT, "ETIMEDOUT" }, { EAFNOSUPPORT, "EAFNOSUPPORT" },
	{ EPROTONOSUPPORT, "EPROTONOSUPPORT" }, { ENETDOWN, "ENETDOWN" },
	{ EMSGSIZE, "EMSGSIZE" }, { ENOBUFS, "ENOBUFS" }, { ENOSYS, "ENOSYS" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENOTCONN, "ENOTCONN" },
	{ EPIPE, "EPIPE" },
};

static const char *
ename(int e)
{
	static char buf[16];

	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].e == e)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static void
usage(void)
{
	fprintf(stderr, "usage: netprobe serve PROTO ADDR PORT LOG\n"
	    "       netprobe send [-f] [-s SRC] [-m MSG] [-w SEC] PROTO ADDR PORT\n"
	    "       netprobe rawsend SRC DST PORT MSG\n"
	    "       netprobe sniff SEC MARKER\n");
	exit(2);
}

/* ADDR and PORT as a socket address; exits on a bad address. */
static socklen_t
mkaddr(const char *addr, const char *port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)atoi(port));
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)atoi(port));
		return sizeof(*s6);
	}
	fprintf(stderr, "netprobe: not an address: %s\n", addr);
	exit(2);
}

/* The numeric address of SS (an IPv4-mapped IPv6 one as IPv4). */
static const char *
ntop(const struct sockaddr_storage *ss)
{
	static char buf[INET6_ADDRSTRLEN];
	const struct sockaddr_in6 *s6 = (const void *)ss;

	if (ss->ss_family == AF_INET)
		return inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr,
		    buf, sizeof(buf));
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		return inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], buf,
		    sizeof(buf));
	return inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf));
}

static int
proto_type(const char *p)
{
	if (strcmp(p, "tcp") == 0)
		return SOCK_STREAM;
	if (strcmp(p, "udp") == 0)
		return SOCK_DGRAM;
	usage();
	return -1;
}

/* The first line of BUF (N bytes), in place. */
static char *
firstline(char *buf, ssize_t n)
{
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf;
}

static void
logline(const char *log, const char *peer, const char *msg)
{
	FILE *f = fopen(log, "a");

	if (f == NULL)
		return;
	fprintf(f, "%s %s\n", peer, msg);
	fclose(f);
}

static int
serve(int argc, char **argv)
{
	struct sockaddr_storage ss, peer;
	socklen_t len, plen;
	int type, fd, one = 1;
	char buf[512], reply[600], peertext[INET6_ADDRSTRLEN];
	ssize_t n;

	if (argc != 5)
		usage();
	type = proto_type(argv[1]);
	len = mkaddr(argv[2], argv[3], &ss);
	if ((fd = socket(ss.ss_family, type, 0)) < 0) {
		printf("socket fail %s\n", ename(errno));
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		printf("bind %s fail %s\n", argv[2], ename(errno));
		return 1;
	}
	if (type == SOCK_STREAM && listen(fd, 16) < 0) {
		printf("listen fail %s\n", ename(errno));
		return 1;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	printf("ready %u\n", ntohs(ss.ss_family == AF_INET ?
	    ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port));
	fflush(stdout);
	for (;;) {
		plen = sizeof(peer);
		if (type == SOCK_DGRAM) {
			n = recvfrom(fd, buf, sizeof(buf) - 1, 0,
			    (struct sockaddr *)&peer, &plen);
			if (n < 0)
				continue;
			snprintf(peertext, sizeof(peertext), "%s", ntop(&peer));
			logline(argv[4], peertext, firstline(buf, n));
			snprintf(reply, sizeof(reply), "pong %s\n", peertext);
			sendto(fd, reply, strlen(reply), 0,
			    (struct sockaddr *)&peer, plen);
			continue;
		}
		int c = accept(fd, (struct sockaddr *)&peer, &plen);
		struct timeval tv = { .tv_sec = 3 };
		size_t got = 0;

		if (c < 0)
			continue;
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		while (got < sizeof(buf) - 1 &&
		    (n = read(c, buf + got, sizeof(buf) - 1 - got)) > 0) {
			got += (size_t)n;
			if (memchr(buf, '\n', got) != NULL)
				break;
		}
		snprintf(peertext, sizeof(peertext), "%s", ntop(&peer));
		logline(argv[4], peertext, firstline(buf, (ssize_t)got));
		snprintf(reply, sizeof(reply), "pong %s\n", peertext);
		(void)!write(c, reply, strlen(reply));
		close(c);
	}
}

/* Wait up to MS milliseconds for EVENTS on FD; 0 on a timeout. */
static int
wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	while ((r = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	return r;
}

static int
sendprobe(int argc, char **argv)
{
	const char *src = NULL, *msg = "ping";
	int freebind = 0, secs = 3, opt, type, fd, one = 1, e;
	struct sockaddr_storage dst, me;
	socklen_t dlen, mlen;
	char out[600], buf[512], local[INET6_ADDRSTRLEN];
	ssize_t n;

	optind = 1;
	while ((opt = getopt(argc, argv, "fs:m:w:")) != -1) {
		switch (opt) {
		case 'f': freebind = 1; break;
		case 's': src = optarg; break;
		case 'm': msg = optarg; break;
		case 'w': secs = atoi(optarg); break;
		default: usage();
		}
	}
	if (argc - optind != 3)
		usage();
	type = proto_type(argv[optind]);
	dlen = mkaddr(argv[optind + 1], argv[optind + 2], &dst);
	if ((fd = socket(dst.ss_family, type | SOCK_NONBLOCK, 0)) < 0) {
		printf("socket fail %s\n", ename(errno));
		return 0;
	}
	if (freebind && setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one,
	    sizeof(one)) < 0) {
		printf("freebind fail %s\n", ename(errno));
		return 0;
	}
	if (src != NULL) {
		mlen = mkaddr(src, "0", &me);
		if (bind(fd, (struct sockaddr *)&me, mlen) < 0) {
			printf("bind %s fail %s\n", src, ename(errno));
			return 0;
		}
	}
	if (connect(fd, (struct sockaddr *)&dst, dlen) < 0) {
		if (errno != EINPROGRESS) {
			printf("send fail %s\n", ename(errno));
			return 0;
		}
		if (wait_fd(fd, POLLOUT, secs * 1000) == 0) {
			printf("send fail ETIMEDOUT\n");
			return 0;
		}
		socklen_t el = sizeof(e);
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el);
		if (e != 0) {
			printf("send fail %s\n", ename(e));
			return 0;
		}
	}
	mlen = sizeof(me);
	getsockname(fd, (struct sockaddr *)&me, &mlen);
	snprintf(local, sizeof(local), "%s", ntop(&me));
	snprintf(out, sizeof(out), "%s\n", msg);
	if (send(fd, out, strlen(out), MSG_NOSIGNAL) < 0) {
		printf("send fail %s\n", ename(errno));
		return 0;
	}
	if (wait_fd(fd, POLLIN, secs * 1000) == 0) {
		printf("send fail ETIMEDOUT\n");
		return 0;
	}
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0) {
		printf("send fail %s\n", ename(errno));
		return 0;
	}
	firstline(buf, n);
	if (strncmp(buf, "pong ", 5) != 0) {
		printf("send fail bad-reply %s\n", buf);
		return 0;
	}
	printf("ok %s %s\n", local, buf + 5);
	return 0;
}

static uint16_t
csum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int
rawsend(int argc, char **argv)
{
	struct sockaddr_storage src, dst;
	unsigned char pkt[1500];
	size_t mlen, len;
	struct udphdr *u;
	int fd;

	if (argc != 5)
		usage();
	mkaddr(argv[1], "0", &src);
	mkaddr(argv[2], "0", &dst);
	mlen = strlen(argv[4]);
	if (src.ss_family != dst.ss_family || mlen > 1000)
		usage();
	memset(pkt, 0, sizeof(pkt));
	if ((fd = socket(dst.ss_family, SOCK_RAW, IPPROTO_RAW)) < 0) {
		printf("socket fail %s\n", ename(errno));
		return 0;
	}
	if (dst.ss_family == AF_INET) {
		struct iphdr *ip = (struct iphdr *)pkt;

		u = (struct udphdr *)(ip + 1);
		len = sizeof(*ip) + sizeof(*u) + mlen;
		ip->version = 4;
		ip->ihl = 5;
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
		ip->tot_len = htons((uint16_t)len);
		ip->saddr = ((struct sockaddr_in *)&src)->sin_addr.s_addr;
		ip->daddr = ((struct sockaddr_in *)&dst)->sin_addr.s_addr;
		ip->check = htons(csum(ip, sizeof(*ip), 0));
	} else {
		struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt;

		u = (struct udphdr *)(ip6 + 1);
		len = sizeof(*ip6) + sizeof(*u) + mlen;
		ip6->ip6_flow = htonl(6U << 28);
		ip6->ip6_plen = htons((uint16_t)(sizeof(*u) + mlen));
		ip6->ip6_nxt = IPPROTO_UDP;
		ip6->ip6_hlim = 64;
		ip6->ip6_src = ((struct sockaddr_in6 *)&src)->sin6_addr;
		ip6->ip6_dst = ((struct sockaddr_in6 *)&dst)->sin6_addr;
	}
	u->source = htons(40000);
	u->dest = htons((uint16_t)atoi(argv[3]));
	u->len = htons((uint16_t)(sizeof(*u) + mlen));
	memcpy(u + 1, argv[4], mlen);
	if (dst.ss_family == AF_INET6) {
		struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt;
		unsigned char ph[40];
		uint32_t sum = 0;
		size_t ulen = sizeof(*u) + mlen;
		uint16_t c;

		/* The pseudo-header's sum, then the datagram's. */
		memcpy(ph, &ip6->ip6_src, 16);
		memcpy(ph + 16, &ip6->ip6_dst, 16);
		ph[32] = 0; ph[33] = 0;
		ph[34] = (unsigned char)(ulen >> 8);
		ph[35] = (unsigned char)ulen;
		ph[36] = 0; ph[37] = 0; ph[38] = 0; ph[39] = IPPROTO_UDP;
		for (size_t i = 0; i < sizeof(ph); i += 2)
			sum += (uint32_t)(ph[i] << 8 | ph[i + 1]);
		c = csum(u, ulen, sum);
		u->check = htons(c == 0 ? 0xffff : c);
	}
	if (sendto(fd, pkt, len, 0, (struct sockaddr *)&dst,
	    dst.ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6)) < 0) {
		printf("rawsend fail %s\n", ename(errno));
		return 0;
	}
	printf("rawsend ok\n");
	return 0;
}

static int
sniff(int argc, char **argv)
{
	struct pollfd p[2];
	int n = 0, count = 0, e = 0;
	time_t end;
	char buf[65536];

	if (argc != 3)
		usage();
	if ((p[n].fd = socket(AF_INET, SOCK_RAW, IPPROTO_UDP)) >= 0)
		p[n++].events = POLLIN;
	else
		e = errno;
	if ((p[n].fd = socket(AF_INET6, SOCK_RAW, IPPROTO_UDP)) >= 0)
		p[n++].events = POLLIN;
	if (n == 0) {
		printf("socket fail %s\n", ename(e));
		return 0;
	}
	printf("ready\n");
	fflush(stdout);
	end = time(NULL) + atoi(argv[1]);
	while (time(NULL) < end) {
		if (poll(p, (nfds_t)n, 200) <= 0)
			continue;
		for (int i = 0; i < n; i++) {
			ssize_t r;

			if (!(p[i].revents & POLLIN))
				continue;
			r = recv(p[i].fd, buf, sizeof(buf), 0);
			if (r > 0 && memmem(buf, (size_t)r, argv[2],
			    strlen(argv[2])) != NULL)
				count++;
		}
	}
	printf("sniffed %d\n", count);
	return 0;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "serve") == 0)
		return serve(argc - 1, argv + 1);
	if (strcmp(argv[1], "send") == 0)
		return sendprobe(argc - 1, argv + 1);
	if (strcmp(argv[1], "rawsend") == 0)
		return rawsend(argc - 1, argv + 1);
	if (strcmp(argv[1], "sniff") == 0)
		return sniff(argc - 1, argv + 1);
	usage();
	return 2;
}
