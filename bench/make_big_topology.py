#!/usr/bin/python3
"""Write a synthetic N-city, 3-carrier topology (cities CSV + links CSV + GraphML)
to measure how routing scales beyond the 38-city national file.

usage: bench/make_big_topology.py N OUTDIR

Cities are placed on a jittered grid over China's bounding box (fixed seed);
each carrier joins every city to its 3 nearest neighbours plus a few random
long-haul trunks; one city in eight is an interconnection point; every city
hosts a small center. The GraphML is written by scripts/make_topology.py, so
it is exactly the format users write.
"""
import math
import os
import random
import subprocess
import sys

n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
rng = random.Random(1)
side = math.ceil(math.sqrt(n))
cities = []
for i in range(n):
    lat = 22 + 22 * ((i // side) + rng.random()) / side
    lon = 88 + 38 * ((i % side) + rng.random()) / side
    cities.append((f"C{i:04d}", lat, lon))
with open(os.path.join(out, "cities.csv"), "w") as f:
    f.write("name,name_zh,province,lat,lon,grid,demand,price_cny_per_kwh,pue,hub,interconnect,pools\n")
    for i, (name, lat, lon) in enumerate(cities):
        f.write(f"{name},,,{lat:.3f},{lon:.3f},north,1,0.5,1.2,,{1 if i % 8 == 0 else 0},ascend-910b:512\n")


def km(a, b):
    (_, la1, lo1), (_, la2, lo2) = a, b
    p1, p2, dl = math.radians(la1), math.radians(la2), math.radians(lo2 - lo1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371 * math.acos(max(-1.0, min(1.0, c))) * 1.2


seen = set()
with open(os.path.join(out, "links.csv"), "w") as f:
    f.write("a,b,carrier,bandwidth_gbps,length_km\n")
    for carrier in ("ct", "cm", "cu"):
        edges = []
        for i, c in enumerate(cities):
            near = sorted(range(n), key=lambda j: km(c, cities[j]))[1:4]
            edges += [(i, j) for j in near]
        edges += [(rng.randrange(n), rng.randrange(n)) for _ in range(n // 10)]
        for i, j in edges:
            key = (min(i, j), max(i, j), carrier)
            if i == j or key in seen:
                continue
            seen.add(key)
            f.write(f"{cities[i][0]},{cities[j][0]},{carrier},400,{max(1.0, km(cities[i], cities[j])):.1f}\n")
here = os.path.dirname(os.path.abspath(__file__))
subprocess.run([sys.executable, os.path.join(here, "..", "scripts", "make_topology.py"),
                "--cities", os.path.join(out, "cities.csv"), "--links", os.path.join(out, "links.csv"),
                "-o", os.path.join(out, f"big_{n}.graphml")], check=True)
print(os.path.join(out, f"big_{n}.graphml"))
