#! /usr/bin/env atf-sh
#
# jail-oci(8) under the real engines of Debian 12, offline: podman 4.3 (with
# conmon) and containerd 1.6 (with containerd-shim-runc-v2) run containers
# as jails, from a copied root (podman --rootfs) and from an OCI image
# archive built here by tools/mkociimage (podman load, ctr images import).
#
# Everything is private to the test's directory: podman's --root, --runroot,
# tmp_dir and a containers.conf of its own; containerd's root, state, socket
# and opt directory; jail-oci's --root and the jail registry.  Networking is
# off ("none": a pod's namespace has only lo).  The engines clear the
# environment, so the runtime they are given is a wrapper that exports
# JAIL_PRISON and JAIL_REGISTRY and execs build/sbin/jail-oci.
#
# Storage: the engines' defaults, podman's overlay driver and containerd's
# overlayfs snapshotter.  An overlayfs mount cannot be idmapped, so each
# jail gets a new overlay of the same layers, idmapped (prison/overlay.c;
# overlay_test.sh tests it with jail(8)).

. "$(atf_get_srcdir)/common.subr"

IMG=localhost/jailtest:latest

# eng_init TOOL...: the common part; skips when an engine is not installed.
eng_init()
{
	for _t in "$@"; do
		command -v "$_t" > /dev/null 2>&1 ||
		    atf_skip "$_t is not installed (tools/deps test installs it)"
	done
	jt_init
	OCI=$JT_TOP/build/sbin/jail-oci
	[ -x "$OCI" ] || atf_fail "$OCI is missing: run make"
	T=$JT_WORK/eng
	mkdir -p "$T"
	"$JT_TOP/tools/mkociimage" "$T/image.tar" "$IMG" > /dev/null ||
	    atf_fail "tools/mkociimage failed"
}

# wrapper FILE [GLOBAL-OPTION...]: the runtime the engines are given.
wrapper()
{
	cat > "$1" <<EOT
#!/bin/sh
export JAIL_PRISON='$JT_PRISON' JAIL_REGISTRY='$JT_REG'
exec '$OCI' $2 "\$@"
EOT
	chmod 755 "$1"
}

# The jails of the test's registry, by name, one a line.
jail_names()
{
	"$JLS" name 2>/dev/null
}

# nothing_left: no jail, no jail-oci state; the engine-specific checks are
# the callers'.  jt_cleanup then checks prisons, registry, cgroups, mounts.
nothing_left()
{
	jt_wait 10 sh -c "[ -z \"\$(\"$JLS\" jid)\" ]" ||
	    atf_fail "jails left: $(jail_names | tr '\n' ' ')"
	if [ -d "$T/oci" ]; then
		[ -z "$(ls -A "$T/oci")" ] ||
		    atf_fail "jail-oci state left: $(ls "$T/oci")"
	fi
}

# cgroups_of ID: cgroup directories on the host named after ID (podman's
# and the shim's, in every hierarchy).
cgroups_of()
{
	all_dirs_of "$1" | while read -r _d; do
		case $(stat -f -c %T "$_d") in cgroup*) echo "$_d" ;; esac
	done
}

all_dirs_of()
{
	find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -type d -name "*$1*" \
	    2>/dev/null
}

# cg_remove ID: in the cleanup, the cgroups named after ID.  podman's
# cgroupfs manager also makes plain directories (and "tasks" files) on
# /sys/fs/cgroup's tmpfs for v1 controllers /proc/cgroups lists but nothing
# mounted (hugetlb, net_cls... on this hybrid host); those go with rm.
cg_remove()
{
	for _d in $(all_dirs_of "$1" | sort -r); do
		if [ "$(stat -f -c %T "$_d")" = tmpfs ]; then
			rm -r "$_d"
		else
			find "$_d" -depth -type d -exec rmdir {} +
		fi
	done
}

# The engines' own cgroups, which outlive their containers: podman's
# libpod_parent (with conmon's inside) and containerd's namespace,
# "default", in every hierarchy, and on /sys/fs/cgroup's tmpfs the
# directories podman makes for controllers nothing mounts.  Those there
# before the test are left; the new ones go once empty of processes.
engine_dirs()
{
	{
		find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -type d \
		    \( -name libpod_parent -o -name default \)
		find /sys/fs/cgroup -mindepth 1 -maxdepth 1 -type d -fstype tmpfs
	} 2>/dev/null | sort
}

eng_dirs_before()
{
	engine_dirs > "$T/engine_dirs"
}

eng_dirs_remove()
{
	[ -f "$T/engine_dirs" ] || return 0
	engine_dirs | comm -13 "$T/engine_dirs" - | sort -r | while read -r _d; do
		if [ "$(stat -f -c %T "$_d")" = tmpfs ]; then
			# Nothing is mounted there: no process can be in it.
			rm -r "$_d"
		else
			find "$_d" -depth -type d -exec rmdir {} + 2>/dev/null
		fi
	done
}

# ---------------------------------------------------------------- podman

pm_init()
{
	eng_init podman conmon
	wrapper "$T/jail-oci" "--root $T/oci"
	mkdir -p "$T/tmp" "$T/net"
	# Within this VM's limits: podman's defaults (nofile 1048576, and nproc
	# 1048576 once any limit is set) are above them, and without
	# CAP_SYS_RESOURCE runc cannot raise a limit there.  nofile's soft
	# limit is its hard one: podman 4.3 swaps them for a pod's infra
	# container, and soft above hard is invalid.
	_hn=$(ulimit -Hn)
	cat > "$T/containers.conf" <<EOT
[containers]
netns = "none"
default_ulimits = ["nofile=$_hn:$_hn", "nproc=4096:4096"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$T/events.log"
tmp_dir = "$T/tmp"
volume_path = "$T/volumes"
runtime = "jail"
runtime_supports_json = ["crun", "runc", "kata", "krun", "jail"]

[engine.runtimes]
jail = ["$T/jail-oci"]

[network]
network_config_dir = "$T/net"
EOT
	pm_script
	eng_dirs_before
	jt_on_cleanup pm_cleanup
}

# $PM: podman with the test's private storage and configuration, a
# command of its own (atf_check runs commands, not functions).
pm_script()
{
	PM=$T/podman
	cat > "$PM" <<EOT
#!/bin/sh
export CONTAINERS_CONF='$T/containers.conf'
exec timeout 90 podman --root '$T/storage' --runroot '$T/run' \\
    --storage-driver overlay "\$@"
EOT
	chmod 755 "$PM"
}

pm_load()
{
	atf_check -o match:"Loaded image: $IMG" -e ignore "$PM" load -i "$T/image.tar"
}

# In the cleanup (a process of its own: recompute the paths).
pm_cleanup()
{
	T=$(pwd)/eng
	PM=$T/podman
	_ids="$(cat "$T/pod" 2>/dev/null) $("$PM" pod ls -q --no-trunc)"
	_ids="$_ids $("$PM" ps -aq --no-trunc)"
	"$PM" pod rm -af -t 0
	"$PM" rm -af -t 0
	for _n in $(cat "$T/netns" 2>/dev/null); do
		[ -e "/run/netns/$_n" ] && ip netns delete "$_n"
	done
	for _id in $_ids; do
		cg_remove "$_id"
	done
	# The overlay mounts podman leaks, if it does.
	grep -o " $T/[^ ]*" /proc/self/mounts | sort -r | xargs -r -n1 umount -l
	rm -rf "$T/storage" "$T/run"
	eng_dirs_remove
}

# pm_gone ID...: podman and the host forget the containers.
pm_gone()
{
	atf_check -o empty "$PM" ps -aq
	nothing_left
	for _id in "$@"; do
		_g=$(cgroups_of "$_id")
		[ -z "$_g" ] || atf_fail "cgroups left: $_g"
	done
}

jt_case podman_rootfs "podman run --rootfs: output, status, a jail per container"
podman_rootfs_body()
{
	pm_init
	# podman writes etc/mtab into the root: give it a copy.
	cp -a "$ROOT" "$T/rootfs"
	atf_check -o inline:'hi\n' "$PM" run --rm --rootfs "$T/rootfs" \
	    /bin/sh -c 'echo hi'
	atf_check -s exit:3 "$PM" run --rm --rootfs "$T/rootfs" /bin/sh -c 'exit 3'
	atf_check -o save:id "$PM" run -d --rootfs "$T/rootfs" /bin/sleep 100
	id=$(cat id)
	atf_check -o match:"^oci-$id\$" "$JLS" name
	atf_check -o match:"^$id +Up" "$PM" ps -a --no-trunc \
	    --format '{{.ID}} {{.Status}}'
	atf_check -o ignore "$PM" rm -f -t 0 "$id"
	pm_gone "$id"
}

jt_case podman_image "podman load of the local archive; run: output, exit 0, 3, 127, 126"
podman_image_body()
{
	pm_init
	pm_load
	atf_check -o match:"$IMG" "$PM" images --format '{{.Repository}}:{{.Tag}}'
	# The image's Env and Cmd: PATH is set, /bin/sh reads stdin.
	atf_check -o inline:'/bin:/sbin:/usr/bin:/usr/sbin\n' \
	    "$PM" run --rm "$IMG" /bin/sh -c 'echo $PATH'
	echo 'echo from stdin' > cmd
	atf_check -o inline:'from stdin\n' "$PM" run --rm -i "$IMG" < cmd
	atf_check -s exit:0 "$PM" run --rm "$IMG" true
	atf_check -s exit:3 "$PM" run --rm "$IMG" /bin/sh -c 'exit 3'
	# podman's mapping of the runtime's errors: runc's words.
	atf_check -s exit:127 -e match:'no such file or directory' \
	    "$PM" run --rm "$IMG" /nosuch
	atf_check -s exit:126 -e match:'permission denied' \
	    "$PM" run --rm "$IMG" /etc/passwd
	pm_gone
}

jt_case podman_exec "podman exec, plain and with -it (a pty), into a running container"
podman_exec_body()
{
	pm_init
	pm_load
	atf_check -o ignore "$PM" run -d --name c1 --hostname box "$IMG" /bin/sleep 100
	id=$("$PM" inspect --format '{{.Id}}' c1)
	atf_check -o match:"^oci-$id\$" "$JLS" name
	atf_check -o inline:'in box\n' "$PM" exec c1 /bin/sh -c 'echo in $(hostname)'
	atf_check -s exit:4 "$PM" exec c1 /bin/sh -c 'exit 4'
	atf_check -s exit:0 -o inline:'x\n' "$PM" exec -e X=x c1 /bin/sh -c 'echo $X'
	atf_check -o inline:'/tmp\n' "$PM" exec -w /tmp c1 pwd
	# The root is podman's overlay: a write lands in its upper directory,
	# owned by uid 0 on disk, beside it the jail's own work directory.
	atf_check "$PM" exec c1 /bin/sh -c 'echo x > /made'
	up=$("$PM" inspect --format '{{.GraphDriver.Data.UpperDir}}' c1)
	atf_check -o inline:'0:0\n' stat -c '%u:%g' "$up/made"
	ls "$up/.." | grep -Eqx 'jail[0-9]+\.work\.[0-9a-f]{8}' ||
	    atf_fail "no work directory of the jail's beside $up"
	# -it: the process's stdio is a terminal of the jail's own devpts.
	# ptydrive, not script(1): script types a NUL at its stdin's end,
	# which the jail's terminal echoes anywhere in the output, and a
	# hang here once went undiagnosed; ptydrive gives up after -t and
	# the processes still there are shown.
	jt_cc_host ptydrive
	"$JT_WORK/ptydrive" -t 40 "$PM" exec -it c1 /bin/sh -c \
	    'tty; [ -t 0 ] && echo term' > out 2>&1 || {
		ps -eo pid,ppid,stat,wchan:24,args --forest |
		    grep -E 'podman|conmon|jail-oci|prison|ptydrive|/bin/sh' >&2
		atf_fail "exec -it: $(cat out)"
	}
	atf_check -o match:'^/dev/pts/[0-9]+$' -o match:'^term$' cat out
	atf_check -o ignore "$PM" rm -f -t 0 c1
	pm_gone "$id"
	[ ! -e "$up" ] || atf_fail "podman did not remove $up"
}

jt_case podman_stop "podman stop: SIGTERM, then SIGKILL after the timeout; ps -a statuses; rm"
podman_stop_body()
{
	pm_init
	pm_load
	atf_check -o ignore "$PM" create --name cr "$IMG" /bin/true
	atf_check -o match:'^cr Created' "$PM" ps -a --format '{{.Names}} {{.Status}}'
	atf_check -o ignore "$PM" run -d --name term "$IMG" /bin/sh -c \
	    'trap "exit 7" TERM; echo ready; while :; do sleep 0.1; done'
	atf_check -o ignore "$PM" run -d --name deaf "$IMG" /bin/sh -c \
	    'trap "" TERM; echo ready; while :; do sleep 0.1; done'
	for c in term deaf; do
		jt_wait 10 sh -c "'$PM' logs $c 2>/dev/null | grep -q ready" ||
		    atf_fail "$c did not start"
	done
	atf_check -o match:'^term Up' -o match:'^deaf Up' \
	    "$PM" ps -a --format '{{.Names}} {{.Status}}'
	atf_check -o inline:'term\n' "$PM" stop -t 30 term
	atf_check -o match:'^term Exited \(7\)' \
	    "$PM" ps -a --format '{{.Names}} {{.Status}}'
	t0=$(date +%s)
	atf_check -o inline:'deaf\n' -e match:'resorting to SIGKILL' \
	    "$PM" stop -t 2 deaf
	t1=$(date +%s)
	[ $((t1 - t0)) -ge 2 ] || atf_fail "deaf stopped before the timeout"
	atf_check -o match:'^deaf Exited \(137\)' \
	    "$PM" ps -a --format '{{.Names}} {{.Status}}'
	# Stopped containers' jails are gone; rm forgets them.
	nothing_left
	atf_check -o ignore "$PM" rm term deaf cr
	pm_gone
}

jt_case podman_kube "podman kube play: an infra container and a workload in its network namespace; kube down"
podman_kube_body()
{
	pm_init
	pm_load
	cat > pod.yaml <<EOT
apiVersion: v1
kind: Pod
metadata:
  name: jp
spec:
  restartPolicy: Never
  containers:
  - name: work
    image: $IMG
    command: ["/bin/sh", "-c", "echo up; cat /proc/net/dev; exec sleep 100"]
EOT
	# The infra image: podman builds its pause image from catatonit, locally.
	# --network none: the pod's namespace, which the workload now joins
	# (vnet.netns), has a loopback only, and podman touches no bridge.
	atf_check -o match:'^Pod:' -e ignore "$PM" kube play --network none pod.yaml
	pod=$("$PM" pod inspect --format '{{.ID}}' jp)
	echo "$pod" > "$T/pod"
	infra=$("$PM" pod inspect --format '{{.InfraContainerID}}' jp)
	work=$("$PM" inspect --format '{{.Id}}' jp-work)
	[ -n "$infra" ] && [ -n "$work" ] || atf_fail "no infra or workload"
	# The pod's network namespace, removed in cleanup if kube down did not.
	"$PM" inspect --format '{{.NetworkSettings.SandboxKey}}' "$infra" |
	    sed 's,^/run/netns/,,' > "$T/netns"
	atf_check -o match:"^oci-$infra\$" -o match:"^oci-$work\$" "$JLS" name
	atf_check -o match:"^jp-work Up" -o match:"-infra Up" \
	    "$PM" ps -a --format '{{.Names}} {{.Status}}'
	jt_wait 10 sh -c "'$PM' logs jp-work 2>/dev/null | grep -q up" ||
	    atf_fail "the workload did not start"
	ip=$("$PM" inspect --format '{{.State.Pid}}' "$infra")
	wp=$("$PM" inspect --format '{{.State.Pid}}' "$work")
	[ "$(readlink /proc/$ip/ns/net)" = "$(readlink /proc/$wp/ns/net)" ] ||
	    atf_fail "the workload is not in the pod's network namespace"
	[ "$(readlink /proc/$wp/ns/net)" != "$(readlink /proc/self/ns/net)" ] ||
	    atf_fail "the workload is in the host's network namespace"
	# Only lo there: no way out.
	atf_check -o match:'lo:' -o not-match:'eth|ens|veth' "$PM" logs jp-work
	# podman (whatever the runtime) puts the pod's conmon in plain
	# directories on /sys/fs/cgroup's tmpfs for the v1 controllers this
	# host lists but does not mount, writes "tasks" files there, and then
	# cannot remove them: take its files away first, not the jail's.
	for _d in $(all_dirs_of "$pod"); do
		[ "$(stat -f -c %T "$_d")" = tmpfs ] &&
		    find "$_d" -type f -name tasks -delete
	done
	atf_check -o match:'Pods removed' -e ignore "$PM" kube down pod.yaml
	atf_check -o empty "$PM" pod ls -q
	for n in $(cat "$T/netns"); do
		[ -e "/run/netns/$n" ] && atf_fail "netns $n left"
	done
	pm_gone "$pod" "$infra" "$work"
}

# ------------------------------------------------------------ containerd

# A private daemon: root, state, sockets and opt in the test's directory,
# no CRI, the overlayfs snapshotter (the default).
cd_init()
{
	eng_init containerd ctr containerd-shim-runc-v2
	wrapper "$T/jail-oci"
	ctr_scripts
	cat > "$T/config.toml" <<EOT
version = 2
root = "$T/root"
state = "$T/state"
disabled_plugins = ["io.containerd.grpc.v1.cri",
    "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
    "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$T/c.sock"
[ttrpc]
  address = "$T/c.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$T/opt"
EOT
	eng_dirs_before
	jt_on_cleanup cd_cleanup
	containerd --config "$T/config.toml" > "$T/containerd.log" 2>&1 &
	echo $! > "$T/containerd.pid"
	jt_wait 20 "$CR" version > /dev/null 2>&1 ||
	    atf_fail "containerd did not start: $(tail -5 "$T/containerd.log")"
	atf_check -o match:'unpacking' "$CR" images import \
	    --snapshotter overlayfs "$T/image.tar"
}

# ctr run/exec options: the wrapper as runc, its --root in the test's
# directory (the shim adds the namespace: $T/runc/default).
ctr_scripts()
{
	CR=$T/ctr
	CRUN=$T/ctr-run
	printf '#!/bin/sh\nexec timeout 60 ctr -a %s "$@"\n' "'$T/c.sock'" > "$CR"
	printf '#!/bin/sh\nexec %s run --snapshotter overlayfs --runc-binary %s --runc-root %s "$@"\n' \
	    "'$CR'" "'$T/jail-oci'" "'$T/runc'" > "$CRUN"
	chmod 755 "$CR" "$CRUN"
}

# The pids of this daemon's shims: their command line names its socket.
cd_shims()
{
	for _p in /proc/[0-9]*; do
		tr '\0' ' ' < "$_p/cmdline" 2>/dev/null |
		    grep -q -- "-address $T/c.sock " && echo "${_p#/proc/}"
	done
}

cd_no_shims() { [ -z "$(cd_shims)" ]; }

# In the cleanup: the tasks, the shims, the daemon, its mounts.  No
# "task rm -f": the shim's "kill --all" may not work, the task stays.
cd_cleanup()
{
	T=$(pwd)/eng
	CR=$T/ctr
	if [ -S "$T/c.sock" ]; then
		for _c in $("$CR" c ls -q); do
			"$CR" task kill -s KILL "$_c"
			jt_wait 5 sh -c "! '$CR' task ls | grep -q '^$_c .*RUNNING'"
			"$CR" task rm "$_c"
			"$CR" c rm "$_c"
		done
	fi
	for _p in $(cd_shims); do
		kill -9 "$_p"
	done
	_d=$(cat "$T/containerd.pid" 2>/dev/null)
	if [ -n "$_d" ]; then
		kill "$_d"
		jt_wait 10 sh -c "! kill -0 $_d 2>/dev/null" || kill -9 "$_d"
	fi
	grep -o " $T/[^ ]*" /proc/self/mounts | sort -r | xargs -r -n1 umount -l
	rm -rf "$T/root" "$T/state" "$T/runc" "$T/opt"
	eng_dirs_remove
}

# cd_gone ID...: containerd and the host forget the containers.
cd_gone()
{
	atf_check -o empty "$CR" c ls -q
	atf_check -o empty "$CR" task ls -q
	jt_wait 10 cd_no_shims || atf_fail "shims left: $(cd_shims)"
	nothing_left
	for _id in "$@"; do
		[ -z "$(ls -A "$T/runc/default" 2>/dev/null)" ] ||
		    atf_fail "runtime state left: $(ls "$T/runc/default")"
		_g=$(cgroups_of "$_id")
		[ -z "$_g" ] || atf_fail "cgroups left: $_g"
	done
}

jt_case ctr_run "containerd: ctr run --rm with --runc-binary: output and exit status"
ctr_run_body()
{
	cd_init
	atf_check -o inline:'hi /bin:/sbin:/usr/bin:/usr/sbin\n' \
	    "$CRUN" --rm "$IMG" jt-r1 /bin/sh -c 'echo hi $PATH'
	atf_check -s exit:3 "$CRUN" --rm "$IMG" jt-r2 /bin/sh -c 'exit 3'
	cd_gone jt-r1 jt-r2
}

jt_case ctr_task "containerd: run -d, task exec, ps, kill, ls; c rm; a jail while it runs"
ctr_task_body()
{
	cd_init
	atf_check "$CRUN" -d "$IMG" jt-t1 /bin/sleep 100
	atf_check -o match:'^jt-t1 +[0-9]+ +RUNNING' "$CR" task ls
	atf_check -o match:'^oci-jt-t1$' "$JLS" name
	pid=$("$CR" task ls | awk '$1 == "jt-t1" { print $2 }')
	# In the container's root: what it writes is in the task's rootfs.
	atf_check -o inline:'ex\n' "$CR" task exec --exec-id e1 jt-t1 \
	    /bin/sh -c 'echo ex; echo mark > /tmp/mark'
	atf_check -o inline:'mark\n' \
	    cat "$T/state/io.containerd.runtime.v2.task/default/jt-t1/rootfs/tmp/mark"
	atf_check -s exit:5 "$CR" task exec --exec-id e2 jt-t1 /bin/sh -c 'exit 5'
	# ps: the shim runs the runtime's "ps --format json".
	atf_check -o match:"^$pid( |\$)" "$CR" task ps jt-t1
	atf_check "$CR" task kill jt-t1
	jt_wait 10 sh -c "'$CR' task ls | grep -q 'jt-t1 .*STOPPED'" ||
	    atf_fail "not stopped after task kill: $("$CR" task ls)"
	atf_check -o ignore -e ignore "$CR" task rm jt-t1
	atf_check "$CR" c rm jt-t1
	cd_gone jt-t1
}
