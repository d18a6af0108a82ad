/*
 * seqfuzz [-Sv] [-c CONNS] [-d DEADLINE_MS] [-n STEPS] [-o OTHER]
 *     [-s SEED] [-t SECONDS] [-u USER] [-C CHECK] JID NAME
 *
 * Sequences of requests, from many connections at once, against the
 * prison of jail JID (named NAME) in the registry $JAIL_REGISTRY.
 * Connections are opened, half used, abandoned, shut for writing and
 * closed at random points; valid and malformed requests of every type are
 * interleaved, some with descriptors attached; some connections never
 * read their replies.  Every so many steps a probe checks that the prison
 * answers within DEADLINE_MS (default 10000) and keeps its rules (see
 * seqfuzz/probe.c).
 *
 * The run lasts SECONDS (default 5) or STEPS steps, whichever ends first,
 * with up to CONNS connections (default 48: an unprivileged uid may have
 * 64 in all) and now and then a burst beyond them.  As USER it drops root
 * first, and every request but GET must be refused.  As root it never
 * removes the jail, and at the end sets back every parameter it may have
 * changed.  Both compare the parameters with the start, unless -S says
 * that another client changes the jail at the same time.  OTHER is
 * another jail's name, for renames that must fail.
 *
 * The choices come from SEED (default: from the clock; always printed),
 * so a failure can be replayed: the same seed makes the same choices, as
 * far as the prison's timing (a full buffer, a dropped connection) allows;
 * -n makes the run the same length.
 *
 * -C CHECK runs one check instead, and exits 1 when the prison fails it:
 * "meta-nul" (root; see seqfuzz/probe.c) or "flood" (for SECONDS; see
 * seqfuzz/flood.c).  Otherwise seqfuzz prints a summary and "survived",
 * or exits 1 with a message naming the seed and the step when the prison
 * died, hung or broke a rule.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "seqfuzz.h"

#define	PROBE_EVERY	500	/* steps */
#define	BURST_ONE_IN	3000	/* steps */
#define	BURST		80	/* connections: past a uid's limit of 64 */

static struct fz *run;
static unsigned long seed;

uint32_t
fz_rand(struct fz *f)
{
	uint64_t z = (f->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

unsigned
fz_below(struct fz *f, unsigned n)
{
	return n == 0 ? 0 : fz_rand(f) % n;
}

void
fz_str(struct fz *f, char *s, size_t len, const char *alphabet)
{
	size_t n = strlen(alphabet);

	for (size_t i = 0; i < len; i++)
		s[i] = alphabet[fz_below(f, (unsigned)n)];
	s[len] = '\0';
}

long
fz_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void
fz_fail(struct fz *f, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "seqfuzz: FAILED (seed %lu, step %lu): ", seed,
	    run != NULL ? run->step : 0);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/* A connection to the prison; -1 if it cannot be had just now. */
int
fz_dial(struct fz *f, int nonblock)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *reg = getenv("JAIL_REGISTRY");
	int s, e;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%d.sock",
	    reg != NULL ? reg : "/run/jail", f->jid);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC |
	    (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (s < 0)
		return -1;
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return s;
	e = errno;
	close(s);
	if (e == ECONNREFUSED || e == ENOENT)
		fz_fail(f, "the prison is gone: %s: %s", sun.sun_path,
		    strerror(e));
	errno = e;
	return -1;		/* EAGAIN: its backlog is full */
}

static void
become(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL || setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0 || geteuid() == 0) {
		fprintf(stderr, "seqfuzz: cannot become %s\n", user);
		exit(2);
	}
}

static void
summary(struct fz *f, long ms, int conns)
{
	printf("seqfuzz: seed %lu, %.1f s, %lu steps, %d connections at a "
	    "time, as %s\n", seed, ms / 1000.0, f->step, conns,
	    f->root ? "root" : "an unprivileged user");
	printf("connections: %lu opened, %lu let go by the prison, %lu left "
	    "unanswered, %lu shut for writing\n", f->opened, f->dropped,
	    f->abandoned, f->shut);
	printf("requests:");
	for (int k = 0; k < RQ_NKINDS; k++)
		printf(" %s %lu", rq_names[k], f->sent[k]);
	printf("\n  %lu with descriptors; %lu not sent for a full buffer\n",
	    f->with_fds, f->full);
	printf("replies read: %lu (%lu refusals)\n", f->replies, f->refused);
	printf("probes: %lu, slowest answer %ld ms\n", f->probes,
	    f->probe_max_ms);
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: seqfuzz [-Sv] [-c conns] [-d deadline_ms] "
	    "[-n steps] [-o other] [-s seed] [-t seconds] [-u user] "
	    "[-C check] jid name\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static struct fz f;
	const char *user = NULL, *check = NULL;
	unsigned long steps = 0;
	int opt, conns = 48, deadline = 10000;
	long secs = 5, start;

	seed = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
	while ((opt = getopt(argc, argv, "Svc:d:n:o:s:t:u:C:")) != -1) {
		switch (opt) {
		case 'S': f.shared = 1; break;
		case 'v': f.verbose++; break;
		case 'c': conns = atoi(optarg); break;
		case 'd': deadline = atoi(optarg); break;
		case 'n': steps = strtoul(optarg, NULL, 10); break;
		case 'o': f.other = optarg; break;
		case 's': seed = strtoul(optarg, NULL, 10); break;
		case 't': secs = atol(optarg); break;
		case 'u': user = optarg; break;
		case 'C': check = optarg; break;
		default: usage();
		}
	}
	if (argc - optind != 2 || conns < 1 || deadline < 1)
		usage();
	f.jid = atoi(argv[optind]);
	f.name = argv[optind + 1];
	if (user != NULL)
		become(user);
	f.root = geteuid() == 0;
	f.rng = seed;
	run = &f;
	setvbuf(stdout, NULL, _IOLBF, 0);
	fprintf(stderr, "seqfuzz: seed %lu\n", seed);

	probe_init(&f, deadline);
	if (check != NULL && strcmp(check, "flood") == 0)
		return flood_check(&f, secs);
	if (check != NULL) {
		if (strcmp(check, "meta-nul") != 0 || !f.root)
			usage();
		return probe_meta_nul(&f);
	}
	pool_init(&f, conns);
	start = fz_now_ms();
	while (fz_now_ms() - start < secs * 1000 &&
	    (steps == 0 || f.step < steps)) {
		f.step++;
		pool_step(&f);
		if (fz_below(&f, BURST_ONE_IN) == 0)
			pool_burst(&f, BURST);
		if (f.step % PROBE_EVERY == 0)
			probe_run(&f);
	}
	pool_close_all(&f);
	probe_run(&f);
	probe_restore(&f);
	summary(&f, fz_now_ms() - start, conns);
	printf("survived\n");
	return 0;
}
