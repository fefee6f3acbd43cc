//===--- SpawnBindingTest.cpp - Which body parameter is which argument ----===//
#include "TestSupport.h"
#include "taskleak/SpawnModel.h"
#include "gtest/gtest.h"
#include <functional>

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak::test {
namespace {

const char *Prelude = R"cpp(
#include "std_mock.h"
#include "posix_mock.h"
struct Obj {
  std::mutex mu;
  void run() { mu.lock(); }
  void runWith(int times) { (void)times; mu.lock(); }
};
std::mutex gm;
void worker(std::mutex &wm, int wn) { (void)wn; wm.lock(); }
void jworker(std::stop_token st, std::mutex &jm) { (void)st; jm.lock(); }
void byPointer(Obj *bp) { bp->mu.lock(); }
void ownLocal() { std::mutex mine; mine.lock(); gm.lock(); }
void *routine(void *arg) { (void)arg; return nullptr; }
)cpp";

struct Spawns {
  std::unique_ptr<ASTUnit> AST;
  std::unique_ptr<ApiModel> Api;
  /// Every spawn site of the snippet, in source order.
  std::vector<SpawnSite> Sites;

  const VarDecl *var(llvm::StringRef Name) {
    const auto *VD = selectOne<VarDecl>(*AST, varDecl(hasName(Name)));
    if (!VD)
      ADD_FAILURE() << "no single variable " << Name.str();
    return VD;
  }
  const FieldDecl *field(llvm::StringRef Name) {
    const auto *FD = selectOne<FieldDecl>(*AST, fieldDecl(hasName(Name)));
    if (!FD)
      ADD_FAILURE() << "no single field " << Name.str();
    return FD;
  }
  /// The arguments of the spawn expression of \p Site.
  static std::vector<const Expr *> argumentsOf(const SpawnSite &Site) {
    if (const auto *CE = dyn_cast<CXXConstructExpr>(Site.Spawn))
      return {CE->arg_begin(), CE->arg_end()};
    const auto *Call = cast<CallExpr>(Site.Spawn);
    return {Call->arg_begin(), Call->arg_end()};
  }
  /// The handles locked in the body of \p Site, in its own terms.
  std::vector<HandleRef> lockedInBody(const SpawnSite &Site) {
    std::vector<HandleRef> Result;
    std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
      if (!S)
        return;
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const ApiCall &A = Api->call(Call);
            A.effect() == Effect::Acquire && A.Handle)
          if (auto H = resolveHandle(A.Handle, *Api))
            Result.push_back(*H);
      for (const Stmt *Child : S->children())
        Walk(Child);
    };
    Walk(Site.Body.Function->getBody());
    return Result;
  }
};

Spawns spawnsIn(const std::string &Code) {
  Spawns R;
  R.AST = parse(std::string(Prelude) + Code);
  R.Api = std::make_unique<ApiModel>(SuiteConfig());
  if (!compiledCleanly(R.AST))
    return R;
  for (const Expr *E :
       selectAll<Expr>(*R.AST, expr(anyOf(cxxConstructExpr(), callExpr()),
                                    unless(isInTemplateInstantiation()))))
    if (auto Site = classifySpawn(E, *R.Api))
      R.Sites.push_back(*Site);
  return R;
}

HandleRef ref(const ValueDecl *Root,
              std::initializer_list<const ValueDecl *> Path = {}) {
  HandleRef H;
  H.Root = Root;
  H.Path.assign(Path.begin(), Path.end());
  return H;
}

TEST(SpawnBinding, ThreadArgumentsBindTheParametersInOrder) {
  auto R = spawnsIn(R"cpp(
    void test() {
      std::mutex x;
      std::thread t(worker, std::ref(x), 3);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Sites.size(), 1u);
  const SpawnSite &Site = R.Sites[0];
  std::vector<const Expr *> Args = Spawns::argumentsOf(Site);
  ASSERT_EQ(Args.size(), 3u);
  const FunctionDecl *Body = Site.Body.Function;
  ASSERT_TRUE(Body);
  EXPECT_EQ(Body->getName(), "worker");
  EXPECT_FALSE(Site.BodyTakesStopToken);
  ASSERT_EQ(Site.Bindings.size(), 2u);
  EXPECT_EQ(Site.Bindings[0].Param, Body->getParamDecl(0));
  EXPECT_EQ(Site.Bindings[0].Arg, Args[1]);
  EXPECT_EQ(Site.Bindings[1].Param, Body->getParamDecl(1));
  EXPECT_EQ(Site.Bindings[1].Arg, Args[2]);
  EXPECT_EQ(Site.parameterFor(Args[1]), Body->getParamDecl(0));
  EXPECT_EQ(Site.parameterFor(Args[2]), Body->getParamDecl(1));
  EXPECT_EQ(Site.parameterFor(Args[0]), nullptr); // the callable

  // The body's `wm.lock()` locks the spawner's x, through std::ref.
  std::vector<HandleRef> Locked = R.lockedInBody(Site);
  ASSERT_EQ(Locked.size(), 1u);
  EXPECT_EQ(Locked[0], ref(Body->getParamDecl(0)));
  EXPECT_EQ(Site.spawnerHandle(Locked[0], *R.Api), ref(R.var("x")));
  // A literal names no handle.
  EXPECT_EQ(Site.spawnerHandle(ref(Body->getParamDecl(1)), *R.Api),
            std::nullopt);
}

TEST(SpawnBinding, JThreadStopTokenShiftsTheParameters) {
  auto R = spawnsIn(R"cpp(
    void test() {
      std::mutex x;
      std::jthread a(jworker, std::ref(x));
      std::jthread b(worker, std::ref(x), 3);
      std::jthread c([](std::stop_token, std::mutex &lm) { lm.lock(); },
                     std::ref(x));
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Sites.size(), 3u);
  const VarDecl *X = R.var("x");

  // The runtime passes the token first: the user's argument is parameter 1.
  const SpawnSite &A = R.Sites[0];
  EXPECT_EQ(A.Family, SpawnFamily::StdJThread);
  EXPECT_TRUE(A.BodyTakesStopToken);
  ASSERT_EQ(A.Bindings.size(), 1u);
  EXPECT_EQ(A.Bindings[0].Param, A.Body.Function->getParamDecl(1));
  EXPECT_EQ(A.Bindings[0].Arg, Spawns::argumentsOf(A)[1]);
  EXPECT_EQ(A.spawnerHandle(ref(A.Body.Function->getParamDecl(1)), *R.Api),
            ref(X));
  // The token is the runtime's, no spawner expression.
  EXPECT_EQ(A.spawnerHandle(ref(A.Body.Function->getParamDecl(0)), *R.Api),
            std::nullopt);

  // A body without a token: no shift.
  const SpawnSite &B = R.Sites[1];
  EXPECT_FALSE(B.BodyTakesStopToken);
  ASSERT_EQ(B.Bindings.size(), 2u);
  EXPECT_EQ(B.Bindings[0].Param, B.Body.Function->getParamDecl(0));
  EXPECT_EQ(B.Bindings[1].Param, B.Body.Function->getParamDecl(1));

  // A lambda body takes the token the same way.
  const SpawnSite &C = R.Sites[2];
  EXPECT_TRUE(C.BodyTakesStopToken);
  ASSERT_TRUE(C.Body.Lambda);
  ASSERT_EQ(C.Bindings.size(), 1u);
  EXPECT_EQ(C.Bindings[0].Param, C.Body.Function->getParamDecl(1));
  std::vector<HandleRef> Locked = R.lockedInBody(C);
  ASSERT_EQ(Locked.size(), 1u);
  EXPECT_EQ(C.spawnerHandle(Locked[0], *R.Api), ref(X));
}

TEST(SpawnBinding, MemberFunctionBindsItsObject) {
  auto R = spawnsIn(R"cpp(
    void test() {
      Obj o;
      std::thread a(&Obj::run, &o);
      std::thread b(&Obj::runWith, &o, 5);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Sites.size(), 2u);
  HandleRef OMu = ref(R.var("o"), {R.field("mu")});

  const SpawnSite &A = R.Sites[0];
  EXPECT_EQ(A.Body.Function->getQualifiedNameAsString(), "Obj::run");
  ASSERT_EQ(A.Bindings.size(), 1u);
  EXPECT_EQ(A.Bindings[0].Param, nullptr);
  EXPECT_EQ(A.Bindings[0].Arg, Spawns::argumentsOf(A)[1]);
  EXPECT_EQ(A.parameterFor(Spawns::argumentsOf(A)[1]), nullptr);
  // `mu` in the body is o.mu in the spawner.
  std::vector<HandleRef> Locked = R.lockedInBody(A);
  ASSERT_EQ(Locked.size(), 1u);
  EXPECT_TRUE(Locked[0].isThisBased());
  EXPECT_EQ(A.spawnerHandle(Locked[0], *R.Api), OMu);

  const SpawnSite &B = R.Sites[1];
  ASSERT_EQ(B.Bindings.size(), 2u);
  EXPECT_EQ(B.Bindings[0].Param, nullptr);
  EXPECT_EQ(B.Bindings[0].Arg, Spawns::argumentsOf(B)[1]);
  EXPECT_EQ(B.Bindings[1].Param, B.Body.Function->getParamDecl(0));
  EXPECT_EQ(B.Bindings[1].Arg, Spawns::argumentsOf(B)[2]);
  EXPECT_EQ(B.spawnerHandle(R.lockedInBody(B).at(0), *R.Api), OMu);
}

TEST(SpawnBinding, PthreadCreateArgumentIsParameterZero) {
  auto R = spawnsIn(R"cpp(
    void test() {
      std::mutex x;
      pthread_t t;
      pthread_create(&t, nullptr, routine, &x);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Sites.size(), 1u);
  const SpawnSite &Site = R.Sites[0];
  EXPECT_EQ(Site.Family, SpawnFamily::PThread);
  const FunctionDecl *Body = Site.Body.Function;
  ASSERT_EQ(Site.Bindings.size(), 1u);
  EXPECT_EQ(Site.Bindings[0].Param, Body->getParamDecl(0));
  EXPECT_EQ(Site.Bindings[0].Arg, Spawns::argumentsOf(Site)[3]);
  EXPECT_EQ(Site.spawnerHandle(ref(Body->getParamDecl(0)), *R.Api),
            ref(R.var("x")));
}

TEST(SpawnBinding, SpawnerHandleOfANamedBody) {
  auto R = spawnsIn(R"cpp(
    void test() {
      Obj o;
      std::thread t(byPointer, &o);
      std::thread u(ownLocal);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Sites.size(), 2u);
  // A parameter's path is extended from the argument's handle.
  std::vector<HandleRef> InT = R.lockedInBody(R.Sites[0]);
  ASSERT_EQ(InT.size(), 1u);
  EXPECT_EQ(InT[0].spelling(), "bp.mu");
  EXPECT_EQ(R.Sites[0].spawnerHandle(InT[0], *R.Api),
            ref(R.var("o"), {R.field("mu")}));
  // The body's own local is nothing to the spawner; a global is itself.
  std::vector<HandleRef> InU = R.lockedInBody(R.Sites[1]);
  ASSERT_EQ(InU.size(), 2u);
  EXPECT_EQ(R.Sites[1].spawnerHandle(InU[0], *R.Api), std::nullopt);
  EXPECT_EQ(R.Sites[1].spawnerHandle(InU[1], *R.Api), ref(R.var("gm")));
}

TEST(SpawnBinding, LambdaCaptureStaysItself) {
  auto R = spawnsIn(R"cpp(
    struct Owner {
      std::mutex own_mu;
      void start() { std::thread t([this] { own_mu.lock(); }); }
    };
    void test() {
      std::mutex x;
      std::thread a([&x] { x.lock(); });
      std::thread b([] { std::mutex inner; inner.lock(); });
      std::thread c([](std::mutex &lm) { lm.lock(); }, std::ref(x));
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(R.AST));
  ASSERT_EQ(R.Sites.size(), 4u);
  const VarDecl *X = R.var("x");

  // [this]: `own_mu` is the spawner's own member, as written.
  const SpawnSite &InMethod = R.Sites[0];
  ASSERT_TRUE(InMethod.Body.Lambda);
  EXPECT_TRUE(InMethod.Bindings.empty());
  std::vector<HandleRef> Locked = R.lockedInBody(InMethod);
  ASSERT_EQ(Locked.size(), 1u);
  EXPECT_EQ(InMethod.spawnerHandle(Locked[0], *R.Api),
            ref(nullptr, {R.field("own_mu")}));

  // [&x]: the body names the spawner's x.
  const SpawnSite &A = R.Sites[1];
  EXPECT_TRUE(A.Bindings.empty());
  Locked = R.lockedInBody(A);
  ASSERT_EQ(Locked.size(), 1u);
  EXPECT_EQ(Locked[0], ref(X));
  EXPECT_EQ(A.spawnerHandle(Locked[0], *R.Api), ref(X));

  // The lambda's own local.
  Locked = R.lockedInBody(R.Sites[2]);
  ASSERT_EQ(Locked.size(), 1u);
  EXPECT_EQ(R.Sites[2].spawnerHandle(Locked[0], *R.Api), std::nullopt);

  // A lambda's parameter is bound like a function's.
  const SpawnSite &C = R.Sites[3];
  ASSERT_EQ(C.Bindings.size(), 1u);
  EXPECT_EQ(C.Bindings[0].Param, C.Body.Function->getParamDecl(0));
  Locked = R.lockedInBody(C);
  ASSERT_EQ(Locked.size(), 1u);
  EXPECT_EQ(C.spawnerHandle(Locked[0], *R.Api), ref(X));
}

} // namespace
} // namespace clang::tidy::taskleak::test
