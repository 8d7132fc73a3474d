// Small helpers for the subcommands' argument parsing: every mistake is a
// UserError naming the option and what it expects.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace suanwang::cli {

// "key=value" -> Override; throws UserError naming the option otherwise.
Override parse_override(const std::string& option, const std::string& text);

// The value after option argv[i] (advances i); throws when missing.
std::string option_value(int argc, char** argv, int& i);

}  // namespace suanwang::cli
