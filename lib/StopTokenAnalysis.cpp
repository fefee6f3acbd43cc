//===--- StopTokenAnalysis.cpp --------------------------------------------===//
#include "taskleak/StopTokenAnalysis.h"
#include "taskleak/Names.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>

namespace clang::tidy::taskleak {

bool ShutdownFacts::isClosed(const HandleRef &H) const {
  return llvm::is_contained(ClosedHandles, H);
}

bool ShutdownFacts::stopRequestedFor(const Expr *Spawn) const {
  if (UnknownStopRequest)
    return true;
  auto It = JThreadOwners.find(Spawn);
  if (It == JThreadOwners.end())
    return !StopRequested.empty(); // which jthread it is we cannot tell
  return llvm::is_contained(StopRequested, It->second);
}

namespace {
/// One walk over the user's code (system headers skipped) for hand-written
/// shutdown: close()/abort()/count_down()/release()/set_value() targets,
/// request_stop() calls, stop_callback registrations, and which object each
/// jthread construction initialises.
class ShutdownVisitor : public UserCodeVisitor<ShutdownVisitor> {
public:
  ShutdownVisitor(ASTContext &Ctx, ApiModel &Api, ShutdownFacts &F)
      : UserCodeVisitor(Ctx.getSourceManager()), Api(Api), F(F) {}

  bool VisitCallExpr(CallExpr *Call) {
    const ApiCall &A = Api.call(Call);
    switch (A.effect()) {
    case Effect::StopRequest: {
      std::optional<HandleRef> H =
          A.Handle ? resolveHandle(A.Handle, Api) : std::nullopt;
      if (H && Api.kindOf(A.Handle->getType()) == ObjectKind::JThread)
        F.StopRequested.push_back(*H);
      else
        F.UnknownStopRequest = true;
      break;
    }
    // notify_*() is not here: a notify that runs before request_stop()
    // (a producer's push, the owner's destructor body, which runs before
    // the jthread member is destroyed) leaves the waiter to sleep again.
    // Nor is a semaphore's release(), for the same reason: it hands out a
    // permit, the waiter takes it, finds no stop requested and waits again.
    // A close, a latch at zero and a value set wake every later wait too.
    case Effect::Close:
    case Effect::CountDown:
    case Effect::SetResult:
      if (A.Handle)
        if (std::optional<HandleRef> H = resolveHandle(A.Handle, Api))
          F.ClosedHandles.push_back(*H);
      break;
    default:
      break;
    }
    // `t = std::jthread(...)`
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call))
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
        noteOwner(OC->getArg(1), OC->getArg(0));
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    if (Api.kindOfRecord(CE->getConstructor()->getParent()) ==
        ObjectKind::StopCallback)
      F.RegistersStopCallback = true;
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (VD->getInit()) {
      HandleRef H;
      H.Root = VD;
      noteOwner(VD->getInit(), H);
    }
    return true;
  }

  bool VisitFieldDecl(FieldDecl *FD) {
    if (const Expr *Init = FD->getInClassInitializer()) {
      HandleRef H;
      H.Path.push_back(FD);
      noteOwner(Init, H);
    }
    return true;
  }

  bool VisitCXXConstructorDecl(CXXConstructorDecl *Ctor) {
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isMemberInitializer() && Init->getInit()) {
        HandleRef H;
        H.Path.push_back(Init->getMember());
        noteOwner(Init->getInit(), H);
      }
    return true;
  }

private:
  void noteOwner(const Expr *Init, const Expr *Target) {
    if (std::optional<HandleRef> H = resolveHandle(Target, Api))
      noteOwner(Init, *H);
  }
  void noteOwner(const Expr *Init, const HandleRef &H) {
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(ignoreWrappers(Init));
    if (CE && Api.kindOfRecord(CE->getConstructor()->getParent()) ==
                  ObjectKind::JThread)
      F.JThreadOwners.try_emplace(CE, H);
  }

  ApiModel &Api;
  ShutdownFacts &F;
};
} // namespace

ShutdownFacts computeShutdownFacts(ASTContext &Ctx, ApiModel &Api) {
  ShutdownFacts F;
  ShutdownVisitor V(Ctx, Api, F);
  V.TraverseAST(Ctx);
  return F;
}

/// Every DeclRefExpr to \p Token in \p Body, nested lambdas included.
static void collectTokenUses(const Stmt *S, const ParmVarDecl *Token,
                             llvm::SmallVectorImpl<const DeclRefExpr *> &Uses) {
  if (!S)
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (DRE->getDecl() == Token)
      Uses.push_back(DRE);
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    for (const Expr *Init : L->capture_inits())
      collectTokenUses(Init, Token, Uses);
    collectTokenUses(L->getBody(), Token, Uses);
    return;
  }
  for (const Stmt *Child : S->children())
    collectTokenUses(Child, Token, Uses);
}

static bool mentions(const Stmt *S,
                     const llvm::SmallPtrSetImpl<const Expr *> &Checks) {
  if (!S)
    return false;
  if (const auto *E = dyn_cast<Expr>(S))
    if (Checks.count(E))
      return true;
  for (const Stmt *Child : S->children())
    if (mentions(Child, Checks))
      return true;
  return false;
}

/// How a function uses a stop token it was handed.
struct TokenUses {
  unsigned RealUses = 0;
  /// `tok.stop_requested()` calls.
  llvm::SmallPtrSet<const Expr *, 4> StopChecks;
  /// Callees of this TU that receive the token as a std::stop_token
  /// parameter: the analysis follows the token into them.
  llvm::SmallVector<std::pair<const FunctionDecl *, const ParmVarDecl *>, 2>
      ForwardedTo;
  /// Handed to anything else (a condition_variable_any wait, a
  /// stop_callback, an unknown function, a copy): a stop can reach it.
  bool HandedOn = false;
};

static TokenUses classifyTokenUses(const FunctionDecl *FD,
                                   const ParmVarDecl *Token, ApiModel &Api,
                                   CallGraphIndex &Calls) {
  TokenUses Result;
  const Stmt *Body = FD->getBody();
  llvm::SmallVector<const DeclRefExpr *, 4> Uses;
  collectTokenUses(Body, Token, Uses);
  if (Uses.empty())
    return Result;
  // One walk: what each use of the token is an operand of.
  llvm::DenseMap<const DeclRefExpr *, const Expr *> StopCheckOf;
  llvm::SmallPtrSet<const DeclRefExpr *, 4> VoidCast;
  llvm::DenseMap<const DeclRefExpr *,
                 std::pair<const FunctionDecl *, const ParmVarDecl *>>
      ForwardOf;
  std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
    if (!S)
      return;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const ApiCall &A = Api.call(Call);
      if (A.effect() == Effect::StopCheck && A.Handle)
        if (const auto *D = dyn_cast<DeclRefExpr>(ignoreWrappers(A.Handle)))
          StopCheckOf[D] = Call;
      // `helper(tok)` where helper is defined here and takes a stop_token.
      for (const CallEdge &E : Calls.callees(FD))
        if (E.Call == Call)
          forEachArgument(
              Call, E.Callee, [&](const Expr *Arg, const ParmVarDecl *P) {
                const auto *D = dyn_cast<DeclRefExpr>(ignoreWrappers(Arg));
                if (D && P && Api.isStopToken(P->getType()))
                  ForwardOf[D] = {E.Callee, P};
              });
    }
    if (const auto *C = dyn_cast<ExplicitCastExpr>(S))
      if (C->getType()->isVoidType())
        if (const auto *D =
                dyn_cast<DeclRefExpr>(ignoreWrappers(C->getSubExpr())))
          VoidCast.insert(D);
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      for (const Expr *Init : L->capture_inits())
        Walk(Init);
      Walk(L->getBody());
      return;
    }
    for (const Stmt *Child : S->children())
      Walk(Child);
  };
  Walk(Body);
  for (const DeclRefExpr *Use : Uses) {
    if (VoidCast.count(Use))
      continue;
    ++Result.RealUses;
    if (const Expr *Check = StopCheckOf.lookup(Use)) {
      Result.StopChecks.insert(Check);
      continue;
    }
    auto F = ForwardOf.find(Use);
    if (F != ForwardOf.end())
      Result.ForwardedTo.push_back(F->second);
    else
      Result.HandedOn = true;
  }
  return Result;
}

/// Exits of \p Loop (as found by the loop scan) that sit under an `if`
/// whose condition checks the token, and the token checks inside the loop.
static void guardedExits(const Stmt *S,
                         const llvm::SmallPtrSetImpl<const Expr *> &Checks,
                         bool Guarded, llvm::SmallPtrSetImpl<const Stmt *> &Out,
                         const Expr *&CheckInLoop) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (const auto *E = dyn_cast<Expr>(S))
    if (Checks.count(E))
      CheckInLoop = E;
  if (Guarded)
    Out.insert(S);
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    bool Checks2 = mentions(If->getCond(), Checks);
    guardedExits(If->getCond(), Checks, Guarded, Out, CheckInLoop);
    guardedExits(If->getThen(), Checks, Guarded || Checks2, Out, CheckInLoop);
    guardedExits(If->getElse(), Checks, Guarded || Checks2, Out, CheckInLoop);
    return;
  }
  for (const Stmt *Child : S->children())
    guardedExits(Child, Checks, Guarded, Out, CheckInLoop);
}

/// The calls \p Loop makes to functions of this TU (not those of nested
/// lambdas), from the call graph's edges of \p FD.
static llvm::SmallVector<const CallExpr *, 4>
loopCalls(const Stmt *Loop, const FunctionDecl *FD, CallGraphIndex &Calls) {
  llvm::SmallVector<const CallExpr *, 4> Result;
  llvm::ArrayRef<CallEdge> Edges = Calls.callees(FD);
  if (Edges.empty())
    return Result;
  llvm::SmallPtrSet<const Stmt *, 8> Wanted;
  for (const CallEdge &E : Edges)
    Wanted.insert(E.Call);
  forEachStmtInFunction(Loop, [&](const Stmt *S) {
    if (Wanted.count(S))
      Result.push_back(cast<CallExpr>(S));
    return true;
  });
  return Result;
}

/// Loops of \p FD that end only through `Token.stop_requested()` yet block
/// between checks in a wait that request_stop() does not wake. Follows the
/// token into callees that receive it.
static void
findUnwakeableWaits(const FunctionDecl *FD, const ParmVarDecl *Token,
                    TaskLoopAnalysis &Loops, const ShutdownFacts &Shutdown,
                    llvm::SmallPtrSetImpl<const FunctionDecl *> &Seen,
                    std::vector<StopTokenFinding> &Findings) {
  if (!Seen.insert(FD).second)
    return;
  ApiModel &Api = Loops.api();
  TokenUses Uses = classifyTokenUses(FD, Token, Api, Loops.calls());
  if (Uses.HandedOn)
    return;
  for (const auto &[Callee, Param] : Uses.ForwardedTo)
    findUnwakeableWaits(Callee, Param, Loops, Shutdown, Seen, Findings);
  if (Uses.StopChecks.empty())
    return;
  const llvm::SmallPtrSetImpl<const Expr *> &StopChecks = Uses.StopChecks;
  const SourceManager &SM = Loops.calls().sourceManager();
  // A channel closed, a latch counted down or a promise set somewhere: its
  // owner may wake the wait on shutdown, and we cannot order that against
  // request_stop(). Unknown handles count as woken.
  auto WokenOnShutdown = [&](const CallExpr *Wait, bool InCallee) {
    const ApiCall &A = Api.call(Wait);
    std::optional<HandleRef> Handle =
        A.Handle ? resolveHandle(A.Handle, Api) : std::nullopt;
    if (Handle && Shutdown.isClosed(*Handle))
      return true;
    // In a helper, a handle its caller passes in may be one the owner
    // closes under another name.
    if (InCallee &&
        (!Handle || (Handle->Root && isa<ParmVarDecl>(Handle->Root))))
      return true;
    return false;
  };
  for (const Stmt *Loop : Loops.loopsIn(FD)) {
    LoopExitScan Scan = Loops.scanLoop(Loop);
    if (Scan.PeriodicWait)
      continue;
    // The waits of this loop a stop cannot end, with the call of the loop
    // that reaches each one in a helper (null when the wait is the loop's).
    llvm::SmallVector<std::pair<const CallExpr *, const CallExpr *>, 4> Waits;
    for (const CallExpr *Wait : Scan.UnwakeableWaits)
      Waits.push_back({Wait, nullptr});
    bool StopAwarePredicate = false;
    for (const CallExpr *Wait : Scan.PredicateWaits) {
      if (predicateIgnoresStop(Wait, Api, SM))
        Waits.push_back({Wait, nullptr});
      else
        StopAwarePredicate = true;
    }
    if (StopAwarePredicate)
      continue;
    for (const CallExpr *Call : loopCalls(Loop, FD, Loops.calls()))
      if (const FunctionDecl *Callee = followableCallee(Call, SM))
        for (const CallExpr *Wait : Loops.unwakeableWaitsIn(Callee))
          Waits.push_back({Wait, Call});
    if (Waits.empty())
      continue;
    const Expr *Cond = loopCondition(Loop);
    bool CondChecksToken = mentions(Cond, StopChecks);
    // Every other exit must sit under an `if` that checks the token. A
    // blocking pop that throws only when its channel is closed is no exit
    // while nothing closes that channel.
    llvm::SmallPtrSet<const Stmt *, 8> Guarded;
    const Expr *CheckInLoop = nullptr;
    guardedExits(Loop, StopChecks, false, Guarded, CheckInLoop);
    llvm::SmallVector<const Stmt *, 4> Exits;
    for (const Stmt *Exit : Scan.Exits) {
      const auto *Call = dyn_cast<CallExpr>(Exit);
      if (Call && llvm::is_contained(Scan.UnwakeableWaits, Call)) {
        Effect E = Api.call(Call).effect();
        if ((E == Effect::Receive || E == Effect::Send) &&
            !WokenOnShutdown(Call, false))
          continue;
      }
      Exits.push_back(Exit);
    }
    bool AllExitsGuarded = llvm::all_of(
        Exits, [&](const Stmt *Exit) { return Guarded.count(Exit); });
    if (!AllExitsGuarded || (!CondChecksToken && Exits.empty()))
      continue; // another way out, or an endless loop reported elsewhere
    for (const auto &[Wait, Via] : Waits) {
      if (WokenOnShutdown(Wait, Via != nullptr))
        continue;
      StopTokenFinding F;
      F.K = StopTokenFinding::UnwakeableWait;
      F.Token = Token;
      F.Wait = Wait;
      F.Via = Via;
      F.TokenCheck = CheckInLoop ? CheckInLoop : *StopChecks.begin();
      Findings.push_back(std::move(F));
      break;
    }
  }
}

std::vector<StopTokenFinding> analyseJThread(const SpawnSite &Site,
                                             TaskLoopAnalysis &Loops,
                                             const ShutdownFacts &Shutdown) {
  std::vector<StopTokenFinding> Findings;
  if (Site.Family != SpawnFamily::StdJThread || !Site.Body.Function)
    return Findings;
  const FunctionDecl *Body = Site.Body.Function;
  const ParmVarDecl *Token =
      Site.BodyTakesStopToken ? Body->getParamDecl(0) : nullptr;
  unsigned RealUses =
      Token
          ? classifyTokenUses(Body, Token, Loops.api(), Loops.calls()).RealUses
          : 0;

  for (const EndlessLoop &L : Loops.endlessLoopsOfTask(Site)) {
    StopTokenFinding F;
    F.Token = Token;
    F.Loop = L;
    F.K = !Token          ? StopTokenFinding::NoToken
          : RealUses == 0 ? StopTokenFinding::TokenNeverConsulted
                          : StopTokenFinding::LoopIgnoresToken;
    Findings.push_back(std::move(F));
  }

  // The owner drives shutdown by hand (an explicit request_stop() on this
  // jthread that may be followed by a notify, a stop_callback): we cannot
  // see the order.
  if (Token && !Shutdown.stopRequestedFor(Site.Spawn) &&
      !Shutdown.RegistersStopCallback) {
    llvm::SmallPtrSet<const FunctionDecl *, 4> Seen;
    findUnwakeableWaits(Body, Token, Loops, Shutdown, Seen, Findings);
  }
  return Findings;
}

} // namespace clang::tidy::taskleak
