//===--- TestSupport.h - Build an AST from a snippet for unit tests -------===//
#ifndef TASKLEAK_TEST_UNIT_TESTSUPPORT_H
#define TASKLEAK_TEST_UNIT_TESTSUPPORT_H

#include "taskleak/HandleRef.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/STLExtras.h"
#include "gtest/gtest.h"
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace clang::tidy::taskleak {
/// How gtest prints a handle in a failed expectation.
inline void PrintTo(const HandleRef &H, std::ostream *OS) {
  *OS << H.spelling() << (H.ThroughPointer ? " (through a pointer)" : "");
}
} // namespace clang::tidy::taskleak

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

/// Succeeds when \p AST was built and its snippet compiled without errors
/// (the errors themselves are printed on stderr by the parser).
inline ::testing::AssertionResult
compiledCleanly(const std::unique_ptr<ASTUnit> &AST) {
  if (!AST)
    return ::testing::AssertionFailure() << "no AST was built";
  if (AST->getDiagnostics().hasErrorOccurred())
    return ::testing::AssertionFailure() << "the snippet has errors";
  return ::testing::AssertionSuccess();
}

/// Every node bound to "x" by \p M in \p AST, in source order.
template <typename NodeT, typename MatcherT>
std::vector<const NodeT *> selectAll(ASTUnit &AST, MatcherT M) {
  // (node, match index): nodes that begin at one place keep match order.
  std::vector<std::pair<const NodeT *, size_t>> Found;
  for (const auto &Match :
       ast_matchers::match(M.bind("x"), AST.getASTContext()))
    if (const auto *N = Match.template getNodeAs<NodeT>("x"))
      Found.emplace_back(N, Found.size());
  const SourceManager &SM = AST.getSourceManager();
  llvm::sort(Found, [&](const auto &A, const auto &B) {
    SourceLocation LA = A.first->getBeginLoc(), LB = B.first->getBeginLoc();
    if (LA != LB)
      return SM.isBeforeInTranslationUnit(LA, LB);
    return A.second < B.second;
  });
  std::vector<const NodeT *> Nodes;
  for (const auto &F : Found)
    Nodes.push_back(F.first);
  return Nodes;
}

} // namespace clang::tidy::taskleak::test

#endif
