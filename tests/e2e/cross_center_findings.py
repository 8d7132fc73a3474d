#!/usr/bin/python3
"""The README's findings on training that spans centers, checked.

usage: cross_center_findings.py SUANWANG_BINARY SOURCE_DIR CASE [--print]

CASE training: reads the block `<!-- findings cross_center_training: {...} -->`
of README.md (JSON) and runs scripts/examples/cross_center_training.lua as the
README says: today's backbone with 1, 2 and 3 parts, the China Telecom trial's
settings, and the sweep over backbone_bandwidth. Checks, from the HDF5 files:
  - one center takes exactly iterations x iteration seconds;
  - each slowdown (span_slowdown - 1, %) within `tolerance_pp` of the block;
  - the bandwidth at which the penalty falls under 10%, from the sweep (the
    penalty is a + b / W: fitted through its points), within `tolerance_Gbps`;
  - report.py draws split_jobs.png and lists every split run;
  - the README's text states the block's headline numbers.
CASE queue: the block `cross_center_queue`: runs
scripts/examples/cross_center_queue.lua's sweep (two policies x three seeds)
and checks the per-policy means of the block within their tolerances.
--print: print what was measured as JSON (to write the block) and check nothing.
Prints "ok: cross_center_<CASE> findings" when all hold; exit 1 otherwise.
"""
import json
import os
import subprocess
import sys
import tempfile

BIN, SRC, CASE = sys.argv[1], sys.argv[2], sys.argv[3]
PRINT = "--print" in sys.argv[4:]
sys.path.insert(0, os.path.join(SRC, "scripts"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import findings_lib as F  # noqa: E402
import suanwang  # noqa: E402

CHECKS = F.Checks()


def check(ok, what):
    if not PRINT:
        CHECKS(ok, what)


def suanwang_cmd(args, out):
    p = subprocess.run([BIN] + args + ["-o", out, "--force", "--quiet"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({p.returncode}): {p.stderr[-2000:]}")
    return out


def the_job(path):
    jobs = suanwang.read(path).run().jobs
    if len(jobs) != 1:
        sys.exit(f"{path}: {len(jobs)} jobs (expected the one training run)")
    return jobs.iloc[0]


def pct(job):
    return round(100 * (job.span_slowdown - 1), 2)


def under_10pct_Gbps(points):
    """points: {W in Gb/s: penalty %}; the W where a + b / W = 10."""
    ws = sorted(points)
    lo, hi = ws[0], ws[-1]
    b = (points[lo] - points[hi]) / (1 / lo - 1 / hi)
    a = points[hi] - b / hi
    return round(b / (10 - a))


def case_training(block, tmp):
    scen = os.path.join(SRC, block["scenario"])
    got = {"today_pct": {}, "sweep_pct": {}, "under_10pct_Gbps": {}}
    one = the_job(suanwang_cmd(["run", scen, "--set", "params.parts=1"], os.path.join(tmp, "one.h5")))
    got["one_center_s"] = round(one.end_s - one.start_s, 6)
    for parts in ("2", "3"):
        job = the_job(suanwang_cmd(["run", scen, "--set", f"params.parts={parts}"], os.path.join(tmp, f"t{parts}.h5")))
        got["today_pct"][parts] = pct(job)
    ct = the_job(suanwang_cmd(["run", scen] + sum((["--set", s] for s in block["china_telecom"]["set"]), []),
                              os.path.join(tmp, "ct.h5")))
    got["china_telecom_efficiency_pct"] = round(100 / ct.span_slowdown, 2)
    sweep = suanwang_cmd(["sweep", scen, "-j", "2"], os.path.join(tmp, "sweep.h5"))
    runs = list(suanwang.read(sweep))
    for r in runs:
        j = r.jobs.iloc[0]
        parts, bw = r.sweep_point["params.parts"], r.sweep_point["backbone_bandwidth"]
        got["sweep_pct"].setdefault(parts, {})[bw] = pct(j)
    for parts, pts in got["sweep_pct"].items():
        got["under_10pct_Gbps"][parts] = under_10pct_Gbps({float(k[:-4]): v for k, v in pts.items()})
    if PRINT:
        print(json.dumps(got, indent=1, sort_keys=True))
        return
    tol = block["tolerance_pp"]
    check(abs(got["one_center_s"] - block["one_center_s"]) < 1e-6,
          f"one center: {got['one_center_s']} s == {block['one_center_s']} s")
    for parts, want in block["today_pct"].items():
        check(abs(got["today_pct"][parts] - want) <= tol, f"today, {parts} cities: +{got['today_pct'][parts]}% vs +{want}%")
    for parts, pts in block["sweep_pct"].items():
        for bw, want in pts.items():
            g = got["sweep_pct"].get(parts, {}).get(bw, float("nan"))
            check(abs(g - want) <= tol, f"{parts} cities at {bw}: +{g}% vs README +{want}%")
    for parts, want in block["under_10pct_Gbps"].items():
        g = got["under_10pct_Gbps"][parts]
        check(abs(g - want) <= block["tolerance_Gbps"], f"{parts} cities under 10% from {g} Gb/s vs README {want}")
    want = block["china_telecom"]["efficiency_pct"]
    check(abs(got["china_telecom_efficiency_pct"] - want) <= tol,
          f"China Telecom trial's setting: {got['china_telecom_efficiency_pct']}% vs README {want}%")
    rep = os.path.join(tmp, "report")
    p = subprocess.run([sys.executable, os.path.join(SRC, "scripts", "report.py"), sweep, "-o", rep],
                       capture_output=True, text=True)
    check(p.returncode == 0 and os.path.exists(os.path.join(rep, "split_jobs.png")),
          "report.py draws split_jobs.png " + p.stderr[-500:])
    summary = open(os.path.join(rep, "summary.md"), encoding="utf-8").read() if p.returncode == 0 else ""
    rows = [l for l in summary.splitlines() if l.startswith("| split_training (")]
    check(len(rows) == len(runs), f"summary.md lists {len(rows)} split runs of {len(runs)}")
    for r in runs:
        label = f"backbone_bandwidth={r.sweep_point['backbone_bandwidth']}, params.parts={r.sweep_point['params.parts']}"
        row = next((l for l in rows if label in l), "")
        cell = f"| {r.jobs.iloc[0].span_slowdown:.6g} |"
        check(cell in row, f"summary.md: {label} has slowdown {cell}")


def queue_metrics(path):
    """Per policy, the mean over seeds of what the README says."""
    out = {}
    for r in suanwang.read(path):
        j = r.jobs
        big, other = j[j.gpus == 1024], j[j.gpus < 1024]
        started = big[big.start_s >= 0]
        split = big[(big.parts >= 2) & (big.span_slowdown > 0)]
        done = other[other.status == "completed"]
        m = {
            "big_submitted": len(big),
            "big_started_pct": 100 * len(started) / len(big),
            "big_wait_h": started.wait_s.mean() / 3600,
            "big_completed": int((big.status == "completed").sum()),
            "split_pct": 100 * int((big.parts >= 2).sum()) / len(big),
            "split_slowdown": split.span_slowdown.mean() if len(split) else 1.0,
            "sync_PB": j.sync_B.sum() / 1e15,
            "moved_PB": j.bytes_moved.sum() / 1e15,
            "others_p95_wait_s": done.wait_s.quantile(0.95),
            "utilization_pct": 100 * r.summary["utilization"],
        }
        out.setdefault(r.policy, []).append(m)
    return {p: {k: round(sum(x[k] for x in ms) / len(ms), 3) for k in ms[0]} for p, ms in out.items()}


def case_queue(block, tmp):
    got = queue_metrics(suanwang_cmd(["sweep", os.path.join(SRC, block["scenario"]), "-j", "2"],
                                     os.path.join(tmp, "queue.h5")))
    if PRINT:
        print(json.dumps(got, indent=1, sort_keys=True))
        return
    for policy, want in block["mean"].items():
        for k, v in want.items():
            g = got.get(policy, {}).get(k, float("nan"))
            tol = block["tolerance"].get(k, 0)
            check(abs(g - v) <= tol, f"{policy} {k}: {g} vs README {v} ± {tol}")


def main():
    text = F.readme(SRC)
    name = "cross_center_" + CASE
    block = F.block(text, name)
    with tempfile.TemporaryDirectory() as tmp:
        {"training": case_training, "queue": case_queue}[CASE](block, tmp)
    if PRINT:
        return 0
    CHECKS.says(F.flat(text), block["readme_says"])
    return CHECKS.done(name)


if __name__ == "__main__":
    sys.exit(main())
