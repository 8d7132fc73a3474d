#!/usr/bin/python3
"""Hostile inputs: every one must end with exit code 2 and one line on stderr
naming the file (and line or key), within seconds, with bounded memory, no
file left behind, and `check` agreeing with `run` (issue 11).

usage: hostile.py BINARY SOURCE_DIR GROUP

Groups (one ctest each): policies, scenarios, topologies, traces, outputs,
results, limits. The corpus is in tests/hostile/corpus/ (README.md there
says how a file states what it expects); inputs too big or too binary to
keep in git are generated here, from a fixed seed.
"""
import gzip
import os
import re
import resource
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

BIN, SRC, GROUP = sys.argv[1], sys.argv[2], sys.argv[3]
HERE = os.path.join(SRC, "tests", "hostile")
CORPUS = os.path.join(HERE, "corpus")
BASE = os.path.join(CORPUS, "base.lua")
TMP = tempfile.mkdtemp(prefix="suanwang_hostile_")
MAX_SECONDS = 10          # per command; the slowest case (the watchdog) takes ~2.2 s
MAX_RSS_KB = 1_500_000    # a case that ran away would pass this long before it ended
failures = []


def fail(name, msg):
    failures.append(f"{name}: {msg}")
    print(f"FAIL {name}: {msg}")


def error_lines(stderr):
    """stderr without the start line and progress lines: what the user is told."""
    return [l for l in stderr.splitlines()
            if l.strip() and not l.startswith("suanwang: running ") and not re.match(r"^\s*\d+%", l)]


def execute(args, cwd=None, timeout=MAX_SECONDS * 3, env=None, preexec=None):
    """Runs the binary; (exit code or "hang", stdout, stderr, seconds, peak RSS in KB)."""
    t0 = time.time()
    p = subprocess.Popen([BIN] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env, preexec_fn=preexec)
    chunks = {1: [], 2: []}

    def drain(stream, key):
        for block in iter(lambda: stream.read(65536), b""):
            chunks[key].append(block)
    readers = [threading.Thread(target=drain, args=(p.stdout, 1)),
               threading.Thread(target=drain, args=(p.stderr, 2))]
    for r in readers:
        r.start()
    status, rss = None, 0
    while status is None:
        pid, st, ru = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            status, rss = st, ru.ru_maxrss
        elif time.time() - t0 > timeout:
            p.kill()
            os.wait4(p.pid, 0)
            status = "hang"
        else:
            time.sleep(0.01)
    p.returncode = 0  # reaped above; keep Popen from waiting again
    for r in readers:
        r.join()
    out = b"".join(chunks[1]).decode("utf-8", "replace")
    err = b"".join(chunks[2]).decode("utf-8", "replace")
    code = status if status == "hang" else os.waitstatus_to_exitcode(status)
    return code, out, err, time.time() - t0, rss


def leftovers(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def expect_refusal(name, args, needles, out_dir=None, cwd=None, max_s=MAX_SECONDS, **kw):
    """The one promise: exit 2, one line naming what is wrong, quickly, with
    nothing left in out_dir. Returns the line (or None)."""
    code, so, se, secs, rss = execute(args, cwd=cwd, **kw)
    lines = error_lines(se)
    if code != 2:
        fail(name, f"exit {code}, expected 2; stderr: {se[-600:]!r}")
        return None
    if len(lines) != 1:
        fail(name, f"{len(lines)} lines on stderr, expected 1: {lines[:5]}")
        return None
    line = lines[0]
    if not line.startswith("suanwang: "):
        fail(name, f"not our line: {line}")
    for n in needles:
        if n not in line:
            fail(name, f"{n!r} not in: {line}")
    if secs > max_s:
        fail(name, f"took {secs:.1f} s (at most {max_s})")
    if rss > MAX_RSS_KB:
        fail(name, f"peak memory {rss // 1024} MB")
    if out_dir is not None and leftovers(out_dir):
        fail(name, f"left {leftovers(out_dir)} in {out_dir}")
    print(f"ok {name} ({secs:.2f} s): {line[:160]}")
    return line


def expect_success(name, args, cwd=None):
    code, so, se, secs, rss = execute(args, cwd=cwd)
    if code != 0:
        fail(name, f"exit {code}, expected 0: {se[-600:]}")
        return False
    print(f"ok {name} ({secs:.2f} s): accepted")
    return True


def header(path, key):
    """Values of `key: ...` lines stating what a corpus file expects: at its top
    as a comment (`-- key:` in Lua, `<!-- key: -->` in GraphML, `; key:` in
    SWF), or, for formats without comments, in the file `<path>.expect`."""
    sidecar = path + ".expect"
    if os.path.exists(sidecar):
        text, comment = open(sidecar, encoding="utf-8").read(), ""
    else:
        with open(path, "rb") as f:
            text, comment = f.read(4096).decode("utf-8", "replace"), r"(?:--|<!--|;)\s*"
    vals = []
    for raw in text.splitlines():
        m = re.match(r"^\s*" + comment + key + r":\s*(.*?)\s*(?:-->)?\s*$", raw)
        if m:
            vals.append(m.group(1))
    return vals


def needles_of(path):
    (exp,) = header(path, "expect")
    return [n.strip() for n in exp.split("|") if n.strip()]


def fresh_dir(name):
    d = os.path.join(TMP, re.sub(r"[^A-Za-z0-9_.-]", "_", name))
    os.makedirs(d, exist_ok=True)
    return d


def run_and_check(name, scenario, extra, needles, phase="load", cwd=None):
    """`run` refuses with one line; `check` refuses with the same line when the
    mistake is in what is read before the simulation starts (phase load), and
    accepts what only running shows (phase run: a hook's error or budget)."""
    out_dir = fresh_dir(name)
    out = os.path.join(out_dir, "out.h5")
    line = expect_refusal(f"{name} [run]", ["run", scenario, "-o", out, "--quiet"] + extra, needles,
                          out_dir=out_dir, cwd=cwd)
    check_extra = [a for a in extra if a != "--force"]
    if phase == "load":
        cline = expect_refusal(f"{name} [check]", ["check", scenario, "--quiet"] + check_extra, needles,
                               cwd=cwd)
        if line and cline and line != cline:
            fail(name, f"check and run differ:\n  run:   {line}\n  check: {cline}")
    else:
        expect_success(f"{name} [check accepts]", ["check", scenario, "--quiet"] + check_extra, cwd=cwd)


# --- policies: corpus/policies/*.lua run in base.lua -------------------------------------

def group_policies():
    folder = os.path.join(CORPUS, "policies")
    for f in sorted(os.listdir(folder)):
        if not f.endswith(".lua"):
            continue
        path = os.path.join(folder, f)
        extra = ["--set", f"policy={path}"]
        for s in header(path, "set"):
            extra += ["--set", s]
        for t in header(path, "trace"):
            extra += ["--set", f'workload.3={{trace = "fixtures/{t}", format = "swf"}}']
        phase = (header(path, "phase") or ["run"])[0]
        run_and_check(f"policy {f}", BASE, extra, needles_of(path), phase)


# --- scenarios: corpus/scenarios/*.lua, run, check and sweep --------------------------------

def group_scenarios():
    folder = os.path.join(CORPUS, "scenarios")
    for f in sorted(os.listdir(folder)):
        if not f.endswith(".lua"):
            continue
        path = os.path.join(folder, f)
        extra = []
        for a in header(path, "args"):
            extra += shlex.split(a)
        command = (header(path, "command") or ["run"])[0]
        phase = (header(path, "phase") or ["load"])[0]
        if command == "sweep":
            out_dir = fresh_dir(f)
            args = ["sweep", path, "-o", os.path.join(out_dir, "out.h5"), "-j", "1"] + extra
            line = expect_refusal(f"scenario {f} [sweep]", args, needles_of(path), out_dir=out_dir)
            cline = expect_refusal(f"scenario {f} [sweep --list]", ["sweep", path, "--list"] + extra,
                                   needles_of(path))
            if line and cline and line != cline:
                fail(f, f"sweep and sweep --list differ:\n  {line}\n  {cline}")
            # run and check read the sweep table too, and refuse it alike.
            run_and_check(f"scenario {f}", path, extra, needles_of(path), phase)
        else:
            run_and_check(f"scenario {f}", path, extra, needles_of(path), phase)


# --- topologies: corpus/topologies/*.graphml and generated ones ---------------------------

def generated_topologies(folder):
    """(file name, needles) of topologies too big or too regular to keep in git."""
    cases = []

    def write(name, text):
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)

    head = ('<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    # A 50 KB <key> tag: a recursive std::regex over it overflowed the stack.
    write("huge_key_tag.graphml", head + '<key id="k" for="node" attr.name="x" attr.type="string" '
          + 'junk="' + "a" * 50000 + '"/>\n<graph edgedefault="undirected"></graph></graphml>\n')
    cases.append(("huge_key_tag.graphml", ["huge_key_tag.graphml"]))
    # Deeply nested elements: a recursive parser overflowed the stack.
    write("deep_nesting.graphml", head + "<graph>" + "<data>" * 200000 + "</data>" * 200000
          + "</graph></graphml>\n")
    cases.append(("deep_nesting.graphml", ["deep_nesting.graphml", "nested"]))
    # 10,000 cities: routes take hours and gigabytes; refused at once (at most 400).
    keys = "".join(f'<key id="{k}" for="node" attr.name="{n}" attr.type="{t}"/>\n' for k, n, t in (
        ("name", "name", "string"), ("lat", "lat", "double"), ("lon", "lon", "double"),
        ("grid", "grid", "string"), ("demand", "demand", "double"), ("price", "price_cny_per_kwh", "double"),
        ("pue", "pue", "double"), ("pools", "pools", "string"), ("ic", "interconnect", "boolean")))
    keys += ('<key id="carrier" for="edge" attr.name="carrier" attr.type="string"/>\n'
             '<key id="bw" for="edge" attr.name="bandwidth_gbps" attr.type="double"/>\n'
             '<key id="ms" for="edge" attr.name="latency_ms" attr.type="double"/>\n')
    nodes = "".join(f'<node id="C{i}"><data key="name">C{i}</data><data key="lat">{20 + i % 20}</data>'
                    f'<data key="lon">{100 + i % 30}</data><data key="grid">east</data>'
                    f'<data key="demand">1</data><data key="price">0.5</data><data key="pue">1.2</data>'
                    f'<data key="pools">a800:8</data><data key="ic">true</data></node>\n' for i in range(10000))
    edges = "".join(f'<edge source="C{i}" target="C{i + 1}"><data key="carrier">ct</data>'
                    f'<data key="bw">100</data><data key="ms">5</data></edge>\n' for i in range(9999))
    write("ten_thousand_cities.graphml", head + keys + '<graph edgedefault="undirected">\n' + nodes + edges
          + "</graph></graphml>\n")
    cases.append(("ten_thousand_cities.graphml", ["ten_thousand_cities.graphml", "400"]))
    return cases


def group_topologies():
    folder = os.path.join(CORPUS, "topologies")
    gen = fresh_dir("generated_topologies")
    cases = [(os.path.join(folder, f), needles_of(os.path.join(folder, f)))
             for f in sorted(os.listdir(folder)) if f.endswith(".graphml")]
    cases += [(os.path.join(gen, f), n) for f, n in generated_topologies(gen)]
    for path, needles in cases:
        name = os.path.basename(path)
        topo = expect_refusal(f"topology {name} [topo]", ["topo", path], needles)
        run_and_check(f"topology {name}", BASE, ["--set", f"topology={path}"], needles)


# --- traces: corpus/traces/*.swf (and generated binary ones) ------------------------------

def generated_traces(folder):
    """(file name, format, needles) of traces that are binary or big."""
    cases = []

    def write(name, data):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)

    write("nul_bytes.swf", b"\0" * 100000)
    cases.append(("nul_bytes.swf", "swf", ["nul_bytes.swf: line 1", "NUL"]))
    # A gzip bomb: 200 MB of zeros in 200 KB; refused at its first line, not inflated.
    z = gzip.compress(b"\0" * (200 << 20), compresslevel=9)
    write("zero_bomb.swf.gz", z)
    cases.append(("zero_bomb.swf.gz", "swf", ["zero_bomb.swf.gz: line 1", "NUL"]))
    # A gzip file cut in half.
    good = open(os.path.join(CORPUS, "fixtures", "burst.swf"), "rb").read() * 50
    gz = gzip.compress(good)
    write("cut_short.swf.gz", gz[: len(gz) // 2])
    cases.append(("cut_short.swf.gz", "swf", ["cut_short.swf.gz", "gzip"]))
    # Bytes flipped inside the compressed stream.
    bad = bytearray(gz)
    for i in range(40, min(len(bad), 60)):
        bad[i] ^= 0x5A
    write("corrupt_gzip.swf.gz", bytes(bad))
    cases.append(("corrupt_gzip.swf.gz", "swf", ["corrupt_gzip.swf.gz"]))
    # One line of 20 MB without a newline.
    write("overlong_line.swf", b"1 0 0 600 1 " + b"9" * (20 << 20))
    cases.append(("overlong_line.swf", "swf", ["overlong_line.swf: line 1", "longer than"]))
    # Random bytes.
    import random
    rng = random.Random(11)
    write("random_bytes.swf", bytes(rng.randrange(256) for _ in range(20000)))
    cases.append(("random_bytes.swf", "swf", ["random_bytes.swf: line "]))
    return cases


def group_traces():
    folder = os.path.join(CORPUS, "traces")
    gen = fresh_dir("generated_traces")
    cases = []
    for f in sorted(os.listdir(folder)):
        path = os.path.join(folder, f)
        if f.endswith(".expect") or not header(path, "expect"):
            continue
        fmt = (header(path, "format") or ["swf"])[0]
        cases.append((path, fmt, needles_of(path)))
    cases += [(os.path.join(gen, f), fmt, n) for f, fmt, n in generated_traces(gen)]
    for path, fmt, needles in cases:
        name = os.path.basename(path)
        extra = ["--set", f'workload={{{{trace = "{path}", format = "{fmt}"}}}}']
        run_and_check(f"trace {name}", BASE, extra, needles)


# --- outputs: targets that must not be written, disks that fill up, signals ---------------

def can_mount_tmpfs():
    """A private tmpfs through a mount namespace (root, or user namespaces)."""
    if not shutil.which("unshare"):
        return None
    for prefix in (["unshare", "-m"], ["unshare", "-rm"]):
        probe = subprocess.run(prefix + ["sh", "-c", f"mount -t tmpfs -o size=1m tmpfs {TMP} && echo ok"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and "ok" in probe.stdout:
            return prefix
    return None


def in_tmpfs(prefix, folder, size, options, args):
    """A command running the binary with args inside a fresh tmpfs mounted at
    folder; after it, the temporaries left there are listed on stdout after
    a line @@LEFT (the tmpfs vanishes with the namespace)."""
    script = (f'mount -t tmpfs -o size={size}{options} tmpfs "$1" || exit 99; d="$1"; shift; "$@"; rc=$?; '
              'echo @@LEFT; find "$d" -name "*.tmp-*"; exit $rc')
    return prefix + ["sh", "-c", script, "sh", folder, BIN] + args


def run_in_tmpfs(name, cmd, max_s=MAX_SECONDS):
    """(exit code, error lines, temporaries left) of a command from in_tmpfs."""
    t0 = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=max_s * 3)
    if time.time() - t0 > max_s:
        fail(name, f"took {time.time() - t0:.1f} s")
    left = p.stdout.split("@@LEFT", 1)[1].split() if "@@LEFT" in p.stdout else ["(no listing)"]
    if "HDF5-DIAG" in p.stderr or "#000:" in p.stderr:
        fail(name, "HDF5 printed its error stack")
    return p.returncode, error_lines(p.stderr), left


def expect_refusal_cmd(name, cmd, needles, max_s=MAX_SECONDS):
    code, lines, left = run_in_tmpfs(name, cmd, max_s)
    if code != 2 or len(lines) != 1:
        fail(name, f"exit {code}, stderr {lines[:6]}")
        return
    for n in needles:
        if n not in lines[0]:
            fail(name, f"{n!r} not in: {lines[0]}")
    if left:
        fail(name, f"left {left}")
    print(f"ok {name}: {lines[0][:160]}")


def group_outputs():
    small = os.path.join(CORPUS, "base.lua")
    d = fresh_dir("outputs")
    # --force never replaces what is not a result file: a device (as root, our own node
    # like /dev/null, so that a regression cannot break the machine's), from -o or from
    # the scenario's output key, refused by check too.
    device = "/dev/null"
    if os.geteuid() == 0:
        device = os.path.join(d, "null")
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    for how in (["-o", device], ["--set", f"output={device}"]):
        expect_refusal(f"{how[0]} a device --force", ["run", small, "--force", "--quiet"] + how,
                       [device, "is a device"])
        if not stat.S_ISCHR(os.stat(device).st_mode):
            fail(f"{how[0]} a device --force", f"{device} was replaced")
    expect_refusal("check, output a device", ["check", small, "--quiet", "--set", f"output={device}"],
                   [device, "is a device"])
    notes = os.path.join(d, "notes.txt")
    open(notes, "w").write("my notes\n")
    for cmd in (["run", small, "-o", notes, "--force", "--quiet"],
                ["run", small, "--set", f"output={notes}", "--force", "--quiet"],
                ["sweep", os.path.join(CORPUS, "fixtures", "two_points.lua"), "-o", notes, "--force"],
                ["merge", "-o", notes, "--force", notes]):
        expect_refusal(f"{cmd[0]} onto a text file with --force ({cmd[2 if cmd[0] != 'merge' else 1]})",
                       cmd, [notes, "not a suanwang result file"])
    expect_refusal("check, output a text file", ["check", small, "--quiet", "--set", f"output={notes}"],
                   [notes, "not a suanwang result file"])
    if open(notes, "rb").read() != b"my notes\n":
        fail("notes.txt", "overwritten")
    os.symlink(notes, os.path.join(d, "link.h5"))
    expect_refusal("-o a symbolic link --force", ["run", small, "-o", os.path.join(d, "link.h5"), "--force"],
                   ["link.h5", "symbolic link"])
    os.mkdir(os.path.join(d, "folder.h5"))
    expect_refusal("-o a folder --force", ["run", small, "-o", os.path.join(d, "folder.h5"), "--force"],
                   ["folder.h5", "is a folder"])
    os.mkfifo(os.path.join(d, "fifo.h5"))
    expect_refusal("-o a FIFO --force", ["run", small, "-o", os.path.join(d, "fifo.h5"), "--force"],
                   ["fifo.h5", "FIFO"])
    # Names the file system cannot hold.
    long_name = os.path.join(d, "n" * 300 + ".h5")
    expect_refusal("-o a name too long", ["run", small, "-o", long_name, "--quiet"], ["too long"])
    deep = os.path.join(d, *(["d" * 200] * 25))
    expect_refusal("-o in a folder that does not exist", ["run", small, "-o", os.path.join(deep, "x.h5")],
                   ["does not exist"])
    # A file-size limit (ulimit -f, always available): HDF5's write fails.
    lim = fresh_dir("ulimit")

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, 64 << 10))
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # the binary must cope by itself
    expect_refusal("ulimit -f 64k (run)", ["run", small, "-o", os.path.join(lim, "x.h5"), "--quiet"],
                   [os.path.join(lim, "x.h5") + ": cannot", "File too large"], out_dir=lim, preexec=small_files)
    # A full disk and a read-only folder: a private tmpfs where the system allows one.
    prefix = can_mount_tmpfs()
    if prefix is None:
        print("SKIP full disk and read-only folder: no mount namespace here (unshare -m / -rm)")
    else:
        full = fresh_dir("full")
        expect_refusal_cmd("full disk (run)",
                           in_tmpfs(prefix, full, "256k", "", ["run", small, "-o", f"{full}/x.h5", "--quiet"]),
                           [f"{full}/x.h5: cannot", "No space left on device"])
        # A sweep: its workers fill the disk (their points fail, one line each), or its
        # gather would (refused before copying: HDF5 1.10 crashes when a copy meets a full
        # disk). Either way no crash, no HDF5 printout, no temporary.
        two = os.path.join(CORPUS, "fixtures", "two_points.lua")
        for size, want in (("300k", 1), ("1m", 2)):
            name = f"full disk of {size} (sweep)"
            code, lines, left = run_in_tmpfs(name, in_tmpfs(prefix, full, size, "",
                                                            ["sweep", two, "-o", f"{full}/s.h5", "-j", "2"]))
            if code != want or left or not any("No space left on device" in l or "not enough free space" in l
                                               for l in lines):
                fail(name, f"exit {code} (expected {want}), left {left}: {lines[-3:]}")
            else:
                print(f"ok {name}: exit {code}: {lines[-1][:140]}")
        good = os.path.join(fresh_dir("merge_src"), "two.h5")
        subprocess.run([BIN, "sweep", two, "-o", good, "-j", "2"], capture_output=True)
        expect_refusal_cmd("full disk (merge)", in_tmpfs(prefix, full, "300k", "", ["merge", "-o", f"{full}/m.h5", good]),
                           [f"{full}/m.h5", "not enough free space"])
        ro = fresh_dir("readonly")
        expect_refusal_cmd("read-only folder (run)",
                           in_tmpfs(prefix, ro, "1m", ",ro", ["run", small, "-o", f"{ro}/x.h5", "--quiet"]),
                           [f"{ro}/x.h5: cannot", "Read-only file system"])
    if os.geteuid() != 0:
        ro = fresh_dir("readonly_chmod")
        os.chmod(ro, 0o555)
        expect_refusal("read-only folder (chmod)", ["run", small, "-o", f"{ro}/x.h5", "--quiet"],
                       [f"{ro}/x.h5: cannot", "Permission denied"], out_dir=ro)
    # SIGTERM and SIGINT: one line, the signal's own exit, no temporary left.
    week = os.path.join(SRC, "scripts", "examples", "national_week.lua")
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        sd = fresh_dir(f"signal_{sig.name}")
        p = subprocess.Popen([BIN, "run", week, "-o", os.path.join(sd, "w.h5"), "--quiet"],
                             stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20
        while time.time() < deadline and not leftovers(sd):
            time.sleep(0.05)
        time.sleep(0.2)
        p.send_signal(sig)
        try:
            _, err = p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            fail(f"{sig.name} during run", "did not stop within 10 s")
            continue
        lines = error_lines(err)
        if p.returncode != -sig or lines != [f"suanwang: stopped by {sig.name}"] or leftovers(sd):
            fail(f"{sig.name} during run", f"exit {p.returncode}, {lines}, left {leftovers(sd)}")
        else:
            print(f"ok {sig.name} during run: one line, no temporary")
    # SIGTERM to a sweep: workers stop too, no temporary anywhere.
    sd = fresh_dir("signal_sweep")
    p = subprocess.Popen([BIN, "sweep", os.path.join(CORPUS, "fixtures", "slow_points.lua"), "-o",
                          os.path.join(sd, "s.h5"), "-j", "2"], stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=15)
    time.sleep(0.5)
    temps = [f for root, _, fs in os.walk(sd) for f in fs if re.search(r"\.tmp-\d+$", f)]
    workers = subprocess.run(["pgrep", "-f", os.path.join(sd, "s.h5")], capture_output=True, text=True).stdout
    if p.returncode != -signal.SIGTERM or temps or workers.strip():
        fail("SIGTERM during sweep", f"exit {p.returncode}, temporaries {temps}, workers {workers.split()}")
    else:
        print("ok SIGTERM during sweep: workers stopped, no temporary (points done are kept for --resume)")


# --- results: damaged files given to merge and sweep --resume; strings in results ---------

def flipped(src, dst, at, mask=0x04):
    data = bytearray(open(src, "rb").read())
    data[at] ^= mask
    open(dst, "wb").write(bytes(data))


def group_results():
    two = os.path.join(CORPUS, "fixtures", "two_points.lua")
    d = fresh_dir("results")
    good = os.path.join(d, "good.h5")
    if not expect_success("two-point sweep", ["sweep", two, "-o", good, "-j", "2"]):
        return
    size = os.path.getsize(good)
    out_dir = fresh_dir("merged")
    out = os.path.join(out_dir, "m.h5")
    # A bit flipped anywhere: in the seal, the superblock, object headers, B-trees, heaps, raw
    # data. Before the seal, some of these crashed merge inside HDF5 and most were merged silently.
    for at in (3, 512, 600, 2048, size // 7, size // 3, size // 2, size - 1):
        bad = os.path.join(d, f"flip_{at}.h5")
        flipped(good, bad, at)
        why = "damaged" if at < len("suanwang result file; ") else "corrupt"
        expect_refusal(f"merge, bit flipped at byte {at}", ["merge", "-o", out, bad, "--quiet"],
                       [bad, why], out_dir=out_dir)
        expect_refusal(f"sweep --resume, bit flipped at byte {at}",
                       ["sweep", two, "-o", bad, "--resume", "-j", "1"], [bad, why])
    cut = os.path.join(d, "cut.h5")
    open(cut, "wb").write(open(good, "rb").read()[: size // 2])
    expect_refusal("merge, a file cut in half", ["merge", "-o", out, cut], [cut, "corrupt"], out_dir=out_dir)
    text = os.path.join(d, "text.h5")
    open(text, "w").write("not a result\n")
    expect_refusal("merge, a text file", ["merge", "-o", out, text], [text, "not a suanwang result file"],
                   out_dir=out_dir)
    # A damaged point file left by an interrupted sweep is run again, not trusted.
    parts_out = os.path.join(d, "resume.h5")
    parts = parts_out + ".parts"
    os.makedirs(parts)
    shutil.copy(os.path.join(d, "good.h5"), os.path.join(d, "copy.h5"))
    expect_success("merge a good file", ["merge", "-o", os.path.join(d, "m2.h5"), good, "--quiet"])
    p = subprocess.run([BIN, "sweep", two, "--list"], capture_output=True, text=True)
    first = re.findall(r"\bp\d{4}\b", p.stdout)[0]
    subprocess.run([BIN, "run", two, "--run-id", first, "--sweep-point", "seed=1", "-o",
                    os.path.join(parts, first + ".h5"), "--quiet"], check=False)
    flipped(os.path.join(parts, first + ".h5"), os.path.join(parts, first + ".h5"),
            os.path.getsize(os.path.join(parts, first + ".h5")) // 2)
    code, so, se, secs, rss = execute(["sweep", two, "-o", parts_out, "--resume", "-j", "1"])
    if code != 0 or "already done" in se:
        fail("resume with a damaged point file", f"exit {code}: {error_lines(se)[-3:]}")
    else:
        print(f"ok resume with a damaged point file: run again ({secs:.2f} s)")
    # Reject reasons with any bytes are stored as valid UTF-8 (README's pandas recipe works).
    reasons = os.path.join(d, "reasons.h5")
    policy = os.path.join(CORPUS, "fixtures", "invalid_utf8_reason.lua")
    if expect_success("reject reasons of invalid UTF-8",
                      ["run", BASE, "--set", f"policy={policy}", "-o", reasons, "--quiet"]):
        import h5py
        import pandas as pd
        with h5py.File(reasons, "r") as f:
            jobs = pd.DataFrame(f["runs/hostile/jobs"][:])
            try:
                r = jobs["reason"].str.decode("utf-8")
            except UnicodeDecodeError as e:
                fail("reasons decode", str(e))
                return
            if not (r.str.contains("\ufffd").all() and r.str.startswith("bad").all()):
                fail("reasons decode", f"unexpected reasons {r.head(3).tolist()}")
            else:
                print("ok reasons decode as UTF-8 with U+FFFD in place of invalid bytes")


# --- limits: run-level guards -------------------------------------------------------------

def group_limits():
    week = os.path.join(SRC, "scripts", "examples", "national_week.lua")
    d = fresh_dir("limits")
    expect_refusal("--max-wall 1s", ["run", week, "-o", os.path.join(d, "w.h5"), "--max-wall", "1s", "--quiet"],
                   ["national_week.lua", "--max-wall"], out_dir=d, max_s=4)
    expect_refusal("--max-memory 30MB", ["run", week, "-o", os.path.join(d, "w.h5"), "--max-memory", "30MB",
                                         "--quiet"], ["national_week.lua", "--max-memory"], out_dir=d)
    expect_refusal("--max-wall nonsense", ["run", week, "--max-wall", "-5s"], ["--max-wall"])
    # A sweep stopped by its guard stops its workers and leaves no temporary (the parts
    # folder stays, for --resume).
    two = os.path.join(CORPUS, "fixtures", "two_points.lua")
    sd = fresh_dir("limits_sweep")
    code, so, se, secs, rss = execute(["sweep", two, "-o", os.path.join(sd, "s.h5"), "-j", "2",
                                       "--max-memory", "30MB"])
    temps = [f for root, _, fs in os.walk(sd) for f in fs if re.search(r"\.tmp-\d+$", f)]
    if code != 2 or "--max-memory" not in se or temps or os.path.exists(os.path.join(sd, "s.h5")):
        fail("sweep --max-memory", f"exit {code}, temporaries {temps}: {error_lines(se)[-3:]}")
    else:
        print(f"ok sweep --max-memory: stopped, workers too, no temporary ({secs:.2f} s)")


GROUPS = {n[6:]: fn for n, fn in globals().items() if n.startswith("group_")}
if GROUP not in GROUPS:
    print(f"unknown group {GROUP}; known: {sorted(GROUPS)}")
    sys.exit(2)
t0 = time.time()
GROUPS[GROUP]()
shutil.rmtree(TMP, ignore_errors=True)
if failures:
    print(f"{len(failures)} hostile case(s) broke the promise:")
    for f in failures:
        print("  " + f)
    sys.exit(1)
print(f"ok: {GROUP} ({time.time() - t0:.1f} s)")
