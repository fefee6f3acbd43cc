//===--- LocalMutationTest.cpp - mayBeModified ----------------------------===//
#include "taskleak/LocalMutation.h"
#include "TestSupport.h"
#include "gtest/gtest.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak::test {
namespace {

/// Whether `x` may be modified in the body of `f`.
bool modified(const std::string &Body) {
  auto AST =
      parse("#include \"std_mock.h\"\n"
            "void byValue(std::vector<int>); void byConstRef(const "
            "std::vector<int> &);\n"
            "void byRef(std::vector<int> &); void byPtr(std::vector<int> *);\n"
            "void f() { std::vector<int> x(3); " +
            Body + " }");
  EXPECT_TRUE(AST);
  const auto *F =
      selectOne<FunctionDecl>(*AST, functionDecl(hasName("f"), isDefinition()));
  const auto *X = selectOne<VarDecl>(*AST, varDecl(hasName("x")));
  EXPECT_TRUE(F && X);
  return F && X && mayBeModified(X, F->getBody());
}

TEST(LocalMutation, ReadsAreNotModifications) {
  for (const char *Body :
       {"", "(void)x.size();", "byValue(x);", "byConstRef(x);",
        "std::vector<int> copy = x;", "const std::vector<int> &r = x;",
        "auto l = [x] { return x.size(); };", "bool e = x.empty(); (void)e;",
        "(void)sizeof(x);"}) {
    EXPECT_FALSE(modified(Body)) << Body;
  }
}

TEST(LocalMutation, WritesAndEscapesAreModifications) {
  for (const char *Body :
       {"x.push_back(1);", "byRef(x);", "byPtr(&x);",
        "std::vector<int> &r = x;", "auto l = [&x] { x.push_back(1); };",
        "auto l = [&] { x.push_back(1); };", "x = std::vector<int>();",
        "x[0] = 1;"}) {
    EXPECT_TRUE(modified(Body)) << Body;
  }
}

TEST(LocalMutation, ScalarIncrementsAndAssignments) {
  auto AST =
      parse("void f() { int n = 3; int m = 0; m = n + 1; while (m) --m; }");
  ASSERT_TRUE(AST);
  const auto *F = selectOne<FunctionDecl>(*AST, functionDecl(hasName("f")));
  const auto *N = selectOne<VarDecl>(*AST, varDecl(hasName("n")));
  const auto *M = selectOne<VarDecl>(*AST, varDecl(hasName("m")));
  ASSERT_TRUE(F && N && M);
  EXPECT_FALSE(mayBeModified(N, F->getBody()));
  EXPECT_TRUE(mayBeModified(M, F->getBody()));
}

} // namespace
} // namespace clang::tidy::taskleak::test
