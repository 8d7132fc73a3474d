#include "sim/cli/guards.hpp"

#include <unistd.h>

#include <new>

#include "sim/cli/args.hpp"
#include "sim/core/hard_stop.hpp"
#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"
#include "sim/core/watchdog.hpp"
#include "sim/lua/lua_table_reader.hpp"

namespace suanwang::cli {

const char* const kGuardUsage =
    "  --max-wall DURATION   stop (exit 2) after this much wall time (e.g. 2h; default none)\n"
    "  --max-memory SIZE     stop (exit 2) past this resident memory (e.g. 8GB; default 80%\n"
    "                        of the machine's memory; 0 = none)\n";

namespace {

double default_memory_B() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 0;
  return 0.8 * static_cast<double>(pages) * static_cast<double>(page);
}

double memory_limit(const Guards& g) { return g.max_memory_B < 0 ? default_memory_B() : g.max_memory_B; }

}  // namespace

bool parse_guard(int argc, char** argv, int& i, Guards& g) {
  const std::string arg = argv[i];
  if (arg != "--max-wall" && arg != "--max-memory") return false;
  const std::string v = option_value(argc, argv, i);
  const bool wall = arg == "--max-wall";
  const double x = units::parse(v, wall ? units::Dimension::duration : units::Dimension::bytes, arg);
  if (!(x >= 0) || x > 1e15)
    throw UserError("", arg + " " + v, wall ? "expected a duration >= 0 (0 = no limit)"
                                            : "expected a size >= 0 (0 = no limit)");
  (wall ? g.max_wall_s : g.max_memory_B) = x;
  return true;
}

void arm_guards(const Guards& g, const std::string& what) {
  if (g.max_wall_s > 0)
    watchdog::limit_wall(g.max_wall_s, what + ": exceeded --max-wall " + units::format_duration(g.max_wall_s) +
                                           " (raise it with --max-wall DURATION, 0 = no limit); stopped");
  const double mem = memory_limit(g);
  if (mem > 0)
    watchdog::limit_memory(static_cast<std::uint64_t>(mem),
                           what + ": exceeded --max-memory " + units::format_bytes(mem) +
                               " of resident memory (raise it with --max-memory SIZE, 0 = no limit); stopped");
}

std::vector<std::string> guard_args(const Guards& g) {
  std::vector<std::string> out;
  if (g.max_memory_B >= 0) out = {"--max-memory", lua::format_number(g.max_memory_B)};
  return out;
}

void install_out_of_memory_handler() {
  std::set_new_handler([] {
    hard_stop("out of memory: an allocation failed (the process limit, e.g. ulimit -v, or the "
              "machine's memory; see --max-memory); stopped");
  });
}

}  // namespace suanwang::cli
