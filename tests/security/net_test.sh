#! /usr/bin/env atf-sh
#
# Escapes through the network: host addresses, raw and packet sockets,
# host abstract UNIX sockets and loopback services, netlink, uevents,
# interface binding.  spec/escapes.md, "Network"; README says which items
# live elsewhere.
#
# Nothing here sends to a real network: jails get addresses in
# 203.0.113.0/24 (documentation), routed by the host into the jail's veth
# pair, the host side uses its loopback only, and nothing is sent from
# inside a jail to anything but the jail's own address and the host.

. "$(atf_get_srcdir)/security.subr"

JAIL_ADDR=203.0.113.10

# The host's first global IPv4 address, or nothing.
host_addr()
{
	ip -4 -o addr show scope global 2>/dev/null |
	    awk '{ sub(/\/.*/, "", $4); print $4; exit }'
}

# The interface of the host's default route (or any but lo).
host_if()
{
	_hi=$(ip route show default 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
	[ -n "$_hi" ] || _hi=$(ls /sys/class/net | grep -v '^lo$' | head -1)
	echo "$_hi"
}

jt_case bind_host_address "an ip4.addr jail cannot bind a host address; what it sends to the host comes from its own"
bind_host_address_body()
{
	esc_init
	addr=$(host_addr)
	[ -n "$addr" ] || atf_skip "the host has no global IPv4 address"
	mkjail n ip4.addr=$JAIL_ADDR
	# The host is reached through the jail's gateway, from the jail's address.
	atf_check -s exit:0 -e empty -o match:"dev eth0 .*src $JAIL_ADDR" \
	    "$JEXEC" n ip route get "$addr"
	atf_check -s exit:0 -e empty -o inline:"bind $addr:0 fail EADDRNOTAVAIL\n" \
	    "$JEXEC" n /bin/esc bind "$addr" 0
	atf_check -s exit:0 -e empty -o inline:"bind $JAIL_ADDR:0 ok\n" \
	    "$JEXEC" n /bin/esc bind $JAIL_ADDR 0
	atf_check -s exit:0 -e empty \
	    -o inline:"transparent fail EPERM\nbind $addr:0 fail EADDRNOTAVAIL\n" \
	    "$JEXEC" n /bin/esc bind "$addr" 0 transparent
	# IP_FREEBIND binds any address, but the host end of the jail's veth
	# drops every packet whose source is not the jail's
	# (integration/network_test.sh:spoofing).
	atf_check -s exit:0 -e empty -o inline:"freebind ok\nbind $addr:0 ok\n" \
	    "$JEXEC" n /bin/esc bind "$addr" 0 freebind
	# A wildcard listener in the jail is the jail's only.
	"$JEXEC" n /bin/esc listen 0.0.0.0 0 /tmp/accepted > jlisten 2>&1 &
	jt_track $!
	jt_wait 5 grep -q '^ready' jlisten || atf_fail "no listener: $(cat jlisten)"
	port=$(sed -n 's/^ready //p' jlisten)
	if ! ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
		atf_check -s exit:0 -e empty \
		    -o inline:"connect 127.0.0.1:$port fail ECONNREFUSED\n" \
		    "$ESC" connect 127.0.0.1 "$port"
	fi
	atf_check -s exit:0 -e empty -o inline:"connect $JAIL_ADDR:$port ok\n" \
	    "$JEXEC" n /bin/esc connect $JAIL_ADDR "$port"
	atf_check -s exit:0 -o inline:"1\n" -e empty "$JEXEC" n sh -c 'wc -l < /tmp/accepted'
}

jt_case raw_sockets "SOCK_RAW, SOCK_PACKET and AF_PACKET need allow.raw_sockets; AF_PACKET never"
raw_sockets_body()
{
	esc_init
	# Control: all of them work for host root.
	for s in "2 3 1" "17 3 0" "2 10 768"; do
		atf_check -s exit:0 -o match:' ok$' -e empty "$ESC" socket $s
	done
	mkjail n ip4.addr=$JAIL_ADDR
	atf_check -s exit:0 -e empty -o inline:"socket 2 3 1 fail EPERM\n" \
	    "$JEXEC" n /bin/esc socket 2 3 1
	atf_check -s exit:0 -e empty -o inline:"socket 10 3 58 fail EPERM\n" \
	    "$JEXEC" n /bin/esc socket 10 3 58
	atf_check -s exit:0 -e empty -o inline:"socket 17 3 0 fail EAFNOSUPPORT\n" \
	    "$JEXEC" n /bin/esc socket 17 3 0
	atf_check -s exit:0 -e empty -o inline:"socket 17 2 0 fail EAFNOSUPPORT\n" \
	    "$JEXEC" n /bin/esc socket 17 2 0
	# SOCK_PACKET in AF_INET is a packet socket under another name.
	atf_check -s exit:0 -e empty -o match:"^socket 2 10 768 fail (EPERM|EPROTONOSUPPORT)$" \
	    "$JEXEC" n /bin/esc socket 2 10 768
	# With allow.raw_sockets: raw IP sockets, on the jail's own loopback,
	# which is all there is to spoof on.
	mkjail r ip4.addr=203.0.113.11 allow.raw_sockets
	atf_check -s exit:0 -e empty -o inline:"socket 2 3 1 ok\n" \
	    "$JEXEC" r /bin/esc socket 2 3 1
	atf_check -s exit:0 -e empty -o inline:"socket 17 3 0 fail EAFNOSUPPORT\n" \
	    "$JEXEC" r /bin/esc socket 17 3 0
	atf_check -s exit:0 -e empty -o inline:"eth0\nlo\n" "$JEXEC" r ls /sys/class/net
}

jt_case abstract_unix "host abstract UNIX sockets are out of reach, with and without the host's network"
abstract_unix_body()
{
	esc_init
	name="esc-$$-$(date +%N)"
	esc_bg listen "$ESC" abstract-listen "$name" "$JT_WORK/accepted"
	atf_check -s exit:0 -o inline:"abstract-connect ok\n" -e empty \
	    "$ESC" abstract-connect "$name"
	mkjail d
	mkjail n ip4.addr=$JAIL_ADDR
	for j in d n; do
		atf_check -s exit:0 -e empty -o inline:"abstract-connect fail ECONNREFUSED\n" \
		    "$JEXEC" $j /bin/esc abstract-connect "$name"
	done
	# ip4=inherit shares the host's network namespace, and with it the
	# abstract names: Landlock's scope (ABI 6) keeps the jail out.
	if [ "$("$ESC" landlock-abi)" -ge 6 ]; then
		mkjail i ip4=inherit
		atf_check -s exit:0 -e empty -o inline:"abstract-connect fail EPERM\n" \
		    "$JEXEC" i /bin/esc abstract-connect "$name"
	fi
	jt_wait 2 test -s "$JT_WORK/accepted"
	atf_check -o inline:"accepted\n" cat "$JT_WORK/accepted"
}

jt_case host_loopback "services on the host's 127.0.0.1 are unreachable from a jail with its own network"
host_loopback_body()
{
	esc_init
	esc_bg listen "$ESC" listen 127.0.0.1 0 "$JT_WORK/accepted"
	port=$(sed -n 's/^ready //p' listen)
	atf_check -s exit:0 -o inline:"connect 127.0.0.1:$port ok\n" -e empty \
	    "$ESC" connect 127.0.0.1 "$port"
	mkjail d
	mkjail n ip4.addr=$JAIL_ADDR
	for j in d n; do
		atf_check -s exit:0 -e empty \
		    -o inline:"connect 127.0.0.1:$port fail ECONNREFUSED\n" \
		    "$JEXEC" $j /bin/esc connect 127.0.0.1 "$port"
	done
	jt_wait 2 test -s "$JT_WORK/accepted"
	atf_check -o inline:"accepted\n" cat "$JT_WORK/accepted"
}

jt_case netlink_changes "netlink address, route, link and nftables changes are refused; the host is unchanged"
netlink_changes_body()
{
	esc_init
	# Were a change let through in the host's namespace (ip4=inherit).
	jt_on_cleanup "ip addr del 203.0.113.99/32 dev lo"
	jt_on_cleanup "ip route del 203.0.113.128/25"
	jt_on_cleanup "ip link del jtesc0"
	mkjail d
	mkjail n ip4.addr=$JAIL_ADDR
	mkjail i ip4=inherit
	before=$(ip -o addr; ip route; ip -o link | awk '{ print $2 }')
	for j in d n i; do
		atf_check -s exit:0 -o save:rtnl.$j -e empty "$JEXEC" $j /bin/esc rtnl
		esc_refused rtnl.$j 4 EPERM
		atf_check -s exit:0 -o save:nft.$j -e empty "$JEXEC" $j /bin/esc nft
		esc_refused nft.$j 1 EPERM EPROTONOSUPPORT
	done
	after=$(ip -o addr; ip route; ip -o link | awk '{ print $2 }')
	[ "$before" = "$after" ] || atf_fail "the host's network changed"
	atf_check -s exit:0 -o not-match:'203\.0\.113\.99' -e empty \
	    "$JEXEC" n ip -o addr
}

jt_case netlink_audit "the audit netlink socket refuses jails"
netlink_audit_body()
{
	esc_init
	mkjail d
	mkjail i ip4=inherit
	for j in d i; do
		atf_check -s exit:0 -o save:audit.$j -e empty "$JEXEC" $j /bin/esc audit
		esc_refused audit.$j 2 ECONNREFUSED EPERM EPROTONOSUPPORT EAFNOSUPPORT
	done
}

jt_case uevents "no jail receives host uevents, not even one sharing the host's network"
uevents_body()
{
	esc_init
	trigger=/sys/devices/virtual/mem/null/uevent
	[ -w "$trigger" ] || atf_skip "no $trigger to trigger a uevent with"
	mkjail d
	mkjail n ip4.addr=$JAIL_ADDR
	mkjail i ip4=inherit
	esc_bg host "$ESC" uevent 2
	# The socket filter refuses NETLINK_KOBJECT_UEVENT to every jail;
	# with allow.socket_af a jail of its own network still hears none.
	for j in d n i; do
		atf_check -s exit:0 -o inline:"uevent-socket fail EPROTONOSUPPORT\n" \
		    -e ignore "$JEXEC" $j /bin/esc uevent 2
	done
	mkjail a allow.socket_af
	"$JEXEC" a /bin/esc uevent 2 > jail.a 2>&1 &
	jt_track $!
	jt_wait 5 grep -q '^ready' jail.a || atf_fail "no listener in a: $(cat jail.a)"
	# "change" on /dev/null: udev, if running, re-applies its rules.
	echo change > "$trigger"
	jt_wait 5 grep -q '^uevents' host
	jt_wait 5 grep -q '^uevents' jail.a
	atf_check -o match:"^uevents [1-9][0-9]*$" sed -n 2p host
	atf_check -o inline:"uevents 0\n" sed -n 2p jail.a
}

jt_case bindtodevice "SO_BINDTODEVICE to a host interface name fails with ENODEV"
bindtodevice_body()
{
	esc_init
	mkjail n ip4.addr=$JAIL_ADDR
	mkjail d
	# The host end of n's veth: a host interface no jail has.
	hif=$(ip route get $JAIL_ADDR | sed -n 's/.* dev \([^ ]*\).*/\1/p')
	[ -n "$hif" ] || atf_fail "no host end for $JAIL_ADDR"
	for j in n d; do
		atf_check -s exit:0 -e empty \
		    -o inline:"bindtodevice $hif fail ENODEV\nbindtodevice lo ok\n" \
		    "$JEXEC" $j /bin/esc bindtodevice "$hif" lo
	done
}

jt_case bridge_spoofing "ARP and ND spoofing from a jail with raw sockets reaches no one"
bridge_spoofing_body()
{
	atf_skip "a jail's link is a veth of its own with only the host end on it, AF_PACKET is refused, and the host end drops ARP and IP whose sender is not the jail's address: see integration/network_test.sh:spoofing"
}
