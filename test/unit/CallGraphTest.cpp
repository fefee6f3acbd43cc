//===--- CallGraphTest.cpp - Following calls, once
//--------------------------===//
#include "taskleak/CallGraph.h"
#include "TestSupport.h"
#include "gtest/gtest.h"
#include <map>

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak::test {
namespace {

using Names = std::vector<std::string>;

struct Graph {
  std::unique_ptr<ASTUnit> AST;
  std::unique_ptr<CallGraphIndex> Calls;

  /// The definition of the function \p Name.
  const FunctionDecl *fn(llvm::StringRef Name) {
    const auto *FD = selectOne<FunctionDecl>(
        *AST, functionDecl(hasName(Name), isDefinition()));
    if (!FD)
      ADD_FAILURE() << "no single definition of " << Name.str();
    return FD;
  }
  /// The names of the functions \p Name calls, in order.
  Names calleeNames(llvm::StringRef Name) {
    Names Result;
    if (const FunctionDecl *FD = fn(Name))
      for (const CallEdge &E : Calls->callees(FD))
        Result.push_back(E.Callee->getNameAsString());
    return Result;
  }
};

Graph graph(const std::string &Code) {
  Graph G;
  G.AST = parse("#include \"std_mock.h\"\n" + Code);
  if (G.AST)
    G.Calls = std::make_unique<CallGraphIndex>(G.AST->getSourceManager());
  return G;
}

/// The function each call of \p Chain calls, outermost first, with the
/// function the call is written in: "caller->callee".
Names describe(llvm::ArrayRef<const CallExpr *> Chain, ASTContext &Ctx) {
  Names Result;
  for (const CallExpr *Call : Chain) {
    std::string Caller = "?";
    auto Parents = Ctx.getParents(*Call);
    // Walk up to the enclosing function.
    while (!Parents.empty()) {
      if (const auto *FD = Parents[0].get<FunctionDecl>()) {
        Caller = FD->getNameAsString();
        break;
      }
      Parents = Ctx.getParents(Parents[0]);
    }
    Result.push_back(Caller + "->" +
                     Call->getDirectCallee()->getNameAsString());
  }
  return Result;
}

TEST(CallGraph, CalleesInSourceOrderWithoutNestedLambdas) {
  auto G = graph(R"cpp(
    void a() {}
    void b() {}
    void c() {}
    void d() {}
    int e() { return 1; }
    void declaredOnly();
    void f() {
      b();
      auto l = [n = e()] { d(); (void)n; };
      a();
      l();
      declaredOnly();
      int x = 0;
      (void)std::ref(x);
      c();
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(G.AST));
  // d() runs in the lambda, a function of its own; the lambda's capture
  // initialiser e() runs in f; calling the lambda is an edge to its body.
  // Declarations without a body and system-header functions are not
  // followed.
  EXPECT_EQ(G.calleeNames("f"), (Names{"b", "e", "a", "operator()", "c"}));
  llvm::ArrayRef<CallEdge> Edges = G.Calls->callees(G.fn("f"));
  ASSERT_EQ(Edges.size(), 5u);
  for (const CallEdge &E : Edges) {
    ASSERT_TRUE(E.Call);
    EXPECT_TRUE(E.Callee->doesThisDeclarationHaveABody());
  }
  const auto *Op = dyn_cast<CXXMethodDecl>(Edges[3].Callee);
  ASSERT_TRUE(Op);
  EXPECT_TRUE(Op->getParent()->isLambda());
  // The lambda's body is where d() is called.
  Names InLambda;
  for (const CallEdge &E : G.Calls->callees(Op))
    InLambda.push_back(E.Callee->getNameAsString());
  EXPECT_EQ(InLambda, Names{"d"});
  EXPECT_EQ(G.calleeNames("d"), Names{});
}

TEST(CallGraph, ReachableFromGivesTheShortestChain) {
  auto G = graph(R"cpp(
    void leaf() {}
    void mid2() { leaf(); }
    void mid1() { mid2(); }
    void unrelated() { leaf(); }
    void root() { mid1(); leaf(); }
  )cpp");
  ASSERT_TRUE(compiledCleanly(G.AST));
  const FunctionDecl *Root = G.fn("root");
  std::vector<CallGraphIndex::Reached> Reached = G.Calls->reachableFrom(Root);
  ASSERT_EQ(Reached.size(), 4u); // root, mid1, leaf, mid2; not unrelated
  EXPECT_EQ(Reached[0].Function, Root);
  EXPECT_TRUE(Reached[0].Chain.empty());

  std::map<std::string, Names> Chains;
  for (const auto &R : Reached)
    Chains[R.Function->getNameAsString()] =
        describe(R.Chain, G.AST->getASTContext());
  EXPECT_EQ(Chains.count("unrelated"), 0u);
  // leaf() is reached first through mid1 -> mid2 in source order, but its
  // shortest chain is root's own call.
  EXPECT_EQ(Chains["leaf"], Names{"root->leaf"});
  EXPECT_EQ(Chains["mid1"], Names{"root->mid1"});
  EXPECT_EQ(Chains["mid2"], (Names{"root->mid1", "mid1->mid2"}));
}

/// Whether a function calls marker(), directly or through its callees.
struct ReachesMarker {
  std::map<const FunctionDecl *, unsigned> LocalRuns;

  BottomUpSummary<bool> summary(CallGraphIndex &Calls) {
    return BottomUpSummary<bool>(
        Calls,
        [this](const FunctionDecl *FD) {
          ++LocalRuns[FD];
          bool Calls = false;
          forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
            if (const auto *Call = dyn_cast<CallExpr>(S))
              if (const FunctionDecl *Callee = Call->getDirectCallee())
                Calls |= Callee->getName() == "marker";
            return true;
          });
          return Calls;
        },
        [](bool &Caller, const bool &Callee, const CallEdge &) {
          if (Caller || !Callee)
            return false;
          Caller = true;
          return true;
        });
  }
};

const char *RecursionCode = R"cpp(
  void marker();
  void fact() { marker(); }
  void a(int n);
  void b(int n);
  void c(int n);
  void a(int n) { if (n) b(n - 1); }
  void b(int n) { if (n) c(n - 1); }
  void c(int n) { if (n) a(n - 1); fact(); }
  void x(int n);
  void y(int n) { if (n) x(n - 1); }
  void x(int n) { if (n) y(n - 1); }
  void self(int n) { if (n) self(n - 1); }
  void caller() { x(1); self(2); }
  void top() { caller(); a(3); }
)cpp";

TEST(CallGraph, BottomUpSummaryReachesTheFixpointOfACycle) {
  // Whichever member of the cycle a -> b -> c -> a is asked first, the fact
  // c gets from fact() reaches all three.
  for (const char *First : {"a", "b", "c"}) {
    auto G = graph(RecursionCode);
    ASSERT_TRUE(compiledCleanly(G.AST));
    ReachesMarker Fact;
    BottomUpSummary<bool> Summary = Fact.summary(*G.Calls);
    EXPECT_TRUE(Summary.get(G.fn(First))) << First;
    for (const char *Member : {"a", "b", "c", "fact"})
      EXPECT_TRUE(Summary.get(G.fn(Member))) << Member << " after " << First;
  }
}

TEST(CallGraph, BottomUpSummaryLeavesFunctionsThatDoNotReachTheFactFalse) {
  auto G = graph(RecursionCode);
  ASSERT_TRUE(compiledCleanly(G.AST));
  ReachesMarker Fact;
  BottomUpSummary<bool> Summary = Fact.summary(*G.Calls);
  EXPECT_TRUE(Summary.get(G.fn("top")));
  // Cycles of their own that never reach marker().
  for (const char *Name : {"x", "y", "self", "caller"})
    EXPECT_FALSE(Summary.get(G.fn(Name))) << Name;
  EXPECT_TRUE(Summary.get(G.fn("a")));
  // Each function's own statements are looked at once.
  for (const auto &[FD, Runs] : Fact.LocalRuns)
    EXPECT_EQ(Runs, 1u) << FD->getNameAsString();
  EXPECT_EQ(Fact.LocalRuns.size(), 9u);
}

TEST(CallGraph, VirtualCallsAreFollowedOnlyToAKnownOverride) {
  auto G = graph(R"cpp(
    void work();
    struct Base {
      virtual ~Base();
      virtual void run();
    };
    struct Open : Base {
      void run() override { work(); }
    };
    struct Final final : Base {
      void run() override { work(); }
    };
    struct Sealed : Base {
      void run() final { work(); }
    };
    void viaFinalRef(Final &f) { f.run(); }
    void viaFinalPtr(Final *f) { f->run(); }
    void viaSealed(Sealed &s) { s.run(); }
    void viaLocal() { Open o; o.run(); }
    void viaOpenRef(Open &o) { o.run(); }
    void viaBase(Base &b) { b.run(); }
  )cpp");
  ASSERT_TRUE(compiledCleanly(G.AST));
  auto Target = [&](llvm::StringRef Caller) -> std::string {
    llvm::ArrayRef<CallEdge> Edges = G.Calls->callees(G.fn(Caller));
    if (Edges.size() != 1)
      return std::to_string(Edges.size()) + " callees";
    return cast<CXXMethodDecl>(Edges[0].Callee)->getQualifiedNameAsString();
  };
  // A final class or a final method: there is no other override.
  EXPECT_EQ(Target("viaFinalRef"), "Final::run");
  EXPECT_EQ(Target("viaFinalPtr"), "Final::run");
  EXPECT_EQ(Target("viaSealed"), "Sealed::run");
  // The dynamic type of a local object is known.
  EXPECT_EQ(Target("viaLocal"), "Open::run");
  // A reference to a class that may be derived from: unknown override.
  EXPECT_EQ(Target("viaOpenRef"), "0 callees");
  EXPECT_EQ(Target("viaBase"), "0 callees");
}

TEST(CallGraph, QualifiedCallOfAVirtualMethodIsADirectCall) {
  auto G = graph(R"cpp(
    void work();
    struct Base {
      virtual ~Base();
      virtual void run() { work(); }
    };
    struct Open : Base {
      void run() override { Base::run(); }
    };
    void viaQualified(Open &o) { o.Open::run(); }
  )cpp");
  ASSERT_TRUE(compiledCleanly(G.AST));
  // `Base::run()` in an override, `o.Open::run()`: no virtual dispatch.
  Names InOverride = G.calleeNames("Open::run");
  Names Qualified = G.calleeNames("viaQualified");
  EXPECT_EQ(InOverride, Names{"run"});
  EXPECT_EQ(Qualified, Names{"run"});
}

} // namespace
} // namespace clang::tidy::taskleak::test
