#!/usr/bin/python3
"""Writes a synthetic suanwang HDF5 file following the documented layout
(sim/record/hdf5_recorder.hpp, format 1.0) so scripts/report.py can be tested
without the simulator.

usage: make_synthetic.py OUT.h5 [--case edge|sweep|single] [--repo DIR]

  edge    (default) three runs of one scenario:
            run-ok      least_loaded, normal run
            run-nojobs  nearest, no job completes (all rejected / unfinished)
            run-failed  cheapest_energy, status "failed: ..." cut short
  sweep   14 runs: 2 policies x 7 seeds (exercises the >10-runs aggregation)
  single  one normal run

The summary attributes are computed from the jobs and center_totals tables with
the definitions of sim/record/summary.hpp, so tests/record/h5py_roundtrip.py
accepts the file too. City names and links come from topology/data/*.csv.
"""
import argparse
import csv
import os
import sys

import h5py
import numpy as np

UTF8_VLEN = h5py.string_dtype("utf-8")


def fixed(n):
    return h5py.string_dtype("utf-8", max(1, n))


def describe(ds, desc, units):
    ds.attrs["description"] = desc
    ds.attrs["units"] = units


def compound(group, name, fields, rows, desc):
    """fields: [(name, dtype, units)]; rows: dict name -> array."""
    dt = np.dtype([(n, t) for n, t, _ in fields])
    n = len(next(iter(rows.values()))) if rows else 0
    arr = np.zeros(n, dtype=dt)
    for f, _, _ in fields:
        if n:
            arr[f] = rows[f]
    ds = group.create_dataset(name, data=arr, maxshape=(None,), chunks=(max(1, min(n, 4096)),),
                              compression="gzip")
    describe(ds, desc, ",".join(u for _, _, u in fields))
    for f, _, u in fields:
        ds.attrs[f"units.{f}"] = u
    return ds


def read_topology(repo):
    cities, links = [], []
    with open(os.path.join(repo, "topology", "data", "cities.csv"), encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            chips = sum(int(x.split(":")[1]) for x in row["pools"].split(",") if ":" in x)
            cities.append((row["name"], chips, float(row["price_cny_per_kwh"]), row["grid"],
                           float(row["pue"])))
    with open(os.path.join(repo, "topology", "data", "links.csv"), encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            links.append(f"{row['a']}-{row['b']}/{row['carrier']}")
    return cities, links


def pct(sorted_v, q):
    if len(sorted_v) == 0:
        return 0.0
    return float(np.percentile(sorted_v, 100 * q))


def write_run(runs_group, rid, policy, seed, cities, links, mode, repo, sweep=None,
              duration_s=12 * 3600.0, interval_s=600.0, rate_scale=1.0):
    rng = np.random.default_rng(seed)
    g = runs_group.create_group(rid)
    centers = [c for c in cities if c[1] > 0]
    status = "completed"
    simulated = duration_s
    if mode == "failed":
        simulated = duration_s * 0.4
        status = "failed: synthetic policy error at t=17280 s (policy returned nil)"
    a = g.attrs
    a["scenario_name"] = "synthetic"
    a["scenario_file"] = "tests/report/synthetic.lua"
    a["scenario_text"] = "return { name = 'synthetic' }"
    a["policy_name"] = policy
    a["policy_text"] = "-- synthetic"
    a.create("seed", data=np.uint64(seed), dtype=np.uint64)
    a["duration_s"] = float(duration_s)
    a["sample_interval_s"] = float(interval_s)
    a["git_revision"] = "synthetic"
    a["suanwang_version"] = "0.1.0"
    a["wall_time_s"] = 0.5
    a["simulated_s"] = float(simulated)
    a["param.topology"] = os.path.join(repo, "topology", "china.graphml")
    a["param.duration"] = "12h"
    a["param.policy_name"] = policy
    # one scenario override of a center's pools, as the loader records it
    a["param.centers.1.city"] = "Guiyang"
    a["param.centers.1.pools"] = "ascend-910b:3000"
    for k, v in (sweep or {}).items():
        a[f"sweep.{k}"] = v

    # ---- jobs
    n = 0 if mode == "empty" else int(rng.integers(150, 260) * rate_scale)
    kinds = rng.choice(["training", "finetune", "inference"], size=n, p=[0.2, 0.3, 0.5])
    origin = rng.choice([c[0] for c in cities], size=n)
    cidx = rng.integers(0, len(centers), size=n)
    center = np.array([centers[i][0] for i in cidx]) if n else np.array([], dtype=str)
    submit = np.sort(rng.uniform(0, simulated, size=n))
    bias = {"least_loaded": 1.0, "nearest": 3.0, "cheapest_energy": 2.0, "round_robin": 1.5,
            "lowest_carbon": 2.5}.get(policy, 1.0)
    wait = rng.lognormal(np.log(60 * bias), 1.5, size=n)
    wait[rng.random(n) < 0.15] = 0.0
    run_t = rng.lognormal(np.log(1800), 1.0, size=n)
    start = submit + wait
    end = start + run_t
    status_col = np.where(end <= simulated, "completed", "unfinished").astype(object)
    if n:
        status_col[rng.random(n) < 0.03] = "failed"
    if mode == "nojobs":
        status_col = np.where(rng.random(n) < 0.6, "rejected", "unfinished").astype(object)
    start = np.where(np.isin(status_col, ["rejected"]), -1.0, start)
    end = np.where(np.isin(status_col, ["rejected", "unfinished"]), -1.0, end)
    wait = np.where(status_col == "rejected", -1.0, wait)
    center = np.where(status_col == "rejected", "", center)
    gpus = rng.choice([0.25, 1, 4, 8, 32], size=n)
    bytes_moved = rng.lognormal(np.log(5e10), 1.0, size=n)
    reason = np.array(["" if s in ("completed", "unfinished") else
                       ("no center fits" if s == "rejected" else "retries exhausted")
                       for s in status_col], dtype=object)
    w_city = max(len(c[0]) for c in cities)
    jobs_fields = [
        ("id", np.uint64, "1"), ("kind", fixed(9), ""), ("origin", fixed(w_city), ""),
        ("center", fixed(w_city), ""), ("pool", fixed(w_city + 14), ""),
        ("chip", fixed(w_city + 14), ""),
        ("submit_s", np.float64, "s"), ("start_s", np.float64, "s"), ("end_s", np.float64, "s"),
        ("wait_s", np.float64, "s"), ("gpus", np.float64, "chips"),
        ("transfer_s", np.float64, "s"), ("transfer_delay_s", np.float64, "s"),
        ("bytes_moved", np.float64, "B"), ("energy_J", np.float64, "J"),
        ("cost_CNY", np.float64, "CNY"), ("carbon_kg", np.float64, "kg"),
        ("restarts", np.int32, "1"), ("status", fixed(10), ""), ("reason", UTF8_VLEN, ""),
    ]
    enc = lambda xs: np.array([x.encode("utf-8") for x in xs], dtype=object)  # noqa: E731
    rows = {
        "id": np.arange(1, n + 1, dtype=np.uint64), "kind": [k.encode() for k in kinds],
        "origin": [o.encode() for o in origin], "center": [c.encode() for c in center],
        "pool": [(f"{c}/ascend-910b" if c else "").encode() for c in center],
        "chip": [(b"ascend-910b" if c else b"") for c in center],
        "submit_s": submit, "start_s": start, "end_s": end, "wait_s": wait, "gpus": gpus,
        "transfer_s": np.minimum(wait, 30.0), "transfer_delay_s": np.zeros(n),
        "bytes_moved": bytes_moved, "energy_J": gpus * run_t * 400.0,
        "cost_CNY": gpus * run_t * 400.0 / 3.6e6 * 0.4, "carbon_kg": gpus * run_t * 400 / 3.6e6 * 0.5,
        "restarts": np.zeros(n, dtype=np.int32), "status": [s.encode() for s in status_col],
        "reason": enc(reason),
    }
    compound(g, "jobs", jobs_fields, rows,
             "One row per job, written when it ends (or at the horizon as unfinished).")

    # ---- centers
    cg = g.create_group("centers")
    times = np.arange(interval_s, simulated + 1e-9, interval_s)
    busy_total = 0.0
    hours = times / 3600.0
    for ci, (name, chips, price, grid, pue) in enumerate(centers):
        if name == "Guiyang":
            chips = 3000
        base = rng.uniform(0.05, 0.7) * (0 if mode in ("nojobs", "empty") else 1)
        u = np.clip(base + 0.2 * np.sin(2 * np.pi * (hours / 24 + ci / 7)) +
                    rng.normal(0, 0.03, len(times)), 0, 1) if base else np.zeros(len(times))
        busy = np.round(u * chips)
        busy_total += float(np.sum(busy) * interval_s)
        power = (busy * 400 + chips * 60) * pue
        compound(cg, name, [("time_s", np.float64, "s"), ("busy_chips", np.float64, "chips"),
                            ("queue_length", np.int32, "jobs"), ("running_jobs", np.int32, "jobs"),
                            ("power_W", np.float64, "W"), ("energy_J", np.float64, "J"),
                            ("up", np.uint8, "1")],
                 {"time_s": times, "busy_chips": busy,
                  "queue_length": rng.integers(0, 5, len(times)).astype(np.int32),
                  "running_jobs": (busy // 8).astype(np.int32), "power_W": power,
                  "energy_J": np.cumsum(power * interval_s), "up": np.ones(len(times), np.uint8)},
                 f"Samples of center {name} every sample_interval_s")

    # ---- links
    lg = g.create_group("links")
    nl = len(links)
    lt = lg.create_dataset("time_s", data=times, maxshape=(None,))
    describe(lt, "Sample times of the link datasets (rows)", "s")
    lu_mean = rng.beta(0.6, 4.0, size=nl) * (0.2 if mode in ("nojobs", "empty") else 1.0)
    lu = np.clip(lu_mean[None, :] * (1 + 0.3 * np.sin(hours[:, None] / 3)), 0, 1)
    d = lg.create_dataset("utilization", data=lu, maxshape=(None, nl))
    describe(d, "Per link (columns, see names): mean utilization over the interval", "1")
    d = lg.create_dataset("bytes", data=lu * 1e12, maxshape=(None, nl))
    describe(d, "Per link (columns, see names): bytes carried during the interval", "B")
    d = lg.create_dataset("up", data=np.ones((len(times), nl), np.uint8), maxshape=(None, nl))
    describe(d, "Per link (columns, see names): 1 when up at sample time", "1")
    d = lg.create_dataset("names", data=np.array(links, dtype=object), dtype=UTF8_VLEN)
    describe(d, "Link names (\"A-B/carrier\"), the columns of utilization, bytes and up", "")

    # ---- services
    sg = g.create_group("services")
    if mode != "empty":
        compound(sg, "chat-beijing", [("time_s", np.float64, "s"),
                                      ("request_rate_per_s", np.float64, "1/s"),
                                      ("p50_latency_s", np.float64, "s"),
                                      ("p95_latency_s", np.float64, "s"),
                                      ("p99_latency_s", np.float64, "s"),
                                      ("slo_violation_fraction", np.float64, "1"),
                                      ("utilization", np.float64, "1")],
                 {"time_s": times, "request_rate_per_s": np.full(len(times), 5.0),
                  "p50_latency_s": np.full(len(times), 0.02),
                  "p95_latency_s": np.full(len(times), 0.05),
                  "p99_latency_s": np.full(len(times), 0.08),
                  "slo_violation_fraction": np.zeros(len(times)),
                  "utilization": np.full(len(times), 0.3)},
                 "Request statistics of one inference service per sample interval")

    # ---- run end attrs
    chips_all = sum((3000 if c[0] == "Guiyang" else c[1]) for c in centers)
    avail = chips_all * simulated
    a["chip_seconds_available"] = float(avail)
    a["busy_chip_seconds"] = float(busy_total)
    a["status"] = status

    # ---- center totals
    e = np.array([float(np.sum((np.round(0) + (3000 if c[0] == "Guiyang" else c[1]) * 60) * c[4])
                        * simulated) for c in centers])
    e = e * rng.uniform(1.0, 3.0, len(centers))
    price = np.array([c[2] for c in centers])
    carbon_f = np.array([{"north": 0.85, "northwest": 0.7, "south": 0.45, "southwest": 0.3}
                         .get(c[3], 0.6) for c in centers])
    done_rows = status_col == "completed"
    per_center_done = [int(np.sum(done_rows & (center == c[0]))) for c in centers]
    w_c = max(len(c[0]) for c in centers)
    compound(g, "center_totals",
             [("center", fixed(w_c), ""), ("energy_J", np.float64, "J"),
              ("it_energy_J", np.float64, "J"), ("cost_CNY", np.float64, "CNY"),
              ("carbon_kg", np.float64, "kg"), ("busy_chip_seconds", np.float64, "chip*s"),
              ("jobs_completed", np.uint64, "jobs")],
             {"center": [c[0].encode() for c in centers], "energy_J": e,
              "it_energy_J": e / np.array([c[4] for c in centers]),
              "cost_CNY": e / 3.6e6 * price * (1.0 if policy != "cheapest_energy" else 0.8),
              "carbon_kg": e / 3.6e6 * carbon_f * (1.0 if policy != "lowest_carbon" else 0.7),
              "busy_chip_seconds": np.full(len(centers), busy_total / len(centers)),
              "jobs_completed": np.array(per_center_done, dtype=np.uint64)},
             "Per center over the whole run: facility energy, IT energy, cost, carbon")

    # ---- summary (definitions of sim/record/summary.hpp)
    s = g.create_group("summary")
    s.attrs["description"] = "Headline numbers of the run; definitions in sim/record/summary.hpp"
    cnt = lambda st: np.uint64(int(np.sum(status_col == st)))  # noqa: E731
    s.attrs.create("jobs_submitted", np.uint64(n), dtype=np.uint64)
    for st in ("completed", "failed", "rejected", "unfinished"):
        s.attrs.create(f"jobs_{st}", cnt(st), dtype=np.uint64)
    dw = np.sort(wait[done_rows])
    s.attrs["mean_wait_s"] = float(np.mean(dw)) if len(dw) else 0.0
    for q, k in ((0.5, "p50_wait_s"), (0.95, "p95_wait_s"), (0.99, "p99_wait_s")):
        s.attrs[k] = pct(dw, q)
    s.attrs["mean_jct_s"] = float(np.mean(end[done_rows] - submit[done_rows])) if len(dw) else 0.0
    s.attrs["makespan_s"] = float(end[done_rows].max() - submit[done_rows].min()) if len(dw) else 0.0
    s.attrs["utilization"] = float(busy_total / avail) if avail else 0.0
    tot = g["center_totals"][:]
    s.attrs["energy_J"] = float(tot["energy_J"].sum())
    s.attrs["cost_CNY"] = float(tot["cost_CNY"].sum())
    s.attrs["carbon_kg"] = float(tot["carbon_kg"].sum())
    s.attrs["bytes_moved"] = float(bytes_moved.sum())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--case", default="edge", choices=["edge", "sweep", "single"])
    ap.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))))
    args = ap.parse_args()
    cities, links = read_topology(args.repo)
    with h5py.File(args.out, "w") as f:
        f.attrs["suanwang_version"] = "0.1.0"
        f.attrs["git_revision"] = "synthetic"
        f.attrs["format_version"] = "1.0"
        f.attrs["created"] = "2025-01-01T00:00:00Z"
        runs = f.create_group("runs")
        if args.case == "edge":
            write_run(runs, "run-ok", "least_loaded", 1, cities, links, "ok", args.repo)
            write_run(runs, "run-nojobs", "nearest", 2, cities, links, "nojobs", args.repo)
            write_run(runs, "run-failed", "cheapest_energy", 3, cities, links, "failed",
                      args.repo)
        elif args.case == "single":
            write_run(runs, "run-0001", "least_loaded", 7, cities, links, "ok", args.repo)
        else:
            k = 0
            for pol in ("least_loaded", "lowest_carbon"):
                for seed in range(1, 8):
                    k += 1
                    write_run(runs, f"p{k:04d}", pol, 100 + seed, cities, links, "ok", args.repo,
                              sweep={"policy": pol, "replication": str(seed)}, rate_scale=0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
