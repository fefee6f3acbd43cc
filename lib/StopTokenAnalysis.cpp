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
/// shutdown: close()/abort()/notify_*() targets, request_stop() calls and
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
    bool IsClose = Name == "close" || Name == "abort" ||
                   Name.starts_with("notify_") || Name == "count_down" ||
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

std::vector<StopTokenFinding>
analyseJThread(const SpawnSite &Site, TaskLoopAnalysis &Loops,
               const ShutdownFacts &Shutdown) {
  std::vector<StopTokenFinding> Findings;
  if (Site.Family != SpawnFamily::StdJThread || !Site.Body.Function)
    return Findings;
  const FunctionDecl *Body = Site.Body.Function;
  const ParmVarDecl *Token =
      Site.BodyTakesStopToken ? Body->getParamDecl(0) : nullptr;

  // How the body uses its token: not at all, only via stop_requested(), or
  // handed on (to a condition_variable_any wait, a stop_callback, a callee).
  llvm::SmallVector<const DeclRefExpr *, 4> Uses;
  if (Token)
    collectTokenUses(Body->getBody(), Token, Uses);
  llvm::SmallPtrSet<const Expr *, 4> StopChecks;
  bool HandedOn = false;
  unsigned RealUses = 0;
  for (const DeclRefExpr *Use : Uses) {
    if (isVoidCast(Use, Body->getBody()))
      continue;
    ++RealUses;
    if (const CXXMemberCallExpr *Check = stopRequestedCallOf(Use, Body->getBody()))
      StopChecks.insert(Check);
    else
      HandedOn = true;
  }

  for (const EndlessLoop &L : Loops.endlessLoopsOfTask(Site.Body)) {
    StopTokenFinding F;
    F.Token = Token;
    F.Loop = L;
    F.K = !Token ? StopTokenFinding::NoToken
          : RealUses == 0 ? StopTokenFinding::TokenNeverConsulted
                          : StopTokenFinding::LoopIgnoresToken;
    Findings.push_back(std::move(F));
  }

  // Loops that end only through stop_requested(), yet block between checks
  // in a wait that request_stop() does not wake.
  if (!Token || HandedOn || StopChecks.empty() || Shutdown.CallsRequestStop ||
      Shutdown.RegistersStopCallback)
    return Findings;
  const SourceManager &SM = Body->getASTContext().getSourceManager();
  for (const Stmt *Loop : Loops.loopsIn(Body)) {
    LoopExitScan Scan = Loops.scanLoop(Loop);
    if (Scan.UnwakeableWaits.empty() || Scan.PredicateWait || Scan.PeriodicWait)
      continue;
    const Expr *Cond = nullptr;
    if (const auto *W = dyn_cast<WhileStmt>(Loop))
      Cond = W->getCond();
    else if (const auto *D = dyn_cast<DoStmt>(Loop))
      Cond = D->getCond();
    else if (const auto *For = dyn_cast<ForStmt>(Loop))
      Cond = For->getCond();
    bool CondChecksToken = mentions(Cond, StopChecks);
    // Every exit must sit under an `if` that checks the token.
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
    if (!AllExitsGuarded || (!CondChecksToken && TokenIfs.empty()))
      continue;
    if (!CondChecksToken && Scan.Exits.empty())
      continue; // an endless loop: reported above
    for (const CallExpr *Wait : Scan.UnwakeableWaits) {
      const Expr *Receiver = receiverOf(Wait);
      const ValueDecl *Handle = Receiver ? handleDecl(Receiver) : nullptr;
      if (Handle && Shutdown.ClosedHandles.count(Handle) &&
          classifyBlockingCall(Wait, SuiteConfig()) == BlockingKind::Unwakeable) {
        // A channel closed somewhere, or a condition variable notified: its
        // owner may wake it on shutdown. Only condition_variable::wait with
        // no predicate is still stuck if notified before request_stop(); we
        // cannot order those, so stay silent.
        continue;
      }
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
  return Findings;
}

} // namespace clang::tidy::taskleak
