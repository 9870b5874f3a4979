#pragma once
// .measure evaluation on finished plots, as ngspice does it: linear interpolation between
// output points, trapezoidal integration, crossings counted from the start (or from td=).
// On a DC plot the sweep value plays the role of time.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "elab/flat_circuit.hpp"
#include "output/plot.hpp"

namespace memspice::engine {

struct MeasureResult {
  std::string name;
  std::optional<double> value;
  std::string failure;  // why there is no value
};

// Evaluates every measure of `circuit` on the plots of one run. A measure reads the first plot
// of its analysis; param= measures may use any measure before them.
std::vector<MeasureResult> evaluateMeasures(const elab::FlatCircuit& circuit, const std::vector<Plot>& plots);

// The building blocks, on a scale x (increasing for transients) and a variable y.
namespace measure {
// Scale value of the count-th crossing of y over level (y - level changes sign) in the given
// direction, at or after td; count -1 is the last one.
std::optional<double> crossing(std::span<const double> x, std::span<const double> y, std::span<const double> level,
                               elab::FlatCrossing::Edge edge, int count, double td);
// y linearly interpolated at scale value at; nullopt outside the scale.
std::optional<double> valueAt(std::span<const double> x, std::span<const double> y, double at);
// Slope of the segment holding `at`.
std::optional<double> slopeAt(std::span<const double> x, std::span<const double> y, double at);
// Trapezoidal integral of y (or y^2) over [from, to].
double integral(std::span<const double> x, std::span<const double> y, double from, double to, bool squared);
// Extremes of y over [from, to], including the interpolated window ends.
std::pair<double, double> extremes(std::span<const double> x, std::span<const double> y, double from, double to);
}  // namespace measure

}  // namespace memspice::engine
