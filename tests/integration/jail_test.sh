#! /usr/bin/env atf-sh
#
# jail(8) and jls(8): creating, listing, modifying and removing jails, jid
# allocation, names, non-persistent jails, races, and what happens when a
# prison is killed.  Spec: freebsd-jail.md sections 1.2, 4.2, 4.4, 6.1.

. "$(atf_get_srcdir)/common.subr"

HDR='   JID  IP Address      Hostname                      Path'

# The default jls line, as FreeBSD's jls prints it.
jls_row()	# jid ip hostname path
{
	printf '%6d  %-15.15s %-29.29s %.74s\n' "$1" "$2" "$3" "$4"
}

# ---------------------------------------------------------------------------
# Creation

jt_case create_persist "jail -c with persist creates a jail silently; jls lists it"
create_persist_body()
{
	jt_init
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=t path="$ROOT" host.hostname=t.example persist
	atf_check -o inline:"1\n" "$JLS" -j t jid
	atf_check -o inline:"t\n" "$JLS" -j 1 name
	atf_check -o inline:"$ROOT\n" "$JLS" -j t path
	[ -n "$(jt_prisons)" ] || atf_fail "no prison process for the jail"
	[ -n "$(jt_reg_entries)" ] || atf_fail "no registry entry for the jail"
}

jt_case create_name_defaults_to_jid "a jail created without name= is named after its jid"
create_name_defaults_to_jid_body()
{
	jt_init
	atf_check -o inline:"1\n" "$JAIL" -i -c path="$ROOT" persist
	atf_check -o inline:"1 1\n" "$JLS" jid name
}

jt_case create_i "jail -i prints the new jid and nothing else"
create_i_body()
{
	jt_init
	atf_check -s exit:0 -o inline:"1\n" -e empty \
	    "$JAIL" -i -c name=a path="$ROOT" persist
	atf_check -s exit:0 -o inline:"2\n" -e empty \
	    "$JAIL" -i -c name=b path="$ROOT" persist
}

jt_case create_J "jail -J writes the parameters the jail was started with"
create_J_body()
{
	jt_init
	atf_check -s exit:0 -o empty -e empty "$JAIL" -J jf.txt \
	    -c name=jf path="$ROOT" host.hostname=jf.example persist
	printf 'jid=1\tname=jf\tpath=%s\thost.hostname=jf.example\tpersist\n' \
	    "$ROOT" > expected
	atf_check -o file:expected cat jf.txt
}

jt_case create_q_v "jail -q is silent, jail -v traces the jail_set call and notes"
create_q_v_body()
{
	jt_init
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -q -c name=q path="$ROOT" persist
	# A command-line jail has no configuration name: the note is bare.
	atf_check -s exit:0 -e empty \
	    -o match:'^jail_set\(JAIL_CREATE\).* name=v( |$)' \
	    -o match:'^created$' \
	    "$JAIL" -v -c name=v path="$ROOT" persist
	atf_check -s exit:0 -e empty -o inline:"v: removed\n" "$JAIL" -v -r v
	atf_check -s exit:0 -o empty -e empty "$JAIL" -q -r q
}

# ---------------------------------------------------------------------------
# jls

jt_case jls_empty "jls with no jails prints only its header"
jls_empty_body()
{
	jt_init
	atf_check -s exit:0 -o inline:"$HDR\n" -e empty "$JLS"
}

jt_case jls_default "jls default columns: JID, first IPv4 address, hostname, path"
jls_default_body()
{
	jt_init
	mkjail a host.hostname=a.example
	mkjail b host.hostname=b.example ip4.addr=203.0.113.7
	{
		echo "$HDR"
		jls_row 1 "" a.example "$ROOT"
		jls_row 2 203.0.113.7 b.example "$ROOT"
	} > expected
	atf_check -s exit:0 -o file:expected -e empty "$JLS"
}

jt_case jls_N "jls -N shows the name instead of the jid"
jls_N_body()
{
	jt_init
	mkjail web host.hostname=w.example
	{
		printf ' %-15s %-15s %-29s %s\n' JID "IP Address" Hostname Path
		printf ' %-15s %-15.15s %-29.29s %.74s\n' web "" w.example "$ROOT"
	} > expected
	atf_check -s exit:0 -o file:expected -e empty "$JLS" -N
}

jt_case jls_v "jls -v prints the multi-line summary"
jls_v_body()
{
	jt_init
	mkjail vv host.hostname=v.example ip4.addr=203.0.113.1,203.0.113.2
	{
		echo '   JID  Hostname                      Path'
		echo '        Name                          State'
		echo '        CPUSetID'
		echo '        IP Address(es)'
		printf '%6d  %-29.29s %.74s\n' 1 v.example "$ROOT"
		printf '        %-29.29s %s\n' vv ACTIVE
		echo '        CPUSET'
		echo '        203.0.113.1'
		echo '        203.0.113.2'
	} > expected
	atf_check -s exit:0 -o save:out -e empty "$JLS" -v
	sed 's/^        [0-9][0-9]*$/        CPUSET/' out > out.norm
	atf_check -o file:expected cat out.norm
}

jt_case jls_n "jls -n prints name=value, booleans by name, jailsys by word"
jls_n_body()
{
	jt_init
	mkjail n host.hostname=n.example
	atf_check -o inline:"name=n host.hostname=n.example persist\n" \
	    "$JLS" -n -j n name host.hostname persist
	atf_check -o inline:"allow.noraw_sockets allow.set_hostname\n" \
	    "$JLS" -n -j n allow.raw_sockets allow.set_hostname
	atf_check -o inline:"ip4=disable vnet=inherit host=new\n" \
	    "$JLS" -n -j n ip4 vnet host
	# Without parameters -n means "all".
	atf_check -o match:'(^| )jid=1( |$)' -o match:'(^| )name=n( |$)' \
	    -o match:'(^| )persist( |$)' -o match:"(^| )path=$ROOT( |\$)" \
	    "$JLS" -n -j n
}

jt_case jls_defaults "a new jail has FreeBSD's default parameter values"
jls_defaults_body()
{
	jt_init
	mkjail d
	atf_check -o inline:"allow.set_hostname allow.reserved_ports allow.unprivileged_proc_debug allow.suser\n" \
	    "$JLS" -n -j d allow.set_hostname allow.reserved_ports \
	    allow.unprivileged_proc_debug allow.suser
	atf_check -o inline:"allow.noraw_sockets allow.nomount allow.nosysvipc allow.nochflags allow.nosocket_af allow.nomlock\n" \
	    "$JLS" -n -j d allow.raw_sockets allow.mount allow.sysvipc \
	    allow.chflags allow.socket_af allow.mlock
	atf_check -o inline:"enforce_statfs=2 children.max=0 children.cur=0 parent=0 nodying\n" \
	    "$JLS" -n -j d enforce_statfs children.max children.cur parent dying
	atf_check -o inline:"host.hostuuid=00000000-0000-0000-0000-000000000000 host.hostid=0\n" \
	    "$JLS" -n -j d host.hostuuid host.hostid
	atf_check -o inline:"ip4=disable ip6=disable sysvmsg=disable sysvsem=disable sysvshm=disable\n" \
	    "$JLS" -n -j d ip4 ip6 sysvmsg sysvsem sysvshm
}

jt_case jls_q "jls -q quotes values with spaces or quotes, and empty values"
jls_q_body()
{
	jt_init
	mkjail q host.hostname="a b"
	atf_check -o inline:"host.hostname=a b\n" "$JLS" -n -j q host.hostname
	atf_check -o inline:"host.hostname=\"a b\"\n" "$JLS" -nq -j q host.hostname
	atf_check -o inline:"host.domainname=\"\"\n" "$JLS" -nq -j q host.domainname
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=q host.hostname='say"hi'
	atf_check -o inline:"host.hostname='say\"hi'\n" "$JLS" -nq -j q host.hostname
}

jt_case jls_s "jls -s prints jail(8) arguments that recreate the jail"
jls_s_body()
{
	jt_init
	mkjail s host.hostname="s s" enforce_statfs=1
	atf_check -s exit:0 -o save:before -e empty "$JLS" -s -j s
	atf_check -o match:'(^| )name=s( |$)' -o match:'(^| )persist( |$)' \
	    -o match:"(^| )path=$ROOT( |\$)" -o match:'(^| )host.hostname="s s"( |$)' \
	    -o match:'(^| )enforce_statfs=1( |$)' \
	    -o not-match:'dying' -o not-match:'(^| )parent=' \
	    -o not-match:'children\.cur=' -o not-match:'cpuset\.id=' \
	    -o not-match:'ip4\.addr' cat before
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r s
	atf_check -s exit:0 -o empty -e empty -x "\"$JAIL\" -c $(cat before)"
	atf_check -s exit:0 -o file:before -e empty "$JLS" -s -j s
}

jt_case jls_h "jls -h prints a header line of parameter names"
jls_h_body()
{
	jt_init
	mkjail h
	atf_check -o inline:"jid name\n1 h\n" "$JLS" -h jid name
	# Without parameters -h means "all".
	atf_check -s exit:0 -o save:out -e empty "$JLS" -h -j h
	atf_check -o inline:"2\n" -x "wc -l < out | tr -d ' '"
	atf_check -o match:'(^| )jid( |$)' -o match:'(^| )host.hostname( |$)' \
	    head -1 out
}

jt_case jls_params "jls with parameter names prints their values, one jail a line"
jls_params_body()
{
	jt_init
	mkjail p1 host.hostname=one
	mkjail p2 host.hostname=two
	atf_check -o inline:"1 p1 one $ROOT\n2 p2 two $ROOT\n" \
	    "$JLS" jid name host.hostname path
	atf_check -s exit:0 -o save:all -e empty "$JLS" -j p1 all
	atf_check -o inline:"1\n" -x "wc -l < all | tr -d ' '"
	atf_check -s exit:1 -o empty -e inline:"jls: unknown parameter: bogus\n" \
	    "$JLS" bogus
}

jt_case jls_j "jls -j selects one jail by jid or name; unknown jails are errors"
jls_j_body()
{
	jt_init
	mkjail a
	mkjail b
	atf_check -o inline:"2 b\n" "$JLS" -j b jid name
	atf_check -o inline:"2 b\n" "$JLS" -j 2 jid name
	atf_check -s exit:1 -o ignore -e inline:"jls: jail \"nosuch\" not found\n" \
	    "$JLS" -j nosuch
	atf_check -s exit:1 -o ignore -e inline:"jls: jail 99 not found\n" \
	    "$JLS" -j 99
}

jt_case jls_c "jls -c -j only checks that a jail exists"
jls_c_body()
{
	jt_init
	mkjail c
	atf_check -s exit:0 -o empty -e empty "$JLS" -c -j c
	atf_check -s exit:0 -o empty -e empty "$JLS" -c -j 1
	atf_check -s not-exit:0 -o empty "$JLS" -c -j nosuch
	atf_check -s not-exit:0 -o empty "$JLS" -c -j 2
}

jt_case jls_d "jls -d also lists live jails"
jls_d_body()
{
	jt_init
	mkjail d1
	atf_check -o inline:"1 d1\n" "$JLS" -d jid name
}

jt_case jls_json "jls --libxo json has FreeBSD's shape"
jls_json_body()
{
	command -v jq > /dev/null || atf_skip "jq is not installed"
	jt_init
	mkjail js host.hostname="j s" ip4.addr=203.0.113.3
	atf_check -s exit:0 -o save:params.json -e empty \
	    "$JLS" --libxo json name host.hostname
	atf_check -s exit:0 -o ignore -e empty jq -e \
	    '.__version == "2" and (.["jail-information"].jail | length) == 1 and
	     .["jail-information"].jail[0].name == "js" and
	     .["jail-information"].jail[0]["host.hostname"] == "j s"' params.json
	atf_check -s exit:0 -o save:default.json -e empty "$JLS" --libxo json
	atf_check -s exit:0 -o ignore -e empty jq -e --arg p "$ROOT" \
	    '.["jail-information"].jail[0] as $j |
	     ($j.jid | tostring) == "1" and $j.hostname == "j s" and
	     $j.path == $p and $j.ipv4 == "203.0.113.3"' default.json
	atf_check -s exit:0 -o save:verbose.json -e empty "$JLS" --libxo json -v
	atf_check -s exit:0 -o ignore -e empty jq -e \
	    '.["jail-information"].jail[0] as $j |
	     $j.name == "js" and $j.state == "ACTIVE" and
	     ($j.cpusetid | tostring | test("^[0-9]+$")) and
	     ($j.ipv4_addrs | tostring | contains("203.0.113.3"))' verbose.json
}

# no_controls FILE WHAT: FILE holds no byte that drives a terminal: none
# below 0x20 but newline, no DEL, no C1 control (0x80-0x9f; the test's
# values hold no other non-ASCII character that could need one).
no_controls()
{
	od -An -v -tu1 "$1" | tr -s ' ' '\n' | awk 'NF && ($1 < 32 && $1 != 10 ||
	    $1 >= 127 && $1 < 160) { bad = 1 } END { exit bad }' ||
	    atf_fail "$2: control bytes in jls's output: $(od -c "$1" | head -8)"
}

jt_case jls_escapes "jls escapes control bytes in values set inside a jail, in every output form"
jls_escapes_body()
{
	jt_init
	mkjail e host.hostname=plain.example
	# ESC ] 0 ; ... BEL sets a terminal's title; CSI (0x9b) as UTF-8 and
	# as a raw byte; a tab, a backslash, SOH and DEL.
	evil=$(printf 'a\033]0;pwned\007b\tc\\d\001\302\233\233\177e')
	atf_check -s exit:0 -o empty -e empty "$JEXEC" e hostname "$evil"
	vis='a\\033]0;pwned\\007b\\011c\\\\d\\001\\302\\233\\233\\177e'
	atf_check -o inline:"host.hostname=$vis\n" "$JLS" -n -j e host.hostname
	atf_check -o inline:"host.hostname=\"$vis\"\n" "$JLS" -nq -j e host.hostname
	n=0
	for args in "" "-v" "-N" "-v -N" "-h" "-n" "-s" "-q" "-nq" "-hq" \
	    "host.hostname" "-h host.hostname" "-q host.hostname" \
	    "-s host.hostname" "all" "-n all" "--libxo json" "--libxo json -v" \
	    "--libxo json host.hostname" "--libxo json all"; do
		n=$((n + 1))
		atf_check -s exit:0 -o save:out$n -e empty "$JLS" $args
		grep -q 'pwned' out$n || atf_fail "jls $args: the host name is missing"
		no_controls out$n "jls $args"
	done
	command -v jq > /dev/null || return 0
	atf_check -s exit:0 -o save:out.json -e empty \
	    "$JLS" --libxo json host.hostname
	atf_check -s exit:0 -o ignore -e empty jq -e \
	    '.["jail-information"].jail[0]["host.hostname"] |
	     startswith("a\u001b]0;pwned\u0007b\tc\\d\u0001\u009b\u009b\u007fe")' \
	    out.json
}

# Moved verbatim from tests/core/jail_test (so that edits made to it there
# meanwhile still apply): "$J" is the build's sbin.
jt_case jls_formats "jls -n -s -q -h -N -v -c -j and --libxo json"
jls_formats_body() {
	jt_init
	J=$JT_TOP/build/sbin
	atf_check "$J"/jail -c name=fmt path="$ROOT" host.hostname="a b" persist meta.k=v
	atf_check -o inline:"name=fmt host.hostname=a b persist\n" \
	    "$J"/jls -n -j fmt name host.hostname persist
	atf_check -o inline:"name=fmt host.hostname=\"a b\"\n" \
	    "$J"/jls -nq -j fmt name host.hostname
	atf_check -o inline:"jid name\n1 fmt\n" "$J"/jls -h jid name
	atf_check -o match:'^ fmt ' "$J"/jls -N
	atf_check -o match:'ACTIVE' -o match:'a b' "$J"/jls -v
	atf_check -o match:' jid=1 ' -o match:' name=fmt ' -o not-match:'dying' \
	    -o not-match:'children.cur' -o match:' persist ' "$J"/jls -s -j fmt
	atf_check -o inline:"v\n" "$J"/jls -j fmt meta.k
	atf_check -o inline:"\n" "$J"/jls -j fmt meta.missing
	atf_check -o inline:'{"__version": "2", "jail-information": {"jail": [{"name":"fmt","meta.k":"v"}]}}\n' \
	    "$J"/jls --libxo json name meta.k
	atf_check -o match:'nopersist|persist' "$J"/jls -n all
	atf_check -s exit:0 -o empty "$J"/jls -c -j fmt
	atf_check -s exit:1 -o empty -e empty "$J"/jls -c -j nosuch
	atf_check -s exit:1 -o ignore -e inline:"jls: jail \"nosuch\" not found\n" "$J"/jls -j nosuch
	atf_check -s exit:1 -e match:'unknown parameter: bogus' "$J"/jls bogus
}

# ---------------------------------------------------------------------------
# Modification

jt_case modify_hostname "jail -m changes host.hostname, also inside the jail"
modify_hostname_body()
{
	jt_init
	mkjail m host.hostname=old.example
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=m host.hostname=new.example
	atf_check -o inline:"new.example\n" "$JLS" -j m host.hostname
	atf_check -o inline:"new.example\n" "$JEXEC" m hostname
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m jid=1 host.hostname=third.example
	atf_check -o inline:"third.example\n" "$JEXEC" m hostname
}

jt_case modify_keeps_processes "jail -m leaves the jail's processes alone"
modify_keeps_processes_body()
{
	jt_init
	mkjail m
	atf_check -s exit:0 "$JEXEC" m sh -c 'sleep 310001 >/dev/null 2>&1 </dev/null &'
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=m host.hostname=x.example
	atf_check -o match:'sleep 310001' "$JEXEC" m ps
}

jt_case create_or_modify "jail -cm creates an absent jail, then modifies it"
create_or_modify_body()
{
	jt_init
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -cm name=cm path="$ROOT" persist host.hostname=a.example
	atf_check -o inline:"1 a.example\n" "$JLS" -j cm jid host.hostname
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -cm name=cm path="$ROOT" persist host.hostname=b.example
	atf_check -o inline:"1 b.example\n" "$JLS" -j cm jid host.hostname
	# An existing jail is only modified: no path= is needed.
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -cm name=cm host.hostname=c.example
	atf_check -o inline:"c.example\n" "$JEXEC" cm hostname
	atf_check -o inline:"1\n" -x "\"$JLS\" jid | wc -l | tr -d ' '"
}

jt_case nopersist_empty_jail_dies "clearing persist on a jail without processes removes it"
nopersist_empty_jail_dies_body()
{
	jt_init
	mkjail np
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=np nopersist
	jt_wait 10 jt_no_prisons || atf_fail "the prison is still running"
	atf_check -s exit:1 -o ignore -e ignore "$JLS" -j np
	atf_check -o inline:"$HDR\n" "$JLS"
}

jt_case nopersist_running "clearing persist on a jail with a process: it goes when that process ends"
nopersist_running_body()
{
	jt_init
	mkjail p
	"$JEXEC" p sleep 2 &
	jt_wait 5 sh -c "\"$JEXEC\" p ps -o args | grep -q '^sleep 2\$'" ||
	    atf_fail "the jailed sleep did not start"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=p nopersist
	atf_check -o inline:"p\n" "$JLS" name
	wait
	jt_wait 10 jt_no_prisons || atf_fail "the jail outlived its last process"
	atf_check -o inline:"$HDR\n" "$JLS"
}

# ---------------------------------------------------------------------------
# Removal

jt_case remove_r "jail -r removes a jail silently and completely"
remove_r_body()
{
	jt_init
	mkjail r
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r r
	atf_check -o inline:"$HDR\n" "$JLS"
	jt_wait 10 jt_no_prisons || atf_fail "prison still running after jail -r"
	jt_wait 5 jt_reg_empty || atf_fail "registry entries left: $(jt_reg_entries)"
	jt_wait 5 jt_no_new_cgroups || atf_fail "cgroups left: $(jt_new_cgroups)"
}

jt_case remove_R "jail -R removes a jail by name or jid"
remove_R_body()
{
	jt_init
	mkjail a
	mkjail b
	atf_check -s exit:0 -o empty -e empty "$JAIL" -R a
	atf_check -s exit:0 -o empty -e empty "$JAIL" -R 2
	atf_check -o inline:"$HDR\n" "$JLS"
}

jt_case remove_several "jail -r with several jails notes each removal"
remove_several_body()
{
	jt_init
	mkjail a
	mkjail b
	atf_check -s exit:0 -o save:out -e empty "$JAIL" -r a b
	atf_check -o inline:"a: removed\nb: removed\n" sort out
	atf_check -o inline:"$HDR\n" "$JLS"
}

jt_case remove_all_R "jail -R '*' removes every running jail"
remove_all_R_body()
{
	jt_init
	mkjail a
	mkjail b
	mkjail c
	atf_check -s exit:0 -o save:out -e empty "$JAIL" -R '*'
	atf_check -o inline:"a: removed\nb: removed\nc: removed\n" sort out
	atf_check -o inline:"$HDR\n" "$JLS"
}

jt_case remove_forms "jail -r of names and jids together, and of '*'"
remove_forms_body()
{
	jt_init
	for n in a b c; do
		mkjail $n
	done
	# Jails that do not depend on each other stop in parallel: the
	# notes come in the order they finish.
	atf_check -s exit:0 -o save:out -e empty "$JAIL" -r a 2
	atf_check -o inline:"a: removed\nb: removed\n" sort out
	atf_check -s exit:0 -o inline:"c: removed\n" -e empty "$JAIL" -r '*'
	atf_check -o inline:"$HDR\n" "$JLS"
}

jt_case remove_not_found "jail -r and -R of an unknown jail fail with FreeBSD's message"
remove_not_found_body()
{
	jt_init
	atf_check -s exit:1 -o empty -e inline:"jail: \"nosuch\" not found\n" \
	    "$JAIL" -r nosuch
	atf_check -s exit:1 -o empty -e inline:"jail: \"nosuch\" not found\n" \
	    "$JAIL" -R nosuch
	atf_check -s exit:1 -o empty -e inline:"jail: \"7\" not found\n" \
	    "$JAIL" -r 7
}

jt_case remove_kills_processes "removing a jail kills every process in it"
remove_kills_processes_body()
{
	jt_init
	mkjail k
	atf_check -s exit:0 "$JEXEC" k sh -c 'sleep 310002 >/dev/null 2>&1 </dev/null &'
	jt_wait 5 pgrep -x -f 'sleep 310002' > /dev/null ||
	    atf_fail "the jailed sleep did not start"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r k
	jt_wait 5 sh -c '! pgrep -x -f "sleep 310002" >/dev/null' ||
	    atf_fail "a process of the removed jail survived"
}

jt_case restart_rc "jail -rc removes and recreates the jail"
restart_rc_body()
{
	jt_init
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=rc path="$ROOT" persist host.hostname=one.example
	atf_check -s exit:0 "$JEXEC" rc sh -c 'sleep 310003 >/dev/null 2>&1 </dev/null &'
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -rc name=rc path="$ROOT" persist host.hostname=two.example
	atf_check -o inline:"2 rc two.example\n" "$JLS" jid name host.hostname
	jt_wait 5 sh -c '! pgrep -x -f "sleep 310003" >/dev/null' ||
	    atf_fail "a process of the old jail survived the restart"
	atf_check -o inline:"two.example\n" "$JEXEC" rc hostname
}

# ---------------------------------------------------------------------------
# jids and names

jt_case jid_allocation "jids are allocated after the last one, even after removal"
jid_allocation_body()
{
	jt_init
	for n in a b c; do
		mkjail $n
	done
	atf_check -o inline:"1 a\n2 b\n3 c\n" "$JLS" jid name
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r b
	atf_check -o inline:"4\n" "$JAIL" -i -c name=d path="$ROOT" persist
	atf_check -o inline:"1 a\n3 c\n4 d\n" "$JLS" jid name
	for j in 1 3 4; do
		atf_check -s exit:0 -o empty -e empty "$JAIL" -r $j
	done
	atf_check -o inline:"5\n" "$JAIL" -i -c name=e path="$ROOT" persist
}

jt_case jid_explicit "jid=N creates the jail with that jid, named N by default"
jid_explicit_body()
{
	jt_init
	atf_check -s exit:0 -o inline:"77\n" -e empty \
	    "$JAIL" -i -c jid=77 path="$ROOT" persist
	atf_check -o inline:"77 77\n" "$JLS" -j 77 jid name
	atf_check -s exit:0 -o inline:"999999\n" -e empty \
	    "$JAIL" -i -c jid=999999 name=max path="$ROOT" persist
	atf_check -o inline:"999999\n" "$JLS" -j max jid
}

jt_case jid_skips_used "automatic jids skip the ones in use"
jid_skips_used_body()
{
	jt_init
	atf_check -o inline:"1\n" "$JAIL" -i -c jid=1 name=one path="$ROOT" persist
	atf_check -o inline:"2\n" "$JAIL" -i -c name=auto path="$ROOT" persist
}

jt_case name_numeric "a numeric name is the jid; a numeric name other than the jid is refused"
name_numeric_body()
{
	jt_init
	atf_check -s exit:0 -o inline:"5\n" -e empty \
	    "$JAIL" -i -c jid=5 name=5 path="$ROOT" persist
	atf_check -s exit:0 -o inline:"6\n" -e empty \
	    "$JAIL" -i -c name=6 path="$ROOT" persist
	atf_check -o inline:"5 5\n6 6\n" "$JLS" jid name
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: name cannot be numeric (unless it is the jid)\n" \
	    "$JAIL" -c jid=7 name=8 path="$ROOT" persist
	atf_check -o inline:"5 5\n6 6\n" "$JLS" jid name
}

jt_case duplicate_name "creating a jail whose name exists fails"
duplicate_name_body()
{
	jt_init
	mkjail x host.hostname=first.example
	atf_check -s exit:1 -o empty -e inline:"jail: \"x\" already exists\n" \
	    "$JAIL" -c name=x path="$ROOT" persist host.hostname=second.example
	atf_check -o inline:"1 x first.example\n" "$JLS" jid name host.hostname
	[ "$(jt_prison_of_registry | wc -l)" -eq 1 ] ||
	    atf_fail "prisons running: $(jt_prison_of_registry)"
}

jt_case duplicate_jid "creating a jail whose jid exists fails"
duplicate_jid_body()
{
	jt_init
	mkjail x
	atf_check -s exit:1 -o empty -e inline:"jail: \"1\" already exists\n" \
	    "$JAIL" -c jid=1 name=y path="$ROOT" persist
	atf_check -o inline:"1 x\n" "$JLS" jid name
}

jt_case concurrent_same_name "10 concurrent creates of one name: exactly one wins"
concurrent_same_name_body()
{
	jt_init
	for i in 1 2 3 4 5 6 7 8 9 10; do
		(
			"$JAIL" -c name=same path="$ROOT" persist > out.$i 2> err.$i
			echo $? > rc.$i
		) &
	done
	wait
	ok=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		rc=$(cat rc.$i)
		if [ "$rc" = 0 ]; then
			ok=$((ok + 1))
			[ -s err.$i ] && atf_fail "the winner printed: $(cat err.$i)"
		else
			[ "$rc" = 1 ] || atf_fail "create $i exited $rc: $(cat err.$i)"
			grep -qx 'jail: "same" already exists' err.$i ||
			    atf_fail "create $i: unexpected error: $(cat err.$i)"
		fi
	done
	[ $ok -eq 1 ] || atf_fail "$ok creates succeeded"
	atf_check -o match:'^[0-9]+ same$' "$JLS" jid name
	atf_check -o inline:"1\n" -x "\"$JLS\" jid | wc -l | tr -d ' '"
	[ "$(jt_prison_of_registry | wc -l)" -eq 1 ] ||
	    atf_fail "prisons running: $(jt_prison_of_registry)"
}

jt_case concurrent_distinct "10 concurrent creates of different jails all succeed with distinct jids"
concurrent_distinct_body()
{
	jt_init
	for i in 1 2 3 4 5 6 7 8 9 10; do
		(
			"$JAIL" -i -c name=c$i path="$ROOT" persist > out.$i 2> err.$i
			echo $? > rc.$i
		) &
	done
	wait
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(cat rc.$i)" = 0 ] || atf_fail "create c$i failed: $(cat err.$i)"
	done
	atf_check -o inline:"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n" \
	    -x "cat out.* | sort -n"
	atf_check -o inline:"10\n" -x "\"$JLS\" jid | sort -u | wc -l | tr -d ' '"
}

# ---------------------------------------------------------------------------
# command= and non-persistent jails

jt_case command_nonpersistent "a jail created with command= and without persist goes away after it"
command_nonpersistent_body()
{
	jt_init
	atf_check -s exit:0 -o inline:"hello\n" -e empty \
	    "$JAIL" -c name=c path="$ROOT" command=/bin/echo hello
	jt_wait 10 jt_no_prisons || atf_fail "the prison outlived the command"
	atf_check -o inline:"$HDR\n" "$JLS"
	jt_wait 5 jt_reg_empty || atf_fail "registry entries left: $(jt_reg_entries)"
}

jt_case command_persist "with persist, the jail outlives its command"
command_persist_body()
{
	jt_init
	atf_check -s exit:0 -o inline:"in\n" -e empty \
	    "$JAIL" -c name=cp path="$ROOT" persist command=/bin/echo in
	atf_check -o inline:"1 cp\n" "$JLS" jid name
}

jt_case command_environment "command= runs in the jail root with JID, JNAME and JPATH set"
command_environment_body()
{
	jt_init
	atf_check -s exit:0 -o inline:"/ 1 ce $ROOT\n" -e empty \
	    "$JAIL" -c name=ce path="$ROOT" \
	    command=/bin/sh -c 'echo $(pwd) $JID $JNAME $JPATH'
}

jt_case command_fails "a failing command= fails jail(8) and removes the jail"
command_fails_body()
{
	jt_init
	atf_check -s exit:1 -o empty -e inline:"jail: /bin/sh -c exit 3: failed\n" \
	    "$JAIL" -c name=cf path="$ROOT" command=/bin/sh -c 'exit 3'
	jt_wait 10 jt_no_prisons || atf_fail "prison left after a failed command"
	atf_check -o inline:"$HDR\n" "$JLS"
}

jt_case command_signal "a command= killed by a signal is reported"
command_signal_body()
{
	jt_init
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: /bin/sh -c kill -9 \$\$: exited on signal 9\n" \
	    "$JAIL" -c name=cs path="$ROOT" command=/bin/sh -c 'kill -9 $$'
	jt_wait 10 jt_no_prisons || atf_fail "prison left after a killed command"
	atf_check -o inline:"$HDR\n" "$JLS"
}

jt_case jail_lives_while_processes "a non-persistent jail lives while it has processes"
jail_lives_while_processes_body()
{
	jt_init
	"$JAIL" -c name=lp path="$ROOT" command=/bin/sleep 2 &
	jt_track $!
	jt_wait 5 "$JLS" -c -j lp || atf_fail "the jail did not appear"
	wait
	jt_wait 10 jt_no_prisons || atf_fail "the jail outlived its last process"
	atf_check -o inline:"$HDR\n" "$JLS"
}

jt_case legacy_form "the old form: jail path hostname ip command"
legacy_form_body()
{
	jt_init
	atf_check -s exit:0 -o inline:"old\n" -e empty \
	    "$JAIL" "$ROOT" old 203.0.113.7 /bin/hostname
	jt_wait 10 jt_no_prisons || atf_fail "the prison outlived the command"
	atf_check -o inline:"$HDR\n" "$JLS"
}

# ---------------------------------------------------------------------------
# The prison dies

jt_case prison_killed "kill -9 of the prison kills the jail; the next jls leaves nothing behind"
prison_killed_body()
{
	jt_init
	mkjail k
	"$JEXEC" k sleep 310004 > /dev/null 2>&1 &
	jt_track $!
	jt_wait 5 pgrep -x -f 'sleep 310004' > /dev/null ||
	    atf_fail "the jailed sleep did not start"
	sleeper=$(pgrep -x -f 'sleep 310004')
	prison=$(jt_prison_of_registry)
	[ -n "$prison" ] || atf_fail "no prison found"
	kill -9 $prison
	jt_wait 5 sh -c "! kill -0 $sleeper 2>/dev/null" ||
	    atf_fail "the jail's process $sleeper survived its prison"
	jt_wait 5 jt_no_prisons || atf_fail "prison processes left: $(jt_prisons)"
	atf_check -s exit:0 -o inline:"$HDR\n" -e empty "$JLS"
	jt_wait 2 jt_reg_empty || atf_fail "registry entries left: $(jt_reg_entries)"
	jt_wait 2 jt_no_new_cgroups || atf_fail "cgroups left: $(jt_new_cgroups)"
	[ -z "$(jt_mounts)" ] || atf_fail "mounts left: $(jt_mounts)"
	# The name is free again.
	mkjail k
}
