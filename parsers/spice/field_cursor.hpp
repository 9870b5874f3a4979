#pragma once
// FieldCursor walks a card's fields left to right for the card interpreters, turning fields
// into names and values and reporting what it expected where it did not find it.
#include <optional>
#include <string>

#include "spice/card.hpp"
#include "spice/netlist.hpp"

namespace memspice {

class FieldCursor {
 public:
  FieldCursor(const Card& card, Diagnostics& diags, std::size_t start = 1)
      : card_(card), diags_(diags), pos_(start) {}

  bool atEnd() const { return pos_ >= card_.fields.size(); }
  const Field* peek() const { return atEnd() ? nullptr : &card_.fields[pos_]; }
  const Field& next() { return card_.fields[pos_++]; }
  std::size_t position() const { return pos_; }
  // Whether the next field is a word with this (lower-case) text.
  bool peekWord(std::string_view lowered) const;
  // Whether the next field reads as a value: an {expression} or a word starting like a number.
  bool peekValue() const;
  bool peekAssign() const { return peek() && peek()->is(Field::Kind::Assign); }

  // A node or device name; `what` names it in the error ("node", "model name").
  std::optional<netlist::Name> name(std::string_view what);
  // A value: a number, a parameter name, a bare expression without blanks, or {expression}.
  std::optional<netlist::Value> value(std::string_view what);
  // key=value with a plain-word key.
  std::optional<netlist::ParamAssign> assign();

  // Reports the next field as unexpected; returns false so callers can `return cursor.unexpected()`.
  bool unexpected();
  // Error at the end of the card: "expected <what>".
  void expectedAtEnd(std::string_view what);

  SourceLoc loc(const Field& f) const { return card_.loc(f); }
  const Card& card() const { return card_; }
  Diagnostics& diags() { return diags_; }

 private:
  const Card& card_;
  Diagnostics& diags_;
  std::size_t pos_;
};

// A word field as a Value (numbers checked strictly: "1.2.3" is a bad number).
std::optional<netlist::Value> wordValue(const Card& card, const Field& f, Diagnostics& diags);
// Field text for messages: words as written, other kinds briefly.
std::string describe(const Field& f);

}  // namespace memspice
