#!/usr/bin/env python3
"""Helpers for bench/run: statistics, full-cycle CPU accounting, memory.

    benchlib.py ratio LABEL A B TARGET FILE.json...
        Pool hyperfine JSON exports (one per round) and print both sides and
        the ratio A/B: median, bootstrap 95% interval, mean, per-round spread.
    benchlib.py samples LABEL SECTION A B TARGET FILE
        The same report from bench/descbench's samples (lines "SECTION
        ROUND SIDE SECONDS"): sides A and B of SECTION, pooled over the
        rounds, and the ratio of each round's medians.
    benchlib.py cycle LABEL N CHUNKS NAME_A CMD_A NAME_B CMD_B
        As a child subreaper, run each command N times (alternating in CHUNKS
        blocks), each run followed by reaping every descendant it left behind
        (a detached prison, its guardian).  Prints wall time of the full
        cycle and user+sys CPU of every process involved, per run.
        Extra pids to charge to A (a persistent prison) via PIDS_A=pid,pid.
    benchlib.py prisons REGISTRY
        Pids of the prison processes serving REGISTRY (comm "prison").
    benchlib.py init PRISON_PID
        Pid of the jail's init: the prison's child in another pid namespace.
    benchlib.py perfagg OPS [TOP]
        Read `perf script -F comm,period,ip,sym,dso` (cpu-clock, call graphs)
        from stdin; print CPU per operation by process and by cost centre:
        the outermost system call of each sample, or a named kernel cost
        (netns creation, seccomp filter load/JIT, ext4 inode allocation,
        page faults), or user-space code by binary.
    benchlib.py timeline STRACE_FILE
        Print an `strace -f -ttt` log as a timeline: ms since the first line,
        pid as p0, p1... in order of appearance, the call shortened.
    benchlib.py mem LABEL N PID...
        Sum Pss/Private (smaps_rollup) over the process trees rooted at the
        PIDs, by process role, and print per-instance figures (divide by N).
"""
import ctypes
import json
import os
import random
import resource
import shlex
import statistics
import sys
import time


def ms(x):
    return "%.3f ms" % (x * 1e3)


# ---------------------------------------------------------------- ratio
def quantile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def cmd_ratio(label, a, b, target, files):
    times = {a: [], b: []}
    rounds = []
    for f in files:
        with open(f) as fh:
            res = json.load(fh)["results"]
        per = {}
        for r in res:
            name = r["command"]
            if name in times:
                times[name].extend(r["times"])
                per[name] = statistics.median(r["times"])
        if a in per and b in per:
            rounds.append(per[a] / per[b])
    return report_ratio(label, a, b, target, times, rounds)


def cmd_samples(label, section, a, b, target, path):
    """The same report from descbench's samples: SECTION ROUND SIDE SECONDS."""
    times = {a: [], b: []}
    per = {}
    with open(path) as fh:
        for line in fh:
            f = line.split()
            if len(f) != 4 or f[0] != section or f[2] not in times:
                continue
            times[f[2]].append(float(f[3]))
            per.setdefault(f[1], {}).setdefault(f[2], []).append(float(f[3]))
    rounds = [statistics.median(p[a]) / statistics.median(p[b])
              for _, p in sorted(per.items(), key=lambda kv: int(kv[0]))
              if p.get(a) and p.get(b)]
    return report_ratio(label, a, b, target, times, rounds)


def unit_for(x):
    """ms, or us when X is below 0.1 ms (descbench's operations)."""
    return ms if x >= 1e-4 else (lambda y: "%.3f us" % (y * 1e6))


def report_ratio(label, a, b, target, times, rounds):
    if not times[a] or not times[b]:
        print("  %s: no data" % label)
        return 1
    width = max(len(a), len(b))
    for n in (a, b):
        t = times[n]
        u = unit_for(statistics.median(t))
        print("  %-*s  median %s  mean %s ± %s  min %s  (n=%d)" % (
            width, n, u(statistics.median(t)), u(statistics.mean(t)),
            u(statistics.stdev(t) if len(t) > 1 else 0), u(min(t)), len(t)))
    ta, tb = times[a], times[b]
    med = statistics.median(ta) / statistics.median(tb)
    mean = statistics.mean(ta) / statistics.mean(tb)
    rnd = random.Random(1)
    boots = []
    for _ in range(1000):
        sa = [rnd.choice(ta) for _ in ta]
        sb = [rnd.choice(tb) for _ in tb]
        boots.append(statistics.median(sa) / statistics.median(sb))
    boots.sort()
    lo, hi = boots[25], boots[974]
    t = float(target) if target != "-" else None
    verdict = ("met" if med <= t else "MISSED") if t is not None else ""
    p10 = quantile(ta, 0.1) / quantile(tb, 0.1)
    print("  ratio %s/%s = %.3f  (median; 95%% CI %.3f-%.3f; mean ratio %.3f;"
          " 10th percentile ratio %.3f)" % (a, b, med, lo, hi, mean, p10))
    print("  per round: %s" % " ".join("%.2f" % r for r in rounds))
    if t is None:
        print("RESULT %s_ratio=%.3f ci=%.3f-%.3f" % (label, med, lo, hi))
        return 0
    print("  target <= %.2f: %s" % (t, verdict))
    print("RESULT %s_ratio=%.3f ci=%.3f-%.3f target=%.2f %s" % (
        label, med, lo, hi, t, verdict))
    return 0


# ---------------------------------------------------------------- cycle
def cpu_of(pids):
    """Total on-CPU time (s) of live pids, from schedstat (ns precision)."""
    tot = 0.0
    for p in pids:
        try:
            with open("/proc/%s/schedstat" % p) as fh:
                tot += int(fh.read().split()[0]) / 1e9
        except OSError:
            pass
    return tot


def cmd_cycle(label, n, chunks, name_a, cmd_a, name_b, cmd_b):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
        print("  cycle: cannot become a subreaper")
        return 1
    extra = {name_a: [p for p in os.environ.get("PIDS_A", "").split(",") if p],
             name_b: [p for p in os.environ.get("PIDS_B", "").split(",") if p]}
    devnull = os.open(os.devnull, os.O_RDWR)
    acc = {name_a: [0.0, 0.0, 0.0, 0.0, 0], name_b: [0.0, 0.0, 0.0, 0.0, 0]}
    per_chunk = max(1, n // chunks)
    fails = 0
    for c in range(chunks):
        order = [(name_a, cmd_a), (name_b, cmd_b)]
        if c % 2:
            order.reverse()
        for name, cmd in order:
            argv = shlex.split(cmd)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            xb = cpu_of(extra[name])
            t0 = time.perf_counter()
            for _ in range(per_chunk):
                pid = os.posix_spawnp(argv[0], argv, os.environ,
                                      file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 0),
                                                    (os.POSIX_SPAWN_DUP2, devnull, 1),
                                                    (os.POSIX_SPAWN_DUP2, devnull, 2)])
                _, st = os.waitpid(pid, 0)
                if st != 0:
                    fails += 1
                # everything it left behind, to the last process
                while True:
                    try:
                        os.waitpid(-1, 0)
                    except ChildProcessError:
                        break
            t1 = time.perf_counter()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            xa = cpu_of(extra[name])
            s = acc[name]
            s[0] += t1 - t0
            s[1] += after.ru_utime - before.ru_utime
            s[2] += after.ru_stime - before.ru_stime
            s[3] += xa - xb
            s[4] += per_chunk
    res = {}
    width = max(len(name_a), len(name_b))
    for name in (name_a, name_b):
        w, u, sy, x, k = acc[name]
        cpu = (u + sy + x) / k
        res[name] = (w / k, cpu)
        xs = ("  (+%s in the persistent prison/init)" % ms(x / k)) if extra[name] else ""
        print("  %-*s  full cycle %s  CPU %s (user %s, sys %s, split approximate)%s  (n=%d)" % (
            width, name, ms(w / k), ms(cpu), ms(u / k), ms(sy / k), xs, k))
    wa, ca = res[name_a]
    wb, cb = res[name_b]
    print("  cycle ratio %s/%s: wall %.3f, CPU %.3f" % (name_a, name_b, wa / wb, ca / cb))
    print("RESULT %s_cycle_cpu_ratio=%.3f %s_cpu=%.3fms %s_cpu=%.3fms (all processes, reaped)" % (
        label, ca / cb, name_a, ca * 1e3, name_b, cb * 1e3))
    if fails:
        print("  warning: %d runs exited non-zero" % fails)
    return 0


# ---------------------------------------------------------------- processes
def comm(pid):
    try:
        with open("/proc/%s/comm" % pid) as fh:
            return fh.read().strip()
    except OSError:
        return ""


def cmdline(pid):
    try:
        with open("/proc/%s/cmdline" % pid, "rb") as fh:
            return [x.decode(errors="replace") for x in fh.read().split(b"\0")[:-1]]
    except OSError:
        return []


def ppid(pid):
    try:
        with open("/proc/%s/stat" % pid) as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def all_pids():
    return [int(d) for d in os.listdir("/proc") if d.isdigit()]


def children(pid):
    return [p for p in all_pids() if ppid(p) == pid]


def cmd_prisons(reg):
    for p in all_pids():
        if comm(p) == "prison" and cmdline(p)[-2:] == ["-r", reg]:
            print(p)
    return 0


def cmd_init(prison):
    prison = int(prison)
    try:
        mine = os.readlink("/proc/%d/ns/pid" % prison)
    except OSError:
        return 1
    kids = children(prison)
    for k in kids:
        try:
            if os.readlink("/proc/%d/ns/pid" % k) != mine:
                print(k)
                return 0
        except OSError:
            pass
    for k in kids:
        if comm(k) == "init":
            print(k)
            return 0
    return 1


def rollup(pid):
    out = {}
    try:
        with open("/proc/%d/smaps_rollup" % pid) as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                    out[parts[0][:-1]] = int(parts[1])
    except OSError:
        return None
    return out


def cmd_mem(label, n, roots):
    n = int(n)
    pids = []
    todo = [int(r) for r in roots]
    table = {}
    for p in all_pids():
        table.setdefault(ppid(p), []).append(p)
    while todo:
        p = todo.pop()
        pids.append(p)
        todo.extend(table.get(p, []))
    roles = {}
    for p in pids:
        r = rollup(p)
        if r is None:
            continue
        name = comm(p)
        s = roles.setdefault(name, [0, 0, 0, 0])
        s[0] += 1
        s[1] += r.get("Pss", 0)
        s[2] += r.get("Private_Clean", 0) + r.get("Private_Dirty", 0)
        s[3] += r.get("Rss", 0)
    tp = sum(s[1] for s in roles.values())
    tv = sum(s[2] for s in roles.values())
    for name, s in sorted(roles.items()):
        print("    %-14s x%-3g Pss %7.0f kB  Private %7.0f kB  Rss %7.0f kB  (per instance)" % (
            name, s[0] / n, s[1] / n, s[2] / n, s[3] / n))
    print("    %-14s      Pss %7.0f kB  Private %7.0f kB" % ("total", tp / n, tv / n))
    print("MEM %s pss_kb=%.0f private_kb=%.0f" % (label, tp / n, tv / n))
    return 0


# ---------------------------------------------------------------- perf
# Kernel functions that name a cost better than the system call they sit in.
MARKERS = [
    ("copy_net_ns", "k:netns create"),
    ("cleanup_net", "k:netns destroy"),
    ("do_seccomp", "k:seccomp filter load+JIT"),
    ("recently_deleted", "k:ext4 inode alloc scan"),
    ("copy_mnt_ns", "k:mount ns copy"),
    ("bprm_execve", "k:execve"),
    ("exc_page_fault", "k:page faults"),
    ("do_exit", "k:exit"),
]


def cmd_perfagg(ops, top):
    import collections
    import re
    per_comm = collections.Counter()
    per_key = collections.Counter()
    total = 0
    state = {"comm": None, "period": 0, "frames": []}
    sysre = re.compile(r"(?:__x64_sys_|__do_sys_|__se_sys_)(\w+)")

    def flush():
        nonlocal total
        comm_, period, frames = state["comm"], state["period"], state["frames"]
        if comm_ is None:
            return
        total += period
        per_comm[comm_] += period
        key = None
        names = [f[0] for f in frames]
        for mk, label in MARKERS:
            if mk in names:
                key = label
                break
        if key is None:
            for f in names:
                m = sysre.match(f)
                if m:
                    key = m.group(1)  # keep the outermost
        if key is None:
            if frames and not frames[0][1].startswith("[kernel"):
                key = "user:" + os.path.basename(frames[0][1])
            elif frames and frames[0][1].startswith("[kernel"):
                key = "k:other (" + frames[0][0] + ")"
            else:
                key = "?"
        per_key[(comm_, key)] += period

    for line in sys.stdin:
        if not line.strip():
            flush()
            state.update(comm=None, period=0, frames=[])
            continue
        if line[0] not in " \t":
            parts = line.split()
            # comm may contain spaces: the period is the last field
            state.update(comm=" ".join(parts[:-1]) if len(parts) > 1 else parts[0],
                         period=int(parts[-1]) if parts[-1].isdigit() else 100000,
                         frames=[])
        else:
            parts = line.strip().split(None, 1)
            if len(parts) == 2:
                m = re.match(r"(.*) \((.*)\)$", parts[1])
                sym, dso = (m.group(1), m.group(2)) if m else (parts[1], "")
                state["frames"].append((re.sub(r"\+0x[0-9a-f]+$", "", sym), dso))
    flush()
    if total == 0:
        print("  no samples")
        return 1
    scale = 1e6 * ops  # ns -> ms per op
    print("  CPU %.3f ms per operation (sampled; profiling overhead included)" % (total / scale))
    print("  by process:")
    for c, v in per_comm.most_common():
        if v / total >= 0.002:
            print("    %-16s %5.1f%%  %.3f ms/op" % (c, 100.0 * v / total, v / scale))
    print("  by cost centre (outermost system call, named kernel cost, or user code):")
    for (c, k), v in per_key.most_common(top):
        print("    %-16s %-34s %5.1f%%  %.3f ms/op" % (c, k, 100.0 * v / total, v / scale))
    return 0


def cmd_timeline(path):
    import re
    names = {}
    t0 = None
    with open(path) as fh:
        for line in fh:
            m = re.match(r"(\d+)\s+(\d+\.\d+) (.*)", line)
            if not m:
                continue
            pid, t, rest = m.group(1), float(m.group(2)), m.group(3)
            if t0 is None:
                t0 = t
            if pid not in names:
                names[pid] = "p%d" % len(names)
            if rest.startswith("<... ") or rest.startswith("--- SIG"):
                continue
            rest = re.sub(r"\{iov_base=\"[^\"]*\"(\.\.\.)?", "{...", rest)
            rest = re.sub(r'"[^"]{24,}"(\.\.\.)?', '"..."', rest)
            if len(rest) > 110:
                rest = rest[:107] + "..."
            print("  %8.3f  %-4s %s" % ((t - t0) * 1e3, names[pid], rest))
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    c, a = argv[1], argv[2:]
    if c == "ratio":
        return cmd_ratio(a[0], a[1], a[2], a[3], a[4:])
    if c == "samples":
        return cmd_samples(a[0], a[1], a[2], a[3], a[4], a[5])
    if c == "cycle":
        return cmd_cycle(a[0], int(a[1]), int(a[2]), a[3], a[4], a[5], a[6])
    if c == "prisons":
        return cmd_prisons(a[0])
    if c == "init":
        return cmd_init(a[0])
    if c == "perfagg":
        return cmd_perfagg(float(a[0]), int(a[1]) if len(a) > 1 else 30)
    if c == "timeline":
        return cmd_timeline(a[0])
    if c == "mem":
        return cmd_mem(a[0], a[1], a[2:])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
