#! /usr/bin/env atf-sh
#
# Escapes through the file system: the jail's root, its working
# directories, /proc, mounts, file handles, links, and the files the
# jail tools read in a jail's tree.  spec/escapes.md, "Filesystem and
# root"; README says which items live elsewhere.

. "$(atf_get_srcdir)/security.subr"

jt_case chroot_fd "chroot with a directory fd kept from before, then .., stays in the jail"
chroot_fd_body()
{
	esc_init
	mkjail e
	touch "$ROOT/.esc_inside" "$JT_WORK/esc_host_marker"
	# Without pivot_root and the old root detached, fchdir to the fd of
	# "/" and enough ".." would reach the host's root.
	atf_check -s exit:0 -e empty \
	    -o inline:"chroot ok\nfchdir ok\nchroot. ok\nin=yes out=no\n" \
	    "$JEXEC" e /bin/esc chroot-fd /.esc_inside "$JT_WORK/esc_host_marker"
}

jt_case cwd_outside "jexec from a host working directory starts the command at the jail's root"
cwd_outside_body()
{
	esc_init
	mkjail c
	expect="getcwd ok /\nproc-cwd ok /\ncwd-is-root yes\n"
	atf_check -s exit:0 -e empty -o inline:"$expect" \
	    -x "cd '$JT_WORK' && '$JEXEC' c /bin/esc cwd"
	atf_check -s exit:0 -e empty -o inline:"$expect" \
	    -x "cd /proc/self/fd && '$JEXEC' c /bin/esc cwd"
	atf_check -s exit:0 -e empty -o inline:"$expect" \
	    "$JEXEC" -d /proc/self/cwd c /bin/esc cwd
}

# The process starts wherever chdir(2) took it; with a magic link the
# target can be outside the jail's root (runc CVE-2024-21626).
cwd_check_fd()	# WHAT COMMAND...: runs COMMAND with a host directory on stdin
{
	_w=$1
	shift
	mkdir "$JT_WORK/hostdir"
	echo "host secret" > "$JT_WORK/hostdir/esc_host_marker"
	"$@" < "$JT_WORK/hostdir" > out 2> err
	if grep -q 'host secret' out; then
		atf_fail "$_w: the command started in the host directory on stdin and read a host file through it"
	fi
	if grep -q '^getcwd fail' out || grep -q 'cwd-is-root no' out; then
		atf_fail "$_w: the command's cwd is outside the jail root: $(cat out)"
	fi
}

jt_case cwd_proc_fd "jexec -d /proc/self/fd/N never starts a command outside the jail root"
cwd_proc_fd_body()
{
	esc_init
	mkjail c
	cwd_check_fd "jexec -d /proc/self/fd/0" \
	    "$JEXEC" -d /proc/self/fd/0 c sh -c '/bin/esc cwd; cat esc_host_marker'
}

jt_case home_proc_fd "a home directory of /proc/self/fd/N in the jail's passwd does not take jexec -l outside"
home_proc_fd_body()
{
	esc_init
	echo 'esc:x:1002:1002:planted by jail root:/proc/self/fd/0:/bin/sh' >> "$ROOT/etc/passwd"
	mkjail c
	cwd_check_fd "jexec -l -U esc with a planted home" \
	    "$JEXEC" -l -U esc c sh -c '/bin/esc cwd; cat esc_host_marker'
}

jt_case proc_other_pids "/proc/PID/root, cwd and ns/* of any process the jail sees lead nowhere outside"
proc_other_pids_body()
{
	esc_init
	mkjail p
	sleep 310101 &
	jt_track $!
	hostpid=$!
	echo "host secret" > "$JT_WORK/esc_host_marker"
	hostmnt=$(stat -L -c %i /proc/self/ns/mnt)
	hostnet=$(stat -L -c %i /proc/self/ns/net)
	"$JEXEC" p sh -c 'sleep 310102 >/dev/null 2>&1 </dev/null &'
	cat > "$ROOT/probe" <<EOF
own=\$(stat -L -c %i /proc/self/ns/mnt)
[ -e /proc/$hostpid ] && echo "host pid $hostpid visible"
for d in /proc/[0-9]*; do
	p=\${d#/proc/}
	for l in root cwd; do
		t=\$(readlink \$d/\$l 2>/dev/null) || continue
		[ "\$t" = / ] || echo "\$d/\$l -> \$t"
	done
	[ -e "\$d/root$JT_WORK/esc_host_marker" ] && echo "host file through \$d/root"
	[ -e "\$d/cwd$JT_WORK/esc_host_marker" ] && echo "host file through \$d/cwd"
	for n in mnt net; do
		i=\$(stat -L -c %i \$d/ns/\$n 2>/dev/null) || continue
		case \$i in $hostmnt|$hostnet) echo "\$d/ns/\$n is the host's" ;; esac
	done
done
readlink /proc/1/root >/dev/null 2>&1 && [ "\$(readlink /proc/1/root)" != / ] &&
    echo "/proc/1/root is \$(readlink /proc/1/root)"
exit 0
EOF
	atf_check -s exit:0 -o empty -e empty "$JEXEC" p sh /probe
	# The probe can see: the jail's own processes are there.
	atf_check -s exit:0 -o match:'^[0-9]+$' -e empty \
	    "$JEXEC" p sh -c 'ls -d /proc/[0-9]* | wc -l'
}

jt_case mount_targets_symlinked "a jail root whose proc, sys or dev is a symlink to a host path: creation fails, the host is untouched"
mount_targets_symlinked_body()
{
	jt_init
	mkdir "$JT_WORK/target"
	touch "$JT_WORK/target/untouched"
	for d in proc sys dev; do
		for t in "$JT_WORK/target" "../../../../../../../../$JT_WORK/target"; do
			rmdir "$ROOT/$d" 2>/dev/null || rm -f "$ROOT/$d"
			ln -s "$t" "$ROOT/$d"
			atf_check -s exit:1 -o empty -e match:"path/$d" \
			    "$JAIL" -c name=s path="$ROOT" persist
			grep -q " $JT_WORK/target " /proc/self/mountinfo &&
			    atf_fail "something was mounted on the host's $JT_WORK/target"
			[ "$(ls -A "$JT_WORK/target")" = untouched ] ||
			    atf_fail "the host directory changed: $(ls -A "$JT_WORK/target")"
			atf_check -o empty "$JLS" jid
		done
		rm -f "$ROOT/$d"
		mkdir "$ROOT/$d"
	done
	# And with real directories the same root works.
	mkjail s
}

jt_case planted_symlinks "symlinks planted at paths the tools read or write point inside the jail, never to the host"
planted_symlinks_body()
{
	esc_init
	printf 'eschost:x:0:0::/:/bin/sh\n' > "$JT_WORK/host_passwd"
	echo "host file" > "$JT_WORK/host_file"
	sum=$(cksum "$JT_WORK/host_passwd" "$JT_WORK/host_file")
	for f in etc/resolv.conf etc/hosts etc/login.conf etc/nsswitch.conf \
	    etc/localtime etc/hostname; do
		ln -sf "$JT_WORK/host_file" "$ROOT/$f"
	done
	mv "$ROOT/etc/group" "$ROOT/etc/group.real"
	ln -s "$JT_WORK/host_file" "$ROOT/etc/group"
	mv "$ROOT/etc/passwd" "$ROOT/etc/passwd.real"
	ln -s "$JT_WORK/host_passwd" "$ROOT/etc/passwd"
	touch -d '2001-01-01' "$JT_WORK/host_passwd" "$JT_WORK/host_file"
	mkjail s host.hostname=s.example
	# The passwd symlink resolves inside the jail, where it leads nowhere.
	atf_check -s exit:1 -o empty -e match:'eschost' "$JEXEC" -U eschost s id
	atf_check -s exit:0 -o ignore -e ignore "$JEXEC" -l s true
	atf_check -s exit:0 -o ignore -e ignore "$JAIL" -m name=s host.hostname=t.example
	atf_check -s exit:0 -o ignore -e ignore "$JLS" -v
	atf_check -s exit:0 -o ignore -e ignore "$JAIL" -c name=c path="$ROOT" \
	    command=/bin/true
	atf_check -s exit:0 -o ignore -e ignore "$JAIL" -r s
	[ "$(cksum "$JT_WORK/host_passwd" "$JT_WORK/host_file")" = "$sum" ] ||
	    atf_fail "a host file behind a planted symlink changed"
	[ -z "$(find "$JT_WORK/host_passwd" "$JT_WORK/host_file" -newermt 2001-01-02)" ] ||
	    atf_fail "a host file behind a planted symlink was written"
}

jt_case nss_not_loaded "jexec, jail and jls never load name-service modules from the jail"
nss_not_loaded_body()
{
	esc_init
	probe=$JT_TOP/build/tests/security/nss_probe
	mod=$JT_TOP/build/tests/security/libnss_jtesc.so.2
	[ -x "$probe" ] && [ -f "$mod" ] || atf_fail "NSS helpers missing: run make tests"
	for d in lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib64 lib usr/lib \
	    lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu; do
		mkdir -p "$ROOT/$d"
		cp "$mod" "$ROOT/$d/"
	done
	printf 'passwd: jtesc files\ngroup: jtesc files\nshadow: jtesc files\nhosts: jtesc files\ninitgroups: jtesc\n' \
	    > "$ROOT/etc/nsswitch.conf"
	# Control: a tool that looks a user up inside this root loads it.
	atf_check -s exit:0 -o ignore -e match:'libnss_jtesc: loaded' \
	    "$probe" "$ROOT" jailuser
	[ -f "$ROOT/tmp/jt-nss-loaded" ] || atf_fail "the control did not load the module"
	rm -f "$ROOT/tmp/jt-nss-loaded"

	export JT_NSS_MARK="$JT_WORK/nss_mark"
	mkjail n
	for args in "-U jailuser" "-l -U jailuser" "-l" "-u nobody" "-u root"; do
		atf_check -s exit:0 -o ignore -e not-match:'libnss_jtesc' \
		    "$JEXEC" $args n id
	done
	atf_check -s exit:0 -o ignore -e not-match:'libnss_jtesc' \
	    "$JAIL" -c name=c path="$ROOT" exec.jail_user=jailuser command=/bin/id
	atf_check -s exit:0 -o ignore -e not-match:'libnss_jtesc' "$JLS" -v
	atf_check -s exit:0 -o ignore -e not-match:'libnss_jtesc' "$JLS" -n -j n
	[ ! -e "$ROOT/tmp/jt-nss-loaded" ] || atf_fail "a jail tool loaded the jail's NSS module (inside the jail)"
	[ ! -e "$JT_WORK/nss_mark" ] || atf_fail "a jail tool loaded the jail's NSS module (on the host)"
}

# Masks that exist on this kernel: empty files and directories mounted
# over what jail root must not read.
esc_masks()
{
	for m in /proc/keys /proc/timer_list /proc/sched_debug /proc/kcore \
	    /proc/sysrq-trigger /sys/firmware /sys/kernel/debug; do
		[ -e "$m" ] && echo "$m"
	done
}

jt_case masks_locked "masks cannot be unmounted nor read-only mounts made writable"
masks_locked_body()
{
	esc_init
	masks=$(esc_masks)
	[ -n "$masks" ] || atf_fail "no maskable path on this host"
	n=$(echo $masks | wc -w)
	# allow.nomount (the default): the calls are refused outright.
	mkjail d
	atf_check -s exit:0 -o save:d.umount -e empty "$JEXEC" d /bin/esc umount $masks
	esc_refused d.umount $((2 * n)) EPERM
	atf_check -s exit:0 -o save:d.remount -e empty \
	    "$JEXEC" d /bin/esc remount-rw /proc/sys /sys
	esc_refused d.remount 6 EPERM
	# allow.mount: jail root has CAP_SYS_ADMIN in its user namespace; the
	# kernel's locked mounts must hold.
	mkjail m allow.mount enforce_statfs=1
	atf_check -s exit:0 -o save:m.umount -e empty "$JEXEC" m /bin/esc umount $masks /proc /sys /dev/pts
	esc_refused m.umount $((2 * n + 6)) EINVAL EPERM
	atf_check -s exit:0 -o save:m.remount -e empty \
	    "$JEXEC" m /bin/esc remount-rw /proc/sys /sys
	esc_refused m.remount 6 EPERM
	atf_check -s not-exit:0 -o empty -e match:'Read-only file system' \
	    "$JEXEC" m sh -c 'echo esc > /proc/sys/kernel/hostname'
	for f in $masks; do
		[ -d "$f" ] && continue
		atf_check -s exit:0 -o match:" ok 0$|fail" -e empty "$JEXEC" m /bin/esc read "$f"
	done
	atf_check -s exit:0 -o empty -e empty "$JEXEC" m sh -c \
	    'for d in /sys/firmware /sys/kernel/debug; do [ -d $d ] && ls -A $d; done; true'
}

jt_case fresh_proc_sysfs "a fresh proc or sysfs mount, unmasked, is refused even with allow.mount"
fresh_proc_sysfs_body()
{
	esc_init
	mkjail m allow.mount enforce_statfs=1
	mkdir -p "$ROOT/mnt/p"
	# proc: the jail's pid namespace is the host's user namespace's;
	# sysfs: "too revealing", the jail's own is masked (kernel_test has
	# cgroup file systems).
	for t in proc sysfs; do
		atf_check -s exit:0 -o inline:"mount $t fail EPERM\n" -e empty \
		    "$JEXEC" m /bin/esc mount $t /mnt/p
	done
	# The control: the same jail root may mount what is its own.
	atf_check -s exit:0 -o inline:"mount tmpfs ok\n" -e empty \
	    "$JEXEC" m /bin/esc mount tmpfs /mnt/p
}

jt_case mount_api_refused "with allow.nomount every mount system call is refused"
mount_api_refused_body()
{
	esc_init
	mkjail d
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" d /bin/esc mountapi
	esc_refused out 9 EPERM ENOSYS
	# Without the policy the same calls work for jail root (allow.mount).
	mkjail m allow.mount enforce_statfs=1
	atf_check -s exit:0 -o match:'^fsopen ok$' -o match:'^open_tree ok$' \
	    -o match:'^mount ok$' -e empty "$JEXEC" m /bin/esc mountapi
}

jt_case mount_not_on_host "a mount made inside the jail does not appear on the host"
mount_not_on_host_body()
{
	esc_init
	mkdir -p "$ROOT/mnt/m"
	mkjail m allow.mount enforce_statfs=1
	atf_check -s exit:0 -o empty -e empty "$JEXEC" m sh -c \
	    'mount -t tmpfs esc /mnt/m && echo inside > /mnt/m/file && cat /mnt/m/file >/dev/null'
	atf_check -s exit:0 -o inline:"inside\n" -e empty "$JEXEC" m cat /mnt/m/file
	grep -q " $ROOT/mnt/m " /proc/self/mountinfo &&
	    atf_fail "the jail's mount propagated to the host"
	[ ! -e "$ROOT/mnt/m/file" ] || atf_fail "the jail's tmpfs shows on the host"
	return 0
}

jt_case open_by_handle "open_by_handle_at (shocker) is refused, with the handle of a host file"
open_by_handle_body()
{
	esc_init
	echo "host secret" > "$JT_WORK/esc_host_marker"
	# A handle of a host file outside the jail root, on the same file
	# system: what shocker brute-forces.
	h=$("$ESC" handle-get "$JT_WORK/esc_host_marker") ||
	    atf_skip "no file handles on this file system: $h"
	# Control: on the host, with the jail root's mount, it opens the file.
	atf_check -s exit:0 -o match:'^open_by_handle_at ok read 12: host secret' \
	    -e empty "$ESC" handle-open "$ROOT" $h
	mkjail h
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" h /bin/esc handle-open / $h
	esc_refused out 3 EPERM
	[ "$(cat "$JT_WORK/esc_host_marker")" = "host secret" ] || atf_fail "marker changed"
}

jt_case hardlink_host_file "hard links to host files: refused across mounts and by protected_hardlinks"
hardlink_host_file_body()
{
	esc_init
	echo "host secret" > "$JT_WORK/esc_host_marker"
	mkdir "$JT_WORK/shared" "$ROOT/shared"
	echo "root only" > "$JT_WORK/shared/rootfile"
	chmod 0600 "$JT_WORK/shared/rootfile"
	chmod 0777 "$JT_WORK/shared"
	mount --bind "$JT_WORK/shared" "$ROOT/shared" || atf_fail "bind mount"
	jt_on_cleanup "umount '$ROOT/shared'"
	mkjail l
	# A host file the jail holds open (stdin): no name for it in the jail.
	atf_check -s exit:0 -o inline:"linkat-empty fail ENOENT\nlinkat-proc fail EXDEV\n" \
	    -e empty -x "'$JEXEC' l /bin/esc linkfd 0 /tmp/esc_link < '$JT_WORK/esc_host_marker'"
	atf_check -o inline:"1\n" stat -c %h "$JT_WORK/esc_host_marker"
	# A file on a bind shared with the host, owned by someone else.
	if [ "$(cat /proc/sys/fs/protected_hardlinks)" = 1 ]; then
		atf_check -s exit:0 -o inline:"link fail EPERM\n" -e empty \
		    "$JEXEC" -U jailuser l /bin/esc link /shared/rootfile /shared/esc_link
		atf_check -o inline:"1\n" stat -c %h "$JT_WORK/shared/rootfile"
	fi
	# Across mounts, a link never reaches the host's file.
	atf_check -s exit:0 -o inline:"link fail EXDEV\n" -e empty \
	    "$JEXEC" l /bin/esc link /shared/rootfile /tmp/esc_link
	atf_check -o inline:"1\n" stat -c %h "$JT_WORK/shared/rootfile"
}
