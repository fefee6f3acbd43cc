//===--- TimerRearm.cpp ---------------------------------------------------===//
#include "taskleak/TimerRearm.h"
#include "taskleak/Names.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::taskleak {

static const llvm::StringRef TimerClasses[] = {
    "boost::asio::basic_waitable_timer", "boost::asio::basic_deadline_timer",
    "asio::basic_waitable_timer", "asio::basic_deadline_timer"};

bool isAsioTimerWait(const CallExpr *Call) {
  const CXXMethodDecl *M = calledMethod(Call);
  if (!M || !M->getDeclName().isIdentifier() || M->getName() != "async_wait")
    return false;
  return hasAnyQualifiedName(M->getParent(), TimerClasses);
}

/// The async_wait on \p Timer that \p FD performs, directly or through calls
/// of this TU (MaxCallDepth deep); Via is the call in FD that leads there.
static const CallExpr *findRearm(const FunctionDecl *FD, const ValueDecl *Timer,
                                 const SourceManager &SM, unsigned Depth,
                                 llvm::SmallPtrSetImpl<const FunctionDecl *> &Seen) {
  if (!FD || !FD->getBody() || !Seen.insert(FD).second)
    return nullptr;
  const CallExpr *Found = nullptr;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (Found)
      return false;
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return true;
    if (isAsioTimerWait(Call)) {
      if (handleDecl(receiverOf(Call)) == Timer)
        Found = Call;
      return !Found;
    }
    if (Depth < TaskLoopAnalysis::MaxCallDepth)
      if (const FunctionDecl *Callee = followableCallee(Call, SM))
        if (findRearm(Callee, Timer, SM, Depth + 1, Seen))
          Found = Call;
    return !Found;
  });
  return Found;
}

static bool containsExit(const Stmt *S) {
  bool Found = false;
  forEachStmtInFunction(S, [&](const Stmt *Sub) {
    if (isa<ReturnStmt>(Sub) || isa<CXXThrowExpr>(Sub) || isa<CoreturnStmt>(Sub))
      Found = true;
    if (const auto *Call = dyn_cast<CallExpr>(Sub))
      if (const FunctionDecl *FD = Call->getDirectCallee())
        if (FD->isNoReturn())
          Found = true;
    return !Found;
  });
  return Found;
}

/// True when the handler leaves before \p Rearm on an error: the re-arm sits
/// in a branch of an `if` that tests the error code, or an earlier `if` that
/// tests it returns or throws.
static bool rearmGuardedByError(const FunctionDecl *Handler,
                                const ParmVarDecl *Ec, const CallExpr *Rearm,
                                const SourceManager &SM) {
  bool Guarded = false;
  SourceLocation At = Rearm->getBeginLoc();
  forEachStmtInFunction(Handler->getBody(), [&](const Stmt *S) {
    if (Guarded)
      return false;
    const Expr *Cond = nullptr;
    const Stmt *Then = nullptr;
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      Cond = If->getCond();
      Then = If->getThen();
    } else if (const auto *Sw = dyn_cast<SwitchStmt>(S)) {
      Cond = Sw->getCond();
      Then = Sw->getBody();
    } else if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
      Cond = CO->getCond();
    } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isLogicalOp())
        Cond = BO->getLHS();
    }
    if (!Cond || !referencesDecl(Cond, Ec))
      return true;
    if (SM.isPointWithin(At, S->getBeginLoc(), S->getEndLoc()) &&
        !SM.isPointWithin(At, Cond->getBeginLoc(), Cond->getEndLoc()))
      Guarded = true; // the re-arm depends on the error code
    else if (Then && SM.isBeforeInTranslationUnit(S->getEndLoc(), At) &&
             containsExit(Then))
      Guarded = true; // an earlier `if (ec) return;`
    return !Guarded;
  });
  return Guarded;
}

std::optional<TimerRearmFinding> analyseTimerRearm(const SpawnSite &Site,
                                                   ASTContext &Ctx) {
  const auto *Arm = dyn_cast<CallExpr>(Site.Spawn);
  if (!Arm || !isAsioTimerWait(Arm) || !Site.Body.Function)
    return std::nullopt;
  const ValueDecl *Timer = handleDecl(receiverOf(Arm));
  if (!Timer)
    return std::nullopt;
  const FunctionDecl *Handler = Site.Body.Function;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallPtrSet<const FunctionDecl *, 8> Seen;
  const CallExpr *Rearm = findRearm(Handler, Timer, SM, 0, Seen);
  if (!Rearm)
    return std::nullopt;
  const ParmVarDecl *Ec = nullptr;
  for (const ParmVarDecl *P : Handler->parameters())
    if (isErrorCodeType(P->getType()) ||
        P->getType()->isDependentType()) {
      // A generic handler seen only as its pattern: its first `auto`
      // parameter receives the error code.
      Ec = P;
      break;
    }
  if (Ec && Ec->getIdentifier() && rearmGuardedByError(Handler, Ec, Rearm, SM))
    return std::nullopt;
  TimerRearmFinding F;
  F.ArmSite = Arm;
  F.Timer = Timer;
  F.Handler = Handler;
  F.ErrorParam = (Ec && Ec->getIdentifier()) ? Ec : nullptr;
  F.Rearm = Rearm;
  return F;
}

} // namespace clang::tidy::taskleak
