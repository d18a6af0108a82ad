/*
 * linux.seccomp -> a BPF program, compiled here with libseccomp before
 * anything is made (a bad profile fails create, not the process), and
 * loaded by the process on top of the jail's own filter (lib/policy.c):
 * the kernel runs every filter a process has and the stricter verdict
 * wins, so a profile can take away, never give back what the jail's
 * filter denies.
 *
 * Not supported: SCMP_ACT_NOTIFY and listenerPath (a supervisor outside
 * the jail answering its system calls is a second policy engine this
 * project does not have), and the flag that goes with them.  Names
 * libseccomp does not know are skipped, as runc does (profiles name
 * calls of newer kernels).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/seccomp.h>

#include <seccomp.h>
#include <jansson.h>

#include "oci.h"

#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define	SECCOMP_FILTER_FLAG_SPEC_ALLOW	(1UL << 2)
#endif

/* An action by its OCI name; ERRNO and TRACE take RET.  0, or -1. */
static int
action(const char *name, json_t *ret, int defret, uint32_t *out)
{
	int n = defret;

	if (ret != NULL) {
		if (!json_is_integer(ret) || json_integer_value(ret) < 0 ||
		    json_integer_value(ret) > 0xffff)
			return -1;
		n = (int)json_integer_value(ret);
	}
	if (name == NULL)
		return -1;
	if (strcmp(name, "SCMP_ACT_ALLOW") == 0)
		*out = SCMP_ACT_ALLOW;
	else if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
		*out = SCMP_ACT_ERRNO((uint32_t)n);
	else if (strcmp(name, "SCMP_ACT_KILL") == 0 ||
	    strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
		*out = SCMP_ACT_KILL_THREAD;
	else if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
		*out = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(name, "SCMP_ACT_TRAP") == 0)
		*out = SCMP_ACT_TRAP;
	else if (strcmp(name, "SCMP_ACT_TRACE") == 0)
		*out = SCMP_ACT_TRACE((uint32_t)n);
	else if (strcmp(name, "SCMP_ACT_LOG") == 0)
		*out = SCMP_ACT_LOG;
	else
		return -1;
	return 0;
}

static int
compare(const char *op, enum scmp_compare *out)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = {
		{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
		{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
		{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
		{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
	};

	for (size_t i = 0; op != NULL && i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op, ops[i].name) == 0) {
			*out = ops[i].op;
			return 0;
		}
	return -1;
}

/* args: up to 6 comparisons; 0, or -1 after an error. */
static int
comparisons(json_t *args, struct scmp_arg_cmp *cmp, int *n, int *repeated)
{
	json_t *a;
	size_t i;
	unsigned seen = 0;

	*n = 0;
	*repeated = 0;
	if (args == NULL || json_is_null(args))
		return 0;
	if (!json_is_array(args) || json_array_size(args) > 6) {
		oci_err("linux.seccomp.syscalls: args: at most 6");
		return -1;
	}
	json_array_foreach(args, i, a) {
		json_t *idx = json_object_get(a, "index"),
		    *val = json_object_get(a, "value"),
		    *two = json_object_get(a, "valueTwo");
		enum scmp_compare op;

		if (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
		    json_integer_value(idx) > 5 || !json_is_integer(val) ||
		    (two != NULL && !json_is_integer(two)) ||
		    compare(json_string_value(json_object_get(a, "op")), &op)
		    < 0) {
			oci_err("linux.seccomp.syscalls: args: need index "
			    "0-5, value, and an op SCMP_CMP_*");
			return -1;
		}
		cmp[*n].arg = (unsigned)json_integer_value(idx);
		cmp[*n].op = op;
		cmp[*n].datum_a = (scmp_datum_t)json_integer_value(val);
		cmp[*n].datum_b = two != NULL ?
		    (scmp_datum_t)json_integer_value(two) : 0;
		if (seen & (1U << cmp[*n].arg))
			*repeated = 1;
		seen |= 1U << cmp[*n].arg;
		(*n)++;
	}
	return 0;
}

/* One entry of syscalls: its names, each a rule (or one per arg). */
static int
rule(scmp_filter_ctx ctx, json_t *sc, uint32_t defact, int defret)
{
	struct scmp_arg_cmp cmp[6];
	json_t *names = json_object_get(sc, "names"), *v;
	uint32_t act;
	size_t i;
	int n, repeated, rc;
	const char *an = json_string_value(json_object_get(sc, "action"));

	if (an != NULL && strcmp(an, "SCMP_ACT_NOTIFY") == 0) {
		oci_err("linux.seccomp: SCMP_ACT_NOTIFY: not supported");
		return -1;
	}
	if (action(an, json_object_get(sc, "errnoRet"), defret, &act) < 0) {
		oci_err("linux.seccomp.syscalls: action %s: unknown or bad "
		    "errnoRet", an != NULL ? an : "(none)");
		return -1;
	}
	if (comparisons(json_object_get(sc, "args"), cmp, &n, &repeated) < 0)
		return -1;
	if (json_object_get(sc, "name") != NULL && names == NULL) {
		names = json_array();	/* the old single "name" */
		json_array_append(names, json_object_get(sc, "name"));
	} else
		json_incref(names);
	if (!json_is_array(names)) {
		oci_err("linux.seccomp.syscalls: names: not an array");
		json_decref(names);
		return -1;
	}
	/* The default's own action as a rule: nothing to add (libseccomp
	 * refuses it). */
	if (act == defact) {
		json_decref(names);
		return 0;
	}
	json_array_foreach(names, i, v) {
		int nr = json_is_string(v) ?
		    seccomp_syscall_resolve_name(json_string_value(v)) :
		    __NR_SCMP_ERROR;

		if (nr == __NR_SCMP_ERROR) {
			oci_debug("linux.seccomp: %s: unknown system call, "
			    "skipped", json_is_string(v) ?
			    json_string_value(v) : "(not a string)");
			continue;
		}
		/* Two tests of one argument: libseccomp wants a rule each. */
		if (repeated) {
			rc = 0;
			for (int k = 0; k < n && rc == 0; k++)
				rc = seccomp_rule_add_array(ctx, act, nr, 1,
				    &cmp[k]);
		} else
			rc = seccomp_rule_add_array(ctx, act, nr,
			    (unsigned)n, cmp);
		if (rc < 0) {
			oci_err("linux.seccomp: %s: %s", json_string_value(v),
			    strerror(-rc));
			json_decref(names);
			return -1;
		}
	}
	json_decref(names);
	return 0;
}

static int
arches(scmp_filter_ctx ctx, json_t *a)
{
	json_t *v;
	size_t i;

	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a)) {
		oci_err("linux.seccomp.architectures: not an array");
		return -1;
	}
	json_array_foreach(a, i, v) {
		const char *n = json_string_value(v);
		char low[32];
		uint32_t arch;
		int rc;

		if (n == NULL || strncmp(n, "SCMP_ARCH_", 10) != 0 ||
		    strlen(n + 10) >= sizeof(low)) {
			oci_err("linux.seccomp.architectures: %s: unknown",
			    n != NULL ? n : "(not a string)");
			return -1;
		}
		for (size_t k = 0; k <= strlen(n + 10); k++)
			low[k] = (char)tolower((unsigned char)n[10 + k]);
		if ((arch = seccomp_arch_resolve_name(low)) == 0) {
			oci_err("linux.seccomp.architectures: %s: unknown", n);
			return -1;
		}
		if ((rc = seccomp_arch_add(ctx, arch)) < 0 && rc != -EEXIST) {
			oci_err("linux.seccomp.architectures: %s: %s", n,
			    strerror(-rc));
			return -1;
		}
	}
	return 0;
}

static int
flags(json_t *a, unsigned *out)
{
	json_t *v;
	size_t i;

	*out = 0;
	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		goto bad;
	json_array_foreach(a, i, v) {
		const char *n = json_string_value(v);

		if (n == NULL)
			goto bad;
		/* One thread here: TSYNC changes nothing. */
		if (strcmp(n, "SECCOMP_FILTER_FLAG_TSYNC") == 0)
			continue;
		else if (strcmp(n, "SECCOMP_FILTER_FLAG_LOG") == 0)
			*out |= SECCOMP_FILTER_FLAG_LOG;
		else if (strcmp(n, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
			*out |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
		else {
			oci_err("linux.seccomp.flags: %s: not supported", n);
			return -1;
		}
	}
	return 0;
bad:
	oci_err("linux.seccomp.flags: not an array of names");
	return -1;
}

/* The compiled program, out of libseccomp through a memfd. */
static int
export(scmp_filter_ctx ctx, struct oci_process *p)
{
	int fd = memfd_create("jail-oci-seccomp", MFD_CLOEXEC), rc;
	off_t len;

	if (fd < 0) {
		oci_err("memfd_create: %s", strerror(errno));
		return -1;
	}
	if ((rc = seccomp_export_bpf(ctx, fd)) < 0 ||
	    (len = lseek(fd, 0, SEEK_END)) < 0) {
		oci_err("linux.seccomp: export: %s", strerror(rc < 0 ? -rc :
		    errno));
		close(fd);
		return -1;
	}
	if (len == 0 || len % sizeof(struct sock_filter) != 0 ||
	    len / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		oci_err("linux.seccomp: the program is too long (%lld "
		    "instructions, at most %d)", (long long)len /
		    (long long)sizeof(struct sock_filter), BPF_MAXINSNS);
		close(fd);
		return -1;
	}
	if ((p->jproc_insns = malloc((size_t)len)) == NULL ||
	    pread(fd, p->jproc_insns, (size_t)len, 0) != len) {
		oci_err("linux.seccomp: export: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	p->jproc_ninsns = (unsigned short)(len / sizeof(struct sock_filter));
	return 0;
}

int
oci_seccomp_compile(json_t *s, struct oci_process *p)
{
	scmp_filter_ctx ctx;
	json_t *sc, *one;
	uint32_t defact;
	size_t i;
	int defret = EPERM, ret = -1;
	json_t *dr;

	if (s == NULL || json_is_null(s))
		return 0;
	if (!json_is_object(s)) {
		oci_err("linux.seccomp: not an object");
		return -1;
	}
	if (json_object_get(s, "listenerPath") != NULL ||
	    json_object_get(s, "listenerMetadata") != NULL) {
		oci_err("linux.seccomp.listenerPath: not supported (no "
		    "seccomp notification for jails)");
		return -1;
	}
	if ((dr = json_object_get(s, "defaultErrnoRet")) != NULL) {
		if (!json_is_integer(dr) || json_integer_value(dr) < 0 ||
		    json_integer_value(dr) > 0xffff) {
			oci_err("linux.seccomp.defaultErrnoRet: not an errno");
			return -1;
		}
		defret = (int)json_integer_value(dr);
	}
	if (action(json_string_value(json_object_get(s, "defaultAction")),
	    NULL, defret, &defact) < 0) {
		oci_err("linux.seccomp.defaultAction: missing or not "
		    "supported");
		return -1;
	}
	if (flags(json_object_get(s, "flags"), &p->seccomp_flags) < 0)
		return -1;
	if ((ctx = seccomp_init(defact)) == NULL) {
		oci_err("linux.seccomp: cannot initialise libseccomp");
		return -1;
	}
	if (arches(ctx, json_object_get(s, "architectures")) < 0)
		goto out;
	sc = json_object_get(s, "syscalls");
	if (sc != NULL && !json_is_array(sc) && !json_is_null(sc)) {
		oci_err("linux.seccomp.syscalls: not an array");
		goto out;
	}
	json_array_foreach(sc, i, one)
		if (rule(ctx, one, defact, defret) < 0)
			goto out;
	ret = export(ctx, p);
out:
	seccomp_release(ctx);
	return ret;
}

/* For features: what a profile may use here (x86-64's family of ABIs). */
json_t *
oci_seccomp_features(void)
{
	return json_pack("{s:b,s:[ssssssss],s:[sssssss],s:[sss],s:[sss],"
	    "s:[sss]}", "enabled", 1,
	    "actions", "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
	    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
	    "SCMP_ACT_TRACE", "SCMP_ACT_LOG",
	    "operators", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",
	    "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
	    "archs", "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
	    "knownFlags", "SECCOMP_FILTER_FLAG_TSYNC",
	    "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	    "supportedFlags", "SECCOMP_FILTER_FLAG_TSYNC",
	    "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
}
