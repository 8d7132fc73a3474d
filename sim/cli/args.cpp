#include "sim/cli/args.hpp"

#include "sim/core/user_error.hpp"

namespace suanwang::cli {

Override parse_override(const std::string& option, const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UserError("", option + " " + text, "expected key=value (e.g. --set duration=3d)");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

std::string option_value(int argc, char** argv, int& i) {
  const std::string opt = argv[i];
  if (i + 1 >= argc) throw UserError("", opt, "expected a value after it");
  return argv[++i];
}

}  // namespace suanwang::cli
