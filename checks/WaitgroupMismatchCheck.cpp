//===--- WaitgroupMismatchCheck.cpp - taskleak-waitgroup-mismatch ---------===//
#include "WaitgroupMismatchCheck.h"
#include "taskleak/AnalysisCache.h"
#include "taskleak/ArrivalCount.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

void WaitgroupMismatchCheck::registerMatchers(MatchFinder *Finder) {
  if (!configIsValid())
    return;
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()))
          .bind("function"),
      this);
}

void WaitgroupMismatchCheck::check(const MatchFinder::MatchResult &Result) {
  if (Result.Context->getDiagnostics().hasUncompilableErrorOccurred())
    return;
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("function");
  if (!FD)
    return;
  AnalysisCache &Cache = AnalysisCache::get(*Result.Context);
  for (const ArrivalMismatch &M : findArrivalMismatches(
           FD, *Result.Context, Cache.api(config()), Cache.calls())) {
    if (M.K == ArrivalMismatch::AddInsideTask) {
      if (!firstReportAt(M.Add->getBeginLoc()))
        continue;
      diag(M.Add->getBeginLoc(),
           "Add() on %0 %1 runs inside the spawned task: Wait() can run "
           "before it and return early, or the count never settles; call "
           "Add() before spawning")
          << M.What << M.Counter;
      diag(M.Spawn->getBeginLoc(), "task spawned here", DiagnosticIDs::Note);
      if (M.Wait)
        diag(M.Wait->getBeginLoc(), "the spawner waits here",
             DiagnosticIDs::Note);
      continue;
    }
    if (M.K == ArrivalMismatch::WaitInsideSpawnLoop) {
      if (!firstReportAt(M.Wait->getBeginLoc()))
        continue;
      diag(M.Wait->getBeginLoc(),
           "this wait on %0 %1 runs inside the loop that spawns the group: "
           "the first wait needs %2 arrivals but only %3 can have happened, "
           "so it blocks forever and the rest of the group is never spawned; "
           "wait after the loop")
          << M.What << M.Counter << static_cast<int>(M.Expected)
          << static_cast<int>(M.Arrivals);
      for (const auto &C : M.Contributions)
        diag(C.Spawn->getBeginLoc(),
             "%0 task%s0 spawned here before the first wait, arriving %1 "
             "time%s1 each",
             DiagnosticIDs::Note)
            << static_cast<int>(C.Tasks) << static_cast<int>(C.PerTask);
      continue;
    }
    if (!firstReportAt(M.ExpectedAt))
      continue;
    if (M.Arrivals < M.Expected)
      diag(M.ExpectedAt,
           "%0 %1 expects %2 arrivals but only %3 happen: whoever waits on "
           "it blocks forever")
          << M.What << M.Counter << static_cast<int>(M.Expected)
          << static_cast<int>(M.Arrivals);
    else
      diag(M.ExpectedAt,
           "%0 %1 expects %2 arrivals but %3 happen: the count goes below "
           "zero, which is undefined for std::latch and std::barrier")
          << M.What << M.Counter << static_cast<int>(M.Expected)
          << static_cast<int>(M.Arrivals);
    for (const auto &C : M.Contributions)
      diag(C.Spawn->getBeginLoc(),
           "%0 task%s0 spawned here, arriving %1 time%s1 each",
           DiagnosticIDs::Note)
          << static_cast<int>(C.Tasks) << static_cast<int>(C.PerTask);
    if (M.DirectArrival) {
      diag(M.DirectArrival->getBeginLoc(), "only the spawner arrives, here",
           DiagnosticIDs::Note);
      if (M.Spawn)
        diag(M.Spawn->getBeginLoc(),
             "a task is spawned here but never arrives on %0",
             DiagnosticIDs::Note)
            << M.Counter;
    }
  }
}

} // namespace clang::tidy::taskleak
