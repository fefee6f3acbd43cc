//===--- HandleUses.h - Where a handle is used, and how ---------*- C++ -*-===//
//
// The uses of one handle in one function, each classified once: a call on
// it (the API model says what the call does), an argument of a call (to a
// function of this TU, followed by its parameter, or to unknown code), a
// creation (its declaration's initialiser, an assignment to it, a member
// initialiser), and the ways it escapes (returned, copied into something
// else, bound to a reference, captured by reference). Computed once per
// (handle, function) for the translation unit; for a member, the scope is
// every method of its class (scopeOf()).
//
// Escape is an answer: an analysis that sees one stops tracking the handle
// and reports nothing about it.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_HANDLEUSES_H
#define TASKLEAK_HANDLEUSES_H

#include "taskleak/ApiModel.h"
#include "taskleak/HandleRef.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"
#include <map>
#include <memory>
#include <vector>

namespace clang::tidy::taskleak {

struct HandleUse {
  enum Kind {
    /// A call on the handle (it is the object of a member call).
    CallOn,
    /// An argument of a call; Param is the receiving parameter when the
    /// callee has a body in this TU, else null.
    Argument,
    /// A new value: the declaration's initialiser, an assignment to the
    /// handle, a member initialiser. Value is the new value.
    Creation,
    /// Returned from a function that is not a constructor.
    Returned,
    /// Copied into something else, bound to a reference, captured by
    /// reference (S is then the LambdaExpr): other code may reach it.
    Aliased,
    /// An argument of a constructor (Call is null; S is the construct):
    /// an RAII guard, a thread started with it, an object that keeps it.
    Constructed,
    /// The range of a range-based for loop (S is the CXXForRangeStmt).
    RangeFor,
  };
  Kind K;
  const Stmt *S = nullptr;
  /// For CallOn and Argument.
  const CallExpr *Call = nullptr;
  /// For Argument: the argument's index (a member operator call's object
  /// not counted), the callee with a body (if any) and its parameter.
  unsigned ArgIndex = 0;
  const Expr *Arg = nullptr;
  const FunctionDecl *Callee = nullptr;
  const ParmVarDecl *Param = nullptr;
  /// For Creation.
  const Expr *Value = nullptr;
};

class HandleUses {
public:
  HandleUses(ApiModel &Api, const SourceManager &SM) : Api(Api), SM(SM) {}

  /// The uses of \p H in \p FD's own body (and, for a constructor, its
  /// member initialisers), in source order. Memoised.
  const std::vector<HandleUse> &in(const FunctionDecl *FD, const HandleRef &H);

  /// The functions whose uses of \p H tell its story: \p Caller for a
  /// local (by value, declared there), every method of the class with a
  /// body here for a non-reference member of `this`; empty for a parameter
  /// or anything reached through a pointer (it comes from elsewhere).
  static std::vector<const FunctionDecl *>
  scopeOf(const HandleRef &H, const FunctionDecl *Caller, bool &IsMember);

private:
  ApiModel &Api;
  const SourceManager &SM;
  std::map<std::pair<const FunctionDecl *, HandleRef>,
           std::unique_ptr<std::vector<HandleUse>>>
      Memo;
};

} // namespace clang::tidy::taskleak

#endif
