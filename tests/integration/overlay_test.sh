#! /usr/bin/env atf-sh
#
# A jail on an overlayfs mount (prison/overlay.c): an overlay mount cannot
# be idmapped, so a jail with a private uid range gets a new overlay made
# of the same layers, each idmapped.  The cases mount an overlay of their
# own under their work directory (lower: a busybox root with files owned
# by 0 and 1000; upper; work), run a jail on it with jail(8) and jexec,
# and check what the jail sees, what lands on disk, and that nothing is
# left after (mounts, the jail's own work directory).

. "$(atf_get_srcdir)/common.subr"

# ovl_init: $OVL/{lower,upper,work,merged}, the overlay mounted on merged.
ovl_init()
{
	jt_init
	OVL=$JT_WORK/ovl
	mkdir -p "$OVL/upper" "$OVL/work" "$OVL/merged"
	mv "$ROOT" "$OVL/lower"
	echo zero > "$OVL/lower/f0"
	echo thousand > "$OVL/lower/f1000"
	chown 1000:1000 "$OVL/lower/f1000"
	echo doomed > "$OVL/lower/doomed"
	jt_on_cleanup umount -l "$OVL/merged"
	OPTS="lowerdir=$OVL/lower,upperdir=$OVL/upper,workdir=$OVL/work"
	mount -t overlay overlay -o "$OPTS" "$OVL/merged" ||
	    atf_fail "cannot mount an overlay"
}

# The entries of DIR other than the given ones (the jail's work directory).
others()
{
	_d=$1
	shift
	ls -A "$_d" | grep -vxF "$(printf '%s\n' "$@")"
}

# nothing_else DIR NAME...: DIR holds only the given entries.
nothing_else()
{
	_o=$(others "$@")
	[ -z "$_o" ] || atf_fail "left in $1: $_o"
}

owner()
{
	stat -c '%u:%g' "$1"
}

jt_case root "path= an overlay mount: jail ids, copy-up, whiteouts, chown land on disk as on a directory root"
root_body()
{
	ovl_init
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=ov path="$OVL/merged" persist
	# The jail's own work directory, beside upperdir, while it runs.
	others "$OVL" lower upper work merged |
	    grep -Eqx 'jail[0-9]+\.work\.[0-9a-f]{8}' ||
	    atf_fail "no work directory of the jail's own beside upperdir"
	atf_check -o inline:"0:0\n1000:1000\n" \
	    "$JEXEC" ov stat -c '%u:%g' /f0 /f1000
	atf_check -o inline:"zero\n" "$JEXEC" ov cat /f0
	# Copy-up of a file of jail uid 1000 keeps its owner.
	atf_check "$JEXEC" ov sh -c 'echo more >> /f1000'
	atf_check_equal "1000:1000" "$(owner "$OVL/upper/f1000")"
	atf_check -o inline:"thousand\nmore\n" cat "$OVL/upper/f1000"
	atf_check -o inline:"thousand\n" cat "$OVL/lower/f1000"
	# New files, chown, a directory: on-disk owners are the jail's ids.
	atf_check "$JEXEC" ov sh -c 'echo new > /new && mkdir /d &&
	    touch /d/f && chown 2000:3000 /d/f'
	atf_check_equal "0:0" "$(owner "$OVL/upper/new")"
	atf_check_equal "0:0" "$(owner "$OVL/upper/d")"
	atf_check_equal "2000:3000" "$(owner "$OVL/upper/d/f")"
	atf_check -o inline:"2000:3000\n" "$JEXEC" ov stat -c '%u:%g' /d/f
	# A delete of a lower file leaves a whiteout (a 0:0 character device).
	atf_check "$JEXEC" ov rm /doomed
	atf_check -s not-exit:0 -e ignore "$JEXEC" ov cat /doomed
	atf_check -o inline:"character special file 0:0\n" \
	    stat -c '%F %t:%T' "$OVL/upper/doomed"
	atf_check -o inline:"doomed\n" cat "$OVL/lower/doomed"
	# The host's own mount still works.
	atf_check -o inline:"new\n" cat "$OVL/merged/new"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r ov
	jt_wait 10 jt_no_prisons || atf_fail "the prison did not exit"
	nothing_else "$OVL" lower upper work merged
	atf_check umount "$OVL/merged"
}

jt_case submount "an overlay mounted under path= is in the jail, idmapped"
submount_body()
{
	ovl_init
	mkdir -p "$JT_WORK/plain"
	"$JT_TOP/tools/mkroot" "$JT_WORK/plain" > /dev/null 2>&1 ||
	    atf_fail "tools/mkroot failed"
	mkdir -p "$JT_WORK/plain/mnt"
	jt_on_cleanup umount -l "$JT_WORK/plain/mnt"
	atf_check mount --bind "$OVL/merged" "$JT_WORK/plain/mnt"
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=sub path="$JT_WORK/plain" persist
	atf_check -o inline:"1000:1000\n" "$JEXEC" sub stat -c '%u:%g' /mnt/f1000
	atf_check -o inline:'""\n' "$JLS" -j sub idmap.hidden
	atf_check "$JEXEC" sub sh -c 'echo x > /mnt/sub-new'
	atf_check_equal "0:0" "$(owner "$OVL/upper/sub-new")"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r sub
	jt_wait 10 jt_no_prisons || atf_fail "the prison did not exit"
	nothing_else "$OVL" lower upper work merged
	atf_check umount "$JT_WORK/plain/mnt"
	atf_check umount "$OVL/merged"
}

jt_case below "path= a directory inside an overlay mount"
below_body()
{
	jt_init
	OVL=$JT_WORK/ovl
	mkdir -p "$OVL/lower/sub" "$OVL/upper" "$OVL/work" "$OVL/merged"
	mv "$ROOT"/* "$OVL/lower/sub/"
	chown 1000:1000 "$OVL/lower/sub/etc"
	jt_on_cleanup umount -l "$OVL/merged"
	atf_check mount -t overlay overlay \
	    -o "lowerdir=$OVL/lower,upperdir=$OVL/upper,workdir=$OVL/work" \
	    "$OVL/merged"
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=below path="$OVL/merged/sub" persist
	atf_check -o inline:"1000:1000\n" "$JEXEC" below stat -c '%u:%g' /etc
	atf_check "$JEXEC" below touch /made
	atf_check_equal "0:0" "$(owner "$OVL/upper/sub/made")"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r below
	jt_wait 10 jt_no_prisons || atf_fail "the prison did not exit"
	nothing_else "$OVL" lower upper work merged
	atf_check umount "$OVL/merged"
}

jt_case readonly_layers "an overlay of lower layers only (escaped names), read-only: no work directory"
readonly_layers_body()
{
	jt_init
	OVL=$JT_WORK/ovl
	mkdir -p "$OVL/top:a b" "$OVL/merged"
	echo top > "$OVL/top:a b/only-top"
	chown 1000:1000 "$OVL/top:a b/only-top"
	jt_on_cleanup umount -l "$OVL/merged"
	atf_check mount -t overlay overlay -o "lowerdir=$OVL/top\\:a b:$ROOT" \
	    "$OVL/merged"
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=ro path="$OVL/merged" persist
	atf_check -o inline:"1000:1000\n" "$JEXEC" ro stat -c '%u:%g' /only-top
	atf_check -o inline:"top\n" "$JEXEC" ro cat /only-top
	atf_check -s not-exit:0 -e match:'Read-only' "$JEXEC" ro touch /x
	nothing_else "$OVL" "top:a b" merged
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r ro
	jt_wait 10 jt_no_prisons || atf_fail "the prison did not exit"
	atf_check umount "$OVL/merged"
}

jt_case identity "idmap=identity on an overlay: cloned as before, host ids"
identity_body()
{
	ovl_init
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=id path="$OVL/merged" idmap=identity persist
	nothing_else "$OVL" lower upper work merged
	atf_check -o inline:"1000:1000\n" "$JEXEC" id stat -c '%u:%g' /f1000
	atf_check "$JEXEC" id touch /idn
	atf_check_equal "0:0" "$(owner "$OVL/upper/idn")"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r id
	jt_wait 10 jt_no_prisons || atf_fail "the prison did not exit"
	atf_check umount "$OVL/merged"
}

jt_case relative "an overlay whose layers were given as relative paths: refused, saying why; nothing left"
relative_body()
{
	ovl_init
	atf_check umount "$OVL/merged"
	# mountinfo shows the layers as given: relative to a directory unknown.
	(cd "$OVL" && mount -t overlay overlay \
	    -o lowerdir=lower,upperdir=upper,workdir=work merged) ||
	    atf_fail "cannot mount an overlay with relative layers"
	atf_check -s not-exit:0 -o empty \
	    -e match:'overlay layer lower is not an absolute path' \
	    "$JAIL" -c name=rel path="$OVL/merged" persist
	atf_check -o empty "$JLS" jid
	nothing_else "$OVL" lower upper work merged
	atf_check umount "$OVL/merged"
}

jt_case flags "the overlay mount's ro and nosuid are kept in the jail"
flags_body()
{
	ovl_init
	atf_check mount -o remount,bind,ro,nosuid "$OVL/merged"
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=fl path="$OVL/merged" persist
	atf_check -o match:'^[0-9]+ [0-9]+ [0-9:]+ / / ro,nosuid,nodev' \
	    "$JEXEC" fl cat /proc/self/mountinfo
	atf_check -s not-exit:0 -e match:'Read-only' "$JEXEC" fl touch /x
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r fl
	jt_wait 10 jt_no_prisons || atf_fail "the prison did not exit"
	nothing_else "$OVL" lower upper work merged
	atf_check umount "$OVL/merged"
}

jt_case index_on "an overlay with index=on locks its upperdir: refused with EBUSY, saying why; nothing left"
index_on_body()
{
	ovl_init
	atf_check umount "$OVL/merged"
	atf_check mount -t overlay overlay \
	    -o "index=on,lowerdir=$OVL/lower,upperdir=$OVL/upper,workdir=$OVL/work" \
	    "$OVL/merged"
	atf_check -s not-exit:0 -o empty \
	    -e match:'Device or resource busy \(its upper directory is locked' \
	    "$JAIL" -c name=idx path="$OVL/merged" persist
	atf_check -o empty "$JLS" jid
	nothing_else "$OVL" lower upper work merged
	atf_check umount "$OVL/merged"
}

jt_case prison_killed "the prison killed: its guardian removes the jail's work directory"
prison_killed_body()
{
	ovl_init
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=pk path="$OVL/merged" persist
	[ -n "$(others "$OVL" lower upper work merged)" ] ||
	    atf_fail "no work directory of the jail's own"
	p=$(jt_prison_of_registry)
	[ -n "$p" ] || atf_fail "no prison"
	kill -9 $p
	jt_wait 10 jt_no_prisons || atf_fail "the guardian did not finish"
	nothing_else "$OVL" lower upper work merged
	atf_check umount "$OVL/merged"
}
