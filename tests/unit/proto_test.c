/*
 * Unit tests of the prison protocol codec and the parameter table, and a
 * bounded fuzz of the decoder: every message from a client is untrusted.
 */
#include <atf-c.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "internal.h"
#include "param.h"
#include "proto.h"
#include "policy.h"

ATF_TC_WITHOUT_HEAD(roundtrip);
ATF_TC_BODY(roundtrip, tc)
{
	unsigned char buf[1024];
	struct jmsg_buf b;
	struct jmsg m;
	int v = 42;
	ssize_t n;

	jmsg_start(&b, buf, sizeof(buf), JM_CREATE, 0x5, 0);
	jmsg_add_str(&b, "name", "web");
	jmsg_add(&b, "jid", &v, sizeof(v), 0);
	jmsg_add(&b, "persist", NULL, 0, 1);
	n = jmsg_finish(&b);
	ATF_REQUIRE(n > 0);
	ATF_REQUIRE_EQ(0, jmsg_decode(buf, (size_t)n, &m));
	ATF_CHECK_EQ(JM_CREATE, m.h.type);
	ATF_CHECK_EQ(0x5, m.h.flags);
	ATF_REQUIRE_EQ(3u, m.n);
	ATF_CHECK_STREQ("web", (const char *)jmsg_find(&m, "name")->value);
	ATF_CHECK_EQ(42, *(const int *)jmsg_find(&m, "jid")->value);
	ATF_CHECK(jmsg_find(&m, "persist")->null);
	ATF_CHECK(jmsg_find(&m, "nothere") == NULL);
}

ATF_TC_WITHOUT_HEAD(limits);
ATF_TC_BODY(limits, tc)
{
	unsigned char buf[64];
	struct jmsg_buf b;
	char big[100];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	jmsg_start(&b, buf, sizeof(buf), JM_GET, 0, 0);
	jmsg_add_str(&b, "name", big);
	ATF_CHECK_EQ(-1, jmsg_finish(&b));
	ATF_CHECK_EQ(EMSGSIZE, errno);
	jmsg_start(&b, buf, 8, JM_GET, 0, 0);
	ATF_CHECK_EQ(-1, jmsg_finish(&b));
}

/* A well-formed message with one field corrupted must be refused. */
ATF_TC_WITHOUT_HEAD(malformed);
ATF_TC_BODY(malformed, tc)
{
	unsigned char buf[256], bad[256];
	struct jmsg_buf b;
	struct jmsg m;
	ssize_t n;

	jmsg_start(&b, buf, sizeof(buf), JM_UPDATE, 0, 0);
	jmsg_add_str(&b, "host.hostname", "h");
	n = jmsg_finish(&b);
	ATF_REQUIRE(n > 0);

	ATF_CHECK_EQ(-1, jmsg_decode(buf, (size_t)n - 1, &m));	/* short */
	ATF_CHECK_EQ(EBADMSG, errno);
	ATF_CHECK_EQ(-1, jmsg_decode(buf, 4, &m));
	memcpy(bad, buf, (size_t)n);
	bad[0] ^= 1;						/* magic */
	ATF_CHECK_EQ(-1, jmsg_decode(bad, (size_t)n, &m));
	memcpy(bad, buf, (size_t)n);
	bad[4] = 9;						/* version */
	ATF_CHECK_EQ(-1, jmsg_decode(bad, (size_t)n, &m));
	memcpy(bad, buf, (size_t)n);
	bad[sizeof(struct jmsg_hdr)] = 0xff;			/* name length */
	ATF_CHECK_EQ(-1, jmsg_decode(bad, (size_t)n, &m));
	memcpy(bad, buf, (size_t)n);
	bad[sizeof(struct jmsg_hdr) + 4] = 0x7f;		/* value length */
	ATF_CHECK_EQ(-1, jmsg_decode(bad, (size_t)n, &m));
	memcpy(bad, buf, (size_t)n);
	bad[sizeof(struct jmsg_hdr) + 8 + 3] = '\0';		/* NUL inside name */
	ATF_CHECK_EQ(-1, jmsg_decode(bad, (size_t)n, &m));
	memcpy(bad, buf, (size_t)n);
	bad[sizeof(struct jmsg_hdr) + 2] = 2;			/* null flag */
	ATF_CHECK_EQ(-1, jmsg_decode(bad, (size_t)n, &m));
}

/* Random mutations of valid messages: never a crash, never out of bounds. */
ATF_TC_WITHOUT_HEAD(fuzz_decode);
ATF_TC_BODY(fuzz_decode, tc)
{
	unsigned char buf[512], mut[512];
	struct jmsg_buf b;
	struct jmsg m;
	unsigned seed = 12345, accepted = 0;
	ssize_t n;

	jmsg_start(&b, buf, sizeof(buf), JM_CREATE, 1, 0);
	jmsg_add_str(&b, "name", "fuzz");
	jmsg_add_str(&b, "path", "/");
	jmsg_add(&b, "persist", NULL, 0, 1);
	jmsg_add_int(&b, "jid", 7);
	n = jmsg_finish(&b);
	ATF_REQUIRE(n > 0);
	for (int i = 0; i < 200000; i++) {
		size_t len = (size_t)n;

		memcpy(mut, buf, len);
		for (int k = 1 + (int)(rand_r(&seed) % 4); k > 0; k--)
			mut[rand_r(&seed) % len] = (unsigned char)rand_r(&seed);
		if (rand_r(&seed) % 8 == 0)
			len = rand_r(&seed) % len;
		if (jmsg_decode(mut, len, &m) == 0) {
			accepted++;
			for (unsigned j = 0; j < m.n; j++) {
				/* Every decoded item lies inside the record. */
				ATF_REQUIRE((const unsigned char *)m.item[j].name >= mut);
				ATF_REQUIRE((const unsigned char *)m.item[j].name +
				    strlen(m.item[j].name) < mut + len);
				if (!m.item[j].null)
					ATF_REQUIRE((const unsigned char *)
					    m.item[j].value + m.item[j].len <= mut + len);
			}
		}
	}
	ATF_CHECK(accepted > 0);	/* mutations of value bytes stay valid */
}

ATF_TC_WITHOUT_HEAD(param_lookup);
ATF_TC_BODY(param_lookup, tc)
{
	const struct jparam_def *d;
	const char *key;
	int neg;

	ATF_REQUIRE((d = jparam_lookup("persist", &neg, &key)) != NULL);
	ATF_CHECK_EQ(0, neg);
	ATF_REQUIRE((d = jparam_lookup("nopersist", &neg, &key)) != NULL);
	ATF_CHECK_STREQ("persist", d->name);
	ATF_CHECK_EQ(1, neg);
	ATF_REQUIRE((d = jparam_lookup("allow.mount.notmpfs", &neg, &key)) != NULL);
	ATF_CHECK_STREQ("allow.mount.tmpfs", d->name);
	ATF_CHECK_EQ(1, neg);
	ATF_REQUIRE((d = jparam_lookup("meta.owner", &neg, &key)) != NULL);
	ATF_CHECK_STREQ("meta", d->name);
	ATF_CHECK_STREQ("owner", key);
	ATF_CHECK(jparam_lookup("nojid", &neg, &key) == NULL);	/* not a bool */
	ATF_CHECK(jparam_lookup("bogus", &neg, &key) == NULL);
	ATF_CHECK(jparam_lookup("meta.", &neg, &key) == NULL);
	ATF_CHECK(jparam_lookup("allow.nomount.tmpfs", &neg, &key) == NULL);
	for (size_t i = 0; i < jparam_count; i++)
		ATF_CHECK(jparam_lookup(jparam_table[i].name, &neg, &key) ==
		    &jparam_table[i]);
}

ATF_TC_WITHOUT_HEAD(defaults);
ATF_TC_BODY(defaults, tc)
{
	struct jstate st;

	jstate_defaults(&st);
	/* FreeBSD's defaults for a new jail. */
	ATF_CHECK_EQ(JA_SET_HOSTNAME | JA_RESERVED_PORTS | JA_UNPRIV_DEBUG |
	    JA_SUSER, st.allow);
	ATF_CHECK_EQ(2, st.enforce_statfs);
	ATF_CHECK_EQ(0, st.children_max);
	ATF_CHECK_STREQ("00000000-0000-0000-0000-000000000000", st.hostuuid);
	ATF_CHECK(st.osreldate != 0);
}

ATF_TC_WITHOUT_HEAD(policy_check);
ATF_TC_BODY(policy_check, tc)
{
	unsigned char blob[JPOL_SIZE(2)];
	struct jail_policy p = { .version = JPOL_VERSION, .ninsns = 2 };

	memset(blob, 0, sizeof(blob));
	memcpy(blob, &p, sizeof(p));
	ATF_CHECK_EQ(0, jpolicy_check(blob, sizeof(blob)));
	ATF_CHECK_EQ(-1, jpolicy_check(blob, sizeof(blob) - 1));
	p.ninsns = 0;
	memcpy(blob, &p, sizeof(p));
	ATF_CHECK_EQ(-1, jpolicy_check(blob, sizeof(blob)));
	p.ninsns = 2;
	p.flags = 0x80;
	memcpy(blob, &p, sizeof(p));
	ATF_CHECK_EQ(-1, jpolicy_check(blob, sizeof(blob)));
}

/* The prison's side of one exchange: events and a stale answer first. */
static void
serve_one(int s)
{
	unsigned char buf[1024], out[256];
	struct jmsg_buf b;
	struct jmsg req;
	ssize_t n = recv(s, buf, sizeof(buf), 0);

	if (n <= 0 || jmsg_decode(buf, (size_t)n, &req) < 0)
		_exit(1);
	jmsg_start(&b, out, sizeof(out), JM_EVENT, 0, 0);
	(void)!send(s, out, (size_t)jmsg_finish(&b), 0);
	jmsg_start(&b, out, sizeof(out), JM_REPLY, 0, EPERM);
	jmsg_set_seq(out, req.h.seq + 1);	/* another request's */
	(void)!send(s, out, (size_t)jmsg_finish(&b), 0);
	jmsg_start_reply(&b, out, sizeof(out), &req.h, 0);
	jmsg_add_int(&b, "jid", 7);
	(void)!send(s, out, (size_t)jmsg_finish(&b), 0);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(reply_by_number);
ATF_TC_BODY(reply_by_number, tc)
{
	static unsigned char req[256], rbuf[1024];
	static struct jmsg reply;
	struct jmsg_buf b;
	int sv[2], st;
	pid_t pid;

	ATF_REQUIRE_EQ(0, socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	if ((pid = fork()) == 0) {
		close(sv[0]);
		serve_one(sv[1]);
	}
	close(sv[1]);
	jmsg_start(&b, req, sizeof(req), JM_GET, 0, 0);
	jmsg_add(&b, "jid", NULL, 0, 1);
	ATF_REQUIRE(jmsg_finish(&b) > 0);
	/* The event and the answer to another number are passed over. */
	st = jcl_call(sv[0], req, b.len, rbuf, sizeof(rbuf), &reply, NULL,
	    NULL);
	ATF_CHECK_EQ(0, st);
	ATF_REQUIRE(jmsg_find(&reply, "jid") != NULL);
	ATF_CHECK_EQ(7, *(const int *)jmsg_find(&reply, "jid")->value);
	ATF_CHECK(reply.h.seq != 0);
	waitpid(pid, &st, 0);
	ATF_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(sv[0]);
}

/*
 * A jail's parameters, every one at its largest (meta and env at
 * JAIL_META_CEIL, the most host root can allow), fit in one message: the
 * prison's GET answer and the registry record's copy of it (prison/
 * params.c params_encode) are one message each.
 */
ATF_TC_WITHOUT_HEAD(largest_params_fit);
ATF_TC_BODY(largest_params_fit, tc)
{
	static unsigned char buf[JPROTO_MAXMSG], value[JAIL_META_CEIL * 2];
	struct jmsg_buf b;
	ssize_t len;

	jmsg_start(&b, buf, sizeof(buf), JM_GET, 0, 0);
	for (size_t i = 0; i < jparam_count; i++) {
		const struct jparam_def *d = &jparam_table[i];
		size_t n;

		if (d->access == JPA_PSEUDO)
			continue;
		switch (d->kind) {
		case JPK_STRING:
			n = d->maxlen;
			break;
		case JPK_IN_ADDR:
		case JPK_IN6_ADDR:
			n = d->maxlen * jparam_elemsize(d);
			break;
		default:
			n = jparam_elemsize(d);
			break;
		}
		ATF_REQUIRE(n <= sizeof(value));
		jmsg_add(&b, d->name, value, n, 0);
	}
	len = jmsg_finish(&b);
	ATF_CHECK_MSG(len > 0, "the largest parameters do not fit: %s",
	    strerror(b.error));
	ATF_CHECK(JAIL_META_CEIL >= JAIL_META_MAXBUF);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reply_by_number);
	ATF_TP_ADD_TC(tp, roundtrip);
	ATF_TP_ADD_TC(tp, limits);
	ATF_TP_ADD_TC(tp, malformed);
	ATF_TP_ADD_TC(tp, fuzz_decode);
	ATF_TP_ADD_TC(tp, param_lookup);
	ATF_TP_ADD_TC(tp, defaults);
	ATF_TP_ADD_TC(tp, largest_params_fit);
	ATF_TP_ADD_TC(tp, policy_check);
	return atf_no_error();
}
