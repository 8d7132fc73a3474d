#!/usr/bin/python3
"""Compare two suanwang sweep results for identical content.

usage: compare_runs.py A.h5 B.h5 [--ignore ATTR]... [--runs-only]

Walks both files and requires the same groups, datasets and attributes, with
datasets equal value for value (exactly: floats compared bit for bit, NaN
equal to NaN) - in particular every run's jobs table, its summary attributes
and /sweep_summary. Attributes that legitimately differ between two runs of
the same sweep are ignored: wall_time_s (wall clock) and created (file
creation time), plus any given with --ignore (e.g. `shard`, which is "1/1"
for a sweep and "merged" for `suanwang merge`). Exit 0 when equal, 1 with a
list of differences otherwise.
"""
import sys

import h5py
import numpy as np

DEFAULT_IGNORED = {"wall_time_s", "created"}


def same_array(a, b):
    if a.dtype.names != b.dtype.names or a.shape != b.shape:
        return False
    if a.dtype.names:
        return all(same_array(a[n], b[n]) for n in a.dtype.names)
    if a.dtype.kind == "f":
        # Bit for bit, NaN == NaN.
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()
    if a.dtype.kind == "O":
        return all(x == y for x, y in zip(a.ravel().tolist(), b.ravel().tolist()))
    return np.array_equal(a, b)


def same_value(x, y):
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        x, y = np.asarray(x), np.asarray(y)
        return x.shape == y.shape and x.tolist() == y.tolist()
    if isinstance(x, float) and isinstance(y, float) and np.isnan(x) and np.isnan(y):
        return True
    return x == y


def compare(a_path, b_path, ignored, runs_only):
    diffs = []
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        names_a, names_b = [], []
        a.visit(names_a.append)
        b.visit(names_b.append)
        if runs_only:
            names_a = [n for n in names_a if n.startswith("runs")]
            names_b = [n for n in names_b if n.startswith("runs")]
        for n in sorted(set(names_a) ^ set(names_b)):
            diffs.append(f"only in {'A' if n in names_a else 'B'}: /{n}")
        common = sorted(set(names_a) & set(names_b))
        for n in ([] if runs_only else ["/"]) + common:
            oa, ob = a[n], b[n]
            if type(oa) is not type(ob):
                diffs.append(f"/{n}: group in one file, dataset in the other")
                continue
            ka = set(oa.attrs.keys()) - ignored
            kb = set(ob.attrs.keys()) - ignored
            for k in sorted(ka ^ kb):
                diffs.append(f"/{n}: attribute {k} only in {'A' if k in ka else 'B'}")
            for k in sorted(ka & kb):
                if not same_value(oa.attrs[k], ob.attrs[k]):
                    diffs.append(f"/{n}: attribute {k}: {oa.attrs[k]!r} != {ob.attrs[k]!r}")
            if isinstance(oa, h5py.Dataset) and not same_array(oa[()], ob[()]):
                diffs.append(f"/{n}: dataset values differ")
    return diffs


def main(argv):
    ignored = set(DEFAULT_IGNORED)
    files = []
    runs_only = False
    i = 1
    while i < len(argv):
        if argv[i] == "--ignore":
            ignored.add(argv[i + 1])
            i += 2
        elif argv[i] == "--runs-only":
            runs_only = True
            i += 1
        else:
            files.append(argv[i])
            i += 1
    if len(files) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    diffs = compare(files[0], files[1], ignored, runs_only)
    if diffs:
        print(f"{files[0]} and {files[1]} differ:", file=sys.stderr)
        for d in diffs[:50]:
            print("  " + d, file=sys.stderr)
        if len(diffs) > 50:
            print(f"  ... and {len(diffs) - 50} more", file=sys.stderr)
        return 1
    with h5py.File(files[0], "r") as f:
        runs = len(f["runs"]) if "runs" in f else 0
    print(f"{files[0]} == {files[1]} ({runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
