#pragma once
// The context both X3 grammars carry (through x3::with<ParseEnvTag>): the logical line being
// parsed and the start of its text, so positions can become offsets and SourceLocs.
#include "source/logical_line.hpp"

namespace memspice {

struct ParseEnv {
  const LogicalLine* line;
  const char* base;
  int* depth;  // current nesting, bounded so deep input cannot overflow the stack
};

struct ParseEnvTag;

}  // namespace memspice
