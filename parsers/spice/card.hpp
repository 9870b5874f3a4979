#pragma once
// A card is a logical line split into fields by the X3 card grammar:
//   word                 r1  n001  1k  dc  params:        (anything without , ( ) { } = ' ")
//   "string"             "models/diode.lib"
//   {expr} or 'expr'     an expression, parsed
//   name(fields)         pulse(0 1 1n)  v(out)  nmos(vto=1)   (blanks before '(' allowed)
//   key = value          w=1u  v(1)=0  rload = {2*r}   (key is a word or a call; a bare value
//                        is the longest expression there, so `.param a = 2 * b` works)
// Commas separate fields like blanks. Field kinds say how it was written; the deck parser
// decides what it means.
#include <string>
#include <vector>

#include "expr/expr.hpp"
#include "source/diagnostics.hpp"
#include "source/logical_line.hpp"

namespace memspice {

struct Field {
  enum class Kind { Word, String, Expr, Call, Assign };
  Kind kind = Kind::Word;
  std::string text;         // Word: as written; String: contents; Call: the name; Expr: source
  expr::NodePtr expr;       // Expr: the parsed expression
  std::vector<Field> args;  // Call: the arguments; Assign: {key, value}
  std::size_t offset = 0;   // first byte in the logical line
  bool braced = false;      // Expr written as {..} or '..' (not a bare value)

  bool is(Kind k) const { return kind == k; }
  const Field& key() const { return args.at(0); }
  const Field& value() const { return args.at(1); }
};

struct Card {
  const LogicalLine* line = nullptr;
  std::vector<Field> fields;

  SourceLoc loc(const Field& f) const { return line->loc(f.offset); }
  SourceLoc endLoc() const { return line->loc(line->text().size()); }
};

// Splits `line` into fields; reports the first syntax error and returns false.
bool parseCard(const LogicalLine& line, Card& card, Diagnostics& diags);

}  // namespace memspice
