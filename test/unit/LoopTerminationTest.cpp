//===--- LoopTerminationTest.cpp - endless-loop facts ---------------------===//
#include "taskleak/LoopTermination.h"
#include "TestSupport.h"
#include "gtest/gtest.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak::test {
namespace {

struct Result {
  std::unique_ptr<ASTUnit> AST;
  std::vector<EndlessLoop> Loops;
};

/// Endless loops of the function `f` (and what it calls).
Result endlessIn(const std::string &Code) {
  Result R;
  R.AST = parse("#include \"std_mock.h\"\n#include \"posix_mock.h\"\n"
                "void work(); bool poll();\n" +
                Code);
  EXPECT_TRUE(R.AST);
  if (!R.AST)
    return R;
  const auto *F = selectOne<FunctionDecl>(
      *R.AST, functionDecl(hasName("f"), isDefinition()));
  EXPECT_TRUE(F);
  if (!F)
    return R;
  SuiteConfig Config;
  ApiModel Api(Config);
  CallGraphIndex Calls(R.AST->getASTContext().getSourceManager());
  TaskLoopAnalysis Analysis(R.AST->getASTContext(), Api, Calls);
  TaskBody Body;
  Body.Function = F;
  R.Loops = Analysis.endlessLoopsOfTask(Body);
  return R;
}

TEST(LoopTermination, ConstantTrueWithoutExit) {
  auto R = endlessIn("void f() { for (;;) work(); }");
  ASSERT_EQ(R.Loops.size(), 1u);
  EXPECT_EQ(R.Loops[0].Reason, EndlessReason::ConstantTrue);
  EXPECT_EQ(R.Loops[0].PeriodicWait, nullptr);
}

TEST(LoopTermination, EveryKindOfExitEndsTheLoop) {
  for (const char *Exit : {"break;", "return;", "throw 1;", "std::exit(1);",
                           "pthread_exit(nullptr);", "goto out;"}) {
    auto R = endlessIn(std::string("void f() { while (true) { if (poll()) ") +
                       Exit + " } out:; }");
    EXPECT_TRUE(R.Loops.empty()) << Exit;
  }
}

TEST(LoopTermination, BreakOfANestedSwitchOrLoopDoesNotCount) {
  auto R =
      endlessIn("void f() { while (true) { switch (poll()) { case 1: break; } "
                "for (int i = 0; i < 2; ++i) { break; } } }");
  EXPECT_EQ(R.Loops.size(), 1u);
}

TEST(LoopTermination, UnchangingLocalCondition) {
  auto R = endlessIn(
      "void f() { std::vector<int> l(3); while (!l.empty()) work(); }");
  ASSERT_EQ(R.Loops.size(), 1u);
  EXPECT_EQ(R.Loops[0].Reason, EndlessReason::UnchangingCondition);
  ASSERT_TRUE(R.Loops[0].ConditionVar);
  EXPECT_EQ(R.Loops[0].ConditionVar->getName(), "l");
}

TEST(LoopTermination, ConditionsThatCanChangeAreNotEndless) {
  for (const char *Code : {
           "int g; void f() { while (g) work(); }",
           "std::atomic<bool> s; void f() { while (!s) work(); }",
           "void f() { int n = 3; while (n) --n; }",
           "void f() { int n = 3; int *p = &n; while (n) work(); }",
           "void f(int &n) { while (n) work(); }",
           "void f() { std::shared_ptr<int> p; while (*p) work(); }",
           "struct S { bool on; void f(); }; void S::f() { while (on) work(); "
           "}",
       }) {
    auto R = endlessIn(Code);
    EXPECT_TRUE(R.Loops.empty()) << Code;
  }
}

TEST(LoopTermination, PeriodicLoopsRecordTheirSleep) {
  auto R = endlessIn("void nap() { usleep(10); }\n"
                     "void f() { for (;;) { work(); nap(); } }");
  ASSERT_EQ(R.Loops.size(), 1u);
  ASSERT_TRUE(R.Loops[0].PeriodicWait);
}

TEST(LoopTermination, FollowsCallsAndReportsTheChain) {
  auto R = endlessIn("void inner() { for (;;) work(); }\n"
                     "void middle() { inner(); }\n"
                     "void f() { middle(); }");
  ASSERT_EQ(R.Loops.size(), 1u);
  EXPECT_EQ(R.Loops[0].CallChain.size(), 2u);
  EXPECT_EQ(R.Loops[0].Function->getName(), "inner");
}

TEST(LoopTermination, OnlyTheInnermostOfNestedEndlessLoops) {
  auto R = endlessIn("void f() { while (true) { work(); for (;;) work(); } }");
  ASSERT_EQ(R.Loops.size(), 1u);
  EXPECT_TRUE(isa<ForStmt>(R.Loops[0].Loop));
}

TEST(LoopTermination, CalleeThatThrowsIsAWayOut) {
  auto R = endlessIn("void check() { if (!poll()) throw 1; }\n"
                     "void f() { for (;;) check(); }");
  EXPECT_TRUE(R.Loops.empty());
}

TEST(LoopTermination, RecursionTerminates) {
  auto R = endlessIn("void g(int); void f() { g(1); }\n"
                     "void g(int n) { if (n) { f(); g(n - 1); } }");
  EXPECT_TRUE(R.Loops.empty());
}

} // namespace
} // namespace clang::tidy::taskleak::test
