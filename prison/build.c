/*
 * Building a jail: namespaces, the root file system and jail init.
 *
 *  prison ── clone3 ──► holder H: becomes the jail's root id (host id
 *     │                 idbase), unshare(NEWUSER|NEWNET|NEWUTS|NEWIPC);
 *     │                 the prison maps jail ids 0-65535 to its range
 *     └──── clone3(NEWPID|NEWNS, into the jail's cgroup) ──► C, pid 1
 *
 * C, still host root in a mount namespace the host's user namespace owns,
 * joins H's network namespace, builds the jail's tree (rootfs.c: idmapped
 * through H's user namespace, proc, sys, dev, masks) with fd-based mount
 * calls and pivot_roots into it.  Then it joins H's user, UTS and IPC
 * namespaces and unshares its mount namespace once more: the copy belongs
 * to the jail's user namespace, so the kernel locks every mount in it and
 * jail root cannot undo a mask or remount a read-only mount.  C then
 * configures the hostname, reports to the prison, becomes the jail's
 * root, drops everything and becomes jail init.  The prison keeps H's
 * network namespace (pr->netnsfd) and builds the network in it from the
 * host's side (net.c).  With vnet.netns, C joins that namespace instead
 * and H makes none: the jail's network is another's, which the prison
 * leaves alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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
#include <sys/resource.h>
#include <sys/socket.h>
#include <syslog.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <linux/sched.h>

#include "internal.h"
#include "prison.h"
#include "sys/jail.h"

struct build_report {
	int	err;
	char	msg[256];
	char	hidden[JAIL_HIDDEN_MAX];	/* mounts left out */
	char	ovlwork[JAIL_OVLWORK_MAX];	/* overlay.c, to remove at the end */
};

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

	/* Numbered without gaps: the first unknown one (EINVAL) ends them. */
	for (int cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno != EINVAL)
				return -1;
			break;
		}
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

/*
 * Die with the prison.  PR_SET_PDEATHSIG set after the prison has died
 * never fires: so look at the prison after setting it, and go if it is
 * gone already.  Its pidfd is readable once it has exited, reaped or not
 * (in a new pid namespace getppid() says 0; a zombie still takes signals).
 */
static void
die_with(int prisonfd)
{
	struct pollfd p = { .fd = prisonfd, .events = POLLIN };

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (poll(&p, 1, 0) != 0)
		_exit(1);
	close(prisonfd);
}

/*
 * Jail init's report to the prison, with the writable /dev/jail (FD, if
 * not -1): a SOCK_SEQPACKET pair, one message.
 */
static void
report_send(int sock, const struct build_report *r, int fd)
{
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(int))];
	} u;
	struct iovec iov = { (void *)(uintptr_t)r, sizeof(*r) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		m.msg_control = u.b;
		m.msg_controllen = sizeof(u.b);
		CMSG_FIRSTHDR(&m)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&m)->cmsg_type = SCM_RIGHTS;
		CMSG_FIRSTHDR(&m)->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&m)), &fd, sizeof(int));
	}
	(void)!sendmsg(sock, &m, MSG_NOSIGNAL);
}

/* The report's length (or -1), and the descriptor that came with it in *FD. */
static ssize_t
report_recv(int sock, struct build_report *r, int *fd)
{
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(int))];
	} u;
	struct iovec iov = { r, sizeof(*r) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = u.b, .msg_controllen = sizeof(u.b) };
	struct cmsghdr *c;
	ssize_t n;

	*fd = -1;
	n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	c = n < 0 ? NULL : CMSG_FIRSTHDR(&m);
	if (c != NULL && c->cmsg_level == SOL_SOCKET &&
	    c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return n;
}

/*
 * Become the jail's root: uid and gid 0 of the jail's user namespace, no
 * supplementary groups.  With a private range that is host id idbase,
 * never host root.
 */
static int
become_jail_root(void)
{
	if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 ||
	    setresuid(0, 0, 0) < 0)
		return -1;
	/* A change of uid resets it: jail root must not trace init. */
	return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/*
 * /dev/mqueue: the POSIX message queues of the jail's own IPC namespace
 * as files, as containers have them.  Mounted once we are in the jail's
 * user and IPC namespaces (an mqueue instance shows the mounter's IPC
 * namespace) and its mount namespace is the jail's: nothing the mq_*
 * calls do not already give.  Not locked: jail root may unmount it, and
 * finds the empty directory of its own /dev beneath.
 */
static int
mount_mqueue(char *err, size_t errlen)
{
	int fs = -1, m = -1, t, rc = -1;

	/* A tree without /dev (rootfs.c) has no mount point for it. */
	if ((t = open("/dev/mqueue", O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0 && errno == ENOENT)
		return 0;
	if (t >= 0 && (fs = fsopen("mqueue", FSOPEN_CLOEXEC)) >= 0 &&
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0 &&
	    (m = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID |
	    MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)) >= 0 &&
	    move_mount(m, "", t, "",
	    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) == 0)
		rc = 0;
	else
		jerr(err, errlen, errno, "mount /dev/mqueue: %s",
		    strerror(errno));
	if (t >= 0)
		close(t);
	if (m >= 0)
		close(m);
	if (fs >= 0)
		close(fs);
	return rc;
}

static void __attribute__((noreturn))
child(struct prison *pr, int prisonfd, int hpidfd, int usernsfd, int nsflags,
    int joinfd, int rep)
{
	struct build_report r = { 0 };
	struct rootfs fs = {
		.path = pr->st.path, .userns = -1, .masks = -1, .snapfd = -1,
		.jid = pr->st.jid, .err = r.msg, .errlen = sizeof(r.msg),
	};
	const int keep[] = { prisonfd, hpidfd, usernsfd, rep, joinfd };

	/*
	 * Nothing of the prison's: its record's lock and its sockets must
	 * go when it dies, or its jail's name and its client would wait on us.
	 */
	jfd_close_except(0, keep, 5);
	die_with(prisonfd);
	crash_point("init-start");
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (pr->idbase != 0) {
		fs.userns = usernsfd;
		fs.idbase = pr->idbase;
	}
	fs.mqueue = (nsflags & CLONE_NEWIPC) != 0;
	/* vnet.netns: joined while we are still host root, who may. */
	if (joinfd >= 0 && (setns(joinfd, CLONE_NEWNET) < 0 ||
	    close(joinfd) < 0)) {
		jerr(r.msg, sizeof(r.msg), errno, "vnet.netns %s: %s",
		    pr->st.vnet_netns, strerror(errno));
		goto fail;
	}
	if ((nsflags & CLONE_NEWNET) && setns(hpidfd, CLONE_NEWNET) < 0) {
		jerr(r.msg, sizeof(r.msg), errno, "setns net: %s", strerror(errno));
		goto fail;
	}
	/* The jail's cgroup, where we were born, becomes its cgroup root. */
	if (unshare(CLONE_NEWCGROUP) < 0) {
		jerr(r.msg, sizeof(r.msg), errno, "cgroup: %s", strerror(errno));
		goto fail;
	}
	if (rootfs_build(&fs) < 0) {
		snprintf(r.ovlwork, sizeof(r.ovlwork), "%s", fs.ovlwork);
		goto fail;
	}
	snprintf(r.ovlwork, sizeof(r.ovlwork), "%s", fs.ovlwork);
	crash_point("init-rootfs");
	close(usernsfd);
	snprintf(r.hidden, sizeof(r.hidden), "%s", fs.hidden);
	if (setns(hpidfd, CLONE_NEWUSER | (nsflags & (CLONE_NEWUTS |
	    CLONE_NEWIPC))) < 0 || unshare(CLONE_NEWNS) < 0) {
		jerr(r.msg, sizeof(r.msg), errno, "enter user namespace: %s",
		    strerror(errno));
		goto fail;
	}
	if (fs.mqueue && mount_mqueue(r.msg, sizeof(r.msg)) < 0)
		goto fail;
	if (nsflags & CLONE_NEWUTS) {
		if (sethostname(pr->st.hostname, strlen(pr->st.hostname)) < 0 ||
		    setdomainname(pr->st.domainname,
		    strlen(pr->st.domainname)) < 0) {
			jerr(r.msg, sizeof(r.msg), errno, "sethostname: %s",
			    strerror(errno));
			goto fail;
		}
	}
	if (become_jail_root() < 0) {
		jerr(r.msg, sizeof(r.msg), errno, "jail root: %s",
		    strerror(errno));
		goto fail;
	}
	crash_point("init-ready");
	report_send(rep, &r, fs.snapfd);

	/* From here on: jail init.  Nothing of the host stays with it. */
	syscall(SYS_close_range, 0, ~0U, 0);
	rename_init();
	if (confine_init() < 0)
		_exit(1);
	init_loop();
fail:
	r.err = errno != 0 ? errno : EINVAL;
	report_send(rep, &r, -1);
	_exit(1);
}

/*
 * The holder H: creates the jail's user namespace, and in it the network,
 * UTS and IPC namespaces, then waits to be killed once init has joined
 * them.  With a private range H first becomes host id idbase, so that the
 * namespace is owned by the jail's own root: the kernel then counts all
 * of the jail's processes, inotify instances and other per-user objects
 * as that one host user's, and checks them against the limits H had when
 * it created the namespace (RLIMIT_NPROC here), not against root's.
 * H keeps CAP_SYS_ADMIN through the change so that hosts which forbid
 * unprivileged user namespaces still let it.
 */
static void __attribute__((noreturn))
holder(const struct prison *pr, int prisonfd, int nsflags, int rep)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	struct rlimit nproc = { JAIL_MAXPROC, JAIL_MAXPROC };
	uid_t id = pr->idbase;
	int err = 0;

	const int keep[] = { prisonfd, rep };

	jfd_close_except(0, keep, 2);	/* as jail init: see child() */
	if (id != 0 && (setrlimit(RLIMIT_NPROC, &nproc) < 0 ||
	    prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setgroups(0, NULL) < 0 ||
	    setresgid(id, id, id) < 0 || setresuid(id, id, id) < 0))
		err = errno;
	d[0].effective = d[0].permitted = 1U << CAP_SYS_ADMIN;
	if (err == 0 && id != 0 && syscall(SYS_capset, &h, d) < 0)
		err = errno;
	/* Set after the change of uid, which clears it. */
	die_with(prisonfd);
	if (err == 0 && unshare(nsflags) < 0)
		err = errno;
	crash_point("holder-unshared");
	(void)!write(rep, &err, sizeof(err));
	if (err != 0)
		_exit(1);
	for (;;)
		pause();
}

/* Map the jail's ids 0-65535 to its range, or all ids to themselves. */
static int
write_maps(const struct prison *pr, pid_t h, char *err, size_t errlen)
{
	char path[64], map[64];

	if (pr->idbase != 0)
		snprintf(map, sizeof(map), "0 %u %u\n", pr->idbase, JIDMAP_BLOCK);
	else
		snprintf(map, sizeof(map), "0 0 4294967295\n");
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)h);
	if (write_file(path, map) < 0)
		return jerr(err, errlen, errno, "uid_map: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)h);
	if (write_file(path, map) < 0)
		return jerr(err, errlen, errno, "gid_map: %s", strerror(errno));
	return 0;
}

/* Start H and wait until its namespaces exist; returns its pid. */
static pid_t
start_holder(const struct prison *pr, int prisonfd, int nsflags, int *hpidfd,
    char *err, size_t errlen)
{
	int rep[2], herr = 0;
	pid_t h;

	if (pipe2(rep, O_CLOEXEC) < 0)
		return jerr(err, errlen, errno, "pipe: %s", strerror(errno));
	h = clone3_pidfd(0, -1, hpidfd);
	if (h == 0)
		holder(pr, prisonfd, nsflags, rep[1]);
	crash_point("holder");
	close(rep[1]);
	if (h < 0) {
		close(rep[0]);
		return jerr(err, errlen, errno, "clone: %s", strerror(errno));
	}
	if (read(rep[0], &herr, sizeof(herr)) != sizeof(herr))
		herr = EIO;
	close(rep[0]);
	if (herr != 0) {
		waitpid(h, NULL, 0);
		close(*hpidfd);
		return jerr(err, errlen, herr, "user namespace: %s",
		    strerror(herr));
	}
	return h;
}

void
jail_build_done(struct prison *pr)
{
	if (pr->holder > 0)
		while (waitpid(pr->holder, NULL, 0) < 0 && errno == EINTR)
			;
	pr->holder = 0;
}

static void
log_hidden(const struct prison *pr, const char *hidden)
{
	if (hidden[0] == '\0')
		return;
	openlog("jail", LOG_PID, LOG_DAEMON);
	syslog(LOG_WARNING, "jail %d (%s): not idmappable, hidden in the "
	    "jail: %s", pr->st.jid, pr->st.name, hidden);
	closelog();
}

static void
close_netns(struct prison *pr)
{
	if (pr->netnsfd >= 0)
		close(pr->netnsfd);
	pr->netnsfd = -1;
}

/*
 * vnet.netns: the network namespace file at PATH, opened for jail init to
 * join.  It must be one: an O_PATH look first, so that nothing else (a
 * fifo, a device) is ever opened, then a real descriptor to ask its type.
 */
static int
open_netns(const char *path, char *err, size_t errlen)
{
	struct statfs sf;
	char self[64];
	int p, fd = -1;

	if ((p = open(path, O_PATH | O_CLOEXEC)) < 0)
		return jerr(err, errlen, errno, "vnet.netns %s: %s", path,
		    strerror(errno));
	if (fstatfs(p, &sf) == 0 && sf.f_type == NSFS_MAGIC) {
		snprintf(self, sizeof(self), "/proc/self/fd/%d", p);
		fd = open(self, O_RDONLY | O_CLOEXEC);
	}
	close(p);
	if (fd >= 0 && ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET)
		return fd;
	if (fd >= 0)
		close(fd);
	return jerr(err, errlen, EINVAL, "vnet.netns %s: not a network "
	    "namespace", path);
}

int
jail_build(struct prison *pr, char *err, size_t errlen)
{
	struct build_report r;
	char path[64];
	int nsflags = CLONE_NEWUSER, hpidfd = -1, cpidfd = -1, usernsfd, rep[2];
	int prisonfd, snapfd = -1, joinfd = -1;
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

	/* Another's network namespace, joined: none of the jail's own. */
	if (pr->st.vnet_netns[0] != '\0') {
		if ((joinfd = open_netns(pr->st.vnet_netns, err, errlen)) < 0)
			return -1;
		nsflags &= ~CLONE_NEWNET;
	}

	/* Our own pidfd, for the helpers to see us alive (die_with). */
	prisonfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (prisonfd < 0) {
		jerr(err, errlen, errno, "pidfd_open: %s", strerror(errno));
		if (joinfd >= 0)
			close(joinfd);
		return -1;
	}
	h = start_holder(pr, prisonfd, nsflags, &hpidfd, err, errlen);
	if (h < 0) {
		close(prisonfd);
		if (joinfd >= 0)
			close(joinfd);
		return -1;
	}
	if (write_maps(pr, h, err, errlen) < 0)
		goto fail_h;
	crash_point("maps");
	if (nsflags & CLONE_NEWNET) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)h);
		if ((pr->netnsfd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			jerr(err, errlen, errno, "%s: %s", path, strerror(errno));
			goto fail_h;
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)h);
	if ((usernsfd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		jerr(err, errlen, errno, "%s: %s", path, strerror(errno));
		goto fail_h;
	}
	/* The holder has reported, but jail init still has to join it. */
	crash_other("holder-gone", hpidfd);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, rep) < 0) {
		jerr(err, errlen, errno, "socketpair: %s", strerror(errno));
		close(usernsfd);
		goto fail_h;
	}
	c = clone3_pidfd(CLONE_NEWPID | CLONE_NEWNS, pr->cgfd, &cpidfd);
	if (c < 0) {
		jerr(err, errlen, errno, "clone jail init: %s", strerror(errno));
		close(rep[0]);
		close(rep[1]);
		close(usernsfd);
		goto fail_h;
	}
	if (c == 0)
		child(pr, prisonfd, hpidfd, usernsfd, nsflags, joinfd, rep[1]);
	crash_point("init");
	if (joinfd >= 0)
		close(joinfd);
	joinfd = -1;
	close(prisonfd);
	prisonfd = -1;
	close(usernsfd);
	close(rep[1]);
	n = report_recv(rep[0], &r, &snapfd);
	close(rep[0]);
	/*
	 * Init has joined H's namespaces: H goes.  It is reaped later
	 * (jail_build_done), not waited for here: its exit takes a while,
	 * which the jail's network can be built in.
	 */
	kill(h, SIGKILL);
	close(hpidfd);
	pr->holder = h;
	if (n != sizeof(r) || r.err != 0) {
		if (snapfd >= 0)
			close(snapfd);
		jail_build_done(pr);
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
		close(cpidfd);
		close_netns(pr);
		if (n == sizeof(r))
			overlay_cleanup(r.ovlwork);
		if (n == sizeof(r))
			return jerr(err, errlen, r.err, "%s", r.msg);
		return jerr(err, errlen, EIO, "jail init died while building");
	}
	snprintf(pr->st.idmap_hidden, sizeof(pr->st.idmap_hidden), "%s",
	    r.hidden);
	log_hidden(pr, r.hidden);
	memcpy(pr->ovlwork, r.ovlwork, sizeof(pr->ovlwork));
	pr->init = c;
	pr->initfd = cpidfd;
	pr->snapfd = snapfd;
	return 0;
fail_h:
	if (joinfd >= 0)
		close(joinfd);
	kill(h, SIGKILL);
	waitpid(h, NULL, 0);
	close(hpidfd);
	close_netns(pr);
	if (prisonfd >= 0)
		close(prisonfd);
	return -1;
}
