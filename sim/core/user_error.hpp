// UserError: a mistake in something a user wrote (scenario, policy, topology,
// trace, command line), as opposed to a bug in suanwang.
//
// Every layer throws it with the file, the element (a line, a city, an edge, a
// key, a hook and job id) and what was expected; the CLI turns it into exactly
// one line on stderr and exit code 2, and nothing else does. The message is
// already formatted for a person: "FILE: ELEMENT: WHAT (expected ...)".
#pragma once

#include <stdexcept>
#include <string>

namespace suanwang {

class UserError : public std::runtime_error {
 public:
  // file may be empty (command line); element may be empty (the file as a whole).
  UserError(const std::string& file, const std::string& element, const std::string& what)
      : std::runtime_error(format(file, element, what)) {}
  explicit UserError(const std::string& message) : std::runtime_error(message) {}

 private:
  static std::string format(const std::string& file, const std::string& element,
                            const std::string& what) {
    std::string s;
    if (!file.empty()) s += file + ": ";
    if (!element.empty()) s += element + ": ";
    s += what;
    return s;
  }
};

// Exit codes of the suanwang binary (a public contract: scripts test them).
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntimeFailure = 1;  // some sweep points failed, I/O error
inline constexpr int kExitUserError = 2;       // bad input of any kind

}  // namespace suanwang
