#! /usr/bin/env atf-sh
#
# A jail's root owns nothing of the host: the private uid range, idmapped
# mounts, and the attacks they stop, tried from inside real jails (spec:
# escapes.md, "Filesystem and root"; DESIGN.md section 4).
#
# The attacks would work with the identity mapping; each case checks that
# the attack really ran (its helper printed its lines) before it checks
# that it failed, so that a broken attack cannot pass for a defence.

. "$(atf_get_srcdir)/../integration/common.subr"

# The host ids of the processes in a jail's cgroup, one per line.
jail_host_uids()	# NAME
{
	_cg=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	# cpuset.id is the inode of the jail's cgroup: other registries'
	# jails may have the same jid.
	_ino=$("$JLS" -j "$1" cpuset.id)
	for _d in $(find "$_cg"/jail -mindepth 1 -maxdepth 1 -inum "$_ino"); do
		cat "$_d"/cgroup.procs "$_d"/jail/cgroup.procs 2>/dev/null
	done | while read -r _p; do
		awk '/^Uid:/ { print $3 }' /proc/"$_p"/status 2>/dev/null
	done | sort -u
}

base_of()	# NAME
{
	"$JLS" -j "$1" idmap.base
}

jt_case private_range "each jail runs as a private range of host ids"
private_range_body()
{
	jt_init
	mkjail a
	mkjail b
	atf_check -o inline:"idmap=private\n" "$JLS" -n -j a idmap
	ba=$(base_of a)
	bb=$(base_of b)
	[ "$ba" -ge 65536 ] && [ $((ba % 65536)) -eq 0 ] ||
	    atf_fail "idmap.base $ba is not a block of 65536 above the host's ids"
	[ "$ba" != "$bb" ] || atf_fail "two jails share the range $ba"
	# Every process of the jail, init included, is the jail's root.
	atf_check_equal "$ba" "$(jail_host_uids a)"
	"$JEXEC" a sleep 30 &
	jt_track $!
	"$JEXEC" -U jailuser b sleep 30 &
	jt_track $!
	sleep 0.5
	atf_check_equal "$ba" "$(jail_host_uids a)"
	jail_host_uids b | grep -qx "$((bb + 1001))" ||
	    atf_fail "jexec -U jailuser is not host id $((bb + 1001)): $(jail_host_uids b)"
	# Inside, the ids are FreeBSD's: 0 is root.
	atf_check -o inline:"0 0\n" "$JEXEC" a sh -c 'echo $(id -u) $(id -g)'
	atf_check -o inline:"         0 $ba      65536\n" \
	    "$JEXEC" a cat /proc/self/uid_map
}

jt_case files_keep_ids "files keep FreeBSD's ownership on disk"
files_keep_ids_body()
{
	jt_init
	mkjail f
	atf_check "$JEXEC" f touch /root/by-root
	atf_check "$JEXEC" -U jailuser f touch /tmp/by-user
	atf_check -o inline:"0 0\n" stat -c '%u %g' "$ROOT/root/by-root"
	atf_check -o inline:"1001 1001\n" stat -c '%u %g' "$ROOT/tmp/by-user"
	# A file the host's root made is the jail root's inside.
	echo host > "$ROOT/etc/hostmade"
	atf_check -o inline:"0 0\n" "$JEXEC" f stat -c '%u %g' /etc/hostmade
	atf_check "$JEXEC" f chown 1001 /etc/hostmade
	atf_check -o inline:"1001\n" stat -c '%u' "$ROOT/etc/hostmade"
	# Ids beyond the jail's 65536 do not exist inside.
	atf_check -s not-exit:0 -e ignore "$JEXEC" f chown 70000 /etc/hostmade
}

# Plant the CVE-2019-5736 pair in $ROOT: a command that re-executes the
# entering binary and an ELF interpreter that attacks it.
plant_exe_attack()
{
	command -v cc > /dev/null 2>&1 || atf_skip "no C compiler"
	mkdir -p "$ROOT/lib64"
	cc -static -nostdlib -fno-stack-protector -fno-builtin -O1 -no-pie \
	    -o "$ROOT/lib64/ld-linux-x86-64.so.2" \
	    "$(atf_get_srcdir)/helpers/interp/fakeld.c" > cc.log 2>&1 ||
	    atf_skip "cannot build the interpreter: $(head -c 300 cc.log)"
	printf '#!/proc/self/exe\n' > "$ROOT/bin/evil"
	chmod 755 "$ROOT/bin/evil"
}

# The interpreter ran and every attempt failed with a permission error.
check_exe_attack()	# OUTPUT WHAT
{
	grep -q '^open-exe-write ' "$1" ||
	    atf_fail "$2: the attack did not run: $(cat "$1")"
	for _a in open-exe-write open-exe-rdwr reopen-exe-write; do
		_e=$(awk -v a=$_a '$1 == a { print $2 }' "$1")
		[ "$_e" = 13 ] || [ "$_e" = 26 ] ||
		    atf_fail "$2: $_a: errno '$_e', not EACCES: $(cat "$1")"
	done
	_e=$(awk '$1 == "chmod-exe" { print $2 }' "$1")
	[ "$_e" = 1 ] || atf_fail "$2: chmod of the host binary: errno '$_e'"
}

jt_case exe_overwrite "a jail cannot rewrite the host binary that entered it (#!/proc/self/exe)"
exe_overwrite_body()
{
	jt_init
	plant_exe_attack
	sum_before=$(cat "$JEXEC" "$JAIL" | md5sum)
	mode_before=$(stat -c %a "$JEXEC" "$JAIL")
	mkjail x
	"$JEXEC" x /bin/evil > jexec.out 2>&1
	check_exe_attack jexec.out "jexec"
	"$JAIL" -c path="$ROOT" command=/bin/evil > jail.out 2>&1
	check_exe_attack jail.out "jail -c command="
	[ "$(cat "$JEXEC" "$JAIL" | md5sum)" = "$sum_before" ] ||
	    atf_fail "the host's jexec or jail binary changed"
	[ "$(stat -c %a "$JEXEC" "$JAIL")" = "$mode_before" ] ||
	    atf_fail "the mode of the host's jexec or jail changed"
}

jt_case stdin_reopen "a host file handed over as stdin cannot be reopened for writing"
stdin_reopen_body()
{
	jt_init
	mkjail s
	printf 'setup\n' > "$JT_WORK/setup.sh"
	chmod 644 "$JT_WORK/setup.sh"
	# Readable as the command's stdin, as the administrator meant.
	atf_check -o inline:"setup\n" "$JEXEC" s cat < "$JT_WORK/setup.sh"
	atf_check -s not-exit:0 -e match:"Permission denied" "$JEXEC" s \
	    sh -c 'echo pwned > /proc/self/fd/0' < "$JT_WORK/setup.sh"
	atf_check -s not-exit:0 -e match:"Operation not permitted" "$JEXEC" s \
	    chmod 666 /proc/self/fd/0 < "$JT_WORK/setup.sh"
	atf_check -s not-exit:0 -e ignore "$JEXEC" s \
	    chown 0 /proc/self/fd/0 < "$JT_WORK/setup.sh"
	atf_check -o inline:"setup\n" cat "$JT_WORK/setup.sh"
	atf_check -o inline:"644 0\n" stat -c '%a %u' "$JT_WORK/setup.sh"
}

jt_case nodev "device nodes shipped in the jail's tree cannot be opened"
nodev_body()
{
	jt_init
	mknod "$ROOT/mem" c 1 1
	mknod "$ROOT/zero" c 1 5
	mkdir -p "$ROOT/mnt"
	mount -t tmpfs -o size=1m jt "$ROOT/mnt"
	jt_on_cleanup umount "$ROOT/mnt"
	mknod "$ROOT/mnt/zero" c 1 5
	mkjail d
	atf_check -s not-exit:0 -e match:"Permission denied" \
	    "$JEXEC" d head -c 1 /mem
	atf_check -s not-exit:0 -e match:"Permission denied" \
	    "$JEXEC" d head -c 1 /zero
	atf_check -s not-exit:0 -e match:"Permission denied" \
	    "$JEXEC" d head -c 1 /mnt/zero
	# The jail's own /dev still works.
	atf_check -o inline:"1\n" "$JEXEC" d sh -c 'head -c 1 /dev/zero | wc -c'
	atf_check -o match:"nodev" "$JEXEC" d sh -c 'grep " / " /proc/self/mountinfo'
	umount "$ROOT/mnt"
}

jt_case setuid "set-user-id programs work inside a jail, and allow.nosuser leaves uid 0 powerless"
setuid_body()
{
	jt_init
	jt_cc euid
	chown 0:0 "$ROOT/bin/euid"
	chmod 4755 "$ROOT/bin/euid"
	mkjail u
	atf_check -o match:"^uid=1001 euid=0 " "$JEXEC" -U jailuser u /bin/euid
	# Its privilege is jail root's: bounded, inside the jail only.
	atf_check -o match:"CapEff=00000000302c85ff" "$JEXEC" -U jailuser u /bin/euid
	mkjail n allow.nosuser
	atf_check -o match:"^uid=1001 euid=0 CapEff=0000000000000000" \
	    "$JEXEC" -U jailuser n /bin/euid
}

jt_case peercred "a host service never takes the jail's root for root (SO_PEERCRED)"
peercred_body()
{
	jt_init
	jt_cc peercred
	mkjail c
	b=$(base_of c)
	"$ROOT/bin/peercred" listen "$ROOT/tmp/svc" > svc.out &
	jt_track $!
	jt_wait 5 grep -q listening svc.out || atf_fail "the host service did not start"
	atf_check "$JEXEC" c /bin/peercred connect /tmp/svc
	jt_wait 5 grep -q uid= svc.out
	atf_check_equal "uid=$b gid=$b" "$(grep uid= svc.out)"
}

jt_case identity "idmap=identity: the explicit, weaker mapping"
identity_body()
{
	jt_init
	mkjail i idmap=identity
	atf_check -o inline:"idmap=identity idmap.base=0\n" \
	    "$JLS" -n -j i idmap idmap.base
	atf_check_equal 0 "$(jail_host_uids i)"
	atf_check -s exit:1 -e match:"idmap must be private or identity" \
	    "$JAIL" -c path="$ROOT" persist idmap=bogus
	atf_check -s exit:1 -e match:"idmap.base needs idmap=private" \
	    "$JAIL" -c path="$ROOT" persist idmap=identity idmap.base=131072
	atf_check -s exit:1 -e match:"must be a multiple of 65536" \
	    "$JAIL" -c path="$ROOT" persist idmap.base=100000
	atf_check -s exit:1 -e match:"cannot be changed" \
	    "$JAIL" -m name=i idmap=private
}

jt_case pool "the pool of ranges is configurable, and ranges are never shared"
pool_body()
{
	jt_init
	# Two blocks at 0xc0000000, a pool no other jail of this host uses.
	export JAIL_IDMAP_POOL=3221225472:131072
	mkjail p1
	mkjail p2
	b1=$(base_of p1)
	b2=$(base_of p2)
	echo "$b1 $b2" | grep -qx '3221225472 3221291008\|3221291008 3221225472' ||
	    atf_fail "ranges $b1 $b2 are not the pool's"
	atf_check -s exit:1 -e match:"no free uid range" \
	    "$JAIL" -c name=p3 path="$ROOT" persist
	atf_check "$JAIL" -r p1
	mkjail p3
	atf_check -o inline:"$b1\n" "$JLS" -j p3 idmap.base
	# An explicit base must be free.
	unset JAIL_IDMAP_POOL
	atf_check -s exit:1 -e match:"in use by another jail" \
	    "$JAIL" -c path="$ROOT" persist idmap.base="$b2"
	mkjail e idmap.base=3221356544
	atf_check -o inline:"3221356544\n" "$JLS" -j e idmap.base
	export JAIL_IDMAP_POOL=12:65536
	atf_check -s exit:1 -e match:"uid pool" \
	    "$JAIL" -c path="$ROOT" persist
	export JAIL_IDMAP_POOL=0:65536
	atf_check -s exit:1 -e match:"uid pool" \
	    "$JAIL" -c path="$ROOT" persist
}

jt_case not_idmappable "a root that cannot be idmapped fails clearly; a submount is hidden"
not_idmappable_body()
{
	jt_init
	mkdir -p rf
	mount -t ramfs none rf
	jt_on_cleanup umount "$JT_WORK/rf"
	"$JT_TOP/tools/mkroot" "$JT_WORK/rf/root" > /dev/null
	atf_check -s exit:1 -e match:"cannot be idmapped.*idmap=identity" \
	    "$JAIL" -c name=r path="$JT_WORK/rf/root" persist
	atf_check -s exit:0 "$JAIL" -c name=r path="$JT_WORK/rf/root" persist \
	    idmap=identity
	atf_check "$JAIL" -r r
	umount rf
	# A ramfs mounted under an ext4 root: left out, and reported.
	mkdir -p "$ROOT/mnt"
	mount -t ramfs none "$ROOT/mnt"
	jt_on_cleanup umount "$ROOT/mnt"
	echo secret > "$ROOT/mnt/file"
	mkjail h
	atf_check -o inline:"idmap.hidden=/mnt\n" "$JLS" -n -j h idmap.hidden
	atf_check -o empty "$JEXEC" h ls /mnt
	atf_check "$JAIL" -r h
	umount "$ROOT/mnt"
}

jt_case kill9_releases "the range of a killed prison is freed, and nothing runs with it"
kill9_releases_body()
{
	jt_init
	mkjail k
	b=$(base_of k)
	[ -f "/run/jail-idmap/$b" ] || atf_fail "no record of range $b"
	"$JEXEC" k sleep 60 &
	jt_track $!
	sleep 0.3
	kill -9 $(jt_prison_of_registry)
	jt_wait 5 sh -c "! ls /run/jail-idmap/$b > /dev/null 2>&1" ||
	    atf_fail "range $b still held after the prison died"
	# Dead, not reaped yet (a zombie) is gone enough.
	_live=$(ps -e -o uid=,stat=,pid=,comm= | awk -v b="$b" '$1 == b && $2 !~ /^Z/')
	[ -z "$_live" ] || atf_fail "processes of uid $b survive: $_live"
}

atf_init_test_cases()
{
	for _jt_c in $JT_CASES; do
		atf_add_test_case "$_jt_c"
	done
}
