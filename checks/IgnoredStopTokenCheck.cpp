//===--- IgnoredStopTokenCheck.cpp - taskleak-ignored-stop-token ----------===//
#include "IgnoredStopTokenCheck.h"
#include "taskleak/AnalysisCache.h"
#include "taskleak/Ownership.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

void IgnoredStopTokenCheck::check(const MatchFinder::MatchResult &Result) {
  std::optional<SpawnSite> Site = spawnSiteOf(Result);
  if (!Site || Site->Family != SpawnFamily::StdJThread)
    return;
  AnalysisCache &Cache = AnalysisCache::get(*Result.Context);
  TaskLoopAnalysis &Loops = Cache.loops(config());
  for (const StopTokenFinding &F :
       analyseJThread(*Site, Loops, Cache.shutdown(config()))) {
    if (F.K == StopTokenFinding::UnwakeableWait) {
      if (!firstReportAt(F.Wait->getBeginLoc()))
        continue;
      diag(F.Wait->getExprLoc(),
           "a stop request cannot wake this wait: the jthread's destructor "
           "calls request_stop() and join(), and hangs while the task blocks "
           "here");
      diag(F.TokenCheck->getExprLoc(),
           "the stop token is only checked here, between waits",
           DiagnosticIDs::Note);
      if (F.Via)
        noteSpawnAndChain(*Site, F.Via);
      else
        noteSpawnAndChain(*Site, {});
      continue;
    }
    const EndlessLoop &L = F.Loop;
    if (ownerOfEndlessLoop(*Site, L) != LeakOwner::IgnoredStopToken ||
        !firstReportAt(L.Loop->getBeginLoc()))
      continue;
    switch (F.K) {
    case StopTokenFinding::NoToken:
      diag(L.Loop->getBeginLoc(),
           "std::jthread body takes no std::stop_token and this loop never "
           "ends; the jthread's destructor will hang in join()");
      break;
    case StopTokenFinding::TokenNeverConsulted: {
      {
        auto D = diag(L.Loop->getBeginLoc(),
                      "std::jthread body never consults its std::stop_token "
                      "%0; this loop never ends and the jthread's destructor "
                      "will hang in join()");
        D << F.Token;
        // while (true) -> while (!st.stop_requested()), only when the loop is
        // in the body itself and the condition is spelled plainly.
        const auto *W = dyn_cast<WhileStmt>(L.Loop);
        if (W && L.CallChain.empty() &&
            L.Reason == EndlessReason::ConstantTrue &&
            F.Token->getIdentifier() &&
            W->getCond()->getBeginLoc().isFileID() &&
            W->getCond()->getEndLoc().isFileID())
          D << FixItHint::CreateReplacement(
              CharSourceRange::getTokenRange(W->getCond()->getSourceRange()),
              ("!" + F.Token->getName() + ".stop_requested()").str());
      } // emit the warning before its note
      diag(F.Token->getLocation(), "stop token declared here",
           DiagnosticIDs::Note);
      break;
    }
    case StopTokenFinding::LoopIgnoresToken:
      diag(L.Loop->getBeginLoc(),
           "this loop in a std::jthread body never checks the stop token %0 "
           "and never ends; the jthread's destructor will hang in join()")
          << F.Token;
      break;
    case StopTokenFinding::UnwakeableWait:
      break;
    }
    if (L.PeriodicWait)
      diag(L.PeriodicWait->getExprLoc(), "the loop sleeps here",
           DiagnosticIDs::Note);
    noteSpawnAndChain(*Site, L.CallChain);
  }
}

} // namespace clang::tidy::taskleak
