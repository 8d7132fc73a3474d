#!/usr/bin/python3
"""scripts/make_topology.py: the Python side of tests/topology/grammar_texts.txt
(its parsers give every verdict the file states, as the C++ ones do), and the
national file is what the script writes from topology/data (reproducible)."""
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
        out = os.path.join(tmp, "china.graphml")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make_topology.py"), "-o", out],
                       check=True, stdout=subprocess.DEVNULL)
        with open(out, "rb") as a, open(os.path.join(ROOT, "topology", "china.graphml"), "rb") as b:
            if a.read() != b.read():
                failures.append("topology/china.graphml differs from what make_topology.py writes")
    for f in failures:
        print(f, file=sys.stderr)
    print(f"{count} grammar texts, national file: {'FAIL' if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
