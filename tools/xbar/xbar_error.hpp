#pragma once
// The one error type of the crossbar tools. Its message already says where (file:line:column
// for text, file: byte offset for binary files) and what was expected; the program prints it
// and exits non-zero.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace memspice::xbar {

class XbarError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The first `lines` lines of a diagnostics report: a generated deck repeats one mistake per cell,
// and thousands of copies would bury it.
inline std::string firstLines(const std::string& report, std::size_t lines) {
  std::size_t at = 0;
  for (std::size_t k = 0; k < lines; ++k) {
    at = report.find('\n', at);
    if (at == std::string::npos) return report;
    ++at;
  }
  if (at >= report.size()) return report;
  std::size_t rest = 0;
  for (std::size_t k = at; k < report.size(); ++k) rest += report[k] == '\n';
  return report.substr(0, at) + "... (" + std::to_string(rest) + " more lines)\n";
}

}  // namespace memspice::xbar
