/*
 * Interim pieces of jail(8) while config.c is being written: no
 * configuration file yet.  This file goes away when it lands.
 */
#include <err.h>

#include "jail8.h"

void
config_load(const char *file)
{
	errx(1, "%s: jail.conf is not supported yet",
	    file != NULL ? file : CONF_FILE);
}

void
config_show(const char *sep)
{
	(void)sep;
}
