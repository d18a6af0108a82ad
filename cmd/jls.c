/*
 * jls(8): list jails and their parameters.
 *
 *	jls [--libxo fmt] [-cdhNnqsv] [-j jail] [param ...]
 *
 * Jails are walked in jid order with jail_get(2)'s "lastjid" key.  Without
 * parameters a fixed table is printed (or with -v a longer summary); with
 * parameters, or with -h/-n/-s, one line per jail of the values asked for.
 * The text is FreeBSD's jls's, column for column.  "--libxo json" gives
 * the same information as JSON, byte for byte as FreeBSD's jls writes it
 * through libxo (its field names and types, its separators, "pretty"
 * included); libxo's other styles are not offered.
 *
 * The one difference in what is printed: a jail's root chooses some of it
 * (its host name, the parameters of jails it creates), so bytes that could
 * drive a terminal are never printed raw, see vis() and json_string().
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "jail.h"

/* What to print: FreeBSD's PRINT_* flags, and ours. */
#define	P_DEFAULT	0x0001	/* the JID/IP/Hostname/Path table */
#define	P_VERBOSE	0x0002	/* -v */
#define	P_HEADER	0x0004	/* -h */
#define	P_NAMEVAL	0x0008	/* -n */
#define	P_QUOTED	0x0010	/* -q */
#define	P_SKIP		0x0020	/* -s */
#define	P_JAILNAME	0x0040	/* -N */
#define	P_CHECK		0x0100	/* -c */

/* Per-parameter flags. */
#define	PF_USER		0x01	/* asked for: printed */

static struct jailparam *params;
static unsigned *pflags;
static int *pparent;		/* index of the jailsys parent, or -1 */
static int nparams;
static int pflag;

static int json;		/* --libxo json */
static int pretty;		/* --libxo json,pretty */

static void __attribute__((noreturn))
usage(void)
{
	/* FreeBSD's words, through its err(3)-style libxo call. */
	errx(1, "usage: jls [-dhNnqv] [-j jail] [param ...]");
}

static int
find_param(const char *name)
{
	for (int i = 0; i < nparams; i++)
		if (strcmp(params[i].jp_name, name) == 0)
			return i;
	return -1;
}

static int
is_readonly(const struct jailparam *jp)
{
	return (jp->jp_ctltype & (CTLFLAG_WR | CTLFLAG_TUN)) == 0;
}

/*
 * Add NAME to the parameters fetched for every jail; with PF_USER it is
 * also printed.  A name already present is not fetched twice.  Returns its
 * index, or -1 when -s leaves it out.
 */
static int
add_param(const char *name, unsigned flags)
{
	struct jailparam jp;
	int i;

	if ((i = find_param(name)) >= 0) {
		pflags[i] |= flags;
		return i;
	}
	if (jailparam_init(&jp, name) < 0)
		errx(1, "%s", jail_errmsg);
	/* jail(8) cannot set what is read-only: -s does not show it. */
	if ((flags & PF_USER) && (pflag & P_SKIP) && is_readonly(&jp)) {
		jailparam_free(&jp, 1);
		return -1;
	}
	if (nparams == INT_MAX)
		errx(1, "too many parameters");
	params = reallocarray(params, (size_t)nparams + 1, sizeof(*params));
	pflags = reallocarray(pflags, (size_t)nparams + 1, sizeof(*pflags));
	pparent = reallocarray(pparent, (size_t)nparams + 1, sizeof(*pparent));
	if (params == NULL || pflags == NULL || pparent == NULL)
		err(1, "malloc");
	params[nparams] = jp;
	pflags[nparams] = flags;
	pparent[nparams] = -1;
	return nparams++;
}

/*
 * FreeBSD's jls orders "all" this way, whatever order the kernel lists
 * the parameters in: top-level names first, then the others, each group
 * by strcmp(3).
 */
static int
all_order(const void *a, const void *b)
{
	const struct jailparam *pa = a, *pb = b;
	int da = strchr(pa->jp_name, '.') != NULL;
	int db = strchr(pb->jp_name, '.') != NULL;

	if (da != db)
		return da - db;
	return strcmp(pa->jp_name, pb->jp_name);
}

static void
add_all(unsigned flags)
{
	struct jailparam *all;
	int n;

	if ((n = jailparam_all(&all)) < 0)
		errx(1, "%s", jail_errmsg);
	qsort(all, (size_t)n, sizeof(*all), all_order);
	for (int i = 0; i < n; i++)
		add_param(all[i].jp_name, flags);
	jailparam_free(all, (unsigned)n);
	free(all);
}

/*
 * -s leaves out a parameter whose jailsys parent is not "new": ip4.addr
 * means nothing under ip4=inherit, nor host.hostname under host=inherit.
 * Fetch the parents of the user's parameters to decide that per jail.
 */
static void
add_parents(void)
{
	int n = nparams;
	char *buf, *dot;

	for (int i = 0; i < n; i++) {
		if (!(pflags[i] & PF_USER))
			continue;
		if ((buf = strdup(params[i].jp_name)) == NULL)
			err(1, "strdup");
		while ((dot = strrchr(buf, '.')) != NULL) {
			struct jailparam probe;
			int p;

			*dot = '\0';
			if (jailparam_init(&probe, buf) < 0)
				continue;
			p = (probe.jp_flags & JP_JAILSYS) ? 0 : -1;
			jailparam_free(&probe, 1);
			if (p == 0) {
				p = add_param(buf, 0);
				pparent[i] = p;
				break;
			}
		}
		free(buf);
	}
}

/* The integer value of parameter I, 0 if it has none. */
static int
int_value(int i)
{
	if (i < 0 || params[i].jp_value == NULL ||
	    params[i].jp_valuelen < sizeof(int))
		return 0;
	return *(int *)params[i].jp_value;
}

static const char *
str_value(int i)
{
	if (i < 0 || params[i].jp_value == NULL || params[i].jp_valuelen == 0)
		return "";
	/* jail_get gives NUL-terminated strings; trust it no further. */
	((char *)params[i].jp_value)[params[i].jp_valuelen - 1] = '\0';
	return params[i].jp_value;
}

/*
 * S as text that cannot drive a terminal: a jail's root sets its own host
 * and domain names, and could make them escape sequences for whoever runs
 * jls.  Printable ASCII stays, a backslash is doubled and every other byte
 * becomes \ooo, as strvis(3) with VIS_OCTAL writes it.  (FreeBSD's jls
 * prints values raw.)  The result lives until four more calls (one table
 * row needs three).
 */
static const char *
vis(const char *s)
{
	static char *ring[4];
	static unsigned next;
	char **slot = &ring[next++ % 4], *d;

	free(*slot);
	if ((*slot = d = malloc(strlen(s) * 4 + 1)) == NULL)
		err(1, "malloc");
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0';
	    p++) {
		if (*p == '\\') {
			*d++ = '\\';
			*d++ = '\\';
		} else if (*p >= 0x20 && *p < 0x7f)
			*d++ = (char)*p;
		else
			d += sprintf(d, "\\%03o", *p);
	}
	*d = '\0';
	return *slot;
}

static int
is_bool(const struct jailparam *jp)
{
	return (jp->jp_flags & (JP_BOOL | JP_NOBOOL)) != 0;
}

static int
is_addr_list(const struct jailparam *jp)
{
	return strcmp(jp->jp_name, "ip4.addr") == 0 ||
	    strcmp(jp->jp_name, "ip6.addr") == 0;
}

static int
is_list(const struct jailparam *jp)
{
	return (jp->jp_ctltype & CTLTYPE) == CTLTYPE_STRUCT;
}

static int
is_missing_key(const struct jailparam *jp)
{
	return (jp->jp_flags & JP_KEYVALUE) && jp->jp_valuelen == 0;
}

static int
bool_value(const struct jailparam *jp)
{
	return jp->jp_value != NULL && jp->jp_valuelen >= sizeof(int) &&
	    *(int *)jp->jp_value != 0;
}

/*
 * The jail(8) word for a boolean, into BUF: "persist" or "nopersist",
 * "allow.mount" or "allow.nomount", "allow.mount.notmpfs".  The value
 * jail_get gives is that of the name as asked, so "nopersist" is 1 for a
 * jail without persist.  Built by hand, not with a printf: jls -n prints
 * dozens of these for every jail.
 */
static const char *
bool_word(const struct jailparam *jp, char *buf, size_t size)
{
	const char *name = jp->jp_name, *last;
	int v = bool_value(jp);
	size_t pre, len;

	if ((last = strrchr(name, '.')) != NULL)
		last++;
	else
		last = name;
	if (jp->jp_flags & JP_NOBOOL) {
		/* Asked as "noX": the positive value is the inverse. */
		v = !v;
		if (strncmp(last, "no", 2) == 0)
			last += 2;
	}
	pre = (size_t)(strrchr(name, '.') != NULL ?
	    strrchr(name, '.') + 1 - name : 0);
	len = strlen(last);
	if (pre + 2 + len >= size)
		errx(1, "%s: parameter name too long", name);
	memcpy(buf, name, pre);
	if (!v)
		memcpy(buf + pre, "no", 2);
	memcpy(buf + pre + (v ? 0 : 2), last, len + 1);
	return buf;
}

/* The value as jailparam_export(3) gives it: booleans as true/false. */
static char *
value_string(struct jailparam *jp)
{
	char *v;

	if (is_bool(jp))
		v = strdup(bool_value(jp) ? "true" : "false");
	else if ((v = jailparam_export(jp)) == NULL)
		errx(1, "%s", jail_errmsg);
	if (v == NULL)
		err(1, "strdup");
	return v;
}

/*
 * JSON as libxo writes it.  libxo escapes only '"', '\\', newline and
 * carriage return in a string; every other byte below 0x20, DEL and the
 * C1 controls are written here as \u escapes (libxo would write them raw,
 * which is neither valid JSON nor safe on a terminal), and a byte that is
 * not part of well-formed UTF-8 likewise.
 */
static void
json_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putchar('"');
	while (*p != '\0') {
		unsigned char c = *p;
		size_t n = 0;

		switch (c) {
		case '"':	fputs("\\\"", stdout); p++; continue;
		case '\\':	fputs("\\\\", stdout); p++; continue;
		case '\b':	fputs("\\b", stdout); p++; continue;
		case '\f':	fputs("\\f", stdout); p++; continue;
		case '\n':	fputs("\\n", stdout); p++; continue;
		case '\r':	fputs("\\r", stdout); p++; continue;
		case '\t':	fputs("\\t", stdout); p++; continue;
		}
		if (c < 0x20 || c == 0x7f) {
			printf("\\u%04x", c);
			p++;
			continue;
		}
		if (c < 0x80) {
			putchar(c);
			p++;
			continue;
		}
		/* Pass well-formed UTF-8 through; escape stray bytes. */
		if (c >= 0xc2 && c <= 0xdf)
			n = 1;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3;
		for (size_t k = 1; k <= n; k++)
			if ((p[k] & 0xc0) != 0x80) {
				n = 0;
				break;
			}
		if (n == 2 && ((c == 0xe0 && p[1] < 0xa0) ||
		    (c == 0xed && p[1] >= 0xa0)))
			n = 0;	/* overlong, or a surrogate */
		if (n == 3 && ((c == 0xf0 && p[1] < 0x90) ||
		    (c == 0xf4 && p[1] >= 0x90)))
			n = 0;
		/* C1 controls (U+0080-U+009F) drive terminals as ESC does. */
		if (n == 1 && c == 0xc2 && p[1] < 0xa0) {
			printf("\\u%04x", p[1]);
			p += 2;
			continue;
		}
		if (n == 0) {
			printf("\\u%04x", c);
			p++;
			continue;
		}
		fwrite(p, 1, n + 1, stdout);
		p += n + 1;
	}
	putchar('"');
}

/*
 * libxo's JSON layout.  Each open level remembers whether it holds a
 * member yet.  Leaves are separated by "," and written "name":value;
 * a container, list or list instance opened after a sibling is preceded
 * by ", " and written "name": {.  With "pretty" every member is on a line
 * of its own, indented two spaces a level, and a leaf is "name": value.
 */
#define	JSON_DEPTH	8
static int jdepth;
static int jnotfirst[JSON_DEPTH];

static void
json_indent(void)
{
	if (pretty)
		printf("%*s", 2 * jdepth, "");
}

/* Open an object ('{') or list ('['), named unless it is a list item. */
static void
json_open(const char *name, int bracket)
{
	if (jnotfirst[jdepth])
		fputs(pretty ? ",\n" : ", ", stdout);
	jnotfirst[jdepth] = 1;
	json_indent();
	if (name != NULL) {
		json_string(name);
		fputs(": ", stdout);
	}
	putchar(bracket);
	if (pretty)
		putchar('\n');
	jnotfirst[++jdepth] = 0;
}

static void
json_close(int bracket)
{
	if (pretty && jnotfirst[jdepth])
		putchar('\n');
	jdepth--;
	json_indent();
	putchar(bracket);
}

/* Before a member or item: the comma after the one before it. */
static void
json_next(void)
{
	if (jnotfirst[jdepth]) {
		putchar(',');
		if (pretty)
			putchar('\n');
	}
	jnotfirst[jdepth] = 1;
	json_indent();
}

/* Start a leaf member; the caller prints its value. */
static void
json_key(const char *name)
{
	json_next();
	json_string(name);
	fputs(pretty ? ": " : ":", stdout);
}

/* One item of a list of strings (libxo's "l" modifier). */
static void
json_list_item(const char *s)
{
	json_next();
	json_string(s);
}

/* The top object, opened as libxo does at its first container. */
static void
json_begin(void)
{
	fputs(pretty ? "{\n  \"__version\": \"2\", \n" :
	    "{\"__version\": \"2\", ", stdout);
	jdepth = 1;
	jnotfirst[1] = 0;
	json_open("jail-information", '{');
	json_open("jail", '[');
}

static void
json_end(void)
{
	json_close(']');
	json_close('}');
	if (pretty && jnotfirst[1])
		putchar('\n');
	fputs("}\n", stdout);
}

/*
 * Addresses of parameter I as a JSON list named NAME; each item is an
 * "ipv4_addr"/"ipv6_addr" leaf-list field in FreeBSD's jls, which in
 * JSON is just the string.
 */
static void
json_addr_list(const char *name, int i, int family)
{
	size_t esz = family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	char buf[INET6_ADDRSTRLEN];

	json_open(name, '[');
	for (size_t k = 0; i >= 0 && params[i].jp_value != NULL &&
	    k < params[i].jp_valuelen / esz; k++)
		if (inet_ntop(family, (char *)params[i].jp_value + k * esz,
		    buf, sizeof(buf)) != NULL)
			json_list_item(buf);
	json_close(']');
}

static int
addr_family(const struct jailparam *jp)
{
	return strcmp(jp->jp_name, "ip6.addr") == 0 ? AF_INET6 : AF_INET;
}

static int
skipped(int i)
{
	return (pflag & P_SKIP) && pparent[i] >= 0 &&
	    int_value(pparent[i]) != JAIL_SYS_NEW;
}

/*
 * -q: a value with a space, tab or quote is put in quotes, as FreeBSD's
 * jls does and no more: double quotes if it holds a single quote, else
 * single quotes if it holds a double quote.  The choice is made on the
 * raw value, the printing on its vis() form.
 */
static void
print_value(const char *raw)
{
	int qc = strchr(raw, '\'') != NULL ? '"' :
	    strchr(raw, '"') != NULL ? '\'' :
	    strpbrk(raw, " \t") != NULL ? '"' : 0;

	if (*raw == '\0') {
		fputs("\"\"", stdout);
		return;
	}
	if (qc != 0 && (pflag & P_QUOTED))
		putchar(qc);
	fputs(vis(raw), stdout);
	if (qc != 0 && (pflag & P_QUOTED))
		putchar(qc);
}

/* One line (or JSON object) of the parameters asked for. */
static void
print_params(void)
{
	int first = 1;

	if (json)
		json_open(NULL, '{');
	for (int i = 0; i < nparams; i++) {
		struct jailparam *jp = &params[i];
		char *v, word[128];

		if (!(pflags[i] & PF_USER) || skipped(i))
			continue;
		if (!json && !first)
			putchar(' ');
		first = 0;
		if (is_missing_key(jp)) {
			/* A meta.KEY that is not set: "meta.KEY" deletes it. */
			if (!json && (pflag & P_NAMEVAL))
				fputs(vis(jp->jp_name), stdout);
			continue;
		}
		if ((pflag & P_NAMEVAL) && is_bool(jp)) {
			if (json) {
				/*
				 * FreeBSD's jls writes true for a "noX"
				 * asked for, whatever its value.
				 */
				json_key(jp->jp_name);
				fputs(bool_value(jp) ||
				    (jp->jp_flags & JP_NOBOOL) ? "true" :
				    "false", stdout);
			} else {
				fputs(vis(bool_word(jp, word,
				    sizeof(word))), stdout);
			}
			continue;
		}
		if (json && is_addr_list(jp)) {
			json_addr_list(jp->jp_name, i, addr_family(jp));
			continue;
		}
		if (!json && (pflag & P_NAMEVAL))
			printf("%s=", vis(jp->jp_name));
		if (!json && is_list(jp) && jp->jp_valuelen == 0) {
			/* FreeBSD's jls: "" with -q, else "-" unless -n. */
			if (pflag & P_QUOTED)
				fputs("\"\"", stdout);
			else if (!(pflag & P_NAMEVAL))
				putchar('-');
			continue;
		}
		v = value_string(jp);
		if (json) {
			json_key(jp->jp_name);
			json_string(v);
		} else
			print_value(v);
		free(v);
	}
	if (json)
		json_close('}');
	else
		putchar('\n');
}

struct fixed {
	int	jid, name, hostname, path, ip4, ip6, dying, cpuset;
};

static void
print_addrs(int i, int family)
{
	size_t esz = family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	char buf[INET6_ADDRSTRLEN];

	for (size_t k = 0; i >= 0 && params[i].jp_value != NULL &&
	    k < params[i].jp_valuelen / esz; k++)
		if (inet_ntop(family, (char *)params[i].jp_value + k * esz,
		    buf, sizeof(buf)) != NULL)
			printf("%8s%s\n", "", buf);
}

/* The default table's row and -v's summary, as text or JSON. */
static void
print_fixed(const struct fixed *f, int jid)
{
	char ip[INET_ADDRSTRLEN] = "";

	if (pflag & P_VERBOSE) {
		const char *state = int_value(f->dying) ? "DYING" : "ACTIVE";

		if (!json) {
			printf("%6d  %-29.29s %.74s\n", jid,
			    vis(str_value(f->hostname)),
			    vis(str_value(f->path)));
			printf("%8s%-29.29s %.74s\n", "",
			    vis(str_value(f->name)), state);
			printf("%8s%d\n", "", int_value(f->cpuset));
			print_addrs(f->ip4, AF_INET);
			print_addrs(f->ip6, AF_INET6);
			return;
		}
		json_open(NULL, '{');
		json_key("jid");
		printf("%d", jid);
		json_key("hostname");
		json_string(str_value(f->hostname));
		json_key("path");
		json_string(str_value(f->path));
		json_key("name");
		json_string(str_value(f->name));
		json_key("state");
		json_string(state);
		json_key("cpusetid");
		printf("%d", int_value(f->cpuset));
		json_addr_list("ipv4_addrs", f->ip4, AF_INET);
		json_addr_list("ipv6_addrs", f->ip6, AF_INET6);
		json_close('}');
		return;
	}
	if (params[f->ip4].jp_value != NULL &&
	    params[f->ip4].jp_valuelen >= sizeof(struct in_addr))
		inet_ntop(AF_INET, params[f->ip4].jp_value, ip, sizeof(ip));
	if (json) {
		json_open(NULL, '{');
		if (pflag & P_JAILNAME) {
			json_key("name");
			json_string(str_value(f->name));
		} else {
			json_key("jid");
			printf("%d", jid);
		}
		json_key("ipv4");
		json_string(ip);
		json_key("hostname");
		json_string(str_value(f->hostname));
		json_key("path");
		json_string(str_value(f->path));
		json_close('}');
		return;
	}
	if (pflag & P_JAILNAME)
		printf(" %-15s ", vis(str_value(f->name)));
	else
		printf("%6d  ", jid);
	printf("%-15.15s %-29.29s %.74s\n", ip, vis(str_value(f->hostname)),
	    vis(str_value(f->path)));
}

/* The header, printed before any jail is looked up, as FreeBSD's is. */
static void
print_header(void)
{
	int first = 1;

	if (json || (pflag & P_CHECK))
		return;
	if (pflag & P_VERBOSE) {
		printf("   JID  Hostname                      Path\n"
		    "        Name                          State\n"
		    "        CPUSetID\n"
		    "        IP Address(es)\n");
		return;
	}
	if (pflag & P_DEFAULT) {
		if (pflag & P_JAILNAME)
			printf(" %-15s %-15s %-29s %s\n", "JID", "IP Address",
			    "Hostname", "Path");
		else
			printf("   JID  IP Address      Hostname"
			    "                      Path\n");
		return;
	}
	if (!(pflag & P_HEADER))
		return;
	for (int i = 0; i < nparams; i++)
		if (pflags[i] & PF_USER) {
			printf("%s%s", first ? "" : " ", vis(params[i].jp_name));
			first = 0;
		}
	putchar('\n');
}

/*
 * libxo's options: "--libxo FMT", "--libxo=FMT" or "--libxo:FLAGS",
 * anywhere before "--".  Only json (with pretty) and text are offered.
 * The arguments are removed from argv.
 */
static void
libxo_args(int *argcp, char **argv)
{
	int argc = *argcp, out = 1;

	for (int i = 1; i < argc; i++) {
		char *opts, *copy, *tok, *save = NULL;
		int colon = 0;

		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strncmp(argv[i], "--libxo", 7) != 0) {
			argv[out++] = argv[i];
			continue;
		}
		if (argv[i][7] == '\0') {
			if (i + 1 >= argc)
				usage();
			opts = argv[++i];
		} else if (argv[i][7] == '=')
			opts = argv[i] + 8;
		else if (argv[i][7] == ':') {
			opts = argv[i] + 8;
			colon = 1;
		} else
			usage();
		if (*opts == '\0')
			errx(1, "--libxo: no output format given");
		if (colon) {
			/* Single letters: J json, P pretty, T text. */
			for (const char *c = opts; *c != '\0'; c++)
				if (*c == 'J')
					json = 1;
				else if (*c == 'P')
					pretty = 1;
				else if (*c == 'T')
					json = 0;
				else
					errx(1, "--libxo: unsupported flag "
					    "'%c': only J (json), P (pretty) "
					    "and T (text) are available", *c);
			continue;
		}
		if ((copy = strdup(opts)) == NULL)
			err(1, "strdup");
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (strcmp(tok, "json") == 0)
				json = 1;
			else if (strcmp(tok, "pretty") == 0)
				pretty = 1;
			else if (strcmp(tok, "text") == 0)
				json = 0;
			else {
				warnx("--libxo: unsupported format or option "
				    "\"%s\": only json, pretty and text are "
				    "available", tok);
				exit(1);
			}
		}
		free(copy);
	}
	argv[out] = NULL;
	*argcp = out;
}

/* jail_get's message names the jid of a jail that vanished mid-walk. */
static int
vanished_jid(int last)
{
	int n;

	if (sscanf(jail_errmsg, "jail %d ", &n) == 1 && n > last)
		return n;
	return -1;
}

/*
 * -p PID (ours: FreeBSD has ps -J and ps -o jid): the jid of the jail the
 * process is in, into BUF, as -j would take it.  With -c, no such process
 * or jail is an exit status of 1, quietly.
 */
static const char *
jail_of_pid(const char *arg, char *buf, size_t len)
{
	char *end;
	long pid;
	int jid;

	errno = 0;
	pid = strtol(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end != '\0' || errno != 0 ||
	    pid <= 0 || pid > INT_MAX)
		errx(1, "%s: not a process id", arg);
	if ((jid = jail_pid_getid((pid_t)pid)) <= 0) {
		if (pflag & P_CHECK)
			exit(1);
		if (jid < 0)
			errx(1, "%s", jail_errmsg);
		errx(1, "process %ld is not in a jail", pid);
	}
	snprintf(buf, len, "%d", jid);
	return buf;
}

/*
 * An error after the header: like FreeBSD's libxo, close the JSON so far
 * (an empty or partial list) before the message.
 */
static void __attribute__((noreturn))
fail(const char *msg)
{
	if (json && !(pflag & P_CHECK))
		json_end();
	fflush(stdout);
	errx(1, "%s", msg);
}

static void __attribute__((noreturn))
not_found(const char *name)
{
	char *msg;

	if (asprintf(&msg, "jail \"%s\" not found", name) < 0)
		err(1, "asprintf");
	fail(msg);
}

int
main(int argc, char **argv)
{
	struct fixed f = { -1, -1, -1, -1, -1, -1, -1, -1 };
	const char *jail = NULL;
	int ch, jflags = 0, key, lastjid = 0, jid, found = 0, single = 0;
	char buf[32], pidjail[16];
	const char *pid = NULL;

	libxo_args(&argc, argv);
	/* As FreeBSD's: later options cancel earlier ones they conflict with. */
	while ((ch = getopt(argc, argv, "+:acdhj:Nnp:qsv")) != -1) {
		switch (ch) {
		case 'c':
			pflag |= P_CHECK;
			break;
		case 'a':	/* FreeBSD's old name for -d */
		case 'd':
			jflags |= JAIL_DYING;
			break;
		case 'h':
			pflag = (pflag & ~(P_SKIP | P_VERBOSE)) | P_HEADER;
			break;
		case 'j':
			jail = optarg;
			break;
		case 'N':
			pflag |= P_JAILNAME;
			break;
		case 'n':
			pflag = (pflag & ~P_VERBOSE) | P_NAMEVAL;
			break;
		case 'p':
			pid = optarg;
			break;
		case 'q':
			pflag |= P_QUOTED;
			break;
		case 's':
			pflag = (pflag & ~(P_HEADER | P_VERBOSE)) |
			    P_NAMEVAL | P_QUOTED | P_SKIP;
			break;
		case 'v':
			pflag = (pflag & ~(P_HEADER | P_NAMEVAL | P_SKIP)) |
			    P_VERBOSE;
			break;
		case ':':
			warnx("option requires an argument -- %c", optopt);
			usage();
		default:
			warnx("illegal option -- %c", optopt);
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (pid != NULL && jail != NULL)
		usage();
	if (pid != NULL)
		jail = jail_of_pid(pid, pidjail, sizeof(pidjail));

	/* What to print decides what to fetch. */
	if (argc == 0 && (pflag & (P_HEADER | P_NAMEVAL))) {
		add_all(PF_USER);
	} else if (argc == 0) {
		/* -v shows the jid whatever -N says, as FreeBSD's does. */
		if (!(pflag & P_VERBOSE))
			pflag |= P_DEFAULT;
		f.jid = add_param("jid", 0);
		f.name = add_param("name", 0);
		f.hostname = add_param("host.hostname", 0);
		f.path = add_param("path", 0);
		f.ip4 = add_param("ip4.addr", 0);
		if (pflag & P_VERBOSE) {
			f.ip6 = add_param("ip6.addr", 0);
			f.dying = add_param("dying", 0);
			f.cpuset = add_param("cpuset.id", 0);
		}
	} else {
		pflag &= ~P_VERBOSE;
		for (int i = 0; i < argc; i++)
			if (strcmp(argv[i], "all") == 0)
				add_all(PF_USER);
			else
				add_param(argv[i], PF_USER);
	}
	if (pflag & P_SKIP)
		add_parents();

	/* The key: a jid or name with -j, else lastjid to walk them all. */
	if (jail != NULL) {
		char *end;
		long n;

		errno = 0;
		n = strtol(jail, &end, 10);
		single = 1;
		if (*jail >= '0' && *jail <= '9' && *end == '\0' &&
		    errno == 0 && n > 0 && n <= INT_MAX) {
			key = add_param("jid", 0);
			snprintf(buf, sizeof(buf), "%ld", n);
			if (jailparam_import(&params[key], buf) < 0)
				errx(1, "%s", jail_errmsg);
		} else {
			key = add_param("name", 0);
			if (*jail == '\0' ||
			    jailparam_import(&params[key], jail) < 0) {
				if (pflag & P_CHECK)
					return 1;
				print_header();
				if (json)
					json_begin();
				not_found(jail);
			}
		}
	} else
		key = add_param("lastjid", 0);

	/* FreeBSD's jls prints the header before it looks for any jail. */
	print_header();
	if (json && !(pflag & P_CHECK))
		json_begin();

	for (;;) {
		if (!single) {
			snprintf(buf, sizeof(buf), "%d", lastjid);
			if (jailparam_import(&params[key], buf) < 0)
				fail(jail_errmsg);
		}
		jid = jailparam_get(params, (unsigned)nparams, jflags);
		if (jid < 0) {
			int gone;

			if (single) {
				if (pflag & P_CHECK)
					return 1;
				if (errno == ENOENT &&
				    strcmp(jail_errmsg, "no jail specified") == 0)
					not_found(jail);
				fail(jail_errmsg);
			}
			if (errno == ENOENT &&
			    strncmp(jail_errmsg, "no jail after", 13) == 0)
				break;
			/* A jail that went away between two calls: skip it. */
			if (errno == ENOENT && (gone = vanished_jid(lastjid)) > 0) {
				lastjid = gone;
				continue;
			}
			if (errno == ENOENT)
				break;
			fail(jail_errmsg);
		}
		found = 1;
		if (pflag & P_CHECK)
			break;		/* one jail is enough to answer */
		if (f.jid >= 0)
			print_fixed(&f, jid);
		else
			print_params();
		if (single)
			break;
		lastjid = jid;
	}
	if (pflag & P_CHECK)
		return found ? 0 : 1;
	if (json)
		json_end();
	if (fflush(stdout) != 0 || ferror(stdout))
		err(1, "stdout");
	return 0;
}
