#pragma once
// A logical line is one SPICE card: a physical line plus its '+' continuation lines, with
// comments removed. It keeps a map from each byte offset back to file:line:col, so every
// later stage (card grammar, expressions, elaboration) can point at the original text.
#include <cstdint>
#include <string>
#include <vector>

#include "source/source_loc.hpp"

namespace memspice {

class LogicalLine {
 public:
  // Appends text that starts at `start` in the source; continuation pieces are joined by a space.
  void append(std::string_view text, SourceLoc start);

  const std::string& text() const { return text_; }
  // Location of the byte at `offset` (offsets past the end map to just after the last byte).
  SourceLoc loc(std::size_t offset) const;
  SourceLoc loc() const { return loc(0); }

 private:
  struct Segment {
    std::size_t offset;
    SourceLoc start;
  };
  std::string text_;
  std::vector<Segment> segments_;
};

}  // namespace memspice
