/*
 * esc: the attacks of the escape suite, one system call at a time.  Built
 * statically (the jail has only busybox) and copied into the jail root;
 * some commands are also run on the host, to set up targets (listeners,
 * a held pty, a pid to reuse) or to show that a call does work there.
 *
 * Every probe prints one line per call it makes:
 *
 *	<what> ok [detail]	the call succeeded
 *	<what> fail ERRNO	it failed with ERRNO (EPERM, ENOSYS, ...)
 *
 * so that a test tells "refused by the jail" from "not reached" and from
 * "not supported by this kernel".  Exit status 0 unless the usage is wrong
 * or the setup of a probe (not the probe itself) failed.
 *
 * Arguments that would do harm if a protection failed are chosen to be
 * harmless anyway where the kernel lets us (a bad reboot magic, the
 * current time, a no-op link change).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <mqueue.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/ptrace.h>
#include <sys/quota.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/landlock.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/userfaultfd.h>

#ifndef __X32_SYSCALL_BIT
#define	__X32_SYSCALL_BIT	0x40000000
#endif

static const char *
ename(int e)
{
	const char *n = strerrorname_np(e);

	return n != NULL ? n : "E?";
}

/* Report the result R (>= 0 ok) of call WHAT; closes R when CLOSE. */
static long
report(const char *what, long r, int close_it)
{
	int e = errno;

	if (r < 0)
		printf("%s fail %s\n", what, ename(e));
	else {
		printf("%s ok\n", what);
		if (close_it)
			close((int)r);
	}
	fflush(stdout);
	errno = e;
	return r;
}

static void __attribute__((noreturn))
die(const char *what)
{
	printf("setup %s fail %s\n", what, ename(errno));
	fflush(stdout);
	exit(3);
}

/* ------------------------------------------------------------------ */
/* File systems */

/* chroot into a subdirectory, fchdir to a directory fd opened before, .. */
static int
cmd_chroot_fd(int argc, char **argv)
{
	struct stat sb;
	int fd, i;

	if (argc < 2)
		return 2;
	if ((fd = open("/", O_PATH | O_DIRECTORY)) < 0)
		die("open /");
	mkdir("/tmp/esc_chroot", 0700);
	report("chroot", chroot("/tmp/esc_chroot"), 0);
	report("fchdir", fchdir(fd), 0);
	for (i = 0; i < 256; i++)
		if (chdir("..") < 0)
			break;
	report("chroot.", chroot("."), 0);
	(void)!chdir("/");
	printf("in=%s out=%s\n", stat(argv[0], &sb) == 0 ? "yes" : "no",
	    stat(argv[1], &sb) == 0 ? "yes" : "no");
	return 0;
}

static int
cmd_stat(int argc, char **argv)
{
	struct stat sb;

	for (int i = 0; i < argc; i++) {
		char w[300];

		snprintf(w, sizeof(w), "stat %s", argv[i]);
		report(w, stat(argv[i], &sb), 0);
	}
	return 0;
}

static int
cmd_readlink(int argc, char **argv)
{
	char buf[4096];
	ssize_t n;

	for (int i = 0; i < argc; i++) {
		n = readlink(argv[i], buf, sizeof(buf) - 1);
		if (n < 0)
			printf("readlink %s fail %s\n", argv[i], ename(errno));
		else {
			buf[n] = '\0';
			printf("readlink %s ok %s\n", argv[i], buf);
		}
	}
	return 0;
}

/* write PATH DATA: open for writing and write DATA, one report. */
static int
cmd_write(int argc, char **argv)
{
	char w[300];
	ssize_t n;
	int fd;

	if (argc < 2)
		return 2;
	snprintf(w, sizeof(w), "write %s", argv[0]);
	fd = open(argv[0], O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		report(w, -1, 0);
		return 0;
	}
	n = write(fd, argv[1], strlen(argv[1]));
	report(w, n, 0);
	close(fd);
	return 0;
}

/* read PATH...: how many bytes a read of each returns. */
static int
cmd_read(int argc, char **argv)
{
	char buf[4096];
	ssize_t n;
	int fd;

	for (int i = 0; i < argc; i++) {
		fd = open(argv[i], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			printf("read %s fail %s\n", argv[i], ename(errno));
			continue;
		}
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			printf("read %s fail %s\n", argv[i], ename(errno));
		else
			printf("read %s ok %zd\n", argv[i], n);
		close(fd);
	}
	return 0;
}

/*
 * Every mount system call, with arguments that would succeed (or fail
 * with EBADF) if the call reached the kernel: EPERM can only come from
 * the jail's policy.
 */
static int
cmd_mountapi(int argc, char **argv)
{
	struct mount_attr a = { .attr_clr = MOUNT_ATTR_RDONLY };

	(void)argc;
	(void)argv;
	report("fsopen", syscall(SYS_fsopen, "tmpfs", 0), 1);
	report("fsconfig", syscall(SYS_fsconfig, -1, FSCONFIG_CMD_CREATE, NULL,
	    NULL, 0), 0);
	report("fsmount", syscall(SYS_fsmount, -1, 0, 0), 1);
	report("fspick", syscall(SYS_fspick, AT_FDCWD, "/tmp", 0), 1);
	report("open_tree", syscall(SYS_open_tree, AT_FDCWD, "/tmp",
	    OPEN_TREE_CLONE), 1);
	report("move_mount", syscall(SYS_move_mount, -1, "", AT_FDCWD, "/tmp",
	    MOVE_MOUNT_F_EMPTY_PATH), 0);
	report("mount_setattr", syscall(SYS_mount_setattr, AT_FDCWD, "/tmp", 0,
	    &a, sizeof(a)), 0);
	report("mount", mount("esc", "/tmp", "tmpfs", 0, NULL), 0);
	report("umount2", umount2("/proc", MNT_DETACH), 0);
	return 0;
}

/* umount PATH...: plain and lazy. */
static int
cmd_umount(int argc, char **argv)
{
	char w[300];

	for (int i = 0; i < argc; i++) {
		snprintf(w, sizeof(w), "umount %s", argv[i]);
		report(w, umount2(argv[i], 0), 0);
		snprintf(w, sizeof(w), "umount-detach %s", argv[i]);
		report(w, umount2(argv[i], MNT_DETACH), 0);
	}
	return 0;
}

/* remount-rw PATH...: with mount(2) and with mount_setattr(2). */
static int
cmd_remount_rw(int argc, char **argv)
{
	struct mount_attr a = { .attr_clr = MOUNT_ATTR_RDONLY };
	char w[300];

	for (int i = 0; i < argc; i++) {
		snprintf(w, sizeof(w), "remount %s", argv[i]);
		report(w, mount(NULL, argv[i], NULL, MS_REMOUNT | MS_BIND, NULL), 0);
		snprintf(w, sizeof(w), "remount-fs %s", argv[i]);
		report(w, mount(NULL, argv[i], NULL, MS_REMOUNT, NULL), 0);
		snprintf(w, sizeof(w), "setattr %s", argv[i]);
		report(w, syscall(SYS_mount_setattr, AT_FDCWD, argv[i], 0, &a,
		    sizeof(a)), 0);
	}
	return 0;
}

/* mount TYPE TARGET [DATA] */
static int
cmd_mount(int argc, char **argv)
{
	char w[300];

	if (argc < 2)
		return 2;
	snprintf(w, sizeof(w), "mount %s", argv[0]);
	report(w, mount(argv[0], argv[1], argv[0], 0, argc > 2 ? argv[2] : NULL), 0);
	return 0;
}

/* handle-get PATH: print the file handle of PATH as "TYPE HEX". */
static int
cmd_handle_get(int argc, char **argv)
{
	struct file_handle *h;
	int mid;

	if (argc < 1)
		return 2;
	h = calloc(1, sizeof(*h) + MAX_HANDLE_SZ);
	h->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, argv[0], h, &mid, 0) < 0)
		die("name_to_handle_at");
	printf("%d ", h->handle_type);
	for (unsigned i = 0; i < h->handle_bytes; i++)
		printf("%02x", h->f_handle[i]);
	printf("\n");
	return 0;
}

/*
 * handle-open DIR TYPE HEX: open_by_handle_at with DIR's mount; then the
 * same with the handle of DIR itself (from name_to_handle_at, allowed),
 * so that EPERM is not just a bad handle.
 */
static int
cmd_handle_open(int argc, char **argv)
{
	struct file_handle *h;
	const char *hex;
	int mfd, mid;
	long r;

	if (argc < 3)
		return 2;
	if ((mfd = open(argv[0], O_RDONLY | O_DIRECTORY)) < 0)
		die("open mount dir");
	h = calloc(1, sizeof(*h) + MAX_HANDLE_SZ);
	hex = argv[2];
	h->handle_type = atoi(argv[1]);
	h->handle_bytes = (unsigned)strlen(hex) / 2;
	if (h->handle_bytes > MAX_HANDLE_SZ)
		return 2;
	for (unsigned i = 0; i < h->handle_bytes; i++)
		sscanf(hex + 2 * i, "%2hhx", &h->f_handle[i]);
	r = open_by_handle_at(mfd, h, O_RDONLY);
	if (r >= 0) {
		char buf[256] = "";
		ssize_t n = read((int)r, buf, sizeof(buf) - 1);

		printf("open_by_handle_at ok read %zd: %.60s\n", n, n > 0 ? buf : "");
		close((int)r);
	} else
		report("open_by_handle_at", r, 0);
	h->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, argv[0], h, &mid, 0) < 0)
		report("own-name_to_handle_at", -1, 0);
	else
		report("own-open_by_handle_at", open_by_handle_at(mfd, h,
		    O_RDONLY), 1);
	/* Shocker's start: the root directory of the file system, inode 2. */
	h->handle_type = 1;	/* FILEID_INO32_GEN */
	h->handle_bytes = 8;
	memset(h->f_handle, 0, 8);
	h->f_handle[0] = 2;
	report("brute-open_by_handle_at", open_by_handle_at(mfd, h, O_RDONLY), 1);
	return 0;
}

/* link OLD NEW [follow] */
static int
cmd_link(int argc, char **argv)
{
	int fl = argc > 2 && strcmp(argv[2], "follow") == 0 ? AT_SYMLINK_FOLLOW : 0;

	if (argc < 2)
		return 2;
	report("link", linkat(AT_FDCWD, argv[0], AT_FDCWD, argv[1], fl), 0);
	return 0;
}

/* linkfd FD NEW: give an open file a name (flink) */
static int
cmd_linkfd(int argc, char **argv)
{
	char p[64];

	if (argc < 2)
		return 2;
	report("linkat-empty", linkat(atoi(argv[0]), "", AT_FDCWD, argv[1],
	    AT_EMPTY_PATH), 0);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", atoi(argv[0]));
	report("linkat-proc", linkat(AT_FDCWD, p, AT_FDCWD, argv[1],
	    AT_SYMLINK_FOLLOW), 0);
	return 0;
}

/* cwd: where the process starts, seen three ways. */
static int
cmd_cwd(int argc, char **argv)
{
	char buf[4096];
	ssize_t n;

	(void)argc;
	(void)argv;
	if (getcwd(buf, sizeof(buf)) == NULL)
		printf("getcwd fail %s\n", ename(errno));
	else
		printf("getcwd ok %s\n", buf);
	n = readlink("/proc/self/cwd", buf, sizeof(buf) - 1);
	if (n < 0)
		printf("proc-cwd fail %s\n", ename(errno));
	else {
		buf[n] = '\0';
		printf("proc-cwd ok %s\n", buf);
	}
	{
		struct stat a, b;

		if (stat(".", &a) == 0 && stat("/", &b) == 0)
			printf("cwd-is-root %s\n", a.st_dev == b.st_dev &&
			    a.st_ino == b.st_ino ? "yes" : "no");
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Kernel interfaces */

static int
cmd_syslog(int argc, char **argv)
{
	static char buf[1 << 16];

	(void)argc;
	(void)argv;
	report("syslog-read-all", syscall(SYS_syslog, 3, buf, (int)sizeof(buf)), 0);
	report("syslog-size-buffer", syscall(SYS_syslog, 10, NULL, 0), 0);
	report("syslog-size-unread", syscall(SYS_syslog, 9, NULL, 0), 0);
	report("syslog-clear", syscall(SYS_syslog, 5, NULL, 0), 0);
	report("syslog-read-clear", syscall(SYS_syslog, 4, buf, (int)sizeof(buf)), 0);
	report("syslog-console-level", syscall(SYS_syslog, 8, NULL, 7), 0);
	return 0;
}

/* syslog-bytes (host): how much READ_ALL returns. */
static int
cmd_syslog_bytes(int argc, char **argv)
{
	static char buf[1 << 20];
	long n = syscall(SYS_syslog, 3, buf, (int)sizeof(buf));

	(void)argc;
	(void)argv;
	if (n < 0)
		die("syslog");
	printf("%ld\n", n);
	return 0;
}

/* mknod PATH b|c MAJOR MINOR */
static int
cmd_mknod(int argc, char **argv)
{
	char w[300];
	mode_t m;

	if (argc < 4)
		return 2;
	m = (argv[1][0] == 'b' ? S_IFBLK : S_IFCHR) | 0600;
	snprintf(w, sizeof(w), "mknod %s %s %s:%s", argv[0], argv[1], argv[2],
	    argv[3]);
	report(w, mknod(argv[0], m, makedev(atoi(argv[2]), atoi(argv[3]))), 0);
	return 0;
}

/* pty-hold (host): open a pty pair, print its number, wait to be killed. */
static int
cmd_pty_hold(int argc, char **argv)
{
	int m, n;

	(void)argc;
	(void)argv;
	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(m) < 0 ||
	    unlockpt(m) < 0 || ioctl(m, TIOCGPTN, &n) < 0)
		die("pty");
	printf("ready %d\n", n);
	fflush(stdout);
	fclose(stdout);
	for (;;)
		pause();
}

/* ------------------------------------------------------------------ */
/* System calls and privileges */

/* ns: every way to make a namespace. */
static int
cmd_ns(int argc, char **argv)
{
	static const struct { const char *n; int f; } fl[] = {
		{ "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },
		{ "pid", CLONE_NEWPID }, { "net", CLONE_NEWNET },
		{ "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC },
		{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
	};
	char w[64];

	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++) {
		pid_t p;

		snprintf(w, sizeof(w), "unshare-%s", fl[i].n);
		/* In a child: a success must not change this process. */
		if ((p = fork()) == 0)
			_exit(unshare(fl[i].f) == 0 ? 0 : errno);
		{
			int st;

			waitpid(p, &st, 0);
			errno = WEXITSTATUS(st);
			report(w, errno == 0 ? 0 : -1, 0);
		}
		snprintf(w, sizeof(w), "clone-%s", fl[i].n);
		p = (pid_t)syscall(SYS_clone, fl[i].f | SIGCHLD, 0, NULL, NULL, 0);
		if (p == 0)
			_exit(0);
		if (p > 0)
			waitpid(p, NULL, 0);
		report(w, p, 0);
	}
	{
		struct clone_args ca = { .flags = CLONE_NEWUSER,
		    .exit_signal = SIGCHLD };
		pid_t p = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));

		if (p == 0)
			_exit(0);
		if (p > 0)
			waitpid(p, NULL, 0);
		report("clone3-user", p, 0);
		ca.flags = 0;
		p = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
		if (p == 0)
			_exit(0);
		if (p > 0)
			waitpid(p, NULL, 0);
		report("clone3-plain", p, 0);
	}
	/* Control: a plain clone works. */
	{
		pid_t p = (pid_t)syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);

		if (p == 0)
			_exit(0);
		if (p > 0)
			waitpid(p, NULL, 0);
		report("clone-plain", p, 0);
	}
	return 0;
}

static int
cmd_keys(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	report("keyctl-get-user", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
	    KEY_SPEC_USER_KEYRING, 0), 0);
	report("keyctl-get-session", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
	    KEY_SPEC_SESSION_KEYRING, 0), 0);
	report("keyctl-get-user-session", syscall(SYS_keyctl,
	    KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_SESSION_KEYRING, 0), 0);
	report("keyctl-join", syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING,
	    NULL), 0);
	report("add_key", syscall(SYS_add_key, "user", "jt-escape-key", "x", 1,
	    KEY_SPEC_USER_KEYRING), 0);
	report("request_key", syscall(SYS_request_key, "user", "jt-escape-key",
	    NULL, KEY_SPEC_USER_KEYRING), 0);
	return 0;
}

static int
cmd_kernel_api(int argc, char **argv)
{
	static struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr ba;
	struct perf_event_attr pa;
	struct io_uring_params up;
	int fd;

	(void)argc;
	(void)argv;
	memset(&ba, 0, sizeof(ba));
	ba.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	ba.insn_cnt = 2;
	ba.insns = (uint64_t)(uintptr_t)prog;
	ba.license = (uint64_t)(uintptr_t)"GPL";
	report("bpf-prog-load", syscall(SYS_bpf, BPF_PROG_LOAD, &ba, sizeof(ba)), 1);
	memset(&ba, 0, sizeof(ba));
	ba.map_type = BPF_MAP_TYPE_ARRAY;
	ba.key_size = 4;
	ba.value_size = 4;
	ba.max_entries = 1;
	report("bpf-map-create", syscall(SYS_bpf, BPF_MAP_CREATE, &ba, sizeof(ba)), 1);
	memset(&pa, 0, sizeof(pa));
	pa.type = PERF_TYPE_SOFTWARE;
	pa.size = sizeof(pa);
	pa.config = PERF_COUNT_SW_TASK_CLOCK;
	pa.disabled = 1;
	pa.exclude_kernel = 1;
	pa.exclude_hv = 1;
	report("perf_event_open", syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0), 1);
	report("userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC), 1);
	report("userfaultfd-user", syscall(SYS_userfaultfd, O_CLOEXEC |
	    UFFD_USER_MODE_ONLY), 1);
	fd = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	report("dev-userfaultfd", fd, 1);
	memset(&up, 0, sizeof(up));
	report("io_uring_setup", syscall(SYS_io_uring_setup, 4, &up), 1);
	report("io_uring_enter", syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0), 0);
	report("io_uring_register", syscall(SYS_io_uring_register, -1, 0, NULL, 0), 0);
	return 0;
}

static int
cmd_modules(int argc, char **argv)
{
	static char junk[64] = "\177ELF-not-a-module";
	int fd = open("/bin/esc", O_RDONLY | O_CLOEXEC);

	(void)argc;
	(void)argv;
	report("init_module", syscall(SYS_init_module, junk, sizeof(junk), ""), 0);
	report("finit_module", syscall(SYS_finit_module, fd, "", 0), 0);
	report("delete_module", syscall(SYS_delete_module, "jt_no_such_module",
	    O_NONBLOCK), 0);
	report("kexec_load", syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL), 0);
	report("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0UL, "",
	    0UL), 0);
	if (fd >= 0)
		close(fd);
	return 0;
}

/* families: socket() of every family but UNIX, INET, INET6 and NETLINK. */
static int
cmd_families(int argc, char **argv)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET,
	    SOCK_RAW };
	int ok = 0;

	(void)argc;
	(void)argv;
	for (int fam = 0; fam < AF_MAX + 4; fam++) {
		if (fam == AF_UNIX || fam == AF_INET || fam == AF_INET6 ||
		    fam == AF_NETLINK)
			continue;
		for (size_t t = 0; t < 4; t++) {
			int s = socket(fam, types[t], 0);

			if (s >= 0) {
				printf("family %d type %d ok\n", fam, types[t]);
				close(s);
				ok++;
			} else if (errno != EAFNOSUPPORT)
				printf("family %d type %d fail %s\n", fam,
				    types[t], ename(errno));
		}
	}
	printf("families done, %d opened\n", ok);
	return 0;
}

/* socket FAMILY TYPE PROTO */
static int
cmd_socket(int argc, char **argv)
{
	char w[128];

	if (argc < 3)
		return 2;
	snprintf(w, sizeof(w), "socket %s %s %s", argv[0], argv[1], argv[2]);
	report(w, socket(atoi(argv[0]), atoi(argv[1]), (int)strtol(argv[2],
	    NULL, 0)), 1);
	return 0;
}

/* privops: calls that need host privilege, with harmless arguments. */
static int
cmd_privops(int argc, char **argv)
{
	struct timeval tv;
	struct timespec ts;
	struct timex tx;

	(void)argc;
	(void)argv;
	/* A bad magic: EINVAL if the call reached the kernel with CAP_SYS_BOOT. */
	report("reboot", syscall(SYS_reboot, 0x12345678, 0x87654321,
	    LINUX_REBOOT_CMD_CAD_OFF, NULL), 0);
	report("swapon", syscall(SYS_swapon, "/nonexistent-swap", 0), 0);
	report("swapoff", syscall(SYS_swapoff, "/nonexistent-swap"), 0);
	gettimeofday(&tv, NULL);
	report("settimeofday", syscall(SYS_settimeofday, &tv, NULL), 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	report("clock_settime", syscall(SYS_clock_settime, CLOCK_REALTIME, &ts), 0);
	/* Set maxerror to what it is: a change only in name. */
	memset(&tx, 0, sizeof(tx));
	if (syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx) < 0)
		die("clock_adjtime query");
	tx.modes = ADJ_MAXERROR;
	report("adjtimex-set", syscall(SYS_adjtimex, &tx), 0);
	report("clock_adjtime-set", syscall(SYS_clock_adjtime, CLOCK_REALTIME,
	    &tx), 0);
	report("acct", syscall(SYS_acct, "/nonexistent-dir/acct"), 0);
	report("quotactl-sync", syscall(SYS_quotactl, QCMD(Q_SYNC, USRQUOTA),
	    NULL, 0, NULL), 0);
	report("iopl", syscall(SYS_iopl, 3), 0);
	report("ioperm", syscall(SYS_ioperm, 0x80, 1, 1), 0);
	report("vhangup", syscall(SYS_vhangup), 0);
	report("pivot_root", syscall(SYS_pivot_root, "/tmp", "/tmp"), 0);
	report("setns", syscall(SYS_setns, -1, 0), 0);
	report("fanotify_init", syscall(SYS_fanotify_init, 0, O_RDONLY), 1);
	return 0;
}

/*
 * int80: blocked calls through the 32-bit entry (int $0x80, i386 numbers),
 * plus getpid as the control that the entry works at all.  Pointers are
 * to static data, below 4 GiB in this static, non-PIE binary.
 */
static long
int80(long nr, long a, long b, long c, long d, long e)
{
	long r;

	__asm__ volatile ("int $0x80"
	    : "=a"(r)
	    : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
	    : "memory", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");
	return r;
}

static void
report_raw(const char *what, long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		report(what, -1, 0);
	} else
		report(what, r, 0);
}

static char s_path[] = "/nonexistent-swap";
static char s_type[] = "user";
static char s_desc[] = "jt-escape-key";
static char s_tmpfs[] = "tmpfs";
static char s_tmp[] = "/tmp";
static unsigned char s_junk[64];
static char s_empty[] = "";

struct rawcall {
	const char	*name;
	long		 nr, a[5];
};

/*
 * Make each call in a child: a filter may kill the caller (SIGSYS) rather
 * than fail the call, and that is a refusal too ("killed SIGSYS").
 */
static void
rawcalls(const char *prefix, const struct rawcall *c, size_t n, int i386)
{
	char w[96];

	for (size_t i = 0; i < n; i++) {
		int p[2], st;
		long r = 0;
		pid_t pid;

		snprintf(w, sizeof(w), "%s-%s", prefix, c[i].name);
		if (pipe(p) < 0)
			die("pipe");
		if ((pid = fork()) == 0) {
			close(p[0]);
			if (i386)
				r = int80(c[i].nr, c[i].a[0], c[i].a[1], c[i].a[2],
				    c[i].a[3], c[i].a[4]);
			else {
				r = syscall(c[i].nr, c[i].a[0], c[i].a[1],
				    c[i].a[2], c[i].a[3], c[i].a[4]);
				if (r < 0)
					r = -errno;
			}
			(void)!write(p[1], &r, sizeof(r));
			_exit(0);
		}
		close(p[1]);
		if (read(p[0], &r, sizeof(r)) == sizeof(r))
			report_raw(w, r);
		else {
			waitpid(pid, &st, 0);
			pid = 0;
			if (WIFSIGNALED(st))
				printf("%s killed %s\n", w, sigabbrev_np(WTERMSIG(st)) ?
				    sigabbrev_np(WTERMSIG(st)) : "?");
			else
				printf("%s died\n", w);
		}
		close(p[0]);
		if (pid > 0)
			waitpid(pid, &st, 0);
		fflush(stdout);
	}
}

/* i386 numbers; pointers to static data, below 4 GiB (static, non-PIE). */
static int
cmd_int80(int argc, char **argv)
{
	const struct rawcall c[] = {
		{ "getpid", 20, { 0 } },
		{ "unshare-user", 310, { CLONE_NEWUSER } },
		{ "unshare-net", 310, { CLONE_NEWNET } },
		{ "keyctl", 288, { KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING } },
		{ "add_key", 286, { (long)s_type, (long)s_desc, (long)s_empty, 0,
		    KEY_SPEC_USER_KEYRING } },
		{ "reboot", 88, { 0x12345678, 0x87654321,
		    LINUX_REBOOT_CMD_CAD_OFF } },
		{ "init_module", 128, { (long)s_junk, sizeof(s_junk),
		    (long)s_empty } },
		{ "swapon", 87, { (long)s_path } },
		{ "syslog", 103, { 10 } },
		{ "mount", 21, { (long)s_tmpfs, (long)s_tmp, (long)s_tmpfs } },
		{ "ptrace", 26, { PTRACE_PEEKDATA, 0, 0, 0 } },
		{ "process_vm_readv", 347, { 0, 0, 0, 0, 0 } },
		{ "setns", 346, { -1 } },
		{ "userfaultfd", 374, { O_CLOEXEC } },
		{ "io_uring_setup", 425, { 4, (long)s_junk } },
		{ "perf_event_open", 336, { (long)s_junk, 0, -1, -1 } },
		{ "bpf", 357, { BPF_MAP_CREATE, (long)s_junk, 16 } },
		{ "open_by_handle_at", 342, { -1, (long)s_junk } },
		{ "socket-packet", 359, { AF_PACKET, SOCK_RAW } },
		{ "socketcall", 102, { 1, (long)s_junk } },
		{ "personality", 136, { READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE } },
	};

	(void)argc;
	(void)argv;
	rawcalls("i386", c, sizeof(c) / sizeof(c[0]), 1);
	return 0;
}

/* x32: the native entry with the x32 bit; a few calls have own numbers. */
static int
cmd_x32(int argc, char **argv)
{
	const long X = __X32_SYSCALL_BIT;
	const struct rawcall c[] = {
		{ "getpid", X | SYS_getpid, { 0 } },
		{ "unshare-user", X | SYS_unshare, { CLONE_NEWUSER } },
		{ "keyctl", X | SYS_keyctl, { KEYCTL_GET_KEYRING_ID,
		    KEY_SPEC_USER_KEYRING } },
		{ "reboot", X | SYS_reboot, { 0x12345678, 0x87654321,
		    LINUX_REBOOT_CMD_CAD_OFF } },
		{ "init_module", X | SYS_init_module, { (long)s_junk,
		    sizeof(s_junk), (long)s_empty } },
		{ "mount", X | SYS_mount, { (long)s_tmpfs, (long)s_tmp,
		    (long)s_tmpfs } },
		{ "bpf", X | SYS_bpf, { BPF_MAP_CREATE, (long)s_junk, 16 } },
		{ "setns", X | SYS_setns, { -1 } },
		{ "ptrace", X | 521, { PTRACE_PEEKDATA, 0, 0, 0 } },
		{ "process_vm_readv", X | 539, { 0, 0, 0, 0, 0 } },
	};

	(void)argc;
	(void)argv;
	rawcalls("x32", c, sizeof(c) / sizeof(c[0]), 0);
	return 0;
}

static int
cmd_personality(int argc, char **argv)
{
	char buf[64] = "";
	int fd;

	(void)argc;
	(void)argv;
	report("personality-rie", personality(READ_IMPLIES_EXEC |
	    ADDR_NO_RANDOMIZE), 0);
	report("personality-norandom", personality(ADDR_NO_RANDOMIZE), 0);
	report("personality-rie-only", personality(READ_IMPLIES_EXEC), 0);
	printf("personality-now %#x\n", (unsigned)personality(0xffffffff));
	fd = open("/proc/self/personality", O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0)
		printf("proc-personality %s", buf);
	return 0;
}

/* pids PID...: every way to touch another process. */
static int
cmd_pids(int argc, char **argv)
{
	char w[128], buf[16], p[64];
	struct iovec l = { buf, sizeof(buf) }, r = { (void *)0x400000, sizeof(buf) };

	for (int i = 0; i < argc; i++) {
		pid_t pid = atoi(argv[i]);

		snprintf(w, sizeof(w), "kill %d", pid);
		report(w, kill(pid, 0), 0);
		snprintf(w, sizeof(w), "ptrace %d", pid);
		report(w, ptrace(PTRACE_SEIZE, pid, 0, 0), 0);
		snprintf(w, sizeof(w), "process_vm_readv %d", pid);
		report(w, syscall(SYS_process_vm_readv, pid, &l, 1, &r, 1, 0), 0);
		snprintf(w, sizeof(w), "pidfd_open %d", pid);
		report(w, syscall(SYS_pidfd_open, pid, 0), 1);
		snprintf(w, sizeof(w), "sched_getaffinity %d", pid);
		{
			cpu_set_t set;

			report(w, sched_getaffinity(pid, sizeof(set), &set), 0);
		}
		snprintf(w, sizeof(w), "proc %d", pid);
		snprintf(p, sizeof(p), "/proc/%d", pid);
		{
			struct stat sb;

			report(w, stat(p, &sb), 0);
		}
	}
	return 0;
}

/*
 * sandbox: an application in the jail restricts itself further with
 * seccomp and Landlock, and a permissive filter of its own does not undo
 * the jail's.
 */
static int
cmd_sandbox(int argc, char **argv)
{
	struct sock_filter deny_getppid[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOTTY),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter allow_all[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p1 = { 4, deny_getppid }, p2 = { 1, allow_all };
	struct landlock_ruleset_attr ra = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE,
	};
	int rs;

	(void)argc;
	(void)argv;
	report("seccomp-filter", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
	    &p1), 0);
	report("getppid-after", syscall(SYS_getppid), 0);
	report("seccomp-allow-all", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	    0, &p2), 0);
	report("keyctl-after", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
	    KEY_SPEC_USER_KEYRING, 0), 0);
	report("unshare-after", unshare(CLONE_NEWUSER), 0);
	report("open-before-landlock", open("/etc/passwd", O_RDONLY), 1);
	rs = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra), 0);
	report("landlock_create_ruleset", rs, 0);
	if (rs >= 0)
		report("landlock_restrict_self", syscall(SYS_landlock_restrict_self,
		    rs, 0), 0);
	report("open-after-landlock", open("/etc/passwd", O_RDONLY), 1);
	return 0;
}

/*
 * selfcheck: this process's confinement, asked of the kernel directly
 * (not of /proc, which jail root may have replaced).
 */
static int
cmd_selfcheck(int argc, char **argv)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	(void)argc;
	(void)argv;
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		die("capget");
	printf("nnp %d seccomp %d uid %d capeff %08x%08x\n",
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0),
	    prctl(PR_GET_SECCOMP, 0, 0, 0, 0), (int)getuid(),
	    d[1].effective, d[0].effective);
	return 0;
}

/*
 * ipc create|open|unlink|rm KEY NAME: System V shared memory KEY and
 * POSIX message queue /NAME.
 */
static int
cmd_ipc(int argc, char **argv)
{
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	char mq[128];
	key_t key;
	int id;

	if (argc < 3)
		return 2;
	key = (key_t)strtol(argv[1], NULL, 0);
	snprintf(mq, sizeof(mq), "/%s", argv[2]);
	if (strcmp(argv[0], "create") == 0) {
		report("shmget-create", shmget(key, 4096, IPC_CREAT | IPC_EXCL |
		    0600), 0);
		report("mq_open-create", mq_open(mq, O_RDWR | O_CREAT | O_EXCL,
		    0600, &a), 1);
	} else if (strcmp(argv[0], "open") == 0) {
		report("shmget", shmget(key, 0, 0), 0);
		report("mq_open", mq_open(mq, O_RDWR), 1);
	} else if (strcmp(argv[0], "unlink") == 0) {
		id = shmget(key, 0, 0);
		report("shmctl-rmid", id < 0 ? id : shmctl(id, IPC_RMID, NULL), 0);
		report("mq_unlink", mq_unlink(mq), 0);
	} else {
		if ((id = shmget(key, 0, 0)) >= 0)
			shmctl(id, IPC_RMID, NULL);
		mq_unlink(mq);
	}
	return 0;
}

/* landlock-abi: the Landlock ABI version of this kernel (0: none). */
static int
cmd_landlock_abi(int argc, char **argv)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);

	(void)argc;
	(void)argv;
	printf("%ld\n", abi < 0 ? 0 : abi);
	return 0;
}

/* fd-send PATH PID (host): hand a pidfd of PID and nsfs fds to one client. */
static int
cmd_fd_send(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int l, c, fds[3];
	char cbuf[CMSG_SPACE(sizeof(fds))], x = 'x';
	struct iovec iov = { &x, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	if (argc < 2)
		return 2;
	fds[0] = (int)syscall(SYS_pidfd_open, atoi(argv[1]), 0);
	fds[1] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	fds[2] = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0)
		die("fds");
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", argv[0]);
	unlink(argv[0]);
	if ((l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(l, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(l, 1) < 0)
		die("listen");
	printf("ready\n");
	fflush(stdout);
	if ((c = accept(l, NULL, NULL)) < 0)
		die("accept");
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	if (sendmsg(c, &m, 0) < 0)
		die("sendmsg");
	close(c);
	return 0;
}

/* fd-recv PATH: receive them and try to use them against the host. */
static int
cmd_fd_recv(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s, fds[3];
	char cbuf[CMSG_SPACE(sizeof(fds))], x;
	struct iovec iov = { &x, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	if (argc < 1)
		return 2;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", argv[0]);
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		die("connect");
	if (recvmsg(s, &m, 0) <= 0 || (cm = CMSG_FIRSTHDR(&m)) == NULL ||
	    cm->cmsg_len != CMSG_LEN(sizeof(fds)))
		die("recvmsg");
	memcpy(fds, CMSG_DATA(cm), sizeof(fds));
	printf("received\n");
	report("pidfd_send_signal-0", syscall(SYS_pidfd_send_signal, fds[0], 0,
	    NULL, 0), 0);
	report("pidfd_send_signal-kill", syscall(SYS_pidfd_send_signal, fds[0],
	    SIGKILL, NULL, 0), 0);
	report("pidfd_getfd", syscall(SYS_pidfd_getfd, fds[0], 0, 0), 1);
	report("setns-pidfd", syscall(SYS_setns, fds[0], 0), 0);
	report("setns-net", syscall(SYS_setns, fds[1], CLONE_NEWNET), 0);
	report("setns-mnt", syscall(SYS_setns, fds[2], CLONE_NEWNS), 0);
	report("open_tree-nsfs", syscall(SYS_open_tree, fds[2], "",
	    AT_EMPTY_PATH | OPEN_TREE_CLONE), 1);
	return 0;
}

/* reuse PID (host): a process with exactly that pid, until killed. */
static int
cmd_reuse(int argc, char **argv)
{
	pid_t want, p;
	struct clone_args ca;

	if (argc < 1)
		return 2;
	want = atoi(argv[0]);
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	ca.set_tid = (uint64_t)(uintptr_t)&want;
	ca.set_tid_size = 1;
	p = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (p < 0)
		die("clone3 set_tid");
	if (p == 0) {
		prctl(PR_SET_NAME, "esc-reuse", 0, 0, 0);
		for (;;)
			pause();
	}
	printf("%d\n", p);
	return 0;
}

/*
 * peek-race SECONDS TARGET: watch for new processes in the jail and look
 * into each at once (/proc/PID/exe needs ptrace access, which a jexec'd
 * process must not give before it becomes TARGET by execve), and with
 * allow.unprivileged_proc_debug try to attach with ptrace too.  Each new
 * process is looked at again and again until it is reachable (or gone).
 * Prints "seen N exe M traced T early K": K processes were reachable
 * while not yet TARGET.
 */
static int
cmd_peek_race(int argc, char **argv)
{
	static char seen[1 << 22];
	struct timespec t0, t;
	char p[64], exe[4096];
	int nseen = 0, nexe = 0, early = 0, ntrace = 0;

	if (argc < 2)
		return 2;
	seen[getpid()] = 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		DIR *d;
		struct dirent *de;

		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= atoi(argv[0]))
			break;
		if ((d = opendir("/proc")) == NULL)
			die("opendir");
		while ((de = readdir(d)) != NULL) {
			int pid = atoi(de->d_name), traced;
			ssize_t n;

			/* 0 new, 1 not yet reachable, 2 done with. */
			if (pid <= 1 || pid >= (int)sizeof(seen) || seen[pid] == 2)
				continue;
			if (seen[pid] == 0)
				nseen++;
			seen[pid] = 1;
			traced = ptrace(PTRACE_SEIZE, pid, 0, 0) == 0;
			ntrace += traced;
			snprintf(p, sizeof(p), "/proc/%d/exe", pid);
			n = readlink(p, exe, sizeof(exe) - 1);
			if (n >= 0) {
				exe[n] = '\0';
				nexe++;
				seen[pid] = 2;
				if (strcmp(exe, argv[1]) != 0) {
					early++;
					printf("early %d %s\n", pid, exe);
				}
			} else if (traced) {
				early++;
				seen[pid] = 2;
				printf("early %d traced, exe %s\n", pid, ename(errno));
			} else if (errno == ENOENT)
				seen[pid] = 2;	/* gone */
			/* Let it go, or its parent could never reap it. */
			if (traced) {
				int st;

				ptrace(PTRACE_INTERRUPT, pid, 0, 0);
				if (waitpid(pid, &st, __WALL) == pid && WIFSTOPPED(st))
					ptrace(PTRACE_DETACH, pid, 0, 0);
			}
		}
		closedir(d);
	}
	printf("seen %d exe %d traced %d early %d\n", nseen, nexe, ntrace, early);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Network */

static int
parse_sin(const char *a, const char *port, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)atoi(port));
	return inet_pton(AF_INET, a, &sin->sin_addr) == 1 ? 0 : -1;
}

/* bind ADDR PORT [freebind|transparent] */
static int
cmd_bind(int argc, char **argv)
{
	struct sockaddr_in sin;
	char w[128];
	int s, one = 1;

	if (argc < 2 || parse_sin(argv[0], argv[1], &sin) < 0)
		return 2;
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		die("socket");
	if (argc > 2 && strcmp(argv[2], "freebind") == 0)
		report("freebind", setsockopt(s, SOL_IP, IP_FREEBIND, &one,
		    sizeof(one)), 0);
	if (argc > 2 && strcmp(argv[2], "transparent") == 0)
		report("transparent", setsockopt(s, SOL_IP, IP_TRANSPARENT, &one,
		    sizeof(one)), 0);
	snprintf(w, sizeof(w), "bind %s:%s", argv[0], argv[1]);
	report(w, bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return 0;
}

/* connect ADDR PORT: TCP, 2 s at most. */
static int
cmd_connect(int argc, char **argv)
{
	struct sockaddr_in sin;
	struct timeval tv = { 2, 0 };
	char w[128];
	int s;

	if (argc < 2 || parse_sin(argv[0], argv[1], &sin) < 0)
		return 2;
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		die("socket");
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	snprintf(w, sizeof(w), "connect %s:%s", argv[0], argv[1]);
	report(w, connect(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return 0;
}

/*
 * listen ADDR PORT FILE (host): accept connections, appending a line to
 * FILE for each; prints "ready PORT" once listening (PORT 0: any).
 */
static int
cmd_listen(int argc, char **argv)
{
	struct sockaddr_in sin;
	int s, c, one = 1;

	if (argc < 3 || parse_sin(argv[0], argv[1], &sin) < 0)
		return 2;
	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		die("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(s, 8) < 0)
		die("bind");
	{
		socklen_t l = sizeof(sin);

		if (getsockname(s, (struct sockaddr *)&sin, &l) < 0)
			die("getsockname");
	}
	printf("ready %d\n", ntohs(sin.sin_port));
	fflush(stdout);
	fclose(stdout);
	while ((c = accept(s, NULL, NULL)) >= 0) {
		FILE *f = fopen(argv[2], "a");

		if (f != NULL) {
			fprintf(f, "accepted\n");
			fclose(f);
		}
		close(c);
	}
	return 0;
}

/* abstract-listen NAME FILE (host), like listen for "@NAME". */
static int
cmd_abstract_listen(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len;
	int s, c;

	if (argc < 2)
		return 2;
	snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "%s", argv[0]);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    strlen(argv[0]));
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(s, (struct sockaddr *)&sun, len) < 0 || listen(s, 8) < 0)
		die("abstract listen");
	printf("ready\n");
	fflush(stdout);
	fclose(stdout);
	while ((c = accept(s, NULL, NULL)) >= 0) {
		FILE *f = fopen(argv[1], "a");

		if (f != NULL) {
			fprintf(f, "accepted\n");
			fclose(f);
		}
		close(c);
	}
	return 0;
}

/* abstract-connect NAME [dgram] */
static int
cmd_abstract_connect(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len;
	int s;

	if (argc < 1)
		return 2;
	snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "%s", argv[0]);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    strlen(argv[0]));
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		die("socket");
	report("abstract-connect", connect(s, (struct sockaddr *)&sun, len), 0);
	return 0;
}

/* bindtodevice IFNAME... */
static int
cmd_bindtodevice(int argc, char **argv)
{
	char w[128];

	for (int i = 0; i < argc; i++) {
		int s = socket(AF_INET, SOCK_DGRAM, 0);

		if (s < 0)
			die("socket");
		snprintf(w, sizeof(w), "bindtodevice %s", argv[i]);
		report(w, setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, argv[i],
		    (socklen_t)strlen(argv[i])), 0);
		close(s);
	}
	return 0;
}

/* One netlink request with an ack; report the kernel's answer. */
static void
nl_talk(const char *what, int proto, void *req, size_t len)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	struct nlmsghdr *h = req;
	char buf[8192];
	ssize_t n;
	int s;

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (s < 0) {
		char w[128];

		snprintf(w, sizeof(w), "%s-socket", what);
		report(w, -1, 0);
		return;
	}
	{
		struct timeval tv = { 2, 0 };

		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (sendto(s, req, len, 0, (struct sockaddr *)&k, sizeof(k)) < 0) {
		report(what, -1, 0);
		close(s);
		return;
	}
	for (;;) {
		n = recv(s, buf, sizeof(buf), 0);
		if (n < 0) {
			report(what, -1, 0);
			break;
		}
		for (struct nlmsghdr *r = (struct nlmsghdr *)buf; NLMSG_OK(r,
		    (size_t)n); r = NLMSG_NEXT(r, n)) {
			if (r->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(r);

				if (e->msg.nlmsg_seq != h->nlmsg_seq)
					continue;
				errno = -e->error;
				report(what, e->error == 0 ? 0 : -1, 0);
				close(s);
				return;
			}
		}
	}
	close(s);
}

static void
rta_add(struct nlmsghdr *h, unsigned short type, const void *d, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), d, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* rtnl: address, route and link changes (harmless ones) on lo. */
static int
cmd_rtnl(int argc, char **argv)
{
	struct {
		struct nlmsghdr h;
		union {
			struct ifaddrmsg a;
			struct rtmsg r;
			struct ifinfomsg i;
		} u;
		char attrs[256];
	} q;
	struct in_addr addr, dst;
	unsigned lo = if_nametoindex("lo");
	int one = 1;

	(void)argc;
	(void)argv;
	inet_pton(AF_INET, "203.0.113.99", &addr);
	inet_pton(AF_INET, "203.0.113.128", &dst);

	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(q.u.a));
	q.h.nlmsg_type = RTM_NEWADDR;
	q.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	q.h.nlmsg_seq = 1;
	q.u.a.ifa_family = AF_INET;
	q.u.a.ifa_prefixlen = 32;
	q.u.a.ifa_index = lo;
	rta_add(&q.h, IFA_LOCAL, &addr, 4);
	rta_add(&q.h, IFA_ADDRESS, &addr, 4);
	nl_talk("rtnl-newaddr", NETLINK_ROUTE, &q, q.h.nlmsg_len);

	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(q.u.r));
	q.h.nlmsg_type = RTM_NEWROUTE;
	q.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	q.h.nlmsg_seq = 2;
	q.u.r.rtm_family = AF_INET;
	q.u.r.rtm_dst_len = 25;
	q.u.r.rtm_table = RT_TABLE_MAIN;
	q.u.r.rtm_protocol = RTPROT_STATIC;
	q.u.r.rtm_scope = RT_SCOPE_LINK;
	q.u.r.rtm_type = RTN_UNICAST;
	rta_add(&q.h, RTA_DST, &dst, 4);
	rta_add(&q.h, RTA_OIF, &lo, 4);
	nl_talk("rtnl-newroute", NETLINK_ROUTE, &q, q.h.nlmsg_len);

	/* lo up, which it is: no change even if it were let through. */
	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(q.u.i));
	q.h.nlmsg_type = RTM_SETLINK;
	q.h.nlmsg_seq = 3;
	q.u.i.ifi_family = AF_UNSPEC;
	q.u.i.ifi_index = (int)lo;
	q.u.i.ifi_flags = IFF_UP;
	q.u.i.ifi_change = IFF_UP;
	nl_talk("rtnl-setlink", NETLINK_ROUTE, &q, q.h.nlmsg_len);

	/* A new dummy link. */
	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(q.u.i));
	q.h.nlmsg_type = RTM_NEWLINK;
	q.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	q.h.nlmsg_seq = 4;
	q.u.i.ifi_family = AF_UNSPEC;
	rta_add(&q.h, IFLA_IFNAME, "jtesc0", 7);
	{
		struct rtattr *li = (struct rtattr *)((char *)&q.h +
		    NLMSG_ALIGN(q.h.nlmsg_len));

		li->rta_type = IFLA_LINKINFO;
		li->rta_len = RTA_LENGTH(0);
		q.h.nlmsg_len = NLMSG_ALIGN(q.h.nlmsg_len) + RTA_LENGTH(0);
		rta_add(&q.h, IFLA_INFO_KIND, "dummy", 6);
		li->rta_len = (unsigned short)((char *)&q.h + q.h.nlmsg_len -
		    (char *)li);
	}
	nl_talk("rtnl-newlink", NETLINK_ROUTE, &q, q.h.nlmsg_len);
	(void)one;
	return 0;
}

/* nft: a batch that creates table "jt_escape". */
static int
cmd_nft(int argc, char **argv)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	char buf[1024], rbuf[8192];
	struct nlmsghdr *h;
	struct nfgenmsg *g;
	size_t len = 0;
	ssize_t n;
	int s, err = 0, seen = 0;

	(void)argc;
	(void)argv;
	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (s < 0) {
		report("nft-socket", -1, 0);
		return 0;
	}
	{
		struct timeval tv = { 2, 0 };

		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	memset(buf, 0, sizeof(buf));
	/* batch begin */
	h = (struct nlmsghdr *)(buf + len);
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*g));
	h->nlmsg_type = NFNL_MSG_BATCH_BEGIN;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_seq = 1;
	g = NLMSG_DATA(h);
	g->nfgen_family = AF_UNSPEC;
	g->res_id = htons(NFNL_SUBSYS_NFTABLES);
	len += NLMSG_ALIGN(h->nlmsg_len);
	/* new table */
	h = (struct nlmsghdr *)(buf + len);
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*g));
	h->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK;
	h->nlmsg_seq = 2;
	g = NLMSG_DATA(h);
	g->nfgen_family = NFPROTO_INET;
	rta_add(h, NFTA_TABLE_NAME, "jt_escape", 10);
	len += NLMSG_ALIGN(h->nlmsg_len);
	/* batch end */
	h = (struct nlmsghdr *)(buf + len);
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*g));
	h->nlmsg_type = NFNL_MSG_BATCH_END;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_seq = 3;
	g = NLMSG_DATA(h);
	g->res_id = htons(NFNL_SUBSYS_NFTABLES);
	len += NLMSG_ALIGN(h->nlmsg_len);
	if (sendto(s, buf, len, 0, (struct sockaddr *)&k, sizeof(k)) < 0) {
		report("nft-newtable", -1, 0);
		return 0;
	}
	while (!seen && (n = recv(s, rbuf, sizeof(rbuf), 0)) > 0)
		for (struct nlmsghdr *r = (struct nlmsghdr *)rbuf; NLMSG_OK(r,
		    (size_t)n); r = NLMSG_NEXT(r, n))
			if (r->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(r);

				err = e->error;
				seen = 1;
				if (err != 0)
					break;
			}
	if (!seen) {
		report("nft-newtable", -1, 0);
		return 0;
	}
	errno = -err;
	report("nft-newtable", err == 0 ? 0 : -1, 0);
	return 0;
}

/* audit: ask the audit subsystem for its status, and to change it. */
static int
cmd_audit(int argc, char **argv)
{
	struct {
		struct nlmsghdr h;
		struct audit_status st;
	} q;

	(void)argc;
	(void)argv;
	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = NLMSG_LENGTH(0);
	q.h.nlmsg_type = AUDIT_GET;
	q.h.nlmsg_seq = 1;
	nl_talk("audit-get", NETLINK_AUDIT, &q, q.h.nlmsg_len);
	/* Set the failure mode to what the default is (printk). */
	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(q.st));
	q.h.nlmsg_type = AUDIT_SET;
	q.h.nlmsg_seq = 2;
	q.st.mask = AUDIT_STATUS_FAILURE;
	q.st.failure = AUDIT_FAIL_PRINTK;
	nl_talk("audit-set", NETLINK_AUDIT, &q, q.h.nlmsg_len);
	return 0;
}

/* uevent SECONDS: how many kernel uevents arrive in that time. */
static int
cmd_uevent(int argc, char **argv)
{
	struct sockaddr_nl me = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	struct pollfd p;
	char buf[8192];
	int s, n = 0;
	struct timespec t0, t;

	if (argc < 1)
		return 2;
	s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (s < 0) {
		report("uevent-socket", -1, 0);
		return 0;
	}
	if (bind(s, (struct sockaddr *)&me, sizeof(me)) < 0) {
		report("uevent-bind", -1, 0);
		return 0;
	}
	printf("ready\n");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p.fd = s;
	p.events = POLLIN;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) /
		    1000000 >= atoi(argv[0]) * 1000L)
			break;
		if (poll(&p, 1, 100) > 0 && recv(s, buf, sizeof(buf), 0) > 0)
			n++;
	}
	printf("uevents %d\n", n);
	return 0;
}

/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	int (*fn)(int, char **);
} cmds[] = {
	{ "chroot-fd", cmd_chroot_fd }, { "stat", cmd_stat },
	{ "readlink", cmd_readlink }, { "write", cmd_write },
	{ "read", cmd_read }, { "mountapi", cmd_mountapi },
	{ "umount", cmd_umount }, { "remount-rw", cmd_remount_rw },
	{ "mount", cmd_mount }, { "handle-get", cmd_handle_get },
	{ "handle-open", cmd_handle_open }, { "link", cmd_link },
	{ "linkfd", cmd_linkfd }, { "cwd", cmd_cwd },
	{ "syslog", cmd_syslog }, { "syslog-bytes", cmd_syslog_bytes },
	{ "mknod", cmd_mknod }, { "pty-hold", cmd_pty_hold },
	{ "ns", cmd_ns }, { "keys", cmd_keys }, { "kernel-api", cmd_kernel_api },
	{ "modules", cmd_modules }, { "families", cmd_families },
	{ "socket", cmd_socket }, { "privops", cmd_privops },
	{ "int80", cmd_int80 }, { "x32", cmd_x32 },
	{ "personality", cmd_personality }, { "pids", cmd_pids },
	{ "sandbox", cmd_sandbox }, { "landlock-abi", cmd_landlock_abi },
	{ "selfcheck", cmd_selfcheck }, { "ipc", cmd_ipc }, { "fd-send", cmd_fd_send },
	{ "fd-recv", cmd_fd_recv }, { "reuse", cmd_reuse },
	{ "peek-race", cmd_peek_race }, { "bind", cmd_bind },
	{ "connect", cmd_connect }, { "listen", cmd_listen },
	{ "abstract-listen", cmd_abstract_listen },
	{ "abstract-connect", cmd_abstract_connect },
	{ "bindtodevice", cmd_bindtodevice }, { "rtnl", cmd_rtnl },
	{ "nft", cmd_nft }, { "audit", cmd_audit }, { "uevent", cmd_uevent },
};

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2)
		for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			if (strcmp(argv[1], cmds[i].name) == 0)
				return cmds[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "usage: esc command [args]\n");
	return 2;
}
