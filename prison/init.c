/*
 * Jail init without the prison's memory (build.c's init_loop).
 *
 * Init is a fork of the prison, and would otherwise keep all of the
 * prison's address space for the jail's whole life: page tables for every
 * mapping of the prison binary, libc, libmnl and the heap and stack it
 * wrote while it built the jail's tree, and a copy of each page it wrote
 * (some 100 kB a jail, memory cgroup charge).  Reaping needs none of it.
 * On x86_64 init copies a few dozen bytes of code into a page of its own
 * (init_shed_prepare, while it may still map memory: before its filter)
 * and jumps there (init_shed); that code unmaps everything else, stack
 * included, and reaps, in system calls with registers only.  What stays
 * is that page and the one with init's argv, which ps reads.  Elsewhere
 * init reaps in C, keeping the memory.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <sys/syscall.h>

#include "prison.h"

#if defined(__x86_64__)
/*
 * jinit_reap_bare(struct init_shed *s): munmap s's three ranges, then reap
 * for good.  The system call instruction keeps every register but rax,
 * rcx and r11, and the code refers to nothing outside itself and s: it is
 * copied out of the binary, which it unmaps.
 */
__asm__(
	".text\n"
	".globl jinit_reap_bare\n"
	".hidden jinit_reap_bare\n"
	".globl jinit_reap_bare_end\n"
	".hidden jinit_reap_bare_end\n"
	"jinit_reap_bare:\n"
	"	mov	%rdi, %r12\n"
	"	mov	256(%r12), %rdi\n"	/* munmap(unmap[0]) */
	"	mov	264(%r12), %rsi\n"
	"	mov	$11, %eax\n"
	"	syscall\n"
	"	mov	272(%r12), %rdi\n"	/* munmap(unmap[1]) */
	"	mov	280(%r12), %rsi\n"
	"	mov	$11, %eax\n"
	"	syscall\n"
	"	mov	288(%r12), %rdi\n"	/* munmap(unmap[2]) */
	"	mov	296(%r12), %rsi\n"
	"	mov	$11, %eax\n"
	"	syscall\n"
	"1:	mov	$-1, %rdi\n"
	"	xor	%esi, %esi\n"
	"	mov	$1, %edx\n"		/* WNOHANG */
	"	xor	%r10d, %r10d\n"
	"	mov	$61, %eax\n"		/* wait4 */
	"	syscall\n"
	"	test	%rax, %rax\n"
	"	jg	1b\n"
	"	lea	304(%r12), %rdi\n"	/* chld */
	"	xor	%esi, %esi\n"
	"	xor	%edx, %edx\n"
	"	mov	$8, %r10d\n"
	"	mov	$128, %eax\n"		/* rt_sigtimedwait */
	"	syscall\n"
	"	jmp	1b\n"
	"jinit_reap_bare_end:\n");

extern const char jinit_reap_bare[], jinit_reap_bare_end[];

/* Init's last page: the code, then what it reads. */
struct init_shed {
	unsigned char	code[256];
	uint64_t	unmap[3][2];	/* address, length */
	uint64_t	chld;		/* SIGCHLD's set */
};
_Static_assert(offsetof(struct init_shed, unmap) == 256 &&
    offsetof(struct init_shed, chld) == 304,
    "jinit_reap_bare reads struct init_shed at these offsets");

/* The top of what a process may map: 47 bits, under 5-level paging too. */
#define	USER_TOP	0x7ffffffff000UL

/*
 * The kernel writes the thread's rseq area (libc's, in memory about to go)
 * when it reschedules: unregister it first, or init would die of SIGSEGV.
 * libc's __rseq_size may be the features' size rather than the size it
 * registered: 32 is the registration's.
 */
static int
rseq_off(void)
{
	void *area;

	if (__rseq_size == 0)
		return 0;
	area = (char *)__builtin_thread_pointer() + __rseq_offset;
	if (syscall(SYS_rseq, area, __rseq_size, RSEQ_FLAG_UNREGISTER,
	    RSEQ_SIG) == 0)
		return 0;
	return (int)syscall(SYS_rseq, area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
}

/*
 * A page for the code, next above the page of init's argv if that is
 * free (it is the stack's top), so that both share their page tables.
 */
static struct init_shed *
shed_page(uintptr_t above, size_t pg)
{
	void *p = mmap((void *)above, pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != MAP_FAILED && (uintptr_t)p != above) {
		munmap(p, pg);	/* a kernel that took it for a hint */
		p = MAP_FAILED;
	}
	if (p == MAP_FAILED)
		p = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Unmap all but [X_LO, X_HI) and [Y_LO, Y_HI), X below Y (see above). */
static void
shed_ranges(struct init_shed *s, uintptr_t x_lo, uintptr_t x_hi,
    uintptr_t y_lo, uintptr_t y_hi)
{
	s->unmap[0][0] = 0;
	s->unmap[0][1] = x_lo;
	s->unmap[1][0] = x_hi;
	s->unmap[1][1] = y_lo - x_hi;	/* 0 when adjacent: EINVAL, no harm */
	s->unmap[2][0] = y_hi;
	s->unmap[2][1] = USER_TOP - y_hi;
}

struct init_shed *
init_shed_prepare(void)
{
	size_t len = (size_t)(jinit_reap_bare_end - jinit_reap_bare);
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	/* argv[0] holds "init" now; ps reads no further than its page. */
	uintptr_t a_lo = (uintptr_t)prison_argv[0] & ~(pg - 1);
	uintptr_t a_hi = ((uintptr_t)prison_argv[0] + 5 + pg - 1) & ~(pg - 1);
	uintptr_t s_lo;
	struct init_shed *s;

	if (len > sizeof(s->code) || sizeof(*s) > pg || a_hi > USER_TOP ||
	    (s = shed_page(a_hi, pg)) == NULL)
		return NULL;
	s_lo = (uintptr_t)s;
	memcpy(s->code, jinit_reap_bare, len);
	if (s_lo < a_lo)
		shed_ranges(s, s_lo, s_lo + pg, a_lo, a_hi);
	else
		shed_ranges(s, a_lo, a_hi, s_lo, s_lo + pg);
	s->chld = 1ULL << (SIGCHLD - 1);
	if (s_lo + pg > USER_TOP ||
	    mprotect(s, pg, PROT_READ | PROT_EXEC) < 0 || rseq_off() < 0) {
		munmap(s, pg);
		return NULL;
	}
	return s;
}

void
init_shed(struct init_shed *s)
{
	((void (*)(struct init_shed *))(void *)s->code)(s);
	__builtin_unreachable();
}
#else
struct init_shed *
init_shed_prepare(void)
{
	return NULL;	/* init keeps the memory and reaps in C */
}

void
init_shed(struct init_shed *s)
{
	(void)s;
	_exit(1);
}
#endif
