//===--- EndlessTaskCheck.cpp - taskleak-endless-task ---------------------===//
#include "EndlessTaskCheck.h"
#include "taskleak/AnalysisCache.h"
#include "taskleak/Ownership.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

void EndlessTaskCheck::check(const MatchFinder::MatchResult &Result) {
  std::optional<SpawnSite> Site = spawnSiteOf(Result);
  if (!Site)
    return;
  TaskLoopAnalysis &Loops = AnalysisCache::get(*Result.Context).loops(config());
  for (const EndlessLoop &L : Loops.endlessLoopsOfTask(*Site)) {
    if (ownerOfEndlessLoop(*Site, L) != LeakOwner::EndlessTask ||
        !firstReportAt(L.Loop->getBeginLoc()))
      continue;
    if (L.Reason == EndlessReason::ConstantTrue) {
      diag(L.Loop->getBeginLoc(),
           "task never finishes: this loop's condition is always true and "
           "nothing in it breaks, returns, throws or exits");
    } else {
      diag(L.Loop->getBeginLoc(),
           "task never finishes: this loop's condition depends only on %0, "
           "which nothing changes")
          << L.ConditionVar;
      diag(L.ConditionVar->getLocation(),
           "%0 is private to the task and never written after its "
           "initialisation",
           DiagnosticIDs::Note)
          << L.ConditionVar;
    }
    noteSpawnAndChain(*Site, L.CallChain);
  }
}

} // namespace clang::tidy::taskleak
