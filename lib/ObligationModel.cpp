//===--- ObligationModel.cpp - Obligations from the API model -------------===//
#include "taskleak/ObligationModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::taskleak {

llvm::StringRef releaseName(ObligationKind K) {
  switch (K) {
  case ObligationKind::Mutex:
    return "unlock()";
  case ObligationKind::Semaphore:
    return "release()";
  case ObligationKind::LatchArrival:
    return "count_down()";
  case ObligationKind::Promise:
    return "set_value()/set_exception()";
  case ObligationKind::WaitGroupDone:
    return "Done()";
  case ObligationKind::ChannelClose:
    return "close()";
  case ObligationKind::BarrierDrop:
    return "arrive_and_drop()";
  }
  return "release";
}

llvm::StringRef heldState(ObligationKind K) {
  switch (K) {
  case ObligationKind::Mutex:
    return "locked";
  case ObligationKind::Semaphore:
    return "acquired";
  default:
    return "pending";
  }
}

static std::optional<std::pair<ObligationRole, ObligationKind>>
roleOf(Effect E, ObjectKind K) {
  using R = ObligationRole;
  using O = ObligationKind;
  switch (K) {
  case ObjectKind::Mutex:
  case ObjectKind::Semaphore: {
    O Kind = K == ObjectKind::Mutex ? O::Mutex : O::Semaphore;
    if (E == Effect::Acquire)
      return {{R::Acquire, Kind}};
    if (E == Effect::TryAcquire)
      return {{R::TryAcquire, Kind}};
    if (E == Effect::Release)
      return {{R::Release, Kind}};
    return std::nullopt;
  }
  case ObjectKind::Latch:
    if (E == Effect::CountDown || E == Effect::ArriveAndWait)
      return {{R::Release, O::LatchArrival}};
    return std::nullopt;
  case ObjectKind::Promise:
    if (E == Effect::SetResult)
      return {{R::Release, O::Promise}};
    return std::nullopt;
  case ObjectKind::WaitGroup:
    if (E == Effect::CountDown)
      return {{R::Release, O::WaitGroupDone}};
    return std::nullopt;
  case ObjectKind::FiberChannel:
  case ObjectKind::UserChannel:
    if (E == Effect::Close)
      return {{R::Release, O::ChannelClose}};
    return std::nullopt;
  default:
    return std::nullopt;
  }
}

ObligationEffect obligationEffectOf(const CallExpr *Call, ApiModel &Api) {
  const ApiCall &A = Api.call(Call);
  if (!A || !A.Handle)
    return {};
  auto Role = roleOf(A.effect(), A.kind());
  if (!Role)
    return {};
  ObligationEffect Result;
  Result.Role = Role->first;
  Result.Kind = Role->second;
  Result.HandleExpr = A.Handle;
  Result.Handle = resolveHandle(A.Handle, Api);
  if (!Result.Handle)
    Result.Role = ObligationRole::None;
  if (Result.Kind == ObligationKind::Semaphore &&
      Result.Role == ObligationRole::Release)
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
        MC && MC->getNumArgs() >= 1 &&
        !isa<CXXDefaultArgExpr>(MC->getArg(0)->IgnoreParenImpCasts())) {
      const Expr *Count = MC->getArg(0);
      Expr::EvalResult R;
      Result.ForMany =
          Count->isValueDependent() ||
          !Count->EvaluateAsInt(
              R, MC->getMethodDecl()->getASTContext()) ||
          R.Val.getInt() != 1;
    }
  return Result;
}

} // namespace clang::tidy::taskleak
