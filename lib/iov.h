/*
 * Parsing of the jail_set/jail_get iovec array: the name/value pairs are
 * checked against the parameter table before anything else happens.
 */
#ifndef JAIL_IOV_H
#define JAIL_IOV_H

#include <sys/uio.h>

#include "param.h"

struct jiov_param {
	const char		*name;	/* as given (may be noX or meta.KEY) */
	const struct jparam_def	*def;	/* NULL for pseudo parameters */
	int			 negated;
	const char		*key;	/* meta.KEY / env.KEY */
	struct iovec		*val;	/* the value iovec */
};

enum jiov_pseudo { JIOV_NONE, JIOV_ERRMSG, JIOV_LASTJID, JIOV_DESC };

struct jiov {
	struct jiov_param	 p[256];
	unsigned		 n;
	char			*errbuf;	/* the caller's errmsg buffer */
	size_t			 errlen;
	char			 msg[1024];	/* what goes there on failure */
	struct iovec		*lastjid;
	struct iovec		*desc;
};

/*
 * Split IOV into parameters.  SETTING selects jail_set's checks (values
 * must be well formed, read-only names are unknown) over jail_get's
 * (values are output buffers).  Returns 0, or -1 with errno and a message
 * in J->msg.
 */
int	jiov_parse(struct iovec *iov, unsigned niov, int setting, struct jiov *out);

/* Describe the failure in J->msg; return -1 with errno ERR. */
int	jiov_err(struct jiov *j, int err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * At the end of a failed call: hand J->msg, if there is one, to the
 * caller's errmsg buffer.  As FreeBSD's kernel, a buffer that cannot be
 * written is left alone and the call's own error stands; errno is kept.
 */
void	jiov_errmsg_out(struct jiov *j);

/*
 * Write LEN bytes, or the length of a value, into the caller's iovec V:
 * 0, or -1 with EFAULT when its memory cannot be written.
 */
int	jiov_copyout(struct iovec *v, const void *src, size_t len);
int	jiov_setlen(struct iovec *v, size_t len);

/*
 * The same, gathered and written in one go by jiov_out_flush (a call's
 * values can be many: one system call instead of two per value).  Each
 * SRC must stay valid until the flush; a full batch flushes itself.
 */
#define	JIOV_OUT_MAX	512
struct jiov_out {
	struct iovec	src[JIOV_OUT_MAX];
	struct iovec	dst[JIOV_OUT_MAX];
	size_t		len[JIOV_OUT_MAX];	/* lengths for iov_len */
	unsigned	n;
	/*
	 * Every destination is memory libjail allocated itself (jailparam_get's
	 * buffers): it cannot fault, so a plain copy does.
	 */
	int		own;
};
int	jiov_out_value(struct jiov_out *o, struct iovec *v, const void *src,
	    size_t len);
int	jiov_out_len(struct jiov_out *o, struct iovec *v, size_t len);
int	jiov_out_flush(struct jiov_out *o);

/* Integer value of an int parameter, or DEFAULT when absent. */
int	jiov_int(const struct jiov *j, const char *name, int deflt);
/* The desc parameter's value (a descriptor, for JAIL_USE_DESC/AT_DESC). */
int	jiov_desc(const struct jiov *j);
/* Store FD, a new descriptor, in the desc parameter; FD, or -1 if FD is. */
int	jiov_desc_out(struct jiov *j, int fd);
const struct jiov_param *jiov_find(const struct jiov *j, const char *name);

#endif
