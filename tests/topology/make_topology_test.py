#!/usr/bin/python3
"""scripts/make_topology.py: the Python side of tests/topology/grammar_texts.txt
(its parsers give every verdict the file states, as the C++ ones do); both
national files (2025 and 2023) are what the script writes from topology/data
with --require-sources (reproducible, every value sourced or an estimate); and
every value of the catalogs next to them names a key of SOURCES.md or is an
estimate."""
import importlib.util
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec = importlib.util.spec_from_file_location("make_topology", os.path.join(ROOT, "scripts", "make_topology.py"))
make_topology = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_topology)

LINE = re.compile(r'^(\w+) (ok|bad) "([^"]*)"(?: "([^"]*)")?$')


def verdicts():
    """(line number, grammar, verdict, text, canonical) per case of the shared file."""
    path = os.path.join(ROOT, "tests", "topology", "grammar_texts.txt")
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            m = LINE.match(line)
            assert m, f"grammar_texts.txt:{n}: unreadable line {line!r}"
            yield n, m.group(1), m.group(2), m.group(3).replace("\\t", "\t"), m.group(4)


def verdict_of(grammar, text, chips):
    """("ok", canonical) or ("bad", None) from the script's own parsers."""
    if grammar == "pools":
        try:
            return "ok", make_topology.pools_text(text, chips)
        except ValueError:
            return "bad", None
    assert grammar == "id", grammar
    return ("bad" if make_topology.id_problem(text) else "ok"), None


# Catalog -> {value column: its source column}; every row must give each a source.
CATALOG_SOURCES = {
    "accelerators.csv": {"fp16_tflops": "fp16_source", "memory_gb": "memory_source", "busy_w": "busy_source",
                         "idle_w": "idle_source"},
    "carbon_factors.csv": {"kg_co2_per_kwh": "source"},
    "carbon_hourly.csv": {"multiplier": "source"},
    "carbon_hourly_areas.csv": {"profile": "source"},
}


def catalog_source_failures():
    """Every value of the catalogs in topology/ names SOURCES.md keys or is 'estimate: reason'."""
    keys = make_topology.source_keys(make_topology.DEF_SOURCES)
    sources = make_topology.Sources(keys, True)
    failures = []
    for name, columns in CATALOG_SOURCES.items():
        path = os.path.join(ROOT, "topology", name)
        try:
            header, rows = make_topology.read_csv(path, list(columns) + list(columns.values()))
            for line, row in rows:
                for value, col in columns.items():
                    sources.check(f"{path} line {line}", col, row[col])
        except make_topology.InputError as e:
            failures.append(str(e))
    return failures


def main():
    chips = make_topology.known_chips(make_topology.DEF_ACCEL)
    failures, count = [], 0
    for n, grammar, verdict, text, canonical in verdicts():
        count += 1
        got, got_canonical = verdict_of(grammar, text, chips)
        if got != verdict or (canonical is not None and got_canonical != canonical):
            failures.append(f"grammar_texts.txt:{n}: {grammar} {text!r}: expected {verdict} {canonical!r}, "
                            f"got {got} {got_canonical!r}")
    with tempfile.TemporaryDirectory() as tmp:
        for vintage, (_, _, shipped) in sorted(make_topology.VINTAGES.items()):
            out = os.path.join(tmp, f"china-{vintage}.graphml")
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make_topology.py"), "--vintage", vintage,
                            "--require-sources", "-o", out], check=True, stdout=subprocess.DEVNULL)
            with open(out, "rb") as a, open(shipped, "rb") as b:
                if a.read() != b.read():
                    failures.append(f"{os.path.relpath(shipped, ROOT)} differs from what make_topology.py "
                                    f"--vintage {vintage} writes")
    failures += catalog_source_failures()
    for f in failures:
        print(f, file=sys.stderr)
    print(f"{count} grammar texts, national files and catalog sources: {'FAIL' if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
