/*
 * The jail parameter table: one row per parameter, read by the library
 * (validation and libjail(3) types), the prison (storage and enforcement),
 * jls (listing) and the man page generator.  A parameter is added here and
 * nowhere else.
 */
#ifndef JAIL_PARAM_H
#define JAIL_PARAM_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

enum jp_kind {
	JPK_INT,	/* int */
	JPK_ULONG,	/* unsigned long */
	JPK_BOOL,	/* int 0/1; also passed by name alone, or as noNAME */
	JPK_JAILSYS,	/* int: JAIL_SYS_DISABLE / NEW / INHERIT */
	JPK_STRING,	/* NUL-terminated, maxlen counts the NUL */
	JPK_IN_ADDR,	/* packed array of struct in_addr */
	JPK_IN6_ADDR,	/* packed array of struct in6_addr */
};

enum jp_access {
	JPA_RW,		/* settable at creation and update */
	JPA_CREATE,	/* settable only at creation */
	JPA_RO,		/* read-only */
	JPA_PSEUDO,	/* lastjid, errmsg, desc: not stored */
};

/* Enforcement on Linux, for the man page and for refusing what we cannot do. */
enum jp_linux {
	JPL_ENFORCED,	/* enforced by a Linux mechanism */
	JPL_STORED,	/* stored and reported; not enforced (documented) */
	JPL_REFUSED,	/* a true value is refused: Linux cannot grant it */
};

#define	JAIL_MAX_AF_IPS		255
/*
 * meta and env: at most jail_meta_maxbufsize() bytes with the NUL (4096
 * unless host root set another), never more than JAIL_META_CEIL, what a
 * jail's state, its registry record and a protocol message have room for
 * (tests/unit/proto_test checks that every parameter at its largest fits).
 */
#define	JAIL_META_MAXBUF	4096
#define	JAIL_META_CEIL		16384
#define	JAIL_NAME_MAX		256
#define	JAIL_PATH_MAX		1024
#define	JAIL_HIDDEN_MAX		1024
#define	JAIL_IFLIST_MAX		4096	/* interface: "IF" and "IF|ADDR" entries */
#define	JAIL_VNET_IFMAX		64	/* interfaces in vnet.interface */
#define	JAIL_VNET_IFLIST_MAX	1088	/* vnet.interface: 64 names */

struct jparam_def {
	const char	*name;
	uint8_t		 kind;		/* enum jp_kind */
	uint8_t		 access;	/* enum jp_access */
	uint8_t		 linux_support;	/* enum jp_linux */
	uint8_t		 keyvalue;	/* meta and env: NAME.KEY addressing */
	uint32_t	 maxlen;	/* strings: bytes incl. NUL; lists: entries */
	size_t		 off;		/* offset of the value in struct jstate */
	uint64_t	 bit;		/* allow.* bit in jstate.allow, else 0 */
	const char	*deflt;		/* default, as jls -n prints it */
	const char	*descr;		/* meaning, for the man page */
	const char	*linux_note;	/* how Linux implements it */
};

/* allow.* bits (FreeBSD's PR_ALLOW_* values, then the mount sub-tree). */
#define	JA_SET_HOSTNAME		0x00000001ULL
#define	JA_SYSVIPC		0x00000002ULL
#define	JA_RAW_SOCKETS		0x00000004ULL
#define	JA_CHFLAGS		0x00000008ULL
#define	JA_MOUNT		0x00000010ULL
#define	JA_QUOTAS		0x00000020ULL
#define	JA_SOCKET_AF		0x00000040ULL
#define	JA_MLOCK		0x00000080ULL
#define	JA_READ_MSGBUF		0x00000100ULL
#define	JA_UNPRIV_DEBUG		0x00000200ULL
#define	JA_SUSER		0x00000400ULL
#define	JA_RESERVED_PORTS	0x00008000ULL
#define	JA_VMM			0x00010000ULL
#define	JA_NFSD			0x00020000ULL
#define	JA_EXTATTR		0x00040000ULL
#define	JA_ADJTIME		0x00080000ULL
#define	JA_SETTIME		0x00100000ULL
#define	JA_ROUTING		0x00200000ULL
#define	JA_UNPRIV_PARENT_TAMPER	0x00400000ULL
#define	JA_SETAUDIT		0x00800000ULL
#define	JA_MOUNT_DEVFS		0x0100000000ULL
#define	JA_MOUNT_FDESCFS	0x0200000000ULL
#define	JA_MOUNT_FUSEFS		0x0400000000ULL
#define	JA_MOUNT_NULLFS		0x0800000000ULL
#define	JA_MOUNT_PROCFS		0x1000000000ULL
#define	JA_MOUNT_LINPROCFS	0x2000000000ULL
#define	JA_MOUNT_LINSYSFS	0x4000000000ULL
#define	JA_MOUNT_TMPFS		0x8000000000ULL
#define	JA_MOUNT_ZFS		0x10000000000ULL

#define	JA_DEFAULT	(JA_SET_HOSTNAME | JA_RESERVED_PORTS | JA_UNPRIV_DEBUG | JA_SUSER)

/*
 * The state of one jail, as the prison keeps it.  Every stored parameter
 * has a field here; the table gives its offset.
 */
struct jstate {
	int		jid;
	char		name[JAIL_NAME_MAX];
	char		path[JAIL_PATH_MAX];
	int		parent;
	int		dying;
	int		persist;
	int		securelevel;
	int		devfs_ruleset;
	int		enforce_statfs;
	int		children_max;
	int		children_cur;
	int		cpuset_id;
	char		osrelease[32];
	int		osreldate;
	int		host;
	char		hostname[JAIL_NAME_MAX];
	char		domainname[JAIL_NAME_MAX];
	char		hostuuid[64];
	unsigned long	hostid;
	int		ip4;
	int		ip6;
	int		ip4_saddrsel;
	int		ip6_saddrsel;
	int		vnet;
	unsigned	n_ip4;
	unsigned	n_ip6;
	struct in_addr	ip4_addr[JAIL_MAX_AF_IPS];
	struct in6_addr	ip6_addr[JAIL_MAX_AF_IPS];
	int		sysvmsg;
	int		sysvsem;
	int		sysvshm;
	uint64_t	allow;
	char		meta[JAIL_META_CEIL];
	char		env[JAIL_META_CEIL];
	char		idmap[16];	/* "private" or "identity" */
	unsigned long	idmap_base;	/* host id of jail id 0 */
	char		idmap_hidden[JAIL_HIDDEN_MAX];	/* mounts left out */
	char		interface[JAIL_IFLIST_MAX];	/* proxy ARP/NDP on */
	char		vnet_interface[JAIL_VNET_IFLIST_MAX];
	char		vnet_netns[JAIL_PATH_MAX];	/* joined, not made */
};

extern const struct jparam_def jparam_table[];
extern const size_t jparam_count;

/*
 * Find NAME in the table.  "noX" and "allow.noX" forms of booleans set
 * *negated; "meta.KEY"/"env.KEY" return the meta/env row and set *key to
 * KEY.  Returns NULL for an unknown name.
 */
const struct jparam_def *jparam_lookup(const char *name, int *negated,
    const char **key);

/*
 * The most bytes, with the NUL, a string parameter may have now: the
 * table's maxlen, or for meta and env the host's setting.
 */
size_t jparam_maxlen(const struct jparam_def *);

/*
 * The host's maximum size of a meta or env value (FreeBSD's sysctl
 * security.jail.meta_maxbufsize), from the registry (metasize.c).
 */
unsigned jail_meta_maxbufsize(void);

/* Size in bytes of one element of a parameter's native value. */
size_t jparam_elemsize(const struct jparam_def *);

/* Fill *st with the defaults of a new top-level jail. */
void jstate_defaults(struct jstate *st);

/* Pointer to the value of DEF inside ST (NULL for pseudo parameters). */
void *jstate_field(struct jstate *st, const struct jparam_def *def);

#endif
