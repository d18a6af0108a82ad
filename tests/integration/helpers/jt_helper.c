/*
 * jt_helper: small probes the integration tests run inside a jail, whose
 * root has nothing but a static busybox.  Built statically by the test
 * (jt_cc in common.subr) into the jail's /bin.
 *
 *   jt_helper shm private        shmget(IPC_PRIVATE): "ok" or "fail ERRNO"
 *   jt_helper shm create KEY     create a segment with KEY: "ok ID" / "fail"
 *   jt_helper shm lookup KEY     shmget(KEY, 0, 0): "ok ID" or "fail ERRNO"
 *   jt_helper shm rm KEY         remove the segment with KEY
 *   jt_helper escape IN OUT      the classic chroot escape (chroot into a
 *                                subdirectory, chdir("..") many times,
 *                                chroot(".")), then report whether file IN
 *                                (inside the jail) and OUT (a host path)
 *                                are reachable: "in=yes|no out=yes|no"
 *   jt_helper tiocsti            push a byte into the terminal on fd 0
 *                                with TIOCSTI, also with the upper 32 bits
 *                                of the request set: "sti=R sti64=R"
 *   jt_helper fdsend SOCK DIR    (on the host) serve one connection on the
 *                                UNIX socket SOCK: send it DIR's fd
 *   jt_helper fdcwd SOCK         (in the jail) get a directory fd from
 *                                SOCK, make it the cwd, print "ready PID"
 *                                and wait: a jailed process whose cwd is
 *                                outside the jail
 *   jt_helper immutable FILE     set the immutable attribute of FILE
 *                                (FS_IOC_SETFLAGS, chattr +i), and clear
 *                                it again if that worked: "ok" or
 *                                "fail ERRNO"
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <linux/fs.h>

static const char *
ename(int e)
{
	switch (e) {
	case ENOSYS: return "ENOSYS";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	default: return strerror(e);
	}
}

static int
shm(int argc, char **argv)
{
	key_t key;
	int id;

	if (argc >= 1 && strcmp(argv[0], "private") == 0) {
		id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
		if (id < 0) {
			printf("fail %s\n", ename(errno));
			return 0;
		}
		shmctl(id, IPC_RMID, NULL);
		printf("ok\n");
		return 0;
	}
	if (argc < 2)
		return 2;
	key = (key_t)strtol(argv[1], NULL, 0);
	if (strcmp(argv[0], "create") == 0)
		id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600);
	else
		id = shmget(key, 0, 0);
	if (id < 0) {
		printf("fail %s\n", ename(errno));
		return 0;
	}
	if (strcmp(argv[0], "rm") == 0) {
		if (shmctl(id, IPC_RMID, NULL) < 0) {
			printf("fail %s\n", ename(errno));
			return 0;
		}
		printf("ok\n");
		return 0;
	}
	printf("ok %d\n", id);
	return 0;
}

static int
escape(int argc, char **argv)
{
	struct stat sb;
	int i;

	if (argc < 2)
		return 2;
	mkdir("/tmp/jt_escape", 0700);
	if (chroot("/tmp/jt_escape") < 0)
		printf("chroot1 %s\n", ename(errno));
	/* The cwd is still the old root, outside the new one. */
	for (i = 0; i < 128; i++)
		if (chdir("..") < 0)
			break;
	if (chroot(".") < 0)
		printf("chroot2 %s\n", ename(errno));
	if (chdir("/") < 0)
		printf("chdir %s\n", ename(errno));
	printf("in=%s out=%s\n", stat(argv[0], &sb) == 0 ? "yes" : "no",
	    stat(argv[1], &sb) == 0 ? "yes" : "no");
	return 0;
}

static int
tiocsti(void)
{
	char c = 'X';
	int r, e;

	r = ioctl(0, TIOCSTI, &c);
	e = errno;
	printf("sti=%s", r == 0 ? "ok" : ename(e));
	r = (int)syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI | (1UL << 32), &c);
	e = errno;
	printf(" sti64=%s\n", r == 0 ? "ok" : ename(e));
	return 0;
}

static int
unix_socket(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	snprintf(sa->sun_path, sizeof(sa->sun_path), "%s", path);
	return socket(AF_UNIX, SOCK_STREAM, 0);
}

static int
fdsend(int argc, char **argv)
{
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(int))];
	} c;
	struct sockaddr_un sa;
	struct msghdr mh;
	struct iovec iov;
	char one = 1;
	int s, conn, d;

	if (argc < 2)
		return 2;
	if ((d = open(argv[1], O_RDONLY | O_DIRECTORY)) < 0 ||
	    (s = unix_socket(argv[0], &sa)) < 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 1) < 0 ||
	    (conn = accept(s, NULL, NULL)) < 0) {
		perror("fdsend");
		return 1;
	}
	memset(&c, 0, sizeof(c));
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = &one;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = c.b;
	mh.msg_controllen = sizeof(c.b);
	c.h.cmsg_level = SOL_SOCKET;
	c.h.cmsg_type = SCM_RIGHTS;
	c.h.cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(&c.h), &d, sizeof(int));
	if (sendmsg(conn, &mh, 0) != 1) {
		perror("fdsend: sendmsg");
		return 1;
	}
	unlink(argv[0]);
	return 0;
}

static int
fdcwd(int argc, char **argv)
{
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(int))];
	} c;
	struct sockaddr_un sa;
	struct msghdr mh;
	struct iovec iov;
	char one;
	int s, d;

	if (argc < 1)
		return 2;
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = &one;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = c.b;
	mh.msg_controllen = sizeof(c.b);
	if ((s = unix_socket(argv[0], &sa)) < 0 ||
	    connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    recvmsg(s, &mh, 0) != 1 || c.h.cmsg_type != SCM_RIGHTS) {
		printf("fail %s\n", ename(errno));
		return 1;
	}
	memcpy(&d, CMSG_DATA(&c.h), sizeof(int));
	if (fchdir(d) < 0) {
		printf("fail fchdir %s\n", ename(errno));
		return 1;
	}
	close(d);
	close(s);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	pause();
	return 0;
}

/* chattr +i FILE, then -i: what allow.chflags would be on Linux. */
static int
immutable(int argc, char **argv)
{
	int fd, flags;

	if (argc < 1)
		return 2;
	if ((fd = open(argv[0], O_RDONLY | O_NONBLOCK)) < 0 ||
	    ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) {
		printf("fail %s\n", ename(errno));
		return 0;
	}
	flags |= FS_IMMUTABLE_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0) {
		printf("fail %s\n", ename(errno));
		close(fd);
		return 0;
	}
	flags &= ~FS_IMMUTABLE_FL;
	(void)ioctl(fd, FS_IOC_SETFLAGS, &flags);
	close(fd);
	printf("ok\n");
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "shm") == 0)
		return shm(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "escape") == 0)
		return escape(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "tiocsti") == 0)
		return tiocsti();
	if (argc >= 2 && strcmp(argv[1], "fdsend") == 0)
		return fdsend(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "fdcwd") == 0)
		return fdcwd(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "immutable") == 0)
		return immutable(argc - 2, argv + 2);
	fprintf(stderr, "usage: jt_helper shm|escape|tiocsti|fdsend|fdcwd|"
	    "immutable ...\n");
	return 2;
}
