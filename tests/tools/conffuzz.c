/*
 * conffuzz: jail(8)'s reading of jail.conf(5) on mutated configurations,
 * under AddressSanitizer and UBSan (built with them, see the Makefile).
 *
 *   conffuzz [-t seconds] [-n runs] [-s seed] [-o dir] [seed.conf ...]
 *
 * Each run mutates a real-looking configuration (the built-in ones and
 * the files named) with byte changes, splices and tokens of the grammar,
 * writes it with two include files into a directory of its own, and has
 * a child load it (sometimes from standard input) and print it as -e
 * does, then free it.  The child may load it or refuse it (exit 0 or 1);
 * anything else is a bug: a crash, a sanitizer report (exit 86), a leak,
 * or a hang (killed after 10 s).  The failing input is printed, and saved
 * in dir (-o) as crash-N.conf with its includes.  Exits 0 when every run
 * passed.  -s replays a run: the same seed gives the same inputs.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "confparse.h"

#define	MAX_INPUT	(64 * 1024)
#define	CHILD_TIMEOUT	10		/* seconds before a run is a hang */
#define	BUG_EXIT	86		/* the sanitizers' exit status */

const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *
__asan_default_options(void)
{
	return "exitcode=86:detect_leaks=1:abort_on_error=0";
}

const char *
__ubsan_default_options(void)
{
	return "halt_on_error=1:exitcode=86:print_stacktrace=1";
}

/* Configurations as people write them: what the mutations start from. */
static const char *const seeds[] = {
	/* jail.conf(5)'s example. */
	"# Typical static defaults:\n"
	"exec.start = \"/bin/sh /etc/rc\";\n"
	"exec.stop = \"/bin/sh /etc/rc.shutdown jail\";\n"
	"exec.clean;\nmount.devfs;\n"
	"path = \"/var/jail/$name\";\n"
	"foo {\n\thost.hostname = \"foo.com\";\n"
	"\tip4.addr = 10.1.1.1, 10.1.1.2, 10.1.1.3;\n}\n"
	"bar {\n\texec.start = '';\n\texec.stop = '';\n\tpath = /;\n"
	"\tmount.nodevfs;\n\tpersist;\t// no processes\n}\n",

	"$root = \"/srv\";\n$empty = \"\";\n"
	"a {\n\tpath = \"$root/${name}\";\n"
	"\thost.hostname = \"pre${empty}post\";\n\texec.start = \"${empty}\";\n}\n"
	"a.child {\n\tpath = \"$root/${name}\";\n"
	"\thost.hostname = \"${empty}child${empty}\";\n}\n",

	"exec.prestop = \"echo STOP\";\nexec.prestart = \"echo START\";\n"
	"persist;\n\nbasejail {}\n",

	"/* numeric names and wildcards */\n"
	"* { securelevel = 2; allow.nomount; }\n"
	"5309 { name = basejail; path = \"/j/${name}\"; }\n"
	"\"web.*\" { exec.noclean; ip4.addr += 192.0.2.1; }\n"
	"web { web1 { } web2 { host.hostname = ${name}.example; } }\n"
	"* { devfs_ruleset = 4; }\n",

	"$addrs = 10.0.0.1, 10.0.0.2;\n"
	"j { ip4.addr = $addrs; exec.start = 'echo JID=\\$JID', \"x\\ty\\n\","
	" \\101\\x42; \n"
	"  exec.poststart = \"sh -c \\\"echo $name\\\"\" ;\n"
	"  mount.fstab = /etc/fstab.$name;\n  exec.timeout = 30;\n"
	"  .include \"inc/*.conf\";\n}\n",

	".include \"inc/a.conf\";\n.include \"inc/*.conf\";\n"
	"# shell\n// C++\nx { y = a\\\nb; z = 'multi\nline'; }\n",

	"ph { path = /; persist; vnet; vnet.interface = e0b, e1b;\n"
	"  $d = /usr/local/etc; mount.fstab = \"$d/fstab\";\n"
	"  exec.prestart += \"ifconfig e0 create\";\n"
	"  exec.prestart += \"ifconfig e1 create\";\n"
	"  depend = other; stop.timeout = 5; }\n"
	"other { path = \"/jails/${name}\"; host.hostname = $name; }\n",
};

/* Pieces of the grammar, inserted whole. */
static const char *const tokens[] = {
	"{", "}", ";", "=", "+=", ",", "\"", "'", "$", "${", "$name",
	"${name}", "${host.hostname}", "${x.y}", "\\", "\\\n", "\\x", "\\x4",
	"\\0", "\\777", "\\$", "/*", "*/", "//", "#", "\n", " ", "*",
	"foo.*", "\"foo.*\"", ".include \"inc/*.conf\";",
	".include \"jail.conf\";", ".include \"inc/a.conf\";",
	".include \"nothere\";", ".include", ".include \"$x\";",
	"$v = a, b;", "$v", "$x = \"$y\";", "$y = \"$x\";", "$x",
	"persist", "nopersist", "allow.nomount", "exec.start", "ip4.addr",
	"name", "jid", "5309", "0", "-1", "path", "exec.noclean",
	"mount.devfs", "exec.bogus", "a { b { c { } } }", "x { }", "5 { }",
	"name = z;", "jid = 7;", "persist = maybe;", "\"\"", "''",
};

static char *tmpdir;
static unsigned long long rng;

/* xorshift64*: reproducible from -s. */
static unsigned
rnd(unsigned n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return n == 0 ? 0 : (unsigned)((rng * 2685821657736338717ULL) >> 33) % n;
}

struct input {
	char	*s;
	size_t	 len;
};

static const char *const *extra;	/* seed files' contents */
static size_t *extra_len;
static int nextra;

static void
pick_seed(struct input *in)
{
	int n = (int)(sizeof(seeds) / sizeof(seeds[0])) + nextra;
	int k = (int)rnd((unsigned)n);

	free(in->s);
	if (k < nextra) {
		in->len = extra_len[k];
		in->s = malloc(in->len + 1);
		memcpy(in->s, extra[k], in->len);
	} else {
		in->len = strlen(seeds[k - nextra]);
		in->s = strdup(seeds[k - nextra]);
	}
	if (in->s == NULL)
		err(1, "malloc");
}

/* Replace LEN bytes at POS with the N bytes of P. */
static void
splice_in(struct input *in, size_t pos, size_t len, const char *p, size_t n)
{
	size_t newlen = in->len - len + n;
	char *s;

	if (newlen > MAX_INPUT)
		return;
	if ((s = malloc(newlen + 1)) == NULL)
		err(1, "malloc");
	memcpy(s, in->s, pos);
	memcpy(s + pos, p, n);
	memcpy(s + pos + n, in->s + pos + len, in->len - pos - len);
	free(in->s);
	in->s = s;
	in->len = newlen;
}

static void
mutate_once(struct input *in)
{
	size_t pos = rnd((unsigned)in->len + 1);
	size_t span = rnd(16) + 1;
	char bytes[4];

	if (pos + span > in->len)
		span = in->len - pos;
	switch (rnd(7)) {
	case 0:		/* a byte changed */
		if (pos < in->len)
			in->s[pos] = (char)rnd(256);
		break;
	case 1: {	/* a token of the grammar */
		const char *t = tokens[rnd(sizeof(tokens) / sizeof(tokens[0]))];

		splice_in(in, pos, 0, t, strlen(t));
		break;
	}
	case 2:		/* a span deleted */
		splice_in(in, pos, span, "", 0);
		break;
	case 3: {	/* a span repeated elsewhere */
		char *copy = malloc(span + 1);

		memcpy(copy, in->s + pos, span);
		splice_in(in, rnd((unsigned)in->len + 1), 0, copy, span);
		free(copy);
		break;
	}
	case 4: {	/* a span of another configuration */
		const char *o = seeds[rnd(sizeof(seeds) / sizeof(seeds[0]))];
		size_t olen = strlen(o), opos = rnd((unsigned)olen);
		size_t on = rnd(64) + 1;

		if (opos + on > olen)
			on = olen - opos;
		splice_in(in, pos, span, o + opos, on);
		break;
	}
	case 5:		/* a few random bytes */
		for (size_t i = 0; i < sizeof(bytes); i++)
			bytes[i] = (char)rnd(256);
		splice_in(in, pos, 0, bytes, rnd(sizeof(bytes)) + 1);
		break;
	default:	/* the end cut off */
		if (rnd(4) == 0)
			in->len = pos;
		break;
	}
}

static void
make_input(struct input *in, int max_mutations)
{
	/* Mostly one or two changes: most of the input still makes sense. */
	int n = 1 + (int)(rnd(4) == 0 ? rnd((unsigned)max_mutations) : rnd(2));

	pick_seed(in);
	for (; n > 0; n--)
		mutate_once(in);
	in->s[in->len] = '\0';
}

static void
write_input(const char *path, const struct input *in)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fwrite(in->s, 1, in->len, fp) != in->len ||
	    fclose(fp) != 0)
		err(1, "%s", path);
}

/* The child: what jail -f FILE -e '|' does, then everything freed. */
static void __attribute__((noreturn))
child(const char *file, int from_stdin, const char *outfile)
{
	int fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(2);
	close(fd);
	if (chdir(tmpdir) < 0)
		_exit(2);
	alarm(CHILD_TIMEOUT);
	program_invocation_short_name = "jail";
	if (from_stdin) {
		if (freopen(file, "r", stdin) == NULL)
			_exit(2);
		file = "-";
	}
	config_load(file);
	config_show("|");
	config_free();
	exit(0);
}

static void
dump(const char *title, const char *path)
{
	char buf[4096];
	size_t n;
	FILE *fp = fopen(path, "r");

	fprintf(stderr, "---- %s (%s)\n", title, path);
	if (fp == NULL)
		return;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(fp);
	fprintf(stderr, "\n---- end of %s\n", title);
}

/* Keep the failing input and its includes in OUTDIR. */
static void
save(const char *outdir, int run)
{
	static const char *const names[] = { "jail.conf", "inc/a.conf",
	    "inc/b.conf" };
	static const char *const suffix[] = { "", ".inc-a", ".inc-b" };

	for (int i = 0; i < 3; i++) {
		char src[4096], dst[4096], cmd[8192];

		snprintf(src, sizeof(src), "%s/%s", tmpdir, names[i]);
		snprintf(dst, sizeof(dst), "%s/crash-%d.conf%s", outdir, run,
		    suffix[i]);
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", src, dst);
		if (system(cmd) != 0)
			warnx("could not save %s", dst);
	}
}

/* One run: 0 if the child loaded or refused it, else -1 (reported). */
static int
run_one(int run, const char *outdir, int *loaded)
{
	char conf[4096], out[4096];
	int from_stdin = rnd(8) == 0, status;
	pid_t pid;

	snprintf(conf, sizeof(conf), "%s/jail.conf", tmpdir);
	snprintf(out, sizeof(out), "%s/out", tmpdir);
	if ((pid = fork()) < 0)
		err(1, "fork");
	if (pid == 0)
		child(conf, from_stdin, out);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(1, "waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) <= 1) {
		*loaded += WEXITSTATUS(status) == 0;
		return 0;
	}
	if (WIFSIGNALED(status))
		fprintf(stderr, "conffuzz: run %d: %s\n", run,
		    WTERMSIG(status) == SIGALRM ? "hang" :
		    strsignal(WTERMSIG(status)));
	else
		fprintf(stderr, "conffuzz: run %d: exit %d%s\n", run,
		    WEXITSTATUS(status), WEXITSTATUS(status) == BUG_EXIT ?
		    " (sanitizer report)" : "");
	fprintf(stderr, "conffuzz: read %s\n", from_stdin ? "from standard "
	    "input" : "as a file");
	dump("input", conf);
	snprintf(conf, sizeof(conf), "%s/inc/a.conf", tmpdir);
	dump("inc/a.conf", conf);
	snprintf(conf, sizeof(conf), "%s/inc/b.conf", tmpdir);
	dump("inc/b.conf", conf);
	dump("output", out);
	if (outdir != NULL)
		save(outdir, run);
	return -1;
}

static void
read_seeds(int argc, char **argv)
{
	char **texts = calloc((size_t)argc + 1, sizeof(*texts));

	extra_len = calloc((size_t)argc + 1, sizeof(*extra_len));
	if (texts == NULL || extra_len == NULL)
		err(1, "calloc");
	for (int i = 0; i < argc; i++) {
		FILE *fp = fopen(argv[i], "r");

		if (fp == NULL)
			err(1, "%s", argv[i]);
		texts[i] = malloc(MAX_INPUT + 1);
		if (texts[i] == NULL)
			err(1, "malloc");
		extra_len[i] = fread(texts[i], 1, MAX_INPUT, fp);
		fclose(fp);
	}
	extra = (const char *const *)texts;
	nextra = argc;
}

static void
cleanup(void)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		warnx("could not remove %s", tmpdir);
}

int
main(int argc, char **argv)
{
	const char *outdir = NULL;
	struct input in = { NULL, 0 }, inc = { NULL, 0 };
	const char *tmp = getenv("TMPDIR");
	char path[4096], tmpl[4096];
	unsigned long long seed = (unsigned long long)time(NULL);
	long seconds = 15, maxruns = -1;
	int ch, run, runs = 0, failed = 0, loaded = 0;
	time_t end;

	while ((ch = getopt(argc, argv, "n:o:s:t:")) != -1) {
		switch (ch) {
		case 'n':
			maxruns = strtol(optarg, NULL, 10);
			break;
		case 'o':
			outdir = optarg;
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 't':
			seconds = strtol(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: conffuzz [-t seconds] [-n runs] "
			    "[-s seed] [-o dir] [seed.conf ...]\n");
			return 2;
		}
	}
	read_seeds(argc - optind, argv + optind);
	/* Kyua gives each test a TMPDIR of its own, which it cleans. */
	snprintf(tmpl, sizeof(tmpl), "%s/conffuzz.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if ((tmpdir = mkdtemp(tmpl)) == NULL)
		err(1, "mkdtemp");
	snprintf(path, sizeof(path), "%s/inc", tmpdir);
	if (mkdir(path, 0755) < 0)
		err(1, "%s", path);
	printf("conffuzz: seed %llu, %ld s\n", seed, seconds);
	fflush(stdout);
	rng = seed != 0 ? seed : 1;
	end = time(NULL) + seconds;
	for (run = 0; time(NULL) < end && (maxruns < 0 || run < maxruns);
	    run++) {
		snprintf(path, sizeof(path), "%s/inc/a.conf", tmpdir);
		make_input(&inc, 2);
		write_input(path, &inc);
		snprintf(path, sizeof(path), "%s/inc/b.conf", tmpdir);
		make_input(&inc, 4);
		write_input(path, &inc);
		snprintf(path, sizeof(path), "%s/jail.conf", tmpdir);
		make_input(&in, 8);
		write_input(path, &in);
		runs++;
		if (run_one(run, outdir, &loaded) < 0 && ++failed >= 5)
			break;
	}
	printf("conffuzz: %d runs, %d loaded, %d refused, %d failed\n", runs,
	    loaded, runs - loaded - failed, failed);
	cleanup();
	free(in.s);
	free(inc.s);
	return failed ? 1 : 0;
}
