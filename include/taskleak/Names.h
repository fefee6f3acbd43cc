//===--- Names.h - Cheap qualified-name tests ------------------*- C++ -*-===//
//
// Every API table in taskleak is keyed by fully qualified names. These helpers
// compare the unqualified identifier first, so the common miss costs a pointer
// compare and the qualified string is built only for a likely hit.
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

/// True when \p D is named by one of \p QualifiedNames ("std::thread",
/// "boost::asio::post"; a leading "::" is allowed). Inline namespaces such as
/// std::__cxx11 are ignored.
bool hasAnyQualifiedName(const NamedDecl *D,
                         llvm::ArrayRef<llvm::StringRef> QualifiedNames);
bool hasAnyQualifiedName(const NamedDecl *D,
                         llvm::ArrayRef<std::string> QualifiedNames);

/// The class declaration of a record type, after sugar and references
/// (template specialisations give their template's pattern name).
const CXXRecordDecl *recordOf(QualType T);

/// True when \p T (after references/sugar) names one of \p Classes, or
/// derives from one of them.
bool isRecordNamed(QualType T, llvm::ArrayRef<llvm::StringRef> Classes);

/// The expression with parentheses, implicit casts, temporaries, and copy or
/// move constructions stripped.
const Expr *ignoreWrappers(const Expr *E);

/// The declaration (variable, parameter or field) a handle expression names,
/// seen through parentheses, casts, `this->`, and dereferences of `this`.
const ValueDecl *handleDecl(const Expr *E);

/// The object a member call acts on, or the first argument of a member
/// operator call; nullptr otherwise.
const Expr *receiverOf(const CallExpr *Call);

/// The method a member call (or member operator call) invokes.
const CXXMethodDecl *calledMethod(const CallExpr *Call);

/// True when \p D is declared inside a namespace named \p Name at any depth
/// (`asio` matches boost::asio and standalone asio).
bool isInNamespace(const Decl *D, llvm::StringRef Name);

/// True when \p S (nested lambdas included) names \p D, as a variable or a
/// member.
bool referencesDecl(const Stmt *S, const ValueDecl *D);

/// boost::system::error_code, std::error_code or standalone asio's.
bool isErrorCodeType(QualType T);

} // namespace clang::tidy::taskleak

#endif
