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

/// Arrivals the tasks spawned in \p FD make on \p D, and the arrivals \p FD
/// makes itself, with the multiplier of enclosing constant loops.
static void countSpawner(const Stmt *S, const ValueDecl *D, long long Mult,
                         ArrivalCounter &Counter, CounterKind K, ApiModel &Api,
                         ASTContext &Ctx, long long &Direct, ArrivalMismatch &M,
                         bool &SawAddInTask, ArrivalMismatch &AddM) {
  if (!S || Counter.Unknown)
    return;
  if (const auto *E = dyn_cast<Expr>(S)) {
    if (std::optional<SpawnSite> Site = classifySpawn(E, Api)) {
      const FunctionDecl *Body = Site->Body.Function;
      const ValueDecl *InBody = nullptr;
      // A lambda names the spawner's counter itself (captured).
      if (Site->Body.Lambda && referencesDecl(Body->getBody(), D))
        InBody = D;
      // Passed as an argument: std::thread(worker, std::ref(latch)).
      for (const SpawnBinding &B : Site->Bindings)
        if (!InBody && counterOf(B.Arg, Api) == D) {
          InBody = B.Param;
          if (!InBody)
            Counter.Unknown = true;
        }
      if (InBody) {
        if (K == CounterKind::WaitGroup) {
          // Add() inside the task: Wait() may run first.
          forEachStmtInFunction(Body->getBody(), [&](const Stmt *N) {
            if (const auto *Call = dyn_cast<CallExpr>(N)) {
              const ApiCall &A = Api.call(Call);
              if (A.effect() == Effect::AddCount && A.Handle &&
                  counterOf(A.Handle, Api) == InBody) {
                SawAddInTask = true;
                AddM.Add = Call;
                AddM.Spawn = E;
              }
            }
            return !SawAddInTask;
          });
        }
        long long PerTask = Counter.count(Body->getBody(), InBody, 1);
        if (K == CounterKind::Barrier)
          PerTask = PerTask > 0 ? 1 : 0;
        if (PerTask > 0)
          M.Contributions.push_back({E, Mult, PerTask});
      }
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
    for (const Stmt *Child : S->children())
      countSpawner(Child, D, Mult * *Trips, Counter, K, Api, Ctx, Direct, M,
                   SawAddInTask, AddM);
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
      Direct += Mult * *N;
      return;
    }
    // Add(n) of a wait group sets the expected count.
    const ApiCall &A = Api.call(Call);
    if (K == CounterKind::WaitGroup && A.effect() == Effect::AddCount &&
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
    countSpawner(Child, D, Mult, Counter, K, Api, Ctx, Direct, M, SawAddInTask,
                 AddM);
}

std::vector<ArrivalMismatch>
findArrivalMismatches(const FunctionDecl *FD, ASTContext &Ctx, ApiModel &Api) {
  std::vector<ArrivalMismatch> Result;
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return Result;
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
    long long Direct = 0;
    bool SawAddInTask = false;
    ArrivalMismatch AddM;
    countSpawner(FD->getBody(), C.Var, 1, Counter, C.Kind, Api, Ctx, Direct, M,
                 SawAddInTask, AddM);
    if (SawAddInTask) {
      AddM.K = ArrivalMismatch::AddInsideTask;
      AddM.Counter = C.Var;
      AddM.What = M.What;
      forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
        if (const auto *Call = dyn_cast<CallExpr>(S)) {
          const ApiCall &A = Api.call(Call);
          if (A.effect() == Effect::WaitCount && A.Handle &&
              counterOf(A.Handle, Api) == C.Var)
            AddM.Wait = Call;
        }
        return !AddM.Wait;
      });
      Result.push_back(AddM);
      continue;
    }
    if (Counter.Unknown || M.Contributions.empty())
      continue;
    long long Arrivals = Direct;
    if (C.Kind == CounterKind::Barrier)
      Arrivals = Direct > 0 ? 1 : 0;
    for (const auto &Contribution : M.Contributions)
      Arrivals += Contribution.Tasks * Contribution.PerTask;
    if (C.Kind == CounterKind::WaitGroup && !M.ExpectedAt.isValid())
      continue; // no Add() here: someone else sets the count
    if (Arrivals == M.Expected)
      continue;
    M.Arrivals = Arrivals;
    Result.push_back(M);
  }
  return Result;
}

} // namespace clang::tidy::taskleak
