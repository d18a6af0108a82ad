/*
 * Jail descriptors: what Linux adds to FreeBSD's interface (jaildesc(4)).
 *
 * FreeBSD's part is in <sys/jail.h>: the desc parameter, the JAIL_*_DESC
 * flags, jail_attach_jd and jail_remove_jd.  FreeBSD watches a descriptor
 * with kqueue (EVFILT_JAILDESC), which Linux has not: here a descriptor
 * is readable (poll, epoll) while an event is pending, and
 * jaildesc_event() takes it.  Rights limit what a descriptor can do, for
 * whoever holds it; they can be taken away, never given back.
 */
#ifndef _JAILDESC_H_
#define _JAILDESC_H_

#include <stdint.h>

/* jail_set/jail_get flag: the new descriptor is close-on-exec (Linux). */
#define	JAIL_DESC_CLOEXEC	0x10000

/* Rights of a descriptor. */
#define	JAILDESC_SET		0x01	/* jail_set with JAIL_USE_DESC */
#define	JAILDESC_ATTACH		0x02	/* jail_attach_jd */
#define	JAILDESC_REMOVE		0x04	/* jail_remove_jd; JAIL_OWN_DESC */
#define	JAILDESC_WATCH		0x08	/* jaildesc_watch, jaildesc_event */
#define	JAILDESC_SPAWN		0x10	/* jail_spawn_jd */
#define	JAILDESC_ALL		0x1f

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Keep only RIGHTS of descriptor FD (for every copy of it, and for every
 * process it is passed to).  Returns the rights it has left, or -1.
 * jaildesc_limit(fd, JAILDESC_ALL) only tells them.
 */
int	jaildesc_limit(int fd, unsigned int rights);

/*
 * Watch descriptor FD for EVENTS (NOTE_JAIL_SET, NOTE_JAIL_ATTACH,
 * NOTE_JAIL_CHILD, NOTE_JAIL_REMOVE of <sys/jail.h>); 0 stops.  Events
 * before the call are forgotten.  Returns 0 or -1.
 */
int	jaildesc_watch(int fd, unsigned int events);

/*
 * Take the events pending on FD, without waiting: 1 and the events in
 * *EVENTS (with NOTE_JAIL_MULTI when more than one ATTACH or CHILD came
 * together; *DATA is then 0, else the pid or the jid), 0 when there are
 * none, -1 on error.  Once the jail is removed: NOTE_JAIL_REMOVE.
 */
int	jaildesc_event(int fd, unsigned int *events, intptr_t *data);

/*
 * Run ARGV (ARGV[0] looked up in the jail's PATH) in the jail of
 * descriptor FD, which must be root's and have JAILDESC_SPAWN: fully
 * confined, as a jexec'd process is, in a session of its own, as the
 * caller's uid, gid and groups (the jail's ids of the same numbers), with
 * the caller's standard descriptors (a terminal among them is not passed:
 * a terminal of the jail's own stands for it, relayed by
 * jail_spawn_wait), environment ENVP (NULL: the caller's) and working
 * directory DIR (NULL: "/").  It needs no privilege.  Returns a handle, a
 * descriptor that becomes readable once the command has ended, or -1.
 */
int	jail_spawn_jd(int fd, char *const argv[], char *const envp[],
	    const char *dir);
/* Send signal SIG to the command of handle H (its process group). */
int	jail_spawn_kill(int h, int sig);
/*
 * Wait for the command of handle H to end, relaying its terminal and
 * forwarding SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and
 * SIGWINCH meanwhile; close H.  0 and its wait status in *STATUS (killed
 * by SIGKILL when the jail was removed under it), or -1 when it could not
 * be run (errno, and jail_errmsg says why).
 */
int	jail_spawn_wait(int h, int *status);

#ifdef __cplusplus
}
#endif

#endif /* !_JAILDESC_H_ */
