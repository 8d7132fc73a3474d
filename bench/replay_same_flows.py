#!/usr/bin/python3
"""Check that suanwang's flows end when plain SimGrid says they end.

suanwang carries a route's flows in one SimGrid comm (the bundled flow model)
or none at all (a route alone on its links is a timer); bench/run.sh puts its
cost on heavy network load beside bench/raw_replay, a plain SimGrid program
with one comm per flow. Both claims need the two to simulate the same thing.
This runs the bench mix with every training job split over two centers (the
spanning row, bench/scenarios/national_mix.lua opts.span) at SIZE on the
national topology with flat pools, with record_flows = true, replays its flows
table with raw_replay, and requires:
  - raw_replay's verdict: every flow ends where the run's flows table says
    (1e-6 s plus 1e-9 of its duration);
  - real contention: gradient (sync) flows, and many flows in flight at once;
  - the flows table adds up: its moved bytes per (src, dst, purpose) are the
    run's traffic table;
  - the check can fail: the same file with one flow's end moved by 1 ms is
    refused, and so is a replay on another topology (exit 2).

usage: bench/replay_same_flows.py SUANWANG RAW_REPLAY SOURCE_DIR [SIZE]   (SIZE: 2k, 10k; default 10k)
Exit 0 when all holds, 1 with the differences otherwise.
"""
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import h5py
import numpy as np

SIZES = {"2k": 2000, "10k": 10000}


def replay(raw, h5, flat):
    p = subprocess.run([raw, h5, "--topology", flat], capture_output=True, text=True)
    return p.returncode, p.stdout.strip()


def main():
    sw, raw, src = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    size = sys.argv[4] if len(sys.argv) > 4 else "10k"
    bad = []
    with tempfile.TemporaryDirectory(prefix="suanwang-replay-") as tmp:
        tmp = Path(tmp)
        flat = tmp / "china_flat.graphml"
        subprocess.run([sys.executable, src / "bench/servers_topology.py", "--flat",
                        src / "topology/china.graphml", flat], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        horizon = re.search(r'mix\.scenario\("[^"]*", \d+, "([^"]*)"\)',
                            (src / f"bench/scenarios/national_{size}.lua").read_text()).group(1)
        shutil.copy(src / "bench/scenarios/national_mix.lua", tmp)
        scen = tmp / f"national_{size}_span.lua"
        scen.write_text('local mix = require "national_mix"\n'
                        f'return mix.scenario("{size}", {SIZES[size]}, "{horizon}", {{ span = true }})\n')
        h5 = tmp / "sw.h5"
        subprocess.run([sw, "run", scen, "--set", f"topology={flat}", "--set", "record_flows=true",
                        "-o", h5, "--force", "--quiet"], check=True, stdout=subprocess.DEVNULL)
        rc, out = replay(raw, h5, flat)
        print(out)
        if rc != 0:
            bad.append(f"raw_replay refused the run's flows (exit {rc})")
        m = re.search(r"peak (\d+) comms in flight", out)
        if not m or int(m.group(1)) < 50:
            bad.append("fewer than 50 flows in flight at once: no real contention to check")

        with h5py.File(h5, "r") as f:
            (run,) = list(f["runs"])
            g = f["runs"][run]
            flows, traffic = g["flows"][:], g["traffic"][:]
        if not np.any(flows["purpose"] == b"sync"):
            bad.append("no gradient (sync) flow in the run")
        sums = defaultdict(float)
        for r in flows:
            sums[(r["src"], r["dst"], r["purpose"])] += r["moved_B"]
        cells = {(r["src"], r["dst"], r["purpose"]): r["bytes"] for r in traffic}
        for k in set(sums) | set(cells):
            a, b = sums.get(k, 0.0), cells.get(k, 0.0)
            if abs(a - b) > 1e-9 * max(a, b) + 1:
                bad.append(f"{k}: flows move {a!r} B, the traffic table says {b!r} B")
                break

        # Another network (the 2023 topology: other interconnection points,
        # so other routes) is refused, not replayed into a false verdict.
        rc, _ = replay(raw, h5, src / "topology/china-2023.graphml")
        if rc != 2:
            bad.append(f"raw_replay replayed the run on another topology (exit {rc})")

        # One flow's end moved by 1 ms: the check must notice.
        with h5py.File(h5, "r+") as f:
            (run,) = list(f["runs"])
            ds = f["runs"][run]["flows"]
            row = ds[len(ds) // 2]
            row["end_s"] += 1e-3
            ds[len(ds) // 2] = row
        rc, _ = replay(raw, h5, flat)
        if rc != 1:
            bad.append(f"raw_replay accepted a flow ending 1 ms late (exit {rc})")
    for b in bad:
        print("replay_same_flows:", b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main())
