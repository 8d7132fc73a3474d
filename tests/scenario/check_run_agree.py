#!/usr/bin/python3
"""`suanwang check` and `suanwang run` agree on failure link names.

A city named "Xi-an" once made "Xi-an-Beijing/ct" a name that `check` accepted
(by string comparison) and `run` rejected (by splitting at the first '-').
Now ids hold no '-', and one function reads a link name for both commands.

usage: check_run_agree.py SUANWANG_BINARY
"""
import os
import subprocess
import sys
import tempfile

TOPOLOGY = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key id="name" for="node" attr.name="name" attr.type="string"/>
<key id="lat" for="node" attr.name="lat" attr.type="double"/>
<key id="lon" for="node" attr.name="lon" attr.type="double"/>
<key id="grid" for="node" attr.name="grid" attr.type="string"/>
<key id="demand" for="node" attr.name="demand" attr.type="double"/>
<key id="price" for="node" attr.name="price_cny_per_kwh" attr.type="double"/>
<key id="pue" for="node" attr.name="pue" attr.type="double"/>
<key id="pools" for="node" attr.name="pools" attr.type="string"/>
<key id="ic" for="node" attr.name="interconnect" attr.type="boolean"/>
<key id="carrier" for="edge" attr.name="carrier" attr.type="string"/>
<key id="bw" for="edge" attr.name="bandwidth_gbps" attr.type="double"/>
<key id="ms" for="edge" attr.name="latency_ms" attr.type="double"/>
<graph edgedefault="undirected">
""" + "".join(
    f'<node id="{n}"><data key="name">{n}</data><data key="lat">{lat}</data><data key="lon">{lon}</data>'
    f'<data key="grid">north</data><data key="demand">1</data><data key="price">0.5</data>'
    f'<data key="pue">1.2</data><data key="pools">a100:64</data><data key="ic">true</data></node>\n'
    for n, lat, lon in [("Beijing", 39.9, 116.4), ("XIAN", 34.3, 108.9)]) + """\
<edge source="Beijing" target="XIAN"><data key="carrier">ct</data><data key="bw">400</data><data key="ms">10</data></edge>
<edge source="Beijing" target="XIAN"><data key="carrier">cm</data><data key="bw">400</data><data key="ms">12</data></edge>
</graph></graphml>
"""

SCENARIO = """return {
  name = "agree", duration = "2h", policy = "least_loaded", topology = "t.graphml",
  workload = { { rate = "20/h", gpus = 1, duration = "20min", dataset = "1GB", origin = "Beijing" } },
  failures = { links = { { link = "LINK", at = "30min", ["for"] = "30min" } } },
}
"""


def run(binary, folder, command):
    args = [binary, command, "s.lua"] + (["-o", "out.h5", "--force", "--quiet"] if command == "run" else [])
    p = subprocess.run(args, cwd=folder, capture_output=True, text=True)
    return p.returncode, p.stderr.strip()


def case(binary, city, link):
    """(check rc, check stderr, run rc, run stderr) for one city id and link name."""
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "t.graphml"), "w") as f:
            f.write(TOPOLOGY.replace("XIAN", city))
        with open(os.path.join(folder, "s.lua"), "w") as f:
            f.write(SCENARIO.replace("LINK", link))
        return run(binary, folder, "check") + run(binary, folder, "run")


def main():
    binary = sys.argv[1]
    failures = []
    cases = [  # city id, link name, expected exit code, text the message must hold
        ("Xi_an", "Xi_an-Beijing/ct", 0, ""),
        ("Xi_an", "Beijing-Xi_an/cm", 0, ""),
        ("Xi_an", "carrier:cm", 0, ""),
        ("Xi'an", "Xi'an-Beijing/ct", 0, ""),
        ("Xi_an", "Xi-an-Beijing/ct", 2, "no such link 'Xi-an-Beijing/ct'"),
        ("Xi_an", "Xi_an-Beijing/cu", 2, "the links joining them are"),
        ("Xi-an", "Xi-an-Beijing/ct", 2, "'Xi-an' is not an id"),
    ]
    for city, link, rc, text in cases:
        check_rc, check_err, run_rc, run_err = case(binary, city, link)
        what = f"city {city!r}, link {link!r}"
        if check_rc != rc or run_rc != rc:
            failures.append(f"{what}: exit codes check {check_rc}, run {run_rc} (expected {rc} for both): "
                            f"{check_err} | {run_err}")
        elif rc and (text not in check_err or check_err != run_err):
            failures.append(f"{what}: messages differ or lack {text!r}:\n  check: {check_err}\n  run:   {run_err}")
    for f in failures:
        print(f, file=sys.stderr)
    print(f"{len(cases)} cases, {len(failures)} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
