//===--- TimerRearm.cpp ---------------------------------------------------===//
#include "taskleak/TimerRearm.h"
#include "taskleak/Names.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::taskleak {

bool isAsioTimerWait(const CallExpr *Call, ApiModel &Api) {
  const ApiCall &A = Api.call(Call);
  if (A.effect() != Effect::Spawn ||
      A.Entry->Family != SpawnFamily::AsioHandler)
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

/// True when the handler leaves before \p Rearm on an error: every path
/// from its entry to the re-arm passes a branch on the error code one of
/// whose sides never reaches the re-arm (`if (ec) return;`, `if (!ec)
/// rearm();`). A test that both sides get past (`if (ec) log();`) guards
/// nothing. A handler with no CFG (a pattern never instantiated) yields no
/// finding.
static bool rearmGuardedByError(const FunctionDecl *Handler,
                                const ParmVarDecl *Ec, const CallExpr *Rearm,
                                PathSearch &Paths) {
  const CFG *Cfg = Paths.cfgOf(Handler);
  if (!Cfg)
    return true;
  llvm::SmallPtrSet<const CFGBlock *, 4> Deciding;
  for (const CFGBlock *B : *Cfg) {
    const Stmt *Cond = B ? B->getTerminatorCondition() : nullptr;
    if (!Cond || B->succ_size() != 2 || !referencesDecl(Cond, Ec))
      continue;
    const CFGBlock *Then = *B->succ_begin(), *Else = *(B->succ_begin() + 1);
    if (!Paths.blockReaches(Then, Rearm) || !Paths.blockReaches(Else, Rearm))
      Deciding.insert(B);
  }
  if (Deciding.empty())
    return false;
  return !Paths.blockReaches(&Cfg->getEntry(), Rearm, &Deciding);
}

std::optional<TimerRearmFinding> analyseTimerRearm(const SpawnSite &Site,
                                                   ApiModel &Api,
                                                   CallGraphIndex &Calls,
                                                   PathSearch &Paths) {
  const auto *Arm = dyn_cast<CallExpr>(Site.Spawn);
  if (!Arm || !isAsioTimerWait(Arm, Api) || !Site.Body.Function)
    return std::nullopt;
  std::optional<HandleRef> Timer = resolveHandle(receiverOf(Arm), Api);
  if (!Timer || !Timer->leaf())
    return std::nullopt;
  const FunctionDecl *Handler = Site.Body.Function;
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
  if (Ec && Ec->getIdentifier() &&
      rearmGuardedByError(Handler, Ec, Rearm, Paths))
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
