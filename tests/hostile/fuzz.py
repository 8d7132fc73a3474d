#!/usr/bin/python3
"""A longer, black-box fuzz run over the hostile corpus, for before releases
(not run by CI; see README.md here).

usage: fuzz.py BINARY SOURCE_DIR [SECONDS] [SEED]

Mutates corpus files and fixtures (bytes flipped, inserted, deleted; lines
duplicated, dropped or swapped; numbers replaced by extremes) and runs each
mutant through the command that reads it. Any result other than exit 0, or
exit 2 with one line, within the time limit and with no temporary left, is a
finding: the input is kept in ./fuzz-findings/ with what happened.
"""
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

BIN, SRC = sys.argv[1], sys.argv[2]
SECONDS = float(sys.argv[3]) if len(sys.argv) > 3 else 600
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
CORPUS = os.path.join(SRC, "tests", "hostile", "corpus")
BASE = os.path.join(CORPUS, "base.lua")
FINDINGS = os.path.abspath("fuzz-findings")
TIMEOUT = 20
EXTREMES = [b"0", b"-1", b"1e308", b"-1e308", b"1e-320", b"nan", b"inf", b"9223372036854775807",
            b"18446744073709551616", b"2^64", b"math.huge", b"0/0", b"\"\"", b"{}", b"nil"]


def seeds():
    out = []
    for root, _, files in os.walk(CORPUS):
        for f in files:
            if not f.endswith(".expect"):
                out.append(os.path.join(root, f))
    out.append(os.path.join(SRC, "topology", "china.graphml"))
    out.append(os.path.join(SRC, "tests", "e2e", "data", "small.lua"))
    return sorted(out)


def mutate(data):
    data = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4, 16])):
        op = rng.randrange(7)
        if not data:
            data = bytearray(b"x")
        i = rng.randrange(len(data))
        if op == 0:
            data[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        elif op == 2:
            del data[i:i + rng.randrange(1, 64)]
        elif op == 3:
            numbers = [m.span() for m in re.finditer(rb"-?\d+(\.\d+)?(e-?\d+)?", data)]
            if numbers:
                a, b = rng.choice(numbers)
                data[a:b] = rng.choice(EXTREMES)
        else:
            lines = data.split(b"\n")
            j, k = rng.randrange(len(lines)), rng.randrange(len(lines))
            if op == 4:
                lines.insert(j, lines[k] * rng.choice([1, 2, 100]))
            elif op == 5:
                del lines[j]
            else:
                lines[j], lines[k] = lines[k], lines[j]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def command_for(src, path, work):
    """How the binary reads this kind of file (src: where the mutant came from)."""
    name = os.path.basename(src)
    out = os.path.join(work, "out.h5")
    if name.endswith(".graphml"):
        return ["topo", path] if rng.random() < 0.5 else ["run", BASE, "--set", f"topology={path}", "-o", out]
    if ".swf" in name:
        return ["run", BASE, "--set", f'workload={{{{trace = "{path}", format = "swf"}}}}', "-o", out]
    if name.endswith(".csv"):
        fmt = "alibaba" if "alibaba" in name else "philly"
        return ["run", BASE, "--set", f'workload={{{{trace = "{path}", format = "{fmt}"}}}}', "-o", out]
    if name.endswith(".h5"):
        return ["merge", "-o", out, path]
    if "/policies/" in src or "invalid_utf8_reason" in name:
        return ["run", BASE, "--set", f"policy={path}", "-o", out]
    return ["check", path] if rng.random() < 0.5 else ["run", path, "-o", out]


def main():
    os.makedirs(FINDINGS, exist_ok=True)
    pool = seeds()
    work = tempfile.mkdtemp(prefix="suanwang_fuzz_")
    # A result file to damage, too.
    good = os.path.join(work, "good.h5")
    subprocess.run([BIN, "sweep", os.path.join(CORPUS, "fixtures", "two_points.lua"), "-o", good, "-j", "2"],
                   capture_output=True)
    if os.path.exists(good):
        pool.append(good)
    t_end, runs, found = time.time() + SECONDS, 0, 0
    while time.time() < t_end:
        src = rng.choice(pool)
        folder = os.path.join(work, f"m{runs}")
        os.makedirs(folder)
        # Keep the name (commands choose by it) and the folder's neighbours (require, traces).
        dst = os.path.join(folder, os.path.basename(src))
        open(dst, "wb").write(mutate(open(src, "rb").read()))
        for extra in ("modules", "fixtures", "traces"):
            if os.path.isdir(os.path.join(CORPUS, extra)) and not os.path.exists(os.path.join(folder, extra)):
                os.symlink(os.path.join(CORPUS, extra), os.path.join(folder, extra))
        args = command_for(src, dst, folder)
        t0 = time.time()
        try:
            quiet = ["--quiet"] if args[0] in ("run", "check", "merge") else []
            p = subprocess.run([BIN] + args + quiet, capture_output=True, timeout=TIMEOUT)
            code, err = p.returncode, p.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            code, err = "hang", ""
        lines = [l for l in err.splitlines() if l.strip()]
        temps = [f for f in os.listdir(folder) if re.search(r"\.tmp-\d+$", f)]
        ok = (code == 0 or (code == 2 and len(lines) == 1)) and not temps
        if not ok:
            found += 1
            keep = os.path.join(FINDINGS, f"{found:04d}-{os.path.basename(src)}")
            shutil.copy(dst, keep)
            with open(keep + ".txt", "w") as f:
                f.write(f"command: {' '.join(args)}\nexit: {code}\nseconds: {time.time() - t0:.1f}\n"
                        f"temporaries: {temps}\nstderr:\n{err[-3000:]}\n")
            print(f"finding {found}: exit {code} on a mutant of {os.path.basename(src)} -> {keep}")
        shutil.rmtree(folder, ignore_errors=True)
        runs += 1
    shutil.rmtree(work, ignore_errors=True)
    print(f"fuzz: {runs} inputs in {SECONDS:.0f} s, {found} findings (in {FINDINGS})")
    sys.exit(1 if found else 0)


main()
