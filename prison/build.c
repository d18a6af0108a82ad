/*
 * Building a jail: namespaces, the root file system and jail init.
 *
 *  prison ── clone3(NEWUSER|NEWNET|NEWUTS|NEWIPC) ──► holder H
 *     │        (maps uid/gid 0-4294967294 to themselves; exists only so
 *     │         that those namespaces belong to the jail's user namespace)
 *     └──── clone3(NEWPID|NEWNS, into the jail's cgroup) ──► C, pid 1
 *
 * C, still host root in a mount namespace the host's user namespace owns,
 * joins H's network namespace, builds the jail's tree (rootfs bind, proc,
 * sys, dev, masks) with fd-based mount calls and pivot_roots into it.  Then
 * it joins H's user, UTS and IPC namespaces and unshares its mount
 * namespace once more: the copy belongs to the jail's user namespace, so
 * the kernel locks every mount in it and jail root cannot undo a mask or
 * remount a read-only mount.  C then configures hostname and loopback,
 * reports to the prison, drops everything and becomes jail init.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <linux/sched.h>

#include "internal.h"
#include "prison.h"
#include "sys/jail.h"

struct build_report {
	int	err;
	char	msg[256];
};

static int
openat2_in(int root, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_PATH | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
		    RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, root, rel, &how, sizeof(how));
}

static pid_t
clone3_pidfd(uint64_t flags, int cgfd, int *pidfd)
{
	struct clone_args ca;

	memset(&ca, 0, sizeof(ca));
	ca.flags = flags | CLONE_PIDFD;
	ca.pidfd = (uint64_t)(uintptr_t)pidfd;
	ca.exit_signal = SIGCHLD;
	if (cgfd >= 0) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cgfd;
	}
	return (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
}

static int
write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* A new file system instance, mounted detached. */
static int
new_fs(const char *type, const char *const *opts, unsigned attrs)
{
	int fs, mnt;

	if ((fs = fsopen(type, FSOPEN_CLOEXEC)) < 0)
		return -1;
	for (; opts != NULL && opts[0] != NULL; opts += 2)
		if (fsconfig(fs, FSCONFIG_SET_STRING, opts[0], opts[1], 0) < 0)
			goto fail;
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto fail;
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	close(fs);
	return mnt;
fail:
	close(fs);
	return -1;
}

/* Mount MNT on TARGET (both fds); closes nothing. */
static int
attach(int mnt, int target)
{
	return move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH |
	    MOVE_MOUNT_T_EMPTY_PATH);
}

struct fsctx {
	int	 masks;		/* tmpfs holding the empty "d" and "f" */
	char	*err;
	size_t	 errlen;
};

/* Cover REL under ROOT with an empty read-only object; absent is fine. */
static int
mask(struct fsctx *c, int root, const char *base, const char *rel)
{
	struct stat sb;
	int t, m, rc;

	if ((t = openat2_in(root, rel, 0)) < 0) {
		if (errno == ENOENT)
			return 0;
		return jerr(c->err, c->errlen, errno, "%s/%s: %s", base, rel,
		    strerror(errno));
	}
	if (fstat(t, &sb) < 0) {
		close(t);
		return jerr(c->err, c->errlen, errno, "%s/%s", base, rel);
	}
	m = open_tree(c->masks, S_ISDIR(sb.st_mode) ? "d" : "f",
	    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	rc = m < 0 ? -1 : attach(m, t);
	if (rc < 0)
		jerr(c->err, c->errlen, errno, "mask %s/%s: %s", base, rel,
		    strerror(errno));
	if (m >= 0)
		close(m);
	close(t);
	return rc;
}

/* Remount REL under ROOT read-only, as a bind of itself. */
static int
readonly(struct fsctx *c, int root, const char *base, const char *rel)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY |
	    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC };
	int t, m, rc = -1;

	if ((t = openat2_in(root, rel, 0)) < 0)
		return errno == ENOENT ? 0 : jerr(c->err, c->errlen, errno,
		    "%s/%s: %s", base, rel, strerror(errno));
	m = open_tree(t, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
	    AT_RECURSIVE);
	if (m >= 0 && mount_setattr(m, "", AT_EMPTY_PATH | AT_RECURSIVE, &ro,
	    sizeof(ro)) == 0 && attach(m, t) == 0)
		rc = 0;
	else
		jerr(c->err, c->errlen, errno, "read-only %s/%s: %s", base, rel,
		    strerror(errno));
	if (m >= 0)
		close(m);
	close(t);
	return rc;
}

/*
 * What jailed root could read or write in a fresh procfs and must not:
 * kernel memory and addresses, other users' keys, timer and scheduler
 * internals, the kernel log, sysrq, hardware inventories (runc's and
 * crun's lists).  Files that need a capability of the host's user
 * namespace to open (kpageflags and kin) are left alone: jailed root has
 * none, and every mask costs each jail's creation.
 */
static const char *const proc_masks[] = {
	"kcore", "keys", "latency_stats", "timer_list", "timer_stats",
	"sched_debug", "sysrq-trigger", "kmsg", "acpi", "asound", "scsi",
	"interrupts", "slabinfo", "vmallocinfo", NULL,
};
static const char *const proc_readonly[] = { "sys", "bus", "fs", "irq", NULL };
static const char *const sys_masks[] = {
	"firmware", "devices/virtual/powercap", "kernel/debug",
	"kernel/security", "kernel/tracing", "fs/bpf", NULL,
};

static int
mount_proc(struct fsctx *c, int root)
{
	int t, m;

	if ((t = openat2_in(root, "proc", O_DIRECTORY)) < 0)
		return errno == ENOENT ? 0 : jerr(c->err, c->errlen, errno,
		    "path/proc: %s", strerror(errno));
	m = new_fs("proc", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
	    MOUNT_ATTR_NOEXEC);
	if (m < 0 || attach(m, t) < 0) {
		close(t);
		return jerr(c->err, c->errlen, errno, "mount proc: %s",
		    strerror(errno));
	}
	close(t);
	for (const char *const *p = proc_masks; *p != NULL; p++)
		if (mask(c, m, "/proc", *p) < 0)
			goto fail;
	for (const char *const *p = proc_readonly; *p != NULL; p++)
		if (readonly(c, m, "/proc", *p) < 0)
			goto fail;
	close(m);
	return 0;
fail:
	close(m);
	return -1;
}

static int
mount_sys(struct fsctx *c, int root)
{
	int t, m;

	if ((t = openat2_in(root, "sys", O_DIRECTORY)) < 0)
		return errno == ENOENT ? 0 : jerr(c->err, c->errlen, errno,
		    "path/sys: %s", strerror(errno));
	m = new_fs("sysfs", NULL, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
	    MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (m < 0 || attach(m, t) < 0) {
		close(t);
		return jerr(c->err, c->errlen, errno, "mount sysfs: %s",
		    strerror(errno));
	}
	close(t);
	for (const char *const *p = sys_masks; *p != NULL; p++)
		if (mask(c, m, "/sys", *p) < 0) {
			close(m);
			return -1;
		}
	close(m);
	return 0;
}

static const struct devnode {
	const char	*name;
	unsigned	 major, minor;
} devnodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const char *const devlinks[][2] = {
	{ "ptmx", "pts/ptmx" }, { "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" }, { "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

/* A private /dev: tmpfs, the safe nodes, and a devpts of its own. */
static int
mount_dev(struct fsctx *c, int root)
{
	static const char *const tmpopts[] = { "mode", "0755", "size", "1m", NULL };
	static const char *const ptsopts[] = { "mode", "0620", "ptmxmode", "0666",
	    NULL };
	int t, m, pts = -1, ptsdir = -1;

	if ((t = openat2_in(root, "dev", O_DIRECTORY)) < 0)
		return errno == ENOENT ? 0 : jerr(c->err, c->errlen, errno,
		    "path/dev: %s", strerror(errno));
	m = new_fs("tmpfs", tmpopts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (m < 0 || attach(m, t) < 0) {
		close(t);
		return jerr(c->err, c->errlen, errno, "mount /dev: %s",
		    strerror(errno));
	}
	close(t);
	for (size_t i = 0; i < sizeof(devnodes) / sizeof(devnodes[0]); i++)
		if (mknodat(m, devnodes[i].name, S_IFCHR | 0666,
		    makedev(devnodes[i].major, devnodes[i].minor)) < 0 ||
		    fchmodat(m, devnodes[i].name, 0666, 0) < 0)
			goto fail;
	for (size_t i = 0; i < sizeof(devlinks) / sizeof(devlinks[0]); i++)
		if (symlinkat(devlinks[i][1], m, devlinks[i][0]) < 0)
			goto fail;
	if (mkdirat(m, "pts", 0755) < 0 || mkdirat(m, "shm", 01777) < 0 ||
	    fchmodat(m, "shm", 01777, 0) < 0)
		goto fail;
	ptsdir = openat(m, "pts", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	pts = new_fs("devpts", ptsopts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (ptsdir < 0 || pts < 0 || attach(pts, ptsdir) < 0)
		goto fail;
	close(pts);
	close(ptsdir);
	close(m);
	return 0;
fail:
	jerr(c->err, c->errlen, errno, "populate /dev: %s", strerror(errno));
	if (pts >= 0)
		close(pts);
	if (ptsdir >= 0)
		close(ptsdir);
	close(m);
	return -1;
}

/* The tmpfs the masks are cut from: an empty directory and an empty file. */
static int
make_masks(struct fsctx *c)
{
	static const char *const opts[] = { "mode", "0555", "size", "4k", NULL };
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY |
	    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC };
	int fd;

	c->masks = new_fs("tmpfs", opts, 0);
	if (c->masks < 0 || mkdirat(c->masks, "d", 0555) < 0 ||
	    (fd = openat(c->masks, "f", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
	    0)) < 0)
		return jerr(c->err, c->errlen, errno, "mask tmpfs: %s",
		    strerror(errno));
	close(fd);
	if (mount_setattr(c->masks, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
		return jerr(c->err, c->errlen, errno, "mask tmpfs: %s",
		    strerror(errno));
	return 0;
}

/* path=/ shares the host's tree: hide its sockets and the registry. */
static int
private_tmp(struct fsctx *c, int root, const char *rel)
{
	static const char *const opts[] = { "mode", "1777", NULL };
	int t, m;

	if ((t = openat2_in(root, rel, O_DIRECTORY)) < 0)
		return errno == ENOENT ? 0 : jerr(c->err, c->errlen, errno,
		    "/%s: %s", rel, strerror(errno));
	m = new_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (m < 0 || attach(m, t) < 0) {
		close(t);
		return jerr(c->err, c->errlen, errno, "tmpfs on /%s: %s", rel,
		    strerror(errno));
	}
	close(m);
	close(t);
	return 0;
}

static int
build_root(const struct prison *pr, char *err, size_t errlen)
{
	struct fsctx c = { .masks = -1, .err = err, .errlen = errlen };
	int rfd, tree, rc = -1;

	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return jerr(err, errlen, errno, "make / a slave: %s",
		    strerror(errno));
	rfd = open(pr->st.path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0)
		return jerr(err, errlen, errno, "path %s: %s", pr->st.path,
		    strerror(errno));
	tree = open_tree(rfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    AT_RECURSIVE | AT_EMPTY_PATH);
	if (tree < 0 || attach(tree, rfd) < 0) {
		jerr(err, errlen, errno, "bind %s: %s", pr->st.path,
		    strerror(errno));
		goto out;
	}
	if (make_masks(&c) < 0)
		goto out;
	if (strcmp(pr->st.path, "/") == 0) {
		const char *reg = jreg_path();

		if (private_tmp(&c, tree, "run") < 0 ||
		    private_tmp(&c, tree, "tmp") < 0 ||
		    mask(&c, tree, "", reg + 1) < 0)
			goto out;
	}
	if (mount_proc(&c, tree) < 0 || mount_sys(&c, tree) < 0 ||
	    mount_dev(&c, tree) < 0)
		goto out;
	/* pivot_root(".", "."): the old root ends up under the new, then goes. */
	if (fchdir(tree) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0) {
		jerr(err, errlen, errno, "pivot_root: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (c.masks >= 0)
		close(c.masks);
	if (tree >= 0)
		close(tree);
	close(rfd);
	return rc;
}

/*
 * Jail init shows itself as "init": the prison's command line names host
 * paths, which are none of the jail's business.
 */
static void
rename_init(void)
{
	char *start = prison_argv[0], *end = start;

	for (char **a = prison_argv; *a != NULL; a++)
		end = *a + strlen(*a);
	memset(start, 0, (size_t)(end - start));
	memcpy(start, "init", end - start >= 4 ? 4 : (size_t)(end - start));
	prctl(PR_SET_NAME, "init", 0, 0, 0);
}

/*
 * Jail init's own confinement, stricter than the jail's: no capability at
 * all, no_new_privs, and a filter that lets through only what reaping
 * needs.  Ten instructions load in microseconds where the jail's program
 * takes a third of a millisecond, and init is on every jail's critical path.
 */
#if defined(__x86_64__)
#define	NATIVE_AUDIT_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define	NATIVE_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#else
#error "jail init's filter needs this architecture's AUDIT_ARCH value"
#endif

static int
confine_init(void)
{
#define	ALLOW_NR(nr)	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		ALLOW_NR(__NR_wait4),
		ALLOW_NR(__NR_rt_sigtimedwait),
		ALLOW_NR(__NR_rt_sigprocmask),
		ALLOW_NR(__NR_restart_syscall),
		ALLOW_NR(__NR_exit_group),
		ALLOW_NR(__NR_exit),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
#undef ALLOW_NR
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	for (int cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	if (syscall(SYS_capset, &h, d) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* Jail init: reap until killed.  Holds no fd, no privilege. */
static void __attribute__((noreturn))
init_loop(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		sigwaitinfo(&set, NULL);
	}
}

static void __attribute__((noreturn))
child(struct prison *pr, int hpidfd, int nsflags, int rep)
{
	struct build_report r = { 0 };

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if ((nsflags & CLONE_NEWNET) && setns(hpidfd, CLONE_NEWNET) < 0) {
		jerr(r.msg, sizeof(r.msg), errno, "setns net: %s", strerror(errno));
		goto fail;
	}
	/* The jail's cgroup, where we were born, becomes its cgroup root. */
	if (unshare(CLONE_NEWCGROUP) < 0) {
		jerr(r.msg, sizeof(r.msg), errno, "cgroup: %s", strerror(errno));
		goto fail;
	}
	if (build_root(pr, r.msg, sizeof(r.msg)) < 0)
		goto fail;
	if (setns(hpidfd, CLONE_NEWUSER | (nsflags & (CLONE_NEWUTS |
	    CLONE_NEWIPC))) < 0 || unshare(CLONE_NEWNS) < 0) {
		jerr(r.msg, sizeof(r.msg), errno, "enter user namespace: %s",
		    strerror(errno));
		goto fail;
	}
	if (nsflags & CLONE_NEWUTS) {
		if (sethostname(pr->st.hostname, strlen(pr->st.hostname)) < 0 ||
		    setdomainname(pr->st.domainname,
		    strlen(pr->st.domainname)) < 0) {
			jerr(r.msg, sizeof(r.msg), errno, "sethostname: %s",
			    strerror(errno));
			goto fail;
		}
	}
	if ((nsflags & CLONE_NEWNET) && net_setup(&pr->st, r.msg,
	    sizeof(r.msg)) < 0)
		goto fail;
	(void)!write(rep, &r, sizeof(r));

	/* From here on: jail init.  Nothing of the host stays with it. */
	syscall(SYS_close_range, 0, ~0U, 0);
	rename_init();
	if (confine_init() < 0)
		_exit(1);
	init_loop();
fail:
	r.err = errno != 0 ? errno : EINVAL;
	(void)!write(rep, &r, sizeof(r));
	_exit(1);
}

static void __attribute__((noreturn))
holder(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	for (;;)
		pause();
}

int
jail_build(struct prison *pr, char *err, size_t errlen)
{
	struct build_report r;
	char path[64];
	int nsflags = CLONE_NEWUSER, hpidfd = -1, cpidfd = -1, rep[2];
	pid_t h, c;
	ssize_t n;

	if (pr->st.ip4 != JAIL_SYS_INHERIT && pr->st.ip6 != JAIL_SYS_INHERIT)
		nsflags |= CLONE_NEWNET;
	if (pr->st.host == JAIL_SYS_NEW)
		nsflags |= CLONE_NEWUTS;
	if (pr->st.sysvmsg != JAIL_SYS_INHERIT &&
	    pr->st.sysvsem != JAIL_SYS_INHERIT &&
	    pr->st.sysvshm != JAIL_SYS_INHERIT)
		nsflags |= CLONE_NEWIPC;

	h = clone3_pidfd((uint64_t)nsflags, -1, &hpidfd);
	if (h < 0)
		return jerr(err, errlen, errno, "clone user namespace: %s",
		    strerror(errno));
	if (h == 0)
		holder();
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)h);
	if (write_file(path, "0 0 4294967295\n") < 0) {
		jerr(err, errlen, errno, "uid_map: %s", strerror(errno));
		goto fail_h;
	}
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)h);
	if (write_file(path, "0 0 4294967295\n") < 0) {
		jerr(err, errlen, errno, "gid_map: %s", strerror(errno));
		goto fail_h;
	}
	if (pipe2(rep, O_CLOEXEC) < 0) {
		jerr(err, errlen, errno, "pipe: %s", strerror(errno));
		goto fail_h;
	}
	c = clone3_pidfd(CLONE_NEWPID | CLONE_NEWNS, pr->cgfd, &cpidfd);
	if (c < 0) {
		jerr(err, errlen, errno, "clone jail init: %s", strerror(errno));
		close(rep[0]);
		close(rep[1]);
		goto fail_h;
	}
	if (c == 0) {
		close(rep[0]);
		child(pr, hpidfd, nsflags, rep[1]);
	}
	close(rep[1]);
	n = read(rep[0], &r, sizeof(r));
	close(rep[0]);
	kill(h, SIGKILL);
	waitpid(h, NULL, 0);
	close(hpidfd);
	if (n != sizeof(r) || r.err != 0) {
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
		close(cpidfd);
		if (n == sizeof(r))
			return jerr(err, errlen, r.err, "%s", r.msg);
		return jerr(err, errlen, EIO, "jail init died while building");
	}
	pr->init = c;
	pr->initfd = cpidfd;
	return 0;
fail_h:
	kill(h, SIGKILL);
	waitpid(h, NULL, 0);
	close(hpidfd);
	return -1;
}
