/*
 * Checking and applying parameters in the prison.  Everything here comes
 * from a client, so every value is checked again against the table before
 * it touches the jail's state; a failed request changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "internal.h"
#include "prison.h"
#include "sys/jail.h"

/*
 * A meta or env value over the host's maximum: FreeBSD's EFBIG, with no
 * message of its own (libjail says "jail_set: File too large").
 */
static int
too_large(char *err, size_t errlen)
{
	if (errlen > 0)
		err[0] = '\0';
	errno = EFBIG;
	return -1;
}

static int
get_int(const struct jmsg_item *it, int *v)
{
	if (it->null || it->len != sizeof(int))
		return -1;
	memcpy(v, it->value, sizeof(int));
	return 0;
}

/*
 * Replace, add (newest first) or delete KEY=... in a meta/env buffer of
 * at most SIZE bytes.  As FreeBSD's, any key and value are taken (a
 * newline in one makes more lines); a result over SIZE is EFBIG.
 */
static int
set_key(char *buf, size_t size, const char *key, const char *val, char *err,
    size_t errlen)
{
	static char out[JAIL_META_CEIL], copy[JAIL_META_CEIL];
	char *line, *save = NULL;
	size_t klen = strlen(key), len = 0;
	int n;

	out[0] = '\0';
	if (val != NULL) {
		n = snprintf(out, sizeof(out), "%s=%s", key, val);
		if (n < 0 || (size_t)n >= size)
			return too_large(err, errlen);
		len = (size_t)n;
	}
	snprintf(copy, sizeof(copy), "%s", buf);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == '=')
			continue;
		n = snprintf(out + len, sizeof(out) - len, "%s%s",
		    len > 0 ? "\n" : "", line);
		if (n < 0 || len + (size_t)n >= size)
			return too_large(err, errlen);
		len += (size_t)n;
	}
	memcpy(buf, out, len + 1);
	return 0;
}

static int
check_addrs4(const struct jmsg_item *it, struct jstate *st, char *err,
    size_t errlen)
{
	struct in_addr a[JAIL_MAX_AF_IPS];
	unsigned n = it->len / sizeof(struct in_addr);

	if (it->len % sizeof(struct in_addr) != 0)
		return jerr(err, errlen, EINVAL, "ip4.addr: bad size");
	if (n > JAIL_MAX_AF_IPS)
		return jerr(err, errlen, EINVAL, "too many IPv4 addresses");
	memcpy(a, it->value, it->len);
	for (unsigned i = 0; i < n; i++) {
		uint32_t h = ntohl(a[i].s_addr);

		if (h == INADDR_ANY || h == INADDR_BROADCAST || (h >> 28) == 0xe)
			return jerr(err, errlen, EINVAL, "invalid IPv4 address");
		for (unsigned k = 0; k < i; k++)
			if (a[k].s_addr == a[i].s_addr)
				return jerr(err, errlen, EINVAL,
				    "duplicate IPv4 address");
	}
	/* The first address is primary; the rest are kept sorted. */
	for (unsigned i = 2; i < n; i++)
		for (unsigned k = i; k > 1 && ntohl(a[k - 1].s_addr) >
		    ntohl(a[k].s_addr); k--) {
			struct in_addr t = a[k];
			a[k] = a[k - 1];
			a[k - 1] = t;
		}
	memcpy(st->ip4_addr, a, it->len);
	st->n_ip4 = n;
	return 0;
}

static int
check_addrs6(const struct jmsg_item *it, struct jstate *st, char *err,
    size_t errlen)
{
	struct in6_addr a[JAIL_MAX_AF_IPS];
	unsigned n = it->len / sizeof(struct in6_addr);

	if (it->len % sizeof(struct in6_addr) != 0)
		return jerr(err, errlen, EINVAL, "ip6.addr: bad size");
	if (n > JAIL_MAX_AF_IPS)
		return jerr(err, errlen, EINVAL, "too many IPv6 addresses");
	memcpy(a, it->value, it->len);
	for (unsigned i = 0; i < n; i++) {
		if (IN6_IS_ADDR_UNSPECIFIED(&a[i]) || IN6_IS_ADDR_MULTICAST(&a[i]))
			return jerr(err, errlen, EINVAL, "invalid IPv6 address");
		for (unsigned k = 0; k < i; k++)
			if (memcmp(&a[k], &a[i], sizeof(a[i])) == 0)
				return jerr(err, errlen, EINVAL,
				    "duplicate IPv6 address");
	}
	for (unsigned i = 2; i < n; i++)
		for (unsigned k = i; k > 1 && memcmp(&a[k - 1], &a[k],
		    sizeof(a[k])) > 0; k--) {
			struct in6_addr t = a[k];
			a[k] = a[k - 1];
			a[k - 1] = t;
		}
	memcpy(st->ip6_addr, a, it->len);
	st->n_ip6 = n;
	return 0;
}

static int
apply_one(struct jstate *st, const struct jmsg_item *it, int creating,
    int *seen_ip4, int *seen_ip6, int *seen_host, char *err, size_t errlen)
{
	const struct jparam_def *d;
	const char *key;
	int neg, v;

	d = jparam_lookup(it->name, &neg, &key);
	if (d == NULL || d->access == JPA_RO || d->access == JPA_PSEUDO)
		return jerr(err, errlen, EINVAL, "unknown parameter: %s", it->name);
	if (d->access == JPA_CREATE && !creating && strcmp(d->name, "jid") != 0)
		return jerr(err, errlen, EINVAL,
		    "%s cannot be changed after creation", d->name);

	switch (d->kind) {
	case JPK_BOOL:
		if (it->null)
			v = 1;
		else if (get_int(it, &v) < 0)
			return jerr(err, errlen, EINVAL, "%s: bad value", it->name);
		v = (v != 0) ^ neg;
		if (d->bit != 0) {
			if (v && d->linux_support == JPL_REFUSED)
				return jerr(err, errlen, EPERM,
				    "%s cannot be granted on Linux", d->name);
			if (v)
				st->allow |= d->bit;
			else
				st->allow &= ~d->bit;
		} else
			*(int *)jstate_field(st, d) = v;
		return 0;
	case JPK_INT:
	case JPK_JAILSYS:
		if (get_int(it, &v) < 0)
			return jerr(err, errlen, EINVAL, "%s: bad value", it->name);
		if (d->kind == JPK_JAILSYS) {
			if (v < JAIL_SYS_DISABLE || v > JAIL_SYS_INHERIT)
				return jerr(err, errlen, EINVAL,
				    "%s: bad value %d", d->name, v);
			if (v == JAIL_SYS_DISABLE && (strcmp(d->name, "host") == 0 ||
			    strcmp(d->name, "vnet") == 0))
				return jerr(err, errlen, EINVAL,
				    "%s cannot be disabled", d->name);
		}
		if (strcmp(d->name, "jid") == 0) {
			if (v < 0)
				return jerr(err, errlen, EINVAL, "negative jid");
			if (v > JAIL_MAX)
				return jerr(err, errlen, EINVAL,
				    "jid %d out of range", v);
			if (!creating && v != 0 && v != st->jid)
				return jerr(err, errlen, EINVAL, "cannot change jid");
			if (creating)
				st->jid = v;
			return 0;
		}
		if (strcmp(d->name, "enforce_statfs") == 0 && (v < 0 || v > 2))
			return jerr(err, errlen, EINVAL, "enforce_statfs: %d out of "
			    "range (0 to 2)", v);
		if (strcmp(d->name, "devfs_ruleset") == 0 && (v < 0 || v > 65535))
			return jerr(err, errlen, EINVAL, "devfs_ruleset: %d out of "
			    "range (0 to 65535)", v);
		if (strcmp(d->name, "securelevel") == 0 && v < -1)
			return jerr(err, errlen, EPERM, "securelevel cannot be "
			    "lower than the parent's (-1)");
		if (strcmp(d->name, "children.max") == 0) {
			if (v < 0)
				return jerr(err, errlen, EINVAL,
				    "children.max cannot be negative");
			if (v >= JAIL_MAX)
				return jerr(err, errlen, EPERM,
				    "prison limit exceeded");
		}
		if (strcmp(d->name, "osreldate") == 0 && v == 0)
			return jerr(err, errlen, EINVAL, "osreldate cannot be 0");
		if (strcmp(d->name, "ip4") == 0)
			*seen_ip4 = 1;
		if (strcmp(d->name, "ip6") == 0)
			*seen_ip6 = 1;
		if (strcmp(d->name, "host") == 0)
			*seen_host = 1;
		*(int *)jstate_field(st, d) = v;
		return 0;
	case JPK_ULONG:
		if (it->null || it->len != sizeof(unsigned long))
			return jerr(err, errlen, EINVAL, "%s: bad value", it->name);
		if (strcmp(d->name, "idmap.base") == 0) {
			/* Checked against the pool and the other jails later. */
			memcpy(&st->idmap_base, it->value, sizeof(unsigned long));
			return 0;
		}
		if (!creating && st->host != JAIL_SYS_NEW)
			return jerr(err, errlen, EINVAL, "%s: the jail shares the "
			    "host's host information", d->name);
		memcpy(jstate_field(st, d), it->value, sizeof(unsigned long));
		if (!*seen_host)
			st->host = JAIL_SYS_NEW;
		return 0;
	case JPK_STRING: {
		const char *s = it->value;

		/*
		 * meta and env, as FreeBSD's: longer than the host's maximum
		 * is EFBIG; a value must end in its NUL (or set_key reads on
		 * past it); no value empties the buffer, or deletes KEY.
		 */
		if (d->keyvalue) {
			size_t max = jparam_maxlen(d);

			if (it->len > max)
				return too_large(err, errlen);
			if (!it->null && s[it->len - 1] != '\0')
				return jerr(err, errlen, EINVAL, "%s: bad string",
				    it->name);
			if (key != NULL)
				return set_key(jstate_field(st, d), max, key,
				    it->null ? NULL : s, err, errlen);
			strcpy(jstate_field(st, d), it->null ? "" : s);
			return 0;
		}
		if (it->null || it->len == 0 || s[it->len - 1] != '\0')
			return jerr(err, errlen, EINVAL, "%s: bad string", d->name);
		if (it->len > d->maxlen) {
			if (strcmp(d->name, "osrelease") == 0)
				return jerr(err, errlen, ENAMETOOLONG,
				    "osrelease string must be 1-%u bytes long",
				    d->maxlen - 1);
			return jerr(err, errlen, ENAMETOOLONG, "%s: too long",
			    d->name);
		}
		if (strcmp(d->name, "osrelease") == 0 && s[0] == '\0')
			return jerr(err, errlen, EINVAL,
			    "osrelease string must be 1-%u bytes long",
			    d->maxlen - 1);
		if (strcmp(d->name, "path") == 0 && s[0] != '/')
			return jerr(err, errlen, EINVAL, "path must be absolute");
		if (strcmp(d->name, "idmap") == 0 && strcmp(s, "private") != 0 &&
		    strcmp(s, "identity") != 0)
			return jerr(err, errlen, EINVAL, "idmap must be private or "
			    "identity");
		if (strcmp(d->name, "name") == 0) {
			if (strchr(s, '.') != NULL)
				return jerr(err, errlen, EINVAL,
				    "child jails are not supported");
			if (s[0] == '\0' && !creating)
				return jerr(err, errlen, EINVAL, "empty name");
		}
		/* Linux keeps 64 bytes of host and domain name (FreeBSD 255). */
		if ((strcmp(d->name, "host.hostname") == 0 ||
		    strcmp(d->name, "host.domainname") == 0) && it->len > 65)
			return jerr(err, errlen, ENAMETOOLONG, "%s: Linux allows "
			    "at most 64 bytes", d->name);
		if (strncmp(d->name, "host.", 5) == 0 && !*seen_host) {
			if (!creating && st->host != JAIL_SYS_NEW)
				return jerr(err, errlen, EINVAL, "%s: the jail "
				    "shares the host's host information", d->name);
			st->host = JAIL_SYS_NEW;
		}
		memcpy(jstate_field(st, d), s, it->len);
		return 0;
	}
	case JPK_IN_ADDR:
		*seen_ip4 = *seen_ip4 ? *seen_ip4 : 2;
		return check_addrs4(it, st, err, errlen);
	case JPK_IN6_ADDR:
		*seen_ip6 = *seen_ip6 ? *seen_ip6 : 2;
		return check_addrs6(it, st, err, errlen);
	}
	return jerr(err, errlen, EINVAL, "%s: unknown type", it->name);
}

int
params_apply(struct jstate *st, const struct jmsg *m, int creating, char *err,
    size_t errlen)
{
	int seen_ip4 = 0, seen_ip6 = 0, seen_host = 0;
	int old_sysv[3] = { st->sysvmsg, st->sysvsem, st->sysvshm };

	for (unsigned i = 0; i < m->n; i++)
		if (apply_one(st, &m->item[i], creating, &seen_ip4, &seen_ip6,
		    &seen_host, err, errlen) < 0)
			return -1;

	if (seen_ip4 || seen_ip6)
		net_proxy_prune(st);
	/* An address list without ip4/ip6 means "new", as on FreeBSD. */
	if (creating && seen_ip4 == 2 && st->n_ip4 > 0)
		st->ip4 = JAIL_SYS_NEW;
	if (creating && seen_ip6 == 2 && st->n_ip6 > 0)
		st->ip6 = JAIL_SYS_NEW;
	if (st->allow & JA_SYSVIPC) {
		/* allow.sysvipc is the old spelling of sysv*=inherit. */
		st->sysvmsg = st->sysvsem = st->sysvshm = JAIL_SYS_INHERIT;
	}
	if (!creating && (st->sysvmsg != old_sysv[0] || st->sysvsem != old_sysv[1] ||
	    st->sysvshm != old_sysv[2]))
		return jerr(err, errlen, EINVAL,
		    "allow.sysvipc cannot be changed after creation");
	if (!creating && seen_ip4 && st->n_ip4 > 0 && st->ip4 != JAIL_SYS_NEW)
		return jerr(err, errlen, EINVAL, "ip4.addr needs ip4=new");
	if (!creating && seen_ip6 && st->n_ip6 > 0 && st->ip6 != JAIL_SYS_NEW)
		return jerr(err, errlen, EINVAL, "ip6.addr needs ip6=new");
	return params_check_combination(st, err, errlen);
}

int
params_check_combination(const struct jstate *st, char *err, size_t errlen)
{
	int sysv[3] = { st->sysvmsg, st->sysvsem, st->sysvshm }, new = 0, inh = 0;

	for (int i = 0; i < 3; i++) {
		new |= sysv[i] == JAIL_SYS_NEW;
		inh |= sysv[i] == JAIL_SYS_INHERIT;
	}
	if (new && inh)
		return jerr(err, errlen, EINVAL, "sysvmsg, sysvsem and sysvshm "
		    "cannot mix new and inherit: Linux has one IPC namespace");
	if (st->vnet == JAIL_SYS_NEW && (st->ip4 != JAIL_SYS_DISABLE ||
	    st->ip6 != JAIL_SYS_DISABLE || st->n_ip4 > 0 || st->n_ip6 > 0))
		return jerr(err, errlen, EINVAL,
		    "vnet jails cannot have IP address restrictions");
	if ((st->ip4 == JAIL_SYS_INHERIT && st->ip6 == JAIL_SYS_NEW) ||
	    (st->ip6 == JAIL_SYS_INHERIT && st->ip4 == JAIL_SYS_NEW))
		return jerr(err, errlen, EINVAL, "ip4 and ip6 cannot mix new and "
		    "inherit: Linux has one network namespace per jail");
	if (st->ip4 != JAIL_SYS_NEW && st->n_ip4 > 0)
		return jerr(err, errlen, EINVAL, "ip4.addr needs ip4=new");
	if (strcmp(st->idmap, "identity") == 0 && st->idmap_base != 0)
		return jerr(err, errlen, EINVAL,
		    "idmap.base needs idmap=private");
	if (st->ip6 != JAIL_SYS_NEW && st->n_ip6 > 0)
		return jerr(err, errlen, EINVAL, "ip6.addr needs ip6=new");
	if (st->vnet_netns[0] != '\0' && (st->vnet != JAIL_SYS_NEW ||
	    st->vnet_interface[0] != '\0' || st->vnet_netns[0] != '/'))
		return jerr(err, errlen, EINVAL, st->vnet != JAIL_SYS_NEW ?
		    "vnet.netns needs vnet" : st->vnet_netns[0] != '/' ?
		    "vnet.netns: not an absolute path" :
		    "vnet.netns and vnet.interface cannot be combined");
	if (net_proxy_check(st, err, errlen) < 0 ||
	    net_vnet_check(st, err, errlen) < 0)
		return -1;
	return 0;
}

ssize_t
params_encode(const struct jstate *st, void *buf, size_t size)
{
	struct jmsg_buf b;

	jmsg_start(&b, buf, size, JM_GET, 0, 0);
	for (size_t i = 0; i < jparam_count; i++)
		if (jparam_table[i].access != JPA_PSEUDO)
			params_get(st, jparam_table[i].name, &b);
	return jmsg_finish(&b);
}

void
params_get(const struct jstate *st, const char *name, struct jmsg_buf *b)
{
	const struct jparam_def *d;
	const char *key;
	int neg, v;

	d = jparam_lookup(name, &neg, &key);
	if (d == NULL || d->access == JPA_PSEUDO) {
		jmsg_add(b, name, NULL, 0, 1);
		return;
	}
	const void *f = (const char *)st + d->off;

	switch (d->kind) {
	case JPK_BOOL:
		if (d->bit != 0)
			v = (st->allow & d->bit) != 0;
		else
			memcpy(&v, f, sizeof(v));
		v = (v != 0) ^ neg;
		jmsg_add(b, name, &v, sizeof(v), 0);
		return;
	case JPK_INT:
	case JPK_JAILSYS:
		jmsg_add(b, name, f, sizeof(int), 0);
		return;
	case JPK_ULONG:
		jmsg_add(b, name, f, sizeof(unsigned long), 0);
		return;
	case JPK_STRING:
		if (d->keyvalue && key != NULL) {
			/* meta.KEY: the value of the first KEY= line, if any. */
			const char *p = f;
			size_t kl = strlen(key);

			while (p != NULL && *p != '\0') {
				if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
					const char *e = strchr(p, '\n');
					size_t vl = e ? (size_t)(e - p) - kl - 1 :
					    strlen(p + kl + 1);
					char val[JAIL_META_CEIL];

					memcpy(val, p + kl + 1, vl);
					val[vl] = '\0';
					jmsg_add(b, name, val, vl + 1, 0);
					return;
				}
				p = strchr(p, '\n');
				if (p != NULL)
					p++;
			}
			jmsg_add(b, name, NULL, 0, 1);
			return;
		}
		jmsg_add_str(b, name, f);
		return;
	case JPK_IN_ADDR:
		jmsg_add(b, name, st->ip4_addr, st->n_ip4 * sizeof(struct in_addr), 0);
		return;
	case JPK_IN6_ADDR:
		jmsg_add(b, name, st->ip6_addr, st->n_ip6 * sizeof(struct in6_addr),
		    0);
		return;
	}
}
