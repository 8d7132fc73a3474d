"""What the README findings tests share: reading a findings block, running a
shortened example, checking and reporting.

A findings block is an HTML comment in README.md, `<!-- findings NAME: {JSON} -->`,
next to the text it guards: what the shipped example gives (`full`) and what
a shortened run must give (`check`). Each tests/e2e/*_findings.py reads its
block, runs the example with the block's overrides, checks the numbers
through scripts/report.py's own measures, and checks that the README's
sentences say what the block says.
"""
import json
import os
import re
import subprocess
import sys


class Checks:
    def __init__(self):
        self.failed = []

    def __call__(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            self.failed.append(what)
        return ok

    def near(self, got, want, tol, what):
        return self(abs(got - want) <= tol, f"{what}: {got:.3f} vs README {want} ± {tol}")

    def says(self, text, sentences, where="the README"):
        """Each sentence must appear in `text` (flattened: see flat()) verbatim."""
        for sentence in sentences:
            self(sentence in text, f"{where} says: {sentence}")

    def done(self, name):
        """Exit status: 0 and "ok: NAME findings" when every check held."""
        if self.failed:
            print(f"{len(self.failed)} finding(s) do not hold")
            return 1
        print(f"ok: {name} findings")
        return 0


def readme(src):
    return open(os.path.join(src, "README.md"), encoding="utf-8").read()


def block(readme_text, name):
    m = re.search(r"<!--\s*findings\s+" + re.escape(name) + r":\s*(\{.*?\})\s*-->", readme_text, re.S)
    if not m:
        sys.exit(f"README.md has no <!-- findings {name}: {{...}} --> block")
    return json.loads(m.group(1))


def flat(text):
    """The README's text with every run of blanks one space (its lines wrap anywhere)."""
    return " ".join(text.split())


def bullet(readme_text, name):
    """The "What they show" bullet of example `name` ("- **name** ..." up to the next bullet
    or blank line), blanks flattened."""
    m = re.search(r"^- \*\*" + re.escape(name) + r"\*\*(.*?)(?=^- |^\s*$)", readme_text, re.S | re.M)
    if not m:
        sys.exit(f"README.md has no bullet - **{name}**")
    return flat(m.group(0))


def sweep(binary, src, scenario, sets, out):
    """Runs `suanwang sweep` on the example with --set overrides; exits on failure."""
    cmd = [binary, "sweep", os.path.join(src, scenario), "-j", "2", "-o", out, "--force"]
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"sweep failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return out


def report(src, files, outdir):
    """Runs scripts/report.py; returns (exit status, stderr)."""
    p = subprocess.run([sys.executable, os.path.join(src, "scripts", "report.py"), *files, "-o", outdir],
                       capture_output=True, text=True)
    return p.returncode, p.stderr
