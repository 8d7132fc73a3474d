// Human units at the edge, SI inside.
//
// Scenario files say "30d", "400Gbps", "12ms", "200GB", "6/h", "0.45 CNY/kWh";
// these functions turn such a string (or a bare number, which is taken to be
// already in SI) into the SI value exactly once. A string with a unit of the
// wrong dimension ("12GB" where a duration is expected) or an unknown unit is
// a UserError naming the value and listing the accepted units: never a guess.
//
// Accepted units (case-sensitive where SI is: "Mb" is megabit, "MB" megabyte):
//   duration  s sec ms us ns min h d w          -> seconds
//   bytes     B KB MB GB TB PB KiB MiB GiB TiB PiB (decimal K=1e3, binary Ki=2^10)
//   bandwidth bps Kbps Mbps Gbps Tbps B/s KB/s MB/s GB/s -> bytes per second
//   rate      N/s N/min N/h N/d N/w              -> events per second
//   power     W kW MW                            -> watts
//   energy    J kJ MJ Wh kWh MWh                 -> joules
//   price     CNY/kWh CNY/MWh                    -> CNY per joule
//   length    m km                               -> metres
//   fraction  "20%" or a bare number             -> fraction (0.2)
#pragma once

#include <string>
#include <string_view>

namespace suanwang::units {

enum class Dimension { duration, bytes, bandwidth, rate, power, energy, price, length, fraction };

// Parses text as a quantity of the given dimension. `what` names the value
// for the error message (e.g. "workload[2].duration.mean").
// Throws UserError(file="", element=what, ...) on a bad value; callers that
// know the file rethrow with it.
double parse(std::string_view text, Dimension dim, std::string_view what);

// Dimension name for messages ("duration", "bytes", ...).
const char* dimension_name(Dimension dim);

// Human formatting for summaries: 3600 -> "1h", 2.5e11 -> "250 GB" ...
std::string format_duration(double seconds);
std::string format_bytes(double bytes);
std::string format_bandwidth(double bytes_per_second);

// Conversion constants, each defined here and nowhere else.
inline constexpr double kSecondsPerMinute = 60;
inline constexpr double kSecondsPerHour = 3600;
inline constexpr double kSecondsPerDay = 24 * kSecondsPerHour;
inline constexpr double kSecondsPerWeek = 7 * kSecondsPerDay;
inline constexpr double kBitsPerByte = 8;
inline constexpr double kJoulePerKWh = 1e3 * kSecondsPerHour;  // 3.6e6: prices and carbon are per kWh

}  // namespace suanwang::units
