"""Pieces of bench/soak: the tally of operations, the watch over the run's
prisons, samples of a prison's memory and descriptors, and the search for
what a run left behind."""
import ctypes
import os
import socket
import struct
import threading
import time

import benchlib

# Children of ours that are not adopted prisons: the commands we run (and
# ourselves, between fork and exec).  Their runner reaps them.
OWN_COMMANDS = {"jail", "jexec", "jls", "soak", "python3"}


class Tally:
    """Operations by kind: done, failed (with the first message), raced
    (failed because another client removed the jail meanwhile, or the run
    was interrupted: not a fault), and their times."""

    def __init__(self, kinds):
        self.kinds = kinds
        self.lock = threading.Lock()
        self.done = dict.fromkeys(kinds, 0)
        self.failed = dict.fromkeys(kinds, 0)
        self.raced = dict.fromkeys(kinds, 0)
        self.first = {}
        self.total_s = dict.fromkeys(kinds, 0.0)
        self.max_s = dict.fromkeys(kinds, 0.0)

    def add(self, kind, ok, msg, secs, raced=False):
        with self.lock:
            self.done[kind] += 1
            self.total_s[kind] += secs
            self.max_s[kind] = max(self.max_s[kind], secs)
            if raced:
                self.raced[kind] += 1
            elif not ok:
                self.failed[kind] += 1
                self.first.setdefault(kind, msg)

    def failures(self):
        return sum(self.failed.values())

    def report(self, say):
        say("  %-8s %7s %7s %7s %9s %9s" % ("kind", "done", "failed", "raced",
                                            "mean", "max"))
        for k in self.kinds:
            n = self.done[k]
            say("  %-8s %7d %7d %7d %7.0f ms %7.0f ms" % (
                k, n, self.failed[k], self.raced[k],
                1e3 * self.total_s[k] / n if n else 0, 1e3 * self.max_s[k]))
        for k in self.kinds:
            if k in self.first:
                say("  first %s failure: %s" % (k, self.first[k]))


def become_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER


def children():
    """Our children, whichever of our threads they were given to."""
    kids = set()
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return kids
    for t in tasks:
        try:
            with open("/proc/self/task/%s/children" % t) as fh:
                kids.update(int(x) for x in fh.read().split())
        except OSError:
            pass
    return kids


def state(pid):
    try:
        with open("/proc/%d/stat" % pid) as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


class Watch(threading.Thread):
    """As the child subreaper of everything we start, we inherit each
    prison when it detaches, and it stays our child (a zombie at the end)
    until we reap it: no prison of the run, however short its life, goes
    unseen.  Every pid we saw as a prison is in .prisons; .count counts
    the prisons (pids are reused in a long run)."""

    def __init__(self, every=0.02):
        super().__init__(daemon=True)
        self.every = every
        self.prisons = set()
        self.living = set()
        self.count = 0
        self.stopping = threading.Event()

    def scan(self):
        for p in children():
            name = benchlib.comm(p)
            if name == "prison" and p not in self.living:
                self.prisons.add(p)
                self.living.add(p)
                self.count += 1
            if name in OWN_COMMANDS or state(p) != "Z":
                continue
            try:
                os.waitpid(p, os.WNOHANG)
            except ChildProcessError:
                pass
            self.living.discard(p)

    def run(self):
        while not self.stopping.is_set():
            self.scan()
            time.sleep(self.every)

    def stop(self):
        self.stopping.set()
        self.join()
        self.scan()

    def adopted_alive(self):
        return sorted(p for p in children()
                      if benchlib.comm(p) not in OWN_COMMANDS and state(p) != "Z")


def prison_pid(reg, jid):
    """The pid of the prison at the other end of jail JID's socket."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        s.connect("%s/%d.sock" % (reg, jid))
        cred = s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
        return struct.unpack("3i", cred)[0]
    finally:
        s.close()


def sample(pid):
    """VmRSS and VmData (kB) and the open descriptors of PID."""
    out = {"rss": None, "data": None, "fds": None}
    try:
        with open("/proc/%d/status" % pid) as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    out["rss"] = int(line.split()[1])
                elif line.startswith("VmData:"):
                    out["data"] = int(line.split()[1])
        out["fds"] = len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        pass
    return out


def cgroup2():
    with open("/proc/self/mountinfo") as fh:
        for line in fh:
            left, _, right = line.partition(" - ")
            if right.split(" ", 1)[0] == "cgroup2":
                return left.split()[4]
    return None


def jail_cgroups(cg2):
    """Names of the jails' cgroups: <cgroup2>/jail/<jid>.<random>.<pid>."""
    if cg2 is None:
        return set()
    try:
        return set(d for d in os.listdir(os.path.join(cg2, "jail"))
                   if os.path.isdir(os.path.join(cg2, "jail", d)))
    except OSError:
        return set()


def cgroup_pid(name):
    try:
        return int(name.rsplit(".", 1)[1])
    except (IndexError, ValueError):
        return -1


def idmaps(reg):
    """The uid-range records of /run/jail-idmap made for registry REG."""
    found = []
    try:
        names = os.listdir("/run/jail-idmap")
    except OSError:
        return found
    for n in names:
        if n.startswith("."):
            continue        # .cursor and the like: not ranges
        path = os.path.join("/run/jail-idmap", n)
        try:
            with open(path, errors="replace") as fh:
                if "registry=%s" % reg in fh.read().splitlines():
                    found.append(path)
        except OSError:
            pass
    return found


def registry_entries(reg):
    """A registry's per-jail entries (its dot files are registry-wide)."""
    try:
        return sorted(n for n in os.listdir(reg) if not n.startswith("."))
    except OSError:
        return []


def prisons_of(reg):
    return [p for p in benchlib.all_pids()
            if benchlib.cmdline(p)[:3] == ["prison", "-r", reg]]


def wait_until(cond, secs, step=0.1):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return cond()
