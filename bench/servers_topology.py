#!/usr/bin/python3
"""Write a copy of a GraphML topology whose flat pools are made of servers,
for the node-model rows of bench/run.sh.

usage: bench/servers_topology.py IN.graphml OUT.graphml [GPUS_PER_SERVER]

Every pool entry `chip:count` whose count is a multiple of GPUS_PER_SERVER
(default 8) becomes `chip:NxG` (N = count / G servers of G chips: the same
chips); other entries and entries already in servers stay as they are. Only
the `pools` attribute changes.
"""
import re
import sys
import xml.etree.ElementTree as ET

src, dst = sys.argv[1], sys.argv[2]
g = int(sys.argv[3]) if len(sys.argv) > 3 else 8
NS = "http://graphml.graphdrawing.org/xmlns"
ET.register_namespace("", NS)
tree = ET.parse(src)
root = tree.getroot()
pools_key = None
for k in root.findall(f"{{{NS}}}key"):
    if k.get("attr.name") == "pools" and k.get("for") == "node":
        pools_key = k.get("id")
if pools_key is None:
    sys.exit(f"{src}: no node attribute 'pools'")


def servers(text):
    out = []
    for entry in text.split(","):
        chip, _, count = entry.strip().partition(":")
        count = count.strip()
        if re.fullmatch(r"[0-9]+", count) and int(count) % g == 0:
            out.append(f"{chip.strip()}:{int(count) // g}x{g}")
        else:
            out.append(entry.strip())
    return ",".join(out)


changed = 0
for d in root.iter(f"{{{NS}}}data"):
    if d.get("key") == pools_key and d.text:
        new = servers(d.text)
        changed += new != d.text.strip()
        d.text = new
tree.write(dst, encoding="utf-8", xml_declaration=True)
print(f"{dst}: {changed} centers in servers of {g}", file=sys.stderr)
