#include "sim/topology/link_name.hpp"

#include <algorithm>

#include "sim/core/text.hpp"
#include "sim/core/user_error.hpp"

namespace suanwang::topo {

namespace {

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_id_char(char c) { return is_letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '\''; }

constexpr const char* kForms = "; expected \"CityA-CityB/carrier\" or \"carrier:ID\"";

std::vector<std::string> all_link_names(const Topology& t) {
  std::vector<std::string> names;
  for (const Link& l : t.links) names.push_back(l.name());
  return names;
}

// "carrier:ID": every link of the carrier.
std::vector<int> carrier_links(const Topology& t, std::string_view carrier, std::string* error) {
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(t.links.size()); ++i)
    if (t.links[i].carrier == carrier) out.push_back(i);
  if (out.empty())
    *error = "unknown carrier " + text::quote(carrier) + text::did_you_mean(carrier, t.carriers) +
             "; carriers: " + text::join(t.carriers);
  return out;
}

// "A-B/carrier": the one link between A and B of that carrier.
std::vector<int> pair_link(const Topology& t, std::string_view name, std::string* error) {
  const auto slash = name.find('/');
  const auto dash = name.find('-');
  const bool parses = slash != std::string_view::npos && dash < slash &&
                      is_id(name.substr(0, dash)) && is_id(name.substr(dash + 1, slash - dash - 1)) &&
                      is_id(name.substr(slash + 1));
  if (!parses) {
    *error = "no such link " + text::quote(name) + text::did_you_mean(name, all_link_names(t)) + kForms +
             " (city and carrier ids hold no '-', '/' or ':')";
    return {};
  }
  const std::string_view a = name.substr(0, dash), b = name.substr(dash + 1, slash - dash - 1);
  const std::string_view carrier = name.substr(slash + 1);
  for (std::string_view city : {a, b})
    if (t.city_index(city) < 0) {
      *error = "no such link " + text::quote(name) + ": unknown city " + text::quote(city) +
               text::did_you_mean(city, t.city_names());
      return {};
    }
  const int ia = t.city_index(a), ib = t.city_index(b);
  std::vector<std::string> joining;  // for the message
  for (int i = 0; i < static_cast<int>(t.links.size()); ++i) {
    const Link& l = t.links[i];
    if ((l.a == ia && l.b == ib) || (l.a == ib && l.b == ia)) {
      if (l.carrier == carrier) return {i};
      joining.push_back(l.name());
    }
  }
  *error = "no such link " + text::quote(name) + text::did_you_mean(name, all_link_names(t)) + ": " +
           (joining.empty() ? "no link joins " + std::string(a) + " and " + std::string(b)
                            : "the links joining them are " + text::join(joining));
  return {};
}

}  // namespace

bool is_id(std::string_view s) {
  return !s.empty() && is_letter(s.front()) && std::all_of(s.begin(), s.end(), is_id_char);
}

std::string id_problem(std::string_view s) {
  if (is_id(s)) return "";
  std::string fixed(s);
  for (char& c : fixed)
    if (!is_id_char(c)) c = '_';
  const std::string hint = is_id(fixed) && fixed != s ? " (write " + text::quote(fixed) + ")" : "";
  return text::quote(s) + " is not an id: it must start with an ASCII letter and hold only letters, "
         "digits, '_' and ''', so that a link name \"A-B/carrier\" has one reading" + hint;
}

std::string link_name(std::string_view a, std::string_view b, std::string_view carrier) {
  std::string s(a);
  s += '-';
  s += b;
  s += '/';
  s += carrier;
  return s;
}

std::vector<int> resolve_link_name(const Topology& t, std::string_view name, const std::string& file,
                                   const std::string& element) {
  std::string error;
  constexpr std::string_view kCarrier = "carrier:";
  const std::vector<int> out = name.substr(0, kCarrier.size()) == kCarrier
                                   ? carrier_links(t, name.substr(kCarrier.size()), &error)
                                   : pair_link(t, name, &error);
  if (!error.empty()) throw UserError(file, element, error);
  return out;
}

}  // namespace suanwang::topo
