#!/usr/bin/python3
"""End-to-end tests of scripts/report.py and the suanwang module, on real runs.

usage: test_report.py CASE SUANWANG_BINARY SOURCE_DIR

  run    one run of small.lua: report.py with its default output folder,
         opening no file of the repository but its own code (an audit hook
         records every open: no GraphML, CSV or scenario); suanwang.read
         gives the network as simulated and tables equal to plain h5py's
  sweep  data/report_sweep.lua: 16 points, the 4 points of boom_policy.lua
         fail: report.py draws the 12 completed ones (> 10 runs: figures
         pool them by policy) and lists the failed ones; suanwang.read shows
         the failed points with their own policy and status; the README's
         notebook example runs on this sweep and on a run of small.lua
  edge   data/nothing_completes.lua (no job completes) reported together with
         the same scenario run to completion (two files); a missing file, a
         file that is not HDF5 and an HDF5 file without /runs are one line on
         stderr and exit 2

Checks that report.py exits 0, that every expected PNG exists and is a
non-empty PNG, that every figure summary.md links to exists, and that the
numbers in summary.md's run table equal the /runs/<id>/summary attributes.
Exit 0 when all holds, 1 with messages otherwise.
"""
import math
import os
import re
import subprocess
import sys
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
errors = []

# table column -> (summary attribute, factor from attribute to table value)
NUMERIC = {
    "jobs submitted": ("jobs_submitted", None), "jobs completed": ("jobs_completed", None),
    "jobs failed": ("jobs_failed", None), "jobs rejected": ("jobs_rejected", None),
    "jobs unfinished": ("jobs_unfinished", None),
    "mean wait [s]": ("mean_wait_s", 1.0), "p95 wait [s]": ("p95_wait_s", 1.0),
    "mean JCT [s]": ("mean_jct_s", 1.0), "utilization [0-1]": ("utilization", 1.0),
    "energy [MWh]": ("energy_J", 1 / 3.6e9), "cost [CNY]": ("cost_CNY", 1.0),
    "carbon [t]": ("carbon_kg", 1e-3),
}
FIGURES = ["wait_cdf.png", "jct_cdf.png", "map.png", "center_energy_cost_carbon.png"]


def fail(msg):
    errors.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def simulate(args, out, expect_rc=0):
    """suanwang run|sweep ARGS -o OUT; True when it exited as expected and wrote OUT."""
    p = run([BIN] + args + ["-o", out, "--force", "--quiet"])
    return check(p.returncode == expect_rc and os.path.isfile(out),
                 f"suanwang {' '.join(args)} exited {p.returncode} (expected {expect_rc})\n"
                 f"stderr: {p.stderr}")


def report(args, case, expect_rc=0):
    p = run([PY, REPORT] + args)
    check(p.returncode == expect_rc, f"{case}: report.py exited {p.returncode} (expected "
          f"{expect_rc})\nstdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def split_row(line):
    """Cells of a Markdown table row (an escaped \\| stays in its cell)."""
    cells, cur, i = [], "", 0
    body = line.strip()[1:-1] if line.strip().startswith("|") else line.strip()
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body) and body[i + 1] == "|":
            cur += "|"
            i += 2
            continue
        if body[i] == "|":
            cells.append(cur.strip())
            cur = ""
        else:
            cur += body[i]
        i += 1
    cells.append(cur.strip())
    return cells


def run_table(md):
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("| run |"):
            head = split_row(line)
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append(dict(zip(head, split_row(row))))
            return head, rows
    return None, []


def check_report(h5paths, outdir, case, figures=True):
    """summary.md and the figures against the files; returns summary.md's text."""
    md_path = os.path.join(outdir, "summary.md")
    if not check(os.path.isfile(md_path), f"{case}: no summary.md in {outdir}"):
        return ""
    md = open(md_path, encoding="utf-8").read()
    pngs = sorted(f for f in os.listdir(outdir) if f.endswith(".png"))
    if figures:
        for name in FIGURES:
            check(name in pngs, f"{case}: {name} missing")
        check(any(f.startswith("utilization_heatmap") for f in pngs),
              f"{case}: no utilisation heat map")
    for name in pngs:
        p = os.path.join(outdir, name)
        with open(p, "rb") as fh:
            head = fh.read(8)
        check(os.path.getsize(p) > 1000 and head == PNG_MAGIC,
              f"{case}: {name} is not a non-empty PNG ({os.path.getsize(p)} bytes)")
    for link in re.findall(r"\]\(([^)]+\.png)\)", md):
        check(os.path.isfile(os.path.join(outdir, link)), f"{case}: summary.md links to missing {link}")
    check("## What this shows" in md, f"{case}: no 'What this shows' section")

    head, rows = run_table(md)
    if not check(head is not None, f"{case}: no run table in summary.md"):
        return md
    for col in NUMERIC:
        check(col in head, f"{case}: run table lacks column '{col}'")
    expected = {}
    for path in h5paths:
        with h5py.File(path, "r") as f:
            for rid, g in f["runs"].items():
                summary = dict(g["summary"].attrs) if "summary" in g else None
                expected[(os.path.basename(path), rid)] = (dict(g.attrs), summary)
    got = {(r.get("file"), r.get("run")): r for r in rows}
    check(set(got) == set(expected), f"{case}: table runs {sorted(got)} != file runs {sorted(expected)}")
    for key, (attrs, summ) in expected.items():
        row = got.get(key)
        if row is None:
            continue
        check(row["policy"] == attrs["policy_name"],
              f"{case} {key}: policy {row['policy']!r} != {attrs['policy_name']!r}")
        check(row["seed"] == str(int(attrs["seed"])), f"{case} {key}: seed {row['seed']!r}")
        check(row["status"] == attrs["status"], f"{case} {key}: status {row['status']!r}")
        for col, (attr, factor) in NUMERIC.items():
            cell = row.get(col)
            if summ is None:   # a failed run has no numbers
                check(cell == "—", f"{case} {key} {col}: {cell!r} for a failed run")
                continue
            want = summ[attr]
            if factor is None:
                check(cell == str(int(want)), f"{case} {key} {col}: table {cell} != attr {int(want)}")
                continue
            try:
                v = float(cell)
            except ValueError:
                fail(f"{case} {key} {col}: not a number: {cell!r}")
                continue
            check(math.isclose(v, float(want) * factor, rel_tol=1e-9, abs_tol=1e-12),
                  f"{case} {key} {col}: table {cell} != attr {float(want) * factor!r}")
    print(f"ok: {case}: {len(pngs)} PNGs, {len(rows)} table rows checked")
    return md


def audited_report(args, log, case):
    """report.py ARGS under an audit hook that records every file it opens
    through Python into `log`; then checks that none of them is a file of the
    repository but report.py's own code (no GraphML, no CSV, no scenario):
    it reads nothing but the HDF5 file. Returns report.py's exit code."""
    runner = (
        "import runpy, sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda ev, a: opened.append(str(a[0])) if ev == 'open' and "
        "isinstance(a[0], (str, bytes)) else None)\n"
        f"sys.argv = [{REPORT!r}] + {list(args)!r}\n"
        "try:\n"
        f"    runpy.run_path({REPORT!r}, run_name='__main__')\n"
        "finally:\n"
        f"    open({log!r}, 'w').write('\\n'.join(opened))\n")
    p = run([PY, "-c", runner])
    check(p.returncode == 0, f"{case}: report.py exited {p.returncode}: {p.stderr}")
    repo = os.path.realpath(SRC) + os.sep
    scripts = os.path.join(repo, "scripts") + os.sep
    bad = set()
    for path in open(log).read().split("\n"):
        real = os.path.realpath(path) if path else ""
        if real.startswith(repo) and not (real.startswith(scripts) and
                                          real.endswith((".py", ".pyc"))):
            bad.add(path)
    if check(not bad, f"{case}: report.py opened files of the repository: {sorted(bad)[:5]}"):
        print(f"ok: {case}: report.py opened no repository file but its own code")
    return p.returncode


# --------------------------------------------------------------------------- cases

def case_run(tmp):
    h5 = os.path.join(tmp, "small.h5")
    if not simulate(["run", os.path.join(HERE, "small.lua")], h5):
        return
    # default output folder: <stem>_report beside the file
    if audited_report([h5], os.path.join(tmp, "opened.txt"), "run") == 0:
        md = check_report([h5], os.path.join(tmp, "small_report"), "run")
        check("network/" in md, "run: summary.md does not say the map comes from network/")

    f = suanwang.read(h5)
    r = f.run()
    check(r.ok and r.policy == "least_loaded" and r.seed == 5, f"run: {r!r}")
    net = r.network
    check(len(net.cities) == 38, f"run: {len(net.cities)} cities")
    check(set(r.jobs.origin) <= set(net.cities.name), "run: job origins are network cities")
    check(set(r.jobs.pool) - {""} <= set(net.pools.name), "run: job pools are network pools")
    check(list(dict.fromkeys(r.centers.center)) == list(dict.fromkeys(net.pools.center)),
          "run: center series in the network's center order")
    check(sorted(set(r.links.link)) == sorted(net.links.name), "run: links are network links")
    check(net.cities.attrs["units"]["price_CNY_per_kWh"] == "CNY/kWh", "run: network units")
    with h5py.File(h5, "r") as h:
        g = h["runs/report_small"]
        check(r.summary == {k: v.item() for k, v in g["summary"].attrs.items()
                            if k != "description"}, "run: summary = h5py's")
        raw = g["jobs"][()]
        check(np.array_equal(r.jobs.wait_s.to_numpy(), raw["wait_s"]), "run: jobs.wait_s = h5py's")
        check(list(r.jobs.chip) == [x.decode() for x in raw["chip"]], "run: jobs.chip decoded")
        totals = g["center_totals"][()]
        check(np.array_equal(r.center_totals.cost_CNY.to_numpy(), totals["cost_CNY"]),
              "run: center_totals.cost_CNY = h5py's")
    print(f"ok: run: suanwang.read: {len(r.jobs)} jobs, {len(net.pools)} pools, "
          f"{len(net.links)} links")


def case_sweep(tmp):
    h5 = os.path.join(tmp, "sweep.h5")
    if not simulate(["sweep", os.path.join(HERE, "data", "report_sweep.lua"), "-j", "2"], h5,
                    expect_rc=1):
        return
    out = os.path.join(tmp, "sweep_report")
    p = report([h5, "-o", out], "sweep")
    if p.returncode == 0:
        md = check_report([h5], out, "sweep")
        check("4 failed run(s) listed" in p.stdout, f"sweep: stdout {p.stdout!r}")
        check("## Failed runs" in md and md.count("boom: this policy is meant to fail") >= 4,
              "sweep: summary.md does not list the 4 failed points with their error")
        check("## Sweep" in md and "| boom_policy.lua | 0 | 4 |" in md,
              "sweep: summary.md has no sweep table with the failed group")
        check("pool the completed jobs of all runs of a policy" in md,
              "sweep: no note about aggregating > 10 runs by policy")
        check(not any(f.startswith("utilization_heatmap") and "boom" in f for f in os.listdir(out)),
              "sweep: a heat map was drawn for the failed policy")

    f = suanwang.read(h5)
    check(len(f) == 16 and len(f.completed) == 12 and len(f.failed) == 4,
          f"sweep: {len(f)} runs, {len(f.completed)} completed, {len(f.failed)} failed")
    for r in f.failed:
        check(r.status.startswith("failed: ") and "boom" in r.status, f"sweep: {r.id} status {r.status!r}")
        check(r.policy == "boom_policy" and r.sweep_point.get("policy") == "boom_policy.lua",
              f"sweep: failed {r.id} records policy {r.policy!r}, not its own")
        check("boom" in r.attrs.get("policy_text", ""), f"sweep: {r.id} has no policy_text")
        check(r.params.get("sample_interval") == "1800", f"sweep: {r.id} params {r.params}")
        check(r.jobs.empty and r.summary == {} and r.network.empty, f"sweep: {r.id} has tables")
    s = f.sweep
    check(list(s.policy) == ["least_loaded", "nearest", "round_robin", "boom_policy.lua"] and
          list(s.failed) == [0, 0, 0, 4] and list(s.completed) == [4, 4, 4, 0],
          f"sweep: table\n{s}")
    done = f.summaries[f.summaries.status == "completed"]
    check(np.isclose(s.mean_wait_s_mean[0],
                     done[done.policy == "least_loaded"].mean_wait_s.mean(), rtol=1e-12),
          "sweep: sweep mean = mean of the runs")
    check(f.summaries.loc[f.failed[0].id, "mean_wait_s"] != f.summaries.loc[f.failed[0].id, "mean_wait_s"],
          "sweep: a failed run's summary numbers are NaN in summaries")
    print("ok: sweep: suanwang.read: 16 runs, failed points with their own policy")

    # The README's notebook example runs as written, on a run and this sweep.
    single = os.path.join(tmp, "week.h5")
    if simulate(["run", os.path.join(HERE, "small.lua")], single):
        readme = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
        block = readme[readme.index("### Reading it in Python"):]
        block = block[block.index("```python") + len("```python"):]
        block = block[:block.index("```")]
        block = (block.replace('"outputs/national_week.h5"', repr(single))
                 .replace('"edwc_vs_nearest.h5"', repr(h5))
                 .replace('sys.path.insert(0, "scripts")',
                          f"sys.path.insert(0, {os.path.join(SRC, 'scripts')!r})"))
        p = run([PY, "-c", block], cwd=tmp)
        if check(p.returncode == 0, f"sweep: the README's notebook example exits "
                 f"{p.returncode}:\n{p.stdout}{p.stderr}"):
            print("ok: sweep: the README's notebook example runs")


def case_edge(tmp):
    scen = os.path.join(HERE, "data", "nothing_completes.lua")
    nothing, done = os.path.join(tmp, "nothing.h5"), os.path.join(tmp, "done.h5")
    if not (simulate(["run", scen], nothing) and
            simulate(["run", scen, "--set", "duration=3h"], done)):
        return
    r = suanwang.read(nothing).run()
    check(r.ok and r.summary["jobs_completed"] == 0 and r.summary["jobs_unfinished"] > 0,
          f"edge: nothing_completes summary {r.summary}")
    out = os.path.join(tmp, "edge_report")
    if report([nothing, done, "-o", out], "edge").returncode == 0:
        md = check_report([nothing, done], out, "edge")
        check("No job completed in" in md, "edge: summary.md does not call out the run without "
              "completed jobs")
    junk = os.path.join(tmp, "junk.h5")
    with open(junk, "w") as fh:
        fh.write("not hdf5\n")
    norun = os.path.join(tmp, "norun.h5")
    with h5py.File(norun, "w") as f:
        f.create_group("other")
    for case, arg in (("missing", os.path.join(tmp, "nope.h5")), ("junk", junk),
                      ("no-runs", norun)):
        p = report([arg, "-o", os.path.join(tmp, "x")], case, expect_rc=2)
        if p.returncode == 2 and check(len(p.stderr.strip().splitlines()) == 1,
                                       f"{case}: expected one line on stderr, got {p.stderr!r}"):
            print(f"ok: {case}: exit 2: {p.stderr.strip()}")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("run", "sweep", "edge"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    CASE, BIN, SRC = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    REPORT = os.path.join(SRC, "scripts", "report.py")
    sys.path.insert(0, os.path.join(SRC, "scripts"))
    import suanwang  # noqa: E402
    with tempfile.TemporaryDirectory(prefix=f"report-{CASE}-") as tmp:
        {"run": case_run, "sweep": case_sweep, "edge": case_edge}[CASE](tmp)
    sys.exit(1 if errors else 0)
