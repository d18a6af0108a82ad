/*
 * peercred listen PATH | connect PATH: a UNIX stream socket server that
 * prints the uid SO_PEERCRED gives for its first client, or that client.
 * A host service that trusts "uid 0" from SO_PEERCRED must never take a
 * jail's root for the host's.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

int
main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	int s, c;

	if (argc != 3 || strlen(argv[2]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: peercred listen|connect PATH\n");
		return 2;
	}
	strcpy(sun.sun_path, argv[2]);
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) {
		perror("socket");
		return 1;
	}
	if (strcmp(argv[1], "connect") == 0) {
		if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
			perror("connect");
			return 1;
		}
		return 0;
	}
	unlink(argv[2]);
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(s, 1) < 0 || chmod(argv[2], 0777) < 0) {
		perror("bind");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	if ((c = accept(s, NULL, NULL)) < 0 ||
	    getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0) {
		perror("accept");
		return 1;
	}
	printf("uid=%d gid=%d\n", (int)cred.uid, (int)cred.gid);
	return 0;
}
