#!/usr/bin/env python3
"""Helpers for bench/scale: timed creates, memory snapshots, the report.

    scalelib.py create JAIL ROOT FROM TO LOG
        Create persistent jails sFROM..sTO, one at a time
        (JAIL -c name=sI path=ROOT persist), appending "I SECONDS CPU" per
        create to LOG (CPU: the command's own, user + system).  Exits 1 at
        the first one that fails.
    scalelib.py churn JAIL ROOT NAME K LOG REG PIDFILE
        K times: create the persistent jail NAME, then remove it (jail -r),
        each timed on its own; "create SECONDS CPU" and "remove SECONDS CPU"
        lines go to LOG, the pid of each prison (from its uid-range record)
        to PIDFILE.  Both helpers finish the command under way on SIGTERM,
        SIGINT or SIGHUP, then exit 130.
    scalelib.py snap MODE CGROUP REG OUT
        Write a memory snapshot (key=value lines) to OUT: /proc/meminfo's
        fields, and with MODE v1 or v2 the charge of memory cgroup CGROUP
        (total and kernel), plus on v2 the jails' own cgroups of registry
        REG (their init is born there; "-": none).
    scalelib.py prisons REG
        Pids of REG's prisons (comm "prison"; not their guardians).
    scalelib.py record REG PIDFILE
        Append the pids of REG's prisons to PIDFILE (for the leftover check).
    scalelib.py waitbwraps PIDFILE SECONDS
        Wait until every bwrap of PIDFILE has its payload (a "sleep"
        descendant); print how many have.
    scalelib.py kill PIDFILE|- [CGROUP_PROCS...]
        SIGKILL the process trees of the pids in PIDFILE and every process
        listed in the cgroup.procs files given.
    scalelib.py progress DIR C SECONDS
        One line on checkpoint C: how long its jails took to create, and
        the medians measured there.
    scalelib.py report DIR CHECKPOINTS...
        The table (operations by checkpoint), growth ratios, targets and
        RESULT lines, from the files bench/scale leaves in DIR.
    scalelib.py jaildelta DIR FINAL OUT CHECKPOINTS...
        Write the jails' memory as a delta snapshot to OUT: meminfo summed
        over the creation segments only, the memory cgroup from mem.0 to
        the snapshot FINAL.
    scalelib.py memreport LABEL N BASE NOW
        Per-instance memory from two snapshots (memory cgroup and meminfo
        deltas divided by N; BASE "-": NOW is already a delta); prints MEMK
        lines for the summary.
    scalelib.py memratio FILE
        The jail/bwrap ratios from the MEM and MEMK lines in FILE.
    scalelib.py leftovers REG PIDFILE
        What is left of the run once its jails are removed: prisons and
        guardians of REG, cgroups of its prisons, uid ranges, registry
        entries (waits up to 10 s for them to go).
"""
import json
import os
import re
import resource
import signal
import statistics
import sys
import time

sys.dont_write_bytecode = True  # leave bench/ as it is
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import soaklib  # noqa: E402


STOP = []


def graceful():
    """On SIGTERM, SIGINT or SIGHUP, finish the command under way, then
    stop: a create cut short would leave a jail the script does not know
    of yet."""
    def stop(sig, frame):
        STOP.append(sig)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)


def spawn_timed(argv, devnull):
    """Run ARGV (stdin and stdout /dev/null, stderr inherited); return
    (exit status, seconds, CPU seconds of the command: user + system of it
    and of whatever it reaped, not of the prison it detached)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 0),
                                       (os.POSIX_SPAWN_DUP2, devnull, 1)])
    _, st = os.waitpid(pid, 0)
    t = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return os.waitstatus_to_exitcode(st), t, cpu


# ---------------------------------------------------------------- create
def cmd_create(jail, root, first, last, log):
    graceful()
    devnull = os.open(os.devnull, os.O_RDWR)
    with open(log, "a") as out:
        for i in range(int(first), int(last) + 1):
            if STOP:
                return 130
            rc, t, cpu = spawn_timed([jail, "-c", "name=s%d" % i, "path=%s" % root,
                                      "persist"], devnull)
            if rc != 0:
                print("scale: jail -c name=s%d failed (exit %d)" % (i, rc),
                      file=sys.stderr)
                return 1
            out.write("%d %.9f %.9f\n" % (i, t, cpu))
            out.flush()
    return 0


def idmap_records(reg):
    """The uid-range records of registry REG, as dicts."""
    out = []
    for path in soaklib.idmaps(reg):
        try:
            with open(path, errors="replace") as fh:
                out.append(dict(line.split("=", 1) for line in fh.read().splitlines()
                                if "=" in line))
        except OSError:
            pass
    return out


def cmd_churn(jail, root, name, k, log, reg, pidfile):
    graceful()
    devnull = os.open(os.devnull, os.O_RDWR)
    with open(log, "a") as out, open(pidfile, "a") as pids:
        for _ in range(int(k)):
            if STOP:
                return 130
            rc, t, cpu = spawn_timed([jail, "-c", "name=%s" % name, "path=%s" % root,
                                      "persist"], devnull)
            if rc != 0:
                print("scale: jail -c name=%s failed (exit %d)" % (name, rc),
                      file=sys.stderr)
                return 1
            out.write("create %.9f %.9f\n" % (t, cpu))
            for r in idmap_records(reg):
                if r.get("name") == name and r.get("prison", "").isdigit():
                    pids.write("%s\n" % r["prison"])
            pids.flush()
            rc, t, cpu = spawn_timed([jail, "-r", name], devnull)
            if rc != 0:
                print("scale: jail -r %s failed (exit %d)" % (name, rc), file=sys.stderr)
                return 1
            out.write("remove %.9f %.9f\n" % (t, cpu))
            out.flush()
    return 0


# ---------------------------------------------------------------- memory
MEMINFO = ("MemAvailable", "MemFree", "AnonPages", "Shmem", "Slab", "SReclaimable",
           "SUnreclaim", "KernelStack", "PageTables", "Percpu", "VmallocUsed")


def read_int(path):
    with open(path) as fh:
        return int(fh.read().split()[0])


def stat_kernel(path):
    """memory.stat's "kernel" (v2), in bytes."""
    with open(path) as fh:
        for line in fh:
            k, v = line.split()
            if k == "kernel":
                return int(v)
    return 0


def cmd_snap(mode, cg, reg, out):
    snap = {}
    with open("/proc/meminfo") as fh:
        for line in fh:
            k, v = line.split(":", 1)
            if k in MEMINFO:
                snap["mi_" + k] = int(v.split()[0])  # kB
    if mode == "v1":
        snap["cg_total"] = read_int(os.path.join(cg, "memory.usage_in_bytes")) // 1024
        snap["cg_kernel"] = read_int(os.path.join(cg, "memory.kmem.usage_in_bytes")) // 1024
    elif mode == "v2":
        tot = read_int(os.path.join(cg, "memory.current"))
        ker = stat_kernel(os.path.join(cg, "memory.stat"))
        # The jails' own cgroups (init is born there), not under ours.
        for r in idmap_records(reg) if reg != "-" else []:
            c = r.get("cgroup", "")
            try:
                tot += read_int(os.path.join(c, "memory.current"))
                ker += stat_kernel(os.path.join(c, "memory.stat"))
            except (OSError, ValueError):
                pass
        snap["cg_total"] = tot // 1024
        snap["cg_kernel"] = ker // 1024
    snap["time"] = time.time()
    with open(out, "w") as fh:
        for k, v in sorted(snap.items()):
            fh.write("%s=%s\n" % (k, v))
    return 0


def load_snap(path):
    out = {}
    try:
        with open(path) as fh:
            for line in fh:
                k, _, v = line.strip().partition("=")
                out[k] = float(v)
    except OSError:
        pass
    return out


def jail_delta(d, cps, final=None):
    """The jails' memory up to the last of CPS, as a delta snapshot: the
    meminfo fields summed over the creation segments only (pre.C to mem.C:
    from just before a segment's first create to its end, before that
    checkpoint's probes, whose processes leave slab behind), the memory
    cgroup's charge from mem.0 to FINAL (default mem.C of the last
    checkpoint): only the jails' processes are charged there."""
    out = {}
    for c in cps:
        pre, post = load_snap(os.path.join(d, "pre.%d" % c)), \
            load_snap(os.path.join(d, "mem.%d" % c))
        for k in post:
            if k.startswith("mi_") and k in pre:
                out[k] = out.get(k, 0) + post[k] - pre[k]
    base = load_snap(os.path.join(d, "mem.0"))
    end = load_snap(final or os.path.join(d, "mem.%d" % cps[-1]))
    for k in ("cg_total", "cg_kernel"):
        if k in base and k in end:
            out[k] = end[k] - base[k]
    return out


def cmd_jaildelta(d, final, out, cps):
    delta = jail_delta(d, [int(c) for c in cps], final)
    with open(out, "w") as fh:
        for k, v in sorted(delta.items()):
            fh.write("%s=%s\n" % (k, v))
    return 0


def mem_delta(base, now, n):
    """Per-instance figures (kB) from two snapshots; None where missing."""
    def d(k):
        if k in base and k in now:
            return (now[k] - base[k]) / n
        return None
    r = {"cg_total": d("cg_total"), "cg_kernel": d("cg_kernel")}
    if r["cg_total"] is not None and r["cg_kernel"] is not None:
        r["cg_user"] = r["cg_total"] - r["cg_kernel"]
    avail = d("mi_MemAvailable")
    r["mi_used"] = -avail if avail is not None else None
    # Unreclaimable kernel memory only: reclaimable slab (dentries, inodes)
    # moves with whatever else the machine does, and shrinks under pressure.
    parts = [d("mi_" + k) for k in ("SUnreclaim", "KernelStack", "PageTables", "Percpu")]
    r["mi_kernel"] = sum(parts) if None not in parts else None
    for k in ("SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "Percpu",
              "VmallocUsed", "AnonPages", "Shmem"):
        r["mi_" + k] = d("mi_" + k)
    return r


def cmd_memreport(label, n, base, now):
    n = int(n)
    w = load_snap(now)
    b = load_snap(base) if base != "-" else {k: 0 for k in w}
    r = mem_delta(b, w, n)
    fmt = lambda x: "%.0f" % x if x is not None else "-"  # noqa: E731
    if r["cg_total"] is not None:
        print("    memory cgroup charge: %s kB (user %s kB, kernel %s kB)" % (
            fmt(r["cg_total"]), fmt(r.get("cg_user")), fmt(r["cg_kernel"])))
    print("    /proc/meminfo deltas: kernel %s kB (SUnreclaim %s, KernelStack %s, PageTables %s,"
          " Percpu %s); beside it SReclaimable %s, VmallocUsed %s, AnonPages %s, Shmem %s;"
          " MemAvailable down %s kB" % tuple(fmt(r[k]) for k in (
              "mi_kernel", "mi_SUnreclaim", "mi_KernelStack", "mi_PageTables", "mi_Percpu",
              "mi_SReclaimable", "mi_VmallocUsed", "mi_AnonPages", "mi_Shmem", "mi_used")))
    src = "memcg" if r["cg_kernel"] is not None else "meminfo"
    kernel = r["cg_kernel"] if src == "memcg" else r["mi_kernel"]
    print("MEMK %s kernel_kb=%s source=%s meminfo_kernel_kb=%s meminfo_used_kb=%s%s" % (
        label, fmt(kernel), src, fmt(r["mi_kernel"]), fmt(r["mi_used"]),
        (" memcg_total_kb=%s" % fmt(r["cg_total"])) if src == "memcg" else ""))
    return 0


def cmd_memratio(path):
    v = {}
    with open(path) as fh:
        for line in fh:
            m = re.match(r"(MEM|MEMK) (\w+) (.*)", line)
            if m:
                for k, x in re.findall(r"(\w+)=([-\d.]+)", m.group(3)):
                    v[(m.group(2), k)] = float(x)
                for k, x in re.findall(r"(source)=(\w+)", m.group(3)):
                    v[(m.group(2), k)] = x
    need = [("jail", "private_kb"), ("jail", "kernel_kb"),
            ("bwrap", "private_kb"), ("bwrap", "kernel_kb")]
    if any(k not in v for k in need):
        print("  memory: incomplete figures, no ratio")
        return 1
    src = v.get(("jail", "source"), "?")
    rows = []
    for side in ("jail", "bwrap"):
        u, k, p = v[(side, "private_kb")], v[(side, "kernel_kb")], v[(side, "pss_kb")]
        rows.append((side, u, p, k, u + k))
    print("  per instance          user (Private)   user (Pss)   kernel (%s)   user+kernel" % src)
    for side, u, p, k, t in rows:
        print("    %-18s %9.0f kB %10.0f kB %13.0f kB %10.0f kB" % (side, u, p, k, t))
    ratio = lambda a, b: a / b if b else float("nan")  # noqa: E731
    ju, jp, jk, jt = rows[0][1:]
    bu, bp, bk, bt = rows[1][1:]
    print("    %-18s %12.2f %13.2f %16.2f %13.2f" % (
        "ratio jail/bwrap", ratio(ju, bu), ratio(jp, bp), ratio(jk, bk), ratio(jt, bt)))
    print("RESULT scale_mem_jail_user_kb=%.0f scale_mem_jail_pss_kb=%.0f"
          " scale_mem_jail_kernel_kb=%.0f scale_mem_jail_total_kb=%.0f (per jail; kernel from %s)"
          % (ju, jp, jk, jt, src))
    print("RESULT scale_mem_bwrap_user_kb=%.0f scale_mem_bwrap_pss_kb=%.0f"
          " scale_mem_bwrap_kernel_kb=%.0f scale_mem_bwrap_total_kb=%.0f (per instance)"
          % (bu, bp, bk, bt))
    print("RESULT scale_mem_user_ratio=%.2f scale_mem_kernel_ratio=%.2f"
          " scale_mem_total_ratio=%.2f (jail/bwrap)" % (
              ratio(ju, bu), ratio(jk, bk), ratio(jt, bt)))
    return 0


# ---------------------------------------------------------------- processes
def cmd_prisons(reg):
    for p in soaklib.prisons_of(reg):
        if benchlib.comm(p) == "prison":
            print(p)
    return 0


def cmd_record(reg, pidfile):
    with open(pidfile, "a") as fh:
        for p in soaklib.prisons_of(reg):
            if benchlib.comm(p) == "prison":
                fh.write("%d\n" % p)
    return 0


def tree(roots):
    table = {}
    for p in benchlib.all_pids():
        table.setdefault(benchlib.ppid(p), []).append(p)
    out, todo = [], list(roots)
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(table.get(p, []))
    return out


def read_pids(path):
    try:
        with open(path) as fh:
            return [int(x) for x in fh.read().split() if x.isdigit()]
    except OSError:
        return []


def cmd_waitbwraps(pidfile, secs):
    roots = read_pids(pidfile)
    end = time.monotonic() + float(secs)
    while True:
        table = {}
        for p in benchlib.all_pids():
            table.setdefault(benchlib.ppid(p), []).append(p)
        ready = 0
        for r in roots:
            todo = list(table.get(r, []))
            while todo:
                p = todo.pop()
                if benchlib.comm(p) == "sleep":
                    ready += 1
                    break
                todo.extend(table.get(p, []))
        if ready == len(roots) or time.monotonic() > end:
            print(ready)
            return 0
        time.sleep(0.2)


def cmd_kill(pidfile, procs):
    # Only roots that are still bwraps: a recorded pid may have been reused.
    roots = [p for p in read_pids(pidfile) if benchlib.comm(p) == "bwrap"] \
        if pidfile != "-" else []
    pids = set(tree(roots))
    for f in procs:
        pids.update(read_pids(f))
    pids.discard(os.getpid())
    # Stop them first, so that none forks while we kill.
    for sig in (signal.SIGSTOP, signal.SIGKILL, signal.SIGCONT):
        for p in pids:
            try:
                os.kill(p, sig)
            except OSError:
                pass
    return 0


def cmd_leftovers(reg, pidfile):
    mine = set(read_pids(pidfile))

    def leftovers():
        out = ["%s %d" % (benchlib.comm(p) or "prison", p) for p in soaklib.prisons_of(reg)]
        out += ["cgroup %s" % c for c in sorted(soaklib.jail_cgroups(soaklib.cgroup2()))
                if soaklib.cgroup_pid(c) in mine]
        out += ["idmap %s" % m for m in soaklib.idmaps(reg)]
        out += ["registry entry %s" % e for e in soaklib.registry_entries(reg)]
        return out
    soaklib.wait_until(lambda: not leftovers(), 10)
    print(" ".join(leftovers()))
    return 0


# ---------------------------------------------------------------- report
def hyper_medians(path, cpu=False):
    """{command name: median seconds} from a hyperfine JSON export; with
    CPU, {command name: mean user + system seconds of the command}."""
    out = {}
    try:
        with open(path) as fh:
            for r in json.load(fh)["results"]:
                out[r["command"]] = r["user"] + r["system"] if cpu else \
                    statistics.median(r["times"])
    except (OSError, ValueError, KeyError):
        pass
    return out


def read_creates(path):
    out = {}
    try:
        with open(path) as fh:
            for line in fh:
                i, t, _ = line.split()
                out[int(i)] = float(t)
    except OSError:
        pass
    return out


def read_churn(path):
    """{"create": [seconds], "remove": [...], "create_cpu": [CPU seconds], ...}"""
    out = {"create": [], "remove": [], "create_cpu": [], "remove_cpu": []}
    try:
        with open(path) as fh:
            for line in fh:
                k, t, c = line.split()
                out[k].append(float(t))
                out[k + "_cpu"].append(float(c))
    except OSError:
        pass
    return out


# Rows of the table: key, label, how to read it.
ROWS = [
    ("jls", "jls"),
    ("jls_n", "jls -n"),
    ("jls_j", "jls -j NAME"),
    ("jexec", "jexec NAME /bin/true"),
    ("create", "jail -c persist (at size)"),
    ("create_last10", "jail -c persist (last 10)"),
    ("remove", "jail -r (at size)"),
]

CPU_ROWS = [
    ("jls", "jls"),
    ("jls_n", "jls -n"),
    ("jls_j", "jls -j NAME"),
    ("jexec", "jexec NAME /bin/true"),
    ("create", "jail -c persist (at size)"),
    ("remove", "jail -r (at size)"),
]

TARGETS = {
    # key: (kind, value, text)
    "jls": ("abs", 50.0, "jls with 1000 jails <= 50 ms, linear in the number of jails"),
    "jls_n": ("abs", 60.0, "jls -n with 1000 jails <= 60 ms"),
    "create": ("growth", 1.2, "jail -c persist with 1000 jails within 1.2x of 10 jails"),
    "jexec": ("growth", 1.1, "jexec with 1000 jails within 1.1x of 10 jails"),
}


def print_rows(rows, vals, cps, w):
    """One table line per (key, label) of ROWS: VALS[key][checkpoint] in
    columns of width W, then the growth from the first checkpoint to the
    last, which is returned by key."""
    first, top = cps[0], cps[-1]
    growth = {}
    for k, label in rows:
        cells = "".join("%*s" % (w, "%.2f" % vals[k][c]) if c in vals[k] else "%*s" % (w, "-")
                        for c in cps)
        g = ""
        if first in vals[k] and top in vals[k] and vals[k][first] > 0:
            growth[k] = vals[k][top] / vals[k][first]
            g = "%.2fx" % growth[k]
        print("  %-27s%s%*s" % (label, cells, w + 3, g))
    return growth


def cmd_report(d, cps):
    cps = [int(c) for c in cps]
    v = {k: {} for k, _ in ROWS}
    cpu = {k: {} for k, _ in CPU_ROWS}
    creates = read_creates(os.path.join(d, "create.log"))
    for c in cps:
        h, hc = {}, {}
        for f in ("slow", "fast"):
            h.update(hyper_medians(os.path.join(d, "%s.%d.json" % (f, c))))
            hc.update(hyper_medians(os.path.join(d, "%s.%d.json" % (f, c)), cpu=True))
        for k in ("jls", "jls_n", "jls_j", "jexec"):
            if k in h:
                v[k][c] = h[k] * 1e3
            if k in hc:
                cpu[k][c] = hc[k] * 1e3
        ch = read_churn(os.path.join(d, "churn.%d.log" % c))
        for k in ("create", "remove"):
            if ch[k]:
                v[k][c] = statistics.median(ch[k]) * 1e3
                cpu[k][c] = statistics.median(ch[k + "_cpu"]) * 1e3
        last = [creates[i] for i in range(max(1, c - 9), c + 1) if i in creates]
        if last:
            v["create_last10"][c] = statistics.median(last) * 1e3
    # Memory per jail at each checkpoint (before that checkpoint's probes).
    memrows = []
    for i, c in enumerate(cps):
        delta = jail_delta(d, cps[:i + 1])
        memrows.append(mem_delta({k: 0 for k in delta}, delta, c))
    first, top = cps[0], cps[-1]
    w = 11
    print("  %-27s" % "median, ms" + "".join("%*s" % (w, "%d jails" % c) for c in cps)
          + "%*s" % (w + 3, "%d/%d" % (top, first)))
    growth = print_rows(ROWS, v, cps, w)
    # jls per jail, and the cost of each added jail between checkpoints.
    per = {c: v["jls"][c] / c for c in cps if c in v["jls"]}
    print("  %-27s%s" % ("jls per jail, ms", "".join(
        "%*s" % (w, "%.3f" % per[c]) if c in per else "%*s" % (w, "-") for c in cps)))
    marg = []
    pts = [c for c in cps if c in v["jls"]]
    for a, b in zip(pts, pts[1:]):
        marg.append((a, b, (v["jls"][b] - v["jls"][a]) / (b - a)))
    print("  %-27s%s" % ("jls per added jail, ms", "%*s" % (w, "") + "".join(
        "%*s" % (w, "%.3f" % m) for _, _, m in marg)))
    mk = "cg" if memrows and memrows[-1].get("cg_total") is not None else "mi"
    if mk == "cg":
        print("  %-27s%s" % ("memcg per jail, kB (u+k)", "".join(
            "%*s" % (w, "%.0f" % r["cg_total"]) for r in memrows)))
        print("  %-27s%s" % ("  of it kernel, kB", "".join(
            "%*s" % (w, "%.0f" % r["cg_kernel"]) for r in memrows)))
    print("  %-27s%s" % ("meminfo kernel per jail, kB", "".join(
        "%*s" % (w, "%.0f" % r["mi_kernel"]) if r["mi_kernel"] is not None else
        "%*s" % (w, "-") for r in memrows)))
    print("")
    print("  CPU of the command's own process, ms (user + sys; hyperfine's mean, median of")
    print("  the jail -c/-r runs; not the prisons' CPU)")
    cgrowth = print_rows(CPU_ROWS, cpu, cps, w)
    print("")

    # Targets.
    at = "" if top == 1000 else "  (measured at %d jails; the target is set for 1000)" % top
    verdicts = {}
    # jls: absolute, and linear.
    linear = None
    if len(marg) >= 2:
        m0, m1 = marg[0][2], marg[-1][2]
        linear = m1 <= 1.5 * m0 or m1 < 0.010
    for k in ("jls", "jls_n", "create", "jexec"):
        kind, lim, text = TARGETS[k]
        if top not in v[k] or (kind == "growth" and k not in growth):
            print("  target %s: not measured" % text)
            verdicts[k] = "-"
            continue
        if kind == "abs":
            ok = v[k][top] <= lim
            got = "%.2f ms" % v[k][top]
        else:
            ok = growth[k] <= lim
            got = "%.2fx (%.2f ms against %.2f ms)" % (growth[k], v[k][top], v[k][first])
        extra = ""
        if k == "jls" and linear is not None:
            extra = "; linear: %s (per added jail %.3f ms from %d to %d, %.3f ms from %d to %d)" % (
                "yes" if linear else "NO", marg[0][2], marg[0][0], marg[0][1],
                marg[-1][2], marg[-1][0], marg[-1][1])
            ok = ok and linear
        verdicts[k] = "met" if ok else "MISSED"
        print("  target %s: %s %s%s%s" % (text, got, verdicts[k], extra, at))

    # RESULT lines.
    def series(name, k, fmt="%.3f"):
        return " ".join(("scale_%s_ms_%d=" + fmt) % (name, c, v[k][c]) for c in cps if c in v[k])
    tl = "" if top == 1000 else " at=%d" % top
    for k, name in (("jls", "jls"), ("jls_n", "jls_n"), ("jls_j", "jls_j"),
                    ("jexec", "jexec"), ("create", "create"),
                    ("create_last10", "create_last10"), ("remove", "remove")):
        line = series(name, k)
        if not line:
            continue
        if k in growth:
            line += " scale_%s_growth=%.2f" % (name, growth[k])
        if k in TARGETS and k in verdicts:
            kind, lim, _ = TARGETS[k]
            line += " target=%s %s%s" % ("%gms" % lim if kind == "abs" else "%.2fx" % lim,
                                         verdicts[k], tl)
        if k == "jls" and linear is not None:
            line += " linear=%s" % ("yes" if linear else "no")
        print("RESULT " + line)
    if per:
        print("RESULT " + " ".join("scale_jls_per_jail_ms_%d=%.3f" % (c, per[c]) for c in cps
                                   if c in per) + " " + " ".join(
            "scale_jls_added_ms_%d_%d=%.3f" % (a, b, m) for a, b, m in marg))
    for k, name in (("jls", "jls"), ("jls_n", "jls_n"), ("jls_j", "jls_j"),
                    ("jexec", "jexec"), ("create", "create"), ("remove", "remove")):
        line = " ".join("scale_%s_cpu_ms_%d=%.3f" % (name, c, cpu[k][c]) for c in cps
                        if c in cpu[k])
        if line:
            if k in cgrowth:
                line += " scale_%s_cpu_growth=%.2f" % (name, cgrowth[k])
            print("RESULT " + line)
    bad = [k for k in ("jls", "jls_n", "jls_j", "jexec", "create", "remove")
           if any(c not in v[k] for c in cps)]
    if bad:
        print("  missing measurements: %s" % " ".join(bad))
        return 1
    return 0


def cmd_progress(d, c, secs):
    c = int(c)
    h = hyper_medians(os.path.join(d, "slow.%d.json" % c))
    h.update(hyper_medians(os.path.join(d, "fast.%d.json" % c)))
    ch = read_churn(os.path.join(d, "churn.%d.log" % c))
    f = lambda k: "%.2f" % (h[k] * 1e3) if k in h else "-"  # noqa: E731
    g = lambda k: "%.2f" % (statistics.median(ch[k]) * 1e3) if ch[k] else "-"  # noqa: E731
    print("  %5d jails (made in %.1f s): jls %s, jls -n %s, jls -j %s, jexec %s,"
          " jail -c %s, jail -r %s ms" % (c, float(secs), f("jls"), f("jls_n"), f("jls_j"),
                                          f("jexec"), g("create"), g("remove")))
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    c, a = argv[1], argv[2:]
    if c == "create":
        return cmd_create(*a[:5])
    if c == "churn":
        return cmd_churn(*a[:7])
    if c == "snap":
        return cmd_snap(*a[:4])
    if c == "prisons":
        return cmd_prisons(a[0])
    if c == "record":
        return cmd_record(a[0], a[1])
    if c == "waitbwraps":
        return cmd_waitbwraps(a[0], a[1])
    if c == "kill":
        return cmd_kill(a[0], a[1:])
    if c == "progress":
        return cmd_progress(a[0], a[1], a[2])
    if c == "report":
        return cmd_report(a[0], a[1:])
    if c == "jaildelta":
        return cmd_jaildelta(a[0], a[1], a[2], a[3:])
    if c == "memreport":
        return cmd_memreport(*a[:4])
    if c == "memratio":
        return cmd_memratio(a[0])
    if c == "leftovers":
        return cmd_leftovers(a[0], a[1])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
