/*
 * seccomp_dump: what the seccomp program of a jail looks like and costs,
 * for reviewing a change to prison/policy.c.
 *
 *   seccomp_dump [-p] [param ...]
 *
 * PARAM: allow.X or allow.noX, or a jailsys parameter as NAME=disable,
 * new or inherit (ip4=inherit, ip6=disable, host=new ...); the rest of the
 * jail has the defaults.  Prints the program's length and the number of
 * instructions a few common system calls run through; -p also prints
 * libseccomp's pseudo code of the rules.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <seccomp.h>

#include "bpfsim.h"
#include "param.h"
#include "prison.h"
#include "sys/jail.h"

static void __attribute__((noreturn))
bad(const char *arg)
{
	fprintf(stderr, "seccomp_dump: cannot set %s\n", arg);
	exit(2);
}

static void
set_param(struct jstate *st, const char *arg)
{
	const struct jparam_def *d;
	const char *eq = strchr(arg, '='), *key;
	char name[128];
	int neg = 0, v;

	snprintf(name, sizeof(name), "%.*s", eq != NULL ? (int)(eq - arg) :
	    (int)strlen(arg), arg);
	if ((d = jparam_lookup(name, &neg, &key)) == NULL)
		bad(arg);
	if (d->bit != 0) {
		if (neg)
			st->allow &= ~d->bit;
		else
			st->allow |= d->bit;
		return;
	}
	if (d->kind != JPK_JAILSYS || eq == NULL)
		bad(arg);
	if (strcmp(eq + 1, "disable") == 0)
		v = JAIL_SYS_DISABLE;
	else if (strcmp(eq + 1, "new") == 0)
		v = JAIL_SYS_NEW;
	else if (strcmp(eq + 1, "inherit") == 0)
		v = JAIL_SYS_INHERIT;
	else
		bad(arg);
	*(int *)jstate_field(st, d) = v;
}

struct probe {
	const char	*what;
	const char	*call;
	uint64_t	 a0, a1, a2;
};

static const struct probe probes[] = {
	{ "read(2)", "read", 0, 0, 0 },
	{ "ioctl(TCGETS)", "ioctl", 0, TCGETS, 0 },
	{ "socket(AF_INET, SOCK_STREAM, 0)", "socket", AF_INET, SOCK_STREAM, 0 },
	{ "socket(AF_UNIX, SOCK_STREAM, 0)", "socket", AF_UNIX, SOCK_STREAM, 0 },
	{ "socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP)", "socket", AF_INET6,
	    SOCK_DGRAM, IPPROTO_UDP },
	{ "socket(AF_PACKET, SOCK_RAW, 0)", "socket", AF_PACKET, SOCK_RAW, 0 },
};

static void
cost(const struct jail_policy *p, uint32_t arch, uint32_t sarch)
{
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		int nr = seccomp_syscall_resolve_name_arch(sarch, probes[i].call);
		struct seccomp_data d;
		unsigned steps = 0;
		uint32_t r;

		if (nr < 0 && strcmp(probes[i].call, "socket") == 0)
			nr = BPFSIM_X86_socket;
		d = bpfsim_call(arch, nr, probes[i].a0, probes[i].a1,
		    probes[i].a2);
		r = bpfsim_run(p->insns, p->ninsns, &d, &steps);

		printf("  %-42s %3u instructions -> %#x\n", probes[i].what,
		    steps, r);
	}
}

int
main(int argc, char **argv)
{
	struct jail_policy *p;
	struct jstate st;
	char err[256];
	size_t len;
	int pfc = 0, ch;

	while ((ch = getopt(argc, argv, "p")) != -1) {
		if (ch != 'p') {
			fprintf(stderr, "usage: seccomp_dump [-p] [param ...]\n");
			return 2;
		}
		pfc = 1;
	}
	jstate_defaults(&st);
	for (int i = optind; i < argc; i++)
		set_param(&st, argv[i]);
	if (pfc) {
		fflush(stdout);
		if (policy_pfc(&st, STDOUT_FILENO, err, sizeof(err)) < 0) {
			fprintf(stderr, "seccomp_dump: %s\n", err);
			return 1;
		}
	}
	if (policy_build(&st, -1, &p, &len, err, sizeof(err)) < 0) {
		fprintf(stderr, "seccomp_dump: %s\n", err);
		return 1;
	}
	printf("%u instructions\n", p->ninsns);
	printf("x86_64:\n");
	cost(p, AUDIT_ARCH_X86_64, SCMP_ARCH_X86_64);
	printf("x86:\n");
	cost(p, AUDIT_ARCH_I386, SCMP_ARCH_X86);
	free(p);
	return 0;
}
