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

} // namespace clang::tidy::taskleak

#endif
