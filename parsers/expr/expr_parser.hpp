#pragma once
// Boost.Spirit X3 grammar for SPICE expressions (the ngspice/Xyce common dialect):
//   ternary ?:, || &&, == != < <= > >=, + -, * / %, unary - + !, ^ and ** (left-associative,
//   binding tighter than unary minus, as in ngspice: -2^2 = -4, 2**3**2 = 64),
//   numbers with scale suffixes (f p n u m k meg g t mil; trailing unit letters ignored),
//   names, calls f(a, b), node voltages v(n) / v(n1,n2) and branch currents i(dev).
#include <optional>
#include <string>
#include <string_view>

#include "expr/expr.hpp"
#include "source/logical_line.hpp"

namespace memspice::expr {

struct ParseResult {
  NodePtr node;              // null on error
  std::size_t end = 0;       // offset just past the parsed text
  std::size_t errorOffset = 0;
  std::string error;         // empty on success
  bool ok() const { return error.empty(); }
};

// Parses line.text()[begin, end) as exactly one expression.
ParseResult parseExpression(const LogicalLine& line, std::size_t begin, std::size_t end);
// Parses the longest expression starting at `begin` (blanks allowed between tokens), as for
// the value in `name = value`; `end` of the result tells where it stopped.
ParseResult parsePrefix(const LogicalLine& line, std::size_t begin, std::size_t end);

// A SPICE number: "10uF" -> 1e-5, "1meg" -> 1e6, "2.5kohm" -> 2500. nullopt unless the whole
// text is one number.
std::optional<double> parseNumber(std::string_view text);

}  // namespace memspice::expr
