//===--- LocalMutation.cpp ------------------------------------------------===//
#include "taskleak/LocalMutation.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::taskleak {

namespace {
class MutationWalker {
public:
  explicit MutationWalker(const VarDecl *VD) : VD(VD) {}

  bool Modified = false;

  void walk(const Stmt *S) {
    if (!S || Modified)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      if (DRE->getDecl() == VD && !isPlainRead(DRE))
        Modified = true;
      return;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      // By-reference captures hand the variable to other code; inside the
      // body, a by-copy capture is the lambda's own copy.
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && C.getCapturedVar() == VD &&
            C.getCaptureKind() == LCK_ByRef)
          Modified = true;
      return;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D))
          if (const Expr *Init = Var->getInit()) {
            InitOf.push_back(Var);
            Parents.push_back(S);
            walk(Init);
            Parents.pop_back();
            InitOf.pop_back();
          }
      return;
    }
    Parents.push_back(S);
    for (const Stmt *Child : S->children())
      walk(Child);
    Parents.pop_back();
  }

private:
  /// The nearest parent that is not a paren or a no-op cast, and the child
  /// of it on the way down.
  const Stmt *parentOf(size_t &Index, const Stmt *&Child) const {
    while (Index > 0) {
      const Stmt *P = Parents[--Index];
      if (isa<ParenExpr>(P)) {
        Child = P;
        continue;
      }
      if (const auto *ICE = dyn_cast<ImplicitCastExpr>(P))
        if (ICE->getCastKind() == CK_NoOp ||
            ICE->getCastKind() == CK_UncheckedDerivedToBase ||
            ICE->getCastKind() == CK_DerivedToBase) {
          Child = P;
          continue;
        }
      return P;
    }
    return nullptr;
  }

  /// A parameter or variable of this type cannot write through to the
  /// argument it is initialised from (a pointer parameter would need `&x`,
  /// which is not a plain read).
  static bool isConstRefOrValue(QualType T) {
    if (!T->isReferenceType())
      return true;
    return T.getNonReferenceType().isConstQualified();
  }

  bool isPlainRead(const DeclRefExpr *DRE) const {
    size_t Index = Parents.size();
    const Stmt *Child = DRE;
    const Stmt *P = parentOf(Index, Child);
    if (!P)
      return true;
    if (const auto *ICE = dyn_cast<ImplicitCastExpr>(P))
      return ICE->getCastKind() == CK_LValueToRValue;
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      // x.method(...) or x.field
      size_t I2 = Index;
      const Stmt *C2 = ME;
      const Stmt *PP = parentOf(I2, C2);
      if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(PP))
        if (MC->getCallee()->IgnoreParens() == ME)
          if (const auto *M =
                  dyn_cast_or_null<CXXMethodDecl>(MC->getMethodDecl()))
            return M->isConst();
      if (const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(PP))
        return Cast->getCastKind() == CK_LValueToRValue;
      return false;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
      const FunctionDecl *Callee = OC->getDirectCallee();
      if (!Callee)
        return false;
      for (unsigned I = 0; I < OC->getNumArgs(); ++I) {
        if (OC->getArg(I) != Child)
          continue;
        if (const auto *M = dyn_cast<CXXMethodDecl>(Callee)) {
          if (I == 0)
            return M->isConst();
          return I - 1 < M->getNumParams() &&
                 isConstRefOrValue(M->getParamDecl(I - 1)->getType());
        }
        return I < Callee->getNumParams() &&
               isConstRefOrValue(Callee->getParamDecl(I)->getType());
      }
      return false;
    }
    if (const auto *Call = dyn_cast<CallExpr>(P)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
        if (Call->getArg(I) != Child)
          continue;
        if (!Callee)
          return false;
        if (I >= Callee->getNumParams())
          return Callee->isVariadic(); // C varargs copy their arguments
        return isConstRefOrValue(Callee->getParamDecl(I)->getType());
      }
      return false; // the callee expression itself
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
      const CXXConstructorDecl *Ctor = CE->getConstructor();
      for (unsigned I = 0; I < CE->getNumArgs(); ++I)
        if (CE->getArg(I) == Child)
          return I < Ctor->getNumParams() &&
                 isConstRefOrValue(Ctor->getParamDecl(I)->getType());
      return false;
    }
    if (isa<DeclStmt>(P)) {
      // `T copy = x;` reads; `T &alias = x;` may write later.
      const VarDecl *Var = InitOf.empty() ? nullptr : InitOf.back();
      return Var && isConstRefOrValue(Var->getType());
    }
    if (isa<UnaryExprOrTypeTraitExpr>(P)) // sizeof, alignof
      return true;
    return false;
  }

  const VarDecl *VD;
  llvm::SmallVector<const Stmt *, 32> Parents;
  llvm::SmallVector<const VarDecl *, 4> InitOf;
};
} // namespace

bool mayBeModified(const VarDecl *VD, const Stmt *Body) {
  MutationWalker W(VD);
  W.walk(Body);
  return W.Modified;
}

} // namespace clang::tidy::taskleak
