#! /usr/bin/env atf-sh
#
# jail-oci(8) and the peers' test suites: spec and list, the two
# sub-commands runc's bats tests lean on, and the subset of crun's and
# runc's own tests that must pass against jail-oci (tests/peers/must-pass,
# run by tests/peers/run; see tests/peers/README.md for the whole table).

. "$(atf_get_srcdir)/common.subr"


# edit EXPR: config.json's process changed by a python expression on c.
edit()
{
	python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
exec(sys.argv[2])
json.dump(c, open(sys.argv[1], "w"))' "$BUNDLE/config.json" "$1" ||
	    atf_fail "cannot edit config.json"
}

jt_case spec "spec writes a starting config.json and never overwrites one"
spec_body()
{
	oci_init
	atf_check "$OCI" spec --bundle "$BUNDLE"
	atf_check -o inline:'rootfs sh True\n' python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
print(c["root"]["path"], c["process"]["args"][0], c["process"]["terminal"])' \
	    "$BUNDLE/config.json"
	# runc's refusal: the one there is kept.
	echo '{}' > "$BUNDLE/config.json"
	atf_check -s exit:1 -e match:'exists' "$OCI" spec --bundle "$BUNDLE"
	atf_check -o inline:'{}\n' cat "$BUNDLE/config.json"
	atf_check -s exit:1 -e match:'rootless' "$OCI" spec --rootless
	# In the current directory when no --bundle, as runc's tests use it.
	rm "$BUNDLE/config.json"
	(cd "$BUNDLE" && "$OCI" spec) || atf_fail "spec in the bundle failed"
	[ -s "$BUNDLE/config.json" ] || atf_fail "no config.json"
}

jt_case list "list: table, --quiet and --format json; nothing without --root"
list_body()
{
	oci_init
	atf_check -o inline:'' "$OCI" --root "$STATE" list -q
	atf_check -o inline:'[]\n' "$OCI" --root "$STATE" list --format json
	atf_check -o match:'^ID +PID +STATUS +BUNDLE' "$OCI" --root "$STATE" list
	atf_check "$OCI" spec --bundle "$BUNDLE"
	edit 'c["process"]["terminal"] = False; c["process"]["args"] = ["sleep", "100"]'
	# Made in this order, listed by id, as runc lists them.
	for _id in c2 c1; do
		"$OCI" --root "$STATE" create --bundle "$BUNDLE" $_id \
		    < /dev/null > "$JT_WORK/out" 2>&1 ||
		    atf_fail "create: $(cat "$JT_WORK/out")"
	done
	atf_check -o inline:'c1\nc2\n' "$OCI" --root "$STATE" list -q
	atf_check -o match:"^c1 +[0-9]+ +created +$BUNDLE " \
	    "$OCI" --root "$STATE" list
	"$OCI" --root "$STATE" list --format json > "$JT_WORK/l.json"
	atf_check -o inline:"c1 created $BUNDLE $BUNDLE/rootfs root\n" \
	    python3 -c 'import json, sys
l = json.load(open(sys.argv[1]))
print(l[0]["id"], l[0]["status"], l[0]["bundle"], l[0]["rootfs"], l[0]["owner"])' \
	    "$JT_WORK/l.json"
	atf_check "$OCI" --root "$STATE" delete --force c1
	atf_check "$OCI" --root "$STATE" delete --force c2
	atf_check -o inline:'' "$OCI" --root "$STATE" list -q
}

jt_case peers "the peers' tests in tests/peers/must-pass pass against jail-oci"
peers_head()
{
	atf_set descr "$_jt_descr_peers"
	atf_set require.user root
	atf_set timeout 1800
}
peers_body()
{
	oci_init
	for _c in bats jq gawk python3 dpkg-source gcc script; do
		command -v "$_c" > /dev/null ||
		    atf_skip "$_c missing: tools/deps test installs it"
	done
	"$JT_TOP/tests/peers/run" -r jail-oci \
	    --only "$JT_TOP/tests/peers/must-pass" > "$JT_WORK/peers.out" 2>&1
	_rc=$?
	cat "$JT_WORK/peers.out"
	case $_rc in
	0) ;;
	77) atf_skip "the peers' sources cannot be fetched: $(tail -1 "$JT_WORK/peers.out")" ;;
	*) atf_fail "$(grep '^must pass' "$JT_WORK/peers.out" | head -5)" ;;
	esac
}

