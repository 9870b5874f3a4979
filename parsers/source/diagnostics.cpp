#include "source/diagnostics.hpp"

#include <fmt/format.h>

#include "source/source_manager.hpp"

namespace memspice {

bool Diagnostics::seen(const Diagnostic& d) {
  return !keys_.emplace(d.loc.file, d.loc.line, d.loc.col, d.message).second;
}

void Diagnostics::error(SourceLoc loc, std::string message) {
  Diagnostic d{Severity::Error, loc, std::move(message)};
  if (seen(d)) return;
  items_.push_back(std::move(d));
  ++errors_;
}

void Diagnostics::warning(SourceLoc loc, std::string message) {
  Diagnostic d{Severity::Warning, loc, std::move(message)};
  if (seen(d)) return;
  items_.push_back(std::move(d));
}

std::string formatHeadline(const SourceManager& sources, const Diagnostic& d) {
  const char* kind = d.severity == Severity::Error ? "error" : "warning";
  if (!d.loc.valid() || d.loc.file >= sources.fileCount())
    return fmt::format("memspice: {}: {}", kind, d.message);
  return fmt::format("{}:{}:{}: {}: {}", sources.path(d.loc.file).generic_string(), d.loc.line,
                     d.loc.col, kind, d.message);
}

std::string formatDiagnostic(const SourceManager& sources, const Diagnostic& d) {
  std::string out = formatHeadline(sources, d) + "\n";
  if (!d.loc.valid() || d.loc.file >= sources.fileCount()) return out;
  std::string_view line = sources.line(d.loc.file, d.loc.line);
  std::string number = std::to_string(d.loc.line);
  out += fmt::format(" {} | {}\n", number, line);
  // Keep tabs in the caret line so the caret sits under the right character.
  std::string pad;
  for (std::size_t i = 0; i + 1 < d.loc.col && i < line.size(); ++i)
    pad += line[i] == '\t' ? '\t' : ' ';
  out += fmt::format(" {} | {}^\n", std::string(number.size(), ' '), pad);
  return out;
}

}  // namespace memspice
