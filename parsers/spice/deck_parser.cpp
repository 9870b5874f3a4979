#include "spice/deck_parser.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "spice/card_interpreters.hpp"

namespace memspice {

namespace {

struct OpenSubckt {
  std::shared_ptr<netlist::Subckt> def;
  SourceLoc loc;
};

// .subckt name port... [params:] [name=value ...]
std::shared_ptr<netlist::Subckt> parseSubcktHeader(const Card& card, Diagnostics& diags) {
  FieldCursor c(card, diags);
  auto name = c.name("a subcircuit name");
  if (!name) return nullptr;
  auto def = std::make_shared<netlist::Subckt>();
  def->name = std::move(*name);
  while (!c.atEnd() && c.peek()->is(Field::Kind::Word) && !c.peekWord("params:"))
    def->ports.push_back(*c.name("a port"));
  if (c.peekWord("params:")) c.next();
  while (!c.atEnd()) {
    auto p = c.assign();
    if (!p) return nullptr;
    def->defaults.push_back(std::move(*p));
  }
  return def;
}

}  // namespace

netlist::Netlist parseNetlist(const DeckText& deck, Diagnostics& diags) {
  netlist::Netlist net;
  net.title = deck.title;
  std::vector<OpenSubckt> open;
  for (const LogicalLine& line : deck.cards) {
    Card card;
    if (!parseCard(line, card, diags)) continue;
    if (card.fields.empty()) continue;
    const Field& head = card.fields.front();
    std::string cmd = head.is(Field::Kind::Word) ? toLower(head.text) : std::string();
    netlist::Body& body = open.empty() ? net.top : open.back().def->body;

    if (cmd == ".subckt") {
      if (auto def = parseSubcktHeader(card, diags)) {
        body.subckts.push_back(def);
        open.push_back({def, card.loc(head)});
      } else {
        // Still open a (nameless) scope so the matching .ends does not close the wrong one.
        auto dummy = std::make_shared<netlist::Subckt>();
        open.push_back({dummy, card.loc(head)});
      }
      continue;
    }
    if (cmd == ".ends") {
      if (open.empty()) {
        diags.error(card.loc(head), "'.ends' without '.subckt'");
        continue;
      }
      if (card.fields.size() > 1) {
        const Field& n = card.fields[1];
        std::string name = toLower(n.text);
        const std::string& inner = open.back().def->name.text;
        // A name that matches an outer open subcircuit means an .ends is missing; any other
        // name is ignored, as ngspice and Xyce do (Xyce's own decks have such typos).
        bool outer = std::any_of(open.begin(), open.end() - 1,
                                 [&](const OpenSubckt& o) { return o.def->name.text == name; });
        if (!inner.empty() && name != inner) {
          if (outer)
            diags.error(card.loc(n), fmt::format("'.ends {}' closes subcircuit '{}': '{}' has no '.ends'", name, inner, inner));
          else
            diags.warning(card.loc(n), fmt::format("'.ends {}' closes subcircuit '{}'; the name is ignored", name, inner));
        }
      }
      open.pop_back();
      continue;
    }
    if (!cmd.empty() && cmd[0] == '.') {
      parseDotCard(card, diags, {net, body, !open.empty()});
      continue;
    }
    netlist::Element element;
    if (parseElement(card, diags, element)) body.elements.push_back(std::move(element));
  }
  for (const OpenSubckt& o : open)
    diags.error(o.loc, fmt::format("subcircuit '{}' has no '.ends'", o.def->name.text));
  return net;
}

}  // namespace memspice
