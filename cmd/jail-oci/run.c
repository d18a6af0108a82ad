/*
 * run: create and start in one, as runc's.  Without --detach it waits
 * for the first process (our child: create's spawn made it so),
 * forwarding signals, exits with its status (128+N for signal N) and
 * deletes the container unless --keep; with --detach it returns once the
 * process runs, leaving it to the engine's subreaper as create does.
 * With process.terminal, no --console-socket and no --detach, a terminal
 * of the jail's is relayed to run's own (lib/pty_relay.c), as runc does.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail.h"
#include "pty.h"
#include "oci.h"

/* Relay MASTER to our terminal until PID, our child, exits; its status. */
static int
relay(int master, pid_t pid)
{
	struct jail_pty t;
	char err[256];
	int ttys = (isatty(0) ? 1 : 0) | (isatty(1) ? 2 : 0) |
	    (isatty(2) ? 4 : 0), st;

	if (jpty_init(&t, ttys, 0, err, sizeof(err)) < 0) {
		oci_err("run: %s", err);
		close(master);
		return oci_wait_forwarding(pid);
	}
	/* The process's terminal takes our size; the relay follows it. */
	(void)ioctl(master, TIOCSWINSZ, &t.ws);
	t.master = master;
	jpty_relay(&t, pid);
	jpty_close(&t);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	return oci_exit_code(st);
}

int
oci_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "detach", no_argument, NULL, 'd' },
		{ "keep", no_argument, NULL, 'K' },
		{ "no-pivot", no_argument, NULL, 'n' },
		{ "no-new-keyring", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bundle = ".", *pidfile = NULL, *console = NULL;
	char *start[3], *del[4];
	int ch, root, ret, detach = 0, keep = 0, master = -1;
	pid_t pid = -1;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+b:d", opts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			bundle = optarg;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'c':
			console = optarg;
			break;
		case 'd':
			detach = 1;
			break;
		case 'K':
			keep = 1;
			break;
		case 'n':
		case 'k':
			break;	/* runc's, meaningless for a jail */
		default:
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	if (!oci_id_valid(argv[optind])) {
		oci_err("invalid container id: %s", argv[optind]);
		return 1;
	}
	if ((root = oci_root_open(1)) < 0)
		return 1;
	/* A terminal to relay: only to a terminal of ours. */
	ret = oci_create_container(bundle, pidfile, console,
	    console == NULL && !detach && (isatty(0) || isatty(1)) ? &master :
	    NULL, argv[optind], root, &pid);
	close(root);
	if (ret != 0)
		return ret;
	start[0] = "start";
	start[1] = argv[optind];
	start[2] = NULL;
	del[0] = "delete";
	del[1] = "--force";
	del[2] = argv[optind];
	del[3] = NULL;
	if (oci_start(2, start) != 0) {
		if (master >= 0)
			close(master);
		(void)oci_delete(3, del);
		return 1;
	}
	if (detach)
		return 0;
	ret = master >= 0 ? relay(master, pid) : oci_wait_forwarding(pid);
	if (!keep && oci_delete(3, del) != 0)
		return ret != 0 ? ret : 1;
	return ret;
usage:
	oci_err("run: usage: run [--bundle dir] [--detach] [--pid-file file] "
	    "[--console-socket path] [--keep] id");
	return 2;
}
