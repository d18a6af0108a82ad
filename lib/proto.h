/*
 * The protocol between libjail and a prison: one message per SOCK_SEQPACKET
 * record, a fixed header followed by named items, file descriptors passed
 * with SCM_RIGHTS.  Both ends are on one host, so integers are native.
 *
 *   header:  magic, version, type, total length, flags, status, item count,
 *            sequence number, event kind
 *   item:    u16 name length (with NUL), u8 "null value", u8 zero,
 *            u32 value length, name, pad to 4, value, pad to 4
 *
 * Every message from the other side is untrusted: jmsg_decode checks every
 * length against the record before anything looks inside.
 */
#ifndef JAIL_PROTO_H
#define JAIL_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define	JPROTO_MAGIC	0x4c49414aU	/* "JAIL" */
#define	JPROTO_VERSION	2
#define	JPROTO_MAXMSG	65536
#define	JPROTO_MAXITEMS	256
#define	JPROTO_MAXFDS	4

enum jmsg_type {
	JM_CREATE = 1,	/* items: parameters; flags: jail_set flags */
	JM_UPDATE,	/* items: parameters; flags: jail_set flags */
	JM_GET,		/* items: names wanted (values ignored) */
	JM_REMOVE,	/* no items */
	JM_ATTACH,	/* no items; reply carries fds and the policy */
	JM_ATTACHED,	/* creator's hold on a new jail is released */
	/*
	 * Sent on a jail descriptor (a connection marked so by a GET or
	 * UPDATE with JAIL_GET_DESC or JAIL_OWN_DESC): one socket passed,
	 * which becomes a private connection speaking with the
	 * descriptor's creator credential and rights.  No reply: every
	 * other request through a descriptor goes over such a channel, so
	 * that processes sharing a descriptor never read each other's
	 * replies.
	 */
	JM_CHANNEL,
	/* On a channel, about its descriptor: */
	JM_LIMIT,	/* item "rights": keep only those; reply "rights" */
	JM_WATCH,	/* item "events": the NOTE_JAIL_* wanted */
	JM_EVENTS,	/* take the pending events: reply "events", "data" */
	/*
	 * Run a command in the jail as the channel's peer (its uid, gid
	 * and groups), its stdio passed along: items "argv" and "env"
	 * (strings one after another, each with its NUL), "dir"; with a
	 * terminal, "tty" (which of 0-2 are; those are not passed: a pty of
	 * the jail's own stands for them, its master in the reply) and
	 * "tio", "ws" (its modes and size).  The channel stays open:
	 * JM_EXITED comes when the command has ended; JM_SIGNAL sends it a
	 * signal.
	 */
	JM_SPAWN,
	JM_SIGNAL,	/* item "signal"; no reply */
	/*
	 * Stop the jail's processes before it is removed (jail(8)'s
	 * stop.timeout): SIGTERM to every process of the jail but its
	 * init, then wait up to item "timeout" (int, seconds, 0 or more)
	 * for them to exit.  The reply comes when none is left or the time
	 * is up: item "left", the number still there (0: all exited).
	 */
	JM_TERM,
	JM_REPLY = 100,	/* status = 0 or errno; item "errmsg" on failure */
	JM_EVENT,	/* unasked, on a watched descriptor: events are
			   pending (hdr.event); JM_EVENTS takes them */
	JM_EXITED,	/* a spawned command ended: item "status" (as
			   wait(2)'s); or status errno and "errmsg" when
			   it failed before it ran */
};

/*
 * A JM_CREATE flag beside jail_set's: the creating connection holds the
 * new jail (it needs no persist) until it closes.  jail(8)'s command=
 * runs under such a hold, so a killed jail(8) leaves no jail behind.
 */
enum {
	JM_F_HOLD = 0x40000000,
	/*
	 * JM_CREATE for jail_set(JAIL_OWN_DESC): until an owning descriptor
	 * exists, the creating connection owns the jail, persist or not, so
	 * that a caller killed in between leaves no jail behind.
	 */
	JM_F_OWN = 0x20000000,
};

struct jmsg_hdr {
	uint32_t	magic;
	uint16_t	version;
	uint16_t	type;
	uint32_t	len;
	int32_t		flags;
	int32_t		status;
	uint32_t	nitems;
	/*
	 * A request's number, chosen by the client; its reply carries it
	 * back, so that replies and events can share one connection.  0 in
	 * an event.
	 */
	uint32_t	seq;
	uint32_t	event;		/* JM_EVENT: what happened; else 0 */
};

struct jmsg_item {
	const char	*name;
	const void	*value;		/* NULL when null is set */
	uint32_t	 len;
	uint8_t		 null;
};

struct jmsg {
	struct jmsg_hdr	 h;
	unsigned	 n;
	struct jmsg_item item[JPROTO_MAXITEMS];
};

/* Encoding: start, add items, finish.  Errors stick (EMSGSIZE, E2BIG). */
struct jmsg_buf {
	unsigned char	*buf;
	size_t		 size;
	size_t		 len;
	uint32_t	 nitems;
	int		 error;
};

void	jmsg_start(struct jmsg_buf *, void *buf, size_t size, int type,
	    int flags, int status);
void	jmsg_add(struct jmsg_buf *, const char *name, const void *value,
	    size_t len, int null);
void	jmsg_add_str(struct jmsg_buf *, const char *name, const char *value);
void	jmsg_add_int(struct jmsg_buf *, const char *name, int value);
/* Returns the message length, or -1 with errno set. */
ssize_t	jmsg_finish(struct jmsg_buf *);
/* Start the reply to request REQ (its sequence number) with STATUS. */
void	jmsg_start_reply(struct jmsg_buf *, void *buf, size_t size,
	    const struct jmsg_hdr *req, int status);
/* Number the encoded message MSG (a request: see jmsg_hdr.seq). */
void	jmsg_set_seq(void *msg, uint32_t seq);

/* Decode and validate; items point into BUF.  0, or -1 with EBADMSG. */
int	jmsg_decode(const void *buf, size_t len, struct jmsg *out);
const struct jmsg_item *jmsg_find(const struct jmsg *, const char *name);
/*
 * The same, searching from item *AT on (and round), which it leaves just
 * past the item found: names asked in the order they were sent are each
 * found at the first look.
 */
const struct jmsg_item *jmsg_find_from(const struct jmsg *, const char *name,
	    unsigned *at);

/*
 * Send and receive one record with up to JPROTO_MAXFDS descriptors.
 * jmsg_recv returns the record length, 0 on EOF (or an empty record,
 * whose fds are closed), -1 on error; received fds are close-on-exec; a truncated record or control part is EBADMSG
 * and every fd that came with it is closed.
 */
ssize_t	jmsg_send(int sock, const void *buf, size_t len, const int *fds,
	    int nfds);
ssize_t	jmsg_recv(int sock, void *buf, size_t size, int *fds, int *nfds);

#endif
