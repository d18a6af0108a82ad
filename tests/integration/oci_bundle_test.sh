#! /usr/bin/env atf-sh
#
# jail-oci(8): what the bundle gives the container's file system and
# namespaces: mounts (bind, tmpfs, and the engines' proc, sysfs, devpts,
# mqueue, cgroup and /dev tmpfs, which are the jail's own), destinations
# that must not escape the root, maskedPaths and readonlyPaths,
# linux.namespaces (including joining a network namespace by path), and
# uid mappings; and that none of it appears on the host.

. "$(atf_get_srcdir)/common.subr"

# oci_init (common.subr), with a host directory for binds.
bundle_init()
{
	oci_init
	mkdir -p "$JT_WORK/host"
	echo hostfile > "$JT_WORK/host/f"
	export BUNDLE JT_WORK
}

# config ARGS-JSON [PYTHON]: config.json running ARGS, with what an engine
# always sends (its namespaces, mounts, masked and read-only paths), then
# changed by PYTHON, which sees it as the dict c.
config()
{
	python3 - "$1" "${2:-pass}" <<'EOT'
import json, os, sys
c = {
  "ociVersion": "1.0.2",
  "root": {"path": "rootfs"},
  "hostname": "bbox",
  "process": {"args": json.loads(sys.argv[1]), "cwd": "/",
              "env": ["PATH=/bin:/sbin"], "user": {"uid": 0, "gid": 0}},
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
     "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
     "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue"},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs",
     "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
     "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]},
  ],
  "linux": {
    "namespaces": [{"type": t} for t in
                   ("pid", "network", "ipc", "uts", "mount")],
    "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore",
        "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
        "/proc/scsi", "/sys/fs/selinux", "/sys/dev/block",
        "/sys/devices/virtual/powercap", "/proc/interrupts"],
    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
        "/proc/sysrq-trigger", "/proc/asound"],
  },
}
W = os.environ["JT_WORK"]
exec(sys.argv[2])
json.dump(c, open(os.environ["BUNDLE"] + "/config.json", "w"), indent=1)
EOT
}

# run ID: create, start, wait for the container to stop, delete; its
# output (stdout and stderr) in $JT_WORK/out.ID.
run()
{
	"$OCI" --root "$STATE" create --bundle "$BUNDLE" "$1" \
	    > "$JT_WORK/out.$1" 2>&1 || atf_fail "create $1: $(cat "$JT_WORK/out.$1")"
	atf_check "$OCI" --root "$STATE" start "$1"
	jt_wait 10 sh -c "\"$OCI\" --root \"$STATE\" state $1 | grep -q stopped" ||
	    atf_fail "$1 did not stop"
	atf_check "$OCI" --root "$STATE" delete "$1"
}

# No mount on the host under the test's directory, nor of anything in it
# (a bind's source shows in mountinfo's root field).
no_mounts()
{
	[ -z "$(jt_mounts)" ] || atf_fail "mounts on the host: $(jt_mounts)"
	! grep -F "$JT_WORK" /proc/self/mountinfo ||
	    atf_fail "the host's mountinfo names the test's directory"
}

# refused ID PATTERN: create fails saying PATTERN, and leaves nothing.
refused()
{
	atf_check -s exit:1 -e match:"$2" \
	    "$OCI" --root "$STATE" create --bundle "$BUNDLE" "$1"
	atf_check -o empty "$JLS" jid
	atf_check -o empty ls "$STATE"
	no_mounts
}

jt_case bind_tmpfs "bind (ro, a file, a missing destination) and tmpfs (size, mode, uid, gid) mounts; nothing on the host"
bind_tmpfs_body()
{
	bundle_init
	echo content > "$JT_WORK/hostfile"
	config '["/bin/sh", "-c", "cat /mnt/h/f; touch /mnt/h/g 2>/dev/null || echo ro; echo x > /mnt/w/new && echo rw; cat /etc/bound; stat -c \"%a %u %g\" /scratch; grep /scratch /proc/mounts | grep -o size=[0-9]*k"]' '
c["mounts"] += [
  {"destination": "/mnt/h", "type": "bind", "source": W + "/host",
   "options": ["rbind", "ro", "rprivate"]},
  {"destination": "/mnt/w", "type": "none", "source": W + "/host",
   "options": ["bind", "nosuid"]},
  {"destination": "/etc/bound", "type": "bind", "source": W + "/hostfile",
   "options": ["bind", "ro"]},
  {"destination": "/scratch", "type": "tmpfs", "source": "tmpfs",
   "options": ["nosuid", "size=1m", "mode=1770", "uid=5", "gid=6"]},
]'
	"$OCI" --root "$STATE" create --bundle "$BUNDLE" m1 > "$JT_WORK/out.m1" 2>&1 ||
	    atf_fail "create: $(cat "$JT_WORK/out.m1")"
	# The container exists and its mounts are not the host's.
	no_mounts
	atf_check "$OCI" --root "$STATE" start m1
	jt_wait 10 sh -c "\"$OCI\" --root \"$STATE\" state m1 | grep -q stopped" ||
	    atf_fail "not stopped"
	atf_check "$OCI" --root "$STATE" delete m1
	atf_check -o inline:'hostfile\nro\nrw\ncontent\n1770 5 6\nsize=1024k\n' \
	    cat "$JT_WORK/out.m1"
	atf_check -o inline:'x\n' cat "$JT_WORK/host/new"
	[ -e "$JT_WORK/host/g" ] && atf_fail "a read-only bind was written"
	# The missing destinations were made in the root: a directory, a file.
	[ -d "$ROOT/mnt/h" ] && [ -f "$ROOT/etc/bound" ] ||
	    atf_fail "destinations not made"
	no_mounts
}

jt_case enter_remove "a container with mounts: jls lists it, jexec sees its mounts, jail -r ends it; its mount namespace pins nothing"
enter_remove_body()
{
	bundle_init
	config '["/bin/sleep", "100"]' '
c["mounts"].append({"destination": "/mnt/h", "type": "bind",
    "source": W + "/host", "options": ["rbind", "ro"]})'
	atf_check "$OCI" --root "$STATE" create --bundle "$BUNDLE" e1
	atf_check "$OCI" --root "$STATE" start e1
	atf_check -o match:'oci-e1' "$JLS" name
	atf_check -o inline:'hostfile\n' "$JEXEC" oci-e1 cat /mnt/h/f
	no_mounts
	atf_check "$JAIL" -r oci-e1
	jt_wait 10 sh -c "\"$OCI\" --root \"$STATE\" state e1 | grep -q stopped" ||
	    atf_fail "not stopped after jail -r"
	atf_check "$OCI" --root "$STATE" delete e1
	# The prison, the last holder of create's mount namespace, is gone,
	# and the bind's source can go.
	jt_wait 10 jt_no_prisons || atf_fail "prison still there"
	atf_check rm -r "$JT_WORK/host"
}

jt_case jails_own "the engines' proc, sysfs, devpts, /dev, /dev/shm, mqueue and cgroup mounts are the jail's own; other destinations below /proc and /sys, and the jail's own /dev entries, are refused"
jails_own_body()
{
	bundle_init
	config '["/bin/sh", "-c", "ls /dev/null /dev/pts/ptmx /proc/self/status /sys/kernel >/dev/null && echo ok; touch /dev/shm/x && echo shm; grep -o \"^[a-z]* /dev/mqueue mqueue\" /proc/mounts"]'
	run o1
	atf_check -o inline:'ok\nshm\nnone /dev/mqueue mqueue\n' cat "$JT_WORK/out.o1"
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/dev/null", "type": "bind", "source": W + "/host/f", "options": ["rbind"]})'
	refused o2 'mount /dev/null: not supported: /dev/null is the jail.s own'
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/proc/sys", "type": "proc", "source": "proc"})'
	refused o3 'mount /proc/sys \(proc\): not supported'
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/x", "type": "ext4", "source": "/dev/vda"})'
	refused o4 'mount /x: type ext4: not supported'
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/x", "type": "bind", "source": W, "options": ["rbind", "rshared"]})'
	refused o5 'rshared propagation: not supported'
}

jt_case symlink_dest "a symlink planted in the root as a mount destination is never followed out of it"
symlink_dest_body()
{
	bundle_init
	mkdir "$JT_WORK/outside"
	ln -s "$JT_WORK/outside" "$ROOT/evil"
	ln -s ../../../../../../.. "$ROOT/up"
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/evil/x", "type": "tmpfs", "source": "tmpfs"})'
	refused s1 'mount destination /evil/x: a symlink \(not followed\)'
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/evil", "type": "tmpfs", "source": "tmpfs"})'
	refused s2 'mount destination /evil: a symlink \(not followed\)'
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/up/tmp/y", "type": "tmpfs", "source": "tmpfs"})'
	refused s3 'mount destination /up/tmp/y: a symlink \(not followed\)'
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/a/../../x", "type": "tmpfs", "source": "tmpfs"})'
	refused s4 '"\.\." is not allowed'
	config '["/bin/true"]' 'c["linux"]["maskedPaths"].append("/evil")'
	refused s5 'maskedPaths /evil: a symlink \(not followed\)'
	atf_check -o empty ls "$JT_WORK/outside"
	[ -e /tmp/y ] && atf_fail "/tmp/y made on the host"
	return 0
}

jt_case masked_readonly "maskedPaths and readonlyPaths in the root; the engines' /proc and /sys ones are every jail's"
masked_readonly_body()
{
	bundle_init
	mkdir -p "$ROOT/etc/secret" "$ROOT/etc/rod"
	echo s > "$ROOT/etc/secret/s"
	echo f > "$ROOT/etc/secretfile"
	config '["/bin/sh", "-c", "ls /etc/secret; cat /etc/secretfile; (echo x > /etc/secretfile) 2>/dev/null || echo maskro; echo -n [; for f in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do cat $f 2>/dev/null; done; echo ]; touch /etc/rod/x 2>/dev/null || echo ro; ls /sys/dev/block | wc -l; (echo 1 > /proc/sys/kernel/ostype) 2>/dev/null || echo sysro"]' '
c["linux"]["maskedPaths"] += ["/etc/secret", "/etc/secretfile", "/etc/absent"]
c["linux"]["readonlyPaths"] += ["/etc/rod"]'
	run r1
	atf_check -o inline:'maskro\n[]\nro\n0\nsysro\n' cat "$JT_WORK/out.r1"
	# The host's files are untouched.
	atf_check -o inline:'s\n' cat "$ROOT/etc/secret/s"
	config '["/bin/true"]' 'c["linux"]["maskedPaths"].append("/proc/cpuinfo")'
	refused r2 'maskedPaths /proc/cpuinfo: not supported'
}

# nsid KIND: the inode of the host's namespace of KIND.
nsid()
{
	stat -L -c %i /proc/self/ns/$1
}

jt_case namespaces "linux.namespaces: network, uts and ipc absent are the host's, present the jail's own; pid, mount, user, cgroup are always the jail's; a path for them is refused"
namespaces_body()
{
	bundle_init
	show='for n in net uts ipc pid user mnt cgroup; do stat -L -c %i /proc/self/ns/$n; done'
	config "[\"/bin/sh\", \"-c\", \"$show\"]" '
c["linux"]["namespaces"] = [{"type": "pid"}, {"type": "mount"}]
del c["hostname"]'
	run h1
	atf_check -o inline:"$(nsid net)\n$(nsid uts)\n$(nsid ipc)\n" head -3 "$JT_WORK/out.h1"
	for n in pid user mnt cgroup; do
		grep -qx "$(nsid $n)" "$JT_WORK/out.h1" && atf_fail "the host's $n namespace"
	done
	config "[\"/bin/sh\", \"-c\", \"$show\"]"
	run h2
	for n in net uts ipc pid user mnt cgroup; do
		grep -qx "$(nsid $n)" "$JT_WORK/out.h2" && atf_fail "the host's $n namespace"
	done
	# A hostname needs a UTS namespace (runc's words).
	config '["/bin/true"]' 'c["linux"]["namespaces"] = [{"type": "pid"}]'
	refused h3 'unable to set hostname without a private UTS namespace'
	config '["/bin/true"]' 'c["linux"]["namespaces"].append({"type": "pid", "path": "/proc/1/ns/pid"})'
	refused h4 'pid namespace /proc/1/ns/pid: not supported: a jail has its own pid namespace'
	# A pod's uts and ipc namespaces by path: not joined, the jail has
	# its own (more isolation), with the pod's host name; said so.
	unshare --uts sh -c 'hostname podhost; exec sleep 60' &
	pod=$!
	jt_track $pod
	jt_wait 5 sh -c "[ \"\$(readlink /proc/$pod/ns/uts)\" != \"$(readlink /proc/self/ns/uts)\" ]" ||
	    atf_fail "no uts namespace made"
	sleep 0.2
	config '["/bin/sh", "-c", "hostname; stat -L -c %i /proc/self/ns/uts /proc/self/ns/ipc"]' '
c["linux"]["namespaces"] = [{"type": "pid"}, {"type": "mount"}, {"type": "network"},
    {"type": "uts", "path": "/proc/'$pod'/ns/uts"}, {"type": "ipc", "path": "/proc/'$$'/ns/ipc"}]
del c["hostname"]'
	run h5
	atf_check -o inline:"podhost\n" grep -vE '^[0-9]+$' "$JT_WORK/out.h5"
	# Said with --debug (create's stderr is the container's: no warning).
	"$OCI" --root "$STATE" --debug create --bundle "$BUNDLE" h5d > "$JT_WORK/out.h5d" 2>&1 ||
	    atf_fail "create: $(cat "$JT_WORK/out.h5d")"
	atf_check "$OCI" --root "$STATE" delete --force h5d
	atf_check -o match:"linux.namespaces: uts namespace /proc/$pod/ns/uts: not joined" \
	    -o match:"linux.namespaces: ipc namespace /proc/$$/ns/ipc: not joined" \
	    cat "$JT_WORK/out.h5d"
	for n in uts ipc; do
		grep -qx "$(nsid $n)" "$JT_WORK/out.h5" && atf_fail "the host's $n namespace"
	done
	grep -qx "$(stat -L -c %i /proc/$pod/ns/uts)" "$JT_WORK/out.h5" &&
	    atf_fail "the pod's uts namespace joined"
	kill $pod
	config '["/bin/true"]' 'c["linux"]["namespaces"].append({"type": "uts", "path": "/proc/'$$'/ns/ipc"})'
	refused h6 "uts namespace /proc/$$/ns/ipc: not a uts namespace"
	return 0
}

jt_case netns_path "joining a network namespace by path (ip netns): the container is in it, cannot configure it; jls and jexec see it"
netns_path_body()
{
	bundle_init
	ns=jt17b$$
	atf_check ip netns add $ns
	jt_on_cleanup "ip netns del $ns"
	atf_check ip netns exec $ns ip link set lo up
	atf_check ip netns exec $ns ip addr add 10.217.0.1/32 dev lo
	config '["/bin/sh", "-c", "stat -L -c %i /proc/self/ns/net; ip -4 -o addr show lo | grep -o 10.217.0.1; ip link set lo down 2>/dev/null || echo denied; exec sleep 100"]' '
c["linux"]["namespaces"] = [{"type": "pid"}, {"type": "uts"}, {"type": "mount"},
    {"type": "network", "path": "/run/netns/'$ns'"}]'
	"$OCI" --root "$STATE" create --bundle "$BUNDLE" p1 > "$JT_WORK/out.p1" 2>&1 ||
	    atf_fail "create: $(cat "$JT_WORK/out.p1")"
	atf_check "$OCI" --root "$STATE" start p1
	jt_wait 10 grep -q denied "$JT_WORK/out.p1" || atf_fail "$(cat "$JT_WORK/out.p1")"
	atf_check -o inline:"$(stat -L -c %i /run/netns/$ns)\n10.217.0.1\ndenied\n" \
	    cat "$JT_WORK/out.p1"
	atf_check -o inline:"vnet=new vnet.netns=/run/netns/$ns\n" \
	    "$JLS" -j oci-p1 -n vnet vnet.netns
	atf_check -o match:'10.217.0.1' "$JEXEC" oci-p1 ip -4 addr show lo
	atf_check "$OCI" --root "$STATE" delete --force p1
	# The namespace outlives the container.
	atf_check -o match:'10.217.0.1' ip netns exec $ns ip -4 addr show lo
	# Not a network namespace: refused by the prison.
	config '["/bin/true"]' 'c["linux"]["namespaces"] = [{"type": "uts"}, {"type": "network", "path": "/proc/self/ns/ipc"}]'
	refused p2 'vnet.netns /proc/self/ns/ipc: not a network namespace'
	config '["/bin/true"]' 'c["linux"]["namespaces"] = [{"type": "uts"}, {"type": "network", "path": "'$JT_WORK/host/f'"}]'
	refused p3 'not a network namespace'
}

jt_case netns_pod "two containers in one network namespace (the second joins the first's /proc/PID/ns/net, as a pod's): they talk over loopback"
netns_pod_body()
{
	bundle_init
	config '["/bin/sh", "-c", "ip link set lo up; nc -l -p 7777 > /tmp/got; cat /tmp/got"]'
	# nc -l's standard input must not end: busybox's quits at its end
	# when the client's data has not come yet (a race under load).  A
	# fifo this shell holds open both ways never ends.
	mkfifo "$JT_WORK/in"
	exec 7<> "$JT_WORK/in"
	"$OCI" --root "$STATE" create --bundle "$BUNDLE" --pid-file "$JT_WORK/pid" infra \
	    < "$JT_WORK/in" > "$JT_WORK/out.infra" 2>&1 ||
	    atf_fail "create: $(cat "$JT_WORK/out.infra")"
	pid=$(cat "$JT_WORK/pid")
	atf_check "$OCI" --root "$STATE" start infra
	config '["/bin/sh", "-c", "for i in $(seq 50); do netstat -ltn | grep -q :7777 && break; sleep 0.2; done; echo hello-pod | nc 127.0.0.1 7777"]' '
c["linux"]["namespaces"] = [{"type": "pid"}, {"type": "uts"}, {"type": "mount"},
    {"type": "network", "path": "/proc/'$pid'/ns/net"}]'
	run work
	jt_wait 10 grep -q hello-pod "$JT_WORK/out.infra" ||
	    atf_fail "nothing received: $(cat "$JT_WORK/out.infra" "$JT_WORK/out.work")"
	jt_wait 10 sh -c "\"$OCI\" --root \"$STATE\" state infra | grep -q stopped" ||
	    atf_fail "infra not stopped"
	atf_check "$OCI" --root "$STATE" delete infra
}

jt_case uidmappings "linux.uidMappings/gidMappings: one a jail's range can be is honoured (idmap.base), any other refused"
uidmappings_body()
{
	bundle_init
	base=$((1610612736 + 65536 * 4091))
	config '["/bin/sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map"]' '
m = [{"containerID": 0, "hostID": '$base', "size": 65536}]
c["linux"]["uidMappings"] = m
c["linux"]["gidMappings"] = m'
	run u1
	atf_check -o match:"^ *0 +$base +65536\$" head -1 "$JT_WORK/out.u1"
	atf_check -o match:"^ *0 +$base +65536\$" tail -1 "$JT_WORK/out.u1"
	config '["/bin/true"]' '
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["linux"]["gidMappings"] = c["linux"]["uidMappings"]'
	refused u2 'linux.uidMappings: not supported: a jail maps its ids 0 to 65535'
	config '["/bin/true"]' '
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": '$base', "size": 1000}, {"containerID": 1000, "hostID": 5000, "size": 10}]
c["linux"]["gidMappings"] = c["linux"]["uidMappings"]'
	refused u3 'linux.uidMappings: not supported: a jail.s ids are one range'
	config '["/bin/true"]' '
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": '$base', "size": 65536}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": '$((base + 65536))', "size": 65536}]'
	refused u4 'same host ids'
}

# hook_script FILE LOG: a hook that logs "POINT STATUS ID" and, on the
# host, whether it runs in the host's mount namespace.
hook_script()
{
	cat > "$1" <<EOT
#!/bin/sh
st=\$(cat)
s=\$(echo "\$st" | sed 's/.*"status":"\([a-z]*\)".*/\1/')
i=\$(echo "\$st" | sed 's/.*"id":"\([^"]*\)".*/\1/')
echo "\$1 \$s \$i \$(readlink /proc/self/ns/mnt)" >> $2
exit \${2:-0}
EOT
	chmod +x "$1"
}

jt_case hooks "hooks at their points, in order, with the state on stdin; host ones in the host's mount namespace, container ones in the jail"
hooks_body()
{
	bundle_init
	hook_script "$JT_WORK/hook" "$JT_WORK/hooklog"
	hook_script "$ROOT/hook" /tmp/hooklog
	sed -i 's/^exit .*/exit 0/' "$JT_WORK/hook" "$ROOT/hook"
	config '["/bin/sh", "-c", "echo main >> /tmp/hooklog"]' '
h = lambda p, a: {"path": p, "args": ["hook", a], "env": ["X=1"], "timeout": 10}
c["hooks"] = {
  "prestart": [h(W + "/hook", "prestart")],
  "createRuntime": [h(W + "/hook", "createRuntime")],
  "createContainer": [h("/hook", "createContainer")],
  "startContainer": [h("/hook", "startContainer")],
  "poststart": [h(W + "/hook", "poststart")],
  "poststop": [h(W + "/hook", "poststop")],
}'
	run k1
	mnt=$(readlink /proc/self/ns/mnt)
	atf_check -o inline:"prestart creating k1 $mnt
createRuntime creating k1 $mnt
poststart running k1 $mnt
poststop stopped k1 $mnt
" cat "$JT_WORK/hooklog"
	atf_check -o match:'^createContainer creating k1 mnt:' -o match:'^startContainer created k1 mnt:' \
	    cat "$ROOT/tmp/hooklog"
	atf_check -o inline:'createContainer\nstartContainer\nmain\n' \
	    awk '{ print $1 }' "$ROOT/tmp/hooklog"
	grep -q "$mnt" "$ROOT/tmp/hooklog" && atf_fail "a container hook ran in the host's mount namespace"
	return 0
}

jt_case hooks_fail "a failing or timed-out create-time hook fails create and leaves nothing; a failing poststop is a warning"
hooks_fail_body()
{
	bundle_init
	printf '#!/bin/sh\ncat > /dev/null; exit 3\n' > "$JT_WORK/fail"
	printf '#!/bin/sh\nexec sleep 30\n' > "$JT_WORK/slow"
	chmod +x "$JT_WORK/fail" "$JT_WORK/slow"
	for p in prestart createRuntime; do
		config '["/bin/true"]' 'c["hooks"] = {"'$p'": [{"path": W + "/fail"}]}'
		refused f1 "hooks.$p $JT_WORK/fail: exit status 3"
	done
	config '["/bin/true"]' 'c["hooks"] = {"createContainer": [{"path": "/bin/false"}]}'
	refused f2 'hooks.createContainer /bin/false: exit status 1'
	config '["/bin/true"]' 'c["hooks"] = {"createRuntime": [{"path": W + "/slow", "timeout": 1}]}'
	refused f3 'timed out after 1 s'
	config '["/bin/true"]' 'c["hooks"] = {"poststop": [{"path": W + "/fail"}]}'
	atf_check "$OCI" --root "$STATE" create --bundle "$BUNDLE" f4
	atf_check -s exit:0 -e match:'hooks.poststop .*: exit status 3' \
	    "$OCI" --root "$STATE" delete f4
	atf_check -o empty ls "$STATE"
	config '["/bin/sleep", "100"]' 'c["hooks"] = {"startContainer": [{"path": "/bin/false"}]}'
	atf_check "$OCI" --root "$STATE" create --bundle "$BUNDLE" f5
	atf_check -s exit:1 -e match:'hooks.startContainer /bin/false: exit status 1' \
	    "$OCI" --root "$STATE" start f5
	jt_wait 10 sh -c "\"$OCI\" --root \"$STATE\" state f5 | grep -q stopped" ||
	    atf_fail "not stopped after a failed startContainer"
	atf_check "$OCI" --root "$STATE" delete f5
}

jt_case sysctl "linux.sysctl: net.* in the container's network namespace, IPC ones in its IPC namespace; the host's untouched; others refused"
sysctl_body()
{
	bundle_init
	host_pgr=$(cat /proc/sys/net/ipv4/ping_group_range)
	host_shm=$(cat /proc/sys/kernel/shmmni)
	config '["/bin/sh", "-c", "cat /proc/sys/net/ipv4/ping_group_range /proc/sys/kernel/shmmni /proc/sys/net/ipv4/ip_forward"]' '
c["linux"]["sysctl"] = {"net.ipv4.ping_group_range": "0 0",
    "kernel.shmmni": "1234", "net.ipv4.ip_forward": "1"}'
	run y1
	atf_check -o inline:'0\t0\n1234\n1\n' cat "$JT_WORK/out.y1"
	atf_check -o inline:"$host_pgr\n" cat /proc/sys/net/ipv4/ping_group_range
	atf_check -o inline:"$host_shm\n" cat /proc/sys/kernel/shmmni
	config '["/bin/true"]' 'c["linux"]["sysctl"] = {"kernel.pid_max": "100000"}'
	refused y2 'sysctl "kernel.pid_max" is not in a separate kernel namespace'
	config '["/bin/true"]' 'c["linux"]["sysctl"] = {"net.ipv4.ip_forward": "1"}
c["linux"]["namespaces"] = [{"type": "pid"}, {"type": "uts"}]'
	refused y3 'sysctl "net.ipv4.ip_forward" not allowed in host network namespace'
	config '["/bin/true"]' 'c["linux"]["sysctl"] = {"kernel.shmmni": "1"}
c["linux"]["namespaces"] = [{"type": "pid"}, {"type": "uts"}, {"type": "network"}]'
	refused y4 'sysctl "kernel.shmmni" is not in a separate kernel namespace'
	config '["/bin/true"]' 'c["linux"]["sysctl"] = {"net.ipv4..conf": "1"}'
	refused y5 'not a valid name'
	atf_check ip netns add jt17s$$
	jt_on_cleanup "ip netns del jt17s$$"
	config '["/bin/true"]' 'c["linux"]["sysctl"] = {"net.ipv4.ip_forward": "1"}
c["linux"]["namespaces"] = [{"type": "uts"}, {"type": "network", "path": "/run/netns/jt17s'$$'"}]'
	refused y6 'not supported in a network namespace joined by path'
}

jt_case readonly_root "root.readonly: the root is read-only in the container, its mounts keep their own options; the host's tree stays writable"
readonly_root_body()
{
	bundle_init
	config '["/bin/sh", "-c", "touch /x 2>/dev/null || echo ro; touch /scratch/y && echo rw"]' '
c["root"]["readonly"] = True
c["mounts"].append({"destination": "/scratch", "type": "tmpfs", "source": "tmpfs"})'
	run ro1
	atf_check -o inline:'ro\nrw\n' cat "$JT_WORK/out.ro1"
	atf_check touch "$ROOT/x"
	no_mounts
}

jt_case dev_binds "binds of files and directories below /dev (Kubernetes' /dev/termination-log) are in the jail's own /dev, nodev and nosuid; device nodes and the jail's own entries are refused"
dev_binds_body()
{
	bundle_init
	: > "$JT_WORK/host/tlog"
	mkdir "$JT_WORK/host/d"
	echo in-d > "$JT_WORK/host/d/f"
	config '["/bin/sh", "-c", "echo done > /dev/termination-log; cat /dev/termination-log; cat /dev/sub/dir/f; touch /dev/sub/dir/g 2>/dev/null || echo ro; ls /dev/null /dev/pts/ptmx >/dev/null && echo own; for m in /dev/termination-log /dev/sub/dir; do grep \" $m \" /proc/mounts | grep -c nosuid,nodev; done"]' '
c["mounts"].append({"destination": "/dev/termination-log", "type": "bind", "source": W + "/host/tlog", "options": ["rbind", "rw"]})
c["mounts"].append({"destination": "/dev/sub/dir", "type": "bind", "source": W + "/host/d", "options": ["rbind", "ro"]})'
	run d1
	atf_check -o inline:'done\nin-d\nro\nown\n1\n1\n' cat "$JT_WORK/out.d1"
	# What the container wrote is on the host.
	atf_check -o inline:'done\n' cat "$JT_WORK/host/tlog"
	no_mounts
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/dev/pts/x", "type": "bind", "source": W + "/host/f", "options": ["rbind"]})'
	refused d2 'mount /dev/pts/x: not supported: /dev/pts is the jail.s own'
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/dev/jail", "type": "bind", "source": W + "/host/d", "options": ["rbind"]})'
	refused d3 'mount /dev/jail: not supported: /dev/jail is the jail.s own'
	# A host device node as the source: never in the jail's /dev.
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/dev/mine", "type": "bind", "source": "/dev/zero", "options": ["rbind"]})'
	refused d4 'mount /dev/mine: source /dev/zero: a device node: not supported'
	# Not a bind: still the jail's own /dev.
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/dev/x", "type": "tmpfs", "source": "tmpfs"})'
	refused d5 'mount /dev/x \(tmpfs\): not supported'
	config '["/bin/true"]' 'c["mounts"].append({"destination": "/proc/x", "type": "bind", "source": W + "/host/d", "options": ["rbind"]})'
	refused d6 'mount /proc/x \(bind\): not supported'
}
