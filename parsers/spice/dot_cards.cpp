// Dot cards that define things: .param .func .model .global .options .ic .nodeset .temp .title;
// and the dispatch to the analysis and output cards.
#include <fmt/format.h>

#include <map>

#include "spice/card_interpreters.hpp"
#include "spice/deck_reader.hpp"

namespace memspice {

namespace {

bool parseParam(FieldCursor& c, netlist::Body& body) {
  if (c.atEnd()) return c.expectedAtEnd("name=value after '.param'"), false;
  while (!c.atEnd()) {
    auto p = c.assign();
    if (!p) return false;
    body.params.push_back(std::move(*p));
  }
  return true;
}

// .func name(a, b) = expr   or   .func name(a, b) {expr}
bool parseFunc(FieldCursor& c, netlist::Body& body) {
  Diagnostics& d = c.diags();
  if (c.atEnd()) return c.expectedAtEnd("name(args) = expression after '.func'"), false;
  const Field& f = c.next();
  const Field* head = nullptr;
  expr::NodePtr bodyExpr;
  if (f.is(Field::Kind::Assign) && f.key().is(Field::Kind::Call)) {
    head = &f.key();
    bodyExpr = f.value().expr;
  } else if (f.is(Field::Kind::Call) && c.peek() && c.peek()->is(Field::Kind::Expr)) {
    head = &f;
    bodyExpr = c.next().expr;
  } else {
    d.error(c.loc(f), fmt::format("expected name(args) = expression, found {}", describe(f)));
    return false;
  }
  if (!bodyExpr) return d.error(c.loc(f), "expected an expression as the function body"), false;
  netlist::FuncDef def{{toLower(head->text), c.loc(*head)}, {}, bodyExpr};
  for (const Field& a : head->args) {
    if (!a.is(Field::Kind::Word)) return d.error(c.loc(a), "expected an argument name"), false;
    def.args.push_back(toLower(a.text));
  }
  if (!c.atEnd()) return c.unexpected();
  body.funcs.push_back(std::move(def));
  return true;
}

// .model name type (p=v ...)   .model name type(p=v ...)   .model name type p=v ...
bool parseModel(FieldCursor& c, netlist::Body& body, SourceLoc loc) {
  auto name = c.name("a model name");
  if (!name) return false;
  if (c.atEnd()) return c.expectedAtEnd("a model type"), false;
  const Field& t = c.next();
  if (!t.is(Field::Kind::Word) && !t.is(Field::Kind::Call)) {
    c.diags().error(c.loc(t), fmt::format("expected a model type, found {}", describe(t)));
    return false;
  }
  netlist::Model m{std::move(*name), {toLower(t.text), c.loc(t)}, {}, loc};
  auto addParams = [&](FieldCursor& pc) {
    while (!pc.atEnd()) {
      auto p = pc.assign();
      if (!p) return false;
      m.params.push_back(std::move(*p));
    }
    return true;
  };
  if (t.is(Field::Kind::Call)) {
    Card inner{c.card().line, t.args};
    FieldCursor pc(inner, c.diags(), 0);
    if (!addParams(pc)) return false;
  }
  if (!addParams(c)) return false;
  body.models.push_back(std::move(m));
  return true;
}

bool parseGlobal(FieldCursor& c, netlist::Netlist& n) {
  if (c.atEnd()) return c.expectedAtEnd("node names after '.global'"), false;
  while (!c.atEnd()) {
    auto node = c.name("a node name");
    if (!node) return false;
    n.globals.push_back(std::move(*node));
  }
  return true;
}

// .options reltol=1e-4 method=gear keepopinfo; Xyce package words (timeint, device, ...) are
// accepted and dropped so that Xyce decks read.
bool parseOptions(FieldCursor& c, netlist::Netlist& n) {
  static const char* const xycePackages[] = {"device", "timeint", "nonlin", "nonlin-tran", "nonlin-dcop",
                                             "linsol", "output", "restart", "parser", "measure"};
  bool first = true;
  while (!c.atEnd()) {
    const Field& f = *c.peek();
    if (f.is(Field::Kind::Word)) {
      std::string w = toLower(f.text);
      c.next();
      bool package = false;
      if (first)
        for (const char* p : xycePackages) package = package || w == p;
      if (!package) n.options.push_back({{w, c.loc(f)}, std::nullopt, {}});
    } else if (f.is(Field::Kind::Assign) && f.key().is(Field::Kind::Word)) {
      c.next();
      netlist::Option o{{toLower(f.key().text), c.loc(f.key())}, std::nullopt, {}};
      const Field& v = f.value();
      if (v.is(Field::Kind::String)) o.word = v.text;
      else if (v.expr && v.expr->isName() && !v.braced) o.word = v.expr->text;
      else o.value = netlist::Value{v.expr, c.loc(v)};
      n.options.push_back(std::move(o));
    } else {
      return c.unexpected();
    }
    first = false;
  }
  return true;
}

// .ic v(node)=value ...   (.nodeset alike)
bool parseInitial(FieldCursor& c, std::vector<netlist::InitialCondition>& out, std::string_view card) {
  Diagnostics& d = c.diags();
  if (c.atEnd()) return c.expectedAtEnd(fmt::format("v(node)=value after '{}'", card)), false;
  while (!c.atEnd()) {
    const Field& f = c.next();
    if (!f.is(Field::Kind::Assign) || !f.key().is(Field::Kind::Call) || toLower(f.key().text) != "v" ||
        f.key().args.size() != 1 || !f.key().args[0].is(Field::Kind::Word)) {
      d.error(c.loc(f), fmt::format("expected v(node)=value, found {}", describe(f)));
      return false;
    }
    const Field& node = f.key().args[0];
    out.push_back({{toLower(node.text), c.loc(node)}, {f.value().expr, c.loc(f.value())}});
  }
  return true;
}

bool parseTemp(FieldCursor& c, netlist::Netlist& n) {
  if (c.atEnd()) return c.expectedAtEnd("a temperature after '.temp'"), false;
  while (!c.atEnd()) {
    auto v = c.value("a temperature");
    if (!v) return false;
    n.temps.push_back(std::move(*v));
  }
  return true;
}

}  // namespace

void parseDotCard(const Card& card, Diagnostics& diags, DotCardTarget t) {
  const Field& head = card.fields.front();
  std::string cmd = toLower(head.text);
  SourceLoc loc = card.loc(head);
  FieldCursor c(card, diags);
  using Kind = netlist::OutputRequest::Kind;

  // Cards that define things may sit inside a subcircuit.
  if (cmd == ".param") { parseParam(c, t.body); return; }
  if (cmd == ".func") { parseFunc(c, t.body); return; }
  if (cmd == ".model") { parseModel(c, t.body, loc); return; }

  static const std::map<std::string, bool (*)(FieldCursor&, netlist::Netlist&)> topLevel = {
      {".op", cards::parseOp},       {".dc", cards::parseDc},       {".tran", cards::parseTran},
      {".ac", cards::parseAc},       {".step", cards::parseStep},   {".meas", cards::parseMeasure},
      {".measure", cards::parseMeasure}, {".global", parseGlobal}, {".options", parseOptions},
      {".option", parseOptions},     {".opt", parseOptions},        {".temp", parseTemp},
      {".print", [](FieldCursor& fc, netlist::Netlist& n) { return cards::parseOutput(fc, n, Kind::Print); }},
      {".save", [](FieldCursor& fc, netlist::Netlist& n) { return cards::parseOutput(fc, n, Kind::Save); }},
      {".probe", [](FieldCursor& fc, netlist::Netlist& n) { return cards::parseOutput(fc, n, Kind::Probe); }},
      {".ic", [](FieldCursor& fc, netlist::Netlist& n) { return parseInitial(fc, n.ics, ".ic"); }},
      {".nodeset", [](FieldCursor& fc, netlist::Netlist& n) { return parseInitial(fc, n.nodesets, ".nodeset"); }},
  };
  static const char* const otherAnalyses[] = {".tf", ".noise", ".pz", ".sens", ".four", ".disto", ".sp", ".pss"};

  auto it = topLevel.find(cmd);
  bool other = false;
  for (const char* a : otherAnalyses) other = other || cmd == a;
  if (it == topLevel.end() && !other && cmd != ".plot" && cmd != ".title") {
    diags.error(loc, fmt::format("unknown or unsupported control card '{}'", head.text));
    return;
  }
  if (t.insideSubckt) {
    diags.error(loc, fmt::format("'{}' is not allowed inside a subcircuit", cmd));
    return;
  }
  if (it != topLevel.end()) {
    it->second(c, t.netlist);
  } else if (cmd == ".plot") {
    diags.warning(loc, "'.plot' is read as '.print' (memspice draws plots with --plot)");
    cards::parseOutput(c, t.netlist, Kind::Print);
  } else if (cmd == ".title") {
    const std::string& text = card.line->text();
    std::size_t start = head.offset + head.text.size();
    while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) ++start;
    t.netlist.title = text.substr(start);
  } else {
    t.netlist.analyses.push_back({netlist::OtherAnalysis{cmd}, loc});
  }
}

}  // namespace memspice
