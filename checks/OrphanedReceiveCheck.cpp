//===--- OrphanedReceiveCheck.cpp - taskleak-orphaned-receive ---===//
// A front on lib/ChannelLeaks.cpp: the leaks of its kind, with their notes.
#include "OrphanedReceiveCheck.h"
#include "taskleak/AnalysisCache.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

void OrphanedReceiveCheck::check(const MatchFinder::MatchResult &Result) {
  std::optional<SpawnSite> Site;
  for (const ChannelLeak *Leak :
       channelLeaksOf(Result, ChannelLeak::OrphanedReceive, Site)) {
    const ChannelLeak &L = *Leak;
    diag(L.Blocked->getBeginLoc(),
         "this receive blocks forever: nothing in this translation unit sends "
         "to %0, sets it, counts it down or closes it")
        << L.Channel;
    diag(L.Channel->getLocation(), "%0 declared here", DiagnosticIDs::Note)
        << L.Channel;
    noteSpawnAndChain(*Site, L.Chain);
  }
}

} // namespace clang::tidy::taskleak
