#pragma once
// The whole front end in one call: read (with includes) -> parse -> elaborate.
// The result owns the source text, so its diagnostics can be printed with their lines.
#include <filesystem>
#include <optional>

#include "elab/elaborator.hpp"
#include "source/diagnostics.hpp"
#include "source/source_manager.hpp"
#include "spice/netlist.hpp"

namespace memspice {

struct FrontEndResult {
  SourceManager sources;
  Diagnostics diags;
  netlist::Netlist netlist;
  std::optional<elab::FlatCircuit> circuit;  // set only when there were no errors

  // Every diagnostic, rendered with its source line and caret.
  std::string report() const;
};

FrontEndResult loadDeck(const std::filesystem::path& path, const FileProvider& files,
                        const elab::ElabOptions& options = {});
FrontEndResult loadDeckText(const std::filesystem::path& name, std::string text, const FileProvider& files,
                            const elab::ElabOptions& options = {});

}  // namespace memspice
