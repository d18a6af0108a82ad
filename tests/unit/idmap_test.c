/*
 * Unit tests of the uid pool syntax: /etc/subuid is host configuration,
 * but a path=/ jail's root can write it, so a bad entry must fail closed
 * (no range below 65536, none reaching the top, whole 65536-id blocks)
 * rather than hand a jail the host's own ids.  Ends with a bounded fuzz.
 */
#include <atf-c.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int
parse(const char *s, struct jidmap_pool *p)
{
	char err[256];

	return jidmap_parse_pool(s, p, err, sizeof(err));
}

ATF_TC_WITHOUT_HEAD(good);
ATF_TC_BODY(good, tc)
{
	struct jidmap_pool p;

	ATF_REQUIRE_EQ(0, parse("1610612736:268435456", &p));
	ATF_CHECK_EQ(1610612736u, p.start);
	ATF_CHECK_EQ(268435456u, p.count);
	ATF_REQUIRE_EQ(0, parse("65536:65536\n", &p));
	ATF_CHECK_EQ(65536u, p.start);
	/* The last whole block below the invalid ids at the top. */
	ATF_REQUIRE_EQ(0, parse("4294836224:65536", &p));
}

ATF_TC_WITHOUT_HEAD(bad);
ATF_TC_BODY(bad, tc)
{
	static const char *const bad[] = {
		"", ":", "0:65536", "12:65536", "65536:0", "65536:100",
		"65537:65536", "-65536:65536", "65536:-65536", "65536",
		"65536:65536x", "x65536:65536", "4294901760:65536",
		"4294836224:131072", "65536:4294901760", "99999999999999999999:65536",
		"65536:99999999999999999999", " 65536:65536", "65536: 65536",
	};
	struct jidmap_pool p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ATF_CHECK_MSG(parse(bad[i], &p) < 0, "accepted \"%s\"", bad[i]);
}

/* Whatever the bytes, an accepted pool is whole blocks inside the limits. */
ATF_TC_WITHOUT_HEAD(fuzz);
ATF_TC_BODY(fuzz, tc)
{
	static const char alphabet[] = "0123456789:-+ \n\tx";
	struct jidmap_pool p;
	char s[32];

	srandom(1);
	for (int n = 0; n < 200000; n++) {
		size_t len = (size_t)(random() % (sizeof(s) - 1));

		for (size_t i = 0; i < len; i++)
			s[i] = alphabet[random() % (sizeof(alphabet) - 1)];
		s[len] = '\0';
		if (parse(s, &p) < 0)
			continue;
		ATF_REQUIRE(p.start >= 65536 && p.start % 65536 == 0);
		ATF_REQUIRE(p.count > 0 && p.count % 65536 == 0);
		ATF_REQUIRE((uint64_t)p.start + p.count <= 4294901760ULL);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, good);
	ATF_TP_ADD_TC(tp, bad);
	ATF_TP_ADD_TC(tp, fuzz);
	return atf_no_error();
}
