// Limits on the sizes that multiply, one home for all of them (README
// "Limits", which also says how to raise them: change the constant here and
// rebuild).
//
// Every value of a scenario is checked where it is read, but some are fine
// alone and absurd together: a tiny sample_interval over a long duration, a
// huge rate, an MTBF of a millisecond on 250 links, axes whose product
// overflows. Each limit below bounds the number of events (or runs) such a
// product asks for, so a scenario within them finishes in bounded time and
// memory; one beyond them is refused at load, naming the key, by `check` and
// `run` alike.
#pragma once

namespace suanwang {

// Simulated horizon: ~31.7 years (the clock keeps microseconds at that size).
inline constexpr double kMaxDuration_s = 1e9;
// Samples of the time series per run (duration / sample_interval): each
// writes a row per center, link and service.
inline constexpr double kMaxSamples = 1e6;
// Calls of the policy's on_tick per run (duration / tick_interval).
inline constexpr double kMaxTicks = 1e6;
// Arrival candidates one generator may draw over the run (rate x the
// profile's peak x its span; with max_jobs, as many as reaching it needs).
inline constexpr double kMaxGeneratorDraws = 1e8;
// Expected random failures per run, for links and for centers
// (elements x duration / MTBF).
inline constexpr double kMaxRandomFailures = 1e6;
// Points of a sweep (the axes' values multiplied, times replications), and
// values over all axes (each is checked by loading the scenario with it).
inline constexpr long long kMaxSweepPoints = 100000;
inline constexpr long long kMaxSweepValues = 10000;

}  // namespace suanwang
