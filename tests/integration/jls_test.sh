#! /usr/bin/env atf-sh
#
# jls(8) output, byte for byte as FreeBSD's.  Every expected text here is
# what FreeBSD's jls prints for the same jails: its printf widths for the
# tables (usr.sbin/jls: "%6d  ", "%-15.15s ", "%-29.29s ", "%.74s"), its
# quoting for -q, its sorted order for "all", and for --libxo json what
# libxo writes for jls's fields: members joined by "," with no space,
# containers and lists opened after a sibling by ", ", "name": [ ... ] for
# address lists, numbers unquoted where jls's format is %d, booleans as
# true/false under -n/-s only, a newline at the end.  The one difference,
# bytes that could drive a terminal (and so a backslash) shown escaped in
# text, is in jls(8) and checked by jail_test.sh:jls_escapes.
# Spec: freebsd-jail.md section 6.1.

. "$(atf_get_srcdir)/common.subr"

HDR='   JID  IP Address      Hostname                      Path'
VHDR='   JID  Hostname                      Path
        Name                          State
        CPUSetID
        IP Address(es)'
JSON_TOP='{"__version": "2", "jail-information": {"jail": ['
JSON_END=']}}'

# Two jails: "a" with two addresses of each family, "b" with none.
two_jails()
{
	mkjail a host.hostname=a.example \
	    ip4.addr=203.0.113.1,203.0.113.2 ip6.addr=2001:db8::1,2001:db8::2
	mkjail b host.hostname=b.example
}

# FreeBSD's default row and -N row.
row()	{ printf '%6d  %-15.15s %-29.29s %.74s\n' "$@"; }
nrow()	{ printf ' %-15s %-15.15s %-29.29s %.74s\n' "$@"; }

# The header's names, or the names of a -n/-s line (a boolean's "noX" form
# is given back as X), one a line.
names_of()
{
	tr ' ' '\n' | awk -F= 'NF { print $1 }'
}

# Names in FreeBSD's order for "all": top-level ones first, then the
# dotted ones, each group by strcmp.
freebsd_order()
{
	awk '!/\./' "$1" | LC_ALL=C sort
	awk '/\./' "$1" | LC_ALL=C sort
}

# ---------------------------------------------------------------------------
# Text

jt_case default_table "the default table: jid, first IPv4 address, host name, path"
default_table_body()
{
	jt_init
	atf_check -s exit:0 -o inline:"$HDR\n" -e empty "$JLS"
	two_jails
	{
		echo "$HDR"
		row 1 203.0.113.1 a.example "$ROOT"
		row 2 "" b.example "$ROOT"
	} > expected
	atf_check -s exit:0 -o file:expected -e empty "$JLS"
	# -q alone changes nothing in the table.
	atf_check -s exit:0 -o file:expected -e empty "$JLS" -q
}

jt_case N_table "-N: the name instead of the jid, in a 15-column field"
N_table_body()
{
	jt_init
	two_jails
	{
		echo ' JID             IP Address      Hostname                      Path'
		nrow a 203.0.113.1 a.example "$ROOT"
		nrow b "" b.example "$ROOT"
	} > expected
	atf_check -s exit:0 -o file:expected -e empty "$JLS" -N
}

jt_case v_summary "-v: jid, host name, path; name, state; cpuset; every address"
v_summary_body()
{
	jt_init
	two_jails
	ca=$("$JLS" -j a cpuset.id)
	cb=$("$JLS" -j b cpuset.id)
	{
		echo "$VHDR"
		printf '%6d  %-29.29s %.74s\n' 1 a.example "$ROOT"
		printf '        %-29.29s %s\n' a ACTIVE
		echo "        $ca"
		echo '        203.0.113.1'
		echo '        203.0.113.2'
		echo '        2001:db8::1'
		echo '        2001:db8::2'
		printf '%6d  %-29.29s %.74s\n' 2 b.example "$ROOT"
		printf '        %-29.29s %s\n' b ACTIVE
		echo "        $cb"
	} > expected
	atf_check -s exit:0 -o file:expected -e empty "$JLS" -v
	# FreeBSD's -v ignores -N.
	atf_check -s exit:0 -o file:expected -e empty "$JLS" -v -N
	# -n after -v wins, and -v after -n.
	atf_check -s exit:0 -o file:expected -e empty "$JLS" -n -v
	atf_check -s exit:0 -o not-match:'^   JID' -o match:'^devfs_ruleset=' \
	    -e empty "$JLS" -v -n
}

jt_case h_header "-h: a header line of the names, then the values"
h_header_body()
{
	jt_init
	two_jails
	atf_check -s exit:0 -o inline:"jid name host.hostname\n1 a a.example\n2 b b.example\n" \
	    -e empty "$JLS" -h jid name host.hostname
	# Empty address lists print "-"; booleans as true/false.
	atf_check -s exit:0 -o inline:"ip4.addr persist allow.mount\n- true false\n" \
	    -e empty "$JLS" -h -j b ip4.addr persist allow.mount
	# Without parameters: every parameter, in FreeBSD's order.
	atf_check -s exit:0 -o save:out -e empty "$JLS" -h -j b
	head -1 out | names_of > got
	freebsd_order got > want
	atf_check -o file:want cat got
	atf_check -o inline:"2\n" -x "wc -l < out | tr -d ' '"
	# A name given twice is printed once, where it was first asked for.
	atf_check -s exit:0 -o save:twice -e empty "$JLS" -h -j b name all
	head -1 twice | names_of > twice.names
	atf_check -o inline:"name\n" head -1 twice.names
	atf_check -o inline:"1\n" grep -c '^name$' twice.names
}

jt_case n_nameval "-n: name=value, booleans as name or noname, lists comma-separated"
n_nameval_body()
{
	jt_init
	two_jails
	atf_check -s exit:0 \
	    -o inline:"jid=1 name=a persist allow.nomount ip4.addr=203.0.113.1,203.0.113.2 ip6.addr=2001:db8::1,2001:db8::2 ip4=new\n" \
	    -e empty "$JLS" -n -j a jid name persist allow.mount ip4.addr ip6.addr ip4
	# An empty list prints nothing after "="; an empty string prints "".
	atf_check -s exit:0 -o inline:"ip4.addr= host.domainname=\"\" ip4=disable\n" \
	    -e empty "$JLS" -n -j b ip4.addr host.domainname ip4
	# "noX" asked for: the word that holds.
	atf_check -s exit:0 -o inline:"persist allow.nomount\n" \
	    -e empty "$JLS" -n -j b nopersist allow.nomount
	# Without parameters: every parameter, in FreeBSD's order.
	atf_check -s exit:0 -o save:hdr -e empty "$JLS" -h -j b
	atf_check -s exit:0 -o save:nv -e empty "$JLS" -n -j b
	head -1 hdr | names_of > want
	names_of < nv | awk 'NR == FNR { w[NR] = $0; next }
	    { n = w[FNR]; if ($0 == n) { print n; next }
	      i = match(n, /[^.]*$/); no = substr(n, 1, i - 1) "no" substr(n, i)
	      print ($0 == no ? n : $0) }' want - > got
	atf_check -o file:want cat got
}

jt_case q_quoting "-q: FreeBSD's quotes: \"\" for empty, '' around a double quote, \"\" around a space or single quote"
q_quoting_body()
{
	jt_init
	mkjail q host.hostname="a b" "meta.k=it's" 'env.E=say "hi"'
	atf_check -o inline:"host.hostname=a b\n" "$JLS" -n -j q host.hostname
	atf_check -o inline:"host.hostname=\"a b\"\n" "$JLS" -nq -j q host.hostname
	atf_check -o inline:"meta=\"k=it's\"\n" "$JLS" -nq -j q meta
	atf_check -o inline:"env='E=say \"hi\"'\n" "$JLS" -nq -j q env
	atf_check -o inline:"env.E='say \"hi\"'\n" "$JLS" -nq -j q env.E
	atf_check -o inline:"host.domainname=\"\"\n" "$JLS" -nq -j q host.domainname
	# Without -n: "" for an empty string, "-" (or "" with -q) for an
	# empty list.
	atf_check -o inline:"\"\" -\n" "$JLS" -j q host.domainname ip4.addr
	atf_check -o inline:"\"\" \"\"\n" "$JLS" -q -j q host.domainname ip4.addr
	atf_check -o inline:"\"a b\"\n" "$JLS" -q -j q host.hostname
	# Both kinds of quote: FreeBSD's choice, double quotes, as it is.
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=q \
	    host.hostname="it's \"x\""
	atf_check -o inline:"host.hostname=\"it's \"x\"\"\n" \
	    "$JLS" -nq -j q host.hostname
}

jt_case s_jailargs "-s: jail(8) arguments, read-only and unused parameters left out, FreeBSD's order"
s_jailargs_body()
{
	jt_init
	two_jails
	# children.cur is read-only; ip4.addr means nothing under ip4=disable.
	atf_check -s exit:0 -o inline:"name=b host.hostname=b.example persist\n" \
	    -e empty "$JLS" -s -j b name host.hostname ip4.addr children.cur persist
	atf_check -s exit:0 -o inline:"ip4.addr=203.0.113.1,203.0.113.2\n" \
	    -e empty "$JLS" -s -j a ip4.addr
	atf_check -s exit:0 -o save:s -e empty "$JLS" -s -j b
	names_of < s | sed -E 's/(^|\.)no([^.]*)$/\1\2/' > got
	freebsd_order got > want
	atf_check -o file:want cat got
	atf_check -o not-match:'(^| )(nodying|dying|parent=|children\.cur=|cpuset\.id=|ip4\.addr=)' \
	    cat s
	# -h after -s prints the header and every parameter.
	atf_check -s exit:0 -o match:'^devfs_ruleset dying ' -o match:' nodying ' \
	    -e empty "$JLS" -s -h -j b
}

jt_case strings "values with spaces, quotes, backslashes and newlines"
strings_body()
{
	jt_init
	mkjail s 'host.hostname=x "y" \z' 'meta=k=a b
c' 'env.E=1\2'
	atf_check -o inline:'host.hostname=x "y" \\\\z\n' "$JLS" -n -j s host.hostname
	atf_check -o inline:"host.hostname='x \"y\" \\\\\\\\z'\n" \
	    "$JLS" -nq -j s host.hostname
	# A newline is one of the bytes shown escaped (jls(8)).
	atf_check -o inline:'meta="k=a b\\012c"\n' "$JLS" -nq -j s meta
	atf_check -o inline:'env.E=1\\\\2\n' "$JLS" -n -j s env.E
	# JSON escapes as libxo does: \" \\ \n.
	printf '%s{"host.hostname":"x \\"y\\" \\\\z","meta":"k=a b\\nc","env":"E=1\\\\2","env.E":"1\\\\2"}%s\n' \
	    "$JSON_TOP" "$JSON_END" > expected
	atf_check -s exit:0 -o file:expected -e empty \
	    "$JLS" --libxo json -j s host.hostname meta env env.E
}

jt_case j_one "-j selects one jail; a missing one: the header, then FreeBSD's error"
j_one_body()
{
	jt_init
	two_jails
	atf_check -o inline:"2 b\n" "$JLS" -j b jid name
	atf_check -o inline:"2 b\n" "$JLS" -j 2 jid name
	{ echo "$HDR"; row 2 "" b.example "$ROOT"; } > expected
	atf_check -s exit:0 -o file:expected -e empty "$JLS" -j b
	atf_check -s exit:1 -o inline:"$HDR\n" \
	    -e inline:"jls: jail \"nosuch\" not found\n" "$JLS" -j nosuch
	atf_check -s exit:1 -o inline:"$HDR\n" \
	    -e inline:"jls: jail 99 not found\n" "$JLS" -j 99
	atf_check -s exit:1 -o inline:"$VHDR\n" \
	    -e inline:"jls: jail \"nosuch\" not found\n" "$JLS" -v -j nosuch
	atf_check -s exit:1 -o inline:"jid name\n" \
	    -e inline:"jls: jail \"nosuch\" not found\n" "$JLS" -h -j nosuch jid name
	atf_check -s exit:1 -o empty \
	    -e inline:"jls: jail \"nosuch\" not found\n" "$JLS" -n -j nosuch
	atf_check -s exit:1 -o inline:"$JSON_TOP$JSON_END\n" \
	    -e inline:"jls: jail \"nosuch\" not found\n" "$JLS" --libxo json -j nosuch
}

jt_case c_check "-c: no output, the exit status says whether the jail exists"
c_check_body()
{
	jt_init
	two_jails
	atf_check -s exit:0 -o empty -e empty "$JLS" -c -j b
	atf_check -s exit:0 -o empty -e empty "$JLS" -c -j 1
	atf_check -s exit:1 -o empty -e empty "$JLS" -c -j nosuch
	atf_check -s exit:1 -o empty -e empty "$JLS" -c -j 99
	atf_check -s exit:1 -o empty -e empty "$JLS" -c -j nosuch --libxo json
}

jt_case d_dying "-d also lists live jails, in the same format"
d_dying_body()
{
	jt_init
	two_jails
	atf_check -s exit:0 -o save:plain -e empty "$JLS"
	atf_check -s exit:0 -o file:plain -e empty "$JLS" -d
	atf_check -s exit:0 -o inline:"1 a false\n2 b false\n" -e empty \
	    "$JLS" -d jid name dying
	atf_check -s exit:0 -o inline:"jid=1 nodying\njid=2 nodying\n" -e empty \
	    "$JLS" -dn jid dying
}

jt_case usage "a bad option: FreeBSD's messages and exit status"
usage_body()
{
	jt_init
	atf_check -s exit:1 -o empty \
	    -e inline:"jls: illegal option -- Z\njls: usage: jls [-dhNnqv] [-j jail] [param ...]\n" \
	    "$JLS" -Z
}

# ---------------------------------------------------------------------------
# --libxo json

jt_case json_default "--libxo json of the default table"
json_default_body()
{
	jt_init
	atf_check -s exit:0 -o inline:"$JSON_TOP$JSON_END\n" -e empty \
	    "$JLS" --libxo json
	two_jails
	printf '%s{"jid":1,"ipv4":"203.0.113.1","hostname":"a.example","path":"%s"}, {"jid":2,"ipv4":"","hostname":"b.example","path":"%s"}%s\n' \
	    "$JSON_TOP" "$ROOT" "$ROOT" "$JSON_END" > expected
	atf_check -s exit:0 -o file:expected -e empty "$JLS" --libxo json
	atf_check -s exit:0 -o file:expected -e empty "$JLS" --libxo=json
	atf_check -s exit:0 -o file:expected -e empty "$JLS" --libxo:J
	printf '%s{"name":"a","ipv4":"203.0.113.1","hostname":"a.example","path":"%s"}, {"name":"b","ipv4":"","hostname":"b.example","path":"%s"}%s\n' \
	    "$JSON_TOP" "$ROOT" "$ROOT" "$JSON_END" > expected.N
	atf_check -s exit:0 -o file:expected.N -e empty "$JLS" --libxo json -N
}

jt_case json_v "--libxo json -v: address lists as JSON arrays"
json_v_body()
{
	jt_init
	two_jails
	ca=$("$JLS" -j a cpuset.id)
	cb=$("$JLS" -j b cpuset.id)
	printf '%s{"jid":1,"hostname":"a.example","path":"%s","name":"a","state":"ACTIVE","cpusetid":%s, "ipv4_addrs": ["203.0.113.1","203.0.113.2"], "ipv6_addrs": ["2001:db8::1","2001:db8::2"]}, {"jid":2,"hostname":"b.example","path":"%s","name":"b","state":"ACTIVE","cpusetid":%s, "ipv4_addrs": [], "ipv6_addrs": []}%s\n' \
	    "$JSON_TOP" "$ROOT" "$ca" "$ROOT" "$cb" "$JSON_END" > expected
	atf_check -s exit:0 -o file:expected -e empty "$JLS" --libxo json -v
}

jt_case json_params "--libxo json with parameters: strings, address arrays, booleans as strings"
json_params_body()
{
	jt_init
	two_jails
	printf '%s{"jid":"1","name":"a","persist":"true", "ip4.addr": ["203.0.113.1","203.0.113.2"], "ip6.addr": ["2001:db8::1","2001:db8::2"],"ip4":"new"}, {"jid":"2","name":"b","persist":"true", "ip4.addr": [], "ip6.addr": [],"ip4":"disable"}%s\n' \
	    "$JSON_TOP" "$JSON_END" > expected
	atf_check -s exit:0 -o file:expected -e empty \
	    "$JLS" --libxo json jid name persist ip4.addr ip6.addr ip4
	# -h changes nothing in JSON.
	atf_check -s exit:0 -o file:expected -e empty \
	    "$JLS" --libxo json -h jid name persist ip4.addr ip6.addr ip4
	printf '%s{"name":"b","host.domainname":"","meta":""}%s\n' \
	    "$JSON_TOP" "$JSON_END" > expected.empty
	atf_check -s exit:0 -o file:expected.empty -e empty \
	    "$JLS" --libxo json -j b name host.domainname meta
}

jt_case json_n "--libxo json -n: booleans as JSON true/false"
json_n_body()
{
	jt_init
	two_jails
	printf '%s{"jid":"1","name":"a","persist":true,"allow.mount":false,"nopersist":true, "ip4.addr": ["203.0.113.1","203.0.113.2"],"ip4":"new"}%s\n' \
	    "$JSON_TOP" "$JSON_END" > expected
	# FreeBSD's jls writes true for any "noX" asked for.
	atf_check -s exit:0 -o file:expected -e empty \
	    "$JLS" --libxo json -n -j a jid name persist allow.mount nopersist ip4.addr ip4
}

jt_case json_s "--libxo json -s: what -s prints, typed as -n"
json_s_body()
{
	jt_init
	two_jails
	printf '%s{"name":"b","host.hostname":"b.example","persist":true}%s\n' \
	    "$JSON_TOP" "$JSON_END" > expected
	atf_check -s exit:0 -o file:expected -e empty "$JLS" --libxo json -s \
	    -j b name host.hostname ip4.addr children.cur persist
}

jt_case json_pretty "--libxo json,pretty: libxo's indented layout"
json_pretty_body()
{
	jt_init
	printf '{\n  "__version": "2", \n  "jail-information": {\n    "jail": [\n    ]\n  }\n}\n' \
	    > expected.empty
	atf_check -s exit:0 -o file:expected.empty -e empty \
	    "$JLS" --libxo json,pretty
	two_jails
	cb=$("$JLS" -j b cpuset.id)
	cat > expected <<EOF
{
  "__version": "2", 
  "jail-information": {
    "jail": [
      {
        "jid": 2,
        "ipv4": "",
        "hostname": "b.example",
        "path": "$ROOT"
      }
    ]
  }
}
EOF
	atf_check -s exit:0 -o file:expected -e empty "$JLS" --libxo json,pretty -j b
	atf_check -s exit:0 -o file:expected -e empty "$JLS" --libxo:JP -j b
	cat > expected.v <<EOF
{
  "__version": "2", 
  "jail-information": {
    "jail": [
      {
        "jid": 2,
        "hostname": "b.example",
        "path": "$ROOT",
        "name": "b",
        "state": "ACTIVE",
        "cpusetid": $cb,
        "ipv4_addrs": [
        ],
        "ipv6_addrs": [
        ]
      }
    ]
  }
}
EOF
	atf_check -s exit:0 -o file:expected.v -e empty "$JLS" --libxo json,pretty -v -j b
	cat > expected.n <<EOF
{
  "__version": "2", 
  "jail-information": {
    "jail": [
      {
        "name": "a",
        "ip4.addr": [
          "203.0.113.1",
          "203.0.113.2"
        ],
        "persist": true
      },
      {
        "name": "b",
        "ip4.addr": [
        ],
        "persist": true
      }
    ]
  }
}
EOF
	atf_check -s exit:0 -o file:expected.n -e empty \
	    "$JLS" --libxo json,pretty -n name ip4.addr persist
}
