#include "ranks.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>

#ifdef MEMSPICE_XBAR_MPI
#include <mpi.h>
#endif

namespace memspice::xbar {

Ranks::Ranks(int& argc, char**& argv) {
#ifdef MEMSPICE_XBAR_MPI
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
#else
  (void)argc;
  (void)argv;
#endif
}

Ranks::~Ranks() {
#ifdef MEMSPICE_XBAR_MPI
  MPI_Finalize();
#endif
}

std::pair<std::size_t, std::size_t> Ranks::slice(std::size_t begin, std::size_t end) const {
  std::size_t n = end - begin, r = static_cast<std::size_t>(rank_), s = static_cast<std::size_t>(size_);
  return {begin + n * r / s, begin + n * (r + 1) / s};
}

void Ranks::abort(int code) const {
#ifdef MEMSPICE_XBAR_MPI
  if (size_ > 1) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::exit(code);
}

std::vector<ItemResult> Ranks::gather(const std::vector<ItemResult>& mine) const {
  if (size_ == 1) return mine;
  std::vector<ItemResult> all;
#ifdef MEMSPICE_XBAR_MPI
  nlohmann::json j = nlohmann::json::array();
  for (const ItemResult& r : mine)
    j.push_back({r.index, r.label, r.prediction, r.outputs, r.energy, r.error, r.outsideTable, r.settle, r.unsettled,
                 r.neuronEnergy, r.maxRowVoltage});
  std::vector<std::uint8_t> bytes = nlohmann::json::to_cbor(j);
  int count = static_cast<int>(bytes.size());
  std::vector<int> counts(static_cast<std::size_t>(size_)), displs(static_cast<std::size_t>(size_));
  MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<std::uint8_t> buffer;
  if (rank_ == 0) {
    int total = 0;
    for (std::size_t k = 0; k < counts.size(); ++k) {
      displs[k] = total;
      total += counts[k];
    }
    buffer.resize(static_cast<std::size_t>(total));
  }
  MPI_Gatherv(bytes.data(), count, MPI_BYTE, buffer.data(), counts.data(), displs.data(), MPI_BYTE, 0, MPI_COMM_WORLD);
  if (rank_ != 0) return all;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    auto part = nlohmann::json::from_cbor(buffer.begin() + displs[k], buffer.begin() + displs[k] + counts[k]);
    for (const auto& e : part) {
      ItemResult r;
      r.index = e[0];
      r.label = e[1];
      r.prediction = e[2];
      r.outputs = e[3].get<std::vector<double>>();
      r.energy = e[4];
      r.error = e[5];
      r.outsideTable = e[6];
      r.settle = e[7];
      r.unsettled = e[8];
      r.neuronEnergy = e[9];
      r.maxRowVoltage = e[10];
      all.push_back(std::move(r));
    }
  }
#endif
  return all;
}

}  // namespace memspice::xbar
