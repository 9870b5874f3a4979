#include "source/logical_line.hpp"

#include <algorithm>

namespace memspice {

void LogicalLine::append(std::string_view text, SourceLoc start) {
  if (!text_.empty()) text_ += ' ';
  segments_.push_back({text_.size(), start});
  text_ += text;
}

SourceLoc LogicalLine::loc(std::size_t offset) const {
  if (segments_.empty()) return {};
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](std::size_t off, const Segment& s) { return off < s.offset; });
  const Segment& seg = *(it == segments_.begin() ? it : it - 1);
  SourceLoc result = seg.start;
  result.col += static_cast<std::uint32_t>(offset - std::min(offset, seg.offset));
  return result;
}

}  // namespace memspice
