/*
 * Who is at the other end of a UNIX socket, and whether a process is
 * outside every jail.  The library asks it of a prison before trusting it,
 * the prison of each client: one answer for both sides.
 *
 * A jail's processes live in a user namespace of their own, so "outside
 * every jail" means "in the host's initial user namespace".  The uid that
 * SO_PEERCRED gives is not enough: under the identity mapping jailed root
 * is uid 0 on the host too.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "internal.h"

/* The initial user namespace has a fixed inode number (PROC_USER_INIT_INO). */
#define	PROC_USER_INIT_INO	0xEFFFFFFDU

#ifndef SO_PEERPIDFD
#define	SO_PEERPIDFD		77	/* Linux 6.5 */
#endif

int
jail_caller_jailed(void)
{
	struct stat sb;

	if (stat("/proc/self/ns/user", &sb) < 0)
		return 1;	/* no procfs: not a host we know; deny */
	return sb.st_ino != PROC_USER_INIT_INO;
}

/*
 * A pidfd of SOCK's peer.  SO_PEERPIDFD names the very process that
 * connected (or listened), whatever has become of its pid since; it fails
 * once that process is gone.  Before Linux 6.5, a pidfd of the pid
 * SO_PEERCRED gives, which a dead peer's successor could hold.
 */
static int
peer_pidfd(int sock, pid_t pid)
{
	socklen_t len = sizeof(int);
	int fd;

	if (getsockopt(sock, SOL_SOCKET, SO_PEERPIDFD, &fd, &len) == 0)
		return fd;
	if (errno != ENOPROTOOPT)
		return -1;
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int
jpeer_in_host(int sock)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct stat sb;
	char path[64];
	int pidfd, in, err = 0;

	/* A pid of 0: the peer is in a pid namespace we cannot see into. */
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    cred.pid <= 0 || (pidfd = peer_pidfd(sock, cred.pid)) < 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)cred.pid);
	if (stat(path, &sb) == 0)
		in = sb.st_ino == PROC_USER_INIT_INO;
	else if ((err = errno) == EACCES)
		in = -1;	/* not ours to look at: no answer */
	else
		in = 0;
	/*
	 * The pidfd holds the peer's identity, not its pid: only if the peer
	 * is still there (a zombie keeps its pid too) was the pid its own
	 * while we looked.  EPERM means alive, just not ours to signal.
	 */
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0 &&
	    errno != EPERM)
		in = 0;
	close(pidfd);
	if (in < 0)
		errno = err;
	return in;
}
