"""The Python side of the suanwang HDF5 run format (see __init__.py).

The names below mirror sim/record/run_format.hpp, the format's one home;
everything else (fields, units, descriptions) is read from the file itself.
"""
import functools
import os

import h5py
import numpy as np
import pandas as pd

FORMAT_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6")

# Groups, datasets and attributes (sim/record/run_format.hpp).
RUNS = "runs"
JOBS, PARTS, CENTERS, LINKS, SERVICES = "jobs", "parts", "centers", "links", "services"
SUMMARY, CENTER_TOTALS, NETWORK = "summary", "center_totals", "network"
DATASETS, STORAGE, TRAFFIC, FLOWS = "datasets", "storage", "traffic", "flows"
NETWORK_CITIES, NETWORK_POOLS, NETWORK_LINKS = "cities", "pools", "links"
LINK_NAMES, LINK_TIME, LINK_SERIES = "names", "time_s", ("utilization", "bytes", "up")
SWEEP, SWEEP_SUMMARY = "sweep", "sweep_summary"
PARAM_PREFIX, SWEEP_PREFIX = "param.", "sweep."
UNITS_PREFIX, DESCRIPTION_PREFIX = "units.", "description."
STATUS_COMPLETED = "completed"


class FormatError(Exception):
    """The file is missing, not HDF5, not a suanwang result file, or of a
    format version this module does not read."""


def _text(v):
    """An HDF5 string (bytes, numpy bytes, str) as str; other values as is."""
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray):
        if v.shape == ():
            return _text(v[()])
        return [_text(x) for x in v.tolist()]
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def _attrs(obj):
    return {k: _text(v) for k, v in obj.attrs.items()}


def _description(ds):
    """{"table": text, "units": {field: units}, "description": {field: text}} of a
    compound dataset (from its description, units.<f> and description.<f>)."""
    a = ds.attrs
    names = ds.dtype.names or ()
    return {"table": _text(a.get("description", "")),
            "units": {n: _text(a.get(UNITS_PREFIX + n, "")) for n in names},
            "description": {n: _text(a.get(DESCRIPTION_PREFIX + n, "")) for n in names}}


def _table(arr):
    """A structured array as a DataFrame, string fields decoded to str."""
    names = arr.dtype.names or ()
    cols = {}
    for n in names:
        col = arr[n]
        if col.dtype.kind in ("S", "O"):
            cols[n] = pd.Series([x.decode("utf-8", "replace") if isinstance(x, bytes) else _text(x)
                                 for x in col.tolist()], dtype=object)
        else:
            cols[n] = pd.Series(col)
    return pd.DataFrame(cols, columns=list(names))


def _frame(ds):
    """A compound dataset as a DataFrame described by its _description
    (DataFrame.attrs)."""
    df = _table(ds[()])
    df.attrs.update(_description(ds))
    return df


def _stack(group, names, key, first_columns=()):
    """The compound datasets `names` of `group` (one layout) stacked, with a
    leading `key` column holding each one's name; described by the first."""
    if not names:
        return pd.DataFrame(columns=[key, *first_columns])
    arrays = [group[n][()] for n in names]
    df = _table(np.concatenate(arrays))
    df.insert(0, key, np.repeat(np.asarray(names, dtype=object), [len(x) for x in arrays]))
    df.attrs.update(_description(group[names[0]]))
    df.attrs["units"] = {key: "", **df.attrs["units"]}
    return df


class Network:
    """The network a run simulated: cities, pools, links DataFrames (empty for
    a failed run or a format 1.0 file) and the topology file it came from."""

    def __init__(self, cities, pools, links, topology_file=""):
        self.cities, self.pools, self.links = cities, pools, links
        self.topology_file = topology_file

    @property
    def empty(self):
        return self.cities.empty

    def chips_per_center(self):
        """Series: total chips of each center (city name), in center order."""
        if self.pools.empty:
            return pd.Series(dtype="int64")
        return self.pools.groupby("center", sort=False)["count"].sum()


class Run:
    """One /runs/<id>: attributes and summary read at once, tables on first use."""

    def __init__(self, file, run_id, group):
        self._file = file
        self.id = run_id
        self.attrs = _attrs(group)
        self.summary = _attrs(group[SUMMARY]) if SUMMARY in group else {}
        self.summary.pop("description", None)
        self._members = set(group.keys())

    def __repr__(self):
        return f"<suanwang.Run {self.id} {self.policy} {self.status}>"

    # ---- attributes
    @property
    def path(self):
        return self._file.path

    @property
    def status(self):
        return self.attrs.get("status", "")

    @property
    def ok(self):
        """Completed (has its tables and summary)."""
        return self.status == STATUS_COMPLETED and bool(self.summary)

    @property
    def policy(self):
        return self.attrs.get("policy_name", "")

    @property
    def scenario(self):
        return self.attrs.get("scenario_name", "")

    @property
    def seed(self):
        return self.attrs.get("seed")

    @property
    def params(self):
        """Every resolved scenario value, as text (attributes param.<key>)."""
        return {k[len(PARAM_PREFIX):]: v for k, v in self.attrs.items() if k.startswith(PARAM_PREFIX)}

    @property
    def sweep_point(self):
        """This run's sweep settings (axis -> value as text); {} outside sweeps."""
        return {k[len(SWEEP_PREFIX):]: v for k, v in self.attrs.items() if k.startswith(SWEEP_PREFIX)}

    # ---- tables
    def _read(self, fn):
        with h5py.File(self.path, "r") as h:
            return fn(h[RUNS][self.id])

    @functools.cached_property
    def jobs(self):
        return self._optional(JOBS)

    @functools.cached_property
    def parts(self):
        """Parts of the training jobs split over several centers (format 1.3;
        empty before, and when no job was split)."""
        if PARTS not in self._members:
            return pd.DataFrame()
        return self._read(lambda g: _frame(g[PARTS]))

    @functools.cached_property
    def flows(self):
        """Every flow of bytes on the network (format 1.6, runs with
        record_flows = true; empty otherwise): job, purpose, src, dst,
        from_storage, variant, start_s, end_s, bytes, moved_B, outcome."""
        return self._optional(FLOWS)

    @functools.cached_property
    def center_totals(self):
        return self._optional(CENTER_TOTALS)

    def _optional(self, member):
        """The table `member` of this run, or an empty DataFrame when the run has
        none (older formats, failed runs, runs without a data tier)."""
        if member not in self._members:
            return pd.DataFrame()
        return self._read(lambda g: _frame(g[member]))

    @functools.cached_property
    def datasets(self):
        """The dataset catalog (format 1.3): name, size_B, weight, homes,
        requests, cache_served."""
        return self._optional(DATASETS)

    @functools.cached_property
    def storage(self):
        """Storage sites (format 1.3): city, read_Bps, capacity_B, read_B."""
        return self._optional(STORAGE)

    @functools.cached_property
    def traffic(self):
        """Traffic matrix (format 1.3): src, dst, purpose, bytes (non-zero cells)."""
        return self._optional(TRAFFIC)

    def traffic_matrix(self, purpose=None):
        """Bytes from city (index) to city (columns), summed over purposes or for one."""
        df = self.traffic
        if df.empty:
            return pd.DataFrame()
        if purpose is not None:
            df = df[df["purpose"] == purpose]
        return df.pivot_table(index="src", columns="dst", values="bytes", aggfunc="sum", fill_value=0.0)

    @functools.cached_property
    def network(self):
        if NETWORK not in self._members:
            return Network(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())

        def read(g):
            n = g[NETWORK]
            return Network(_frame(n[NETWORK_CITIES]), _frame(n[NETWORK_POOLS]),
                           _frame(n[NETWORK_LINKS]), _text(n.attrs.get("topology_file", "")))
        return self._read(read)

    def center_names(self):
        """Center names in the engine's order (network order; sorted for 1.0 files)."""
        if not self.network.pools.empty:
            return list(dict.fromkeys(self.network.pools["center"]))
        if CENTERS not in self._members:
            return []
        return self._read(lambda g: sorted(g[CENTERS].keys()))

    @functools.cached_property
    def centers(self):
        """Long format: one row per (center, sample)."""
        if CENTERS not in self._members:
            return pd.DataFrame(columns=["center", "time_s"])
        names = self.center_names()

        def read(g):
            present = [n for n in names if n in g[CENTERS]]
            return _stack(g[CENTERS], present, "center", ["time_s"])
        return self._read(read)

    @functools.cached_property
    def services(self):
        """Long format: one row per (service, sample)."""
        if SERVICES not in self._members:
            return pd.DataFrame(columns=["service", "time_s"])

        def read(g):
            return _stack(g[SERVICES], sorted(g[SERVICES].keys()), "service", ["time_s"])
        return self._read(read)

    @functools.cached_property
    def links(self):
        """Long format: one row per (sample, link): link, time_s, utilization, bytes, up."""
        cols = ["link", "time_s", *LINK_SERIES]
        if LINKS not in self._members:
            return pd.DataFrame(columns=cols)

        def read(g):
            lg = g[LINKS]
            names = [_text(x) for x in lg[LINK_NAMES][()].tolist()]
            t = lg[LINK_TIME][()]
            data = {"link": np.tile(np.asarray(names, dtype=object), len(t)),
                    "time_s": np.repeat(t, len(names))}
            units = {"link": "", "time_s": _text(lg[LINK_TIME].attrs.get("units", ""))}
            for s in LINK_SERIES:
                data[s] = lg[s][()].reshape(-1)
                units[s] = _text(lg[s].attrs.get("units", ""))
            df = pd.DataFrame(data, columns=cols)
            df.attrs["units"] = units
            return df
        return self._read(read)

    def link_matrix(self, series="utilization"):
        """Wide format of one link series: index time_s, one column per link."""
        df = self.links
        if df.empty:
            return pd.DataFrame()
        return df.pivot(index="time_s", columns="link", values=series)[
            list(dict.fromkeys(df["link"]))]


class File:
    """A suanwang result file: root attributes, its runs (by id, in id order,
    which is plan order for sweeps) and, for sweeps, the sweep table."""

    def __init__(self, path):
        self.path = os.fspath(path)
        if not os.path.exists(self.path):
            raise FormatError(f"{self.path}: no such file")
        if not os.path.isfile(self.path):
            raise FormatError(f"{self.path}: not a file")
        try:
            h = h5py.File(self.path, "r")
        except OSError as e:
            raise FormatError(f"{self.path}: not an HDF5 file ({str(e).splitlines()[0]})")
        with h:
            if RUNS not in h or not isinstance(h[RUNS], h5py.Group):
                raise FormatError(f"{self.path}: not a suanwang result file (no /{RUNS} group)")
            self.attrs = _attrs(h)
            version = self.attrs.get("format_version", "")
            if version not in FORMAT_VERSIONS:
                raise FormatError(f"{self.path}: format_version {version!r} is not one of "
                                  f"{', '.join(FORMAT_VERSIONS)} (a newer suanwang wrote it?)")
            self.runs = {rid: Run(self, rid, h[RUNS][rid]) for rid in sorted(h[RUNS].keys())}
            self.sweep_info = _attrs(h[SWEEP]) if SWEEP in h else None
            self._has_sweep_summary = SWEEP_SUMMARY in h

    def __repr__(self):
        return (f"<suanwang.File {self.path}: {len(self.runs)} run(s), "
                f"{len(self.failed)} failed, format {self.format_version}>")

    def __iter__(self):
        return iter(self.runs.values())

    def __len__(self):
        return len(self.runs)

    def __getitem__(self, run_id):
        return self.runs[run_id]

    @property
    def format_version(self):
        return self.attrs.get("format_version", "")

    def run(self, run_id=None):
        """The run `run_id`, or the only run of the file."""
        if run_id is not None:
            return self.runs[run_id]
        if len(self.runs) != 1:
            raise KeyError(f"{self.path} holds {len(self.runs)} runs: name one of "
                           f"{', '.join(list(self.runs)[:5])}{' ...' if len(self.runs) > 5 else ''}")
        return next(iter(self.runs.values()))

    @property
    def completed(self):
        return [r for r in self.runs.values() if r.ok]

    @property
    def failed(self):
        return [r for r in self.runs.values() if not r.ok]

    @functools.cached_property
    def sweep(self):
        """/sweep_summary as a DataFrame (one row per point-group), or None."""
        if not self._has_sweep_summary:
            return None
        with h5py.File(self.path, "r") as h:
            return _frame(h[SWEEP_SUMMARY])

    @functools.cached_property
    def summaries(self):
        """One row per run (index: run id): status, scenario, policy, seed, the
        sweep settings (sweep.<axis>) and the summary numbers (NaN for a run
        without a summary)."""
        rows = []
        for r in self.runs.values():
            row = {"run": r.id, "status": r.status, "scenario": r.scenario, "policy": r.policy,
                   "seed": r.seed}
            row.update({SWEEP_PREFIX + k: v for k, v in r.sweep_point.items()})
            row.update(r.summary)
            rows.append(row)
        return pd.DataFrame(rows).set_index("run") if rows else pd.DataFrame()


def read(path):
    """Opens a suanwang result file: File (raises FormatError for anything else)."""
    return File(path)
