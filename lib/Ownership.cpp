//===--- Ownership.cpp - Which check reports a leak -----------------------===//
#include "taskleak/Ownership.h"

namespace clang::tidy::taskleak {

LeakOwner ownerOfEndlessLoop(const SpawnSite &Site, const EndlessLoop &Loop) {
  if (Site.Family == SpawnFamily::StdJThread)
    return LeakOwner::IgnoredStopToken;
  if (Loop.PeriodicWait)
    return LeakOwner::UnstoppedTicker;
  return LeakOwner::EndlessTask;
}

LeakOwner ownerOfUnclosedChannel(bool ClosedOnSomePath) {
  return ClosedOnSomePath ? LeakOwner::MissingDefer
                          : LeakOwner::RangeNeverClosed;
}

} // namespace clang::tidy::taskleak
