/*
 * jail-oci: global options (runc's: --root, --log, --log-format, --debug,
 * --version) and the table of sub-commands.  Errors go to stderr and,
 * with --log, to that file, one line each, as text or as the JSON object
 * runc writes ({"level","msg","time"}), which containerd's shim reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "oci.h"

#ifndef JAIL_VERSION
#define	JAIL_VERSION	"unknown"
#endif

const char *oci_root = OCI_DEFAULT_ROOT;
static FILE *logfp;
static int log_json, debug;

static void
log_msg(const char *level, const char *msg)
{
	char when[64];
	FILE *to = logfp != NULL ? logfp : stderr;
	struct tm tm;
	time_t now = time(NULL);

	/*
	 * Engines read stderr too: the words they parse must be there.
	 * Debug lines are the log's alone, or stderr's without --log, in
	 * runc's form (level=debug), which runc's tests look for.
	 */
	if (strcmp(level, "debug") == 0) {
		if (logfp == NULL && !log_json) {
			fprintf(stderr, "level=debug msg=\"jail-oci: %s\"\n",
			    msg);
			return;
		}
	} else if (logfp != NULL || !log_json)
		fprintf(stderr, "jail-oci: %s%s%s\n",
		    strcmp(level, "warning") == 0 ? level : "",
		    strcmp(level, "warning") == 0 ? ": " : "", msg);
	if (logfp == NULL && !log_json)
		return;
	if (log_json) {
		json_t *o;
		char *s;

		gmtime_r(&now, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		o = json_pack("{s:s,s:s,s:s}", "level", level, "msg", msg,
		    "time", when);
		if (o != NULL && (s = json_dumps(o, JSON_COMPACT)) != NULL) {
			fprintf(to, "%s\n", s);
			free(s);
		}
		json_decref(o);
	} else {
		/* runc's (logrus's) text form. */
		gmtime_r(&now, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(to, "time=\"%s\" level=%s msg=\"%s\"\n", when, level,
		    msg);
	}
	fflush(to);
}

static void
log_line(const char *level, const char *fmt, va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_msg(level, msg);
}

void
oci_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("error", fmt, ap);
	va_end(ap);
}

/* What was asked and could not be done, though the command goes on. */
void
oci_warn(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg("warning", msg);
}

void
oci_debug(const char *fmt, ...)
{
	va_list ap;

	if (!debug)
		return;
	va_start(ap, fmt);
	log_line("debug", fmt, ap);
	va_end(ap);
}

static const struct {
	const char *name;
	int (*fn)(int, char **);
} cmds[] = {
	{ "create", oci_create },
	{ "start", oci_start },
	{ "state", oci_state_cmd },
	{ "kill", oci_kill },
	{ "delete", oci_delete },
	{ "features", oci_features },
	{ "exec", oci_exec },
	{ "run", oci_run },
	{ "pause", oci_pause },
	{ "resume", oci_resume },
	{ "ps", oci_ps },
	{ "update", oci_update },
	{ "spec", oci_spec },
	{ "list", oci_list },
};

static void __attribute__((noreturn))
usage(int help)
{
	fprintf(help ? stdout : stderr, "usage: jail-oci [--root dir] [--log file] "
	    "[--log-format text|json] [--debug] command [args]\n"
	    "       jail-oci --version\n"
	    "commands: create start state kill delete features exec run pause\n"
	    "          resume ps update spec list\n"
	    "see jail-oci(8)\n");
	exit(help ? 0 : 2);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-format", required_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *logpath = NULL;
	int ch;

	/* "+": sub-commands' options are theirs. */
	while ((ch = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			oci_root = optarg;
			break;
		case 'l':
			logpath = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				log_json = 1;
			else if (strcmp(optarg, "text") == 0)
				log_json = 0;
			else {
				oci_err("--log-format: %s: not text or json",
				    optarg);
				return 2;
			}
			break;
		case 'd':
			debug = 1;
			break;
		case 'h':
			usage(1);	/* asked for: runc's exit 0 */
		case 'v':
			printf("jail-oci version %s\nspec: %s\n", JAIL_VERSION,
			    OCI_SPEC_VERSION);
			return 0;
		default:
			usage(0);
		}
	}
	if (logpath != NULL) {
		int fd = open(logpath, O_WRONLY | O_APPEND | O_CREAT |
		    O_CLOEXEC | O_NOCTTY, 0600);

		if (fd < 0 || (logfp = fdopen(fd, "a")) == NULL) {
			oci_err("--log %s: %s", logpath, strerror(errno));
			return 1;
		}
	}
	if (*oci_root == '\0') {
		oci_err("--root: empty directory name");
		return 2;
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(0);
	/* "CMD -h": the usage, exit 0, as runc answers it. */
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0))
		usage(1);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			return cmds[i].fn(argc, argv);
	oci_err("%s: no such command", argv[0]);
	return 2;
}
