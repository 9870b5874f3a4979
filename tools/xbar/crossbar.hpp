#pragma once
// A mapped layer as circuits. The layer is cut into tiles (a block of rows by a block of
// logical columns; each logical column is a differential pair of bit lines, + then -). A tile
// is a plain SPICE deck: an input source per row (the DAC, with its output resistance), cells as resistors or device
// subcircuits (cell.hpp), alone or behind an access transistor (1T1R), between the word and bit line, `rwire` ohms per word- and bit-line segment (the driver's first segment
// included), `cwire` farads from every segment's node to ground, and each bit line ending in a
// 0 V sense source (the neuron's virtual-ground input) whose current is the column current.
// The same text is exported for ngspice and simulated here through the engine, so the two
// always run the same circuit.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cell.hpp"
#include "device/registry.hpp"
#include "frontend.hpp"
#include "linalg/klu_solver.hpp"
#include "mapping.hpp"

namespace memspice::xbar {

struct ArrayOptions {
  double vread = 0.2;          // V on a row at activation 1 (pixel 1.0, bias row)
  double rwire = 0;            // ohm per word- or bit-line segment; 0: ideal wires
  double rdriver = 0;          // ohm, each row driver's (DAC's) output resistance; 0: ideal sources
  // 1T1R cells: the resistor in series with an access NMOS (drain on the resistor, source on
  // the bit line, gate on the row's select line at vgate). Standard SPICE level-1 cards, so the
  // exported deck runs in ngspice too. Nonlinear: such tiles are solved by Newton per image.
  bool oneT1R = false;
  double vgate = 1.8;          // V on every select line (all rows read at once)
  std::string accessModel = "nmos level=1 vto=0.5 kp=2e-4 lambda=0";  // .model body after the name
  double accessW = 1e-6, accessL = 1e-7;  // m
  // The cells' memory element: a device subcircuit programmed per cell (its state set so that it
  // conducts the programmed G at vread), or null: a linear resistor of 1/G. Shared, read-only.
  std::shared_ptr<const CellDevice> cellDevice;
  double cwire = 0;            // F from every word- and bit-line node to ground (needs rwire > 0)
  // Transient reads (need cwire > 0): every read starts from discharged lines, the row sources
  // step to their values at t = 0, and the bit-line currents are sampled at readTime.
  bool transient = false;
  double readTime = 100e-9;    // s each layer's rows are driven: a DC read's energy is power x readTime
  // A transient read has settled once every bit-line current stays within this fraction of the
  // tile's largest DC (fully settled) current of its own DC value. The integrator's relative
  // tolerance is a tenth of it.
  double settleTolerance = 1e-2;
  std::size_t tileRows = 0;    // rows per tile (0: all)
  std::size_t tileCols = 0;    // logical columns per tile (0: all)
};

// Checks vread > 0, rwire >= 0, rdriver >= 0, cwire >= 0 (and > 0 only with wires; > 0 for transient reads), a
// positive read time, a settle tolerance in (0, 1) and, for 1T1R cells, a positive access
// transistor size, and a cell device tabulated at vread; throws XbarError.
void validate(const ArrayOptions& options);
// With a cell device: every conductance of the mapping can be programmed, and there is no read
// noise (a device cell's state is fixed for the run); throws XbarError.
void validateCells(const ArrayOptions& options, const DeviceOptions& devices);

struct Tile {
  std::size_t layer = 0, r0 = 0, r1 = 0, c0 = 0, c1 = 0;  // rows [r0, r1), logical columns [c0, c1)
  std::size_t rows() const { return r1 - r0; }
  std::size_t bitLines() const { return 2 * (c1 - c0); }
};

std::vector<Tile> tilesOf(const MappedLayer& layer, const ArrayOptions& options, std::size_t layerIndex);
// The tile's deck with these row voltages (tile.rows() of them). With analysis, it ends with
// `.op` (transient reads: `.tran ... uic`, which starts from discharged lines as a read does)
// and a `.print` of every sense current, ready for ngspice or memspice. With a read, the
// cells have that read's conductances (read noise).
std::string tileDeck(const MappedLayer& layer, const Tile& tile, const ArrayOptions& options,
                     std::span<const double> vin, bool analysis, const ReadDraw* read = nullptr);

// How a tile is solved for input after input.
//  Response: a tile whose circuit is linear (resistive cells and wires) has sense and source
//    currents that are linear in the row voltages. Its response matrices are found by the
//    engine, one DC solve per row at 1 V, and then checked against a full solve at a mixed
//    input. Each input then costs one matrix-vector product. If the check fails (the
//    circuit is not linear), the tile falls back to Newton.
//  Newton: a DC solve per input. It warm-starts from the last solution and keeps the KLU
//    factors while they serve (NewtonOptions::factorsValid).
//  Fresh: a DC solve per input from scratch, with no reuse.
// With read noise the circuit changes from read to read, so Response gives way to Newton: each
// read sets every cell's resistor to its drawn value and solves the circuit again (new factors).
// Transient reads integrate the circuit per read (engine::runTransient), after a Newton DC
// solve for the settled currents that the settling time is measured against.
enum class SolveMode { Response, Newton, Fresh };
SolveMode parseSolveMode(const std::string& word);

struct Settling {
  double time = 0;      // s from the step until the currents stay settled (ArrayOptions::settleTolerance)
  bool settled = true;  // false: not settled by the end of the read (time is then the read time)
};

class TileSolver {
 public:
  // readNoise: reads will come with their own conductances (solve's read).
  TileSolver(const MappedLayer& layer, const Tile& tile, const ArrayOptions& options,
             const engine::ModelRegistry& registry, SolveMode mode = SolveMode::Response, bool readNoise = false);
  ~TileSolver();
  TileSolver(TileSolver&&) noexcept;
  // Bit-line currents (tile.bitLines(), into the sense sources) for these row voltages; adds the
  // power the row sources deliver (transient reads: their energy over the read / readTime, so
  // power x readTime is the read's energy either way). With a read (and readNoise), the cells
  // conduct that read's conductances. Throws XbarError if the circuit does not converge.
  void solve(std::span<const double> vin, std::span<double> currents, double& power, const ReadDraw* read = nullptr);
  const Tile& tile() const { return tile_; }
  // The last transient read's settling (DC reads: settled at once).
  const Settling& settling() const { return settling_; }
  // Whether inputs are answered from the response matrices.
  bool usesResponse() const { return !response_.empty(); }

 private:
  void newtonSolve(std::span<const double> vin);  // the DC solution for vin, into x_
  // Discharged lines (every node and branch at 0) with device cells in their programmed states:
  // where a read starts and a cold solve begins.
  std::vector<double> atRest() const;
  void buildResponse();
  void transientRead(std::span<const double> vin, std::span<double> currents, double& power);

  Tile tile_;
  SolveMode mode_;
  double readTime_ = 0;   // transient reads only
  double settleTolerance_ = 0;
  Settling settling_;
  std::unique_ptr<FrontEndResult> deck_;
  std::unique_ptr<engine::MnaSystem> system_;
  std::unique_ptr<engine::KluSolver> solver_;
  std::vector<double> x_;
  bool factorsValid_ = false;
  std::vector<std::size_t> inputs_;
  std::vector<engine::Index> inputBranch_, senseBranch_;
  std::vector<double> response_;        // bit lines x rows: sense current per row volt
  std::vector<double> sourceResponse_;  // rows x rows: source branch current per row volt
  struct Cell {
    std::size_t device;  // the cell's resistor in the circuit
    std::size_t draw;    // its number in ReadDraw::factor
    double g;            // programmed conductance
  };
  std::vector<Cell> cells_;  // with read noise only
};

// All tiles of one layer: differential column currents summed over row tiles.
class LayerCircuit {
 public:
  LayerCircuit(const MappedLayer& layer, const ArrayOptions& options, std::size_t layerIndex,
               const engine::ModelRegistry& registry, SolveMode mode = SolveMode::Response, bool readNoise = false);
  // vin: one voltage per row (inputs, then the bias row). Writes I+ - I- per logical column.
  void solve(std::span<const double> vin, std::vector<double>& idiff, double& power, const ReadDraw* read = nullptr);
  // The last read's settling over the tiles, which are read at once: the slowest tile's time.
  Settling settling() const;

 private:
  std::size_t cols_;
  std::vector<TileSolver> tiles_;
  std::vector<double> currents_;  // one tile's bit-line currents, reused from input to input
};

}  // namespace memspice::xbar
