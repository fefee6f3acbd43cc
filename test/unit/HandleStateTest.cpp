//===--- HandleStateTest.cpp - Per-path handle state (dataflow) -----------===//
#include "taskleak/HandleState.h"
#include "TestSupport.h"
#include "gtest/gtest.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak::test {
namespace {

const char *Prelude = R"cpp(
#include "std_mock.h"
#include "boost_thread_mock.h"
using Chan = boost::fibers::buffered_channel<int>;
bool cond();
void init(std::shared_ptr<Chan> &);
)cpp";

struct Result {
  std::unique_ptr<ASTUnit> AST;
  std::vector<NilUse> Uses;
  unsigned BudgetHits = 0;
};

/// The nil uses of function `f` of \p Body (after the prelude).
Result nilUsesOf(const std::string &Body, std::int64_t Budget = 200000) {
  Result R;
  R.AST = parse(std::string(Prelude) + Body);
  EXPECT_TRUE(compiledCleanly(R.AST));
  if (!R.AST)
    return R;
  const auto *F = selectOne<FunctionDecl>(
      *R.AST, functionDecl(hasName("f"), isDefinition()));
  EXPECT_NE(F, nullptr);
  if (!F)
    return R;
  SuiteConfig Config;
  ApiModel Api(Config);
  HandleStateAnalysis H(R.AST->getASTContext(), Api);
  H.setSolverBudget(Budget);
  R.Uses = H.nilUses(F);
  R.BudgetHits = H.budgetHits();
  return R;
}

TEST(HandleStateTest, DefaultConstructedIsEmptyOnEveryPath) {
  Result R = nilUsesOf("void f() { std::shared_ptr<Chan> ch; ch->push(1); }");
  ASSERT_EQ(R.Uses.size(), 1u);
  EXPECT_TRUE(R.Uses[0].EveryPath);
  ASSERT_EQ(R.Uses[0].Emptied.size(), 1u);
  EXPECT_EQ(R.Uses[0].Emptied[0].Why, EmptyReason::DefaultConstructed);
}

TEST(HandleStateTest, OneBranchIsSomePaths) {
  Result R = nilUsesOf(R"cpp(
    void f() {
      std::shared_ptr<Chan> ch;
      if (cond()) ch = std::make_shared<Chan>(2);
      ch->push(1);
    })cpp");
  ASSERT_EQ(R.Uses.size(), 1u);
  EXPECT_FALSE(R.Uses[0].EveryPath);
  EXPECT_EQ(R.Uses[0].Assigned.size(), 1u);
}

TEST(HandleStateTest, CorrelatedBranchesAreDecidedBySolver) {
  Result R = nilUsesOf(R"cpp(
    void f() {
      bool c = cond();
      std::shared_ptr<Chan> ch;
      if (c) ch = std::make_shared<Chan>(2);
      if (!c) return;
      ch->push(1);
    })cpp");
  EXPECT_TRUE(R.Uses.empty());
}

TEST(HandleStateTest, TestsGuardTheUse) {
  Result R = nilUsesOf(R"cpp(
    void f() {
      std::shared_ptr<Chan> ch;
      if (cond()) ch = std::make_shared<Chan>(2);
      if (ch == nullptr) return;
      ch->push(1);
    })cpp");
  EXPECT_TRUE(R.Uses.empty());
}

TEST(HandleStateTest, MoveEmptiesTheSourceNotTheTarget) {
  Result R = nilUsesOf(R"cpp(
    void f() {
      auto a = std::make_shared<Chan>(2);
      std::shared_ptr<Chan> b = std::move(a);
      b->push(1);
      a->push(2);
    })cpp");
  ASSERT_EQ(R.Uses.size(), 1u);
  EXPECT_EQ(R.Uses[0].Emptied[0].Why, EmptyReason::MovedFrom);
  EXPECT_EQ(R.Uses[0].Handle->getName(), "a");
}

TEST(HandleStateTest, EscapeAndParametersAreAssumedToHold) {
  Result R = nilUsesOf(R"cpp(
    void f(std::shared_ptr<Chan> p) {
      std::shared_ptr<Chan> ch;
      init(ch);
      ch->push(1);
      p->push(2);
    })cpp");
  EXPECT_TRUE(R.Uses.empty());
}

TEST(HandleStateTest, FutureGetConsumesSharedFutureDoesNot) {
  Result R = nilUsesOf(R"cpp(
    void f() {
      std::promise<int> p;
      std::future<int> fu = p.get_future();
      std::shared_future<int> s = fu.share();
      s.get();
      s.get();
      fu.get();
    })cpp");
  ASSERT_EQ(R.Uses.size(), 1u);
  EXPECT_EQ(R.Uses[0].Handle->getName(), "fu");
  EXPECT_EQ(R.Uses[0].Emptied[0].Why, EmptyReason::Consumed);
}

TEST(HandleStateTest, BudgetExceededYieldsNothingAndIsCounted) {
  Result R = nilUsesOf(R"cpp(
    void f() {
      std::shared_ptr<Chan> ch;
      if (cond()) ch = std::make_shared<Chan>(2);
      ch->push(1);
    })cpp",
                       /*Budget=*/1);
  EXPECT_TRUE(R.Uses.empty());
  EXPECT_EQ(R.BudgetHits, 1u);
}

} // namespace
} // namespace clang::tidy::taskleak::test
