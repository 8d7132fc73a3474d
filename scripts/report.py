#!/usr/bin/python3
"""Figures and a Markdown summary from suanwang HDF5 result files.

usage: report.py FILE.h5 [FILE2.h5 ...] [-o DIR]

Writes into DIR (default: "<stem of the first FILE>_report" beside it):
  wait_cdf.png, jct_cdf.png      CDF of job wait time / job completion time,
                                 one line per run (per policy when >10 runs)
  utilization_heatmap*.png       busy chips / total chips per center over time
  map.png                        cities at lon/lat, links coloured by mean
                                 utilisation, centers sized by chips
  center_energy_cost_carbon.png  energy / cost / carbon per center
  split_jobs.png                 runs with training split over several centers:
                                 slowdown against one center (span_slowdown),
                                 against a numeric sweep axis when there is one
  summary.md                     run table (exact summary attributes), failed
                                 runs, the sweep table, "what this shows"
  summary.csv                    the summary attributes, full precision
  gpu_allocation.png, .csv       static-packing runs only (servers, local_queue
                                 "none", e.g. scripts/examples/fgd_alibaba.lua):
                                 GPU allocation and fragmented GPUs vs arrived
                                 GPU demand per node placement, and the curves
  pooling.png, .csv              runs whose jobs queue for centers made of
                                 servers (e.g. scripts/examples/pooling.lua):
                                 busy share over the day and while jobs wait,
                                 waits, per GPU-sharing variant
  colocation.png, .csv           runs whose inference services lend chips
                                 (e.g. scripts/examples/colocation.lua): chips
                                 kept, lent and running batch, p99 latency,
                                 per service and variant

Reads nothing but the HDF5 files, through the suanwang module (scripts/suanwang,
the Python side of the format): the map and the capacities come from each
run's network/ tables, the network as simulated. Runs that failed (a sweep
point whose policy raised, a timeout) are left out of the figures and listed
in summary.md.

Exit 0 on success, 2 (one line on stderr) when a file is missing or is not a
suanwang result file, 1 on an unexpected error. Needs h5py, numpy, pandas and
matplotlib (Debian's /usr/bin/python3 has them).
"""
import argparse
import csv
import math
import os
import re
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suanwang  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import cm, colors  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

DPI = 120
MANY_RUNS = 10          # above this, figures aggregate runs by policy
SUMMARY_INT = ["jobs_submitted", "jobs_completed", "jobs_failed", "jobs_rejected",
               "jobs_unfinished"]
SUMMARY_FLOAT = ["mean_wait_s", "p50_wait_s", "p95_wait_s", "p99_wait_s", "mean_jct_s",
                 "makespan_s", "utilization", "energy_J", "cost_CNY", "carbon_kg",
                 "bytes_moved"]
MIN_FLOOR_S = 1e-3      # log axes: zero (and tiny) values are drawn at a floor >= this


class InputError(Exception):
    """A file that is missing or not a suanwang result file (exit 2)."""


# --------------------------------------------------------------------------- reading

class Run:
    """One run of one input file, with the label the figures use."""

    def __init__(self, path, run):
        self.file = path
        self.run = run
        self.rid = run.id
        self.policy = run.policy or "?"
        self.status = run.status or "?"
        self.seed = run.seed
        self.sweep = run.sweep_point
        self.summary = {k: run.summary.get(k, 0) for k in SUMMARY_INT + SUMMARY_FLOAT}
        self.label = ""

    @property
    def ok(self):
        return self.run.ok

    def completed(self):
        jobs = self.run.jobs
        if jobs.empty or "status" not in jobs:
            return jobs.iloc[0:0]
        return jobs[jobs.status == "completed"]

    def chips(self):
        """Total chips per center, from the run's network/pools."""
        return self.run.network.chips_per_center().to_dict()

    def coords(self):
        """{city: (lat, lon)} from the run's network/cities."""
        c = self.run.network.cities
        if c.empty:
            return {}
        return {n: (la, lo) for n, la, lo in zip(c["name"], c["lat_deg"], c["lon_deg"])}


def load_runs(paths):
    """All runs of all files, completed or not."""
    runs = []
    for p in paths:
        try:
            f = suanwang.read(p)
        except suanwang.FormatError as e:
            raise InputError(str(e))
        if len(f) == 0:
            raise InputError(f"{p}: contains no runs")
        runs += [Run(p, r) for r in f]
    return runs


def sweep_tables(paths):
    """[(path, /sweep_summary DataFrame, /sweep attributes)] of the sweep files."""
    out = []
    for p in paths:
        f = suanwang.read(p)
        if f.sweep is not None:
            out.append((p, f.sweep, f.sweep_info or {}))
    return out


def assign_labels(runs):
    """policy + sweep point (axes other than policy) + seed; file stem on clashes."""
    for r in runs:
        parts = [r.policy]
        pt = [f"{k}={v}" for k, v in sorted(r.sweep.items()) if k not in ("policy", "seed")]
        parts += pt
        if r.seed is not None:
            parts.append(f"seed {r.seed}")
        r.label = " ".join(parts[:1]) + (" (" + ", ".join(parts[1:]) + ")" if parts[1:] else "")
    seen = {}
    for r in runs:
        seen.setdefault(r.label, []).append(r)
    for lab, rs in seen.items():
        if len(rs) > 1:
            for r in rs:
                r.label = f"{lab} [{os.path.splitext(os.path.basename(r.file))[0]}:{r.rid}]"


def by_policy(runs):
    out = OrderedDict()
    for r in runs:
        out.setdefault(r.policy, []).append(r)
    return out


# --------------------------------------------------------------------------- helpers

def savefig(fig, outdir, name, written):
    fig.tight_layout()
    path = os.path.join(outdir, name)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    written.append(name)
    return path


def empty_axes(ax, text):
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=11,
            color="0.35")
    ax.set_xticks([])
    ax.set_yticks([])


def time_axis(seconds):
    """(scale, unit) so that the span reads well."""
    span = float(np.nanmax(seconds)) if len(seconds) else 0.0
    if span > 3 * 86400:
        return 86400.0, "days"
    if span > 3 * 3600:
        return 3600.0, "h"
    if span > 180:
        return 60.0, "min"
    return 1.0, "s"


def fmt(v):
    """Summary values in the table: integers exactly, floats to 10 significant digits."""
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    if v == 0:
        return "0"
    return f"{v:.10g}"


def human_s(s):
    s = float(s)
    if s < 120:
        return f"{s:.1f} s"
    if s < 7200:
        return f"{s / 60:.1f} min"
    if s < 2 * 86400:
        return f"{s / 3600:.2f} h"
    return f"{s / 86400:.2f} days"


def nice_ceil(v):
    """Smallest of 1, 2, 2.5, 5 x 10^k that is >= v (v > 0)."""
    e = math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if m * 10 ** e >= v:
            return m * 10 ** e
    return 10 ** (e + 1)


def pct(v):
    """A fraction as a percentage that stays informative when tiny."""
    v = float(v)
    if v == 0 or abs(v) >= 0.01:
        return f"{v:.1%}"
    return f"{100 * v:.2g}%"


def colors_for(n):
    cmap = plt.get_cmap("tab10" if n <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(n)]


# --------------------------------------------------------------------------- figures

def _ecdf(values):
    x = np.sort(np.asarray(values, dtype=float))
    y = np.arange(1, len(x) + 1) / len(x)
    return x, y


def fig_cdf(runs, outdir, written, what):
    """what: 'wait' or 'jct'."""
    name = "wait_cdf.png" if what == "wait" else "jct_cdf.png"
    title = "Job wait time" if what == "wait" else "Job completion time (JCT = end - submit)"
    fig, ax = plt.subplots(figsize=(8, 5))
    series = []   # (label, values, n_runs)

    def values_of(r):
        d = r.completed()
        if d.empty:
            return np.zeros(0)
        v = d.wait_s.to_numpy(float) if what == "wait" else \
            (d.end_s - d.submit_s).to_numpy(float)
        return v[np.isfinite(v)]

    aggregate = len(runs) > MANY_RUNS
    if aggregate:
        for pol, rs in by_policy(runs).items():
            vals = [values_of(r) for r in rs]
            allv = np.concatenate(vals) if vals else np.zeros(0)
            series.append((f"{pol} ({len(rs)} runs pooled)", allv, len(rs)))
    else:
        for r in runs:
            series.append((r.label, values_of(r), 1))
    cols = colors_for(len(series))
    # floor for the log axis: the smallest positive value (not below 1 ms),
    # so sub-second waits stay visible and zero waits sit at the left edge
    pos = [v[v > 0] for _, v, _ in series if len(v)]
    pos = np.concatenate(pos) if pos else np.zeros(0)
    floor = max(MIN_FLOOR_S, float(pos.min())) if len(pos) else 1.0
    drawn = 0
    missing = []
    below = 0
    for (lab, v, _), c in zip(series, cols):
        if len(v) == 0:
            missing.append(lab)
            continue
        below += int(np.sum(v < floor))
        x, y = _ecdf(np.maximum(v, floor))
        ax.step(np.concatenate([[x[0]], x]), np.concatenate([[0.0], y]), where="post",
                color=c, lw=1.6, label=f"{lab} (n={len(v)})")
        drawn += 1
    if drawn == 0:
        empty_axes(ax, "no completed jobs in any run:\nnothing to plot")
    else:
        ax.set_xscale("log")
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(("wait time" if what == "wait" else "job completion time")
                      + " [s, log scale"
                      + (f"; {below} values < {floor:.3g} s (e.g. zero) drawn at "
                         f"{floor:.3g} s]" if below else "]"))
        lo, hi = ax.get_xlim()
        if hi / lo < 100:   # at least two decades so the log axis has labelled ticks
            mid = math.sqrt(lo * hi)
            ax.set_xlim(mid / 10, mid * 10)
        ax.set_ylabel("fraction of completed jobs")
        ax.grid(True, which="both", alpha=0.3)
        for sec, lab in ((1, "1 s"), (60, "1 min"), (3600, "1 h"), (86400, "1 day")):
            lo, hi = ax.get_xlim()
            if lo < sec < hi:
                ax.axvline(sec, color="0.6", lw=0.8, ls=":")
                ax.text(sec, 1.0, lab + " ", color="0.4", fontsize=8, rotation=90,
                        va="top", ha="right")
        ax.legend(fontsize=8, loc="best", title="run" if not aggregate else "policy",
                  title_fontsize=8)
    sub = f"{len(runs)} run(s)" + (", grouped by policy" if aggregate else "")
    if missing:
        sub += f"; no completed jobs: {', '.join(missing)}"
    ax.set_title(f"{title} CDF — completed jobs\n{sub}", fontsize=11)
    savefig(fig, outdir, name, written)



def utilization_matrix(run):
    """(times_s, centers, matrix[centers x times]) of busy / total chips; a
    center without capacity in the network falls back to its peak busy chips."""
    df = run.run.centers
    if df.empty or "busy_chips" not in df:
        return np.zeros(0), [], np.zeros((0, 0))
    chips = run.chips()
    names, rows, times = [], [], None
    for name, g in df.groupby("center", sort=False):
        total = chips.get(name, 0) or float(g.busy_chips.max()) or 1.0
        t = g.time_s.to_numpy(float)
        if times is None or len(t) > len(times):
            times = t
        names.append(name)
        rows.append((t, g.busy_chips.to_numpy(float) / total))
    mat = np.full((len(names), len(times)), np.nan)
    for i, (t, u) in enumerate(rows):
        if len(t) == len(times) and np.allclose(t, times):
            mat[i] = u
        elif len(t):
            mat[i] = np.interp(times, t, u, left=np.nan, right=np.nan)
    return times, names, mat


def fig_heatmaps(runs, outdir, written):
    """One heat map per run (<= 4 runs) or per policy (mean over its runs)."""
    groups = []
    if len(runs) <= 4:
        for r in runs:
            groups.append((r.label, [r]))
    else:
        for pol, rs in by_policy(runs).items():
            groups.append((f"{pol} (mean of {len(rs)} runs)", rs))
    for gi, (lab, rs) in enumerate(groups):
        mats = []
        times, cities = None, None
        for r in rs:
            t, c, m = utilization_matrix(r)
            if times is None and len(c):
                times, cities = t, c
            if len(c) and c == cities and m.shape[1] == len(times):
                mats.append(m)
        fname = "utilization_heatmap.png" if len(groups) == 1 else \
            f"utilization_heatmap_{gi + 1:02d}_{re.sub(r'[^A-Za-z0-9.-]+', '_', lab).strip('_')[:60]}.png"
        if not mats:
            fig, ax = plt.subplots(figsize=(8, 3))
            empty_axes(ax, "no center samples recorded")
            ax.set_title(f"Utilisation per center — {lab}")
            savefig(fig, outdir, fname, written)
            continue
        m = np.nanmean(np.stack(mats), axis=0) if len(mats) > 1 else mats[0]
        # west -> east by longitude when known, else by name
        coords = rs[0].coords()
        order = sorted(range(len(cities)),
                       key=lambda i: (coords.get(cities[i], (0, 1e9))[1], cities[i]))
        cities = [cities[i] for i in order]
        m = m[order]
        scale, unit = time_axis(times)
        h = max(3.0, 0.22 * len(cities) + 1.6)
        fig, ax = plt.subplots(figsize=(10, h))
        dt = (times[1] - times[0]) if len(times) > 1 else max(rs[0].run.attrs.get("duration_s", 1.0), 1.0)
        edges = np.concatenate([[times[0] - dt], times]) if len(times) else np.zeros(1)
        edges = np.maximum(edges, 0) / scale
        peak = float(np.nanmax(m)) if np.isfinite(m).any() else 0.0
        vmax = 1.0 if peak >= 0.5 or peak <= 0 else nice_ceil(peak)
        if peak > 1.0:
            vmax = peak
        pc = ax.pcolormesh(edges, np.arange(len(cities) + 1), np.ma.masked_invalid(m),
                           cmap="viridis", vmin=0, vmax=vmax, shading="flat")
        ax.set_yticks(np.arange(len(cities)) + 0.5)
        ax.set_yticklabels(cities, fontsize=7 if len(cities) > 20 else 9)
        ax.set_xlabel(f"simulated time [{unit}]")
        ax.set_ylabel("center (west → east)" if coords else "center")
        cb = fig.colorbar(pc, ax=ax, pad=0.01)
        cb.set_label("utilisation = busy chips / total chips"
                     + ("" if vmax == 1.0 else f"\n(scale 0–{vmax:.3g}: low load; peak {peak:.3g})"))
        mean = np.nanmean(m) if np.isfinite(m).any() else 0.0
        ax.set_title(f"Chip utilisation per center over time — {lab}\n"
                     f"(time-and-center mean {pct(mean)}; samples every {human_s(dt)})",
                     fontsize=11)
        savefig(fig, outdir, fname, written)


def point_groups(runs):
    """Runs grouped by policy and sweep point, replications (seeds) together."""
    out = OrderedDict()
    for r in runs:
        pt = ", ".join(f"{k}={v}" for k, v in sorted(r.sweep.items()) if k not in ("policy", "seed"))
        out.setdefault(r.policy + (f" ({pt})" if pt else ""), []).append(r)
    return out


def short(label, n=70):
    return label if len(label) <= n else label[:n - 1] + "…"


def fig_traffic(runs, outdir, written):
    """Traffic between cities (format 1.3 /traffic): one heat map per policy
    and sweep point (mean over its runs, bytes sent src -> dst, every purpose),
    and bars of the backbone bytes by purpose. Nothing for runs without it."""
    groups = [(lab, rs) for lab, rs in point_groups(runs).items()
              if any(not r.run.traffic.empty for r in rs)]
    if not groups:
        return
    purposes = ["dataset", "cache_fill", "stream", "result", "sync"]
    by_purpose = []
    for gi, (lab, rs) in enumerate(groups[:8]):
        frames = [r.run.traffic for r in rs if not r.run.traffic.empty]
        df = pd.concat(frames)
        # Reads from a city's own storage site (src == dst) do not cross the backbone.
        wan = df[df["src"] != df["dst"]]
        by_purpose.append([wan[wan["purpose"] == p]["bytes"].sum() / len(rs) for p in purposes])
        m = wan.pivot_table(index="src", columns="dst", values="bytes", aggfunc="sum", fill_value=0.0) / len(rs)
        coords = rs[0].coords()
        cities = sorted(set(m.index) | set(m.columns), key=lambda c: (coords.get(c, (0, 1e9))[1], c))
        m = m.reindex(index=cities, columns=cities, fill_value=0.0)
        fname = "traffic_matrix.png" if len(groups) == 1 else \
            f"traffic_matrix_{gi + 1:02d}_{re.sub(r'[^A-Za-z0-9.-]+', '_', lab).strip('_')[:60]}.png"
        size = max(5.0, 0.22 * len(cities) + 2.5)
        fig, ax = plt.subplots(figsize=(size + 1.5, size))
        tb = m.to_numpy() / 1e12
        pc = ax.pcolormesh(np.ma.masked_where(tb <= 0, tb), cmap="magma_r",
                           norm=colors.LogNorm(vmin=max(tb[tb > 0].min(), 1e-3), vmax=tb.max())
                           if (tb > 0).any() else None)
        ax.set_xticks(np.arange(len(cities)) + 0.5)
        ax.set_xticklabels(cities, rotation=90, fontsize=7 if len(cities) > 20 else 9)
        ax.set_yticks(np.arange(len(cities)) + 0.5)
        ax.set_yticklabels(cities, fontsize=7 if len(cities) > 20 else 9)
        ax.invert_yaxis()
        ax.set_xlabel("to (west → east)")
        ax.set_ylabel("from (west → east)")
        fig.colorbar(pc, ax=ax, pad=0.01).set_label("TB sent over the run (mean over its runs)")
        ax.set_title(f"Backbone traffic between cities — {short(lab)}\n"
                     f"total {tb.sum():.4g} TB, {len(rs)} run(s)", fontsize=10)
        savefig(fig, outdir, fname, written)
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(by_purpose) + 2))
    left = np.zeros(len(by_purpose))
    for i, p in enumerate(purposes):
        v = np.array([b[i] for b in by_purpose]) / 1e12
        if v.any():
            ax.barh(np.arange(len(by_purpose)), v, left=left, label=p, color=colors_for(len(purposes))[i])
            left += v
    ax.set_yticks(np.arange(len(by_purpose)))
    ax.set_yticklabels([short(lab, 60) for lab, _ in groups[:8]], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("TB over the backbone (between cities), mean over runs")
    ax.legend(fontsize=8)
    ax.set_title("Backbone traffic by purpose")
    savefig(fig, outdir, "traffic_by_purpose.png", written)


def mean_link_utilization(run):
    """{link name: mean utilisation over the run's samples}."""
    df = run.run.links
    if df.empty:
        return {}
    return df.groupby("link", sort=False)["utilization"].mean().to_dict()


def fig_map(runs, outdir, written):
    """One panel per policy (at most 6): its first run's network, links coloured
    by the mean utilisation over the policy's runs."""
    pols = by_policy(runs)
    groups = list(pols.items())[:6]
    n = len(groups)
    ncol = 1 if n == 1 else 2
    nrow = math.ceil(n / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(10 if n == 1 else 15, 7 if n == 1 else 5.4 * nrow),
                             squeeze=False, layout="constrained")
    per_group = []
    vmax = 0.0
    for pol, rs in groups:
        acc = {}
        for r in rs:
            for name, u in mean_link_utilization(r).items():
                acc.setdefault(name, []).append(float(u))
        mean = {k: float(np.mean(v)) for k, v in acc.items()}
        per_group.append(mean)
        if mean:
            vmax = max(vmax, max(mean.values()))
    vmax = vmax if vmax > 0 else 1.0
    norm = colors.Normalize(vmin=0, vmax=vmax)
    cmap = plt.get_cmap("plasma")
    for gi, ((pol, rs), lmean) in enumerate(zip(groups, per_group)):
        ax = axes[gi // ncol][gi % ncol]
        net = rs[0].run.network
        if net.empty:
            empty_axes(ax, "no network/ in the file (format 1.0): no map")
            continue
        coords = rs[0].coords()
        chips = rs[0].chips()
        # links; parallel carriers offset a little so each is visible
        links = net.links
        by_pair = {}
        for name, a, b in zip(links["name"], links["a"], links["b"]):
            by_pair.setdefault(tuple(sorted((a, b))), []).append((name, a, b))
        segments, load = [], []
        for members in by_pair.values():
            members.sort(key=lambda m: lmean.get(m[0], 0.0))
            for k, (name, a, b) in enumerate(members):
                (la, lo_a), (lb, lo_b) = coords[a], coords[b]
                dx, dy = lo_b - lo_a, lb - la
                length = math.hypot(dx, dy) or 1.0
                off = (k - (len(members) - 1) / 2) * 0.18
                ox, oy = -dy / length * off, dx / length * off
                segments.append([(lo_a + ox, la + oy), (lo_b + ox, lb + oy)])
                load.append(norm(lmean.get(name, 0.0)))
        ax.add_collection(LineCollection(segments, colors=cmap(np.asarray(load)),
                                         linewidths=0.8 + 2.2 * np.asarray(load), alpha=0.9,
                                         zorder=1, capstyle="round"))
        # centers sized by chips, cities without a center as small hollow markers
        maxchips = max([v for v in chips.values() if v] + [1])
        xs, ys, ss = [], [], []
        for city, (lat, lon) in coords.items():
            nch = chips.get(city, 0)
            if nch > 0:
                xs.append(lon)
                ys.append(lat)
                ss.append(15 + 400 * nch / maxchips)
            else:
                ax.scatter([lon], [lat], s=14, facecolors="none", edgecolors="0.4", lw=0.8,
                           zorder=2)
        ax.scatter(xs, ys, s=ss, color="tab:blue", alpha=0.55, edgecolors="navy", lw=0.6,
                   zorder=3)
        for city, (lat, lon) in coords.items():
            ax.annotate(city, (lon, lat), xytext=(3, 3), textcoords="offset points", fontsize=6,
                        color="0.15", zorder=4)
        lons = [v[1] for v in coords.values()]
        lats = [v[0] for v in coords.values()]
        ax.set_xlim(min(lons) - 2, max(lons) + 2)
        ax.set_ylim(min(lats) - 2, max(lats) + 2)
        ax.set_aspect("equal")
        ax.set_xlabel("longitude [°E]")
        ax.set_ylabel("latitude [°N]")
        ax.grid(True, alpha=0.25)
        ttl = rs[0].label if len(rs) == 1 else f"{pol} (mean of {len(rs)} runs)"
        ax.set_title(ttl + ("" if lmean else "\n(no link samples)"), fontsize=10)
        for v in sorted({maxchips, max(maxchips // 4, 1)}, reverse=True):
            ax.scatter([], [], s=15 + 400 * v / maxchips, color="tab:blue", alpha=0.55,
                       edgecolors="navy", label=f"{v:,} chips")
        ax.scatter([], [], s=14, facecolors="none", edgecolors="0.4", label="city without center")
        ax.legend(loc="lower left", fontsize=7, labelspacing=1.2, borderpad=0.8,
                  title="centers", title_fontsize=7)
    for gi in range(n, nrow * ncol):
        axes[gi // ncol][gi % ncol].axis("off")
    sm = cm.ScalarMappable(norm=norm, cmap=cmap)
    sm.set_array([])
    cb = fig.colorbar(sm, ax=[a for row in axes for a in row], shrink=0.8 if nrow > 1 else 0.9)
    cb.set_label("mean link utilisation over the run (0–1, max of both directions)")
    fig.suptitle("Compute network as simulated: centers sized by chips, links coloured by mean "
                 "utilisation" + (f"\n(first 6 of {len(pols)} policies)" if len(pols) > 6 else ""),
                 fontsize=12)
    fig.savefig(os.path.join(outdir, "map.png"), dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    written.append("map.png")

def fig_center_totals(runs, outdir, written):
    groups = [(r.label, [r]) for r in runs] if len(runs) <= 4 else \
        [(f"{p} (mean of {len(rs)})", rs) for p, rs in by_policy(runs).items()]
    metrics = [("energy_J", 1 / 3.6e9, "facility energy [MWh]"),
               ("cost_CNY", 1e-3, "electricity cost [thousand CNY]"),
               ("carbon_kg", 1e-3, "carbon [t CO₂]")]
    tables = []
    for lab, rs in groups:
        frames = [r.run.center_totals.set_index("center")[[m for m, _, _ in metrics]] for r in rs
                  if len(r.run.center_totals)]
        if frames:
            tables.append((lab, pd.concat(frames).groupby(level=0).mean()))
        else:
            tables.append((lab, None))
    centers = sorted({c for _, t in tables if t is not None for c in t.index})
    fig, axes = plt.subplots(3, 1, figsize=(min(16, max(9, 0.3 * len(centers) + 2)), 10.5),
                             sharex=True)
    if not centers:
        for ax in axes:
            empty_axes(ax, "no center totals recorded")
        axes[0].set_title("Energy, cost and carbon per center")
        savefig(fig, outdir, "center_energy_cost_carbon.png", written)
        return
    # order by energy of the first group that has data
    first = next(t for _, t in tables if t is not None)
    centers = sorted(centers, key=lambda c: -float(first["energy_J"].get(c, 0)))
    x = np.arange(len(centers))
    k = len(tables)
    w = 0.8 / k
    cols = colors_for(k)
    for ax, (m, sc, ylabel) in zip(axes, metrics):
        for i, (lab, t) in enumerate(tables):
            if t is None:
                continue
            vals = [float(t[m].get(c, 0.0)) * sc for c in centers]
            ax.bar(x - 0.4 + w * (i + 0.5), vals, width=w, color=cols[i], label=lab)
        ax.set_ylabel(ylabel)
        ax.grid(True, axis="y", alpha=0.3)
        tot = [sum(float(t[m].sum()) * sc for _ in [0]) for _, t in tables if t is not None]
        ax.set_title(f"{ylabel.split(' [')[0].capitalize()} per center "
                     f"(run total{'s' if len(tot) > 1 else ''}: "
                     + ", ".join(f"{v:,.3g}" for v in tot[:6]) + (" …" if len(tot) > 6 else "")
                     + f" {ylabel.split('[')[1].rstrip(']')})", fontsize=10)
    axes[0].legend(fontsize=8, ncol=1 if k <= 3 else 2)
    axes[-1].set_xticks(x)
    axes[-1].set_xticklabels(centers, rotation=60, ha="right", fontsize=8)
    axes[-1].set_xlabel("center (city), by energy")
    fig.suptitle("Energy / cost / carbon per center (from center_totals; includes idle power)",
                 fontsize=12)
    savefig(fig, outdir, "center_energy_cost_carbon.png", written)


# --------------------------------------------------------------------------- summary.md

TABLE_COLS = [
    ("run", None), ("file", None), ("policy", None), ("seed", None), ("sweep point", None),
    ("status", None),
    ("jobs submitted", "jobs_submitted"), ("jobs completed", "jobs_completed"),
    ("jobs failed", "jobs_failed"), ("jobs rejected", "jobs_rejected"),
    ("jobs unfinished", "jobs_unfinished"),
    ("mean wait [s]", "mean_wait_s"), ("p95 wait [s]", "p95_wait_s"),
    ("mean JCT [s]", "mean_jct_s"), ("utilization [0-1]", "utilization"),
    ("energy [MWh]", "energy_J"), ("cost [CNY]", "cost_CNY"), ("carbon [t]", "carbon_kg"),
]
# column -> factor from the summary attribute to the table value
TABLE_SCALE = {"energy_J": 1 / 3.6e9, "carbon_kg": 1e-3}


def table_value(run, key):
    v = run.summary[key]
    if key in TABLE_SCALE:
        return fmt(float(v) * TABLE_SCALE[key])
    return fmt(v)


def md_escape(s):
    return str(s).replace("|", "\\|")



def policy_stats(runs):
    """Per policy: means over its completed runs (wait over runs with completed jobs)."""
    out = OrderedDict()
    for pol, rs in by_policy(runs).items():
        with_jobs = [r for r in rs if r.summary["jobs_completed"] > 0]
        out[pol] = {
            "runs": len(rs),
            "mean_wait_s": np.mean([r.summary["mean_wait_s"] for r in with_jobs])
            if with_jobs else float("nan"),
            "p95_wait_s": np.mean([r.summary["p95_wait_s"] for r in with_jobs])
            if with_jobs else float("nan"),
            "mean_jct_s": np.mean([r.summary["mean_jct_s"] for r in with_jobs])
            if with_jobs else float("nan"),
            "completed_frac": (sum(r.summary["jobs_completed"] for r in rs)
                               / max(1, sum(r.summary["jobs_submitted"] for r in rs))),
            "utilization": np.mean([r.summary["utilization"] for r in rs]),
            "cost_CNY": np.mean([r.summary["cost_CNY"] for r in rs]),
            "carbon_kg": np.mean([r.summary["carbon_kg"] for r in rs]),
            "energy_J": np.mean([r.summary["energy_J"] for r in rs]),
            "jobs_completed": np.mean([r.summary["jobs_completed"] for r in rs]),
        }
    return out


# --------------------------------------------------------------------------- split jobs

BANDWIDTH_UNITS = {"bps": 1e-9, "kbps": 1e-6, "mbps": 1e-3, "gbps": 1.0, "tbps": 1e3}


def axis_number(text):
    """A sweep value as a number: plain numbers, or bandwidths in Gb/s
    ("800Gbps" -> 800); None otherwise."""
    try:
        return float(text)
    except (TypeError, ValueError):
        pass
    m = re.fullmatch(r"\s*([0-9.eE+-]+)\s*([kKmMgGtT]?bps)\s*", str(text))
    if not m:
        return None
    try:
        return float(m.group(1)) * BANDWIDTH_UNITS[m.group(2).lower()]
    except ValueError:
        return None


def split_jobs(run):
    """The jobs of a run that ran split over several centers (parts >= 2 and a
    span slowdown), or an empty frame (format < 1.3, or none split)."""
    jobs = run.run.jobs
    if jobs.empty or "span_slowdown" not in jobs:
        return jobs.iloc[0:0]
    return jobs[(jobs.parts >= 2) & (jobs.span_slowdown > 0)]


def split_table(runs):
    """Rows (run, split jobs, parts, mean and max span slowdown, sync bytes)."""
    rows = []
    for r in runs:
        j = split_jobs(r)
        if len(j):
            rows.append((r, len(j), sorted(set(j.parts.astype(int))), j.span_slowdown.mean(),
                         j.span_slowdown.max(), j.sync_B.sum()))
    return rows


def fig_split_jobs(runs, outdir, written):
    """Slowdown of split jobs against one center: against the first sweep
    axis whose values are numbers (lines for the other axes), else per run."""
    rows = split_table(runs)
    if not rows:
        return
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    axes = sorted({k for r, *_ in rows for k in r.sweep if k not in ("seed",)})
    xaxis = next((a for a in axes if all(axis_number(r.sweep.get(a)) is not None for r, *_ in rows)),
                 None)
    if xaxis:
        groups = OrderedDict()
        for r, _, _, mean, _, _ in rows:
            key = ", ".join(f"{k}={r.sweep[k]}" for k in axes if k != xaxis and k in r.sweep)
            groups.setdefault(key, []).append((axis_number(r.sweep[xaxis]), 100 * (mean - 1)))
        for (key, pts), col in zip(groups.items(), colors_for(len(groups))):
            pts.sort()
            ax.plot([x for x, _ in pts], [y for _, y in pts], "o-", color=col, label=key or "all")
        unit = "" if all(_plain(r.sweep[xaxis]) is not None for r, *_ in rows) else " [Gb/s]"
        ax.set_xscale("log")
        ax.set_xlabel(xaxis + unit)
        ax.legend(fontsize=8)
    else:
        ax.bar(range(len(rows)), [100 * (m - 1) for _, _, _, m, _, _ in rows], color="tab:blue")
        ax.set_xticks(range(len(rows)))
        ax.set_xticklabels([r.label for r, *_ in rows], rotation=30, ha="right", fontsize=7)
    ax.axhline(10, color="0.5", lw=0.8, ls="--")
    ax.set_ylabel("slower than in one center [%]")
    ax.set_title("Training split over several centers (mean span_slowdown - 1)", fontsize=10)
    ax.grid(alpha=0.3)
    savefig(fig, outdir, "split_jobs.png", written)


def _plain(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def split_section(runs):
    """Markdown table of the runs with split jobs (empty when none)."""
    rows = split_table(runs)
    if not rows:
        return []
    lines = ["## Training split over several centers", "",
             "Jobs whose last placement spanned 2 or more centers (`jobs.parts`); slowdown = "
             "`jobs.span_slowdown`, the time of their multi-center rounds over the same "
             "iterations in one center; gradient bytes = `jobs.sync_B`.", "",
             "| run | split jobs | parts | mean slowdown | max slowdown | gradient bytes [TB] |",
             "|---|---:|---|---:|---:|---:|"]
    for r, n, parts, mean, mx, sync in rows:
        lines.append(f"| {md_escape(r.label)} | {n} | {', '.join(map(str, parts))} | "
                     f"{mean:.6g} | {mx:.6g} | {sync / 1e12:.6g} |")
    lines.append("")
    return lines


def what_this_shows(runs, failed):
    """A paragraph on the completed runs; `failed` runs are only counted."""
    parts = []
    if failed:
        parts.append(f"{len(failed)} run(s) failed and are left out of the figures and of the "
                     "comparison below (see \"Failed runs\").")
    if not runs:
        parts.append("No run completed: there is nothing to compare.")
        return " ".join(parts)
    stats = policy_stats(runs)
    tot_sub = sum(r.summary["jobs_submitted"] for r in runs)
    tot_done = sum(r.summary["jobs_completed"] for r in runs)
    parts.append(f"{len(runs)} completed run(s) of {len(stats)} "
                 f"polic{'y' if len(stats) == 1 else 'ies'} ({', '.join(stats)}). "
                 f"Across them {tot_sub:,} jobs were submitted and {tot_done:,} "
                 f"({tot_done / max(1, tot_sub):.1%}) completed.")
    nojobs = [r for r in runs if r.summary["jobs_completed"] == 0]
    if nojobs:
        parts.append("No job completed in: " + ", ".join(r.label for r in nojobs)
                     + " (wait and JCT are reported as 0 there and left out of the comparison).")
    waits = {p: s["mean_wait_s"] for p, s in stats.items() if np.isfinite(s["mean_wait_s"])}
    if len(stats) == 1:
        p, s = next(iter(stats.items()))
        w = (f"a mean wait of {human_s(s['mean_wait_s'])} (p95 {human_s(s['p95_wait_s'])}), "
             f"a mean JCT of {human_s(s['mean_jct_s'])}, "
             if np.isfinite(s["mean_wait_s"]) else "no completed jobs, ")
        parts.append(f"Only one policy, so there is nothing to rank: `{p}` gives {w}"
                     f"{pct(s['utilization'])} chip utilisation, "
                     f"{s['energy_J'] / 3.6e9:,.3g} MWh, {s['cost_CNY']:,.0f} CNY and "
                     f"{s['carbon_kg'] / 1e3:,.3g} t CO₂ per run.")
        return " ".join(parts)
    avg = " (mean over its runs)" if any(s["runs"] > 1 for s in stats.values()) else ""
    if waits:
        best = min(waits, key=waits.get)
        worst = max(waits, key=waits.get)
        parts.append(f"Best policy by mean wait{avg}: `{best}` with {human_s(waits[best])}"
                     + (f", against {human_s(waits[worst])} for `{worst}`" if worst != best else "")
                     + ".")
    else:
        parts.append("No policy completed any job, so wait times cannot be compared.")
    for key, what, unit in (("cost_CNY", "cost", "CNY"), ("carbon_kg", "carbon", "t CO₂")):
        vals = {p: s[key] for p, s in stats.items()}
        best = min(vals, key=vals.get)
        worst = max(vals, key=vals.get)
        sc = 1e-3 if key == "carbon_kg" else 1.0
        diff = (1 - vals[best] / vals[worst]) if vals[worst] > 0 else 0.0
        parts.append(f"Best by {what}: `{best}` ({vals[best] * sc:,.4g} {unit}"
                     + (f", {diff:.1%} below `{worst}` at {vals[worst] * sc:,.4g} {unit}"
                        if worst != best else "") + ").")
    winners = set()
    if waits:
        winners.add(min(waits, key=waits.get))
    winners.add(min(stats, key=lambda p: stats[p]["cost_CNY"]))
    winners.add(min(stats, key=lambda p: stats[p]["carbon_kg"]))
    if len(winners) > 1:
        parts.append("No policy wins on every axis: waiting time trades against energy price "
                     "and grid carbon intensity.")
    else:
        parts.append(f"`{winners.pop()}` wins on waiting, cost and carbon alike.")
    done = {p: s["completed_frac"] for p, s in stats.items()}
    if max(done.values()) - min(done.values()) > 0.02:
        parts.append("Completion rates differ (" + ", ".join(
            f"`{p}` {v:.1%}" for p, v in done.items())
            + "): lower cost can simply mean less work done.")
    return " ".join(parts)


def sweep_section(tables):
    """Markdown of each file's /sweep_summary: mean ± 95% CI per point-group."""
    lines = []
    for path, df, info in tables:
        axes = info.get("axes", [])
        axes = [axes] if isinstance(axes, str) else list(axes)
        metrics = [c[:-5] for c in df.columns if c.endswith("_mean")]
        lines.append(f"### Sweep `{info.get('scenario_name', '')}` in `{os.path.basename(path)}`")
        lines.append("")
        lines.append(f"{info.get('points_in_file', len(df))} points ({info.get('points_completed', '?')} "
                     f"completed, {info.get('points_failed', '?')} failed), "
                     f"{info.get('replications', 1)} replication(s) per group; mean ± 95% "
                     "confidence half-width over each group's completed points (`/sweep_summary`).")
        lines.append("")
        lines.append("| " + " | ".join(axes + ["completed", "failed"] + metrics) + " |")
        lines.append("|" + "|".join(["---"] * len(axes) + ["---:"] * (2 + len(metrics))) + "|")
        for _, row in df.iterrows():
            cells = [md_escape(row[a]) for a in axes] + [str(int(row["completed"])),
                                                          str(int(row["failed"]))]
            for m in metrics:
                if int(row["completed"]) == 0:
                    cells.append("—")
                else:
                    cell = f"{row[m + '_mean']:.4g}"
                    if int(row["completed"]) > 1:
                        cell += f" ± {row[m + '_ci95']:.2g}"
                    cells.append(cell)
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def write_summary(runs, failed, sweeps, outdir, figures, notes, paths, extra=()):
    lines = ["# suanwang run report", ""]
    lines.append("Input: " + ", ".join(f"`{p}`" for p in paths)
                 + f" — {len(runs) + len(failed)} run(s), {len(failed)} failed. "
                 "Generated by `scripts/report.py` from the HDF5 files alone.")
    lines.append("")
    lines.append("## Runs")
    lines.append("")
    lines.append("Values are the attributes of `/runs/<id>/summary`, unrounded up to 10 "
                 "significant digits (energy converted J → MWh by /3.6e9, carbon kg → t by "
                 "/1000). Wait and JCT are over completed jobs only and are 0 when none "
                 "completed. Failed runs have no summary (—).")
    lines.append("")
    lines.append("| " + " | ".join(c for c, _ in TABLE_COLS) + " |")
    lines.append("|" + "|".join("---" if k is None else "---:" for _, k in TABLE_COLS) + "|")
    for r in sorted(runs + failed, key=lambda r: (paths.index(r.file), r.rid)):
        sweep = ", ".join(f"{k}={v}" for k, v in sorted(r.sweep.items())) or "—"
        row = [r.rid, os.path.basename(r.file), r.policy, "" if r.seed is None else str(r.seed),
               sweep, r.status]
        row += [table_value(r, k) if r.ok else "—" for _, k in TABLE_COLS[6:]]
        lines.append("| " + " | ".join(md_escape(x) for x in row) + " |")
    lines.append("")
    if failed:
        lines.append("## Failed runs")
        lines.append("")
        lines.append("Left out of the figures and of the comparison: they have attributes "
                     "(scenario, policy, parameters, sweep point) but no results.")
        lines.append("")
        for r in failed:
            sweep = ", ".join(f"{k}={v}" for k, v in sorted(r.sweep.items()))
            lines.append(f"- `{r.rid}` in `{os.path.basename(r.file)}` — policy `{r.policy}`"
                         + (f", {sweep}" if sweep else "") + f": {md_escape(r.status)}")
        lines.append("")
    if len(runs) > 1:
        stats = policy_stats(runs)
        lines.append("### By policy (mean over completed runs)")
        lines.append("")
        lines.append("| policy | runs | completed [%] | mean wait [s] | p95 wait [s] "
                     "| mean JCT [s] | utilization | energy [MWh] | cost [CNY] | carbon [t] |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for p, s in stats.items():
            def g(v, f="{:.4g}"):
                return "—" if not np.isfinite(v) else f.format(v)
            lines.append(f"| {md_escape(p)} | {s['runs']} | "
                         f"{100 * s['completed_frac']:.1f} | {g(s['mean_wait_s'])} | "
                         f"{g(s['p95_wait_s'])} | {g(s['mean_jct_s'])} | "
                         f"{s['utilization']:.4f} | {s['energy_J'] / 3.6e9:.4g} | "
                         f"{s['cost_CNY']:.6g} | {s['carbon_kg'] / 1e3:.4g} |")
        lines.append("")
    if sweeps:
        lines.append("## Sweep")
        lines.append("")
        lines += sweep_section(sweeps)
    lines += split_section(runs)
    lines += list(extra)
    lines.append("## What this shows")
    lines.append("")
    lines.append(what_this_shows(runs, failed))
    lines.append("")
    if figures:
        lines.append("## Figures")
        lines.append("")
    captions = {
        "wait_cdf.png": "Wait-time CDF (completed jobs, log time axis).",
        "jct_cdf.png": "Job-completion-time CDF (end − submit, completed jobs, log time axis).",
        "map.png": "The network as simulated: cities at lon/lat, links coloured by mean "
                   "utilisation, centers sized by chips.",
        "center_energy_cost_carbon.png": "Energy, cost and carbon per center (center_totals).",
        "gpu_allocation.png": "GPU allocation and fragmented GPUs vs arrived GPU demand, per node "
                              "placement (median over seeds, min-max band).",
        "pooling.png": "Centers made of servers, per GPU-sharing variant: busy share over the day, "
                       "busy share while jobs wait, waits (median over seeds, min-max).",
        "colocation.png": "Services that lend their chips: chips kept, lent and running batch over the "
                          "day, and p99 latency with and without lending.",
        "split_jobs.png": "Slowdown of training jobs split over several centers against one center "
                          "(mean span_slowdown − 1; dashed: 10%).",
    }
    for f in figures:
        cap = captions.get(f, "Chip utilisation per center over time." if f.startswith(
            "utilization_heatmap") else f)
        lines.append(f"### {cap}")
        lines.append("")
        lines.append(f"![{cap}]({f})")
        lines.append("")
    lines.append("## Data sources and notes")
    lines.append("")
    for n in notes:
        lines.append(f"- {n}")
    lines.append("")
    with open(os.path.join(outdir, "summary.md"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


def write_csv(runs, outdir):
    with open(os.path.join(outdir, "summary.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "run", "policy", "seed", "status", "sweep"] + SUMMARY_INT
                   + SUMMARY_FLOAT)
        for r in runs:
            nums = ([r.summary[k] for k in SUMMARY_INT] + [repr(r.summary[k]) for k in SUMMARY_FLOAT]
                    if r.ok else [""] * (len(SUMMARY_INT) + len(SUMMARY_FLOAT)))
            w.writerow([r.file, r.rid, r.policy, r.seed, r.status,
                        ";".join(f"{k}={v}" for k, v in sorted(r.sweep.items()))] + nums)


# --------------------------------------------------------------------------- static packing

# A static-packing run (the FGD experiment, scripts/examples/fgd_alibaba.lua):
# servers (jobs carry a server), local_queue "none" (nothing waits). Its
# measure, as the FGD artifact's merge_alloc_discrete.py computes it: after
# each arrival, the GPUs allocated and the GPUs arrived so far (refused jobs
# included) as a % of the center's GPUs; arrivals are bucketed by arrived %
# rounded to an integer, and each bucket holds the mean allocation % of its
# arrivals (an empty bucket: of the arrivals within +-1 of it).
PACKING_LOADS = (90, 95, 100, 110, 130)


def is_packing(run):
    jobs = run.run.jobs
    return (run.run.params.get("local_queue") == "none" and "server" in jobs
            and bool((jobs["server"] >= 0).any()))


def placement_of(run):
    return run.run.params.get("node_placement", "?")


def _buckets(arrived_pct, values, top):
    """{x: mean of values whose arrived % rounds to x} for x = 0..top (numpy rounding)."""
    x = np.round(arrived_pct)
    means = pd.Series(values).groupby(x).mean()
    out = {}
    for b in range(0, top + 1):
        if b in means.index:
            out[b] = float(np.round(means[b], 2))
        else:
            near = (x >= b - 1) & (x <= b + 1)
            if near.any():
                out[b] = float(np.round(np.mean(np.asarray(values)[near]), 2))
    return pd.Series(out, dtype=float)


def packing_curves(run):
    """(gpus, allocation, fragmented): the center's GPUs, and per arrived %
    bucket the GPU allocation % and the fragmented GPU % (center series
    fragmented_chips at each sample, against the arrivals before it)."""
    jobs = run.run.jobs.sort_values("id")
    centers = [c for c in dict.fromkeys(jobs["center"]) if c]
    chips = run.chips()
    gpus = float(sum(chips.get(c, 0) for c in centers))
    g = jobs["gpus"].to_numpy(float)
    arrived = np.cumsum(g)
    t = jobs["submit_s"].to_numpy(float)
    start, end = jobs["start_s"].to_numpy(float), jobs["end_s"].to_numpy(float)
    on, off = np.argsort(start), np.argsort(end)
    got = np.cumsum(np.where(start[on] >= 0, g[on], 0.0))
    gone = np.cumsum(np.where((end[off] >= 0) & (start[off] >= 0), g[off], 0.0))  # refused: never held
    held = (np.concatenate([[0.0], got])[np.searchsorted(start[on], t, side="right")]
            - np.concatenate([[0.0], gone])[np.searchsorted(end[off], t, side="right")])
    top = int(np.round(100 * arrived[-1] / gpus)) if len(g) else 0
    alloc = _buckets(100 * arrived / gpus, np.round(100 * held / gpus, 2), top)
    frag = pd.Series(dtype=float)
    series = run.run.centers
    if "fragmented_chips" in series:
        fc = series[series["center"].isin(centers)].groupby("time_s")["fragmented_chips"].sum()
        before = np.concatenate([[0.0], arrived])[np.searchsorted(t, fc.index.to_numpy(), side="right")]
        frag = _buckets(100 * before / gpus, 100 * fc.to_numpy() / gpus, top)
    return gpus, alloc, frag


def packing_table(runs):
    """Long table: placement, seed, arrived_pct, allocation_pct, fragmented_pct."""
    rows = []
    for r in runs:
        gpus, alloc, frag = packing_curves(r)
        for x, v in alloc.items():
            rows.append({"placement": placement_of(r), "seed": r.seed, "gpus": gpus, "arrived_pct": int(x),
                         "allocation_pct": v, "fragmented_pct": frag.get(x, np.nan)})
    return pd.DataFrame(rows)


def packing_order(table):
    """Placements, best allocation at 100% arrived first."""
    at = table[table.arrived_pct == 100].groupby("placement")["allocation_pct"].median()
    return list(at.sort_values(ascending=False).index) + [
        p for p in dict.fromkeys(table.placement) if p not in at.index]


def fig_packing(table, outdir, written):
    """GPU allocation and fragmented GPUs vs arrived GPU demand, median over
    seeds with the min-max band, per placement."""
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.8))
    order = packing_order(table)
    for p, col in zip(order, colors_for(len(order))):
        d = table[table.placement == p]
        for ax, key in ((a1, "allocation_pct"), (a2, "fragmented_pct")):
            agg = d.groupby("arrived_pct")[key].agg(["median", "min", "max"]).dropna()
            if agg.empty:
                continue
            n = d.seed.nunique()
            ax.plot(agg.index, agg["median"], color=col, lw=1.6, label=f"{p} ({n} seed{'s' if n > 1 else ''})")
            ax.fill_between(agg.index, agg["min"], agg["max"], color=col, alpha=0.2, lw=0)
    x = np.arange(0, int(table.arrived_pct.max()) + 1)
    a1.plot(x, np.minimum(x, 100), color="0.3", ls="--", lw=1, label="ideal")
    a1.set_xlim(60, x[-1])
    a1.set_ylim(60, 101)
    a1.set_ylabel("GPUs allocated (% of the center's GPUs)")
    a1.set_title("GPU allocation as the arrived demand grows")
    a2.set_xlim(0, x[-1])
    a2.set_ylabel("fragmented GPUs (% of the center's GPUs)")
    a2.set_title("Fragmentation (FGD measure, workload learned online)")
    for ax in (a1, a2):
        ax.set_xlabel("arrived GPU demand (% of the center's GPUs)")
        ax.grid(alpha=0.3)
    a1.legend(fontsize=8, loc="lower right")
    if table.fragmented_pct.isna().all():
        empty_axes(a2, "no fragmented_chips series in these files")
    savefig(fig, outdir, "gpu_allocation.png", written)


def packing_section(table):
    """Markdown: allocation % per placement at PACKING_LOADS, and the unallocated GPUs at 100%."""
    order = packing_order(table)
    gpus = float(table.gpus.iloc[0])
    lines = ["## Static packing: GPU allocation by node placement", "",
             f"Each arrival's GPUs allocated as a % of the center's {gpus:,.0f} GPUs, bucketed by the "
             "arrived GPU demand (% of the GPUs, refused jobs included; the FGD artifact's measure); "
             "median over seeds [min-max]. Figure: `gpu_allocation.png`; every run's curve: "
             "`gpu_allocation.csv`.", "",
             "| placement | seeds | " + " | ".join(f"{x}% arrived" for x in PACKING_LOADS)
             + " | unallocated GPUs at 100% |",
             "|---|---:|" + "---:|" * (len(PACKING_LOADS) + 1)]
    at100 = {}
    for p in order:
        d = table[table.placement == p]
        cells = []
        for x in PACKING_LOADS:
            v = d[d.arrived_pct == x]["allocation_pct"]
            cells.append("—" if v.empty else f"{v.median():.2f} [{v.min():.2f}-{v.max():.2f}]")
        v = d[d.arrived_pct == 100]["allocation_pct"]
        at100[p] = v.median() if not v.empty else np.nan
        un = "—" if v.empty else f"{(100 - at100[p]) * gpus / 100:,.0f}"
        lines.append(f"| {md_escape(p)} | {d.seed.nunique()} | " + " | ".join(cells) + f" | {un} |")
    lines.append("")
    un = {p: 100 - v for p, v in at100.items() if np.isfinite(v)}
    others = [p for p in un if p != "fgd" and un[p] > 0]
    if "fgd" in un and others:
        lines.append("At 100% arrived, `fgd` leaves " + ", ".join(
            f"{1 - un['fgd'] / un[p]:.0%} fewer GPUs unallocated than `{p}` "
            f"({(un[p] - un['fgd']) * gpus / 100:,.0f} GPUs)" for p in others) + ".")
        lines.append("")
    return lines


# --------------------------------------------------------------------------- servers under load: pooling

# A run whose jobs queue for a center made of servers (local_queue other than
# "none"), e.g. scripts/examples/pooling.lua. Its variant is how the center's
# GPUs are shared: node-bound with a node placement, or pooled with an
# overhead (a pooled run ignores node_placement, a node-bound run
# pooling_slowdown: such repeats are drawn once). Measures, over the centers
# made of servers: the busy share of their chips over the run; the busy share
# while jobs wait at them (samples with a queue: the most the center reaches
# under that sharing); the same divided by 1 + pooling_slowdown for pooled runs
# ("useful": a pooled job holds its chips that much longer for the same work);
# the fragmented share while jobs wait; waits of the completed jobs there.
# Only the centers made of servers that the run's jobs went to count.


def server_centers(run):
    """The centers made of servers that the run's jobs went to (on the 2025
    network every center is made of servers; the measures are about the ones
    the work was sent to, e.g. pooling.lua's Wuhan)."""
    pools = run.run.network.pools
    jobs = run.run.jobs
    if pools.empty or "servers" not in pools or jobs.empty:
        return []
    used = set(jobs["center"])
    return [c for c in dict.fromkeys(pools[pools["servers"] > 0]["center"]) if c in used]


def is_server_queue(run):
    if is_packing(run) or run.run.params.get("local_queue") == "none":
        return False
    centers = server_centers(run)
    jobs = run.run.jobs
    return bool(centers) and not jobs.empty and bool(jobs["center"].isin(centers).any())


def pooling_variant(run):
    p = run.run.params
    if p.get("gpu_sharing") == "pooled":
        s = float(p.get("pooling_slowdown", 0) or 0)
        return f"pooled +{s:.0%}", s
    return f"node-bound {p.get('node_placement', '?')}", 0.0


def pooling_metrics(run):
    """One row of measures (see above) and the busy share per hour of day."""
    variant, slow = pooling_variant(run)
    centers = server_centers(run)
    chips = float(sum(run.chips().get(c, 0) for c in centers))
    series = run.run.centers
    c = series[series["center"].isin(centers)].groupby("time_s")[
        ["busy_chips", "queue_length", "fragmented_chips"]].sum()
    c = c[c.index > 0]
    waiting = c[c.queue_length > 0]
    jobs = run.run.jobs
    done = jobs[(jobs.status == "completed") & jobs["center"].isin(centers)]
    here = jobs[jobs["center"].isin(centers)]
    row = {"variant": variant, "seed": run.seed, "run": run.rid, "file": run.file, "chips": chips,
           "slowdown": slow,
           "busy_pct": 100 * c.busy_chips.mean() / chips,
           "busy_waiting_pct": 100 * waiting.busy_chips.mean() / chips if len(waiting) else np.nan,
           "fragmented_waiting_pct": 100 * waiting.fragmented_chips.mean() / chips if len(waiting) else np.nan,
           "hours_waiting": len(waiting) * float(run.run.attrs.get("sample_interval_s", 0)) / 3600,
           "mean_wait_s": done.wait_s.mean() if len(done) else np.nan,
           "p95_wait_s": done.wait_s.quantile(0.95) if len(done) else np.nan,
           "completed": len(done), "unfinished": int((here.status == "unfinished").sum())}
    row["useful_busy_pct"] = row["busy_pct"] / (1 + slow)
    row["useful_busy_waiting_pct"] = row["busy_waiting_pct"] / (1 + slow)
    hour = ((c.index.to_numpy() - 1e-9) // 3600 % 24).astype(int)
    hourly = (100 * c.busy_chips / chips).groupby(hour).mean()
    return row, hourly


def pooling_table(runs):
    """(rows, hourly): one row per distinct (variant, seed), the first run of
    each; `hourly` maps (variant, seed) to the busy share per hour of day."""
    rows, hourly = [], {}
    for r in runs:
        row, h = pooling_metrics(r)
        key = (row["variant"], row["seed"])
        if key in hourly:
            continue
        rows.append(row)
        hourly[key] = h
    return pd.DataFrame(rows), hourly


def pooling_order(table):
    """node-bound variants first (best fit first), then pooled by overhead."""
    def key(v):
        pooled = v.startswith("pooled")
        return (pooled, float(v.split("+")[1].rstrip("%")) if pooled else 0.0,
                "" if v.endswith("best_fit") else v)
    return sorted(dict.fromkeys(table.variant), key=key)


def fig_pooling(table, hourly, outdir, written):
    order = pooling_order(table)
    cols = dict(zip(order, colors_for(len(order))))
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(16, 4.8), gridspec_kw={"width_ratios": [1.5, 1, 1]})
    for v in order:
        hs = [h for (vv, _), h in hourly.items() if vv == v]
        m = pd.concat(hs, axis=1).median(axis=1)
        a1.plot(m.index + 0.5, m.values, color=cols[v], lw=1.6, marker="o", ms=3, label=v)
    a1.axhline(100, color="0.3", ls="--", lw=1)
    a1.set_xlim(0, 24)
    a1.set_xticks(range(0, 25, 3))
    a1.set_xlabel("hour of day (China Standard Time)")
    a1.set_ylabel("busy chips (% of the center's chips)")
    a1.set_title("Busy share over the day (median over seeds)")
    a1.legend(fontsize=8, loc="lower right")
    x = np.arange(len(order))
    agg = table.groupby("variant")
    med = agg.median(numeric_only=True).reindex(order)
    lo = agg.min(numeric_only=True).reindex(order)
    hi = agg.max(numeric_only=True).reindex(order)
    w = 0.38
    for off, key, hatch, lab in ((-w / 2, "busy_waiting_pct", None, "chips held"),
                                 (w / 2, "useful_busy_waiting_pct", "//", "useful (held / (1 + overhead))")):
        a2.bar(x + off, med[key], w, color=[cols[v] for v in order], hatch=hatch, edgecolor="0.2",
               yerr=[med[key] - lo[key], hi[key] - med[key]], capsize=3, label=lab)
    ymin = max(0, float(np.nanmin(lo[["busy_waiting_pct", "useful_busy_waiting_pct"]].to_numpy())) - 5)
    a2.set_ylim(ymin, 101)
    a2.set_title("Busy share while jobs wait")
    a2.set_ylabel("% of the center's chips")
    a2.legend(fontsize=8, loc="lower left")
    for off, key, hatch, lab in ((-w / 2, "mean_wait_s", None, "mean"), (w / 2, "p95_wait_s", "//", "p95")):
        a3.bar(x + off, med[key] / 60, w, color=[cols[v] for v in order], hatch=hatch, edgecolor="0.2",
               yerr=[(med[key] - lo[key]) / 60, (hi[key] - med[key]) / 60], capsize=3, label=lab)
    a3.set_title("Wait of the completed jobs")
    a3.set_ylabel("minutes")
    a3.legend(fontsize=8)
    for ax in (a2, a3):
        ax.set_xticks(x)
        ax.set_xticklabels(order, rotation=20, ha="right", fontsize=8)
        ax.grid(True, axis="y", alpha=0.3)
    a1.grid(alpha=0.3)
    savefig(fig, outdir, "pooling.png", written)


def pooling_section(table):
    order = pooling_order(table)
    chips = float(table.chips.iloc[0])
    lines = ["## Centers made of servers: node-bound or pooled GPUs", "",
             f"The {chips:,.0f} chips of the center(s) made of servers, per GPU-sharing variant; median "
             "over seeds [min-max]. *Busy while jobs wait*: the busy share over the samples with a queue "
             "(the most the center reaches under that sharing); *useful*: divided by 1 + the pooling "
             "overhead (a pooled job holds its chips that much longer for the same work). Figure: "
             "`pooling.png`; every run: `pooling.csv`.", "",
             "| variant | seeds | busy (whole run) | busy while jobs wait | useful | fragmented while jobs wait "
             "| mean wait | p95 wait | completed |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]

    def cell(d, key, f="{:.1f}", scale=1.0):
        v = d[key].dropna() * scale
        return "—" if v.empty else (f.format(v.median()) + f" [{f.format(v.min())}-{f.format(v.max())}]"
                                    if len(v) > 1 else f.format(v.median()))
    for v in order:
        d = table[table.variant == v]
        lines.append(f"| {md_escape(v)} | {d.seed.nunique()} | {cell(d, 'busy_pct')}% | "
                     f"{cell(d, 'busy_waiting_pct')}% | {cell(d, 'useful_busy_waiting_pct')}% | "
                     f"{cell(d, 'fragmented_waiting_pct')}% | {cell(d, 'mean_wait_s', scale=1 / 60)} min | "
                     f"{cell(d, 'p95_wait_s', scale=1 / 60)} min | {cell(d, 'completed', '{:,.0f}')} |")
    lines.append("")
    med = table.groupby("variant").median(numeric_only=True)
    base = next((v for v in order if v == "node-bound best_fit"), None)
    if base is not None:
        parts = []
        for v in order:
            if v == base:
                continue
            gain = med.loc[v, "useful_busy_waiting_pct"] - med.loc[base, "useful_busy_waiting_pct"]
            cut = 1 - med.loc[v, "mean_wait_s"] / med.loc[base, "mean_wait_s"]
            parts.append(f"`{v}` {gain:+.1f} points of useful busy share while jobs wait and "
                         f"{-cut:+.0%} mean wait")
        lines.append(f"Against `{base}`: " + "; ".join(parts) + ".")
        lines.append("")
    return lines


# --------------------------------------------------------------------------- colocation

# Runs with inference services and preemptible batch work on their chips
# (scripts/examples/colocation.lua). Per service and run: whether it lends
# (workload.N.lend) and its SLO target; its SLO attainment (request-weighted
# share of requests within the SLO over the samples), mean and worst p99
# latency; the chips it kept, lent and saw borrowed (means over the samples);
# the batch work that rode on them (borrowed chip-hours a day); preemptions
# and chip-hours of work lost by the jobs of its pool (batch jobs are the
# service's pool's jobs other than its deployment).


def service_params(run):
    """{service name: {"index", "lend", "slo_target", "center", "chips"}} from the run's parameters."""
    p = run.run.params
    out = {}
    for k, v in p.items():
        m = re.fullmatch(r"workload\.(\d+)\.service", k)
        if not m:
            continue
        i = m.group(1)
        out[v] = {"index": int(i), "lend": str(p.get(f"workload.{i}.lend", "false")) == "true",
                  "slo_target": float(p.get(f"workload.{i}.slo_target", 0.99)),
                  "center": p.get(f"workload.{i}.center", ""),
                  "chips": float(p.get(f"workload.{i}.chips", 0) or 0)}
    return out


def is_colocation(run):
    return any(s["lend"] for s in service_params(run).values())


def colocation_rows(run):
    rows = []
    services = run.run.services
    jobs = run.run.jobs
    days = float(run.run.attrs.get("duration_s", 0)) / 86400
    for name, sp in service_params(run).items():
        d = services[services.service == name]
        if d.empty:
            continue
        dt = np.diff(np.concatenate([[0.0], d.time_s.to_numpy()]))
        w = d.request_rate_per_s.to_numpy() * dt
        p99 = d.p99_latency_s[np.isfinite(d.p99_latency_s)]
        at = jobs[(jobs["center"] == sp["center"]) & (jobs.gpus == sp["chips"])]
        deployment = at.sort_values("id").iloc[0] if len(at) else None
        batch = jobs[(jobs["pool"] == deployment["pool"]) & (jobs.id != deployment["id"])] \
            if deployment is not None else jobs.iloc[0:0]
        rows.append({
            "service": name, "seed": run.seed, "run": run.rid, "lends": sp["lend"],
            "slo_target": sp["slo_target"],
            "variant": (f"lends, {sp['slo_target']:.0%} within SLO" if sp["lend"] else "no lending"),
            "attainment_pct": 100 * (1 - float((d.slo_violation_fraction.to_numpy() * w).sum()) / w.sum()),
            "p99_mean_ms": 1000 * p99.mean(), "p99_max_ms": 1000 * d.p99_latency_s.max(),
            "overloaded_samples": int((~np.isfinite(d.p99_latency_s)).sum()),
            "kept_chips": sp["chips"] - d.lent_chips.mean(), "lent_chips": d.lent_chips.mean(),
            "borrowed_chips": d.borrowed_chips.mean(),
            "ridden_chip_h_per_day": float((d.borrowed_chips.to_numpy() * dt).sum()) / 3600 / days,
            "preemptions_per_day": float(batch.preemptions.sum()) / days,
            "lost_chip_h_per_day": float(batch.lost_chip_s.sum()) / 3600 / days,
            "chips": sp["chips"]})
    return rows


def colocation_table(runs):
    rows = []
    for r in runs:
        rows += colocation_rows(r)
    t = pd.DataFrame(rows)
    return t.drop_duplicates(["service", "variant", "seed"]) if not t.empty else t


def fig_colocation(table, runs, outdir, written):
    services = list(dict.fromkeys(table.service))
    fig, axes = plt.subplots(len(services), 2, figsize=(14, 3.8 * len(services)), squeeze=False)
    for i, name in enumerate(services):
        t = table[table.service == name]
        a1, a2 = axes[i]
        lending = t[t.lends].sort_values("slo_target")
        for ax in (a1, a2):
            ax.grid(alpha=0.3)
            ax.set_xlim(0, 24)
            ax.set_xticks(range(0, 25, 3))
        a2.set_xlabel("hour of day (China Standard Time)")
        a1.set_xlabel("hour of day (China Standard Time)")
        if not lending.empty:
            row = lending.iloc[0]
            run = next(r for r in runs if r.rid == row["run"] and r.seed == row["seed"])
            d = run.run.services[run.run.services.service == name]
            h = ((d.time_s.to_numpy() - 1e-9) // 3600 % 24).astype(int)
            g = d.assign(h=h).groupby("h")[["lent_chips", "borrowed_chips"]].mean()
            g = pd.concat([g, g.iloc[[-1]].set_axis([g.index[-1] + 1])])  # the last hour drawn to its end
            a1.stackplot(g.index, row["chips"] - g.lent_chips, g.borrowed_chips, g.lent_chips - g.borrowed_chips,
                         labels=["kept for requests", "lent, running batch", "lent, idle"],
                         colors=["#4c72b0", "#dd8452", "#cccccc"], step="post")
            a1.set_title(f"{name}: its {row['chips']:.0f} chips when it lends ({row['variant']})")
            a1.legend(fontsize=8, loc="lower left")
        else:
            empty_axes(a1, "no run where it lends")
        a1.set_ylabel("chips")
        for variant, col in zip(list(dict.fromkeys(t.sort_values(["lends", "slo_target"]).variant)),
                                colors_for(len(t))):
            row = t[t.variant == variant].iloc[0]
            run = next(r for r in runs if r.rid == row["run"] and r.seed == row["seed"])
            d = run.run.services[run.run.services.service == name]
            h = ((d.time_s.to_numpy() - 1e-9) // 3600 % 24).astype(int)
            p99 = d.assign(h=h, p=1000 * d.p99_latency_s.clip(upper=10)).groupby("h").p.mean()
            a2.plot(p99.index + 0.5, p99.values, marker="o", ms=3, lw=1.5, color=col, label=variant)
        a2.set_title(f"{name}: p99 request latency")
        a2.set_ylabel("ms")
        a2.legend(fontsize=8)
    savefig(fig, outdir, "colocation.png", written)


def colocation_section(table):
    lines = ["## Online/offline colocation: batch work on the services' chips", "",
             "Per service and variant, median over seeds: SLO attainment (share of requests within the "
             "SLO, weighted by request rate), p99 latency (mean over samples; worst sample), chips kept "
             "for requests, lent and running batch (means over the samples), the batch work that rode "
             "on them (borrowed chip-hours a day), preemptions and chip-hours lost by the batch jobs a "
             "day. Figure: `colocation.png`; every run: `colocation.csv`.", "",
             "| service | variant | seeds | SLO attainment | p99 mean / worst [ms] | kept | lent | running batch "
             "| batch chip-h/day | preemptions/day | lost chip-h/day |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for (name, variant), d in table.groupby(["service", "variant"], sort=False):
        m = d.median(numeric_only=True)
        lines.append(f"| {md_escape(name)} | {md_escape(variant)} | {d.seed.nunique()} | "
                     f"{m.attainment_pct:.3f}% | {m.p99_mean_ms:.0f} / {m.p99_max_ms:.0f} | "
                     f"{m.kept_chips:.0f} | {m.lent_chips:.0f} | {m.borrowed_chips:.0f} | "
                     f"{m.ridden_chip_h_per_day:,.0f} | {m.preemptions_per_day:.1f} | "
                     f"{m.lost_chip_h_per_day:.1f} |")
    lines.append("")
    return lines


# --------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="report.py", description="Figures and summary.md from suanwang HDF5 files.")
    ap.add_argument("files", nargs="+", metavar="FILE.h5")
    ap.add_argument("-o", "--output", metavar="DIR",
                    help="output folder (default: <stem of first FILE>_report beside it)")
    args = ap.parse_args(argv)
    try:
        every = load_runs(args.files)
        sweeps = sweep_tables(args.files)
    except InputError as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 2
    first = os.path.abspath(args.files[0])
    outdir = args.output or os.path.join(os.path.dirname(first),
                                         os.path.splitext(os.path.basename(first))[0] + "_report")
    os.makedirs(outdir, exist_ok=True)
    assign_labels(every)
    runs = [r for r in every if r.ok]
    failed = [r for r in every if not r.ok]
    notes = [
        "Everything here comes from the HDF5 file(s): city coordinates, center capacities "
        "(chips per center = sum of `network/pools.count`) and link endpoints from each run's "
        "`/runs/<id>/network` tables, the network as simulated (the scenario's overrides "
        "applied).",
        "Utilisation heat map = `centers/<city>/busy_chips` / the center's chips.",
        "Link utilisation: mean over samples of `links/utilization` (max of both directions), "
        "per link of `network/links` (`A-B/carrier`); parallel carriers are drawn side by side.",
    ]
    if any(r.run.network.empty for r in runs):
        notes.append("Some runs have no `network/` (format 1.0 files): their heat maps use each "
                     "center's peak busy chips as capacity and the map leaves them out.")
    if failed:
        notes.append(f"{len(failed)} failed run(s) are listed under \"Failed runs\" and left out "
                     "of every figure.")
    if len(runs) > MANY_RUNS:
        notes.append(f"{len(runs)} completed runs (> {MANY_RUNS}): CDFs pool the completed jobs "
                     "of all runs of a policy; heat maps, map and bar charts average runs per "
                     "policy.")
    elif len(runs) > 4:
        notes.append("More than 4 runs: heat maps and bar charts average runs per policy.")

    figures = []
    if runs:
        fig_cdf(runs, outdir, figures, "wait")
        fig_cdf(runs, outdir, figures, "jct")
        fig_heatmaps(runs, outdir, figures)
        fig_map(runs, outdir, figures)
        fig_center_totals(runs, outdir, figures)
        fig_traffic(runs, outdir, figures)
        fig_split_jobs(runs, outdir, figures)
    packing = [r for r in runs if is_packing(r)]
    extra = []
    if packing:
        table = packing_table(packing)
        fig_packing(table, outdir, figures)
        table.to_csv(os.path.join(outdir, "gpu_allocation.csv"), index=False)
        extra = packing_section(table)
        notes.append(f"{len(packing)} static-packing run(s) (servers, local_queue \"none\"): "
                     "`gpu_allocation.png` and the section above; fragmented GPUs are the centers' "
                     "`fragmented_chips` samples, against the GPU demand arrived before each sample.")
    pooled = [r for r in runs if is_server_queue(r)]
    if pooled:
        table, hourly = pooling_table(pooled)
        fig_pooling(table, hourly, outdir, figures)
        table.to_csv(os.path.join(outdir, "pooling.csv"), index=False)
        extra += pooling_section(table)
        notes.append(f"{len(pooled)} run(s) with jobs queueing for centers made of servers: `pooling.png` "
                     "and the pooling section; a pooled run ignores node_placement and a node-bound run "
                     "pooling_slowdown, so only the first run of each (variant, seed) is counted.")
    # Runs with services, when one of them lends: the others are its baselines.
    colo = [r for r in runs if service_params(r)] if any(is_colocation(r) for r in runs) else []
    if colo:
        table = colocation_table(colo)
        if not table.empty:
            fig_colocation(table, colo, outdir, figures)
            table.to_csv(os.path.join(outdir, "colocation.csv"), index=False)
            extra += colocation_section(table)
            notes.append(f"{len(colo)} run(s) where an inference service lends its chips: "
                         "`colocation.png` and the colocation section; a service's batch jobs are the "
                         "other jobs of its deployment's pool.")
    write_summary(runs, failed, sweeps, outdir, figures, notes, args.files, extra)
    write_csv(every, outdir)
    print(f"report.py: wrote {len(figures)} figures, summary.md and summary.csv to {outdir}"
          + (f" ({len(failed)} failed run(s) listed, not drawn)" if failed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
