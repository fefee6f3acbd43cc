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
/// calls of this TU: the calls from the handler down to it (\p Chain, its
/// first element in the handler) and the function of each.
struct RearmPath {
  /// Per step: the function and the call in it that leads on (the last one
  /// is the async_wait itself).
  llvm::SmallVector<std::pair<const FunctionDecl *, const CallExpr *>, 4> Steps;
};
static std::optional<RearmPath> findRearm(const FunctionDecl *Handler,
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
    if (!Found)
      continue;
    RearmPath P;
    const FunctionDecl *In = Handler;
    for (const CallExpr *C : R.Chain) {
      P.Steps.emplace_back(In, C);
      In = followableCallee(C, Handler->getASTContext().getSourceManager());
      if (!In)
        return P;
    }
    P.Steps.emplace_back(R.Function, Found);
    return P;
  }
  return std::nullopt;
}

/// True when \p Cond reads state that outlives one handler run: a member, a
/// global or static, a variable of the enclosing scope (a stop flag, a
/// counter).
static bool readsLastingState(const Stmt *Cond, const FunctionDecl *Fn) {
  if (!Cond)
    return false;
  if (isa<MemberExpr>(Cond))
    return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Cond))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (!isa<ParmVarDecl>(VD) &&
          (VD->hasGlobalStorage() || VD->getDeclContext() != Fn))
        return true;
  for (const Stmt *Child : Cond->children())
    if (readsLastingState(Child, Fn))
      return true;
  return false;
}

/// True when \p Fn leaves before \p Next on an error or a stop condition:
/// every path from its entry to \p Next passes a branch on the error code
/// \p Ec (or on lasting state: a stop flag, a counter) one of whose sides
/// never reaches it (`if (ec) return;`, `if (!ec) rearm();`, `if
/// (++count_ < 5) rearm();`). A test that both sides get past (`if (ec)
/// log();`) guards nothing. A function with no CFG (a pattern never
/// instantiated) yields no finding.
static bool guardedBefore(const FunctionDecl *Fn, const ParmVarDecl *Ec,
                          const CallExpr *Next, PathSearch &Paths) {
  const CFG *Cfg = Paths.cfgOf(Fn);
  if (!Cfg)
    return true;
  llvm::SmallPtrSet<const CFGBlock *, 4> Deciding;
  for (const CFGBlock *B : *Cfg) {
    const Stmt *Cond = B ? B->getTerminatorCondition() : nullptr;
    if (!Cond || B->succ_size() != 2 ||
        !((Ec && referencesDecl(Cond, Ec)) || readsLastingState(Cond, Fn)))
      continue;
    const CFGBlock *Then = *B->succ_begin(), *Else = *(B->succ_begin() + 1);
    if (!Then || !Else || !Paths.blockReaches(Then, Next) ||
        !Paths.blockReaches(Else, Next))
      Deciding.insert(B);
  }
  if (Deciding.empty())
    return false;
  return !Paths.blockReaches(&Cfg->getEntry(), Next, &Deciding);
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
  std::optional<RearmPath> Path = findRearm(Handler, *Timer, Api, Calls);
  if (!Path || Path->Steps.empty())
    return std::nullopt;
  const CallExpr *Rearm = Path->Steps.front().second;
  const ParmVarDecl *Ec = nullptr;
  for (const ParmVarDecl *P : Handler->parameters())
    if (Api.kindOf(P->getType()) == ObjectKind::ErrorCode ||
        P->getType()->isDependentType()) {
      // A generic handler seen only as its pattern: its first `auto`
      // parameter receives the error code.
      Ec = P;
      break;
    }
  if (Ec && !Ec->getIdentifier())
    Ec = nullptr;
  // The handler, or a function on the way to the re-arm, returns on the
  // error code or stops on a flag or a counter.
  for (const auto &[Fn, Next] : Path->Steps)
    if (guardedBefore(Fn, Fn == Handler ? Ec : nullptr, Next, Paths))
      return std::nullopt;
  TimerRearmFinding F;
  F.ArmSite = Arm;
  F.Timer = Timer->leaf();
  F.Handler = Handler;
  F.ErrorParam = Ec;
  F.Rearm = Rearm;
  return F;
}

} // namespace clang::tidy::taskleak

namespace clang::tidy::taskleak {

std::vector<TimerRearmFinding>
storedHandlerRearms(const FunctionDecl *FD, ApiModel &Api, HandleUses &Uses,
                    CallGraphIndex &Calls, PathSearch &Paths) {
  std::vector<TimerRearmFinding> Found;
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return Found;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    const auto *Arm = dyn_cast<CallExpr>(S);
    if (!Arm || !isAsioTimerWait(Arm, Api) || !Arm->getNumArgs() ||
        classifySpawn(Arm, Api))
      return true;
    // The handler is a callable object stored for later (a std::function
    // member or local): the callables assigned to it are the handlers.
    const Expr *HandlerArg = Arm->getArg(Arm->getNumArgs() - 1);
    std::optional<HandleRef> Stored = resolveHandle(HandlerArg, Api);
    if (!Stored || !Stored->leaf() || Stored->ThroughPointer)
      return true;
    bool IsMember = false;
    for (const FunctionDecl *Fn : HandleUses::scopeOf(*Stored, FD, IsMember))
      for (const HandleUse &U : Uses.in(Fn, *Stored)) {
        if (U.K != HandleUse::Creation || !U.Value)
          continue;
        SpawnSite Site;
        Site.Spawn = Arm;
        Site.Family = SpawnFamily::AsioHandler;
        Site.Callable = HandlerArg;
        Site.Body = resolveCallable(U.Value, Api);
        if (!Site.Body.Function)
          continue;
        if (std::optional<TimerRearmFinding> F =
                analyseTimerRearm(Site, Api, Calls, Paths)) {
          Found.push_back(*F);
          return true;
        }
      }
    return true;
  });
  return Found;
}

} // namespace clang::tidy::taskleak
