//===--- PathSearchTest.cpp - Paths that skip a release, on the CFG -------===//
#include "taskleak/PathSearch.h"
#include "TestSupport.h"
#include "clang/AST/StmtCXX.h"
#include "gtest/gtest.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak::test {
namespace {

const char *Prelude = R"cpp(
#include "std_mock.h"
std::mutex m;
bool cond();
bool other();
void work();
void mayThrow();
void target();
[[noreturn]] void die();
// A lock API that cannot throw: no exception edges around its calls. (Free
// functions: Clang's CFG gives every member call an exception edge, even a
// noexcept one.)
void nlock() noexcept;
void nunlock() noexcept;
struct Counter { void bump() noexcept; };
)cpp";

/// The classifier the tests drive the search with: a mutex's lock() (or
/// nlock()) starts the obligation, try_lock() starts it where it returns
/// true, unlock() (or nunlock()) meets it.
PathStep lockStep(const Stmt *S) {
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = Call->getDirectCallee();
        FD && FD->getDeclName().isIdentifier()) {
      if (FD->getName() == "nlock")
        return PathStep::Start;
      if (FD->getName() == "nunlock")
        return PathStep::Release;
    }
  const auto *Call = dyn_cast<CXXMemberCallExpr>(S);
  const CXXMethodDecl *MD = Call ? Call->getMethodDecl() : nullptr;
  if (!MD || !MD->getDeclName().isIdentifier() ||
      MD->getParent()->getName() != "mutex")
    return PathStep::None;
  if (MD->getName() == "lock")
    return PathStep::Start;
  if (MD->getName() == "try_lock")
    return PathStep::TryStart;
  if (MD->getName() == "unlock")
    return PathStep::Release;
  return PathStep::None;
}

struct Searched {
  std::unique_ptr<ASTUnit> AST;
  std::unique_ptr<PathSearch> Paths;
  const FunctionDecl *F = nullptr;

  /// The leaking path of `f`, when it has one.
  std::optional<ExitWitness> leak(bool HeldAtEntry = false) {
    return Paths->leakingPath(F, HeldAtEntry, lockStep);
  }
  /// Whether some path of `f` reaches the call of target() without an
  /// unlock().
  bool reachesTarget() {
    const auto *Target = selectOne<CallExpr>(
        *AST, callExpr(callee(functionDecl(hasName("target")))));
    if (!Target) {
      ADD_FAILURE() << "no single call of target()";
      return false;
    }
    return Paths->reachesAvoiding(F, Target, lockStep);
  }
  SourceLocation closingBrace() const {
    return cast<CompoundStmt>(F->getBody())->getRBracLoc();
  }
};

/// Parses the prelude and \p Code, which defines `f`.
Searched search(const std::string &Code) {
  Searched S;
  S.AST = parse(std::string(Prelude) + Code);
  if (!compiledCleanly(S.AST))
    return S;
  S.Paths = std::make_unique<PathSearch>(S.AST->getASTContext());
  S.F = selectOne<FunctionDecl>(*S.AST,
                                functionDecl(hasName("f"), isDefinition()));
  return S;
}

// Every test starts like this: the snippet compiles and defines f.
#define ASSERT_SEARCHABLE(S)                                                   \
  ASSERT_TRUE(compiledCleanly((S).AST));                                       \
  ASSERT_TRUE((S).F)

TEST(PathSearch, EarlyReturnSkipsTheRelease) {
  auto S = search("void f() { m.lock(); if (cond()) return; m.unlock(); }");
  ASSERT_SEARCHABLE(S);
  auto W = S.leak();
  ASSERT_TRUE(W);
  EXPECT_EQ(W->K, ExitWitness::Return);
  ASSERT_TRUE(W->Exit);
  EXPECT_TRUE(isa<ReturnStmt>(W->Exit));
  EXPECT_EQ(W->Loc, W->Exit->getBeginLoc());
}

TEST(PathSearch, EveryPathReleases) {
  for (const char *Code : {
           "void f() { m.lock(); work(); m.unlock(); }",
           "void f() { m.lock(); if (cond()) { m.unlock(); return; } "
           "m.unlock(); }",
           "void f() { if (cond()) return; work(); }",
           "void f() { work(); }",
       }) {
    auto S = search(Code);
    ASSERT_SEARCHABLE(S);
    EXPECT_FALSE(S.leak()) << Code;
  }
}

TEST(PathSearch, FallingOffTheEndWitnessesTheClosingBrace) {
  auto S = search("void f() { m.lock(); if (cond()) m.unlock(); }");
  ASSERT_SEARCHABLE(S);
  auto W = S.leak();
  ASSERT_TRUE(W);
  EXPECT_EQ(W->K, ExitWitness::FallOffEnd);
  EXPECT_EQ(W->Exit, nullptr);
  EXPECT_EQ(W->Loc, S.closingBrace());
}

TEST(PathSearch, HeldAtEntry) {
  auto S = search("void f() { if (cond()) return; m.unlock(); }");
  ASSERT_SEARCHABLE(S);
  auto W = S.leak(/*HeldAtEntry=*/true);
  ASSERT_TRUE(W);
  EXPECT_EQ(W->K, ExitWitness::Return);
  EXPECT_FALSE(S.leak(/*HeldAtEntry=*/false));
}

TEST(PathSearch, GotoAndThrowAreExits) {
  auto Goto = search(
      "void f() { m.lock(); if (cond()) goto out; m.unlock(); out: work(); }");
  ASSERT_SEARCHABLE(Goto);
  auto W = Goto.leak();
  ASSERT_TRUE(W);
  EXPECT_EQ(W->K, ExitWitness::Goto);
  EXPECT_TRUE(isa_and_nonnull<GotoStmt>(W->Exit));

  auto Throw =
      search("void f() { m.lock(); if (cond()) throw 1; m.unlock(); }");
  ASSERT_SEARCHABLE(Throw);
  W = Throw.leak();
  ASSERT_TRUE(W);
  EXPECT_EQ(W->K, ExitWitness::Throw);
  EXPECT_TRUE(isa_and_nonnull<CXXThrowExpr>(W->Exit));
}

//===--- Branch correlation -----------------------------------------------===//

TEST(PathSearch, BranchesOnAnUnchangedLocalAreCorrelated) {
  auto S = search("void f() { bool c = cond(); if (c) m.lock(); work(); "
                  "if (c) m.unlock(); }");
  ASSERT_SEARCHABLE(S);
  EXPECT_FALSE(S.leak());
}

TEST(PathSearch, AWriteToTheLocalForgetsWhatWasKnown) {
  auto S = search("void f() { bool c = cond(); if (c) m.lock(); "
                  "c = other(); if (c) m.unlock(); }");
  ASSERT_SEARCHABLE(S);
  auto W = S.leak();
  ASSERT_TRUE(W);
  EXPECT_EQ(W->K, ExitWitness::FallOffEnd);
}

TEST(PathSearch, CorrelationDoesNotDependOnSpelling) {
  const std::pair<const char *, const char *> Tests[] = {
      {"(c)", "c == true"},   {"c", "(c) != false"}, {"!!c", "c"},
      {"c == true", "!!(c)"}, {"true == c", "c"},    {"c != 0", "c"},
  };
  for (const auto &[First, Second] : Tests) {
    std::string Code = std::string("void f() { bool c = cond(); if (") + First +
                       ") m.lock(); work(); if (" + Second + ") m.unlock(); }";
    auto S = search(Code);
    ASSERT_SEARCHABLE(S);
    EXPECT_FALSE(S.leak()) << Code;
  }
  // The opposite test takes the opposite branch.
  auto S = search("void f() { bool c = cond(); if (c) m.lock(); "
                  "if (!c) return; m.unlock(); }");
  ASSERT_SEARCHABLE(S);
  EXPECT_FALSE(S.leak());
}

TEST(PathSearch, LocalsThatMayChangeBehindTheSearchAreNotCorrelated) {
  for (const char *Escape :
       {"bool *pc = &c; (void)pc;", "auto l = [&c] { c = other(); }; l();",
        "bool &rc = c; rc = other();"}) {
    std::string Code = std::string("void f() { bool c = cond(); ") + Escape +
                       " if (c) m.lock(); work(); if (c) m.unlock(); }";
    auto S = search(Code);
    ASSERT_SEARCHABLE(S);
    EXPECT_TRUE(S.leak()) << Code;
  }
}

//===--- Ends that are no exits -------------------------------------------===//

TEST(PathSearch, NoReturnCallIsNoExit) {
  for (const char *Code : {
           "void f() { m.lock(); if (cond()) die(); m.unlock(); }",
           "void f() { m.lock(); if (cond()) std::abort(); m.unlock(); }",
           "void f() { m.lock(); if (cond()) { work(); std::exit(1); } "
           "m.unlock(); }",
       }) {
    auto S = search(Code);
    ASSERT_SEARCHABLE(S);
    EXPECT_FALSE(S.leak()) << Code;
  }
}

TEST(PathSearch, ExceptionLeavingTheFunctionIsNoExit) {
  auto S = search("void f() { m.lock(); mayThrow(); work(); m.unlock(); }");
  ASSERT_SEARCHABLE(S);
  EXPECT_FALSE(S.leak());
}

TEST(PathSearch, HandlerThatSwallowsTheExceptionIsAnExit) {
  auto S = search("void f() { try { nlock(); mayThrow(); nunlock(); } "
                  "catch (...) { work(); } }");
  ASSERT_SEARCHABLE(S);
  auto W = S.leak();
  ASSERT_TRUE(W);
  EXPECT_EQ(W->K, ExitWitness::CatchHandler);
  ASSERT_TRUE(W->Exit);
  EXPECT_TRUE(isa<CXXCatchStmt>(W->Exit));
  EXPECT_EQ(W->Loc, W->Exit->getBeginLoc());
}

TEST(PathSearch, NothingThrowsBetweenAcquireAndRelease) {
  auto S = search("void f() { try { nlock(); nunlock(); } "
                  "catch (...) { work(); } }");
  ASSERT_SEARCHABLE(S);
  EXPECT_FALSE(S.leak());
}

TEST(PathSearch, NoexceptMemberCallDoesNotThrow) {
  auto S = search("void f() { Counter c; try { nlock(); c.bump(); nunlock(); "
                  "} catch (...) { work(); } }");
  ASSERT_SEARCHABLE(S);
  auto W = S.leak();
  EXPECT_FALSE(W);
}

TEST(PathSearch, AcquireThatThrowsHoldsNothing) {
  // Only std::mutex::lock() itself can throw inside the try: when it does,
  // nothing is held in the handler.
  auto S = search("void f() { try { m.lock(); m.unlock(); } "
                  "catch (...) { work(); } }");
  ASSERT_SEARCHABLE(S);
  auto W = S.leak();
  EXPECT_FALSE(W);
}

TEST(PathSearch, HandlerThatReleasesIsCovered) {
  auto S = search("void f() { try { m.lock(); mayThrow(); m.unlock(); } "
                  "catch (...) { m.unlock(); } }");
  ASSERT_SEARCHABLE(S);
  EXPECT_FALSE(S.leak());
}

TEST(PathSearch, ExceptionNoHandlerCatchesLeavesTheFunction) {
  // The handler releases; an exception of another type leaves the function,
  // which is no exit either.
  auto S = search("void f() { try { nlock(); mayThrow(); nunlock(); } "
                  "catch (const std::exception &) { nunlock(); } }");
  ASSERT_SEARCHABLE(S);
  auto W = S.leak();
  EXPECT_FALSE(W);
}

TEST(PathSearch, ThrowCaughtLocallyIsNoExit) {
  auto S = search("void f(bool flag) { try { nlock(); if (flag) throw 1; "
                  "nunlock(); } catch (int) { nunlock(); } }");
  ASSERT_SEARCHABLE(S);
  auto W = S.leak();
  EXPECT_FALSE(W);
}

//===--- Loops ------------------------------------------------------------===//

TEST(PathSearch, ContinueSkipsTheReleaseInALoop) {
  auto S = search("void f() { for (int i = 0; i < 10; ++i) { m.lock(); "
                  "if (cond()) continue; m.unlock(); } }");
  ASSERT_SEARCHABLE(S);
  auto W = S.leak();
  ASSERT_TRUE(W);
  EXPECT_EQ(W->K, ExitWitness::Continue);
  EXPECT_TRUE(isa_and_nonnull<ContinueStmt>(W->Exit));
}

TEST(PathSearch, BreakSkipsTheReleaseInALoop) {
  auto S = search("void f() { while (cond()) { m.lock(); "
                  "if (other()) break; m.unlock(); } }");
  ASSERT_SEARCHABLE(S);
  auto W = S.leak();
  ASSERT_TRUE(W);
  EXPECT_EQ(W->K, ExitWitness::Break);
  EXPECT_TRUE(isa_and_nonnull<BreakStmt>(W->Exit));
}

TEST(PathSearch, LoopThatReleasesBeforeContinueIsCovered) {
  auto S = search("void f() { for (int i = 0; i < 10; ++i) { m.lock(); "
                  "if (cond()) { m.unlock(); continue; } m.unlock(); } }");
  ASSERT_SEARCHABLE(S);
  EXPECT_FALSE(S.leak());
}

//===--- try_lock ---------------------------------------------------------===//

TEST(PathSearch, TryLockHoldsOnItsSuccessEdgeOnly) {
  auto Held = search("void f() { if (m.try_lock()) { if (cond()) return; "
                     "m.unlock(); } }");
  ASSERT_SEARCHABLE(Held);
  auto W = Held.leak();
  ASSERT_TRUE(W);
  EXPECT_EQ(W->K, ExitWitness::Return);

  auto Failed = search("void f() { if (!m.try_lock()) return; work(); "
                       "m.unlock(); }");
  ASSERT_SEARCHABLE(Failed);
  EXPECT_FALSE(Failed.leak());
}

//===--- reachesAvoiding --------------------------------------------------===//

TEST(PathSearch, ReachesAvoiding) {
  const std::pair<const char *, bool> Tests[] = {
      // Reached only after the release.
      {"void f() { m.lock(); work(); m.unlock(); target(); }", false},
      {"void f() { m.unlock(); if (cond()) target(); }", false},
      // A path around the release.
      {"void f() { m.lock(); if (cond()) m.unlock(); target(); }", true},
      {"void f() { target(); m.unlock(); }", true},
      // Branch correlation holds here too.
      {"void f() { bool c = cond(); if (c) m.unlock(); if (c) target(); }",
       false},
      {"void f() { bool c = cond(); if (c) m.unlock(); if (!c) target(); }",
       true},
      // Never reached at all.
      {"void f() { return; target(); }", false},
  };
  for (const auto &[Code, Expected] : Tests) {
    auto S = search(Code);
    ASSERT_SEARCHABLE(S);
    EXPECT_EQ(S.reachesTarget(), Expected) << Code;
  }
}

TEST(PathSearch, CfgIsBuiltOncePerFunction) {
  auto S = search("void f() { m.lock(); m.unlock(); }");
  ASSERT_SEARCHABLE(S);
  const CFG *First = S.Paths->cfgOf(S.F);
  ASSERT_TRUE(First);
  EXPECT_EQ(S.Paths->cfgOf(S.F), First);
  EXPECT_FALSE(S.leak());
  EXPECT_EQ(S.Paths->cfgOf(S.F), First);
  EXPECT_EQ(S.Paths->budgetHits(), 0u);
}

} // namespace
} // namespace clang::tidy::taskleak::test
