#!/usr/bin/python3
"""Build topology/china.graphml from topology/data/cities.csv and links.csv.

Usage: scripts/make_topology.py [--cities CSV] [--links CSV] [-o OUT]

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
DEF_CITIES = os.path.join(ROOT, "topology", "data", "cities.csv")
DEF_LINKS = os.path.join(ROOT, "topology", "data", "links.csv")
DEF_OUT = os.path.join(ROOT, "topology", "china.graphml")
DEF_ACCEL = os.path.join(ROOT, "topology", "accelerators.csv")

CITY_COLS = ["name", "name_zh", "province", "lat", "lon", "grid", "demand",
             "price_cny_per_kwh", "pue", "hub", "interconnect", "pools"]
LINK_COLS = ["a", "b", "carrier", "bandwidth_gbps", "length_km"]

# (attribute, GraphML type) in output order
NODE_KEYS = [("name", "string"), ("name_zh", "string"), ("province", "string"),
             ("lat", "double"), ("lon", "double"), ("grid", "string"),
             ("demand", "double"), ("price_cny_per_kwh", "double"), ("pue", "double"),
             ("pools", "string"), ("hub", "string"), ("interconnect", "boolean")]
EDGE_KEYS = [("carrier", "string"), ("bandwidth_gbps", "double"),
             ("length_km", "double"), ("latency_ms", "double")]


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
    try:
        f = open(path, encoding="utf-8", newline="")
    except OSError as e:
        raise InputError(f"{path}: cannot open: {e.strerror}")
    with f:
        try:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(f"{path}: missing column(s): {', '.join(missing)}")
            rows = []
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise InputError(f"{path} line {reader.line_num}: wrong number of fields")
                rows.append((reader.line_num, {k: v.strip() for k, v in row.items()}))
            return header, rows
        except UnicodeDecodeError:
            raise InputError(f"{path}: not valid UTF-8")
        except csv.Error as e:
            raise InputError(f"{path}: CSV error: {e}")


def known_chips(path):
    """Chip ids of the accelerator catalog, or None if it is not there."""
    if not path or not os.path.exists(path):
        return None
    _, rows = read_csv(path, ["chip"])
    return {r["chip"] for _, r in rows}


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


def load_cities(path, chips):
    _, rows = read_csv(path, CITY_COLS)
    cities, names = [], {}
    for line, r in rows:
        where = f"{path} line {line}"
        n = r["name"]
        if not n:
            raise InputError(f"{where}: empty city name")
        if id_problem(n):
            raise InputError(f"{where}: city name {id_problem(n)}")
        if n in names:
            raise InputError(f"{where}: duplicate city name {n!r} (first on line {names[n]})")
        names[n] = line
        if not r["grid"]:
            raise InputError(f"{where}: empty grid for {n!r}")
        cities.append({
            "name": n, "name_zh": r["name_zh"], "province": r["province"],
            "lat": number(where, "lat", r["lat"], -90, 90),
            "lon": number(where, "lon", r["lon"], -180, 180),
            "grid": r["grid"],
            "demand": number(where, "demand", r["demand"], lo=0),
            "price_cny_per_kwh": number(where, "price_cny_per_kwh", r["price_cny_per_kwh"], lo=0),
            "pue": number(where, "pue", r["pue"], lo=1),
            "pools": parse_pools(where, r["pools"], chips),
            "hub": r["hub"],
            "interconnect": parse_bool(where, r["interconnect"]),
        })
    if not cities:
        raise InputError(f"{path}: no cities")
    return cities


def load_links(path, names):
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
        links.append(link)
    return links


def value_text(v, typ):
    if typ == "boolean":
        return "true" if v else "false"
    if typ == "double":
        return fmt(v)
    return escape(v)


def graphml(cities, links):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
           ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
           ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
           ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    edge_keys = [k for k in EDGE_KEYS if k[0] != "latency_ms" or any("latency_ms" in l for l in links)]
    ids = {}
    for i, (n, t) in enumerate(NODE_KEYS):
        ids[("node", n)] = f"n{i}"
        out.append(f'  <key id="n{i}" for="node" attr.name="{n}" attr.type="{t}"/>')
    for i, (n, t) in enumerate(edge_keys):
        ids[("edge", n)] = f"e{i}"
        out.append(f'  <key id="e{i}" for="edge" attr.name="{n}" attr.type="{t}"/>')
    out.append('  <graph id="china" edgedefault="undirected">')
    for c in cities:
        out.append(f'    <node id={quoteattr(c["name"])}>')
        for n, t in NODE_KEYS:
            out.append(f'      <data key="{ids[("node", n)]}">{value_text(c[n], t)}</data>')
        out.append('    </node>')
    for i, l in enumerate(links):
        out.append(f'    <edge id="l{i}" source={quoteattr(l["a"])} target={quoteattr(l["b"])}>')
        for n, t in edge_keys:
            if n in l:
                out.append(f'      <data key="{ids[("edge", n)]}">{value_text(l[n], t)}</data>')
        out.append('    </edge>')
    out.append('  </graph>')
    out.append('</graphml>')
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(prog="make_topology.py",
                                 description="Build the national topology GraphML from CSV data.")
    ap.add_argument("--cities", default=DEF_CITIES, help="cities CSV (default: %(default)s)")
    ap.add_argument("--links", default=DEF_LINKS, help="links CSV (default: %(default)s)")
    ap.add_argument("--accelerators", default=DEF_ACCEL,
                    help="accelerator catalog used to check pool chip ids, if present (default: %(default)s)")
    ap.add_argument("-o", "--output", default=DEF_OUT, help="output GraphML (default: %(default)s)")
    args = ap.parse_args(argv)
    try:
        chips = known_chips(args.accelerators)
        cities = load_cities(args.cities, chips)
        links = load_links(args.links, {c["name"] for c in cities})
        text = graphml(cities, links)
    except InputError as e:
        print(f"make_topology.py: error: {e}", file=sys.stderr)
        return 2
    try:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except OSError as e:
        print(f"make_topology.py: error: {args.output}: cannot write: {e.strerror}", file=sys.stderr)
        return 2
    ncenters = sum(1 for c in cities if c["pools"])
    print(f"wrote {args.output}: {len(cities)} cities ({ncenters} centers), {len(links)} links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
