#!/usr/bin/python3
"""End-to-end test of scripts/report.py.

usage: test_report.py SUANWANG_BINARY SOURCE_DIR     (real run of small.lua)
       test_report.py --synthetic SOURCE_DIR         (make_synthetic.py files:
                                                      edge cases, sweep, single,
                                                      and exit-2 on bad input)

Checks that report.py exits 0, that every expected PNG exists and is a
non-empty PNG, that every figure summary.md links to exists, and that the
numbers in summary.md's run table equal the /runs/<id>/summary attributes.
Exit 0 when all holds, 1 with messages otherwise.
"""
import math
import os
import subprocess
import sys
import tempfile

import h5py

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"
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
EXPECTED = ["wait_cdf.png", "jct_cdf.png", "map.png", "center_energy_cost_carbon.png"]


def fail(msg):
    errors.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return p


def split_row(line):
    # cells separated by unescaped '|'
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


def parse_run_table(md):
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


def check_report(h5paths, outdir, case):
    md_path = os.path.join(outdir, "summary.md")
    if not os.path.isfile(md_path):
        fail(f"{case}: no summary.md in {outdir}")
        return
    md = open(md_path, encoding="utf-8").read()
    pngs = sorted(f for f in os.listdir(outdir) if f.endswith(".png"))
    for name in EXPECTED:
        if name not in pngs:
            fail(f"{case}: {name} missing")
    if not any(f.startswith("utilization_heatmap") for f in pngs):
        fail(f"{case}: no utilization heat map")
    for name in pngs:
        p = os.path.join(outdir, name)
        with open(p, "rb") as fh:
            head = fh.read(8)
        if os.path.getsize(p) < 1000 or head != PNG_MAGIC:
            fail(f"{case}: {name} is not a non-empty PNG ({os.path.getsize(p)} bytes)")
    import re
    for link in re.findall(r"\]\(([^)]+\.png)\)", md):
        if not os.path.isfile(os.path.join(outdir, link)):
            fail(f"{case}: summary.md links to missing {link}")
    if "## What this shows" not in md:
        fail(f"{case}: no 'What this shows' section")

    head, rows = parse_run_table(md)
    if not head:
        fail(f"{case}: no run table in summary.md")
        return
    for col in NUMERIC:
        if col not in head:
            fail(f"{case}: run table lacks column '{col}'")
    expected_runs = {}
    for path in h5paths:
        with h5py.File(path, "r") as f:
            for rid, g in f["runs"].items():
                expected_runs[(os.path.basename(path), rid)] = (
                    dict(g.attrs), dict(g["summary"].attrs))
    got = {(r.get("file"), r.get("run")): r for r in rows}
    if set(got) != set(expected_runs):
        fail(f"{case}: table runs {sorted(got)} != file runs {sorted(expected_runs)}")
    for key, (attrs, summ) in expected_runs.items():
        row = got.get(key)
        if row is None:
            continue
        if row["policy"] != attrs["policy_name"]:
            fail(f"{case} {key}: policy {row['policy']!r} != {attrs['policy_name']!r}")
        if row["seed"] != str(int(attrs["seed"])):
            fail(f"{case} {key}: seed {row['seed']!r} != {int(attrs['seed'])}")
        if row["status"] != attrs["status"]:
            fail(f"{case} {key}: status {row['status']!r} != {attrs['status']!r}")
        for col, (attr, factor) in NUMERIC.items():
            cell = row.get(col)
            if cell is None:
                continue
            want = summ[attr]
            if factor is None:
                if cell != str(int(want)):
                    fail(f"{case} {key} {col}: table {cell} != attr {int(want)}")
                continue
            try:
                v = float(cell)
            except ValueError:
                fail(f"{case} {key} {col}: not a number: {cell!r}")
                continue
            w = float(want) * factor
            if not math.isclose(v, w, rel_tol=1e-9, abs_tol=1e-12):
                fail(f"{case} {key} {col}: table {cell} != attr {w!r}")
    print(f"ok: {case}: {len(pngs)} PNGs, {len(rows)} table rows checked")
    return md


def report(args, case, expect_rc=0):
    p = run([PY, REPORT] + args)
    if p.returncode != expect_rc:
        fail(f"{case}: report.py exited {p.returncode} (expected {expect_rc})\n"
             f"stdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def real(binary, src):
    with tempfile.TemporaryDirectory(prefix="report-test-") as tmp:
        h5 = os.path.join(tmp, "small.h5")
        p = run([binary, "run", os.path.join(HERE, "small.lua"), "-o", h5, "--force"], cwd=tmp)
        if p.returncode != 0 or not os.path.isfile(h5):
            fail(f"suanwang run exited {p.returncode}\nstdout: {p.stdout}\nstderr: {p.stderr}")
            return
        # default output folder: <stem>_report beside the file
        if report([h5], "real").returncode == 0:
            check_report([h5], os.path.join(tmp, "small_report"), "real")


def synthetic(src):
    with tempfile.TemporaryDirectory(prefix="report-synth-") as tmp:
        paths = {}
        for case in ("edge", "sweep", "single"):
            h5 = os.path.join(tmp, f"{case}.h5")
            p = run([PY, os.path.join(HERE, "make_synthetic.py"), h5, "--case", case,
                     "--repo", src])
            if p.returncode != 0:
                fail(f"make_synthetic {case}: {p.stderr}")
                return
            paths[case] = h5
            out = os.path.join(tmp, f"out-{case}")
            if report([h5, "-o", out], case).returncode == 0:
                md = check_report([h5], out, case)
                if md and case == "edge":
                    # the failed run and the run without completed jobs are called out
                    for needle in ("Failed run(s)", "No job completed in",
                                   "Best policy by mean wait: `least_loaded`"):
                        if needle not in md:
                            fail(f"edge: summary.md does not say {needle!r}")
                if md and case == "sweep" and "grouped by policy" not in md and \
                        "average runs per policy" not in md:
                    fail("sweep: no note about aggregating >10 runs by policy")
        # several files at once
        out = os.path.join(tmp, "out-multi")
        if report([paths["single"], paths["edge"], "-o", out], "multi").returncode == 0:
            check_report([paths["single"], paths["edge"]], out, "multi")
        # bad input: exit 2 with one line on stderr
        junk = os.path.join(tmp, "junk.h5")
        with open(junk, "w") as fh:
            fh.write("not hdf5\n")
        norun = os.path.join(tmp, "norun.h5")
        with h5py.File(norun, "w") as f:
            f.create_group("other")
        for case, arg in (("missing", os.path.join(tmp, "nope.h5")), ("junk", junk),
                          ("no-runs", norun)):
            p = report([arg, "-o", os.path.join(tmp, "x")], case, expect_rc=2)
            if p.returncode == 2 and len(p.stderr.strip().splitlines()) != 1:
                fail(f"{case}: expected one line on stderr, got {p.stderr!r}")
            elif p.returncode == 2:
                print(f"ok: {case}: exit 2: {p.stderr.strip()}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    SRC = sys.argv[2]
    REPORT = os.path.join(SRC, "scripts", "report.py")
    if sys.argv[1] == "--synthetic":
        synthetic(SRC)
    else:
        real(sys.argv[1], SRC)
    sys.exit(1 if errors else 0)
