#! /usr/bin/env atf-sh
#
# jail(8)'s mounts (cmd/jail/mount.c, devfs.c): mount and mount.fstab
# lines made on the host before a jail is created and undone in reverse
# after it is removed, mount.devfs with devfs_ruleset, mount.fdescfs and
# mount.procfs.  Spec: freebsd-jail.md sections 3.2 and 4.3.
#
# tests/tools/mountrun drives the mount steps as jail(8)'s state machine
# does (start, stop, or both in one run), for a jail made from its
# arguments, without creating it; the last case creates a real jail after
# the mounts and looks at them from inside.  Every mount a case makes is
# under its work directory: common.subr's cleanup fails the case if one
# is left.

. "$(atf_get_srcdir)/common.subr"

mountrun_init()
{
	jt_init
	MOUNTRUN=$JT_TOP/build/tests/tools/mountrun
	[ -x "$MOUNTRUN" ] || atf_fail "$MOUNTRUN is missing: run make tests"
	SRC=$JT_WORK/src
	mkdir -p "$SRC" "$ROOT/mnt" "$ROOT/mnt2" "$ROOT/scratch"
	echo hello > "$SRC/file"
}

# Mounts of this case (their mount points), from /proc/self/mountinfo.
mounts()
{
	jt_mounts
}

no_mounts()
{
	_m=$(mounts)
	[ -z "$_m" ] || atf_fail "left mounted: $_m"
}

# How many mounts the host has on DIR.
mounts_on()
{
	awk -v d="$1" '$5 == d { n++ } END { print n + 0 }' /proc/self/mountinfo
}

# ---------------------------------------------------------------------------
# nullfs and tmpfs

jt_case nullfs_ro_rw "nullfs is a bind mount, read-only with ro, writable without"
nullfs_ro_rw_body()
{
	mountrun_init
	set -- path="$ROOT" "mount=$SRC $ROOT/mnt nullfs ro" \
	    "mount=$SRC $ROOT/mnt2 nullfs rw"
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" start "$@"
	atf_check -o inline:"hello\n" cat "$ROOT/mnt/file"
	atf_check -s not-exit:0 -e match:'Read-only file system' \
	    touch "$ROOT/mnt/new"
	atf_check -s exit:0 touch "$ROOT/mnt2/new"
	[ -f "$SRC/new" ] || atf_fail "a file made through the rw mount is not in its source"
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" stop "$@"
	no_mounts
	[ -e "$ROOT/mnt/file" ] && atf_fail "the mount point still shows the source"
	return 0
}

jt_case tmpfs_options "tmpfs takes size= and mode=, and FreeBSD's inodes= as nr_inodes="
tmpfs_options_body()
{
	mountrun_init
	set -- path="$ROOT" \
	    "mount=tmpfs $ROOT/scratch tmpfs rw,size=2m,mode=0700,inodes=100,nosuid"
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" start "$@"
	atf_check -o inline:"700\n" stat -c %a "$ROOT/scratch"
	atf_check -o match:'nosuid' -o match:'size=2048k' \
	    -o match:'nr_inodes=100' -o match:' - tmpfs ' \
	    awk -v d="$ROOT/scratch" '$5 == d' /proc/self/mountinfo
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" stop "$@"
	no_mounts
}

jt_case verbose_notes "-v notes each mount and unmount as the mount(8) command line"
verbose_notes_body()
{
	mountrun_init
	set -- path="$ROOT" "mount=$SRC $ROOT/mnt nullfs ro" \
	    "mount=tmpfs $ROOT/scratch tmpfs size=1m"
	atf_check -s exit:0 -e empty -o inline:"\
w: mount -t nullfs -o ro $SRC $ROOT/mnt
w: mount -t tmpfs -o size=1m tmpfs $ROOT/scratch
w: umount -t tmpfs $ROOT/scratch
w: umount -t nullfs $ROOT/mnt
" "$MOUNTRUN" -v -n w cycle "$@"
	no_mounts
}

# ---------------------------------------------------------------------------
# mount.fstab

jt_case fstab_file "mount.fstab: comments, blank lines and \\040 escapes"
fstab_file_body()
{
	mountrun_init
	mkdir -p "$ROOT/my dir" "$JT_WORK/src dir"
	echo spaced > "$JT_WORK/src dir/file"
	esc_root=$(printf '%s' "$ROOT" | sed 's/ /\\040/g')
	esc_work=$(printf '%s' "$JT_WORK" | sed 's/ /\\040/g')
	cat > fstab <<EOF
# The jail's mounts.

$esc_work/src\\040dir	$esc_root/my\\040dir	nullfs	ro	0	0	# a source with a space
   # an indented comment
tmpfs $esc_root/scratch tmpfs rw,size=1m 0 0
EOF
	atf_check -s exit:0 -o empty -e empty \
	    "$MOUNTRUN" start path="$ROOT" mount.fstab="$JT_WORK/fstab"
	atf_check -o inline:"spaced\n" cat "$ROOT/my dir/file"
	[ "$(mounts_on "$ROOT/scratch")" = 1 ] || atf_fail "no tmpfs on scratch"
	atf_check -s exit:0 -e empty \
	    -o match:"^f: umount -t tmpfs $ROOT/scratch\$" \
	    -o match:'^f: umount -t nullfs .*/my\\040dir$' \
	    "$MOUNTRUN" -v -n f stop path="$ROOT" mount.fstab="$JT_WORK/fstab"
	no_mounts
}

jt_case fstab_bad_line "a bad mount.fstab line is reported with its file and line; nothing is mounted"
fstab_bad_line_body()
{
	mountrun_init
	cat > fstab <<EOF
tmpfs $ROOT/scratch tmpfs rw
# comment

$SRC $ROOT/mnt
tmpfs $ROOT/mnt2 tmpfs rw 0 x
EOF
	atf_check -s exit:1 -o empty \
	    -e match:"^mountrun: b: mount.fstab: $JT_WORK/fstab line 4: missing information\$" \
	    -e match:"^mountrun: b: mount.fstab: $JT_WORK/fstab line 5: PASSNO: x is not a number\$" \
	    "$MOUNTRUN" -n b start path="$ROOT" mount.fstab="$JT_WORK/fstab"
	no_mounts
	atf_check -s exit:1 -o empty \
	    -e match:"mount.fstab: $JT_WORK/nonexistent: No such file or directory" \
	    "$MOUNTRUN" -n b start path="$ROOT" mount.fstab="$JT_WORK/nonexistent"
	atf_check -s exit:1 -o empty \
	    -e match:"mount.fstab: $JT_WORK: not a regular file" \
	    "$MOUNTRUN" -n b start path="$ROOT" mount.fstab="$JT_WORK"
	no_mounts
}

jt_case fstab_runtime_error "a mount.fstab line that fails to mount names its file and line"
fstab_runtime_error_body()
{
	mountrun_init
	printf 'tmpfs %s/scratch tmpfs rw\ntmpfs %s/absent tmpfs rw\n' \
	    "$ROOT" "$ROOT" > fstab
	atf_check -s exit:1 -o empty \
	    -e match:"mount.fstab: $JT_WORK/fstab line 2: $ROOT/absent: No such file or directory" \
	    "$MOUNTRUN" start path="$ROOT" mount.fstab="$JT_WORK/fstab"
	no_mounts
}

# ---------------------------------------------------------------------------
# Where a mount may go

jt_case outside_path "a mount point outside the jail's path, relative, or with .. is refused"
outside_path_body()
{
	mountrun_init
	mkdir -p "$JT_WORK/elsewhere"
	atf_check -s exit:1 -o empty \
	    -e match:"mount: $JT_WORK/elsewhere: not under the jail's path $ROOT\$" \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs $JT_WORK/elsewhere tmpfs rw"
	atf_check -s exit:1 -o empty -e match:'mnt: not an absolute pathname' \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs mnt tmpfs rw"
	atf_check -s exit:1 -o empty -e match:'"\.\." is not allowed' \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs $ROOT/../elsewhere tmpfs rw"
	# A sibling whose name begins with the jail's path is not under it.
	mkdir -p "${ROOT}2"
	atf_check -s exit:1 -o empty -e match:'not under the jail' \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs ${ROOT}2 tmpfs rw"
	atf_check -s exit:1 -o empty -e match:'mount: no path' \
	    "$MOUNTRUN" start "mount=tmpfs $ROOT/mnt tmpfs rw"
	no_mounts
}

jt_case symlink_target "a symlink planted in the jail's tree never leads a mount onto the host"
symlink_target_body()
{
	mountrun_init
	rmdir "$ROOT/mnt"
	ln -s /etc "$ROOT/mnt"
	mkdir -p "$ROOT/a"
	ln -s /etc "$ROOT/a/b"
	ln -s "$JT_WORK/src" "$ROOT/srclink"
	etc=$(mounts_on /etc)
	ssl=$(mounts_on /etc/ssl)
	atf_check -s exit:1 -o empty -e match:"$ROOT/mnt: a symbolic link" \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs $ROOT/mnt tmpfs rw"
	atf_check -s exit:1 -o empty -e match:"$ROOT/a/b/ssl: a symbolic link" \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs $ROOT/a/b/ssl tmpfs rw"
	atf_check -s exit:1 -o empty -e match:"$ROOT/mnt: a symbolic link" \
	    "$MOUNTRUN" start path="$ROOT" "mount=$SRC $ROOT/mnt nullfs ro"
	# A nullfs source inside the jail's path is resolved the same way.
	atf_check -s exit:1 -o empty -e match:"$ROOT/srclink: a symbolic link" \
	    "$MOUNTRUN" start path="$ROOT" "mount=$ROOT/srclink $ROOT/mnt2 nullfs ro"
	# A symlink to the jail's own tree is still a symlink.
	ln -s mnt2 "$ROOT/inside"
	atf_check -s exit:1 -o empty -e match:"$ROOT/inside: a symbolic link" \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs $ROOT/inside tmpfs rw"
	[ "$(mounts_on /etc)" = "$etc" ] || atf_fail "a mount landed on /etc"
	[ "$(mounts_on /etc/ssl)" = "$ssl" ] || atf_fail "a mount landed on /etc/ssl"
	no_mounts
	# Unmounting through a planted symlink is refused just the same.
	atf_check -s exit:1 -o empty -e match:"$ROOT/mnt: a symbolic link" \
	    "$MOUNTRUN" stop path="$ROOT" "mount=tmpfs $ROOT/mnt tmpfs rw"
	[ "$(mounts_on /etc)" = "$etc" ] || atf_fail "a mount left /etc"
}

jt_case source_outside_spec "a new file system's device may not lie in the jail's path"
source_outside_spec_body()
{
	mountrun_init
	atf_check -s exit:1 -o empty \
	    -e match:'cannot lie in the jail.s path' \
	    "$MOUNTRUN" start path="$ROOT" "mount=$ROOT/disk $ROOT/mnt ext4 ro"
	no_mounts
}

# ---------------------------------------------------------------------------
# Undo

jt_case undo_reverse "undo unmounts in reverse: nested and stacked mounts, nothing left"
undo_reverse_body()
{
	mountrun_init
	mkdir -p "$ROOT/usr"
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" cycle path="$ROOT" \
	    "mount=tmpfs $ROOT/usr tmpfs rw" \
	    "mount=$SRC $ROOT/usr nullfs ro" \
	    "mount=tmpfs $ROOT/usr tmpfs rw" \
	    "mount=tmpfs $ROOT/mnt tmpfs rw"
	no_mounts
}

jt_case undo_failed_start "a start that fails half-way undoes what it mounted"
undo_failed_start_body()
{
	mountrun_init
	atf_check -s exit:1 -o empty -e match:"$ROOT/absent: No such file" \
	    "$MOUNTRUN" start path="$ROOT" \
	    "mount=$SRC $ROOT/mnt nullfs ro" \
	    "mount=tmpfs $ROOT/scratch tmpfs rw" \
	    "mount=tmpfs $ROOT/absent tmpfs rw"
	no_mounts
	# Failing on a bad option of the last line, after real mounts.
	atf_check -s exit:1 -o empty -e match:'option bogus' \
	    "$MOUNTRUN" start path="$ROOT" \
	    "mount=$SRC $ROOT/mnt nullfs ro" \
	    "mount=tmpfs $ROOT/scratch tmpfs rw,bogus"
	no_mounts
}

jt_case stop_idempotent "unmounting what is not mounted is no error; a foreign mount is not taken"
stop_idempotent_body()
{
	mountrun_init
	set -- path="$ROOT" "mount=$SRC $ROOT/mnt nullfs ro" \
	    "mount=tmpfs $ROOT/scratch tmpfs rw"
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" start "$@"
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" stop "$@"
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" stop "$@"
	no_mounts
	# Something else mounted there: not the line's, left alone.
	mount -t tmpfs other "$ROOT/mnt"
	jt_on_cleanup umount -l "$ROOT/mnt"
	atf_check -s exit:1 -o empty \
	    -e match:"$ROOT/mnt: not a nullfs mount of the source" \
	    "$MOUNTRUN" stop "$@"
	[ "$(mounts_on "$ROOT/mnt")" = 1 ] || atf_fail "the foreign mount was taken"
	umount "$ROOT/mnt"
	no_mounts
}

# ---------------------------------------------------------------------------
# Types and options

jt_case own_filesystems "procfs, fdescfs, devfs: the jail has its own; elsewhere refused"
own_filesystems_body()
{
	mountrun_init
	atf_check -s exit:0 -e empty \
	    -o inline:"o: mount: procfs on $ROOT/proc: the jail has its own /proc, nothing to mount
o: mount.fdescfs: the jail has its own /dev/fd, nothing to mount
o: mount.procfs: the jail has its own /proc, nothing to mount
" \
	    "$MOUNTRUN" -v -n o start path="$ROOT" \
	    "mount=proc $ROOT/proc procfs rw" mount.fdescfs mount.procfs
	atf_check -s exit:1 -o empty \
	    -e match:"procfs on $ROOT/mnt: the jail has its own /proc" \
	    "$MOUNTRUN" start path="$ROOT" "mount=proc $ROOT/mnt procfs rw"
	atf_check -s exit:1 -o empty -e match:"devtmpfs: it holds the host's device nodes" \
	    "$MOUNTRUN" start path="$ROOT" "mount=udev $ROOT/mnt devtmpfs rw"
	atf_check -s exit:1 -o empty -e match:"cgroup2: it would show the host kernel" \
	    "$MOUNTRUN" start path="$ROOT" "mount=none $ROOT/mnt cgroup2 rw"
	atf_check -s exit:1 -o empty -e match:"fuse.sshfs: a FUSE file system needs its daemon" \
	    "$MOUNTRUN" start path="$ROOT" "mount=x $ROOT/mnt fuse.sshfs rw"
	no_mounts
}

jt_case freebsd_options "FreeBSD-only options: noted, warned about or refused"
freebsd_options_body()
{
	mountrun_init
	set -- path="$ROOT" "mount=tmpfs $ROOT/scratch tmpfs rw,late,noauto,multilabel"
	atf_check -s exit:0 \
	    -o match:'option late ignored: it orders mount -a at boot' \
	    -e match:'option multilabel ignored: Linux has no MAC labels' \
	    "$MOUNTRUN" -v start "$@"
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" stop "$@"
	atf_check -s exit:1 -o empty \
	    -e match:'option mountprog: jail\(8\) mounts with system calls' \
	    "$MOUNTRUN" start path="$ROOT" \
	    "mount=tmpfs $ROOT/scratch tmpfs rw,mountprog=/sbin/x"
	atf_check -s exit:1 -o empty -e match:'option bogus: nullfs has no such option' \
	    "$MOUNTRUN" start path="$ROOT" "mount=$SRC $ROOT/mnt nullfs bogus"
	# "xx" is fstab(5)'s "ignore this line"; failok makes a failure a warning.
	atf_check -s exit:0 -o empty -e empty \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs $ROOT/scratch tmpfs xx"
	atf_check -s exit:0 -o empty -e match:'not mounted \(failok\)' \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs $ROOT/absent tmpfs failok"
	# nocover: not on top of a mount point.
	atf_check -s exit:0 -o empty -e empty \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs $ROOT/scratch tmpfs rw"
	atf_check -s exit:1 -o empty -e match:'already a mount point \(nocover\)' \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs $ROOT/scratch tmpfs nocover"
	atf_check -s exit:0 -o empty -e empty \
	    "$MOUNTRUN" stop path="$ROOT" "mount=tmpfs $ROOT/scratch tmpfs rw"
	# emptydir: only on an empty directory.
	atf_check -s exit:1 -o empty -e match:'not an empty directory \(emptydir\)' \
	    "$MOUNTRUN" start path="$ROOT" "mount=tmpfs $ROOT/etc tmpfs emptydir"
	no_mounts
}

# ---------------------------------------------------------------------------
# mount.devfs and devfs_ruleset

jt_case devfs_ruleset "devfs_ruleset is checked against the jail's own /dev"
devfs_ruleset_body()
{
	mountrun_init
	cat > devfs.rules <<'EOF'
# Rulesets of the site.
[site_tun=10]
add include $devfsrules_jail
add path 'tun*' unhide
[site_bpf=11]
add include $devfsrules_jail_vnet	# and bpf for dhclient
add path 'bpf*' unhide
add path null mode 0600
[site_norandom=12]
add include $devfsrules_jail
add path random hide
[site_loop=13]
add include $site_loop
[site_all=14]
add include $devfsrules_jail
add unhide
[host_disks=20]
add path 'da*' type disk unhide
EOF
	set -- -R "$JT_WORK/devfs.rules" -n d start path="$ROOT" mount.devfs
	atf_check -s exit:0 -e empty \
	    -o inline:"d: mount.devfs: the jail's own /dev, ruleset 4 (devfsrules_jail); jails here go without crypto, fuse, zfs, legacy BSD ptys\n" \
	    "$MOUNTRUN" -v "$@"
	atf_check -s exit:0 -e empty -o match:'ruleset 4 \(devfsrules_jail\)' \
	    "$MOUNTRUN" -v "$@" devfs_ruleset=0
	atf_check -s exit:0 -e empty \
	    -o match:'ruleset 5 \(devfsrules_jail_vnet\); jails here go without .*pf' \
	    "$MOUNTRUN" -v "$@" devfs_ruleset=5
	atf_check -s exit:0 -e empty \
	    -o match:'devfs.rules line 8: mode rules are not applied' \
	    -o match:'go without .*bpf\*' \
	    "$MOUNTRUN" -v "$@" devfs_ruleset=11
	atf_check -s exit:1 -o empty \
	    -e match:"devfs_ruleset 10: $JT_WORK/devfs.rules line 4: unhides tun\*, which the jail's /dev cannot have" \
	    "$MOUNTRUN" "$@" devfs_ruleset=10
	atf_check -s exit:1 -o empty \
	    -e match:"devfs_ruleset 12 \(site_norandom\) hides random, which the jail's /dev always has" \
	    "$MOUNTRUN" "$@" devfs_ruleset=12
	atf_check -s exit:1 -o empty -e match:'includes nest too deep' \
	    "$MOUNTRUN" "$@" devfs_ruleset=13
	atf_check -s exit:1 -o empty -e match:'unhides every device' \
	    "$MOUNTRUN" "$@" devfs_ruleset=14
	atf_check -s exit:1 -o empty -e match:'"type" conditions are not supported' \
	    "$MOUNTRUN" "$@" devfs_ruleset=20
	atf_check -s exit:1 -o empty -e match:'devfs_ruleset 1 \(devfsrules_hide_all\) hides null' \
	    "$MOUNTRUN" "$@" devfs_ruleset=1
	atf_check -s exit:1 -o empty -e match:'devfs_ruleset 99: no such ruleset' \
	    "$MOUNTRUN" "$@" devfs_ruleset=99
	atf_check -s exit:1 -o empty -e match:'devfs_ruleset: non-integer value' \
	    "$MOUNTRUN" "$@" devfs_ruleset=x
	# mount.nodevfs: the jail has its /dev all the same; nothing is checked.
	atf_check -s exit:0 -e empty -o match:'mount.nodevfs: the jail has its own /dev' \
	    "$MOUNTRUN" -v -R "$JT_WORK/devfs.rules" -n d start path="$ROOT" \
	    mount.nodevfs devfs_ruleset=10
	# A syntax error in a rules file is reported with its line.
	printf '[ok=30]\nadd hide\nfoo\n[bad]\n' > bad.rules
	atf_check -s exit:1 -o empty \
	    -e match:"$JT_WORK/bad.rules line 3: only \"add\" rules" \
	    -e match:"$JT_WORK/bad.rules line 4: not a ruleset header" \
	    "$MOUNTRUN" -R "$JT_WORK/bad.rules" start path="$ROOT" mount.devfs
}

# ---------------------------------------------------------------------------
# A real jail

jt_case jail_sees_mounts "mounts made before the jail is created are part of it"
jail_sees_mounts_body()
{
	mountrun_init
	set -- path="$ROOT" "mount=$SRC $ROOT/mnt nullfs ro" \
	    "mount=tmpfs $ROOT/scratch tmpfs rw,size=1m"
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" start "$@"
	echo made-on-host > "$ROOT/scratch/note"
	mkjail m
	atf_check -o inline:"hello\n" "$JEXEC" m cat /mnt/file
	atf_check -o inline:"made-on-host\n" "$JEXEC" m cat /scratch/note
	atf_check -s not-exit:0 -e match:'Read-only file system' \
	    "$JEXEC" m touch /mnt/x
	# The jail's root owns the tmpfs it was given (idmapped through the
	# jail's uid range), and writes there.
	atf_check -s exit:0 "$JEXEC" m sh -c 'echo from-jail > /scratch/j'
	atf_check -o inline:"from-jail\n" cat "$ROOT/scratch/j"
	# A mount made after creation does not reach the jail.
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" start path="$ROOT" \
	    "mount=$SRC $ROOT/mnt2 nullfs ro"
	atf_check -o empty "$JEXEC" m ls /mnt2
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" stop path="$ROOT" \
	    "mount=$SRC $ROOT/mnt2 nullfs ro"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r m
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" stop "$@"
	no_mounts
}

jt_case jail_dev_binds "a mount.fstab line binding a file or a directory below path/dev is in the jail's own /dev; one on the jail's own /dev/null is refused"
jail_dev_binds_body()
{
	mountrun_init
	mkdir -p "$ROOT/dev/logs"
	: > "$ROOT/dev/termination-log"
	: > "$SRC/tlog"
	cat > fstab <<EOT
$SRC/tlog $ROOT/dev/termination-log nullfs rw 0 0
$SRC $ROOT/dev/logs nullfs ro 0 0
EOT
	atf_check -s exit:0 -o empty -e empty \
	    "$MOUNTRUN" start path="$ROOT" mount.fstab="$JT_WORK/fstab"
	mkjail d
	atf_check "$JEXEC" d sh -c 'echo from-jail > /dev/termination-log'
	atf_check -o inline:"from-jail\n" cat "$SRC/tlog"
	atf_check -o inline:"hello\n" "$JEXEC" d cat /dev/logs/file
	atf_check -s not-exit:0 -e match:'Read-only file system' \
	    "$JEXEC" d touch /dev/logs/x
	# The jail's own nodes are still there, beside them.
	atf_check -o inline:"/dev/null\n" "$JEXEC" d ls /dev/null
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r d
	atf_check -s exit:0 -o empty -e empty \
	    "$MOUNTRUN" stop path="$ROOT" mount.fstab="$JT_WORK/fstab"
	# A bind over the jail's own /dev/null: no jail.
	[ -e "$ROOT/dev/null" ] || : > "$ROOT/dev/null"
	set -- path="$ROOT" "mount=$SRC/tlog $ROOT/dev/null nullfs rw"
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" start "$@"
	atf_check -s not-exit:0 -o ignore \
	    -e match:"path/dev/null: the jail's /dev has its own null" \
	    "$JAIL" -c name=n path="$ROOT" persist
	atf_check -o empty "$JLS" jid
	atf_check -s exit:0 -o empty -e empty "$MOUNTRUN" stop "$@"
	no_mounts
}
