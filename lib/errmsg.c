#include <errno.h>
#include <stdio.h>

#include "internal.h"

int
jerr(char *buf, size_t len, int err, const char *fmt, ...)
{
	va_list ap;

	if (buf != NULL && len > 0) {
		va_start(ap, fmt);
		vsnprintf(buf, len, fmt, ap);
		va_end(ap);
	}
	errno = err;
	return -1;
}
