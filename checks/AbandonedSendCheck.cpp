//===--- AbandonedSendCheck.cpp - taskleak-abandoned-send ---===//
// A front on lib/ChannelLeaks.cpp: the leaks of its kind, with their notes.
#include "AbandonedSendCheck.h"
#include "taskleak/AnalysisCache.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

void AbandonedSendCheck::check(const MatchFinder::MatchResult &Result) {
  std::optional<SpawnSite> Site = spawnSiteOf(Result);
  if (!Site)
    return;
  ChannelLeakAnalysis &Channels =
      AnalysisCache::get(*Result.Context).channels(config());
  for (const ChannelLeak &L : Channels.leaksOf(*Site)) {
    if (L.K != ChannelLeak::AbandonedSend ||
        !firstReportAt(L.Blocked->getBeginLoc()))
      continue;
    diag(L.Blocked->getBeginLoc(),
         "this send blocks forever once the receiver gives up: %0 has room "
         "for %1 unreceived item%s1 and nothing closes it")
        << L.Channel << static_cast<unsigned>(L.Capacity);
    switch (L.How) {
    case ChannelLeak::Returns:
      diag(L.GiveUpLoc, "the receiver gives up here without receiving from %0",
           DiagnosticIDs::Note)
          << L.Channel;
      break;
    case ChannelLeak::TimesOut:
      diag(L.GiveUp->getBeginLoc(),
           "the receiver gives up here when its timeout expires; nothing "
           "receives from %0 after that",
           DiagnosticIDs::Note)
          << L.Channel;
      break;
    case ChannelLeak::LeavesLoop:
      diag(L.GiveUp->getBeginLoc(),
           "the receiver leaves its receive loop here; nothing receives from "
           "%0 after that",
           DiagnosticIDs::Note)
          << L.Channel;
      break;
    case ChannelLeak::NeverReceives:
      diag(L.Channel->getLocation(),
           "nothing that can run receives from %0", DiagnosticIDs::Note)
          << L.Channel;
      break;
    }
    noteSpawnAndChain(*Site, L.Chain);
  }
}

} // namespace clang::tidy::taskleak
