//===--- Names.h - Small AST helpers shared by lib/ ------------*- C++ -*-===//
//
// Syntax-level helpers with no library knowledge: the class of a type, the
// expression under implicit wrappers, the object of a member call. What a
// library call or class means is ApiModel's business.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_NAMES_H
#define TASKLEAK_NAMES_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace clang::tidy::taskleak {

/// The class declaration of a record type, after sugar and references
/// (template specialisations give their template's pattern name).
const CXXRecordDecl *recordOf(QualType T);

/// The expression with parentheses, implicit casts, temporaries, and copy or
/// move constructions stripped.
const Expr *ignoreWrappers(const Expr *E);

/// The object a member call acts on, or the first argument of a member
/// operator call; nullptr otherwise.
const Expr *receiverOf(const CallExpr *Call);

/// True when \p S (nested lambdas included) names \p D, as a variable or a
/// member.
bool referencesDecl(const Stmt *S, const ValueDecl *D);

/// A walk over the user's code of a translation unit: template
/// instantiations and lambda bodies included, declarations in system headers
/// skipped.
template <typename Derived>
class UserCodeVisitor : public RecursiveASTVisitor<Derived> {
public:
  explicit UserCodeVisitor(const SourceManager &SM) : SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return true; }
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(D->getLocation()))
      return true;
    return RecursiveASTVisitor<Derived>::TraverseDecl(D);
  }

protected:
  const SourceManager &SM;
};

} // namespace clang::tidy::taskleak

#endif
