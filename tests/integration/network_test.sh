#! /usr/bin/env atf-sh
#
# Jails' networks (issue 14): addresses reachable from the host and from
# other jails over the veth pairs the prisons make, no spoofing or address
# theft, jail -m address changes, interface= proxy entries, vnet.interface,
# and nothing left behind by removal, a failed create or a killed prison.
#
# Nothing here reaches the machine's own network.  Each case takes a
# 10.213.N.0/24 and fd00:213:N::/64 that no host address or route is in,
# checks with "ip route get" that an address is routed into a jail or a
# namespace this test made before it sends anything to it, and publishes
# proxy entries only on veths of its own whose other end is in a network
# namespace of its own ("the network").

. "$(atf_get_srcdir)/common.subr"

# A free 10.213.N: sets N, A4 (10.213.N) and A6 (fd00:213:N:).
pick_net()
{
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		N=$(( ($$ * 7 + $(date +%N | sed 's/^0*//;s/^$/0/') / 1000) % 250 + 1 ))
		if ! ip -o addr | grep -q " 10\.213\.$N\." &&
		    ! ip route | grep -q "^10\.213\.$N\." &&
		    ! ip -6 route | grep -q "^fd00:213:$N:"; then
			A4=10.213.$N
			A6=fd00:213:$N:
			echo "$A4 $A6" > "$JT_WORK/.net"
			return 0
		fi
	done
	atf_fail "no free 10.213.x.0/24"
}

# The interface ADDR is routed through; fails unless it is a jail's host
# end (jail<jid>, or jp<pid> with the tests' registries) or ours (jt*).
routed_dev()
{
	_d=$(ip route get "$1" 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -1)
	case $_d in
	jail*|jp*|jt*) echo "$_d" ;;
	*) atf_fail "$1 is routed through '$_d', not a jail's or the test's interface" ;;
	esac
}

# serve NAME JAIL tcp|udp ADDR PORT COUNT: a netx service in JAIL.
serve()
{
	"$JEXEC" "$2" /bin/netx serve "$3" "$4" "$5" "$6" > "$JT_WORK/$1" 2>&1 &
	jt_track $!
	jt_wait 5 grep -q '^ready' "$JT_WORK/$1" ||
	    atf_fail "no $3 service in $2: $(cat "$JT_WORK/$1")"
}

# host_send PROTO ADDR ...: from the host, once ADDR is seen to be routed
# to a jail or the test's network (as netx send).
host_send()
{
	routed_dev "$2" > /dev/null
	atf_check -o inline:"$HS_EXPECT\n" "$ROOT/bin/netx" send "$@"
}

net_init()
{
	jt_init
	jt_cc netx
	pick_net
	jt_on_cleanup "ip netns del jtnet$$"
	jt_on_cleanup "ip link del jtif$$"
	jt_on_cleanup "ip link del jtepa$$"
}

# What this test's jails left of the network: host ends, routes, proxy
# entries, records.
net_leaks()
{
	# Host ends are jp<prison pid> with the tests' registries.
	for _j in $(cat "$JT_WORK/.ends" 2>/dev/null; sort -u "$JT_WORK/.jt_seen" |
	    sed 's/^/jp/'); do
		ip link show "$_j" > /dev/null 2>&1 && echo "interface $_j"
	done
	ip route | grep "^$A4\." | grep -v "dev jtif" | sed 's/^/route /'
	ip -6 route | grep "^$A6" | grep -v "dev jtif" | sed 's/^/route /'
	ip neigh show proxy | grep -E "^($A4\.|$A6)" | sed 's/^/proxy /'
	ls "$JT_REG"/.net/* 2>/dev/null | sed 's/^/record /'
	return 0
}

net_settled()
{
	"$JLS" > /dev/null 2>&1
	[ -z "$(net_leaks)" ] && [ -z "$(jt_leaks)" ]
}

# Remember the host end of ADDR, for net_leaks.
note_end()
{
	routed_dev "$1" >> "$JT_WORK/.ends"
}

jt_case reachable "TCP and UDP services of a jail reached from the host and another jail, IPv4 and IPv6"
reachable_body()
{
	net_init
	mkjail a ip4.addr=$A4.5 ip6.addr=${A6}:5
	mkjail b ip4.addr=$A4.6/24 ip6.addr=${A6}:6/64
	note_end $A4.5
	note_end $A4.6
	[ "$(routed_dev $A4.5)" != "$(routed_dev $A4.6)" ] || atf_fail "one host end for two jails"
	# Inside: its own addresses and loopback, nothing else.
	atf_check -o inline:"eth0\nlo\n" "$JEXEC" a ls /sys/class/net
	atf_check -o match:"inet $A4\.5/32" -o not-match:"$A4\.6" "$JEXEC" a ip -4 addr
	serve t4 a tcp 0.0.0.0 7001 2
	serve u4 a udp $A4.5 7002 2
	serve t6 a tcp :: 7003 2
	serve u6 a udp ${A6}:5 7004 2
	HS_EXPECT="echo:h" host_send tcp $A4.5 7001 h
	HS_EXPECT="echo:h" host_send udp $A4.5 7002 h
	HS_EXPECT="echo:h6" host_send tcp ${A6}:5 7003 h6
	HS_EXPECT="echo:h6" host_send udp ${A6}:5 7004 h6
	atf_check -o inline:"echo:b\n" "$JEXEC" b /bin/netx send tcp $A4.5 7001 b
	atf_check -o inline:"echo:b\n" "$JEXEC" b /bin/netx send udp $A4.5 7002 b
	atf_check -o inline:"echo:b6\n" "$JEXEC" b /bin/netx send tcp ${A6}:5 7003 b6
	atf_check -o inline:"echo:b6\n" "$JEXEC" b /bin/netx send udp ${A6}:5 7004 b6
	# b's traffic leaves from b's address.
	atf_check -o match:"^from $A4\.6$" grep "^from $A4" "$JT_WORK/t4"
	atf_check -o match:"^from ${A6}:6$" grep "^from $A6" "$JT_WORK/u6"
	atf_check -o ignore "$JAIL" -r a b
	jt_wait 5 net_settled || atf_fail "left: $(net_leaks) $(jt_leaks)"
}

jt_case saddrsel "ip4.nosaddrsel: the primary address is the source"
saddrsel_body()
{
	net_init
	mkjail a ip4.addr=$A4.5
	mkjail b ip4.addr=$A4.9,$A4.7 ip4.nosaddrsel
	note_end $A4.5
	note_end $A4.9
	atf_check -o match:"src $A4\.9" "$JEXEC" b ip route show default
	serve t a tcp $A4.5 7001 1
	atf_check -o inline:"echo:x\n" "$JEXEC" b /bin/netx send tcp $A4.5 7001 x
	atf_check -o inline:"from $A4.9\n" grep "^from" "$JT_WORK/t"
	atf_check "$JAIL" -m name=b ip4.saddrsel
	atf_check -o not-match:"src" "$JEXEC" b ip route show default
}

jt_case no_address "a jail without an address reaches nothing"
no_address_body()
{
	net_init
	mkjail a ip4.addr=$A4.5
	note_end $A4.5
	serve t a tcp $A4.5 7001 1
	mkjail d
	mkjail n ip4=new
	atf_check -o inline:"fail ENETUNREACH\n" "$JEXEC" d /bin/netx send tcp $A4.5 7001 x
	# ip4=new without an address: routed to the host, but no source.
	atf_check -o match:"^(fail |timeout)" "$JEXEC" n /bin/netx send tcp $A4.5 7001 x
	atf_check -o inline:"fail ENETUNREACH\n" "$JEXEC" a /bin/netx send tcp ${A6}:5 7001 x
	atf_check -s exit:1 grep "^from" "$JT_WORK/t"
}

jt_case spoofing "a jail cannot send from an address it was not given, nor take one"
spoofing_body()
{
	net_init
	mkjail a ip4.addr=$A4.5 ip6.addr=${A6}:5
	mkjail b ip4.addr=$A4.6 ip6.addr=${A6}:6 allow.raw_sockets
	note_end $A4.5
	note_end $A4.6
	serve u4 a udp $A4.5 7002 4
	serve u6 a udp ${A6}:5 7004 4
	# IP_FREEBIND binds any address; packets from it go nowhere (the
	# jail's stack may refuse them already; if not, the host end's filter
	# drops them).
	for s in "$A4.77 $A4.5 7002" "${A6}:77 ${A6}:5 7004" "192.0.2.77 $A4.5 7002"; do
		atf_check -o match:"^(timeout|fail )" "$JEXEC" b /bin/netx send udp -f -s $s spoof
	done
	# Its own address works, through the same path.
	atf_check -o inline:"echo:ok\n" "$JEXEC" b /bin/netx send udp -f -s $A4.6 $A4.5 7002 ok
	atf_check -o inline:"echo:ok\n" "$JEXEC" b /bin/netx send udp ${A6}:5 7004 ok
	# None came from a spoofed address (.77: the net itself may be 10.213.77).
	_a4=$(echo "$A4" | sed 's/\./\\./g')
	atf_check -o not-match:"^from (${_a4}\.77|${A6}:77|192\.0\.2\.77)$" \
	    cat "$JT_WORK/u4" "$JT_WORK/u6"
	# No address can be added, and a's address bound in b receives nothing.
	atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" b ip addr add $A4.5/32 dev eth0
	"$JEXEC" b /bin/netx serve udp $A4.5 7005 1 > "$JT_WORK/thief" 2>&1 &
	jt_track $!
	# (It goes to a, which has nothing on that port.)
	routed_dev $A4.5 > /dev/null
	atf_check -o match:"^(timeout|fail ECONNREFUSED)$" "$ROOT/bin/netx" send udp $A4.5 7005 steal
	atf_check -o not-match:"^from" cat "$JT_WORK/thief"
	# Nothing of the host's loopback.
	atf_check -o match:"^fail " "$JEXEC" b /bin/netx send tcp 127.0.0.2 22 x
}

jt_case modify "jail -m adds and removes addresses and their routes, all or nothing"
modify_body()
{
	net_init
	mkjail a ip4.addr=$A4.5 ip6=new
	mkjail o ip4.addr=$A4.8
	note_end $A4.5
	note_end $A4.8
	end=$(routed_dev $A4.5)
	atf_check "$JAIL" -m name=a ip4.addr=$A4.5,$A4.6 ip6.addr=${A6}:6
	[ "$(routed_dev $A4.6)" = "$end" ] || atf_fail "$A4.6 not routed to $end"
	[ "$(routed_dev ${A6}:6)" = "$end" ] || atf_fail "${A6}:6 not routed to $end"
	serve t a tcp 0.0.0.0 7001 2
	HS_EXPECT="echo:n" host_send tcp $A4.6 7001 n
	atf_check "$JAIL" -m name=a ip4.addr=$A4.6
	ip route get $A4.5 | grep -q "dev $end" && atf_fail "$A4.5 still routed to the jail"
	atf_check -o not-match:"$A4\.5" "$JEXEC" a ip -4 addr
	HS_EXPECT="echo:m" host_send tcp $A4.6 7001 m
	# o's address: refused, and a keeps what it had.
	atf_check -s exit:1 -e match:"$A4\.8" "$JAIL" -m name=a ip4.addr=$A4.6,$A4.7,$A4.8
	atf_check -o inline:"$A4.6\n" "$JLS" -j a ip4.addr
	ip route get $A4.7 | grep -q "dev $end" && atf_fail "$A4.7 left routed after a refused change"
	atf_check -o match:"inet $A4\.6/32" -o not-match:"$A4\.7" "$JEXEC" a ip -4 addr
	atf_check -o ignore "$JAIL" -r a o
	jt_wait 5 net_settled || atf_fail "left: $(net_leaks) $(jt_leaks)"
}

# ip4_num A.B.C.D / num_ip4 N: dotted quad to and from a number.
ip4_num()
{
	_o=$IFS
	IFS=.
	set -- $1
	IFS=$_o
	echo $(( (($1 * 256 + $2) * 256 + $3) * 256 + $4 ))
}
num_ip4()
{
	echo "$(( ($1 >> 24) & 255 )).$(( ($1 >> 16) & 255 )).$(( ($1 >> 8) & 255 )).$(( $1 & 255 ))"
}

# Sets HDEV (the interface of the host's default route), HGW (its
# gateway), HNET (HDEV's connected IPv4 prefix, with the gateway in it)
# and HFREE (an address in HNET that is no host's address, gateway or
# known neighbour); skips without them.  Nothing is sent.
host_network()
{
	set -- $(ip -4 route show default | head -1)
	HGW= HDEV=
	while [ $# -gt 1 ]; do
		case $1 in
		via) HGW=$2 ;;
		dev) HDEV=$2 ;;
		esac
		shift
	done
	[ -n "$HGW" ] && [ -n "$HDEV" ] ||
	    atf_skip "no IPv4 default route through a gateway"
	HNET=$(ip -o -4 route show scope link dev "$HDEV" | awk '$1 ~ /\// { print $1 }' |
	    while read -r _p; do
		_b=$(ip4_num "${_p%/*}") _l=${_p#*/}
		_g=$(ip4_num "$HGW")
		_s=$(( 1 << (32 - _l) ))
		[ "$_l" -gt 0 ] && [ "$_l" -le 30 ] && [ $(( _g / _s )) -eq $(( _b / _s )) ] &&
		    { echo "$_p"; break; }
	    done)
	[ -n "$HNET" ] || atf_skip "no connected prefix on $HDEV holds the gateway $HGW"
	_b=$(ip4_num "${HNET%/*}") _l=${HNET#*/}
	_last=$(( _b + (1 << (32 - _l)) - 2 ))
	HFREE=
	_n=$(( _last ))
	while [ $_n -gt $_b ]; do
		_a=$(num_ip4 $_n)
		if [ "$_a" != "$HGW" ] && ! ip -o addr | grep -q " $_a/" &&
		    ! ip neigh show "$_a" | grep -q .; then
			HFREE=$_a
			break
		fi
		_n=$(( _n - 1 ))
	done
	[ -n "$HFREE" ] || atf_skip "no free address in $HNET"
}

jt_case host_network "an address on a network the host is attached to (its gateway's, even) is refused at jail -c and jail -m, leaving nothing"
host_network_body()
{
	net_init
	host_network
	gw_before=$(ip route get "$HGW")
	free_before=$(ip route get "$HFREE")
	msg="is on the network of host interface $HDEV: publish it there with interface=$HDEV"
	for a in "$HFREE" "$HGW"; do
		atf_check -s exit:1 -o empty -e match:"ip4.addr: $a $msg" \
		    "$JAIL" -c name=x path="$ROOT" persist ip4.addr=$a
		atf_check -s exit:1 -o empty -e match:"ip4.addr: $a $msg" \
		    "$JAIL" -c name=x path="$ROOT" persist ip4.addr=$A4.5,$a
		atf_check -s not-exit:0 -o ignore -e ignore "$JLS" -j x
	done
	# IPv6 likewise, when the host has a connected /64 there.
	h6=$(ip -o -6 route show dev "$HDEV" | awk '$1 ~ /^[0-9a-f:]+\/64$/ && $1 !~ /^fe80/ { print $1; exit }')
	if [ -n "$h6" ]; then
		a6=${h6%::/64}::7a:13
		ip -6 route get "$a6" > "$JT_WORK/a6.before" 2>&1
		atf_check -s exit:1 -o empty \
		    -e match:"ip6.addr: $a6 is on the network of host interface $HDEV" \
		    "$JAIL" -c name=x path="$ROOT" persist ip6.addr=$a6
		ip -6 route get "$a6" > "$JT_WORK/a6.after" 2>&1
		atf_check cmp "$JT_WORK/a6.before" "$JT_WORK/a6.after"
	fi
	# jail -m: refused, and the jail keeps what it had.
	mkjail a ip4.addr=$A4.5
	note_end $A4.5
	end=$(routed_dev $A4.5)
	for a in "$HFREE" "$HGW"; do
		atf_check -s exit:1 -o empty -e match:"ip4.addr: $a $msg" \
		    "$JAIL" -m name=a ip4.addr=$A4.5,$a
		atf_check -s exit:1 -o empty -e match:"ip4.addr: $a $msg" \
		    "$JAIL" -m name=a ip4.addr=$a
		atf_check -o inline:"$A4.5\n" "$JLS" -j a ip4.addr
		[ "$(routed_dev $A4.5)" = "$end" ] || atf_fail "$A4.5 no longer routed to $end"
	done
	# Published on another interface is no better.
	atf_check -s exit:1 -o empty -e match:"ip4.addr: $HFREE $msg" \
	    "$JAIL" -m name=a ip4.addr="lo|$HFREE"
	[ "$(ip route get "$HGW")" = "$gw_before" ] ||
	    atf_fail "route to the gateway changed: $(ip route get "$HGW")"
	[ "$(ip route get "$HFREE")" = "$free_before" ] ||
	    atf_fail "route to $HFREE changed: $(ip route get "$HFREE")"
	ip route show table all | grep -E "^($HGW|$HFREE) " &&
	    atf_fail "a host route was added"
	atf_check -o not-match:"^($HGW|$HFREE) " ip neigh show proxy
	atf_check -o ignore "$JAIL" -r a
	jt_wait 5 net_settled || atf_fail "left: $(net_leaks) $(jt_leaks)"
}

# A network: veth jtif$$ here, its peer in namespace jtnet$$, on $A4.0/24.
make_network()
{
	ip netns add jtnet$$ || atf_fail "ip netns add"
	ip link add jtif$$ type veth peer name jtpeer netns jtnet$$ ||
	    atf_fail "ip link add"
	ip addr add $A4.1/24 dev jtif$$
	ip addr add ${A6}:1/64 dev jtif$$ nodad
	ip link set jtif$$ up
	ip -n jtnet$$ link set lo up
	ip -n jtnet$$ addr add $A4.2/24 dev jtpeer
	ip -n jtnet$$ addr add ${A6}:2/64 dev jtpeer nodad
	ip -n jtnet$$ link set jtpeer up
	ip -n jtnet$$ route add default via $A4.1
	ip -n jtnet$$ -6 route add default via ${A6}:1
}

jt_case interface "interface= and IF|addr publish the jail's addresses on IF's network (proxy ARP and NDP)"
interface_body()
{
	net_init
	make_network
	# On jtif's network but not published there: refused.
	atf_check -s exit:1 -o empty \
	    -e match:"ip4.addr: $A4.5 is on the network of host interface jtif$$: publish it there with interface=jtif$$" \
	    "$JAIL" -c name=p path="$ROOT" persist ip4.addr=$A4.5
	atf_check -s exit:1 -o empty \
	    -e match:"ip6.addr: ${A6}:5 is on the network of host interface jtif$$" \
	    "$JAIL" -c name=p path="$ROOT" persist ip4.addr="jtif$$|$A4.5" ip6.addr=${A6}:5
	atf_check -o not-match:"^$A4\.5 " ip route
	atf_check -o not-match:"^$A4\.5 " ip neigh show proxy
	"$JAIL" -c name=p path="$ROOT" persist ip4.addr="jtif$$|$A4.5/24" \
	    ip6.addr="jtif$$|${A6}:5/64" || atf_fail "jail -c"
	note_end $A4.5
	atf_check -o match:"^$A4\.5 dev jtif$$ proxy" ip neigh show proxy
	atf_check -o match:"^${A6}:5 dev jtif$$ proxy" ip neigh show proxy
	serve t4 p tcp 0.0.0.0 7001 1
	serve t6 p tcp :: 7003 1
	atf_check -o match:"dev jtpeer" ip -n jtnet$$ route get $A4.5
	atf_check -o inline:"echo:net\n" ip netns exec jtnet$$ "$ROOT/bin/netx" send tcp $A4.5 7001 net
	atf_check -o inline:"echo:net6\n" ip netns exec jtnet$$ "$ROOT/bin/netx" send tcp ${A6}:5 7003 net6
	atf_check -o inline:"from $A4.2\n" grep from "$JT_WORK/t4"
	# jail -m moves the entries with the addresses; the IPv6 address,
	# no longer published, cannot stay on jtif's network.
	atf_check -s exit:1 -e match:"ip6.addr: ${A6}:5 is on the network of host interface jtif$$" \
	    "$JAIL" -m name=p ip4.addr="jtif$$|$A4.6"
	atf_check -o match:"^$A4\.5 dev jtif$$ proxy" -o match:"^${A6}:5 dev jtif$$ proxy" \
	    ip neigh show proxy
	atf_check "$JAIL" -m name=p ip4.addr="jtif$$|$A4.6" ip6.addr=
	atf_check -o not-match:"^$A4\.5 " ip neigh show proxy
	atf_check -o match:"^$A4\.6 dev jtif$$ proxy" ip neigh show proxy
	atf_check -o not-match:"$A6" ip neigh show proxy
	atf_check "$JAIL" -r p
	jt_wait 5 net_settled || atf_fail "left: $(net_leaks) $(jt_leaks)"
	# interface= for all addresses; removal by kill -9 of the prison.
	atf_check "$JAIL" -c name=q path="$ROOT" persist interface=jtif$$ \
	    ip4.addr=$A4.7 ip6.addr=${A6}:7
	note_end $A4.7
	atf_check -o match:"^$A4\.7 dev jtif$$ proxy" ip neigh show proxy
	kill -9 $(jt_prison_of_registry)
	jt_wait 10 net_settled || atf_fail "left after kill -9: $(net_leaks) $(jt_leaks)"
}

jt_case interface_bad "interface= is checked"
interface_bad_body()
{
	net_init
	atf_check -s exit:1 -e match:"interface needs ip4=new or ip6=new" \
	    "$JAIL" -c name=x path="$ROOT" persist interface=lo
	atf_check -s exit:1 -e match:"bad interface name" \
	    "$JAIL" -c name=x path="$ROOT" persist ip4.addr=$A4.5 interface=a/b
	atf_check -s exit:1 -e match:"no such interface" \
	    "$JAIL" -c name=x path="$ROOT" persist ip4.addr="jtnosuch$$|$A4.5"
	jt_wait 5 net_settled || atf_fail "left: $(net_leaks) $(jt_leaks)"
}

jt_case vnet_interface "vnet.interface moves interfaces in and back out, also after kill -9 of the prison"
vnet_interface_body()
{
	net_init
	ip link add jtepa$$ type veth peer name jtepb$$ || atf_fail "ip link add"
	# FreeBSD's: ifconfig epair create; jail -c ... vnet.interface=epair0a,epair0b
	atf_check -o empty "$JAIL" -c name=basejail vnet persist \
	    vnet.interface=jtepa$$,jtepb$$
	atf_check -o match:"basejail|^ +[0-9]+ " "$JLS"
	atf_check -o match:"jtepa$$" -o match:"jtepb$$" "$JEXEC" basejail ip link
	ip link show jtepa$$ > /dev/null 2>&1 && atf_fail "jtepa$$ still on the host"
	atf_check "$JAIL" -r basejail
	atf_check -o ignore ip link show jtepa$$
	atf_check -o ignore ip link show jtepb$$
	atf_check "$JAIL" -c name=basejail vnet persist vnet.interface=jtepa$$,jtepb$$
	kill -9 $(jt_prison_of_registry)
	jt_wait 10 sh -c "ip link show jtepa$$ && ip link show jtepb$$" > /dev/null 2>&1 ||
	    atf_fail "the interfaces did not come back after kill -9"
	jt_wait 10 net_settled || atf_fail "left: $(net_leaks) $(jt_leaks)"
	atf_check -s exit:1 -e match:"vnet.interface needs vnet" \
	    "$JAIL" -c name=x path="$ROOT" persist vnet.interface=jtepa$$
	atf_check -s exit:1 -e match:"no such interface" \
	    "$JAIL" -c name=x vnet persist vnet.interface=jtnosuch$$
	atf_check -o ignore ip link show jtepa$$
}

# Creation killed at STEP (JAIL_CRASH_AT) with addresses, interface= or
# vnet.interface (KIND): the create fails, nothing is left.
crash_net()	# STEP KIND
{
	net_init
	case $2 in
	addr) set -- "$1" ip4.addr=$A4.5 ip6.addr=${A6}:5 ;;
	if) make_network; set -- "$1" ip4.addr="jtif$$|$A4.5" ip6.addr="jtif$$|${A6}:5" ;;
	vnet) ip link add jtepa$$ type veth peer name jtepb$$
	    set -- "$1" vnet vnet.interface=jtepa$$,jtepb$$ ;;
	esac
	step=$1
	shift
	atf_check -s exit:1 -o ignore -e not-empty env JAIL_CRASH_AT="$step" \
	    timeout 20 "$JAIL" -c name=c path="$ROOT" persist "$@"
	jt_wait 10 net_settled || atf_fail "after a crash at $step: $(net_leaks) $(jt_leaks)"
	case $1 in vnet*) atf_check -o ignore ip link show jtepa$$ ;; esac
	# And it works afterwards.
	atf_check "$JAIL" -c name=c path="$ROOT" persist "$@"
	atf_check "$JAIL" -r c
	jt_wait 10 net_settled || atf_fail "left: $(net_leaks) $(jt_leaks)"
}

for step in net-veth net-host net-jail net-addrs; do
	c=$(echo "$step" | tr - _)
	eval "jt_case crash_$c \"the prison killed at '$step' leaves no interface, route or address\"
	crash_${c}_body() { crash_net $step addr; }"
done
eval "jt_case crash_if_net_addrs \"the prison killed with proxy entries made leaves none\"
crash_if_net_addrs_body() { crash_net net-addrs if; }"
for step in vnet-recorded vnet-moved; do
	c=$(echo "$step" | tr - _)
	eval "jt_case crash_$c \"the prison killed at '$step' gives the interfaces back\"
	crash_${c}_body() { crash_net $step vnet; }"
done

jt_case crash_remove "the prison killed while undoing the network on removal leaves nothing"
crash_remove_body()
{
	net_init
	make_network
	atf_check env JAIL_CRASH_AT=net-undone "$JAIL" -c name=c path="$ROOT" \
	    persist ip4.addr="jtif$$|$A4.5"
	note_end $A4.5
	timeout 20 "$JAIL" -r c > /dev/null 2>&1
	jt_wait 10 net_settled || atf_fail "left: $(net_leaks) $(jt_leaks)"
}
