#include "sim/topology/graphml_scan.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "sim/core/user_error.hpp"

namespace suanwang::topo {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

struct Attribute {
  std::string_view name, value;
  std::size_t value_begin = 0, value_end = 0;  // offsets of the value in the text
};

class Scanner {
 public:
  Scanner(const std::string& path, const std::string& in) : path_(path), in_(in) { out_.reserve(in.size()); }

  GraphmlScan run() {
    while (i_ < in_.size()) {
      const std::size_t lt = in_.find('<', i_);
      if (lt == std::string::npos) {
        out_.append(in_, i_, std::string::npos);
        break;
      }
      out_.append(in_, i_, lt - i_);
      i_ = lt;
      markup();
    }
    for (const auto& [key, pos] : data_keys_)  // in the order of first use
      if (!key_ids_.count(key))
        fail(pos, "<data key=\"" + key + "\"> uses an undeclared key (expected a <key id=\"" + key +
                      "\" for=... attr.name=...> declaration)");
    GraphmlScan s;
    s.keys = std::move(keys_);
    s.xml = std::move(out_);
    return s;
  }

 private:
  [[noreturn]] void fail(std::size_t pos, const std::string& what) const {
    const auto line = 1 + std::count(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(std::min(pos, in_.size())), '\n');
    throw UserError(path_, "line " + std::to_string(line), what);
  }

  bool at(std::string_view s) const { return in_.compare(i_, s.size(), s) == 0; }

  // Copies everything up to and including `end` (comments, CDATA, PIs).
  void copy_through(std::string_view end, const char* what) {
    const std::size_t e = in_.find(end, i_);
    if (e == std::string::npos) fail(i_, std::string("unterminated ") + what);
    out_.append(in_, i_, e + end.size() - i_);
    i_ = e + end.size();
  }

  // <!DOCTYPE ...> and other declarations, with an internal subset [...].
  void declaration() {
    const std::size_t start = i_;
    int brackets = 0;
    char quote = 0;
    for (std::size_t j = i_ + 2; j < in_.size(); ++j) {
      const char c = in_[j];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[') {
        ++brackets;
      } else if (c == ']') {
        --brackets;
      } else if (c == '>' && brackets <= 0) {
        out_.append(in_, start, j + 1 - start);
        i_ = j + 1;
        return;
      }
    }
    fail(start, "unterminated <! declaration");
  }

  void markup() {
    if (at("<!--")) return copy_through("-->", "comment");
    if (at("<![CDATA[")) return copy_through("]]>", "CDATA section");
    if (at("<?")) return copy_through("?>", "processing instruction");
    if (at("<!")) return declaration();
    if (at("</")) {
      copy_through(">", "end tag");
      if (depth_ > 0) --depth_;
      return;
    }
    start_tag();
  }

  void start_tag() {
    const std::size_t start = i_;
    std::size_t j = i_ + 1;
    while (j < in_.size() && !is_space(in_[j]) && in_[j] != '>' && in_[j] != '/') ++j;
    const std::string_view name(in_.data() + i_ + 1, j - i_ - 1);
    std::vector<Attribute> attrs;
    bool self_closing = false;
    for (;;) {
      while (j < in_.size() && is_space(in_[j])) ++j;
      if (j >= in_.size()) fail(start, "unterminated tag <" + std::string(name.substr(0, 40)) + ">");
      if (in_[j] == '>') break;
      if (in_[j] == '/' && j + 1 < in_.size() && in_[j + 1] == '>') {
        self_closing = true;
        ++j;
        break;
      }
      Attribute a;
      const std::size_t n0 = j;
      while (j < in_.size() && !is_space(in_[j]) && in_[j] != '=' && in_[j] != '>' && in_[j] != '/') ++j;
      a.name = std::string_view(in_.data() + n0, j - n0);
      while (j < in_.size() && is_space(in_[j])) ++j;
      if (a.name.empty() || j >= in_.size() || in_[j] != '=')
        fail(start, "malformed attribute in <" + std::string(name.substr(0, 40)) + "> (expected name=\"value\")");
      ++j;
      while (j < in_.size() && is_space(in_[j])) ++j;
      if (j >= in_.size() || (in_[j] != '"' && in_[j] != '\''))
        fail(start, "attribute '" + std::string(a.name.substr(0, 40)) + "' without a quoted value");
      const char q = in_[j];
      const std::size_t close = in_.find(q, j + 1);
      if (close == std::string::npos) fail(start, "unterminated attribute value");
      a.value_begin = j + 1;
      a.value_end = close;
      a.value = std::string_view(in_.data() + a.value_begin, close - a.value_begin);
      attrs.push_back(a);
      j = close + 1;
    }
    const std::size_t end = j + 1;  // past '>'
    if (!self_closing && ++depth_ > kMaxXmlDepth)
      fail(start, "elements nested more than " + std::to_string(kMaxXmlDepth) +
                      " deep (expected GraphML: graphml > graph > node > data)");
    auto find = [&](std::string_view n) -> const Attribute* {
      for (const Attribute& a : attrs)
        if (a.name == n) return &a;
      return nullptr;
    };
    if (name == "key") {
      const Attribute* f = find("for");
      const Attribute* an = find("attr.name");
      const Attribute* id = find("id");
      keys_.insert((f ? std::string(f->value) : std::string("all")) + "/" + (an ? std::string(an->value) : ""));
      if (id) key_ids_.insert(std::string(id->value));
      if (const Attribute* type = find("attr.type")) {
        out_.append(in_, start, type->value_begin - start);
        out_ += "string";
        out_.append(in_, type->value_end, end - type->value_end);
        i_ = end;
        return;
      }
    } else if (name == "node") {
      if (const Attribute* id = find("id"))
        if (!node_ids_.insert(std::string(id->value)).second)
          fail(start, "duplicate node id \"" + std::string(id->value.substr(0, 80)) +
                          "\" (expected each city once; Boost would merge them into one)");
    } else if (name == "data") {
      if (const Attribute* k = find("key"))
        if (data_seen_.insert(std::string(k->value)).second) data_keys_.emplace_back(std::string(k->value), start);
    }
    out_.append(in_, start, end - start);
    i_ = end;
  }

  const std::string& path_;
  const std::string& in_;
  std::string out_;
  std::size_t i_ = 0;
  int depth_ = 0;
  std::set<std::string> keys_, key_ids_, node_ids_, data_seen_;
  std::vector<std::pair<std::string, std::size_t>> data_keys_;  // first use of each key
};

}  // namespace

GraphmlScan scan_graphml(const std::string& path, const std::string& xml) {
  if (xml.size() > kMaxGraphmlBytes)
    throw UserError(path, "", "larger than " + std::to_string(kMaxGraphmlBytes >> 20) +
                                  " MB (expected a GraphML topology; see README \"Limits\")");
  return Scanner(path, xml).run();
}

}  // namespace suanwang::topo
