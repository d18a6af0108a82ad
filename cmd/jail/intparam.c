/*
 * The table of jail(8)'s internal parameters (intparam.h), in the
 * order of enum intparam.
 */
#include <stdio.h>
#include <string.h>

#include "intparam.h"

const struct intparam_def intparams[IP_NPARAM] = {
	[IP_ALLOW_DYING] =		{ "allow.dying", IPF_BOOL },
	[IP_COMMAND] =			{ "command",
					  IPF_LIST | IPF_INJAIL },
	[IP_DEPEND] =			{ "depend", IPF_LIST },
	[IP_EXEC_CLEAN] =		{ "exec.clean", IPF_BOOL },
	[IP_EXEC_CONSOLELOG] =		{ "exec.consolelog", IPF_STRING },
	[IP_EXEC_CREATED] =		{ "exec.created", IPF_LIST },
	[IP_EXEC_FIB] =			{ "exec.fib", IPF_INT },
	[IP_EXEC_JAIL_USER] =		{ "exec.jail_user",
					  IPF_STRING },
	[IP_EXEC_POSTSTART] =		{ "exec.poststart", IPF_LIST },
	[IP_EXEC_POSTSTOP] =		{ "exec.poststop", IPF_LIST },
	[IP_EXEC_PREPARE] =		{ "exec.prepare", IPF_LIST },
	[IP_EXEC_PRESTART] =		{ "exec.prestart", IPF_LIST },
	[IP_EXEC_PRESTOP] =		{ "exec.prestop", IPF_LIST },
	[IP_EXEC_RELEASE] =		{ "exec.release", IPF_LIST },
	[IP_EXEC_START] =		{ "exec.start",
					  IPF_LIST | IPF_INJAIL },
	[IP_EXEC_STOP] =		{ "exec.stop",
					  IPF_LIST | IPF_INJAIL },
	[IP_EXEC_SYSTEM_JAIL_USER] =	{ "exec.system_jail_user",
					  IPF_BOOL },
	[IP_EXEC_SYSTEM_USER] =		{ "exec.system_user", IPF_STRING },
	[IP_EXEC_TIMEOUT] =		{ "exec.timeout", IPF_INT },
	[IP_IP_HOSTNAME] =		{ "ip_hostname", IPF_BOOL },
	[IP_MOUNT] =			{ "mount", IPF_LIST | IPF_REV },
	[IP_MOUNT_DEVFS] =		{ "mount.devfs", IPF_BOOL },
	[IP_MOUNT_FDESCFS] =		{ "mount.fdescfs", IPF_BOOL },
	[IP_MOUNT_FSTAB] =		{ "mount.fstab", IPF_LIST | IPF_REV },
	[IP_MOUNT_PROCFS] =		{ "mount.procfs", IPF_BOOL },
	[IP_STOP_TIMEOUT] =		{ "stop.timeout", IPF_INT },
	[IP_ZFS_DATASET] =		{ "zfs.dataset",
					  IPF_LIST | IPF_UNAVAILABLE },
};

/* NAME without its "no" (on the last component): "exec.noclean" -> "exec.clean". */
static int
positive(const char *name, char *buf, size_t len)
{
	const char *dot = strrchr(name, '.'), *last = dot != NULL ? dot + 1 : name;
	size_t head = (size_t)(last - name);

	if (strncmp(last, "no", 2) != 0 || strlen(name) >= len)
		return 0;
	snprintf(buf, len, "%.*s%s", (int)head, name, last + 2);
	return 1;
}

int
intparam_find(const char *name, int *negated)
{
	char pos[128];

	*negated = 0;
	for (int i = 0; i < IP_NPARAM; i++)
		if (strcmp(intparams[i].name, name) == 0)
			return i;
	/* FreeBSD takes "no" before the whole name too: noexec.clean. */
	if (strncmp(name, "no", 2) == 0)
		for (int i = 0; i < IP_NPARAM; i++)
			if ((intparams[i].flags & IPF_BOOL) &&
			    strcmp(intparams[i].name, name + 2) == 0) {
				*negated = 1;
				return i;
			}
	if (!positive(name, pos, sizeof(pos)))
		return -1;
	for (int i = 0; i < IP_NPARAM; i++)
		if ((intparams[i].flags & IPF_BOOL) &&
		    strcmp(intparams[i].name, pos) == 0) {
			*negated = 1;
			return i;
		}
	return -1;
}
