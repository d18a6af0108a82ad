/*
 * seqfuzz: sequences of requests, from many connections at once, against
 * one prison.  The pieces: requests (req.c) and the parameter changes in
 * them (items.c), the pool of connections that send them (conn.c), the
 * probe that checks, now and then, that the prison still answers and
 * still keeps its rules (probe.c), and the check that a flooding client
 * does not make others wait (flood.c).  The command line and the main
 * loop are in ../seqfuzz.c.
 */
#ifndef SEQFUZZ_H
#define SEQFUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* Room for a request, oversized ones included (over JPROTO_MAXMSG). */
#define	FZ_MAXREQ	(2 * JPROTO_MAXMSG)

/* What a request is meant to be; the summary counts them by kind. */
enum rq_kind {
	RQ_GET,		/* known names */
	RQ_GET_BAD,	/* unknown, odd or long names, values attached */
	RQ_GET_HUGE,	/* as many names as a message holds */
	RQ_UPDATE,	/* a valid change */
	RQ_UPDATE_BAD,	/* valid changes and one the prison must refuse */
	RQ_ATTACH,
	RQ_ATTACHED,
	RQ_REMOVE,	/* only unprivileged: it must be refused */
	RQ_CREATE,	/* not a request a running prison takes */
	RQ_UNKNOWN,	/* a type no one defined */
	RQ_TRUNCATED,	/* a valid request cut short */
	RQ_MUTATED,	/* a valid request with a few bytes changed */
	RQ_BADHDR,	/* one header field wrong */
	RQ_NOISE,	/* random bytes */
	RQ_OVERSIZE,	/* longer than any request may be */
	RQ_EMPTY,	/* a zero-length record */
	RQ_NKINDS
};

/* The run: what it knows of the jail, and what it has done. */
struct fz {
	uint64_t	 rng;
	int		 root;		/* may update, attach (never remove) */
	int		 jid;
	const char	*name;		/* the jail's name, restored at the end */
	const char	*other;		/* another jail's name, or NULL */
	int		 ip4new;	/* the jail has ip4=new */
	int		 shared;	/* others change the jail too */
	int		 verbose;
	unsigned long	 step;
	unsigned long	 sent[RQ_NKINDS];
	unsigned long	 with_fds, full, replies, refused, opened, dropped,
			 abandoned, shut, probes;
	long		 probe_max_ms;
};

extern const char *const rq_names[RQ_NKINDS];

uint32_t fz_rand(struct fz *);
unsigned fz_below(struct fz *, unsigned);
void	 fz_fail(struct fz *, const char *, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));
int	 fz_dial(struct fz *, int nonblock);
void	 fz_str(struct fz *, char *, size_t len, const char *alphabet);
long	 fz_now_ms(void);

/* req.c: one request of KIND (or of a random kind when KIND < 0). */
int	 req_pick(struct fz *);
size_t	 req_make(struct fz *, int kind, unsigned char *buf, size_t size);
void	 req_add_valid(struct fz *, struct jmsg_buf *);
void	 req_add_invalid(struct fz *, struct jmsg_buf *);
void	 req_add_unterminated(struct fz *, struct jmsg_buf *, const char *);
int	 req_type(const unsigned char *buf, size_t len);

/* conn.c: the pool. */
void	 pool_init(struct fz *, int maxconns);
void	 pool_step(struct fz *);
void	 pool_burst(struct fz *, int count);
void	 pool_close_all(struct fz *);
int	 pool_size(void);

/* probe.c: strict exchanges on a fresh connection, with a deadline. */
void	 probe_init(struct fz *, int deadline_ms);
void	 probe_run(struct fz *);
void	 probe_alive(struct fz *);
void	 probe_restore(struct fz *);
int	 probe_meta_nul(struct fz *);

/* flood.c: check "flood". */
int	 flood_check(struct fz *, long secs);

#endif
