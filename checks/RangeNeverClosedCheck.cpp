//===--- RangeNeverClosedCheck.cpp - taskleak-range-never-closed ---===//
// A front on lib/ChannelLeaks.cpp: the leaks of its kind, with their notes.
#include "RangeNeverClosedCheck.h"
#include "taskleak/AnalysisCache.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

void RangeNeverClosedCheck::check(const MatchFinder::MatchResult &Result) {
  std::optional<SpawnSite> Site;
  for (const ChannelLeak *Leak :
       channelLeaksOf(Result, ChannelLeak::RangeNeverClosed, Site)) {
    const ChannelLeak &L = *Leak;
    diag(L.Blocked->getBeginLoc(),
         "task never finishes: this loop ends only when %0 is closed, and "
         "nothing closes it")
        << L.Channel;
    if (L.LastSend)
      diag(L.LastSend->getBeginLoc(),
           "the last send to %0; nothing closes it afterwards",
           DiagnosticIDs::Note)
          << L.Channel;
    noteSpawnAndChain(*Site, L.Chain);
  }
}

} // namespace clang::tidy::taskleak
