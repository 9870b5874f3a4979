// The card grammar. Kept in one translation unit with no other X3 code (compile time).
#include <boost/spirit/home/x3.hpp>

#include "source/nesting_limit.hpp"
#include "source/parse_env.hpp"
#include <fmt/format.h>

#include "expr/expr_parser.hpp"
#include "spice/card.hpp"

namespace memspice {

namespace x3 = boost::spirit::x3;

namespace {

using Env = ParseEnv;
using env_tag = ParseEnvTag;

template <class Ctx, class It>
std::size_t offsetOf(const Ctx& ctx, It it) {
  return static_cast<std::size_t>(it - x3::get<env_tag>(ctx).base);
}

// The value after '=': the longest expression there, found by the expression grammar.
struct BareValueParser : x3::parser<BareValueParser> {
  using attribute_type = Field;
  static bool const has_attribute = true;

  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, It last, const Ctx& ctx, RCtx&, Attr& attr) const {
    x3::skip_over(first, last, ctx);
    const Env& env = x3::get<env_tag>(ctx);
    std::size_t begin = static_cast<std::size_t>(first - env.base);
    auto r = expr::parsePrefix(*env.line, begin, static_cast<std::size_t>(last - env.base));
    if (!r.ok()) return false;
    Field f;
    f.kind = Field::Kind::Expr;
    f.text = env.line->text().substr(begin, r.end - begin);
    f.expr = r.node;
    f.offset = begin;
    x3::traits::move_to(f, attr);
    first = env.base + r.end;
    return true;
  }
};
const BareValueParser bareValue{};

x3::rule<class fields_tag, std::vector<Field>> const fields = "fields";
x3::rule<class field_tag, Field> const field = "field";
x3::rule<class word_tag, Field> const word = "word";
x3::rule<class string_tag, Field> const string = "string";
x3::rule<class braced_tag, Field> const braced = "expression";
x3::rule<class call_tag, Field> const call = "call";
x3::rule<class assign_tag, Field> const assign = "assignment";
x3::rule<class key_tag, Field> const key = "name";
x3::rule<class value_tag, Field> const value = "a value after '='";
x3::rule<class rparen_tag> const rparen = "')'";
x3::rule<class rbrace_tag> const rbrace = "'}' to close '{'";
x3::rule<class rquote_tag> const rquote = "a closing quote";
x3::rule<class rdquote_tag> const rdquote = "a closing '\"'";

template <Field::Kind K>
auto makeAtom(bool isBraced) {
  return [isBraced](auto& ctx) {
    auto range = x3::_attr(ctx);
    Field f;
    f.kind = K;
    f.text.assign(range.begin(), range.end());
    f.offset = offsetOf(ctx, range.begin());
    f.braced = isBraced;
    x3::_val(ctx) = std::move(f);
  };
}
const auto pushField = [](auto& ctx) { x3::_val(ctx).push_back(x3::_attr(ctx)); };
const auto startCall = [](auto& ctx) {
  Field f = x3::_attr(ctx);
  f.kind = Field::Kind::Call;
  x3::_val(ctx) = std::move(f);
};
const auto setArgs = [](auto& ctx) { x3::_val(ctx).args = x3::_attr(ctx); };
const auto startAssign = [](auto& ctx) {
  Field f;
  f.kind = Field::Kind::Assign;
  f.offset = x3::_attr(ctx).offset;
  f.args.push_back(x3::_attr(ctx));
  x3::_val(ctx) = std::move(f);
};
const auto setValue = [](auto& ctx) { x3::_val(ctx).args.push_back(x3::_attr(ctx)); };
const auto assignField = [](auto& ctx) { x3::_val(ctx) = x3::_attr(ctx); };

// Byte sets and literals only: Spirit's character classes misbehave on bytes >= 128 through a
// signed char iterator (see expr_parser.cpp).
const auto blank = x3::lit(' ') | x3::lit('\t');
const auto wordChar = ~x3::char_(" \t,(){}='\"");
const auto rparen_def = x3::lit(')');
const auto rbrace_def = x3::lit('}');
const auto rquote_def = x3::lit('\'');
const auto rdquote_def = x3::lit('"');
const auto word_def = x3::raw[x3::lexeme[+wordChar]][makeAtom<Field::Kind::Word>(false)];
const auto string_def = x3::lexeme['"' > x3::raw[*~x3::char_('"')][makeAtom<Field::Kind::String>(false)] > rdquote];
const auto braced_def =
    x3::lexeme['{' > x3::raw[*~x3::char_('}')][makeAtom<Field::Kind::Expr>(true)] > rbrace] |
    x3::lexeme['\'' > x3::raw[*~x3::char_('\'')][makeAtom<Field::Kind::Expr>(true)] > rquote];
const auto call_def = (word[startCall] >> '(') > fields[setArgs] > rparen;
const auto value_def = string[assignField] | braced[assignField] | bareValue[assignField];
const auto key_def = call | word;
const auto assign_def = (key[startAssign] >> '=') >> x3::expect[value][setValue];
const auto field_def = assign | call | braced | string | word;
// Groups nest through calls: name(a(b(...))). Bounded, as the expression grammar is.
const auto fields_def =
    x3limit::limit<env_tag, 200>("a group nested less deeply (at most 200 levels)")[*(field[pushField] | ',')];

BOOST_SPIRIT_DEFINE(fields, field, word, string, braced, call, assign, key, value, rparen, rbrace, rquote,
                    rdquote)

// Braced expressions are parsed after the card grammar so that backtracking never reports twice.
bool parseBracedExpressions(const LogicalLine& line, std::vector<Field>& list, Diagnostics& diags) {
  for (Field& f : list) {
    if (f.is(Field::Kind::Expr) && !f.expr) {
      std::size_t begin = f.offset;
      auto r = expr::parseExpression(line, begin, begin + f.text.size());
      if (!r.ok()) {
        diags.error(line.loc(r.errorOffset), r.error);
        return false;
      }
      f.expr = r.node;
    }
    if (!parseBracedExpressions(line, f.args, diags)) return false;
  }
  return true;
}

std::string describeAt(const char* at, const char* last) {
  if (at >= last) return "end of line";
  return fmt::format("'{}'", *at);
}

}  // namespace

bool parseCard(const LogicalLine& line, Card& card, Diagnostics& diags) {
  card.line = &line;
  card.fields.clear();
  const std::string& text = line.text();
  const char* base = text.data();
  const char* first = base;
  const char* last = base + text.size();
  int depth = 0;
  Env env{&line, base, &depth};
  try {
    x3::phrase_parse(first, last, x3::with<env_tag>(env)[fields], blank, card.fields);
  } catch (const x3::expectation_failure<const char*>& e) {
    const char* at = e.where();
    while (at < last && (*at == ' ' || *at == '\t')) ++at;
    std::size_t offset = static_cast<std::size_t>(at - base);
    if (e.which() == "a value after '='") {
      // Let the expression grammar say what is wrong with the value, if it can.
      auto r = expr::parsePrefix(line, offset, text.size());
      if (!r.ok() && at < last) {
        diags.error(line.loc(r.errorOffset), r.error);
        return false;
      }
    }
    diags.error(line.loc(offset), fmt::format("expected {}, found {}", e.which(), describeAt(at, last)));
    return false;
  }
  if (first != last) {
    diags.error(line.loc(static_cast<std::size_t>(first - base)),
                fmt::format("unexpected {}", describeAt(first, last)));
    return false;
  }
  return parseBracedExpressions(line, card.fields, diags);
}

}  // namespace memspice
