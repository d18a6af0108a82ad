/*
 * run: create and start in one, as runc's.  Without --detach it waits
 * for the first process (our child: create's spawn made it so),
 * forwarding signals, exits with its status (128+N for signal N) and
 * deletes the container unless --keep; with --detach it returns once the
 * process runs, leaving it to the engine's subreaper as create does.
 * With process.terminal, no --console-socket and no --detach, a terminal
 * of the jail's is relayed to run's stdio (relay.c), as runc does.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail.h"
#include "oci.h"

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
	/*
	 * In the foreground, process.terminal without a console socket:
	 * a terminal of the jail's, relayed to our stdio (runc's), whether
	 * or not that is a terminal.
	 */
	ret = oci_create_container(bundle, pidfile, console,
	    console == NULL && !detach ? &master : NULL, argv[optind], root,
	    &pid);
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
	ret = master >= 0 ? oci_relay(master, pid) : oci_wait_forwarding(pid);
	if (!keep && oci_delete(3, del) != 0)
		return ret != 0 ? ret : 1;
	return ret;
usage:
	oci_err("run: usage: run [--bundle dir] [--detach] [--pid-file file] "
	    "[--console-socket path] [--keep] id");
	return 2;
}
