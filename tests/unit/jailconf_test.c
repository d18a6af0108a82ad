/*
 * Unit tests of jail.conf(5) as jail(8) reads it (cmd/jail/config.c,
 * expand.c, parse.y, lex.l): every rule of the grammar, the wildcards,
 * variables and includes, and each error message with its file and line,
 * against what FreeBSD's jail(8) does.
 *
 * A configuration that loads is checked in the test's own process,
 * through the resolved jails; one that fails is loaded in a child, since
 * jail(8) then exits 1, and its messages are compared whole.  "-e |" is
 * jail -f jail.conf -e '|'.
 */
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "confparse.h"

/* ---- Helpers ---- */

static void
write_file(const char *path, const char *text)
{
	atf_utils_create_file(path, "%s", text);
}

/* Load TEXT as jail.conf, in this process: it must load. */
static void
load(const char *text)
{
	write_file("jail.conf", text);
	config_load("jail.conf");
}

/*
 * In a child: load FILE (NULL: the default files FILE2 and DIR) and print
 * it as jail -e '|' does; its exit status, stdout and stderr must be
 * STATUS, OUT and ERR.
 */
static void
check_file(const char *file, int status, const char *out, const char *err)
{
	pid_t pid = atf_utils_fork();

	if (pid == 0) {
		program_invocation_short_name = "jail";
		config_load(file);
		config_show("|");
		config_free();
		exit(0);
	}
	atf_utils_wait(pid, status, out, err);
}

/* The same for TEXT written to jail.conf. */
static void
check(const char *text, int status, const char *out, const char *err)
{
	write_file("jail.conf", text);
	check_file("jail.conf", status, out, err);
}

/* A configuration that does not load: nothing on stdout, ERR, exit 1. */
static void
refused(const char *text, const char *err)
{
	check(text, 1, "", err);
}

static struct cfjail *
conf_jail(const char *name)
{
	for (int i = 0; i < ncfjails; i++)
		if (strcmp(cfjails[i]->name, name) == 0)
			return cfjails[i];
	atf_tc_fail("no jail \"%s\"", name);
	return NULL;
}

/* Value I of parameter NAME of jail JNAME (which must have it). */
static const char *
val(const char *jname, const char *name, int i)
{
	struct cfparam *p = cfjail_find(conf_jail(jname), name);

	if (p == NULL)
		atf_tc_fail("%s has no %s", jname, name);
	if (i >= p->nval)
		atf_tc_fail("%s has %d values of %s, not %d", jname, p->nval,
		    name, i + 1);
	return p->val[i];
}

static int
nval(const char *jname, const char *name)
{
	struct cfparam *p = cfjail_find(conf_jail(jname), name);

	return p != NULL ? p->nval : -1;
}

/* ---- Blocks and statements ---- */

ATF_TC_WITHOUT_HEAD(empty);
ATF_TC_BODY(empty, tc)
{
	check("", 0, "", "");
	check("/* nothing */\n# at all\n;;\n", 0, "", "");
	load("");
	ATF_CHECK_EQ(0, ncfjails);
}

ATF_TC_WITHOUT_HEAD(blocks);
ATF_TC_BODY(blocks, tc)
{
	check("foo { path = /a; host.hostname = foo; }\nbar {}\n", 0,
	    "name=foo|path=/a|host.hostname=foo\nname=bar\n", "");
	/* Two blocks of one name are one jail, in the order written. */
	check("a { x = 1; y = 2; }\nb { }\na { x = 3; z = 4; }\n", 0,
	    "name=a|x=3|y=2|z=4\nname=b\n", "");
	/* Empty statements anywhere, a quoted block name. */
	check(";\n\"my jail\" { ; persist; ; }\n", 0,
	    "name=\"my jail\"|persist\n", "");
	/* Lines may end in CR LF. */
	check("a {\r\n  x = 1;\r\n}\r\n", 0, "name=a|x=1\n", "");
}

ATF_TC_WITHOUT_HEAD(statement_forms);
ATF_TC_BODY(statement_forms, tc)
{
	/* "=", a list, "+=", "name value" without "=", a bare name. */
	load("j {\n"
	    "  ip4.addr = 10.0.0.1, 10.0.0.2 ,10.0.0.3;\n"
	    "  ip4.addr += 10.0.0.4;\n"
	    "  host.hostname h;\n"
	    "  vnet;\n"
	    "  exec.start = a, b;\n"
	    "  exec.start += c;\n"
	    "  exec.stop = x;\n"
	    "  exec.stop = y;\n"
	    "  exec.poststart = p;\n"
	    "  exec.poststart;\n"
	    "}\n");
	ATF_REQUIRE_EQ(1, ncfjails);
	ATF_CHECK_EQ(4, nval("j", "ip4.addr"));
	ATF_CHECK_STREQ("10.0.0.1", val("j", "ip4.addr", 0));
	ATF_CHECK_STREQ("10.0.0.3", val("j", "ip4.addr", 2));
	ATF_CHECK_STREQ("10.0.0.4", val("j", "ip4.addr", 3));
	ATF_CHECK_STREQ("h", val("j", "host.hostname", 0));
	ATF_CHECK_EQ(0, nval("j", "vnet"));
	ATF_CHECK_EQ(3, nval("j", "exec.start"));
	ATF_CHECK_STREQ("c", val("j", "exec.start", 2));
	/* "=" replaces, a bare name clears the list. */
	ATF_CHECK_EQ(1, nval("j", "exec.stop"));
	ATF_CHECK_STREQ("y", val("j", "exec.stop", 0));
	ATF_CHECK_EQ(0, nval("j", "exec.poststart"));
	ATF_CHECK(conf_jail("j")->ip[IP_EXEC_START] ==
	    cfjail_find(conf_jail("j"), "exec.start"));
}

ATF_TC_WITHOUT_HEAD(show_lists);
ATF_TC_BODY(show_lists, tc)
{
	check("j { ip4.addr = 10.0.0.1, 10.0.0.2; exec.start = \"a b\", c;"
	    " exec.stop; }\n", 0,
	    "name=j|ip4.addr=10.0.0.1,10.0.0.2|exec.start=\"a b\",c|"
	    "exec.stop\n", "");
}

ATF_TC_WITHOUT_HEAD(booleans);
ATF_TC_BODY(booleans, tc)
{
	load("j {\n"
	    "  persist;\n"
	    "  nopersist;\n"
	    "  allow.nomount;\n"
	    "  exec.noclean;\n"
	    "  mount.devfs = false;\n"
	    "  mount.procfs = 1;\n"
	    "  exec.system_jail_user = true;\n"
	    "}\n");
	ATF_CHECK_STREQ("false", val("j", "persist", 0));
	ATF_CHECK_STREQ("false", val("j", "allow.mount", 0));
	ATF_CHECK_STREQ("false", val("j", "exec.clean", 0));
	ATF_CHECK_STREQ("false", val("j", "mount.devfs", 0));
	ATF_CHECK_STREQ("true", val("j", "mount.procfs", 0));
	ATF_CHECK_EQ(1, cf_bool(conf_jail("j")->ip[IP_EXEC_SYSTEM_JAIL_USER]));
	ATF_CHECK_EQ(0, cf_bool(conf_jail("j")->ip[IP_EXEC_CLEAN]));
	config_free();
	/* As FreeBSD's, "no" may come before the whole name too. */
	load("j { exec.clean; noexec.clean; nomount.procfs; }\n");
	ATF_CHECK_STREQ("false", val("j", "exec.clean", 0));
	ATF_CHECK_STREQ("false", val("j", "mount.procfs", 0));
	config_free();
	/* A long list: every value, in order. */
	{
		char *conf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&conf, &len);

		ATF_REQUIRE(f != NULL);
		fputs("j { exec.start = 0", f);
		for (int i = 1; i < 1000; i++)
			fprintf(f, ", %d", i);
		fputs("; }\n", f);
		fclose(f);
		load(conf);
		free(conf);
		ATF_REQUIRE_EQ(1000, cfjail_find(conf_jail("j"),
		    "exec.start")->nval);
		ATF_CHECK_STREQ("999", val("j", "exec.start", 999));
		ATF_CHECK(cfjail_find(conf_jail("j"), "exec.start")->val[1000] ==
		    NULL);
		config_free();
	}
	/* The later of "persist" and "nopersist" wins; -e writes no-forms. */
	check("j { nopersist; persist; allow.nomount; exec.noclean;"
	    " mount.devfs = false; allow.raw_sockets = 1; }\n", 0,
	    "name=j|persist|allow.nomount|exec.noclean|mount.nodevfs|"
	    "allow.raw_sockets\n", "");
}

/* ---- Wildcards ---- */

ATF_TC_WITHOUT_HEAD(wildcard_order);
ATF_TC_BODY(wildcard_order, tc)
{
	/*
	 * Above a jail, a wildcard gives defaults its jail can change;
	 * below, it forces them.  Statements outside blocks are wildcards.
	 */
	check("path = /default;\n"
	    "* { host.hostname = above; securelevel = 1; }\n"
	    "foo { path = /foo; host.hostname = foo; }\n"
	    "bar { }\n"
	    "* { host.hostname = forced; }\n"
	    "devfs_ruleset = 4;\n", 0,
	    "name=foo|path=/foo|host.hostname=forced|securelevel=1|"
	    "devfs_ruleset=4\n"
	    "name=bar|path=/default|host.hostname=forced|securelevel=1|"
	    "devfs_ruleset=4\n", "");
}

ATF_TC_WITHOUT_HEAD(wildcard_partial);
ATF_TC_BODY(wildcard_partial, tc)
{
	/* "foo.*" is for foo's children, quoted or not; nested blocks. */
	check("\"web.*\" { persist; }\n"
	    "db.* { securelevel = 3; }\n"
	    "web { }\n"
	    "web.a { }\n"
	    "web.a.b { }\n"
	    "db { x { } y { z { } } v = 1; }\n"
	    "other { }\n", 0,
	    "name=web\n"
	    "name=web.a|persist\n"
	    "name=web.a.b|persist\n"
	    "name=db|v=1\n"
	    "name=db.x|securelevel=3\n"
	    "name=db.y|securelevel=3\n"
	    "name=db.y.z|securelevel=3\n"
	    "name=other\n", "");
	/* A wildcard nested in a block is for the block's children. */
	check("a { * { persist; } }\na.b { }\nc { }\n", 0,
	    "name=a\nname=a.b|persist\nname=c\n", "");
}

ATF_TC_WITHOUT_HEAD(wildcard_only);
ATF_TC_BODY(wildcard_only, tc)
{
	/* Wildcards and statements alone make no jail. */
	check("persist;\n* { path = /; }\n\"x.*\" { }\n", 0, "", "");
}

/* ---- Strings ---- */

ATF_TC_WITHOUT_HEAD(quoting);
ATF_TC_BODY(quoting, tc)
{
	load("j {\n"
	    "  a = 'single \"quoted\" $novar';\n"
	    "  b = \"double 'quoted'\";\n"
	    "  c = \"\";\n"
	    "  d = ab\"cd\"'ef'gh;\n"
	    "  e = /usr/local/bin/x:y@z%w?;\n"
	    "  f = a+b*c$;\n"
	    "  g = 'multi\nline';\n"
	    "}\n");
	ATF_CHECK_STREQ("single \"quoted\" $novar", val("j", "a", 0));
	ATF_CHECK_STREQ("double 'quoted'", val("j", "b", 0));
	ATF_CHECK_STREQ("", val("j", "c", 0));
	ATF_CHECK_STREQ("abcdefgh", val("j", "d", 0));
	ATF_CHECK_STREQ("/usr/local/bin/x:y@z%w?", val("j", "e", 0));
	ATF_CHECK_STREQ("a+b*c$", val("j", "f", 0));
	ATF_CHECK_STREQ("multi\nline", val("j", "g", 0));
	config_free();
	check("j { a = 'x y'; b = \"it's\"; c = 'say \"hi\"'; d = \"\"; }\n",
	    0, "name=j|a=\"x y\"|b=\"it's\"|c='say \"hi\"'|d=\"\"\n", "");
}

ATF_TC_WITHOUT_HEAD(escapes);
ATF_TC_BODY(escapes, tc)
{
	/* C escapes in double quotes, single quotes and bare words alike. */
	load("j {\n"
	    "  dq = \"n\\n t\\t bs\\\\ q\\\" sq\\' d\\$x\";\n"
	    "  sq = 'n\\n t\\t q\\' bs\\\\';\n"
	    "  bare = a\\ b\\;c;\n"
	    "  ctl = \"\\a\\b\\f\\r\\v\";\n"
	    "  oct = \"\\101\\0611\\7\";\n"
	    "  hex = \"\\x41\\x4a\\x4Bz\\x7\";\n"
	    "  other = \"\\q\\{\";\n"
	    "}\n");
	ATF_CHECK_STREQ("n\n t\t bs\\ q\" sq' d$x", val("j", "dq", 0));
	ATF_CHECK_STREQ("n\n t\t q' bs\\", val("j", "sq", 0));
	ATF_CHECK_STREQ("a b;c", val("j", "bare", 0));
	ATF_CHECK_STREQ("\a\b\f\r\v", val("j", "ctl", 0));
	ATF_CHECK_STREQ("A11\a", val("j", "oct", 0));
	ATF_CHECK_STREQ("AJKz\a", val("j", "hex", 0));
	ATF_CHECK_STREQ("q{", val("j", "other", 0));
}

ATF_TC_WITHOUT_HEAD(nul_escape);
ATF_TC_BODY(nul_escape, tc)
{
	/* A NUL ends a C string: FreeBSD's value stops there. */
	load("$v = x;\nj { a = \"ab\\0cd\"; b = \"a\\0b${v}c\"; c = 'q\\x'; }\n");
	ATF_CHECK_STREQ("ab", val("j", "a", 0));
	ATF_CHECK_STREQ("axc", val("j", "b", 0));
	ATF_CHECK_STREQ("q", val("j", "c", 0));
}

ATF_TC_WITHOUT_HEAD(continuation);
ATF_TC_BODY(continuation, tc)
{
	load("j {\n"
	    "  a = \"one \\\ntwo\";\n"
	    "  b = 'three \\\nfour';\n"
	    "  c = five\\\nsix;\n"
	    "  d = \"x\";\n"
	    "}\n");
	ATF_CHECK_STREQ("one two", val("j", "a", 0));
	ATF_CHECK_STREQ("three four", val("j", "b", 0));
	ATF_CHECK_STREQ("fivesix", val("j", "c", 0));
	/* Lines still count. */
	ATF_CHECK_EQ(8, cfjail_find(conf_jail("j"), "d")->where.line);
}

ATF_TC_WITHOUT_HEAD(comments);
ATF_TC_BODY(comments, tc)
{
	load("# shell\n"
	    "// C++\n"
	    "/* C,\n * on lines ** of its own */\n"
	    "j { /* in */ a = 1; // after\n"
	    "  b = 2; # after\n"
	    "  d = \"/* not */\"; e = '#not';\n"
	    "  f = a#b;\n"
	    "  ;\n"
	    "}\n");
	ATF_CHECK_STREQ("1", val("j", "a", 0));
	ATF_CHECK_STREQ("2", val("j", "b", 0));
	ATF_CHECK_EQ(6, cfjail_find(conf_jail("j"), "b")->where.line);
	/* A comment ends a word, as a blank does. */
	ATF_CHECK_STREQ("/* not */", val("j", "d", 0));
	ATF_CHECK_STREQ("#not", val("j", "e", 0));
	ATF_CHECK_STREQ("a", val("j", "f", 0));
	config_free();
	refused("j { c = x/**/y; }\n",
	    "jail: jail.conf line 1: y: syntax error\n");
}

/* ---- Variables ---- */

ATF_TC_WITHOUT_HEAD(variables);
ATF_TC_BODY(variables, tc)
{
	load("$root = /var/jail;\n"
	    "path = \"$root/$name\";\n"
	    "host.hostname = ${name}.example.org;\n"
	    "web {\n"
	    "  $port = 80;\n"
	    "  exec.start = \"serve -p $port -h ${host.hostname}\";\n"
	    "  exec.stop = 'echo $port';\n"
	    "  exec.poststart = \"echo \\$port=$port\";\n"
	    "  exec.prestart = $root$port, x${port}y;\n"
	    "}\n"
	    "db { }\n");
	ATF_CHECK_STREQ("/var/jail/web", val("web", "path", 0));
	ATF_CHECK_STREQ("/var/jail/db", val("db", "path", 0));
	ATF_CHECK_STREQ("db.example.org", val("db", "host.hostname", 0));
	ATF_CHECK_STREQ("serve -p 80 -h web.example.org",
	    val("web", "exec.start", 0));
	ATF_CHECK_STREQ("echo $port", val("web", "exec.stop", 0));
	ATF_CHECK_STREQ("echo $port=80", val("web", "exec.poststart", 0));
	ATF_CHECK_STREQ("/var/jail80", val("web", "exec.prestart", 0));
	ATF_CHECK_STREQ("x80y", val("web", "exec.prestart", 1));
	/* A $variable is no parameter. */
	ATF_CHECK(cfjail_find(conf_jail("web"), "root") == NULL);
	ATF_CHECK(cfjail_find(conf_jail("web"), "port") == NULL);
	ATF_CHECK(cfjail_find(conf_jail("web"), "$port") == NULL);
}

ATF_TC_WITHOUT_HEAD(variables_late);
ATF_TC_BODY(variables_late, tc)
{
	/*
	 * A reference is to the final value of the jail's parameter or
	 * variable, wherever it is set, itself expanded.
	 */
	load("$a = \"<$b>\";\n"
	    "path = \"/$a\";\n"
	    "j { exec.start = go; host.hostname = \"${exec.start}${path}\"; }\n"
	    "$b = \"$c$c\";\n"
	    "$c = c;\n"
	    "k { $c = k; }\n");
	ATF_CHECK_STREQ("/<cc>", val("j", "path", 0));
	ATF_CHECK_STREQ("go/<cc>", val("j", "host.hostname", 0));
	ATF_CHECK_STREQ("/<kk>", val("k", "path", 0));
	config_free();
	refused("$a = \"<$b>\";\nk { $c = k; path = \"/$a/${exec.start}\"; }\n"
	    "$b = \"$c$c\";\n",
	    "jail: jail.conf line 2: k: path: variable \"exec.start\" not "
	    "found\n");
}

ATF_TC_WITHOUT_HEAD(variables_lists);
ATF_TC_BODY(variables_lists, tc)
{
	/* A list is substituted whole, as the whole value only. */
	load("$addrs = 10.0.0.1, 10.0.0.2;\n"
	    "j { ip4.addr = $addrs, 10.0.0.3; exec.start = \"${addrs}\"; }\n"
	    "$empty = \"\";\n"
	    "k { ip4.addr = \"${empty}${addrs}\"; }\n");
	ATF_CHECK_EQ(3, nval("j", "ip4.addr"));
	ATF_CHECK_STREQ("10.0.0.2", val("j", "ip4.addr", 1));
	ATF_CHECK_STREQ("10.0.0.3", val("j", "ip4.addr", 2));
	ATF_CHECK_EQ(2, nval("j", "exec.start"));
	ATF_CHECK_EQ(2, nval("k", "ip4.addr"));
	config_free();
	refused("$l = a, b;\nj {\n exec.start = \"x $l\";\n}\n",
	    "jail: jail.conf line 3: j: exec.start: array cannot be "
	    "substituted inline\n");
	refused("$l = a, b;\nj { exec.start = $l$l; }\n",
	    "jail: jail.conf line 2: j: exec.start: array cannot be "
	    "substituted inline\n");
}

ATF_TC_WITHOUT_HEAD(variables_name);
ATF_TC_BODY(variables_name, tc)
{
	/* A numeric block is the jid; ${name} is the name it ends with. */
	load("path = \"/j/${name}\";\n"
	    "5309 { }\n"
	    "42 { name = basejail; }\n"
	    "basejail2 { jid = 7; }\n"
	    "0 { }\n");
	ATF_CHECK_STREQ("5309", val("5309", "jid", 0));
	ATF_CHECK_STREQ("5309", val("5309", "name", 0));
	ATF_CHECK_STREQ("/j/5309", val("5309", "path", 0));
	ATF_CHECK_STREQ("42", val("42", "jid", 0));
	ATF_CHECK_STREQ("basejail", val("42", "name", 0));
	ATF_CHECK_STREQ("/j/basejail", val("42", "path", 0));
	ATF_CHECK_STREQ("7", val("basejail2", "jid", 0));
	ATF_CHECK(cfjail_find(conf_jail("0"), "jid") == NULL);
	ATF_CHECK_STREQ("0", val("0", "name", 0));
	config_free();
	/* -e shows no jid, and the default name last. */
	check("5309 { path = /x; }\n42 { name = b; }\n", 0,
	    "path=/x|name=5309\nname=b\n", "");
}

ATF_TC_WITHOUT_HEAD(variables_errors);
ATF_TC_BODY(variables_errors, tc)
{
	refused("j {\n  path = \"/$nowhere\";\n}\n",
	    "jail: jail.conf line 2: j: path: variable \"nowhere\" not "
	    "found\n");
	/* In a wildcard: once per jail, at the wildcard's line. */
	refused("path = ${x.y};\na { }\nb { }\n",
	    "jail: jail.conf line 1: a: path: variable \"x.y\" not found\n"
	    "jail: jail.conf line 1: b: path: variable \"x.y\" not found\n");
	/* A bare boolean has no value to give. */
	refused("j { persist; path = $persist; }\n",
	    "jail: jail.conf line 1: j: path: variable \"persist\" not "
	    "found\n");
	refused("$a = $b;\n$b = \"x${a}\";\nj { path = $a; }\n",
	    "jail: jail.conf line 2: j: a: variable loop\n");
	refused("j { path = \"${path}/x\"; }\n",
	    "jail: jail.conf line 1: j: path: variable loop\n");
	refused("j { $path = /x; }\n",
	    "jail: jail.conf line 1: j: variable \"$path\" cannot have the "
	    "same name as a parameter.\n");
	refused("j { ${exec.start} = x; }\n",
	    "jail: jail.conf line 1: j: variable \"$exec.start\" cannot have "
	    "the same name as a parameter.\n");
	refused("j { $x = 1; x = 2; }\n",
	    "jail: jail.conf line 1: j: variable \"$x\" cannot have the same "
	    "name as a parameter.\n");
	refused("j {\n name = k;\n}\n",
	    "jail: jail.conf line 2: j: cannot redefine parameter "
	    "\"name\".\n");
	refused("1 { jid = 2; }\n",
	    "jail: jail.conf line 1: 1: cannot redefine parameter \"jid\".\n");
	refused("\"$v\" = 1;\n",
	    "jail: jail.conf line 1: variables not permitted in a parameter "
	    "name\n");
	refused("\"j$v\" { }\n",
	    "jail: jail.conf line 1: variables not permitted in a jail "
	    "name\n");
}

ATF_TC_WITHOUT_HEAD(variables_syntax);
ATF_TC_BODY(variables_syntax, tc)
{
	/* "$" alone, or before what cannot start a name, is a dollar. */
	load("j { a = \"$ $1 $-\"; b = $; c = x$1; d = \"${a b}\"; "
	    "\"a b\" = z; }\n");
	ATF_CHECK_STREQ("$ $1 $-", val("j", "a", 0));
	ATF_CHECK_STREQ("$", val("j", "b", 0));
	ATF_CHECK_STREQ("x$1", val("j", "c", 0));
	ATF_CHECK_STREQ("z", val("j", "d", 0));
}

/* ---- Includes ---- */

ATF_TC_WITHOUT_HEAD(include);
ATF_TC_BODY(include, tc)
{
	ATF_REQUIRE_EQ(0, mkdir("etc", 0755));
	ATF_REQUIRE_EQ(0, mkdir("etc/jail.conf.d", 0755));
	/* Relative to the including file; globs in order; in place. */
	write_file("etc/jail.conf",
	    "path = /first;\n"
	    ".include \"jail.conf.d/*.conf\";\n"
	    "a { path = /a; }\n"
	    "a { .include \"inblock\"; }\n"
	    ".include \"none.*\";\n");
	write_file("etc/jail.conf.d/2.conf", "c { }\n");
	write_file("etc/jail.conf.d/1.conf", "path = /second;\nb { }\n");
	write_file("etc/jail.conf.d/x.txt", "not { read; }\n");
	write_file("etc/inblock", "host.hostname = in;\ninner { }\n");
	check_file("etc/jail.conf", 0,
	    "name=b|path=/second\n"
	    "name=c|path=/second\n"
	    "name=a|path=/a|host.hostname=in\n"
	    "name=a.inner|path=/second\n", "");
	config_load("etc/jail.conf");
	ATF_CHECK_STREQ("etc/inblock",
	    cfjail_find(conf_jail("a"), "host.hostname")->where.file);
	ATF_CHECK_EQ(1, cfjail_find(conf_jail("a"), "host.hostname")->where.line);
}

ATF_TC_WITHOUT_HEAD(include_errors);
ATF_TC_BODY(include_errors, tc)
{
	refused(".include \"missing.conf\";\nj { }\n",
	    "jail: missing.conf: No such file or directory\n");
	refused(".include \"$dir/x\";\n",
	    "jail: jail.conf line 1: variables not permitted in '.include' "
	    "filename\n");
	/* An error in an included file stops there. */
	write_file("bad.conf", "a {\n b = ;\n}\n");
	refused(".include \"bad.conf\";\nc { d = ; }\n",
	    "jail: bad.conf line 2: ;: syntax error\n");
	/* A file that includes itself. */
	write_file("loop.conf", ".include \"loop.conf\";\n");
	refused(".include \"loop.conf\";\n",
	    "jail: loop.conf line 1: maximum include depth exceeded\n");
	ATF_REQUIRE_EQ(0, mkdir("dir", 0755));
	refused(".include \"dir\";\n", "jail: dir: Is a directory\n");
	/* ".include = x" is a parameter, as FreeBSD's reads it. */
	check("j { .include = x; }\n", 0, "name=j|.include=x\n", "");
}

/* ---- Files ---- */

ATF_TC_WITHOUT_HEAD(missing_file);
ATF_TC_BODY(missing_file, tc)
{
	check_file("nonexistent.conf", 1, "",
	    "jail: nonexistent.conf: No such file or directory\n");
}

ATF_TC_WITHOUT_HEAD(standard_input);
ATF_TC_BODY(standard_input, tc)
{
	pid_t pid;

	write_file("in.conf", "j { path = /x; }\nk {\n");
	pid = atf_utils_fork();
	if (pid == 0) {
		program_invocation_short_name = "jail";
		if (freopen("in.conf", "r", stdin) == NULL)
			exit(2);
		config_load("-");
		exit(0);
	}
	atf_utils_wait(pid, 1, "", "jail: STDIN: unexpected EOF\n");
	write_file("in.conf", "j { path = /x; }\n");
	pid = atf_utils_fork();
	if (pid == 0) {
		program_invocation_short_name = "jail";
		if (freopen("in.conf", "r", stdin) == NULL)
			exit(2);
		config_load("-");
		config_show(" ");
		exit(0);
	}
	atf_utils_wait(pid, 0, "name=j path=/x\n", "");
}

ATF_TC_WITHOUT_HEAD(default_files);
ATF_TC_BODY(default_files, tc)
{
	ATF_REQUIRE_EQ(0, mkdir("d", 0755));
	/* Neither there: no jails. */
	config_load_default("jail.conf", "d");
	ATF_CHECK_EQ(0, ncfjails);
	/* The directory alone, then both: the file first. */
	write_file("d/b.conf", "b { }\n");
	write_file("d/a.conf", "a { }\n");
	write_file("d/a.conf.bak", "bak { }\n");
	config_load_default("jail.conf", "d");
	ATF_REQUIRE_EQ(2, ncfjails);
	ATF_CHECK_STREQ("a", cfjails[0]->name);
	config_free();
	write_file("jail.conf", "persist;\nmain { }\n");
	config_load_default("jail.conf", "d");
	ATF_REQUIRE_EQ(3, ncfjails);
	ATF_CHECK_STREQ("main", cfjails[0]->name);
	ATF_CHECK_STREQ("a", cfjails[1]->name);
	/* One configuration: what is outside blocks is for every jail. */
	ATF_CHECK(cfjail_find(cfjails[1], "persist") != NULL);
	config_free();
	/* A jail.conf that includes the directory itself reads it once. */
	write_file("d/b.conf", "b { exec.start += x; }\n");
	write_file("jail.conf", "main { }\n.include \"d/*.conf\";\n");
	config_load_default("jail.conf", "d");
	ATF_REQUIRE_EQ(3, ncfjails);
	ATF_REQUIRE(cfjail_find(cfjails[2], "exec.start") != NULL);
	ATF_CHECK_EQ(1, cfjail_find(cfjails[2], "exec.start")->nval);
}

ATF_TC_WITHOUT_HEAD(where);
ATF_TC_BODY(where, tc)
{
	load("path = /x;\n"
	    "j {\n"
	    "  exec.start = a;\n"
	    "  exec.start += b;\n"
	    "  persist;\n"
	    "  nopersist;\n"
	    "}\n");
	ATF_CHECK_STREQ("jail.conf", cfjail_find(conf_jail("j"), "path")->where.file);
	ATF_CHECK_EQ(1, cfjail_find(conf_jail("j"), "path")->where.line);
	ATF_CHECK_EQ(2, cfjail_find(conf_jail("j"), "name")->where.line);
	ATF_CHECK_EQ(4, cfjail_find(conf_jail("j"), "exec.start")->where.line);
	ATF_CHECK_EQ(6, cfjail_find(conf_jail("j"), "persist")->where.line);
}

/* ---- Errors ---- */

ATF_TC_WITHOUT_HEAD(syntax_errors);
ATF_TC_BODY(syntax_errors, tc)
{
	refused("j {\n  path = ;\n}\n",
	    "jail: jail.conf line 2: ;: syntax error\n");
	refused("j {\n  path = /x\n}\n",
	    "jail: jail.conf line 3: }: syntax error\n");
	refused("j {\n  path = /x;\n", "jail: jail.conf: unexpected EOF\n");
	refused("}\n", "jail: jail.conf line 1: }: syntax error\n");
	refused("a = b = c;\n", "jail: jail.conf line 1: =: syntax error\n");
	refused("j { k = \"v\" \"w\"; }\n",
	    "jail: jail.conf line 1: \"w\": syntax error\n");
	refused("j { a = 1; }\n\n x { \x01 }\n",
	    "jail: jail.conf line 3: \x01: syntax error\n");
	/* Each error is reported, and the load goes on to the next. */
	refused("a { b = ; }\nc { d = ; }\ne { f = 1; }\n",
	    "jail: jail.conf line 1: ;: syntax error\n"
	    "jail: jail.conf line 2: ;: syntax error\n");
}

ATF_TC_WITHOUT_HEAD(lexical_errors);
ATF_TC_BODY(lexical_errors, tc)
{
	refused("j {\n  path = \"/x;\n}\n",
	    "jail: jail.conf line 2: unterminated string\n"
	    "jail: jail.conf line 3: }: syntax error\n");
	refused("j { path = 'x; }\n",
	    "jail: jail.conf line 1: unterminated string\n"
	    "jail: jail.conf: unexpected EOF\n");
	refused("j { }\n/* no end\n\n",
	    "jail: jail.conf line 4: unterminated comment\n");
	refused("j { path = ${x;\n}\n",
	    "jail: jail.conf line 1: unterminated variable\n"
	    "jail: jail.conf line 2: }: syntax error\n");
	/* Braces hold anything but braces and newlines. */
	load("j { path = ${x; }; \"x; \" = 1; }\n");
	ATF_CHECK_STREQ("1", val("j", "path", 0));
	refused("j { path = \"${x\"; }\n",
	    "jail: jail.conf line 1: unterminated variable\n"
	    "jail: jail.conf line 1: ;: syntax error\n");
}

ATF_TC_WITHOUT_HEAD(parameter_errors);
ATF_TC_BODY(parameter_errors, tc)
{
	/* Left to cfjail_set: an unknown jail(8) parameter, a bad boolean. */
	refused("j { exec.bogus = x; }\n",
	    "jail: unknown parameter: exec.bogus\n");
	refused("j { persist = maybe; }\n",
	    "jail: persist: unknown boolean value \"maybe\"\n");
}

ATF_TC_WITHOUT_HEAD(nesting_limit);
ATF_TC_BODY(nesting_limit, tc)
{
	char text[1024] = "";

	for (int i = 0; i < CONF_BLOCK_DEPTH + 1; i++)
		strcat(text, "a{");
	refused(text, "jail: jail.conf line 1: jail definitions nested too "
	    "deeply\n");
}

/* Load TEXT in a child: it must be refused with a message holding MSG. */
static void
refused_with(const char *text, const char *msg)
{
	pid_t pid;

	write_file("jail.conf", text);
	pid = atf_utils_fork();
	if (pid == 0) {
		config_load("jail.conf");
		exit(0);
	}
	atf_utils_wait(pid, 1, "", "save:err");
	ATF_CHECK_MSG(atf_utils_grep_file("%s", "err", msg), "no \"%s\"", msg);
}

ATF_TC_WITHOUT_HEAD(expansion_limit);
ATF_TC_BODY(expansion_limit, tc)
{
	char *text = NULL;
	size_t size = 0;
	FILE *fp;

	/* Each variable doubles the one before: 2^40 bytes. */
	fp = open_memstream(&text, &size);
	fprintf(fp, "$v0 = xxxxxxxx;\n");
	for (int i = 1; i <= 40; i++)
		fprintf(fp, "$v%d = \"$v%d$v%d\";\n", i, i - 1, i - 1);
	fprintf(fp, "j { path = $v40; }\n");
	fclose(fp);
	refused_with(text, "j: v18: variables expand beyond the limit");
	free(text);
	/* Each list twice the one before: 2^40 values. */
	fp = open_memstream(&text, &size);
	fprintf(fp, "$l0 = a, b;\n");
	for (int i = 1; i <= 40; i++)
		fprintf(fp, "$l%d = $l%d, $l%d;\n", i, i - 1, i - 1);
	fprintf(fp, "j { ip4.addr = $l40; }\n");
	fclose(fp);
	refused_with(text, "j: l13: too many values");
	free(text);
	/* A chain of references deeper than the limit, each to a later one. */
	fp = open_memstream(&text, &size);
	fprintf(fp, "j { path = $c0; }\n");
	for (int i = 0; i < CONF_EXPAND_DEPTH + 10; i++)
		fprintf(fp, "$c%d = \"<$c%d>\";\n", i, i + 1);
	fprintf(fp, "$c%d = end;\n", CONF_EXPAND_DEPTH + 10);
	fclose(fp);
	refused_with(text, "variables nested too deeply");
	free(text);
	/* Below the limits, all is well. */
	load("$c0 = e;\n$c1 = \"<$c0>\";\n$c2 = \"<$c1>\";\n"
	    "j { path = $c2; }\n");
	ATF_CHECK_STREQ("<<e>>", val("j", "path", 0));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, empty);
	ATF_TP_ADD_TC(tp, blocks);
	ATF_TP_ADD_TC(tp, statement_forms);
	ATF_TP_ADD_TC(tp, show_lists);
	ATF_TP_ADD_TC(tp, booleans);
	ATF_TP_ADD_TC(tp, wildcard_order);
	ATF_TP_ADD_TC(tp, wildcard_partial);
	ATF_TP_ADD_TC(tp, wildcard_only);
	ATF_TP_ADD_TC(tp, quoting);
	ATF_TP_ADD_TC(tp, escapes);
	ATF_TP_ADD_TC(tp, nul_escape);
	ATF_TP_ADD_TC(tp, continuation);
	ATF_TP_ADD_TC(tp, comments);
	ATF_TP_ADD_TC(tp, variables);
	ATF_TP_ADD_TC(tp, variables_late);
	ATF_TP_ADD_TC(tp, variables_lists);
	ATF_TP_ADD_TC(tp, variables_name);
	ATF_TP_ADD_TC(tp, variables_errors);
	ATF_TP_ADD_TC(tp, variables_syntax);
	ATF_TP_ADD_TC(tp, include);
	ATF_TP_ADD_TC(tp, include_errors);
	ATF_TP_ADD_TC(tp, missing_file);
	ATF_TP_ADD_TC(tp, standard_input);
	ATF_TP_ADD_TC(tp, default_files);
	ATF_TP_ADD_TC(tp, where);
	ATF_TP_ADD_TC(tp, syntax_errors);
	ATF_TP_ADD_TC(tp, lexical_errors);
	ATF_TP_ADD_TC(tp, parameter_errors);
	ATF_TP_ADD_TC(tp, nesting_limit);
	ATF_TP_ADD_TC(tp, expansion_limit);
	return atf_no_error();
}
