//===--- TimerRearm.cpp ---------------------------------------------------===//
#include "taskleak/TimerRearm.h"
#include "taskleak/Names.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::taskleak {

bool isAsioTimerWait(const CallExpr *Call, ApiModel &Api) {
  const ApiCall &A = Api.call(Call);
  if (A.effect() != Effect::Spawn || A.Entry->Family != SpawnFamily::AsioHandler)
    return false;
  const Expr *Timer = receiverOf(Call);
  return Timer && Api.kindOf(Timer->getType()) == ObjectKind::AsioTimer;
}

/// The async_wait on \p Timer that \p Handler performs, directly or through
/// calls of this TU; \p Via is the call in the handler that leads there.
static const CallExpr *findRearm(const FunctionDecl *Handler,
                                 const HandleRef &Timer, ApiModel &Api,
                                 CallGraphIndex &Calls) {
  for (const CallGraphIndex::Reached &R : Calls.reachableFrom(Handler)) {
    const CallExpr *Found = nullptr;
    forEachStmtInFunction(R.Function->getBody(), [&](const Stmt *S) {
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (isAsioTimerWait(Call, Api) &&
            namesHandle(receiverOf(Call), Timer, Api))
          Found = Call;
      return !Found;
    });
    if (Found)
      return R.Chain.empty() ? Found : R.Chain.front();
  }
  return nullptr;
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
                                                   ASTContext &Ctx,
                                                   ApiModel &Api,
                                                   CallGraphIndex &Calls) {
  const auto *Arm = dyn_cast<CallExpr>(Site.Spawn);
  if (!Arm || !isAsioTimerWait(Arm, Api) || !Site.Body.Function)
    return std::nullopt;
  std::optional<HandleRef> Timer = resolveHandle(receiverOf(Arm), Api);
  if (!Timer || !Timer->leaf())
    return std::nullopt;
  const FunctionDecl *Handler = Site.Body.Function;
  const SourceManager &SM = Ctx.getSourceManager();
  const CallExpr *Rearm = findRearm(Handler, *Timer, Api, Calls);
  if (!Rearm)
    return std::nullopt;
  const ParmVarDecl *Ec = nullptr;
  for (const ParmVarDecl *P : Handler->parameters())
    if (Api.kindOf(P->getType()) == ObjectKind::ErrorCode ||
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
  F.Timer = Timer->leaf();
  F.Handler = Handler;
  F.ErrorParam = (Ec && Ec->getIdentifier()) ? Ec : nullptr;
  F.Rearm = Rearm;
  return F;
}

} // namespace clang::tidy::taskleak
