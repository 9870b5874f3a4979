#pragma once
// Diagnostics collects every problem found while reading and elaborating a deck, so one run
// reports them all. Each is rendered gcc-style:
//   deck.cir:3:9: error: undefined parameter 'rload'
//       3 | R1 out 0 {rload}
//         |           ^
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "source/source_loc.hpp"

namespace memspice {

class SourceManager;

enum class Severity { Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLoc loc;
  std::string message;
};

// The same message at the same place is kept once (a bad expression in a subcircuit is seen
// once per instance).
class Diagnostics {
 public:
  void error(SourceLoc loc, std::string message);
  void warning(SourceLoc loc, std::string message);

  const std::vector<Diagnostic>& all() const { return items_; }
  std::size_t errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ != 0; }

 private:
  bool seen(const Diagnostic& d);

  std::vector<Diagnostic> items_;
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::string>> keys_;
  std::size_t errors_ = 0;
};

// "file:line:col: error: message" (no quoted line); used by tests that assert exact messages.
std::string formatHeadline(const SourceManager& sources, const Diagnostic& d);
// The headline plus the source line and a caret under the column.
std::string formatDiagnostic(const SourceManager& sources, const Diagnostic& d);

}  // namespace memspice
