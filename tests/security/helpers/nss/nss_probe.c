/*
 * nss_probe ROOT USER: the control of the escape suite's NSS test.  A
 * dynamically linked program that looks USER up after chroot(ROOT), as a
 * careless host tool would after entering a jail; it shows that a module
 * planted in ROOT does get loaded that way.
 */
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	if (argc != 3 || chroot(argv[1]) < 0 || chdir("/") < 0) {
		perror("nss_probe");
		return 2;
	}
	printf("%s\n", getpwnam(argv[2]) != NULL ? "found" : "not found");
	return 0;
}
