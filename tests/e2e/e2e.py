#!/usr/bin/python3
"""End-to-end tests of the suanwang binary: real Lua scenarios in, HDF5 out,
read back with h5py and pandas the way users do.

usage: e2e.py BINARY SOURCE_DIR CASE
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
import pandas as pd

BIN, SRC, CASE = sys.argv[1], sys.argv[2], sys.argv[3]
DATA = os.path.join(SRC, "tests", "e2e", "data")
TMP = tempfile.mkdtemp(prefix="suanwang_e2e_")
STRING_COLS = ("kind", "origin", "center", "pool", "chip", "status", "reason")


def run(args, timeout=300):
    p = subprocess.run([BIN] + args, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def check(cond, msg):
    if not cond:
        print("FAIL:", msg)
        sys.exit(1)


def run_small(out, *extra):
    code, so, se = run(["run", os.path.join(DATA, "small.lua"), "-o", out, "--force"] + list(extra))
    check(code == 0, f"run failed ({code}): {se}")
    return so


def jobs_of_table(rows):
    df = pd.DataFrame(rows)
    for c in STRING_COLS:
        df[c] = df[c].str.decode("utf-8")
    return df


def jobs_of(f, run_id):
    return jobs_of_table(f[f"runs/{run_id}/jobs"][:])


def case_run_and_read():
    out = os.path.join(TMP, "small.h5")
    so = run_small(out)
    check("small:" in so and "jobs" in so, "summary printed")
    with h5py.File(out, "r") as f:
        for a in ("suanwang_version", "format_version", "created"):
            check(a in f.attrs, f"root attribute {a}")
        r = f["runs/small"]
        for a in ("scenario_file", "scenario_text", "seed", "policy_name", "policy_text",
                  "wall_time_s", "status", "git_revision"):
            check(a in r.attrs, f"run attribute {a}")
        check(r.attrs["status"] == "completed", "status completed")
        check(int(r.attrs["seed"]) == 42, "seed recorded")
        check("latency_bound" in r.attrs["scenario_text"], "scenario text stored whole")
        check(any(k.startswith("param.") for k in r.attrs), "resolved parameters stored")
        jobs = jobs_of(f, "small")
        check(len(jobs) > 200, f"a few hundred jobs ({len(jobs)})")
        check(set(jobs.kind) == {"training", "finetune", "inference"}, "all kinds present")
        check(set(jobs.status) <= {"completed", "failed", "rejected", "unfinished"}, "statuses")
        check(jobs.id.is_unique, "each job once")
        done = jobs[jobs.status == "completed"]
        check((done.end_s >= done.start_s).all() and (done.start_s >= done.submit_s).all(), "time order")
        check(np.allclose(done.wait_s, done.start_s - done.submit_s), "wait = start - submit")
        check((done.energy_J > 0).all() and (done.cost_CNY > 0).all(), "energy and cost per job")
        crossing = done[done.origin != done.center]
        check(len(crossing) > 0 and (crossing.bytes_moved > 0).all(), "datasets cross the backbone")
        check((crossing.transfer_s > 0).all(), "transfers take time")
        s = dict(r["summary"].attrs)
        check(s["jobs_submitted"] == len(jobs), "jobs_submitted")
        check(s["jobs_completed"] == len(done), "jobs_completed")
        check(s["jobs_failed"] == (jobs.status == "failed").sum(), "jobs_failed")
        check(np.isclose(s["mean_wait_s"], done.wait_s.mean()), "mean wait = pandas")
        for q in (50, 95, 99):
            check(np.isclose(s[f"p{q}_wait_s"], done.wait_s.quantile(q / 100)), f"p{q} = pandas")
        check(np.isclose(s["mean_jct_s"], (done.end_s - done.submit_s).mean()), "mean JCT")
        check(np.isclose(s["bytes_moved"], jobs.bytes_moved.sum()), "bytes moved")
        check(0 < s["utilization"] <= 1, "utilization in (0,1]")
        totals = pd.DataFrame(r["center_totals"][:])
        check(np.isclose(s["energy_J"], totals.energy_J.sum()), "energy = sum of centers")
        # Idle power is in the center totals, not the job rows.
        check(s["energy_J"] > jobs.energy_J.sum(), "centers include idle energy")
        sh = pd.DataFrame(r["centers/Shanghai"][:])
        check(len(sh) >= 12 and (sh.power_W > 0).all(), "center time series sampled hourly")
        links = r["links"]
        check(links["utilization"].shape[1] == len(links["names"]), "links matrix")
        check(float(np.asarray(links["bytes"]).sum()) > 0, "link bytes recorded")
        svc = pd.DataFrame(r["services/chat"][:])
        check(len(svc) >= 12 and (svc.p99_latency_s >= svc.p50_latency_s).all(), "service percentiles")
        missing = []

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                for a in ("units", "description"):
                    if a not in obj.attrs:
                        missing.append(f"{name}@{a}")
        f.visititems(visit)
        check(not missing, f"units and description everywhere: missing {missing[:5]}")
    h = subprocess.run(["h5dump", "-H", out], capture_output=True, text=True)
    check(h.returncode == 0 and "runs" in h.stdout, "h5dump reads the file")


def case_determinism():
    a, b, c = (os.path.join(TMP, n) for n in ("a.h5", "b.h5", "c.h5"))
    run_small(a)
    run_small(b)
    run_small(c, "--set", "seed=43")
    with h5py.File(a) as fa, h5py.File(b) as fb, h5py.File(c) as fc:
        ja, jb, jc = (f["runs/small/jobs"][:] for f in (fa, fb, fc))
        check(ja.dtype == jb.dtype and np.array_equal(ja, jb), "same seed: identical job tables")
        check(dict(fa["runs/small/summary"].attrs) == dict(fb["runs/small/summary"].attrs),
              "same seed: identical summaries")
        check(len(ja) != len(jc) or not np.array_equal(ja, jc), "another seed: another run")
    # A policy that iterates a table keyed by names: Lua seeds its string hash
    # per process, so without the sandbox's ordered pairs these runs differ.
    tables = []
    for i in range(3):
        out = os.path.join(TMP, f"pairs{i}.h5")
        run_small(out, "--set", "policy=pairs_policy.lua", "--set", "duration=2h")
        with h5py.File(out) as f:
            tables.append(f["runs/small/jobs"][:])
    check(len(tables[0]) > 20, "pairs policy: jobs placed")
    check(all(np.array_equal(tables[0], t) for t in tables[1:]), "pairs policy: identical job tables in 3 processes")
    first = jobs_of_table(tables[0])
    check(first["center"].iloc[0] == "Beijing", "pairs policy: the first center by name with room")


ERRORS = [
    # scenario, extra args, substrings the one error line must contain
    ("syntax_error.lua", [], ["syntax_error.lua:4:"]),
    ("typo_key.lua", [], ["duraton", "did you mean 'duration'"]),
    ("unknown_city.lua", [], ["Shanghi", "Shanghai"]),
    ("negative_capacity.lua", [], ["Guiyang", "-100"]),
    ("broken_topology.lua", [], ["broken.graphml", "GraphML"]),
    ("small.lua", ["--set", "policy=throwing_policy.lua"], ["throwing_policy.lua:7:", "place", "job"]),
    ("small.lua", ["--set", "policy=looping_policy.lua"], ["looping_policy.lua", "instruction budget"]),
    ("small.lua", ["--set", "policy=nonsense_policy.lua"], ["nonsense_policy.lua:2: place(job", "Atlantis"]),
    ("small.lua", ["--set", "policy=tiny_center_policy.lua", "--set", "workload.1.gpus=512"],
     ["tiny_center_policy.lua:2: place(job", "Kunming", "no pool that can run it"]),
    ("small.lua", ["--set", "policy=escape_policy.lua"], ["escape_policy.lua:2:", "os"]),
    ("small.lua", ["--set", "duration=12GB"], ["duration", "12GB"]),
    ("small.lua", ["--set", "policy=bad_order_policy.lua", "--set", "workload.1.rate=400/h"],
     ["bad_order_policy.lua", "order(", "permutation"]),
    ("small.lua", ["--set", "nosuchkey=1"], ["nosuchkey"]),
    ("small.lua", ["--set", "policy=bad_parts_policy.lua", "--set", "workload.1.gpus=8",
                   "--set", "workload.1.span={gradient='140GB', iteration='12s'}"],
     ["bad_parts_policy.lua:3: place(job", "parts[2] with key 'gpu'", "did you mean 'gpus'"]),
    ("small.lua", ["--set", "policy=bad_parts_policy.lua", "--set", "params.mode=total", "--set", "workload.1.gpus=8",
                   "--set", "workload.1.span={gradient='140GB', iteration='12s'}"],
     ["bad_parts_policy.lua:3: place(job", "parts holding 2 chips (expected the job's 8)"]),
    ("small.lua", ["--set", "workload.1.span={gradient='140GB'}"], ["workload[1].span.iteration", "missing"]),
    ("small.lua", ["--set", "workload.2.span={gradient='1GB', iteration='1s'}"],
     ["workload[2].span", "only training jobs"]),
    ("small.lua", ["--set", "bandwidth_factor=-2"], ["bandwidth_factor", "> 0"]),
    ("missing.lua", [], ["missing.lua"]),
]


def case_errors():
    for scen, extra, needles in ERRORS:
        out = os.path.join(TMP, "err.h5")
        t0 = time.time()
        code, so, se = run(["run", os.path.join(DATA, scen), "-o", out, "--force"] + extra, timeout=120)
        # Ignore the start line and progress lines ("   10%  ..."): the error is the rest.
        lines = [l for l in se.splitlines()
                 if l.strip() and not l.startswith("suanwang: running") and not re.match(r"^\s*\d+%", l)]
        check(code == 2, f"{scen} {extra}: exit 2 (got {code}): {se}")
        check(len(lines) == 1, f"{scen} {extra}: one line on stderr, got {lines}")
        for n in needles:
            check(n in lines[0], f"{scen} {extra}: '{n}' in: {lines[0]}")
        check(not os.path.exists(out), f"{scen}: no result file written")
        check(time.time() - t0 < 60, f"{scen}: no hang")
    check(not os.path.exists("/tmp/suanwang_escaped"), "sandbox held")
    topo = subprocess.run([BIN, "topo", os.path.join(DATA, "broken.graphml")], capture_output=True, text=True)
    check(topo.returncode == 2 and len(topo.stderr.strip().splitlines()) == 1, "topo: one line, exit 2")


def case_order_hook():
    """A Lua order hook (shortest walltime first) runs end to end and changes
    which queued jobs start first, against the same run without it."""
    base, sjf = os.path.join(TMP, "fcfs.h5"), os.path.join(TMP, "sjf.h5")
    load = ["--set", "local_queue=fcfs", "--set", "workload.1.gpus=1", "--set", "workload.1.rate=100/h",
            "--set", "params.center=Nanchang"]
    run_small(base, "--set", "policy=one_center_policy.lua", *load)
    run_small(sjf, "--set", "policy=sjf_policy.lua", *load)
    with h5py.File(base) as fb, h5py.File(sjf) as fs:
        jb, js = jobs_of(fb, "small"), jobs_of(fs, "small")
        check(fs["runs/small"].attrs["policy_name"] == "sjf_policy", "policy recorded")
        waited_b = jb[(jb.status == "completed") & (jb.wait_s > 60)]
        waited_s = js[(js.status == "completed") & (js.wait_s > 60)]
        check(len(waited_b) > 20 and len(waited_s) > 20, "queues formed in both runs")
        # Shortest-first lets short jobs overtake: their mean wait drops.
        short_b = jb[(jb.status == "completed") & (jb.kind != "training")].wait_s.mean()
        short_s = js[(js.status == "completed") & (js.kind != "training")].wait_s.mean()
        check(short_s < short_b, f"short jobs wait less with the order hook ({short_s:.0f} s vs {short_b:.0f} s)")


def case_readme_tour():
    """The policy the README's five-minute tour asks a researcher to write runs."""
    import re
    readme = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    m = re.search(r"```lua\n((?:   )?-- my_policy.lua.*?)```", readme, re.S)
    check(m is not None, "the tour's policy is in the README")
    code = "\n".join(l[3:] if l.startswith("   ") else l for l in m.group(1).splitlines())
    path = os.path.join(TMP, "my_policy.lua")
    open(path, "w").write(code + "\n")
    out = os.path.join(TMP, "tour.h5")
    run_small(out, "--set", f"policy={path}")
    with h5py.File(out) as f:
        check(f["runs/small/summary"].attrs["jobs_completed"] > 0, "the tour policy places jobs")


def case_kill9():
    out = os.path.join(TMP, "killed.h5")
    p = subprocess.Popen([BIN, "run", os.path.join(SRC, "scripts", "examples", "national_week.lua"),
                          "-o", out, "--force", "--quiet"], stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    check(p.poll() is None, "run still going when killed")
    p.send_signal(signal.SIGKILL)
    p.wait()
    check(not os.path.exists(out), "kill -9: nothing at the target path")
    # A good file already at the target survives a killed --force rerun untouched.
    good = os.path.join(TMP, "good.h5")
    run_small(good)
    before = open(good, "rb").read()
    p = subprocess.Popen([BIN, "run", os.path.join(SRC, "scripts", "examples", "national_week.lua"),
                          "-o", good, "--force", "--quiet"], stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    p.send_signal(signal.SIGKILL)
    p.wait()
    check(open(good, "rb").read() == before, "kill -9 during --force leaves the old file intact")
    with h5py.File(good) as f:
        check("small" in f["runs"], "old file still readable")


def case_no_overwrite():
    out = os.path.join(TMP, "exists.h5")
    run_small(out)
    before = open(out, "rb").read()
    code, so, se = run(["run", os.path.join(DATA, "small.lua"), "-o", out])
    check(code == 2 and "--force" in se, f"refuses to overwrite: {se}")
    check(open(out, "rb").read() == before, "file unchanged")


def case_examples():
    ex = os.path.join(SRC, "scripts", "examples")
    for name in sorted(os.listdir(ex)):
        if not name.endswith(".lua"):
            continue
        path = os.path.join(ex, name)
        code, so, se = run(["check", path])
        check(code == 0 and "ok" in so, f"check {name}: {se}")
        out = os.path.join(TMP, name + ".h5")
        code, so, se = run(["run", path, "-o", out, "--force", "--set", "duration=12h"])
        check(code == 0, f"run {name}: {se}")
        with h5py.File(out) as f:
            (rid,) = list(f["runs"])
            s = f[f"runs/{rid}/summary"].attrs
            a = f[f"runs/{rid}"].attrs
            never = any(k.startswith("param.workload.") and k.endswith(".duration") and
                        (v.decode() if isinstance(v, bytes) else str(v)) == "never" for k, v in a.items())
            if never:  # jobs that never end (a static packing): they hold their chips to the horizon
                check(s["jobs_unfinished"] > 0 and s["jobs_completed"] == 0, f"{name}: jobs run to the horizon")
            else:
                check(s["jobs_completed"] > 0, f"{name}: jobs complete")


def case_data_tier():
    out = os.path.join(TMP, "data_tier.h5")
    code, so, se = run(["run", os.path.join(DATA, "data_tier.lua"), "-o", out, "--force"])
    check(code == 0, f"run failed ({code}): {se}")
    with h5py.File(out, "r") as f:
        r = f["runs/data_tier"]
        jobs = jobs_of(f, "data_tier")
        for c in ("dataset", "data_from"):
            jobs[c] = jobs[c].str.decode("utf-8")
        ds = pd.DataFrame(r["datasets"][:])
        ds["name"] = ds["name"].str.decode("utf-8")
        storage = pd.DataFrame(r["storage"][:])
        traffic = pd.DataFrame(r["traffic"][:])
        for c in ("src", "dst", "purpose"):
            traffic[c] = traffic[c].str.decode("utf-8")
        totals = pd.DataFrame(r["center_totals"][:])
        check(len(ds) == 51 and ds.name.iloc[0] == "web-zh" and ds.name.iloc[1] == "ds0001", "catalog in order")
        check(ds.weight.iloc[1] > ds.weight.iloc[2] > ds.weight.iloc[50], "Zipf weights fall with rank")
        catalog = jobs[jobs.kind != "inference"]
        check((catalog.dataset != "").all() and catalog.dataset.isin(ds.name).all(), "catalog jobs name a dataset")
        inf = jobs[jobs.kind == "inference"]
        check((inf.dataset == "").all() and (inf.cache_hit == -1).all(), "origin data has no catalog fields")
        reached = catalog[catalog.center != ""]
        check(reached.cache_hit.isin([0, 1]).all(), "every catalog job at a center was served")
        hits = reached[reached.cache_hit == 1]
        check(len(hits) > 0 and (hits.data_from == "").all(), "cache hits read no storage site")
        miss = reached[reached.cache_hit == 0]
        check(len(miss) > 0 and miss.data_from.isin(["Guiyang", "Shanghai"]).all(), "misses name their site")
        # Beijing has no cache: nothing there is a hit.
        check((reached[reached.center == "Beijing"].cache_hit != 1).all(), "no cache, no hit")
        staged = reached[reached.kind == "training"]
        check((staged.stall_s == 0).all(), "staged jobs never stall")
        done = jobs[jobs.status == "completed"]
        streamed = done[done.kind == "finetune"]
        check((streamed.data_wait_s == 0).all() and (streamed.stall_s >= 0).all(), "streams start at once")
        check((streamed.stall_s > 0).any(), "some streams outlast their compute")
        check((done.data_wait_s >= 0).all(), "data waits are durations")
        # Bookkeeping agrees table to table.
        check(ds.requests.sum() == (totals.cache_hits + totals.cache_misses).sum(),
              "requests = hits + misses over the centers")
        check((ds.cache_served <= ds.requests).all(), "served <= requested")
        # Inference has no input here: every dataset, fill and stream byte was read from storage.
        from_storage = traffic[traffic.purpose.isin(["dataset", "cache_fill", "stream"])]
        read = storage.read_B.sum()
        check(read > 0, "storage was read")
        check(traffic.purpose.isin(["dataset", "result", "cache_fill", "stream"]).all(), "purposes")
        check(set(traffic.purpose) >= {"cache_fill", "stream", "result"}, "fills, streams and results recorded")
        check(abs(from_storage.bytes.sum() - read) <= 1e-6 * read + 1e6,
              f"reads = traffic from storage ({from_storage.bytes.sum()} vs {read})")
        cache = pd.DataFrame(r["centers/Shanghai"][:])
        check((cache.cache_used_B >= 0).all() and (cache.cache_used_B <= 30e12).all(), "cache within capacity")
    sys.path.insert(0, os.path.join(SRC, "scripts"))
    import suanwang
    run_ = suanwang.read(out).run()
    check(len(run_.datasets) == 51 and not run_.storage.empty and not run_.traffic.empty, "suanwang.read data tier")
    m = run_.traffic_matrix("cache_fill")
    check(abs(m.to_numpy().sum() - run_.traffic.query("purpose == 'cache_fill'").bytes.sum()) < 1, "traffic matrix")
    # Hostile or mistaken data keys: one line naming the key, exit 2, in check and run alike.
    bad = {
        "unknown home": ('datasets = { { name = "a", size = "1TB", homes = { "Atlantis" } } }', "datasets"),
        "home without a site": ('datasets = { { name = "a", size = "1TB", homes = { "Wuhan" } } }', "homes"),
        "no size": ('datasets = { { name = "a", homes = { "Guiyang" } } }', "size"),
        "duplicate name": ('datasets = { { name = "a", size = "1TB", homes = { "Guiyang" } }, '
                           '{ name = "a", size = "1TB", homes = { "Guiyang" } } }', "a"),
        "too many": ('datasets = { generate = { count = 1e12, size = "1GB" } }', "count"),
        "negative cache": ('caches = { size = "-1TB" }', "size"),
        "bad read": ('storage = { { city = "Guiyang", read = "fast" } }', "read"),
        "over capacity": ('storage = { { city = "Guiyang", read = "1 Gbps", capacity = "1 TB" } }, '
                          'datasets = { { name = "a", size = "2TB", homes = { "Guiyang" } } }', "capacity"),
        "bad mode": ('workload = { { kind = "training", rate = "1/h", data = "catalog", data_mode = "teleport" } }',
                     "data_mode"),
    }
    base = open(os.path.join(DATA, "data_tier.lua")).read()
    for what, (text, key) in bad.items():
        path = os.path.join(TMP, "bad_data.lua")
        with open(path, "w") as fh:
            # The bad keys come last: in a Lua table constructor the last of a key wins.
            body = base.rstrip()
            fh.write(body[:-1] + "  " + text + ",\n}\n")
        for cmd in (["check", path], ["run", path, "-o", os.path.join(TMP, "bad.h5"), "--force"]):
            code, so, se = run(cmd)
            lines = [ln for ln in se.strip().splitlines() if ln]
            check(code == 2 and len(lines) == 1 and key in lines[0] and "bad_data.lua" in lines[0],
                  f"{what}: {cmd[0]} exit {code}: {se}")
        check(not os.path.exists(os.path.join(TMP, "bad.h5")), f"{what}: no file written")


CASES = {n[5:]: fn for n, fn in globals().items() if n.startswith("case_")}
if CASE not in CASES:
    print(f"unknown case {CASE}; known: {sorted(CASES)}")
    sys.exit(2)
CASES[CASE]()
print("ok:", CASE)
