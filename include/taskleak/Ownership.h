//===--- Ownership.h - Which check reports a leak --------------*- C++ -*-===//
//
// Each leak is reported once, by the most specific check (checks.md,
// "precedence"). The rule lives here, in one place, and every check asks it
// instead of knowing its part of the order.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_OWNERSHIP_H
#define TASKLEAK_OWNERSHIP_H

#include "taskleak/LoopTermination.h"
#include "taskleak/SpawnModel.h"

namespace clang::tidy::taskleak {

enum class LeakOwner {
  /// The task is a std::jthread: its owner's destructor requests a stop.
  IgnoredStopToken,
  /// The loop sleeps or waits for a period.
  UnstoppedTicker,
  /// Any other loop that never ends and never blocks: it spins.
  EndlessTask,
  /// A loop that never ends but blocks in a wait on every pass that finds
  /// nothing to do (a worker waiting for work): not spinning, so not
  /// endless-task's; when nothing can wake the wait, orphaned-receive's.
  NoOne,
  /// An obligation (a close(), an unlock()) skipped on one exit path, where
  /// other paths meet it.
  MissingDefer,
  /// A channel that nothing closes after its last send.
  RangeNeverClosed,
};

/// ignored-stop-token › unstopped-ticker › endless-task (which reports only
/// loops that spin: a loop blocking in a wait belongs to no loop check).
LeakOwner ownerOfEndlessLoop(const SpawnSite &Site, const EndlessLoop &Loop);

/// A consumer ranging over a channel that is not closed: missing-defer's
/// when some path of the producer closes it (the close is skipped on one
/// exit), range-never-closed's when none does.
LeakOwner ownerOfUnclosedChannel(bool ClosedOnSomePath);

} // namespace clang::tidy::taskleak

#endif
