/*
 * Resolving a name below a directory as if that directory were /: the
 * one way the privileged code (the prison building a jail's tree, jail(8)
 * mounting into a jail's path, jail-oci making a bundle's mounts) opens a
 * path that a jail's files could name.  ".." stops at the directory and
 * no symlink or magic link is followed, so nothing planted in a jail's
 * tree can redirect the caller to a host file.
 */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

#include "internal.h"

int
jfd_open_in(int root, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_PATH | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
		    RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, root, rel, &how, sizeof(how));
}
