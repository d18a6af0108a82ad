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
	struct iovec		*lastjid;
	struct iovec		*desc;
};

/*
 * Split IOV into parameters.  SETTING selects jail_set's checks (values
 * must be well formed, read-only names are unknown) over jail_get's
 * (values are output buffers).  Returns 0, or -1 with errno and a message
 * in the caller's errmsg buffer.
 */
int	jiov_parse(struct iovec *iov, unsigned niov, int setting, struct jiov *out);

/* Write a message to the caller's errmsg buffer; return -1 with errno. */
int	jiov_err(struct jiov *j, int err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Integer value of an int parameter, or DEFAULT when absent. */
int	jiov_int(const struct jiov *j, const char *name, int deflt);
const struct jiov_param *jiov_find(const struct jiov *j, const char *name);

#endif
