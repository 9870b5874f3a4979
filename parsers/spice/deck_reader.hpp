#pragma once
// DeckReader turns netlist files into logical lines (cards): it takes the title line, joins
// '+' continuations, drops '*' comment lines and inline ';', '$' and '//' comments, splices in
// .include files and .lib sections, skips ngspice .control blocks and stops at .end.
// Nothing here interprets a card beyond its first word.
#include <filesystem>
#include <string>
#include <vector>

#include "source/diagnostics.hpp"
#include "source/logical_line.hpp"
#include "source/source_manager.hpp"

namespace memspice {

struct DeckText {
  std::string title;
  SourceLoc titleLoc;
  std::vector<LogicalLine> cards;
};

class DeckReader {
 public:
  DeckReader(const FileProvider& files, SourceManager& sources, Diagnostics& diags)
      : files_(files), sources_(sources), diags_(diags) {}

  // Reads the top-level deck from `path`; a missing file is reported without a location.
  DeckText readFile(const std::filesystem::path& path);
  // Reads a top-level deck whose text is already in memory (tests, fuzzing, stdin).
  DeckText readText(const std::filesystem::path& name, std::string text);

 private:
  struct Context;
  // shownName: the file as the user wrote it, for messages.
  void readLines(std::uint32_t file, bool top, const std::string* section, SourceLoc sectionLoc,
                 DeckText& out, int depth, std::string_view shownName);
  bool handleCard(LogicalLine card, Context& ctx, DeckText& out, int depth);
  void include(const std::string& target, SourceLoc loc, std::uint32_t fromFile,
               const std::string* section, DeckText& out, int depth);

  const FileProvider& files_;
  SourceManager& sources_;
  Diagnostics& diags_;
  std::vector<std::filesystem::path> includeStack_;
};

// Lower-case ASCII copy; SPICE names and keywords are case-insensitive.
std::string toLower(std::string_view text);

}  // namespace memspice
