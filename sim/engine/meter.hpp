// Meter: the periodic observer of a run (internal to the engine).
//
// Every sample interval (a calendar event) it reads each pool's IT energy
// (PoolPower), turns it into facility energy (x PUE), cost (x price at that
// time) and carbon (x the center's factor: grid x (1 - green share) x hourly
// multiplier, topo::carbon_integral), credits bytes of transfers in flight to
// the links they cross, and records center, link and service samples. Energy is
// metered per interval so a time-of-use price or an hourly carbon profile is
// applied to the energy actually drawn in each hour (the interval is shortened
// to one hour when either is set).
#pragma once

#include <vector>

#include "sim/engine/engine_state.hpp"

namespace suanwang::engine {

struct ServiceRuntime {
  ServiceSpec spec;
};

class Meter {
 public:
  explicit Meter(EngineState& st);
  // Schedules the first sample; each sample schedules the next.
  void start();
  // The sample event: meters [last, now] and schedules the next.
  void on_sample();
  // Meters [last, now]: call once more at the horizon.
  void sample(double now);
  std::vector<CenterTotals> totals() const;
  std::vector<ServiceRuntime>& services() { return services_; }

 private:
  // The steps of sample(); each reads last_s_, which sample() advances last.
  std::vector<double> meter_pool_energy(double now, double dt);
  void record_link_samples(double now, double dt);
  void record_center_samples(double now, const std::vector<double>& center_power);
  void record_service_samples(double now);

  EngineState& st_;
  double period_s_;
  double last_s_ = 0;
  std::vector<double> pool_energy_J_;   // IT energy read last time, per pool
  double next_s_ = 0;
  std::vector<double> center_fac_J_, center_it_J_, center_cost_, center_carbon_;
  std::vector<ServiceRuntime> services_;
};

}  // namespace suanwang::engine
