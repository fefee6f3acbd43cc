//===--- LoopTermination.cpp - Can this loop ever end? --------------------===//
#include "taskleak/LoopTermination.h"
#include "taskleak/LocalMutation.h"
#include "taskleak/Names.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include <functional>

namespace clang::tidy::taskleak {

//===--- Walking a function's own statements ------------------------------===//

void forEachStmtInFunction(const Stmt *S,
                           llvm::function_ref<bool(const Stmt *)> Fn) {
  if (!S)
    return;
  if (!Fn(S))
    return;
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    // A nested lambda is its own function: only its capture initialisers run
    // here.
    for (const Expr *Init : L->capture_inits())
      forEachStmtInFunction(Init, Fn);
    return;
  }
  if (isa<BlockExpr>(S))
    return;
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        forEachStmtInFunction(VD->getInit(), Fn);
    return;
  }
  for (const Stmt *Child : S->children())
    forEachStmtInFunction(Child, Fn);
}

static bool isLoop(const Stmt *S) {
  return isa<WhileStmt>(S) || isa<DoStmt>(S) || isa<ForStmt>(S);
}

static const Stmt *loopBody(const Stmt *Loop) {
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    return W->getBody();
  if (const auto *D = dyn_cast<DoStmt>(Loop))
    return D->getBody();
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return F->getBody();
  if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop))
    return R->getBody();
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

const FunctionDecl *followableCallee(const CallExpr *Call,
                                     const SourceManager &SM) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return nullptr;
  if (const auto *M = dyn_cast<CXXMethodDecl>(Callee)) {
    if (M->isVirtual()) {
      // Only when the call cannot reach an override we do not see.
      const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
      const Expr *Base = MC ? MC->getImplicitObjectArgument() : nullptr;
      const CXXMethodDecl *Dev =
          Base ? M->getDevirtualizedMethod(Base, /*IsAppleKext=*/false)
               : nullptr;
      if (!Dev)
        return nullptr;
      Callee = Dev;
    }
  }
  const FunctionDecl *Def = nullptr;
  if (!Callee->hasBody(Def) || !Def)
    return nullptr;
  if (SM.isInSystemHeader(Def->getLocation()))
    return nullptr;
  return Def;
}

//===--- The blocking-call table ------------------------------------------===//

static const llvm::StringRef SleepFunctions[] = {
    "std::this_thread::sleep_for", "std::this_thread::sleep_until",
    "boost::this_thread::sleep_for", "boost::this_thread::sleep_until",
    "boost::this_thread::sleep", "boost::this_fiber::sleep_for",
    "boost::this_fiber::sleep_until", "usleep", "sleep", "nanosleep",
    "clock_nanosleep"};

static const llvm::StringRef ConditionVariables[] = {
    "std::condition_variable", "std::condition_variable_any",
    "std::_V2::condition_variable_any", "boost::condition_variable",
    "boost::condition_variable_any", "boost::fibers::condition_variable",
    "boost::fibers::condition_variable_any"};

static const llvm::StringRef FiberChannels[] = {
    "boost::fibers::buffered_channel", "boost::fibers::unbuffered_channel"};
static const llvm::StringRef TbbQueues[] = {
    "tbb::concurrent_bounded_queue",
    "tbb::detail::d2::concurrent_bounded_queue",
    "tbb::detail::d1::concurrent_bounded_queue"};
static const llvm::StringRef Futures[] = {"std::future", "std::shared_future",
                                          "boost::fibers::future",
                                          "boost::fibers::shared_future"};
static const llvm::StringRef Latches[] = {"std::latch", "std::barrier",
                                          "std::counting_semaphore",
                                          "std::binary_semaphore"};

/// Boost.Thread interruption points throw boost::thread_interrupted when the
/// owner calls interrupt(): a way out of the loop.
static const llvm::StringRef InterruptionPoints[] = {
    "boost::this_thread::sleep_for", "boost::this_thread::sleep_until",
    "boost::this_thread::sleep", "boost::this_thread::interruption_point"};

static bool methodOfAny(const CXXMethodDecl *M,
                        llvm::ArrayRef<llvm::StringRef> Classes) {
  if (!M)
    return false;
  return hasAnyQualifiedName(M->getParent(), Classes);
}

static bool functorHasCall(const CXXRecordDecl *RD) {
  if (!RD->hasDefinition())
    return false;
  for (const CXXMethodDecl *M : RD->getDefinition()->methods())
    if (M->getOverloadedOperator() == OO_Call)
      return true;
  return false;
}

static bool isCallableArg(const Expr *E) {
  QualType T = ignoreWrappers(E)->getType();
  if (const CXXRecordDecl *RD = recordOf(T))
    return RD->isLambda() || functorHasCall(RD);
  return T->isFunctionPointerType() || T->isFunctionType();
}

BlockingKind classifyBlockingCall(const CallExpr *Call,
                                  const SuiteConfig &Config) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getDeclName().isIdentifier())
    return BlockingKind::None;
  llvm::StringRef Name = Callee->getName();
  const auto *M = dyn_cast<CXXMethodDecl>(Callee);
  if (!M) {
    if (hasAnyQualifiedName(Callee, SleepFunctions))
      return BlockingKind::Sleep;
    return BlockingKind::None;
  }
  if (methodOfAny(M, ConditionVariables)) {
    unsigned N = Call->getNumArgs();
    bool HasStopToken = false;
    for (const Expr *Arg : Call->arguments())
      if (hasAnyQualifiedName(recordOf(Arg->getType()),
                              {llvm::StringRef("std::stop_token")}))
        HasStopToken = true;
    if (Name == "wait") {
      if (HasStopToken || (N >= 2 && isCallableArg(Call->getArg(N - 1))))
        return BlockingKind::PredicateWait;
      return BlockingKind::Unwakeable;
    }
    if (Name == "wait_for" || Name == "wait_until") {
      if (HasStopToken || (N >= 3 && isCallableArg(Call->getArg(N - 1))))
        return BlockingKind::PredicateWait;
      return BlockingKind::TimedWait;
    }
    return BlockingKind::None;
  }
  if (methodOfAny(M, FiberChannels)) {
    if (Name == "pop" || Name == "value_pop" || Name == "push")
      return BlockingKind::Unwakeable;
    return BlockingKind::None;
  }
  if (methodOfAny(M, TbbQueues)) {
    if (Name == "pop" || Name == "push" || Name == "emplace")
      return BlockingKind::Unwakeable;
    return BlockingKind::None;
  }
  if (methodOfAny(M, Futures)) {
    if (Name == "get" || Name == "wait")
      return BlockingKind::Unwakeable;
    if (Name == "wait_for" || Name == "wait_until")
      return BlockingKind::TimedWait;
    return BlockingKind::None;
  }
  if (methodOfAny(M, Latches)) {
    if (Name == "wait" || Name == "arrive_and_wait" || Name == "acquire")
      return BlockingKind::Unwakeable;
    return BlockingKind::None;
  }
  if (!Config.ReceiveMethods.empty() &&
      hasAnyQualifiedName(M, Config.ReceiveMethods))
    return BlockingKind::Unwakeable;
  return BlockingKind::None;
}

/// Blocking calls that throw when their partner shuts down, so a loop around
/// them does end: TBB's pop/push after abort(), a fibers value_pop on a closed
/// channel, Boost.Thread interruption points.
/// Asio and Beast report errors of a blocking I/O call without an
/// error_code argument by throwing boost::system::system_error: the peer
/// closing the connection, or the owner closing the socket, ends a
/// `for (;;) { sock.read_some(buf); ... }` loop.
static bool isThrowingAsioIo(const CallExpr *Call, const FunctionDecl *Callee) {
  bool InAsio = isInNamespace(Callee, "asio") || isInNamespace(Callee, "beast");
  const auto *Proto = Callee->getType()->getAs<FunctionProtoType>();
  if (!InAsio || !Proto || Proto->isNothrow())
    return false;
  llvm::StringRef Name = Callee->getName();
  bool IsIo = Name.contains("read") || Name.contains("write") ||
              Name.contains("accept") || Name.contains("connect") ||
              Name.contains("receive") || Name.contains("send") ||
              Name == "handshake" || Name == "run" || Name == "run_one";
  if (!IsIo || Name.starts_with("async_"))
    return false;
  for (const Expr *Arg : Call->arguments())
    if (isErrorCodeType(Arg->getType()))
      return false; // the error_code overload reports, never throws
  return true;
}

static bool throwsOnShutdown(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Name = Callee->getName();
  if (isThrowingAsioIo(Call, Callee))
    return true;
  if (const auto *M = dyn_cast<CXXMethodDecl>(Callee)) {
    if (methodOfAny(M, TbbQueues))
      return Name == "pop" || Name == "push" || Name == "emplace";
    if (methodOfAny(M, FiberChannels))
      return Name == "value_pop";
    static const llvm::StringRef BoostThreadWaits[] = {
        "boost::condition_variable", "boost::condition_variable_any",
        "boost::thread"};
    if (methodOfAny(M, BoostThreadWaits))
      return Name.starts_with("wait") || Name == "join" ||
             Name.starts_with("timed_");
    return false;
  }
  return hasAnyQualifiedName(Callee, InterruptionPoints);
}

//===--- Per-function facts -----------------------------------------------===//

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

llvm::ArrayRef<std::pair<const CallExpr *, const FunctionDecl *>>
TaskLoopAnalysis::calleesOf(const FunctionDecl *FD) {
  FunctionFacts &F = facts(FD);
  if (!F.CalleesDone) {
    F.CalleesDone = true;
    const SourceManager &SM = Ctx.getSourceManager();
    llvm::SmallPtrSet<const FunctionDecl *, 8> Seen;
    forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *Callee = followableCallee(Call, SM))
          if (Callee != FD && Seen.insert(Callee).second)
            F.Callees.emplace_back(Call, Callee);
      return true;
    });
  }
  return F.Callees;
}

bool TaskLoopAnalysis::mayLeaveAbnormally(const FunctionDecl *FD) {
  FunctionFacts &F = facts(FD);
  if (F.LeavesAbnormally >= 0)
    return F.LeavesAbnormally;
  if (F.LeavesAbnormally == -2) // recursion: assume no, the cycle decides
    return false;
  F.LeavesAbnormally = -2;
  bool Leaves = false;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (Leaves)
      return false;
    if (isa<CXXThrowExpr>(S)) {
      Leaves = true;
      return false;
    }
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if ((Callee && Callee->isNoReturn()) || throwsOnShutdown(Call))
        Leaves = true;
    }
    return !Leaves;
  });
  if (!Leaves)
    for (const auto &[Call, Callee] : calleesOf(FD))
      if (mayLeaveAbnormally(Callee)) {
        Leaves = true;
        break;
      }
  facts(FD).LeavesAbnormally = Leaves;
  return Leaves;
}

const CallExpr *TaskLoopAnalysis::periodicWaitIn(const FunctionDecl *FD) {
  FunctionFacts &F = facts(FD);
  if (F.SleepsDone >= 0)
    return F.Sleep;
  F.SleepsDone = 0; // also breaks recursion
  const CallExpr *Found = nullptr;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (Found)
      return false;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      BlockingKind K = classifyBlockingCall(Call, Config);
      if (K == BlockingKind::Sleep || K == BlockingKind::TimedWait)
        Found = Call;
    }
    return !Found;
  });
  if (!Found)
    for (const auto &[Call, Callee] : calleesOf(FD))
      if (periodicWaitIn(Callee)) {
        Found = Call;
        break;
      }
  FunctionFacts &F2 = facts(FD);
  F2.SleepsDone = 1;
  F2.Sleep = Found;
  return Found;
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
      if ((Callee && Callee->isNoReturn()) || throwsOnShutdown(Call)) {
        Scan.Exits.push_back(Call);
      } else if (const FunctionDecl *Def = followableCallee(Call, SM)) {
        if (mayLeaveAbnormally(Def))
          Scan.Exits.push_back(Call);
        else if (!Scan.PeriodicWait && periodicWaitIn(Def))
          Scan.PeriodicWait = Call;
      }
      switch (classifyBlockingCall(Call, Config)) {
      case BlockingKind::Sleep:
      case BlockingKind::TimedWait:
        if (!Scan.PeriodicWait)
          Scan.PeriodicWait = Call;
        break;
      case BlockingKind::PredicateWait:
        if (!Scan.PredicateWait)
          Scan.PredicateWait = Call;
        break;
      case BlockingKind::Unwakeable:
        Scan.UnwakeableWaits.push_back(Call);
        break;
      case BlockingKind::None:
        break;
      }
    }
    unsigned ChildDepth = BreakDepth;
    if (S != Loop && (isLoop(S) || isa<CXXForRangeStmt>(S) || isa<SwitchStmt>(S)))
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

/// Standard value types whose const members depend only on the object's own
/// state: a local of one of these cannot be changed behind the loop's back.
static const llvm::StringRef OwnedValueTypes[] = {
    "std::vector", "std::basic_string", "std::deque", "std::list",
    "std::forward_list", "std::map", "std::set", "std::multimap",
    "std::multiset", "std::unordered_map", "std::unordered_set",
    "std::array", "std::optional", "std::pair", "std::tuple", "std::bitset"};

static bool isOwnedValueType(QualType T) {
  T = T.getCanonicalType();
  if (T.isVolatileQualified())
    return false;
  if (T->isScalarType())
    return !T->isAtomicType();
  if (const CXXRecordDecl *RD = recordOf(T))
    return hasAnyQualifiedName(RD, OwnedValueTypes);
  return false;
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
      if (!isPrivateToFunction(VD, FD) || !isOwnedValueType(VD->getType()))
        return false;
      if (!llvm::is_contained(Vars, VD))
        Vars.push_back(VD);
      return true;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (ME->isArrow())
        return false;
      return isOwnedValueType(ME->getType()) && Closed(ME->getBase());
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
      if (const auto *M = dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee()))
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
    if (const auto *W = dyn_cast<WhileStmt>(Loop); W && W->getConditionVariable())
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
  Result.PeriodicWait = Scan.PeriodicWait;
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
  const SourceManager &SM = Ctx.getSourceManager();
  for (const EndlessLoop &Outer : Found) {
    bool EnclosesAnother = llvm::any_of(Found, [&](const EndlessLoop &Inner) {
      return Inner.Loop != Outer.Loop &&
             SM.isPointWithin(Inner.Loop->getBeginLoc(),
                              Outer.Loop->getBeginLoc(),
                              Outer.Loop->getEndLoc());
    });
    if (!EnclosesAnother)
      Innermost.push_back(Outer);
  }
  facts(FD).Endless = std::move(Innermost);
  return facts(FD).Endless;
}

std::vector<EndlessLoop>
TaskLoopAnalysis::endlessLoopsOfTask(const TaskBody &Body) {
  std::vector<EndlessLoop> Result;
  if (!Body.Function)
    return Result;
  struct Item {
    const FunctionDecl *FD;
    llvm::SmallVector<const CallExpr *, 2> Chain;
  };
  llvm::SmallPtrSet<const FunctionDecl *, 8> Visited;
  std::vector<Item> Work{{Body.Function, {}}};
  Visited.insert(Body.Function);
  for (size_t I = 0; I < Work.size(); ++I) {
    Item Current = Work[I];
    for (const EndlessLoop &L : endlessLoopsIn(Current.FD)) {
      EndlessLoop Copy = L;
      Copy.CallChain = Current.Chain;
      Result.push_back(std::move(Copy));
    }
    if (Current.Chain.size() >= MaxCallDepth)
      continue;
    for (const auto &[Call, Callee] : calleesOf(Current.FD)) {
      if (!Visited.insert(Callee).second)
        continue;
      Item Next{Callee, Current.Chain};
      Next.Chain.push_back(Call);
      Work.push_back(std::move(Next));
    }
  }
  return Result;
}

} // namespace clang::tidy::taskleak
