/*
 * rtnetlink through libmnl: one socket per task, requests built in a
 * fixed buffer with bounded attribute calls (a message that would not
 * fit fails with EMSGSIZE, never overruns), each sent and acknowledged
 * before the next.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "prison.h"

int
nl_open(struct nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (nl->sock == NULL)
		return -1;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		errno = e;
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = 1;
	return 0;
}

void
nl_close(struct nl *nl)
{
	if (nl->sock != NULL)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct nlmsghdr *
nl_start(struct nl *nl, uint16_t type, uint16_t flags, const void *hdr,
    size_t hdrlen)
{
	struct nlmsghdr *h;

	memset(nl->buf, 0, sizeof(nl->buf));
	nl->overflow = 0;
	h = mnl_nlmsg_put_header(nl->buf);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = nl->seq++;
	memcpy(mnl_nlmsg_put_extra_header(h, hdrlen), hdr, hdrlen);
	return h;
}

/* Bytes of no attribute (a nested header such as VETH_INFO_PEER's). */
void
nl_put_raw(struct nl *nl, const void *data, size_t len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)nl->buf;

	if (nl->overflow || MNL_ALIGN(len) > sizeof(nl->buf) - h->nlmsg_len) {
		nl->overflow = 1;
		return;
	}
	memcpy(mnl_nlmsg_put_extra_header(h, len), data, len);
}

void
nl_put(struct nl *nl, uint16_t type, const void *data, size_t len)
{
	if (!nl->overflow && !mnl_attr_put_check((struct nlmsghdr *)nl->buf,
	    sizeof(nl->buf), type, len, data))
		nl->overflow = 1;
}

void
nl_put_u32(struct nl *nl, uint16_t type, uint32_t v)
{
	nl_put(nl, type, &v, sizeof(v));
}

void
nl_put_str(struct nl *nl, uint16_t type, const char *s)
{
	nl_put(nl, type, s, strlen(s) + 1);
}

struct nlattr *
nl_nest(struct nl *nl, uint16_t type)
{
	struct nlattr *a = NULL;

	if (!nl->overflow && (a = mnl_attr_nest_start_check(
	    (struct nlmsghdr *)nl->buf, sizeof(nl->buf), type)) == NULL)
		nl->overflow = 1;
	return a;
}

void
nl_nest_end(struct nl *nl, struct nlattr *a)
{
	if (!nl->overflow && a != NULL)
		mnl_attr_nest_end((struct nlmsghdr *)nl->buf, a);
}

/*
 * Send the request being built and wait for its acknowledgement; the
 * messages that come before it go to CB (if not NULL) with ARG.
 */
int
nl_talk_cb(struct nl *nl, int (*cb)(const struct nlmsghdr *, void *),
    void *arg)
{
	struct nlmsghdr *h = (struct nlmsghdr *)nl->buf;
	char rbuf[MNL_SOCKET_BUFFER_SIZE];
	unsigned seq = h->nlmsg_seq;
	ssize_t n;
	int rc;

	if (nl->overflow) {
		errno = EMSGSIZE;
		return -1;
	}
	if (mnl_socket_sendto(nl->sock, h, h->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl->sock, rbuf, sizeof(rbuf));
		if (n < 0)
			return -1;
		rc = mnl_cb_run(rbuf, (size_t)n, seq, nl->portid, cb, arg);
	} while (rc == MNL_CB_OK);
	return rc == MNL_CB_STOP ? 0 : -1;
}

int
nl_talk(struct nl *nl)
{
	return nl_talk_cb(nl, NULL, NULL);
}
