#pragma once
// Interpreters that turn one parsed card into netlist AST items. They report problems to
// Diagnostics and return false; the deck parser then skips the card and goes on.
#include "spice/card.hpp"
#include "spice/field_cursor.hpp"
#include "spice/netlist.hpp"

namespace memspice {

bool parseElement(const Card& card, Diagnostics& diags, netlist::Element& element);

// Where a dot card's result goes: the innermost open .subckt body, or the top level.
struct DotCardTarget {
  netlist::Netlist& netlist;
  netlist::Body& body;
  bool insideSubckt;
};

// Dot cards except .subckt/.ends, which the deck parser handles itself.
void parseDotCard(const Card& card, Diagnostics& diags, DotCardTarget target);

}  // namespace memspice

namespace memspice::cards {
// Analysis and output cards (analysis_cards.cpp); each reads the fields after the command.
bool parseOp(FieldCursor& c, netlist::Netlist& n);
bool parseDc(FieldCursor& c, netlist::Netlist& n);
bool parseTran(FieldCursor& c, netlist::Netlist& n);
bool parseAc(FieldCursor& c, netlist::Netlist& n);
bool parseStep(FieldCursor& c, netlist::Netlist& n);
bool parseMeasure(FieldCursor& c, netlist::Netlist& n);
bool parseOutput(FieldCursor& c, netlist::Netlist& n, netlist::OutputRequest::Kind kind);
}  // namespace memspice::cards
