#!/usr/bin/python3
"""`suanwang check` and `suanwang run` agree on failure link names.

A city named "Xi-an" once made "Xi-an-Beijing/ct" a name that `check` accepted
(by string comparison) and `run` rejected (by splitting at the first '-').
Now ids hold no '-', and one function reads a link name for both commands.
The topologies are written by scripts/make_topology.py's GraphML writer.

usage: check_run_agree.py SUANWANG_BINARY SOURCE_DIR
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

SCENARIO = """return {
  name = "agree", duration = "2h", policy = "least_loaded", topology = "t.graphml",
  workload = { { rate = "20/h", gpus = 1, duration = "20min", dataset = "1GB", origin = "Beijing" } },
  failures = { links = { { link = "LINK", at = "30min", ["for"] = "30min" } } },
}
"""

# city id, link name, expected exit code of both commands, text their message must hold
CASES = [
    ("Xi_an", "Xi_an-Beijing/ct", 0, ""),
    ("Xi_an", "Beijing-Xi_an/cm", 0, ""),
    ("Xi_an", "carrier:cm", 0, ""),
    ("Xi'an", "Xi'an-Beijing/ct", 0, ""),
    ("Xi_an", "Xi-an-Beijing/ct", 2, "no such link 'Xi-an-Beijing/ct'"),
    ("Xi_an", "Xi_an-Beijing/cu", 2, "the links joining them are"),
    ("Xi-an", "Xi-an-Beijing/ct", 2, "'Xi-an' is not an id"),
]


def load_make_topology(source_dir):
    spec = importlib.util.spec_from_file_location("make_topology",
                                                  os.path.join(source_dir, "scripts", "make_topology.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def topology(make_topology, city):
    """Beijing and `city`, joined by a ct and a cm link (the writer checks no ids)."""
    cities = [{"name": name, "name_zh": "", "province": "", "lat": lat, "lon": lon, "grid": "north",
               "demand": 1.0, "price_cny_per_kwh": 0.5, "pue": 1.2, "pools": "a100:64", "hub": "",
               "interconnect": True}
              for name, lat, lon in [("Beijing", 39.9, 116.4), (city, 34.3, 108.9)]]
    links = [{"a": "Beijing", "b": city, "carrier": c, "bandwidth_gbps": 400.0, "length_km": 1000.0}
             for c in ("ct", "cm")]
    return make_topology.graphml(cities, links)


def run_both(binary, make_topology, city, link):
    """[(exit code, stderr)] of `check` and of `run` on one city id and link name."""
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "t.graphml"), "w") as f:
            f.write(topology(make_topology, city))
        with open(os.path.join(folder, "s.lua"), "w") as f:
            f.write(SCENARIO.replace("LINK", link))
        results = []
        for args in (["check"], ["run", "-o", "out.h5", "--force", "--quiet"]):
            p = subprocess.run([binary, args[0], "s.lua"] + args[1:], cwd=folder, capture_output=True, text=True)
            results.append((p.returncode, p.stderr.strip()))
        return results


def disagreement(results, rc, text):
    """What is wrong with the two commands' results, or None."""
    (check_rc, check_err), (run_rc, run_err) = results
    if check_rc != rc or run_rc != rc:
        return f"exit codes check {check_rc}, run {run_rc} (expected {rc} for both): {check_err} | {run_err}"
    if rc and (text not in check_err or check_err != run_err):
        return f"messages differ or lack {text!r}:\n  check: {check_err}\n  run:   {run_err}"
    return None


def main():
    binary, source_dir = sys.argv[1], sys.argv[2]
    make_topology = load_make_topology(source_dir)
    bad = 0
    for city, link, rc, text in CASES:
        problem = disagreement(run_both(binary, make_topology, city, link), rc, text)
        if problem:
            bad += 1
            print(f"city {city!r}, link {link!r}: {problem}", file=sys.stderr)
    print(f"{len(CASES)} cases, {bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
