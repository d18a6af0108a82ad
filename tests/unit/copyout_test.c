/*
 * Caller memory that cannot be written: jail_set(2) and jail_get(2) write
 * into it as FreeBSD's kernel does with copyout(9), so a read-only
 * buffer fails the call, never crashes the caller.  FreeBSD ignores a
 * failed copyout of errmsg (the call's own error stands) and fails
 * jail_get with EFAULT when a value cannot be written back; libjail's
 * jailparam_get and jail_getv pass the EFAULT on.
 *
 * The cases marked root create a jail (an empty root directory, a
 * registry in the work directory) with the prison of the build tree.
 */
#include <atf-c.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "jail.h"
#include "sys/jail.h"
#include "internal.h"

#define	JNAME	"cpo"

/* A page of FILL bytes that may only be read. */
static char *
ro_page(int fill)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ATF_REQUIRE(p != MAP_FAILED);
	memset(p, fill, 4096);
	ATF_REQUIRE(mprotect(p, 4096, PROT_READ) == 0);
	return p;
}

#define	SET(iov, n, name, val, len) do {				\
	(iov)[(n)].iov_base = (void *)(name);				\
	(iov)[(n)++].iov_len = strlen(name) + 1;			\
	(iov)[(n)].iov_base = (void *)(val);				\
	(iov)[(n)++].iov_len = (len);					\
} while (0)

/* ---- jcopyout ---- */

ATF_TC_WITHOUT_HEAD(copyout_writable);
ATF_TC_BODY(copyout_writable, tc)
{
	char buf[8] = "xxxxxxx";

	ATF_CHECK_EQ(0, jcopyout("abc", buf, 4));
	ATF_CHECK_STREQ("abc", buf);
	ATF_CHECK_EQ(0, jcopyout("abc", NULL, 0));
}

ATF_TC_WITHOUT_HEAD(copyout_readonly);
ATF_TC_BODY(copyout_readonly, tc)
{
	char *ro = ro_page('x');

	errno = 0;
	ATF_CHECK_EQ(-1, jcopyout("abc", ro, 4));
	ATF_CHECK_EQ(EFAULT, errno);
	ATF_CHECK_EQ('x', ro[0]);
	errno = 0;
	ATF_CHECK_EQ(-1, jcopyout("abc", NULL, 4));
	ATF_CHECK_EQ(EFAULT, errno);
	munmap(ro, 4096);
}

/*
 * A filter that refuses process_vm_writev with EPERM, as a jail's does
 * without allow.unprivileged_proc_debug.  0 when installed.
 */
static int
refuse_process_vm_writev(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_writev, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

ATF_TC_WITHOUT_HEAD(copyout_refused);
ATF_TC_BODY(copyout_refused, tc)
{
	char *ro = ro_page('x');
	pid_t pid;
	int st;

	/* In a child: the filter stays with the process that loads it. */
	if ((pid = fork()) == 0) {
		char buf[8] = "xxxxxxx";
		struct iovec l = { "a", 1 }, r = { buf, 1 };

		if (refuse_process_vm_writev() < 0)
			_exit(10);
		if (process_vm_writev(getpid(), &l, 1, &r, 1, 0) >= 0 ||
		    errno != EPERM)
			_exit(11);	/* the filter does not bite */
		if (jcopyout("abc", buf, 4) != 0 || strcmp(buf, "abc") != 0)
			_exit(12);
		if (jcopyout("abc", ro, 4) != -1 || errno != EFAULT ||
		    ro[0] != 'x')
			_exit(13);
		_exit(0);
	}
	ATF_REQUIRE(pid > 0);
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 10)
		atf_tc_skip("cannot load a seccomp filter");
	ATF_CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "child status %#x (11: filter, 12: writable, 13: read-only)", st);
	munmap(ro, 4096);
}

/* ---- errmsg ---- */

ATF_TC_WITHOUT_HEAD(set_errmsg_readonly);
ATF_TC_BODY(set_errmsg_readonly, tc)
{
	struct iovec iov[4];
	char *ro = ro_page('x');
	unsigned n = 0;

	/* No valid operation: EINVAL with a message it cannot deliver. */
	SET(iov, n, "persist", NULL, 0);
	SET(iov, n, "errmsg", ro, 4096);
	errno = 0;
	ATF_CHECK_EQ(-1, jail_set(iov, n, 0));
	ATF_CHECK_EQ(EINVAL, errno);
	ATF_CHECK_EQ('x', ro[0]);

	/* The same with a string literal for a buffer. */
	n = 0;
	SET(iov, n, "persist", NULL, 0);
	SET(iov, n, "errmsg", "a string literal", sizeof("a string literal"));
	errno = 0;
	ATF_CHECK_EQ(-1, jail_set(iov, n, 0));
	ATF_CHECK_EQ(EINVAL, errno);
	munmap(ro, 4096);
}

ATF_TC_WITHOUT_HEAD(get_errmsg_readonly);
ATF_TC_BODY(get_errmsg_readonly, tc)
{
	struct iovec iov[2];
	char *ro = ro_page('x');
	unsigned n = 0;

	/* No key: ENOENT, "no jail specified". */
	SET(iov, n, "errmsg", ro, 4096);
	errno = 0;
	ATF_CHECK_EQ(-1, jail_get(iov, n, 0));
	ATF_CHECK_EQ(ENOENT, errno);
	ATF_CHECK_EQ('x', ro[0]);
	munmap(ro, 4096);
}

/*
 * The message goes to a buffer that can take it, cut to its size; a
 * failure with nothing to say leaves the buffer as it was (FreeBSD's
 * kernel copies back what it copied in).
 */
ATF_TC_WITHOUT_HEAD(errmsg_delivery);
ATF_TC_BODY(errmsg_delivery, tc)
{
	struct iovec iov[4];
	char small[8], buf[64] = "untouched";
	unsigned n = 0;

	SET(iov, n, "persist", NULL, 0);
	SET(iov, n, "errmsg", buf, sizeof(buf));
	errno = 0;
	ATF_CHECK_EQ(-1, jail_set(iov, n, 0x100));	/* not a flag */
	ATF_CHECK_EQ(EINVAL, errno);
	ATF_CHECK_STREQ("untouched", buf);

	n = 0;
	SET(iov, n, "errmsg", buf, sizeof(buf));
	ATF_CHECK_EQ(-1, jail_get(iov, n, 0));
	ATF_CHECK_STREQ("no jail specified", buf);

	memset(small, 'x', sizeof(small));
	n = 0;
	SET(iov, n, "errmsg", small, sizeof(small));
	ATF_CHECK_EQ(-1, jail_get(iov, n, 0));
	ATF_CHECK_STREQ("no jail", small);
}

/* ---- values jail_get writes: against a real jail ---- */

/*
 * A registry and a jail root in the work directory, and the build tree's
 * prison (the test program is in tests/unit or tests/unit/asan).
 */
static void
setup_env(const atf_tc_t *tc)
{
	const char *src = atf_tc_get_config_var(tc, "srcdir");
	static const char *const up[] = { "/../..", "/../../.." };
	char cwd[PATH_MAX], path[PATH_MAX * 2];

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(path, sizeof(path), "%s/reg", cwd);
	setenv("JAIL_REGISTRY", path, 1);
	for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
		snprintf(path, sizeof(path), "%s%s/build/libexec/jail/prison",
		    src, up[i]);
		if (access(path, X_OK) == 0) {
			setenv("JAIL_PRISON", path, 1);
			return;
		}
	}
	atf_tc_skip("no prison in the build tree above %s", src);
}

static int
make_jail(const atf_tc_t *tc)
{
	char root[PATH_MAX];
	int jid;

	setup_env(tc);
	ATF_REQUIRE(getcwd(root, sizeof(root) - 8) != NULL);
	strcat(root, "/root");
	ATF_REQUIRE(mkdir(root, 0755) == 0 || errno == EEXIST);
	jid = jail_setv(JAIL_CREATE, "name", JNAME, "path", root,
	    "host.hostname", "cpo.example", "persist", NULL, NULL);
	ATF_REQUIRE_MSG(jid > 0, "jail_setv: %s", jail_errmsg);
	return jid;
}

static void
remove_jail(const atf_tc_t *tc)
{
	int jid;

	setup_env(tc);
	if ((jid = jail_getid(JNAME)) > 0)
		jail_remove(jid);
}

#define	JAIL_TC(name, descr)						\
ATF_TC_WITH_CLEANUP(name);						\
ATF_TC_HEAD(name, tc)							\
{									\
	atf_tc_set_md_var(tc, "descr", descr);				\
	atf_tc_set_md_var(tc, "require.user", "root");			\
}									\
ATF_TC_CLEANUP(name, tc)						\
{									\
	remove_jail(tc);						\
}

JAIL_TC(get_value_readonly, "jail_get: a value that cannot be written back is EFAULT");
ATF_TC_BODY(get_value_readonly, tc)
{
	struct iovec iov[6];
	char name[] = JNAME, err[64] = "untouched", *ro = ro_page('x');
	unsigned n = 0;

	make_jail(tc);
	SET(iov, n, "name", name, sizeof(name));
	SET(iov, n, "host.hostname", ro, 256);
	SET(iov, n, "errmsg", err, sizeof(err));
	errno = 0;
	ATF_CHECK_EQ(-1, jail_get(iov, n, 0));
	ATF_CHECK_EQ(EFAULT, errno);
	ATF_CHECK_EQ('x', ro[0]);
	/* As FreeBSD's: EFAULT comes with no message. */
	ATF_CHECK_STREQ("untouched", err);
	munmap(ro, 4096);
}

JAIL_TC(get_key_readonly, "jail_get: a name key it cannot write back is EFAULT, as FreeBSD's");
ATF_TC_BODY(get_key_readonly, tc)
{
	struct iovec iov[4];
	char host[256];
	unsigned n = 0;
	int jid;

	jid = make_jail(tc);
	/* FreeBSD writes the name back: libjail copies keys for it. */
	SET(iov, n, "name", JNAME, sizeof(JNAME));
	SET(iov, n, "host.hostname", host, sizeof(host));
	errno = 0;
	ATF_CHECK_EQ(-1, jail_get(iov, n, 0));
	ATF_CHECK_EQ(EFAULT, errno);
	/* The short way, from the registry alone: the same. */
	n = 0;
	SET(iov, n, "name", JNAME, sizeof(JNAME));
	errno = 0;
	ATF_CHECK_EQ(-1, jail_get(iov, n, 0));
	ATF_CHECK_EQ(EFAULT, errno);
	/* And the library's own lookups still work. */
	ATF_CHECK_EQ(jid, jail_getid(JNAME));
}

JAIL_TC(get_iovec_readonly, "jail_get: an iovec array whose lengths cannot be written back is EFAULT");
ATF_TC_BODY(get_iovec_readonly, tc)
{
	static char name[] = JNAME, host[256];
	struct iovec *iov;
	unsigned n = 0;

	make_jail(tc);
	iov = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ATF_REQUIRE(iov != MAP_FAILED);
	SET(iov, n, "name", name, sizeof(name));
	SET(iov, n, "host.hostname", host, sizeof(host));
	ATF_REQUIRE(mprotect(iov, 4096, PROT_READ) == 0);
	errno = 0;
	ATF_CHECK_EQ(-1, jail_get(iov, n, 0));
	ATF_CHECK_EQ(EFAULT, errno);
	munmap(iov, 4096);
}

JAIL_TC(jailparam_get_readonly, "jailparam_get into a raw read-only value fails with EFAULT");
ATF_TC_BODY(jailparam_get_readonly, tc)
{
	struct jailparam jp[2];
	char *ro = ro_page('x');

	make_jail(tc);
	ATF_REQUIRE(jailparam_init(&jp[0], "name") == 0);
	ATF_REQUIRE(jailparam_import(&jp[0], JNAME) == 0);
	ATF_REQUIRE(jailparam_init(&jp[1], "host.hostname") == 0);
	ATF_REQUIRE(jailparam_import_raw(&jp[1], ro, 256) == 0);
	errno = 0;
	ATF_CHECK_EQ(-1, jailparam_get(jp, 2, 0));
	ATF_CHECK_EQ(EFAULT, errno);
	ATF_CHECK_STREQ("jail_get: Bad address", jail_errmsg);
	ATF_CHECK_EQ('x', ro[0]);
	jailparam_free(jp, 2);
	munmap(ro, 4096);
}

JAIL_TC(jail_getv_readonly, "jail_getv into a read-only buffer fails with EFAULT");
ATF_TC_BODY(jail_getv_readonly, tc)
{
	char host[256], *ro = ro_page('x');

	make_jail(tc);
	ATF_REQUIRE_MSG(jail_getv(0, "name", JNAME, "host.hostname", host,
	    NULL) > 0, "jail_getv: %s", jail_errmsg);
	ATF_CHECK_STREQ("cpo.example", host);
	errno = 0;
	ATF_CHECK_EQ(-1, jail_getv(0, "name", JNAME, "host.hostname", ro,
	    NULL));
	ATF_CHECK_EQ(EFAULT, errno);
	ATF_CHECK_STREQ("host.hostname: Bad address", jail_errmsg);
	ATF_CHECK_EQ('x', ro[0]);
	munmap(ro, 4096);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, copyout_writable);
	ATF_TP_ADD_TC(tp, copyout_readonly);
	ATF_TP_ADD_TC(tp, copyout_refused);
	ATF_TP_ADD_TC(tp, set_errmsg_readonly);
	ATF_TP_ADD_TC(tp, get_errmsg_readonly);
	ATF_TP_ADD_TC(tp, errmsg_delivery);
	ATF_TP_ADD_TC(tp, get_value_readonly);
	ATF_TP_ADD_TC(tp, get_key_readonly);
	ATF_TP_ADD_TC(tp, get_iovec_readonly);
	ATF_TP_ADD_TC(tp, jailparam_get_readonly);
	ATF_TP_ADD_TC(tp, jail_getv_readonly);
	return atf_no_error();
}
