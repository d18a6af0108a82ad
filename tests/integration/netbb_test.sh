#! /usr/bin/env atf-sh
#
# The jails' network (issue 14): a jail with ip4.addr/ip6.addr has a
# network namespace of its own joined to the host by a veth pair, its
# addresses on its end, host routes to them through the host end;
# interface= and ip4.addr=IF|ADDR publish them on a host interface with
# proxy ARP/NDP; jail -m changes them; vnet.interface moves host
# interfaces into a vnet jail and back.  Whatever happens - removal, a
# failed create, kill -9 of the prison at any step - no interface, route,
# proxy entry or address is left behind.
#
# Traffic goes only to the test's own addresses, in a subnet of each case
# that is on none of the host's networks, and only after "ip route get"
# showed that it is routed into a namespace the test made (netenv.subr);
# otherwise the case is skipped.  interface= only ever names the host end
# of a veth pair whose other end is in a namespace the test made.

. "$(atf_get_srcdir)/common.subr"
. "$(atf_get_srcdir)/netenv.subr"

# The prison's crash points (prison/crash.c, JAIL_CRASH_AT) at the steps of
# setting up, changing and undoing a jail's network.  A case whose step
# the prison does not have is skipped, saying so.
NET_CREATE_STEPS="net-veth net-host net-jail net-addrs net-proxy init built socket alive"
NET_REMOVE_STEPS="dying killing net-undone cgroup-removed released"
NET_UPDATE_STEPS="update-net"
VNET_CREATE_STEPS="vnet-recorded vnet-moved init built alive"
VNET_REMOVE_STEPS="dying killing net-undone cgroup-removed released"

BOUND=20	# seconds a command may take before it counts as hung

# same OUTPUT COMMAND...: COMMAND (a shell function too, which atf_check
# cannot run) prints exactly OUTPUT.
same()
{
	_sm_e=$1
	shift
	_sm_o=$("$@" 2>&1)
	[ "$_sm_o" = "$_sm_e" ] ||
	    atf_fail "$*: printed \"$_sm_o\", not \"$_sm_e\""
}

# Does the log of server NAME hold the line LINE?
logged()	# NAME LINE
{
	net_log "$1" | grep -qxF -- "$2"
}

# The log of server NAME holds nothing but lines matching the ERE.
logged_only()	# NAME ERE
{
	_lo=$(net_log "$1" | grep -vE -- "$2")
	[ -z "$_lo" ] || atf_fail "server $1 received what it should not have: $(echo $_lo)"
}

# Nothing on the host names ADDR: no address, route or proxy entry.
no_trace()	# ADDR
{
	_nt_re="(^|[^0-9a-f:.])$(echo "$1" | sed 's/\./\\./g')([^0-9a-f:.]|\$)"
	_nt=$({ ip -o addr; ip -4 route show table all; ip -6 route show table all
	    ip -4 neigh show proxy; ip -6 neigh show proxy; } 2>/dev/null |
	    grep -E "$_nt_re")
	[ -z "$_nt" ] || atf_fail "$1 left on the host: $(echo $_nt)"
}

# ---------------------------------------------------------------------------
# Services

jt_case services "a TCP and a UDP service in a jail are reached from the host and from a second jail at its ip4.addr and ip6.addr"
services_body()
{
	net_init 1
	A4=$NET4.10 A6=${NET6}:10 B4=$NET4.11 B6=${NET6}:11
	mkjail a ip4.addr=$A4 ip6.addr=$A6
	mkjail b ip4.addr=$B4 ip6.addr=$B6
	for x in "a $A4" "a $A6" "b $B4" "b $B6"; do
		net_route_jail $x
	done
	for p in tcp udp; do
		for f in 4 6; do
			eval "addr=\$A$f bsrc=\$B$f"
			net_serve $p$f a $p "$addr"
			net_ok host self -m "host-$p$f" $p "$addr" $PORT
			net_route_from b "$addr"
			net_ok b "$bsrc" -m "b-$p$f" $p "$addr" $PORT
			logged $p$f "$bsrc b-$p$f" ||
			    atf_fail "the $p$f server did not log b: $(net_log $p$f)"
			[ "$(net_log $p$f | grep -c " host-$p$f\$")" -eq 1 ] ||
			    atf_fail "the $p$f server did not log the host: $(net_log $p$f)"
		done
	done
}

jt_case no_address "a jail without an address reaches no jail's service"
no_address_body()
{
	net_init 2
	A4=$NET4.10 A6=${NET6}:10
	mkjail a ip4.addr=$A4 ip6.addr=$A6
	net_route_jail a $A4
	net_route_jail a $A6
	mkjail c
	jails=c
	# ip4=new and ip6=new without addresses: refused, or a jail as
	# address-less as c.
	if "$JAIL" -c name=d path="$ROOT" persist ip4=new ip6=new > /dev/null 2> err.d; then
		jails="c d"
	else
		[ -s err.d ] || atf_fail "ip4=new without addresses refused without a message"
	fi
	for p in tcp udp; do
		for f in 4 6; do
			eval "addr=\$A$f"
			net_serve $p$f a $p "$addr"
			# The services work (from the host).
			net_ok host self -m "host-$p$f" $p "$addr" $PORT
			for j in $jails; do
				net_fails $j -w 2 -m "from-$j" $p "$addr" $PORT
			done
			logged_only $p$f " host-$p$f\$"
		done
	done
	# Nor do they have any address to be reached at.
	for j in $jails; do
		atf_check -s exit:0 -e empty -o not-match:"inet6? ($NET4|$NET6)" \
		    "$JEXEC" $j ip -o addr
	done
}

# ---------------------------------------------------------------------------
# What the jail sees and sends

# Jail J's addresses, from inside: "FAMILY ADDRESS/LEN" lines.
jail_addrs()	# J
{
	"$JEXEC" "$1" ip -o addr | awk '{ print $3, $4 }'
}

jt_case sees_only_own "inside, the jail sees only its own addresses and loopback"
sees_only_own_body()
{
	net_init 3
	mkjail a ip4.addr=$NET4.10,$NET4.11 ip6.addr=${NET6}:10,${NET6}:11
	mkjail o ip4.addr=$NET4.12
	jail_addrs a > addrs.a || atf_fail "ip -o addr in a failed"
	jail_addrs o > addrs.o || atf_fail "ip -o addr in o failed"
	for x in "a inet $NET4.10" "a inet $NET4.11" "a inet6 ${NET6}:10" \
	    "a inet6 ${NET6}:11" "o inet $NET4.12" "a inet 127.0.0.1" \
	    "o inet 127.0.0.1"; do
		set -- $x
		grep -q "^$2 $3/" addrs.$1 || atf_fail "jail $1 lacks $3: $(cat addrs.$1)"
	done
	# Nothing else but the loopback's and link-local IPv6 addresses.
	for j in a o; do
		other=$(grep -vE '^inet 127\.0\.0\.1/8$|^inet6 ::1/128$|^inet6 fe80:' addrs.$j |
		    grep -vE "^inet ($(echo "$NET4" | sed 's/\./\\./g')\\.1[0-2])/|^inet6 (${NET6}:1[01])/")
		[ -z "$other" ] || atf_fail "jail $j sees other addresses: $(echo $other)"
	done
	# o has no IPv6 address but the loopback's and link-local ones.
	grep -E "^inet6 ${NET6}" addrs.o && atf_fail "o sees a's IPv6 addresses"
	# The host's addresses are none of the jail's.
	for h in $(ip -o addr | awk '{ sub(/\/.*/, "", $4); print $4 }'); do
		case $h in 127.0.0.1|::1|fe80:*) continue ;; esac
		grep -q " $h/" addrs.a && atf_fail "jail a sees the host's $h"
	done
	# Interfaces: the loopback and at most one other, its end of the veth
	# to the host.
	for j in a o; do
		net_jail_links $j > links.$j
		n=$(wc -l < links.$j)
		[ "$n" -ge 1 ] && [ "$n" -le 2 ] && grep -q '^lo 0$' links.$j ||
		    atf_fail "jail $j has interfaces: $(cat links.$j)"
	done
	if h=$(net_hostif a $NET4.10); then
		e=$(net_jail_end a "$h")
		grep -q "^$e " links.a || atf_fail "a's veth end $e is not in a"
		# Both addresses are on the veth's end, none on lo.
		"$JEXEC" a ip -o addr show dev lo | grep -E "$NET_RE4|$NET_RE6" &&
		    atf_fail "a's addresses are on its loopback"
	fi
	return 0
}

jt_case source_address "the jail's traffic leaves from its address: the primary one with ip4.nosaddrsel/ip6.nosaddrsel, one of its own otherwise"
source_address_body()
{
	net_init 4
	net_dummy
	mkjail s ip4.addr=$NET4.10,$NET4.11 ip6.addr=${NET6}:10,${NET6}:11
	mkjail n ip4.addr=$NET4.12,$NET4.13 ip6.addr=${NET6}:12,${NET6}:13 \
	    ip4.nosaddrsel ip6.nosaddrsel
	atf_check -o inline:"false false\n" "$JLS" -j n ip4.saddrsel ip6.saddrsel
	for x in "s $HOST4" "s $HOST6" "n $HOST4" "n $HOST6"; do
		net_route_from $x
	done
	for p in tcp udp; do
		net_serve h${p}4 host $p $HOST4
		eval "port4_$p=\$PORT"
		net_serve h${p}6 host $p $HOST6
		eval "port6_$p=\$PORT"
	done
	for p in tcp udp; do
		eval "p4=\$port4_$p p6=\$port6_$p"
		# Source address selection: one of the jail's addresses.
		net_ok s self $p $HOST4 $p4
		case $NET_LOCAL in $NET4.10|$NET4.11) ;;
		*) atf_fail "s sent from $NET_LOCAL" ;; esac
		net_ok s self $p $HOST6 $p6
		case $NET_LOCAL in ${NET6}:10|${NET6}:11) ;;
		*) atf_fail "s sent from $NET_LOCAL" ;; esac
		# Without it, the primary.
		net_ok n $NET4.12 $p $HOST4 $p4
		net_ok n ${NET6}:12 $p $HOST6 $p6
		# Any of its addresses may be chosen by bind().
		net_ok s $NET4.11 -s $NET4.11 $p $HOST4 $p4
		net_ok s ${NET6}:11 -s ${NET6}:11 $p $HOST6 $p6
		net_ok n $NET4.13 -s $NET4.13 $p $HOST4 $p4
		# Not another jail's.
		same "bind $NET4.12 fail EADDRNOTAVAIL" \
		    net_send s -s $NET4.12 $p $HOST4 $p4
		same "bind ${NET6}:12 fail EADDRNOTAVAIL" \
		    net_send s -s ${NET6}:12 $p $HOST6 $p6
	done
	# Turned off on a running jail.
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=s ip4.nosaddrsel ip6.nosaddrsel
	for p in tcp udp; do
		eval "p4=\$port4_$p p6=\$port6_$p"
		net_ok s $NET4.10 $p $HOST4 $p4
		net_ok s ${NET6}:10 $p $HOST6 $p6
	done
	# Every connection the servers saw came from a jail address.
	for s in htcp4 hudp4 htcp6 hudp6; do
		logged_only $s "^($NET4\\.1[0-3]|${NET6}:1[0-3]) "
	done
}

jt_case host_loopback "a jail with an address reaches its own loopback, never the host's"
host_loopback_body()
{
	net_init 5
	mkjail a ip4.addr=$NET4.10 ip6.addr=${NET6}:10
	net_serve lt4 host tcp 127.0.0.1
	lt4=$PORT
	net_serve lu4 host udp 127.0.0.1
	lu4=$PORT
	net_serve lt6 host tcp ::1
	lt6=$PORT
	net_ok host self -m host tcp 127.0.0.1 $lt4
	net_ok host self -m host udp 127.0.0.1 $lu4
	net_ok host self -m host tcp ::1 $lt6
	net_fails a -w 2 -m jail tcp 127.0.0.1 $lt4
	net_fails a -w 2 -m jail udp 127.0.0.1 $lu4
	net_fails a -w 2 -m jail tcp ::1 $lt6
	for s in lt4 lu4 lt6; do
		logged_only $s " host\$"
	done
	# Its own loopback works.
	net_serve jt4 a tcp 127.0.0.1
	net_ok a 127.0.0.1 tcp 127.0.0.1 $PORT
	net_serve jt6 a tcp ::1
	net_ok a ::1 tcp ::1 $PORT
}

jt_case inherit_loopback "a jail with ip4=inherit (ip6=inherit) reaches the host's loopback services"
inherit_loopback_body()
{
	net_init 6
	mkjail i ip4=inherit ip6=inherit
	mkjail i4 ip4=inherit
	net_serve lt4 host tcp 127.0.0.1
	lt4=$PORT
	net_serve lu4 host udp 127.0.0.1
	lu4=$PORT
	net_serve lt6 host tcp ::1
	lt6=$PORT
	for j in i i4; do
		net_ok $j 127.0.0.1 -m $j tcp 127.0.0.1 $lt4
		net_ok $j 127.0.0.1 -m $j udp 127.0.0.1 $lu4
	done
	net_ok i ::1 -m i tcp ::1 $lt6
	# i4's IPv6 is disabled.
	same "socket fail EAFNOSUPPORT" net_send i4 tcp ::1 $lt6
	same "$(printf '127.0.0.1 i\n127.0.0.1 i4')" net_log lt4
	same "::1 i" net_log lt6
	# The host's network: the jail sees the host's interfaces.
	"$JEXEC" i ip -o link | awk '{ print $2 }' | sed 's/@.*//; s/:$//' > links.i
	for l in $(ip -o link | awk '{ print $2 }' | sed 's/@.*//; s/:$//'); do
		# Veths come and go with other tests' jails.
		ip -d -o link show dev $l 2>/dev/null | grep -q ' veth ' && continue
		grep -qx "$l" links.i || atf_fail "jail i does not see the host's $l"
	done
	return 0
}

jt_case disable_reaches_nothing "a jail with ip4=disable and ip6=disable has only its loopback and reaches nothing"
disable_reaches_nothing_body()
{
	net_init 7
	net_dummy
	mkjail d
	mkjail e ip4=disable ip6=disable
	for p in tcp udp; do
		net_serve h${p}4 host $p $HOST4
		eval "p4_$p=\$PORT"
		net_serve h${p}6 host $p $HOST6
		eval "p6_$p=\$PORT"
	done
	# The servers work.
	net_ok host self -m host tcp $HOST4 $p4_tcp
	for j in d e; do
		same "lo 0" net_jail_links $j
		# No route anywhere: nothing can leave.
		for a in $HOST4 $HOST6 192.0.2.1 2001:db8::1; do
			atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" $j ip route get $a
		done
		for p in tcp udp; do
			eval "p4=\$p4_$p p6=\$p6_$p"
			net_fails $j -w 2 -m $j $p $HOST4 $p4
			net_fails $j -w 2 -m $j $p $HOST6 $p6
		done
	done
	for s in htcp4 hudp4 htcp6 hudp6; do
		logged_only $s " host\$"
	done
}

jt_case disable_ip4_with_ip6 "with ip6.addr and ip4=disable, IPv6 reaches the host and IPv4 nothing"
disable_ip4_with_ip6_body()
{
	net_init 8
	net_dummy
	mkjail x ip4=disable ip6.addr=${NET6}:10
	net_route_from x $HOST6
	net_serve h4 host tcp $HOST4
	p4=$PORT
	net_serve h6 host tcp $HOST6
	p6=$PORT
	net_ok x ${NET6}:10 -m x6 tcp $HOST6 $p6
	net_fails x -w 2 -m x4 tcp $HOST4 $p4
	atf_check -s exit:0 -o empty -e empty -x \
	    "\"$JEXEC\" x ip -o addr | grep -w inet | grep -v ' 127\\.0\\.0\\.1/' || true"
	same "" net_log h4
}

# ---------------------------------------------------------------------------
# Spoofing, address theft, sniffing

jt_case address_theft "a jail cannot take an address it was not given: not by bind, ip addr add, jail -c or jail -m"
address_theft_body()
{
	net_init 9
	net_dummy
	A4=$NET4.10 A6=${NET6}:10 B4=$NET4.11 B6=${NET6}:11
	mkjail a ip4.addr=$A4 ip6.addr=$A6
	mkjail b ip4.addr=$B4 ip6.addr=$B6
	for x in "a $A4" "a $A6" "b $B4" "b $B6"; do
		net_route_jail $x
	done
	net_route_from a $HOST4
	net_route_from a $HOST6
	net_serve h4 host udp $HOST4
	h4=$PORT
	net_serve h6 host udp $HOST6
	h6=$PORT
	net_serve bt4 b tcp $B4
	bt4=$PORT
	net_serve bt6 b tcp $B6
	bt6=$PORT
	# bind(): b's addresses and the host's are not a's.
	for x in "$B4 $HOST4 $h4" "$HOST4 $HOST4 $h4" "$B6 $HOST6 $h6" "$HOST6 $HOST6 $h6"; do
		set -- $x
		same "bind $1 fail EADDRNOTAVAIL" net_send a -s $1 udp $2 $3
	done
	# ip addr add: refused, or an address that carries nothing.
	hif=$(net_hostif a $A4)
	aif=$(net_jail_end a "$hif")
	[ -n "$aif" ] || atf_fail "a's end of its veth not found"
	for x in "$B4/32 $HOST4 $h4 4" "$B6/128 $HOST6 $h6 6"; do
		set -- $x
		if "$JEXEC" a ip addr add $1 dev "$aif" > add.out 2>&1; then
			echo "note: a could add $1 to $aif" >&2
			for p in udp tcp; do
				net_send a -w 2 -s ${1%/*} -m stolen$4 $p $2 $3 > /dev/null
			done
		fi
	done
	# The host still routes b's addresses to b, and b answers.
	net_route_jail b $B4
	net_route_jail b $B6
	net_ok host self -m host-b4 tcp $B4 $bt4
	net_ok host self -m host-b6 tcp $B6 $bt6
	logged_only h4 '^$'
	logged_only h6 '^$'
	# jail -c and jail -m with b's or the host's addresses.
	for x in "ip4.addr=$B4" "ip6.addr=$B6" "ip4.addr=$HOST4" "ip6.addr=$HOST6" \
	    "ip4.addr=$NET4.12,$B4"; do
		atf_check -s not-exit:0 -o ignore -e not-empty \
		    "$JAIL" -c name=c path="$ROOT" persist $x
		atf_check -s not-exit:0 -o ignore -e ignore "$JLS" -j c
		no_trace $NET4.12
	done
	for x in "ip4.addr=$B4" "ip6.addr=$B6" "ip4.addr=$HOST4" "ip6.addr=$HOST6"; do
		atf_check -s not-exit:0 -o ignore -e not-empty "$JAIL" -m name=a $x
	done
	atf_check -o inline:"$A4 $A6\n" "$JLS" -j a ip4.addr ip6.addr
	net_route_jail b $B4
	net_route_jail a $A4
	net_ok host self -m host-b4-again tcp $B4 $bt4
	atf_check -s exit:0 "$JAIL" -r a
	atf_check -s exit:0 "$JAIL" -r b
	net_check_clean "after the jails were removed"
}

jt_case spoofing "a jail with raw sockets cannot send from an address it was not given"
spoofing_body()
{
	net_init 10
	net_dummy
	A4=$NET4.10 A6=${NET6}:10 B4=$NET4.11 B6=${NET6}:11
	mkjail a ip4.addr=$A4 ip6.addr=$A6 allow.raw_sockets
	mkjail b ip4.addr=$B4 ip6.addr=$B6
	net_route_from a $HOST4
	net_route_from a $HOST6
	net_route_from a $B4
	net_serve h4 host udp $HOST4
	h4=$PORT
	net_serve h6 host udp $HOST6
	h6=$PORT
	net_serve b4 b udp $B4
	b4=$PORT
	# Control: a raw datagram from a's own address arrives.
	atf_check -o inline:"rawsend ok\n" "$JEXEC" a /bin/netprobe rawsend $A4 $HOST4 $h4 own4
	atf_check -o inline:"rawsend ok\n" "$JEXEC" a /bin/netprobe rawsend $A6 $HOST6 $h6 own6
	jt_wait 3 logged h4 "$A4 own4" || atf_fail "a's own raw IPv4 datagram was lost: $(net_log h4)"
	jt_wait 3 logged h6 "$A6 own6" || atf_fail "a's own raw IPv6 datagram was lost: $(net_log h6)"
	# Spoofed: b's address, nobody's, the host's.
	for s in $B4 $NET4.77 $HOST4 $NET4.1; do
		"$JEXEC" a /bin/netprobe rawsend $s $HOST4 $h4 spoof-$s > /dev/null 2>&1
	done
	for s in $B6 ${NET6}:77 $HOST6; do
		"$JEXEC" a /bin/netprobe rawsend $s $HOST6 $h6 spoof-$s > /dev/null 2>&1
	done
	# Towards b, as the host.
	"$JEXEC" a /bin/netprobe rawsend $HOST4 $B4 $b4 spoof-host > /dev/null 2>&1
	# IP_FREEBIND binds any address; what is sent from it goes nowhere.
	net_send a -w 1 -f -s $B4 -m freebind4 udp $HOST4 $h4 > /dev/null
	net_send a -w 1 -f -s $B6 -m freebind6 udp $HOST6 $h6 > /dev/null
	sleep 2
	logged_only h4 "^$A4 own4\$"
	logged_only h6 "^$A6 own6\$"
	same "" net_log b4
}

jt_case sniffing "a jail with raw sockets sees its own traffic, not another jail's"
sniffing_body()
{
	net_init 11
	A4=$NET4.10 A6=${NET6}:10 B4=$NET4.11 B6=${NET6}:11
	mkjail a ip4.addr=$A4 ip6.addr=$A6 allow.raw_sockets
	mkjail b ip4.addr=$B4 ip6.addr=$B6
	for x in "a $A4" "a $A6" "b $B4" "b $B6"; do
		net_route_jail $x
	done
	net_serve b4 b udp $B4
	b4=$PORT
	net_serve b6 b udp $B6
	b6=$PORT
	net_serve a4 a udp $A4
	a4=$PORT
	"$JEXEC" a /bin/netprobe sniff 5 SNIFF-B > sniff.b 2>&1 &
	jt_track $!
	"$JEXEC" a /bin/netprobe sniff 5 SNIFF-A > sniff.a 2>&1 &
	jt_track $!
	jt_wait 5 grep -q '^ready' sniff.b || atf_fail "no sniffer: $(cat sniff.b)"
	jt_wait 5 grep -q '^ready' sniff.a || atf_fail "no sniffer: $(cat sniff.a)"
	net_ok host self -m SNIFF-B4 udp $B4 $b4
	net_ok host self -m SNIFF-B6 udp $B6 $b6
	net_ok host self -m SNIFF-A4 udp $A4 $a4
	jt_wait 10 grep -q '^sniffed' sniff.b
	jt_wait 10 grep -q '^sniffed' sniff.a
	atf_check -o match:'^sniffed [1-9]' cat sniff.a
	atf_check -o inline:"ready\nsniffed 0\n" cat sniff.b
}

# ---------------------------------------------------------------------------
# jail -m

jt_case modify_addresses "jail -m ip4.addr/ip6.addr moves the jail, its routes and its source address to the new addresses"
modify_addresses_body()
{
	net_init 12
	net_dummy
	mkjail a ip4.addr=$NET4.10 ip6.addr=${NET6}:10
	mkjail b ip4.addr=$NET4.20 ip6.addr=${NET6}:20
	net_route_jail a $NET4.10
	net_route_jail a ${NET6}:10
	net_serve t4 a tcp 0.0.0.0
	t4=$PORT
	net_serve t6 a tcp ::
	t6=$PORT
	net_serve h4 host tcp $HOST4
	h4=$PORT
	net_ok host self tcp $NET4.10 $t4
	net_ok host self tcp ${NET6}:10 $t6
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -m name=a ip4.addr=$NET4.11 ip6.addr=${NET6}:11
	atf_check -o inline:"$NET4.11 ${NET6}:11\n" "$JLS" -j a ip4.addr ip6.addr
	jail_addrs a > addrs
	grep -q "^inet $NET4.11/" addrs && grep -q "^inet6 ${NET6}:11/" addrs ||
	    atf_fail "a lacks its new addresses: $(cat addrs)"
	grep -E "^inet6? ($NET4\\.10|${NET6}:10)/" addrs &&
	    atf_fail "a still has its old addresses"
	no_trace $NET4.10
	no_trace ${NET6}:10
	net_route_jail a $NET4.11
	net_route_jail a ${NET6}:11
	net_ok host self tcp $NET4.11 $t4
	net_ok host self tcp ${NET6}:11 $t6
	net_route_from a $HOST4
	net_ok a $NET4.11 tcp $HOST4 $h4
	# Several; then one of them again.
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=a ip4.addr=$NET4.11,$NET4.12
	net_route_jail a $NET4.11
	net_route_jail a $NET4.12
	net_ok host self tcp $NET4.12 $t4
	net_ok a $NET4.11 tcp $HOST4 $h4
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=a ip4.addr=$NET4.12
	no_trace $NET4.11
	net_ok a $NET4.12 tcp $HOST4 $h4
	# b's address is refused, and nothing changes.
	atf_check -s not-exit:0 -o ignore -e not-empty "$JAIL" -m name=a ip4.addr=$NET4.12,$NET4.20
	atf_check -o inline:"$NET4.12\n" "$JLS" -j a ip4.addr
	net_route_jail a $NET4.12
	net_route_jail b $NET4.20
	atf_check -s exit:0 "$JAIL" -r a
	atf_check -s exit:0 "$JAIL" -r b
	net_check_clean "after the jails were removed"
}

# ---------------------------------------------------------------------------
# interface=: the addresses published on a host interface

jt_case interface_proxy "interface= and ip4.addr=IF|ADDR publish the jail's addresses on IF (proxy ARP/NDP): the network reaches the jail"
interface_proxy_body()
{
	net_init 13
	net_mknet
	A4=$NET4.10 A6=${NET6}:10 B4=$NET4.11 B6=${NET6}:11 C4=$NET4.12
	mkjail a ip4.addr=$A4 ip6.addr=$A6 interface=$HIF
	atf_check -o match:"^$A4 " ip -4 neigh show proxy dev $HIF
	atf_check -o match:"^$A6 " ip -6 neigh show proxy dev $HIF
	# On HIF only.
	atf_check -o empty -x "ip neigh show proxy | grep -E '^($A4|$A6) ' | grep -v ' dev $HIF' || true"
	net_route_jail a $A4
	net_route_jail a $A6
	net_route_ns $NETNS $NIF $A4
	net_route_ns $NETNS $NIF $A6
	for p in tcp udp; do
		net_serve ${p}4 a $p $A4
		net_ok ns:$NETNS $NET4.100 $p $A4 $PORT
		net_serve ${p}6 a $p $A6
		net_ok ns:$NETNS ${NET6}:100 $p $A6 $PORT
	done
	# The host answered for the jail.
	atf_check -o match:"lladdr $(cat /sys/class/net/$HIF/address)" \
	    ip netns exec $NETNS ip neigh show $A4 dev $NIF
	# One address on one interface.
	mkjail b "ip4.addr=$HIF|$B4" "ip6.addr=$HIF|$B6"
	atf_check -o inline:"$B4 $B6\n" "$JLS" -j b ip4.addr ip6.addr
	atf_check -o match:"^$B4 " ip -4 neigh show proxy dev $HIF
	atf_check -o match:"^$B6 " ip -6 neigh show proxy dev $HIF
	net_route_jail b $B4
	net_route_ns $NETNS $NIF $B4
	net_serve bt4 b tcp $B4
	net_ok ns:$NETNS $NET4.100 tcp $B4 $PORT
	# An address on the network that is not published there is refused:
	# its host route would take the network's traffic to it into the jail.
	atf_check -s not-exit:0 -o empty \
	    -e match:"$C4 is on the network of host interface $HIF" \
	    "$JAIL" -c name=c path="$ROOT" persist ip4.addr=$C4
	atf_check -s not-exit:0 -o ignore -e ignore "$JLS" -j c
	no_trace $C4
	# jail -m: the entries follow the addresses.
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -m name=a ip4.addr=$NET4.13 ip6.addr=${NET6}:13
	atf_check -o match:"^$NET4.13 " ip -4 neigh show proxy dev $HIF
	atf_check -o match:"^${NET6}:13 " ip -6 neigh show proxy dev $HIF
	no_trace $A4
	no_trace $A6
	net_route_jail a $NET4.13
	net_route_ns $NETNS $NIF $NET4.13
	net_serve t13 a tcp $NET4.13
	net_ok ns:$NETNS $NET4.100 tcp $NET4.13 $PORT
	for j in a b; do
		atf_check -s exit:0 "$JAIL" -r $j
	done
	net_check_clean "after the jails were removed"
	# The test's own interface is as it was.
	atf_check -o match:"inet $NET4.1/24" ip -o addr show dev $HIF
	atf_check -o empty ip neigh show proxy dev $HIF
}

# ---------------------------------------------------------------------------
# vnet.interface

# Make vnet jail NAME with $VIF, check it moved in.
mkvnet()	# NAME
{
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=$1 path="$ROOT" vnet persist vnet.interface=$VIF
	atf_check -o inline:"new\n" "$JLS" -j $1 vnet
	ip link show dev $VIF > /dev/null 2>&1 && atf_fail "$VIF is still on the host"
	vnsi=$(ip netns exec $NETNS cat /sys/class/net/$VNIF/ifindex)
	atf_check -o inline:"$VIF $vnsi\n" -x "\"$JEXEC\" $1 ip -o link | awk '{ n = \$2; sub(/:\$/, \"\", n); p = 0; if (match(n, /@if[0-9]+\$/)) { p = substr(n, RSTART + 3); n = substr(n, 1, RSTART - 1) } print n, p }' | grep '^$VIF '"
}

jt_case vnet_interface "vnet.interface moves a host interface into the jail, which configures it, and back to the host on removal"
vnet_interface_body()
{
	net_init 14
	net_mkvnet
	mkvnet v
	atf_check -s exit:0 -o ignore -e empty "$JEXEC" v ip link set lo up
	atf_check -s exit:0 -o ignore -e empty "$JEXEC" v ip addr add $NET4.1/24 dev $VIF
	atf_check -s exit:0 -o ignore -e empty "$JEXEC" v ip link set $VIF up
	r=$("$JEXEC" v ip route get $NET4.100 2>&1)
	[ "$(echo "$r" | net_dev_of)" = $VIF ] ||
	    atf_skip "jail v does not route $NET4.100 out of $VIF ($r): sending nothing"
	net_serve nt ns:$NETNS tcp $NET4.100
	net_ok v $NET4.1 tcp $NET4.100 $PORT
	# The host does not see it, nor the jail the host's interfaces.
	atf_check -s not-exit:0 -o ignore -e ignore ip link show dev $VIF
	atf_check -o inline:"$(printf 'lo\n%s\n' $VIF | sort)\n" -x \
	    "\"$JEXEC\" v ip -o link | awk '{ print \$2 }' | sed 's/@.*//; s/:\$//' | sort"
	atf_check -s exit:0 "$JAIL" -r v
	jt_wait 10 net_vif_home $VIF $VNIF || atf_fail "$VIF did not come back to the host"
	net_check_clean "after the jail was removed"
	# Refused: an interface that does not exist, vnet.interface without
	# vnet, vnet with addresses; each leaves $VIF where it is.
	for x in "vnet vnet.interface=jtnone$$" "vnet.interface=$VIF" \
	    "vnet vnet.interface=$VIF ip4.addr=$NET4.10"; do
		atf_check -s not-exit:0 -o ignore -e not-empty \
		    "$JAIL" -c name=w path="$ROOT" persist $x
		net_vif_home $VIF $VNIF || atf_fail "$x: $VIF is not on the host"
		net_check_clean "after jail -c $x failed"
	done
	# Again, and a second jail cannot have it too.
	mkvnet v
	atf_check -s not-exit:0 -o ignore -e not-empty \
	    "$JAIL" -c name=w path="$ROOT" vnet persist vnet.interface=$VIF
	atf_check -s exit:0 "$JAIL" -r v
	jt_wait 10 net_vif_home $VIF $VNIF || atf_fail "$VIF did not come back to the host"
}

jt_case vnet_kill9 "after kill -9 of a vnet jail's prison its vnet.interface comes back to the host"
vnet_kill9_body()
{
	net_init 15
	net_mkvnet
	mkvnet v
	atf_check -s exit:0 -o ignore -e empty "$JEXEC" v ip addr add $NET4.1/24 dev $VIF
	"$JEXEC" v sleep 310015 > /dev/null 2>&1 &
	jt_track $!
	prison=$(jt_prison_of_registry)
	[ -n "$prison" ] || atf_fail "no prison found"
	kill -9 $prison
	jt_wait 10 sh -c "\"$JLS\" > /dev/null 2>&1; $(command -v ip) link show dev $VIF > /dev/null 2>&1" ||
	    atf_fail "$VIF did not come back to the host"
	net_vif_home $VIF $VNIF || atf_fail "$VIF came back without its peer"
	net_check_clean "after kill -9 of the prison"
	# It can be given to a jail again.
	mkvnet v
	atf_check -s exit:0 "$JAIL" -r v
	jt_wait 10 net_vif_home $VIF $VNIF || atf_fail "$VIF did not come back to the host"
}

# Delete interface IF once it is back on the host (cleanup: the test's
# jails are removed first).
net_reclaim()	# IF
{
	for _nr_j in $(timeout 20 "$JLS" jid 2>/dev/null); do
		timeout 20 "$JAIL" -R "$_nr_j"
	done
	jt_wait 5 ip link show dev "$1"
	ip link del "$1"
}

jt_case freebsd_vnet "FreeBSD's jail -c name=basejail vnet persist vnet.interface=epairA,epairB, then jls"
freebsd_vnet_body()
{
	net_init 16
	for i in epairA epairB; do
		ip link show dev $i > /dev/null 2>&1 &&
		    atf_skip "this host already has an interface $i"
	done
	net_do ip link add epairA type veth peer name epairB
	jt_on_cleanup "net_reclaim epairA"
	printf 'epairA\nepairB\n' >> "$JT_WORK/.net_own"
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=basejail vnet persist vnet.interface=epairA,epairB
	jid=$("$JLS" -j basejail jid)
	atf_check -s exit:0 -e empty \
	    -o match:'^   JID  IP Address      Hostname                      Path$' \
	    -o match:"^ +$jid .* /\$" "$JLS"
	atf_check -o inline:"basejail new /\n" "$JLS" -j basejail name vnet path
	for i in epairA epairB; do
		atf_check -s not-exit:0 -o ignore -e ignore ip link show dev $i
	done
	atf_check -o inline:"epairA\nepairB\nlo\n" -x \
	    "\"$JEXEC\" basejail ip -o link | awk '{ print \$2 }' | sed 's/@.*//; s/:\$//' | sort"
	atf_check -s exit:0 "$JAIL" -r basejail
	jt_wait 10 sh -c "ip link show dev epairA && ip link show dev epairB" > /dev/null 2>&1 ||
	    atf_fail "epairA, epairB did not come back to the host"
	atf_check -o match:'epairA@epairB' ip -o link show dev epairA
	net_check_clean "after the jail was removed"
}

# ---------------------------------------------------------------------------
# kill -9, failed creates, crash points

jt_case kill9_running "kill -9 of a running jail's prison leaves no veth, route, proxy entry or address"
kill9_running_body()
{
	net_init 17
	net_mknet
	mkjail k ip4.addr=$NET4.10 ip6.addr=${NET6}:10 interface=$HIF
	hostif=$(net_hostif k $NET4.10) || hostif=
	"$JEXEC" k sleep 310017 > /dev/null 2>&1 &
	jt_track $!
	prison=$(jt_prison_of_registry)
	[ -n "$prison" ] || atf_fail "no prison found"
	kill -9 $prison
	net_check_clean "after kill -9 of the prison"
	[ -z "$hostif" ] || ! ip link show dev "$hostif" > /dev/null 2>&1 ||
	    atf_fail "the jail's veth $hostif is left"
	# The name and the addresses are free.
	mkjail k ip4.addr=$NET4.10 ip6.addr=${NET6}:10 interface=$HIF
	atf_check -o match:"^$NET4.10 " ip -4 neigh show proxy dev $HIF
	atf_check -s exit:0 "$JAIL" -r k
	net_check_clean "after the jail was removed"
}

jt_case failed_create "a failed create leaves no veth, route, proxy entry or address"
failed_create_body()
{
	net_init 18
	net_mknet
	B4=$NET4.20
	# On the network, so published there (else refused).
	mkjail b ip4.addr=$B4 interface=$HIF
	for x in "ip4.addr=$NET4.10 ip6.addr=${NET6}:10 interface=jtnone$$" \
	    "ip4.addr=jtnone$$|$NET4.10" "ip4.addr=$NET4.10,$B4" \
	    "ip6.addr=${NET6}:10 ip4.addr=$NET4.10,$B4 interface=$HIF" \
	    "ip4.addr=$NET4.10 ip4=inherit"; do
		atf_check -s not-exit:0 -o ignore -e not-empty \
		    "$JAIL" -c name=f path="$ROOT" persist $x
		atf_check -s not-exit:0 -o ignore -e ignore "$JLS" -j f
		no_trace $NET4.10
		no_trace ${NET6}:10
	done
	atf_check -s exit:0 "$JAIL" -r b
	net_check_clean "after the jails were removed"
}

# The prison killed at STEP while creating a jail with addresses published
# on the test's network: jail -c fails, and nothing is left.
crash_create()	# STEP N
{
	net_need_step $1
	net_init $2
	net_mknet
	atf_check -s exit:1 -o ignore -e not-empty env JAIL_CRASH_AT=$1 \
	    timeout $BOUND "$JAIL" -c name=c path="$ROOT" persist \
	    ip4.addr=$NET4.10 ip6.addr=${NET6}:10 interface=$HIF
	net_check_clean "after a crash at $1"
	mkjail c ip4.addr=$NET4.10 ip6.addr=${NET6}:10 interface=$HIF
	atf_check -s exit:0 "$JAIL" -r c
	net_check_clean "after the jail made again was removed"
}

# The prison killed at STEP while removing: jail -r returns, nothing is left.
crash_remove()	# STEP N
{
	net_need_step $1
	net_init $2
	net_mknet
	atf_check -s exit:0 env JAIL_CRASH_AT=$1 \
	    "$JAIL" -c name=c path="$ROOT" persist \
	    ip4.addr=$NET4.10 ip6.addr=${NET6}:10 interface=$HIF
	hostif=$(net_hostif c $NET4.10) || hostif=
	"$JEXEC" c sleep 300 > /dev/null 2>&1 &
	jt_track $!
	sleep 0.2
	timeout $BOUND "$JAIL" -r c > /dev/null 2>&1
	[ $? -ne 124 ] || atf_fail "jail -r hung at $1"
	net_check_clean "after a crash at $1"
	[ -z "$hostif" ] || ! ip link show dev "$hostif" > /dev/null 2>&1 ||
	    atf_fail "the jail's veth $hostif is left"
}

# The prison killed at STEP while jail -m changes the addresses: the jail
# is gone, with everything of both its old and its new addresses.
crash_update()	# STEP N
{
	net_need_step $1
	net_init $2
	net_mknet
	atf_check -s exit:0 env JAIL_CRASH_AT=$1 \
	    "$JAIL" -c name=c path="$ROOT" persist \
	    ip4.addr=$NET4.10 ip6.addr=${NET6}:10 interface=$HIF
	timeout $BOUND "$JAIL" -m name=c ip4.addr=$NET4.11 ip6.addr=${NET6}:11 \
	    > /dev/null 2>&1
	[ $? -ne 124 ] || atf_fail "jail -m hung at $1"
	net_check_clean "after a crash at $1"
}

# The prison killed at STEP while creating a vnet jail: $VIF is back.
crash_vnet_create()	# STEP N
{
	net_need_step $1
	net_init $2
	net_mkvnet
	atf_check -s exit:1 -o ignore -e not-empty env JAIL_CRASH_AT=$1 \
	    timeout $BOUND "$JAIL" -c name=v path="$ROOT" vnet persist \
	    vnet.interface=$VIF
	jt_wait 10 sh -c "\"$JLS\" > /dev/null 2>&1; $(command -v ip) link show dev $VIF > /dev/null 2>&1" ||
	    atf_fail "after a crash at $1, $VIF did not come back to the host"
	net_vif_home $VIF $VNIF || atf_fail "$VIF came back without its peer"
	net_check_clean "after a crash at $1"
	mkvnet v
	atf_check -s exit:0 "$JAIL" -r v
	jt_wait 10 net_vif_home $VIF $VNIF || atf_fail "$VIF did not come back to the host"
}

# The prison killed at STEP while removing a vnet jail: $VIF is back.
crash_vnet_remove()	# STEP N
{
	net_need_step $1
	net_init $2
	net_mkvnet
	atf_check -s exit:0 env JAIL_CRASH_AT=$1 \
	    "$JAIL" -c name=v path="$ROOT" vnet persist vnet.interface=$VIF
	"$JEXEC" v sleep 300 > /dev/null 2>&1 &
	jt_track $!
	sleep 0.2
	timeout $BOUND "$JAIL" -r v > /dev/null 2>&1
	[ $? -ne 124 ] || atf_fail "jail -r hung at $1"
	jt_wait 10 sh -c "\"$JLS\" > /dev/null 2>&1; $(command -v ip) link show dev $VIF > /dev/null 2>&1" ||
	    atf_fail "after a crash at $1, $VIF did not come back to the host"
	net_vif_home $VIF $VNIF || atf_fail "$VIF came back without its peer"
	net_check_clean "after a crash at $1"
}

_n=30
for _set in "create:$NET_CREATE_STEPS" "remove:$NET_REMOVE_STEPS" \
    "update:$NET_UPDATE_STEPS" "vnet_create:$VNET_CREATE_STEPS" \
    "vnet_remove:$VNET_REMOVE_STEPS"; do
	_kind=${_set%%:*}
	for _step in ${_set#*:}; do
		_c=crash_${_kind}_$(echo "$_step" | tr - _)
		eval "jt_case $_c \"the prison killed at '$_step' ($_kind, with network) leaves nothing behind\"
		${_c}_body() { crash_$_kind $_step $_n; }"
		_n=$((_n + 1))
	done
done
