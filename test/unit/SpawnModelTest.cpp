//===--- SpawnModelTest.cpp - classifySpawn on every spawn family ---------===//
#include "taskleak/SpawnModel.h"
#include "TestSupport.h"
#include "gtest/gtest.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak::test {
namespace {

const char *Prelude = R"cpp(
#include "std_mock.h"
#include "posix_mock.h"
#include "asio_mock.h"
#include "boost_thread_mock.h"
#include "tbb_mock.h"
void work();
void *routine(void *) { return nullptr; }
void named() {}
struct Functor { void operator()() const { work(); } };
struct Obj { void run() { work(); } };
)cpp";

struct Spawned {
  std::unique_ptr<ASTUnit> AST;
  std::vector<SpawnSite> Sites;
};

/// Every spawn site in `void test() { <Body> }`.
Spawned spawnsIn(const std::string &Body, const SuiteConfig &Config = {}) {
  Spawned Result;
  Result.AST = parse(std::string(Prelude) + "void test() {\n" + Body + "\n}\n");
  EXPECT_TRUE(Result.AST);
  if (!Result.AST)
    return Result;
  auto Matches = match(
      functionDecl(hasName("test"),
                   forEachDescendant(
                       expr(anyOf(cxxConstructExpr(), callExpr())).bind("e"))),
      Result.AST->getASTContext());
  ApiModel Api(Config);
  for (const auto &M : Matches)
    if (auto Site = classifySpawn(M.getNodeAs<Expr>("e"), Api))
      Result.Sites.push_back(*Site);
  return Result;
}

std::string bodyName(const SpawnSite &S) {
  if (S.Body.Lambda)
    return "<lambda>";
  return S.Body.Function->getQualifiedNameAsString();
}

TEST(SpawnModel, StdThreadWithLambdaFunctionMemberAndFunctor) {
  auto R = spawnsIn(R"cpp(
    std::thread a([] { work(); });
    std::thread b(named);
    Obj o;
    std::thread c(&Obj::run, &o);
    std::thread d(Functor{});
    auto l = [] { work(); };
    std::thread e(l);
  )cpp");
  ASSERT_EQ(R.Sites.size(), 5u);
  EXPECT_EQ(bodyName(R.Sites[0]), "<lambda>");
  EXPECT_EQ(bodyName(R.Sites[1]), "named");
  EXPECT_EQ(bodyName(R.Sites[2]), "Obj::run");
  EXPECT_EQ(bodyName(R.Sites[3]), "Functor::operator()");
  EXPECT_EQ(bodyName(R.Sites[4]), "<lambda>");
  for (const SpawnSite &S : R.Sites)
    EXPECT_EQ(S.Family, SpawnFamily::StdThread);
}

TEST(SpawnModel, MovesAndUnknownCallablesAreNotSpawns) {
  auto R = spawnsIn(R"cpp(
    std::thread a([] { work(); });
    std::thread b(std::move(a));
    void (*fp)() = nullptr;
    std::thread c(fp);
    std::thread d;
  )cpp");
  ASSERT_EQ(R.Sites.size(), 1u);
}

TEST(SpawnModel, JThreadKnowsWhetherTheBodyTakesAStopToken) {
  auto R = spawnsIn(R"cpp(
    std::jthread a([](std::stop_token st) { (void)st; });
    std::jthread b([] { work(); });
  )cpp");
  ASSERT_EQ(R.Sites.size(), 2u);
  EXPECT_EQ(R.Sites[0].Family, SpawnFamily::StdJThread);
  EXPECT_TRUE(R.Sites[0].BodyTakesStopToken);
  EXPECT_FALSE(R.Sites[1].BodyTakesStopToken);
}

TEST(SpawnModel, AsyncHonoursItsLaunchPolicy) {
  auto R = spawnsIn(R"cpp(
    auto a = std::async([] { work(); });
    auto b = std::async(std::launch::async, [] { work(); });
    auto c = std::async(std::launch::deferred, [] { work(); });
  )cpp");
  ASSERT_EQ(R.Sites.size(), 2u);
  EXPECT_EQ(R.Sites[0].Family, SpawnFamily::StdAsync);
  EXPECT_EQ(R.Sites[1].Family, SpawnFamily::StdAsync);
}

TEST(SpawnModel, ContainersPthreadsBoostAsioTbb) {
  auto R = spawnsIn(R"cpp(
    std::vector<std::thread> pool;
    pool.emplace_back([] { work(); });
    pthread_t t;
    pthread_create(&t, nullptr, routine, nullptr);
    boost::thread bt([] { work(); });
    boost::fibers::fiber f([] { work(); });
    boost::asio::io_context io;
    boost::asio::post(io, [] { work(); });
    boost::asio::steady_timer timer(io);
    timer.async_wait([](const boost::system::error_code &) { work(); });
    tbb::task_group g;
    g.run([] { work(); });
  )cpp");
  std::vector<SpawnFamily> Families;
  for (const SpawnSite &S : R.Sites)
    Families.push_back(S.Family);
  std::vector<SpawnFamily> Expected = {
      SpawnFamily::StdThread,   SpawnFamily::PThread,
      SpawnFamily::BoostThread, SpawnFamily::BoostFiber,
      SpawnFamily::AsioHandler, SpawnFamily::AsioHandler,
      SpawnFamily::TbbTask};
  // Match order is the matcher's business; compare as multisets.
  llvm::sort(Families);
  llvm::sort(Expected);
  EXPECT_EQ(Families, Expected);
  ASSERT_EQ(R.Sites.size(), Expected.size());
  for (const SpawnSite &S : R.Sites)
    if (S.Family == SpawnFamily::PThread)
      EXPECT_EQ(bodyName(S), "routine");
}

TEST(SpawnModel, UserDeclaredSpawnFunctionsExtendTheModel) {
  auto AST = parse(std::string(Prelude) + R"cpp(
    namespace pool { template <class F> void submit(F &&f) { (void)f; } }
    void user() { pool::submit([] { work(); }); }
  )cpp");
  ASSERT_TRUE(AST);
  const auto *Call = selectOne<CallExpr>(
      *AST, callExpr(callee(functionDecl(hasName("submit")))));
  ASSERT_TRUE(Call);
  SuiteConfig Config;
  ApiModel Plain(Config);
  EXPECT_FALSE(classifySpawn(Call, Plain).has_value());
  Config.SpawnFunctions = {"pool::submit"};
  ApiModel WithUserSpawn(Config);
  auto Site = classifySpawn(Call, WithUserSpawn);
  ASSERT_TRUE(Site.has_value());
  EXPECT_EQ(Site->Family, SpawnFamily::UserDeclared);
  EXPECT_TRUE(Site->Body.Lambda);
}

} // namespace
} // namespace clang::tidy::taskleak::test
