#pragma once
// Comparing a plot against a reference plot (e.g. ngspice's), vector by vector, by name.
//  Same points (DC, OP): each point within reltol * max(|a|, |b|) + abstol.
//  Transient (time scale, points may differ): the reference is interpolated linearly onto the
//    tested times; the RMS difference must be within rmsRelative of the vector's peak
//    (+ abstol). Where the reference stepped over an edge (its two bracketing points differ by
//    more than 10 % of the peak), any value between them agrees.
// `score` is the error over the allowed error: <= 1 passes.
#include <functional>
#include <string>
#include <vector>

#include "output/plot.hpp"

namespace memspice::engine {

struct CompareOptions {
  double reltol = 1e-3;           // point-wise
  double rmsRelative = 0.01;      // transient
  double voltageAbstol = 1e-6;
  double currentAbstol = 1e-12;
  std::function<bool(const std::string&)> skip;  // reference vectors to ignore
};

struct VectorScore {
  std::string name;
  double score = 0;
  std::string worst;  // where and what, for messages
};

struct PlotComparison {
  std::string error;                 // structural problem (point count), or empty
  std::vector<std::string> missing;  // reference vectors the tested plot lacks
  std::vector<VectorScore> vectors;
  bool ok() const;
};

PlotComparison comparePlots(const Plot& reference, const Plot& tested, const CompareOptions& options);

}  // namespace memspice::engine
