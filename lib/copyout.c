/*
 * Writing into memory the caller handed us, as the kernel's copyout(9)
 * does for FreeBSD's jail_get(2) and jail_set(2): a buffer that cannot be
 * written (a string literal, a read-only mapping) is an EFAULT for the
 * call, never a crash of the caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/uio.h>

#include "internal.h"

/*
 * The same through a pipe: read(2) into a buffer it cannot write fails
 * with EFAULT.  For where process_vm_writev is refused (a jail's seccomp
 * filter refuses it without allow.unprivileged_proc_debug).
 */
static int
copyout_pipe(const char *src, char *dst, size_t len)
{
	int p[2], ret = 0, e;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	while (len > 0) {
		size_t chunk = len < 4096 ? len : 4096;	/* fits the pipe */
		ssize_t w, r;

		if ((w = write(p[1], src, chunk)) <= 0) {
			ret = -1;
			break;
		}
		if ((r = read(p[0], dst, (size_t)w)) != w) {
			errno = EFAULT;
			ret = -1;
			break;
		}
		src += w;
		dst += w;
		len -= (size_t)w;
	}
	e = errno;
	close(p[0]);
	close(p[1]);
	errno = e;
	return ret;
}

int
jcopyout(const void *src, void *dst, size_t len)
{
	struct iovec local = { (void *)src, len }, remote = { dst, len };
	ssize_t n;

	if (len == 0)
		return 0;
	if (dst == NULL) {
		errno = EFAULT;
		return -1;
	}
	/*
	 * Our own memory, written as another process's would be: the kernel
	 * checks that the pages are writable instead of faulting.
	 */
	n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if (n >= 0 || errno == EFAULT) {
		errno = EFAULT;
		return -1;
	}
	return copyout_pipe(src, dst, len);
}

int
jcopyout_v(const struct iovec *src, const struct iovec *dst, unsigned n)
{
	size_t want = 0;
	ssize_t got;

	if (n == 0)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		if (dst[i].iov_base == NULL && dst[i].iov_len > 0) {
			errno = EFAULT;
			return -1;
		}
		want += src[i].iov_len;
	}
	/* Written in order: what comes before a bad one is written, as one by one. */
	got = process_vm_writev(getpid(), src, n, dst, n, 0);
	if (got == (ssize_t)want)
		return 0;
	if (got >= 0 || errno == EFAULT) {
		errno = EFAULT;
		return -1;
	}
	for (unsigned i = 0; i < n; i++)
		if (jcopyout(src[i].iov_base, dst[i].iov_base,
		    src[i].iov_len) < 0)
			return -1;
	return 0;
}
