#!/usr/bin/python3
"""Checks a suanwang HDF5 file the way a user reads it: with h5py and pandas.

usage: h5py_roundtrip.py FILE.h5

For every run: the jobs table's string columns decode to str, every dataset
has `units` and `description` attributes (compound tables: per field too),
the /runs/<id>/summary attributes equal what pandas computes from the jobs
table, the names in the jobs table, center series and link series are those
of the run's network tables, and suanwang.read (scripts/suanwang) gives the
same tables. Exit 0 when all holds, 1 with a message otherwise.
"""
import math
import os
import sys

import h5py
import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import suanwang  # noqa: E402

STRING_FIELDS = ["kind", "origin", "center", "pool", "chip", "status", "reason"]
SUMMARY_FIELDS = ["jobs_submitted", "jobs_completed", "jobs_failed", "jobs_rejected",
                  "jobs_unfinished", "mean_wait_s", "p50_wait_s", "p95_wait_s", "p99_wait_s",
                  "mean_jct_s", "makespan_s", "utilization", "energy_J", "cost_CNY",
                  "carbon_kg", "bytes_moved"]
errors = []


def fail(msg):
    errors.append(msg)


def close(a, b, what):
    if not math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9):
        fail(f"{what}: file has {a!r}, pandas computes {b!r}")


def jobs_frame(ds):
    df = pd.DataFrame(ds[:])
    # Every string column of the table (fixed-length 'S' or variable 'O').
    string_fields = [n for n in ds.dtype.names if ds.dtype[n].kind in ("S", "O")]
    missing = set(STRING_FIELDS) - set(string_fields)
    if missing:
        fail(f"{ds.name}: string columns {sorted(missing)} missing")
    for col in string_fields:
        # h5py returns compound string fields as bytes (fixed-length: numpy
        # 'S', variable-length: bytes objects); decode to str.
        df[col] = df[col].str.decode("utf-8")
        if len(df) and not all(isinstance(v, str) for v in df[col]):
            fail(f"{ds.name}: column {col} does not decode to str")
    return df


def check_attrs(name, obj):
    if isinstance(obj, h5py.Dataset):
        for a in ("units", "description"):
            if a not in obj.attrs:
                fail(f"{name}: missing attribute {a}")
            elif not isinstance(obj.attrs[a], str):
                fail(f"{name}: attribute {a} is {type(obj.attrs[a]).__name__}, not str")
        if obj.dtype.names:
            units = obj.attrs.get("units", "")
            if len(units.split(",")) != len(obj.dtype.names):
                fail(f"{name}: units has {len(units.split(','))} entries for "
                     f"{len(obj.dtype.names)} fields")
            for f in obj.dtype.names:
                for a in (f"units.{f}", f"description.{f}"):
                    if a not in obj.attrs:
                        fail(f"{name}: missing {a}")


def decoded(ds, field):
    return [x.decode("utf-8") for x in ds[field].tolist()]


def check_network(rid, run, jobs, link_names):
    """Every name a run's tables use is in its network tables."""
    net = run["network"]
    cities = set(decoded(net["cities"], "name"))
    pools = decoded(net["pools"], "name")
    centers = list(dict.fromkeys(decoded(net["pools"], "center")))
    for col, known in (("origin", cities), ("center", cities), ("pool", set(pools))):
        unknown = set(jobs[col]) - known - {""}
        if unknown:
            fail(f"{rid}: jobs.{col} names {sorted(unknown)[:3]} not in network")
    if sorted(run["centers"]) != sorted(centers):
        fail(f"{rid}: centers/ {sorted(run['centers'])} != network centers {sorted(centers)}")
    if list(link_names) != decoded(net["links"], "name"):
        fail(f"{rid}: links/names differ from network/links names")
    for pool, center, chip in zip(pools, decoded(net["pools"], "center"),
                                  decoded(net["pools"], "chip")):
        if pool != f"{center}/{chip}":
            fail(f"{rid}: pool name {pool} is not center/chip")
    for end in ("a", "b"):
        if not set(decoded(net["links"], end)) <= cities:
            fail(f"{rid}: network/links.{end} names an unknown city")


def check_module(path):
    """suanwang.read gives what h5py gives, strings as str."""
    f = suanwang.read(path)
    with h5py.File(path, "r") as h:
        for rid, run in f.runs.items():
            raw = jobs_frame(h["runs"][rid]["jobs"])
            if not raw.equals(run.jobs[raw.columns]):
                fail(f"{rid}: suanwang.read jobs differ from h5py's")
            if run.jobs.attrs["units"].get("cost_CNY") != "CNY":
                fail(f"{rid}: suanwang.read jobs carry no units")
            if set(run.summary) != set(SUMMARY_FIELDS):
                fail(f"{rid}: suanwang.read summary keys {sorted(run.summary)}")
            n_samples = sum(len(h["runs"][rid]["centers"][c]) for c in h["runs"][rid]["centers"])
            if len(run.centers) != n_samples:
                fail(f"{rid}: suanwang.read centers has {len(run.centers)} rows, not {n_samples}")
            util = h["runs"][rid]["links/utilization"][()]
            if len(run.links) != util.size or not np.array_equal(
                    run.links.utilization.to_numpy(), util.reshape(-1)):
                fail(f"{rid}: suanwang.read links differ from links/utilization")
            if len(run.network.cities) != len(h["runs"][rid]["network/cities"]):
                fail(f"{rid}: suanwang.read network cities")
            if "parts" in h["runs"][rid] and (
                    len(run.parts) != len(h["runs"][rid]["parts"])
                    or run.parts.attrs["units"].get("sync_B") != "B"):
                fail(f"{rid}: suanwang.read parts differ from the parts table")
            if "flows" in h["runs"][rid] and (
                    len(run.flows) != len(h["runs"][rid]["flows"])
                    or run.flows.attrs["units"].get("moved_B") != "B"):
                fail(f"{rid}: suanwang.read flows differ from the flows table")


def main(path):
    with h5py.File(path, "r") as f:
        for a in ("suanwang_version", "format_version", "created"):
            if not isinstance(f.attrs.get(a), str):
                fail(f"/: attribute {a} missing or not str")
        if f.attrs.get("format_version") != "1.6":
            fail("/: format_version is not 1.6 (sim/record/run_format.hpp kFormatVersion)")
        f.visititems(check_attrs)
        runs = list(f["runs"])
        if not runs:
            fail("no runs")
        for rid in runs:
            run = f["runs"][rid]
            for a in ("scenario_name", "policy_name", "status", "git_revision"):
                if not isinstance(run.attrs.get(a), str):
                    fail(f"{rid}: attribute {a} missing or not str")
            if run.attrs["seed"].dtype != np.uint64:
                fail(f"{rid}: seed is not uint64")
            df = jobs_frame(run["jobs"])
            names = run["links/names"].asstr()[:]
            if run["links/utilization"].shape != (run["links/time_s"].shape[0], len(names)):
                fail(f"{rid}: links/utilization shape {run['links/utilization'].shape}")
            s = run["summary"].attrs
            for k in SUMMARY_FIELDS:
                if k not in s:
                    fail(f"{rid}/summary: missing {k}")
            if errors:
                break
            done = df[df.status == "completed"]
            counts = df.status.value_counts()
            expect = {
                "jobs_submitted": len(df),
                "jobs_completed": len(done),
                "jobs_failed": counts.get("failed", 0),
                "jobs_rejected": counts.get("rejected", 0),
                "jobs_unfinished": counts.get("unfinished", 0),
                "bytes_moved": df.bytes_moved.sum(),
            }
            if len(done):
                expect.update({
                    "mean_wait_s": done.wait_s.mean(),
                    "p50_wait_s": done.wait_s.quantile(0.50),
                    "p95_wait_s": done.wait_s.quantile(0.95),
                    "p99_wait_s": done.wait_s.quantile(0.99),
                    "mean_jct_s": (done.end_s - done.submit_s).mean(),
                    "makespan_s": done.end_s.max() - done.submit_s.min(),
                })
            else:
                expect.update({k: 0.0 for k in ("mean_wait_s", "p50_wait_s", "p95_wait_s",
                                                 "p99_wait_s", "mean_jct_s", "makespan_s")})
            totals = pd.DataFrame(run["center_totals"][:])
            expect["energy_J"] = totals.energy_J.sum() if len(totals) else 0.0
            expect["cost_CNY"] = totals.cost_CNY.sum() if len(totals) else 0.0
            expect["carbon_kg"] = totals.carbon_kg.sum() if len(totals) else 0.0
            for k, v in expect.items():
                close(s[k], v, f"{rid}/summary/{k}")
            for k in SUMMARY_FIELDS:
                if not np.isfinite(s[k]):
                    fail(f"{rid}/summary/{k} is not finite")
            check_network(rid, run, df, names)
    check_module(path)
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
