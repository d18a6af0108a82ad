/*
 * Operations: what each request does, and who may ask it.
 *
 * The table is the one place that says which right a request needs; the
 * loop (serve.c) checks it before the handler runs, so a handler never
 * sees a request its client may not make.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "internal.h"
#include "prison.h"
#include "sys/jail.h"
#include "jaildesc.h"

/*
 * Jailed root may set its host name (allow.set_hostname), and on FreeBSD
 * that is the jail's host.hostname.  So the prison stays in the jail's
 * UTS namespace, where uname() tells the names as the jail sees them, and
 * records which namespace that is for readers of the record (lib/uts.c).
 * Nothing else of ours reads or sets host names, and our children that
 * enter the jail enter it whole.
 */
/*
 * Held open, never used: while a namespace file is open the kernel keeps
 * its inode, so that the jail_get of a listing, which opens (or looks at)
 * the jail's UTS namespace, its own and its user namespace for each jail,
 * finds them made instead of making and freeing each (a third of what a
 * listing cost).  Close-on-exec, as all we hold: nothing of ours enters
 * the jail (lib/jspawn.c closes the rest).
 */
static int
hold_ns(const char *path)
{
	return open(path, O_RDONLY | O_CLOEXEC);
}

int
uts_join(struct prison *pr, char *err, size_t errlen)
{
	struct stat sb;

	if (pr->st.host != JAIL_SYS_NEW)
		return 0;
	pr->held_ns[0] = hold_ns("/proc/self/ns/uts");
	pr->held_ns[1] = hold_ns("/proc/self/ns/user");
	if (setns(pr->initfd, CLONE_NEWUTS) < 0)
		return jerr(err, errlen, errno, "setns uts: %s", strerror(errno));
	pr->held_ns[2] = hold_ns("/proc/thread-self/ns/uts");
	if (pr->held_ns[2] < 0 || fstat(pr->held_ns[2], &sb) < 0)
		return jerr(err, errlen, errno, "uts namespace: %s",
		    strerror(errno));
	pr->uts_dev = sb.st_dev;
	pr->uts_ino = sb.st_ino;
	return 0;
}

static void
refresh_uts(struct prison *pr)
{
	struct utsname u;

	if (pr->uts_ino != 0 && uname(&u) == 0)
		juts_names(&u, pr->st.hostname, sizeof(pr->st.hostname),
		    pr->st.domainname, sizeof(pr->st.domainname));
}

static int
op_get(struct prison *pr, struct conn *c, const struct jmsg *req)
{
	struct jmsg_buf *b;

	for (unsigned i = 0; i < req->n; i++)
		if (strcmp(req->item[i].name, "host.hostname") == 0 ||
		    strcmp(req->item[i].name, "host.domainname") == 0) {
			refresh_uts(pr);
			break;
		}
	b = reply_start(req, 0);
	for (unsigned i = 0; i < req->n; i++)
		params_get(&pr->st, req->item[i].name, b);
	reply_send(c, b, NULL, 0);
	return 0;
}

/* What jail_attach needs: the jail's namespaces, cgroup and policy. */
static int
op_attach(struct prison *pr, struct conn *c, const struct jmsg *req)
{
	struct jmsg_buf *b = reply_start(req, 0);
	int fds[2] = { pr->initfd, pr->cgjailfd };

	jmsg_add_int(b, "jid", pr->st.jid);
	jmsg_add(b, "policy", pr->policy, pr->policylen, 0);
	reply_send(c, b, fds, 2);
	conns_post(NOTE_JAIL_ATTACH, conn_pid(c));
	return 0;
}

static int
op_remove(struct prison *pr, struct conn *c, const struct jmsg *req)
{
	prison_remove(pr, c, req, 0);
}

/* The creator's hold on a new jail ends before its connection does. */
static int
op_attached(struct prison *pr, struct conn *c, const struct jmsg *req)
{
	(void)pr;
	(void)req;
	conn_release(c);
	return 0;
}

static const struct op ops[] = {
	{ JM_GET,	OP_ANY,		0,		op_get },
	{ JM_UPDATE,	OP_ROOT,	JAILDESC_SET,	op_update },
	{ JM_REMOVE,	OP_ROOT,	JAILDESC_REMOVE, op_remove },
	{ JM_ATTACH,	OP_ROOT,	JAILDESC_ATTACH, op_attach },
	{ JM_ATTACHED,	OP_ANY,		0,		op_attached },
	{ JM_SPAWN,	OP_ROOT,	JAILDESC_SPAWN,	op_spawn },
	{ JM_SIGNAL,	OP_ANY,		0,		op_signal },
	{ JM_TERM,	OP_ROOT,	JAILDESC_REMOVE, op_term },
};

const struct op *
op_find(int type)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].type == type)
			return &ops[i];
	return NULL;
}
