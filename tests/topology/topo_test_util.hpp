// Helpers for topology tests: write a small GraphML file from node/edge
// snippets so each test states exactly the input it is about.
#pragma once

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

namespace suanwang::test {

inline std::string node(const std::string& name, const std::string& extra = "",
                        const std::string& pools = "a100:8", const std::string& pue = "1.2",
                        const std::string& grid = "north", double lon = 116.4) {
  return "<node id=\"" + name + "\"><data key=\"name\">" + name +
         "</data><data key=\"lat\">39.9</data><data key=\"lon\">" + std::to_string(lon) +
         "</data><data key=\"grid\">" + grid +
         "</data><data key=\"demand\">1</data><data key=\"price\">0.5</data><data key=\"pue\">" +
         pue + "</data><data key=\"pools\">" + pools + "</data>" + extra + "</node>\n";
}

inline std::string edge(const std::string& a, const std::string& b, const std::string& carrier,
                        const std::string& gbps = "400", const std::string& latency_ms = "5") {
  return "<edge source=\"" + a + "\" target=\"" + b + "\"><data key=\"carrier\">" + carrier +
         "</data><data key=\"bw\">" + gbps + "</data><data key=\"lat_ms\">" + latency_ms +
         "</data></edge>\n";
}

inline std::string graphml(const std::string& body) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key id="name" for="node" attr.name="name" attr.type="string"/>
<key id="lat" for="node" attr.name="lat" attr.type="double"/>
<key id="lon" for="node" attr.name="lon" attr.type="double"/>
<key id="grid" for="node" attr.name="grid" attr.type="string"/>
<key id="demand" for="node" attr.name="demand" attr.type="double"/>
<key id="price" for="node" attr.name="price_cny_per_kwh" attr.type="double"/>
<key id="pue" for="node" attr.name="pue" attr.type="double"/>
<key id="pools" for="node" attr.name="pools" attr.type="string"/>
<key id="hub" for="node" attr.name="hub" attr.type="string"/>
<key id="ic" for="node" attr.name="interconnect" attr.type="boolean"/>
<key id="carrier" for="edge" attr.name="carrier" attr.type="string"/>
<key id="bw" for="edge" attr.name="bandwidth_gbps" attr.type="double"/>
<key id="lat_ms" for="edge" attr.name="latency_ms" attr.type="double"/>
<key id="km" for="edge" attr.name="length_km" attr.type="double"/>
<graph id="g" edgedefault="undirected">
)" + body + "</graph></graphml>\n";
}

// Writes text to a fresh file under /tmp and returns its path.
inline std::string write_temp(const std::string& text, const std::string& suffix = ".graphml") {
  static int counter = 0;
  const std::string path = "/tmp/suanwang_topo_" + std::to_string(::getpid()) + "_" +
                           std::to_string(counter++) + suffix;
  std::ofstream(path) << text;
  return path;
}

}  // namespace suanwang::test
