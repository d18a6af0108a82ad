/*
 * The caller's standard descriptors, judged before they are handed to a
 * jailed command.  Internal to libjail.
 */
#ifndef JAIL_STDFD_H
#define JAIL_STDFD_H

#include <stddef.h>

/*
 * Check fds 0, 1 and 2 of the caller.  A directory (also one opened with
 * O_PATH, or a /proc/PID directory) is refused: the command could openat()
 * ".." from it and walk the host's tree.  So is any O_PATH descriptor: it
 * is good for nothing as stdio but naming a host file to reopen.  Returns
 * the set of terminals (bit n for fd n), or -1 with errno and a message.
 */
int	jstdfd_check(char *err, size_t errlen);
/* The same for FDS, to be a command's 0-2 (-1: none). */
int	jstdfd_check_fds(const int fds[3], char *err, size_t errlen);

#endif
