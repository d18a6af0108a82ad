/*
 * Unit tests of libjail(3)'s parameter handling: init, import, export,
 * free, jailparam_all and their errors.  Nothing here needs root or a
 * jail: jailparam_set/jailparam_get against real jails are covered by the
 * integration tests.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "jail.h"
#include "param.h"

/* Init NAME, or fail the test with libjail's message. */
static void
init_ok(struct jailparam *jp, const char *name)
{
	ATF_REQUIRE_MSG(jailparam_init(jp, name) == 0, "init %s: %s", name,
	    jail_errmsg);
}

/* Import VALUE into a fresh NAME and check that it exports as EXPECT. */
static void
roundtrip(const char *name, const char *value, const char *expect)
{
	struct jailparam jp;
	char *s;

	init_ok(&jp, name);
	ATF_REQUIRE_MSG(jailparam_import(&jp, value) == 0, "import %s=%s: %s",
	    name, value != NULL ? value : "(null)", jail_errmsg);
	s = jailparam_export(&jp);
	ATF_REQUIRE_MSG(s != NULL, "export %s: %s", name, jail_errmsg);
	ATF_CHECK_MSG(strcmp(s, expect) == 0, "%s=%s exported as \"%s\", "
	    "expected \"%s\"", name, value != NULL ? value : "(null)", s,
	    expect);
	free(s);
	jailparam_free(&jp, 1);
}

/* Importing VALUE into NAME fails with ERR and a message holding WHAT. */
static void
import_fails(const char *name, const char *value, int err, const char *what)
{
	struct jailparam jp;

	init_ok(&jp, name);
	jail_errmsg[0] = '\0';
	errno = 0;
	ATF_CHECK_EQ_MSG(jailparam_import(&jp, value), -1,
	    "import %s=\"%s\" succeeded", name, value);
	ATF_CHECK_EQ_MSG(errno, err, "import %s=\"%s\": errno %d, expected %d",
	    name, value, errno, err);
	ATF_CHECK_MSG(strstr(jail_errmsg, what) != NULL,
	    "import %s=\"%s\": message \"%s\" lacks \"%s\"", name, value,
	    jail_errmsg, what);
	ATF_CHECK_MSG(strstr(jail_errmsg, name) != NULL,
	    "import %s: message \"%s\" does not name the parameter", name,
	    jail_errmsg);
	/* A failed import leaves no value behind. */
	ATF_CHECK(jp.jp_value == NULL);
	jailparam_free(&jp, 1);
}

static int
int_value(const struct jailparam *jp)
{
	int v;

	ATF_REQUIRE(jp->jp_value != NULL);
	ATF_REQUIRE_EQ(jp->jp_valuelen, sizeof(int));
	memcpy(&v, jp->jp_value, sizeof(v));
	return v;
}

ATF_TC_WITHOUT_HEAD(init_every_table_parameter);
ATF_TC_BODY(init_every_table_parameter, tc)
{
	for (size_t i = 0; i < jparam_count; i++) {
		const struct jparam_def *d = &jparam_table[i];
		struct jailparam jp;
		int type, access;

		init_ok(&jp, d->name);
		ATF_CHECK_STREQ(jp.jp_name, d->name);
		ATF_CHECK(jp.jp_name != d->name);	/* a copy */
		ATF_CHECK(jp.jp_value == NULL);
		ATF_CHECK_EQ(jp.jp_flags & (JP_NOBOOL | JP_KEYVALUE |
		    JP_RAWVALUE), 0);

		type = jp.jp_ctltype & CTLTYPE;
		access = jp.jp_ctltype & ~CTLTYPE;
		switch (d->access) {
		case JPA_RW:
			ATF_CHECK_EQ_MSG(access, (int)CTLFLAG_RW, "%s", d->name);
			break;
		case JPA_CREATE:
			ATF_CHECK_EQ_MSG(access, (int)CTLFLAG_RDTUN, "%s",
			    d->name);
			break;
		default:
			ATF_CHECK_EQ_MSG(access, (int)CTLFLAG_RD, "%s", d->name);
			break;
		}

		switch (d->kind) {
		case JPK_INT:
			ATF_CHECK_EQ_MSG(type, CTLTYPE_INT, "%s", d->name);
			ATF_CHECK_EQ(jp.jp_flags, 0);
			ATF_CHECK_EQ(jp.jp_valuelen, sizeof(int));
			ATF_CHECK_EQ(jp.jp_elemlen, 0);
			break;
		case JPK_BOOL:
			ATF_CHECK_EQ_MSG(type, CTLTYPE_INT, "%s", d->name);
			ATF_CHECK_EQ_MSG(jp.jp_flags, JP_BOOL, "%s", d->name);
			ATF_CHECK_EQ(jp.jp_valuelen, sizeof(int));
			break;
		case JPK_JAILSYS:
			ATF_CHECK_EQ_MSG(type, CTLTYPE_INT, "%s", d->name);
			ATF_CHECK_EQ_MSG(jp.jp_flags, JP_JAILSYS, "%s", d->name);
			ATF_CHECK_EQ(jp.jp_valuelen, sizeof(int));
			break;
		case JPK_ULONG:
			ATF_CHECK_EQ_MSG(type, CTLTYPE_ULONG, "%s", d->name);
			ATF_CHECK_EQ(jp.jp_valuelen, sizeof(unsigned long));
			break;
		case JPK_STRING:
			ATF_CHECK_EQ_MSG(type, CTLTYPE_STRING, "%s", d->name);
			ATF_CHECK_EQ_MSG(jp.jp_valuelen, jparam_maxlen(d), "%s",
			    d->name);
			ATF_CHECK_EQ(jp.jp_flags, 0);
			break;
		case JPK_IN_ADDR:
			ATF_CHECK_EQ_MSG(type, CTLTYPE_STRUCT, "%s", d->name);
			ATF_CHECK_EQ(jp.jp_structtype, JPS_IN_ADDR);
			ATF_CHECK_EQ(jp.jp_elemlen, sizeof(struct in_addr));
			ATF_CHECK_EQ(jp.jp_valuelen, 0);
			break;
		case JPK_IN6_ADDR:
			ATF_CHECK_EQ_MSG(type, CTLTYPE_STRUCT, "%s", d->name);
			ATF_CHECK_EQ(jp.jp_structtype, JPS_IN6_ADDR);
			ATF_CHECK_EQ(jp.jp_elemlen, sizeof(struct in6_addr));
			ATF_CHECK_EQ(jp.jp_valuelen, 0);
			break;
		default:
			atf_tc_fail("%s: unknown kind %d", d->name, d->kind);
		}
		if (d->kind != JPK_IN_ADDR && d->kind != JPK_IN6_ADDR)
			ATF_CHECK_EQ(jp.jp_structtype, JPS_NONE);
		jailparam_free(&jp, 1);
		ATF_CHECK(jp.jp_name == NULL);
	}
}

ATF_TC_WITHOUT_HEAD(init_negated_booleans);
ATF_TC_BODY(init_negated_booleans, tc)
{
	static const char *const names[] = { "nopersist", "nodying",
	    "allow.noset_hostname", "allow.nomount", "allow.mount.notmpfs",
	    "allow.mount.nodevfs", "ip4.nosaddrsel" };
	struct jailparam jp;

	/* A registry with no setting: FreeBSD's default. */
	ATF_REQUIRE(setenv("JAIL_REGISTRY", "/nonexistent/jail-registry",
	    1) == 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		init_ok(&jp, names[i]);
		ATF_CHECK_STREQ(jp.jp_name, names[i]);
		ATF_CHECK_EQ_MSG(jp.jp_flags, JP_BOOL | JP_NOBOOL, "%s",
		    names[i]);
		ATF_CHECK_EQ(jp.jp_ctltype & CTLTYPE, CTLTYPE_INT);
		jailparam_free(&jp, 1);
	}
	/* dying is read-only in either spelling. */
	init_ok(&jp, "nodying");
	ATF_CHECK_EQ(jp.jp_ctltype & ~CTLTYPE, (int)CTLFLAG_RD);
	jailparam_free(&jp, 1);
}

ATF_TC_WITHOUT_HEAD(init_keyvalue);
ATF_TC_BODY(init_keyvalue, tc)
{
	static const char *const names[] = { "meta.owner", "env.PATH",
	    "meta.a.b" };
	struct jailparam jp;

	/* A registry with no setting: FreeBSD's default. */
	ATF_REQUIRE(setenv("JAIL_REGISTRY", "/nonexistent/jail-registry",
	    1) == 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		init_ok(&jp, names[i]);
		ATF_CHECK_STREQ(jp.jp_name, names[i]);
		ATF_CHECK_EQ(jp.jp_flags, JP_KEYVALUE);
		ATF_CHECK_EQ(jp.jp_ctltype & CTLTYPE, CTLTYPE_STRING);
		ATF_CHECK_EQ(jp.jp_ctltype & ~CTLTYPE, (int)CTLFLAG_RW);
		ATF_CHECK_EQ(jp.jp_valuelen, JAIL_META_MAXBUF);
		jailparam_free(&jp, 1);
	}
	/* The whole buffer is a plain string. */
	init_ok(&jp, "meta");
	ATF_CHECK_EQ(jp.jp_flags, 0);
	jailparam_free(&jp, 1);
}

/* Write S into the registry REG's meta_maxbufsize setting, mode MODE. */
static void
set_maxbufsize(const char *reg, const char *s, mode_t mode)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/.meta_maxbufsize", reg);
	(void)unlink(path);
	ATF_REQUIRE((f = fopen(path, "w")) != NULL);
	fputs(s, f);
	ATF_REQUIRE(fclose(f) == 0);
	ATF_REQUIRE(chmod(path, mode) == 0);
}

static size_t
meta_size(void)
{
	struct jailparam jp;
	size_t n;

	init_ok(&jp, "meta.k");
	n = jp.jp_valuelen;
	jailparam_free(&jp, 1);
	init_ok(&jp, "env");
	ATF_CHECK_EQ(jp.jp_valuelen, n);
	jailparam_free(&jp, 1);
	return n;
}

/*
 * jailparam_init reports the host's meta_maxbufsize for meta and env: a
 * number host root writes in the registry's .meta_maxbufsize, 4096 when
 * there is none or it is not a size, at most JAIL_META_CEIL.
 */
ATF_TC_WITHOUT_HEAD(meta_maxbufsize);
ATF_TC_BODY(meta_maxbufsize, tc)
{
	char reg[] = "/tmp/jailparam_test.XXXXXX", path[512];

	if (geteuid() != 0)
		atf_tc_skip("the registry must be root's");
	ATF_REQUIRE(mkdtemp(reg) != NULL);
	ATF_REQUIRE(setenv("JAIL_REGISTRY", reg, 1) == 0);
	snprintf(path, sizeof(path), "%s/.meta_maxbufsize", reg);

	ATF_CHECK_EQ(meta_size(), JAIL_META_MAXBUF);
	set_maxbufsize(reg, "8192\n", 0644);
	ATF_CHECK_EQ(meta_size(), 8192);
	set_maxbufsize(reg, "1", 0600);
	ATF_CHECK_EQ(meta_size(), 1);
	set_maxbufsize(reg, "100000000", 0644);
	ATF_CHECK_EQ(meta_size(), JAIL_META_CEIL);
	/* Not a size: the default. */
	set_maxbufsize(reg, "0", 0644);
	ATF_CHECK_EQ(meta_size(), JAIL_META_MAXBUF);
	set_maxbufsize(reg, "-5", 0644);
	ATF_CHECK_EQ(meta_size(), JAIL_META_MAXBUF);
	set_maxbufsize(reg, "12k", 0644);
	ATF_CHECK_EQ(meta_size(), JAIL_META_MAXBUF);
	set_maxbufsize(reg, "", 0644);
	ATF_CHECK_EQ(meta_size(), JAIL_META_MAXBUF);
	/* Writable by others, or a link: not root's setting. */
	set_maxbufsize(reg, "8192", 0666);
	ATF_CHECK_EQ(meta_size(), JAIL_META_MAXBUF);
	set_maxbufsize(reg, "8192", 0620);
	ATF_CHECK_EQ(meta_size(), JAIL_META_MAXBUF);
	(void)unlink(path);
	ATF_REQUIRE(symlink("/proc/self/cwd", path) == 0);
	ATF_CHECK_EQ(meta_size(), JAIL_META_MAXBUF);
	/* Other parameters keep the table's sizes. */
	set_maxbufsize(reg, "8192", 0644);
	{
		struct jailparam jp;

		init_ok(&jp, "host.hostname");
		ATF_CHECK_EQ(jp.jp_valuelen, JAIL_NAME_MAX);
		jailparam_free(&jp, 1);
	}
	(void)unlink(path);
	ATF_CHECK(rmdir(reg) == 0);
}

ATF_TC_WITHOUT_HEAD(init_pseudo);
ATF_TC_BODY(init_pseudo, tc)
{
	struct jailparam jp;

	init_ok(&jp, "lastjid");
	ATF_CHECK_EQ(jp.jp_ctltype & CTLTYPE, CTLTYPE_INT);
	ATF_CHECK(jp.jp_ctltype & CTLFLAG_WR);
	ATF_CHECK_EQ(jp.jp_valuelen, sizeof(int));
	ATF_REQUIRE_EQ(jailparam_import(&jp, "12"), 0);
	ATF_CHECK_EQ(int_value(&jp), 12);
	jailparam_free(&jp, 1);

	init_ok(&jp, "desc");
	ATF_CHECK_EQ(jp.jp_ctltype & CTLTYPE, CTLTYPE_INT);
	ATF_CHECK_EQ(jp.jp_ctltype & ~CTLTYPE, (int)CTLFLAG_RW);
	jailparam_free(&jp, 1);
}

ATF_TC_WITHOUT_HEAD(init_unknown);
ATF_TC_BODY(init_unknown, tc)
{
	static const char *const names[] = { "nosuchparam", "allow.nosuch",
	    "nopath", "nosecurelevel", "allow.nomount.tmpfs", "meta.",
	    "env.", "no", "allow.mount.no", "errmsg", "Persist" };
	struct jailparam jp;
	char want[128];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		errno = 0;
		ATF_CHECK_EQ_MSG(jailparam_init(&jp, names[i]), -1,
		    "%s accepted", names[i]);
		ATF_CHECK_EQ_MSG(errno, ENOENT, "%s: errno %d", names[i],
		    errno);
		snprintf(want, sizeof(want), "unknown parameter: %s", names[i]);
		ATF_CHECK_STREQ(jail_errmsg, want);
		/* Nothing left to free. */
		ATF_CHECK(jp.jp_name == NULL);
		ATF_CHECK(jp.jp_value == NULL);
	}
	errno = 0;
	ATF_CHECK_EQ(jailparam_init(&jp, ""), -1);
	ATF_CHECK_EQ(errno, EINVAL);
}

ATF_TC_WITHOUT_HEAD(all_parameters);
ATF_TC_BODY(all_parameters, tc)
{
	struct jailparam *jp;
	int n;

	n = jailparam_all(&jp);
	ATF_REQUIRE_MSG(n >= 0, "%s", jail_errmsg);
	ATF_REQUIRE_EQ((size_t)n, jparam_count);
	for (int i = 0; i < n; i++) {
		ATF_CHECK_STREQ(jp[i].jp_name, jparam_table[i].name);
		ATF_CHECK(jp[i].jp_value == NULL);
		ATF_CHECK((jp[i].jp_flags & (JP_NOBOOL | JP_KEYVALUE)) == 0);
	}
	jailparam_free(jp, (unsigned)n);
	free(jp);
}

ATF_TC_WITHOUT_HEAD(int_roundtrip);
ATF_TC_BODY(int_roundtrip, tc)
{
	struct jailparam jp;

	roundtrip("securelevel", "-1", "-1");
	roundtrip("securelevel", "3", "3");
	roundtrip("children.max", "0", "0");
	roundtrip("enforce_statfs", "2", "2");
	roundtrip("devfs_ruleset", "65535", "65535");
	roundtrip("jid", "999999", "999999");
	roundtrip("jid", "007", "7");		/* decimal, not octal */
	roundtrip("osreldate", "2147483647", "2147483647");
	roundtrip("osreldate", "-2147483648", "-2147483648");
	roundtrip("lastjid", "0", "0");

	init_ok(&jp, "securelevel");
	ATF_REQUIRE_EQ(jailparam_import(&jp, "1"), 0);
	ATF_CHECK_EQ(int_value(&jp), 1);
	/* Importing again replaces the value. */
	ATF_REQUIRE_EQ(jailparam_import(&jp, "-1"), 0);
	ATF_CHECK_EQ(int_value(&jp), -1);
	jailparam_free(&jp, 1);
}

ATF_TC_WITHOUT_HEAD(ulong_roundtrip);
ATF_TC_BODY(ulong_roundtrip, tc)
{
	struct jailparam jp;
	unsigned long v;
	char max[32];

	roundtrip("host.hostid", "0", "0");
	roundtrip("host.hostid", "4294967295", "4294967295");
	snprintf(max, sizeof(max), "%lu", ULONG_MAX);
	roundtrip("host.hostid", max, max);

	init_ok(&jp, "host.hostid");
	ATF_REQUIRE_EQ(jailparam_import(&jp, "123456"), 0);
	ATF_REQUIRE_EQ(jp.jp_valuelen, sizeof(unsigned long));
	memcpy(&v, jp.jp_value, sizeof(v));
	ATF_CHECK_EQ(v, 123456UL);
	jailparam_free(&jp, 1);
}

ATF_TC_WITHOUT_HEAD(bool_roundtrip);
ATF_TC_BODY(bool_roundtrip, tc)
{
	struct jailparam jp;

	roundtrip("persist", "true", "true");
	roundtrip("persist", "TRUE", "true");
	roundtrip("persist", "True", "true");
	roundtrip("persist", "false", "false");
	roundtrip("persist", "FaLsE", "false");
	roundtrip("persist", "1", "true");
	roundtrip("persist", "0", "false");
	/* As FreeBSD's: any number, kept as it is (non-zero is true). */
	roundtrip("persist", "7", "7");
	roundtrip("persist", "-1", "-1");
	roundtrip("persist", "", "false");	/* strtol's 0 */
	roundtrip("persist", " 1", "true");
	roundtrip("persist", "+0", "false");
	roundtrip("persist", NULL, "true");	/* by name alone */
	roundtrip("allow.mount.tmpfs", "false", "false");

	/* A bare name means true, stored as 1. */
	init_ok(&jp, "allow.raw_sockets");
	ATF_REQUIRE_EQ(jailparam_import(&jp, NULL), 0);
	ATF_CHECK_EQ(int_value(&jp), 1);
	ATF_REQUIRE_EQ(jailparam_import(&jp, "false"), 0);
	ATF_CHECK_EQ(int_value(&jp), 0);
	jailparam_free(&jp, 1);
}

/*
 * The value of a "no" name is the value of that name, as jail_get reports
 * it: nopersist=true means the jail does not persist.  What is imported
 * exports unchanged.
 */
ATF_TC_WITHOUT_HEAD(nobool_roundtrip);
ATF_TC_BODY(nobool_roundtrip, tc)
{
	struct jailparam jp;

	roundtrip("nopersist", "true", "true");
	roundtrip("nopersist", "false", "false");
	roundtrip("nopersist", NULL, "true");
	roundtrip("allow.mount.notmpfs", "1", "true");
	roundtrip("allow.mount.notmpfs", "0", "false");
	roundtrip("allow.noraw_sockets", "TRUE", "true");

	init_ok(&jp, "nopersist");
	ATF_REQUIRE_EQ(jailparam_import(&jp, NULL), 0);
	ATF_CHECK_EQ(int_value(&jp), 1);
	ATF_REQUIRE_EQ(jailparam_import(&jp, "false"), 0);
	ATF_CHECK_EQ(int_value(&jp), 0);
	jailparam_free(&jp, 1);
}

ATF_TC_WITHOUT_HEAD(jailsys_roundtrip);
ATF_TC_BODY(jailsys_roundtrip, tc)
{
	struct jailparam jp;

	roundtrip("host", "disable", "disable");
	roundtrip("host", "new", "new");
	roundtrip("host", "inherit", "inherit");
	roundtrip("vnet", "INHERIT", "inherit");
	roundtrip("ip4", "0", "disable");
	roundtrip("ip4", "1", "new");
	roundtrip("ip6", "2", "inherit");
	roundtrip("sysvshm", "", "new");	/* like a boolean */
	roundtrip("sysvmsg", NULL, "new");

	init_ok(&jp, "sysvsem");
	ATF_REQUIRE_EQ(jailparam_import(&jp, "inherit"), 0);
	ATF_CHECK_EQ(int_value(&jp), JAIL_SYS_INHERIT);
	ATF_REQUIRE_EQ(jailparam_import(&jp, "disable"), 0);
	ATF_CHECK_EQ(int_value(&jp), JAIL_SYS_DISABLE);
	ATF_REQUIRE_EQ(jailparam_import(&jp, ""), 0);
	ATF_CHECK_EQ(int_value(&jp), JAIL_SYS_NEW);
	jailparam_free(&jp, 1);
}

ATF_TC_WITHOUT_HEAD(string_roundtrip);
ATF_TC_BODY(string_roundtrip, tc)
{
	struct jailparam jp;
	char longest[JAIL_NAME_MAX];

	roundtrip("host.hostname", "jail.example.org", "jail.example.org");
	roundtrip("host.hostname", "", "");
	roundtrip("path", "/usr/jails/www", "/usr/jails/www");
	roundtrip("name", "with spaces, commas", "with spaces, commas");
	roundtrip("meta", "a=1\nb=2", "a=1\nb=2");
	roundtrip("osrelease", "14.1-RELEASE", "14.1-RELEASE");

	/* The longest value that fits, with its NUL, in the maximum. */
	memset(longest, 'x', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	roundtrip("host.hostname", longest, longest);

	init_ok(&jp, "host.domainname");
	ATF_REQUIRE_EQ(jailparam_import(&jp, "example.org"), 0);
	ATF_CHECK_EQ(jp.jp_valuelen, sizeof("example.org"));
	ATF_CHECK_STREQ(jp.jp_value, "example.org");
	jailparam_free(&jp, 1);

	/* Never set: exports as the empty string. */
	init_ok(&jp, "host.hostname");
	ATF_REQUIRE_EQ(jailparam_import(&jp, NULL), 0);
	ATF_CHECK(jp.jp_value == NULL);
	roundtrip("path", NULL, "");
	jailparam_free(&jp, 1);
}

ATF_TC_WITHOUT_HEAD(keyvalue_roundtrip);
ATF_TC_BODY(keyvalue_roundtrip, tc)
{
	struct jailparam jp;

	roundtrip("meta.owner", "alice", "alice");
	roundtrip("meta.b", "=", "=");
	roundtrip("env.EMPTY", "", "");

	/* No value: delete the key. */
	init_ok(&jp, "meta.owner");
	ATF_REQUIRE_EQ(jailparam_import(&jp, "bob"), 0);
	ATF_REQUIRE_EQ(jailparam_import(&jp, NULL), 0);
	ATF_CHECK(jp.jp_value == NULL);
	ATF_CHECK_EQ(jp.jp_valuelen, 0);
	jailparam_free(&jp, 1);
	roundtrip("meta.owner", NULL, "");
}

ATF_TC_WITHOUT_HEAD(ip4_roundtrip);
ATF_TC_BODY(ip4_roundtrip, tc)
{
	struct jailparam jp;
	struct in_addr a[2];

	roundtrip("ip4.addr", "192.0.2.1", "192.0.2.1");
	roundtrip("ip4.addr", "192.0.2.1,198.51.100.7,203.0.113.255",
	    "192.0.2.1,198.51.100.7,203.0.113.255");
	roundtrip("ip4.addr", "192.0.2.1, 198.51.100.7", "192.0.2.1,198.51.100.7");
	roundtrip("ip4.addr", "", "");
	roundtrip("ip4.addr", "-", "");
	roundtrip("ip4.addr", NULL, "");

	init_ok(&jp, "ip4.addr");
	ATF_REQUIRE_EQ(jailparam_import(&jp, "10.0.0.1,10.0.0.2"), 0);
	ATF_REQUIRE_EQ(jp.jp_valuelen, 2 * sizeof(struct in_addr));
	memcpy(a, jp.jp_value, sizeof(a));
	ATF_CHECK_EQ(a[0].s_addr, htonl(0x0a000001));	/* network order */
	ATF_CHECK_EQ(a[1].s_addr, htonl(0x0a000002));
	/* The empty list replaces the old one. */
	ATF_REQUIRE_EQ(jailparam_import(&jp, "-"), 0);
	ATF_CHECK_EQ(jp.jp_valuelen, 0);
	jailparam_free(&jp, 1);
}

ATF_TC_WITHOUT_HEAD(ip6_roundtrip);
ATF_TC_BODY(ip6_roundtrip, tc)
{
	struct jailparam jp;

	roundtrip("ip6.addr", "2001:db8::1", "2001:db8::1");
	roundtrip("ip6.addr", "2001:db8::1,::1,fe80::1",
	    "2001:db8::1,::1,fe80::1");
	/* Printed in canonical form. */
	roundtrip("ip6.addr", "2001:DB8:0:0:0:0:0:0001", "2001:db8::1");
	roundtrip("ip6.addr", "::ffff:192.0.2.1", "::ffff:192.0.2.1");
	roundtrip("ip6.addr", "", "");
	roundtrip("ip6.addr", "-", "");

	init_ok(&jp, "ip6.addr");
	ATF_REQUIRE_EQ(jailparam_import(&jp, "::1,::2"), 0);
	ATF_CHECK_EQ(jp.jp_valuelen, 2 * sizeof(struct in6_addr));
	jailparam_free(&jp, 1);
}

/*
 * The numbers FreeBSD's libjail takes (strtol or strtoul in base 10 over
 * the whole string): leading blanks, a sign, the empty string as 0.  The
 * kernel, not the import, judges the value.
 */
ATF_TC_WITHOUT_HEAD(freebsd_numbers);
ATF_TC_BODY(freebsd_numbers, tc)
{
	char wrapped[32];

	roundtrip("securelevel", " 1", "1");
	roundtrip("securelevel", "\t\n 2", "2");
	roundtrip("securelevel", "+3", "3");
	roundtrip("securelevel", "-0", "0");
	roundtrip("securelevel", "", "0");
	roundtrip("jid", "0010", "10");		/* decimal, not octal */
	/* Not range-checked: converted to int as FreeBSD's does. */
	snprintf(wrapped, sizeof(wrapped), "%d", (int)2147483648L);
	roundtrip("children.max", "2147483648", wrapped);
	roundtrip("host.hostid", " 42", "42");
	roundtrip("host.hostid", "+42", "42");
	roundtrip("host.hostid", "", "0");
	snprintf(wrapped, sizeof(wrapped), "%lu", ULONG_MAX);
	roundtrip("host.hostid", "-1", wrapped);	/* strtoul's */
	roundtrip("host.hostid", "999999999999999999999999", wrapped);
	/* jailsys: any number; jail_set refuses what is not 0 to 2. */
	roundtrip("ip4", "3", "3");
	roundtrip("ip4", " 1", "new");
	roundtrip("vnet", "-1", "-1");
}

/* What FreeBSD's libjail refuses too. */
ATF_TC_WITHOUT_HEAD(bad_integer);
ATF_TC_BODY(bad_integer, tc)
{
	import_fails("securelevel", "abc", EINVAL, "non-integer value \"abc\"");
	import_fails("securelevel", "12abc", EINVAL, "non-integer value");
	import_fails("securelevel", " ", EINVAL, "non-integer value");
	import_fails("securelevel", "1 ", EINVAL, "non-integer value");
	import_fails("securelevel", "-", EINVAL, "non-integer value");
	import_fails("securelevel", "0x10", EINVAL, "non-integer value");
	import_fails("jid", "1.5", EINVAL, "non-integer value");
	import_fails("lastjid", "x", EINVAL, "non-integer value");
	import_fails("host.hostid", "12z", EINVAL, "non-integer value");
	import_fails("host.hostid", "0x1", EINVAL, "non-integer value");
	import_fails("host.hostid", "1 ", EINVAL, "non-integer value");
}

ATF_TC_WITHOUT_HEAD(bad_boolean);
ATF_TC_BODY(bad_boolean, tc)
{
	import_fails("persist", "maybe", EINVAL,
	    "unknown boolean value \"maybe\"");
	import_fails("persist", " ", EINVAL, "unknown boolean value");
	import_fails("persist", "truex", EINVAL, "unknown boolean value");
	import_fails("persist", " true", EINVAL, "unknown boolean value");
	/* FreeBSD's libjail knows true and false only. */
	import_fails("persist", "yes", EINVAL, "unknown boolean value");
	import_fails("persist", "no", EINVAL, "unknown boolean value");
	import_fails("persist", "on", EINVAL, "unknown boolean value");
	import_fails("allow.mount.notmpfs", "on", EINVAL,
	    "unknown boolean value");
}

ATF_TC_WITHOUT_HEAD(bad_jailsys);
ATF_TC_BODY(bad_jailsys, tc)
{
	import_fails("vnet", "sometimes", EINVAL,
	    "unknown jailsys value \"sometimes\"");
	import_fails("sysvmsg", "news", EINVAL, "unknown jailsys value");
	import_fails("ip4", " new", EINVAL, "unknown jailsys value");
	import_fails("ip4", "1x", EINVAL, "unknown jailsys value");
}

ATF_TC_WITHOUT_HEAD(bad_address);
ATF_TC_BODY(bad_address, tc)
{
	char *many;
	size_t len;

	import_fails("ip4.addr", "bogus", EINVAL, "not an IPv4 address");
	import_fails("ip4.addr", "192.0.2.1,bogus", EINVAL, "address: bogus");
	import_fails("ip4.addr", "192.0.2.1,", EINVAL, "not an IPv4 address");
	import_fails("ip4.addr", ",192.0.2.1", EINVAL, "not an IPv4 address");
	import_fails("ip4.addr", "192.0.2.256", EINVAL, "not an IPv4 address");
	import_fails("ip4.addr", "192.0.2.1/24", EINVAL, "not an IPv4 address");
	import_fails("ip4.addr", "::1", EINVAL, "not an IPv4 address");
	import_fails("ip6.addr", "192.0.2.1", EINVAL, "not an IPv6 address");
	import_fails("ip6.addr", "2001:db8::1::2", EINVAL,
	    "not an IPv6 address");
	import_fails("ip6.addr", "--", EINVAL, "not an IPv6 address");

	/* More addresses than a jail may have. */
	len = (JAIL_MAX_AF_IPS + 1) * sizeof("10.0.0.1,");
	ATF_REQUIRE((many = malloc(len)) != NULL);
	many[0] = '\0';
	for (int i = 0; i <= JAIL_MAX_AF_IPS; i++)
		strcat(many, i == 0 ? "10.0.0.1" : ",10.0.0.1");
	import_fails("ip4.addr", many, EINVAL, "too many IPv4 addresses");
	free(many);
}

ATF_TC_WITHOUT_HEAD(string_too_long);
ATF_TC_BODY(string_too_long, tc)
{
	char name[JAIL_NAME_MAX + 1], osrel[33];

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	/*
	 * As FreeBSD's libjail, import takes any length: jail_set(2) judges
	 * it (ENAMETOOLONG, tested in tests/integration/badparam_test.sh).
	 */
	roundtrip("host.hostname", name, name);
	roundtrip("name", name, name);
	memset(osrel, '1', sizeof(osrel) - 1);
	osrel[sizeof(osrel) - 1] = '\0';
	roundtrip("osrelease", osrel, osrel);
}

/* A failed import keeps the value the parameter had. */
ATF_TC_WITHOUT_HEAD(failed_import_keeps_value);
ATF_TC_BODY(failed_import_keeps_value, tc)
{
	struct jailparam jp;

	init_ok(&jp, "securelevel");
	ATF_REQUIRE_EQ(jailparam_import(&jp, "2"), 0);
	ATF_CHECK_EQ(jailparam_import(&jp, "two"), -1);
	ATF_CHECK_EQ(int_value(&jp), 2);
	jailparam_free(&jp, 1);
}

ATF_TC_WITHOUT_HEAD(import_raw);
ATF_TC_BODY(import_raw, tc)
{
	struct jailparam jp[2];
	int level = 3;
	struct in_addr addrs[2];
	char *s;

	init_ok(&jp[0], "securelevel");
	ATF_REQUIRE_EQ(jailparam_import(&jp[0], "1"), 0);
	/* The imported value is freed; the raw one is the caller's. */
	ATF_REQUIRE_EQ(jailparam_import_raw(&jp[0], &level, sizeof(level)), 0);
	ATF_CHECK(jp[0].jp_value == &level);
	ATF_CHECK(jp[0].jp_flags & JP_RAWVALUE);
	ATF_REQUIRE((s = jailparam_export(&jp[0])) != NULL);
	ATF_CHECK_STREQ(s, "3");
	free(s);

	init_ok(&jp[1], "ip4.addr");
	ATF_REQUIRE_EQ(inet_pton(AF_INET, "192.0.2.1", &addrs[0]), 1);
	ATF_REQUIRE_EQ(inet_pton(AF_INET, "192.0.2.2", &addrs[1]), 1);
	ATF_REQUIRE_EQ(jailparam_import_raw(&jp[1], addrs, sizeof(addrs)), 0);
	ATF_REQUIRE((s = jailparam_export(&jp[1])) != NULL);
	ATF_CHECK_STREQ(s, "192.0.2.1,192.0.2.2");
	free(s);

	/* Freeing must not touch the stack buffers. */
	jailparam_free(jp, 2);
	ATF_CHECK_EQ(level, 3);

	/* Importing over a raw value makes the value the library's again. */
	init_ok(&jp[0], "securelevel");
	ATF_REQUIRE_EQ(jailparam_import_raw(&jp[0], &level, sizeof(level)), 0);
	ATF_REQUIRE_EQ(jailparam_import(&jp[0], "2"), 0);
	ATF_CHECK((jp[0].jp_flags & JP_RAWVALUE) == 0);
	ATF_CHECK(jp[0].jp_value != &level);
	jailparam_free(jp, 1);
}

/*
 * A string imported raw without its NUL, as FreeBSD's jls imports the
 * name of -j NAME (jailparam_import_raw(jp, name, strlen(name))), goes
 * to jail_get and jail_set as the C string it is: the call gets as far as
 * looking for the jail, instead of failing on the string.
 */
ATF_TC_WITHOUT_HEAD(raw_string_without_nul);
ATF_TC_BODY(raw_string_without_nul, tc)
{
	struct jailparam jp[2];
	char name[] = "nosuchjailXYZ";

	ATF_REQUIRE(setenv("JAIL_REGISTRY", "/nonexistent/jail-registry",
	    1) == 0);
	init_ok(&jp[0], "name");
	ATF_REQUIRE_EQ(jailparam_import_raw(&jp[0], name, strlen(name)), 0);
	init_ok(&jp[1], "path");
	errno = 0;
	ATF_CHECK_EQ(jailparam_get(jp, 2, 0), -1);
	ATF_CHECK_EQ_MSG(errno, ENOENT, "errno %d: %s", errno, jail_errmsg);
	ATF_CHECK_STREQ(jail_errmsg, "jail \"nosuchjailXYZ\" not found");
	/* The caller's buffer is left as it was. */
	ATF_CHECK_STREQ(name, "nosuchjailXYZ");

	/* Only jp_valuelen bytes are read: "nosuch" here. */
	ATF_REQUIRE_EQ(jailparam_import_raw(&jp[0], name, 6), 0);
	errno = 0;
	ATF_CHECK_EQ(jailparam_get(jp, 2, 0), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK_STREQ(jail_errmsg, "jail \"nosuch\" not found");

	/* jail_set takes it too: the update looks for the jail. */
	errno = 0;
	ATF_CHECK_EQ(jailparam_set(jp, 1, JAIL_UPDATE), -1);
	ATF_CHECK_MSG(errno != EINVAL, "jail_set refused the raw string: %s",
	    jail_errmsg);
	ATF_CHECK(strstr(jail_errmsg, "NUL") == NULL);
	jailparam_free(jp, 2);
}

ATF_TC_WITHOUT_HEAD(export_without_value);
ATF_TC_BODY(export_without_value, tc)
{
	struct jailparam jp;

	init_ok(&jp, "securelevel");
	errno = 0;
	ATF_CHECK(jailparam_export(&jp) == NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK(strstr(jail_errmsg, "securelevel") != NULL);
	jailparam_free(&jp, 1);
}

/* Calls that fail before reaching jail_set or jail_get. */
ATF_TC_WITHOUT_HEAD(get_without_key);
ATF_TC_BODY(get_without_key, tc)
{
	struct jailparam jp[3];

	init_ok(&jp[0], "jid");
	init_ok(&jp[1], "name");
	init_ok(&jp[2], "path");
	/* jid 0 and an empty name name no jail. */
	ATF_REQUIRE_EQ(jailparam_import(&jp[0], "0"), 0);
	ATF_REQUIRE_EQ(jailparam_import(&jp[1], ""), 0);
	errno = 0;
	ATF_CHECK_EQ(jailparam_get(jp, 3, 0), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK_STREQ(jail_errmsg, "no jail specified");
	jailparam_free(jp, 3);

	errno = 0;
	ATF_CHECK_EQ(jail_getv(0, "path", (char[64]){ 0 }, NULL), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK_STREQ(jail_errmsg, "no jail specified");
}

ATF_TC_WITHOUT_HEAD(set_errors);
ATF_TC_BODY(set_errors, tc)
{
	/* jail_setv checks its parameters before anything else. */
	errno = 0;
	ATF_CHECK_EQ(jail_setv(JAIL_CREATE, "persist", NULL, "bogus", "1",
	    NULL), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK_STREQ(jail_errmsg, "unknown parameter: bogus");
	errno = 0;
	ATF_CHECK_EQ(jail_setv(JAIL_CREATE, "persist", "perhaps", NULL), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK(strstr(jail_errmsg, "unknown boolean value") != NULL);
}

ATF_TC_WITHOUT_HEAD(getid_host);
ATF_TC_BODY(getid_host, tc)
{
	/* jid 0 is the host, which always exists. */
	ATF_CHECK_EQ(jail_getid("0"), 0);
	ATF_CHECK_EQ(jail_getid("000"), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, init_every_table_parameter);
	ATF_TP_ADD_TC(tp, init_negated_booleans);
	ATF_TP_ADD_TC(tp, init_keyvalue);
	ATF_TP_ADD_TC(tp, meta_maxbufsize);
	ATF_TP_ADD_TC(tp, init_pseudo);
	ATF_TP_ADD_TC(tp, init_unknown);
	ATF_TP_ADD_TC(tp, all_parameters);
	ATF_TP_ADD_TC(tp, int_roundtrip);
	ATF_TP_ADD_TC(tp, ulong_roundtrip);
	ATF_TP_ADD_TC(tp, bool_roundtrip);
	ATF_TP_ADD_TC(tp, nobool_roundtrip);
	ATF_TP_ADD_TC(tp, jailsys_roundtrip);
	ATF_TP_ADD_TC(tp, string_roundtrip);
	ATF_TP_ADD_TC(tp, keyvalue_roundtrip);
	ATF_TP_ADD_TC(tp, ip4_roundtrip);
	ATF_TP_ADD_TC(tp, ip6_roundtrip);
	ATF_TP_ADD_TC(tp, freebsd_numbers);
	ATF_TP_ADD_TC(tp, bad_integer);
	ATF_TP_ADD_TC(tp, bad_boolean);
	ATF_TP_ADD_TC(tp, bad_jailsys);
	ATF_TP_ADD_TC(tp, bad_address);
	ATF_TP_ADD_TC(tp, string_too_long);
	ATF_TP_ADD_TC(tp, failed_import_keeps_value);
	ATF_TP_ADD_TC(tp, import_raw);
	ATF_TP_ADD_TC(tp, raw_string_without_nul);
	ATF_TP_ADD_TC(tp, export_without_value);
	ATF_TP_ADD_TC(tp, get_without_key);
	ATF_TP_ADD_TC(tp, set_errors);
	ATF_TP_ADD_TC(tp, getid_host);
	return atf_no_error();
}
