//===--- Names.cpp - Small AST helpers shared by lib/
//----------------------===//
#include "taskleak/Names.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::taskleak {

const CXXRecordDecl *recordOf(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (const auto *RD = T->getAsCXXRecordDecl())
    return RD;
  // Dependent specialisations have no record yet; use the template pattern.
  if (const auto *TST = T->getAs<TemplateSpecializationType>())
    if (const auto *TD = TST->getTemplateName().getAsTemplateDecl())
      if (const auto *CTD = dyn_cast<ClassTemplateDecl>(TD))
        return CTD->getTemplatedDecl();
  return nullptr;
}

const Expr *ignoreWrappers(const Expr *E) {
  while (E) {
    const Expr *Prev = E;
    E = E->IgnoreParenImpCasts();
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MTE->getSubExpr();
    if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BTE->getSubExpr();
    if (const auto *FCE = dyn_cast<CXXFunctionalCastExpr>(E))
      E = FCE->getSubExpr();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
      if (CE->getNumArgs() == 1 &&
          CE->getConstructor()->isCopyOrMoveConstructor())
        E = CE->getArg(0);
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr();
    if (E == Prev)
      break;
  }
  return E;
}

const Expr *receiverOf(const CallExpr *Call) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    return MC->getImplicitObjectArgument();
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call))
    if (OC->getNumArgs() > 0 &&
        isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()))
      return OC->getArg(0);
  return nullptr;
}

bool referencesDecl(const Stmt *S, const ValueDecl *D) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (DRE->getDecl() == D)
      return true;
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    if (ME->getMemberDecl() == D)
      return true;
  for (const Stmt *Child : S->children())
    if (referencesDecl(Child, D))
      return true;
  return false;
}

} // namespace clang::tidy::taskleak
