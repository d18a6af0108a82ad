/*
 * The items of seqfuzz's requests: parameter changes the prison must make,
 * and ones it must refuse.  The names come from the parameter table, so a
 * new parameter is fuzzed without a change here.  No valid change clears
 * persist: the jail must outlive the run.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "param.h"
#include "seqfuzz.h"
#include "sys/jail.h"

#define	HOSTCHARS	"abcdefghijklmnopqrstuvwxyz0123456789-"
#define	TEXTCHARS	" !#$%&()*+,-./0123456789:;<>?@ABCXYZ[]^_abcxyz{|}~\t"

/* A parameter of the table, by a test on its row. */
static const struct jparam_def *
pick_param(struct fz *f, int (*fits)(const struct jparam_def *))
{
	for (int tries = 0; tries < 1000; tries++) {
		const struct jparam_def *d = &jparam_table[fz_below(f,
		    (unsigned)jparam_count)];

		if (fits(d))
			return d;
	}
	return &jparam_table[0];
}

/* allow.* that root may turn on and off: not refused, not sysvipc (fixed). */
static int
safe_allow(const struct jparam_def *d)
{
	return d->bit != 0 && d->linux_support != JPL_REFUSED &&
	    d->bit != JA_SYSVIPC;
}

static int
refused_allow(const struct jparam_def *d)
{
	return d->bit != 0 && d->linux_support == JPL_REFUSED;
}

static int
create_only(const struct jparam_def *d)
{
	return d->access == JPA_CREATE && strcmp(d->name, "jid") != 0;
}

static int
read_only(const struct jparam_def *d)
{
	return d->access == JPA_RO;
}

static void
add_bool(struct fz *f, struct jmsg_buf *b, const char *name, int v)
{
	if (v && fz_below(f, 2) == 0)
		jmsg_add(b, name, NULL, 0, 1);	/* a name alone is "true" */
	else
		jmsg_add_int(b, name, v);
}

static void
add_addrs(struct fz *f, struct jmsg_buf *b)
{
	struct in_addr a[3];
	unsigned n = 1 + fz_below(f, 3), base = 1 + fz_below(f, 200);

	for (unsigned i = 0; i < n; i++)
		a[i].s_addr = htonl(0xc0000200U + base + i);	/* 192.0.2.x */
	jmsg_add(b, "ip4.addr", a, n * sizeof(a[0]), 0);
}

/* One change the prison must make. */
void
req_add_valid(struct fz *f, struct jmsg_buf *b)
{
	char s[320], key[16];
	const struct jparam_def *d;

	switch (fz_below(f, 11)) {
	case 0:
		if (fz_below(f, 2) == 0)
			jmsg_add_str(b, "name", f->name);
		else {
			snprintf(s, sizeof(s), "%s-sf%u", f->name, fz_below(f, 3));
			jmsg_add_str(b, "name", s);
		}
		return;
	case 1:
	case 2:
		fz_str(f, s, 1 + fz_below(f, 63), HOSTCHARS);
		jmsg_add_str(b, fz_below(f, 3) ? "host.hostname" :
		    "host.domainname", s);
		return;
	case 3:
	case 4:
		d = pick_param(f, safe_allow);
		if (fz_below(f, 2) == 0) {
			add_bool(f, b, d->name, (int)fz_below(f, 2));
			return;
		}
		/* allow.mount.tmpfs -> allow.mount.notmpfs */
		{
			const char *dot = strrchr(d->name, '.');
			int pre = (int)(dot - d->name) + 1;

			snprintf(s, sizeof(s), "%.*sno%s", pre, d->name, dot + 1);
			add_bool(f, b, s, (int)fz_below(f, 2));
		}
		return;
	case 5:
	case 6:
		snprintf(key, sizeof(key), "%s.k%u", fz_below(f, 3) ? "meta" :
		    "env", fz_below(f, 8));
		if (fz_below(f, 4) == 0)
			jmsg_add(b, key, NULL, 0, 1);	/* delete the key */
		else {
			fz_str(f, s, fz_below(f, 300), TEXTCHARS);
			jmsg_add_str(b, key, s);
		}
		return;
	case 7:	/* not all of meta: the probe keeps a key of its own there */
		jmsg_add_str(b, "env", fz_below(f, 2) ? "" :
		    "a=1\nb=two\nk3=three");
		return;
	case 8: {
		static const struct { const char *n; int lo, hi; } ints[] = {
			{ "securelevel", -1, 3 }, { "enforce_statfs", 0, 2 },
			{ "devfs_ruleset", 0, 65535 }, { "children.max", 0, 100 },
		};
		unsigned k = fz_below(f, 4);

		jmsg_add_int(b, ints[k].n, ints[k].lo +
		    (int)fz_below(f, (unsigned)(ints[k].hi - ints[k].lo + 1)));
		return;
	}
	case 9:
		if (fz_below(f, 2) == 0) {
			fz_str(f, s, 36, "0123456789abcdef-");
			jmsg_add_str(b, "host.hostuuid", s);
		} else {
			unsigned long id = fz_rand(f);

			jmsg_add(b, "host.hostid", &id, sizeof(id), 0);
		}
		return;
	default:
		if (f->ip4new)
			add_addrs(f, b);
		else
			add_bool(f, b, fz_below(f, 2) ? "ip4.saddrsel" :
			    "ip6.saddrsel", (int)fz_below(f, 2));
		return;
	}
}

/* A name the prison must refuse, with a value of some kind. */
static void
add_bad_name(struct fz *f, struct jmsg_buf *b)
{
	char s[320];
	const struct jparam_def *d;

	switch (fz_below(f, 4)) {
	case 0:
		fz_str(f, s, 1 + fz_below(f, 40), "abcxyz.");
		memcpy(s, "nosuch.", 7 < strlen(s) ? 7 : strlen(s));
		jmsg_add_int(b, s, 1);
		return;
	case 1:
		d = pick_param(f, read_only);
		jmsg_add_int(b, d->name, 1);
		return;
	case 2:
		d = pick_param(f, create_only);
		if (d->kind == JPK_STRING)
			jmsg_add_str(b, d->name, d->name[0] == 'i' ? "identity" :
			    "/tmp");
		else
			jmsg_add_int(b, d->name, 1);
		return;
	default:
		jmsg_add_int(b, "jid", f->jid + 1 + (int)fz_below(f, 10));
		return;
	}
}

/* A value the prison must refuse, for a name it knows. */
static void
add_bad_value(struct fz *f, struct jmsg_buf *b)
{
	static const char *const names[] = { "123456", "a.b", "", "x.y.z" };
	static const int ints[][2] = {
		{ 0, 3 }, { 0, -1 }, { 1, 70000 }, { 1, -1 }, { 2, -2 },
		{ 2, -2147483647 - 1 }, { 3, -1 }, { 3, JAIL_MAX },
	};
	static const char *const intnames[] = { "enforce_statfs",
	    "devfs_ruleset", "securelevel", "children.max" };
	char s[320];
	unsigned k;

	switch (fz_below(f, 6)) {
	case 0:
		if (f->other != NULL && fz_below(f, 2) == 0)
			jmsg_add_str(b, "name", f->other);
		else
			jmsg_add_str(b, "name", names[fz_below(f, 4)]);
		return;
	case 1:
		k = 65 + fz_below(f, 250);
		fz_str(f, s, k, HOSTCHARS);
		jmsg_add_str(b, fz_below(f, 2) ? "host.hostname" :
		    "host.domainname", s);
		return;
	case 2:
		k = fz_below(f, 8);
		jmsg_add_int(b, intnames[ints[k][0]], ints[k][1]);
		return;
	case 3:	/* an int of the wrong size; for securelevel, none */
		k = fz_below(f, 9);
		memset(s, 1, 8);
		if (k == 4)
			k = 8;
		if (fz_below(f, 2) == 0)
			jmsg_add(b, "securelevel", s, k, k == 0);
		else
			jmsg_add(b, "persist", s, k == 0 ? 2 : k, 0);
		return;
	case 4:
		if (fz_below(f, 2) == 0)
			add_bool(f, b, pick_param(f, refused_allow)->name, 1);
		else
			jmsg_add_int(b, "allow.sysvipc", 1);
		return;
	default:
		/*
		 * A key's value must end with its NUL (a newline in it, or
		 * an = in the key, FreeBSD's kernel takes, and so do we).
		 */
		memset(s, 'v', 8);
		jmsg_add(b, fz_below(f, 2) ? "meta.k1" : "env.k1", s,
		    1 + fz_below(f, 8), 0);
		return;
	}
}

/* Addresses the prison must refuse. */
static void
add_bad_addrs(struct fz *f, struct jmsg_buf *b)
{
	static const uint32_t bad[] = { 0, 0xffffffffU, 0xe0000001U };
	uint32_t a[4] = { 0 };

	switch (fz_below(f, 4)) {
	case 0:
		a[0] = htonl(bad[fz_below(f, 3)]);
		jmsg_add(b, "ip4.addr", a, 4, 0);
		return;
	case 1:
		a[0] = a[1] = htonl(0xc0000201U);
		jmsg_add(b, "ip4.addr", a, 8, 0);
		return;
	case 2:
		jmsg_add(b, fz_below(f, 2) ? "ip4.addr" : "ip6.addr", a,
		    1 + fz_below(f, 3), 0);
		return;
	default:
		if (!f->ip4new)
			add_addrs(f, b);	/* the jail has no ip4=new */
		else
			jmsg_add(b, "ip6.addr", "0123456789abcdef", 16, 0);
		return;
	}
}

/* Big things in small places: meta and host strings, host.hostid. */
static void
add_too_big(struct fz *f, struct jmsg_buf *b)
{
	static char big[JAIL_META_MAXBUF + 64];
	unsigned long id = 1;

	switch (fz_below(f, 4)) {
	case 0:
		memset(big, 'm', sizeof(big) - 1);
		big[JAIL_META_MAXBUF + fz_below(f, 60)] = '\0';
		jmsg_add_str(b, fz_below(f, 2) ? "meta" : "meta.big", big);
		return;
	case 1:
		memset(big, 'u', 100);
		big[65 + fz_below(f, 35)] = '\0';
		jmsg_add_str(b, "host.hostuuid", big);
		return;
	case 2:
		jmsg_add(b, "host.hostid", &id, 4, 0);
		return;
	default:	/* a string without its NUL */
		jmsg_add(b, fz_below(f, 2) ? "name" : "host.hostname", "abcd",
		    4, 0);
		return;
	}
}

/* One change the prison must refuse, whatever else the request holds. */
void
req_add_invalid(struct fz *f, struct jmsg_buf *b)
{
	switch (fz_below(f, 4)) {
	case 0:
		add_bad_name(f, b);
		return;
	case 1:
		add_bad_value(f, b);
		return;
	case 2:
		add_bad_addrs(f, b);
		return;
	default:
		add_too_big(f, b);
		return;
	}
}

/*
 * A meta.KEY value without its NUL.  Strings must end with one, so the
 * prison should refuse it; see probe.c (check "meta-nul") for what it does.
 */
void
req_add_unterminated(struct fz *f, struct jmsg_buf *b, const char *key)
{
	jmsg_add(b, key, "abcd", 4, 0);
}
