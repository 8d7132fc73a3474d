#!/usr/bin/python3
"""report.py's static-packing measure on runs small enough to check by hand.

usage: test_packing.py SUANWANG_BINARY SOURCE_DIR

Two servers of 2 GPUs (4 GPUs) and four pods arriving one a second, in list
order, local_queue "none":
  p1 1 GPU      arrived  25%  allocated 25%
  p2 2 GPUs     arrived  75%  allocated 75%
  p3 2 GPUs     arrived 125%  refused (one GPU left): allocated 75%
  p4 0.5 GPU    arrived 137.5% (bucket 138)  allocated 87.5%
With duration "never" the curve is exactly that (empty buckets within one of
a filled one take its value). With duration "1.5s", p1 has left when p3
arrives (t = 2 s), so p3 takes the freed server (100% at 125% arrived), and
p2 has left when p4 arrives (t = 3 s): p3 + p4 = 2.5 GPUs, 62.5%.
Also: report.py writes gpu_allocation.png/.csv and the summary table.
Exit 0 when all holds ("ok: packing"), 1 otherwise.
"""
import os
import subprocess
import sys
import tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "scripts"))
import report  # noqa: E402
import suanwang  # noqa: E402

NODES = "sn,cpu_milli,memory_mib,gpu,model\nn0,32000,65536,2,T4\nn1,32000,65536,2,T4\n"
PODS = ("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
        "deletion_time,scheduled_time\n"
        "p1,1000,1024,1,1000,,LS,Running,0,9,0\n"
        "p2,1000,1024,2,1000,,LS,Running,1,9,1\n"
        "p3,1000,1024,2,1000,,LS,Running,2,9,2\n"
        "p4,1000,1024,1,500,,LS,Running,3,9,3\n")
SCENARIO = """return {{
  name = "packing", duration = "10s", sample_interval = "1s", vgpu_slices = 1000,
  local_queue = "none", node_placement = "best_fit",
  centers = {{ Guiyang = {{ nodes = {{ file = "nodes.csv", chip = "a100" }} }} }},
  workload = {{ {{ trace = "pods.csv", format = "alibaba", center = "Guiyang", origin = "Guiyang",
                  interval = "1s", duration = "{duration}" }} }},
}}
"""
# arrived % bucket -> allocation %
EXPECTED_NEVER = {24: 25.0, 25: 25.0, 26: 25.0, 74: 75.0, 75: 75.0, 76: 75.0, 124: 75.0, 125: 75.0,
                  126: 75.0, 137: 87.5, 138: 87.5}
# p1 (t 0-1.5 s) leaves before p3 (t = 2 s) arrives, p2 (1-2.5 s) before p4 (t = 3 s).
EXPECTED_FINITE = {25: 25.0, 75: 75.0, 125: 100.0, 138: 62.5}
failed = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failed.append(what)


def run(tmp, duration):
    for name, text in (("nodes.csv", NODES), ("pods.csv", PODS),
                       ("s.lua", SCENARIO.format(duration=duration))):
        with open(os.path.join(tmp, name), "w") as f:
            f.write(text)
    out = os.path.join(tmp, f"{duration}.h5")
    p = subprocess.run([BIN, "run", os.path.join(tmp, "s.lua"), "-o", out, "--force", "--quiet"],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"run with duration {duration}: {p.stderr.strip()}")
    return out


def curve(path):
    (r,) = [report.Run(path, x) for x in suanwang.read(path)]
    check(report.is_packing(r), f"{os.path.basename(path)} is a static-packing run")
    gpus, alloc, frag = report.packing_curves(r)
    check(gpus == 4, f"4 GPUs in the center (got {gpus})")
    check(not frag.empty, "fragmented GPUs sampled")
    return alloc


def main():
    with tempfile.TemporaryDirectory() as tmp:
        never = curve(run(tmp, "never"))
        for x, want in EXPECTED_NEVER.items():
            check(never.get(x) == want, f"never: {want}% allocated at {x}% arrived (got {never.get(x)})")
        check(50 not in never.index and 100 not in never.index, "no bucket far from any arrival")
        finite = curve(run(tmp, "1.5s"))
        for x, want in EXPECTED_FINITE.items():
            check(finite.get(x) == want, f"1.5s: {want}% allocated at {x}% arrived (got {finite.get(x)})")
        out = os.path.join(tmp, "report")
        p = subprocess.run([sys.executable, os.path.join(SRC, "scripts", "report.py"),
                            os.path.join(tmp, "never.h5"), "-o", out], capture_output=True, text=True)
        check(p.returncode == 0, "report.py exits 0 " + p.stderr[-300:])
        for f in ("gpu_allocation.png", "gpu_allocation.csv"):
            check(os.path.getsize(os.path.join(out, f)) > 0, f"report.py writes {f}")
        md = open(os.path.join(out, "summary.md"), encoding="utf-8").read()
        check("| best_fit | 1 |" in md and "Static packing" in md, "summary.md has the allocation table")
    if failed:
        print(f"{len(failed)} check(s) failed")
        return 1
    print("ok: packing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
