#!/usr/bin/python3
"""The README's FGD findings, checked: a shortened scripts/examples/fgd_alibaba.lua.

usage: fgd_alibaba_findings.py SUANWANG_BINARY SOURCE_DIR

Reads the block `<!-- findings fgd_alibaba: {...} -->` of README.md (JSON), runs
the example as a sweep with the block's `check.set` overrides (a few placements
and seeds of the full sweep, whose runs are the same as the full sweep's), draws
the report with scripts/report.py, and checks, from the HDF5 file through
report.py's own measure:
  - each `check.allocation_pct[placement][arrived %]` within `check.tolerance_pp`;
  - each `check.fgd_fewer_unallocated_at_100[placement]` range holds;
  - the full sweep's headline (`full.fgd_fewer_unallocated_at_100`) is what the
    README's text says.
Prints "ok: fgd_alibaba findings" when all hold; exit 1 otherwise.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "scripts"))
import report  # noqa: E402
import suanwang  # noqa: E402

FAILED = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILED.append(what)


def findings(readme_text, name):
    m = re.search(r"<!--\s*findings\s+" + re.escape(name) + r":\s*(\{.*?\})\s*-->", readme_text, re.S)
    if not m:
        sys.exit(f"README.md has no <!-- findings {name}: {{...}} --> block")
    return json.loads(m.group(1))


def run_short(block, tmp):
    out = os.path.join(tmp, "short.h5")
    cmd = [BIN, "sweep", os.path.join(SRC, block["scenario"]), "-j", "2", "-o", out, "--force"]
    for s in block["check"]["set"]:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"sweep failed ({p.returncode}): {p.stderr[-2000:]}")
    return out


def main():
    text = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    block = findings(text, "fgd_alibaba")
    c = block["check"]
    with tempfile.TemporaryDirectory() as tmp:
        out = run_short(block, tmp)
        runs = [report.Run(out, r) for r in suanwang.read(out)]
        check(all(r.ok for r in runs) and all(report.is_packing(r) for r in runs),
              f"{len(runs)} static-packing runs completed")
        table = report.packing_table(runs)
        seeds = sorted(table.seed.unique().tolist())
        check(seeds == c["seeds"], f"seeds {seeds} == {c['seeds']}")
        at = table.groupby(["placement", "arrived_pct"])["allocation_pct"].median()
        for placement, points in c["allocation_pct"].items():
            for x, want in points.items():
                got = at.get((placement, int(x)), float("nan"))
                check(abs(got - want) <= c["tolerance_pp"],
                      f"{placement} at {x}% arrived: {got:.2f} vs README {want} ± {c['tolerance_pp']}")
        un = {p: 100 - at.get((p, 100), float("nan")) for p in table.placement.unique()}
        for placement, (lo, hi) in c["fgd_fewer_unallocated_at_100"].items():
            red = 1 - un["fgd"] / un[placement]
            check(lo <= red <= hi, f"fgd leaves {red:.1%} fewer GPUs unallocated than {placement} "
                                   f"(README range {lo:.0%}-{hi:.0%})")
        p = subprocess.run([sys.executable, os.path.join(SRC, "scripts", "report.py"), out, "-o",
                            os.path.join(tmp, "report")], capture_output=True, text=True)
        check(p.returncode == 0 and os.path.exists(os.path.join(tmp, "report", "gpu_allocation.png")),
              "report.py draws gpu_allocation.png " + p.stderr[-500:])
    flat = " ".join(text.split())  # the README's lines wrap anywhere
    for placement, red in block["full"]["fgd_fewer_unallocated_at_100"].items():
        said = f"{red:.0%} fewer GPUs unallocated than `{placement}`"
        check(said in flat, f"the README says: {said}")
    if FAILED:
        print(f"{len(FAILED)} finding(s) do not hold")
        return 1
    print("ok: fgd_alibaba findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
