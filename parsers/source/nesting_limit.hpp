#pragma once
// An X3 directive that bounds recursion depth: limit<N>(what)[rule] counts active nestings of
// `rule` in ParseEnv::depth and throws an expectation failure naming `what` beyond N. Include
// only from grammar translation units (it pulls in Spirit X3).
#include <boost/spirit/home/x3.hpp>

#include "source/parse_env.hpp"

namespace memspice::x3limit {

namespace x3 = boost::spirit::x3;

template <class Tag, int Max, class Subject>
struct Guard : x3::unary_parser<Subject, Guard<Tag, Max, Subject>> {
  using base_type = x3::unary_parser<Subject, Guard<Tag, Max, Subject>>;
  static bool const is_pass_through_unary = true;
  Guard(const Subject& s, const char* description) : base_type(s), what(description) {}

  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, const It& last, const Ctx& ctx, RCtx& rctx, Attr& attr) const {
    int* depth = x3::get<Tag>(ctx).depth;
    if (*depth >= Max) throw x3::expectation_failure<It>(first, what);
    ++*depth;
    struct Restore {
      int* d;
      ~Restore() { --*d; }
    } restore{depth};
    return this->subject.parse(first, last, ctx, rctx, attr);
  }
  const char* what;
};

template <class Tag, int Max>
struct GuardGen {
  const char* what;
  template <class Subject>
  Guard<Tag, Max, typename x3::extension::as_parser<Subject>::value_type> operator[](const Subject& s) const {
    return {x3::as_parser(s), what};
  }
};

template <class Tag, int Max>
GuardGen<Tag, Max> limit(const char* what) {
  return {what};
}

}  // namespace memspice::x3limit
