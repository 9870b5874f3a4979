#pragma once
// Expression trees for .param, {expr}, 'expr', B-source and .func bodies.
// Trees are immutable and shared: a subcircuit body parsed once is evaluated per instance.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "source/source_loc.hpp"

namespace memspice::expr {

enum class Op {
  Add, Sub, Mul, Div, Mod, Pow,   // binary arithmetic
  Lt, Le, Gt, Ge, Eq, Ne,         // comparisons give 1 or 0
  And, Or,                        // logical, on non-zero
  Neg, Plus, Not,                 // unary
};

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Node {
  enum class Kind {
    Number,   // value
    String,   // text (only as an option or .include-like value)
    Name,     // text: a parameter, a .func argument, or `time`/`temper` in B sources
    Call,     // text(args): builtin or user .func
    Unary,    // op args[0]
    Binary,   // args[0] op args[1]
    Ternary,  // args[0] ? args[1] : args[2]
    Voltage,  // v(text) or v(text, text2): node voltage (difference)
    Current,  // i(text): branch current of a device
  };
  Kind kind = Kind::Number;
  double value = 0;
  Op op = Op::Add;
  std::string text;   // lower-cased name
  std::string text2;  // second node of v(a,b)
  std::vector<NodePtr> args;
  SourceLoc loc;
  int depth = 1;              // longest path to a leaf (bounded by the parser)
  std::uint64_t size = 1;     // nodes counted as a tree, saturating (subtrees may be shared)

  bool isName() const { return kind == Kind::Name; }
};

// Trees deeper than this are refused: evaluating (and destroying) them recurses.
constexpr int kMaxExpressionDepth = 1000;

// Any node, with depth and size filled in from its arguments (all make* functions use it).
NodePtr makeNode(Node n);
NodePtr makeNumber(double v, SourceLoc loc);
NodePtr makeName(std::string name, SourceLoc loc);
NodePtr makeString(std::string text, SourceLoc loc);
NodePtr makeUnary(Op op, NodePtr a, SourceLoc loc);
NodePtr makeBinary(Op op, NodePtr a, NodePtr b, SourceLoc loc);
NodePtr makeTernary(NodePtr c, NodePtr a, NodePtr b, SourceLoc loc);
NodePtr makeCall(std::string name, std::vector<NodePtr> args, SourceLoc loc);
NodePtr makeVoltage(std::string node, std::string node2, SourceLoc loc);
NodePtr makeCurrent(std::string device, SourceLoc loc);

// Canonical text of a tree (fully parenthesised), for listings and tests.
std::string toString(const Node& node);

}  // namespace memspice::expr
