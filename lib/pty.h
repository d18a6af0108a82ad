/*
 * A terminal of the jail's own for a command whose caller sits at a
 * terminal, so that no host terminal descriptor ever enters a jail.
 * Internal to libjail; jail__run (run.c) is its only user.
 *
 *   caller: jpty_init           which of fds 0-2 are terminals, their modes
 *   opener: jpty_open           after setns: a pty of the jail's devpts
 *           jpty_handoff        the master to the caller, the slave closed
 *   caller: jpty_receive        (only when the opener is another process)
 *   command: jpty_attach        the slave as controlling terminal and stdio
 *   caller: jpty_relay          relay until the command exits
 *
 * Every step is a no-op when none of the caller's fds 0-2 is a terminal.
 */
#ifndef JAIL_PTY_H
#define JAIL_PTY_H

#include <stddef.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <sys/types.h>

struct jail_pty {
	int		ttys;		/* bit n: the caller's fd n is a terminal */
	int		term;		/* the first of them: modes and size */
	int		master;
	int		slave;
	int		sock[2];	/* the master from opener to caller */
	dev_t		host_pts;	/* the host's devpts, never the jail's */
	struct termios	tio;
	struct winsize	ws;
	int		fresh;		/* a console: the kernel's default modes,
					   only the size set */
};

/*
 * In the caller, before anything is entered.  TTYS from jstdfd_check();
 * HANDOFF when another process will open the pty and must pass the
 * master back.  0, or -1 with errno and a message.
 */
int	jpty_init(struct jail_pty *, int ttys, int handoff, char *err,
	    size_t errlen);
/*
 * The same for a spawner that has no terminal (the prison, for a
 * descriptor's holder): the holder's terminal modes TIO and size WS; the
 * master is always handed off.
 */
int	jpty_init_modes(struct jail_pty *, int ttys, const struct termios *tio,
	    const struct winsize *ws, char *err, size_t errlen);
/* In the opener, in the jail's mount namespace; UID will own the slave. */
int	jpty_open(struct jail_pty *, uid_t uid, char *err, size_t errlen);
/* In the opener once the command is cloned. */
int	jpty_handoff(struct jail_pty *, char *err, size_t errlen);
/* In the caller, when the opener was another process. */
int	jpty_receive(struct jail_pty *, char *err, size_t errlen);
/* In the command, a session leader: take the slave. */
int	jpty_attach(struct jail_pty *, char *err, size_t errlen);
/*
 * In the caller: relay the caller's terminal and the master until PID, a
 * child of the caller, exits (it is not reaped); then drain and close the
 * master, which hangs up the slave for anything the command left behind.
 */
void	jpty_relay(struct jail_pty *, pid_t pid);
/* The same until DONE (a descriptor, not closed) is readable. */
void	jpty_relay_until(struct jail_pty *, int done);
/* Close whatever is still open (error paths). */
void	jpty_close(struct jail_pty *);

#endif
