#!/usr/bin/python3
"""The README's pooling findings, checked: scripts/examples/pooling.lua, shortened.

usage: pooling_findings.py SUANWANG_BINARY SOURCE_DIR

Reads the block `<!-- findings pooling: {...} -->` of README.md (JSON) and:
  - runs the block's `check.sweeps` (the example's sweep cut to seed 1, its
    first seed, without the points that repeat another: node-bound best_fit
    and fgd, pooled +0% and +5%; runs are deterministic, so these are the
    full sweep's seed-1 runs) and checks, through report.py's pooling
    measures, each variant's busy share while jobs wait (held and useful) and
    mean wait against `check`, within `check.tolerance`;
  - runs every point of the sweep for `check.repeats` (a few hours) and checks
    that a pooled run ignores node_placement and a node-bound run
    pooling_slowdown (identical job tables), as report.py assumes;
  - checks that report.py draws pooling.png;
  - checks that the README's headline says what `full` says.
Prints "ok: pooling findings" when all hold; exit 1 otherwise.
"""
import os
import sys
import tempfile

import numpy as np

BIN, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "scripts"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import findings_lib as F  # noqa: E402
import report  # noqa: E402
import suanwang  # noqa: E402

check = F.Checks()


def runs_of(path):
    return [report.Run(path, r) for r in suanwang.read(path)]


def check_repeats(path):
    """Points that differ only in a switch their sharing ignores have equal job tables."""
    by = {}
    for r in runs_of(path):
        p = r.run.params
        by[(p["gpu_sharing"], p["node_placement"], float(p["pooling_slowdown"]))] = r.run.jobs
    cols = ["id", "start_s", "end_s", "server", "servers", "status"]
    for a, b in ((("pooled", "best_fit", 0.0), ("pooled", "fgd", 0.0)),
                 (("pooled", "best_fit", 0.05), ("pooled", "fgd", 0.05)),
                 (("node_bound", "best_fit", 0.0), ("node_bound", "best_fit", 0.05)),
                 (("node_bound", "fgd", 0.0), ("node_bound", "fgd", 0.05))):
        ja, jb = by.get(a), by.get(b)
        same = ja is not None and jb is not None and len(ja) == len(jb) and all(
            np.array_equal(ja[c].to_numpy(), jb[c].to_numpy()) for c in cols)
        check(same, f"{a} and {b} give the same jobs ({0 if ja is None else len(ja)} jobs)")
    big = [j for k, j in by.items() if k[0] == "node_bound"]
    check(all(len(j) > 1000 for j in big), "the repeats' runs have jobs")


def main():
    text = F.readme(SRC)
    block = F.block(text, "pooling")
    c, full = block["check"], block["full"]
    tol = c["tolerance"]
    with tempfile.TemporaryDirectory() as tmp:
        files = [F.sweep(BIN, SRC, block["scenario"], sets, os.path.join(tmp, f"check{i}.h5"))
                 for i, sets in enumerate(c["sweeps"])]
        runs = [r for f in files for r in runs_of(f)]
        check(all(r.ok and report.is_server_queue(r) for r in runs), f"{len(runs)} runs on a center of servers")
        table, _ = report.pooling_table(runs)
        check(sorted(table.seed.unique().tolist()) == [c["seed"]], f"seed {c['seed']} only")
        got = table.set_index("variant")
        for key, t in (("busy_waiting_pct", tol["pct"]), ("useful_busy_waiting_pct", tol["pct"])):
            for v, want in c[key].items():
                check.near(float(got.loc[v, key]), want, t, f"{v}: {key}")
        for v, want in c["mean_wait_min"].items():
            check.near(float(got.loc[v, "mean_wait_s"]) / 60, want, tol["wait_min"], f"{v}: mean wait (min)")
        status, err = F.report(SRC, files, os.path.join(tmp, "report"))
        check(status == 0 and os.path.exists(os.path.join(tmp, "report", "pooling.png")),
              "report.py draws pooling.png " + err[-300:])
        check_repeats(F.sweep(BIN, SRC, block["scenario"], c["repeats"], os.path.join(tmp, "repeats.h5")))
    said, short = F.flat(text), F.bullet(text, "pooling")
    bw, w = full["busy_waiting_pct"], full["mean_wait_min"]
    base, fgd, p0, p5 = "node-bound best_fit", "node-bound fgd", "pooled +0%", "pooled +5%"
    check.says(short, (
            f"from {bw[base]:.1f}% of the chips (best fit; {bw[fgd]:.1f}% with FGD) to {bw[p0]:.1f}%",
            f"the mean wait falls by {1 - w[p0] / w[base]:.0%} ({w[base]:.1f} to {w[p0]:.1f} min",
            f"useful share while jobs wait is {full['useful_busy_waiting_pct'][p5]:.1f}%"), "the What-they-show bullet")
    check.says(said, (
            f"from {bw[base]:.1f}% of the chips (best fit; {bw[fgd]:.1f}% with FGD) to {bw[p0]:.1f}%",
            f"the mean wait falls by {1 - w[p0] / w[base]:.0%} ({w[base]:.1f} to {w[p0]:.1f} min",
            f"FGD alone cuts it by {1 - w[fgd] / w[base]:.0%}",
            f"useful share while jobs wait is {full['useful_busy_waiting_pct'][p5]:.1f}%",
            f"mean wait is {w[p5]:.1f} min"))
    return check.done("pooling")


if __name__ == "__main__":
    sys.exit(main())
