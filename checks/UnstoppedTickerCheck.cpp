//===--- UnstoppedTickerCheck.cpp - taskleak-unstopped-ticker -------------===//
#include "UnstoppedTickerCheck.h"
#include "taskleak/AnalysisCache.h"
#include "taskleak/Ownership.h"
#include "taskleak/TimerRearm.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

void UnstoppedTickerCheck::registerMatchers(MatchFinder *Finder) {
  registerSpawnMatcher(Finder);
  if (!configIsValid())
    return;
  // Timer waits whose handler is stored for later (no spawn site resolves
  // it): asked per function, like the client check, not per call.
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()))
          .bind("caller"),
      this);
}

void UnstoppedTickerCheck::check(const MatchFinder::MatchResult &Result) {
  AnalysisCache &Cache = AnalysisCache::get(*Result.Context);
  if (const auto *Caller = Result.Nodes.getNodeAs<FunctionDecl>("caller")) {
    if (Result.Context->getDiagnostics().hasUncompilableErrorOccurred())
      return;
    for (const TimerRearmFinding &T :
         storedHandlerRearms(Caller, Cache.api(config()), Cache.uses(config()),
                             Cache.calls(), Cache.paths()))
      reportTimer(T);
    return;
  }
  std::optional<SpawnSite> Site = spawnSiteOf(Result);
  if (!Site)
    return;

  if (std::optional<TimerRearmFinding> T = analyseTimerRearm(
          *Site, Cache.api(config()), Cache.calls(), Cache.paths())) {
    reportTimer(*T);
    return;
  }
  TaskLoopAnalysis &Loops = Cache.loops(config());
  for (const EndlessLoop &L : Loops.endlessLoopsOfTask(*Site)) {
    if (ownerOfEndlessLoop(*Site, L) != LeakOwner::UnstoppedTicker ||
        !firstReportAt(L.Loop->getBeginLoc()))
      continue;
    diag(L.Loop->getBeginLoc(),
         "periodic task never stops: this loop waits on every iteration but "
         "has no stop flag, stop token, break or return");
    diag(L.PeriodicWait->getExprLoc(), "the loop sleeps here",
         DiagnosticIDs::Note);
    noteSpawnAndChain(*Site, L.CallChain);
  }
}

void UnstoppedTickerCheck::reportTimer(const TimerRearmFinding &T) {
  // One warning per timer: a chain of handlers re-arming it is one ticker.
  if (!firstReportAt(T.Timer->getLocation()))
    return;
  diag(T.Rearm->getExprLoc(),
       "asio timer %0 re-arms itself from a handler that never returns on "
       "its error code; cancel() cannot stop this ticker")
      << T.Timer;
  if (T.ErrorParam)
    diag(T.ErrorParam->getLocation(),
         "%0 is never tested before the timer is re-armed; return when it "
         "is set (operation_aborted after cancel())",
         DiagnosticIDs::Note)
        << T.ErrorParam;
  else
    diag(T.Handler->getLocation(),
         "the handler ignores the error code it is called with",
         DiagnosticIDs::Note);
  diag(T.ArmSite->getExprLoc(), "timer armed here with this handler",
       DiagnosticIDs::Note);
}

} // namespace clang::tidy::taskleak
