#pragma once
// The local layout shared by two-terminal memristors with one state x: unknowns (p, n, x) and
// the stamp (p,p) (p,n) (n,p) (n,n) (p,x) (n,x) (x,p) (x,n) (x,x), i.e. G[0..8] / C[0..8].
// The state row is dx/dt = rate, written f = -rate with q = x.
#include <vector>

#include "device/device.hpp"

namespace memspice::models::state_device {

inline std::vector<engine::StampEntry> stamp() {
  return {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 2}, {1, 2}, {2, 0}, {2, 1}, {2, 2}};
}

// The current i(v, x) from p through the device to n, with dI/dv and dI/dx.
inline void loadCurrent(engine::EvalOutput& out, double i, double didv, double didx) {
  out.f[0] = i;
  out.f[1] = -i;
  out.G[0] = didv;
  out.G[1] = -didv;
  out.G[2] = -didv;
  out.G[3] = didv;
  out.G[4] = didx;
  out.G[5] = -didx;
}

// The state row dx/dt = rate(v, x), with d rate/dv and d rate/dx.
inline void loadRate(engine::EvalOutput& out, double x, double rate, double dratedv, double dratedx) {
  out.q[2] = x;
  out.C[8] = 1;
  out.f[2] = -rate;
  out.G[6] = -dratedv;
  out.G[7] = dratedv;
  out.G[8] = -dratedx;
}

// The state row of a non-volatile device outside integration (DC, the transient's start):
// it has no steady state of its own, so it is held at its initial value x0.
inline void holdState(engine::EvalOutput& out, double x, double x0) {
  out.q[2] = x;
  out.C[8] = 1;
  out.f[2] = x - x0;
  out.G[8] = 1;
}

}  // namespace memspice::models::state_device
