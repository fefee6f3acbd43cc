//===--- HandleRef.cpp - One identity for a handle ------------------------===//
#include "taskleak/HandleRef.h"
#include "taskleak/Names.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::taskleak {

std::string HandleRef::spelling() const {
  std::string S;
  if (Root)
    S = Root->getNameAsString();
  for (const ValueDecl *F : Path) {
    if (!S.empty())
      S += ".";
    S += F->getNameAsString();
  }
  return S.empty() ? "*this" : S;
}

/// A local variable that stands for another handle: a reference bound at its
/// declaration, or a copy of a shared_ptr (both copies own one object).
static const Expr *aliasedInit(const VarDecl *VD, ApiModel &Api) {
  if (isa<ParmVarDecl>(VD) || !VD->hasLocalStorage() || !VD->getInit())
    return nullptr;
  if (VD->getType()->isReferenceType())
    return VD->getInit();
  if (Api.kindOf(VD->getType()) != ObjectKind::SmartPointer)
    return nullptr;
  const Expr *Init = VD->getInit()->IgnoreImplicit();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Init))
    if (CE->getNumArgs() == 1 && CE->getConstructor()->isCopyConstructor())
      return CE->getArg(0);
  return nullptr;
}

std::optional<HandleRef> resolveHandle(const Expr *E, ApiModel &Api) {
  HandleRef H;
  llvm::SmallVector<const ValueDecl *, 4> Reversed;
  for (int Steps = 0; E && Steps < 16; ++Steps) {
    E = ignoreWrappers(E);
    if (!E)
      return std::nullopt;
    if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E)) {
      // static_cast<std::mutex &>(l), (Base &)obj: the same object.
      CastKind K = Cast->getCastKind();
      if (K != CK_DerivedToBase && K != CK_UncheckedDerivedToBase &&
          K != CK_NoOp && K != CK_LValueToRValue)
        return std::nullopt;
      E = Cast->getSubExpr();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_Deref)
        H.ThroughPointer = true;
      else if (UO->getOpcode() != UO_AddrOf)
        return std::nullopt;
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      // Smart pointers and iterators-like wrappers: `*p`, `p->m`.
      if (OC->getOperator() != OO_Star && OC->getOperator() != OO_Arrow)
        return std::nullopt;
      H.ThroughPointer = true;
      E = OC->getArg(0);
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const ApiCall &A = Api.call(Call);
      if (A.effect() != Effect::HandleAccess || !A.Handle)
        return std::nullopt;
      E = A.Handle;
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const ValueDecl *Member = ME->getMemberDecl();
      if (const auto *VD = dyn_cast<VarDecl>(Member)) {
        H.Root = VD; // a static member is one object
        break;
      }
      if (!isa<FieldDecl>(Member))
        return std::nullopt;
      Reversed.push_back(Member);
      if (ME->isArrow() &&
          !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        H.ThroughPointer = true;
      E = ME->getBase();
      continue;
    }
    if (isa<CXXThisExpr>(E)) {
      H.Root = nullptr;
      break;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD)
        return std::nullopt;
      if (const Expr *Init = aliasedInit(VD, Api)) {
        E = Init;
        continue;
      }
      H.Root = VD;
      break;
    }
    return std::nullopt;
  }
  if (!E)
    return std::nullopt;
  H.Path.assign(Reversed.rbegin(), Reversed.rend());
  return H;
}

bool namesHandle(const Expr *E, const HandleRef &H, ApiModel &Api) {
  std::optional<HandleRef> R = resolveHandle(E, Api);
  return R && *R == H;
}

static unsigned argumentOffset(const CallExpr *Call) {
  return isa<CXXOperatorCallExpr>(Call) &&
                 isa_and_nonnull<CXXMethodDecl>(Call->getDirectCallee())
             ? 1
             : 0;
}

const ParmVarDecl *parameterFor(const CallExpr *Call, unsigned ArgIndex,
                                const FunctionDecl *Callee) {
  unsigned Offset = argumentOffset(Call);
  if (!Callee || ArgIndex < Offset)
    return nullptr;
  unsigned P = ArgIndex - Offset;
  return P < Callee->getNumParams() ? Callee->getParamDecl(P) : nullptr;
}

void forEachArgument(
    const CallExpr *Call, const FunctionDecl *Callee,
    llvm::function_ref<void(const Expr *Arg, const ParmVarDecl *Param)> Fn) {
  for (unsigned I = argumentOffset(Call); I < Call->getNumArgs(); ++I)
    Fn(Call->getArg(I), parameterFor(Call, I, Callee));
}

const Expr *callObject(const CallExpr *Call) { return receiverOf(Call); }

std::optional<HandleRef> handleInCaller(const HandleRef &InCallee,
                                        const CallExpr *Call,
                                        const FunctionDecl *Callee,
                                        ApiModel &Api) {
  auto Extend = [&](std::optional<HandleRef> Base) -> std::optional<HandleRef> {
    if (!Base)
      return std::nullopt;
    Base->Path.append(InCallee.Path.begin(), InCallee.Path.end());
    Base->ThroughPointer |= InCallee.ThroughPointer;
    return Base;
  };
  // A lambda's body names its enclosing function's `this` and variables:
  // they are the caller's as they are.
  const auto *Method = dyn_cast<CXXMethodDecl>(Callee);
  bool IsLambda = Method && Method->getParent()->isLambda();
  if (InCallee.isThisBased()) {
    if (IsLambda)
      return InCallee;
    const Expr *Obj = callObject(Call);
    if (!Obj)
      return std::nullopt;
    std::optional<HandleRef> Result = Extend(resolveHandle(Obj, Api));
    if (Result && Obj->getType()->isPointerType())
      Result->ThroughPointer = true; // `p->unlockAll()`
    return Result;
  }
  if (const auto *P = dyn_cast<ParmVarDecl>(InCallee.Root)) {
    if (P->getDeclContext() != Callee)
      return IsLambda ? std::optional<HandleRef>(InCallee) : std::nullopt;
    std::optional<HandleRef> Result;
    forEachArgument(Call, Callee, [&](const Expr *Arg, const ParmVarDecl *Q) {
      if (Q == P)
        Result = Extend(resolveHandle(Arg, Api));
    });
    return Result;
  }
  if (const auto *VD = dyn_cast<VarDecl>(InCallee.Root))
    if (VD->hasLocalStorage() &&
        (!IsLambda || VD->getParentFunctionOrMethod() == Callee))
      return std::nullopt;
  return InCallee;
}

bool isLocalTo(const HandleRef &H, const FunctionDecl *FD) {
  const auto *VD = dyn_cast_or_null<VarDecl>(H.Root);
  if (!VD || !VD->hasLocalStorage() || H.ThroughPointer ||
      VD->getType()->isReferenceType() || VD->getType()->isPointerType())
    return false;
  return VD->getDeclContext() == FD;
}

} // namespace clang::tidy::taskleak
