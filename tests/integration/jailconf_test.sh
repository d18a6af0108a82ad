#! /usr/bin/env atf-sh
#
# jail(8) driven by jail.conf(5): the flags of the configuration forms,
# the order of the exec.* steps (read back from the commands' own
# output), depend, rollback of a failed start, messages and exit codes.
# Spec: freebsd-jail.md sections 3.2, 4 and 5.

. "$(atf_get_srcdir)/common.subr"

# conf NAME: write jail.conf from standard input to NAME.
conf()
{
	cat > "$1"
}

# A jail "t" whose every step appends its name to $ROOT/order: host steps
# through $JPATH, in-jail ones through /order.
order_conf()
{
	conf jail.conf <<EOF
t {
	path = "$ROOT";
	persist;
	exec.prepare = "echo prepare >> $ROOT/order";
	exec.prestart = 'echo prestart >> \$JPATH/order';
	exec.created = 'echo created \$JNAME >> \$JPATH/order';
	exec.start = "echo start >> /order";
	exec.poststart = 'echo poststart >> \$JPATH/order';
	exec.prestop = 'echo prestop >> \$JPATH/order';
	exec.stop = "echo stop >> /order";
	exec.poststop = 'echo poststop >> \$JPATH/order';
	exec.release = "echo release >> $ROOT/order";
}
EOF
}

jt_case order_of_steps "create and remove run the exec.* steps in FreeBSD's order"
order_of_steps_body()
{
	jt_init
	order_conf
	atf_check -s exit:0 -o inline:"t: created\n" -e empty \
	    "$JAIL" -f jail.conf -c t
	printf 'prepare\nprestart\ncreated t\nstart\npoststart\n' > expected
	atf_check -o file:expected cat "$ROOT/order"
	atf_check -s exit:0 -o inline:"t: removed\n" -e empty \
	    "$JAIL" -f jail.conf -r t
	printf 'prestop\nstop\npoststop\nrelease\n' >> expected
	atf_check -o file:expected cat "$ROOT/order"
	atf_check -o empty "$JLS" jid
}

jt_case environment "host commands get JID, JNAME and JPATH; exec.clean drops them"
environment_body()
{
	jt_init
	conf jail.conf <<EOF
e {
	path = "$ROOT";
	persist;
	exec.poststart = 'echo \$JID \$JNAME \$JPATH >> $ROOT/env';
}
c {
	path = "$ROOT";
	persist;
	exec.clean;
	exec.poststart = 'echo x\$JID\$JNAME\$JPATH\$FOO >> $ROOT/clean';
}
EOF
	FOO=bar atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -c e
	atf_check -o inline:"1 e $ROOT\n" cat "$ROOT/env"
	FOO=bar atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -c c
	atf_check -o inline:"x\n" cat "$ROOT/clean"
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r '*'
}

jt_case all_jails "jail -c without a name creates every configured jail; -r '*' removes them"
all_jails_body()
{
	jt_init
	conf jail.conf <<EOF
path = "$ROOT";
persist;
a { }
b { host.hostname = "b.example"; }
EOF
	atf_check -s exit:0 -o inline:"a: created\nb: created\n" -e empty \
	    "$JAIL" -f jail.conf -c
	atf_check -o inline:"a\nb\n" "$JLS" name
	# Again: those running are quietly skipped.
	atf_check -s exit:0 -o empty -e empty "$JAIL" -f jail.conf -c
	# Independent jails stop in parallel: their notes come in any order.
	atf_check -s exit:0 -o save:out -e empty "$JAIL" -f jail.conf -r '*'
	atf_check -o inline:"a: removed\nb: removed\n" sort out
	atf_check -o empty "$JLS" jid
}

jt_case depend_order "depend: created after, removed before the jails it names"
depend_order_body()
{
	jt_init
	conf jail.conf <<EOF
path = "$ROOT";
persist;
exec.poststart = 'echo up \$JNAME >> $ROOT/log';
exec.poststop = 'echo down \$JNAME >> $ROOT/log';
web { depend = db; }
db { depend = net; }
net { }
EOF
	atf_check -s exit:0 -o ignore -e empty "$JAIL" -f jail.conf -c web
	printf 'up net\nup db\nup web\n' > expected
	atf_check -o file:expected cat "$ROOT/log"
	atf_check -s exit:0 -o ignore -e empty "$JAIL" -f jail.conf -r net
	printf 'down web\ndown db\ndown net\n' >> expected
	atf_check -o file:expected cat "$ROOT/log"
	atf_check -o empty "$JLS" jid
}

jt_case depend_loop "a dependency loop fails the jails in it and does nothing"
depend_loop_body()
{
	jt_init
	conf jail.conf <<EOF
path = "$ROOT";
persist;
a { depend = b; }
b { depend = a; }
EOF
	atf_check -s exit:1 -o empty -e match:'a: dependency loop' \
	    "$JAIL" -f jail.conf -c a
	atf_check -o empty "$JLS" jid
}

jt_case depend_undefined "depend on a jail that is not configured fails it"
depend_undefined_body()
{
	jt_init
	conf jail.conf <<EOF
a { path = "$ROOT"; persist; depend = nosuch; }
EOF
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: a: depends on undefined jail \"nosuch\"\n" \
	    "$JAIL" -f jail.conf -c a
	atf_check -o empty "$JLS" jid
}

jt_case failed_start_rolls_back "a failing exec.start removes the jail; poststart does not run"
failed_start_rolls_back_body()
{
	jt_init
	conf jail.conf <<EOF
t {
	path = "$ROOT";
	persist;
	exec.created = "echo created >> $ROOT/log";
	exec.start = "/bin/sh -c 'exit 3'";
	exec.poststart = "echo poststart >> $ROOT/log";
	exec.poststop = "echo poststop >> $ROOT/log";
}
EOF
	atf_check -s exit:1 -o inline:"t: created\nt: removed\n" \
	    -e inline:"jail: t: /bin/sh -c /bin/sh -c 'exit 3': failed\n" \
	    "$JAIL" -f jail.conf -c t
	atf_check -o inline:"created\n" cat "$ROOT/log"
	atf_check -o empty "$JLS" jid
}

jt_case failed_prestart "a failing exec.prestart: no jail is made"
failed_prestart_body()
{
	jt_init
	conf jail.conf <<EOF
t { path = "$ROOT"; persist; exec.prestart = "false"; }
EOF
	atf_check -s exit:1 -o empty -e inline:"jail: t: false: failed\n" \
	    "$JAIL" -f jail.conf -c t
	atf_check -o empty "$JLS" jid
}

jt_case exec_timeout "exec.timeout: an overrunning command fails the start and is killed"
exec_timeout_body()
{
	jt_init
	conf jail.conf <<EOF
t { path = "$ROOT"; persist; exec.timeout = 1; exec.start = "sleep 30"; }
EOF
	atf_check -s exit:1 -o ignore -e inline:"jail: t: sleep 30: timed out\n" \
	    "$JAIL" -f jail.conf -c t
	atf_check -o empty "$JLS" jid
	jt_wait 5 sh -c '! pgrep -x -f "sleep 30" >/dev/null' ||
	    atf_fail "the timed-out command still runs"
}

jt_case not_found "naming a jail that is not configured fails with FreeBSD's message"
not_found_body()
{
	jt_init
	conf jail.conf <<EOF
t { path = "$ROOT"; persist; }
EOF
	atf_check -s exit:1 -o empty -e inline:"jail: \"nosuch\" not found\n" \
	    "$JAIL" -f jail.conf -c nosuch
	atf_check -s exit:1 -o empty -e inline:"jail: \"t\" not found\n" \
	    "$JAIL" -f jail.conf -r t
	atf_check -s exit:1 -o empty -e inline:"jail: \"t\" not found\n" \
	    "$JAIL" -f jail.conf -m t
}

jt_case already_exists "creating a configured jail twice fails the second time"
already_exists_body()
{
	jt_init
	conf jail.conf <<EOF
t { path = "$ROOT"; persist; }
EOF
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -c t
	atf_check -s exit:1 -o empty -e inline:"jail: \"t\" already exists\n" \
	    "$JAIL" -f jail.conf -c t
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r t
}

jt_case modify "jail -m applies the configuration to the running jail"
modify_body()
{
	jt_init
	conf jail.conf <<EOF
t { path = "$ROOT"; persist; host.hostname = one.example; }
EOF
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -c t
	sed -i 's/one.example/two.example/' jail.conf
	atf_check -s exit:0 -o inline:"t: updated\n" -e empty \
	    "$JAIL" -f jail.conf -m t
	atf_check -o inline:"two.example\n" "$JLS" -j t host.hostname
	# A create-only parameter needs -mr, which restarts.
	sed -i "s|persist;|persist; osrelease = 9.9;|" jail.conf
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: t: osrelease cannot be changed after creation\n" \
	    "$JAIL" -f jail.conf -m t
	# As FreeBSD's, a restart notes the creation only.
	atf_check -s exit:0 -o inline:"t: created\n" -e empty \
	    "$JAIL" -f jail.conf -mr t
	atf_check -o inline:"9.9\n" "$JLS" -j t osrelease
	# -cm: made when absent, updated when present.
	atf_check -s exit:0 -o inline:"t: updated\n" "$JAIL" -f jail.conf -cm t
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r t
	atf_check -s exit:0 -o inline:"t: created\n" "$JAIL" -f jail.conf -cm t
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r t
}

jt_case restart "jail -rc runs the stop steps, then the start steps"
restart_body()
{
	jt_init
	order_conf
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -c t
	rm "$ROOT/order"
	atf_check -s exit:0 -o inline:"t: created\n" -e empty \
	    "$JAIL" -f jail.conf -rc t
	printf 'prestop\nstop\npoststop\nrelease\nprepare\nprestart\ncreated t\nstart\npoststart\n' > expected
	atf_check -o file:expected cat "$ROOT/order"
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r t
}

jt_case cleanup_C "jail -C runs what follows the removal, for a jail removed already"
cleanup_C_body()
{
	jt_init
	order_conf
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -c t
	atf_check -s exit:0 -o empty "$JAIL" -R t
	rm "$ROOT/order"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -f jail.conf -C t
	printf 'poststop\nrelease\n' > expected
	atf_check -o file:expected cat "$ROOT/order"
}

jt_case verbose "jail -v notes every command and the jail_set call"
verbose_body()
{
	jt_init
	conf jail.conf <<EOF
t { path = "$ROOT"; persist; exec.poststart = "true"; exec.start = "true"; }
EOF
	atf_check -s exit:0 -o save:out -e empty "$JAIL" -v -f jail.conf -c t
	atf_check -o match:'^t: run command in jail: true$' cat out
	atf_check -o match:'^t: run command: true$' cat out
	atf_check -o match:'^t: jail_set\(JAIL_CREATE\) .*persist' cat out
	atf_check -o match:'^t: created$' cat out
	atf_check -s exit:0 -o empty -e empty "$JAIL" -q -f jail.conf -r t
}

jt_case show_e "jail -e prints each configured jail's parameters"
show_e_body()
{
	jt_init
	conf jail.conf <<EOF
path = "/j/\$name";
a { host.hostname = "a.example"; persist; }
b { nopersist; }
EOF
	atf_check -s exit:0 -o save:out -e empty "$JAIL" -f jail.conf -e '|'
	atf_check -o match:'^name=a\|' -o match:'path=/j/a' \
	    -o match:'host.hostname=a.example' -o match:'\|persist' cat out
	atf_check -o match:'^name=b\|' -o match:'nopersist' cat out
}

jt_case syntax_error "a syntax error names the file and line; nothing is done"
syntax_error_body()
{
	jt_init
	printf 't {\n\tpath = "%s";\n\tpersist\n}\n' "$ROOT" > jail.conf
	atf_check -s exit:1 -o empty -e inline:'jail: jail.conf line 4: }: syntax error\n' \
	    "$JAIL" -f jail.conf -c t
	atf_check -o empty "$JLS" jid
}

jt_case stdin_config "-f - reads the configuration from standard input"
stdin_config_body()
{
	jt_init
	printf 't { path = "%s"; persist; }\n' "$ROOT" > jail.conf
	atf_check -s exit:0 -o inline:"t: created\n" "$JAIL" -f - -c t \
	    < jail.conf
	atf_check -s exit:0 -o inline:"t: removed\n" "$JAIL" -f - -r t \
	    < jail.conf
}

jt_case numeric_name "a numeric block name is the jid; name defaults to it"
numeric_name_body()
{
	jt_init
	conf jail.conf <<EOF
5309 { path = "$ROOT"; persist; }
basejail { jid = 77; path = "$ROOT"; persist; }
EOF
	atf_check -s exit:0 -o inline:"5309: created\n" "$JAIL" -f jail.conf -c 5309
	atf_check -o inline:"5309 5309\n" "$JLS" jid name
	atf_check -s exit:0 -o inline:"basejail: created\n" \
	    "$JAIL" -f jail.conf -c basejail
	atf_check -o inline:"77\n" "$JLS" -j basejail jid
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r '*'
}

jt_case remove_unconfigured "jail -r of a running jail that is not configured removes it"
remove_unconfigured_body()
{
	jt_init
	conf jail.conf <<EOF
t { path = "$ROOT"; persist; }
EOF
	atf_check -s exit:0 "$JAIL" -c name=other path="$ROOT" persist
	atf_check -s exit:0 -o inline:"other: removed\n" -e empty \
	    "$JAIL" -f jail.conf -r other
	atf_check -o empty "$JLS" jid
}

jt_case stop_timeout "jail -r sends SIGTERM and waits stop.timeout before removal"
stop_timeout_body()
{
	jt_init
	conf jail.conf <<EOF
t {
	path = "$ROOT";
	persist;
	stop.timeout = 5;
	exec.start = "/bin/sh -c 'trap \"echo term > /got; exit 0\" TERM; while :; do sleep 1; done' &";
}
EOF
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -c t
	jt_wait 5 sh -c "pgrep -f 'while :' >/dev/null" ||
	    atf_fail "the service did not start"
	atf_check -s exit:0 -o inline:"t: removed\n" -e empty \
	    "$JAIL" -f jail.conf -r t
	atf_check -o inline:"term\n" cat "$ROOT/got"
}

jt_case bad_internal_param "an unknown exec.* or mount.* parameter is refused with its name"
bad_internal_param_body()
{
	jt_init
	conf jail.conf <<EOF
t { path = "$ROOT"; persist; exec.bogus = "x"; }
EOF
	atf_check -s exit:1 -o empty -e match:'unknown parameter: exec.bogus' \
	    "$JAIL" -f jail.conf -c t
	atf_check -o empty "$JLS" jid
}

jt_case bad_kernel_param "an unknown kernel parameter fails that jail only"
bad_kernel_param_body()
{
	jt_init
	conf jail.conf <<EOF
path = "$ROOT";
persist;
a { bogus.param = 1; }
b { }
EOF
	atf_check -s exit:1 -o inline:"b: created\n" \
	    -e match:'a: unknown parameter: bogus.param' "$JAIL" -f jail.conf -c
	atf_check -o inline:"b\n" "$JLS" name
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r '*'
}

jt_case flags_q_i "-q silences the notes, -i prints only the jid"
flags_q_i_body()
{
	jt_init
	conf jail.conf <<EOF2
t { path = "$ROOT"; persist; }
EOF2
	atf_check -s exit:0 -o empty -e empty "$JAIL" -q -f jail.conf -c t
	atf_check -s exit:0 -o empty -e empty "$JAIL" -q -f jail.conf -r t
	atf_check -s exit:0 -o inline:"2\n" -e empty "$JAIL" -i -f jail.conf -c t
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r t
}

jt_case flag_p "-p 1 runs one command at a time: independent jails in turn"
flag_p_body()
{
	jt_init
	conf jail.conf <<EOF2
path = "$ROOT";
persist;
exec.prestart = "/bin/sh -c 'echo begin \\\$JNAME >> $ROOT/log; sleep 0.3; echo end \\\$JNAME >> $ROOT/log'";
a { }
b { }
EOF2
	atf_check -s exit:0 -o ignore -e empty "$JAIL" -p 1 -f jail.conf -c
	# Whichever went first, the other began only after it ended.
	atf_check -o match:'^begin (a|b)$' sed -n 1p "$ROOT/log"
	atf_check -s exit:0 sh -c "sed -n 2p '$ROOT/log' | grep -q '^end'"
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r '*'
}

jt_case flag_J "-J writes each created jail's parameters, also from jail.conf"
flag_J_body()
{
	jt_init
	conf jail.conf <<EOF2
t { path = "$ROOT"; persist; host.hostname = t.example; }
EOF2
	atf_check -s exit:0 -o ignore "$JAIL" -J jf -f jail.conf -c t
	printf 'jid=1\tname=t\tpath=%s\tpersist\thost.hostname=t.example\n' \
	    "$ROOT" > expected
	atf_check -o file:expected cat jf
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r t
}

jt_case flag_cmr "-cmr: created when absent, updated or restarted when present"
flag_cmr_body()
{
	jt_init
	conf jail.conf <<EOF2
t { path = "$ROOT"; persist; host.hostname = one; }
EOF2
	atf_check -s exit:0 -o inline:"t: created\n" "$JAIL" -f jail.conf -cmr t
	sed -i 's/one/two/' jail.conf
	atf_check -s exit:0 -o inline:"t: updated\n" "$JAIL" -f jail.conf -cmr t
	atf_check -o inline:"1 two\n" "$JLS" jid host.hostname
	sed -i 's/persist;/persist; osrelease = 8.8;/' jail.conf
	atf_check -s exit:0 -o inline:"t: created\n" "$JAIL" -f jail.conf -cmr t
	atf_check -o inline:"2 8.8\n" "$JLS" jid osrelease
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r t
}

jt_case flag_R "-R removes without the configuration's stop commands"
flag_R_body()
{
	jt_init
	order_conf
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -c t
	rm "$ROOT/order"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -f jail.conf -R t
	atf_check -s exit:1 test -e "$ROOT/order"
	atf_check -o empty "$JLS" jid
}

jt_case flag_d "-d and allow.dying warn that they are deprecated"
flag_d_body()
{
	jt_init
	conf jail.conf <<EOF2
t { path = "$ROOT"; persist; allow.dying; }
EOF2
	atf_check -s exit:0 -o inline:"t: created\n" \
	    -e inline:"jail: the 'allow.dying' parameter and '-d' flag are deprecated and have no effect.\n" \
	    "$JAIL" -f jail.conf -c t
	atf_check -s exit:0 -o ignore -e ignore "$JAIL" -d -f jail.conf -r t
}

jt_case unavailable_param "zfs.dataset fails its jail with a message"
unavailable_param_body()
{
	jt_init
	conf jail.conf <<EOF2
t { path = "$ROOT"; persist; zfs.dataset = tank/t; }
EOF2
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: t: zfs.dataset: not available on Linux\n" \
	    "$JAIL" -f jail.conf -c t
	atf_check -o empty "$JLS" jid
}

jt_case default_conf_dir "without -f, /etc/jail.conf and /etc/jail.conf.d/*.conf are read"
default_conf_dir_body()
{
	jt_init
	[ -e /etc/jail.conf ] || [ -e /etc/jail.conf.d ] &&
	    atf_skip "this machine has a jail configuration of its own"
	mkdir /etc/jail.conf.d
	jt_on_cleanup rm -rf /etc/jail.conf.d
	printf 'dflt { path = "%s"; persist; }\n' "$ROOT" > /etc/jail.conf.d/dflt.conf
	atf_check -s exit:0 -o inline:"dflt: created\n" "$JAIL" -c dflt
	atf_check -s exit:0 -o inline:"dflt: removed\n" "$JAIL" -r dflt
	rm -rf /etc/jail.conf.d
}

jt_case fstab_unmounted_on_remove "jail -r unmounts the mount.fstab lines it mounted"
fstab_unmounted_on_remove_body()
{
	jt_init
	mkdir -p "$ROOT/mnt"
	printf 'tmpfs %s/mnt tmpfs rw,size=1m 0 0\n' "$ROOT" > fstab
	conf jail.conf <<EOF2
t { path = "$ROOT"; persist; mount.fstab = "$JT_WORK/fstab"; }
EOF2
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -c t
	atf_check -s exit:0 -o ignore grep " $ROOT/mnt " /proc/self/mountinfo
	atf_check -s exit:0 -o ignore "$JAIL" -f jail.conf -r t
	atf_check -s exit:1 grep -q " $ROOT/mnt " /proc/self/mountinfo
}

jt_case background_without_persist "a background exec.start keeps a jail without persist alive"
background_without_persist_body()
{
	jt_init
	conf jail.conf <<EOF2
t { path = "$ROOT"; exec.start = "sleep 310011 &"; }
EOF2
	atf_check -s exit:0 -o inline:"t: created\n" -e empty \
	    "$JAIL" -f jail.conf -c t
	atf_check -o inline:"t\n" "$JLS" name
	atf_check -s exit:0 -o match:'sleep 310011' "$JEXEC" t ps
	atf_check -s exit:0 -o inline:"t: removed\n" -e empty \
	    "$JAIL" -f jail.conf -r t
	atf_check -o empty "$JLS" jid
}
