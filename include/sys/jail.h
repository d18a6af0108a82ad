/*
 * <sys/jail.h>: FreeBSD's jail(2) interface, for Linux.
 *
 * Flag values, structure layouts and prototypes match FreeBSD's so that a
 * program written against FreeBSD's API compiles unchanged.  The calls are
 * implemented in libjail (link with -ljail); see jail(2) for the places where
 * Linux forces a difference.
 */
#ifndef _SYS_JAIL_H_
#define _SYS_JAIL_H_

#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <netinet/in.h>

struct jail {
	uint32_t	 version;
	char		*path;
	char		*hostname;
	char		*jailname;
	uint32_t	 ip4s;
	uint32_t	 ip6s;
	struct in_addr	*ip4;
	struct in6_addr	*ip6;
};
#define	JAIL_API_VERSION	2

/* Version 0 of struct jail: a single IPv4 address in host byte order. */
struct jail_v0 {
	uint32_t	 version;
	char		*path;
	char		*hostname;
	uint32_t	 ip_number;
};

#define	XPRISON_VERSION		3

#define	PRISON_STATE_INVALID	0
#define	PRISON_STATE_ALIVE	1
#define	PRISON_STATE_DYING	2

/* Flags for jail_set and jail_get. */
#define	JAIL_CREATE	0x01	/* Create jail if it doesn't exist */
#define	JAIL_UPDATE	0x02	/* Update parameters of existing jail */
#define	JAIL_ATTACH	0x04	/* Attach to jail upon creation */
#define	JAIL_DYING	0x08	/* Allow getting a dying jail */
#define	JAIL_USE_DESC	0x10	/* Get jail from the desc parameter */
#define	JAIL_AT_DESC	0x20	/* Find jail relative to the desc jail */
#define	JAIL_GET_DESC	0x40	/* Return a new jail descriptor */
#define	JAIL_OWN_DESC	0x80	/* Return a new owning jail descriptor */
#define	JAIL_SET_MASK	0xff
#define	JAIL_GET_MASK	0xf8

/* Values of the "jailsys" parameters (host, vnet, ip4, ip6, sysv*). */
#define	JAIL_SYS_DISABLE	0
#define	JAIL_SYS_NEW		1
#define	JAIL_SYS_INHERIT	2

#define	JAIL_MAX		999999

#define	HOSTUUIDLEN		64
#define	DEFAULT_HOSTUUID	"00000000-0000-0000-0000-000000000000"
#define	OSRELEASELEN		32

/* kqueue constants, kept for source compatibility (see jaildesc(4)). */
#define	EVFILT_JAIL		(-14)
#define	EVFILT_JAILDESC		(-15)
#define	NOTE_JAIL_CHILD		0x80000000
#define	NOTE_JAIL_SET		0x40000000
#define	NOTE_JAIL_ATTACH	0x20000000
#define	NOTE_JAIL_REMOVE	0x10000000
#define	NOTE_JAIL_MULTI		0x08000000
#define	NOTE_JAIL_CTRLMASK	0xf0000000

#ifdef __cplusplus
extern "C" {
#endif

int	jail(struct jail *);
int	jail_set(struct iovec *, unsigned int, int);
int	jail_get(struct iovec *, unsigned int, int);
int	jail_attach(int);
int	jail_remove(int);
int	jail_attach_jd(int);
int	jail_remove_jd(int);

#ifdef __cplusplus
}
#endif

#endif /* !_SYS_JAIL_H_ */
