//===--- ApiModelTest.cpp - The table of library calls and classes --------===//
#include "taskleak/ApiModel.h"
#include "TestSupport.h"
#include "gtest/gtest.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak::test {
namespace {

const char *Prelude = R"cpp(
#include "std_mock.h"
#include "posix_mock.h"
#include "tbb_mock.h"
void work();
)cpp";

/// A snippet and the model of its translation unit.
struct Model {
  std::unique_ptr<ASTUnit> AST;
  std::unique_ptr<ApiModel> Api;

  /// The calls of functions named \p Callee, in source order.
  std::vector<const CallExpr *> callsTo(llvm::StringRef Callee) {
    return selectAll<CallExpr>(*AST,
                               callExpr(callee(functionDecl(hasName(Callee))),
                                        unless(isInTemplateInstantiation())));
  }
  /// The effect of the \p Nth call of \p Callee (no entry when missing).
  ApiCall call(llvm::StringRef Callee, unsigned Nth = 0) {
    std::vector<const CallExpr *> Calls = callsTo(Callee);
    if (Nth >= Calls.size()) {
      ADD_FAILURE() << "no call " << Nth << " of " << Callee.str();
      return {};
    }
    return Api->call(Calls[Nth]);
  }
  /// The kind of the type of the variable \p Var.
  ObjectKind kindOfVar(llvm::StringRef Var) {
    const auto *VD = selectOne<VarDecl>(*AST, varDecl(hasName(Var)));
    if (!VD) {
      ADD_FAILURE() << "no variable " << Var.str();
      return ObjectKind::None;
    }
    return Api->kindOf(VD->getType());
  }
  ObjectKind kindOfClass(llvm::StringRef Class) {
    const auto *RD = selectOne<CXXRecordDecl>(
        *AST, cxxRecordDecl(hasName(Class), isDefinition()));
    if (!RD) {
      ADD_FAILURE() << "no class " << Class.str();
      return ObjectKind::None;
    }
    return Api->kindOfRecord(RD);
  }
};

Model model(const std::string &Code, const SuiteConfig &Config = {}) {
  Model M;
  M.AST = parse(std::string(Prelude) + Code);
  M.Api = std::make_unique<ApiModel>(Config);
  return M;
}

/// The variable \p E names, under implicit casts.
std::string named(const Expr *E) {
  if (!E)
    return "<null>";
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    return DRE->getDecl()->getNameAsString();
  return "<not a variable>";
}

TEST(ApiModel, MutexLockUnlockAndTryLock) {
  auto M = model(R"cpp(
    void test() {
      std::mutex m;
      m.lock();
      if (m.try_lock()) m.unlock();
      m.unlock();
      pthread_mutex_t pm;
      pthread_mutex_lock(&pm);
      pthread_mutex_unlock(&pm);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(M.AST));

  ApiCall Lock = M.call("lock");
  EXPECT_EQ(Lock.effect(), Effect::Acquire);
  EXPECT_EQ(Lock.kind(), ObjectKind::Mutex);
  ASSERT_TRUE(Lock.Entry);
  EXPECT_EQ(Lock.Entry->R, Receiver::Object);
  EXPECT_FALSE(Lock.Entry->Shared);
  EXPECT_TRUE(Lock.blocking());
  EXPECT_FALSE(Lock.throwsOnShutdown());
  EXPECT_EQ(named(Lock.Handle), "m");

  ApiCall Try = M.call("try_lock");
  EXPECT_EQ(Try.effect(), Effect::TryAcquire);
  EXPECT_EQ(Try.kind(), ObjectKind::Mutex);
  EXPECT_FALSE(Try.blocking());

  for (unsigned I = 0; I < 2; ++I) {
    ApiCall Unlock = M.call("unlock", I);
    EXPECT_EQ(Unlock.effect(), Effect::Release);
    EXPECT_EQ(Unlock.kind(), ObjectKind::Mutex);
    EXPECT_FALSE(Unlock.blocking());
    EXPECT_EQ(named(Unlock.Handle), "m");
  }

  // The C API names its mutex by argument.
  ApiCall PLock = M.call("pthread_mutex_lock");
  EXPECT_EQ(PLock.effect(), Effect::Acquire);
  EXPECT_EQ(PLock.kind(), ObjectKind::Mutex);
  ASSERT_TRUE(PLock.Entry);
  EXPECT_EQ(PLock.Entry->R, Receiver::Argument);
  EXPECT_EQ(PLock.Entry->Arg, 0u);
  const auto *AddrOf = dyn_cast_or_null<UnaryOperator>(
      PLock.Handle ? PLock.Handle->IgnoreParenImpCasts() : nullptr);
  ASSERT_TRUE(AddrOf);
  EXPECT_EQ(named(AddrOf->getSubExpr()), "pm");
  EXPECT_EQ(M.call("pthread_mutex_unlock").effect(), Effect::Release);
}

TEST(ApiModel, CallsAreMemoisedPerExpression) {
  auto M = model("void test() { std::mutex m; m.lock(); m.lock(); }");
  ASSERT_TRUE(compiledCleanly(M.AST));
  std::vector<const CallExpr *> Locks = M.callsTo("lock");
  ASSERT_EQ(Locks.size(), 2u);
  const ApiCall &First = M.Api->call(Locks[0]);
  EXPECT_EQ(&First, &M.Api->call(Locks[0]));
  // One entry per row: both calls share it, each with its own handle.
  const ApiCall &Second = M.Api->call(Locks[1]);
  EXPECT_EQ(First.Entry, Second.Entry);
  EXPECT_NE(First.Handle, Second.Handle);
}

TEST(ApiModel, ConditionVariableWaitShapes) {
  auto M = model(R"cpp(
    struct Ready { bool operator()() const; };
    bool isReady();
    void test() {
      std::mutex m;
      std::unique_lock<std::mutex> lk(m);
      std::condition_variable cv;
      bool ready = false;
      cv.wait(lk);
      cv.wait(lk, [&] { return ready; });
      cv.wait(lk, Ready{});
      cv.wait(lk, isReady);
      cv.wait_for(lk, std::chrono::milliseconds(5));
      cv.wait_for(lk, std::chrono::milliseconds(5), [&] { return ready; });
      std::condition_variable_any cva;
      std::stop_token st;
      cva.wait(lk, st, [&] { return ready; });
      cv.notify_one();
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(M.AST));

  std::vector<WaitShape> Waits,
      Expected = {WaitShape::Plain, WaitShape::Predicate, WaitShape::Predicate,
                  WaitShape::Predicate, WaitShape::Predicate};
  for (unsigned I = 0; I < Expected.size(); ++I) {
    ApiCall W = M.call("wait", I);
    EXPECT_EQ(W.effect(), Effect::CondWait) << I;
    EXPECT_EQ(W.kind(), ObjectKind::ConditionVariable) << I;
    EXPECT_TRUE(W.blocking()) << I;
    Waits.push_back(W.Wait);
  }
  EXPECT_EQ(Waits, Expected);
  EXPECT_EQ(M.callsTo("wait").size(), Expected.size());

  ApiCall Timed = M.call("wait_for", 0);
  EXPECT_EQ(Timed.effect(), Effect::CondWait);
  EXPECT_EQ(Timed.Wait, WaitShape::Timed);
  EXPECT_EQ(M.call("wait_for", 1).Wait, WaitShape::Predicate);
  EXPECT_EQ(named(M.call("wait", 0).Handle), "cv");
  EXPECT_EQ(named(M.call("wait", 4).Handle), "cva");

  ApiCall Notify = M.call("notify_one");
  EXPECT_EQ(Notify.effect(), Effect::Notify);
  EXPECT_FALSE(Notify.blocking());
}

TEST(ApiModel, FutureGetWaitAndPromiseSet) {
  auto M = model(R"cpp(
    void test() {
      std::promise<int> p;
      std::future<int> f = p.get_future();
      p.set_value(1);
      f.wait();
      (void)f.wait_for(std::chrono::milliseconds(1));
      (void)f.valid();
      (void)f.get();
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(M.AST));

  ApiCall Get = M.call("get");
  EXPECT_EQ(Get.effect(), Effect::GetResult);
  EXPECT_EQ(Get.kind(), ObjectKind::Future);
  EXPECT_TRUE(Get.blocking());
  EXPECT_EQ(named(Get.Handle), "f");

  ApiCall Wait = M.call("wait");
  EXPECT_EQ(Wait.effect(), Effect::WaitResult);
  EXPECT_EQ(Wait.kind(), ObjectKind::Future);
  EXPECT_TRUE(Wait.blocking());

  ApiCall WaitFor = M.call("wait_for");
  EXPECT_EQ(WaitFor.effect(), Effect::TimedWaitResult);
  EXPECT_FALSE(WaitFor.blocking());
  EXPECT_EQ(M.call("valid").effect(), Effect::Benign);

  ApiCall Set = M.call("set_value");
  EXPECT_EQ(Set.effect(), Effect::SetResult);
  EXPECT_EQ(Set.kind(), ObjectKind::Promise);
  EXPECT_EQ(named(Set.Handle), "p");
  // get_future() acts on the promise it is called on.
  ApiCall GetFuture = M.call("get_future");
  EXPECT_EQ(GetFuture.kind(), ObjectKind::Promise);
  EXPECT_EQ(named(GetFuture.Handle), "p");
}

TEST(ApiModel, TbbQueueMatchedThroughItsInternalNamespaces) {
  auto M = model(R"cpp(
    namespace mine {
    template <class T> class concurrent_bounded_queue {
    public:
      void pop(T &);
    };
    } // namespace mine
    void test() {
      tbb::concurrent_bounded_queue<int> q;
      int v = 0;
      q.push(v);
      q.pop(v);
      (void)q.try_pop(v);
      q.abort();
      mine::concurrent_bounded_queue<int> lookalike;
      lookalike.pop(v);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(M.AST));

  std::vector<const CallExpr *> Pops = M.callsTo("pop");
  ASSERT_EQ(Pops.size(), 2u);
  // The mock declares it where TBB does, in namespaces the table never names.
  EXPECT_EQ(Pops[0]->getDirectCallee()->getQualifiedNameAsString(),
            "tbb::detail::d2::concurrent_bounded_queue<int>::pop");
  ApiCall Pop = M.Api->call(Pops[0]);
  EXPECT_EQ(Pop.effect(), Effect::Receive);
  EXPECT_EQ(Pop.kind(), ObjectKind::TbbQueue);
  EXPECT_TRUE(Pop.blocking());
  EXPECT_TRUE(Pop.throwsOnShutdown());
  EXPECT_EQ(named(Pop.Handle), "q");
  // A class of the same name elsewhere is not TBB's.
  EXPECT_FALSE(M.Api->call(Pops[1]));

  ApiCall Push = M.call("push");
  EXPECT_EQ(Push.effect(), Effect::Send);
  EXPECT_TRUE(Push.blocking());
  EXPECT_TRUE(Push.throwsOnShutdown());
  ApiCall TryPop = M.call("try_pop");
  EXPECT_EQ(TryPop.effect(), Effect::TryReceive);
  EXPECT_FALSE(TryPop.blocking());
  EXPECT_EQ(M.call("abort").effect(), Effect::Close);

  EXPECT_EQ(M.kindOfVar("q"), ObjectKind::TbbQueue);
  EXPECT_EQ(M.kindOfVar("lookalike"), ObjectKind::None);
}

TEST(ApiModel, SleepsNameNoHandle) {
  auto M = model(R"cpp(
    void test() {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::this_thread::sleep_until(std::chrono::steady_clock::now());
      usleep(10);
      std::this_thread::yield();
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(M.AST));
  for (const char *Sleep : {"sleep_for", "sleep_until", "usleep"}) {
    ApiCall S = M.call(Sleep);
    EXPECT_EQ(S.effect(), Effect::Sleep) << Sleep;
    ASSERT_TRUE(S.Entry) << Sleep;
    EXPECT_EQ(S.Entry->R, Receiver::None) << Sleep;
    EXPECT_EQ(S.Handle, nullptr) << Sleep;
  }
  EXPECT_FALSE(M.call("yield"));
}

TEST(ApiModel, StdRefIsAHandleAccessOnItsArgument) {
  auto M = model(R"cpp(
    void test() {
      std::mutex m;
      auto r = std::ref(m);
      (void)r;
      auto b = std::bind(work);
      (void)b;
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(M.AST));
  ApiCall Ref = M.call("ref");
  EXPECT_EQ(Ref.effect(), Effect::HandleAccess);
  EXPECT_EQ(Ref.kind(), ObjectKind::RefWrapper);
  ASSERT_TRUE(Ref.Entry);
  EXPECT_EQ(Ref.Entry->R, Receiver::Argument);
  EXPECT_EQ(named(Ref.Handle), "m");

  ApiCall Bind = M.call("bind");
  EXPECT_EQ(Bind.effect(), Effect::BindCallable);
  EXPECT_EQ(named(Bind.Handle), "work");
}

TEST(ApiModel, KindOfKnownClasses) {
  auto M = model(R"cpp(
    using Alias = std::mutex;
    void test() {
      std::mutex mu;
      std::thread th;
      std::jthread jt;
      std::promise<int> pr;
      std::future<int> fu;
      std::latch la(1);
      std::barrier<> ba(2);
      std::counting_semaphore<4> se(1);
      std::condition_variable cv;
      std::stop_token tok;
      std::stop_source src;
      std::lock_guard<std::mutex> guard(mu);
      std::vector<int> vec;
      std::shared_ptr<int> sp;
      int plain = 0;
      std::mutex &ref = mu;
      std::mutex *ptr = &mu;
      Alias al;
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(M.AST));
  const std::pair<const char *, ObjectKind> Expected[] = {
      {"mu", ObjectKind::Mutex},
      {"th", ObjectKind::Thread},
      {"jt", ObjectKind::JThread},
      {"pr", ObjectKind::Promise},
      {"fu", ObjectKind::Future},
      {"la", ObjectKind::Latch},
      {"ba", ObjectKind::Barrier},
      {"se", ObjectKind::Semaphore},
      {"cv", ObjectKind::ConditionVariable},
      {"tok", ObjectKind::StopToken},
      {"src", ObjectKind::StopSource},
      {"guard", ObjectKind::LockGuard},
      {"vec", ObjectKind::OwnedValue},
      {"sp", ObjectKind::SmartPointer},
      {"plain", ObjectKind::None},
      // References are looked through, pointers are not; sugar is.
      {"ref", ObjectKind::Mutex},
      {"ptr", ObjectKind::None},
      {"al", ObjectKind::Mutex},
  };
  for (const auto &[Var, Kind] : Expected)
    EXPECT_EQ(M.kindOfVar(Var), Kind) << Var;
}

TEST(ApiModel, ClassDerivingFromAKnownClassHasItsKind) {
  auto M = model(R"cpp(
    struct MyMutex : std::mutex {};
    struct Deeper : MyMutex {};
    struct MyVector : std::vector<int> {};
    struct Plain {};
    void test() { MyMutex mm; mm.lock(); mm.unlock(); }
  )cpp");
  ASSERT_TRUE(compiledCleanly(M.AST));
  EXPECT_EQ(M.kindOfClass("MyMutex"), ObjectKind::Mutex);
  EXPECT_EQ(M.kindOfClass("Deeper"), ObjectKind::Mutex);
  // Owning a value is not a kind a derived class inherits.
  EXPECT_EQ(M.kindOfClass("MyVector"), ObjectKind::None);
  EXPECT_EQ(M.kindOfClass("Plain"), ObjectKind::None);
  // The inherited members are the library's.
  EXPECT_EQ(M.call("lock").effect(), Effect::Acquire);
  EXPECT_EQ(M.call("unlock").effect(), Effect::Release);
}

TEST(ApiModel, WaitGroupByShape) {
  auto M = model(R"cpp(
    struct WG { void Add(int); void Done(); void Wait(); };
    struct wg_lower { void add(int); void done(); void wait(); };
    struct Partial { void Done(); void Wait(); };
    void test() {
      WG w;
      w.Add(1);
      w.Done();
      w.Wait();
      wg_lower l;
      l.add(1);
      l.done();
      l.wait();
      Partial p;
      p.Done();
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(M.AST));
  EXPECT_EQ(M.kindOfClass("WG"), ObjectKind::WaitGroup);
  EXPECT_EQ(M.kindOfClass("wg_lower"), ObjectKind::WaitGroup);
  EXPECT_EQ(M.kindOfClass("Partial"), ObjectKind::None);

  for (const char *Add : {"Add", "add"}) {
    ApiCall A = M.call(Add);
    EXPECT_EQ(A.effect(), Effect::AddCount) << Add;
    EXPECT_EQ(A.kind(), ObjectKind::WaitGroup) << Add;
  }
  for (const char *Done : {"Done", "done"}) {
    ApiCall D = M.call(Done);
    EXPECT_EQ(D.effect(), Effect::CountDown) << Done;
    EXPECT_FALSE(D.blocking()) << Done;
  }
  for (const char *Wait : {"Wait", "wait"}) {
    ApiCall W = M.call(Wait);
    EXPECT_EQ(W.effect(), Effect::WaitCount) << Wait;
    EXPECT_TRUE(W.blocking()) << Wait;
  }
  EXPECT_EQ(named(M.call("Done").Handle), "w");
  EXPECT_FALSE(M.call("Done", 1)); // Partial::Done
}

TEST(ApiModel, WaitGroupTypesOption) {
  const char *Code = R"cpp(
    namespace sync {
    class Group {
    public:
      void Done();
      void Wait();
    };
    } // namespace sync
    void test() { sync::Group g; g.Done(); g.Wait(); }
  )cpp";
  auto Plain = model(Code);
  ASSERT_TRUE(compiledCleanly(Plain.AST));
  EXPECT_EQ(Plain.kindOfClass("Group"), ObjectKind::None);
  EXPECT_FALSE(Plain.call("Done"));

  SuiteConfig Config;
  Config.WaitGroupTypes = {"sync::Group"};
  auto Listed = model(Code, Config);
  ASSERT_TRUE(compiledCleanly(Listed.AST));
  EXPECT_EQ(Listed.kindOfClass("Group"), ObjectKind::WaitGroup);
  EXPECT_EQ(Listed.call("Done").effect(), Effect::CountDown);
  EXPECT_EQ(Listed.call("Wait").effect(), Effect::WaitCount);
}

TEST(ApiModel, UserListsExtendTheTables) {
  const char *Code = R"cpp(
    namespace pool {
    template <class F> void submit(F &&f) { (void)f; }
    } // namespace pool
    namespace chan {
    template <class T> class Chan {
    public:
      void put(const T &);
      T take();
      void shut();
      void close();
    };
    } // namespace chan
    void test() {
      pool::submit([] { work(); });
      chan::Chan<int> c;
      c.put(1);
      (void)c.take();
      c.shut();
      c.close();
    }
  )cpp";
  auto Plain = model(Code);
  ASSERT_TRUE(compiledCleanly(Plain.AST));
  for (const char *Callee : {"submit", "put", "take", "shut", "close"})
    EXPECT_FALSE(Plain.call(Callee)) << Callee;
  EXPECT_EQ(Plain.kindOfVar("c"), ObjectKind::None);

  SuiteConfig Config;
  Config.SpawnFunctions = {"pool::submit"};
  Config.SendMethods = {"chan::Chan::put"};
  Config.ReceiveMethods = {"chan::Chan::take"};
  Config.CloseMethods = {"chan::Chan::shut"};
  Config.ChannelTypes = {"chan::Chan"};
  auto User = model(Code, Config);
  ASSERT_TRUE(compiledCleanly(User.AST));

  ApiCall Spawn = User.call("submit");
  EXPECT_EQ(Spawn.effect(), Effect::Spawn);
  ASSERT_TRUE(Spawn.Entry);
  EXPECT_EQ(Spawn.Entry->Family, SpawnFamily::UserDeclared);

  ApiCall Send = User.call("put");
  EXPECT_EQ(Send.effect(), Effect::Send);
  EXPECT_EQ(Send.kind(), ObjectKind::UserChannel);
  EXPECT_TRUE(Send.blocking());
  EXPECT_EQ(named(Send.Handle), "c");
  ApiCall Receive = User.call("take");
  EXPECT_EQ(Receive.effect(), Effect::Receive);
  EXPECT_EQ(Receive.kind(), ObjectKind::UserChannel);
  EXPECT_TRUE(Receive.blocking());
  ApiCall Close = User.call("shut");
  EXPECT_EQ(Close.effect(), Effect::Close);
  EXPECT_EQ(Close.kind(), ObjectKind::UserChannel);
  // A channel type's own close() closes it without being listed.
  EXPECT_EQ(User.call("close").effect(), Effect::Close);
  EXPECT_EQ(User.kindOfVar("c"), ObjectKind::UserChannel);
}

TEST(ApiModel, CallsTheModelDoesNotKnowHaveNoEntry) {
  auto M = model(R"cpp(
    struct Door { void lock(); void unlock(); };
    namespace mine { struct mutex { void lock(); }; }
    void test() {
      work();
      Door door;
      door.lock();
      door.unlock();
      mine::mutex mm;
      mm.lock();
      std::vector<int> v;
      v.push_back(1);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(M.AST));
  for (const char *Callee : {"work", "unlock", "push_back"}) {
    ApiCall C = M.call(Callee);
    EXPECT_FALSE(C) << Callee;
    EXPECT_EQ(C.effect(), Effect::None) << Callee;
    EXPECT_EQ(C.kind(), ObjectKind::None) << Callee;
    EXPECT_EQ(C.Handle, nullptr) << Callee;
  }
  std::vector<const CallExpr *> Locks = M.callsTo("lock");
  ASSERT_EQ(Locks.size(), 2u);
  for (const CallExpr *Lock : Locks)
    EXPECT_FALSE(M.Api->call(Lock));
  EXPECT_EQ(M.kindOfVar("door"), ObjectKind::None);
  EXPECT_EQ(M.kindOfVar("mm"), ObjectKind::None);
}

TEST(ApiModel, CallsThroughPointersHaveNoEntry) {
  auto M = model(R"cpp(
    void test() {
      std::mutex m;
      void (std::mutex::*pm)() = &std::mutex::lock;
      (m.*pm)();
      int (*fp)(pthread_mutex_t *) = pthread_mutex_lock;
      pthread_mutex_t pmx;
      fp(&pmx);
    }
  )cpp");
  ASSERT_TRUE(compiledCleanly(M.AST));
  std::vector<const CallExpr *> Indirect = selectAll<CallExpr>(
      *M.AST, callExpr(unless(callee(functionDecl())),
                       hasAncestor(functionDecl(hasName("test")))));
  ASSERT_EQ(Indirect.size(), 2u);
  for (const CallExpr *Call : Indirect) {
    EXPECT_EQ(Call->getDirectCallee(), nullptr);
    EXPECT_FALSE(M.Api->call(Call));
  }
}

} // namespace
} // namespace clang::tidy::taskleak::test
