#include "crossbar.hpp"

#include <fmt/format.h>

#include <cmath>

#include "nonlinear/newton.hpp"
#include "analysis/operating_point.hpp"
#include "analysis/transient.hpp"
#include "measure/measure.hpp"
#include "system/build_system.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {

void validate(const ArrayOptions& o) {
  if (!(o.vread > 0)) throw XbarError(fmt::format("vread: expected a positive voltage, got {}", o.vread));
  if (!(o.rwire >= 0)) throw XbarError(fmt::format("rwire: expected 0 or a positive resistance, got {}", o.rwire));
  if (!(o.rdriver >= 0)) throw XbarError(fmt::format("rdriver: expected 0 or a positive resistance, got {}", o.rdriver));
  if (!(o.cwire >= 0)) throw XbarError(fmt::format("cwire: expected 0 or a positive capacitance, got {}", o.cwire));
  if (o.cwire > 0 && o.rwire == 0)
    throw XbarError("cwire: line capacitance sits on the wire segments' nodes, so it needs rwire > 0");
  if (o.transient && o.cwire == 0)
    throw XbarError("transient reads need line capacitance (cwire > 0): without it the read is the DC solution");
  if (!(o.readTime > 0)) throw XbarError(fmt::format("read time: expected a positive time, got {}", o.readTime));
  if (!(o.settleTolerance > 0 && o.settleTolerance < 1))
    throw XbarError(fmt::format("settle tolerance: expected a fraction in (0, 1), got {}", o.settleTolerance));
  if (o.oneT1R && !(o.accessW > 0 && o.accessL > 0))
    throw XbarError(fmt::format("access transistor: expected positive w and l, got {} and {}", o.accessW, o.accessL));
  if (o.cellDevice && o.cellDevice->vread() != o.vread)
    throw XbarError(fmt::format("cell device {}: tabulated at {:g} V, but the rows are read at {:g} V",
                                o.cellDevice->spec(), o.cellDevice->vread(), o.vread));
}

void validateCells(const ArrayOptions& o, const DeviceOptions& devices) {
  if (!o.cellDevice) return;
  if (devices.readNoise > 0)
    throw XbarError(fmt::format("--read-noise with --cell-device {}: a device cell keeps its programmed state for the "
                                "run; read noise is for resistor cells",
                                o.cellDevice->spec()));
  o.cellDevice->checkRange(devices.gmin, devices.gmax);
}

std::vector<Tile> tilesOf(const MappedLayer& layer, const ArrayOptions& o, std::size_t layerIndex) {
  std::size_t tr = o.tileRows ? o.tileRows : layer.rows, tc = o.tileCols ? o.tileCols : layer.cols;
  std::vector<Tile> tiles;
  for (std::size_t r = 0; r < layer.rows; r += tr)
    for (std::size_t c = 0; c < layer.cols; c += tc)
      tiles.push_back({layerIndex, r, std::min(layer.rows, r + tr), c, std::min(layer.cols, c + tc)});
  return tiles;
}

namespace {

// Cell (row i, bit line p) of a tile: its device's number in mapLayer's and ReadDraw's draws
// (G+ then G- of each logical column), and its programmed conductance.
struct CellOf {
  std::size_t draw;
  double g;
};
CellOf cellOf(const MappedLayer& layer, const Tile& t, std::size_t i, std::size_t p) {
  const std::size_t k = (t.r0 + i) * layer.cols + t.c0 + p / 2;
  return {2 * k + p % 2, p % 2 == 0 ? layer.gpos[k] : layer.gneg[k]};
}

}  // namespace

std::string tileDeck(const MappedLayer& layer, const Tile& t, const ArrayOptions& o, std::span<const double> vin,
                     bool analysis, const ReadDraw* read) {
  std::string d = fmt::format(
      "* memspice-xbar: layer {} tile rows {}..{} columns {}..{} ({} x {} cells, differential pairs +/-), "
      "rwire={:g} ohm cwire={:g} F rdriver={:g} ohm\n",
      t.layer, t.r0, t.r1 - 1, t.c0, t.c1 - 1, t.rows(), t.bitLines(), o.rwire, o.cwire, o.rdriver);
  const bool wires = o.rwire > 0;
  const std::size_t P = t.bitLines();
  if (o.oneT1R) d += fmt::format("* 1T1R cells: access NMOS w={:g} l={:g}, select lines at {:g} V\n.model xbar_acc {}\n"
                                 "vsel sel 0 dc {:.17g}\n", o.accessW, o.accessL, o.vgate, o.accessModel, o.vgate);
  const CellDevice* device = o.cellDevice.get();
  if (device)
    d += fmt::format("* cells: {} with state set so that I({:g} V) / {:g} V is the programmed G\n{}", device->spec(),
                     o.vread, o.vread, device->include());
  // A cell from word node w to bit node b: its memory element (a resistor or the device), then
  // the access transistor for 1T1R.
  auto cell = [&](std::size_t i, std::size_t p, const std::string& w, const std::string& b, double g) {
    const std::string mid = o.oneT1R ? fmt::format("m{}_{}", i, p) : b;
    std::string text = device ? device->instance(fmt::format("xc{}_{}", i, p), w, mid, device->stateFor(g))
                              : fmt::format("rc{}_{} {} {} {:.17g}\n", i, p, w, mid, 1 / g);
    if (o.oneT1R) text += fmt::format("mc{}_{} {} sel {} 0 xbar_acc w={:g} l={:g}\n", i, p, mid, b, o.accessW, o.accessL);
    return text;
  };
  for (std::size_t i = 0; i < t.rows(); ++i) {
    // The driver: an ideal source, behind its output resistance if it has one (node in<i> is
    // then the driver's output pin).
    if (o.rdriver > 0)
      d += fmt::format("vi{} dac{} 0 dc {:.17g}\nrdr{} dac{} in{} {:.17g}\n", i, i, vin[i], i, i, i, o.rdriver);
    else
      d += fmt::format("vi{} in{} 0 dc {:.17g}\n", i, i, vin[i]);
    if (wires) d += fmt::format("rwi{} in{} w{}_0 {:.17g}\n", i, i, i, o.rwire);
  }
  for (std::size_t i = 0; i < t.rows(); ++i)
    for (std::size_t p = 0; p < P; ++p) {
      const CellOf at = cellOf(layer, t, i, p);
      const double g = read ? at.g * read->factor(at.draw) : at.g;
      if (wires) {
        d += cell(i, p, fmt::format("w{}_{}", i, p), fmt::format("b{}_{}", i, p), g);
        if (p + 1 < P) d += fmt::format("rw{}_{} w{}_{} w{}_{} {:.17g}\n", i, p, i, p, i, p + 1, o.rwire);
        std::string below = i + 1 < t.rows() ? fmt::format("b{}_{}", i + 1, p) : fmt::format("s{}", p);
        d += fmt::format("rb{}_{} b{}_{} {} {:.17g}\n", i, p, i, p, below, o.rwire);
        if (o.cwire > 0)
          d += fmt::format("cw{}_{} w{}_{} 0 {:.17g}\ncb{}_{} b{}_{} 0 {:.17g}\n", i, p, i, p, o.cwire, i, p, i, p, o.cwire);
      } else {
        d += cell(i, p, fmt::format("in{}", i), fmt::format("s{}", p), g);
      }
    }
  for (std::size_t p = 0; p < P; ++p) d += fmt::format("vs{} s{} 0 dc 0\n", p, p);
  if (analysis && o.transient) {
    // uic: no operating point, so the lines start discharged and the sources step at t = 0.
    d += fmt::format(".tran {:.6g} {:.6g} uic\n.print tran", o.readTime / 200, o.readTime);
    for (std::size_t p = 0; p < P; ++p) d += fmt::format(" i(vs{})", p);
    d += "\n";
  } else if (analysis) {
    d += ".op\n.print dc";
    for (std::size_t p = 0; p < P; ++p) d += fmt::format(" i(vs{})", p);
    d += "\n";
  }
  d += ".end\n";
  return d;
}

SolveMode parseSolveMode(const std::string& word) {
  if (word == "response") return SolveMode::Response;
  if (word == "newton") return SolveMode::Newton;
  if (word == "fresh") return SolveMode::Fresh;
  throw XbarError(fmt::format("--solve '{}': expected response, newton or fresh", word));
}

TileSolver::TileSolver(const MappedLayer& layer, const Tile& tile, const ArrayOptions& o,
                       const engine::ModelRegistry& registry, SolveMode mode, bool readNoise)
    : tile_(tile),
      mode_((readNoise || o.transient) && mode == SolveMode::Response ? SolveMode::Newton : mode),
      readTime_(o.transient ? o.readTime : 0),
      settleTolerance_(o.settleTolerance) {
  std::vector<double> vin(tile.rows(), 0.0);
  std::string name = fmt::format("layer{}_tile{}_{}.cir", tile.layer, tile.r0, tile.c0);
  static const DiskFileProvider files;  // a cell device's library
  deck_ = std::make_unique<FrontEndResult>(loadDeckText(name, tileDeck(layer, tile, o, vin, false), files));
  if (!deck_->circuit)
    throw XbarError(fmt::format("{}: the generated deck is invalid:\n{}", name, firstLines(deck_->report(), 12)));
  const elab::FlatCircuit& c = *deck_->circuit;
  system_ = engine::buildMnaSystem(c, registry, deck_->diags);
  if (!system_) throw XbarError(fmt::format("{}: cannot build the circuit:\n{}", name, firstLines(deck_->report(), 12)));
  solver_ = std::make_unique<engine::KluSolver>(system_->pattern());
  x_ = atRest();
  for (std::size_t i = 0; i < tile.rows(); ++i) {
    auto d = static_cast<std::size_t>(c.findInstance(fmt::format("vi{}", i)));
    inputs_.push_back(d);
    inputBranch_.push_back(system_->internalUnknown(d, 0));
  }
  for (std::size_t p = 0; p < tile.bitLines(); ++p)
    senseBranch_.push_back(system_->internalUnknown(static_cast<std::size_t>(c.findInstance(fmt::format("vs{}", p))), 0));
  if (readNoise)
    for (std::size_t i = 0; i < tile.rows(); ++i)
      for (std::size_t p = 0; p < tile.bitLines(); ++p) {
        const CellOf at = cellOf(layer, tile, i, p);
        cells_.push_back({static_cast<std::size_t>(c.findInstance(fmt::format("rc{}_{}", i, p))), at.draw, at.g});
      }
  if (mode_ == SolveMode::Response) buildResponse();
}

void TileSolver::buildResponse() {
  const std::size_t rows = inputs_.size(), lines = senseBranch_.size(), n = system_->size();
  // A source's value enters only its own branch equation, so one evaluation at x = 0 with every
  // source at 1 V gives each source's right-hand side; the check below catches it if not.
  for (std::size_t i = 0; i < rows; ++i) system_->setSweepValue(inputs_[i], 1.0);
  engine::EvalContext ctx;
  x_ = atRest();  // linearised at the cells' states, with the lines at 0 V
  system_->evaluate(x_, ctx);
  std::vector<double> rhs(system_->f().begin(), system_->f().end());
  auto G = system_->G();
  if (!solver_->factor({G.data(), G.size()})) return;  // singular at x = 0: leave it to Newton
  std::vector<double> m(lines * rows), s(rows * rows), dx(n);
  for (std::size_t i = 0; i < rows; ++i) {
    std::fill(dx.begin(), dx.end(), 0.0);
    auto b = static_cast<std::size_t>(inputBranch_[i]);
    dx[b] = -rhs[b];
    solver_->solve(dx);
    for (std::size_t p = 0; p < lines; ++p) m[p * rows + i] = dx[static_cast<std::size_t>(senseBranch_[p])];
    for (std::size_t k = 0; k < rows; ++k) s[k * rows + i] = dx[static_cast<std::size_t>(inputBranch_[k])];
  }
  factorsValid_ = false;
  // Superposition holds only for a linear circuit: check sense and source currents against a
  // full solve at a mixed input.
  std::vector<double> vin(rows);
  for (std::size_t i = 0; i < rows; ++i) vin[i] = 0.1 + 0.05 * std::sin(static_cast<double>(i));
  newtonSolve(vin);
  double worst = 0, scale = 0;
  auto check = [&](const std::vector<double>& matrix, const std::vector<engine::Index>& branches) {
    for (std::size_t p = 0; p < branches.size(); ++p) {
      double predicted = 0;
      for (std::size_t i = 0; i < rows; ++i) predicted += matrix[p * rows + i] * vin[i];
      double actual = x_[static_cast<std::size_t>(branches[p])];
      worst = std::max(worst, std::fabs(predicted - actual));
      scale = std::max(scale, std::fabs(actual));
    }
  };
  check(m, senseBranch_);
  check(s, inputBranch_);
  if (worst > 1e-9 * scale + 1e-15) return;  // not linear: stay with Newton
  response_ = std::move(m);
  sourceResponse_ = std::move(s);
  // The matrices answer every input from now on: the circuit and its factors can go.
  solver_.reset();
  system_.reset();
  deck_.reset();
  x_ = {};
}

void TileSolver::newtonSolve(std::span<const double> vin) {
  for (std::size_t i = 0; i < inputs_.size(); ++i) system_->setSweepValue(inputs_[i], vin[i]);
  if (mode_ == SolveMode::Fresh) {
    x_ = atRest();
    factorsValid_ = false;
  }
  engine::EvalContext ctx;
  engine::NewtonOptions newton;
  newton.factorsValid = &factorsValid_;
  const std::vector<double> start = x_;
  auto report = engine::newton(*system_, *solver_, x_, ctx, newton);
  if (!report.converged) {  // a nonlinear cell far from the last point: the full homotopy ladder,
    factorsValid_ = false;   // from the last solution rather than where Newton gave up
    x_ = start;
    engine::OpOptions op;
    auto r = engine::solveOperatingPoint(*system_, *solver_, x_, ctx, op);
    if (!r.converged)
      throw XbarError(fmt::format("layer {} tile rows {}..{}: no DC solution: {}", tile_.layer, tile_.r0, tile_.r1 - 1,
                                  r.failure));
  }
}

std::vector<double> TileSolver::atRest() const {
  std::vector<double> x(system_->size(), 0.0);
  system_->initialValues(x);
  return x;
}

TileSolver::~TileSolver() = default;
TileSolver::TileSolver(TileSolver&&) noexcept = default;

void TileSolver::solve(std::span<const double> vin, std::span<double> currents, double& power, const ReadDraw* read) {
  const std::size_t rows = inputs_.size();
  if (read && !cells_.empty()) {  // this read's conductances: the matrix changes, so new factors
    for (const Cell& c : cells_) system_->setSweepValue(c.device, 1 / (c.g * read->factor(c.draw)));
    factorsValid_ = false;
  }
  if (usesResponse()) {
    for (std::size_t p = 0; p < currents.size(); ++p) {
      const double* row = response_.data() + p * rows;
      double sum = 0;
      for (std::size_t i = 0; i < rows; ++i) sum += row[i] * vin[i];
      currents[p] = sum;
    }
    for (std::size_t k = 0; k < rows; ++k) {
      if (vin[k] == 0) continue;
      const double* row = sourceResponse_.data() + k * rows;
      double branch = 0;
      for (std::size_t i = 0; i < rows; ++i) branch += row[i] * vin[i];
      power -= vin[k] * branch;
    }
    return;
  }
  if (readTime_ > 0) return transientRead(vin, currents, power);
  newtonSolve(vin);
  for (std::size_t p = 0; p < senseBranch_.size(); ++p) currents[p] = x_[static_cast<std::size_t>(senseBranch_[p])];
  for (std::size_t i = 0; i < rows; ++i) power -= vin[i] * x_[static_cast<std::size_t>(inputBranch_[i])];
}

void TileSolver::transientRead(std::span<const double> vin, std::span<double> currents, double& power) {
  // The settled currents first: what the read is measured against (x_ stays the DC warm start).
  newtonSolve(vin);
  const std::size_t lines = senseBranch_.size();
  std::vector<double> settled(lines);
  double scale = 0;
  for (std::size_t p = 0; p < lines; ++p) {
    settled[p] = x_[static_cast<std::size_t>(senseBranch_[p])];
    scale = std::max(scale, std::fabs(settled[p]));
  }
  engine::TransientSetup s;
  s.tstop = readTime_;
  s.tmax = readTime_;                     // no step cap: once settled, a few long steps reach the end
  s.internalPoints = true;                // every step: settling and energy from the integrator's own points
  // The integration error must stay well inside the settling band.
  s.op.newton.tol.reltol = std::min(s.op.newton.tol.reltol, settleTolerance_ / 10);
  s.start = atRest();                     // the sources' nodes follow at once
  s.outputs = senseBranch_;
  s.extra = [&](double, std::span<const double> y, std::span<const double>, std::vector<double>& row) {
    double delivered = 0;
    for (std::size_t i = 0; i < vin.size(); ++i) delivered -= vin[i] * y[static_cast<std::size_t>(inputBranch_[i])];
    row.push_back(delivered);
  };
  engine::TransientResult r = engine::runTransient(*system_, *solver_, s);
  factorsValid_ = false;  // the integrator has re-evaluated the matrices at other points
  if (!r.ok)
    throw XbarError(fmt::format("layer {} tile rows {}..{}: transient read: {}", tile_.layer, tile_.r0, tile_.r1 - 1,
                                r.failure));
  // Rows: time, the bit-line currents, the delivered power; the first at t = 0, the last at the read time.
  const std::size_t width = r.width, points = r.data.size() / width;
  if (points < 2)
    throw XbarError(fmt::format("layer {} tile rows {}..{}: transient read: no steps recorded", tile_.layer, tile_.r0,
                                tile_.r1 - 1));
  auto at = [&](std::size_t k, std::size_t column) { return r.data[k * width + column]; };
  auto deviation = [&](std::size_t k) {
    double worst = 0;
    for (std::size_t p = 0; p < lines; ++p) worst = std::max(worst, std::fabs(at(k, 1 + p) - settled[p]));
    return worst;
  };
  // A floor of the integrator's current tolerance: a tile whose inputs are all zero has nothing to settle.
  const double limit = settleTolerance_ * scale + s.op.newton.tol.abstol;
  settling_ = {0, true};
  for (std::size_t k = points; k-- > 0;) {
    const double d = deviation(k);
    if (d <= limit) continue;
    if (k + 1 == points) {
      settling_ = {readTime_, false};
    } else {  // crossed into the band between points k and k + 1: interpolate the crossing
      const double next = deviation(k + 1), t0 = at(k, 0), t1 = at(k + 1, 0);
      settling_.time = t0 + (t1 - t0) * (d - limit) / (d - next);
    }
    break;
  }
  power += engine::measure::integral(r.column(0), r.column(lines + 1), 0, readTime_, false) / readTime_;
  for (std::size_t p = 0; p < lines; ++p) currents[p] = at(points - 1, 1 + p);
}

LayerCircuit::LayerCircuit(const MappedLayer& layer, const ArrayOptions& o, std::size_t layerIndex,
                           const engine::ModelRegistry& registry, SolveMode mode, bool readNoise)
    : cols_(layer.cols) {
  for (const Tile& t : tilesOf(layer, o, layerIndex)) tiles_.emplace_back(layer, t, o, registry, mode, readNoise);
}

Settling LayerCircuit::settling() const {
  Settling s;
  for (const TileSolver& t : tiles_) {
    s.time = std::max(s.time, t.settling().time);
    s.settled = s.settled && t.settling().settled;
  }
  return s;
}

void LayerCircuit::solve(std::span<const double> vin, std::vector<double>& idiff, double& power, const ReadDraw* read) {
  idiff.assign(cols_, 0.0);
  for (TileSolver& t : tiles_) {
    const Tile& tile = t.tile();
    currents_.resize(tile.bitLines());
    t.solve(vin.subspan(tile.r0, tile.rows()), currents_, power, read);
    for (std::size_t c = tile.c0; c < tile.c1; ++c)
      idiff[c] += currents_[2 * (c - tile.c0)] - currents_[2 * (c - tile.c0) + 1];
  }
}

}  // namespace memspice::xbar
