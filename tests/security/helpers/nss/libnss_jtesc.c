/*
 * A name-service module planted in a jail root by the escape suite.  If
 * jexec, jail or jls ever resolve a user or group with the jail's
 * nsswitch.conf and libraries (docker cp CVE-2019-14271), glibc loads it
 * into a host-privileged process; its constructor leaves a mark where the
 * test looks (in the jail's /tmp and at $JT_NSS_MARK, a host path) and
 * says so on stderr.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void mark(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd >= 0) {
		(void)!write(fd, "loaded\n", 7);
		close(fd);
	}
}

__attribute__((constructor)) static void
loaded(void)
{
	const char *m = getenv("JT_NSS_MARK");
	static const char msg[] = "libnss_jtesc: loaded from the jail\n";

	mark("/tmp/jt-nss-loaded");
	if (m != NULL && m[0] == '/')
		mark(m);
	(void)!write(2, msg, sizeof(msg) - 1);
}
