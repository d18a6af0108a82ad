/*
 * jt_hook: an LD_PRELOAD shim that makes a race go the same way every
 * time, by acting at a chosen moment inside a jail command (built on the
 * host as a shared object, see jt_cc_hook in race_test.sh).
 *
 *   JT_HOOK_AT=sendmsg      before the first sendmsg(2) of the process (a
 *                           request to a prison), run JT_HOOK_CMD
 *   JT_HOOK_AT=spawn        before a new prison is started (the first
 *                           clone(2) or posix_spawn(3) of the process),
 *                           run JT_HOOK_CMD
 *   JT_HOOK_AT=params       before the first pread(2) of the parameters a
 *                           prison keeps in its registry record (at
 *                           offset 4096, JREC_PARAMS_OFF), run JT_HOOK_CMD
 *   JT_HOOK_AT=setns        after the first setns(2) into a jail through
 *                           its init's pidfd, kill that init and wait
 *                           until it is gone
 *
 * JT_HOOK_CMD runs with /bin/sh -c, without the shim, and is waited for.
 */
#define	_GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>

static int fired;

/* Whether this call is the moment: the first call of the hooked function. */
static int
now(const char *fn)
{
	const char *at = getenv("JT_HOOK_AT");

	if (fired || at == NULL || strcmp(at, fn) != 0)
		return 0;
	fired = 1;
	return 1;
}

static void
run_cmd(void)
{
	const char *cmd = getenv("JT_HOOK_CMD");
	char *saved;

	if (cmd == NULL)
		return;
	saved = getenv("LD_PRELOAD");
	saved = saved != NULL ? strdup(saved) : NULL;
	unsetenv("LD_PRELOAD");
	(void)!system(cmd);
	if (saved != NULL) {
		setenv("LD_PRELOAD", saved, 1);
		free(saved);
	}
}

ssize_t
sendmsg(int fd, const struct msghdr *mh, int flags)
{
	ssize_t (*real)(int, const struct msghdr *, int) =
	    (ssize_t (*)(int, const struct msghdr *, int))dlsym(RTLD_NEXT,
	    "sendmsg");

	if (now("sendmsg"))
		run_cmd();
	return real(fd, mh, flags);
}

static ssize_t
hooked_pread(const char *sym, int fd, void *buf, size_t len, off_t off)
{
	ssize_t (*real)(int, void *, size_t, off_t) =
	    (ssize_t (*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, sym);

	if (off == 4096 && now("params"))
		run_cmd();
	return real(fd, buf, len, off);
}

ssize_t
pread(int fd, void *buf, size_t len, off_t off)
{
	return hooked_pread("pread", fd, buf, len, off);
}

ssize_t
pread64(int fd, void *buf, size_t len, off_t off)
{
	return hooked_pread("pread64", fd, buf, len, off);
}

int
posix_spawn(pid_t *pid, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
    char *const argv[], char *const envp[])
{
	int (*real)(pid_t *, const char *, const posix_spawn_file_actions_t *,
	    const posix_spawnattr_t *, char *const[], char *const[]) =
	    (int (*)(pid_t *, const char *, const posix_spawn_file_actions_t *,
	    const posix_spawnattr_t *, char *const[], char *const[]))
	    dlsym(RTLD_NEXT, "posix_spawn");

	if (now("spawn"))
		run_cmd();
	return real(pid, path, fa, at, argv, envp);
}

/* libjail starts a prison with clone (lib/client.c), not posix_spawn. */
int
clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	int (*real)(int (*)(void *), void *, int, void *, ...) =
	    (int (*)(int (*)(void *), void *, int, void *, ...))dlsym(RTLD_NEXT,
	    "clone");
	void *ptid, *tls, *ctid;
	va_list ap;

	va_start(ap, arg);
	ptid = va_arg(ap, void *);
	tls = va_arg(ap, void *);
	ctid = va_arg(ap, void *);
	va_end(ap);
	if (now("spawn"))
		run_cmd();
	return real(fn, stack, flags, arg, ptid, tls, ctid);
}

int
setns(int fd, int nstype)
{
	int (*real)(int, int) = (int (*)(int, int))dlsym(RTLD_NEXT, "setns");
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int rc = real(fd, nstype);

	if (rc == 0 && now("setns") &&
	    syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0) == 0)
		(void)poll(&p, 1, 5000);	/* readable once it has exited */
	return rc;
}
