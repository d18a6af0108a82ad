#! /usr/bin/env python3
#
# An engine's side of the console socket (conmon's, the shim's): listen on
# SOCKET, run the jail-oci command line given after it in the background,
# take the terminal's master that the runtime sends (SCM_RIGHTS with at
# least one byte of data), then run the optional second command line
# (after "--", e.g. start), write INPUT to the terminal and print what
# comes back until EOF or 10 s.  Prints "name=<the data sent>" first,
# then "blocking=True" or False (the master's O_NONBLOCK).
#
#   oci_console.py SOCKET INPUT CMD... [-- CMD2...]
import os, select, socket, subprocess, sys, time

path, data = sys.argv[1], sys.argv[2].encode().decode("unicode_escape")
rest = sys.argv[3:]
second = []
if "--" in rest:
    i = rest.index("--")
    rest, second = rest[:i], rest[i + 1:]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
first = subprocess.Popen(rest)
srv.settimeout(10)
conn, _ = srv.accept()
msg, fds, _, _ = socket.recv_fds(conn, 1024, 4)
assert len(msg) >= 1 and len(fds) == 1, (msg, fds)
print("name=" + msg.decode(), flush=True)
master = fds[0]
# runc sends it blocking: a receiver that simply reads must not get EAGAIN.
print("blocking=%s" % os.get_blocking(master), flush=True)
if first.wait() != 0 and not second:
    sys.exit("runtime failed")
if second:
    subprocess.run(second, check=True)
if data:
    os.write(master, data.encode())
out = b""
end = time.time() + 10
while time.time() < end:
    r, _, _ = select.select([master], [], [], 0.2)
    if not r:
        continue
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
