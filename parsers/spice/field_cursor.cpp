#include "spice/field_cursor.hpp"

#include <cctype>
#include <fmt/format.h>

#include "expr/expr_parser.hpp"
#include "spice/deck_reader.hpp"

namespace memspice {

namespace {
bool startsLikeNumber(std::string_view t) {
  if (t.empty()) return false;
  char c = t[0];
  if (c == '-' || c == '+') {
    if (t.size() < 2) return false;
    c = t[1];
  }
  return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
}
}  // namespace

std::string describe(const Field& f) {
  switch (f.kind) {
    case Field::Kind::Word: return fmt::format("'{}'", f.text);
    case Field::Kind::String: return fmt::format("\"{}\"", f.text);
    case Field::Kind::Expr: return f.braced ? "an expression" : fmt::format("'{}'", f.text);
    case Field::Kind::Call: return fmt::format("'{}(...)'", f.text);
    case Field::Kind::Assign: return fmt::format("'{}=...'", f.key().text);
  }
  return "a field";
}

std::optional<netlist::Value> wordValue(const Card& card, const Field& f, Diagnostics& diags) {
  SourceLoc loc = card.loc(f);
  if (f.is(Field::Kind::Expr)) return netlist::Value{f.expr, loc};
  if (!f.is(Field::Kind::Word)) {
    diags.error(loc, fmt::format("expected a value, found {}", describe(f)));
    return std::nullopt;
  }
  std::string_view text = f.text;
  std::size_t sign = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (startsLikeNumber(text) && text.find_first_of("*/^()%") == std::string_view::npos &&
      text.find_first_of("+-", sign) == std::string_view::npos) {
    auto v = expr::parseNumber(text.substr(sign));
    if (!v) {
      diags.error(loc, fmt::format("bad number '{}'", f.text));
      return std::nullopt;
    }
    double value = sign && text[0] == '-' ? -*v : *v;
    return netlist::Value{expr::makeNumber(value, loc), loc};
  }
  auto r = expr::parseExpression(*card.line, f.offset, f.offset + f.text.size());
  if (!r.ok()) {
    diags.error(card.line->loc(r.errorOffset), startsLikeNumber(text) ? fmt::format("bad number '{}'", f.text) : r.error);
    return std::nullopt;
  }
  return netlist::Value{r.node, loc};
}

bool FieldCursor::peekWord(std::string_view lowered) const {
  const Field* f = peek();
  return f && f->is(Field::Kind::Word) && toLower(f->text) == lowered;
}

bool FieldCursor::peekValue() const {
  const Field* f = peek();
  if (!f) return false;
  if (f->is(Field::Kind::Expr)) return true;
  return f->is(Field::Kind::Word) && startsLikeNumber(f->text);
}

std::optional<netlist::Name> FieldCursor::name(std::string_view what) {
  if (atEnd()) {
    expectedAtEnd(what);
    return std::nullopt;
  }
  const Field& f = next();
  if (!f.is(Field::Kind::Word)) {
    diags_.error(loc(f), fmt::format("expected {}, found {}", what, describe(f)));
    return std::nullopt;
  }
  return netlist::Name{toLower(f.text), loc(f)};
}

std::optional<netlist::Value> FieldCursor::value(std::string_view what) {
  if (atEnd()) {
    expectedAtEnd(what);
    return std::nullopt;
  }
  const Field& f = next();
  if (f.is(Field::Kind::Assign) || f.is(Field::Kind::Call) || f.is(Field::Kind::String)) {
    diags_.error(loc(f), fmt::format("expected {}, found {}", what, describe(f)));
    return std::nullopt;
  }
  return wordValue(card_, f, diags_);
}

std::optional<netlist::ParamAssign> FieldCursor::assign() {
  const Field& f = next();
  if (!f.is(Field::Kind::Assign) || !f.key().is(Field::Kind::Word)) {
    diags_.error(loc(f), fmt::format("expected name=value, found {}", describe(f)));
    return std::nullopt;
  }
  const Field& v = f.value();
  if (v.is(Field::Kind::String)) {
    diags_.error(loc(v), fmt::format("expected a numeric value for '{}', found a string", toLower(f.key().text)));
    return std::nullopt;
  }
  return netlist::ParamAssign{{toLower(f.key().text), loc(f.key())}, {v.expr, loc(v)}};
}

bool FieldCursor::unexpected() {
  const Field& f = next();
  diags_.error(loc(f), fmt::format("unexpected {}", describe(f)));
  return false;
}

void FieldCursor::expectedAtEnd(std::string_view what) {
  diags_.error(card_.endLoc(), fmt::format("expected {} at end of line", what));
}

}  // namespace memspice
