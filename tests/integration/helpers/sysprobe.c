/*
 * sysprobe: system calls made by hand inside a jail, with the argument
 * values an attacker would choose, to see what the jail's seccomp program
 * answers.  Built statically by the test (jt_cc in common.subr).  Each
 * prints "ok" or the errno's name, and exits 0 unless used wrongly.
 *
 *   sysprobe ioctl tiocsti|tioclinux [HI]
 *	on a terminal of a new pty that is the caller's controlling
 *	terminal (so the kernel itself would not refuse with EPERM), with
 *	HI in the upper 32 bits of the request number (0x... or decimal)
 *   sysprobe ioctl32 tiocsti
 *	the same through int 0x80: the x86 (32-bit) system call
 *   sysprobe ioctl tcgets [HI]
 *	an ordinary ioctl, sign-extended if HI is 0xffffffff
 *   sysprobe socket|socketpair FAMILY TYPE PROTOCOL [HI]
 *	numbers, HI in the upper half of each; socket closes what it got
 *   sysprobe personality VALUE
 *	the raw 64-bit argument; prints the result in hex or the errno
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>

static const char *
ename(int e)
{
	static char buf[32];

	switch (e) {
	case EPERM:		return "EPERM";
	case ENOSYS:		return "ENOSYS";
	case EIO:		return "EIO";
	case EINVAL:		return "EINVAL";
	case ENOTTY:		return "ENOTTY";
	case EACCES:		return "EACCES";
	case EAFNOSUPPORT:	return "EAFNOSUPPORT";
	case EPROTONOSUPPORT:	return "EPROTONOSUPPORT";
	case ESOCKTNOSUPPORT:	return "ESOCKTNOSUPPORT";
	case EPROTOTYPE:	return "EPROTOTYPE";
	case EOPNOTSUPP:	return "EOPNOTSUPP";
	case EFAULT:		return "EFAULT";
	}
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static unsigned long
number(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || *end != '\0') {
		fprintf(stderr, "sysprobe: bad number %s\n", s);
		exit(2);
	}
	return v;
}

static void
report(long r)
{
	if (r < 0)
		puts(ename(errno));
	else
		puts("ok");
}

/*
 * A new session whose controlling terminal is the slave of a new pty:
 * the kernel lets a process push input into its own terminal (with
 * dev.tty.legacy_tiocsti), so an EPERM can only come from the filter.
 */
static int
own_terminal(void)
{
	int m, s;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(m) < 0 ||
	    unlockpt(m) < 0) {
		printf("pty %s\n", ename(errno));
		exit(0);
	}
	if (setsid() < 0 && getpgrp() != getpid()) {
		printf("setsid %s\n", ename(errno));
		exit(0);
	}
	if ((s = open(ptsname(m), O_RDWR)) < 0 ||
	    ioctl(s, TIOCSCTTY, 0) < 0) {
		printf("tty %s\n", ename(errno));
		exit(0);
	}
	return s;
}

/* ioctl through the x86 (32-bit) entry, int 0x80: nr 54. */
static long
ioctl32(int fd, unsigned int cmd, const void *arg)
{
	long r;

	__asm__ volatile ("int $0x80" : "=a" (r)
	    : "0" (54L), "b" ((long)fd), "c" ((long)cmd), "d" (arg)
	    : "memory");
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

static int
probe_ioctl(int argc, char **argv, int compat)
{
	static char c = '\n';	/* static: below 4 GiB, for int 0x80 */
	unsigned long hi = argc > 1 ? number(argv[1]) : 0, cmd;
	struct termios t;
	int fd;

	if (argc < 1)
		return 2;
	if (strcmp(argv[0], "tiocsti") == 0)
		cmd = TIOCSTI;
	else if (strcmp(argv[0], "tioclinux") == 0)
		cmd = TIOCLINUX;
	else if (strcmp(argv[0], "tcgets") == 0)
		cmd = TCGETS;
	else
		return 2;
	fd = own_terminal();
	if (compat) {
		report(ioctl32(fd, (unsigned int)cmd, &c));
		return 0;
	}
	cmd |= hi << 32;
	report(syscall(SYS_ioctl, fd, cmd, (cmd & 0xffffffff) == TCGETS ?
	    (void *)&t : (void *)&c));
	return 0;
}

static int
probe_socket(int argc, char **argv, int pair)
{
	unsigned long hi, fam, type, proto;
	int sv[2];
	long r;

	if (argc < 3)
		return 2;
	hi = argc > 3 ? number(argv[3]) << 32 : 0;
	fam = number(argv[0]) | hi;
	type = number(argv[1]) | hi;
	proto = number(argv[2]) | hi;
	if (pair)
		r = syscall(SYS_socketpair, fam, type, proto, sv);
	else
		r = syscall(SYS_socket, fam, type, proto);
	report(r);
	if (r >= 0 && !pair)
		close((int)r);
	return 0;
}

static int
probe_personality(int argc, char **argv)
{
	long r;

	if (argc < 1)
		return 2;
	r = syscall(SYS_personality, number(argv[0]));
	if (r < 0 && r > -4096)
		puts(ename(errno));
	else
		printf("%#lx\n", (unsigned long)r);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "ioctl") == 0)
		return probe_ioctl(argc - 2, argv + 2, 0);
	if (argc >= 2 && strcmp(argv[1], "ioctl32") == 0)
		return probe_ioctl(argc - 2, argv + 2, 1);
	if (argc >= 2 && strcmp(argv[1], "socket") == 0)
		return probe_socket(argc - 2, argv + 2, 0);
	if (argc >= 2 && strcmp(argv[1], "socketpair") == 0)
		return probe_socket(argc - 2, argv + 2, 1);
	if (argc >= 2 && strcmp(argv[1], "personality") == 0)
		return probe_personality(argc - 2, argv + 2);
	fprintf(stderr, "usage: sysprobe ioctl|ioctl32|socket|socketpair|"
	    "personality ...\n");
	return 2;
}
