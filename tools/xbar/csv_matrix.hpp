#pragma once
// A numeric matrix in a CSV file: one row per line, comma-separated numbers, '#' comments and
// blank lines ignored. Every row must have the same number of columns.
#include <filesystem>
#include <string>

#include "npy.hpp"

namespace memspice::xbar {

Array parseCsvMatrix(const std::string& text, const std::string& where);
Array readCsvMatrix(const std::filesystem::path& path);

}  // namespace memspice::xbar
