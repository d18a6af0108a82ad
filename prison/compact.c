/*
 * Compaction of a seccomp program, so that it costs less to load: the
 * kernel converts and JIT-compiles every instruction each time a process
 * enters a jail (a jexec, the command of a one-shot jail), and that time
 * grows with the program's length.
 *
 * libseccomp dispatches on the system call number with one comparison per
 * call (jeq nr -> action), a tree of them.  Most calls a jail allows sit in
 * runs of consecutive numbers with the same outcome, so the same decision
 * takes far fewer comparisons by ranges: after each "load nr", the
 * comparisons that follow it (a region: jeq, jgt, jge and ja on constants,
 * nothing else, so that the accumulator still holds the number) decide
 * which instruction the number leads to.  That is a function of the number
 * that is constant between the constants the region compares with; it is
 * computed exactly at each of them and rebuilt as a balanced tree of jge
 * over the runs.  Everything else (the architecture checks, the argument
 * tests of ioctl, socket and the others, every ret) stays as it was.
 * A region some other instruction jumps into (but at its start) is left
 * alone, as is everything when a jump would not fit; and the result is
 * checked against the original over every run boundary of every region
 * for each architecture the program tests, or not used.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "prison.h"

#define	NR_OFF		offsetof(struct seccomp_data, nr)
#define	MAXRUNS		256	/* runs of one region; more: left alone */
#define	MAXPOOL		64	/* distinct outcomes of one region */
#define	MAXREGIONS	16	/* one per architecture, and a few */
#define	NOTARGET	(-1)

/* An instruction with absolute targets, while the program is rebuilt. */
struct node {
	struct sock_filter	f;
	int			t, e;	/* jump targets (index), or NOTARGET */
};

/* One region's replacement: the tree over its runs, then their outcomes. */
struct region {
	int		entry;		/* first comparison, after "load nr" */
	uint32_t	start[MAXRUNS];	/* first number of each run */
	int		out[MAXRUNS];	/* its outcome: index into pool */
	int		nruns;
	int		pool[MAXPOOL];	/* outcome: old instruction index */
	int		npool;
	int		size;		/* tree + pool */
};

static int
is_nr_load(const struct sock_filter *f)
{
	return f->code == (BPF_LD | BPF_W | BPF_ABS) && f->k == NR_OFF;
}

/* A comparison of the accumulator with a constant, or ja. */
static int
is_cmp(const struct sock_filter *f)
{
	if (BPF_CLASS(f->code) != BPF_JMP)
		return 0;
	if (BPF_OP(f->code) == BPF_JA)
		return 1;
	return BPF_SRC(f->code) == BPF_K && (BPF_OP(f->code) == BPF_JEQ ||
	    BPF_OP(f->code) == BPF_JGT || BPF_OP(f->code) == BPF_JGE);
}

/* Absolute targets of every jump; -1 if one leads out of the program. */
static int
decode(const struct sock_filter *in, int n, struct node *nd)
{
	for (int i = 0; i < n; i++) {
		nd[i].f = in[i];
		nd[i].t = nd[i].e = NOTARGET;
		if (BPF_CLASS(in[i].code) != BPF_JMP)
			continue;
		if (BPF_OP(in[i].code) == BPF_JA) {
			if (in[i].k >= (uint32_t)(n - i - 1))
				return -1;
			nd[i].t = i + 1 + (int)in[i].k;
			continue;
		}
		nd[i].t = i + 1 + in[i].jt;
		nd[i].e = i + 1 + in[i].jf;
		if (nd[i].t >= n || nd[i].e >= n)
			return -1;
	}
	return 0;
}

/* Where number V leads from instruction AT through comparisons. */
static int
walk(const struct node *nd, int at, uint32_t v)
{
	while (is_cmp(&nd[at].f)) {
		const struct sock_filter *f = &nd[at].f;
		int yes;

		if (BPF_OP(f->code) == BPF_JA) {
			at = nd[at].t;
			continue;
		}
		yes = BPF_OP(f->code) == BPF_JEQ ? v == f->k :
		    BPF_OP(f->code) == BPF_JGT ? v > f->k : v >= f->k;
		at = yes ? nd[at].t : nd[at].e;
	}
	return at;
}

/* Mark the region from ENTRY in IN[]; its number of comparisons. */
static int
mark_region(const struct node *nd, int n, int entry, char *in)
{
	int *stack = malloc(sizeof(int) * (size_t)n), sp = 0, count = 0;

	if (stack == NULL)
		return -1;
	memset(in, 0, (size_t)n);
	stack[sp++] = entry;
	while (sp > 0) {
		int i = stack[--sp];

		if (in[i] || !is_cmp(&nd[i].f))
			continue;
		in[i] = 1;
		count++;
		stack[sp++] = nd[i].t;
		if (nd[i].e != NOTARGET)
			stack[sp++] = nd[i].e;
	}
	free(stack);
	return count;
}

/* Whether an instruction outside the region leads into it past ENTRY. */
static int
entered_elsewhere(const struct node *nd, int n, int entry, const char *in)
{
	for (int i = 0; i < n; i++) {
		int next[3] = { nd[i].t, nd[i].e, NOTARGET };

		if (in[i])
			continue;
		if (BPF_CLASS(nd[i].f.code) != BPF_JMP &&
		    BPF_CLASS(nd[i].f.code) != BPF_RET && i + 1 < n)
			next[2] = i + 1;
		for (int k = 0; k < 3; k++)
			if (next[k] != NOTARGET && next[k] != entry && in[next[k]])
				return 1;
	}
	return 0;
}

/* Whether the region IN shares an instruction with one planned before. */
static int
overlaps(const struct region *rg, int nrg, const char *gone, const char *in,
    int n)
{
	for (int i = 0; i < n; i++) {
		if (!in[i])
			continue;
		if (gone[i])
			return 1;
		for (int r = 0; r < nrg; r++)
			if (rg[r].entry == i)
				return 1;
	}
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The numbers where the region's outcome may change: 0, and each
 * constant it compares with (and the one after, for jeq and jgt).
 */
static int
breakpoints(const struct node *nd, int n, const char *in, uint32_t **out)
{
	uint32_t *b = malloc(sizeof(uint32_t) * (2 * (size_t)n + 1));
	int nb = 0, u = 0;

	if (b == NULL)
		return -1;
	b[nb++] = 0;
	for (int i = 0; i < n; i++) {
		const struct sock_filter *f = &nd[i].f;

		if (!in[i] || BPF_OP(f->code) == BPF_JA)
			continue;
		if (BPF_OP(f->code) != BPF_JGT)
			b[nb++] = f->k;
		if (BPF_OP(f->code) != BPF_JGE && f->k != UINT32_MAX)
			b[nb++] = f->k + 1;
	}
	qsort(b, (size_t)nb, sizeof(*b), cmp_u32);
	for (int i = 0; i < nb; i++)
		if (u == 0 || b[u - 1] != b[i])
			b[u++] = b[i];
	*out = b;
	return u;
}

/* The same outcome: the same instruction, or two identical rets. */
static int
same_outcome(const struct node *nd, int a, int b)
{
	return a == b || (BPF_CLASS(nd[a].f.code) == BPF_RET &&
	    nd[a].f.code == nd[b].f.code && nd[a].f.k == nd[b].f.k);
}

static int
pool_index(const struct node *nd, struct region *r, int at)
{
	for (int i = 0; i < r->npool; i++)
		if (same_outcome(nd, r->pool[i], at))
			return i;
	if (r->npool == MAXPOOL)
		return -1;
	r->pool[r->npool] = at;
	return r->npool++;
}

/* The runs of the region from ENTRY: 0, or -1 if it is not worth it. */
static int
plan_region(const struct node *nd, int n, const char *in, int ncmp,
    struct region *r)
{
	uint32_t *b;
	int nb, p;

	if ((nb = breakpoints(nd, n, in, &b)) < 0)
		return -1;
	r->nruns = r->npool = 0;
	for (int i = 0; i < nb; i++) {
		if ((p = pool_index(nd, r, walk(nd, r->entry, b[i]))) < 0)
			break;
		if (r->nruns > 0 && r->out[r->nruns - 1] == p)
			continue;
		if (r->nruns == MAXRUNS) {
			p = -1;
			break;
		}
		r->start[r->nruns] = b[i];
		r->out[r->nruns++] = p;
	}
	free(b);
	r->size = r->nruns - 1 + r->npool;
	/* Every jump of the tree stays within it and its pool: 8 bits. */
	if (p < 0 || r->size > 255 || r->size >= ncmp)
		return -1;
	return 0;
}

/*
 * Emit the tree over runs LO..HI at OUT[*AT] (region-relative indices:
 * a jump to pool entry k is encoded as target TREE + k, TREE being the
 * number of tree nodes); returns the target for the parent.
 */
static int
emit_tree(const struct region *r, int lo, int hi, struct node *out, int *at)
{
	int me, mid;

	if (lo == hi)
		return r->nruns - 1 + r->out[lo];
	me = (*at)++;
	mid = (lo + hi + 1) / 2;
	out[me].f = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
	    r->start[mid], 0, 0);
	out[me].e = emit_tree(r, lo, mid - 1, out, at);
	out[me].t = emit_tree(r, mid, hi, out, at);
	return me;
}

/*
 * The new program: each planned region's tree and pool in place of its
 * first comparison, its other comparisons gone, every other instruction
 * kept in order.  Then jumps are made relative again.
 */
static int
relayout(const struct node *nd, int n, struct region *rg, int nrg,
    const char *gone, struct sock_filter *out, int max)
{
	int *pos = malloc(sizeof(int) * (size_t)n), m = 0, ri = 0, rc = -1;
	struct node *tmp = NULL;

	if (pos == NULL)
		return -1;
	/* Positions first: every old index that stays, or starts a tree. */
	for (int i = 0; i < n; i++) {
		pos[i] = m;
		if (ri < nrg && rg[ri].entry == i)
			m += rg[ri++].size;
		else if (!gone[i])
			m++;
	}
	if (m > max || (tmp = calloc((size_t)m, sizeof(*tmp))) == NULL)
		goto out;
	ri = 0;
	for (int i = 0; i < n; i++) {
		if (ri < nrg && rg[ri].entry == i) {
			struct region *r = &rg[ri++];
			int at = 0, base = pos[i], tree = r->nruns - 1;
			struct node *t = &tmp[base];

			emit_tree(r, 0, r->nruns - 1, t, &at);
			for (int k = 0; k < tree; k++) {
				t[k].t += base;
				t[k].e += base;
			}
			for (int k = 0; k < r->npool; k++) {
				const struct node *o = &nd[r->pool[k]];

				t[tree + k] = *o;
				if (BPF_CLASS(o->f.code) != BPF_RET) {
					/* Leads on to the kept instruction. */
					t[tree + k].f = (struct sock_filter)
					    BPF_STMT(BPF_JMP | BPF_JA, 0);
					t[tree + k].t = pos[r->pool[k]];
					t[tree + k].e = NOTARGET;
				}
			}
		} else if (!gone[i]) {
			tmp[pos[i]] = nd[i];
			if (nd[i].t != NOTARGET)
				tmp[pos[i]].t = pos[nd[i].t];
			if (nd[i].e != NOTARGET)
				tmp[pos[i]].e = pos[nd[i].e];
		}
	}
	for (int i = 0; i < m; i++) {
		struct sock_filter *f = &tmp[i].f;

		out[i] = *f;
		if (BPF_CLASS(f->code) != BPF_JMP)
			continue;
		if (BPF_OP(f->code) == BPF_JA) {
			if (tmp[i].t <= i)
				goto out;
			out[i].k = (uint32_t)(tmp[i].t - i - 1);
			continue;
		}
		if (tmp[i].t <= i || tmp[i].e <= i || tmp[i].t - i - 1 > 255 ||
		    tmp[i].e - i - 1 > 255)
			goto out;
		out[i].jt = (uint8_t)(tmp[i].t - i - 1);
		out[i].jf = (uint8_t)(tmp[i].e - i - 1);
	}
	rc = m;
out:
	free(tmp);
	free(pos);
	return rc;
}

/*
 * Run program F of N instructions on D as the kernel would: the value it
 * returns, or UINT32_MAX for what the kernel's checker would refuse.
 */
static uint32_t
bpf_run(const struct sock_filter *f, int n, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 }, v;

	for (int pc = 0, steps = 0; pc < n && steps < 4 * n; steps++) {
		const struct sock_filter *i = &f[pc++];

		v = BPF_SRC(i->code) == BPF_X ? x : i->k;
		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			if (i->code == (BPF_LD | BPF_W | BPF_ABS) &&
			    i->k % 4 == 0 && i->k + 4 <= sizeof(*d))
				memcpy(&a, (const char *)d + i->k, 4);
			else if (i->code == (BPF_LD | BPF_IMM))
				a = i->k;
			else if (i->code == (BPF_LD | BPF_MEM) &&
			    i->k < BPF_MEMWORDS)
				a = mem[i->k];
			else
				return UINT32_MAX;
			break;
		case BPF_LDX:
			if (i->code == (BPF_LDX | BPF_IMM))
				x = i->k;
			else if (i->code == (BPF_LDX | BPF_MEM) &&
			    i->k < BPF_MEMWORDS)
				x = mem[i->k];
			else
				return UINT32_MAX;
			break;
		case BPF_ST:
		case BPF_STX:
			if (i->k >= BPF_MEMWORDS)
				return UINT32_MAX;
			mem[i->k] = BPF_CLASS(i->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_AND:	a &= v; break;
			case BPF_OR:	a |= v; break;
			case BPF_ADD:	a += v; break;
			case BPF_SUB:	a -= v; break;
			case BPF_XOR:	a ^= v; break;
			case BPF_LSH:	a = v < 32 ? a << v : 0; break;
			case BPF_RSH:	a = v < 32 ? a >> v : 0; break;
			default:	return UINT32_MAX;
			}
			break;
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_JA)
				pc += (int)i->k;
			else if (BPF_OP(i->code) == BPF_JEQ)
				pc += a == v ? i->jt : i->jf;
			else if (BPF_OP(i->code) == BPF_JGT)
				pc += a > v ? i->jt : i->jf;
			else if (BPF_OP(i->code) == BPF_JGE)
				pc += a >= v ? i->jt : i->jf;
			else if (BPF_OP(i->code) == BPF_JSET)
				pc += (a & v) != 0 ? i->jt : i->jf;
			else
				return UINT32_MAX;
			break;
		case BPF_RET:
			return BPF_RVAL(i->code) == BPF_A ? a : i->k;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return UINT32_MAX;
		}
	}
	return UINT32_MAX;
}

/* The outcome of IN and OUT for one system call: the same? */
static int
same_verdict(const struct sock_filter *a, int na, const struct sock_filter *b,
    int nb, uint32_t arch, uint32_t nr)
{
	struct seccomp_data d;

	memset(&d, 0, sizeof(d));
	d.arch = arch;
	d.nr = (int)nr;
	return bpf_run(a, na, &d) == bpf_run(b, nb, &d);
}

/*
 * The check: for every architecture the program may test (the constants
 * of its jeq that have AUDIT_ARCH's little-endian bit, and 0), at every
 * run boundary of every region and the number before it, and the first
 * thousand numbers.
 */
static int
equivalent(const struct sock_filter *a, int na, const struct sock_filter *b,
    int nb, const struct region *rg, int nrg)
{
	uint32_t arches[16];
	int narch = 0;

	arches[narch++] = 0;
	for (int i = 0; i < na && narch < 16; i++)
		if (BPF_CLASS(a[i].code) == BPF_JMP &&
		    BPF_OP(a[i].code) == BPF_JEQ && BPF_SRC(a[i].code) == BPF_K &&
		    (a[i].k & __AUDIT_ARCH_LE) != 0)
			arches[narch++] = a[i].k;
	for (int ai = 0; ai < narch; ai++) {
		for (uint32_t nr = 0; nr < 1024; nr++)
			if (!same_verdict(a, na, b, nb, arches[ai], nr))
				return 0;
		for (int r = 0; r < nrg; r++)
			for (int k = 0; k < rg[r].nruns; k++)
				if (!same_verdict(a, na, b, nb, arches[ai],
				    rg[r].start[k]) || !same_verdict(a, na, b,
				    nb, arches[ai], rg[r].start[k] - 1))
					return 0;
	}
	return 1;
}

int
policy_compact(const struct sock_filter *in, int n, struct sock_filter *out,
    int max)
{
	struct node *nd = calloc((size_t)n, sizeof(*nd));
	struct region *rg = NULL;
	char *in_r = malloc((size_t)n), *gone = calloc((size_t)n, 1);
	int nrg = 0, m = -1, ncmp;

	if (nd == NULL || in_r == NULL || gone == NULL ||
	    (rg = calloc(MAXREGIONS, sizeof(*rg))) == NULL ||
	    decode(in, n, nd) < 0)
		goto out;
	for (int i = 0; i + 1 < n && nrg < MAXREGIONS; i++) {
		struct region *r = &rg[nrg];

		if (!is_nr_load(&nd[i].f) || !is_cmp(&nd[i + 1].f))
			continue;
		r->entry = i + 1;
		if ((ncmp = mark_region(nd, n, r->entry, in_r)) < 0)
			goto out;
		if (overlaps(rg, nrg, gone, in_r, n) ||
		    entered_elsewhere(nd, n, r->entry, in_r) ||
		    plan_region(nd, n, in_r, ncmp, r) < 0)
			continue;
		for (int k = 0; k < n; k++)
			if (in_r[k] && k != r->entry)
				gone[k] = 1;
		nrg++;
	}
	if (nrg > 0)
		m = relayout(nd, n, rg, nrg, gone, out, max);
	if (m > 0 && !equivalent(in, n, out, m, rg, nrg))
		m = -1;
out:
	free(rg);
	free(gone);
	free(in_r);
	free(nd);
	return m;
}
