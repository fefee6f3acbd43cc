//===--- ArrivalCount.cpp - Expected count against arrivals ---------------===//
#include "taskleak/ArrivalCount.h"
#include "taskleak/LoopTermination.h"
#include "taskleak/Names.h"
#include "taskleak/ObligationModel.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::taskleak {

namespace {
enum class CounterKind { Latch, Barrier, WaitGroup };

const char *nameOf(CounterKind K) {
  switch (K) {
  case CounterKind::Latch: return "latch";
  case CounterKind::Barrier: return "barrier";
  case CounterKind::WaitGroup: return "wait group";
  }
  return "counter";
}

/// `std::ref(x)`, `&x`, `x`: the counter an argument passes.
const ValueDecl *counterOf(const Expr *E) {
  E = ignoreWrappers(E);
  if (const auto *Call = dyn_cast_or_null<CallExpr>(E))
    if (const FunctionDecl *FD = Call->getDirectCallee())
      if (FD->getDeclName().isIdentifier() &&
          (FD->getName() == "ref" || FD->getName() == "cref") &&
          Call->getNumArgs() == 1)
        E = Call->getArg(0);
  return obligationHandleOf(E);
}

std::optional<long long> constantInt(const Expr *E, const ASTContext &Ctx) {
  Expr::EvalResult R;
  if (E && !E->isValueDependent() && E->EvaluateAsInt(R, Ctx))
    return R.Val.getInt().getSExtValue();
  return std::nullopt;
}

class ArrivalCounter {
public:
  ArrivalCounter(ASTContext &Ctx, const SuiteConfig &Config, CounterKind K)
      : Ctx(Ctx), Config(Config), K(K) {}

  bool Unknown = false;

  /// Arrivals \p S makes on \p D; sets Unknown when they cannot be counted.
  long long count(const Stmt *S, const ValueDecl *D, unsigned Depth) {
    long long Total = 0;
    walk(S, D, 1, Depth, Total);
    return Total;
  }

  /// Arrivals of one call on D: count_down(n), arrive_and_wait(), Done().
  std::optional<long long> arrivalOf(const CallExpr *Call, const ValueDecl *D) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
    if (!MC || counterOf(MC->getImplicitObjectArgument()) != D)
      return std::nullopt;
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getDeclName().isIdentifier())
      return std::nullopt;
    llvm::StringRef Name = M->getName();
    switch (K) {
    case CounterKind::Latch:
      if (Name == "count_down" || Name == "arrive_and_wait") {
        if (Call->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(Call->getArg(0)))
          return 1;
        if (std::optional<long long> N = constantInt(Call->getArg(0), Ctx))
          return *N;
        Unknown = true;
        return 0;
      }
      return std::nullopt;
    case CounterKind::Barrier:
      if (Name == "arrive_and_wait" || Name == "arrive_and_drop" ||
          Name == "arrive")
        return 1;
      return std::nullopt;
    case CounterKind::WaitGroup:
      if (Name == "Done" || Name == "done")
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
        if (counterOf(Call->getArg(I)) != D)
          continue;
        const FunctionDecl *Def = followableCallee(Call, SM);
        unsigned First = isa<CXXOperatorCallExpr>(Call) &&
                                 isa_and_nonnull<CXXMethodDecl>(Call->getDirectCallee())
                             ? 1
                             : 0;
        if (!Def || I < First || I - First >= Def->getNumParams() ||
            Depth >= TaskLoopAnalysis::MaxCallDepth) {
          // Handed to code we cannot count: a library call on it (wait())
          // makes no arrival; anything else is unknown.
          if (!Call->getDirectCallee() ||
              !SM.isInSystemHeader(Call->getDirectCallee()->getLocation()))
            Unknown = true;
          return;
        }
        Total += Mult * count(Def->getBody(), Def->getParamDecl(I - First),
                              Depth + 1);
        return;
      }
    }
    for (const Stmt *Child : S->children())
      walk(Child, D, Mult, Depth, Total);
  }

  ASTContext &Ctx;
  const SuiteConfig &Config;
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
  const auto *Cond = dyn_cast<BinaryOperator>(For->getCond()->IgnoreParenImpCasts());
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
        if (const auto *R = dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParenImpCasts()))
          if (R->getDecl() == Var)
            EarlyExit = true;
    if (const auto *B = dyn_cast<BinaryOperator>(S))
      if (B->isAssignmentOp())
        if (const auto *R = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts()))
          if (R->getDecl() == Var)
            EarlyExit = true;
    return !EarlyExit;
  });
  if (EarlyExit)
    return std::nullopt;
  long long N = 0;
  switch (Cond->getOpcode()) {
  case BO_LT: N = *To - *From; break;
  case BO_LE: N = *To - *From + 1; break;
  case BO_NE: N = *To - *From; break;
  default: return std::nullopt;
  }
  if (N < 0 || N > (1 << 20))
    return std::nullopt;
  return N;
}

/// Arrivals the tasks spawned in \p FD make on \p D, and the arrivals \p FD
/// makes itself, with the multiplier of enclosing constant loops.
static void countSpawner(const Stmt *S, const ValueDecl *D, long long Mult,
                         ArrivalCounter &Counter, CounterKind K,
                         const SuiteConfig &Config, ASTContext &Ctx,
                         long long &Direct, ArrivalMismatch &M,
                         bool &SawAddInTask, ArrivalMismatch &AddM) {
  if (!S || Counter.Unknown)
    return;
  if (const auto *E = dyn_cast<Expr>(S)) {
    if (std::optional<SpawnSite> Site = classifySpawn(E, Config)) {
      const FunctionDecl *Body = Site->Body.Function;
      const ValueDecl *InBody = nullptr;
      if (Site->Body.Lambda) {
        if (referencesDecl(Body->getBody(), D))
          InBody = D;
      } else if (const auto *Call = dyn_cast<CallExpr>(E)) {
        (void)Call;
      }
      // Passed as an argument: std::thread(worker, std::ref(latch)).
      if (!InBody) {
        llvm::ArrayRef<const Expr *> Args;
        llvm::SmallVector<const Expr *, 4> ArgList;
        if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
          for (const Expr *A : CE->arguments())
            ArgList.push_back(A);
        else if (const auto *Call = dyn_cast<CallExpr>(E))
          for (const Expr *A : Call->arguments())
            ArgList.push_back(A);
        unsigned CallableIndex = 0;
        for (unsigned I = 0; I < ArgList.size(); ++I)
          if (ArgList[I] == Site->Callable)
            CallableIndex = I;
        unsigned Offset = CallableIndex + 1;
        if (const auto *MD = dyn_cast<CXXMethodDecl>(Body);
            MD && MD->isInstance() && !Site->Body.Lambda &&
            MD->getOverloadedOperator() != OO_Call)
          ++Offset; // the object argument
        for (unsigned I = Offset; I < ArgList.size(); ++I)
          if (counterOf(ArgList[I]) == D) {
            unsigned P = I - Offset + (Site->BodyTakesStopToken ? 1 : 0);
            if (P < Body->getNumParams())
              InBody = Body->getParamDecl(P);
            else
              Counter.Unknown = true;
          }
      }
      if (InBody) {
        if (K == CounterKind::WaitGroup) {
          // Add() inside the task: Wait() may run first.
          forEachStmtInFunction(Body->getBody(), [&](const Stmt *N) {
            if (const auto *MC = dyn_cast<CXXMemberCallExpr>(N))
              if (const CXXMethodDecl *MD = MC->getMethodDecl())
                if (MD->getDeclName().isIdentifier() &&
                    MD->getName().lower() == "add" &&
                    counterOf(MC->getImplicitObjectArgument()) == InBody &&
                    !SawAddInTask) {
                  SawAddInTask = true;
                  AddM.Add = MC;
                  AddM.Spawn = E;
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
      countSpawner(Child, D, Mult * *Trips, Counter, K, Config, Ctx, Direct, M,
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
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      if (K == CounterKind::WaitGroup &&
          counterOf(MC->getImplicitObjectArgument()) == D)
        if (const CXXMethodDecl *MD = MC->getMethodDecl())
          if (MD->getDeclName().isIdentifier() &&
              MD->getName().lower() == "add") {
            std::optional<long long> N =
                MC->getNumArgs() ? constantInt(MC->getArg(0), Ctx)
                                 : std::optional<long long>(1);
            if (!N) {
              Counter.Unknown = true;
              return;
            }
            if (!M.ExpectedAt.isValid())
              M.ExpectedAt = MC->getBeginLoc();
            M.Expected += Mult * *N;
            return;
          }
    // The counter handed to code other than the library: unknown.
    for (const Expr *Arg : Call->arguments())
      if (counterOf(Arg) == D) {
        const FunctionDecl *Callee = Call->getDirectCallee();
        if (!Callee || !Ctx.getSourceManager().isInSystemHeader(
                           Callee->getLocation()))
          Counter.Unknown = true;
        return;
      }
  }
  for (const Stmt *Child : S->children())
    countSpawner(Child, D, Mult, Counter, K, Config, Ctx, Direct, M,
                 SawAddInTask, AddM);
}

std::vector<ArrivalMismatch> findArrivalMismatches(const FunctionDecl *FD,
                                                   ASTContext &Ctx,
                                                   const SuiteConfig &Config) {
  std::vector<ArrivalMismatch> Result;
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return Result;
  static const llvm::StringRef Latches[] = {"std::latch"};
  static const llvm::StringRef Barriers[] = {"std::barrier"};
  llvm::SmallVector<Counter, 2> Counters;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          if (!VD->hasLocalStorage() || VD->getType()->isReferenceType())
            continue;
          const CXXRecordDecl *RD = recordOf(VD->getType());
          if (hasAnyQualifiedName(RD, Latches))
            Counters.push_back({VD, CounterKind::Latch});
          else if (hasAnyQualifiedName(RD, Barriers))
            Counters.push_back({VD, CounterKind::Barrier});
          else if (isWaitGroupClass(RD, Config))
            Counters.push_back({VD, CounterKind::WaitGroup});
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
      std::optional<long long> N =
          Construct && Construct->getNumArgs() >= 1
              ? constantInt(Construct->getArg(0), Ctx)
              : std::nullopt;
      if (!N)
        continue;
      M.Expected = *N;
      M.ExpectedAt = C.Var->getLocation();
    }
    ArrivalCounter Counter(Ctx, Config, C.Kind);
    long long Direct = 0;
    bool SawAddInTask = false;
    ArrivalMismatch AddM;
    countSpawner(FD->getBody(), C.Var, 1, Counter, C.Kind, Config, Ctx, Direct,
                 M, SawAddInTask, AddM);
    if (SawAddInTask) {
      AddM.K = ArrivalMismatch::AddInsideTask;
      AddM.Counter = C.Var;
      AddM.What = M.What;
      forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
          if (const CXXMethodDecl *MD = MC->getMethodDecl())
            if (MD->getDeclName().isIdentifier() &&
                MD->getName().lower() == "wait" &&
                counterOf(MC->getImplicitObjectArgument()) == C.Var)
              AddM.Wait = MC;
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
