// set_comm_weight: make one SimGrid comm count as `weight` flows in the
// network model's max-min sharing.
//
// SimGrid 3.32's s4u API has no setter for a comm's sharing penalty, but its
// kernel action has one (kernel::resource::Action::set_sharing_penalty, in
// the installed headers): a penalty of 1/w gives the comm w times the share
// of a penalty-1 flow on every link it crosses. The kernel action hangs off
// the comm's ActivityImpl, whose header Debian does not install; comm_weight.cpp
// reads that one pointer through a mirror of the 3.32 class layout, and
// verifies it on first use: the action found must point back to the same
// activity (Action::get_activity). When the check fails (another SimGrid
// build), comm_weight_supported() is false and callers fall back to one comm
// per flow (the engine says so in one line).
#pragma once

#include <simgrid/s4u/Comm.hpp>

namespace suanwang {

// Whether set_comm_weight works with the SimGrid this binary runs on. Needs
// a started comm to check against; the first call decides for the process.
bool comm_weight_supported(const simgrid::s4u::Comm& started);

// Precondition: the comm is started and comm_weight_supported() said yes.
void set_comm_weight(const simgrid::s4u::Comm& started, double weight);

// Sets the bytes a comm just started still has to move, to a fractional
// value (s4u sizes comms in whole bytes). Only exact with the network model's
// full update (network/optim:Full, see configure_wan_model), which recomputes
// every action's completion from its remains at each step. Same precondition.
void set_comm_remaining(const simgrid::s4u::Comm& started, double bytes);

}  // namespace suanwang
