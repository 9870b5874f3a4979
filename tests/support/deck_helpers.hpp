#pragma once
// Helpers for front-end tests: load a deck from a string (with optional in-memory include
// files) and get its diagnostics as "line:col: error: message" strings.
#include <string>
#include <vector>

#include "frontend.hpp"

namespace memspice::test {

inline FrontEndResult load(const std::string& text, const MemoryFileProvider& files = {},
                           const elab::ElabOptions& options = {}) {
  return loadDeckText("deck.cir", text, files, options);
}

// Headlines without the file name when it is the main deck: "3:7: error: bad number '1.2.3'".
inline std::vector<std::string> messages(const FrontEndResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diags.all()) {
    std::string h = formatHeadline(r.sources, d);
    if (h.rfind("deck.cir:", 0) == 0) h = h.substr(9);
    out.push_back(h);
  }
  return out;
}

inline std::vector<std::string> errors(const FrontEndResult& r) {
  std::vector<std::string> out;
  for (const std::string& m : messages(r))
    if (m.find(": error: ") != std::string::npos || m.rfind("memspice: error", 0) == 0) out.push_back(m);
  return out;
}

// The first error, or "" if there is none.
inline std::string firstError(const FrontEndResult& r) {
  auto e = errors(r);
  return e.empty() ? std::string() : e.front();
}

}  // namespace memspice::test
