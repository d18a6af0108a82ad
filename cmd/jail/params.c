/*
 * A jail's kernel parameters and the operations on the jail itself:
 * jail_set to create or update, jail_remove, the look-up of a running
 * jail, the -v trace of each call and the -J file.  Everything else a
 * jail(8) run does (commands, mounts) is a step around these (state.c).
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "jail8.h"
#include "run.h"

/* Key-value parameters take each value as an edit of its own. */
static int
is_edit_list(const struct jailparam *jp)
{
	return (jp->jp_flags & JP_KEYVALUE) || strcmp(jp->jp_name, "meta") == 0 ||
	    strcmp(jp->jp_name, "env") == 0;
}

static int
is_create_only(const struct jailparam *jp)
{
	return (jp->jp_ctltype & CTLFLAG_TUN) != 0 &&
	    (jp->jp_ctltype & CTLFLAG_WR) == 0;
}

/* The values of P as one string: a list comma-joined, as libjail takes it. */
static char *
joined(const struct cfparam *p)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f;

	if (p->nval == 0)
		return NULL;
	if ((f = open_memstream(&s, &len)) == NULL)
		err(1, "open_memstream");
	for (int i = 0; i < p->nval; i++)
		fprintf(f, "%s%s", i > 0 && *p->val[i] != '\0' ? "," : "",
		    p->val[i]);
	if (fclose(f) != 0)
		err(1, "open_memstream");
	return s;
}

static int
import_one(struct cfjail *j, const char *name, const char *value)
{
	struct jailparam *jp;

	j->jp = ereallocarray(j->jp, (size_t)j->njp + 1, sizeof(*j->jp));
	jp = &j->jp[j->njp];
	if (jailparam_init(jp, name) < 0) {
		jail_warnx(j, "%s", jail_errmsg);
		return -1;
	}
	if (value == NULL && (jp->jp_flags & JP_JAILSYS))
		value = "";		/* "vnet" alone means vnet=new */
	if (jailparam_import(jp, value) < 0) {
		jail_warnx(j, "%s", jail_errmsg);
		jailparam_free(jp, 1);
		return -1;
	}
	j->njp++;
	return 0;
}

/* Is address A among the values of P already? */
static int
has_value(const struct cfparam *p, const char *a)
{
	for (int i = 0; p != NULL && i < p->nval; i++)
		if (strcmp(p->val[i], a) == 0)
			return 1;
	return 0;
}

/*
 * ip_hostname, -h: add the addresses host.hostname resolves to (the first
 * of each family is the primary one, as getaddrinfo orders them).
 */
static int
resolve_hostname(struct cfjail *j)
{
	struct addrinfo hints, *res, *ai;
	const char *host = cf_string(cfjail_find(j, "host.hostname"));
	char buf[INET6_ADDRSTRLEN];
	int e;

	if (host == NULL || *host == '\0') {
		jail_warnx(j, "ip_hostname: no host.hostname to resolve");
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		jail_warnx(j, "host.hostname %s: %s", host, gai_strerror(e));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		const char *pname = ai->ai_family == AF_INET ? "ip4.addr" :
		    "ip6.addr";
		const void *a;

		if (ai->ai_family == AF_INET)
			a = &((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		else if (ai->ai_family == AF_INET6)
			a = &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		else
			continue;
		if (inet_ntop(ai->ai_family, a, buf, sizeof(buf)) == NULL ||
		    has_value(cfjail_find(j, pname), buf))
			continue;
		if (cfjail_set(j, pname, buf, PF_APPEND) < 0) {
			freeaddrinfo(res);
			return -1;
		}
	}
	freeaddrinfo(res);
	return 0;
}

/*
 * ip4.addr and ip6.addr as FreeBSD's jail(8) takes them: each address may
 * be "IF|ADDR/MASK ARGS".  The kernel gets ADDR; IF|ADDR goes to the
 * interface parameter (IFS), for the prison to publish ADDR on IF's
 * network.  MASK and ARGS are for the alias FreeBSD's ifconfig would add:
 * a jail's address here is a host route, so they are accepted and unused.
 */
static char *
split_addrs(const char *list, FILE *ifs)
{
	char *out = NULL, *copy = estrdup(list), *tok, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int n = 0;

	if (f == NULL)
		err(1, "open_memstream");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		char *bar, *a;

		while (isspace((unsigned char)*tok))
			tok++;
		a = tok;
		if ((bar = strchr(tok, '|')) != NULL) {
			*bar = '\0';
			a = bar + 1;
		}
		a[strcspn(a, "/ \t")] = '\0';
		if (bar != NULL)
			fprintf(ifs, ",%s|%s", tok, a);
		fprintf(f, "%s%s", n++ > 0 ? "," : "", a);
	}
	if (fclose(f) != 0)
		err(1, "open_memstream");
	free(copy);
	return out;
}

static int
is_addr_list(const char *name)
{
	return strcmp(name, "ip4.addr") == 0 || strcmp(name, "ip6.addr") == 0;
}

/*
 * The interface parameter: interface= (the one for every address), then
 * the IF|ADDR entries of the address lists.  NULL when there is none.
 */
static char *
interface_value(const struct cfjail *j)
{
	const struct cfparam *p = cfjail_find(j, "interface");
	char *out = NULL, *v;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (f == NULL)
		err(1, "open_memstream");
	if (p != NULL && (v = joined(p)) != NULL) {
		fputs(v, f);
		free(v);
	}
	for (int i = 0; i < j->nparams; i++)
		if (is_addr_list(j->params[i].name) &&
		    (v = joined(&j->params[i])) != NULL) {
			free(split_addrs(v, f));
			free(v);
		}
	if (fclose(f) != 0)
		err(1, "open_memstream");
	if (*out == ',')
		memmove(out, out + 1, strlen(out));
	if (*out == '\0' && p == NULL) {
		free(out);
		return NULL;
	}
	return out;
}

/* P as jailparams: a key-value list one edit each, any other joined. */
static int
import_param(struct cfjail *j, const struct cfparam *p)
{
	struct jailparam probe;
	int edits, rc = 0;
	char *v;

	if (jailparam_init(&probe, p->name) < 0) {
		jail_warnx(j, "%s", jail_errmsg);
		return -1;
	}
	edits = is_edit_list(&probe);
	jailparam_free(&probe, 1);
	if (edits) {
		for (int k = 0; k < p->nval && rc == 0; k++)
			rc = import_one(j, p->name, p->val[k]);
		return rc;
	}
	v = joined(p);
	rc = import_one(j, p->name, v);
	free(v);
	return rc;
}

/* An address list without its IF| and /MASK parts. */
static int
import_addrs(struct cfjail *j, const struct cfparam *p)
{
	char *v = joined(p), *a;
	FILE *null;
	int rc;

	if (v == NULL)
		return import_one(j, p->name, NULL);
	if ((null = fopen("/dev/null", "w")) == NULL)
		err(1, "/dev/null");
	a = split_addrs(v, null);
	fclose(null);
	rc = import_one(j, p->name, a);
	free(a);
	free(v);
	return rc;
}

int
params_import(struct cfjail *j)
{
	char *ifv;
	int rc = 0, ifdone = 0;

	if (j->jp != NULL)
		return 0;
	if (cf_bool(j->ip[IP_IP_HOSTNAME]) && resolve_hostname(j) < 0)
		return -1;
	j->jp = emalloc(sizeof(*j->jp));
	ifv = interface_value(j);
	for (int i = 0; i < j->nparams && rc == 0; i++) {
		struct cfparam *p = &j->params[i];

		if (p->ip >= 0 || (p->flags & PF_VAR))
			continue;
		if (strcmp(p->name, "interface") == 0) {
			rc = import_one(j, p->name, ifv);
			ifdone = 1;
		} else if (is_addr_list(p->name))
			rc = import_addrs(j, p);
		else
			rc = import_param(j, p);
	}
	if (rc == 0 && !ifdone && ifv != NULL)
		rc = import_one(j, "interface", ifv);
	free(ifv);
	return rc < 0 ? -1 : 0;
}

/* "persist" or "nopersist", "allow.mount.notmpfs": NAME is positive. */
static void
print_bool(FILE *fp, const char *name, int v)
{
	const char *last = strrchr(name, '.');

	last = last != NULL ? last + 1 : name;
	fprintf(fp, "%.*s%s%s", (int)(last - name), name, v ? "" : "no", last);
}

/* -v: the jail_set call, as FreeBSD's jail(8) traces it. */
static void
trace_set(const struct cfjail *j, const struct jailparam *jp, unsigned n,
    int flags, int jid)
{
	if (verbose <= 0)
		return;
	jail_note(j, "jail_set(%s)", (flags & (JAIL_CREATE | JAIL_UPDATE)) ==
	    JAIL_CREATE ? "JAIL_CREATE" : (flags & JAIL_CREATE) ?
	    "JAIL_CREATE | JAIL_UPDATE" : "JAIL_UPDATE");
	for (unsigned i = 0; i < n; i++) {
		char *v;

		putchar(' ');
		if (jp[i].jp_flags & (JP_BOOL | JP_NOBOOL)) {
			int b = jp[i].jp_value == NULL ||
			    *(int *)jp[i].jp_value != 0;

			if (jp[i].jp_flags & JP_NOBOOL)
				b = !b;
			print_bool(stdout, jp[i].jp_name, b);
			continue;
		}
		fputs(jp[i].jp_name, stdout);
		if (jp[i].jp_value == NULL &&
		    (jp[i].jp_ctltype & CTLTYPE) != CTLTYPE_STRUCT)
			continue;
		if ((v = jailparam_export((struct jailparam *)&jp[i])) == NULL)
			continue;
		putchar('=');
		quoted_print(stdout, v);
		free(v);
	}
	if (jid < 0)
		printf(": %s", jail_errmsg);
	putchar('\n');
	fflush(stdout);
}

/* Before creating: the path must be a directory (and absolute if named). */
static int
check_path(const struct cfjail *j)
{
	const char *path = cf_string(cfjail_find(j, "path"));
	struct stat sb;

	if (path == NULL)
		return 0;
	if (path[0] != '/' && (j->name != NULL ||
	    cf_string(cfjail_find(j, "name")) != NULL)) {
		jail_warnx(j, "path %s: not an absolute pathname", path);
		return -1;
	}
	if (stat(path, &sb) < 0) {
		jail_warnx(j, "path %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		jail_warnx(j, "path %s: %s", path, strerror(ENOTDIR));
		return -1;
	}
	return 0;
}

/*
 * What names J in messages: its configuration name, else the jid or the
 * name it was given, as FreeBSD's jail(8) quotes them.
 */
const char *
params_key(const struct cfjail *j)
{
	const char *jid = cf_string(cfjail_find(j, "jid"));
	const char *name = cf_string(cfjail_find(j, "name"));

	if (j->name != NULL)
		return j->name;
	if (jid != NULL && *jid != '\0' && strcmp(jid, "0") != 0)
		return jid;
	if (name != NULL && *name != '\0')
		return name;
	return NULL;
}

/*
 * A create that lost its name or jid to another create that raced it
 * (jail_set's EEXIST, "jail ... already exists") says so in the words
 * used when the jail was there before we looked; else the library's
 * message.
 */
static void
create_failed(const struct cfjail *j)
{
	static const char tail[] = " already exists";
	size_t len = strlen(jail_errmsg);
	const char *key = params_key(j);

	if (errno == EEXIST && key != NULL &&
	    strncmp(jail_errmsg, "jail ", 5) == 0 && len >= sizeof(tail) &&
	    strcmp(jail_errmsg + len - (sizeof(tail) - 1), tail) == 0)
		warnx("\"%s\" already exists", key);
	else
		jail_warnx(j, "%s", jail_errmsg);
}

/* Does J have commands that must run in the jail after it is made? */
static int
runs_after_create(const struct cfjail *j)
{
	return j->ip[IP_EXEC_START] != NULL || j->ip[IP_COMMAND] != NULL ||
	    j->ip[IP_EXEC_POSTSTART] != NULL;
}

int
params_create(struct cfjail *j)
{
	int persist = cf_bool(cfjail_find(j, "persist"));

	if (check_path(j) < 0 || params_import(j) < 0)
		return -1;
	/*
	 * Commands need the jail to outlive its creation.  FreeBSD sets
	 * persist for the while; here a descriptor holds it instead, so that
	 * if we die the jail does not stay behind persistent: it then lives
	 * as long as its processes, as it would have after the commands.
	 */
	if (runs_after_create(j) && !persist)
		j->jid = jailparam__set_held(j->jp, (unsigned)j->njp,
		    JAIL_CREATE, &j->hold);
	else
		j->jid = jailparam_set(j->jp, (unsigned)j->njp, JAIL_CREATE);
	trace_set(j, j->jp, (unsigned)j->njp, JAIL_CREATE, j->jid);
	if (j->jid < 0) {
		j->jid = 0;
		create_failed(j);
		return -1;
	}
	j->flags |= JF_CREATED;
	return 0;
}

/* The running jail's values of J's create-only parameters, to compare. */
static int
differing_create_only(struct cfjail *j, const char **first)
{
	struct jailparam *run;
	int *idx, n = 0, diff = 0;
	char buf[32];

	*first = NULL;
	idx = emalloc(((size_t)j->njp + 1) * sizeof(*idx));
	run = emalloc(((size_t)j->njp + 1) * sizeof(*run));
	snprintf(buf, sizeof(buf), "%d", j->jid);
	if (jailparam_init(&run[0], "jid") < 0 ||
	    jailparam_import(&run[0], buf) < 0)
		errx(1, "%s", jail_errmsg);
	for (int i = 0; i < j->njp; i++) {
		if (!is_create_only(&j->jp[i]) ||
		    strcmp(j->jp[i].jp_name, "jid") == 0)
			continue;
		if (jailparam_init(&run[n + 1], j->jp[i].jp_name) < 0)
			errx(1, "%s", jail_errmsg);
		idx[n++] = i;
	}
	if (n > 0 && jailparam_get(run, (unsigned)n + 1, 0) > 0) {
		for (int k = 0; k < n; k++) {
			struct jailparam *want = &j->jp[idx[k]];
			char *have, *v, real[PATH_MAX];
			int same;

			if ((have = jailparam_export(&run[k + 1])) == NULL)
				continue;
			if ((v = jailparam_export(want)) == NULL)
				errx(1, "%s", jail_errmsg);
			if (strcmp(want->jp_name, "path") == 0 &&
			    realpath(v, real) != NULL)
				same = strcmp(real, have) == 0;
			else
				same = strcmp(v, have) == 0;
			if (!same && diff++ == 0)
				*first = want->jp_name;
			free(v);
			free(have);
		}
	}
	jailparam_free(run, (unsigned)n + 1);
	free(run);
	free(idx);
	return diff;
}

int
params_need_restart(struct cfjail *j, int complain)
{
	const char *first;

	if (params_import(j) < 0)
		return -1;
	/* -mr asks once to choose, the update again: one look suffices. */
	if (j->flags & JF_RDTUN)
		return 0;
	if (differing_create_only(j, &first) == 0) {
		j->flags |= JF_RDTUN;
		return 0;
	}
	if (complain) {
		jail_warnx(j, "%s cannot be changed after creation", first);
		return -1;
	}
	return 1;
}

int
params_update(struct cfjail *j)
{
	struct jailparam *jp;
	unsigned n = 0;
	int jid;

	if (params_import(j) < 0)
		return -1;
	/* Create-only parameters equal to the running jail's are left out. */
	jp = emalloc(((size_t)j->njp + 1) * sizeof(*jp));
	for (int i = 0; i < j->njp; i++)
		if (!is_create_only(&j->jp[i]) ||
		    strcmp(j->jp[i].jp_name, "jid") == 0)
			jp[n++] = j->jp[i];
	jid = jailparam_set(jp, n, JAIL_UPDATE);
	trace_set(j, jp, n, JAIL_UPDATE, jid);
	free(jp);
	if (jid < 0) {
		jail_warnx(j, "%s", jail_errmsg);
		return -1;
	}
	j->jid = jid;
	return 0;
}

int
params_remove(struct cfjail *j)
{
	if (jail_remove(j->jid) < 0) {
		/* Gone already: its last process left, or someone removed it. */
		if (errno == EINVAL || errno == ENOENT)
			return 0;
		jail_warnx(j, "jail_remove: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void
params_lookup(struct cfjail *j)
{
	const char *key = params_key(j);
	int jid;

	j->jid = 0;
	if (key == NULL)
		return;
	if ((jid = jail_getid(key)) > 0)
		j->jid = jid;
}

/* One parameter as a jail(8) argument: name=value, or a boolean word. */
static void
print_param(FILE *fp, const struct cfparam *p)
{
	char *v;

	if (p->flags & PF_BOOL) {
		print_bool(fp, p->name, cf_bool(p));
		return;
	}
	fputs(p->name, fp);
	if (p->nval == 0)
		return;
	putc('=', fp);
	v = joined(p);
	quoted_print(fp, v);
	free(v);
}

/* The command line of command=, for the file of the old form. */
static char *
command_line(const struct cfjail *j)
{
	const struct cfparam *c = j->ip[IP_COMMAND];
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);

	if (f == NULL)
		err(1, "open_memstream");
	for (int i = 0; c != NULL && i < c->nval; i++)
		fprintf(f, "%s%s", i > 0 ? " " : "", c->val[i]);
	if (fclose(f) != 0)
		err(1, "open_memstream");
	return line;
}

/* The old form's line: jid, path, hostname, addresses, command. */
static void
write_legacy(FILE *fp, const struct cfjail *j)
{
	const char *path = cf_string(cfjail_find(j, "path"));
	const char *host = cf_string(cfjail_find(j, "host.hostname"));
	const struct cfparam *p4 = cfjail_find(j, "ip4.addr");
	const struct cfparam *p6 = cfjail_find(j, "ip6.addr");
	char *a4 = p4 != NULL ? joined(p4) : NULL;
	char *a6 = p6 != NULL ? joined(p6) : NULL;
	char *line = command_line(j);

	fprintf(fp, "%d\t", j->jid);
	quoted_print(fp, path != NULL ? path : "");
	putc('\t', fp);
	quoted_print(fp, host != NULL ? host : "");
	fprintf(fp, "\t%s%s%s\t", a4 != NULL ? a4 : "",
	    a4 != NULL && a6 != NULL && *a4 != '\0' ? "," : "",
	    a6 != NULL ? a6 : "");
	quoted_print(fp, line);
	putc('\n', fp);
	free(line);
	free(a4);
	free(a6);
}

/*
 * -J: the jail's parameters on one line, tab-separated, in the jail(8)
 * argument form: jid first, then the parameters as they were given (name
 * and path added when they were not).
 */
void
params_write_jfile(FILE *fp, struct cfjail *j, int legacy)
{
	char *name, *path;

	if (legacy) {
		write_legacy(fp, j);
		return;
	}
	fprintf(fp, "jid=%d", j->jid);
	name = jail_getname(j->jid);
	if (cfjail_find(j, "name") == NULL) {
		fputs("\tname=", fp);
		quoted_print(fp, name != NULL ? name : j->name != NULL ?
		    j->name : "");
	}
	free(name);
	if (cfjail_find(j, "path") == NULL) {
		char buf[32];
		struct jailparam jp[2];

		path = NULL;
		snprintf(buf, sizeof(buf), "%d", j->jid);
		if (jailparam_init(&jp[0], "jid") == 0 &&
		    jailparam_init(&jp[1], "path") == 0 &&
		    jailparam_import(&jp[0], buf) == 0 &&
		    jailparam_get(jp, 2, 0) > 0)
			path = jailparam_export(&jp[1]);
		jailparam_free(jp, 2);
		fputs("\tpath=", fp);
		quoted_print(fp, path != NULL ? path : "");
		free(path);
	}
	for (int i = 0; i < j->nparams; i++) {
		const struct cfparam *p = &j->params[i];

		if ((p->flags & PF_VAR) || strcmp(p->name, "jid") == 0)
			continue;
		putc('\t', fp);
		if (p->ip == IP_COMMAND) {
			char *line = command_line(j);

			fputs("command=", fp);
			quoted_print(fp, line);
			free(line);
			continue;
		}
		if (p->ip >= 0 && (intparams[p->ip].flags & IPF_LIST) &&
		    p->nval > 1) {
			/* One argument per command string. */
			for (int k = 0; k < p->nval; k++) {
				fprintf(fp, "%s%s=", k > 0 ? "\t" : "",
				    p->name);
				quoted_print(fp, p->val[k]);
			}
			continue;
		}
		print_param(fp, p);
	}
	putc('\n', fp);
	if (fflush(fp) != 0 || ferror(fp))
		warn("jid file");
}
