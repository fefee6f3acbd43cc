//===--- ArrivalCount.cpp - Expected count against arrivals ---------------===//
#include "taskleak/ArrivalCount.h"
#include "taskleak/HandleRef.h"
#include "taskleak/LoopTermination.h"
#include "taskleak/Names.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::taskleak {

namespace {
enum class CounterKind { Latch, Barrier, WaitGroup };

const char *nameOf(CounterKind K) {
  switch (K) {
  case CounterKind::Latch:
    return "latch";
  case CounterKind::Barrier:
    return "barrier";
  case CounterKind::WaitGroup:
    return "wait group";
  }
  return "counter";
}

/// `std::ref(x)`, `&x`, `x`: the counter (a local or parameter) an
/// expression names.
const ValueDecl *counterOf(const Expr *E, ApiModel &Api) {
  std::optional<HandleRef> H = E ? resolveHandle(E, Api) : std::nullopt;
  return H && H->Path.empty() ? H->Root : nullptr;
}

/// Calls followed into helpers before the count is given up as unknown.
constexpr unsigned MaxHelperDepth = 8;

std::optional<long long> constantInt(const Expr *E, const ASTContext &Ctx) {
  Expr::EvalResult R;
  if (E && !E->isValueDependent() && E->EvaluateAsInt(R, Ctx))
    return R.Val.getInt().getSExtValue();
  return std::nullopt;
}

class ArrivalCounter {
public:
  ArrivalCounter(ASTContext &Ctx, ApiModel &Api, CounterKind K)
      : Ctx(Ctx), Api(Api), K(K) {}

  bool Unknown = false;

  /// Arrivals \p S makes on \p D; sets Unknown when they cannot be counted.
  long long count(const Stmt *S, const ValueDecl *D, unsigned Depth) {
    long long Total = 0;
    walk(S, D, 1, Depth, Total);
    return Total;
  }

  /// Arrivals of one call on D: count_down(n), arrive_and_wait(), Done().
  std::optional<long long> arrivalOf(const CallExpr *Call, const ValueDecl *D) {
    const ApiCall &A = Api.call(Call);
    if (!A.Handle || counterOf(A.Handle, Api) != D)
      return std::nullopt;
    Effect E = A.effect();
    switch (K) {
    case CounterKind::Latch:
      if (E == Effect::CountDown || E == Effect::ArriveAndWait) {
        if (Call->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(Call->getArg(0)))
          return 1;
        if (std::optional<long long> N = constantInt(Call->getArg(0), Ctx))
          return *N;
        Unknown = true;
        return 0;
      }
      return std::nullopt;
    case CounterKind::Barrier:
      if (E == Effect::Arrive || E == Effect::ArriveAndWait ||
          E == Effect::ArriveAndDrop)
        return 1;
      return std::nullopt;
    case CounterKind::WaitGroup:
      if (E == Effect::CountDown)
        return 1;
      return std::nullopt;
    }
    return std::nullopt;
  }

private:
  void walk(const Stmt *S, const ValueDecl *D, long long Mult, unsigned Depth,
            long long &Total) {
    if (!S || Unknown)
      return;
    if (isa<LambdaExpr>(S)) {
      // A lambda that reaches the counter may run any number of times.
      if (referencesDecl(S, D))
        Unknown = true;
      return;
    }
    if (isa<WhileStmt>(S) || isa<DoStmt>(S) || isa<ForStmt>(S) ||
        isa<CXXForRangeStmt>(S)) {
      if (!referencesDecl(S, D))
        return;
      std::optional<long long> Trips = constantTripCount(S, Ctx);
      if (!Trips) {
        Unknown = true;
        return;
      }
      for (const Stmt *Child : S->children())
        walk(Child, D, Mult * *Trips, Depth, Total);
      return;
    }
    if (isa<IfStmt>(S) || isa<SwitchStmt>(S) || isa<ConditionalOperator>(S) ||
        isa<CXXTryStmt>(S) || isa<BinaryConditionalOperator>(S) ||
        (isa<BinaryOperator>(S) && cast<BinaryOperator>(S)->isLogicalOp())) {
      // Arrivals on some paths only: missing-defer's finding, not a count.
      if (referencesDecl(S, D))
        Unknown = true;
      return;
    }
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      if (std::optional<long long> N = arrivalOf(Call, D)) {
        Total += Mult * *N;
        return;
      }
      const SourceManager &SM = Ctx.getSourceManager();
      for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
        if (counterOf(Call->getArg(I), Api) != D)
          continue;
        const FunctionDecl *Def = followableCallee(Call, SM);
        const ParmVarDecl *P = parameterFor(Call, I, Def);
        if (!Def || !P || Depth >= MaxHelperDepth) {
          // Handed to code we cannot count: a library call on it (wait())
          // makes no arrival; anything else is unknown.
          if (!Call->getDirectCallee() ||
              !SM.isInSystemHeader(Call->getDirectCallee()->getLocation()))
            Unknown = true;
          return;
        }
        Total += Mult * count(Def->getBody(), P, Depth + 1);
        return;
      }
    }
    for (const Stmt *Child : S->children())
      walk(Child, D, Mult, Depth, Total);
  }

  ASTContext &Ctx;
  ApiModel &Api;
  CounterKind K;
};

struct Counter {
  const VarDecl *Var;
  CounterKind Kind;
};
} // namespace

std::optional<long long> constantTripCount(const Stmt *Loop, ASTContext &Ctx) {
  const auto *For = dyn_cast<ForStmt>(Loop);
  if (!For || !For->getInit() || !For->getCond() || !For->getInc())
    return std::nullopt;
  const auto *Init = dyn_cast<DeclStmt>(For->getInit());
  if (!Init || !Init->isSingleDecl())
    return std::nullopt;
  const auto *Var = dyn_cast<VarDecl>(Init->getSingleDecl());
  if (!Var || !Var->getType()->isIntegerType())
    return std::nullopt;
  std::optional<long long> From = constantInt(Var->getInit(), Ctx);
  const auto *Cond =
      dyn_cast<BinaryOperator>(For->getCond()->IgnoreParenImpCasts());
  if (!From || !Cond)
    return std::nullopt;
  const auto *L = dyn_cast<DeclRefExpr>(Cond->getLHS()->IgnoreParenImpCasts());
  std::optional<long long> To = constantInt(Cond->getRHS(), Ctx);
  if (!L || L->getDecl() != Var || !To)
    return std::nullopt;
  // ++i, i++, i += 1
  const Expr *Inc = For->getInc()->IgnoreParenImpCasts();
  bool StepOne = false;
  if (const auto *U = dyn_cast<UnaryOperator>(Inc))
    StepOne = U->isIncrementOp();
  else if (const auto *C = dyn_cast<CompoundAssignOperator>(Inc))
    StepOne = C->getOpcode() == BO_AddAssign &&
              constantInt(C->getRHS(), Ctx) == std::optional<long long>(1);
  if (!StepOne)
    return std::nullopt;
  // An early exit makes the count a maximum, not a count.
  bool EarlyExit = false;
  forEachStmtInFunction(For->getBody(), [&](const Stmt *S) {
    if (isa<BreakStmt>(S) || isa<ReturnStmt>(S) || isa<GotoStmt>(S) ||
        isa<CXXThrowExpr>(S))
      EarlyExit = true;
    // A nested loop's or switch's own break is fine, but we do not track
    // nesting here: stay conservative.
    return !EarlyExit;
  });
  // The loop variable written in the body: not a simple count.
  forEachStmtInFunction(For->getBody(), [&](const Stmt *S) {
    if (const auto *U = dyn_cast<UnaryOperator>(S))
      if (U->isIncrementDecrementOp())
        if (const auto *R =
                dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParenImpCasts()))
          if (R->getDecl() == Var)
            EarlyExit = true;
    if (const auto *B = dyn_cast<BinaryOperator>(S))
      if (B->isAssignmentOp())
        if (const auto *R =
                dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts()))
          if (R->getDecl() == Var)
            EarlyExit = true;
    return !EarlyExit;
  });
  if (EarlyExit)
    return std::nullopt;
  long long N = 0;
  switch (Cond->getOpcode()) {
  case BO_LT:
    N = *To - *From;
    break;
  case BO_LE:
    N = *To - *From + 1;
    break;
  case BO_NE:
    N = *To - *From;
    break;
  default:
    return std::nullopt;
  }
  if (N < 0 || N > (1 << 20))
    return std::nullopt;
  return N;
}

namespace {
/// What one walk of the spawner's statements accumulates for one counter.
struct SpawnerWalk {
  SpawnerWalk(const ValueDecl *D, CounterKind K, ArrivalCounter &Counter,
              ApiModel &Api, ASTContext &Ctx)
      : D(D), K(K), Counter(Counter), Api(Api), Ctx(Ctx) {}
  const ValueDecl *D;
  CounterKind K;
  ArrivalCounter &Counter;
  ApiModel &Api;
  ASTContext &Ctx;
  /// Arrivals the spawner makes itself, and the last such call.
  long long Direct = 0;
  const CallExpr *DirectArrival = nullptr;
  /// Tasks started, whether or not they reach the counter; those that do.
  long long Spawns = 0;
  const Expr *FirstSpawn = nullptr;
  bool TaskReachesCounter = false;
  /// A wait inside the spawn loop that runs before the group is complete.
  std::optional<ArrivalMismatch> EarlyWait;
};
} // namespace

static void countSpawner(const Stmt *S, long long Mult, SpawnerWalk &W,
                         ArrivalMismatch &M);

/// Arrivals of one task on the counter, per task; notes an Add() inside it.
static void countTask(const Expr *SpawnExpr, const SpawnSite &Site,
                      long long Mult, SpawnerWalk &W, ArrivalMismatch &M) {
  const FunctionDecl *Body = Site.Body.Function;
  ++W.Spawns;
  if (!W.FirstSpawn)
    W.FirstSpawn = SpawnExpr;
  const ValueDecl *InBody = nullptr;
  // A lambda names the spawner's counter itself (captured).
  if (Site.Body.Lambda && referencesDecl(Body->getBody(), W.D))
    InBody = W.D;
  // Passed as an argument: std::thread(worker, std::ref(latch)).
  for (const SpawnBinding &B : Site.Bindings)
    if (!InBody && counterOf(B.Arg, W.Api) == W.D) {
      InBody = B.Param;
      if (!InBody)
        W.Counter.Unknown = true;
    }
  if (!InBody)
    return;
  W.TaskReachesCounter = true;
  long long PerTask = W.Counter.count(Body->getBody(), InBody, 1);
  if (W.K == CounterKind::Barrier)
    PerTask = PerTask > 0 ? 1 : 0;
  if (PerTask > 0)
    M.Contributions.push_back({SpawnExpr, Mult, PerTask});
}

/// The counter's wait a loop body runs as one of its own statements (not
/// under a branch), and the statements before it.
static const CallExpr *
waitInLoopBody(const Stmt *Body, SpawnerWalk &W,
               llvm::SmallVectorImpl<const Stmt *> &Before) {
  const auto *CS = dyn_cast_or_null<CompoundStmt>(Body);
  if (!CS)
    return nullptr;
  for (const Stmt *S : CS->body()) {
    if (const auto *E = dyn_cast<Expr>(S))
      if (const auto *Call = dyn_cast<CallExpr>(E->IgnoreImplicit())) {
        const ApiCall &A = W.Api.call(Call);
        if ((A.effect() == Effect::WaitCount ||
             A.effect() == Effect::ArriveAndWait) &&
            A.Handle && counterOf(A.Handle, W.Api) == W.D)
          return Call;
      }
    Before.push_back(S);
  }
  return nullptr;
}

/// A loop that spawns the group and waits for it in the same iteration:
/// the first wait needs the whole count while only the tasks of the first
/// iteration exist, so the loop never gets to spawn the rest.
static void checkWaitInSpawnLoop(const Stmt *Loop, long long Mult,
                                 SpawnerWalk &W, const ArrivalMismatch &M) {
  if (Mult != 1 || W.EarlyWait)
    return;
  const Stmt *Body = nullptr;
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    Body = F->getBody();
  else if (const auto *Wh = dyn_cast<WhileStmt>(Loop))
    Body = Wh->getBody();
  else if (const auto *Do = dyn_cast<DoStmt>(Loop))
    Body = Do->getBody();
  else if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop))
    Body = R->getBody();
  llvm::SmallVector<const Stmt *, 4> Before;
  const CallExpr *Wait = waitInLoopBody(Body, W, Before);
  if (!Wait)
    return;
  // The first iteration up to the wait, counted on its own.
  SpawnerWalk First(W.D, W.K, W.Counter, W.Api, W.Ctx);
  ArrivalMismatch FirstM;
  for (const Stmt *S : Before)
    countSpawner(S, 1, First, FirstM);
  if (W.Counter.Unknown || FirstM.Contributions.empty())
    return;
  long long Own = 0;
  if (std::optional<long long> N = W.Counter.arrivalOf(Wait, W.D))
    Own = *N;
  long long Needed = M.Expected + FirstM.Expected;
  long long Available = 0;
  if (W.K == CounterKind::Barrier) {
    // One arrival per participant in a phase.
    Available = (W.Direct > 0 || First.Direct > 0 || Own > 0) ? 1 : 0;
    for (const auto &C : M.Contributions)
      Available += C.Tasks;
    for (const auto &C : FirstM.Contributions)
      Available += C.Tasks;
  } else {
    Available = W.Direct + First.Direct + Own;
    for (const auto &C : M.Contributions)
      Available += C.Tasks * C.PerTask;
    for (const auto &C : FirstM.Contributions)
      Available += C.Tasks * C.PerTask;
  }
  if (Available >= Needed)
    return;
  ArrivalMismatch E;
  E.K = ArrivalMismatch::WaitInsideSpawnLoop;
  E.Expected = Needed;
  E.Arrivals = Available;
  E.Wait = Wait;
  E.Contributions = FirstM.Contributions;
  W.EarlyWait = std::move(E);
}

/// Arrivals the tasks spawned in the spawner make on the counter, and the
/// arrivals the spawner makes itself, with the multiplier of enclosing
/// constant loops.
static void countSpawner(const Stmt *S, long long Mult, SpawnerWalk &W,
                         ArrivalMismatch &M) {
  ArrivalCounter &Counter = W.Counter;
  const ValueDecl *D = W.D;
  ApiModel &Api = W.Api;
  ASTContext &Ctx = W.Ctx;
  if (!S || Counter.Unknown)
    return;
  if (const auto *E = dyn_cast<Expr>(S)) {
    if (std::optional<SpawnSite> Site = classifySpawn(E, Api)) {
      if (Site->Body.Function)
        countTask(E, *Site, Mult, W, M);
      // Whatever else the spawn expression holds (arguments) is not ours.
      return;
    }
  }
  if (isa<LambdaExpr>(S)) {
    if (referencesDecl(S, D))
      Counter.Unknown = true;
    return;
  }
  if (isa<WhileStmt>(S) || isa<DoStmt>(S) || isa<ForStmt>(S) ||
      isa<CXXForRangeStmt>(S)) {
    if (!referencesDecl(S, D))
      return;
    std::optional<long long> Trips = constantTripCount(S, Ctx);
    if (!Trips) {
      Counter.Unknown = true;
      return;
    }
    checkWaitInSpawnLoop(S, Mult, W, M);
    for (const Stmt *Child : S->children())
      countSpawner(Child, Mult * *Trips, W, M);
    return;
  }
  if (isa<IfStmt>(S) || isa<SwitchStmt>(S) || isa<CXXTryStmt>(S) ||
      isa<ConditionalOperator>(S)) {
    if (referencesDecl(S, D))
      Counter.Unknown = true;
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    if (std::optional<long long> N = Counter.arrivalOf(Call, D)) {
      W.Direct += Mult * *N;
      if (*N > 0)
        W.DirectArrival = Call;
      return;
    }
    // Add(n) of a wait group sets the expected count.
    const ApiCall &A = Api.call(Call);
    if (W.K == CounterKind::WaitGroup && A.effect() == Effect::AddCount &&
        A.Handle && counterOf(A.Handle, Api) == D) {
      std::optional<long long> N = Call->getNumArgs()
                                       ? constantInt(Call->getArg(0), Ctx)
                                       : std::optional<long long>(1);
      if (!N) {
        Counter.Unknown = true;
        return;
      }
      if (!M.ExpectedAt.isValid())
        M.ExpectedAt = Call->getBeginLoc();
      M.Expected += Mult * *N;
      return;
    }
    // The counter handed to code other than the library: unknown.
    for (const Expr *Arg : Call->arguments())
      if (counterOf(Arg, Api) == D) {
        const FunctionDecl *Callee = Call->getDirectCallee();
        if (!Callee ||
            !Ctx.getSourceManager().isInSystemHeader(Callee->getLocation()))
          Counter.Unknown = true;
        return;
      }
  }
  for (const Stmt *Child : S->children())
    countSpawner(Child, Mult, W, M);
}

/// True when every mention of \p D in \p FD (capture initialisers
/// included) is the object of a library call on it: nothing else can reach
/// it.
static bool onlyCalledOn(const FunctionDecl *FD, const ValueDecl *D,
                         ApiModel &Api) {
  unsigned Mentions = 0, AsReceiver = 0;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      Mentions += DRE->getDecl() == D;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const ApiCall &A = Api.call(Call);
      if (A && A.Handle)
        if (const auto *DRE = dyn_cast<DeclRefExpr>(ignoreWrappers(A.Handle)))
          AsReceiver += DRE->getDecl() == D;
    }
    return true;
  });
  return Mentions == AsReceiver;
}

/// The handle \p H, named in the task body of \p Site, in the spawner's
/// terms: a lambda names the spawner's variables; a parameter is its
/// argument; a member of the object a member function runs on is that
/// member of the object.
static std::optional<HandleRef>
handleInSpawner(const HandleRef &H, const SpawnSite &Site, ApiModel &Api) {
  bool Param = H.Root && isa<ParmVarDecl>(H.Root);
  if (Site.Body.Lambda && !Param)
    return H; // the spawner's variable, or its `this`
  if (H.Root && !Param)
    return H.Root->getDeclContext()->isFunctionOrMethod()
               ? std::nullopt
               : std::optional<HandleRef>(H); // a global
  for (const SpawnBinding &B : Site.Bindings) {
    if (H.Root ? B.Param != H.Root : B.Param != nullptr)
      continue;
    std::optional<HandleRef> Base = resolveHandle(B.Arg, Api);
    if (!Base)
      return std::nullopt;
    Base->Path.append(H.Path.begin(), H.Path.end());
    return Base;
  }
  return std::nullopt;
}

/// Add() calls on a WaitGroup-style counter that the task started at
/// \p Site makes, in its body or in any function of this TU it calls, each
/// with the counter's handle in the spawner's terms.
static void
addsInTask(const SpawnSite &Site, ApiModel &Api, CallGraphIndex &Calls,
           llvm::SmallVectorImpl<std::pair<const CallExpr *, HandleRef>> &Out) {
  const SourceManager &SM = Calls.sourceManager();
  for (const CallGraphIndex::Reached &R :
       Calls.reachableFrom(Site.Body.Function))
    forEachStmtInFunction(R.Function->getBody(), [&](const Stmt *S) {
      const auto *Call = dyn_cast<CallExpr>(S);
      if (!Call)
        return true;
      const ApiCall &A = Api.call(Call);
      if (A.effect() != Effect::AddCount || !A.Handle)
        return true;
      std::optional<HandleRef> H = resolveHandle(A.Handle, Api);
      // Up the chain of calls to the task body, then to the spawner.
      for (size_t I = R.Chain.size(); H && I-- > 0;) {
        const FunctionDecl *Callee = followableCallee(R.Chain[I], SM);
        H = Callee ? handleInCaller(*H, R.Chain[I], Callee, Api) : std::nullopt;
      }
      if (H)
        H = handleInSpawner(*H, Site, Api);
      if (H)
        Out.push_back({Call, *H});
      return true;
    });
}

/// WaitGroup-style Add() inside a task the function spawns, on a counter
/// the function itself waits on or declares.
static void findAddsInsideTasks(const FunctionDecl *FD, ApiModel &Api,
                                CallGraphIndex &Calls,
                                std::vector<ArrivalMismatch> &Result) {
  // The wait groups this function waits on, and its local ones.
  llvm::SmallVector<std::pair<HandleRef, const CallExpr *>, 2> Groups;
  llvm::SmallVector<std::pair<const Expr *, SpawnSite>, 2> Sites;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (VD->hasLocalStorage() && !VD->getType()->isReferenceType() &&
              Api.kindOf(VD->getType()) == ObjectKind::WaitGroup) {
            HandleRef H;
            H.Root = VD;
            Groups.push_back({H, nullptr});
          }
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const ApiCall &A = Api.call(Call);
      if (A.effect() == Effect::WaitCount &&
          A.kind() == ObjectKind::WaitGroup && A.Handle)
        if (std::optional<HandleRef> H = resolveHandle(A.Handle, Api)) {
          auto It = llvm::find_if(Groups,
                                  [&](const auto &G) { return G.first == *H; });
          if (It == Groups.end())
            Groups.push_back({*H, Call});
          else if (!It->second)
            It->second = Call;
        }
    }
    return true;
  });
  if (Groups.empty())
    return;
  // Only then the spawn sites (most functions have no wait group).
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *E = dyn_cast<Expr>(S))
      if (std::optional<SpawnSite> Site = classifySpawn(E, Api)) {
        if (Site->Body.Function)
          Sites.push_back({E, *Site});
        return false;
      }
    return true;
  });
  for (const auto &SiteEntry : Sites) {
    llvm::SmallVector<std::pair<const CallExpr *, HandleRef>, 2> Adds;
    addsInTask(SiteEntry.second, Api, Calls, Adds);
    for (const auto &AddEntry : Adds)
      for (const auto &Group : Groups) {
        const CallExpr *Add = AddEntry.first;
        if (Group.first != AddEntry.second)
          continue;
        // A member wait group counts only when this function waits on it:
        // otherwise we do not know which runs first.
        if (!Group.first.Root && !Group.second)
          continue;
        if (llvm::any_of(Result, [Add](const ArrivalMismatch &M) {
              return M.Add == Add;
            }))
          continue;
        ArrivalMismatch M;
        M.K = ArrivalMismatch::AddInsideTask;
        M.Counter = Group.first.leaf();
        M.What = "wait group";
        M.Add = Add;
        M.Spawn = SiteEntry.first;
        M.Wait = Group.second;
        Result.push_back(M);
      }
  }
}

std::vector<ArrivalMismatch> findArrivalMismatches(const FunctionDecl *FD,
                                                   ASTContext &Ctx,
                                                   ApiModel &Api,
                                                   CallGraphIndex &Calls) {
  std::vector<ArrivalMismatch> Result;
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return Result;
  findAddsInsideTasks(FD, Api, Calls, Result);
  llvm::SmallVector<Counter, 2> Counters;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          if (!VD->hasLocalStorage() || VD->getType()->isReferenceType())
            continue;
          switch (Api.kindOf(VD->getType())) {
          case ObjectKind::Latch:
            Counters.push_back({VD, CounterKind::Latch});
            break;
          case ObjectKind::Barrier:
            Counters.push_back({VD, CounterKind::Barrier});
            break;
          case ObjectKind::WaitGroup:
            Counters.push_back({VD, CounterKind::WaitGroup});
            break;
          default:
            break;
          }
        }
    return true;
  });
  for (const Counter &C : Counters) {
    ArrivalMismatch M;
    M.Counter = C.Var;
    M.What = nameOf(C.Kind);
    if (C.Kind != CounterKind::WaitGroup) {
      const auto *Construct =
          dyn_cast_or_null<CXXConstructExpr>(ignoreWrappers(C.Var->getInit()));
      std::optional<long long> N = Construct && Construct->getNumArgs() >= 1
                                       ? constantInt(Construct->getArg(0), Ctx)
                                       : std::nullopt;
      if (!N)
        continue;
      M.Expected = *N;
      M.ExpectedAt = C.Var->getLocation();
    }
    ArrivalCounter Counter(Ctx, Api, C.Kind);
    SpawnerWalk W(C.Var, C.Kind, Counter, Api, Ctx);
    countSpawner(FD->getBody(), 1, W, M);
    // Add() inside a task: findAddsInsideTasks' finding; no count is
    // meaningful then.
    if (llvm::any_of(Result, [&](const ArrivalMismatch &A) {
          return A.K == ArrivalMismatch::AddInsideTask && A.Counter == C.Var;
        }))
      continue;
    if (Counter.Unknown)
      continue;
    if (W.EarlyWait) {
      W.EarlyWait->Counter = C.Var;
      W.EarlyWait->What = M.What;
      W.EarlyWait->ExpectedAt = M.ExpectedAt;
      Result.push_back(*W.EarlyWait);
    }
    if (C.Kind == CounterKind::WaitGroup && !M.ExpectedAt.isValid())
      continue; // no Add() here: someone else sets the count
    long long Arrivals = W.Direct;
    if (C.Kind == CounterKind::Barrier)
      Arrivals = W.Direct > 0 ? 1 : 0;
    if (M.Contributions.empty()) {
      // No task arrives, yet the spawner starts tasks and arrives itself on
      // a counter nothing else can reach: the tasks were the participants
      // it expects.
      if (!W.Spawns || W.TaskReachesCounter || !W.DirectArrival ||
          !onlyCalledOn(FD, C.Var, Api) || Arrivals >= M.Expected)
        continue;
      M.DirectArrival = W.DirectArrival;
      M.Spawn = W.FirstSpawn;
    }
    for (const auto &Contribution : M.Contributions)
      Arrivals += Contribution.Tasks * Contribution.PerTask;
    if (Arrivals == M.Expected)
      continue;
    M.Arrivals = Arrivals;
    Result.push_back(M);
  }
  return Result;
}

} // namespace clang::tidy::taskleak
