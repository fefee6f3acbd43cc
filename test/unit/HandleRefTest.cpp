//===--- HandleRefTest.cpp - One identity for a handle --------------------===//
#include "taskleak/HandleRef.h"
#include "TestSupport.h"
#include "gtest/gtest.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak::test {
namespace {

const char *Prelude = R"cpp(
#include "std_mock.h"
template <class T> void mark(T &&) {}
struct S { std::mutex m; std::mutex mu; };
)cpp";

/// A snippet, its model, and the argument of every `mark(...)` in source
/// order.
struct Marked {
  std::unique_ptr<ASTUnit> AST;
  std::unique_ptr<ApiModel> Api;
  std::vector<const Expr *> Args;

  std::optional<HandleRef> handle(unsigned I) {
    if (I >= Args.size()) {
      ADD_FAILURE() << "no mark() number " << I;
      return std::nullopt;
    }
    return resolveHandle(Args[I], *Api);
  }
  template <typename NodeT, typename MatcherT> const NodeT *one(MatcherT M) {
    const NodeT *N = selectOne<NodeT>(*AST, M);
    if (!N)
      ADD_FAILURE() << "the matcher does not select exactly one node";
    return N;
  }
  const VarDecl *var(llvm::StringRef Name) {
    return one<VarDecl>(varDecl(hasName(Name)));
  }
  const FieldDecl *field(llvm::StringRef Class, llvm::StringRef Name) {
    return one<FieldDecl>(
        fieldDecl(hasName(Name), hasParent(cxxRecordDecl(hasName(Class)))));
  }
};

Marked marked(const std::string &Code) {
  Marked R;
  R.AST = parse(std::string(Prelude) + Code);
  R.Api = std::make_unique<ApiModel>(SuiteConfig());
  if (compiledCleanly(R.AST))
    for (const CallExpr *Call : selectAll<CallExpr>(
             *R.AST, callExpr(callee(functionDecl(hasName("mark"))))))
      R.Args.push_back(Call->getArg(0));
  return R;
}

HandleRef ref(const ValueDecl *Root,
              std::initializer_list<const ValueDecl *> Path = {}) {
  HandleRef H;
  H.Root = Root;
  H.Path.assign(Path.begin(), Path.end());
  return H;
}

TEST(HandleRef, MembersOfDifferentObjectsDiffer) {
  auto R = marked(R"cpp(
    void test() {
      S a, b;
      mark(a.m);
      mark(b.m);
      mark(a.m);
      mark(a.mu);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Args.size(), 4u);
  auto A = R.handle(0);
  ASSERT_TRUE(A);
  EXPECT_EQ(*A, ref(R.var("a"), {R.field("S", "m")}));
  EXPECT_FALSE(A->isThisBased());
  EXPECT_FALSE(A->ThroughPointer);
  EXPECT_EQ(A->spelling(), "a.m");
  EXPECT_EQ(A->leaf(), R.field("S", "m"));
  EXPECT_NE(R.handle(1), A);
  EXPECT_EQ(R.handle(1)->spelling(), "b.m");
  EXPECT_EQ(R.handle(2), A);
  EXPECT_NE(R.handle(3), A);
}

TEST(HandleRef, ThisMemberAndBareMemberAreOneHandle) {
  auto R = marked(R"cpp(
    struct T {
      std::mutex m;
      void f() {
        mark(this->m);
        mark(m);
        mark((*this).m);
        mark(*this);
      }
    };
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Args.size(), 4u);
  HandleRef Expected = ref(nullptr, {R.field("T", "m")});
  for (unsigned I = 0; I < 3; ++I) {
    auto H = R.handle(I);
    ASSERT_TRUE(H) << I;
    EXPECT_TRUE(H->isThisBased()) << I;
    EXPECT_EQ(*H, Expected) << I;
    EXPECT_EQ(H->spelling(), "m") << I;
  }
  auto Whole = R.handle(3);
  ASSERT_TRUE(Whole);
  EXPECT_TRUE(Whole->isThisBased());
  EXPECT_TRUE(Whole->Path.empty());
  EXPECT_EQ(Whole->leaf(), nullptr);
  EXPECT_EQ(Whole->spelling(), "*this");
}

TEST(HandleRef, SeesThroughRefAddressDereferenceArrowAndGet) {
  auto R = marked(R"cpp(
    void test() {
      std::mutex m;
      mark(m);
      mark(std::ref(m));
      mark(&m);
      mark((m));
      std::mutex *p = &m;
      mark(*p);
      S s;
      S *ps = &s;
      mark(ps->m);
      mark((*ps).m);
      std::shared_ptr<S> sp;
      mark(sp.get());
      mark(*sp);
      mark(sp->m);
      mark(sp.get()->m);
      mark((*sp).m);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Args.size(), 12u);
  const VarDecl *M = R.var("m");
  for (unsigned I = 0; I < 4; ++I) {
    auto H = R.handle(I);
    ASSERT_TRUE(H) << I;
    EXPECT_EQ(*H, ref(M)) << I;
    EXPECT_FALSE(H->ThroughPointer) << I;
  }

  auto Deref = R.handle(4);
  ASSERT_TRUE(Deref);
  EXPECT_EQ(*Deref, ref(R.var("p")));
  EXPECT_TRUE(Deref->ThroughPointer);

  const FieldDecl *Field = R.field("S", "m");
  for (unsigned I : {5u, 6u}) {
    auto H = R.handle(I);
    ASSERT_TRUE(H) << I;
    EXPECT_EQ(*H, ref(R.var("ps"), {Field})) << I;
    EXPECT_TRUE(H->ThroughPointer) << I;
  }

  const VarDecl *SP = R.var("sp");
  auto Get = R.handle(7);
  ASSERT_TRUE(Get);
  EXPECT_EQ(*Get, ref(SP));
  auto Star = R.handle(8);
  ASSERT_TRUE(Star);
  EXPECT_EQ(*Star, ref(SP));
  EXPECT_TRUE(Star->ThroughPointer);
  for (unsigned I : {9u, 10u, 11u}) {
    auto H = R.handle(I);
    ASSERT_TRUE(H) << I;
    EXPECT_EQ(*H, ref(SP, {Field})) << I;
    EXPECT_TRUE(H->ThroughPointer) << I;
    EXPECT_EQ(H->spelling(), "sp.m") << I;
  }
}

TEST(HandleRef, LocalReferenceBoundToAMemberIsThatMember) {
  auto R = marked(R"cpp(
    void test() {
      S obj;
      std::mutex &r = obj.mu;
      mark(r);
      mark(obj.mu);
      S &alias = obj;
      mark(alias.mu);
      const std::mutex &cr = alias.mu;
      mark(cr);
      S copy = obj;
      mark(copy.mu);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Args.size(), 5u);
  HandleRef ObjMu = ref(R.var("obj"), {R.field("S", "mu")});
  for (unsigned I = 0; I < 4; ++I) {
    EXPECT_EQ(R.handle(I), ObjMu) << I;
    EXPECT_EQ(R.handle(I)->spelling(), "obj.mu") << I;
  }
  // A copy is another object.
  EXPECT_EQ(R.handle(4), ref(R.var("copy"), {R.field("S", "mu")}));
}

TEST(HandleRef, CopiedSharedPtrIsItsSource) {
  auto R = marked(R"cpp(
    void test() {
      std::shared_ptr<S> src;
      std::shared_ptr<S> copy = src;
      auto again = copy;
      mark(copy->m);
      mark(src->m);
      mark(again->m);
      std::shared_ptr<S> other;
      mark(other->m);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Args.size(), 4u);
  HandleRef Src = ref(R.var("src"), {R.field("S", "m")});
  EXPECT_EQ(R.handle(0), Src);
  EXPECT_EQ(R.handle(1), Src);
  EXPECT_EQ(R.handle(2), Src);
  EXPECT_EQ(R.handle(3), ref(R.var("other"), {R.field("S", "m")}));
}

TEST(HandleRef, StaticMemberIsOneObject) {
  auto R = marked(R"cpp(
    struct G { static std::mutex sm; };
    void test() {
      G g, h;
      mark(G::sm);
      mark(g.sm);
      mark(h.sm);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Args.size(), 3u);
  const VarDecl *SM = R.var("sm");
  for (unsigned I = 0; I < 3; ++I)
    EXPECT_EQ(R.handle(I), ref(SM)) << I;
}

TEST(HandleRef, BaseClassSubobjectIsTheObject) {
  auto R = marked(R"cpp(
    struct Locked : std::mutex {
      void f() { lock(); this->unlock(); }
    };
    void test() {
      Locked l;
      l.lock();
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  std::vector<const CallExpr *> Locks = selectAll<CallExpr>(
      *R.AST, callExpr(callee(functionDecl(hasName("lock")))));
  std::vector<const CallExpr *> Unlocks = selectAll<CallExpr>(
      *R.AST, callExpr(callee(functionDecl(hasName("unlock")))));
  ASSERT_EQ(Locks.size(), 2u);
  ASSERT_EQ(Unlocks.size(), 1u);
  for (const CallExpr *Call : {Locks[0], Unlocks[0]}) {
    const ApiCall &A = R.Api->call(Call);
    ASSERT_TRUE(A.Handle);
    auto H = resolveHandle(A.Handle, *R.Api);
    ASSERT_TRUE(H);
    EXPECT_TRUE(H->isThisBased());
    EXPECT_TRUE(H->Path.empty());
    EXPECT_EQ(H->spelling(), "*this");
  }
  const ApiCall &Outside = R.Api->call(Locks[1]);
  ASSERT_TRUE(Outside.Handle);
  EXPECT_EQ(resolveHandle(Outside.Handle, *R.Api), ref(R.var("l")));
}

TEST(HandleRef, ExplicitCastToABaseIsTheObject) {
  auto R = marked(R"cpp(
    struct Locked : std::mutex {};
    void test() {
      Locked l;
      mark(static_cast<std::mutex &>(l));
      mark((std::mutex &)l);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Args.size(), 2u);
  auto Static = R.handle(0), CStyle = R.handle(1);
  EXPECT_EQ(Static, ref(R.var("l")));
  EXPECT_EQ(CStyle, ref(R.var("l")));
}

TEST(HandleRef, TemporariesAndUnknownCallsAreNoHandle) {
  auto R = marked(R"cpp(
    S &lookup();
    std::mutex &globalMutex();
    S make();
    void test() {
      S arr[2];
      mark(lookup().m);
      mark(globalMutex());
      mark(make().m);
      mark(S{}.m);
      mark(arr[0].m);
      mark(std::mutex());
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Args.size(), 6u);
  for (unsigned I = 0; I < R.Args.size(); ++I)
    EXPECT_EQ(R.handle(I), std::nullopt) << I;
}

//===--- Arguments and parameters -----------------------------------------===//

TEST(HandleRef, ParameterForSkipsTheObjectOfAMemberOperatorCall) {
  auto R = marked(R"cpp(
    void take(std::mutex &a, int b);
    void logf(const char *fmt, ...);
    struct Sink {
      void operator()(int val, std::mutex &w);
      Sink &operator<<(int x);
      void put(int y);
    };
    Sink &operator>>(Sink &s, int z);
    void test() {
      std::mutex m;
      take(m, 3);
      logf("x", 1, 2);
      Sink k;
      k(1, m);
      k << 5;
      k >> 6;
      k.put(7);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  auto CallTo = [&](llvm::StringRef Name) {
    return R.one<CallExpr>(callExpr(callee(functionDecl(hasName(Name)))));
  };
  auto Param = [&](llvm::StringRef Name) {
    return R.one<ParmVarDecl>(parmVarDecl(hasName(Name)));
  };
  using Pairs = std::vector<std::pair<const Expr *, const ParmVarDecl *>>;
  auto Arguments = [&](const CallExpr *Call) {
    Pairs P;
    forEachArgument(Call, Call->getDirectCallee(),
                    [&](const Expr *Arg, const ParmVarDecl *Parm) {
                      P.emplace_back(Arg, Parm);
                    });
    return P;
  };

  const CallExpr *Take = CallTo("take");
  ASSERT_TRUE(Take);
  const FunctionDecl *TakeFD = Take->getDirectCallee();
  EXPECT_EQ(parameterFor(Take, 0, TakeFD), Param("a"));
  EXPECT_EQ(parameterFor(Take, 1, TakeFD), Param("b"));
  EXPECT_EQ(parameterFor(Take, 2, TakeFD), nullptr);
  EXPECT_EQ(parameterFor(Take, 0, nullptr), nullptr);
  EXPECT_EQ(Arguments(Take), (Pairs{{Take->getArg(0), Param("a")},
                                    {Take->getArg(1), Param("b")}}));
  EXPECT_EQ(callObject(Take), nullptr);

  // A variadic tail has no parameter.
  const CallExpr *Logf = CallTo("logf");
  ASSERT_TRUE(Logf);
  EXPECT_EQ(parameterFor(Logf, 0, Logf->getDirectCallee()), Param("fmt"));
  EXPECT_EQ(parameterFor(Logf, 1, Logf->getDirectCallee()), nullptr);
  EXPECT_EQ(Arguments(Logf).size(), 3u);

  // k(1, m): the object k is argument 0 of the call, but no argument.
  const CallExpr *Apply = CallTo("operator()");
  ASSERT_TRUE(Apply);
  ASSERT_EQ(Apply->getNumArgs(), 3u);
  const FunctionDecl *ApplyFD = Apply->getDirectCallee();
  EXPECT_EQ(parameterFor(Apply, 0, ApplyFD), nullptr);
  EXPECT_EQ(parameterFor(Apply, 1, ApplyFD), Param("val"));
  EXPECT_EQ(parameterFor(Apply, 2, ApplyFD), Param("w"));
  EXPECT_EQ(Arguments(Apply), (Pairs{{Apply->getArg(1), Param("val")},
                                     {Apply->getArg(2), Param("w")}}));
  EXPECT_EQ(callObject(Apply), Apply->getArg(0));

  const CallExpr *Shift = CallTo("operator<<");
  ASSERT_TRUE(Shift);
  EXPECT_EQ(Arguments(Shift), (Pairs{{Shift->getArg(1), Param("x")}}));
  EXPECT_EQ(callObject(Shift), Shift->getArg(0));

  // A free operator has no object: both operands are arguments.
  const CallExpr *Free = CallTo("operator>>");
  ASSERT_TRUE(Free);
  EXPECT_EQ(Arguments(Free), (Pairs{{Free->getArg(0), Param("s")},
                                    {Free->getArg(1), Param("z")}}));
  EXPECT_EQ(callObject(Free), nullptr);

  const CallExpr *Put = CallTo("put");
  ASSERT_TRUE(Put);
  EXPECT_EQ(Arguments(Put), (Pairs{{Put->getArg(0), Param("y")}}));
  ASSERT_TRUE(callObject(Put));
  EXPECT_EQ(resolveHandle(callObject(Put), *R.Api), ref(R.var("k")));
}

/// The handle \p Unlock releases, in the terms of the function it is in.
std::optional<HandleRef> unlockedIn(Marked &R, const CallExpr *Unlock) {
  const ApiCall &A = R.Api->call(Unlock);
  if (A.effect() != Effect::Release || !A.Handle) {
    ADD_FAILURE() << "not an unlock()";
    return std::nullopt;
  }
  return resolveHandle(A.Handle, *R.Api);
}

TEST(HandleRef, HandleInCallerTranslatesParametersMembersAndGlobals) {
  auto R = marked(R"cpp(
    std::mutex gm;
    struct Box {
      std::mutex mu;
      void unlockAll() { mu.unlock(); }
    };
    void release(std::mutex &mx) { mx.unlock(); }
    void releaseBox(Box &b) { b.mu.unlock(); }
    void releaseGlobal() { gm.unlock(); }
    void own() { std::mutex mine; mine.unlock(); }
    void caller(Box *pb) {
      Box obj;
      release(obj.mu);
      releaseBox(obj);
      obj.unlockAll();
      pb->unlockAll();
      releaseGlobal();
      own();
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  // The unlock() of each callee, in source order: unlockAll, release,
  // releaseBox, releaseGlobal, own.
  std::vector<const CallExpr *> Unlocks = selectAll<CallExpr>(
      *R.AST, callExpr(callee(functionDecl(hasName("unlock")))));
  ASSERT_EQ(Unlocks.size(), 5u);
  auto Translated = [&](llvm::StringRef Callee, unsigned UnlockIndex,
                        unsigned Nth = 0) -> std::optional<HandleRef> {
    std::vector<const CallExpr *> Calls = selectAll<CallExpr>(
        *R.AST, callExpr(callee(functionDecl(hasName(Callee))),
                         hasAncestor(functionDecl(hasName("caller")))));
    if (Nth >= Calls.size()) {
      ADD_FAILURE() << "no call of " << Callee.str();
      return std::nullopt;
    }
    std::optional<HandleRef> InCallee = unlockedIn(R, Unlocks[UnlockIndex]);
    if (!InCallee)
      return std::nullopt;
    const FunctionDecl *FD = Calls[Nth]->getDirectCallee();
    return handleInCaller(*InCallee, Calls[Nth], FD, *R.Api);
  };
  HandleRef ObjMu = ref(R.var("obj"), {R.field("Box", "mu")});

  // A parameter becomes the argument.
  EXPECT_EQ(Translated("release", 1), ObjMu);
  EXPECT_EQ(Translated("releaseBox", 2), ObjMu);
  // A member of `this` becomes a member of the call's object.
  EXPECT_EQ(Translated("unlockAll", 0, 0), ObjMu);
  EXPECT_EQ(Translated("unlockAll", 0, 1),
            ref(R.var("pb"), {R.field("Box", "mu")}));
  // A global is itself everywhere.
  EXPECT_EQ(Translated("releaseGlobal", 3), ref(R.var("gm")));
  // The callee's own local means nothing to the caller.
  EXPECT_EQ(Translated("own", 4), std::nullopt);
}

TEST(HandleRef, HandleInCallerThroughAPointerObjectIsThroughAPointer) {
  auto R = marked(R"cpp(
    struct Box {
      std::mutex mu;
      void unlockAll() { mu.unlock(); }
    };
    void caller(Box *pb) {
      pb->unlockAll();
      mark(pb->mu);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Args.size(), 1u);
  const auto *Unlock =
      R.one<CallExpr>(callExpr(callee(functionDecl(hasName("unlock")))));
  const auto *Call =
      R.one<CallExpr>(callExpr(callee(functionDecl(hasName("unlockAll")))));
  ASSERT_TRUE(Unlock && Call);
  std::optional<HandleRef> InCallee = unlockedIn(R, Unlock);
  ASSERT_TRUE(InCallee);
  auto Translated =
      handleInCaller(*InCallee, Call, Call->getDirectCallee(), *R.Api);
  // The same handle as `pb->mu` written in the caller, with the same flag.
  auto Direct = R.handle(0);
  ASSERT_TRUE(Translated && Direct);
  EXPECT_EQ(*Translated, *Direct);
  ASSERT_TRUE(Direct->ThroughPointer);
  EXPECT_TRUE(Translated->ThroughPointer);
}

TEST(HandleRef, HandleInCallerOfALambda) {
  auto R = marked(R"cpp(
    struct Box {
      std::mutex mu;
      void f() {
        auto viaThis = [this] { mu.unlock(); };
        viaThis();
      }
    };
    void caller() {
      std::mutex m;
      auto captured = [&] { m.unlock(); };
      captured();
      auto param = [](std::mutex &p) { p.unlock(); };
      param(m);
      auto own = [] { std::mutex mine; mine.unlock(); };
      own();
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  std::vector<const CallExpr *> Unlocks = selectAll<CallExpr>(
      *R.AST, callExpr(callee(functionDecl(hasName("unlock")))));
  std::vector<const CallExpr *> LambdaCalls = selectAll<CallExpr>(
      *R.AST, cxxOperatorCallExpr(hasOverloadedOperatorName("()")));
  ASSERT_EQ(Unlocks.size(), 4u);
  ASSERT_EQ(LambdaCalls.size(), 4u);
  auto Translated = [&](unsigned I) -> std::optional<HandleRef> {
    std::optional<HandleRef> InCallee = unlockedIn(R, Unlocks[I]);
    if (!InCallee)
      return std::nullopt;
    const FunctionDecl *Op = LambdaCalls[I]->getDirectCallee();
    EXPECT_TRUE(cast<CXXMethodDecl>(Op)->getParent()->isLambda());
    return handleInCaller(*InCallee, LambdaCalls[I], Op, *R.Api);
  };
  // `this` in a lambda is the enclosing method's, not the lambda object.
  auto This = Translated(0);
  ASSERT_TRUE(This);
  EXPECT_EQ(*This, ref(nullptr, {R.field("Box", "mu")}));
  // A captured variable is the caller's own.
  EXPECT_EQ(Translated(1), ref(R.var("m")));
  // A lambda's parameter is the argument after the lambda object.
  EXPECT_EQ(Translated(2), ref(R.var("m")));
  // The lambda's own local is nothing in the caller.
  EXPECT_EQ(Translated(3), std::nullopt);
}

TEST(HandleRef, IsLocalTo) {
  auto R = marked(R"cpp(
    std::mutex gm;
    void f(std::mutex &byRef, std::mutex byValue, std::mutex *ptr) {
      std::mutex local;
      std::mutex &alias = gm;
      mark(local);
      mark(byValue);
      mark(byRef);
      mark(*ptr);
      mark(gm);
      mark(alias);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Args.size(), 6u);
  const auto *F =
      R.one<FunctionDecl>(functionDecl(hasName("f"), isDefinition()));
  ASSERT_TRUE(F);
  std::vector<bool> Local;
  for (unsigned I = 0; I < R.Args.size(); ++I) {
    auto H = R.handle(I);
    ASSERT_TRUE(H) << I;
    Local.push_back(isLocalTo(*H, F));
  }
  EXPECT_EQ(Local, (std::vector<bool>{true, true, false, false, false, false}));
}

} // namespace
} // namespace clang::tidy::taskleak::test
