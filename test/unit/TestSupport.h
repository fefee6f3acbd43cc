//===--- TestSupport.h - Build an AST from a snippet for unit tests -------===//
#ifndef TASKLEAK_TEST_UNIT_TESTSUPPORT_H
#define TASKLEAK_TEST_UNIT_TESTSUPPORT_H

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include <memory>
#include <string>

namespace clang::tidy::taskleak::test {

/// Parses \p Code (with the mock headers on the system include path).
inline std::unique_ptr<ASTUnit> parse(const std::string &Code) {
  return tooling::buildASTFromCodeWithArgs(
      Code, {"-std=c++20", "-nostdinc++", "-isystem", TASKLEAK_TEST_INPUTS},
      "input.cpp");
}

/// The single node bound to "x" by \p M in \p AST (nullptr unless exactly
/// one match).
template <typename NodeT, typename MatcherT>
const NodeT *selectOne(ASTUnit &AST, MatcherT M) {
  auto Matches = ast_matchers::match(M.bind("x"), AST.getASTContext());
  if (Matches.size() != 1)
    return nullptr;
  return Matches[0].template getNodeAs<NodeT>("x");
}

} // namespace clang::tidy::taskleak::test

#endif
