#!/usr/bin/python3
"""Build a national topology GraphML from the CSV data of topology/data.

Usage: scripts/make_topology.py [--vintage 2025|2023] [--cities CSV] [--capacity CSV]
                                [--links CSV] [--require-sources] [-o OUT]

The shipped files are two vintages of the network:
  --vintage 2025 (default): topology/china.graphml from cities-2025.csv, capacity-2025.csv
                            (the pools, from published capacity) and links.csv;
  --vintage 2023:           topology/china-2023.graphml from cities-2023.csv and links.csv.
Explicit --cities/--capacity/--links/-o replace a vintage's defaults (bench/ writes
synthetic topologies that way).

Sources: a value column X of a data CSV may have a source column (SOURCE_COLUMNS
below) holding keys of topology/data/SOURCES.md ("key" or "key; key") or
"estimate: reason". With --require-sources every value must have one, and every
key must be a `### key` of SOURCES.md (the shipped data is built this way). Each
city and link gets an `estimated` attribute listing its estimated values, and the
graph a `vintage` attribute.

Capacity (--capacity): per center, FP16-dense PFLOPS and a chip mix (shares of
chips); the pools are servers of `per_server` chips:
  chips = PFLOPS x 1000 / sum(share x chip TFLOPS), servers of a chip = round(share x chips / per_server).

Stdlib only. Output is deterministic (same input -> byte-identical file):
cities are written in file order, links in file order, keys in a fixed order.
Any problem in the input is reported as a single line on stderr
("make_topology.py: error: FILE line N: ...") and the exit status is 2.
"""
import argparse
import csv
import math
import os
import re
import sys
from xml.sax.saxutils import escape, quoteattr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "topology", "data")
DEF_LINKS = os.path.join(DATA, "links.csv")
DEF_ACCEL = os.path.join(ROOT, "topology", "accelerators.csv")
DEF_SOURCES = os.path.join(DATA, "SOURCES.md")
# Each shipped vintage: its cities, capacity (None: pools are in the cities file) and output.
VINTAGES = {
    "2025": (os.path.join(DATA, "cities-2025.csv"), os.path.join(DATA, "capacity-2025.csv"),
             os.path.join(ROOT, "topology", "china.graphml")),
    "2023": (os.path.join(DATA, "cities-2023.csv"), None, os.path.join(ROOT, "topology", "china-2023.graphml")),
}
DEF_VINTAGE = "2025"

CITY_COLS = ["name", "name_zh", "province", "lat", "lon", "grid", "demand",
             "price_cny_per_kwh", "pue", "hub", "interconnect"]
LINK_COLS = ["a", "b", "carrier", "bandwidth_gbps", "length_km"]
CAPACITY_COLS = ["city", "fp16_dense_pflops", "pflops_source", "mix", "mix_source", "per_server",
                 "per_server_source"]

# value attribute -> the column holding its source. Ids and names (name, name_zh,
# province, a, b, carrier) are definitions, not values.
CITY_SOURCES = {"lat": "coord_source", "lon": "coord_source", "grid": "grid_source", "demand": "demand_source",
                "price_cny_per_kwh": "price_source", "pue": "pue_source", "green_share": "green_source",
                "hub": "hub_source", "interconnect": "interconnect_source", "pools": "pools_source"}
LINK_SOURCES = {"bandwidth_gbps": "source", "length_km": "source", "latency_ms": "source"}

# (attribute, GraphML type) in output order
NODE_KEYS = [("name", "string"), ("name_zh", "string"), ("province", "string"),
             ("lat", "double"), ("lon", "double"), ("grid", "string"),
             ("demand", "double"), ("price_cny_per_kwh", "double"), ("pue", "double"),
             ("pools", "string"), ("hub", "string"), ("interconnect", "boolean"),
             ("green_share", "double"), ("capacity_pflops", "double"), ("estimated", "string")]
EDGE_KEYS = [("carrier", "string"), ("bandwidth_gbps", "double"),
             ("length_km", "double"), ("latency_ms", "double"), ("estimated", "string")]
GRAPH_KEYS = [("vintage", "string"), ("sources", "string")]


class InputError(Exception):
    pass


def fmt(x):
    """Canonical text for a double: integers without '.0', else shortest repr."""
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def number(where, col, text, lo=None, hi=None, positive=False):
    try:
        v = float(text)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {col} is not a number: {text!r}")
    if math.isnan(v) or math.isinf(v):
        raise InputError(f"{where}: {col} must be finite, got {text!r}")
    if positive and v <= 0:
        raise InputError(f"{where}: {col} must be > 0, got {text!r}")
    if lo is not None and v < lo:
        raise InputError(f"{where}: {col} must be >= {lo}, got {text!r}")
    if hi is not None and v > hi:
        raise InputError(f"{where}: {col} must be <= {hi}, got {text!r}")
    return v


def read_csv(path, required):
    """(header, [(line number, row)]) of a CSV file; '#' lines are comments."""
    try:
        f = open(path, encoding="utf-8", newline="")
    except OSError as e:
        raise InputError(f"{path}: cannot open: {e.strerror}")
    with f:
        try:
            lines = f.readlines()
            skip = 0
            while skip < len(lines) and lines[skip].startswith("#"):
                skip += 1
            # Later comment lines stay as blank lines (skipped by the reader), so line numbers hold.
            reader = csv.DictReader("\n" if line.startswith("#") else line for line in lines[skip:])
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(f"{path}: missing column(s): {', '.join(missing)}")
            rows = []
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise InputError(f"{path} line {reader.line_num + skip}: wrong number of fields")
                rows.append((reader.line_num + skip, {k: v.strip() for k, v in row.items()}))
            return header, rows
        except UnicodeDecodeError:
            raise InputError(f"{path}: not valid UTF-8")
        except csv.Error as e:
            raise InputError(f"{path}: CSV error: {e}")


def known_chips(path):
    """Chip ids of the accelerator catalog, or None if it is not there."""
    tflops = chip_tflops(path)
    return None if tflops is None else set(tflops)


def chip_tflops(path):
    """{chip: dense FP16 TFLOPS} of the accelerator catalog, or None if it is not there."""
    if not path or not os.path.exists(path):
        return None
    _, rows = read_csv(path, ["chip"])
    out = {}
    for line, r in rows:
        out[r["chip"]] = number(f"{path} line {line}", "fp16_tflops", r.get("fp16_tflops", ""), positive=True) \
            if "fp16_tflops" in r else 1.0
    return out


def source_keys(path):
    """The keys of SOURCES.md: the first word of each '### ' heading."""
    try:
        with open(path, encoding="utf-8") as f:
            return {line[4:].split()[0] for line in f if line.startswith("### ") and line[4:].strip()}
    except OSError as e:
        raise InputError(f"{path}: cannot open: {e.strerror}")


def is_estimate(source):
    return source.startswith("estimate")


class Sources:
    """Checks source cells against SOURCES.md and says which values are estimates."""

    def __init__(self, keys, required):
        self.keys, self.required = keys, required

    def check(self, where, column, cell):
        """True when the value is an estimate; InputError when the cell is missing or names no key."""
        if cell == "":
            if self.required:
                raise InputError(f"{where}: empty {column} (expected a key of SOURCES.md or 'estimate: reason')")
            return False
        if is_estimate(cell):
            if self.required and not re.match(r"estimate: \S", cell):
                raise InputError(f"{where}: {column} {cell!r}: an estimate must give its reason ('estimate: ...')")
            return True
        if self.keys is not None:
            for key in (k.strip() for k in cell.split(";")):
                if key not in self.keys:
                    raise InputError(f"{where}: {column}: {key!r} is not a key of SOURCES.md")
        return False

    def estimated(self, where, row, header, attributes):
        """Names of the attributes of `row` whose value is an estimate, in `attributes` order."""
        out = []
        for attr, col in attributes.items():
            if attr not in header or row.get(attr, "") == "" and attr in ("pools", "hub", "latency_ms"):
                continue
            if col not in header:
                if self.required:
                    raise InputError(f"{where}: no source column {col!r} for {attr}")
                continue
            if self.check(where, col, row[col]):
                out.append(attr)
        return out


# The pools grammar and its limit, as sim/topology/pools_text.hpp states them
# (kMaxPoolChips in sim/topology/topology.hpp). tests/topology/grammar_texts.txt
# lists texts that this parser and the C++ one must accept or reject alike.
MAX_POOL_CHIPS = 2_000_000
BLANKS = " \t"
POOLS_EXPECTED = "expected chip:count or chip:NxG, e.g. ascend-910b:4096 or ascend-910b:512x8"


def chip_number(text):
    """A whole number of chips written in decimal digits, or -1."""
    text = text.strip(BLANKS)
    if not text or any(c not in "0123456789" for c in text):
        return -1
    return int(text)


def pool_size(chip, size):
    """The canonical size text ("4096" or "512x8") of one pool."""
    servers, x, per_server = size.partition("x")
    if not x:
        count = chip_number(size)
        if count <= 0:
            raise ValueError(f"pool {chip}: count {size.strip(BLANKS)!r} is not a whole number of chips > 0 "
                             f"({POOLS_EXPECTED})")
        if count > MAX_POOL_CHIPS:
            raise ValueError(f"pool {chip}: {count} chips (expected at most {MAX_POOL_CHIPS} in one pool)")
        return str(count)
    n, g = chip_number(servers), chip_number(per_server)
    if n <= 0 or g <= 0:
        raise ValueError(f"pool {chip}: {size.strip(BLANKS)!r} is not N servers x G chips with whole numbers > 0 "
                         f"({POOLS_EXPECTED})")
    if n * g > MAX_POOL_CHIPS:
        raise ValueError(f"pool {chip}: {n}x{g} is {n * g} chips (expected at most {MAX_POOL_CHIPS} in one pool)")
    return f"{n}x{g}"


def pools_text(text, chips):
    """The canonical form of a pools text; ValueError says what is wrong.

    `chips` is the set of catalog chip ids, or None to accept any id."""
    if text.strip(BLANKS) == "":
        return ""
    out, seen = [], set()
    for entry in text.split(","):
        if entry.strip(BLANKS) == "":
            raise ValueError(f"empty entry (a stray ','); {POOLS_EXPECTED}")
        chip, colon, size = entry.partition(":")
        chip = chip.strip(BLANKS)
        if not colon or not chip or any(c in BLANKS for c in chip):
            raise ValueError(f"{entry.strip(BLANKS)!r} is not chip:count ({POOLS_EXPECTED})")
        if chips is not None and chip not in chips:
            raise ValueError(f"unknown chip {chip!r} (expected one of {', '.join(sorted(chips))})")
        size = pool_size(chip, size)
        if chip in seen:
            raise ValueError(f"chip {chip!r} listed twice")
        seen.add(chip)
        out.append(f"{chip}:{size}")
    return ",".join(out)


def id_problem(text):
    """Why `text` cannot be a city or carrier id ("" if it can): the rule of
    sim/topology/link_name.hpp, which keeps a link name "A-B/carrier" unambiguous."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_']*", text):
        return ""
    fixed = re.sub(r"[^A-Za-z0-9_']", "_", text)
    hint = f" (write {fixed!r})" if fixed != text and re.fullmatch(r"[A-Za-z][A-Za-z0-9_']*", fixed) else ""
    return (f"{text!r} is not an id: it must start with an ASCII letter and hold only letters, digits, "
            f"'_' and \"'\", so that a link name \"A-B/carrier\" has one reading{hint}")


def parse_pools(where, text, chips):
    try:
        return pools_text(text, chips)
    except ValueError as e:
        raise InputError(f"{where}: pools: {e}")


def parse_bool(where, text):
    t = text.lower()
    if t in ("1", "true", "yes"):
        return True
    if t in ("0", "false", "no", ""):
        return False
    raise InputError(f"{where}: interconnect must be 0/1/true/false, got {text!r}")


def city_row(where, r, header, chips):
    """One city of the cities CSV, its values checked (no sources)."""
    n = r["name"]
    if not n:
        raise InputError(f"{where}: empty city name")
    if id_problem(n):
        raise InputError(f"{where}: city name {id_problem(n)}")
    if not r["grid"]:
        raise InputError(f"{where}: empty grid for {n!r}")
    city = {
        "name": n, "name_zh": r["name_zh"], "province": r["province"],
        "lat": number(where, "lat", r["lat"], -90, 90),
        "lon": number(where, "lon", r["lon"], -180, 180),
        "grid": r["grid"],
        "demand": number(where, "demand", r["demand"], lo=0),
        "price_cny_per_kwh": number(where, "price_cny_per_kwh", r["price_cny_per_kwh"], lo=0),
        "pue": number(where, "pue", r["pue"], lo=1),
        "pools": parse_pools(where, r.get("pools", ""), chips),
        "hub": r["hub"],
        "interconnect": parse_bool(where, r["interconnect"]),
    }
    if "green_share" in header:
        city["green_share"] = number(where, "green_share", r["green_share"] or "0", 0, 1)
    return city


def load_cities(path, chips, sources):
    header, rows = read_csv(path, CITY_COLS)
    cities, names = [], {}
    for line, r in rows:
        where = f"{path} line {line}"
        city = city_row(where, r, header, chips)
        if city["name"] in names:
            raise InputError(f"{where}: duplicate city name {city['name']!r} (first on line {names[city['name']]})")
        names[city["name"]] = line
        city["estimated"] = sources.estimated(where, r, header, CITY_SOURCES)
        cities.append(city)
    if not cities:
        raise InputError(f"{path}: no cities")
    return cities


def capacity_pools(where, pflops, mix, per_server, tflops):
    """The pools text of a center of `pflops` FP16-dense PFLOPS with chip shares `mix`, in servers."""
    shares = []
    for part in mix.split(","):
        chip, _, share = part.partition(":")
        chip = chip.strip()
        if chip not in tflops:
            raise InputError(f"{where}: mix: unknown chip {chip!r}")
        shares.append((chip, number(where, f"mix share of {chip}", share, positive=True)))
    total = sum(x for _, x in shares)
    if abs(total - 1) > 0.01:
        raise InputError(f"{where}: mix shares sum to {total:g} (expected 1)")
    chips = pflops * 1000 / sum(x / total * tflops[c] for c, x in shares)
    return ",".join(f"{c}:{max(1, round(x / total * chips / per_server))}x{per_server}" for c, x in shares)


def apply_capacity(path, cities, tflops, sources):
    """Pools of the cities from published capacity (see the module docstring)."""
    header, rows = read_csv(path, CAPACITY_COLS)
    by_name = {c["name"]: c for c in cities}
    for line, r in rows:
        where = f"{path} line {line}"
        city = by_name.get(r["city"])
        if city is None:
            raise InputError(f"{where}: unknown city {r['city']!r}")
        if city["pools"]:
            raise InputError(f"{where}: {r['city']} already has pools")
        pflops = number(where, "fp16_dense_pflops", r["fp16_dense_pflops"], positive=True)
        per_server = int(number(where, "per_server", r["per_server"], positive=True))
        city["pools"] = parse_pools(where, capacity_pools(where, pflops, r["mix"], per_server, tflops), set(tflops))
        city["capacity_pflops"] = pflops
        estimated = [a for a, col in (("capacity_pflops", "pflops_source"), ("pools", "mix_source"),
                                      ("pools", "per_server_source")) if sources.check(where, col, r[col])]
        city["estimated"] += [a for a in dict.fromkeys(estimated) if a not in city["estimated"]]


def load_links(path, names, sources):
    header, rows = read_csv(path, LINK_COLS)
    has_lat = "latency_ms" in header
    links, seen = [], {}
    for line, r in rows:
        where = f"{path} line {line}"
        a, b, c = r["a"], r["b"], r["carrier"]
        for end in (a, b):
            if end not in names:
                raise InputError(f"{where}: unknown city {end!r}")
        if a == b:
            raise InputError(f"{where}: self-loop {a}-{b}")
        if id_problem(c):
            raise InputError(f"{where}: carrier {id_problem(c)}")
        key = (min(a, b), max(a, b), c)
        if key in seen:
            raise InputError(f"{where}: duplicate link {a}-{b}/{c} (first on line {seen[key]})")
        seen[key] = line
        link = {"a": a, "b": b, "carrier": c,
                "bandwidth_gbps": number(where, "bandwidth_gbps", r["bandwidth_gbps"], positive=True),
                "length_km": number(where, "length_km", r["length_km"], positive=True)}
        if has_lat and r["latency_ms"] != "":
            link["latency_ms"] = number(where, "latency_ms", r["latency_ms"], positive=True)
        link["estimated"] = sources.estimated(where, r, header, LINK_SOURCES)
        links.append(link)
    return links


def value_text(v, typ):
    if typ == "boolean":
        return "true" if v else "false"
    if typ == "double":
        return fmt(v)
    return escape(v)


def graphml(cities, links, graph_data=None):
    """The GraphML text. Optional keys (green_share, capacity_pflops, estimated, latency_ms,
    the graph's) are declared only when some element has them."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
           ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
           ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
           ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    optional = ("green_share", "capacity_pflops", "estimated", "latency_ms")
    node_keys = [k for k in NODE_KEYS if k[0] not in optional or any(k[0] in c for c in cities)]
    edge_keys = [k for k in EDGE_KEYS if k[0] not in optional or any(k[0] in l for l in links)]
    graph_data = graph_data or {}
    graph_keys = [k for k in GRAPH_KEYS if k[0] in graph_data]
    ids = {}
    for kind, prefix, keys in (("node", "n", node_keys), ("edge", "e", edge_keys), ("graph", "g", graph_keys)):
        for i, (n, t) in enumerate(keys):
            ids[(kind, n)] = f"{prefix}{i}"
            out.append(f'  <key id="{prefix}{i}" for="{kind}" attr.name="{n}" attr.type="{t}"/>')
    out.append('  <graph id="china" edgedefault="undirected">')
    for n, t in graph_keys:
        out.append(f'    <data key="{ids[("graph", n)]}">{value_text(graph_data[n], t)}</data>')
    for c in cities:
        out.append(f'    <node id={quoteattr(c["name"])}>')
        for n, t in node_keys:
            if n in c:
                v = ",".join(c[n]) if n == "estimated" else c[n]
                out.append(f'      <data key="{ids[("node", n)]}">{value_text(v, t)}</data>')
        out.append('    </node>')
    for i, l in enumerate(links):
        out.append(f'    <edge id="l{i}" source={quoteattr(l["a"])} target={quoteattr(l["b"])}>')
        for n, t in edge_keys:
            if n in l:
                v = ",".join(l[n]) if n == "estimated" else l[n]
                out.append(f'      <data key="{ids[("edge", n)]}">{value_text(v, t)}</data>')
        out.append('    </edge>')
    out.append('  </graph>')
    out.append('</graphml>')
    return "\n".join(out) + "\n"


def build(args):
    """The GraphML text and a one-line summary, from the parsed arguments."""
    cities_csv, capacity_csv, _ = VINTAGES[args.vintage]
    cities_csv = args.cities or cities_csv
    capacity_csv = args.capacity if args.capacity is not None else (None if args.cities else capacity_csv)
    tflops = chip_tflops(args.accelerators)
    chips = None if tflops is None else set(tflops)
    keys = source_keys(args.sources) if args.require_sources or os.path.exists(args.sources) else None
    sources = Sources(keys, args.require_sources)
    cities = load_cities(cities_csv, chips, sources)
    if capacity_csv:
        if tflops is None:
            raise InputError(f"{capacity_csv}: the accelerator catalog is needed to turn capacity into chips")
        apply_capacity(capacity_csv, cities, tflops, sources)
    if not args.require_sources and all(not c["estimated"] for c in cities):
        for c in cities:
            del c["estimated"]
    links = load_links(args.links, {c["name"] for c in cities}, sources)
    if not args.require_sources and all(not l["estimated"] for l in links):
        for l in links:
            del l["estimated"]
    graph_data = {}
    if not args.cities:
        graph_data = {"vintage": args.vintage, "sources": "topology/data/SOURCES.md"}
    ncenters = sum(1 for c in cities if c["pools"])
    return graphml(cities, links, graph_data), f"{len(cities)} cities ({ncenters} centers), {len(links)} links"


def main(argv=None):
    ap = argparse.ArgumentParser(prog="make_topology.py",
                                 description="Build a national topology GraphML from CSV data.")
    ap.add_argument("--vintage", choices=sorted(VINTAGES), default=DEF_VINTAGE,
                    help="which shipped network to build (default: %(default)s)")
    ap.add_argument("--cities", help="cities CSV (default: the vintage's)")
    ap.add_argument("--capacity", help="capacity CSV giving the pools (default: the vintage's; none with --cities)")
    ap.add_argument("--links", default=DEF_LINKS, help="links CSV (default: %(default)s)")
    ap.add_argument("--accelerators", default=DEF_ACCEL,
                    help="accelerator catalog used to check pool chip ids, if present (default: %(default)s)")
    ap.add_argument("--sources", default=DEF_SOURCES, help="the sources file whose keys source cells name "
                    "(default: %(default)s)")
    ap.add_argument("--require-sources", action="store_true",
                    help="every value must name a source key or be 'estimate: reason'")
    ap.add_argument("-o", "--output", help="output GraphML (default: the vintage's)")
    args = ap.parse_args(argv)
    output = args.output or VINTAGES[args.vintage][2]
    try:
        text, summary = build(args)
    except InputError as e:
        print(f"make_topology.py: error: {e}", file=sys.stderr)
        return 2
    try:
        with open(output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except OSError as e:
        print(f"make_topology.py: error: {output}: cannot write: {e.strerror}", file=sys.stderr)
        return 2
    print(f"wrote {output}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
