#! /usr/bin/env atf-sh
#
# What a process inside a jail sees and may do, entered through jexec(8)
# and through jail(8)'s command=: host name, processes, /proc, /sys, /dev,
# network, credentials and privileges, file descriptors, cgroup, SysV IPC,
# users.  Spec: DESIGN.md section 4, freebsd-jail.md sections 3 and 6.2,
# escapes.md (the checklist items that are about the default jail).
#
# Network tests use only loopback and documentation addresses
# (203.0.113.0/24, 198.51.100.0/24) inside the jail's own namespace.

. "$(atf_get_srcdir)/common.subr"

# Capability numbers (linux/capability.h).
CAP_NET_ADMIN=12
CAP_SYS_MODULE=16
CAP_SYS_RAWIO=17
CAP_SYS_BOOT=22
CAP_SYS_NICE=23
CAP_SYS_TIME=25
CAP_MKNOD=27

# Check a saved /proc/self/status of a jailed process.
# With a private uid range (the default) set-user-id programs work, so
# no_new_privs is off; with idmap=identity it is on (NNP=1).
check_status()	# FILE WHAT
{
	_f=$1
	_w=$2
	_v() { awk -v k="$1:" '$1 == k { print $2 }' "$_f"; }
	[ "$(_v NoNewPrivs)" = "${NNP:-0}" ] ||
	    atf_fail "$_w: NoNewPrivs is '$(_v NoNewPrivs)', not ${NNP:-0}"
	[ "$(_v Seccomp)" = 2 ] || atf_fail "$_w: Seccomp is '$(_v Seccomp)'"
	[ "$(_v CapInh)" = 0000000000000000 ] || atf_fail "$_w: CapInh is $(_v CapInh)"
	[ "$(_v CapAmb)" = 0000000000000000 ] || atf_fail "$_w: CapAmb is $(_v CapAmb)"
	_bnd=$(_v CapBnd)
	[ -n "$_bnd" ] || atf_fail "$_w: no CapBnd"
	for _c in CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_BOOT CAP_SYS_NICE \
	    CAP_SYS_TIME CAP_NET_ADMIN CAP_MKNOD; do
		eval _n=\$$_c
		[ $(( (0x$_bnd >> _n) & 1 )) -eq 0 ] ||
		    atf_fail "$_w: $_c is in the bounding set ($_bnd)"
	done
}

# Run by "sh -c": lists the fds of that shell, which opens none of its own
# (ls is a child writing to the same stdout, its directory fd is its own;
# the final ":" keeps the shell from exec'ing ls in its place).
LSFD='ls -l /proc/$$/fd; :'

# Check a saved LSFD output: fds 0, 1 and 2, nothing else.
check_fds()	# FILE WHAT
{
	awk '{ for (i = 1; i <= NF; i++) if ($i == "->") print $(i - 1), $(i + 1) }' \
	    "$1" > "$1.fds"
	[ -s "$1.fds" ] || atf_fail "$2: no fds listed: $(cat "$1")"
	while read -r _fd _target; do
		case $_fd in
		0|1|2) ;;
		*) atf_fail "$2: fd $_fd -> $_target leaked into the jail" ;;
		esac
	done < "$1.fds"
	for _fd in 0 1 2; do
		grep -q "^$_fd " "$1.fds" || atf_fail "$2: fd $_fd is not open"
	done
}

# ---------------------------------------------------------------------------
# UTS

jt_case hostname "the jail has its own host name"
hostname_body()
{
	jt_init
	before=$(hostname)
	mkjail h host.hostname=jail.example
	atf_check -o inline:"jail.example\n" "$JEXEC" h hostname
	atf_check -o inline:"jail.example\n" "$JEXEC" h cat /proc/sys/kernel/hostname
	[ "$(hostname)" = "$before" ] || atf_fail "the host's name changed"
}

jt_case domainname "host.domainname is the jail's NIS domain name"
domainname_body()
{
	jt_init
	before=$(cat /proc/sys/kernel/domainname)
	mkjail d host.domainname=nis.example
	atf_check -o inline:"nis.example\n" "$JEXEC" d cat /proc/sys/kernel/domainname
	[ "$(cat /proc/sys/kernel/domainname)" = "$before" ] ||
	    atf_fail "the host's domain name changed"
}

jt_case set_hostname "with allow.set_hostname (the default) jail root may set the jail's name only"
set_hostname_body()
{
	jt_init
	before=$(hostname)
	mkjail s host.hostname=old.example allow.set_hostname
	atf_check -s exit:0 -o empty -e empty "$JEXEC" s hostname new.example
	atf_check -o inline:"new.example\n" "$JEXEC" s hostname
	[ "$(hostname)" = "$before" ] || atf_fail "the host's name changed"
}

jt_case set_hostname_reported "a host name set inside the jail is its host.hostname"
set_hostname_reported_body()
{
	jt_init
	mkjail s host.hostname=old.example
	atf_check -s exit:0 -o empty -e empty "$JEXEC" s hostname inside.example
	atf_check -o inline:"inside.example\n" "$JLS" -j s host.hostname
}

jt_case noset_hostname "with allow.noset_hostname jail root cannot set the host name"
noset_hostname_body()
{
	jt_init
	mkjail n host.hostname=fixed.example allow.noset_hostname
	atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" n hostname other.example
	atf_check -o inline:"fixed.example\n" "$JEXEC" n hostname
	atf_check -o inline:"fixed.example\n" "$JLS" -j n host.hostname
	# Taken from a running jail, the right is gone at once.
	mkjail r host.hostname=r.example
	atf_check -s exit:0 -o empty -e empty "$JEXEC" r hostname changed.example
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=r allow.noset_hostname
	atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" r hostname again.example
	atf_check -o inline:"changed.example\n" "$JEXEC" r hostname
}

# ---------------------------------------------------------------------------
# Processes and /proc

jt_case pid_namespace "the jail sees only its own processes; its init is pid 1"
pid_namespace_body()
{
	jt_init
	mkjail p
	sleep 310010 &
	jt_track $!
	hostpid=$!
	atf_check -s exit:0 -o save:ps -e empty "$JEXEC" p ps -o pid,args
	grep -q 'sleep 310010' ps && atf_fail "a host process is visible: $(cat ps)"
	n=$(($(wc -l < ps) - 1))
	[ $n -ge 2 ] && [ $n -le 4 ] || atf_fail "$n processes in a fresh jail: $(cat ps)"
	atf_check -o match:'^ *1 ' cat ps
	atf_check -o inline:"1\n" "$JEXEC" p sh -c 'cut -d" " -f1 /proc/1/stat'
	atf_check -o inline:"init\n" "$JEXEC" p cat /proc/1/comm
	atf_check -o inline:"0\n" "$JEXEC" p sh -c \
	    "ls -d /proc/$hostpid 2>/dev/null | wc -l"
	n=$("$JEXEC" p sh -c 'ls -d /proc/[0-9]* | wc -l')
	[ "$n" -le 4 ] || atf_fail "$n pids in the jail's /proc"
}

jt_case proc_masked "sensitive /proc and /sys paths are empty or unreadable"
proc_masked_body()
{
	jt_init
	mkjail m
	cat > "$ROOT/probe" <<'EOF'
for f in /proc/kcore /proc/keys /proc/key-users /proc/config.gz \
    /proc/timer_list /proc/sched_debug /proc/latency_stats /proc/timer_stats \
    /proc/kmsg /proc/sysrq-trigger /sys/kernel/vmcoreinfo; do
	[ -e $f ] || continue
	n=$(timeout 2 head -c 16 $f 2>/dev/null | wc -c)
	[ "$n" -eq 0 ] || echo "readable: $f"
done
for d in /proc/acpi /proc/asound /proc/scsi /sys/firmware /sys/kernel/debug \
    /sys/devices/virtual/powercap; do
	[ -d $d ] || continue
	n=$(ls -A $d 2>/dev/null | wc -l)
	[ "$n" -eq 0 ] || echo "listable: $d"
done
head -n 100 /proc/kallsyms 2>/dev/null |
    awk '$1 !~ /^0+$/ { print "kallsyms address: " $1; exit }'
exit 0
EOF
	atf_check -s exit:0 -o empty -e empty "$JEXEC" m sh /probe
	# The probe would see these: the host has them.
	for f in /proc/key-users /proc/config.gz /sys/kernel/vmcoreinfo; do
		[ -e $f ] || continue
		[ "$(head -c 16 $f | wc -c)" -gt 0 ] || atf_fail "host $f is empty"
	done
}

jt_case proc_sys_readonly "/proc/sys is read-only inside the jail"
proc_sys_readonly_body()
{
	jt_init
	mkjail r host.hostname=ro.example
	# Namespaced files jail root could otherwise write: only the
	# read-only mount stops these.
	atf_check -s not-exit:0 -o empty -e match:'Read-only file system' \
	    "$JEXEC" r sh -c 'echo x.example > /proc/sys/kernel/hostname'
	atf_check -s not-exit:0 -o empty -e match:'Read-only file system' \
	    "$JEXEC" r sh -c 'echo 0 > /proc/sys/net/ipv4/ip_forward'
	atf_check -o inline:"ro.example\n" "$JEXEC" r hostname
	# Global ones: written with their current value, so that nothing
	# changes even if the write were let through.
	cp=$(cat /proc/sys/kernel/core_pattern)
	atf_check -s not-exit:0 -o empty -e ignore \
	    "$JEXEC" r sh -c "echo '$cp' > /proc/sys/kernel/core_pattern"
	mp=$(cat /proc/sys/kernel/modprobe)
	atf_check -s not-exit:0 -o empty -e ignore \
	    "$JEXEC" r sh -c "echo '$mp' > /proc/sys/kernel/modprobe"
}

jt_case sys_readonly "/sys is read-only inside the jail"
sys_readonly_body()
{
	jt_init
	mkjail r
	atf_check -s not-exit:0 -o empty -e match:'Read-only file system' \
	    "$JEXEC" r mkdir /sys/jt_probe
	atf_check -s not-exit:0 -o empty -e match:'Read-only file system' \
	    "$JEXEC" r sh -c 'echo 65536 > /sys/class/net/lo/mtu'
	if [ -e /sys/kernel/uevent_helper ]; then
		uh=$(cat /sys/kernel/uevent_helper)
		atf_check -s not-exit:0 -o empty -e ignore \
		    "$JEXEC" r sh -c "echo '$uh' > /sys/kernel/uevent_helper"
	fi
}

# ---------------------------------------------------------------------------
# /dev

jt_case dev_safe_set "/dev holds only the safe device nodes"
dev_safe_set_body()
{
	jt_init
	mkjail d
	atf_check -s exit:0 -o empty -e empty "$JEXEC" d find /dev -type b
	atf_check -s exit:0 -o save:chr -e empty "$JEXEC" d sh -c \
	    'find /dev -type c | while read f; do echo "$(stat -c %t:%T $f) $f"; done'
	# null zero full random urandom tty ptmx, and pty slaves (136 = 0x88).
	while read -r dev path; do
		case $dev in
		1:3|1:5|1:7|1:8|1:9|5:0|5:2|88:*) ;;
		*) atf_fail "unexpected device $path ($dev) in the jail's /dev" ;;
		esac
	done < chr
	for n in null zero full random urandom tty; do
		atf_check -s exit:0 -o ignore -e empty "$JEXEC" d test -c /dev/$n
	done
	atf_check -s exit:0 -o ignore -e empty "$JEXEC" d test -e /dev/ptmx
	atf_check -o inline:"4\n" "$JEXEC" d sh -c 'head -c 4 /dev/zero | wc -c'
	atf_check -o inline:"16\n" "$JEXEC" d sh -c 'head -c 16 /dev/urandom | wc -c'
	atf_check -s exit:0 -o empty -e empty "$JEXEC" d sh -c 'echo x > /dev/null'
	# Nothing else either: the whole listing.
	atf_check -o inline:"fd full jail mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero\n" \
	    "$JEXEC" d sh -c 'echo $(ls /dev)'
	for n in mem kmem port kmsg sda vda console; do
		[ "$n" = console ] && continue	# may be the jail's own pty
		atf_check -s exit:1 -o empty -e empty "$JEXEC" d test -e /dev/$n
	done
}

jt_case dev_shm "/dev/shm is a tmpfs of the jail's own, larger than /dev, its files the jail's"
dev_shm_body()
{
	jt_init
	mkjail s
	host=$(stat -c %d /dev/shm)
	[ "$("$JEXEC" s stat -c %d /dev/shm)" != "$host" ] ||
	    atf_fail "the jail shares the host's /dev/shm"
	[ "$("$JEXEC" s stat -c %d /dev/shm)" != "$("$JEXEC" s stat -c %d /dev)" ] ||
	    atf_fail "/dev/shm is part of /dev's 1 MB tmpfs"
	# 4 MB: more than /dev's whole tmpfs; owned by the jail's root.
	atf_check -o inline:"4194304 0 0\n" "$JEXEC" s sh -c \
	    'head -c 4194304 /dev/zero > /dev/shm/x && stat -c "%s %u %g" /dev/shm/x'
	atf_check -o inline:"1777\n" "$JEXEC" s stat -c %a /dev/shm
}

jt_case devpts_private "the jail has a devpts instance of its own"
devpts_private_body()
{
	jt_init
	mkjail p
	host=$(stat -c %d /dev/pts)
	jail=$("$JEXEC" p stat -c %d /dev/pts)
	[ -n "$jail" ] || atf_fail "no /dev/pts in the jail"
	[ "$host" != "$jail" ] || atf_fail "the jail shares the host's devpts"
	cat > "$ROOT/probe" <<'EOF'
awk '$5 == "/dev/pts" { for (i = 7; i <= NF; i++) if ($i == "-") print $(i + 1) }' \
    /proc/self/mountinfo
EOF
	atf_check -o inline:"devpts\n" "$JEXEC" p sh /probe
}

# ---------------------------------------------------------------------------
# Network

jt_case net_loopback_only "a default jail has its own network with loopback only"
net_loopback_only_body()
{
	jt_init
	mkjail n
	atf_check -o inline:"lo\n" -x "\"$JEXEC\" n cat /proc/net/dev |
	    awk -F: 'NR > 2 { gsub(/ /, \"\", \$1); print \$1 }'"
	atf_check -o inline:"lo\n" -x "\"$JEXEC\" n ip link |
	    awk -F': ' '/^[0-9]+: / { sub(/@.*/, \"\", \$2); print \$2 }'"
	host=$(stat -L -c %i /proc/self/ns/net)
	jail=$("$JEXEC" n stat -L -c %i /proc/self/ns/net)
	[ "$host" != "$jail" ] || atf_fail "the jail shares the host's network"
}

jt_case net_ip4_addr "ip4.addr appears on the jail's eth0 (not its loopback), and on the host only as a route to the jail"
net_ip4_addr_body()
{
	jt_init
	mkjail a ip4.addr=203.0.113.10
	atf_check -o match:'inet 203\.0\.113\.10/32 ' "$JEXEC" a ip -4 addr show dev eth0
	atf_check -o not-match:'203\.0\.113\.10' "$JEXEC" a ip -4 addr show dev lo
	atf_check -s exit:0 -o save:addrs -e empty "$JEXEC" a ip -4 addr
	awk '$1 == "inet" { sub(/\/.*/, "", $2); print $2 }' addrs | while read -r a; do
		case $a in
		127.0.0.1|203.0.113.10) ;;
		*) atf_fail "unexpected address $a in the jail" ;;
		esac
	done
	ip -4 addr | grep -q '203\.0\.113\.10/' && atf_fail "the jail's address is on the host"
	# The host routes it to the jail's host end (jp<prison pid> here).
	atf_check -o match:'^203\.0\.113\.10 dev jp[0-9]+ ' ip route get 203.0.113.10
	atf_check -o inline:"203.0.113.10\n" "$JLS" -j a ip4.addr
	atf_check -o inline:"ip4=new\n" "$JLS" -n -j a ip4
	# The jail serves and reaches its own address.  (Until the listener
	# is up, a connection is refused: try again.  Its stdin is a fifo the
	# shell holds open: busybox's nc -l quits at its stdin's end, which
	# may come before the data.)
	atf_check -o inline:"ping\n" "$JEXEC" a sh -c \
	    'mkfifo /tmp/in; exec 3<>/tmp/in
	     nc -l -p 7000 < /tmp/in > /tmp/got & for i in 1 2 3 4 5 6 7 8 9 10; do
	        echo ping | nc -w 1 203.0.113.10 7000 2>/dev/null && break
	        sleep 0.2; done
	     wait; cat /tmp/got'
}

jt_case net_ip4_multi "several ip4.addr, the first one primary"
net_ip4_multi_body()
{
	jt_init
	mkjail m ip4.addr=203.0.113.20,198.51.100.5
	atf_check -o inline:"ip4.addr=203.0.113.20,198.51.100.5\n" "$JLS" -n -j m ip4.addr
	atf_check -s exit:0 -o save:addrs -e empty "$JEXEC" m ip -4 addr show dev eth0
	atf_check -o match:'inet 203\.0\.113\.20/32 ' -o match:'inet 198\.51\.100\.5/32 ' \
	    cat addrs
	atf_check -o not-match:'203\.0\.113|198\.51\.100' "$JEXEC" m ip -4 addr show dev lo
}

jt_case net_ip6_addr "ip6.addr appears on the jail's eth0 (not its loopback), not on the host"
net_ip6_addr_body()
{
	[ -e /proc/net/if_inet6 ] || atf_skip "no IPv6 in this kernel"
	jt_init
	mkjail a ip6.addr=2001:db8::10
	atf_check -o inline:"2001:db8::10\n" "$JLS" -j a ip6.addr
	atf_check -o inline:"ip6=new\n" "$JLS" -n -j a ip6
	atf_check -o match:'inet6 2001:db8::10/128 ' "$JEXEC" a ip -6 addr show dev eth0
	atf_check -o not-match:'2001:db8::10' "$JEXEC" a ip -6 addr show dev lo
	atf_check -o match:'^2001:db8::10 from :: dev jp[0-9]+ |^2001:db8::10 dev jp[0-9]+ ' \
	    ip -6 route get 2001:db8::10
	ip -6 addr | grep -q '2001:db8::10/' && atf_fail "the jail's address is on the host"
	return 0
}

jt_case net_ip4_inherit "ip4=inherit shares the host's network"
net_ip4_inherit_body()
{
	jt_init
	mkjail i ip4=inherit
	awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev | sort > host.if
	atf_check -s exit:0 -o save:jail.if -e empty -x "\"$JEXEC\" i cat /proc/net/dev |
	    awk -F: 'NR > 2 { gsub(/ /, \"\", \$1); print \$1 }' | sort"
	atf_check -o file:host.if cat jail.if
	host=$(stat -L -c %i /proc/self/ns/net)
	atf_check -o inline:"$host\n" "$JEXEC" i stat -L -c %i /proc/self/ns/net
}

# ---------------------------------------------------------------------------
# Credentials, privileges, file descriptors

jt_case status_jexec "a jexec'd process: no_new_privs, seccomp, no inheritable/ambient caps, bounded caps"
status_jexec_body()
{
	jt_init
	mkjail s
	atf_check -s exit:0 -o save:status -e empty "$JEXEC" s cat /proc/self/status
	check_status status "jexec as root"
	atf_check -s exit:0 -o save:status.u -e empty \
	    "$JEXEC" -U jailuser s cat /proc/self/status
	check_status status.u "jexec -U jailuser"
	mkjail ident idmap=identity
	atf_check -s exit:0 -o save:status.i -e empty "$JEXEC" ident cat /proc/self/status
	NNP=1; check_status status.i "jexec, idmap=identity"; NNP=0
}

jt_case status_command "a command= process: no_new_privs, seccomp, no inheritable/ambient caps, bounded caps"
status_command_body()
{
	jt_init
	atf_check -s exit:0 -o save:status -e empty \
	    "$JAIL" -c name=c path="$ROOT" command=/bin/cat /proc/self/status
	check_status status "jail -c command="
}

jt_case status_init "the jail's init is as restricted as any jailed process"
status_init_body()
{
	jt_init
	mkjail i
	atf_check -s exit:0 -o save:status -e empty "$JEXEC" i cat /proc/1/status
	NNP=1; check_status status "jail init"; NNP=0
}

jt_case nosuser "with allow.nosuser, root in the jail has no capabilities"
nosuser_body()
{
	jt_init
	mkjail r
	mkjail n allow.nosuser host.hostname=n.example
	eff=$("$JEXEC" r cat /proc/self/status | awk '$1 == "CapEff:" { print $2 }')
	[ -n "$eff" ] && [ "$eff" != 0000000000000000 ] ||
	    atf_fail "root in a default jail has no capabilities ($eff)"
	atf_check -o inline:"0\n" "$JEXEC" n id -u
	atf_check -o inline:"0000000000000000\n" -x \
	    "\"$JEXEC\" n cat /proc/self/status | awk '\$1 == \"CapEff:\" { print \$2 }'"
	atf_check -o inline:"0000000000000000\n" -x \
	    "\"$JEXEC\" n cat /proc/self/status | awk '\$1 == \"CapPrm:\" { print \$2 }'"
	atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" n hostname other.example
	atf_check -o inline:"n.example\n" "$JEXEC" n hostname
	# uid 0 still owns its files, but chown needs a capability it lacks.
	atf_check -s not-exit:0 -o ignore -e ignore "$JEXEC" n chown 1001 /tmp
	atf_check -s exit:0 -o empty -e empty "$JEXEC" r chown 1001 /tmp
}

jt_case uid_identity "uids inside the jail are the host's (identity mapping)"
uid_identity_body()
{
	jt_init
	mkjail u
	atf_check -s exit:0 "$JEXEC" u touch /tmp/by_root
	atf_check -s exit:0 "$JEXEC" -U jailuser u touch /tmp/by_jailuser
	atf_check -o inline:"0 0\n" stat -c '%u %g' "$ROOT/tmp/by_root"
	atf_check -o inline:"1001 1001\n" stat -c '%u %g' "$ROOT/tmp/by_jailuser"
	atf_check -o inline:"0 0\n" "$JEXEC" u stat -c '%u %g' /etc/passwd
}

jt_case fds_jexec "a jexec'd process holds only fds 0, 1 and 2"
fds_jexec_body()
{
	jt_init
	mkjail f
	atf_check -s exit:0 -o save:fds -e empty "$JEXEC" f sh -c "$LSFD"
	check_fds fds "jexec"
}

jt_case fds_command "a command= process holds only fds 0, 1 and 2"
fds_command_body()
{
	jt_init
	atf_check -s exit:0 -o save:fds -e empty \
	    "$JAIL" -c name=f path="$ROOT" command=/bin/sh -c "$LSFD"
	check_fds fds "jail -c command="
}

jt_case fds_caller "fds the caller has open do not reach the jail"
fds_caller_body()
{
	jt_init
	mkjail f
	atf_check -s exit:0 -o save:fds -e empty -x \
	    "exec 7< /etc/passwd 8> /dev/null; \"$JEXEC\" f sh -c '$LSFD'"
	check_fds fds "jexec with fds 7 and 8 open"
	atf_check -s exit:0 -o save:fds2 -e empty -x \
	    "exec 7< /etc/passwd; \"$JAIL\" -c name=g path=\"$ROOT\" command=/bin/sh -c '$LSFD'"
	check_fds fds2 "jail -c command= with fd 7 open"
}

jt_case cgroup "a jexec'd process is born in the jail's cgroup and pid namespace"
cgroup_body()
{
	jt_init
	cg=$(jt_cgroot)
	[ -n "$cg" ] || atf_skip "no cgroup2 hierarchy"
	mkjail c
	"$JEXEC" c sleep 310020 > /dev/null 2>&1 &
	jt_track $!
	jt_wait 5 pgrep -x -f 'sleep 310020' > /dev/null ||
	    atf_fail "the jailed sleep did not start"
	pid=$(pgrep -x -f 'sleep 310020')
	path=$(awk -F: '$1 == "0" { print $3 }' /proc/$pid/cgroup)
	case $path in
	/jail/*) ;;
	*) atf_fail "the jexec'd process is in cgroup '$path', not under /jail" ;;
	esac
	grep -qx "$pid" "$cg$path/cgroup.procs" ||
	    atf_fail "$pid is not listed in $cg$path/cgroup.procs"
	# The jail's init is in the same jail cgroup and the same pid namespace.
	prison=$(jt_prison_of_registry)
	init=
	for p in $(pgrep -P "$prison"); do
		[ "$(readlink /proc/$p/ns/pid)" = "$(readlink /proc/$pid/ns/pid)" ] &&
		    init=$p
	done
	[ -n "$init" ] || atf_fail "no child of the prison shares the process's pid namespace"
	ipath=$(awk -F: '$1 == "0" { print $3 }' /proc/$init/cgroup)
	[ "$(echo "$path" | cut -d/ -f1-3)" = "$(echo "$ipath" | cut -d/ -f1-3)" ] ||
	    atf_fail "init in $ipath, the jexec'd process in $path"
	atf_check -o match:'[[:space:]]1$' awk '$1 == "NSpid:"' /proc/$init/status
	# Inside, its own cgroup namespace shows the jail's cgroup only.
	atf_check -o inline:"0::/jail\n" "$JEXEC" c sed -n '/^0::/p' /proc/self/cgroup
}

jt_case sysvshm_new "sysvshm=new: System V shared memory works and is private to the jail"
sysvshm_new_body()
{
	jt_init
	jt_cc jt_helper
	mkjail n sysvshm=new
	atf_check -o match:'^ok ' "$ROOT/bin/jt_helper" shm create 0x4a540001
	jt_on_cleanup "\"$ROOT/bin/jt_helper\" shm rm 0x4a540001"
	atf_check -o inline:"ok\n" "$JEXEC" n /bin/jt_helper shm private
	atf_check -o inline:"fail ENOENT\n" "$JEXEC" n /bin/jt_helper shm lookup 0x4a540001
	atf_check -o match:'^ok ' "$JEXEC" n /bin/jt_helper shm create 0x4a540002
	atf_check -o inline:"fail ENOENT\n" "$ROOT/bin/jt_helper" shm lookup 0x4a540002
	atf_check -o match:'^ok ' "$JEXEC" n /bin/jt_helper shm lookup 0x4a540002
	atf_check -o inline:"sysvshm=new\n" "$JLS" -n -j n sysvshm
	atf_check -o inline:"ok\n" "$ROOT/bin/jt_helper" shm rm 0x4a540001
}

jt_case sysvshm_disable "sysvshm=disable (the default): the System V shm calls fail"
sysvshm_disable_body()
{
	jt_init
	jt_cc jt_helper
	mkjail d
	atf_check -o inline:"sysvshm=disable\n" "$JLS" -n -j d sysvshm
	atf_check -o match:'^fail ' "$JEXEC" d /bin/jt_helper shm private
	mkjail e sysvshm=disable
	atf_check -o match:'^fail ' "$JEXEC" e /bin/jt_helper shm private
}

jt_case sysv_namespaces "sysv*=new is an IPC namespace of the jail's; allow.sysvipc shares the host's"
sysv_namespaces_body()
{
	jt_init
	mkjail ipc sysvmsg=new sysvsem=new sysvshm=new
	mkjail ipch allow.sysvipc
	host=$(stat -L -c %i /proc/self/ns/ipc)
	new=$("$JEXEC" ipc stat -L -c %i /proc/self/ns/ipc)
	inh=$("$JEXEC" ipch stat -L -c %i /proc/self/ns/ipc)
	[ -n "$new" ] && [ "$host" != "$new" ] ||
	    atf_fail "sysv*=new shares the host IPC namespace"
	[ "$host" = "$inh" ] || atf_fail "allow.sysvipc does not share the host IPC namespace"
	atf_check -o inline:"inherit inherit inherit\n" "$JLS" -j ipch sysvmsg sysvsem sysvshm
}

# ---------------------------------------------------------------------------
# jexec

jt_case jexec_status "jexec returns the command's exit status"
jexec_status_body()
{
	jt_init
	mkjail s
	atf_check -s exit:0 -o empty -e empty "$JEXEC" s true
	atf_check -s exit:7 -o empty -e empty "$JEXEC" s sh -c 'exit 7'
	atf_check -s exit:0 -o inline:"by-jid\n" -e empty "$JEXEC" 1 echo by-jid
	atf_check -s exit:0 -o inline:"a b\n" -e empty "$JEXEC" s echo "a b"
}

jt_case jexec_errors "jexec of an unknown jail or command fails with exit 1"
jexec_errors_body()
{
	jt_init
	mkjail s
	atf_check -s exit:1 -o empty -e inline:"jexec: jail \"nosuch\" not found\n" \
	    "$JEXEC" nosuch true
	atf_check -s exit:1 -o empty -e inline:"jexec: jail 99 not found\n" \
	    "$JEXEC" 99 true
	atf_check -s exit:1 -o empty \
	    -e match:'^jexec: .*/nonexistent: No such file or directory$' \
	    "$JEXEC" s /nonexistent
}

jt_case jexec_shell "jexec without a command runs the user's shell"
jexec_shell_body()
{
	jt_init
	mkjail s
	atf_check -s exit:0 -o inline:"shell-ok\n" -e ignore -x \
	    "echo 'echo shell-ok' | \"$JEXEC\" s"
}

jt_case jexec_U "jexec -U runs as a user of the jail's passwd"
jexec_U_body()
{
	jt_init
	mkjail u
	atf_check -o inline:"1001 1001\n" "$JEXEC" -U jailuser u sh -c 'echo $(id -u) $(id -g)'
	atf_check -o inline:"0000000000000000\n" -x \
	    "\"$JEXEC\" -U jailuser u cat /proc/self/status | awk '\$1 == \"CapEff:\" { print \$2 }'"
	atf_check -s exit:1 -o empty \
	    -e match:'^jexec: (nosuchuser: no such user( in the jail)?|unknown user:? nosuchuser)$' \
	    "$JEXEC" -U nosuchuser u id
}

jt_case jexec_u "jexec -u runs as a user of the host's passwd"
jexec_u_body()
{
	jt_init
	uid=$(id -u nobody 2>/dev/null) || atf_skip "no user nobody on the host"
	mkjail u
	atf_check -o inline:"$uid\n" "$JEXEC" -u nobody u id -u
	atf_check -s exit:1 -o empty \
	    -e match:'^jexec: (nosuchuser: no such user|unknown user:? nosuchuser)$' \
	    "$JEXEC" -u nosuchuser u id
}

jt_case jexec_d "jexec -d sets the working directory; the default is the jail's root"
jexec_d_body()
{
	jt_init
	mkjail d
	atf_check -o inline:"/tmp\n" "$JEXEC" -d /tmp d pwd
	atf_check -o inline:"/\n" -x "cd /usr && \"$JEXEC\" d pwd"
	atf_check -s exit:1 -o empty -e match:'nonexistent' "$JEXEC" -d /nonexistent d pwd
}

jt_case jexec_l "jexec -l: clean environment, the user's home directory"
jexec_l_body()
{
	jt_init
	mkjail l
	atf_check -s exit:0 -o save:env -e empty -x \
	    "env JT_LEAK=yes HOME=/elsewhere \"$JEXEC\" -l l env"
	grep -q '^JT_LEAK=' env && atf_fail "-l kept the caller's environment"
	atf_check -o match:'^HOME=/root$' -o match:'^USER=root$' \
	    -o match:'^SHELL=/bin/sh$' -o match:'^PATH=' cat env
	atf_check -o inline:"/root\n" "$JEXEC" -l l pwd
	atf_check -o inline:"/tmp\n" "$JEXEC" -l -U jailuser l pwd
	atf_check -o match:'^USER=jailuser$' -o match:'^HOME=/tmp$' \
	    "$JEXEC" -l -U jailuser l env
	# Without -l the environment is the caller's.
	atf_check -o match:'^JT_KEEP=yes$' -x "env JT_KEEP=yes \"$JEXEC\" l env"
}

# ---------------------------------------------------------------------------
# Escapes that concern the default jail

jt_case chroot_escape "the classic chroot escape from jail root stays inside the jail"
chroot_escape_body()
{
	jt_init
	jt_cc jt_helper
	mkjail e
	touch "$ROOT/.jt_inside" "$(pwd)/jt_host_marker"
	atf_check -s exit:0 -o match:'^in=yes out=no$' \
	    "$JEXEC" e /bin/jt_helper escape /.jt_inside "$(pwd)/jt_host_marker"
}

jt_case kill_all "kill -9 -1 as jail root kills only the jail's processes"
kill_all_body()
{
	jt_init
	mkjail k
	mkjail other
	sleep 310030 &
	hostpid=$!
	jt_track $hostpid
	atf_check -s exit:0 "$JEXEC" k sh -c 'sleep 310031 >/dev/null 2>&1 </dev/null &'
	atf_check -s exit:0 "$JEXEC" other sh -c 'sleep 310032 >/dev/null 2>&1 </dev/null &'
	jt_wait 5 pgrep -x -f 'sleep 310031' > /dev/null || atf_fail "no sleep in jail k"
	jt_wait 5 pgrep -x -f 'sleep 310032' > /dev/null || atf_fail "no sleep in jail other"
	atf_check -s exit:0 -o inline:"survived\n" -e empty \
	    "$JEXEC" k sh -c 'kill -9 -1; echo survived'
	jt_wait 5 sh -c '! pgrep -x -f "sleep 310031" >/dev/null' ||
	    atf_fail "the jail's own process survived kill -1"
	kill -0 $hostpid 2>/dev/null || atf_fail "kill -1 in a jail killed a host process"
	pgrep -x -f 'sleep 310032' > /dev/null ||
	    atf_fail "kill -1 in a jail killed another jail's process"
	[ -n "$(jt_prison_of_registry)" ] || atf_fail "a prison died"
	atf_check -s exit:0 -o empty -e empty "$JLS" -c -j k
	atf_check -o inline:"alive\n" "$JEXEC" k echo alive
}

# ---------------------------------------------------------------------------
# The seccomp program's argument rules, probed with the values an attacker
# would choose: the kernel reads these arguments as 32-bit ints and ignores
# the upper half of the register, which seccomp sees whole.

jt_case seccomp_tiocsti "TIOCSTI and TIOCLINUX fail with EPERM, also with the upper 32 bits of the request set and through int 0x80"
seccomp_tiocsti_body()
{
	jt_init
	jt_cc sysprobe
	mkjail t
	# The probe's own controlling terminal: only the filter says EPERM.
	for hi in 0 1 0xffffffff 0x80000000; do
		atf_check -o inline:"EPERM\n" "$JEXEC" t /bin/sysprobe ioctl tiocsti $hi
		atf_check -o inline:"EPERM\n" "$JEXEC" t /bin/sysprobe ioctl tioclinux $hi
	done
	atf_check -o inline:"EPERM\n" "$JEXEC" t /bin/sysprobe ioctl32 tiocsti
	# Other ioctls pass, also sign-extended as a C library with an int
	# request argument passes them.
	atf_check -o inline:"ok\n" "$JEXEC" t /bin/sysprobe ioctl tcgets 0
	atf_check -o inline:"ok\n" "$JEXEC" t /bin/sysprobe ioctl tcgets 0xffffffff
}

jt_case seccomp_personality "personality: the query works whatever the upper half; unusual flags fail with EPERM"
seccomp_personality_body()
{
	jt_init
	jt_cc sysprobe
	mkjail p
	atf_check -o inline:"0\n" "$JEXEC" p /bin/sysprobe personality 0xffffffff
	atf_check -o inline:"0\n" "$JEXEC" p /bin/sysprobe personality 0xffffffffffffffff
	atf_check -o inline:"0\n" "$JEXEC" p /bin/sysprobe personality 0x100000000
	for v in 0x0400000 0x0040000 0x100400000 0xffffffff00040000; do
		atf_check -o inline:"EPERM\n" "$JEXEC" p /bin/sysprobe personality $v
	done
}

# socket(2) numbers for sysprobe (linux/socket.h, netinet/in.h, linux/net.h).
AF_UNIX=1 AF_INET=2 AF_INET6=10 AF_NETLINK=16 AF_PACKET=17 AF_TIPC=30
AF_ALG=38 AF_VSOCK=40
SOCK_STREAM=1 SOCK_DGRAM=2 SOCK_RAW=3 SOCK_SEQPACKET=5 SOCK_DCCP=6
SOCK_FLAGS=$((0x80000 | 0x800))		# SOCK_CLOEXEC | SOCK_NONBLOCK

# probe_sockets JAIL WANT CALL "FAMILY TYPE PROTO [HI]"...: each call's answer
probe_sockets()
{
	_j=$1 _want=$2 _call=$3
	shift 3
	for _a in "$@"; do
		atf_check -o inline:"$_want\n" -e empty \
		    "$JEXEC" "$_j" /bin/sysprobe "$_call" $_a
	done
}

jt_case seccomp_socket_protocols "socket and socketpair: only the usual protocols of UNIX, IPv4, IPv6 and netlink; others fail as on FreeBSD"
seccomp_socket_protocols_body()
{
	jt_init
	jt_cc sysprobe
	[ -r /proc/modules ] && sort /proc/modules | cut -d' ' -f1 > modules.before
	mkjail s
	probe_sockets s ok socket "$AF_UNIX $SOCK_STREAM 0" \
	    "$AF_UNIX $((SOCK_SEQPACKET | SOCK_FLAGS)) 0" \
	    "$AF_INET $SOCK_STREAM 0" "$AF_INET $((SOCK_STREAM | SOCK_FLAGS)) 6" \
	    "$AF_INET6 $SOCK_STREAM 6" "$AF_INET $SOCK_DGRAM 17" \
	    "$AF_INET6 $((SOCK_DGRAM | SOCK_FLAGS)) 0" \
	    "$AF_NETLINK $SOCK_RAW 0" "$AF_NETLINK $SOCK_DGRAM 4" \
	    "$AF_INET $SOCK_STREAM 0 1" "$AF_UNIX $SOCK_DGRAM 0 0xffffffff"
	probe_sockets s ok socketpair "$AF_UNIX $SOCK_STREAM 0" \
	    "$AF_UNIX $((SOCK_DGRAM | SOCK_FLAGS)) 0 1"
	# Ping sockets pass the filter; the jail's ping_group_range (its own
	# network's default) then refuses them.
	probe_sockets s EACCES socket "$AF_INET $SOCK_DGRAM 1" \
	    "$AF_INET6 $SOCK_DGRAM 58"
	# Raw sockets pass the filter; without allow.raw_sockets the kernel
	# refuses them for want of CAP_NET_RAW.
	probe_sockets s EPERM socket "$AF_INET $SOCK_RAW 1" "$AF_INET6 $SOCK_RAW 255"
	# SCTP, DCCP, MPTCP, L2TP, UDP-Lite, generic and audit netlink, ...
	probe_sockets s EPROTONOSUPPORT socket "$AF_INET $SOCK_STREAM 132" \
	    "$AF_INET6 $SOCK_SEQPACKET 132" "$AF_INET $SOCK_DCCP 33" \
	    "$AF_INET $SOCK_STREAM 262" "$AF_INET6 $SOCK_STREAM 262" \
	    "$AF_INET $SOCK_DGRAM 115" "$AF_INET $SOCK_DGRAM 136" \
	    "$AF_INET6 $SOCK_DGRAM 1" "$AF_NETLINK $SOCK_RAW 16" \
	    "$AF_NETLINK $SOCK_RAW 9" "$AF_NETLINK $SOCK_DGRAM 15" \
	    "$AF_INET $SOCK_STREAM 262 1"
	probe_sockets s EPROTONOSUPPORT socketpair "$AF_NETLINK $SOCK_RAW 16" \
	    "$AF_INET $SOCK_STREAM 132"
	probe_sockets s EAFNOSUPPORT socket "$AF_PACKET $SOCK_RAW 0" \
	    "$AF_TIPC $SOCK_SEQPACKET 0" "$AF_ALG $SOCK_SEQPACKET 0" \
	    "$AF_VSOCK $SOCK_STREAM 0" "0 $SOCK_STREAM 0" \
	    "$AF_PACKET $SOCK_RAW 0 1"
	probe_sockets s EAFNOSUPPORT socketpair "$AF_PACKET $SOCK_RAW 0" \
	    "$AF_TIPC $SOCK_SEQPACKET 0"
	if [ -r /proc/modules ]; then
		sort /proc/modules | cut -d' ' -f1 > modules.after
		atf_check -o empty comm -13 modules.before modules.after
	fi
}

jt_case seccomp_socket_raw "with allow.raw_sockets jail root opens raw sockets of any protocol"
seccomp_socket_raw_body()
{
	jt_init
	jt_cc sysprobe
	mkjail r allow.raw_sockets
	probe_sockets r ok socket "$AF_INET $SOCK_RAW 1" "$AF_INET $SOCK_RAW 132" \
	    "$AF_INET6 $((SOCK_RAW | SOCK_FLAGS)) 58"
	probe_sockets r EAFNOSUPPORT socket "$AF_PACKET $SOCK_RAW 0"
}

jt_case seccomp_socket_af "with allow.socket_af any family and protocol reaches the kernel"
seccomp_socket_af_body()
{
	jt_init
	jt_cc sysprobe
	mkjail a allow.socket_af
	probe_sockets a ok socket "$AF_NETLINK $SOCK_RAW 16" "$AF_INET $SOCK_DGRAM 136"
	# No CAP_NET_RAW: the kernel's answer, not the filter's.
	probe_sockets a EPERM socket "$AF_PACKET $SOCK_RAW 0"
	probe_sockets a EOPNOTSUPP socketpair "$AF_NETLINK $SOCK_RAW 16"
}

jt_case seccomp_socket_inherit "sharing the host's IPv4 network with ip6=disable, IPv6 sockets fail with EAFNOSUPPORT (and the reverse)"
seccomp_socket_inherit_body()
{
	jt_init
	jt_cc sysprobe
	mkjail i4 ip4=inherit ip6=disable
	probe_sockets i4 ok socket "$AF_INET $SOCK_STREAM 0" "$AF_UNIX $SOCK_STREAM 0"
	probe_sockets i4 EAFNOSUPPORT socket "$AF_INET6 $SOCK_STREAM 0" \
	    "$AF_INET6 $SOCK_DGRAM 17"
	probe_sockets i4 EAFNOSUPPORT socketpair "$AF_INET6 $SOCK_STREAM 0"
	[ -e /proc/net/if_inet6 ] || return 0
	mkjail i6 ip6=inherit ip4=disable
	probe_sockets i6 ok socket "$AF_INET6 $SOCK_STREAM 0"
	probe_sockets i6 EAFNOSUPPORT socket "$AF_INET $SOCK_STREAM 0" \
	    "$AF_INET $SOCK_DGRAM 1"
}

# ---------------------------------------------------------------------------
# Trust between the library and a prison.  Under the identity mapping
# jailed root is uid 0 on the host too, so SO_PEERCRED's uid cannot tell
# them apart: both sides also check the peer's user namespace.

jt_case fake_prison "jls and jexec send nothing to a prison faked by jailed root"
fake_prison_body()
{
	jt_init
	jt_cc peerprobe
	mkjail f
	"$JEXEC" f /bin/peerprobe fake /fakereg 7 < /dev/null > /dev/null 2>&1 &
	jt_track $!
	jt_wait 10 test -e "$ROOT/fakereg/ready" || atf_fail "the fake prison did not start"
	# A registry made by jailed root: a locked record of a live jail 7
	# and a socket that a uid 0 listens on.
	atf_check -s ignore -o ignore -e ignore \
	    env JAIL_REGISTRY="$ROOT/fakereg" "$JLS"
	atf_check -s ignore -o ignore -e ignore \
	    env JAIL_REGISTRY="$ROOT/fakereg" "$JLS" -j 7 host.hostname
	atf_check -s not-exit:0 -o empty -e ignore \
	    env JAIL_REGISTRY="$ROOT/fakereg" "$JEXEC" 7 /bin/true
	[ -e "$ROOT/fakereg/request" ] &&
	    atf_fail "a prison faked inside a jail got a request"
	return 0
}

# Hand PID, free now, to a new host process (a sleep), through
# ns_last_pid; other processes on the machine may take it first.
reuse_pid()
{
	_n=0
	while [ $_n -lt 200 ]; do
		_n=$((_n + 1))
		if [ -d /proc/$1 ]; then
			sleep 0.01	# someone else's for a moment
			continue
		fi
		echo $(($1 - 1)) > /proc/sys/kernel/ns_last_pid || return 1
		sleep 310070 < /dev/null > /dev/null 2>&1 &
		if [ $! = $1 ]; then
			jt_track $!
			return 0
		fi
		kill $!
	done
	return 1
}

jt_case prison_peer_pid_reuse "a jailed client stays jailed for the prison when its pid goes to a host process before the prison looks"
prison_peer_pid_reuse_body()
{
	jt_init
	jt_cc peerprobe
	# The registry in the jail's view, so that a jailed process can reach
	# its prison's socket at all.
	mkdir -p "$JT_REG" "$ROOT/reg"
	chmod 755 "$JT_REG"
	mount --bind "$JT_REG" "$ROOT/reg" || atf_skip "cannot bind-mount the registry"
	jt_on_cleanup "umount -l '$ROOT/reg'"
	mkjail r
	atf_check -o inline:"status 1\n" "$JEXEC" r /bin/peerprobe get /reg/1.sock
	prison=$(jt_prison_of_registry)
	[ -n "$prison" ] || atf_fail "no prison"
	jt_on_cleanup "kill -CONT $prison"
	"$JEXEC" r /bin/peerprobe handoff /reg/1.sock < /dev/null > /dev/null 2>&1 &
	jexec=$!
	jt_wait 10 test -e "$ROOT/tmp/ready" || atf_fail "the probe did not start"
	pid=$(pgrep -P $jexec)
	[ -n "$pid" ] || atf_fail "no probe process under jexec"
	# The prison looks at a client when it accepts the connection: stop
	# it until the client that connected has gone and its pid is a host
	# process's.
	kill -STOP $prison
	touch "$ROOT/tmp/go1"
	wait $jexec
	reuse_pid $pid
	reused=$?
	kill -CONT $prison
	[ $reused = 0 ] || atf_skip "could not hand pid $pid to a host process"
	touch "$ROOT/tmp/go2"
	jt_wait 10 test -e "$ROOT/tmp/result" || atf_fail "the probe got no answer"
	atf_check -o inline:"status 1\n" cat "$ROOT/tmp/result"
}

# The seccomp program cache files in the test's registry.
cache_files()
{
	ls -a "$JT_REG" | grep '^\.seccomp-' || true
}

jt_case seccomp_cache_trust "the prison ignores a cached seccomp program that is a hard link or no regular file"
seccomp_cache_trust_body()
{
	jt_init
	jt_cc sysprobe
	mkjail a allow.socket_af
	wide=$(cache_files)
	[ -n "$wide" ] || atf_fail "no cached program"
	mkjail b
	narrow=$(cache_files | grep -vx -e "$wide")
	[ -n "$narrow" ] || atf_fail "no cached program for a default jail"
	atf_check -s exit:0 -o ignore -e empty "$JAIL" -r a b
	# A hard link to allow.socket_af's program where the default jail's
	# belongs: root's, 0600, but not made there.
	ln -f "$JT_REG/$wide" "$JT_REG/$narrow"
	mkjail c
	atf_check -o inline:"EPROTONOSUPPORT\n" "$JEXEC" c /bin/sysprobe socket 16 3 16
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r c
	# A FIFO there: nothing to read, nothing to wait for.
	rm -f "$JT_REG/$narrow"
	mkfifo -m 600 "$JT_REG/$narrow"
	atf_check -s exit:0 -o empty -e empty \
	    timeout 30 "$JAIL" -c name=d path="$ROOT" persist
	atf_check -o inline:"EPROTONOSUPPORT\n" "$JEXEC" d /bin/sysprobe socket 16 3 16
}
