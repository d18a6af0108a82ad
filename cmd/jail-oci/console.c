/*
 * The console socket protocol of runc, which conmon and containerd's
 * shim speak: the engine listens on a unix socket; the runtime connects,
 * and sends the master of the container's terminal as SCM_RIGHTS with
 * some bytes of data (runc sends the terminal's name; we send the
 * jail's pts path, "/dev/pts/N", which is what it is inside the jail).
 * The terminal is a pty of the jail's own devpts (lib/pty.c): no host
 * terminal ever enters the jail.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "oci.h"

/* Connected before anything is made, so a bad path leaves nothing. */
int
oci_console_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int s;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		oci_err("--console-socket %s: name too long", path);
		return -1;
	}
	if (stat(path, &st) < 0) {
		oci_err("--console-socket %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		oci_err("--console-socket %s: not a socket", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		oci_err("--console-socket %s: %s", path, strerror(errno));
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

int
oci_console_send(int sock, int master)
{
	char name[32];
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov;
	struct msghdr msg;
	struct cmsghdr *cm;
	unsigned n;
	int fl;

	/*
	 * Blocking, as runc sends it: a receiver that simply reads it must
	 * not get EAGAIN (the pty was opened non-blocking, and the flag
	 * belongs to the open file, which the receiver shares).
	 */
	if ((fl = fcntl(master, F_GETFL)) >= 0 && (fl & O_NONBLOCK) != 0)
		(void)fcntl(master, F_SETFL, fl & ~O_NONBLOCK);
	if (ioctl(master, TIOCGPTN, &n) < 0)
		snprintf(name, sizeof(name), "/dev/ptmx");
	else
		snprintf(name, sizeof(name), "/dev/pts/%u", n);
	memset(&msg, 0, sizeof(msg));
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_base = name;
	iov.iov_len = strlen(name);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &master, sizeof(int));
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
		oci_err("--console-socket: sending the terminal: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}
