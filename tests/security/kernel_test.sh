#! /usr/bin/env atf-sh
#
# Escapes through the kernel's own interfaces: usermode helpers that run
# as host root (core_pattern, modprobe, uevent_helper, binfmt_misc), the
# kernel log, /sys, device nodes, ptys and cgroups.  spec/escapes.md,
# "Kernel interfaces"; README says which items live elsewhere.

. "$(atf_get_srcdir)/security.subr"

jt_case core_pattern "core_pattern cannot be set from a jail, and a crash there runs nothing on the host"
core_pattern_body()
{
	esc_init
	before=$(cat /proc/sys/kernel/core_pattern)
	mkjail c
	mkjail m allow.mount enforce_statfs=1
	for j in c m; do
		atf_check -s exit:0 -e empty \
		    -o match:"^write /proc/sys/kernel/core_pattern fail (EACCES|EROFS)$" \
		    "$JEXEC" $j /bin/esc write /proc/sys/kernel/core_pattern \
		    "|/bin/sh -c 'touch $JT_WORK/esc_core_ran'"
	done
	# A crash in the jail, with core dumps allowed.
	"$JEXEC" c sh -c 'ulimit -c unlimited; kill -SEGV $$' > /dev/null 2>&1
	sleep 0.2
	after=$(cat /proc/sys/kernel/core_pattern)
	if [ "$after" != "$before" ]; then
		printf '%s\n' "$before" > /proc/sys/kernel/core_pattern
		atf_fail "the host's core_pattern changed to: $after"
	fi
	[ ! -e "$JT_WORK/esc_core_ran" ] || atf_fail "a core_pattern program ran on the host"
}

jt_case modprobe_path "the modprobe path cannot be set from a jail"
modprobe_path_body()
{
	[ -e /proc/sys/kernel/modprobe ] ||
	    atf_skip "this kernel has no module loader (no /proc/sys/kernel/modprobe): nothing to redirect"
	esc_init
	before=$(cat /proc/sys/kernel/modprobe)
	mkjail c
	atf_check -s exit:0 -e empty -o match:"^write /proc/sys/kernel/modprobe fail (EACCES|EROFS)$" \
	    "$JEXEC" c /bin/esc write /proc/sys/kernel/modprobe /tmp/esc-modprobe
	[ "$(cat /proc/sys/kernel/modprobe)" = "$before" ] ||
	    atf_fail "the host's modprobe path changed"
}

jt_case uevent_helper "the uevent helper cannot be set from a jail"
uevent_helper_body()
{
	[ -e /sys/kernel/uevent_helper ] ||
	    atf_skip "this kernel has no uevent helper (CONFIG_UEVENT_HELPER is off): nothing to redirect"
	esc_init
	before=$(cat /sys/kernel/uevent_helper)
	mkjail c
	atf_check -s exit:0 -e empty -o match:"^write /sys/kernel/uevent_helper fail (EACCES|EROFS)$" \
	    "$JEXEC" c /bin/esc write /sys/kernel/uevent_helper /tmp/esc-helper
	[ "$(cat /sys/kernel/uevent_helper)" = "$before" ] ||
	    atf_fail "the host's uevent helper changed"
}

jt_case binfmt_misc "binfmt_misc: no interpreter registered from a jail reaches the host"
binfmt_misc_body()
{
	esc_init
	grep -q binfmt_misc /proc/filesystems || atf_skip "no binfmt_misc in this kernel"
	rule=':esc:E::esc::/bin/sh:C'
	mkjail c
	atf_check -s exit:0 -e empty -o match:'^write /proc/sys/fs/binfmt_misc/register fail E' \
	    "$JEXEC" c /bin/esc write /proc/sys/fs/binfmt_misc/register "$rule"
	# With allow.mount jail root may mount binfmt_misc, which (Linux 6.7
	# and later) is then an instance of the jail's user namespace only.
	mkjail m allow.mount enforce_statfs=1
	"$JEXEC" m sh -c "mount -t binfmt_misc esc /proc/sys/fs/binfmt_misc &&
	    echo '$rule' > /proc/sys/fs/binfmt_misc/register" > /dev/null 2>&1
	mkdir "$JT_WORK/bm"
	mount -t binfmt_misc esc "$JT_WORK/bm" || atf_fail "cannot mount the host's binfmt_misc"
	jt_on_cleanup "umount '$JT_WORK/bm'"
	if [ -e "$JT_WORK/bm/esc" ]; then
		echo -1 > "$JT_WORK/bm/esc"
		umount "$JT_WORK/bm"
		atf_fail "an interpreter registered in a jail is the host's"
	fi
	umount "$JT_WORK/bm"
}

jt_case sysrq_trigger "/proc/sysrq-trigger cannot be written from a jail"
sysrq_trigger_body()
{
	[ -e /proc/sysrq-trigger ] ||
	    atf_skip "this kernel has no magic SysRq (no /proc/sysrq-trigger)"
	esc_init
	mkjail c
	# "h" only prints help to the kernel log, if it ever got through.
	atf_check -s exit:0 -e empty -o match:'^write /proc/sysrq-trigger fail E' \
	    "$JEXEC" c /bin/esc write /proc/sysrq-trigger h
}

jt_case kernel_log "the kernel log can be neither read nor cleared: syslog(2), /dev/kmsg, /proc/kmsg"
kernel_log_body()
{
	esc_init
	before=$("$ESC" syslog-bytes)
	mkjail c
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" c /bin/esc syslog
	esc_refused out 6 EPERM
	atf_check -s exit:0 -o save:read -e empty "$JEXEC" c /bin/esc read /dev/kmsg /proc/kmsg
	atf_check -o inline:"read /dev/kmsg fail ENOENT\n" sed -n 1p read
	atf_check -o match:'^read /proc/kmsg (ok 0|fail E[A-Z]+)$' sed -n 2p read
	# A clear leaves only what was logged since; a full log that rotates
	# loses a record or two.
	after=$("$ESC" syslog-bytes)
	[ "$after" -ge $((before / 2)) ] ||
	    atf_fail "the host's kernel log was cleared ($before -> $after bytes)"
}

jt_case sys_writes "writes anywhere under /sys fail (EACCES: the files are host root's; EROFS); the host's values stay"
sys_writes_body()
{
	esc_init
	files=
	for f in /sys/class/net/lo/mtu /sys/power/state /sys/power/disk \
	    /sys/kernel/mm/transparent_hugepage/enabled \
	    /sys/devices/system/cpu/cpu1/online /sys/kernel/uevent_helper \
	    /sys/module/printk/parameters/time \
	    $(ls -d /sys/block/*/queue/scheduler 2>/dev/null | head -1); do
		[ -f "$f" ] && files="$files $f"
	done
	i=0
	for f in $files; do
		i=$((i + 1))
		cat "$f" > "$JT_WORK/before.$i" 2>/dev/null
	done
	mkjail c
	for f in $files; do
		# An invalid value: nothing changes even if a write got through.
		atf_check -s exit:0 -e empty -o match:"^write $f fail (EACCES|EROFS)$" \
		    "$JEXEC" c /bin/esc write "$f" esc-invalid
	done
	for d in /sys/fs/esc /sys/kernel/esc /sys/class/net/esc; do
		atf_check -s not-exit:0 -o empty -e match:'Read-only file system' \
		    "$JEXEC" c mkdir $d
	done
	i=0
	for f in $files; do
		i=$((i + 1))
		[ -f "$JT_WORK/before.$i" ] || continue
		[ "$(cat "$JT_WORK/before.$i")" = "$(cat "$f")" ] ||
		    atf_fail "the host's $f changed"
	done
}

jt_case mknod_devices "mknod of a disk or /dev/mem fails with EPERM; no device node but the safe set anywhere"
mknod_devices_body()
{
	esc_init
	mkjail c
	mkjail m allow.mount enforce_statfs=1
	for j in c m; do
		for d in "sda b 8 0" "mem c 1 1" "port c 1 4" "kmsg c 1 11" "kvm c 10 232"; do
			set -- $d
			atf_check -s exit:0 -e empty \
			    -o inline:"mknod /tmp/$1 $2 $3:$4 fail EPERM\n" \
			    "$JEXEC" $j /bin/esc mknod /tmp/$1 $2 $3 $4
			[ ! -e "$ROOT/tmp/$1" ] || atf_fail "jail $j created /tmp/$1"
		done
	done
	cat > "$ROOT/probe" <<'EOF'
find / -path /proc -prune -o -path /sys -prune -o \( -type b -o -type c \) -print |
while read f; do
	case $f in
	/dev/null|/dev/zero|/dev/full|/dev/random|/dev/urandom|/dev/tty|/dev/pts/ptmx) ;;
	*) echo "$f $(stat -c '%F %t:%T' $f)" ;;
	esac
done
for f in /dev/mem /dev/kmem /dev/port /dev/kmsg /dev/sda /dev/vda; do
	[ -e $f ] && echo "$f exists"
done
exit 0
EOF
	atf_check -s exit:0 -o empty -e empty "$JEXEC" c sh /probe
}

jt_case devpts_host_ptys "/dev/pts has only the jail's own ptys; a host pty cannot be opened"
devpts_host_ptys_body()
{
	esc_init
	esc_bg pty "$ESC" pty-hold
	sleep 0.1
	n=$(sed -n 's/^ready //p' pty)
	case $n in ''|*[!0-9]*) atf_fail "no host pty: $n" ;; esac
	[ -e /dev/pts/$n ] || atf_fail "the host's pty $n is not in the host's /dev/pts"
	mkjail c
	atf_check -s exit:0 -o inline:"ptmx\n" -e empty "$JEXEC" c ls -A /dev/pts
	atf_check -s exit:0 -o inline:"read /dev/pts/$n fail ENOENT\n" -e empty \
	    "$JEXEC" c /bin/esc read /dev/pts/$n
}

jt_case cgroup_escape "no cgroup file system to reach: no release_agent, no parent cgroup.procs"
cgroup_escape_body()
{
	esc_init
	mkdir -p "$ROOT/mnt/cg"
	mkjail c
	mkjail m allow.mount enforce_statfs=1
	for j in c m; do
		# Its cgroup namespace: no host cgroup path shows.
		atf_check -s exit:0 -o save:cg -e empty "$JEXEC" $j cat /proc/self/cgroup
		atf_check -s exit:1 -o empty grep -E '/jail/[0-9]+\.[0-9]+' cg
		atf_check -s exit:0 -o empty -e empty "$JEXEC" $j ls -A /sys/fs/cgroup
		# cgroup v1 with a release agent (CVE-2022-0492), and v2.
		# (EINVAL: the kernel takes release_agent from init's user
		# namespace only, since CVE-2022-0492.)
		atf_check -s exit:0 -o match:"^mount cgroup fail (EPERM|EINVAL)$" \
		    -e empty "$JEXEC" $j /bin/esc mount cgroup /mnt/cg \
		    "none,name=esc,release_agent=/bin/sh"
		atf_check -s exit:0 -o inline:"mount cgroup fail EPERM\n" -e empty \
		    "$JEXEC" $j /bin/esc mount cgroup /mnt/cg none,name=esc
		atf_check -s exit:0 -o inline:"mount cgroup2 fail EPERM\n" -e empty \
		    "$JEXEC" $j /bin/esc mount cgroup2 /mnt/cg
	done
}
