/*
 * euid: print the real and effective uid and the effective capabilities,
 * to test set-user-id programs in a jail.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	char line[256], cap[32] = "?";
	FILE *f = fopen("/proc/self/status", "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "CapEff:", 7) == 0)
			sscanf(line + 7, "%31s", cap);
	printf("uid=%d euid=%d CapEff=%s\n", (int)getuid(), (int)geteuid(), cap);
	return 0;
}
