#include "sim/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace suanwang::text {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  std::size_t best_d = std::numeric_limits<std::size_t>::max();
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = &c;
    }
  }
  if (!best) return "";
  const std::size_t limit = std::max<std::size_t>(2, std::max(word.size(), best->size()) / 3);
  return best_d <= limit ? *best : std::string();
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates, char quote) {
  const std::string s = suggest(word, candidates);
  if (s.empty()) return "";
  return " (did you mean " + text::quote(s, quote) + "?)";
}

std::string quote(std::string_view word, char quote) {
  std::string s(1, quote);
  s += word;
  s += quote;
  return s;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string s;
  for (const std::string& x : items) {
    if (!s.empty()) s += separator;
    s += x;
  }
  return s;
}

}  // namespace suanwang::text
