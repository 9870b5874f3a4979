#include "frontend.hpp"

#include "spice/deck_parser.hpp"
#include "spice/deck_reader.hpp"

namespace memspice {

namespace {
void finish(FrontEndResult& r, const DeckText& deck, const elab::ElabOptions& options) {
  r.netlist = parseNetlist(deck, r.diags);
  // Cards with syntax errors were dropped; elaborating the rest still finds the other problems.
  r.circuit = elab::elaborate(r.netlist, r.diags, options);
}
}  // namespace

std::string FrontEndResult::report() const {
  std::string out;
  for (const Diagnostic& d : diags.all()) out += formatDiagnostic(sources, d);
  return out;
}

FrontEndResult loadDeck(const std::filesystem::path& path, const FileProvider& files,
                        const elab::ElabOptions& options) {
  FrontEndResult r;
  DeckReader reader(files, r.sources, r.diags);
  DeckText deck = reader.readFile(path);
  if (r.sources.fileCount() > 0) finish(r, deck, options);
  return r;
}

FrontEndResult loadDeckText(const std::filesystem::path& name, std::string text, const FileProvider& files,
                            const elab::ElabOptions& options) {
  FrontEndResult r;
  DeckReader reader(files, r.sources, r.diags);
  DeckText deck = reader.readText(name, std::move(text));
  finish(r, deck, options);
  return r;
}

}  // namespace memspice
