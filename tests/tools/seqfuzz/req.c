/*
 * seqfuzz's requests, by kind.  A good one is built with the protocol's
 * own encoder; a bad one is a good one damaged, or bytes with no good one
 * behind them.  Root's requests never remove the jail nor clear persist:
 * that is root's right, not a bug, and the jail must outlive the run.
 */
#include <stdio.h>
#include <string.h>

#include "param.h"
#include "seqfuzz.h"
#include "sys/jail.h"

const char *const rq_names[RQ_NKINDS] = {
	"get", "get-bad", "get-huge", "update", "update-bad", "attach",
	"attached", "remove", "create", "unknown-type", "truncated",
	"mutated", "bad-header", "noise", "oversize", "empty",
};

/* How often each kind is sent, out of the sum. */
static const unsigned weight[RQ_NKINDS] = {
	[RQ_GET] = 14, [RQ_GET_BAD] = 8, [RQ_GET_HUGE] = 2, [RQ_UPDATE] = 12,
	[RQ_UPDATE_BAD] = 10, [RQ_ATTACH] = 4, [RQ_ATTACHED] = 2,
	[RQ_REMOVE] = 3, [RQ_CREATE] = 1, [RQ_UNKNOWN] = 3,
	[RQ_TRUNCATED] = 6, [RQ_MUTATED] = 10, [RQ_BADHDR] = 6,
	[RQ_NOISE] = 4, [RQ_OVERSIZE] = 1, [RQ_EMPTY] = 2,
};

int
req_pick(struct fz *f)
{
	unsigned sum = 0, r;

	for (int k = 0; k < RQ_NKINDS; k++)
		if (k != RQ_REMOVE || !f->root)
			sum += weight[k];
	r = fz_below(f, sum);
	for (int k = 0; k < RQ_NKINDS; k++) {
		if (k == RQ_REMOVE && f->root)
			continue;
		if (r < weight[k])
			return k;
		r -= weight[k];
	}
	return RQ_GET;
}

/* A finished message; one that did not fit becomes a bare GET. */
static size_t
finish(struct jmsg_buf *b)
{
	if (jmsg_finish(b) < 0) {
		jmsg_start(b, b->buf, b->size, JM_GET, 0, 0);
		jmsg_finish(b);
	}
	return b->len;
}

static const char *
any_name(struct fz *f)
{
	return jparam_table[fz_below(f, (unsigned)jparam_count)].name;
}

static size_t
get(struct fz *f, unsigned char *buf, size_t size)
{
	struct jmsg_buf b;
	char key[16];

	jmsg_start(&b, buf, size, JM_GET, 0, 0);
	for (unsigned n = 1 + fz_below(f, 20); n > 0; n--) {
		if (fz_below(f, 5) == 0) {
			snprintf(key, sizeof(key), "meta.k%u", fz_below(f, 8));
			jmsg_add(&b, key, NULL, 0, 1);
		} else
			jmsg_add(&b, any_name(f), NULL, 0, 1);
	}
	return finish(&b);
}

static size_t
get_bad(struct fz *f, unsigned char *buf, size_t size)
{
	static const char *const odd[] = { "meta.", "env.", "no", "allow.no",
	    "allow.", ".", "meta", "allow.mount.no", "noname", "nonopersist" };
	struct jmsg_buf b;
	char s[400];

	jmsg_start(&b, buf, size, JM_GET, 0, 0);
	for (unsigned n = 1 + fz_below(f, 8); n > 0; n--) {
		switch (fz_below(f, 4)) {
		case 0:
			jmsg_add(&b, odd[fz_below(f, 10)], NULL, 0, 1);
			break;
		case 1:	/* about the size of the lookup's name buffer */
			fz_str(f, s, 250 + fz_below(f, 12), "noabc.");
			jmsg_add(&b, s, NULL, 0, 1);
			break;
		case 2:	/* any bytes but NUL */
			for (unsigned i = 0, k = 1 + fz_below(f, 300); i <= k; i++)
				s[i] = i == k ? '\0' : (char)(1 + fz_below(f, 255));
			jmsg_add(&b, s, NULL, 0, 1);
			break;
		default:	/* a value where none belongs */
			jmsg_add(&b, any_name(f), s, fz_below(f, 300), 0);
			break;
		}
	}
	return finish(&b);
}

static size_t
get_huge(struct fz *f, unsigned char *buf, size_t size)
{
	static char big[JPROTO_MAXMSG];
	struct jmsg_buf b;
	unsigned n;

	jmsg_start(&b, buf, size, JM_GET, 0, 0);
	switch (fz_below(f, 4)) {
	case 0:		/* every item a message may hold */
		for (n = 0; n < JPROTO_MAXITEMS; n++)
			jmsg_add(&b, fz_below(f, 4) ? any_name(f) : "meta", NULL,
			    0, 1);
		break;
	case 1:		/* as many long names as fit */
		memset(big, 'n', 240);
		for (n = 0; n < JPROTO_MAXITEMS; n++) {
			big[240] = '\0';
			big[0] = (char)('a' + n % 26);
			jmsg_add(&b, big, NULL, 0, 1);
		}
		break;
	case 2:		/* one name as long as a message allows */
		n = JPROTO_MAXMSG - 64 - fz_below(f, 64);
		memset(big, 'k', n);
		memcpy(big, "meta.", 5);
		big[n] = '\0';
		jmsg_add(&b, big, NULL, 0, 1);
		break;
	default:	/* one large value, ignored */
		memset(big, 'v', sizeof(big));
		jmsg_add(&b, "name", big, JPROTO_MAXMSG - 64 - fz_below(f, 64),
		    0);
		break;
	}
	return finish(&b);
}

static size_t
update(struct fz *f, unsigned char *buf, size_t size, int bad)
{
	struct jmsg_buf b;
	unsigned n = fz_below(f, 4), at = fz_below(f, n + 1);

	jmsg_start(&b, buf, size, JM_UPDATE, 0, 0);
	for (unsigned i = 0; i <= n; i++) {
		if (!bad || i != at)
			req_add_valid(f, &b);
		else if (fz_below(f, 8) == 0)
			req_add_unterminated(f, &b, "meta.k7");
		else
			req_add_invalid(f, &b);
	}
	return finish(&b);
}

/* A request of TYPE, with or without a few items it does not need. */
static size_t
bare(struct fz *f, int type, unsigned char *buf, size_t size)
{
	struct jmsg_buf b;

	jmsg_start(&b, buf, size, type, (int)fz_below(f, 3) - 1, 0);
	if (type == JM_CREATE) {
		/* Refused in any case: a relative path and no persist. */
		jmsg_add_str(&b, "path", "relative");
		jmsg_add_str(&b, "name", "seqfuzz-child");
	} else if (fz_below(f, 4) == 0)
		jmsg_add(&b, any_name(f), NULL, 0, 1);
	return finish(&b);
}

static size_t
unknown(struct fz *f, unsigned char *buf, size_t size)
{
	static const int types[] = { 0, 7, 8, 99, JM_REPLY, 101, 255, 256,
	    0x8000, 0xffff };

	return bare(f, fz_below(f, 2) ? types[fz_below(f, 10)] :
	    (int)(fz_rand(f) & 0xffff), buf, size);
}

/* A good request of some kind, to be damaged. */
static size_t
template(struct fz *f, unsigned char *buf, size_t size)
{
	switch (fz_below(f, 5)) {
	case 0:
	case 1:
		return get(f, buf, size);
	case 2:
		return update(f, buf, size, 0);
	case 3:
		return update(f, buf, size, 1);
	default:
		return bare(f, fz_below(f, 2) ? JM_ATTACH : JM_ATTACHED, buf,
		    size);
	}
}

static size_t
truncated(struct fz *f, unsigned char *buf, size_t size)
{
	size_t len = template(f, buf, size), cut = 1 + fz_below(f,
	    (unsigned)len - 1);
	struct jmsg_hdr h;

	/* Half the time the header agrees with the shorter length. */
	if (cut >= sizeof(h) && fz_below(f, 2) == 0) {
		memcpy(&h, buf, sizeof(h));
		h.len = (uint32_t)cut;
		memcpy(buf, &h, sizeof(h));
	}
	return cut;
}

static size_t
mutated(struct fz *f, unsigned char *buf, size_t size)
{
	size_t len = template(f, buf, size);

	for (unsigned k = 1 + fz_below(f, 4); k > 0; k--) {
		size_t at = fz_below(f, 3) == 0 ?
		    fz_below(f, sizeof(struct jmsg_hdr)) :
		    fz_below(f, (unsigned)len);

		buf[at] = (unsigned char)fz_rand(f);
	}
	return len;
}

static size_t
bad_header(struct fz *f, unsigned char *buf, size_t size)
{
	size_t len = template(f, buf, size);
	struct jmsg_hdr h;

	memcpy(&h, buf, sizeof(h));
	switch (fz_below(f, 6)) {
	case 0:
		h.magic ^= 1U << fz_below(f, 32);
		break;
	case 1:
		h.version = (uint16_t)(fz_below(f, 2) ? 0 : 2 + fz_rand(f));
		break;
	case 2:
		h.len += fz_below(f, 2) ? 4 : (uint32_t)-4;
		break;
	case 3: {
		static const uint32_t n[] = { 0, 1, JPROTO_MAXITEMS,
		    JPROTO_MAXITEMS + 1, 0xffffffffU };

		h.nitems = fz_below(f, 2) ? h.nitems + 1 : n[fz_below(f, 5)];
		break;
	}
	default:	/* fields a request does not use: it still counts */
		h.flags = (int32_t)fz_rand(f);
		h.status = (int32_t)fz_rand(f);
		break;
	}
	memcpy(buf, &h, sizeof(h));
	return len;
}

static size_t
noise(struct fz *f, unsigned char *buf, size_t size)
{
	size_t len = 1 + fz_below(f, 4096), at = 0;

	if (fz_below(f, 2) == 0) {	/* past the magic check */
		struct jmsg_hdr h = { .magic = JPROTO_MAGIC,
		    .version = JPROTO_VERSION, .type = JM_GET };

		len += sizeof(h);
		h.len = (uint32_t)len;
		memcpy(buf, &h, sizeof(h));
		at = sizeof(h) - sizeof(h.nitems);
	}
	for (; at < len; at++)
		buf[at] = (unsigned char)fz_rand(f);
	return len;
}

static size_t
oversize(struct fz *f, unsigned char *buf, size_t size)
{
	static char big[JPROTO_MAXMSG];
	struct jmsg_buf b;

	jmsg_start(&b, buf, size, JM_GET, 0, 0);
	jmsg_add(&b, "name", big, sizeof(big), 0);
	jmsg_add(&b, "meta", big, 1 + fz_below(f, (unsigned)(size -
	    JPROTO_MAXMSG - 256)), 0);
	return finish(&b);
}

/* Whether M, if the prison took it, would clear persist. */
static int
clears_persist(const struct jmsg *m)
{
	for (unsigned i = 0; i < m->n; i++) {
		const struct jparam_def *d;
		const char *key;
		int neg, v = 1;

		d = jparam_lookup(m->item[i].name, &neg, &key);
		if (d == NULL || strcmp(d->name, "persist") != 0)
			continue;
		if (!m->item[i].null) {
			if (m->item[i].len != sizeof(v))
				continue;	/* refused */
			memcpy(&v, m->item[i].value, sizeof(v));
		}
		if (((v != 0) ^ neg) == 0)
			return 1;
	}
	return 0;
}

/* Damage may make a removal of any request: root's become GETs. */
static void
root_guard(unsigned char *buf, size_t len)
{
	static struct jmsg m;
	struct jmsg_hdr h;

	if (jmsg_decode(buf, len, &m) < 0)
		return;		/* refused before its type is looked at */
	if (m.h.type == JM_REMOVE || (m.h.type == JM_UPDATE &&
	    clears_persist(&m))) {
		memcpy(&h, buf, sizeof(h));
		h.type = JM_GET;
		memcpy(buf, &h, sizeof(h));
	}
	/* An owning descriptor's close removes the jail too: none for root. */
	memcpy(&h, buf, sizeof(h));
	h.flags &= ~JAIL_OWN_DESC;
	memcpy(buf, &h, sizeof(h));
}

size_t
req_make(struct fz *f, int kind, unsigned char *buf, size_t size)
{
	size_t len, valid = size < JPROTO_MAXMSG ? size : JPROTO_MAXMSG;

	switch (kind) {
	case RQ_GET:		len = get(f, buf, valid); break;
	case RQ_GET_BAD:	len = get_bad(f, buf, valid); break;
	case RQ_GET_HUGE:	len = get_huge(f, buf, valid); break;
	case RQ_UPDATE:		len = update(f, buf, valid, 0); break;
	case RQ_UPDATE_BAD:	len = update(f, buf, valid, 1); break;
	case RQ_ATTACH:		len = bare(f, JM_ATTACH, buf, valid); break;
	case RQ_ATTACHED:	len = bare(f, JM_ATTACHED, buf, valid); break;
	case RQ_REMOVE:		len = bare(f, JM_REMOVE, buf, valid); break;
	case RQ_CREATE:		len = bare(f, JM_CREATE, buf, valid); break;
	case RQ_UNKNOWN:	len = unknown(f, buf, valid); break;
	case RQ_TRUNCATED:	len = truncated(f, buf, valid); break;
	case RQ_MUTATED:	len = mutated(f, buf, valid); break;
	case RQ_BADHDR:		len = bad_header(f, buf, valid); break;
	case RQ_NOISE:		len = noise(f, buf, valid); break;
	case RQ_OVERSIZE:	len = oversize(f, buf, size); break;
	default:		len = 0; break;
	}
	if (f->root)
		root_guard(buf, len);
	return len;
}

int
req_type(const unsigned char *buf, size_t len)
{
	struct jmsg_hdr h;

	if (len < sizeof(h))
		return -1;
	memcpy(&h, buf, sizeof(h));
	return h.type;
}
