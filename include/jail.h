/*
 * <jail.h>: libjail(3), FreeBSD's jail parameter library, for Linux.
 */
#ifndef _JAIL_H
#define _JAIL_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/jail.h>

#define	JP_RAWVALUE	0x01
#define	JP_BOOL		0x02
#define	JP_NOBOOL	0x04
#define	JP_JAILSYS	0x08
#define	JP_KEYVALUE	0x10

#define	JAIL_ERRMSGLEN	1024

/*
 * FreeBSD describes parameter types with sysctl(3) type codes, found in
 * jp_ctltype.  Linux has no <sys/sysctl.h> with these values, so the ones
 * libjail reports are defined here with FreeBSD's numbers.
 */
#ifndef CTLTYPE
#define	CTLTYPE		0xf
#define	CTLTYPE_NODE	1
#define	CTLTYPE_INT	2
#define	CTLTYPE_STRING	3
#define	CTLTYPE_S64	4
#define	CTLTYPE_OPAQUE	5
#define	CTLTYPE_STRUCT	CTLTYPE_OPAQUE
#define	CTLTYPE_UINT	6
#define	CTLTYPE_LONG	7
#define	CTLTYPE_ULONG	8
#define	CTLTYPE_U64	9
#define	CTLTYPE_U8	0xa
#define	CTLTYPE_U16	0xb
#define	CTLTYPE_S8	0xc
#define	CTLTYPE_S16	0xd
#define	CTLTYPE_S32	0xe
#define	CTLTYPE_U32	0xf
#define	CTLFLAG_RD	0x80000000
#define	CTLFLAG_WR	0x40000000
#define	CTLFLAG_RW	(CTLFLAG_RD|CTLFLAG_WR)
#define	CTLFLAG_TUN	0x00080000
#define	CTLFLAG_RDTUN	(CTLFLAG_RD|CTLFLAG_TUN)
#endif

/* jp_structtype values. */
#define	JPS_NONE	0
#define	JPS_IN_ADDR	1
#define	JPS_IN6_ADDR	2

struct jailparam {
	char		*jp_name;
	void		*jp_value;
	size_t		 jp_valuelen;
	size_t		 jp_elemlen;
	int		 jp_ctltype;
	int		 jp_structtype;
	unsigned	 jp_flags;
};

#ifdef __cplusplus
extern "C" {
#endif

extern char jail_errmsg[];

int	 jail_getid(const char *name);
char	*jail_getname(int jid);
int	 jail_setv(int flags, ...);
int	 jail_getv(int flags, ...);
int	 jailparam_all(struct jailparam **jpp);
int	 jailparam_init(struct jailparam *jp, const char *name);
int	 jailparam_import(struct jailparam *jp, const char *value);
int	 jailparam_import_raw(struct jailparam *jp, void *value, size_t valuelen);
int	 jailparam_set(struct jailparam *jp, unsigned njp, int flags);
int	 jailparam_get(struct jailparam *jp, unsigned njp, int flags);
char	*jailparam_export(struct jailparam *jp);
void	 jailparam_free(struct jailparam *jp, unsigned njp);

/*
 * Linux's own (FreeBSD has sysctlbyname(3) and kinfo_proc's ki_jid):
 * the security.jail.* names a process reads of its own jail, and the
 * jail a process is in, seen from the host (0: none).
 */
int	 jail_sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
	    const void *newp, size_t newlen);
int	 jail_pid_getid(pid_t pid);

#ifdef __cplusplus
}
#endif

#endif /* !_JAIL_H */
