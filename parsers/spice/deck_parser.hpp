#pragma once
// parseNetlist: logical lines -> netlist AST. Each card is parsed on its own; a card with an
// error is reported and skipped, so one pass finds every problem in the deck.
#include "spice/deck_reader.hpp"
#include "spice/netlist.hpp"

namespace memspice {

netlist::Netlist parseNetlist(const DeckText& deck, Diagnostics& diags);

}  // namespace memspice
