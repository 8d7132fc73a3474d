#!/usr/bin/python3
"""The README's colocation findings, checked: scripts/examples/colocation.lua as shipped.

usage: colocation_findings.py SUANWANG_BINARY SOURCE_DIR

Reads the block `<!-- findings colocation: {...} -->` of README.md (JSON), runs
the example's whole sweep (12 short runs) with the block's `check.set`
overrides (none: the shipped sweep), and checks through report.py's
colocation measures, for each "service | variant" of `full`, the median over
seeds of each measure within `check.tolerance`; that the services' baselines
hold their chips; that report.py draws colocation.png; and that the README's
sentences say what `full` says.
Prints "ok: colocation findings" when all hold; exit 1 otherwise.
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
    block = F.block(text, "colocation")
    c, full = block["check"], block["full"]
    with tempfile.TemporaryDirectory() as tmp:
        out = F.sweep(BIN, SRC, block["scenario"], c["set"], os.path.join(tmp, "colocation.h5"))
        runs = [report.Run(out, r) for r in suanwang.read(out)]
        check(all(r.ok for r in runs), f"{len(runs)} runs completed")
        table = report.colocation_table(runs)
        med = table.groupby(["service", "variant"]).median(numeric_only=True)
        for key, values in full.items():
            name, variant = key.split(" | ")
            if (name, variant) not in med.index:
                check(False, f"no runs of {key}")
                continue
            for measure, want in values.items():
                check.near(float(med.loc[(name, variant), measure]), want, c["tolerance"][measure],
                           f"{key}: {measure}")
        base = table[~table.lends]
        check(not base.empty and (base.lent_chips == 0).all() and (base.preemptions_per_day == 0).all(),
              "a service that does not lend lends nothing and preempts nothing")
        status, err = F.report(SRC, [out], os.path.join(tmp, "report"))
        check(status == 0 and os.path.exists(os.path.join(tmp, "report", "colocation.png")),
              "report.py draws colocation.png " + err[-300:])
    said, short = F.flat(text), F.bullet(text, "colocation")
    east = full["chat-east | lends, 99% within SLO"]
    east0 = full["chat-east | no lending"]
    west = full["chat-west | lends, 98% within SLO"]
    west99 = full["chat-west | lends, 99% within SLO"]
    check.says(said, (
            f"chat-east lends {east['lent_chips']:,.0f} of its 2,048 chips on average",
            f"{east['ridden_chip_h_per_day']:,.0f} chip-hours of batch work a day",
            f"SLO attainment goes from {east0['attainment_pct']:.4f}% to {east['attainment_pct']:.3f}%",
            f"p99 latency from {east0['p99_mean_ms']:.0f} to {east['p99_mean_ms']:.0f} ms",
            f"{east['preemptions_per_day']:.1f} preemptions and {east['lost_chip_h_per_day']:.1f} chip-hours",
            f"{west99['attainment_pct']:.2f}% of its requests within the SLO",
            f"it lends {west['lent_chips']:,.0f} chips on average",
            f"{west['ridden_chip_h_per_day']:,.0f} chip-hours a day",
            f"{west['preemptions_per_day']:.1f} preemptions and {west['lost_chip_h_per_day']:.0f} chip-hours lost"))
    check.says(short, (
            f"chat-east lends {east['lent_chips']:,.0f} of its 2,048 chips on average",
            f"{east['ridden_chip_h_per_day']:,.0f} chip-hours of batch work a day",
            f"SLO attainment goes from {east0['attainment_pct']:.4f}% to {east['attainment_pct']:.3f}%",
            f"{west99['attainment_pct']:.2f}% of its requests within the SLO"), "the What-they-show bullet")
    return check.done("colocation")


if __name__ == "__main__":
    sys.exit(main())
