/*
 * What the caller's stdio may be when it goes into a jail: no directory
 * and no O_PATH reference.  Which of them are terminals is found on the
 * way: a host terminal does not go in either (pty.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "internal.h"
#include "stdfd.h"

static const char *const names[] = {
	"standard input", "standard output", "standard error",
};

int
jstdfd_check_fds(const int fds[3], char *err, size_t errlen)
{
	struct stat st;
	int ttys = 0, fl;

	for (int i = 0; i <= 2; i++) {
		int fd = fds[i];

		if (fd < 0 || fstat(fd, &st) < 0)
			continue;	/* closed: nothing to hand over */
		if (S_ISDIR(st.st_mode))
			return jerr(err, errlen, EISDIR, "%s is a directory",
			    names[i]);
		if ((fl = fcntl(fd, F_GETFL)) >= 0 && (fl & O_PATH))
			return jerr(err, errlen, EBADF,
			    "%s is an O_PATH descriptor", names[i]);
		/* Only a character device can be a terminal: saves an ioctl. */
		if (S_ISCHR(st.st_mode) && isatty(fd))
			ttys |= 1 << i;
	}
	return ttys;
}

int
jstdfd_check(char *err, size_t errlen)
{
	static const int std[3] = { 0, 1, 2 };

	return jstdfd_check_fds(std, err, errlen);
}
