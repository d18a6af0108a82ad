/*
 * A classic BPF interpreter for seccomp programs, for the tests: it runs
 * the very program the prison hands to the kernel over a struct
 * seccomp_data made up by the test, so that every argument combination
 * (high bits of a 32-bit argument, the x86 architecture) can be tried
 * without making the system call, and it counts the instructions a call
 * costs.  Header-only: the unit test and tests/tools/seccomp_dump use it.
 */
#ifndef BPFSIM_H
#define BPFSIM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* What an instruction the kernel would refuse makes the interpreter return. */
#define	BPFSIM_BAD	0xffffffffU

/* Load a 32-bit word of D at byte offset K; BPFSIM_BAD when misaligned. */
static inline int
bpfsim_load(const struct seccomp_data *d, uint32_t k, uint32_t *out)
{
	if (k % 4 != 0 || k + 4 > sizeof(*d))
		return -1;
	memcpy(out, (const char *)d + k, 4);
	return 0;
}

static inline int
bpfsim_alu(uint16_t op, uint32_t *a, uint32_t v)
{
	switch (BPF_OP(op)) {
	case BPF_ADD:	*a += v; return 0;
	case BPF_SUB:	*a -= v; return 0;
	case BPF_MUL:	*a *= v; return 0;
	case BPF_AND:	*a &= v; return 0;
	case BPF_OR:	*a |= v; return 0;
	case BPF_XOR:	*a ^= v; return 0;
	case BPF_LSH:	*a = v < 32 ? *a << v : 0; return 0;
	case BPF_RSH:	*a = v < 32 ? *a >> v : 0; return 0;
	case BPF_NEG:	*a = -*a; return 0;
	case BPF_DIV:	if (v == 0) return -1; *a /= v; return 0;
	case BPF_MOD:	if (v == 0) return -1; *a %= v; return 0;
	default:	return -1;
	}
}

static inline int
bpfsim_cond(uint16_t op, uint32_t a, uint32_t v)
{
	switch (BPF_OP(op)) {
	case BPF_JEQ:	return a == v;
	case BPF_JGT:	return a > v;
	case BPF_JGE:	return a >= v;
	case BPF_JSET:	return (a & v) != 0;
	default:	return -1;
	}
}

/*
 * Run program F of N instructions on D: the SECCOMP_RET_* value, or
 * BPFSIM_BAD for anything the kernel's checker would not have accepted.
 * *STEPS (may be NULL) gets the number of instructions executed.
 */
static inline uint32_t
bpfsim_run(const struct sock_filter *f, size_t n, const struct seccomp_data *d,
    unsigned *steps)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 }, v;
	unsigned count = 0;
	size_t pc = 0;
	int c;

	while (pc < n) {
		const struct sock_filter *i = &f[pc++];

		count++;
		if (steps != NULL)
			*steps = count;
		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			if (i->code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (bpfsim_load(d, i->k, &a) < 0)
					return BPFSIM_BAD;
			} else if (i->code == (BPF_LD | BPF_IMM))
				a = i->k;
			else if (i->code == (BPF_LD | BPF_MEM) && i->k < BPF_MEMWORDS)
				a = mem[i->k];
			else
				return BPFSIM_BAD;
			break;
		case BPF_LDX:
			if (i->code == (BPF_LDX | BPF_IMM))
				x = i->k;
			else if (i->code == (BPF_LDX | BPF_MEM) && i->k < BPF_MEMWORDS)
				x = mem[i->k];
			else
				return BPFSIM_BAD;
			break;
		case BPF_ST:
		case BPF_STX:
			if (i->k >= BPF_MEMWORDS)
				return BPFSIM_BAD;
			mem[i->k] = BPF_CLASS(i->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			v = BPF_SRC(i->code) == BPF_X ? x : i->k;
			if (bpfsim_alu(i->code, &a, v) < 0)
				return BPFSIM_BAD;
			break;
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_JA) {
				pc += i->k;
				break;
			}
			v = BPF_SRC(i->code) == BPF_X ? x : i->k;
			if ((c = bpfsim_cond(i->code, a, v)) < 0)
				return BPFSIM_BAD;
			pc += c ? i->jt : i->jf;
			break;
		case BPF_RET:
			if (BPF_RVAL(i->code) == BPF_K)
				return i->k;
			if (BPF_RVAL(i->code) == BPF_A)
				return a;
			return BPFSIM_BAD;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return BPFSIM_BAD;
		}
	}
	return BPFSIM_BAD;	/* fell off the end */
}

/*
 * The x86 (32-bit) numbers of the socket calls: libseccomp names them by
 * pseudo numbers, since old programs reach them through socketcall(2).
 */
#define	BPFSIM_X86_socket	359
#define	BPFSIM_X86_socketpair	360

/* A seccomp_data for system call NR of ARCH with up to three arguments. */
static inline struct seccomp_data
bpfsim_call(uint32_t arch, int nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct seccomp_data d;

	memset(&d, 0, sizeof(d));
	d.arch = arch;
	d.nr = nr;
	d.args[0] = a0;
	d.args[1] = a1;
	d.args[2] = a2;
	return d;
}

#endif
