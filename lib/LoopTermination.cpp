//===--- LoopTermination.cpp - Can this loop ever end? --------------------===//
#include "taskleak/LoopTermination.h"
#include "taskleak/LocalMutation.h"
#include "taskleak/Names.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>

namespace clang::tidy::taskleak {

static bool isLoop(const Stmt *S) {
  return isa<WhileStmt>(S) || isa<DoStmt>(S) || isa<ForStmt>(S);
}

/// The body of a while/do/for loop.
static const Stmt *loopBodyOf(const Stmt *Loop) {
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    return W->getBody();
  if (const auto *D = dyn_cast<DoStmt>(Loop))
    return D->getBody();
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return F->getBody();
  return nullptr;
}

const Expr *loopCondition(const Stmt *Loop) {
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    return W->getCond();
  if (const auto *D = dyn_cast<DoStmt>(Loop))
    return D->getCond();
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return F->getCond();
  return nullptr;
}

//===--- Blocking calls, from the API model -------------------------------===//

BlockingKind classifyBlockingCall(const CallExpr *Call, ApiModel &Api) {
  const ApiCall &A = Api.call(Call);
  switch (A.effect()) {
  case Effect::Sleep:
    return BlockingKind::Sleep;
  case Effect::TimedWaitResult:
    return BlockingKind::TimedWait;
  case Effect::CondWait:
    switch (A.Wait) {
    case WaitShape::Plain:
      return BlockingKind::Unwakeable;
    case WaitShape::Timed:
      return BlockingKind::TimedWait;
    case WaitShape::Predicate:
      return BlockingKind::PredicateWait;
    }
    return BlockingKind::None;
  // Waits a std::stop_token request cannot wake.
  case Effect::Send:
  case Effect::Receive:
  case Effect::GetResult:
  case Effect::WaitResult:
  case Effect::WaitCount:
  case Effect::ArriveAndWait:
    return A.blocking() ? BlockingKind::Unwakeable : BlockingKind::None;
  case Effect::Acquire:
    return A.kind() == ObjectKind::Semaphore ? BlockingKind::Unwakeable
                                             : BlockingKind::None;
  default:
    return BlockingKind::None;
  }
}

/// A type that holds a flag: bool, an enum, or a class over one (an
/// atomic<bool>, an atomic of an enum).
static bool isFlagType(QualType T, unsigned Depth = 0) {
  T = T.getNonReferenceType().getCanonicalType();
  if (T->isBooleanType() || T->isEnumeralType())
    return true;
  if (const auto *AT = T->getAs<AtomicType>())
    return isFlagType(AT->getValueType(), Depth + 1);
  if (Depth < 3)
    if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
            T->getAsCXXRecordDecl()))
      for (const TemplateArgument &A : Spec->getTemplateArgs().asArray())
        if (A.getKind() == TemplateArgument::Type &&
            isFlagType(A.getAsType(), Depth + 1))
          return true;
  return false;
}

bool predicateIgnoresStop(const CallExpr *Wait, ApiModel &Api,
                          const SourceManager &SM) {
  // wait(lock, pred) only: a timed wait with a predicate returns when its
  // time is up, and a std::stop_token argument is woken by the stop.
  if (Wait->getNumArgs() != 2)
    return false;
  for (const Expr *A : Wait->arguments())
    if (Api.kindOf(A->getType()) == ObjectKind::StopToken)
      return false;
  const LambdaExpr *L = lambdaOf(Wait->getArg(1));
  const FunctionDecl *Op = L ? callOperatorOf(L) : nullptr;
  if (!Op || !Op->getBody())
    return false; // a predicate we cannot read may look at anything
  bool Observes = false;
  forEachStmtInFunction(Op->getBody(), [&](const Stmt *S) {
    if ((isa<DeclRefExpr>(S) || isa<MemberExpr>(S)) &&
        isFlagType(cast<Expr>(S)->getType()))
      Observes = true;
    else if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (Api.call(Call).effect() == Effect::StopCheck || !Callee ||
          !SM.isInSystemHeader(Callee->getLocation()))
        Observes = true;
    }
    return !Observes;
  });
  return !Observes;
}

/// Blocking calls that throw when their partner shuts down, so a loop around
/// them does end: TBB's pop/push after abort(), a fibers value_pop on a closed
/// channel, Boost.Thread interruption points, asio/Beast synchronous I/O
/// without an error_code (the peer or the owner closing the connection).
static bool throwsOnShutdown(const CallExpr *Call, ApiModel &Api) {
  return Api.call(Call).throwsOnShutdown();
}

//===--- Per-function facts -----------------------------------------------===//

/// Waits a function's summary keeps: enough for a diagnostic and for the
/// handles some of them may be woken through.
static constexpr size_t MaxWaitsPerFunction = 4;

TaskLoopAnalysis::TaskLoopAnalysis(ASTContext &Ctx, ApiModel &Api,
                                   CallGraphIndex &Calls)
    : Ctx(Ctx), Api(Api), Calls(Calls),
      LeavesAbnormally(
          Calls,
          [this](const FunctionDecl *FD) {
            bool Leaves = false;
            forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
              if (isa<CXXThrowExpr>(S))
                Leaves = true;
              else if (const auto *Call = dyn_cast<CallExpr>(S)) {
                const FunctionDecl *Callee = Call->getDirectCallee();
                if ((Callee && Callee->isNoReturn()) ||
                    throwsOnShutdown(Call, this->Api))
                  Leaves = true;
              }
              return !Leaves;
            });
            return Leaves;
          },
          [](bool &Caller, const bool &Callee, const CallEdge &) {
            if (Caller || !Callee)
              return false;
            Caller = true;
            return true;
          }),
      PeriodicWait(
          Calls,
          [this](const FunctionDecl *FD) {
            const CallExpr *Found = nullptr;
            forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
              if (const auto *Call = dyn_cast<CallExpr>(S)) {
                BlockingKind K = classifyBlockingCall(Call, this->Api);
                if (K == BlockingKind::Sleep || K == BlockingKind::TimedWait)
                  Found = Call;
              }
              return !Found;
            });
            return Found;
          },
          [](const CallExpr *&Caller, const CallExpr *const &Callee,
             const CallEdge &E) {
            if (Caller || !Callee)
              return false;
            Caller = E.Call;
            return true;
          }),
      UnwakeableWaits(
          Calls,
          [this](const FunctionDecl *FD) {
            WaitList Found;
            const SourceManager &SM = this->Ctx.getSourceManager();
            forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
              if (const auto *Call = dyn_cast<CallExpr>(S)) {
                BlockingKind K = classifyBlockingCall(Call, this->Api);
                if (K == BlockingKind::Unwakeable ||
                    (K == BlockingKind::PredicateWait &&
                     predicateIgnoresStop(Call, this->Api, SM)))
                  Found.push_back(Call);
              }
              return Found.size() < MaxWaitsPerFunction;
            });
            return Found;
          },
          [](WaitList &Caller, const WaitList &Callee, const CallEdge &) {
            bool Changed = false;
            for (const CallExpr *W : Callee)
              if (Caller.size() < MaxWaitsPerFunction &&
                  !llvm::is_contained(Caller, W)) {
                Caller.push_back(W);
                Changed = true;
              }
            return Changed;
          }),
      Paths(Ctx) {}

TaskLoopAnalysis::FunctionFacts &
TaskLoopAnalysis::facts(const FunctionDecl *FD) {
  auto &Slot = Facts[FD];
  if (!Slot)
    Slot = std::make_unique<FunctionFacts>();
  return *Slot;
}

llvm::ArrayRef<const Stmt *> TaskLoopAnalysis::loopsIn(const FunctionDecl *FD) {
  FunctionFacts &F = facts(FD);
  if (!F.LoopsDone) {
    F.LoopsDone = true;
    forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
      if (isLoop(S))
        F.Loops.push_back(S);
      return true;
    });
  }
  return F.Loops;
}

bool TaskLoopAnalysis::mayLeaveAbnormally(const FunctionDecl *FD) {
  return LeavesAbnormally.get(FD);
}

const CallExpr *TaskLoopAnalysis::periodicWaitIn(const FunctionDecl *FD) {
  return PeriodicWait.get(FD);
}

llvm::ArrayRef<const CallExpr *>
TaskLoopAnalysis::unwakeableWaitsIn(const FunctionDecl *FD) {
  return UnwakeableWaits.get(FD);
}

//===--- Reachability -----------------------------------------------------===//

/// The value every path of \p FD returns when its body is a single
/// `return <constant>;`.
static std::optional<bool> constantBoolReturn(const FunctionDecl *FD,
                                              ASTContext &Ctx) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def)
    return std::nullopt;
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
  if (!Body || Body->size() != 1)
    return std::nullopt;
  const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
  bool Value = false;
  if (Ret && Ret->getRetValue() && !Ret->getRetValue()->isValueDependent() &&
      Ret->getRetValue()->EvaluateAsBooleanCondition(Value, Ctx))
    return Value;
  return std::nullopt;
}

static const FunctionDecl *calleeOf(const Expr *E) {
  if (!E)
    return nullptr;
  if (const auto *Call = dyn_cast<CallExpr>(E->IgnoreImplicit()))
    return Call->getDirectCallee();
  return nullptr;
}

/// A co_await that suspends the frame and hands its handle to nobody: the
/// awaiter's await_ready() returns false, and its await_suspend(h), written
/// in this translation unit, never names `h` and returns void or true.
/// Nothing can resume the frame, so nothing after the co_await runs.
static bool neverResumes(const CoawaitExpr *CA, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (constantBoolReturn(calleeOf(CA->getReadyExpr()), Ctx) !=
      std::optional<bool>(false))
    return false;
  const FunctionDecl *Suspend = calleeOf(CA->getSuspendExpr());
  const FunctionDecl *Def = nullptr;
  if (!Suspend || !Suspend->hasBody(Def) || !Def ||
      SM.isInSystemHeader(Def->getLocation()) || Def->getNumParams() != 1)
    return false;
  QualType R = Def->getReturnType();
  if (!R->isVoidType() &&
      !(R->isBooleanType() &&
        constantBoolReturn(Def, Ctx) == std::optional<bool>(true)))
    return false;
  return !referencesDecl(Def->getBody(), Def->getParamDecl(0));
}

bool TaskLoopAnalysis::isReachable(const Stmt *Loop, const FunctionDecl *FD) {
  auto &Slot = ReachableLoops[FD];
  if (!Slot) {
    Slot = std::make_unique<Reachability>();
    const CFG *Cfg = Paths.cfgOf(FD);
    if (!Cfg)
      return true;
    Slot->Known = true;
    for (const CFGBlock *B : *Cfg)
      if (const Stmt *T = B ? B->getTerminatorStmt() : nullptr)
        if (isLoop(T))
          Slot->Terminators.insert(T);
    // From the entry, along the CFG's edges (a [[noreturn]] call or a throw
    // has none to what follows), stopping at a co_await nothing resumes.
    llvm::SmallPtrSet<const CFGBlock *, 16> Seen;
    llvm::SmallVector<const CFGBlock *, 16> Work{&Cfg->getEntry()};
    while (!Work.empty()) {
      const CFGBlock *B = Work.pop_back_val();
      if (!Seen.insert(B).second)
        continue;
      bool Stops = false;
      for (const CFGElement &E : *B)
        if (auto CS = E.getAs<CFGStmt>())
          if (const auto *CA = dyn_cast<CoawaitExpr>(CS->getStmt()))
            if (neverResumes(CA, Ctx)) {
              Stops = true;
              break;
            }
      if (Stops)
        continue;
      if (const Stmt *T = B->getTerminatorStmt())
        if (isLoop(T))
          Slot->Reached.insert(T);
      for (const CFGBlock::AdjacentBlock &Succ : B->succs())
        if (const CFGBlock *S = Succ.getReachableBlock())
          Work.push_back(S);
    }
  }
  // A loop the CFG does not show as a terminator: assume it runs.
  return !Slot->Known || !Slot->Terminators.count(Loop) ||
         Slot->Reached.count(Loop);
}

//===--- One loop ---------------------------------------------------------===//

LoopExitScan TaskLoopAnalysis::scanLoop(const Stmt *Loop) {
  LoopExitScan Scan;
  const SourceManager &SM = Ctx.getSourceManager();
  // BreakDepth counts the loops and switches between a statement and Loop.
  std::function<void(const Stmt *, unsigned)> Walk = [&](const Stmt *S,
                                                         unsigned BreakDepth) {
    if (!S)
      return;
    if (isa<BreakStmt>(S)) {
      if (BreakDepth == 0)
        Scan.Exits.push_back(S);
      return;
    }
    if (isa<ReturnStmt>(S) || isa<CoreturnStmt>(S) || isa<GotoStmt>(S) ||
        isa<IndirectGotoStmt>(S) || isa<CXXThrowExpr>(S) ||
        isa<CoawaitExpr>(S) || isa<CoyieldExpr>(S)) {
      Scan.Exits.push_back(S);
      // keep walking: a throw's operand may hold more, but one exit suffices
      return;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      for (const Expr *Init : L->capture_inits())
        Walk(Init, BreakDepth);
      return;
    }
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if ((Callee && Callee->isNoReturn()) || throwsOnShutdown(Call, Api)) {
        Scan.Exits.push_back(Call);
      } else if (const FunctionDecl *Def = followableCallee(Call, SM)) {
        if (mayLeaveAbnormally(Def))
          Scan.Exits.push_back(Call);
        else if (!Scan.PeriodicWait && periodicWaitIn(Def))
          Scan.PeriodicWait = Call;
        else if (!Scan.BlockingCall && !unwakeableWaitsIn(Def).empty())
          Scan.BlockingCall = Call;
      }
      switch (classifyBlockingCall(Call, Api)) {
      case BlockingKind::Sleep:
      case BlockingKind::TimedWait:
        if (!Scan.PeriodicWait)
          Scan.PeriodicWait = Call;
        break;
      case BlockingKind::PredicateWait:
        if (!Scan.PredicateWait)
          Scan.PredicateWait = Call;
        Scan.PredicateWaits.push_back(Call);
        break;
      case BlockingKind::Unwakeable:
        Scan.UnwakeableWaits.push_back(Call);
        break;
      case BlockingKind::None:
        break;
      }
    }
    unsigned ChildDepth = BreakDepth;
    if (S != Loop &&
        (isLoop(S) || isa<CXXForRangeStmt>(S) || isa<SwitchStmt>(S)))
      ChildDepth = BreakDepth + 1;
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          Walk(VD->getInit(), BreakDepth);
      return;
    }
    for (const Stmt *Child : S->children())
      Walk(Child, ChildDepth);
  };
  Walk(Loop, 0);
  return Scan;
}

/// A local of a scalar type, or of a standard value type whose const
/// members depend only on the object's own state, cannot be changed behind
/// the loop's back.
static bool isOwnedValueType(QualType T, ApiModel &Api) {
  T = T.getCanonicalType();
  if (T.isVolatileQualified())
    return false;
  if (T->isScalarType())
    return !T->isAtomicType();
  return Api.kindOf(T) == ObjectKind::OwnedValue;
}

/// The lambda class that owns \p FD when FD is a lambda's call operator.
static const CXXRecordDecl *lambdaClassOf(const FunctionDecl *FD) {
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD))
    if (M->getParent()->isLambda())
      return M->getParent();
  return nullptr;
}

/// True when \p VD is this function's own copy: a local or by-value
/// parameter of FD, or a variable FD's lambda captured by copy.
static bool isPrivateToFunction(const VarDecl *VD, const FunctionDecl *FD) {
  if (VD->getType()->isReferenceType())
    return false;
  if (!VD->hasLocalStorage())
    return false;
  for (const DeclContext *DC = VD->getDeclContext(); DC; DC = DC->getParent())
    if (DC == FD)
      return true;
  if (const CXXRecordDecl *Lambda = lambdaClassOf(FD)) {
    llvm::DenseMap<const ValueDecl *, FieldDecl *> Captures;
    FieldDecl *ThisCapture = nullptr;
    Lambda->getCaptureFields(Captures, ThisCapture);
    auto It = Captures.find(VD);
    return It != Captures.end() && !It->second->getType()->isReferenceType();
  }
  return false;
}

bool TaskLoopAnalysis::conditionCannotChange(const Expr *Cond,
                                             const FunctionDecl *FD,
                                             const VarDecl *&FirstVar) {
  llvm::SmallVector<const VarDecl *, 4> Vars;
  std::function<bool(const Expr *)> Closed = [&](const Expr *E) -> bool {
    if (!E)
      return false;
    E = E->IgnoreParens();
    if (isa<IntegerLiteral>(E) || isa<FloatingLiteral>(E) ||
        isa<CharacterLiteral>(E) || isa<CXXBoolLiteralExpr>(E) ||
        isa<CXXNullPtrLiteralExpr>(E) || isa<StringLiteral>(E))
      return true;
    if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E))
      return Closed(ICE->getSubExpr());
    if (const auto *CE = dyn_cast<ExplicitCastExpr>(E))
      return Closed(CE->getSubExpr());
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      return Closed(MTE->getSubExpr());
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      return Closed(EWC->getSubExpr());
    if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E))
      return Closed(BTE->getSubExpr());
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf)
        return false;
      return Closed(UO->getSubExpr());
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E))
      return Closed(BO->getLHS()) && Closed(BO->getRHS());
    if (const auto *CO = dyn_cast<ConditionalOperator>(E))
      return Closed(CO->getCond()) && Closed(CO->getTrueExpr()) &&
             Closed(CO->getFalseExpr());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const ValueDecl *D = DRE->getDecl();
      if (isa<EnumConstantDecl>(D))
        return true;
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD)
        return false;
      if (VD->isConstexpr())
        return true;
      if (!isPrivateToFunction(VD, FD) || !isOwnedValueType(VD->getType(), Api))
        return false;
      if (!llvm::is_contained(Vars, VD))
        Vars.push_back(VD);
      return true;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (ME->isArrow())
        return false;
      return isOwnedValueType(ME->getType(), Api) && Closed(ME->getBase());
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (!M || !M->isConst())
        return false;
      for (const Expr *Arg : MC->arguments())
        if (!Closed(Arg))
          return false;
      return Closed(MC->getImplicitObjectArgument());
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      OverloadedOperatorKind K = OC->getOperator();
      if (K == OO_Star || K == OO_Arrow || K == OO_Call || K == OO_ArrowStar)
        return false;
      if (const auto *M =
              dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee()))
        if (!M->isConst())
          return false;
      for (const Expr *Arg : OC->arguments())
        if (!Closed(Arg))
          return false;
      return true;
    }
    return false;
  };
  if (!Closed(Cond) || Vars.empty())
    return false;
  // A variable written anywhere in the function (or handed out by reference,
  // captured by reference, its address taken) may change: stay silent.
  for (const VarDecl *VD : Vars)
    if (mayBeModified(VD, FD->getBody()))
      return false;
  FirstVar = Vars.front();
  return true;
}

std::optional<EndlessLoop>
TaskLoopAnalysis::analyseLoop(const Stmt *Loop, const FunctionDecl *FD) {
  const Expr *Cond = loopCondition(Loop);
  EndlessLoop Result;
  Result.Loop = Loop;
  Result.Function = FD;
  if (!Cond) {
    Result.Reason = EndlessReason::ConstantTrue;
  } else {
    if (Cond->isValueDependent() || Cond->isTypeDependent() ||
        Cond->containsErrors())
      return std::nullopt;
    if (const auto *W = dyn_cast<WhileStmt>(Loop);
        W && W->getConditionVariable())
      return std::nullopt;
    if (const auto *F = dyn_cast<ForStmt>(Loop); F && F->getConditionVariable())
      return std::nullopt;
    bool Value = false;
    if (Cond->EvaluateAsBooleanCondition(Value, Ctx)) {
      if (!Value)
        return std::nullopt; // do { } while (0)
      Result.Reason = EndlessReason::ConstantTrue;
    } else if (conditionCannotChange(Cond, FD, Result.ConditionVar)) {
      Result.Reason = EndlessReason::UnchangingCondition;
    } else {
      return std::nullopt;
    }
  }
  LoopExitScan Scan = scanLoop(Loop);
  if (!Scan.Exits.empty() || Scan.PredicateWait)
    return std::nullopt;
  // Unreachable code is not a task that never finishes.
  if (!isReachable(Loop, FD))
    return std::nullopt;
  Result.PeriodicWait = Scan.PeriodicWait;
  if (!Scan.UnwakeableWaits.empty())
    Result.BlockingWait = Scan.UnwakeableWaits.front();
  else
    Result.BlockingWait = Scan.BlockingCall;
  return Result;
}

llvm::ArrayRef<EndlessLoop>
TaskLoopAnalysis::endlessLoopsIn(const FunctionDecl *FD) {
  FunctionFacts &F = facts(FD);
  if (F.EndlessDone)
    return F.Endless;
  F.EndlessDone = true;
  if (!FD->getBody() || FD->isDependentContext())
    return F.Endless;
  std::vector<EndlessLoop> Found;
  // Loops come outermost first; a loop that encloses a reported one is
  // dropped, so the warning lands where the task gets stuck.
  llvm::ArrayRef<const Stmt *> Loops = loopsIn(FD);
  for (const Stmt *Loop : Loops)
    if (std::optional<EndlessLoop> E = analyseLoop(Loop, FD))
      Found.push_back(*E);
  std::vector<EndlessLoop> Innermost;
  for (const EndlessLoop &Outer : Found) {
    bool EnclosesAnother = false;
    if (Found.size() > 1)
      forEachStmtInFunction(loopBodyOf(Outer.Loop), [&](const Stmt *S) {
        EnclosesAnother |= S != Outer.Loop && isLoop(S) &&
                           llvm::any_of(Found, [&](const EndlessLoop &Inner) {
                             return Inner.Loop == S;
                           });
        return !EnclosesAnother;
      });
    if (!EnclosesAnother)
      Innermost.push_back(Outer);
  }
  facts(FD).Endless = std::move(Innermost);
  return facts(FD).Endless;
}

std::vector<EndlessLoop>
TaskLoopAnalysis::endlessLoopsOfTask(const SpawnSite &Site) {
  const FunctionDecl *Root = Site.Body.Function;
  if (!Root)
    return {};
  const SourceManager &SM = Ctx.getSourceManager();
  // (A virtual member function body run on an object of known class is
  // already the override: classifySpawn devirtualises it.)
  std::vector<EndlessLoop> Result = endlessLoopsOfTask(Site.Body);
  // The body's virtual calls the call graph could not follow, on objects
  // the spawn site tells the class of.
  llvm::SmallPtrSet<const Stmt *, 8> Seen;
  for (const EndlessLoop &L : Result)
    Seen.insert(L.Loop);
  forEachStmtInFunction(Root->getBody(), [&](const Stmt *S) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    if (!MC || followableCallee(MC, SM))
      return true;
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(MC->getDirectCallee());
    const FunctionDecl *Over = overrideIn(
        M, knownDynamicClass(MC->getImplicitObjectArgument(), &Site, Api), SM);
    if (!Over)
      return true;
    for (const CallGraphIndex::Reached &R : Calls.reachableFrom(Over))
      for (const EndlessLoop &L : endlessLoopsIn(R.Function)) {
        if (!Seen.insert(L.Loop).second)
          continue;
        EndlessLoop Copy = L;
        Copy.CallChain.assign(1, MC);
        Copy.CallChain.append(R.Chain.begin(), R.Chain.end());
        Result.push_back(std::move(Copy));
      }
    return true;
  });
  return Result;
}

std::vector<EndlessLoop>
TaskLoopAnalysis::endlessLoopsOfTask(const TaskBody &Body) {
  std::vector<EndlessLoop> Result;
  if (!Body.Function)
    return Result;
  for (const CallGraphIndex::Reached &R : Calls.reachableFrom(Body.Function))
    for (const EndlessLoop &L : endlessLoopsIn(R.Function)) {
      EndlessLoop Copy = L;
      Copy.CallChain = R.Chain;
      Result.push_back(std::move(Copy));
    }
  return Result;
}

} // namespace clang::tidy::taskleak
