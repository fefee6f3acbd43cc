//===--- ExitPathSearch.h - Exits that skip a release ----------*- C++ -*-===//
//
// For each obligation a function takes on (an acquire, or a count_down(),
// Done(), set_value() or close() it owes from its start): is there a path to
// an exit — return, break/continue out of the obligation's loop, goto,
// falling off the end, a catch handler that swallows the exception, a throw
// not caught locally — on which the release never happens? The question is a
// PathSearch over the CFG; what each statement does to the handle comes from
// the API model, from the release summaries of the functions it calls (one
// bottom-up summary over the call graph), and from RAII: a local object
// constructed from the handle, or holding a callable that releases it,
// releases it on every path. A handle handed to code we cannot see ends the
// search with "no finding".
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_EXITPATHSEARCH_H
#define TASKLEAK_EXITPATHSEARCH_H

#include "taskleak/ApiModel.h"
#include "taskleak/CallGraph.h"
#include "taskleak/HandleRef.h"
#include "taskleak/ObligationModel.h"
#include "taskleak/PathSearch.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>
#include <vector>

namespace clang::tidy::taskleak {

struct MissingRelease {
  ObligationKind Kind = ObligationKind::Mutex;
  HandleRef Handle;
  /// The acquire the path starts from; null for obligations that start when
  /// the function starts (count_down, Done, set_value, close).
  const CallExpr *Acquire = nullptr;
  ExitWitness Witness;
  /// A release of the same handle on another path (a call, or the
  /// declaration of a guard), if the function has one.
  const Stmt *OtherRelease = nullptr;
};

/// A lock()/unlock() pair that a std::lock_guard can replace: the only
/// acquire and release of the mutex in the function, both plain statements of
/// one block, the unlock() its last statement.
struct LockGuardRewrite {
  const CallExpr *Lock = nullptr;
  const CallExpr *Unlock = nullptr;
};

class ExitPathSearch {
public:
  ExitPathSearch(ApiModel &Api, CallGraphIndex &Calls, PathSearch &Paths);
  ~ExitPathSearch();

  /// Every obligation \p FD leaves unreleased on some exit. \p IsTaskBody:
  /// FD is the body of a spawned task, where a lock never released at all is
  /// a leak too (elsewhere it is a lock wrapper).
  std::vector<MissingRelease> findMissingReleases(const FunctionDecl *FD,
                                                  bool IsTaskBody);

  std::optional<LockGuardRewrite> lockGuardRewrite(const FunctionDecl *FD,
                                                   const MissingRelease &M);

private:
  struct Released;
  /// What \p S does to \p H. With \p Evidence, only what shows the
  /// function means to release what it acquired: a release of its own, a
  /// guard, a helper that releases; not a handle handed to unseen code, nor
  /// a semaphore released for many.
  PathStep stepOf(const Stmt *S, const HandleRef &H, ObligationKind Kind,
                  const CallExpr *Start, bool StartIsTry,
                  bool Evidence = false);
  /// For a branch condition on a channel whose close() is owed: the edge on
  /// which the channel is known to be closed already.
  PathStep closedBranch(const Stmt *S, const HandleRef &H);
  /// The call a status value comes from: the call itself, or a local that
  /// is initialised by it and never written again.
  const CallExpr *statusCall(const Expr *E);
  bool isReadOnlyLocal(const VarDecl *VD);
  bool releasesIn(const FunctionDecl *Callee, const CallExpr *Call,
                  const HandleRef &H, ObligationKind Kind);
  bool lambdaReleases(const Expr *E, const HandleRef &H, ObligationKind Kind);

  ApiModel &Api;
  CallGraphIndex &Calls;
  PathSearch &Paths;
  std::unique_ptr<BottomUpSummary<Released>> Summary;
  llvm::DenseMap<const VarDecl *, bool> ReadOnlyLocals;
};

} // namespace clang::tidy::taskleak

#endif
