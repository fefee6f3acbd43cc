//===--- ObligationModel.h - What must be released, and how ----*- C++ -*-===//
//
// The exit-path checks' view of the API model: which calls acquire, try to
// acquire or release an obligation that a partner waits on, for which kind
// of obligation, on which handle. The calls themselves are ApiModel's.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_OBLIGATIONMODEL_H
#define TASKLEAK_OBLIGATIONMODEL_H

#include "taskleak/ApiModel.h"
#include "taskleak/HandleRef.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

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

enum class ObligationRole { None, Acquire, TryAcquire, Release };

struct ObligationEffect {
  ObligationRole Role = ObligationRole::None;
  ObligationKind Kind = ObligationKind::Mutex;
  /// The handle (mutex, semaphore, latch, promise, wait group, channel).
  std::optional<HandleRef> Handle;
  /// The argument or object that names the handle at the call.
  const Expr *HandleExpr = nullptr;
  /// A semaphore release of a count other than one (`gate.release(n)`):
  /// one task opening a gate for many, not the return of a slot it took.
  bool ForMany = false;

  explicit operator bool() const {
    return Role != ObligationRole::None && Handle.has_value();
  }
};

/// The obligation effect of one call.
ObligationEffect obligationEffectOf(const CallExpr *Call, ApiModel &Api);

/// The name of the release a diagnostic mentions ("unlock()", "Done()").
llvm::StringRef releaseName(ObligationKind K);
/// A short noun for the acquire ("locked", "acquired").
llvm::StringRef heldState(ObligationKind K);

} // namespace clang::tidy::taskleak

#endif
