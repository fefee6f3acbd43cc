//===--- HandleRef.h - One identity for a handle ---------------*- C++ -*-===//
//
// A handle (mutex, channel, promise, stream, ...) is named by a root
// declaration and a path of fields: `a.m` is {a, [m]}, `this->m` and a bare
// `m` in a method are {this, [m]}, `p->q.m` is {p, [q, m]}. `a.m` is not
// `b.m`. resolveHandle() sees through what does not change which object is
// meant: parentheses and casts (a base-class subobject is its object),
// `std::ref`/`std::cref`, `&`, `*`, `->`, `.get()`, stream layers, references
// bound at their declaration and local copies of a shared_ptr.
//
// Calls pass handles from caller to callee; the one mapping from arguments
// to parameters lives here too, and translates a callee's handle into its
// caller's terms.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_HANDLEREF_H
#define TASKLEAK_HANDLEREF_H

#include "taskleak/ApiModel.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace clang::tidy::taskleak {

struct HandleRef {
  /// The variable or parameter the path starts from; null when it starts at
  /// `this`.
  const ValueDecl *Root = nullptr;
  /// Fields from the root outwards.
  llvm::SmallVector<const ValueDecl *, 2> Path;
  /// Reached through a pointer somewhere on the way (`p->m`, `*p`).
  bool ThroughPointer = false;

  bool isThisBased() const { return Root == nullptr; }
  /// The declaration a diagnostic names: the last field, or the root; null
  /// for `*this` itself.
  const ValueDecl *leaf() const { return Path.empty() ? Root : Path.back(); }
  /// `a.m`, `m` (a member of this), `*this`.
  std::string spelling() const;

  friend bool operator==(const HandleRef &A, const HandleRef &B) {
    return A.Root == B.Root && A.Path == B.Path;
  }
  friend bool operator!=(const HandleRef &A, const HandleRef &B) {
    return !(A == B);
  }
  friend bool operator<(const HandleRef &A, const HandleRef &B) {
    if (A.Root != B.Root)
      return std::less<const ValueDecl *>()(A.Root, B.Root);
    return std::lexicographical_compare(A.Path.begin(), A.Path.end(),
                                        B.Path.begin(), B.Path.end(),
                                        std::less<const ValueDecl *>());
  }
};

/// The handle \p E names, or nothing when it names none we can identify (a
/// temporary, an element of an array, the result of an unknown call).
std::optional<HandleRef> resolveHandle(const Expr *E, ApiModel &Api);

/// True when \p E names exactly \p H.
bool namesHandle(const Expr *E, const HandleRef &H, ApiModel &Api);

/// The parameter of \p Callee that receives argument \p ArgIndex of \p Call
/// (a member operator call's object is not counted); null for a variadic
/// tail or a mismatch.
const ParmVarDecl *parameterFor(const CallExpr *Call, unsigned ArgIndex,
                                const FunctionDecl *Callee);

/// Calls \p Fn with every argument of \p Call and the parameter of \p Callee
/// that receives it.
void forEachArgument(
    const CallExpr *Call, const FunctionDecl *Callee,
    llvm::function_ref<void(const Expr *Arg, const ParmVarDecl *Param)> Fn);

/// The object a member call acts on in the caller (the implicit object
/// argument, or the first argument of a member operator call).
const Expr *callObject(const CallExpr *Call);

/// \p InCallee, a handle named inside \p Callee, in the terms of the caller
/// of \p Call: a parameter becomes the argument, a member of `this` a member
/// of the call's object; a global stays itself; the callee's own locals
/// mean nothing to the caller.
std::optional<HandleRef> handleInCaller(const HandleRef &InCallee,
                                        const CallExpr *Call,
                                        const FunctionDecl *Callee,
                                        ApiModel &Api);

/// True when \p H lives in \p FD's own frame: a local or by-value parameter
/// that dies when FD returns.
bool isLocalTo(const HandleRef &H, const FunctionDecl *FD);

} // namespace clang::tidy::taskleak

#endif
