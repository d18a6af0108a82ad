/*
 * Closing every descriptor but a few: what a process does before it
 * enters a jail, and what the prison's helpers do so that no lock, socket
 * or pipe of the prison outlives it in them.
 */
#include <unistd.h>
#include <sys/syscall.h>

#include "internal.h"

void
jfd_close_except(int from, const int *keep, int n)
{
	unsigned lo = (unsigned)from;

	for (;;) {
		int next = -1;

		for (int i = 0; i < n; i++)
			if (keep[i] >= 0 && (unsigned)keep[i] >= lo &&
			    (next < 0 || keep[i] < next))
				next = keep[i];
		if (next < 0) {
			syscall(SYS_close_range, lo, ~0U, 0);
			return;
		}
		if ((unsigned)next > lo)
			syscall(SYS_close_range, lo, (unsigned)next - 1, 0);
		lo = (unsigned)next + 1;
	}
}
