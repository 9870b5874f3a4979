#include "expr/expr.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace memspice::expr {

NodePtr makeNode(Node n) {
  n.depth = 1;
  n.size = 1;
  for (const NodePtr& a : n.args) {
    n.depth = std::max(n.depth, a->depth + 1);
    n.size = std::min<std::uint64_t>(n.size + a->size, std::uint64_t{1} << 62);
  }
  return std::make_shared<const Node>(std::move(n));
}

namespace {
NodePtr make(Node n) { return makeNode(std::move(n)); }

const char* opText(Op op) {
  switch (op) {
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Mod: return "%";
    case Op::Pow: return "^";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::And: return "&&";
    case Op::Or: return "||";
    case Op::Neg: return "-";
    case Op::Plus: return "+";
    case Op::Not: return "!";
  }
  return "?";
}
}  // namespace

NodePtr makeNumber(double v, SourceLoc loc) { return make({.kind = Node::Kind::Number, .value = v, .loc = loc}); }
NodePtr makeName(std::string name, SourceLoc loc) {
  return make({.kind = Node::Kind::Name, .text = std::move(name), .loc = loc});
}
NodePtr makeString(std::string text, SourceLoc loc) {
  return make({.kind = Node::Kind::String, .text = std::move(text), .loc = loc});
}
NodePtr makeUnary(Op op, NodePtr a, SourceLoc loc) {
  return make({.kind = Node::Kind::Unary, .op = op, .args = {std::move(a)}, .loc = loc});
}
NodePtr makeBinary(Op op, NodePtr a, NodePtr b, SourceLoc loc) {
  return make({.kind = Node::Kind::Binary, .op = op, .args = {std::move(a), std::move(b)}, .loc = loc});
}
NodePtr makeTernary(NodePtr c, NodePtr a, NodePtr b, SourceLoc loc) {
  return make({.kind = Node::Kind::Ternary, .args = {std::move(c), std::move(a), std::move(b)}, .loc = loc});
}
NodePtr makeCall(std::string name, std::vector<NodePtr> args, SourceLoc loc) {
  return make({.kind = Node::Kind::Call, .text = std::move(name), .args = std::move(args), .loc = loc});
}
NodePtr makeVoltage(std::string node, std::string node2, SourceLoc loc) {
  return make({.kind = Node::Kind::Voltage, .text = std::move(node), .text2 = std::move(node2), .loc = loc});
}
NodePtr makeCurrent(std::string device, SourceLoc loc) {
  return make({.kind = Node::Kind::Current, .text = std::move(device), .loc = loc});
}

std::string toString(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Number: return fmt::format("{:g}", n.value);
    case Node::Kind::String: return fmt::format("\"{}\"", n.text);
    case Node::Kind::Name: return n.text;
    case Node::Kind::Voltage:
      return n.text2.empty() ? fmt::format("v({})", n.text) : fmt::format("v({},{})", n.text, n.text2);
    case Node::Kind::Current: return fmt::format("i({})", n.text);
    case Node::Kind::Unary: return fmt::format("({}{})", opText(n.op), toString(*n.args[0]));
    case Node::Kind::Binary:
      return fmt::format("({}{}{})", toString(*n.args[0]), opText(n.op), toString(*n.args[1]));
    case Node::Kind::Ternary:
      return fmt::format("({}?{}:{})", toString(*n.args[0]), toString(*n.args[1]), toString(*n.args[2]));
    case Node::Kind::Call: {
      std::string out = n.text + "(";
      for (std::size_t i = 0; i < n.args.size(); ++i) out += (i ? "," : "") + toString(*n.args[i]);
      return out + ")";
    }
  }
  return "?";
}

}  // namespace memspice::expr
