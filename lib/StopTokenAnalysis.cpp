//===--- StopTokenAnalysis.cpp --------------------------------------------===//
#include "taskleak/StopTokenAnalysis.h"
#include "taskleak/Names.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include <functional>

namespace clang::tidy::taskleak {

namespace {
/// One walk over the user's code (system headers skipped) for hand-written
/// shutdown: close()/abort()/count_down()/release()/set_value() targets, request_stop() calls and
/// stop_callback registrations.
class ShutdownVisitor : public RecursiveASTVisitor<ShutdownVisitor> {
public:
  ShutdownVisitor(ASTContext &Ctx, const SuiteConfig &Config, ShutdownFacts &F)
      : SM(Ctx.getSourceManager()), Config(Config), F(F) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
    const CXXMethodDecl *M = Call->getMethodDecl();
    if (!M || !M->getDeclName().isIdentifier())
      return true;
    llvm::StringRef Name = M->getName();
    if (Name == "request_stop") {
      F.CallsRequestStop = true;
      return true;
    }
    // notify_*() is not here: a notify that runs before request_stop()
    // (a producer's push, the owner's destructor body, which runs before
    // the jthread member is destroyed) leaves the waiter to sleep again.
    bool IsClose = Name == "close" || Name == "abort" || Name == "count_down" ||
                   Name == "release" || Name == "set_value" ||
                   Name == "set_exception" ||
                   (!Config.CloseMethods.empty() &&
                    hasAnyQualifiedName(M, Config.CloseMethods));
    if (IsClose)
      if (const ValueDecl *D = handleDecl(Call->getImplicitObjectArgument()))
        F.ClosedHandles.insert(D);
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    static const llvm::StringRef Callbacks[] = {"std::stop_callback"};
    if (hasAnyQualifiedName(CE->getConstructor()->getParent(), Callbacks))
      F.RegistersStopCallback = true;
    return true;
  }

private:
  const SourceManager &SM;
  const SuiteConfig &Config;
  ShutdownFacts &F;
};
} // namespace

ShutdownFacts computeShutdownFacts(ASTContext &Ctx, const SuiteConfig &Config) {
  ShutdownFacts F;
  ShutdownVisitor V(Ctx, Config, F);
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

/// The `st.stop_requested()` call a use of the token belongs to, if that is
/// all the use does.
static const CXXMemberCallExpr *stopRequestedCallOf(const DeclRefExpr *Use,
                                                    const Stmt *Body) {
  const CXXMemberCallExpr *Found = nullptr;
  forEachStmtInFunction(Body, [&](const Stmt *S) {
    if (Found)
      return false;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (const CXXMethodDecl *M = MC->getMethodDecl())
        if (M->getDeclName().isIdentifier() && M->getName() == "stop_requested" &&
            ignoreWrappers(MC->getImplicitObjectArgument()) == Use)
          Found = MC;
    return true;
  });
  return Found;
}

static bool isVoidCast(const DeclRefExpr *Use, const Stmt *Body) {
  bool Found = false;
  forEachStmtInFunction(Body, [&](const Stmt *S) {
    if (const auto *C = dyn_cast<ExplicitCastExpr>(S))
      if (C->getType()->isVoidType() && ignoreWrappers(C->getSubExpr()) == Use)
        Found = true;
    return !Found;
  });
  return Found;
}

static bool mentions(const Stmt *S, const llvm::SmallPtrSetImpl<const Expr *> &Checks) {
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

static bool isStopTokenType(QualType T) {
  static const llvm::StringRef Token[] = {"std::stop_token"};
  return hasAnyQualifiedName(recordOf(T), Token);
}

static TokenUses classifyTokenUses(const FunctionDecl *FD,
                                   const ParmVarDecl *Token) {
  TokenUses Result;
  const Stmt *Body = FD->getBody();
  llvm::SmallVector<const DeclRefExpr *, 4> Uses;
  collectTokenUses(Body, Token, Uses);
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  for (const DeclRefExpr *Use : Uses) {
    if (isVoidCast(Use, Body))
      continue;
    ++Result.RealUses;
    if (const CXXMemberCallExpr *Check = stopRequestedCallOf(Use, Body)) {
      Result.StopChecks.insert(Check);
      continue;
    }
    // `helper(tok)` where helper is defined here and takes a stop_token.
    bool Forwarded = false;
    forEachStmtInFunction(Body, [&](const Stmt *S) {
      if (Forwarded)
        return false;
      const auto *Call = dyn_cast<CallExpr>(S);
      if (!Call)
        return true;
      const FunctionDecl *Callee = followableCallee(Call, SM);
      if (!Callee)
        return true;
      unsigned Offset = isa<CXXOperatorCallExpr>(Call) &&
                                isa<CXXMethodDecl>(Call->getDirectCallee())
                            ? 1
                            : 0;
      for (unsigned I = Offset; I < Call->getNumArgs(); ++I) {
        if (ignoreWrappers(Call->getArg(I)) != Use)
          continue;
        unsigned ParamIndex = I - Offset;
        if (ParamIndex < Callee->getNumParams() &&
            isStopTokenType(Callee->getParamDecl(ParamIndex)->getType())) {
          Result.ForwardedTo.emplace_back(Callee,
                                          Callee->getParamDecl(ParamIndex));
          Forwarded = true;
        }
      }
      return !Forwarded;
    });
    if (!Forwarded)
      Result.HandedOn = true;
  }
  return Result;
}

/// Loops of \p FD that end only through `Token.stop_requested()` yet block
/// between checks in a wait that request_stop() does not wake. Follows the
/// token into callees that receive it.
static void findUnwakeableWaits(const FunctionDecl *FD, const ParmVarDecl *Token,
                                TaskLoopAnalysis &Loops,
                                const ShutdownFacts &Shutdown, unsigned Depth,
                                std::vector<StopTokenFinding> &Findings) {
  TokenUses Uses = classifyTokenUses(FD, Token);
  if (Uses.HandedOn)
    return;
  if (Depth < TaskLoopAnalysis::MaxCallDepth)
    for (const auto &[Callee, Param] : Uses.ForwardedTo)
      findUnwakeableWaits(Callee, Param, Loops, Shutdown, Depth + 1, Findings);
  if (Uses.StopChecks.empty())
    return;
  const llvm::SmallPtrSetImpl<const Expr *> &StopChecks = Uses.StopChecks;
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  for (const Stmt *Loop : Loops.loopsIn(FD)) {
    LoopExitScan Scan = Loops.scanLoop(Loop);
    if (Scan.UnwakeableWaits.empty() || Scan.PredicateWait || Scan.PeriodicWait)
      continue;
    const Expr *Cond = loopCondition(Loop);
    bool CondChecksToken = mentions(Cond, StopChecks);
    // Every other exit must sit under an `if` that checks the token.
    llvm::SmallVector<const IfStmt *, 2> TokenIfs;
    forEachStmtInFunction(Loop, [&](const Stmt *S) {
      if (const auto *If = dyn_cast<IfStmt>(S))
        if (mentions(If->getCond(), StopChecks))
          TokenIfs.push_back(If);
      return true;
    });
    bool AllExitsGuarded = llvm::all_of(Scan.Exits, [&](const Stmt *Exit) {
      return llvm::any_of(TokenIfs, [&](const IfStmt *If) {
        return SM.isPointWithin(Exit->getBeginLoc(), If->getBeginLoc(),
                                If->getEndLoc());
      });
    });
    if (!AllExitsGuarded || (!CondChecksToken && Scan.Exits.empty()))
      continue; // another way out, or an endless loop reported elsewhere
    for (const CallExpr *Wait : Scan.UnwakeableWaits) {
      const Expr *Receiver = receiverOf(Wait);
      const ValueDecl *Handle = Receiver ? handleDecl(Receiver) : nullptr;
      // A channel closed, a latch counted down or a condition variable
      // notified somewhere: its owner may wake it on shutdown, and we cannot
      // order that against request_stop(). Stay silent.
      if (Handle && Shutdown.ClosedHandles.count(Handle))
        continue;
      StopTokenFinding F;
      F.K = StopTokenFinding::UnwakeableWait;
      F.Token = Token;
      F.Wait = Wait;
      F.TokenCheck = *StopChecks.begin();
      for (const Expr *C : StopChecks)
        if (SM.isPointWithin(C->getBeginLoc(), Loop->getBeginLoc(),
                             Loop->getEndLoc()))
          F.TokenCheck = C;
      Findings.push_back(std::move(F));
      break;
    }
  }
}

std::vector<StopTokenFinding>
analyseJThread(const SpawnSite &Site, TaskLoopAnalysis &Loops,
               const ShutdownFacts &Shutdown) {
  std::vector<StopTokenFinding> Findings;
  if (Site.Family != SpawnFamily::StdJThread || !Site.Body.Function)
    return Findings;
  const FunctionDecl *Body = Site.Body.Function;
  const ParmVarDecl *Token =
      Site.BodyTakesStopToken ? Body->getParamDecl(0) : nullptr;
  unsigned RealUses = Token ? classifyTokenUses(Body, Token).RealUses : 0;

  for (const EndlessLoop &L : Loops.endlessLoopsOfTask(Site.Body)) {
    StopTokenFinding F;
    F.Token = Token;
    F.Loop = L;
    F.K = !Token ? StopTokenFinding::NoToken
          : RealUses == 0 ? StopTokenFinding::TokenNeverConsulted
                          : StopTokenFinding::LoopIgnoresToken;
    Findings.push_back(std::move(F));
  }

  // Someone drives shutdown by hand (an explicit request_stop() that may be
  // followed by a notify, a stop_callback): we cannot see the order.
  if (Token && !Shutdown.CallsRequestStop && !Shutdown.RegistersStopCallback)
    findUnwakeableWaits(Body, Token, Loops, Shutdown, 0, Findings);
  return Findings;
}

} // namespace clang::tidy::taskleak
