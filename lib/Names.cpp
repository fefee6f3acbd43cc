//===--- Names.cpp --------------------------------------------------------===//
#include "taskleak/Names.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::taskleak {

static std::string qualifiedNameOf(const NamedDecl *D) {
  std::string Result;
  llvm::raw_string_ostream OS(Result);
  PrintingPolicy Policy(D->getASTContext().getLangOpts());
  Policy.SuppressInlineNamespace = true;
  Policy.SuppressUnwrittenScope = true;
  D->printQualifiedName(OS, Policy);
  return OS.str();
}

template <typename Range>
static bool hasAnyQualifiedNameImpl(const NamedDecl *D,
                                    const Range &QualifiedNames) {
  if (!D || !D->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Name = D->getName();
  std::string Qualified;
  for (llvm::StringRef Wanted : QualifiedNames) {
    Wanted.consume_front("::");
    llvm::StringRef Last = Wanted.rsplit("::").second;
    if (Last.empty())
      Last = Wanted;
    if (Last != Name)
      continue;
    if (Qualified.empty())
      Qualified = qualifiedNameOf(D);
    if (Qualified == Wanted)
      return true;
  }
  return false;
}

bool hasAnyQualifiedName(const NamedDecl *D,
                         llvm::ArrayRef<llvm::StringRef> QualifiedNames) {
  return hasAnyQualifiedNameImpl(D, QualifiedNames);
}

bool hasAnyQualifiedName(const NamedDecl *D,
                         llvm::ArrayRef<std::string> QualifiedNames) {
  return hasAnyQualifiedNameImpl(D, QualifiedNames);
}

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

bool isRecordNamed(QualType T, llvm::ArrayRef<llvm::StringRef> Classes) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return false;
  if (hasAnyQualifiedName(RD, Classes))
    return true;
  if (!RD->hasDefinition())
    return false;
  bool Found = false;
  RD->forallBases([&](const CXXRecordDecl *Base) {
    if (hasAnyQualifiedName(Base, Classes))
      Found = true;
    return !Found;
  });
  return Found;
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
      if (CE->getNumArgs() == 1 && CE->getConstructor()->isCopyOrMoveConstructor())
        E = CE->getArg(0);
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr();
    if (E == Prev)
      break;
  }
  return E;
}

const ValueDecl *handleDecl(const Expr *E) {
  E = ignoreWrappers(E);
  if (!E)
    return nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

const Expr *receiverOf(const CallExpr *Call) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    return MC->getImplicitObjectArgument();
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call))
    if (OC->getNumArgs() > 0 && isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()))
      return OC->getArg(0);
  return nullptr;
}

const CXXMethodDecl *calledMethod(const CallExpr *Call) {
  return dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
}

bool isInNamespace(const Decl *D, llvm::StringRef Name) {
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      if (NS->getDeclName().isIdentifier() && NS->getName() == Name)
        return true;
  return false;
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

bool isErrorCodeType(QualType T) {
  static const llvm::StringRef ErrorCodes[] = {
      "boost::system::error_code", "std::error_code", "asio::error_code"};
  return hasAnyQualifiedName(recordOf(T), ErrorCodes);
}

} // namespace clang::tidy::taskleak
