/*
 * The prison protocol codec.  See proto.h.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "proto.h"

#define	PAD4(n)	(((n) + 3) & ~(size_t)3)

struct wire_item {
	uint16_t	namelen;
	uint8_t		null;
	uint8_t		zero;
	uint32_t	vallen;
};

void
jmsg_start(struct jmsg_buf *b, void *buf, size_t size, int type, int flags,
    int status)
{
	struct jmsg_hdr h = {
		.magic = JPROTO_MAGIC, .version = JPROTO_VERSION,
		.type = (uint16_t)type, .flags = flags, .status = status,
	};

	b->buf = buf;
	b->size = size;
	b->len = 0;
	b->nitems = 0;
	b->error = 0;
	if (size < sizeof(h)) {
		b->error = EMSGSIZE;
		return;
	}
	memcpy(b->buf, &h, sizeof(h));
	b->len = sizeof(h);
}

void
jmsg_add(struct jmsg_buf *b, const char *name, const void *value, size_t len,
    int null)
{
	struct wire_item w;
	size_t namelen = strlen(name) + 1, need;

	if (b->error != 0)
		return;
	if (null)
		len = 0;
	if (namelen > UINT16_MAX || len > JPROTO_MAXMSG) {
		b->error = EMSGSIZE;
		return;
	}
	if (b->nitems >= JPROTO_MAXITEMS) {
		b->error = E2BIG;
		return;
	}
	need = sizeof(w) + PAD4(namelen) + PAD4(len);
	if (need > b->size - b->len) {
		b->error = EMSGSIZE;
		return;
	}
	w.namelen = (uint16_t)namelen;
	w.null = null ? 1 : 0;
	w.zero = 0;
	w.vallen = (uint32_t)len;
	memset(b->buf + b->len, 0, need);
	memcpy(b->buf + b->len, &w, sizeof(w));
	memcpy(b->buf + b->len + sizeof(w), name, namelen);
	if (len > 0)
		memcpy(b->buf + b->len + sizeof(w) + PAD4(namelen), value, len);
	b->len += need;
	b->nitems++;
}

void
jmsg_add_str(struct jmsg_buf *b, const char *name, const char *value)
{
	jmsg_add(b, name, value, strlen(value) + 1, 0);
}

void
jmsg_add_int(struct jmsg_buf *b, const char *name, int value)
{
	jmsg_add(b, name, &value, sizeof(value), 0);
}

void
jmsg_start_reply(struct jmsg_buf *b, void *buf, size_t size,
    const struct jmsg_hdr *req, int status)
{
	jmsg_start(b, buf, size, JM_REPLY, 0, status);
	if (b->error == 0)
		jmsg_set_seq(b->buf, req->seq);
}

void
jmsg_set_seq(void *msg, uint32_t seq)
{
	memcpy((unsigned char *)msg + offsetof(struct jmsg_hdr, seq), &seq,
	    sizeof(seq));
}

ssize_t
jmsg_finish(struct jmsg_buf *b)
{
	struct jmsg_hdr h;

	if (b->error != 0) {
		errno = b->error;
		return -1;
	}
	memcpy(&h, b->buf, sizeof(h));
	h.len = (uint32_t)b->len;
	h.nitems = b->nitems;
	memcpy(b->buf, &h, sizeof(h));
	return (ssize_t)b->len;
}

int
jmsg_decode(const void *buf, size_t len, struct jmsg *out)
{
	const unsigned char *p = buf;
	size_t off;

	out->n = 0;
	if (len < sizeof(out->h) || len > JPROTO_MAXMSG)
		goto bad;
	memcpy(&out->h, p, sizeof(out->h));
	if (out->h.magic != JPROTO_MAGIC || out->h.version != JPROTO_VERSION ||
	    out->h.len != len || out->h.nitems > JPROTO_MAXITEMS)
		goto bad;

	off = sizeof(out->h);
	for (uint32_t i = 0; i < out->h.nitems; i++) {
		struct wire_item w;
		struct jmsg_item *it = &out->item[i];
		size_t namesz, valsz;

		if (len - off < sizeof(w))
			goto bad;
		memcpy(&w, p + off, sizeof(w));
		off += sizeof(w);
		namesz = PAD4((size_t)w.namelen);
		valsz = PAD4((size_t)w.vallen);
		if (w.namelen < 2 || w.zero != 0 || w.null > 1 ||
		    (w.null && w.vallen != 0) ||
		    namesz > len - off || valsz > len - off - namesz)
			goto bad;
		/* The name must be exactly NUL-terminated where it says. */
		if (p[off + w.namelen - 1] != '\0' ||
		    memchr(p + off, '\0', w.namelen - 1) != NULL)
			goto bad;
		it->name = (const char *)(p + off);
		it->value = w.null ? NULL : p + off + namesz;
		it->len = w.vallen;
		it->null = w.null;
		off += namesz + valsz;
	}
	if (off != len)
		goto bad;
	out->n = out->h.nitems;
	return 0;
bad:
	errno = EBADMSG;
	return -1;
}

const struct jmsg_item *
jmsg_find(const struct jmsg *m, const char *name)
{
	unsigned at = 0;

	return jmsg_find_from(m, name, &at);
}

const struct jmsg_item *
jmsg_find_from(const struct jmsg *m, const char *name, unsigned *at)
{
	for (unsigned k = 0; k < m->n; k++) {
		unsigned i = (*at + k) % m->n;

		if (strcmp(m->item[i].name, name) == 0) {
			*at = i + 1;
			return &m->item[i];
		}
	}
	return NULL;
}

ssize_t
jmsg_send(int sock, const void *buf, size_t len, const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * JPROTO_MAXFDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds < 0 || nfds > JPROTO_MAXFDS) {
		errno = EINVAL;
		return -1;
	}
	if (nfds > 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n;
}

ssize_t
jmsg_recv(int sock, void *buf, size_t size, int *fds, int *nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * JPROTO_MAXFDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *c;
	int got = 0, bad = 0;
	ssize_t n;

	if (nfds != NULL)
		*nfds = 0;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;

	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int tmp[JPROTO_MAXFDS * 2];

		if (k > sizeof(tmp) / sizeof(tmp[0]))
			k = sizeof(tmp) / sizeof(tmp[0]);
		memcpy(tmp, CMSG_DATA(c), k * sizeof(int));
		for (size_t i = 0; i < k; i++) {
			if (fds != NULL && nfds != NULL && got < JPROTO_MAXFDS)
				fds[got++] = tmp[i];
			else {
				close(tmp[i]);
				bad = 1;
			}
		}
	}
	if (nfds != NULL)
		*nfds = got;
	/* An empty record (or the end) carries nothing: not its fds either. */
	if (n == 0) {
		for (int i = 0; i < got; i++)
			close(fds[i]);
		if (nfds != NULL)
			*nfds = 0;
		return 0;
	}
	if (bad || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) {
		for (int i = 0; i < got; i++)
			close(fds[i]);
		if (nfds != NULL)
			*nfds = 0;
		errno = EBADMSG;
		return -1;
	}
	return n;
}
