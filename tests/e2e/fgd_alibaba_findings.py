#!/usr/bin/python3
"""The README's FGD findings, checked: a shortened scripts/examples/fgd_alibaba.lua.

usage: fgd_alibaba_findings.py SUANWANG_BINARY SOURCE_DIR

Reads the block `<!-- findings fgd_alibaba: {...} -->` of README.md (JSON), runs
the example as a sweep with the block's `check.set` overrides (a few placements
and seeds of the full sweep, whose runs are the same as the full sweep's), draws
the report with scripts/report.py, and checks, from the HDF5 file through
report.py's own measure:
  - each `check.allocation_pct[placement][arrived %]` within `check.tolerance_pp`;
  - each `check.fgd_fewer_unallocated_at_100[placement]` range holds;
  - the full sweep's headline (`full.fgd_fewer_unallocated_at_100`) is what the
    README's text says.
Prints "ok: fgd_alibaba findings" when all hold; exit 1 otherwise.
"""
import os
import sys
import tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "scripts"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import findings_lib as F  # noqa: E402
import report  # noqa: E402
import suanwang  # noqa: E402

check = F.Checks()


def main():
    text = F.readme(SRC)
    block = F.block(text, "fgd_alibaba")
    c = block["check"]
    with tempfile.TemporaryDirectory() as tmp:
        out = F.sweep(BIN, SRC, block["scenario"], c["set"], os.path.join(tmp, "short.h5"))
        runs = [report.Run(out, r) for r in suanwang.read(out)]
        check(all(r.ok for r in runs) and all(report.is_packing(r) for r in runs),
              f"{len(runs)} static-packing runs completed")
        table = report.packing_table(runs)
        seeds = sorted(table.seed.unique().tolist())
        check(seeds == c["seeds"], f"seeds {seeds} == {c['seeds']}")
        at = table.groupby(["placement", "arrived_pct"])["allocation_pct"].median()
        for placement, points in c["allocation_pct"].items():
            for x, want in points.items():
                got = at.get((placement, int(x)), float("nan"))
                check(abs(got - want) <= c["tolerance_pp"],
                      f"{placement} at {x}% arrived: {got:.2f} vs README {want} ± {c['tolerance_pp']}")
        un = {p: 100 - at.get((p, 100), float("nan")) for p in table.placement.unique()}
        for placement, (lo, hi) in c["fgd_fewer_unallocated_at_100"].items():
            red = 1 - un["fgd"] / un[placement]
            check(lo <= red <= hi, f"fgd leaves {red:.1%} fewer GPUs unallocated than {placement} "
                                   f"(README range {lo:.0%}-{hi:.0%})")
        status, err = F.report(SRC, [out], os.path.join(tmp, "report"))
        check(status == 0 and os.path.exists(os.path.join(tmp, "report", "gpu_allocation.png")),
              "report.py draws gpu_allocation.png " + err[-500:])
    flat, short = F.flat(text), F.bullet(text, "fgd_alibaba")
    check.says(flat, [f"{red:.0%} fewer GPUs unallocated than `{placement}`"
                      for placement, red in block["full"]["fgd_fewer_unallocated_at_100"].items()])
    at = block["full"]["median_allocation_pct_at_100"]
    said = (f"allocates {at['fgd']:.1f}% of the GPUs against {at['best_fit']:.1f}% for best fit, "
            f"{at['packing']:.1f}% for packing, {at['dot_product']:.1f}% for dot product and "
            f"{at['random_fit']:.1f}% for random fit")
    check.says(short, [said], "the What-they-show bullet")
    return check.done("fgd_alibaba")


if __name__ == "__main__":
    sys.exit(main())
