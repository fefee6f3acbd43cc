//===--- Ownership.cpp - Which check reports a leak -----------------------===//
#include "taskleak/Ownership.h"

namespace clang::tidy::taskleak {

LeakOwner ownerOfEndlessLoop(const SpawnSite &Site, const EndlessLoop &Loop) {
  if (Site.Family == SpawnFamily::StdJThread)
    return LeakOwner::IgnoredStopToken;
  if (Loop.PeriodicWait)
    return LeakOwner::UnstoppedTicker;
  // Go's endless-task is a goroutine spinning; a worker that blocks in a
  // condition-variable wait, a receive or an acquire when there is no work
  // does not spin (spec: "can never end and does not sleep").
  if (Loop.BlockingWait)
    return LeakOwner::NoOne;
  return LeakOwner::EndlessTask;
}

LeakOwner ownerOfUnclosedChannel(bool ClosedOnSomePath) {
  return ClosedOnSomePath ? LeakOwner::MissingDefer
                          : LeakOwner::RangeNeverClosed;
}

} // namespace clang::tidy::taskleak
