/*
 * jls(8): list jails.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "jail.h"

#define	F_VERBOSE	0x01
#define	F_NAMEVAL	0x02
#define	F_QUOTE		0x04
#define	F_SKIP		0x08	/* -s: only what jail(8) can set */
#define	F_HEADER	0x10
#define	F_NAMES		0x20	/* -N */
#define	F_JSON		0x40

static struct jailparam *params;
static int nparams, user_params, flags;
static int json_first = 1;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: jls [--libxo fmt] [-dhNnqsv] [-j jail] "
	    "[param ...]\n");
	exit(1);
}

static int
add_param(const char *name)
{
	if ((params = realloc(params, sizeof(*params) * (size_t)(nparams + 1))) ==
	    NULL)
		err(1, "realloc");
	if (jailparam_init(&params[nparams], name) < 0)
		errx(1, "%s", jail_errmsg);
	return nparams++;
}

static void
add_all(void)
{
	struct jailparam *all;
	int n = jailparam_all(&all);

	if (n < 0)
		errx(1, "%s", jail_errmsg);
	for (int i = 0; i < n; i++)
		add_param(all[i].jp_name);
	jailparam_free(all, (unsigned)n);
	free(all);
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
is_bool(const struct jailparam *jp)
{
	return (jp->jp_flags & JP_BOOL) != 0;
}

/* Does V need quotes in -q form: empty, or spaces, quotes, specials. */
static int
needs_quotes(const char *v)
{
	return *v == '\0' || strpbrk(v, " \t\n\"'\\$`;&|<>(){}[]*?!#~") != NULL;
}

static void
print_quoted(const char *v)
{
	putchar('"');
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\' || *v == '$' || *v == '`')
			putchar('\\');
		putchar(*v);
	}
	putchar('"');
}

static void
json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* The bare boolean name: "persist" or "nopersist", "allow.mount.notmpfs". */
static void
bool_word(const struct jailparam *jp, int v, char *buf, size_t len)
{
	const char *name = jp->jp_name, *dot;
	size_t pre;
	int neg = (jp->jp_flags & JP_NOBOOL) != 0;

	if (neg) {
		/* Strip the "no" the user gave: we print from the value. */
		dot = strrchr(name, '.');
		pre = dot ? (size_t)(dot - name) + 1 : 0;
		snprintf(buf, len, "%.*s%s%s", (int)pre, name, v ? "" : "no",
		    name + pre + 2);
		return;
	}
	dot = strrchr(name, '.');
	pre = dot ? (size_t)(dot - name) + 1 : 0;
	snprintf(buf, len, "%.*s%s%s", (int)pre, name, v ? "" : "no", name + pre);
}

static void
print_param(struct jailparam *jp, int first)
{
	char *v, word[300];

	if (!first)
		putchar(' ');
	if ((jp->jp_flags & JP_KEYVALUE) && jp->jp_valuelen == 0) {
		/* A meta.KEY that is not set. */
		if (flags & F_SKIP)
			fputs(jp->jp_name, stdout);
		return;
	}
	if (is_bool(jp) && (flags & F_NAMEVAL) && jp->jp_value != NULL) {
		int b = *(int *)jp->jp_value;

		if (jp->jp_flags & JP_NOBOOL)
			b = !b;
		bool_word(jp, b, word, sizeof(word));
		fputs(word, stdout);
		return;
	}
	if ((v = jailparam_export(jp)) == NULL)
		v = strdup("");
	if (flags & F_NAMEVAL)
		printf("%s=", jp->jp_name);
	if ((flags & F_NAMEVAL) && *v == '\0' &&
	    (jp->jp_ctltype & CTLTYPE) == CTLTYPE_STRING)
		fputs("\"\"", stdout);
	else if ((flags & F_QUOTE) && needs_quotes(v))
		print_quoted(v);
	else
		fputs(v, stdout);
	free(v);
}

static void
print_json(void)
{
	int first = 1;

	printf("%s{", json_first ? "" : ", ");
	json_first = 0;
	for (int i = 0; i < user_params; i++) {
		struct jailparam *jp = &params[i];
		char *v;

		if ((jp->jp_flags & JP_KEYVALUE) && jp->jp_valuelen == 0)
			continue;
		if ((v = jailparam_export(jp)) == NULL)
			continue;
		printf("%s", first ? "" : ", ");
		first = 0;
		json_string(jp->jp_name);
		putchar(':');
		json_string(v);
		free(v);
	}
	putchar('}');
}

static void
print_verbose(int jid)
{
	int ip4 = find_param("ip4.addr"), ip6 = find_param("ip6.addr");
	char *v;

	printf("%6d  %-29.29s %.74s\n", jid,
	    (char *)params[find_param("host.hostname")].jp_value,
	    (char *)params[find_param("path")].jp_value);
	printf("        %-29.29s %.74s\n",
	    (char *)params[find_param("name")].jp_value,
	    *(int *)params[find_param("dying")].jp_value ? "DYING" : "ACTIVE");
	printf("        %-6d\n", *(int *)params[find_param("cpuset.id")].jp_value);
	for (int k = 0; k < 2; k++) {
		struct jailparam *jp = &params[k == 0 ? ip4 : ip6];
		size_t esz = k == 0 ? 4 : 16;
		char buf[INET6_ADDRSTRLEN];

		for (size_t i = 0; jp->jp_value && i < jp->jp_valuelen / esz; i++) {
			inet_ntop(k == 0 ? AF_INET : AF_INET6,
			    (char *)jp->jp_value + i * esz, buf, sizeof(buf));
			printf("        %s\n", buf);
		}
	}
	(void)v;
}

static void
print_default(int jid)
{
	int ip4 = find_param("ip4.addr");
	char addr[INET_ADDRSTRLEN] = "";

	if (params[ip4].jp_value != NULL && params[ip4].jp_valuelen >= 4)
		inet_ntop(AF_INET, params[ip4].jp_value, addr, sizeof(addr));
	if (flags & F_NAMES)
		printf("%-6s  ", (char *)params[find_param("name")].jp_value);
	else
		printf("%6d  ", jid);
	printf("%-15s %-29.29s %.74s\n", addr,
	    (char *)params[find_param("host.hostname")].jp_value,
	    (char *)params[find_param("path")].jp_value);
}

int
main(int argc, char **argv)
{
	const char *only = NULL;
	int ch, jflags = 0, lastjid = 0, jid = 0, named, check = 0, found = 0;
	int lastidx, jididx, nameidx;

	if (argc > 1 && strncmp(argv[1], "--libxo", 7) == 0) {
		const char *fmt = argv[1][7] == '=' ? argv[1] + 8 : argv[2];

		if (fmt == NULL)
			usage();
		if (strncmp(fmt, "json", 4) == 0)
			flags |= F_JSON;
		else if (strncmp(fmt, "text", 4) != 0)
			errx(1, "--libxo: only the json and text formats are "
			    "supported");
		argv += argv[1][7] == '=' ? 1 : 2;
		argc -= argv[0] == NULL ? 0 : 0;
		argc = 1;
		while (argv[argc] != NULL)
			argc++;
		argv[0] = "jls";
	}
	while ((ch = getopt(argc, argv, "+cdhj:Nnqsv")) != -1) {
		switch (ch) {
		case 'c': check = 1; break;
		case 'd': jflags |= JAIL_DYING; break;
		case 'h': flags |= F_HEADER; break;
		case 'j': only = optarg; break;
		case 'N': flags |= F_NAMES; break;
		case 'n': flags |= F_NAMEVAL; break;
		case 'q': flags |= F_QUOTE; break;
		case 's': flags |= F_NAMEVAL | F_QUOTE | F_SKIP; break;
		case 'v': flags |= F_VERBOSE; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "all") == 0)
			add_all();
		else
			add_param(argv[i]);
	}
	user_params = nparams;
	if (user_params == 0 && (flags & (F_NAMEVAL | F_HEADER | F_JSON)) &&
	    !(flags & F_VERBOSE))
		add_all(), user_params = nparams;
	if (flags & F_SKIP) {
		/* jail(8) arguments: only what can be set, not the key jid. */
		int k = 0;

		for (int i = 0; i < nparams; i++) {
			/* Read-only: neither writable nor settable at creation. */
			if (!(params[i].jp_ctltype & (CTLFLAG_WR | CTLFLAG_TUN))) {
				jailparam_free(&params[i], 1);
				continue;
			}
			params[k++] = params[i];
		}
		nparams = user_params = k;
	}
	named = user_params > 0 && !(flags & F_VERBOSE);
	if (!named) {
		/* The default and -v tables need these. */
		static const char *const need[] = { "jid", "name", "path",
		    "host.hostname", "ip4.addr", "ip6.addr", "dying", "cpuset.id" };
		for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
			if (find_param(need[i]) < 0)
				add_param(need[i]);
	}
	jididx = find_param("jid");
	if (only != NULL && jididx < 0)
		jididx = add_param("jid");
	nameidx = find_param("name");
	lastidx = only == NULL ? add_param("lastjid") : -1;

	if ((flags & F_HEADER) && named && !(flags & F_JSON)) {
		for (int i = 0; i < user_params; i++)
			printf("%s%s", i ? " " : "", params[i].jp_name);
		putchar('\n');
	} else if (!named && !(flags & F_VERBOSE) && !check && !(flags & F_JSON))
		printf("   JID  IP Address      Hostname                      Path\n");
	else if ((flags & F_VERBOSE) && !check && !(flags & F_JSON))
		printf("   JID  Hostname                      Path\n"
		       "        Name                          State\n"
		       "        CPUSetID\n"
		       "        IP Address(es)\n");
	if (flags & F_JSON)
		printf("{\"__version\": \"2\", \"jail-information\": {\"jail\": [");

	if (only != NULL) {
		jid = jail_getid(only);
		if (jid < 0) {
			if (check)
				return 1;
			if (flags & F_JSON)
				printf("]}}\n");
			errx(1, "jail \"%s\" not found", only);
		}
	}
	for (;;) {
		char buf[16];

		if (only != NULL && found)
			break;
		/* Clear the outputs; the key is lastjid, or jid with -j. */
		if (jididx >= 0) {
			free(params[jididx].jp_value);
			params[jididx].jp_value = NULL;
		}
		if (nameidx >= 0) {
			free(params[nameidx].jp_value);
			params[nameidx].jp_value = NULL;
		}
		snprintf(buf, sizeof(buf), "%d", only != NULL ? jid : lastjid);
		jailparam_import(&params[only != NULL ? jididx : lastidx], buf);
		jid = jailparam_get(params, (unsigned)nparams, jflags);
		if (jid < 0) {
			if (errno == ENOENT && only == NULL)
				break;
			if (flags & F_JSON)
				printf("]}}\n");
			errx(1, "%s", jail_errmsg);
		}
		found = 1;
		lastjid = jid;
		if (check)
			continue;
		if (flags & F_JSON)
			print_json();
		else if (flags & F_VERBOSE)
			print_verbose(jid);
		else if (named) {
			for (int i = 0; i < user_params; i++)
				print_param(&params[i], i == 0);
			putchar('\n');
		} else
			print_default(jid);
	}
	if (flags & F_JSON)
		printf("]}}\n");
	if (check)
		return found ? 0 : 1;
	return 0;
}
