#!/usr/bin/python3
"""report.py's pooling measures on runs small enough to check by hand.

usage: test_pooling.py SUANWANG_BINARY SOURCE_DIR

One center of two servers of one A100 each (a100:2x1), milli-GPU shares
(vgpu_slices 1000), FCFS, samples every 7 minutes (no sample when a pod ends), three pods of 0.6 GPU
arriving at 0, 1 and 2 s and running an hour:
  node-bound: pods 1 and 2 take a GPU each; pod 3 does not fit in the 0.4 + 0.4
    left (no GPU has 0.6) and starts when pod 1 ends, at 3600 s: waits
    3598 s (mean wait 1199.33 s). While it waits the center is 1.2 of 2 GPUs
    busy (60%) and the 0.8 free are fragmented (the only request shape is
    0.6: 40%).
  pooled, 50% overhead: pod 3 takes 0.4 + 0.2 of the two GPUs and starts at
    once: no wait, no sample with a queue; 1.8 GPUs busy for 5400 s; the
    useful busy share is the busy share / 1.5.
Also: report.py writes pooling.png/.csv and the pooling table.
Exit 0 when all holds ("ok: pooling"), 1 otherwise.
"""
import math
import os
import subprocess
import sys
import tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "scripts"))
import report  # noqa: E402
import suanwang  # noqa: E402

PODS = ("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
        "deletion_time,scheduled_time\n"
        "p1,0,0,1,600,,LS,Running,0,9,0\n"
        "p2,0,0,1,600,,LS,Running,1,9,1\n"
        "p3,0,0,1,600,,LS,Running,2,9,2\n")
SCENARIO = """return {{
  name = "pooling_{sharing}", duration = "3h", sample_interval = "7min", vgpu_slices = 1000,
  local_queue = "fcfs", gpu_sharing = "{sharing}", pooling_slowdown = 0.5,
  centers = {{ Guiyang = {{ pools = "a100:2x1" }} }},
  workload = {{ {{ trace = "pods.csv", format = "alibaba", center = "Guiyang", origin = "Guiyang",
                  interval = "1s", duration = "1h" }} }},
}}
"""
failed = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failed.append(what)


def run(tmp, sharing):
    with open(os.path.join(tmp, "pods.csv"), "w") as f:
        f.write(PODS)
    scen = os.path.join(tmp, f"{sharing}.lua")
    with open(scen, "w") as f:
        f.write(SCENARIO.format(sharing=sharing))
    out = os.path.join(tmp, f"{sharing}.h5")
    p = subprocess.run([BIN, "run", scen, "-o", out, "--force", "--quiet"], capture_output=True, text=True)
    check(p.returncode == 0, f"run {sharing}: {p.stderr.strip()}")
    (r,) = [report.Run(out, x) for x in suanwang.read(out)]
    check(report.is_server_queue(r), f"{sharing}: jobs queue for a center of servers")
    return out, r


def main():
    with tempfile.TemporaryDirectory() as tmp:
        nb_file, nb = run(tmp, "node_bound")
        row, _ = report.pooling_metrics(nb)
        check(row["variant"] == "node-bound best_fit", f"variant {row['variant']}")
        check(row["chips"] == 2, f"2 chips (got {row['chips']})")
        check(abs(row["busy_waiting_pct"] - 60.0) < 1e-9, f"60% busy while pod 3 waits (got {row['busy_waiting_pct']})")
        check(abs(row["fragmented_waiting_pct"] - 40.0) < 1e-9,
              f"40% fragmented while it waits (got {row['fragmented_waiting_pct']})")
        check(abs(row["mean_wait_s"] - 3598 / 3) < 1e-6, f"mean wait 1199.33 s (got {row['mean_wait_s']})")
        pooled_file, pooled = run(tmp, "pooled")
        row, _ = report.pooling_metrics(pooled)
        check(row["variant"] == "pooled +50%", f"variant {row['variant']}")
        check(row["mean_wait_s"] == 0, f"no wait when pooled (got {row['mean_wait_s']})")
        check(math.isnan(row["busy_waiting_pct"]), "no sample with a queue when pooled")
        # 1.8 GPUs busy from 0-2 s to 5400-5402 s: of the samples at 420 s x 1..25
        # and at the horizon (10800 s), those up to 5040 s (12) see 90%, the 14 others 0.
        check(abs(row["useful_busy_pct"] - row["busy_pct"] / 1.5) < 1e-12, "useful = busy / 1.5")
        check(abs(row["busy_pct"] - 100 * 1.8 * 12 / 2 / 26) < 1e-9,
              f"busy 41.5% over the 26 samples (12 at 90%; got {row['busy_pct']})")
        out = os.path.join(tmp, "report")
        p = subprocess.run([sys.executable, os.path.join(SRC, "scripts", "report.py"), nb_file, pooled_file,
                            "-o", out], capture_output=True, text=True)
        check(p.returncode == 0, "report.py exits 0 " + p.stderr[-300:])
        for f in ("pooling.png", "pooling.csv"):
            check(os.path.exists(os.path.join(out, f)) and os.path.getsize(os.path.join(out, f)) > 0,
                  f"report.py writes {f}")
        md = open(os.path.join(out, "summary.md"), encoding="utf-8").read()
        check("| node-bound best_fit | 1 | " in md and "| pooled +50% | 1 | " in md,
              "summary.md has the pooling table")
    if failed:
        print(f"{len(failed)} check(s) failed")
        return 1
    print("ok: pooling")
    return 0


if __name__ == "__main__":
    sys.exit(main())
