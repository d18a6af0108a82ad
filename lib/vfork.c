/*
 * clone3 with vfork's sharing, for jexec's command (jspawn.c): the child
 * borrows the caller's memory and stack until it has exec'd, and the
 * caller sleeps until then.  A fork would copy the page tables of the
 * caller's every writable mapping and then fault its pages back in one by
 * one, on both sides, for a child that only confines itself and execs: a
 * third of a millisecond, as long as the whole of nsenter's entry.
 *
 * glibc has no clone3 wrapper, and the raw system call cannot be made
 * through syscall(3) here: the child would return from it and go on to
 * overwrite, on the shared stack, the return address that the caller
 * still has to return through.  As glibc's own vfork does, the wrapper
 * keeps its return address in a register, which each side has its own
 * copy of, and puts it back after the call.
 */
#include <errno.h>

#include "jspawn.h"

#if defined(__x86_64__)
/* clone3(args: rdi, size: rsi); rdx is free and survives the syscall. */
__asm__(
	".text\n"
	".globl jclone3_vfork\n"
	".hidden jclone3_vfork\n"
	".type jclone3_vfork,@function\n"
	"jclone3_vfork:\n"
	"	pop	%rdx\n"
	"	mov	$435, %eax\n"
	"	syscall\n"
	"	push	%rdx\n"
	"	ret\n"
	".size jclone3_vfork, .-jclone3_vfork\n");
#define	HAVE_RAW	1
#elif defined(__aarch64__)
/* The return address is in x30, which the system call leaves alone. */
__asm__(
	".text\n"
	".globl jclone3_vfork\n"
	".hidden jclone3_vfork\n"
	".type jclone3_vfork,%function\n"
	"jclone3_vfork:\n"
	"	mov	x8, #435\n"
	"	svc	#0\n"
	"	ret\n"
	".size jclone3_vfork, .-jclone3_vfork\n");
#define	HAVE_RAW	1
#endif

#ifndef HAVE_RAW
/* No wrapper for this architecture: the caller forks instead. */
long
jclone3_vfork(struct clone_args *ca, size_t size)
{
	(void)ca;
	(void)size;
	return -ENOSYS;
}
#endif
