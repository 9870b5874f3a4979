#include "csv_matrix.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "read_file.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {

Array parseCsvMatrix(const std::string& text, const std::string& where) {
  Array a;
  std::size_t cols = 0, rows = 0, line = 0, pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view row(text.data() + pos, end - pos);
    pos = end + 1;
    ++line;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    std::size_t first = row.find_first_not_of(" \t");
    if (first == std::string_view::npos || row[first] == '#') continue;
    std::size_t n = 0, at = 0;
    while (true) {
      std::size_t comma = row.find(',', at);
      std::string_view cell = row.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
      std::size_t lead = cell.find_first_not_of(" \t");
      std::size_t column = at + (lead == std::string_view::npos ? 0 : lead) + 1;
      std::size_t trail = cell.find_last_not_of(" \t");
      cell = lead == std::string_view::npos ? std::string_view{} : cell.substr(lead, trail - lead + 1);
      double v = 0;
      auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (cell.empty() || ec != std::errc() || ptr != cell.data() + cell.size() || !std::isfinite(v))
        throw XbarError(fmt::format("{}:{}:{}: expected a number, got '{}'", where, line, column, cell));
      a.data.push_back(v);
      ++n;
      if (comma == std::string_view::npos) break;
      at = comma + 1;
    }
    if (rows == 0) cols = n;
    else if (n != cols)
      throw XbarError(fmt::format("{}:{}:1: expected {} columns as in the first row, got {}", where, line, cols, n));
    ++rows;
  }
  if (rows == 0) throw XbarError(fmt::format("{}:1:1: expected a matrix of numbers, the file has none", where));
  a.shape = {rows, cols};
  return a;
}

Array readCsvMatrix(const std::filesystem::path& path) {
  return parseCsvMatrix(readWholeFile(path), path.string());
}

}  // namespace memspice::xbar
