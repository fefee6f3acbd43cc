//===--- HandleUses.cpp - Where a handle is used, and how -----------------===//
#include "taskleak/HandleUses.h"
#include "taskleak/CallGraph.h"
#include "taskleak/Names.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::taskleak {

const std::vector<HandleUse> &HandleUses::in(const FunctionDecl *FD,
                                             const HandleRef &H) {
  std::unique_ptr<std::vector<HandleUse>> &Slot = Memo[{FD, H}];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<std::vector<HandleUse>>();
  std::vector<HandleUse> &Uses = *Slot;
  if (!FD || !FD->getBody())
    return Uses;
  auto Names = [&](const Expr *E) { return E && namesHandle(E, H, Api); };

  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (H.isThisBased() && H.Path.size() == 1 &&
          Init->getMember() == H.Path.front() && Init->getInit()) {
        HandleUse U{HandleUse::Creation};
        U.S = Init->getInit();
        U.Value = Init->getInit();
        Uses.push_back(U);
      }

  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *Ret = dyn_cast<ReturnStmt>(S)) {
      if (Names(Ret->getRetValue()) && !isa<CXXConstructorDecl>(FD))
        Uses.push_back({HandleUse::Returned, S});
      return true;
    }
    const Expr *To = nullptr, *From = nullptr;
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp()) {
        To = BO->getLHS();
        From = BO->getRHS();
      }
    } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
        To = OC->getArg(0);
        From = OC->getArg(1);
      }
    }
    if (To) {
      if (Names(To)) {
        HandleUse U{HandleUse::Creation, S};
        U.Value = From;
        Uses.push_back(U);
      } else if (Names(From)) {
        Uses.push_back({HandleUse::Aliased, S});
      }
      return true;
    }
    if (const auto *FR = dyn_cast<CXXForRangeStmt>(S)) {
      if (Names(FR->getRangeInit()))
        Uses.push_back({HandleUse::RangeFor, S});
      return true;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
      if (llvm::any_of(CE->arguments(), Names))
        Uses.push_back({HandleUse::Constructed, S});
      return true;
    }
    if (const auto *IL = dyn_cast<InitListExpr>(S)) {
      // An aggregate that keeps it (`CloseGuard g{ch};`).
      if (llvm::any_of(IL->inits(), Names))
        Uses.push_back({HandleUse::Constructed, S});
      return true;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          if (VD->isImplicit())
            continue; // a range-for's own __range, __begin, __end
          if (VD == H.Root && H.Path.empty() && VD->getInit()) {
            HandleUse U{HandleUse::Creation, S};
            U.Value = VD->getInit();
            Uses.push_back(U);
          } else if (VD->getInit() && VD->getType()->isReferenceType() &&
                     Names(VD->getInit())) {
            Uses.push_back({HandleUse::Aliased, S}); // an alias not followed
          }
        }
      return true;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && C.getCapturedVar() == H.Root &&
            C.getCaptureKind() == LCK_ByRef)
          Uses.push_back({HandleUse::Aliased, S});
      return true;
    }
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return true;
    if (Names(callObject(Call))) {
      HandleUse U{HandleUse::CallOn, S};
      U.Call = Call;
      Uses.push_back(U);
    }
    const FunctionDecl *Def = nullptr;
    bool Looked = false;
    unsigned Index = 0;
    forEachArgument(
        Call, Call->getDirectCallee(),
        [&](const Expr *Arg, const ParmVarDecl *) {
          unsigned I = Index++;
          // A range-for's own begin(__range)/end(__range).
          if (const auto *D = dyn_cast<DeclRefExpr>(ignoreWrappers(Arg)))
            if (D->getDecl()->isImplicit())
              return;
          if (!Names(Arg))
            return;
          if (!Looked) {
            Def = followableCallee(Call, SM);
            Looked = true;
          }
          HandleUse U{HandleUse::Argument, S};
          U.Call = Call;
          U.ArgIndex = I;
          U.Arg = Arg;
          U.Callee = Def;
          U.Param =
              Def && I < Def->getNumParams() ? Def->getParamDecl(I) : nullptr;
          Uses.push_back(U);
        });
    return true;
  });
  return Uses;
}

std::vector<const FunctionDecl *>
HandleUses::scopeOf(const HandleRef &H, const FunctionDecl *Caller,
                    bool &IsMember) {
  std::vector<const FunctionDecl *> Scope;
  IsMember = false;
  if (const auto *VD = dyn_cast_or_null<VarDecl>(H.Root)) {
    if (!isa<ParmVarDecl>(VD) && VD->hasLocalStorage() &&
        !VD->getType()->isReferenceType() && !H.ThroughPointer)
      Scope.push_back(Caller);
    return Scope;
  }
  if (!H.isThisBased() || H.Path.size() != 1)
    return Scope;
  const auto *FD = dyn_cast<FieldDecl>(H.Path.front());
  // A reference member is bound to an object of the caller's.
  if (!FD || FD->getType()->isReferenceType())
    return Scope;
  IsMember = true;
  const auto *RD = dyn_cast<CXXRecordDecl>(FD->getParent());
  if (!RD)
    return Scope;
  for (const Decl *Member : RD->decls()) {
    const FunctionDecl *Fn = dyn_cast<FunctionDecl>(Member);
    if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(Member))
      Fn = FTD->getTemplatedDecl();
    if (!Fn)
      continue;
    const FunctionDecl *Def = nullptr;
    if (Fn->hasBody(Def) && Def)
      Scope.push_back(Def);
  }
  return Scope;
}

} // namespace clang::tidy::taskleak
