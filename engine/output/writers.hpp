#pragma once
// Result writers.
//  writeRaw: the ngspice 39 raw format (research/simulators.md 1.3.1): header lines Title,
//    Date, Plotname, Flags: real, No. Variables, No. Points (padded to 8 characters),
//    Variables (\t<i>\t<name>\t<type>), then "Binary:" and little-endian doubles point by
//    point, or "Values:" with "<point>\t\t%.15e" and "\t%.15e" lines. Plots follow each other.
//  writeCsv: a header row of vector names, then one row per point (shortest text that reads
//    back as the same double).
//  printTable: the .print table on a stream.
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "output/plot.hpp"

namespace memspice::engine {

void writeRaw(std::ostream& out, const std::vector<Plot>& plots, bool ascii);
// One plot of a raw file, under `name` when given instead of plot.name (no copy of the data).
void writeRawPlot(std::ostream& out, const Plot& plot, bool ascii, const std::string& name = {});
// With `step`, every row starts with the step variables' values (a .step point); `header`
// false continues a file whose header is already written.
void writeCsv(std::ostream& out, const Plot& plot, const std::vector<std::pair<std::string, double>>& step = {},
              bool header = true);
void printTable(std::ostream& out, const Plot& plot, const std::vector<std::size_t>& columns);

}  // namespace memspice::engine
