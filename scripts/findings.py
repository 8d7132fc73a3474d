#!/usr/bin/python3
"""The README's findings, checked against what the program says.

Each finding of README.md "What they show" is a bullet followed by a
machine-readable block naming the run that produces it and the figures it
quotes:

    - **edwc_vs_nearest**: ... cuts the bill by 21% ...
      <!-- findings: {"example": "edwc_vs_nearest", "command": "sweep",
           "points": {"edwc": {"policy": "east_data_west_compute"}, "near": {"policy": "nearest"}},
           "expect": [{"text": "by 21%", "point": "edwc", "vs": "near", "metric": "cost_CNY", "fall": true, "abs": 1}]} -->

`command` is "run" (`suanwang run` of the example; its one point is "run") or
"sweep" (`suanwang sweep -j 2`; a point is the sweep's runs whose axes take the
given values, averaged over replications). An expectation quotes the bullet:
`text` must appear in it verbatim (any run of blanks and line breaks matching
any other), and the (first) number in `text` is the
figure the README states (so quote from the figure on: "96 s", not "p99 96 s";
a text with "no" and no number states 0). It is compared with one metric (HEADLINE below) of
a point, converted to `unit` (UNITS; default none), within `rel` (a fraction
of the stated figure) or `abs`; with `vs`, the figure is the change of the
point against point `vs`, in percent, and `abs` is in percentage points
(`"fall": true`: the text states a fall, "cuts the bill by 21%" = -21%).
So the prose, the block and the program cannot disagree.

usage:
  scripts/findings.py check README.md BINARY [--only EXAMPLE ...] [--keep DIR]
      runs the blocks' examples and fails (exit 1) on a figure off its
      tolerance, a text not in its bullet, or an --only example without a block;
  scripts/findings.py show README.md BINARY [--only EXAMPLE ...] [--keep DIR]
      runs them and prints every point's figures (to write the README);
  --from DIR: read the run files DIR/EXAMPLE.h5 (of --keep) instead of running.
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import suanwang  # noqa: E402

BLOCK = re.compile(r"<!-- findings: (\{.*?\}) -->", re.S)
NUMBER = re.compile(r"[-+\u2212]?\d[\d,]*(?:\.\d+)?")
KWH = 3.6e6
# Conversions from a metric's own unit (s, kg, J, CNY, a share, a count).
UNITS = {"min": 1 / 60, "h": 1 / 3600, "t": 1e-3, "GWh": 1 / 3.6e12, "PB": 1e-15, "TB": 1e-12,
         "M CNY": 1e-6, "%": 100.0, "k": 1e-3, "M": 1e-6, "EFLOPS": 1e-18}
# The western East-Data-West-Compute hubs: the default params.west_hubs of
# policies/east_data_west_compute.lua (hub names of the topology).
WEST = ("Inner Mongolia", "Guizhou", "Gansu", "Ningxia")
DEFERRED_S = 600   # a training or fine-tuning job that waited longer was deferred


def headline(run):
    """The figures of one run the findings may quote: its summary and these."""
    s = {k: float(v) for k, v in dict(run.summary).items() if isinstance(v, (int, float))}
    jobs, totals, cities, pools = run.jobs, run.center_totals, run.network.cities, run.network.pools
    done = jobs[jobs["status"] == "completed"]
    # Capacity (the network as simulated).
    chips = pools.groupby("center")["count"].sum()
    s["chips"] = float(chips.sum())
    s["fp16_flops"] = float((pools["count"] * pools["fp16_flops"]).sum())
    hub = dict(zip(cities["name"], cities["hub"]))
    s["west_chip_share"] = float(chips[[hub.get(c, "") in WEST for c in chips.index]].sum() / chips.sum())
    s["top5_chip_share"] = float(chips.nlargest(5).sum() / chips.sum())
    s["Zhangjiakou_chip_share"] = float(chips.get("Zhangjiakou", 0) / chips.sum())
    # The work: the jobs' own (busy) facility energy and its carbon as charged.
    s["job_energy_J"] = float(jobs["energy_J"].sum())
    s["job_carbon_kg"] = float(jobs["carbon_kg"].sum())
    mwh = s["job_energy_J"] / KWH / 1e3
    s["busy_energy_share"] = s["job_energy_J"] / s["energy_J"] if s["energy_J"] else 0.0
    s["work_kg_per_MWh"] = s["job_carbon_kg"] / mwh if mwh else 0.0
    # Location-based: energy x the grid's factor (network/cities), green power ignored.
    factor = dict(zip(cities["name"], cities["carbon_kg_per_kWh"]))
    s["job_location_kg"] = float((jobs["energy_J"] / KWH * jobs["center"].map(factor).fillna(0)).sum())
    s["work_location_kg_per_MWh"] = s["job_location_kg"] / mwh if mwh else 0.0
    merged = totals.merge(cities, left_on="center", right_on="name", how="left")
    s["carbon_location_kg"] = float((merged["energy_J"] / KWH * merged["carbon_kg_per_kWh"]).sum())
    # Where the work ran (busy chip-seconds).
    busy = merged["busy_chip_seconds"].sum()
    s["west_work_share"] = float(merged[merged["hub"].isin(WEST)]["busy_chip_seconds"].sum() / busy) if busy else 0.0
    for city, b in zip(merged["center"], merged["busy_chip_seconds"]):
        s[f"{city}_work_share"] = float(b / busy) if busy else 0.0
    # Transfers and deferral.
    delayed = done[done["transfer_delay_s"] > 0]
    s["jobs_transfer_delayed"] = float((jobs["transfer_delay_s"] > 0).sum())
    s["delayed_mean_transfer_delay_s"] = float(delayed["transfer_delay_s"].mean()) if len(delayed) else 0.0
    deferrable = jobs[jobs["kind"] != "inference"]
    s["deferred_share"] = float((deferrable["wait_s"] > DEFERRED_S).mean()) if len(deferrable) else 0.0
    # The data tier (storage_separation): bytes between cities, what jobs waited for their data,
    # what caches served.
    traffic = run.traffic
    s["backbone_B"] = float(traffic[traffic["src"] != traffic["dst"]]["bytes"].sum()) if not traffic.empty else 0.0
    if "cache_hit" in jobs:
        catalog = jobs[jobs["cache_hit"] >= 0]
        s["cache_hit_share"] = float((catalog["cache_hit"] == 1).mean()) if len(catalog) else 0.0
        staged = done[(done["cache_hit"] >= 0) & (done["kind"] == "training")]
        s["training_data_wait_s"] = float(staged["data_wait_s"].mean()) if len(staged) else 0.0
        streamed = done[(done["cache_hit"] >= 0) & (done["kind"] == "finetune")]
        s["finetune_stall_s"] = float(streamed["stall_s"].mean()) if len(streamed) else 0.0
    return s


def points_of(path, block):
    """{label: figures (mean over its runs)} of the output file."""
    f = suanwang.read(path)
    runs = [r for r in f.runs.values() if r.status == "completed"]
    if block["command"] == "run":
        return {"run": headline(runs[0])}
    out = {}
    for label, axes in block["points"].items():
        members = [r for r in runs if all(r.sweep_point.get(k) == str(v) for k, v in axes.items())]
        if not members:
            raise SystemExit(f"{block['example']}: no completed run with {axes}")
        figs = [headline(r) for r in members]
        out[label] = {k: sum(fg[k] for fg in figs) / len(figs) for k in figs[0]}
    return out


def child_cpu_s():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_example(binary, root, block, folder):
    """Runs (or sweeps) the block's example; returns the output file, printing
    the CPU time it took (all its processes) and the wall time."""
    example = os.path.join(root, "scripts", "examples", block["example"] + ".lua")
    out = os.path.join(folder, block["example"] + ".h5")
    args = [binary, block["command"], example, "-o", out, "--force", "--quiet"]
    if block["command"] == "sweep":
        args += ["-j", "2"]
    cpu0, wall0 = child_cpu_s(), time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{block['example']}: {' '.join(args[1:])} exited {p.returncode}: {p.stderr.strip()}")
    print(f"{block['example']}: {block['command']} took {child_cpu_s() - cpu0:.0f} s CPU, "
          f"{time.monotonic() - wall0:.0f} s wall", flush=True)
    return out


def stated(text):
    """The figure a README text states: its first number ("-21%" -> -21.0, "7,130 t" -> 7130.0),
    or 0 for a text with the word "no" and no number ("gets no work")."""
    m = NUMBER.search(text)
    if not m:
        if re.search(r"\bno\b", text):
            return 0.0
        raise SystemExit(f"findings: no number in the quoted text {text!r}")
    return float(m.group(0).replace(",", "").replace("\u2212", "-"))


def verdict(points, e, bullet):
    """(ok, what was found) for one expectation quoted from `bullet`."""
    if " ".join(e["text"].split()) not in " ".join(bullet.split()):   # line breaks are blanks
        return False, f"{e['text']!r} is not in the finding's text"
    want = -stated(e["text"]) if e.get("fall") else stated(e["text"])
    scale = UNITS[e["unit"]] if "unit" in e else 1.0
    x = points[e["point"]][e["metric"]] * scale
    if "vs" in e:
        base = points[e["vs"]][e["metric"]] * scale
        got = 100.0 * (x / base - 1.0) if base else float("inf")
        return abs(got - want) <= e["abs"], f"{got:+.2f}% (README {e['text']!r}, +- {e['abs']:g} pp)"
    tol = e["abs"] if "abs" in e else e["rel"] * abs(want)
    return abs(x - want) <= tol, f"{x:.6g} (README {e['text']!r}, +- {tol:.3g})"


def blocks(readme_text):
    """[(block, the bullet it follows)]: the bullet is the text from the last
    line starting "- " before the block (or the previous block) to the block."""
    out, prev = [], 0
    for m in BLOCK.finditer(readme_text):
        before = readme_text[prev:m.start()]
        start = before.rfind("\n- ")
        out.append((json.loads(m.group(1)), before[start + 1:] if start >= 0 else before))
        prev = m.end()
    return out


def check_points(block, bullet, points):
    """Prints one line per expectation; returns how many are off."""
    off = 0
    for e in block["expect"]:
        ok, what = verdict(points, e, bullet)
        off += not ok
        name = e["metric"] + (f" {e['point']} vs {e['vs']}" if "vs" in e else f" {e['point']}")
        print(f"{'ok  ' if ok else 'FAIL'} {block['example']}: {name}: {what}")
    return off


def main(argv=None):
    ap = argparse.ArgumentParser(prog="findings.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("check", "show"))
    ap.add_argument("readme")
    ap.add_argument("binary")
    ap.add_argument("--only", nargs="*", help="only these examples")
    ap.add_argument("--keep", help="write the run files here (default: a temporary folder)")
    ap.add_argument("--from", dest="source", help="read the run files of --keep from here, run nothing")
    args = ap.parse_args(argv)
    root = os.path.dirname(os.path.abspath(args.readme))
    found = [(b, t) for b, t in blocks(open(args.readme, encoding="utf-8").read())
             if not args.only or b["example"] in args.only]
    missing = set(args.only or ()) - {b["example"] for b, _ in found}
    if missing or not found:
        print(f"findings: no block for {', '.join(sorted(missing)) or 'any example'} in {args.readme}",
              file=sys.stderr)
        return 1
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        os.makedirs(folder, exist_ok=True)
        ran = {}   # (example, command) -> run file: blocks of one run share it
        for b, bullet in found:
            key = (b["example"], b["command"])
            if key not in ran:
                ran[key] = (os.path.join(args.source, b["example"] + ".h5") if args.source
                            else run_example(args.binary, root, b, folder))
            path = ran[key]
            points = points_of(path, b)
            if args.mode == "show":
                for label, figs in points.items():
                    print(f"{b['example']} [{label}]")
                    for k in sorted(figs):
                        print(f"    {k:30} {figs[k]:.6g}")
                continue
            failures += check_points(b, bullet, points)
    print(f"findings: {'FAIL' if failures else 'ok'} ({failures} off)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
