//===--- ExitPathSearch.h - Exits that skip a release ----------*- C++ -*-===//
//
// Over Clang's CFG of one function: from an acquire (or the function's
// entry), is there a path to an exit — return, break/continue out of the
// obligation's loop, goto, falling off the end, a catch handler that
// swallows the exception, a throw not caught locally — on which the matching
// release never happens? RAII guards count as the release (a local object
// constructed from the handle, or a scope guard whose lambda releases it),
// and a handle handed to code we cannot see ends the search with "no
// finding".
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_EXITPATHSEARCH_H
#define TASKLEAK_EXITPATHSEARCH_H

#include "taskleak/ObligationModel.h"
#include "taskleak/SuiteConfig.h"
#include "clang/AST/ASTContext.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>
#include <vector>

namespace clang::tidy::taskleak {

struct ExitWitness {
  enum Kind { Return, Break, Continue, Goto, Throw, CatchHandler, FallOffEnd };
  Kind K = FallOffEnd;
  /// The exit statement (the CXXCatchStmt for a handler); null when the
  /// path falls off the end.
  const Stmt *Exit = nullptr;
  /// Where to report: the exit statement, or the function's closing brace.
  SourceLocation Loc;
};

struct MissingRelease {
  ObligationKind Kind = ObligationKind::Mutex;
  const ValueDecl *Handle = nullptr;
  /// The acquire the path starts from; null for obligations that start when
  /// the function starts (count_down, Done, set_value, close).
  const CallExpr *Acquire = nullptr;
  ExitWitness Witness;
  /// A release of the same handle on another path, if the function has one.
  const CallExpr *OtherRelease = nullptr;
};

/// A lock()/unlock() pair that a std::lock_guard can replace: the only
/// acquire and release of the mutex in the function, both plain statements of
/// one block, the unlock() its last statement.
struct LockGuardRewrite {
  const CallExpr *Lock = nullptr;
  const CallExpr *Unlock = nullptr;
};
std::optional<LockGuardRewrite> lockGuardRewrite(const FunctionDecl *FD,
                                                 const MissingRelease &M,
                                                 const SuiteConfig &Config);

class ExitPathSearch {
public:
  ExitPathSearch(ASTContext &Ctx, const SuiteConfig &Config)
      : Ctx(Ctx), Config(Config) {}

  /// Every obligation \p FD leaves unreleased on some exit. \p IsTaskBody:
  /// FD is the body of a spawned task, where a lock never released at all is
  /// a leak too (elsewhere it is a lock wrapper).
  std::vector<MissingRelease> findMissingReleases(const FunctionDecl *FD,
                                                  bool IsTaskBody);

  /// The function's CFG (with implicit destructors and exception edges into
  /// local handlers), built once; null when Clang cannot build one.
  const CFG *cfgOf(const FunctionDecl *FD);

private:
  enum class ElementEffect { None, Release, Reacquire };
  ElementEffect effectOfStmt(const Stmt *S, const ValueDecl *Handle,
                             ObligationKind Kind, const CallExpr *Start);
  bool calleeReleases(const FunctionDecl *Callee, const ValueDecl *Handle,
                      ObligationKind Kind, unsigned Depth);
  std::optional<ExitWitness> search(const FunctionDecl *FD,
                                    const CallExpr *Start, bool FromEntry,
                                    const ValueDecl *Handle,
                                    ObligationKind Kind);

  ASTContext &Ctx;
  const SuiteConfig &Config;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<CFG>> Cfgs;
  llvm::DenseMap<std::pair<const FunctionDecl *, const ValueDecl *>, bool>
      ReleasesMemo;
};

} // namespace clang::tidy::taskleak

#endif
