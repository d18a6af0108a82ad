#! /usr/bin/env atf-sh
#
# jail-oci(8), the OCI runtime face's first slice: a bundle made here (the
# busybox root of common.subr and a config.json written by the test) run
# through create, start, state, kill and delete, as an engine would, with
# --root in the test's directory so /run/jail-oci is never touched.

. "$(atf_get_srcdir)/common.subr"


# config ARGS-JSON: the bundle's config.json, running ARGS.
config()
{
	cat > "$BUNDLE/config.json" <<EOT
{
  "ociVersion": "1.0.2",
  "root": { "path": "rootfs" },
  "hostname": "ocibox",
  "process": {
    "args": $1,
    "env": [ "PATH=/bin:/sbin", "GREETING=hello" ],
    "cwd": "/tmp",
    "user": { "uid": 0, "gid": 0 }
  },
  "linux": { "namespaces": [ { "type": "pid" }, { "type": "network" },
    { "type": "ipc" }, { "type": "uts" }, { "type": "mount" } ] },
  "annotations": { "org.example.key": "value" }
}
EOT
}


# expect_status ID STATUS: state's JSON says so.
expect_status()
{
	_s=$(status "$1")
	[ "$_s" = "$2" ] || atf_fail "$1: status $_s, not $2"
}

# status ID: the status field of state's JSON.
status()
{
	"$OCI" --root "$STATE" state "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'
}

jt_case version "--version prints runc-like lines"
version_body()
{
	oci_init
	atf_check -o match:'^jail-oci version ' -o match:'^spec: 1\.0\.2$' \
	    "$OCI" --version
}

jt_case features "features prints valid JSON with the spec's versions"
features_body()
{
	oci_init
	atf_check -o save:f.json "$OCI" --root "$STATE" features
	atf_check -o ignore python3 -m json.tool f.json
	atf_check -o inline:'1.0.0 1.0.2\n' python3 -c 'import json
f = json.load(open("f.json")); print(f["ociVersionMin"], f["ociVersionMax"])'
}

jt_case lifecycle "create, state, start, kill, delete; the pid file; jls"
lifecycle_body()
{
	oci_init
	config '["/bin/sh", "-c", "echo $GREETING; pwd; hostname; exec sleep 100"]'
	# Its stdio is the first process's: a file here, read after start.
	"$OCI" --root "$STATE" create --bundle "$BUNDLE" \
	    --pid-file "$JT_WORK/pid" c1 > "$JT_WORK/out" 2>&1 ||
	    atf_fail "create: $(cat "$JT_WORK/out")"
	# The pid file: digits only, no newline (containerd rejects one).
	atf_check -o match:'^[0-9]+$' cat "$JT_WORK/pid"
	[ "$(wc -l < "$JT_WORK/pid")" -eq 0 ] || atf_fail "pid file ends in a newline"
	pid=$(cat "$JT_WORK/pid")
	jt_track "$pid"
	expect_status c1 created
	atf_check -o save:st.json "$OCI" --root "$STATE" state c1
	atf_check -o inline:"c1 $pid $BUNDLE value\n" python3 -c 'import json
s = json.load(open("st.json"))
print(s["id"], s["pid"], s["bundle"], s["annotations"]["org.example.key"])'
	# Waiting on the gate: nothing ran yet.
	[ -s "$JT_WORK/out" ] && atf_fail "the process ran before start"
	atf_check -o match:"ocibox +$ROOT" "$JLS"
	atf_check -o match:'oci-c1' "$JLS" name
	# The annotations are the jail's meta.
	atf_check -o 'inline:meta={"org.example.key":"value"}\n' \
	    "$JLS" -j oci-c1 -n meta
	atf_check "$OCI" --root "$STATE" start c1
	expect_status c1 running
	jt_wait 5 grep -q ocibox "$JT_WORK/out" || atf_fail "no output"
	atf_check -o inline:'hello\n/tmp\nocibox\n' cat "$JT_WORK/out"
	atf_check -s exit:1 -e match:'not stopped' "$OCI" --root "$STATE" delete c1
	atf_check "$OCI" --root "$STATE" kill c1 TERM
	jt_wait 5 sh -c "[ \"\$(\"$OCI\" --root \"$STATE\" state c1 | grep -c stopped)\" = 1 ]" ||
	    atf_fail "not stopped after kill"
	atf_check "$OCI" --root "$STATE" delete c1
	atf_check -o empty "$JLS" jid
	atf_check -o empty ls "$STATE"
}

jt_case first_exit "the first process's exit stops the container and ends its jail"
first_exit_body()
{
	oci_init
	config '["/bin/true"]'
	atf_check "$OCI" --root "$STATE" create --bundle "$BUNDLE" c2
	atf_check "$OCI" --root "$STATE" start c2
	jt_wait 5 sh -c "\"$OCI\" --root \"$STATE\" state c2 | grep -q stopped" ||
	    atf_fail "not stopped after its process exited"
	jt_wait 5 sh -c "[ -z \"\$(\"$JLS\" jid)\" ]" || atf_fail "jail still there"
	atf_check -s exit:1 -e match:'not running' "$OCI" --root "$STATE" kill c2
	atf_check "$OCI" --root "$STATE" delete c2
	atf_check -o empty ls "$STATE"
}

jt_case delete_force "delete --force kills a running container; delete removes a created one"
delete_force_body()
{
	oci_init
	config '["/bin/sleep", "100"]'
	atf_check "$OCI" --root "$STATE" create --bundle "$BUNDLE" c3
	atf_check "$OCI" --root "$STATE" create --bundle "$BUNDLE" c4
	atf_check -s exit:1 -e match:'container with id exists: c3' \
	    "$OCI" --root "$STATE" create --bundle "$BUNDLE" c3
	atf_check "$OCI" --root "$STATE" start c3
	atf_check "$OCI" --root "$STATE" delete --force c3
	atf_check "$OCI" --root "$STATE" delete c4
	atf_check -o empty "$JLS" jid
	atf_check -o empty ls "$STATE"
}

jt_case unknown_id "an unknown or invalid id: 'does not exist', as engines parse"
unknown_id_body()
{
	oci_init
	for c in state start "kill" delete; do
		atf_check -s exit:1 -e match:'container nosuch does not exist' \
		    "$OCI" --root "$STATE" $c nosuch
	done
	atf_check -s exit:1 -e match:'does not exist' "$OCI" --root "$STATE" state ../x
	atf_check -s exit:1 -e match:'invalid container id' \
	    "$OCI" --root "$STATE" create --bundle "$BUNDLE" ../x
	atf_check -s exit:0 "$OCI" --root "$STATE" delete --force nosuch
}

jt_case bad_config "a bad config.json: a clear error, no jail, no state left"
bad_config_body()
{
	oci_init
	echo '{ "ociVersion": ' > "$BUNDLE/config.json"
	atf_check -s exit:1 -e match:'config.json: line [0-9]+:' \
	    "$OCI" --root "$STATE" create --bundle "$BUNDLE" c5
	config '["/bin/true"]'
	sed -i 's/"rootfs"/"missing"/' "$BUNDLE/config.json"
	atf_check -s exit:1 -e match:'root.path missing: No such file' \
	    "$OCI" --root "$STATE" create --bundle "$BUNDLE" c5
	config '["/no/such/program"]'
	sed -i 's/"cwd": "\/tmp"/"cwd": "tmp"/' "$BUNDLE/config.json"
	atf_check -s exit:1 -e match:'process.cwd: not an absolute path' \
	    "$OCI" --root "$STATE" create --bundle "$BUNDLE" c5
	atf_check -o empty "$JLS" jid
	atf_check -o empty ls "$STATE"
}

jt_case log_json "--log --log-format json: one runc-like JSON object per error"
log_json_body()
{
	oci_init
	atf_check -s exit:1 -e match:'does not exist' \
	    "$OCI" --root "$STATE" --log "$JT_WORK/log" --log-format json \
	    state nosuch
	atf_check -o inline:'error container nosuch does not exist\n' \
	    python3 -c 'import json, re
l = json.loads(open("log").read())
assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", l["time"])
print(l["level"], l["msg"])'
}

jt_case user "process.user's uid and gid, and no supplementary groups"
user_body()
{
	oci_init
	config '["/bin/sh", "-c", "echo $(id -u) $(id -g) [$(id -G)]"]'
	sed -i 's/"uid": 0, "gid": 0/"uid": 1000, "gid": 1001/' "$BUNDLE/config.json"
	"$OCI" --root "$STATE" create --bundle "$BUNDLE" u1 > "$JT_WORK/out" 2>&1 ||
	    atf_fail "create: $(cat "$JT_WORK/out")"
	atf_check "$OCI" --root "$STATE" start u1
	jt_wait 5 sh -c "\"$OCI\" --root \"$STATE\" state u1 | grep -q stopped" ||
	    atf_fail "not stopped"
	atf_check -o inline:'1000 1001 [1001]\n' cat "$JT_WORK/out"
	atf_check "$OCI" --root "$STATE" delete u1
}

jt_case subreaper "a subreaper above create (as conmon, a containerd shim) reaps the first process and gets its exit status"
subreaper_body()
{
	oci_init
	config '["/bin/sh", "-c", "exit 7"]'
	cat > engine.py <<'EOT'
import ctypes, os, subprocess, sys
PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
oci = sys.argv[1:]
subprocess.run(oci + ["create", "--bundle", os.environ["BUNDLE"],
    "--pid-file", "pidf", "s1"], check=True)
pid = int(open("pidf").read())
subprocess.run(oci + ["start", "s1"], check=True)
_, st = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(st))
EOT
	export BUNDLE
	atf_check -o inline:'7\n' \
	    python3 engine.py "$OCI" --root "$STATE"
	atf_check "$OCI" --root "$STATE" delete s1
	atf_check -o empty "$JLS" jid
}
