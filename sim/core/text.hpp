// Text helpers for messages to people: "did you mean" suggestions and lists.
//
// One rule decides what a plausible typo is, for every suggestion suanwang
// makes (scenario keys and values, city, chip, carrier, link and policy
// names, policy hooks): the distance is Levenshtein's over ASCII letters
// compared without case (so "beijing" suggests "Beijing"), and a candidate is
// close enough when at most a third of the longer word changes, and never
// fewer than 2 edits are allowed. Anything further is not suggested: a wrong
// guess misleads more than no guess.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace suanwang::text {

// Edits (insert, delete, substitute one character) from a to b; letters that
// differ only in case are equal.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate if it is close enough (see above), else "". Ties go
// to the earlier candidate.
std::string suggest(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'X'?)" for the suggestion X, or "" when there is none;
// `quote` is ' or ", to match the message it ends.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates,
                         char quote = '\'');

// 'word' (or "word" with quote '"'). Built by appending: GCC 12 misreports
// "'" + std::string(...) as an overlapping copy (-Wrestrict).
std::string quote(std::string_view word, char quote = '\'');

// "a, b, c" (or with another separator).
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

// `s` fit for one line on a terminal: every run of line breaks and tabs
// becomes one space, trailing ones are dropped, and any other control
// character (an escape sequence in a Lua error, a NUL in a file name) is
// shown as \xNN. Every message suanwang prints goes through it (sim/cli/main
// and hard_stop): its promise is one line, and the text may come from a
// policy.
std::string one_line(std::string_view s);

// `s` as valid UTF-8 with no NUL byte: every byte that does not start a
// well-formed sequence (overlong forms, surrogates and code points above
// U+10FFFF included), and every NUL, becomes U+FFFD. The result files mark
// their strings UTF-8, and readers (h5py, pandas) fail on anything else; a
// C string would silently end at a NUL.
std::string valid_utf8(std::string_view s);
// Whether valid_utf8(s) == s (no copy: the recorder's per-row fast path).
bool is_valid_utf8(std::string_view s);
// The longest prefix of valid UTF-8 `s` of at most `max_bytes` bytes that does
// not cut a character.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

}  // namespace suanwang::text
