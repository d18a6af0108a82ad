#! /usr/bin/env atf-sh
#
# jail(8) with malformed or forbidden parameters: every one must fail with
# exit status 1, FreeBSD's message on stderr, nothing on stdout, and leave
# nothing behind (no prison, no registry entry, no cgroup, no mount).
# Spec: freebsd-jail.md sections 1.2, 3, 4.2, 4.4, 10 (and libjail's
# jailparam_import messages).
#
# Where FreeBSD's kernel gives no errmsg, jail(8) prints "jail_set: " and
# the errno's text; an errmsg naming the parameter is accepted instead
# (the errno being FreeBSD's is checked by the API tests).

. "$(atf_get_srcdir)/common.subr"

# bad MESSAGE_REGEX ARGS...: "jail ARGS" fails as described and leaves
# nothing behind.  The regex is anchored on both ends.
bad()
{
	_re=$1
	shift
	jt_prisons | sort > prisons.before
	atf_check -s exit:1 -o empty -e match:"^jail: $_re\$" "$JAIL" "$@"
	jt_assert_clean "$@"
}

# bad_exact MESSAGE ARGS...: as bad, with a literal message.
bad_exact()
{
	_msg=$1
	shift
	jt_prisons | sort > prisons.before
	atf_check -s exit:1 -o empty -e inline:"jail: $_msg\n" "$JAIL" "$@"
	jt_assert_clean "$@"
}

# Nothing may be left of a failed operation: no prison but those that ran
# before it (the jails the update tests modify), ...
jt_no_new_prisons()
{
	[ -z "$(jt_prisons | sort | comm -13 prisons.before -)" ]
}

jt_assert_clean()
{
	[ -f prisons.before ] || : > prisons.before
	jt_wait 5 jt_no_new_prisons || atf_fail "prison left after: jail $*"
	jt_reg_empty_but_live || atf_fail "registry entries left after: jail $*: $(jt_reg_entries)"
	jt_wait 5 jt_no_new_cgroups_but_live ||
	    atf_fail "cgroups left after: jail $*: $(jt_new_cgroups)"
	[ -z "$(jt_mounts)" ] || atf_fail "mounts left after: jail $*: $(jt_mounts)"
}

# With a live jail in the registry (the update tests), only its own
# entries may be there: "<jid>" and "<jid>.sock" style files of live jids.
jt_reg_empty_but_live()
{
	_live=$("$JLS" jid 2>/dev/null)
	for _e in $(jt_reg_entries); do
		_k=${_e%%.*}
		case " $(echo $_live) " in
		*" $_k "*) ;;
		*) return 1 ;;
		esac
	done
	return 0
}

# Only the live prisons (of the jails the update tests modify) may still
# have their cgroups.
jt_no_new_cgroups_but_live()
{
	_cg=$(jt_cgroot)
	for _d in $(jt_new_cgroups); do
		_t=${_d#"$_cg"/jail/}
		_t=${_t%%/*}
		[ -d "/proc/${_t##*.}" ] || return 1
	done
	return 0
}

# A string of N x's.
xs()
{
	printf "%${1}s" | tr ' ' x
}

# Errno-or-errmsg regex for a parameter the kernel refuses without errmsg.
errno_or()	# PARAM-REGEX ERRNO-TEXT
{
	echo "(jail_set: $2|$1[ :].*)"
}

jt_case unknown_parameter "an unknown parameter name is refused"
unknown_parameter_body()
{
	jt_init
	bad_exact "unknown parameter: foo" -c name=u path="$ROOT" persist foo=1
	bad_exact "unknown parameter: foo" -c name=u path="$ROOT" persist foo
	bad_exact "unknown parameter: allow.foo" -c name=u path="$ROOT" persist allow.foo
	bad_exact "unknown parameter: host.bogus" -c name=u path="$ROOT" persist host.bogus=1
}

jt_case bad_integer "non-integer values of integer parameters are refused"
bad_integer_body()
{
	jt_init
	bad_exact 'jid: non-integer value "abc"' -c jid=abc path="$ROOT" persist
	bad_exact 'enforce_statfs: non-integer value "1x"' \
	    -c name=i path="$ROOT" persist enforce_statfs=1x
	bad_exact 'devfs_ruleset: non-integer value "4a"' \
	    -c name=i path="$ROOT" persist devfs_ruleset=4a
	bad_exact 'securelevel: non-integer value "high"' \
	    -c name=i path="$ROOT" persist securelevel=high
	bad_exact 'children.max: non-integer value "1.5"' \
	    -c name=i path="$ROOT" persist children.max=1.5
	# An unsigned long is read with strtoul, as FreeBSD's libjail reads
	# it: "-1" is accepted and is the largest value.
	atf_check "$JAIL" -c name=i path="$ROOT" persist host.hostid=-1
	atf_check -o inline:"18446744073709551615\n" "$JLS" -j i host.hostid
	atf_check "$JAIL" -r i
}

jt_case bad_boolean "values other than true/false/integers are refused for booleans"
bad_boolean_body()
{
	jt_init
	bad_exact 'persist: unknown boolean value "maybe"' \
	    -c name=b path="$ROOT" persist=maybe
	bad_exact 'allow.mount: unknown boolean value "yes"' \
	    -c name=b path="$ROOT" persist allow.mount=yes
	bad_exact 'allow.raw_sockets: unknown boolean value "1x"' \
	    -c name=b path="$ROOT" persist allow.raw_sockets=1x
}

jt_case boolean_values "true, false, TRUE and integers are valid boolean values"
boolean_values_body()
{
	jt_init
	atf_check -s exit:0 -o empty -e empty "$JAIL" -c name=b path="$ROOT" \
	    persist=true allow.raw_sockets=TRUE allow.mount=false allow.mlock=1 \
	    allow.set_hostname=0
	atf_check -o inline:"persist allow.raw_sockets allow.nomount allow.mlock allow.noset_hostname\n" \
	    "$JLS" -n -j b persist allow.raw_sockets allow.mount allow.mlock \
	    allow.set_hostname
}

jt_case jailsys_values "disable/new/inherit in any case, 0/1/2, and empty (new) are valid jailsys values"
jailsys_values_body()
{
	jt_init
	atf_check -s exit:0 -o empty -e empty "$JAIL" -c name=s path="$ROOT" \
	    persist sysvshm=1 sysvmsg=NEW sysvsem=Disable ip6=2 host=
	atf_check -o inline:"sysvshm=new sysvmsg=new sysvsem=disable ip6=inherit host=new\n" \
	    "$JLS" -n -j s sysvshm sysvmsg sysvsem ip6 host
}

jt_case bad_jailsys "values other than disable/new/inherit are refused for jailsys parameters"
bad_jailsys_body()
{
	jt_init
	bad_exact 'ip4: unknown jailsys value "bogus"' \
	    -c name=s path="$ROOT" persist ip4=bogus
	bad_exact 'sysvshm: unknown jailsys value "sometimes"' \
	    -c name=s path="$ROOT" persist sysvshm=sometimes
	bad_exact 'host: unknown jailsys value "shared"' \
	    -c name=s path="$ROOT" persist host=shared
	bad_exact "vnet cannot be disabled" -c name=s path="$ROOT" persist vnet=disable
	bad_exact "host cannot be disabled" -c name=s path="$ROOT" persist host=disable
	bad "$(errno_or 'sysvmsg' 'Invalid argument')" \
	    -c name=s path="$ROOT" persist sysvmsg=7
}

jt_case bad_address "malformed IP addresses are refused"
bad_address_body()
{
	jt_init
	bad_exact 'ip4.addr: not an IPv4 address: 1.2.3.999' \
	    -c name=a path="$ROOT" persist ip4.addr=1.2.3.999
	bad_exact 'ip4.addr: not an IPv4 address: example' \
	    -c name=a path="$ROOT" persist ip4.addr=192.0.2.1,example
	bad_exact 'ip6.addr: not an IPv6 address: 2001:db8::1::2' \
	    -c name=a path="$ROOT" persist ip6.addr=2001:db8::1::2
	bad_exact 'ip4.addr: not an IPv4 address: 2001:db8::1' \
	    -c name=a path="$ROOT" persist ip4.addr=2001:db8::1
}

jt_case name_too_long "a name longer than 255 characters is refused; 255 is accepted"
name_too_long_body()
{
	jt_init
	bad_exact "name: value too long (256 bytes, at most 255)" \
	    -c name=$(xs 256) path="$ROOT" persist
	bad "$(errno_or 'name' 'File name too long')" \
	    -c name=$(xs 1000) path="$ROOT" persist
	atf_check -s exit:0 -o empty -e empty "$JAIL" -c name=$(xs 255) path="$ROOT" persist
	atf_check -o inline:"$(xs 255)\n" "$JLS" -j 1 name
}

jt_case hostname_too_long "host.hostname and host.domainname longer than 255 characters are refused"
hostname_too_long_body()
{
	jt_init
	bad_exact "host.hostname: value too long (256 bytes, at most 255)" \
	    -c name=h path="$ROOT" persist host.hostname=$(xs 256)
	bad_exact "host.domainname: value too long (300 bytes, at most 255)" \
	    -c name=h path="$ROOT" persist host.domainname=$(xs 300)
	# FreeBSD takes up to 255 characters; Linux's UTS names hold 64, so
	# longer ones may be refused (DESIGN.md 4: refused, never pretended).
	# 64 must work, and be what the jail sees.
	atf_check -s exit:0 -o empty -e empty "$JAIL" -c name=h path="$ROOT" \
	    persist host.hostname=$(xs 64) host.domainname=$(xs 64)
	atf_check -o inline:"$(xs 64) $(xs 64)\n" "$JLS" -j h host.hostname host.domainname
	atf_check -o inline:"$(xs 64)\n" "$JEXEC" h hostname
	atf_check -o inline:"$(xs 64)\n" "$JEXEC" h cat /proc/sys/kernel/domainname
	# Too long on update leaves the jail as it was.
	bad_exact "host.hostname: value too long (257 bytes, at most 255)" \
	    -m name=h host.hostname=$(xs 257)
	atf_check -o inline:"$(xs 64)\n" "$JLS" -j h host.hostname
	atf_check -o inline:"$(xs 64)\n" "$JEXEC" h hostname
}

jt_case hostuuid_too_long "a host.hostuuid longer than 63 characters is refused"
hostuuid_too_long_body()
{
	jt_init
	bad_exact "host.hostuuid: value too long (64 bytes, at most 63)" \
	    -c name=h path="$ROOT" persist host.hostuuid=$(xs 64)
}

jt_case hostname_linux_limit "a host name Linux cannot hold (65-255 characters) is taken whole or refused clearly"
hostname_linux_limit_body()
{
	jt_init
	# DESIGN.md 4: what Linux cannot do is refused with a clear message
	# (one that names the parameter), never silently pretended.
	"$JAIL" -c name=l path="$ROOT" persist host.hostname=$(xs 100) > out 2> err
	rc=$?
	case $rc in
	0)
		atf_check -o inline:"$(xs 100)\n" "$JLS" -j l host.hostname
		atf_check -o inline:"$(xs 100)\n" "$JEXEC" l hostname
		;;
	1)
		atf_check -o empty cat out
		atf_check -o match:'^jail: host\.hostname[ :]' cat err
		jt_assert_clean -c host.hostname=$(xs 100)
		;;
	*)
		atf_fail "jail exited $rc: $(cat err)"
		;;
	esac
}

jt_case path_too_long "a path longer than 1023 characters is refused"
path_too_long_body()
{
	jt_init
	p=$(pwd)
	while [ ${#p} -le 1100 ]; do
		p=$p/$(xs 100)
	done
	mkdir -p "$p" || atf_fail "cannot make $p"
	bad "$(errno_or 'path' 'File name too long')" -c name=p path="$p" persist
	# jail(8) looks at the path itself first, as FreeBSD's does.
	p=/$(xs 1023)
	bad_exact "path $p: File name too long" -c name=p path=$p persist
}

jt_case osrelease_too_long "osrelease must be 1 to 31 characters"
osrelease_too_long_body()
{
	jt_init
	bad_exact "osrelease string must be 1-31 bytes long" \
	    -c name=o path="$ROOT" persist osrelease=$(xs 32)
	bad_exact "osrelease string must be 1-31 bytes long" \
	    -c name=o path="$ROOT" persist osrelease=
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=o path="$ROOT" persist osrelease=$(xs 31)
	atf_check -o inline:"$(xs 31)\n" "$JLS" -j o osrelease
}

jt_case out_of_range "enforce_statfs, devfs_ruleset, jid, osreldate, securelevel and children.max out of range are refused"
out_of_range_body()
{
	jt_init
	bad_exact "enforce_statfs: 3 out of range (0 to 2)" \
	    -c name=r path="$ROOT" persist enforce_statfs=3
	bad_exact "enforce_statfs: -1 out of range (0 to 2)" \
	    -c name=r path="$ROOT" persist enforce_statfs=-1
	bad_exact "devfs_ruleset: 65536 out of range (0 to 65535)" \
	    -c name=r path="$ROOT" persist devfs_ruleset=65536
	bad_exact "devfs_ruleset: -1 out of range (0 to 65535)" \
	    -c name=r path="$ROOT" persist devfs_ruleset=-1
	bad_exact "negative jid" -c jid=-1 name=r path="$ROOT" persist
	bad_exact "jid 1000000 out of range" \
	    -c jid=1000000 name=r path="$ROOT" persist
	bad_exact "osreldate cannot be 0" -c name=r path="$ROOT" persist osreldate=0
	bad_exact "securelevel cannot be lower than the parent's (-1)" \
	    -c name=r path="$ROOT" persist securelevel=-5
	bad_exact "prison limit exceeded" \
	    -c name=r path="$ROOT" persist children.max=999999
}

jt_case path_missing "a path that does not exist is refused"
path_missing_body()
{
	jt_init
	bad_exact "path $(pwd)/nonexistent: No such file or directory" \
	    -c name=p path="$(pwd)/nonexistent" persist
}

jt_case path_not_directory "a path that is not a directory is refused"
path_not_directory_body()
{
	jt_init
	touch file
	bad_exact "path $(pwd)/file: Not a directory" \
	    -c name=p path="$(pwd)/file" persist
}

jt_case path_relative "a relative path is refused for a named jail"
path_relative_body()
{
	jt_init
	bad_exact "path root: not an absolute pathname" -c name=p path=root persist
}

jt_case no_persist_no_command "a new jail without persist or a command is refused"
no_persist_no_command_body()
{
	jt_init
	bad_exact "new jail must persist or attach" -c name=n path="$ROOT"
}

jt_case numeric_name "a numeric name other than the jid is refused"
numeric_name_body()
{
	jt_init
	bad_exact "name cannot be numeric (unless it is the jid)" \
	    -c jid=3 name=4 path="$ROOT" persist
	bad_exact "name cannot be numeric (unless it is the jid)" \
	    -c name=007 path="$ROOT" persist
	mkjail n
	bad_exact "name cannot be numeric (unless it is the jid)" -m jid=1 name=12
	atf_check -o inline:"1 n\n" "$JLS" jid name
}

jt_case create_only_on_update "path, ip4, ip6, osrelease and vnet cannot be changed after creation"
create_only_on_update_body()
{
	jt_init
	mkjail u
	mkdir other
	bad_exact "path cannot be changed after creation" -m name=u path="$(pwd)/other"
	bad_exact "ip4 cannot be changed after creation" -m name=u ip4=inherit
	bad_exact "ip6 cannot be changed after creation" -m name=u ip6=inherit
	bad_exact "osrelease cannot be changed after creation" -m name=u osrelease=1.0-JAIL
	bad_exact "vnet cannot be changed after creation" -m name=u vnet=new
	bad_exact "osreldate cannot be changed after creation" -m name=u osreldate=5
	atf_check -o inline:"$ROOT disable inherit\n" "$JLS" -j u path ip4 vnet
	# Giving a create-only parameter its current value is no change.
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -m name=u path="$ROOT" host.hostname=same.example
	atf_check -o inline:"same.example\n" "$JLS" -j u host.hostname
}

jt_case refused_combinations "combinations FreeBSD or Linux refuse, and a child of a missing jail"
refused_combinations_body()
{
	jt_init
	bad_exact 'jail "a" not found' -c name=a.b path="$ROOT" persist
	bad_exact "vnet jails cannot have IP address restrictions" \
	    -c name=c path="$ROOT" persist vnet=new ip4.addr=203.0.113.1
	bad_exact "ip4 and ip6 cannot mix new and inherit: Linux has one network namespace per jail" \
	    -c name=c path="$ROOT" persist ip4=inherit ip6=new
	bad_exact "sysvmsg, sysvsem and sysvshm cannot mix new and inherit: Linux has one IPC namespace" \
	    -c name=c path="$ROOT" persist sysvmsg=new sysvshm=inherit
	bad_exact "ip4.addr needs ip4=new" \
	    -c name=c path="$ROOT" persist ip4=disable ip4.addr=203.0.113.1
}

jt_case read_only "read-only parameters cannot be set"
read_only_body()
{
	jt_init
	bad_exact "unknown parameter: dying" -c name=ro path="$ROOT" persist dying
	bad_exact "unknown parameter: children.cur" \
	    -c name=ro path="$ROOT" persist children.cur=1
	bad_exact "unknown parameter: parent" -c name=ro path="$ROOT" persist parent=1
	bad_exact "unknown parameter: cpuset.id" -c name=ro path="$ROOT" persist cpuset.id=1
	mkjail ro
	bad_exact "unknown parameter: dying" -m name=ro dying
	bad_exact "unknown parameter: children.cur" -m name=ro children.cur=3
	bad_exact "unknown parameter: parent" -m name=ro parent=0
	atf_check -o inline:"jid=1 name=ro nodying\n" "$JLS" -n -j ro jid name dying
}

jt_case refused_allow "allow.* that Linux cannot grant are refused with EPERM"
refused_allow_body()
{
	jt_init
	for a in quotas read_msgbuf nfsd extattr adjtime settime routing \
	    setaudit; do
		bad_exact "allow.$a cannot be granted on Linux" \
		    -c name=a path="$ROOT" persist allow.$a
	done
	# Their "no" forms are fine.
	atf_check -s exit:0 -o empty -e empty "$JAIL" -c name=a path="$ROOT" \
	    persist allow.nochflags allow.noquotas allow.read_msgbuf=false \
	    allow.nonfsd allow.noextattr allow.noadjtime allow.nosettime \
	    allow.norouting allow.nosetaudit
	# And on update too.
	bad_exact "allow.settime cannot be granted on Linux" -m name=a allow.settime
	atf_check -o inline:"allow.nosettime\n" "$JLS" -n -j a allow.settime
}

jt_case chflags_accepted "allow.chflags is accepted and reported, and grants nothing"
chflags_accepted_body()
{
	jt_init
	atf_check -s exit:0 -o empty -e empty \
	    "$JAIL" -c name=c path="$ROOT" allow.chflags persist
	atf_check -o inline:"allow.chflags\n" "$JLS" -n -j c allow.chflags
	atf_check -o inline:"true\n" "$JLS" -j c allow.chflags
	# Changed like any allow.*, both ways.
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=c allow.nochflags
	atf_check -o inline:"allow.nochflags\n" "$JLS" -n -j c allow.chflags
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=c allow.chflags=1
	atf_check -o inline:"allow.chflags\n" "$JLS" -n -j c allow.chflags
	# It grants nothing: CAP_LINUX_IMMUTABLE (9) stays out of the
	# bounding set, and the immutable attribute cannot be set.
	atf_check -s exit:0 -o save:status -e empty "$JEXEC" c cat /proc/self/status
	bnd=$(awk '$1 == "CapBnd:" { print $2 }' status)
	[ $(( 0x$bnd >> 9 & 1 )) -eq 0 ] ||
	    atf_fail "CAP_LINUX_IMMUTABLE is in the bounding set ($bnd)"
	jt_cc jt_helper
	touch "$ROOT/tmp/imm"
	# The host's root can (where the file system has the attribute)...
	atf_check -s exit:0 -o save:host -e empty "$ROOT/bin/jt_helper" \
	    immutable "$ROOT/tmp/imm"
	grep -qx ok host || atf_skip "no immutable attribute here: $(cat host)"
	# ...the jail's root cannot.
	atf_check -s exit:0 -o inline:"fail EPERM\n" -e empty \
	    "$JEXEC" c /bin/jt_helper immutable /tmp/imm
}

jt_case modify_missing "jail -m of a jail that does not exist fails"
modify_missing_body()
{
	jt_init
	bad_exact '"nosuch" not found' -m name=nosuch host.hostname=x
	bad_exact '"42" not found' -m jid=42 host.hostname=x
	# As FreeBSD's: parameters that name no jail.
	bad_exact "no jail specified" -m persist=true
}

jt_case usage "missing operations and bad flags print the usage and exit 1"
usage_body()
{
	jt_init
	atf_check -s exit:1 -o empty -e match:'^usage: jail' "$JAIL"
	atf_check -s exit:1 -o empty -e match:'^usage: jail' "$JAIL" -Z
	atf_check -s exit:1 -o empty -e match:'usage: jls' "$JLS" -Z
	atf_check -s exit:1 -o empty -e match:'^usage: jexec' "$JEXEC"
	atf_check -s exit:1 -o empty -e match:'^usage: jexec' \
	    "$JEXEC" -u root -U root 1 true
	atf_check -s exit:1 -o empty -e inline:"jail: =x: missing parameter name\n" \
	    "$JAIL" -c =x
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: /nonexistent/jail.conf: No such file or directory\n" \
	    "$JAIL" -f /nonexistent/jail.conf -c
	jt_assert_clean usage
}

jt_case exit_status_mixed "jail -r of one existing and one unknown jail exits 1 and removes the existing one"
exit_status_mixed_body()
{
	jt_init
	mkjail a
	atf_check -s exit:1 -o match:'^a: removed$' \
	    -e inline:"jail: \"nosuch\" not found\n" "$JAIL" -r a nosuch
	atf_check -o inline:"   JID  IP Address      Hostname                      Path\n" "$JLS"
}
