//===--- PathSearch.cpp - Questions about paths, asked of the CFG ---------===//
#include "taskleak/PathSearch.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <map>
#include <vector>

namespace clang::tidy::taskleak {

/// States one search may visit before it gives up with "no path".
static constexpr unsigned StateBudget = 50000;

const CFG *PathSearch::cfgOf(const FunctionDecl *FD) {
  auto It = Cfgs.find(FD);
  if (It != Cfgs.end())
    return It->second.get();
  CFG::BuildOptions Options;
  Options.AddImplicitDtors = true;
  Options.AddTemporaryDtors = true;
  // Calls inside a try block get edges to its handlers, so a handler that
  // swallows the exception is a path; the edges from calls straight to the
  // exit (an exception leaving the function) are ignored by the search.
  Options.AddEHEdges = true;
  std::unique_ptr<CFG> Cfg =
      FD->getBody() && !FD->isDependentContext()
          ? CFG::buildCFG(FD, FD->getBody(), &Ctx, Options)
          : nullptr;
  const CFG *Result = Cfg.get();
  Cfgs[FD] = std::move(Cfg);
  return Result;
}

//===--- Branch correlation -----------------------------------------------===//

/// Every use of \p VD under \p S is a read or the left side of an
/// assignment, and no lambda captures it by reference.
static void onlyReadsAndAssignments(const Stmt *S, const VarDecl *VD,
                                    bool &Ok) {
  if (!S || !Ok)
    return;
  if (const auto *ICE = dyn_cast<ImplicitCastExpr>(S))
    if (ICE->getCastKind() == CK_LValueToRValue)
      if (const auto *D =
              dyn_cast<DeclRefExpr>(ICE->getSubExpr()->IgnoreParens()))
        if (D->getDecl() == VD)
          return;
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    if (BO->isAssignmentOp())
      if (const auto *D = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens()))
        if (D->getDecl() == VD) {
          onlyReadsAndAssignments(BO->getRHS(), VD, Ok);
          return;
        }
  if (const auto *D = dyn_cast<DeclRefExpr>(S)) {
    if (D->getDecl() == VD)
      Ok = false; // address taken, bound to a reference, incremented, ...
    return;
  }
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && C.getCapturedVar() == VD &&
          C.getCaptureKind() == LCK_ByRef)
        Ok = false;
    // A by-copy capture reads the variable once; the body uses its copy.
    return;
  }
  for (const Stmt *Child : S->children())
    onlyReadsAndAssignments(Child, VD, Ok);
}

bool PathSearch::isTrackable(const VarDecl *VD, const FunctionDecl *FD) {
  auto It = Trackable.find(VD);
  if (It != Trackable.end())
    return It->second;
  bool Ok = VD->hasLocalStorage() && !VD->getType()->isReferenceType() &&
            !VD->getType().isVolatileQualified() &&
            (VD->getType()->isIntegralOrEnumerationType() ||
             VD->getType()->isBooleanType()) &&
            VD->getParentFunctionOrMethod() == FD;
  if (Ok)
    onlyReadsAndAssignments(FD->getBody(), VD, Ok);
  Trackable[VD] = Ok;
  return Ok;
}

/// When \p Cond is a truth test of a local (`c`, `!c`, `(c)`, `c == true`,
/// `c != 0`), that local; \p Polarity is the variable's truth when the
/// condition holds.
static const VarDecl *truthTest(const Expr *Cond, bool &Polarity,
                                const ASTContext &Ctx) {
  Polarity = true;
  for (int Steps = 0; Cond && Steps < 8; ++Steps) {
    Cond = Cond->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond)) {
      if (UO->getOpcode() != UO_LNot)
        return nullptr;
      Polarity = !Polarity;
      Cond = UO->getSubExpr();
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
      if (BO->getOpcode() != BO_EQ && BO->getOpcode() != BO_NE)
        return nullptr;
      const Expr *Side = BO->getLHS(), *Other = BO->getRHS();
      Expr::EvalResult R;
      if (!Other->EvaluateAsInt(R, Ctx)) {
        std::swap(Side, Other);
        if (!Other->EvaluateAsInt(R, Ctx))
          return nullptr;
      }
      const llvm::APSInt &V = R.Val.getInt();
      bool IsBool = Side->IgnoreParenImpCasts()->getType()->isBooleanType();
      bool TestsTrue;
      if (V == 0)
        TestsTrue = false;
      else if (V == 1 && IsBool)
        TestsTrue = true;
      else
        return nullptr; // `n == 3` says more than truth
      if ((BO->getOpcode() == BO_EQ) != TestsTrue)
        Polarity = !Polarity;
      Cond = Side;
      continue;
    }
    if (const auto *D = dyn_cast<DeclRefExpr>(Cond))
      return dyn_cast<VarDecl>(D->getDecl());
    return nullptr;
  }
  return nullptr;
}

/// The local a statement assigns, if it is an assignment.
static const VarDecl *assignedVar(const Stmt *S) {
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    if (BO->isAssignmentOp())
      if (const auto *D = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens()))
        return dyn_cast<VarDecl>(D->getDecl());
  return nullptr;
}

/// The truth of \p E when it is an integer or bool constant.
static std::optional<bool> constantTruth(const Expr *E,
                                         const ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  if (!E->getType()->isIntegralOrEnumerationType())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return R.Val.getInt() != 0;
}

/// The local \p S gives a constant value (`v = true;`, `bool v = false;`),
/// and that value's truth.
static const VarDecl *constantWrite(const Stmt *S, bool &Truth,
                                    const ASTContext &Ctx) {
  const VarDecl *VD = nullptr;
  const Expr *Value = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() != BO_Assign)
      return nullptr;
    VD = assignedVar(BO);
    Value = BO->getRHS();
  } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    if (!DS->isSingleDecl())
      return nullptr;
    VD = dyn_cast<VarDecl>(DS->getSingleDecl());
    Value = VD ? VD->getInit() : nullptr;
  }
  std::optional<bool> T = constantTruth(Value, Ctx);
  if (!VD || !T)
    return nullptr;
  Truth = *T;
  return VD;
}

//===--- The search -------------------------------------------------------===//

struct PathSearch::Search {
  PathSearch &Owner;
  const FunctionDecl *FD;
  const CFG &Cfg;
  Classifier Step;
  /// What is known of tracked locals on a path: (variable, truth), sorted.
  using Facts = llvm::SmallVector<std::pair<const VarDecl *, bool>, 2>;
  std::map<Facts, unsigned> FactIds;
  /// Searching for a target statement (reachesAvoiding and friends): a
  /// branch edge that meets the obligation ends the path whether or not
  /// anything is held.
  bool Seeking = false;

  struct State {
    const CFGBlock *Block;
    unsigned Index;
    bool Held;
    bool PendingTry;
    Facts Known;
    ExitWitness Last;
    bool HaveJump;
    /// For reachesAsOwnAcquire: whose the handle is on this path.
    unsigned char Phase;
  };
  /// The phases of reachesAsOwnAcquire.
  enum : unsigned char { Caller, Ours, Free, Dropped };

  unsigned idOf(const Facts &F) {
    auto It = FactIds.try_emplace(F, FactIds.size()).first;
    return It->second;
  }

  static void forget(Facts &F, const VarDecl *VD) {
    llvm::erase_if(F, [&](const auto &P) { return P.first == VD; });
  }
  static void learn(Facts &F, const VarDecl *VD, bool Truth) {
    forget(F, VD);
    F.push_back({VD, Truth});
    llvm::sort(F, [](const auto &A, const auto &B) {
      return std::less<const VarDecl *>()(A.first, B.first);
    });
  }
  static const bool *lookup(const Facts &F, const VarDecl *VD) {
    for (const auto &P : F)
      if (P.first == VD)
        return &P.second;
    return nullptr;
  }

  /// The successors a state at the end of \p B goes on to.
  void successors(const State &Cur, std::vector<State> &Work,
                  const Stmt *TryStartCall) {
    const CFGBlock *B = Cur.Block;
    const CFGBlock *Exit = &Cfg.getExit();
    State Base = Cur;
    Base.Index = 0;
    if (const Stmt *T = B->getTerminatorStmt()) {
      ExitWitness::Kind K;
      bool IsJump = true;
      if (isa<BreakStmt>(T))
        K = ExitWitness::Break;
      else if (isa<ContinueStmt>(T))
        K = ExitWitness::Continue;
      else if (isa<GotoStmt>(T) || isa<IndirectGotoStmt>(T))
        K = ExitWitness::Goto;
      else
        IsJump = false;
      if (IsJump && Base.Held) {
        Base.Last = {K, T, T->getBeginLoc()};
        Base.HaveJump = true;
      }
    }
    // A two-way branch on a local: correlate with what the path knows.
    const VarDecl *Tested = nullptr;
    bool Polarity = true;
    const auto *Cond = dyn_cast_or_null<Expr>(B->getTerminatorCondition());
    if (Cond && B->succ_size() == 2) {
      Tested = truthTest(Cond, Polarity, Owner.Ctx);
      if (Tested && !Owner.isTrackable(Tested, FD))
        Tested = nullptr;
    }
    // try_lock() as the branch condition: held on its success edge only.
    int TryBranch = -1;
    if (Base.PendingTry && Cond && B->succ_size() == 2 && TryStartCall) {
      const Expr *C = Cond->IgnoreParenImpCasts();
      if (C == TryStartCall)
        TryBranch = 0;
      else if (const auto *UO = dyn_cast<UnaryOperator>(C);
               UO && UO->getOpcode() == UO_LNot &&
               UO->getSubExpr()->IgnoreParenImpCasts() == TryStartCall)
        TryBranch = 1;
    }
    // With exception edges, a call that may throw ends its own block, whose
    // successors after the first are where an exception goes.
    bool ThrowingCallBlock = !B->getTerminatorStmt() && B->succ_size() >= 2;
    const Stmt *LastStmt = nullptr;
    for (const CFGElement &E : *B)
      if (auto CS = E.getAs<CFGStmt>())
        LastStmt = CS->getStmt();
    bool NoThrowCall = false;
    if (const auto *Call = dyn_cast_or_null<CallExpr>(LastStmt))
      if (const FunctionDecl *Callee = Call->getDirectCallee())
        if (const auto *Proto = Callee->getType()->getAs<FunctionProtoType>())
          NoThrowCall = Proto->isNothrow();
    bool TryDispatch = isa_and_nonnull<CXXTryStmt>(B->getTerminatorStmt());
    // A branch one of whose edges meets the obligation (the channel is
    // already closed there): a held path does not go on along it.
    int MetEdge = -1;
    if ((Base.Held || Seeking) && Cond && B->succ_size() == 2) {
      PathStep P = Step(Cond);
      if (P == PathStep::ReleaseWhenTrue)
        MetEdge = 0;
      else if (P == PathStep::ReleaseWhenFalse)
        MetEdge = 1;
    }
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      unsigned ThisIndex = Index++;
      const CFGBlock *S = Succ.getReachableBlock();
      if (!S)
        continue;
      // A [[noreturn]] call (abort, exit, std::terminate) ends the process
      // or the thread: nobody is left waiting.
      if (S == Exit && B->hasNoReturnElement())
        continue;
      bool ExceptionEdge = ThrowingCallBlock && ThisIndex > 0;
      // An exception leaving the function (straight from a call, or from a
      // try none of whose handlers matches) is not one of the exits the
      // checks are about; from a task body it ends the process.
      if (S == Exit && (ExceptionEdge || TryDispatch))
        continue;
      // A call declared noexcept does not throw (Clang's CFG gives every
      // member call an exception edge).
      if (ExceptionEdge && NoThrowCall)
        continue;
      if (static_cast<int>(ThisIndex) == MetEdge)
        continue;
      State Next = Base;
      Next.Block = S;
      // The acquire itself threw: nothing is held in the handler.
      if (ExceptionEdge && LastStmt && Next.Held) {
        PathStep P = Step(LastStmt);
        if (P == PathStep::Start || P == PathStep::TryStart) {
          Next.Held = false;
          Next.HaveJump = false;
        }
      }
      if (Tested) {
        bool Truth = (ThisIndex == 0) == Polarity;
        if (const bool *Known = lookup(Next.Known, Tested)) {
          if (*Known != Truth)
            continue; // this branch contradicts the earlier test
        } else {
          learn(Next.Known, Tested, Truth);
        }
      }
      if (TryBranch >= 0) {
        Next.PendingTry = false;
        if (static_cast<int>(ThisIndex) == TryBranch) {
          Next.Held = true;
          Next.HaveJump = false;
        }
      }
      Work.push_back(std::move(Next));
    }
  }

  /// Runs the search. With \p Target, answers whether some path reaches it
  /// (returned as a witness of kind FallOffEnd); otherwise whether a held
  /// obligation reaches the exit.
  /// With \p TakeBack (and a Target), answers whether some path reaches
  /// the Target in another phase than Dropped.
  std::optional<ExitWitness> run(bool HeldAtEntry, const Stmt *Target,
                                 bool TakeBack, bool &GaveUp) {
    GaveUp = false;
    Seeking = Target != nullptr;
    std::vector<State> Work;
    Work.push_back(
        {&Cfg.getEntry(), 0, HeldAtEntry, false, {}, {}, false, Caller});
    llvm::DenseSet<std::tuple<const CFGBlock *, unsigned, unsigned>> Visited;
    const CFGBlock *Exit = &Cfg.getExit();
    const Stmt *TryStartCall = nullptr;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody());
    while (!Work.empty()) {
      State Cur = std::move(Work.back());
      Work.pop_back();
      if (Cur.Block == Exit) {
        if (Target || !Cur.Held)
          continue;
        ExitWitness W = Cur.Last;
        if (!Cur.HaveJump) {
          W.K = ExitWitness::FallOffEnd;
          W.Exit = nullptr;
          W.Loc = Body ? Body->getRBracLoc() : FD->getEndLoc();
        }
        return W;
      }
      unsigned Key = (Cur.Held ? 1 : 0) | (Cur.PendingTry ? 2 : 0) |
                     (Cur.HaveJump ? 4 : 0) | (unsigned(Cur.Last.K) << 3) |
                     (unsigned(Cur.Phase) << 6);
      if (!Visited.insert({Cur.Block, Key, idOf(Cur.Known)}).second)
        continue;
      if (Visited.size() > StateBudget) {
        GaveUp = true;
        return std::nullopt;
      }
      if (const auto *Catch =
              dyn_cast_or_null<CXXCatchStmt>(Cur.Block->getLabel()))
        if (Cur.Held) {
          Cur.Last = {ExitWitness::CatchHandler, Catch, Catch->getBeginLoc()};
          Cur.HaveJump = true;
        }
      bool Stopped = false;
      for (const CFGElement &Elem : *Cur.Block) {
        auto CS = Elem.getAs<CFGStmt>();
        if (!CS)
          continue;
        const Stmt *S = CS->getStmt();
        if (Target && S == Target) {
          if (!TakeBack || Cur.Phase != Dropped)
            return ExitWitness();
          Cur.Phase = Caller; // the caller's lock, taken back
          continue;
        }
        if (const VarDecl *VD = assignedVar(S))
          forget(Cur.Known, VD);
        bool Truth;
        if (const VarDecl *VD = constantWrite(S, Truth, Owner.Ctx))
          if (Owner.isTrackable(VD, FD))
            learn(Cur.Known, VD, Truth);
        if (TakeBack) {
          switch (Step(S)) {
          case PathStep::Start:
          case PathStep::TryStart:
          case PathStep::Reacquire:
            Cur.Phase = Cur.Phase == Dropped ? Caller : Ours;
            break;
          case PathStep::Release:
            if (Cur.Phase == Caller)
              Cur.Phase = Dropped;
            else if (Cur.Phase == Ours)
              Cur.Phase = Free;
            break;
          default:
            break;
          }
          continue;
        }
        if (Cur.Held && (isa<ReturnStmt>(S) || isa<CoreturnStmt>(S))) {
          Cur.Last = {ExitWitness::Return, S, S->getBeginLoc()};
          Cur.HaveJump = true;
          continue;
        }
        if (Cur.Held && isa<CXXThrowExpr>(S)) {
          Cur.Last = {ExitWitness::Throw, S, S->getBeginLoc()};
          Cur.HaveJump = true;
          continue;
        }
        switch (Step(S)) {
        case PathStep::None:
        case PathStep::ReleaseWhenTrue:
        case PathStep::ReleaseWhenFalse:
          break;
        case PathStep::Start:
          // Back at the acquire with the obligation still held: a continue
          // or break of its loop skipped the release.
          if (!Target && Cur.Held && Cur.HaveJump &&
              (Cur.Last.K == ExitWitness::Continue ||
               Cur.Last.K == ExitWitness::Break))
            return Cur.Last;
          if (!Target) {
            Cur.Held = true;
            Cur.HaveJump = false;
            Cur.Last = ExitWitness();
          }
          break;
        case PathStep::TryStart:
          if (!Target) {
            Cur.PendingTry = true;
            TryStartCall = S;
          }
          break;
        case PathStep::Release:
          if (Target || Cur.Held)
            Stopped = true;
          break;
        case PathStep::Reacquire:
          if (!Cur.Held)
            break;
          // Locking again while held: the path that got here skipped the
          // release through a continue or break of the obligation's loop.
          if (Cur.HaveJump && (Cur.Last.K == ExitWitness::Continue ||
                               Cur.Last.K == ExitWitness::Break))
            return Cur.Last;
          Stopped = true;
          break;
        }
        if (Stopped)
          break;
      }
      if (!Stopped)
        successors(Cur, Work, TryStartCall);
    }
    return std::nullopt;
  }
};

std::optional<ExitWitness> PathSearch::leakingPath(const FunctionDecl *FD,
                                                   bool HeldAtEntry,
                                                   Classifier Step) {
  const CFG *Cfg = cfgOf(FD);
  if (!Cfg)
    return std::nullopt;
  Search S{*this, FD, *Cfg, Step, {}};
  bool GaveUp = false;
  std::optional<ExitWitness> W =
      S.run(HeldAtEntry, nullptr, /*TakeBack=*/false, GaveUp);
  if (GaveUp)
    ++BudgetHits;
  return W;
}

bool PathSearch::reachesAvoiding(const FunctionDecl *FD, const Stmt *Target,
                                 Classifier Step) {
  const CFG *Cfg = cfgOf(FD);
  if (!Cfg)
    return true; // no CFG: assume the worst for "is it always done first"
  Search S{*this, FD, *Cfg, Step, {}};
  bool GaveUp = false;
  bool Reached = S.run(false, Target, /*TakeBack=*/false, GaveUp).has_value();
  if (GaveUp) {
    ++BudgetHits;
    return true;
  }
  return Reached;
}

bool PathSearch::reachesAsOwnAcquire(const FunctionDecl *FD,
                                     const Stmt *Target, Classifier Step) {
  const CFG *Cfg = cfgOf(FD);
  if (!Cfg)
    return true; // no CFG: an acquire like any other
  Search S{*this, FD, *Cfg, Step, {}};
  bool GaveUp = false;
  bool Reached = S.run(false, Target, /*TakeBack=*/true, GaveUp).has_value();
  if (GaveUp) {
    ++BudgetHits;
    return true;
  }
  return Reached;
}

const Stmt *PathSearch::releaseReachableFrom(const FunctionDecl *FD,
                                             const Stmt *From,
                                             Classifier Step) {
  const CFG *Cfg = cfgOf(FD);
  if (!Cfg)
    return nullptr;
  auto ReleaseIn = [&](const CFGBlock *B, unsigned FromIndex) -> const Stmt * {
    unsigned I = 0;
    for (const CFGElement &E : *B) {
      if (I++ < FromIndex)
        continue;
      if (auto CS = E.getAs<CFGStmt>())
        if (Step(CS->getStmt()) == PathStep::Release)
          return CS->getStmt();
    }
    return nullptr;
  };
  llvm::SmallVector<const CFGBlock *, 16> Work;
  for (const CFGBlock *B : *Cfg) {
    unsigned I = 0;
    for (const CFGElement &E : *B) {
      ++I;
      auto CS = E.getAs<CFGStmt>();
      if (!CS || CS->getStmt() != From)
        continue;
      // The rest of From's block, then every block after it (From's own
      // again, whole, when a loop comes back to it).
      if (const Stmt *R = ReleaseIn(B, I))
        return R;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs())
        if (const CFGBlock *S = Succ.getReachableBlock())
          Work.push_back(S);
    }
  }
  llvm::SmallPtrSet<const CFGBlock *, 16> Seen;
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    if (!Seen.insert(B).second)
      continue;
    if (const Stmt *R = ReleaseIn(B, 0))
      return R;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs())
      if (const CFGBlock *S = Succ.getReachableBlock())
        Work.push_back(S);
  }
  return nullptr;
}

bool PathSearch::blockReaches(
    const CFGBlock *From, const Stmt *Target,
    const llvm::SmallPtrSetImpl<const CFGBlock *> *Barriers) {
  llvm::SmallPtrSet<const CFGBlock *, 16> Seen;
  llvm::SmallVector<const CFGBlock *, 16> Work;
  if (From)
    Work.push_back(From);
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    if (!Seen.insert(B).second)
      continue;
    for (const CFGElement &E : *B)
      if (auto CS = E.getAs<CFGStmt>(); CS && CS->getStmt() == Target)
        return true;
    if (Barriers && Barriers->count(B))
      continue;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs())
      if (const CFGBlock *S = Succ.getReachableBlock())
        Work.push_back(S);
  }
  return false;
}

bool PathSearch::stmtReaches(const CFGBlock *From, const Stmt *FromS,
                             const Stmt *Target) {
  if (!From)
    return false;
  if (FromS == Target)
    return true;
  bool After = false;
  for (const CFGElement &E : *From)
    if (auto CS = E.getAs<CFGStmt>()) {
      if (After && CS->getStmt() == Target)
        return true;
      After |= CS->getStmt() == FromS;
    }
  for (const CFGBlock::AdjacentBlock &Succ : From->succs())
    if (blockReaches(Succ.getReachableBlock(), Target))
      return true;
  return false;
}

} // namespace clang::tidy::taskleak
