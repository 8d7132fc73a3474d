// PoolPower: the IT energy one accelerator pool draws, from its busy units.
//
// A pool draws chips x idle_W while up, plus (busy_W - idle_W) for every
// busy chip (a busy vGPU slice counts as 1/slices of a chip), and nothing
// while down (an outage). This is SimGrid's host energy model with
// Idle:Epsilon:AllCores = chips x idle_W : chips x idle_W : chips x busy_W,
// which the engine used when jobs ran as SimGrid execs; computing it from
// the busy units directly is exact (the model is linear) and needs no CPU
// model. The integrals advance only when the busy units or the up state
// change, so the cost is O(1) per job start and end.
#pragma once

#include <cstdint>

namespace suanwang::engine {

class PoolPower {
 public:
  PoolPower(int chips, int slices_per_chip, double idle_W_per_chip, double busy_W_per_chip)
      : idle_W_(chips * idle_W_per_chip),
        extra_W_per_unit_((busy_W_per_chip - idle_W_per_chip) / slices_per_chip) {}

  void set_busy_units(double now_s, std::int64_t units) {
    advance(now_s);
    busy_units_ = units;
  }
  void set_up(double now_s, bool up) {
    advance(now_s);
    up_ = up;
  }
  // IT energy drawn since time 0 up to now_s (>= the last change).
  double energy_J(double now_s) const {
    const double dt = now_s - last_s_;
    const double up_s = up_s_ + (up_ ? dt : 0.0);
    const double unit_s = busy_unit_s_ + static_cast<double>(busy_units_) * dt;
    return idle_W_ * up_s + extra_W_per_unit_ * unit_s;
  }
  std::int64_t busy_units() const { return busy_units_; }

 private:
  void advance(double now_s) {
    const double dt = now_s - last_s_;
    if (up_) up_s_ += dt;
    busy_unit_s_ += static_cast<double>(busy_units_) * dt;
    last_s_ = now_s;
  }
  double idle_W_;             // whole pool, idle
  double extra_W_per_unit_;   // busy minus idle, per busy unit
  std::int64_t busy_units_ = 0;
  bool up_ = true;
  double last_s_ = 0, up_s_ = 0, busy_unit_s_ = 0;
};

}  // namespace suanwang::engine
