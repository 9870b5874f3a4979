// The expression grammar. Spirit X3 is slow to compile, so all of it stays in this one file.
#include "expr/expr_parser.hpp"

#include <boost/spirit/home/x3.hpp>

#include "source/nesting_limit.hpp"
#include "source/parse_env.hpp"
#include <cctype>
#include <cmath>
#include <fmt/format.h>

namespace memspice::expr {

namespace x3 = boost::spirit::x3;

namespace {

using Env = ParseEnv;
using env_tag = ParseEnvTag;

template <class Ctx>
SourceLoc locAt(const Ctx& ctx, const char* at) {
  const Env& env = x3::get<env_tag>(ctx);
  return env.line->loc(static_cast<std::size_t>(at - env.base));
}

// Zero-width parser whose attribute is the position of the next token. (In this Boost
// version an action's _where is the rest of the input, not the matched text.)
struct HereParser : x3::parser<HereParser> {
  using attribute_type = const char*;
  static bool const has_attribute = true;
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, It last, const Ctx& ctx, RCtx&, Attr& attr) const {
    x3::skip_over(first, last, ctx);
    x3::traits::move_to(static_cast<const char*>(first), attr);
    return true;
  }
};
const HereParser here{};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Plain decimal reals: no sign (unary minus is an operator), no "nan"/"inf" words.
template <typename T>
struct SpiceRealPolicies : x3::ureal_policies<T> {
  template <typename It, typename Attr>
  static bool parse_nan(It&, It const&, Attr&) { return false; }
  template <typename It, typename Attr>
  static bool parse_inf(It&, It const&, Attr&) { return false; }
};
const x3::real_parser<double, SpiceRealPolicies<double>> ureal{};

// Spirit's character classes and no_case require bytes in 0..255 as ints, which a signed char
// iterator breaks for bytes >= 128 (assertion in debug, undefined behaviour otherwise). These
// grammars therefore use explicit byte sets and spell out case variants.
const auto blank = x3::lit(' ') | x3::lit('\t');
const auto letter = x3::char_("a-zA-Z");
const auto letterOrDigit = x3::char_("a-zA-Z0-9");

struct ScaleSymbols : x3::symbols<double> {
  ScaleSymbols() {
    const std::pair<std::string, double> scales[] = {{"t", 1e12}, {"g", 1e9}, {"meg", 1e6}, {"k", 1e3},
                                                     {"mil", 25.4e-6}, {"m", 1e-3}, {"u", 1e-6}, {"n", 1e-9},
                                                     {"p", 1e-12}, {"f", 1e-15}};
    for (const auto& [word, value] : scales)
      for (unsigned mask = 0; mask < (1u << word.size()); ++mask) {  // every upper/lower-case spelling
        std::string spelling = word;
        for (std::size_t i = 0; i < word.size(); ++i)
          if (mask & (1u << i)) spelling[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[i])));
        add(spelling, value);
      }
  }
};
const ScaleSymbols scale;

struct BinaryOps : x3::symbols<Op> {
  BinaryOps(std::initializer_list<std::pair<const char*, Op>> ops) {
    for (auto& [text, op] : ops) add(text, op);
  }
};
const BinaryOps orOp{{"||", Op::Or}};
const BinaryOps andOp{{"&&", Op::And}};
const BinaryOps eqOp{{"==", Op::Eq}, {"!=", Op::Ne}};
const BinaryOps relOp{{"<", Op::Lt}, {"<=", Op::Le}, {">", Op::Gt}, {">=", Op::Ge}};
const BinaryOps addOp{{"+", Op::Add}, {"-", Op::Sub}};
const BinaryOps powOp{{"^", Op::Pow}, {"**", Op::Pow}};

// number: real, optional scale, ignored unit letters ("10uF", "1.5kOhm", "3ns").
const auto setNumber = [](auto& ctx) { x3::_val(ctx) = x3::_attr(ctx); };
const auto scaleNumber = [](auto& ctx) { x3::_val(ctx) *= x3::_attr(ctx); };
const auto number = x3::rule<class number_tag, double>{"number"} =
    x3::lexeme[ureal[setNumber] >> -scale[scaleNumber] >> x3::omit[*letter]];

const auto identifier = x3::rule<class identifier_tag, std::string>{"name"} =
    x3::lexeme[(letter | x3::char_('_')) >> *(letterOrDigit | x3::char_('_'))];
const auto probeName = x3::rule<class probe_name_tag, std::string>{"a node or device name"} =
    x3::lexeme[+~x3::char_(" \t(),")];
const auto kw = [](char c) {
  return x3::lexeme[(x3::lit(c) | x3::lit(static_cast<char>(std::toupper(c)))) >> !(letterOrDigit | '_')];
};

x3::rule<class expr_tag, NodePtr> const expression = "an expression";
x3::rule<class ternary_tag, NodePtr> const ternary = "an expression";
x3::rule<class or_tag, NodePtr> const orExpr = "an expression";
x3::rule<class and_tag, NodePtr> const andExpr = "an operand";
x3::rule<class eq_tag, NodePtr> const eqExpr = "an operand";
x3::rule<class rel_tag, NodePtr> const relExpr = "an operand";
x3::rule<class add_tag, NodePtr> const addExpr = "an operand";
x3::rule<class mul_tag, NodePtr> const mulExpr = "an operand";
x3::rule<class unary_tag, NodePtr> const unary = "an operand";
x3::rule<class powarg_tag, NodePtr> const powArg = "an operand";
x3::rule<class power_tag, NodePtr> const power = "an operand";
x3::rule<class primary_tag, NodePtr> const primary = "an operand";
x3::rule<class rparen_tag> const rparen = "')'";
x3::rule<class colon_tag> const colon = "':'";

using boost::fusion::at_c;
const auto assign = [](auto& ctx) { x3::_val(ctx) = x3::_attr(ctx); };
const auto fold = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  x3::_val(ctx) = makeBinary(at_c<1>(a), x3::_val(ctx), at_c<2>(a), locAt(ctx, at_c<0>(a)));
  // A long operator chain builds a deep tree; refuse it like deep nesting.
  if (x3::_val(ctx)->depth > kMaxExpressionDepth)
    throw x3::expectation_failure<const char*>(at_c<0>(a), "an expression with fewer chained operators (at most 1000)");
};
const auto unaryAction = [](Op op) {
  return [op](auto& ctx) {
    auto& a = x3::_attr(ctx);
    x3::_val(ctx) = makeUnary(op, at_c<1>(a), locAt(ctx, at_c<0>(a)));
  };
};
const auto numberAction = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  if (!std::isfinite(at_c<1>(a))) {
    x3::_pass(ctx) = false;
    return;
  }
  x3::_val(ctx) = makeNumber(at_c<1>(a), locAt(ctx, at_c<0>(a)));
};
const auto nameAction = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  x3::_val(ctx) = makeName(lower(at_c<1>(a)), locAt(ctx, at_c<0>(a)));
};
const auto callAction = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  std::vector<NodePtr> args;
  if (auto& opt = at_c<2>(a)) args = *opt;
  std::string name = lower(at_c<1>(a));
  // if(c, a, b) (Xyce, HSPICE) is the ternary: only the branch taken is evaluated.
  if (name == "if" && args.size() == 3)
    x3::_val(ctx) = makeTernary(std::move(args[0]), std::move(args[1]), std::move(args[2]), locAt(ctx, at_c<0>(a)));
  else
    x3::_val(ctx) = makeCall(std::move(name), std::move(args), locAt(ctx, at_c<0>(a)));
};
const auto voltageAction = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  auto& second = at_c<2>(a);
  x3::_val(ctx) = makeVoltage(lower(at_c<1>(a)), second ? lower(*second) : std::string(), locAt(ctx, at_c<0>(a)));
};
const auto currentAction = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  x3::_val(ctx) = makeCurrent(lower(at_c<1>(a)), locAt(ctx, at_c<0>(a)));
};
const auto ternaryAction = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  x3::_val(ctx) = makeTernary(x3::_val(ctx), at_c<1>(a), at_c<2>(a), locAt(ctx, at_c<0>(a)));
};

const auto rparen_def = x3::lit(')');
const auto colon_def = x3::lit(':');
// Nesting is bounded so that deep input is an error, not a stack overflow (found by fuzzing).
// Every level of parentheses, call arguments, ternary branches and sign chains passes here.
constexpr int kMaxNesting = 400;
const auto nested = x3limit::limit<env_tag, kMaxNesting>("an expression nested less deeply (at most 200 levels)");
const auto expression_def = nested[ternary[assign]];
const auto ternary_def = orExpr[assign] >> -((here >> '?' > expression > colon > expression)[ternaryAction]);
const auto orExpr_def = andExpr[assign] >> *((here >> orOp > andExpr)[fold]);
const auto andExpr_def = eqExpr[assign] >> *((here >> andOp > eqExpr)[fold]);
const auto eqExpr_def = relExpr[assign] >> *((here >> eqOp > relExpr)[fold]);
const auto relExpr_def = addExpr[assign] >> *((here >> relOp > addExpr)[fold]);
const auto addExpr_def = mulExpr[assign] >> *((here >> addOp > mulExpr)[fold]);
const auto mulOp = x3::rule<class mulop_tag, Op>{"operator"} =
    (x3::lit('*') >> !x3::lit('*') >> x3::attr(Op::Mul)) | (x3::lit('/') >> x3::attr(Op::Div)) |
    (x3::lit('%') >> x3::attr(Op::Mod));
const auto mulExpr_def = unary[assign] >> *((here >> mulOp > unary)[fold]);
const auto unary_def = nested[(here >> '-' > unary)[unaryAction(Op::Neg)] | (here >> '+' > unary)[unaryAction(Op::Plus)] |
                       (here >> (x3::lit('!') >> !x3::lit('=')) > unary)[unaryAction(Op::Not)] | power[assign]];
// The exponent may carry its own sign: 2^-1.
const auto powArg_def = nested[(here >> '-' > powArg)[unaryAction(Op::Neg)] |
                               (here >> '+' > powArg)[unaryAction(Op::Plus)] | primary[assign]];
const auto power_def = primary[assign] >> *((here >> powOp > powArg)[fold]);
const auto primary_def =
    (here >> number)[numberAction] |
    ((here >> kw('v') >> '(') > probeName > -(',' > probeName) > rparen)[voltageAction] |
    ((here >> kw('i') >> '(') > probeName > rparen)[currentAction] |
    ((here >> identifier >> '(') > -(expression % ',') > rparen)[callAction] |
    (here >> identifier)[nameAction] |
    ('(' > expression > rparen)[assign];

BOOST_SPIRIT_DEFINE(rparen, colon, expression, ternary, orExpr, andExpr, eqExpr, relExpr, addExpr,
                    mulExpr, unary, powArg, power, primary)

std::string describe(const char* at, const char* end) {
  if (at >= end) return "end of expression";
  return fmt::format("'{}'", *at);
}

ParseResult run(const LogicalLine& line, std::size_t begin, std::size_t end, bool whole) {
  ParseResult result;
  const std::string& text = line.text();
  end = std::min(end, text.size());
  begin = std::min(begin, end);
  const char* base = text.data();
  const char* first = base + begin;
  const char* last = base + end;
  int depth = 0;
  Env env{&line, base, &depth};
  NodePtr node;
  try {
    bool ok = x3::phrase_parse(first, last, x3::with<env_tag>(env)[expression], blank, node,
                               x3::skip_flag::dont_post_skip);
    if (!ok) {
      const char* at = first;
      while (at < last && (*at == ' ' || *at == '\t')) ++at;
      result.errorOffset = static_cast<std::size_t>(at - base);
      result.error = fmt::format("expected an expression, found {}", describe(at, last));
      return result;
    }
  } catch (const x3::expectation_failure<const char*>& e) {
    const char* at = e.where();
    while (at < last && (*at == ' ' || *at == '\t')) ++at;
    result.errorOffset = static_cast<std::size_t>(at - base);
    result.error = fmt::format("expected {}, found {}", e.which(), describe(at, last));
    return result;
  }
  if (whole) {
    const char* rest = first;
    while (rest < last && (*rest == ' ' || *rest == '\t')) ++rest;
    if (rest != last) {
      result.errorOffset = static_cast<std::size_t>(rest - base);
      result.error = fmt::format("unexpected {} in expression", describe(rest, last));
      return result;
    }
  }
  result.node = std::move(node);
  result.end = static_cast<std::size_t>(first - base);
  return result;
}

}  // namespace

ParseResult parseExpression(const LogicalLine& line, std::size_t begin, std::size_t end) {
  return run(line, begin, end, true);
}

ParseResult parsePrefix(const LogicalLine& line, std::size_t begin, std::size_t end) {
  return run(line, begin, end, false);
}

std::optional<double> parseNumber(std::string_view text) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  double value = 0;
  if (!x3::parse(first, last, number, value) || first != last || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace memspice::expr
