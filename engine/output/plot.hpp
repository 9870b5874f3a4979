#pragma once
// A plot: the result of one analysis as named vectors over points (the first vector is the
// scale: sweep value or time), kept point-major as ngspice raw files store it.
#include <memory>
#include <string>
#include <vector>

namespace memspice::engine {

struct Vector {
  std::string name;  // ngspice style: v(out), i(v1), v(v-sweep), time, temp-sweep
  std::string type;  // voltage, current, time, temp-sweep, notype
};

// A device event in a transient run: a neuron firing, a switch flipping (Device::eventName).
struct Event {
  double time = 0;
  std::string device;
  std::string what;
};

struct Plot {
  std::string title;  // the deck title
  std::string name;   // Operating Point, DC transfer characteristic, Transient Analysis
  std::vector<Vector> vars;
  std::vector<double> data;  // points() * vars.size()
  std::vector<Event> events;  // transient: device events in time order
  // Transient: the vectors .measure uses, at every integrator step (the scale first), so
  // measurements resolve what happens between output points. Null: measure this plot.
  std::shared_ptr<const Plot> fine;

  std::size_t points() const { return vars.empty() ? 0 : data.size() / vars.size(); }
  double at(std::size_t point, std::size_t var) const { return data[point * vars.size() + var]; }
  int find(const std::string& name) const;
};

}  // namespace memspice::engine
