/*
 * protofuzz JID COUNT [USER]: throw COUNT malformed and mutated requests at
 * the prison of jail JID, as USER (default: the caller).  The prison must
 * answer or drop each one and stay alive; the test checks the jail after.
 * As root, mutations never produce removal, update or attach requests:
 * those are a root client's right, not a bug.
 */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "proto.h"

static int
dial(int jid)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *reg = getenv("JAIL_REGISTRY");
	int s;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%d.sock",
	    reg != NULL ? reg : "/run/jail", jid);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		perror("connect");
		exit(1);
	}
	return s;
}

int
main(int argc, char **argv)
{
	unsigned char good[512], msg[4096], reply[JPROTO_MAXMSG];
	struct jmsg_buf b;
	unsigned seed = 4242;
	int jid, count, s, root;
	ssize_t n;

	if (argc < 3)
		return 2;
	jid = atoi(argv[1]);
	count = atoi(argv[2]);
	if (argc > 3) {
		struct passwd *pw = getpwnam(argv[3]);

		if (pw == NULL || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
			perror("setuid");
			return 1;
		}
	}
	root = geteuid() == 0;
	jmsg_start(&b, good, sizeof(good), JM_GET, 0, 0);
	jmsg_add(&b, "host.hostname", NULL, 0, 1);
	jmsg_add(&b, "meta.key", NULL, 0, 1);
	jmsg_add_str(&b, "name", "x");
	n = jmsg_finish(&b);
	s = dial(jid);
	for (int i = 0; i < count; i++) {
		size_t len;

		switch (rand_r(&seed) % 3) {
		case 0:		/* noise */
			len = (size_t)(rand_r(&seed) % sizeof(msg));
			for (size_t k = 0; k < len; k++)
				msg[k] = (unsigned char)rand_r(&seed);
			break;
		default:	/* a valid request, a few bytes changed */
			len = (size_t)n;
			memcpy(msg, good, len);
			for (int k = 1 + rand_r(&seed) % 3; k > 0; k--)
				msg[rand_r(&seed) % len] = (unsigned char)rand_r(&seed);
			if (!root && rand_r(&seed) % 4 == 0) {
				/* A privileged request from a nobody. */
				uint16_t t = JM_UPDATE + (uint16_t)(rand_r(&seed) % 3);
				memcpy(msg + 6, &t, sizeof(t));
			}
			break;
		}
		if (root && len >= 8) {
			uint16_t t;

			memcpy(&t, msg + 6, sizeof(t));
			if (t == JM_UPDATE || t == JM_REMOVE || t == JM_ATTACH) {
				t = JM_GET;
				memcpy(msg + 6, &t, sizeof(t));
			}
			/* No owning descriptor: its close would remove the jail. */
			if (len >= 16)
				msg[12] &= (unsigned char)~0x80;
		}
		if (send(s, msg, len, MSG_NOSIGNAL) < 0) {
			/* The prison may drop a connection it does not like. */
			close(s);
			s = dial(jid);
			continue;
		}
		struct pollfd p = { .fd = s, .events = POLLIN };
		if (poll(&p, 1, 2000) != 1) {
			fprintf(stderr, "no answer to request %d\n", i);
			return 1;
		}
		n = recv(s, reply, sizeof(reply), 0);
		if (n <= 0) {
			close(s);
			s = dial(jid);
		}
		n = (ssize_t)b.len;
	}
	printf("survived %d requests\n", count);
	return 0;
}
