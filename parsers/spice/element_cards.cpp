// Element cards: the first letter of the name says how the fields after it are read.
#include <fmt/format.h>

#include "spice/card_interpreters.hpp"
#include "spice/deck_reader.hpp"
#include "spice/field_cursor.hpp"

namespace memspice {

using netlist::Element;

namespace {

bool takeNodes(FieldCursor& c, Element& e, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    auto n = c.name(fmt::format("node {} of '{}'", e.nodes.size() + 1, e.name.text));
    if (!n) return false;
    e.nodes.push_back(std::move(*n));
  }
  return true;
}

// Trailing name=value parameters and the flags a card allows (e.g. "off", "on").
bool takeParams(FieldCursor& c, Element& e, std::initializer_list<std::string_view> flags = {}) {
  while (!c.atEnd()) {
    if (c.peekAssign()) {
      auto p = c.assign();
      if (!p) return false;
      e.params.push_back(std::move(*p));
      continue;
    }
    const Field& f = *c.peek();
    bool isFlag = false;
    if (f.is(Field::Kind::Word))
      for (auto flag : flags) isFlag = isFlag || toLower(f.text) == flag;
    if (!isFlag) return c.unexpected();
    e.flags.push_back({toLower(f.text), c.loc(f)});
    c.next();
  }
  return true;
}

// Words up to the first name=value: all but the last are nodes, the last names the model or
// subcircuit. Used by X, Y, N and M cards, whose node count the front end cannot know.
bool takeNodesAndMaster(FieldCursor& c, Element& e, std::string_view masterWhat) {
  std::vector<netlist::Name> words;
  while (!c.atEnd() && c.peek()->is(Field::Kind::Word) && !c.peekWord("params:")) {
    auto n = c.name("a node");
    words.push_back(std::move(*n));
  }
  if (words.empty()) {
    if (c.atEnd()) c.expectedAtEnd(fmt::format("nodes and {}", masterWhat));
    else c.unexpected();
    return false;
  }
  e.master = std::move(words.back());
  words.pop_back();
  e.nodes = std::move(words);
  if (c.peekWord("params:")) c.next();
  return true;
}

bool isWaveform(const std::string& w) {
  return w == "pulse" || w == "sin" || w == "exp" || w == "pwl" || w == "sffm" || w == "am";
}

bool parseWaveform(FieldCursor& c, netlist::SourceSpec& s) {
  const Field& f = c.next();
  netlist::Waveform w{toLower(f.text), {}, {}, c.loc(f)};
  Diagnostics& d = c.diags();
  if (f.is(Field::Kind::Call)) {
    for (const Field& a : f.args) {
      if (a.is(Field::Kind::Assign)) {
        if (!a.key().is(Field::Kind::Word)) return d.error(c.loc(a), "expected name=value"), false;
        w.options.push_back({{toLower(a.key().text), c.loc(a.key())}, {a.value().expr, c.loc(a.value())}});
        continue;
      }
      auto v = wordValue(c.card(), a, d);
      if (!v) return false;
      w.args.push_back(std::move(*v));
    }
  } else {  // "sin 0 1 1k" without parentheses
    while (c.peekValue()) {
      auto v = c.value("a waveform value");
      if (!v) return false;
      w.args.push_back(std::move(*v));
    }
  }
  // pwl options may follow the parentheses: pwl(...) r=0 td=1n; other name=value fields
  // (icomp=, m=) are the instance's.
  auto waveformOption = [&] {
    if (!c.peekAssign()) return false;
    std::string key = toLower(c.peek()->key().text);
    return key == "r" || key == "td";
  };
  while (waveformOption()) {
    auto p = c.assign();
    if (!p) return false;
    w.options.push_back(std::move(*p));
  }
  if (w.args.empty()) return d.error(w.loc, fmt::format("'{}' needs values", w.kind)), false;
  if (s.waveform) return d.error(w.loc, "a source can have only one time-domain waveform"), false;
  s.waveform = std::move(w);
  return true;
}

bool parseSource(FieldCursor& c, Element& e) {
  if (!takeNodes(c, e, 2)) return false;
  netlist::SourceSpec s;
  Diagnostics& d = c.diags();
  while (!c.atEnd()) {
    const Field& f = *c.peek();
    std::string w = f.is(Field::Kind::Word) || f.is(Field::Kind::Call) ? toLower(f.text) : "";
    if (f.is(Field::Kind::Word) && w == "dc") {
      c.next();
      auto v = c.value("a DC value after 'dc'");
      if (!v) return false;
      s.dc = std::move(*v);
    } else if (f.is(Field::Kind::Word) && w == "ac") {
      c.next();
      s.acMag = netlist::Value{expr::makeNumber(1.0, c.loc(f)), c.loc(f)};
      if (c.peekValue() && !(s.acMag = c.value("an AC magnitude"))) return false;
      if (c.peekValue() && !(s.acPhase = c.value("an AC phase"))) return false;
    } else if (isWaveform(w)) {
      if (!parseWaveform(c, s)) return false;
    } else if (c.peekValue() || (f.is(Field::Kind::Word) && !s.dc && !c.peekAssign())) {
      if (s.dc) return c.unexpected();
      auto v = c.value("a DC value");
      if (!v) return false;
      s.dc = std::move(*v);
    } else if (c.peekAssign()) {
      auto p = c.assign();
      if (!p) return false;
      if (p->name.text == "dc") {  // ngspice also takes "dc=0"
        if (s.dc) return d.error(p->name.loc, "the DC value is given twice"), false;
        s.dc = std::move(p->value);
      } else {
        e.params.push_back(std::move(*p));
      }
    } else if (f.is(Field::Kind::Call)) {
      d.error(c.loc(f), fmt::format("unknown source function '{}'; expected pulse, sin, exp, pwl or sffm", w));
      return false;
    } else {
      return c.unexpected();
    }
  }
  e.source = std::move(s);
  return true;
}

// e/g: "n+ n- nc+ nc- gain", "n+ n- value={expr}" (also Xyce "value {expr}" and ngspice
// "vol=" / "cur=").
bool parseControlledByVoltage(FieldCursor& c, Element& e) {
  if (!takeNodes(c, e, 2)) return false;
  Diagnostics& d = c.diags();
  if (c.atEnd()) return c.expectedAtEnd("controlling nodes and a gain, or value={expression}"), false;
  const Field& f = *c.peek();
  std::string w = toLower(f.is(Field::Kind::Assign) ? f.key().text : f.text);
  if (f.is(Field::Kind::Call) && (w == "poly" || w == "table")) {
    d.error(c.loc(f), fmt::format("'{}' controlled sources are not supported; use value={{expression}} or a B source", w));
    return false;
  }
  if (f.is(Field::Kind::Assign) && (w == "value" || w == "vol" || w == "cur")) {
    c.next();
    e.behaviour = f.value().expr;
    e.behaviourKind = e.type == 'e' ? 'v' : 'i';
    return takeParams(c, e);
  }
  if (f.is(Field::Kind::Word) && w == "value") {
    c.next();
    auto v = c.value("an expression after 'value'");
    if (!v) return false;
    e.behaviour = v->expr;
    e.behaviourKind = e.type == 'e' ? 'v' : 'i';
    return takeParams(c, e);
  }
  if (!takeNodes(c, e, 2)) return false;
  auto gain = c.value(e.type == 'e' ? "a voltage gain" : "a transconductance");
  if (!gain) return false;
  e.values.push_back(std::move(*gain));
  return takeParams(c, e);
}

bool parseControlledByCurrent(FieldCursor& c, Element& e) {
  if (!takeNodes(c, e, 2)) return false;
  if (!c.atEnd() && c.peek()->is(Field::Kind::Call) && toLower(c.peek()->text) == "poly") {
    c.diags().error(c.loc(*c.peek()), "'poly' controlled sources are not supported; use a B source");
    return false;
  }
  auto ref = c.name("the controlling voltage source");
  if (!ref) return false;
  e.refs.push_back(std::move(*ref));
  auto gain = c.value(e.type == 'f' ? "a current gain" : "a transresistance");
  if (!gain) return false;
  e.values.push_back(std::move(*gain));
  return takeParams(c, e);
}

bool parseBehavioural(FieldCursor& c, Element& e) {
  if (!takeNodes(c, e, 2)) return false;
  while (!c.atEnd()) {
    const Field& f = *c.peek();
    std::string key = f.is(Field::Kind::Assign) ? toLower(f.key().text) : "";
    if ((key == "v" || key == "i") && f.key().is(Field::Kind::Word)) {
      if (e.behaviour) return c.diags().error(c.loc(f), "a B source takes one v= or i= expression"), false;
      c.next();
      e.behaviour = f.value().expr;
      e.behaviourKind = key[0];
      continue;
    }
    if (!f.is(Field::Kind::Assign)) return c.unexpected();
    auto p = c.assign();
    if (!p) return false;
    e.params.push_back(std::move(*p));
  }
  if (!e.behaviour) return c.expectedAtEnd("v=expression or i=expression"), false;
  return true;
}

// r c l: a value, a model, or both, in either order; or the value as r=/c=/l=.
bool parsePassive(FieldCursor& c, Element& e) {
  if (!takeNodes(c, e, 2)) return false;
  while (!c.atEnd() && !c.peekAssign()) {
    if (c.peekValue()) {
      if (!e.values.empty()) return c.unexpected();
      auto v = c.value("a value");
      if (!v) return false;
      e.values.push_back(std::move(*v));
    } else if (c.peek()->is(Field::Kind::Word) && !e.master) {
      e.master = c.name("a model name");
    } else {
      return c.unexpected();
    }
  }
  if (!takeParams(c, e)) return false;
  std::string key(1, e.type);
  bool hasKeyValue = false;
  for (auto& p : e.params) hasKeyValue = hasKeyValue || p.name.text == key ||
                                         (e.type == 'r' && p.name.text == "resistance") ||
                                         (e.type == 'c' && p.name.text == "capacitance") ||
                                         (e.type == 'l' && p.name.text == "inductance");
  if (e.values.empty() && !e.master && !hasKeyValue) {
    c.expectedAtEnd(fmt::format("a value for '{}'", e.name.text));
    return false;
  }
  return true;
}

bool parseCoupling(FieldCursor& c, Element& e) {
  for (int i = 0; i < 2; ++i) {
    auto ref = c.name("an inductor name");
    if (!ref) return false;
    e.refs.push_back(std::move(*ref));
  }
  auto k = c.value("a coupling coefficient");
  if (!k) return false;
  e.values.push_back(std::move(*k));
  return takeParams(c, e);
}

bool parseDiode(FieldCursor& c, Element& e) {
  if (!takeNodes(c, e, 2)) return false;
  e.master = c.name("a diode model name");
  if (!e.master) return false;
  if (c.peekValue()) {
    auto area = c.value("an area factor");
    if (!area) return false;
    e.values.push_back(std::move(*area));
  }
  return takeParams(c, e, {"off"});
}

bool parseSwitch(FieldCursor& c, Element& e) {
  if (!takeNodes(c, e, 2)) return false;
  if (e.type == 's') {
    if (!takeNodes(c, e, 2)) return false;
  } else {
    auto ref = c.name("the controlling voltage source");
    if (!ref) return false;
    e.refs.push_back(std::move(*ref));
  }
  e.master = c.name("a switch model name");
  if (!e.master) return false;
  return takeParams(c, e, {"on", "off"});
}

bool parseMosfet(FieldCursor& c, Element& e) {
  if (!takeNodesAndMaster(c, e, "a model")) return false;
  if (e.nodes.size() != 4) {
    c.diags().error(e.master->loc, fmt::format("MOSFET '{}' needs 4 nodes (drain gate source bulk) and a model, found {} node(s)",
                                               e.name.text, e.nodes.size()));
    return false;
  }
  return takeParams(c, e, {"off"});
}

bool parseGeneric(FieldCursor& c, Element& e, std::string_view masterWhat) {
  return takeNodesAndMaster(c, e, masterWhat) && takeParams(c, e);
}

const char* unsupportedKind(char t) {
  switch (t) {
    case 'q': return "bipolar transistor";
    case 'j': return "JFET";
    case 'z': return "MESFET";
    case 't': return "transmission line";
    case 'o': return "lossy transmission line";
    case 'u': return "uniform RC line";
    case 'a': return "XSPICE code model";
    case 'p': return "coupled transmission line";
    default: return nullptr;
  }
}

}  // namespace

bool parseElement(const Card& card, Diagnostics& diags, Element& e) {
  const Field& head = card.fields.front();
  std::string name = toLower(head.text);
  e.type = name[0];
  e.name = {name, card.loc(head)};
  e.loc = card.loc(head);
  if (!head.is(Field::Kind::Word)) {
    diags.error(card.loc(head), fmt::format("expected an element name or a dot command, found {}", describe(head)));
    return false;
  }
  FieldCursor c(card, diags);
  switch (e.type) {
    case 'r': case 'c': case 'l': return parsePassive(c, e);
    case 'k': return parseCoupling(c, e);
    case 'v': case 'i': return parseSource(c, e);
    case 'e': case 'g': return parseControlledByVoltage(c, e);
    case 'f': case 'h': return parseControlledByCurrent(c, e);
    case 'b': return parseBehavioural(c, e);
    case 'd': return parseDiode(c, e);
    case 's': case 'w': return parseSwitch(c, e);
    case 'm': return parseMosfet(c, e);
    case 'x': return parseGeneric(c, e, "a subcircuit name");
    case 'n': return parseGeneric(c, e, "a model name");
    case 'y': {
      // Xyce style: "ymemristor m1 p n model": the device family is glued to the letter.
      e.deviceType = name.substr(1);
      if (e.deviceType.empty()) {
        diags.error(e.loc, "expected a device type after 'Y' (as in 'YMEMRISTOR name p n model')");
        return false;
      }
      auto inst = c.name("an instance name after '" + name + "'");
      if (!inst) return false;
      e.name = std::move(*inst);
      return parseGeneric(c, e, "a model name");
    }
    default: break;
  }
  if (const char* kind = unsupportedKind(e.type))
    diags.error(e.loc, fmt::format("unsupported element '{}': memspice has no {} device", name, kind));
  else
    diags.error(e.loc, fmt::format("unknown element type '{}' in '{}'", head.text.substr(0, 1), name));
  return false;
}

}  // namespace memspice
