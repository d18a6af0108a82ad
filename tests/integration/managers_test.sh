#! /usr/bin/env atf-sh
#
# The start and stop sequences of real FreeBSD jail managers, replayed on
# a busybox root: the shapes of the jail.conf files (or command lines)
# they write and the jail(8)/jexec(8) calls they make.  Each jail runs a
# "service" started by /etc/rc and stopped by /etc/rc.shutdown, as a
# FreeBSD jail's rc does.  What Linux cannot take (interface=, the
# iface|addr form) is left out of the shapes and said so.
# Spec: freebsd-jail.md sections 3.2, 4.3 and 5; issue 13 item 9.

. "$(atf_get_srcdir)/common.subr"

# mkservice ROOT: an /etc/rc that starts a service, an /etc/rc.shutdown
# that stops it, both noting what they did in /var/log/rc.log.
mkservice()
{
	mkdir -p "$1/var/run" "$1/var/log" "$1/etc"
	cat > "$1/etc/rc" <<'EOF'
#!/bin/sh
echo "rc: starting service"
( exec sleep 310007 ) > /dev/null 2>&1 < /dev/null &
echo $! > /var/run/service.pid
echo "rc $*" >> /var/log/rc.log
EOF
	cat > "$1/etc/rc.shutdown" <<'EOF'
#!/bin/sh
echo "rc.shutdown: stopping service"
kill "$(cat /var/run/service.pid)" && rm /var/run/service.pid
echo "rc.shutdown $*" >> /var/log/rc.log
EOF
	chmod 755 "$1/etc/rc" "$1/etc/rc.shutdown"
}

# service_runs JAIL: the service /etc/rc started runs in the jail.
service_runs()
{
	atf_check -s exit:0 -o match:'^[0-9]+$' "$JEXEC" "$1" cat /var/run/service.pid
	atf_check -s exit:0 -o match:'sleep 310007' "$JEXEC" "$1" ps
}

no_service()
{
	jt_wait 5 sh -c '! pgrep -f "sleep 31000[7]" >/dev/null' ||
	    atf_fail "the service outlived its jail"
}

jt_case bastille "Bastille: a thin jail, its own jail.conf, fstab, consolelog"
bastille_body()
{
	jt_init
	base=$JT_WORK/bastille
	mkdir -p "$base/releases/14.1-RELEASE" "$base/jails/web" "$base/logs"
	echo "14.1-RELEASE" > "$base/releases/14.1-RELEASE/RELEASE"
	mkservice "$ROOT"
	mkdir -p "$ROOT/.bastille"
	printf '%s %s nullfs ro 0 0\n' "$base/releases/14.1-RELEASE" \
	    "$ROOT/.bastille" > "$base/jails/web/fstab"
	# Bastille's template, less "interface = bastille0;" and ip4.addr,
	# which need host interface aliases (not on Linux yet).
	cat > "$base/jails/web/jail.conf" <<EOF
web {
  devfs_ruleset = 4;
  enforce_statfs = 2;
  exec.clean;
  exec.consolelog = $base/logs/web_console.log;
  exec.start = '/bin/sh /etc/rc';
  exec.stop = '/bin/sh /etc/rc.shutdown';
  host.hostname = web;
  mount.devfs;
  mount.fstab = $base/jails/web/fstab;
  path = $ROOT;
  securelevel = 2;
  osrelease = 14.1-RELEASE;
  allow.chflags;
  ip6 = disable;
}
EOF
	# bastille start web
	atf_check -s exit:0 -o inline:"web: created\n" -e empty \
	    "$JAIL" -f "$base/jails/web/jail.conf" -c web
	service_runs web
	atf_check -o inline:"14.1-RELEASE\n" "$JEXEC" web cat /.bastille/RELEASE
	atf_check -o inline:"web 14.1-RELEASE 2 true\n" \
	    "$JLS" -j web name osrelease securelevel allow.chflags
	atf_check -o match:'rc: starting service' cat "$base/logs/web_console.log"
	# bastille stop web
	atf_check -s exit:0 -o inline:"web: removed\n" -e empty \
	    "$JAIL" -f "$base/jails/web/jail.conf" -r web
	atf_check -o match:'rc.shutdown: stopping service' \
	    cat "$base/logs/web_console.log"
	printf 'rc \nrc.shutdown \n' > expected
	atf_check -o file:expected cat "$ROOT/var/log/rc.log"
	atf_check -o empty "$JLS" jid
	atf_check -s exit:1 sh -c "grep -q ' $ROOT/.bastille ' /proc/self/mountinfo"
	no_service
}

jt_case iocage "iocage: parameters on the command line, rc by jexec, stop by jail -r"
iocage_body()
{
	jt_init
	mkservice "$ROOT"
	log=$JT_WORK/ioc.log
	# The command line iocage's ioc_start builds (a representative subset
	# of its parameters, in its forms: booleans as =0/=1).
	atf_check -s exit:0 -o empty -e empty "$JAIL" -c name=ioc-test \
	    host.domainname=none host.hostname=test path="$ROOT" \
	    securelevel=2 host.hostuuid=test devfs_ruleset=4 \
	    enforce_statfs=2 children.max=0 allow.set_hostname=0 \
	    allow.sysvipc=0 allow.raw_sockets=0 allow.chflags=0 allow.mlock=0 \
	    allow.mount=0 allow.mount.devfs=0 allow.mount.nullfs=0 \
	    allow.mount.procfs=0 allow.mount.tmpfs=0 allow.mount.zfs=0 \
	    allow.quotas=0 allow.socket_af=0 allow.vmm=0 \
	    "exec.prestart=echo prestart >> $log" \
	    "exec.poststart=echo poststart >> $log" \
	    "exec.prestop=echo prestop >> $log" \
	    "exec.stop=/bin/sh /etc/rc.shutdown" \
	    "exec.poststop=echo poststop >> $log" \
	    exec.clean=1 exec.timeout=60 stop.timeout=30 mount.devfs=1 \
	    mount.fdescfs=1 ip4=new ip6=new persist
	# iocage then runs exec_start itself.
	atf_check -s exit:0 -o inline:"rc: starting service\n" \
	    "$JEXEC" ioc-test /bin/sh /etc/rc
	service_runs ioc-test
	atf_check -o inline:"test none 0\n" \
	    "$JLS" -j ioc-test host.hostname host.domainname children.max
	# ioc_stop: jail -r (a command-line jail: no stop commands known).
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r ioc-test
	printf 'prestart\npoststart\n' > expected
	atf_check -o file:expected cat "$log"
	atf_check -o empty "$JLS" jid
	no_service
}

jt_case appjail "AppJail/cbsd-like: variables, a wildcard block, .include of per-jail files"
appjail_body()
{
	jt_init
	top=$JT_WORK/appjail
	mkdir -p "$top/jails" "$top/conf.d"
	for n in app1 app2; do
		"$JT_TOP/tools/mkroot" "$top/jails/$n/jail" > /dev/null 2>&1 ||
		    atf_fail "mkroot $n"
		mkservice "$top/jails/$n/jail"
	done
	cat > "$top/jail.conf" <<EOF
\$jails = "$top/jails";

* {
	exec.start = "/bin/sh /etc/rc";
	exec.stop = "/bin/sh /etc/rc.shutdown jail";
	exec.clean;
	mount.devfs;
	persist;
	path = "\${jails}/\${name}/jail";
	host.hostname = "\${name}.appjail";
}

.include "$top/conf.d/*.conf";
EOF
	cat > "$top/conf.d/app1.conf" <<'EOF'
app1 {
	exec.poststart += "echo up ${name} ${host.hostname}";
}
EOF
	cat > "$top/conf.d/app2.conf" <<'EOF'
app2 {
	depend = app1;
	securelevel = 1;
}
EOF
	# appjail start app2: its dependency comes up first.
	atf_check -s exit:0 \
	    -o inline:"app1: created\nrc: starting service\nup app1 app1.appjail\napp2: created\nrc: starting service\n" \
	    -e empty "$JAIL" -f "$top/jail.conf" -c app2
	service_runs app1
	service_runs app2
	atf_check -o inline:"app1 app1.appjail\napp2 app2.appjail\n" \
	    "$JLS" name host.hostname
	# appjail stop: every jail of the file, dependents first.
	atf_check -s exit:0 -o inline:"rc.shutdown: stopping service\napp2: removed\nrc.shutdown: stopping service\napp1: removed\n" \
	    -e empty "$JAIL" -f "$top/jail.conf" -r '*'
	for n in app1 app2; do
		printf 'rc \nrc.shutdown jail\n' > expected
		atf_check -o file:expected cat "$top/jails/$n/jail/var/log/rc.log"
	done
	atf_check -o empty "$JLS" jid
	no_service
}

jt_case rcd_jail "rc.d/jail: /etc/jail.conf-style file, jail_list order, restart"
rcd_jail_body()
{
	jt_init
	mkservice "$ROOT"
	cat > jail.conf <<EOF
exec.start = "/bin/sh /etc/rc";
exec.stop = "/bin/sh /etc/rc.shutdown jail";
exec.clean;
mount.devfs;
path = "$ROOT";

www {
	host.hostname = www.example.org;
	persist;
}
EOF
	# service jail start www; service jail restart www; service jail stop www
	atf_check -s exit:0 -o inline:"www: created\nrc: starting service\n" \
	    -e empty "$JAIL" -f jail.conf -c www
	service_runs www
	atf_check -s exit:0 -o inline:"rc.shutdown: stopping service\nwww: created\nrc: starting service\n" \
	    -e empty "$JAIL" -f jail.conf -rc www
	service_runs www
	atf_check -s exit:0 -o inline:"rc.shutdown: stopping service\nwww: removed\n" \
	    -e empty "$JAIL" -f jail.conf -r www
	printf 'rc \nrc.shutdown jail\nrc \nrc.shutdown jail\n' > expected
	atf_check -o file:expected cat "$ROOT/var/log/rc.log"
	atf_check -o empty "$JLS" jid
	no_service
}
