/*
 * jail_set(2) on a live jail, as one transaction: everything the request
 * asks is checked first (the values, the new name's rules and that no
 * other jail has it, the new policy), then applied step by step, and a
 * step that fails takes back the ones before it.  A refused request
 * leaves the jail exactly as it was.
 *
 * A new name is checked and written under the registry lock, held from
 * the check to the end, so that no create can take the name meanwhile.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail.h"
#include "internal.h"
#include "prison.h"
#include "sys/jail.h"

struct change {
	struct jstate		 st;		/* the jail as asked */
	const struct jstate	*old;
	struct jail_policy	*policy;	/* new policy, if it changes */
	size_t			 policylen;
	int			 lock;		/* registry lock for a rename */
	int			 net, uts, rename;
};

static int
set_uts(const struct jstate *st, char *err, size_t errlen)
{
	if (sethostname(st->hostname, strlen(st->hostname)) < 0 ||
	    setdomainname(st->domainname, strlen(st->domainname)) < 0)
		return jerr(err, errlen, errno, "sethostname: %s",
		    strerror(errno));
	return 0;
}

/* Whether the jail's network changes: addresses, their interfaces, saddrsel. */
static int
net_differs(const struct jstate *a, const struct jstate *b)
{
	return a->n_ip4 != b->n_ip4 || a->n_ip6 != b->n_ip6 ||
	    memcmp(a->ip4_addr, b->ip4_addr, sizeof(a->ip4_addr)) != 0 ||
	    memcmp(a->ip6_addr, b->ip6_addr, sizeof(a->ip6_addr)) != 0 ||
	    a->ip4_saddrsel != b->ip4_saddrsel ||
	    a->ip6_saddrsel != b->ip6_saddrsel ||
	    strcmp(a->interface, b->interface) != 0;
}

/* The new name: its rules, and that it is free (the lock is then kept). */
static int
check_name(struct prison *pr, struct change *ch, char *err, size_t errlen)
{
	const char *name = ch->st.name;
	struct jrec r;

	if (strspn(name, "0123456789") == strlen(name) &&
	    atoi(name) != pr->st.jid)
		return jerr(err, errlen, EINVAL,
		    "name cannot be numeric (unless it is the jid)");
	if ((ch->lock = jreg_lock(pr->regfd)) < 0)
		return jerr(err, errlen, errno, "registry lock: %s",
		    strerror(errno));
	if (jreg_find_name(pr->regfd, name, &r) && r.jid != pr->st.jid &&
	    r.state != JREC_DYING)
		return jerr(err, errlen, EEXIST, "jail \"%s\" already exists",
		    name);
	return 0;
}

/* Everything that can be refused, before anything changes. */
static int
validate(struct prison *pr, struct change *ch, const struct jmsg *req,
    char *err, size_t errlen)
{
	const struct jstate *old = &pr->st;

	ch->st = *old;
	if (params_apply(&ch->st, req, 0, err, errlen) < 0)
		return -1;
	ch->net = net_differs(&ch->st, old);
	ch->uts = ch->st.host == JAIL_SYS_NEW &&
	    (strcmp(ch->st.hostname, old->hostname) != 0 ||
	    strcmp(ch->st.domainname, old->domainname) != 0);
	ch->rename = strcmp(ch->st.name, old->name) != 0;
	if ((ch->st.allow != old->allow ||
	    ch->st.enforce_statfs != old->enforce_statfs) &&
	    policy_build(&ch->st, pr->regfd, &ch->policy, &ch->policylen, err,
	    errlen) < 0)
		return -1;
	if (ch->rename && check_name(pr, ch, err, errlen) < 0)
		return -1;
	return 0;
}

/* Apply the changes to the jail's namespaces; all of them, or none. */
static int
apply(struct prison *pr, struct change *ch, char *err, size_t errlen)
{
	if (ch->net && net_update(pr, &pr->st, &ch->st, err, errlen) < 0)
		return -1;
	crash_point("update-net");
	/* We are in the jail's UTS namespace (uts_join), if it has one. */
	if (ch->uts && (pr->uts_ino == 0 ? jerr(err, errlen, EINVAL,
	    "the jail shares the host's host information") :
	    set_uts(&ch->st, err, errlen)) < 0) {
		int e = errno;

		if (ch->net)
			net_update(pr, &ch->st, &pr->st, NULL, 0);
		errno = e;
		return -1;
	}
	return 0;
}

/* Nothing can fail from here: the jail is as asked. */
static void
commit(struct prison *pr, struct change *ch)
{
	/* Under the lock check_name took. */
	if (ch->rename) {
		jreg_name_del(pr->regfd, pr->st.name, pr->st.jid);
		jreg_name_add(pr->regfd, ch->st.name, pr->st.jid);
	}
	pr->st = ch->st;
	if (ch->policy != NULL) {
		free(pr->policy);
		pr->policy = ch->policy;
		pr->policylen = ch->policylen;
		ch->policy = NULL;
	}
	record_write(pr, JREC_ALIVE);
	/* The jail reads the new values at once; if not, it reads none. */
	(void)snapshot_write(pr, NULL, 0);
}

int
op_update(struct prison *pr, struct conn *c, const struct jmsg *req)
{
	char err[JAIL_ERRMSGLEN] = "";
	struct change *ch = calloc(1, sizeof(*ch));
	int rc;

	if (ch == NULL) {
		reply_err(c, req, ENOMEM, NULL);
		return ENOMEM;
	}
	ch->lock = -1;
	rc = validate(pr, ch, req, err, sizeof(err));
	if (rc == 0)
		rc = apply(pr, ch, err, sizeof(err));
	if (rc == 0)
		commit(pr, ch);
	else
		rc = errno;
	if (ch->lock >= 0)
		jreg_unlock(ch->lock);
	free(ch->policy);
	free(ch);
	if (rc != 0) {
		reply_err(c, req, rc, err);
		return rc;
	}
	conns_post(NOTE_JAIL_SET, 0);
	/* Clearing persist on an empty jail removes it before we answer. */
	if (!pr->st.persist && !conns_hold(c) && !cgroup_populated(pr))
		prison_remove(pr, c, req, 1);
	reply_jid(c, req);
	return 0;
}
