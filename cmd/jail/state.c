/*
 * The per-jail state machine of jail(8).  Each chosen jail runs a
 * sequence of steps: to start, the commands and mounts before creation,
 * the creation, then the commands after; to stop, the same the other way
 * round around removal (jail(8) and spec §4.3).  A step that runs a
 * command makes the jail wait for it, while other jails go on, so jails
 * without dependencies between them start and stop in parallel (up to
 * -p).  A jail starts after the jails it depends on have started, and
 * stops before them.  A start that fails undoes what it did, in reverse:
 * the jail removed, its mounts unmounted; nothing is left half-made.
 */
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "jail8.h"
#include "state.h"

static const enum intparam start_seq[] = {
	IP_EXEC_PREPARE,
	IP_MOUNT, IP__MOUNT_FROM_FSTAB,
	IP_MOUNT_DEVFS, IP_MOUNT_FDESCFS, IP_MOUNT_PROCFS,
	IP_EXEC_PRESTART,
	IP__OP,
	IP_EXEC_CREATED,
	/* vnet.interface: moved by the prison as it creates the jail. */
	IP_EXEC_START, IP_COMMAND,
	IP_EXEC_POSTSTART,
	IP__NULL
};

static const enum intparam stop_seq[] = {
	IP_EXEC_PRESTOP,
	IP_EXEC_STOP,
	IP_STOP_TIMEOUT,
	IP__OP,
	IP_EXEC_POSTSTOP,
	IP_MOUNT_PROCFS, IP_MOUNT_FDESCFS, IP_MOUNT_DEVFS,
	IP__MOUNT_FROM_FSTAB, IP_MOUNT,
	IP_EXEC_RELEASE,
	IP__NULL
};

/* -C: what follows the removal of a jail that is gone already. */
static const enum intparam cleanup_seq[] = {
	IP_EXEC_POSTSTOP,
	IP_MOUNT_PROCFS, IP_MOUNT_FDESCFS, IP_MOUNT_DEVFS,
	IP__MOUNT_FROM_FSTAB, IP_MOUNT,
	IP_EXEC_RELEASE,
	IP__NULL
};

int paralimit = -1;		/* -p: commands at once; -1 no limit */
int note_remove;		/* say "removed" even from the command line */
FILE *jfile;			/* -J */
int legacy_form;		/* the old four-argument command line */
static volatile sig_atomic_t interrupted;
static int running_children;

/* ---- Dependencies ---- */

static int
depends_on(const struct cfjail *j, const struct cfjail *d)
{
	for (int i = 0; i < j->ndeps; i++)
		if (j->deps[i] == d)
			return 1;
	return 0;
}

/* Is D reachable from J through depend, coming back to START? */
static int
in_loop(const struct cfjail *start, const struct cfjail *j, int depth)
{
	if (depth > ncfjails)
		return 0;
	for (int i = 0; i < j->ndeps; i++)
		if (j->deps[i] == start ||
		    in_loop(start, j->deps[i], depth + 1))
			return 1;
	return 0;
}

void
state_link_depends(void)
{
	for (int i = 0; i < ncfjails; i++) {
		struct cfjail *j = cfjails[i];
		struct cfparam *p = j->ip[IP_DEPEND];

		for (int k = 0; p != NULL && k < p->nval; k++) {
			struct cfjail *d = cfjail_named(p->val[k]);

			if (d == NULL) {
				jail_warnx(j, "depends on undefined jail \"%s\"",
				    p->val[k]);
				j->flags |= JF_FAILED;
				continue;
			}
			j->deps = ereallocarray(j->deps, (size_t)j->ndeps + 1,
			    sizeof(*j->deps));
			j->deps[j->ndeps++] = d;
		}
	}
	for (int i = 0; i < ncfjails; i++)
		if (in_loop(cfjails[i], cfjails[i], 0)) {
			jail_warnx(cfjails[i], "dependency loop");
			cfjails[i]->flags |= JF_FAILED;
		}
}

/*
 * Choosing J for OP pulls in what it needs: to start, the jails it
 * depends on (started if they are not running); to stop, the jails that
 * depend on it (stopped first, if running).
 */
void
state_choose(struct cfjail *j, unsigned op)
{
	if (j->flags & JF_OP_MASK) {
		j->flags |= op;
		j->flags &= ~JF_DEPEND;
		return;
	}
	j->flags |= op;
	if (op & (JF_START | JF_SET)) {
		/*
		 * To start, what it depends on is started; an update only
		 * waits for what is chosen (an update of a dependency that
		 * is only there for it does nothing).
		 */
		unsigned dop = (op & JF_START) ? JF_START : JF_SET;

		for (int i = 0; i < j->ndeps; i++)
			if (!(j->deps[i]->flags & JF_OP_MASK)) {
				j->deps[i]->flags |= JF_DEPEND;
				state_choose(j->deps[i], dop);
				j->deps[i]->flags |= JF_DEPEND;
			}
	}
	if (op & JF_STOP) {
		for (int i = 0; i < ncfjails; i++)
			if (depends_on(cfjails[i], j) &&
			    !(cfjails[i]->flags & JF_OP_MASK)) {
				state_choose(cfjails[i], JF_STOP);
				cfjails[i]->flags |= JF_DEPEND;
			}
	}
}

enum phase { PH_IDLE, PH_STOP, PH_START, PH_SET, PH_DONE };

struct jstate {
	enum phase	 phase;
	int		 begun;		/* the phase's sequence has started */
};

static struct jstate *st;

static struct jstate *
state_of(const struct cfjail *j)
{
	for (int i = 0; i < ncfjails; i++)
		if (cfjails[i] == j)
			return &st[i];
	abort();
}

/* A jail stopping goes on only once those depending on it have stopped. */
static int
blocked_stopping(struct cfjail *j)
{
	for (int i = 0; i < ncfjails; i++) {
		struct cfjail *k = cfjails[i];

		if (k == j || !depends_on(k, j))
			continue;
		if (st[i].phase == PH_STOP)
			return 1;
	}
	return 0;
}

/*
 * A jail starting goes on only once those it depends on have started; if
 * one of them failed, it is skipped.
 */
static int
blocked_starting(struct cfjail *j)
{
	for (int i = 0; i < j->ndeps; i++) {
		struct cfjail *d = j->deps[i];
		enum phase ph = state_of(d)->phase;

		if (d->flags & JF_FAILED) {
			if (!(j->flags & (JF_DEPEND | JF_FAILED)) &&
			    verbose >= 0)
				jail_warnx(j, "skipped");
			j->flags |= JF_FAILED;
			return 0;
		}
		if (ph != PH_DONE && ph != PH_IDLE)
			return 1;
	}
	return 0;
}

/* ---- Steps ---- */

/* How many values step STEP of J has: what it runs for, one by one. */
static int
step_count(const struct cfjail *j, enum intparam step)
{
	switch (step) {
	case IP__OP:
		return 1;
	case IP_STOP_TIMEOUT:
		/* -R removes at once, without the wait after SIGTERM. */
		return (j->flags & JF_NOCONF) ? 0 : 1;
	case IP__MOUNT_FROM_FSTAB:
		return j->nfstab;
	case IP_MOUNT_DEVFS:
	case IP_MOUNT_FDESCFS:
	case IP_MOUNT_PROCFS:
		return cf_bool(j->ip[step]) ? 1 : 0;
	case IP_COMMAND:
		/* From the command line, its values are one argv. */
		if (j->ip[step] == NULL)
			return 0;
		return j->name == NULL ? 1 : j->ip[step]->nval;
	default:
		return j->ip[step] != NULL ? j->ip[step]->nval : 0;
	}
}

static const char *
step_value(const struct cfjail *j, enum intparam step, int i)
{
	switch (step) {
	case IP__OP:
	case IP_STOP_TIMEOUT:
		return NULL;
	case IP__MOUNT_FROM_FSTAB:
		return j->fstab[i];
	case IP_MOUNT_DEVFS:
	case IP_MOUNT_FDESCFS:
	case IP_MOUNT_PROCFS:
		return "true";
	default:
		return j->ip[step]->val[i];
	}
}

static int
is_mount(enum intparam step)
{
	return step == IP_MOUNT || step == IP__MOUNT_FROM_FSTAB ||
	    step == IP_MOUNT_DEVFS || step == IP_MOUNT_FDESCFS ||
	    step == IP_MOUNT_PROCFS;
}

/* The jail itself: made or removed, with the notes FreeBSD prints. */
static int
run_op(struct cfjail *j, int stopping)
{
	if (stopping) {
		if (j->jid <= 0)
			return 0;
		if (params_remove(j) < 0)
			return -1;
		if (verbose > 0 || (verbose == 0 &&
		    ((j->flags & JF_STOP) ? note_remove : j->name != NULL)))
			jail_note(j, "removed\n");
		j->jid = 0;
		return 0;
	}
	if (params_create(j) < 0)
		return -1;
	if (iflag) {
		printf("%d\n", j->jid);
		fflush(stdout);
	}
	if (verbose >= 0 && (j->name != NULL || verbose > 0))
		jail_note(j, "created\n");
	return 0;
}

/* Run value I of step STEP: 1 when a child now runs, 0 done, -1 failed. */
static int
run_value(struct cfjail *j, enum intparam step, int i, int stopping)
{
	if (step == IP__OP)
		return run_op(j, stopping);
	if (step == IP_STOP_TIMEOUT)
		return j->jid > 0 ? command_stop_timeout(j) : 0;
	if (is_mount(step))
		return mount_step(j, step, step_value(j, step, i), stopping);
	return command_start(j, step, step_value(j, step, i));
}

/*
 * A failed start: undo, newest first, what the completed steps made (the
 * jail and the mounts), up to step UPTO and, in it, value VI.  The
 * commands are not run again, nor their stop counterparts.
 */
static void
undo_start(struct cfjail *j, int upto, int vi)
{
	for (int s = upto; s >= 0; s--) {
		enum intparam step = j->seq[s];
		int n = s == upto ? vi : step_count(j, step);

		if (step == IP__OP) {
			if (n > 0 && (j->flags & JF_CREATED) && j->jid > 0)
				(void)run_op(j, 1);
			continue;
		}
		if (!is_mount(step))
			continue;
		for (int i = n - 1; i >= 0; i--)
			(void)mount_step(j, step, step_value(j, step, i), 1);
	}
}

static void
fail(struct cfjail *j)
{
	j->flags |= JF_FAILED;
	if (j->seq == start_seq)
		undo_start(j, j->step, j->vi);
	j->seq = NULL;
	if (j->hold >= 0) {
		close(j->hold);
		j->hold = -1;
	}
}

/*
 * Run J's sequence from where it is until it waits for a child (1) or
 * ends (0).
 */
static int
advance(struct cfjail *j)
{
	int stopping = j->seq != start_seq;

	while (!(j->flags & JF_FAILED)) {
		enum intparam step = j->seq[j->step];
		int n, rev, i, rc;

		if (step == IP__NULL)
			return 0;
		n = step_count(j, step);
		if (j->vi >= n) {
			j->step++;
			j->vi = 0;
			continue;
		}
		if (paralimit >= 0 && running_children >= paralimit &&
		    step != IP__OP && !is_mount(step))
			return 1;
		/* Mounts come off in the reverse of the order they went on. */
		rev = stopping && step < IP_NPARAM &&
		    (intparams[step].flags & IPF_REV);
		if (step == IP__MOUNT_FROM_FSTAB && stopping)
			rev = 1;
		i = rev ? n - 1 - j->vi : j->vi;
		rc = run_value(j, step, i, stopping);
		if (rc > 0) {
			running_children++;
			return 1;
		}
		if (rc < 0) {
			/* Once removed, a stop goes on to clean up after it. */
			if (stopping && j->jid <= 0 && step != IP__OP) {
				j->flags |= JF_TIMEDOUT;	/* remembered */
				j->vi++;
				continue;
			}
			fail(j);
			return 0;
		}
		j->vi++;
	}
	return 0;
}

/* J's child ended or overran its time: finish its step. */
static void
child_done(struct cfjail *j, int timedout)
{
	int stopping = j->seq != start_seq;

	running_children--;
	if (command_finish(j, timedout) < 0) {
		if (stopping && j->jid <= 0) {
			j->flags |= JF_TIMEDOUT;
			j->vi++;
			return;
		}
		fail(j);
		return;
	}
	j->vi++;
}

/* ---- The phases of one jail ---- */

static enum phase
first_phase(struct cfjail *j)
{
	if (j->flags & JF_CLEANUP)
		return PH_STOP;
	if ((j->flags & JF_OP_MASK) == JF_SET)
		return PH_SET;
	if (j->flags & JF_STOP)
		return PH_STOP;
	return PH_START;
}

/*
 * What -cm, -mr and -cmr mean for J depends on whether it runs: a create,
 * an update or a restart.  Returns 0, or -1 when J failed.
 */
static int
resolve_op(struct cfjail *j)
{
	unsigned op = j->flags & JF_OP_MASK;
	int restart;

	params_lookup(j);
	if (op == (JF_START | JF_SET)) {
		j->flags &= ~JF_OP_MASK;
		j->flags |= j->jid > 0 ? JF_SET : JF_START;
	} else if (op == (JF_SET | JF_STOP) ||
	    op == (JF_START | JF_SET | JF_STOP)) {
		if (j->jid <= 0) {
			if (op == (JF_SET | JF_STOP)) {
				state_not_found(j);
				return -1;
			}
			j->flags &= ~JF_OP_MASK;
			j->flags |= JF_START;
			return 0;
		}
		if ((restart = params_need_restart(j, 0)) < 0)
			return -1;
		j->flags &= ~JF_OP_MASK;
		j->flags |= restart ? JF_START | JF_STOP : JF_SET;
	}
	if ((j->flags & JF_OP_MASK) == (JF_START | JF_STOP) &&
	    j->name == NULL && !cf_bool(cfjail_find(j, "persist")) &&
	    j->ip[IP_EXEC_START] == NULL && j->ip[IP_COMMAND] == NULL) {
		/* Do not remove what could not be made again. */
		jail_warnx(j, "new jail must persist or attach");
		return -1;
	}
	return 0;
}

void
state_not_found(const struct cfjail *j)
{
	const char *key = params_key(j);

	if (key != NULL)
		warnx("\"%s\" not found", key);
	else
		warnx("no jail specified");
}

/*
 * J's own parameters, checked once before anything is done for it: what
 * Linux cannot do, and the integers.  0, or -1 with the message.
 */
static int
check_intparams(struct cfjail *j)
{
	static const enum intparam ints[] = {
		IP_EXEC_TIMEOUT, IP_STOP_TIMEOUT, IP_EXEC_FIB
	};
	int v;

	for (int ip = 0; ip < IP_NPARAM; ip++)
		if (j->ip[ip] != NULL &&
		    (intparams[ip].flags & IPF_UNAVAILABLE)) {
			jail_warnx(j, "%s: not available on Linux",
			    intparams[ip].name);
			return -1;
		}
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (cf_int(j, j->ip[ints[i]], &v) < 0)
			return -1;
	if (j->ip[IP_ALLOW_DYING] != NULL)
		warnx("the 'allow.dying' parameter and '-d' flag are "
		    "deprecated and have no effect.");
	return 0;
}

/* Begin PH of J: 0 to run its sequence, 1 when it has nothing to do. */
static int
begin_phase(struct cfjail *j, enum phase ph)
{
	j->step = j->vi = 0;
	j->flags &= ~JF_TIMEDOUT;
	switch (ph) {
	case PH_STOP:
		if (!(j->flags & JF_CLEANUP) && j->jid <= 0) {
			if (!(j->flags & (JF_DEPEND | JF_WILD))) {
				if (verbose >= 0)
					state_not_found(j);
				j->flags |= JF_FAILED;
			}
			return 1;
		}
		/* The mount.fstab lines come off too. */
		if (mount_read_fstab(j) < 0) {
			j->flags |= JF_FAILED;
			return 1;
		}
		j->seq = (j->flags & JF_CLEANUP) ? cleanup_seq : stop_seq;
		return 0;
	case PH_START:
		if (j->jid > 0) {
			if (!(j->flags & (JF_DEPEND | JF_WILD))) {
				const char *key = params_key(j);

				warnx("\"%s\" already exists", key != NULL ?
				    key : "");
				j->flags |= JF_FAILED;
			}
			return 1;
		}
		if (params_import(j) < 0 || mount_read_fstab(j) < 0) {
			j->flags |= JF_FAILED;
			return 1;
		}
		j->seq = start_seq;
		return 0;
	case PH_SET:
		if (j->jid <= 0) {
			if (!(j->flags & JF_DEPEND)) {
				state_not_found(j);
				j->flags |= JF_FAILED;
			}
			return 1;
		}
		if (!(j->flags & JF_DEPEND)) {
			if (params_need_restart(j, 1) < 0 ||
			    params_update(j) < 0) {
				j->flags |= JF_FAILED;
				return 1;
			}
			if (verbose >= 0 && (j->name != NULL || verbose > 0))
				jail_note(j, "updated\n");
		}
		return 1;
	default:
		return 1;
	}
}

/* J's phase ended (well or not): the next phase, or done. */
static void
end_phase(struct cfjail *j, struct jstate *s)
{
	if (j->hold >= 0 && s->phase == PH_START) {
		/* The start is over: the jail lives by persist or processes. */
		close(j->hold);
		j->hold = -1;
	}
	if (s->phase == PH_START && !(j->flags & JF_FAILED) &&
	    jfile != NULL)
		params_write_jfile(jfile, j, legacy_form);
	if (s->phase == PH_STOP && (j->flags & JF_START) &&
	    !(j->flags & (JF_FAILED | JF_CLEANUP))) {
		/* A restart: removed, now made again. */
		s->phase = PH_START;
		s->begun = 0;
		return;
	}
	if ((j->flags & JF_TIMEDOUT) && s->phase == PH_STOP)
		j->flags |= JF_FAILED;	/* a step after removal failed */
	s->phase = PH_DONE;
	j->seq = NULL;
}

/* Move J on as far as it goes now.  1 if it waits for a child. */
static int
step_jail(struct cfjail *j, struct jstate *s)
{
	for (;;) {
		if (s->phase == PH_DONE || s->phase == PH_IDLE)
			return 0;
		if (j->child.pid > 0)
			return 1;
		if (!s->begun) {
			if (j->flags & JF_FAILED) {
				s->phase = PH_DONE;
				return 0;
			}
			if (s->phase == PH_STOP ? blocked_stopping(j) :
			    blocked_starting(j))
				return 0;
			if (j->flags & JF_FAILED) {
				s->phase = PH_DONE;
				return 0;
			}
			s->begun = 1;
			if (begin_phase(j, s->phase) != 0) {
				end_phase(j, s);
				continue;
			}
		}
		if (interrupted && !(j->flags & JF_FAILED)) {
			jail_warnx(j, "interrupted");
			fail(j);
		}
		if (!(j->flags & JF_FAILED) && advance(j) > 0)
			return j->child.pid > 0;
		end_phase(j, s);
	}
}

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * Wait for a child of any jail to end, or the nearest deadline: then
 * finish that jail's step.
 */
static void
wait_children(void)
{
	struct pollfd *pfd = emalloc((size_t)ncfjails * sizeof(*pfd));
	struct cfjail **who = emalloc((size_t)ncfjails * sizeof(*who));
	long long deadline = 0, now;
	int n = 0, timeout = -1, r;

	for (int i = 0; i < ncfjails; i++) {
		struct cfjail *j = cfjails[i];

		if (j->child.pid <= 0)
			continue;
		pfd[n].fd = j->child.pidfd;
		pfd[n].events = POLLIN;
		who[n++] = j;
		if (j->child.deadline_ms > 0 && (deadline == 0 ||
		    j->child.deadline_ms < deadline))
			deadline = j->child.deadline_ms;
	}
	if (deadline > 0) {
		now = now_ms();
		timeout = deadline > now ? (int)(deadline - now) : 0;
	}
	r = poll(pfd, (nfds_t)n, timeout);
	now = now_ms();
	for (int k = 0; k < n; k++) {
		struct cfjail *j = who[k];

		if (r > 0 && (pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
			child_done(j, 0);
		else if (j->child.deadline_ms > 0 &&
		    now >= j->child.deadline_ms)
			child_done(j, 1);
		else if (interrupted)
			child_done(j, 1);
	}
	free(pfd);
	free(who);
}

/* A number that changes whenever any jail moves on. */
static long
progress(void)
{
	long sum = 0;

	for (int i = 0; i < ncfjails; i++)
		sum = sum * 31 + (long)st[i].phase * 1000003 + st[i].begun +
		    cfjails[i]->step * 101 + cfjails[i]->vi;
	return sum;
}

static int
unfinished(void)
{
	int n = 0;

	for (int i = 0; i < ncfjails; i++)
		if (st[i].phase != PH_DONE && st[i].phase != PH_IDLE)
			n++;
	return n;
}

static void
fail_unfinished(void)
{
	for (int i = 0; i < ncfjails; i++)
		if (st[i].phase != PH_DONE && st[i].phase != PH_IDLE) {
			jail_warnx(cfjails[i], "dependency loop");
			cfjails[i]->flags |= JF_FAILED;
			st[i].phase = PH_DONE;
		}
}

int
state_run(void)
{
	struct sigaction sa;
	int error = 0, busy;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	st = emalloc(((size_t)ncfjails + 1) * sizeof(*st));
	for (int i = 0; i < ncfjails; i++) {
		struct cfjail *j = cfjails[i];

		if (!(j->flags & (JF_OP_MASK | JF_CLEANUP)))
			continue;
		if (!(j->flags & JF_FAILED) && check_intparams(j) < 0)
			j->flags |= JF_FAILED;
		if (!(j->flags & JF_FAILED) && !(j->flags & JF_CLEANUP) &&
		    resolve_op(j) < 0)
			j->flags |= JF_FAILED;
		st[i].phase = first_phase(j);
	}
	do {
		long before = progress(), waiting = 0;

		busy = 0;
		/* Stops first, as a restart must make room. */
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < ncfjails; i++)
				if ((st[i].phase == PH_STOP) == (pass == 0))
					waiting |= step_jail(cfjails[i], &st[i]);
		if (waiting) {
			wait_children();
			busy = 1;
		} else if (unfinished() > 0) {
			/* Blocked with nothing running: cannot happen, but
			 * never spin. */
			busy = progress() != before;
			if (!busy)
				fail_unfinished();
		}
	} while (busy);
	for (int i = 0; i < ncfjails; i++)
		if (cfjails[i]->flags & JF_FAILED)
			error = 1;
	free(st);
	return error;
}
