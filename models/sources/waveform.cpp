#include "sources/waveform.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numbers>

#include "device/device.hpp"

namespace memspice::models {

using engine::DeviceError;

Waveform::Waveform(const elab::FlatWaveform& w) : kind_(w.kind), args_(w.args) {
  auto need = [&](std::size_t min, std::size_t max) {
    if (args_.size() < min || args_.size() > max)
      throw DeviceError(fmt::format("'{}' takes {} to {} values, got {}", kind_, min, max, args_.size()));
  };
  if (kind_ == "pulse") need(2, 7);
  else if (kind_ == "sin") need(3, 6);
  else if (kind_ == "exp") need(2, 6);
  else if (kind_ == "sffm") need(2, 7);
  else if (kind_ == "pwl") {
    if (args_.size() < 2 || args_.size() % 2 != 0)
      throw DeviceError(fmt::format("'pwl' takes time-value pairs, got {} values", args_.size()));
    for (std::size_t i = 2; i < args_.size(); i += 2)
      if (args_[i] < args_[i - 2])
        throw DeviceError(fmt::format("'pwl' times must not decrease ({:g} after {:g})", args_[i], args_[i - 2]));
  } else {
    throw DeviceError(fmt::format("the '{}' source function is not supported yet", kind_));
  }
  for (const elab::FlatParam& p : w.options) {
    if (kind_ == "pwl" && p.name == "td") pwlDelay_ = p.value;
    else if (kind_ == "pwl" && p.name == "r") pwlRepeat_ = p.value;
    else throw DeviceError(fmt::format("'{}' has no option '{}'", kind_, p.name));
  }
  if (pwlRepeat_ >= 0 && (pwlRepeat_ >= args_[args_.size() - 2]))
    throw DeviceError("'pwl' repeat time r= must be before the last time point");
}

void Waveform::setTimeScale(double tstep, double tstop) {
  tstep_ = tstep > 0 ? tstep : tstop / 50;
  tstop_ = tstop;
}

double Waveform::pwl(double t) const {
  t -= pwlDelay_;
  double first = args_[0], last = args_[args_.size() - 2];
  // At the last point itself the repeat has begun (as ngspice: the jump belongs to the new period).
  if (pwlRepeat_ >= 0 && t >= last) t = pwlRepeat_ + std::fmod(t - last, last - pwlRepeat_);
  if (t <= first) return args_[1];
  for (std::size_t i = 2; i < args_.size(); i += 2) {
    if (t <= args_[i]) {
      double t0 = args_[i - 2], v0 = args_[i - 1], t1 = args_[i], v1 = args_[i + 1];
      return t1 == t0 ? v1 : v0 + (v1 - v0) * (t - t0) / (t1 - t0);
    }
  }
  return args_.back();
}

double Waveform::value(double t) const {
  using std::numbers::pi;
  if (kind_ == "pulse") {
    double v1 = arg(0, 0), v2 = arg(1, 0), td = arg(2, 0);
    double tr = arg(3, 0) > 0 ? arg(3, 0) : tstep_, tf = arg(4, 0) > 0 ? arg(4, 0) : tstep_;
    double pw = arg(5, 0) > 0 ? arg(5, 0) : tstop_, per = arg(6, 0) > 0 ? arg(6, 0) : tstop_;
    if (t < td) return v1;
    double u = std::fmod(t - td, per);
    if (u < tr) return v1 + (v2 - v1) * u / tr;
    if (u < tr + pw) return v2;
    if (u < tr + pw + tf) return v2 + (v1 - v2) * (u - tr - pw) / tf;
    return v1;
  }
  if (kind_ == "sin") {
    double vo = arg(0, 0), va = arg(1, 0), freq = arg(2, 1 / tstop_), td = arg(3, 0), theta = arg(4, 0);
    double phase = arg(5, 0) * pi / 180;
    if (t < td) return vo + va * std::sin(phase);
    return vo + va * std::exp(-(t - td) * theta) * std::sin(2 * pi * freq * (t - td) + phase);
  }
  if (kind_ == "exp") {
    double v1 = arg(0, 0), v2 = arg(1, 0), td1 = arg(2, 0), tau1 = arg(3, tstep_);
    double td2 = arg(4, td1 + tstep_), tau2 = arg(5, tstep_);
    if (t <= td1) return v1;
    double v = v1 + (v2 - v1) * (1 - std::exp(-(t - td1) / tau1));
    if (t > td2) v += (v1 - v2) * (1 - std::exp(-(t - td2) / tau2));
    return v;
  }
  if (kind_ == "sffm") {
    double vo = arg(0, 0), va = arg(1, 0), fc = arg(2, 1 / tstop_), mdi = arg(3, 0), fs = arg(4, 1 / tstop_);
    double phc = arg(5, 0) * pi / 180, phs = arg(6, 0) * pi / 180;
    return vo + va * std::sin(2 * pi * fc * t + phc + mdi * std::sin(2 * pi * fs * t + phs));
  }
  return pwl(t);
}

void Waveform::breakpoints(double from, double to, std::vector<double>& out) const {
  auto add = [&](double t) {
    if (t > from && t <= to) out.push_back(t);
  };
  if (kind_ == "pulse") {
    double td = arg(2, 0);
    double tr = arg(3, 0) > 0 ? arg(3, 0) : tstep_, tf = arg(4, 0) > 0 ? arg(4, 0) : tstep_;
    double pw = arg(5, 0) > 0 ? arg(5, 0) : tstop_, per = arg(6, 0) > 0 ? arg(6, 0) : tstop_;
    double start = td + std::max(0.0, std::floor((from - td) / per)) * per;
    for (double p = start; p <= to; p += per) {
      add(p);
      add(p + tr);
      add(p + tr + pw);
      add(p + tr + pw + tf);
      if (per <= 0) break;
    }
  } else if (kind_ == "pwl") {
    double last = args_[args_.size() - 2];
    for (std::size_t i = 0; i < args_.size(); i += 2) add(args_[i] + pwlDelay_);
    if (pwlRepeat_ >= 0) {
      double period = last - pwlRepeat_;
      for (double base = last; base + pwlDelay_ <= to; base += period)
        for (std::size_t i = 0; i < args_.size(); i += 2)
          if (args_[i] > pwlRepeat_) add(base + args_[i] - pwlRepeat_ + pwlDelay_);
    }
  } else if (kind_ == "sin" || kind_ == "exp") {
    add(arg(3 - (kind_ == "exp" ? 1 : 0), 0));
    if (kind_ == "exp") add(arg(4, arg(2, 0) + tstep_));
  }
  std::sort(out.begin(), out.end());
}

double Waveform::peak() const {
  double p = 0;
  if (kind_ == "pwl") {
    for (std::size_t i = 1; i < args_.size(); i += 2) p = std::max(p, std::fabs(args_[i]));
  } else if (kind_ == "sin" || kind_ == "sffm" || kind_ == "am") {
    p = std::fabs(arg(0, 0)) + std::fabs(arg(1, 0));
  } else {  // pulse, exp: between their two levels
    p = std::max(std::fabs(arg(0, 0)), std::fabs(arg(1, 0)));
  }
  return p;
}

}  // namespace memspice::models
