#!/usr/bin/python3
"""Check that bench/raw_simgrid does the work suanwang does, job by job.

bench/run.sh compares their speed on the bench mix; the comparison is fair only
if both simulate the same thing. This runs `raw_simgrid --jobs N --output` and
`suanwang run bench/scenarios/national_<size>.lua` on the national topology
with flat pools (what raw_simgrid models), reads both job tables back with
h5py and requires, for every completed job in submission order: the same
center, pool and chip, the same bytes moved, and the same start, end and
energy to within 1e-9 relative (the two programs add the same terms in
different orders). Job ids are not compared: suanwang numbers from 1 its
inference service, which raw_simgrid deploys without a job.

usage: bench/raw_same_jobs.py SUANWANG RAW_SIMGRID SOURCE_DIR [SIZE]   (SIZE: 2k, 10k, 100k; default 10k)
Exit 0 when the tables agree, 1 with the first differences otherwise.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np

SIZES = {"2k": 2000, "10k": 10000, "100k": 100000}


def completed(path):
    with h5py.File(path, "r") as f:
        (run,) = list(f["runs"])
        t = f["runs"][run]["jobs"][:]
    t = t[t["status"] == b"completed"]
    return np.sort(t, order=["submit_s", "id"])


def main():
    sw, raw, src = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    size = sys.argv[4] if len(sys.argv) > 4 else "10k"
    with tempfile.TemporaryDirectory(prefix="suanwang-raw-same-") as tmp:
        flat = Path(tmp) / "china_flat.graphml"
        subprocess.run([sys.executable, src / "bench/servers_topology.py", "--flat",
                        src / "topology/china.graphml", flat], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([raw, "--jobs", str(SIZES[size]), "--output", Path(tmp) / "raw.h5"],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sw, "run", src / f"bench/scenarios/national_{size}.lua", "--set", f"topology={flat}",
                        "-o", Path(tmp) / "sw.h5", "--force"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        a, b = completed(Path(tmp) / "raw.h5"), completed(Path(tmp) / "sw.h5")
    bad = []
    if len(a) != len(b) or len(a) == 0:
        bad.append(f"completed jobs: raw_simgrid {len(a)}, suanwang {len(b)}")
    else:
        if not np.array_equal(a["submit_s"], b["submit_s"]):
            bad.append("the jobs were not submitted at the same instants")
        for k in ("center", "pool", "chip", "kind", "bytes_moved", "gpus"):
            n = int(np.sum(a[k] != b[k]))
            if n:
                i = int(np.argmax(a[k] != b[k]))
                bad.append(f"{k}: {n} jobs differ (first, in submission order #{i}: {a[k][i]!r} vs {b[k][i]!r})")
        for k in ("start_s", "end_s", "energy_J", "cost_CNY"):
            rel = np.abs(a[k] - b[k]) / np.maximum(np.abs(b[k]), 1e-300)
            if rel.max() > 1e-9:
                i = int(np.argmax(rel))
                bad.append(f"{k}: {int(np.sum(rel > 1e-9))} jobs differ by more than 1e-9 "
                           f"(largest #{i}: {a[k][i]!r} vs {b[k][i]!r})")
    if bad:
        print("raw_simgrid and suanwang disagree on national_" + size + ":\n  " + "\n  ".join(bad))
        return 1
    print(f"raw_simgrid and suanwang agree on national_{size}: {len(a)} completed jobs, same centers, "
          "pools, chips and bytes, start, end and energy within 1e-9")
    return 0


if __name__ == "__main__":
    sys.exit(main())
