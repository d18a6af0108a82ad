#! /usr/bin/env atf-sh
#
# A jail as its own processes see it, and its processes as the host sees
# them.  Inside, FreeBSD's security.jail.* sysctls are read with
# jail-sysctl(8) and jail_sysctlbyname(3) (helpers/sysctlprobe): the
# jail's values come from the snapshot its prison publishes on /dev/jail,
# which jailed root cannot change and the host never reads.  From the
# host, jls -p and jail_pid_getid(3) name the jail a process is in.
# Spec: freebsd-jail.md section 3.1 (env, children.*, allow.*) and the
# security.jail.param.* type codes of section 3.

. "$(atf_get_srcdir)/common.subr"

# jt_init, with jail-sysctl and the probe in the jail's /bin.
self_init()
{
	jt_init
	JSYSCTL=$JT_TOP/build/sbin/jail-sysctl
	[ -x "$JSYSCTL" ] || atf_fail "$JSYSCTL is missing: run make"
	cp "$JSYSCTL" "$ROOT/bin/jail-sysctl"
	command -v cc > /dev/null 2>&1 || atf_skip "no C compiler"
	cc -static -O1 -I"$JT_TOP/include" -o "$ROOT/bin/sysctlprobe" \
	    "$(atf_get_srcdir)/helpers/sysctlprobe.c" \
	    "$JT_TOP/build/lib/libjail.a" > "$JT_WORK/cc.log" 2>&1 ||
	    atf_skip "cannot build sysctlprobe: $(head -c 300 "$JT_WORK/cc.log")"
	PROBE=$ROOT/bin/sysctlprobe
}

# in_jail JAIL NAME: jail-sysctl -n NAME inside JAIL must print the rest.
in_jail()
{
	_j=$1 _n=$2
	shift 2
	atf_check -s exit:0 -o inline:"$*\n" -e empty \
	    "$JEXEC" "$_j" jail-sysctl -n "$_n"
}

jt_case jailed_values "inside a jail: jailed, env, vnet, children.*, the legacy allow flags, enforce_statfs, kern.host*"
jailed_values_body()
{
	self_init
	mkjail v env="a=1" allow.raw_sockets children.max=3 \
	    host.hostname=v.example host.hostuuid=12345678-1234-1234-1234-123456789abc \
	    host.hostid=77 devfs_ruleset=4
	in_jail v security.jail.jailed 1
	in_jail v security.jail.env "a=1"
	in_jail v security.jail.vnet 0
	in_jail v security.jail.children.max 3
	in_jail v security.jail.children.cur 0
	in_jail v security.jail.allow_raw_sockets 1
	in_jail v security.jail.set_hostname_allowed 1
	in_jail v security.jail.socket_unixiproute_only 1
	in_jail v security.jail.sysvipc_allowed 0
	in_jail v security.jail.mount_allowed 0
	in_jail v security.jail.enforce_statfs 2
	in_jail v security.jail.devfs_ruleset 4
	in_jail v security.jail.jail_max_af_ips 255
	in_jail v kern.hostname v.example
	in_jail v kern.hostuuid 12345678-1234-1234-1234-123456789abc
	in_jail v kern.hostid 77
	# FreeBSD's output forms: name: value, -e, -N, -d, several names.
	atf_check -s exit:0 -o inline:"security.jail.jailed: 1\nsecurity.jail.children.max: 3\n" \
	    -e empty "$JEXEC" v jail-sysctl security.jail.jailed security.jail.children.max
	atf_check -s exit:0 -o inline:"security.jail.jailed=1\n" -e empty \
	    "$JEXEC" v jail-sysctl -e security.jail.jailed
	atf_check -s exit:0 -o inline:"security.jail.children.max\nsecurity.jail.children.cur\n" \
	    -e empty "$JEXEC" v jail-sysctl -N security.jail.children
	atf_check -s exit:0 -o match:"^security.jail.jailed: .*jail" -e empty \
	    "$JEXEC" v jail-sysctl -d security.jail.jailed
	# -a lists them all, and none twice.
	atf_check -s exit:0 -o save:all -e empty "$JEXEC" v jail-sysctl -a
	atf_check -o match:"^security.jail.env: a=1$" cat all
	atf_check -o match:"^security.jail.param.host.hostname: 256$" cat all
	atf_check -o empty sh -c "cut -d: -f1 all | sort | uniq -d"
	# The library gives the same, in sysctlbyname(3)'s binary forms.
	atf_check -s exit:0 -o inline:"1\n" -e empty "$JEXEC" v sysctlprobe int security.jail.jailed
	atf_check -s exit:0 -o inline:"3\n" -e empty "$JEXEC" v sysctlprobe int security.jail.children.max
	atf_check -s exit:0 -o inline:"a=1\n" -e empty "$JEXEC" v sysctlprobe str security.jail.env
	atf_check -s exit:0 -o inline:"77\n" -e empty "$JEXEC" v sysctlprobe ulong kern.hostid
	atf_check -s exit:0 -o inline:"ENOMEM\n" -e empty "$JEXEC" v sysctlprobe small security.jail.env
	atf_check -s exit:0 -o inline:"EPERM\n" -e empty "$JEXEC" v sysctlprobe set security.jail.jailed
	# An ordinary user of the jail reads the same.
	atf_check -s exit:0 -o inline:"a=1\n" -e empty \
	    "$JEXEC" -U jailuser v jail-sysctl -n security.jail.env
}

jt_case param_types "security.jail.param.*: each parameter's type, the same inside a jail and on the host"
param_types_body()
{
	self_init
	mkjail p
	for where in host jail; do
		if [ $where = host ]; then
			run=$JSYSCTL
		else
			run="$JEXEC p jail-sysctl"
		fi
		atf_check -s exit:0 -o inline:"security.jail.param.name: 256\n" \
		    -e empty $run security.jail.param.name
		atf_check -s exit:0 -o inline:"0\n" -e empty \
		    $run -n security.jail.param.allow.raw_sockets
		atf_check -s exit:0 -o inline:"1024\n" -e empty \
		    $run -n security.jail.param.path
		atf_check -s exit:0 -o inline:"4096\n" -e empty \
		    $run -n security.jail.param.env
		# A parameter that is also a node is its node's empty leaf.
		atf_check -s exit:0 -o inline:"security.jail.param.host.: 0\n" \
		    -e empty $run security.jail.param.host.
		atf_check -s exit:0 -o match:"^security.jail.param.allow.mount.: 0$" \
		    -e empty $run security.jail.param.allow.mount
		# Address lists are opaque: shown with -o, or when named.
		atf_check -s exit:0 -o not-match:"ip4.addr" -e empty \
		    $run security.jail.param.ip4
		atf_check -s exit:0 -o match:"Format:S,in_addr,a Length:8" \
		    -e empty $run -o security.jail.param.ip4
	done
	# Every parameter of jls's table is there.
	atf_check -s exit:0 -o save:names -e empty "$JSYSCTL" -N security.jail.param
	for p in jid name path host.hostname allow.set_hostname env meta \
	    children.max vnet ip6.addr; do
		atf_check -o match:"^security.jail.param.$p\.?$" cat names
	done
}

jt_case host_values "outside every jail: jailed is 0 and the rest are the host's defaults"
host_values_body()
{
	self_init
	mkjail h1 env=secret
	mkjail h2
	atf_check -s exit:0 -o inline:"0\n" -e empty "$JSYSCTL" -n security.jail.jailed
	atf_check -s exit:0 -o inline:"\n" -e empty "$JSYSCTL" -n security.jail.env
	atf_check -s exit:0 -o inline:"999999\n" -e empty "$JSYSCTL" -n security.jail.children.max
	atf_check -s exit:0 -o inline:"2\n" -e empty "$JSYSCTL" -n security.jail.children.cur
	atf_check -s exit:0 -o inline:"1\n" -e empty "$JSYSCTL" -n security.jail.set_hostname_allowed
	atf_check -s exit:0 -o inline:"2\n" -e empty "$JSYSCTL" -n security.jail.enforce_statfs
	atf_check -s exit:0 -o inline:"0\n" -e empty "$PROBE" int security.jail.jailed
}

jt_case bad_names "unknown names and writes fail as FreeBSD's sysctl(8): a message, exit status 1"
bad_names_body()
{
	self_init
	mkjail b
	atf_check -s exit:1 -o empty -e inline:"jail-sysctl: unknown oid 'security.jail.nosuch'\n" \
	    "$JEXEC" b jail-sysctl security.jail.nosuch
	atf_check -s exit:0 -o empty -e empty "$JEXEC" b jail-sysctl -i security.jail.nosuch
	atf_check -s exit:1 -o empty -e inline:"jail-sysctl: oid 'security.jail.env' is read only\n" \
	    "$JEXEC" b jail-sysctl security.jail.env=x
	atf_check -s exit:1 -o empty -e inline:"jail-sysctl: oid 'security.jail.jailed' is read only\n" \
	    "$JSYSCTL" security.jail.jailed=0
	atf_check -s exit:1 -o empty -e match:"^usage: jail-sysctl" "$JSYSCTL"
	atf_check -s exit:1 -o empty -e match:"^usage: jail-sysctl" "$JSYSCTL" -Z x
	atf_check -s exit:1 -o match:"^security.jail.nosuch: No such file" -e empty \
	    "$JEXEC" b sysctlprobe int security.jail.nosuch
}

jt_case update_seen "jail -m: the jail's processes read the new env and allow flags at once"
update_seen_body()
{
	self_init
	mkjail u env=old
	in_jail u security.jail.env old
	in_jail u security.jail.set_hostname_allowed 1
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=u env=new \
	    allow.noset_hostname allow.raw_sockets children.max=5
	in_jail u security.jail.env new
	in_jail u security.jail.set_hostname_allowed 0
	in_jail u security.jail.allow_raw_sockets 1
	in_jail u security.jail.children.max 5
	# env.KEY edits, a newline and a backslash round trip.
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=u 'env=x=1
y=a\b'
	atf_check -s exit:0 -o inline:"x=1\ny=a\\\\b\n" -e empty \
	    "$JEXEC" u jail-sysctl -n security.jail.env
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=u env.z=9
	atf_check -s exit:0 -o match:"^z=9$" -e empty \
	    "$JEXEC" u jail-sysctl -n security.jail.env
	# A refused change leaves the published values as they were.
	atf_check -s exit:1 -o empty -e not-empty "$JAIL" -m name=u env=never \
	    allow.quotas
	atf_check -s exit:0 -o match:"^z=9$" -e empty \
	    "$JEXEC" u jail-sysctl -n security.jail.env
}

jt_case forge "jailed root cannot change what the prison publishes, and what it fakes for itself the host never reads"
forge_body()
{
	self_init
	mkjail f env=real allow.mount allow.mount.tmpfs enforce_statfs=1
	atf_check -s exit:0 -o inline:"ro\n" -e empty "$JEXEC" f sh -c \
	    'awk "\$2 == \"/dev/jail\" { split(\$4, o, \",\"); print o[1] }" /proc/mounts'
	# The file and its mount: no write, no removal, no remount, no unmount.
	atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" f sh -c 'echo x > /dev/jail/sysctl'
	atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" f rm -f /dev/jail/sysctl
	atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" f touch /dev/jail/other
	atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" f mount -o remount,rw /dev/jail
	atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" f umount /dev/jail
	atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" f mv /dev/jail /dev/j2
	in_jail f security.jail.env real
	# With allow.mount it can cover /dev/jail with values of its own...
	atf_check -s exit:0 -o empty -e empty "$JEXEC" f sh -c \
	    'mount -t tmpfs none /dev/jail &&
	     printf "security.jail.env=forged\n" > /dev/jail/sysctl'
	in_jail f security.jail.env forged
	# ...which fools only the jail: the host reads the jail's real state,
	# and the prison keeps writing the real snapshot beneath.
	atf_check -s exit:0 -o inline:"env=real\n" -e empty "$JLS" -n -j f env
	atf_check -s exit:0 -o inline:"\n" -e empty "$JSYSCTL" -n security.jail.env
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=f env=later
	atf_check -s exit:0 -o inline:"env=later\n" -e empty "$JLS" -n -j f env
	atf_check -s exit:0 -o empty -e empty "$JEXEC" f umount /dev/jail
	in_jail f security.jail.env later
	# jailed comes from the user namespace, never from the file.
	atf_check -s exit:0 -o empty -e empty "$JEXEC" f sh -c \
	    'mount -t tmpfs none /dev/jail &&
	     printf "security.jail.jailed=0\n" > /dev/jail/sysctl'
	in_jail f security.jail.jailed 1
	atf_check -s exit:0 -o empty -e empty "$JEXEC" f umount /dev/jail
}

jt_case no_dev "a jail whose tree has no /dev: jailed is known, its values are not published"
no_dev_body()
{
	self_init
	rm -rf "$ROOT/dev"
	mkjail n env=x
	in_jail n security.jail.jailed 1
	atf_check -s exit:1 -o empty \
	    -e inline:"jail-sysctl: security.jail.env: this jail publishes no such value (its /dev has no /dev/jail)\n" \
	    "$JEXEC" n jail-sysctl security.jail.env
	atf_check -s exit:0 -o match:"^security.jail.jailed: 1$" \
	    -o not-match:"^security.jail.env" -e empty "$JEXEC" n jail-sysctl -a
}

# start JAIL ARG: a "sleep ARG" in JAIL; its host pid in $pid.
start()
{
	"$JEXEC" "$1" sleep "$2" < /dev/null > /dev/null 2>&1 &
	jt_track $!
	jt_wait 10 pgrep -f "^sleep $2\$" > /dev/null ||
	    atf_fail "sleep $2 did not start in $1"
	pid=$(pgrep -f "^sleep $2\$")
	jt_track "$pid"
}

jt_case pid_jail "from the host, jls -p and jail_pid_getid map processes of two jails to their jails, and a host process to none"
pid_jail_body()
{
	self_init
	mkjail one
	mkjail two
	start one 3100$$
	p1=$pid
	start two 3200$$
	p2=$pid
	atf_check -s exit:0 -o inline:"1\n" -e empty "$JLS" -p "$p1" jid
	atf_check -s exit:0 -o inline:"2 two\n" -e empty "$JLS" -p "$p2" jid name
	atf_check -s exit:0 -o inline:"1\n" -e empty "$PROBE" pid "$p1"
	atf_check -s exit:0 -o inline:"2\n" -e empty "$PROBE" pid "$p2"
	# A host process: no jail.
	atf_check -s exit:0 -o inline:"0\n" -e empty "$PROBE" pid $$
	atf_check -s exit:1 -o empty -e inline:"jls: process $$ is not in a jail\n" \
	    "$JLS" -p $$
	atf_check -s exit:1 -o empty -e empty "$JLS" -c -p $$
	# The prison runs in the host, not in its jail.
	prison=$("$JLS" -j one -n jid > /dev/null; jt_prison_of_registry | head -1)
	[ -n "$prison" ] && atf_check -s exit:0 -o inline:"0\n" -e empty \
	    "$PROBE" pid "$prison"
	# No such process; not a pid; -j with -p.
	kill "$p1"
	jt_wait 5 sh -c "! kill -0 $p1 2> /dev/null"
	atf_check -s exit:1 -o empty -e inline:"jls: process $p1 not found\n" \
	    "$JLS" -p "$p1"
	atf_check -s exit:1 -o empty -e inline:"jls: x: not a process id\n" "$JLS" -p x
	atf_check -s exit:1 -o empty -e match:"^jls: usage: jls" "$JLS" -j one -p "$p2"
	# A process the jail's shell left behind, reparented to the jail's
	# init, is still the jail's; so is the jail's init.
	"$JEXEC" one sh -c "sleep 3300$$ > /dev/null 2>&1 &"
	jt_wait 10 pgrep -f "^sleep 3300$$\$" > /dev/null || atf_fail "no orphan"
	orphan=$(pgrep -f "^sleep 3300$$\$")
	jt_track "$orphan"
	atf_check -s exit:0 -o inline:"1\n" -e empty "$JLS" -p "$orphan" jid
	# Inside a jail, a process of its own jail is in no jail it can see.
	atf_check -s exit:0 -o inline:"0\n" -e empty "$JEXEC" one sysctlprobe pid 1
	# Once the jail is gone, its processes are gone with it.
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r two
	atf_check -s exit:1 -o empty -e inline:"jls: process $p2 not found\n" \
	    "$JLS" -p "$p2"
}

jt_case pid_attached "a host process moved into a jail by jail_attach is that jail's"
pid_attached_body()
{
	self_init
	mkjail a
	"$PROBE" attach 1 > attach.out 2>&1 &
	ap=$!
	jt_track "$ap"
	jt_wait 10 grep -q attached attach.out || atf_fail "$(cat attach.out)"
	atf_check -s exit:0 -o inline:"1\n" -e empty "$PROBE" pid "$ap"
	atf_check -s exit:0 -o inline:"a\n" -e empty "$JLS" -p "$ap" name
	kill "$ap"
}
