/*
 * create --bundle B [--pid-file P] ID: the bundle's jail, and its first
 * process started in it, waiting on the state directory's fifo until
 * start.  The process is our child (jail__spawn), so that once we exit it
 * is the engine's (conmon, containerd's shim: subreapers that wait for
 * the pid in the pid file).  The jail persists only until the process is
 * in it; then it lives as long as the jail's processes do.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "jail.h"
#include "sys/jail.h"
#include "run.h"
#include "oci.h"

/*
 * The jail: persistent for now, so that it outlives a failed spawn; with
 * the parameters the bundle's namespaces ask for (namespaces.c).
 */
static int
make_jail(const struct oci_bundle *b, const char *name,
    const struct oci_jparams *extra)
{
	struct jailparam jp[OCI_JPARAMS_MAX + 4];
	unsigned n = 0;
	int jid = -1;

	if (jailparam_init(&jp[n], "name") < 0 ||
	    jailparam_import(&jp[n++], name) < 0 ||
	    jailparam_init(&jp[n], "path") < 0 ||
	    jailparam_import(&jp[n++], b->rootfs) < 0 ||
	    jailparam_init(&jp[n], "persist") < 0 ||
	    jailparam_import(&jp[n++], "true") < 0)
		goto out;
	if (b->hostname != NULL && (jailparam_init(&jp[n], "host.hostname") < 0 ||
	    jailparam_import(&jp[n++], b->hostname) < 0))
		goto out;
	for (unsigned i = 0; i < extra->n; i++)
		if (jailparam_init(&jp[n], extra->name[i]) < 0 ||
		    jailparam_import(&jp[n++], extra->value[i]) < 0)
			goto out;
	jid = jailparam_set(jp, n, JAIL_CREATE);
out:
	if (jid < 0)
		oci_err("jail %s: %s", name, jail_errmsg[0] != '\0' ?
		    jail_errmsg : strerror(errno));
	jailparam_free(jp, n);
	return jid;
}

/*
 * A mount the prison could not idmap is left out of the jail and listed
 * in idmap.hidden: for a container that is an error, not a missing mount.
 */
static int
check_hidden(int jid)
{
	char jidstr[16], hidden[1024];

	snprintf(jidstr, sizeof(jidstr), "%d", jid);
	hidden[0] = '\0';
	if (jail_getv(0, "jid", jidstr, "idmap.hidden", hidden, NULL) < 0) {
		oci_err("jail %d: idmap.hidden: %s", jid, jail_errmsg);
		return -1;
	}
	if (hidden[0] != '\0') {
		oci_err("mounts %s: their file systems cannot be idmapped "
		    "into the jail", hidden);
		return -1;
	}
	return 0;
}

int
oci_create_container(const char *bundle, const char *pidfile,
    const char *console, int *master_out, const char *id, int root,
    pid_t *out)
{
	struct oci_bundle b;
	struct oci_state s;
	struct jail_run r;
	struct oci_jparams jp;
	struct tm tm;
	time_t now;
	char jidstr[16], st;
	int dir = -1, gate = -1, jid = -1, ret = 1, csock = -1, master = -1;
	pid_t pid = -1;

	memset(&s, 0, sizeof(s));
	if (oci_bundle_load(bundle, &b) < 0) {
		oci_bundle_free(&b);
		return 1;
	}
	/* runc's rules and words: a terminal goes to a console socket. */
	if (b.proc.terminal && console == NULL && master_out == NULL) {
		oci_err("cannot allocate tty if runc will detach without "
		    "setting console socket");
		oci_bundle_free(&b);
		return 1;
	}
	if (!b.proc.terminal && console != NULL) {
		oci_err("cannot use console socket if runc will not provide "
		    "a terminal");
		oci_bundle_free(&b);
		return 1;
	}
	if ((console != NULL && (csock = oci_console_connect(console)) < 0) ||
	    (dir = oci_state_mkdir(root, id)) < 0) {
		if (csock >= 0)
			close(csock);
		oci_bundle_free(&b);
		return 1;
	}
	/* exec's process defaults, whatever becomes of the bundle. */
	if (oci_config_save(dir, b.config) < 0)
		goto out;
	/* Read-write: the process holds a writer too, so it sees no EOF. */
	if (mkfifoat(dir, OCI_FIFO, 0600) < 0 || (gate = openat(dir, OCI_FIFO,
	    O_RDWR | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		oci_err("%s: %s", OCI_FIFO, strerror(errno));
		goto out;
	}
	oci_jail_name(id, s.name, sizeof(s.name));
	memset(&jp, 0, sizeof(jp));
	if (oci_namespaces(&b, &jp) < 0 || oci_mounts_make(&b) < 0)
		goto out;
	if ((jid = make_jail(&b, s.name, &jp)) < 0 || check_hidden(jid) < 0)
		goto out;
	/* The annotations are the jail's meta, as JSON, for jls -n meta. */
	snprintf(jidstr, sizeof(jidstr), "%d", jid);
	if (strcmp(b.annotations, "{}") != 0 && jail_setv(JAIL_UPDATE, "jid",
	    jidstr, "meta", b.annotations, NULL) < 0) {
		oci_err("annotations as the jail's meta: %s", jail_errmsg);
		goto out;
	}
	memset(&r, 0, sizeof(r));
	oci_process_run(&b.proc, &r);	/* process.c */
	r.gate = gate;
	r.check_exec = 1;
	if (csock >= 0 || (master_out != NULL && b.proc.terminal))
		r.console = &master;
	if (jail__spawn(jid, &r, &pid) < 0) {
		oci_err("unable to start container process: %s",
		    jail_errmsg[0] != '\0' ? jail_errmsg : strerror(errno));
		goto out;
	}
	oci_process_report(&b.proc, pid);
	if (csock >= 0 && oci_console_send(csock, master) < 0)
		goto out;
	snprintf(s.id, sizeof(s.id), "%s", id);
	s.bundle = b.bundle;
	s.annotations = b.annotations;
	s.pid = pid;
	s.jid = jid;
	s.starttime = oci_starttime(pid, &st);
	/* Before start: the process waits at the gate, nothing has run. */
	if (oci_resources_apply(&b, &s, dir) < 0)
		goto out;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(s.created, sizeof(s.created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (oci_state_write(dir, &s) < 0 ||
	    (pidfile != NULL && oci_pidfile_write(pidfile, pid) < 0))
		goto out;
	if (oci_sysctl(&b, pid) < 0)
		goto out;
	/* hooks.c: prestart is createRuntime's deprecated name. */
	if (oci_hooks(b.config, &s, "prestart", "creating") < 0 ||
	    oci_hooks(b.config, &s, "createRuntime", "creating") < 0 ||
	    oci_hooks(b.config, &s, "createContainer", "creating") < 0)
		goto out;
	/* From now on the jail lives as long as its processes do. */
	if (jail_setv(JAIL_UPDATE, "jid", jidstr, "nopersist", NULL, NULL) < 0) {
		oci_err("jail %d: nopersist: %s", jid, jail_errmsg);
		goto out;
	}
	oci_debug("created %s: jail %d, pid %d", id, jid, (int)pid);
	if (out != NULL)
		*out = pid;
	if (master_out != NULL) {
		*master_out = master;	/* run relays it */
		master = -1;
	}
	ret = 0;
out:
	if (ret != 0) {
		/* Nothing left behind: no process, no jail, no state. */
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		if (jid >= 0)
			jail_remove(jid);
		if (pidfile != NULL && pid > 0)
			unlink(pidfile);
		if (dir >= 0)
			oci_cgroup_remove(dir);
		oci_state_remove(root, id);
	}
	if (gate >= 0)
		close(gate);
	if (master >= 0)
		close(master);
	if (csock >= 0)
		close(csock);
	if (dir >= 0)
		close(dir);
	oci_bundle_free(&b);
	return ret;
}

int
oci_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "no-pivot", no_argument, NULL, 'n' },
		{ "no-new-keyring", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bundle = ".", *pidfile = NULL, *console = NULL;
	int ch, root, ret;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+b:", opts, NULL)) != -1) {
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
		case 'n':
		case 'k':
			break;	/* runc's, meaningless for a jail */
		default:
			oci_err("create: usage: create [--bundle dir] "
			    "[--pid-file file] [--console-socket path] id");
			return 2;
		}
	}
	if (argc - optind != 1) {
		oci_err("create: exactly one container id expected");
		return 2;
	}
	if (!oci_id_valid(argv[optind])) {
		oci_err("invalid container id: %s", argv[optind]);
		return 1;
	}
	if ((root = oci_root_open(1)) < 0)
		return 1;
	ret = oci_create_container(bundle, pidfile, console, NULL,
	    argv[optind], root, NULL);
	close(root);
	return ret;
}
