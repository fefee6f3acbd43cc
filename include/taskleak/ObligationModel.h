//===--- ObligationModel.h - What must be released, and how ----*- C++ -*-===//
//
// The effect table the exit-path checks share: every library call maps to one
// effect (acquire, release, try-acquire) on one handle, for one kind of
// obligation that a partner waits on.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_OBLIGATIONMODEL_H
#define TASKLEAK_OBLIGATIONMODEL_H

#include "taskleak/SuiteConfig.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/StringRef.h"

namespace clang::tidy::taskleak {

enum class ObligationKind {
  /// lock()/unlock(), lock_shared()/unlock_shared(), pthread_mutex_*.
  Mutex,
  /// counting/binary semaphore acquire()/release(), sem_wait/sem_post.
  Semaphore,
  /// A latch participant must count_down().
  LatchArrival,
  /// A promise someone waits on must be set.
  Promise,
  /// A WaitGroup-style participant must call Done().
  WaitGroupDone,
  /// A producer must close() the channel its consumer ranges over.
  ChannelClose,
  /// A barrier participant leaving its phase loop must arrive_and_drop().
  BarrierDrop,
};

enum class EffectKind { None, Acquire, TryAcquire, Release };

struct Effect {
  EffectKind K = EffectKind::None;
  ObligationKind Obligation = ObligationKind::Mutex;
  /// The handle (mutex, semaphore, latch, promise, wait group, channel).
  const ValueDecl *Handle = nullptr;
  /// The argument or object that names the handle at the call.
  const Expr *HandleExpr = nullptr;
};

/// The effect of one call.
Effect effectOf(const CallExpr *Call, const SuiteConfig &Config);

/// The name of the release a diagnostic mentions ("unlock()", "Done()").
llvm::StringRef releaseName(ObligationKind K);
/// A short noun for the acquire ("locked", "acquired").
llvm::StringRef heldState(ObligationKind K);

/// The handle a handle expression names: `m`, `&m`, `*p`, `p->`, `p.get()`,
/// `this->m`.
const ValueDecl *obligationHandleOf(const Expr *E);

/// True for a WaitGroup-style class: listed in \p Config.WaitGroupTypes, or
/// with methods named Add, Done and Wait (any case).
bool isWaitGroupClass(const CXXRecordDecl *RD, const SuiteConfig &Config);

} // namespace clang::tidy::taskleak

#endif
