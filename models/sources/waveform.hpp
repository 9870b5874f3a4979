#pragma once
// Time functions of independent sources, with SPICE semantics and defaults:
//   pulse(v1 v2 td tr tf pw per)   sin(vo va freq td theta phase)   exp(v1 v2 td1 tau1 td2 tau2)
//   pwl(t1 v1 t2 v2 ...) [td=] [r=] sffm(vo va fc mdi fs phasec phases)
// Defaults that SPICE takes from .tran (tr, tf = tstep; pw, per = tstop; tau = tstep) come
// from setTimeScale(); before a transient they are those of a 1 s, 1 ms-step run.
#include <string>
#include <vector>

#include "elab/flat_circuit.hpp"

namespace memspice::models {

class Waveform {
 public:
  // Throws engine::DeviceError (via std::runtime_error) on malformed arguments.
  explicit Waveform(const elab::FlatWaveform& w);

  void setTimeScale(double tstep, double tstop);
  double value(double t) const;
  // Largest |value| the waveform reaches (a scale for compliance limits).
  double peak() const;
  // Corners of the waveform in (from, to], ascending.
  void breakpoints(double from, double to, std::vector<double>& out) const;

 private:
  double arg(std::size_t i, double def) const { return i < args_.size() ? args_[i] : def; }
  double pwl(double t) const;

  std::string kind_;
  std::vector<double> args_;
  double tstep_ = 1e-3, tstop_ = 1.0;
  double pwlDelay_ = 0;
  double pwlRepeat_ = -1;  // r= time the pwl repeats from; < 0: no repeat
};

}  // namespace memspice::models
