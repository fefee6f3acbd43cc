//===--- NilChannelCheck.cpp - taskleak-nil-channel -----------------------===//
#include "NilChannelCheck.h"
#include "taskleak/AnalysisCache.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

NilChannelCheck::NilChannelCheck(StringRef Name, ClangTidyContext *Context)
    : TaskLeakCheck(Name, Context),
      DebugBudget(Options.get("DebugBudget", false)),
      MaxSolverIterations(Options.get("MaxSolverIterations", 200000)) {
  if (MaxSolverIterations <= 0)
    configurationDiag("invalid value %0 for option 'MaxSolverIterations' of "
                      "check '%1': expected a positive number of solver "
                      "iterations",
                      DiagnosticIDs::Error)
        << static_cast<int>(MaxSolverIterations) << Name;
}

void NilChannelCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  TaskLeakCheck::storeOptions(Opts);
  Options.store(Opts, "DebugBudget", DebugBudget);
  Options.store(Opts, "MaxSolverIterations", MaxSolverIterations);
}

static bool isResultKind(ObjectKind K) {
  return K == ObjectKind::Future || K == ObjectKind::Promise;
}

void NilChannelCheck::report(const NilUse &U, const SpawnSite &Site,
                             llvm::ArrayRef<const CallExpr *> Chain) {
  if (!firstReportAt(U.Use->getBeginLoc()))
    return;
  const FunctionDecl *Op = U.Use->getDirectCallee();
  if (!Op || !U.Handle)
    return;
  if (U.Kind == ObjectKind::Promise)
    diag(U.Use->getBeginLoc(),
         "%0 on %1, which has no shared state %select{on some paths|on every "
         "path}2: it throws std::future_error and no waiter ever gets the "
         "result")
        << Op << U.Handle << U.EveryPath;
  else if (U.Kind == ObjectKind::Future)
    diag(U.Use->getBeginLoc(),
         "%0 on %1, which has no shared state %select{on some paths|on every "
         "path}2: nothing can ever complete this wait (undefined behaviour on "
         "an invalid future)")
        << Op << U.Handle << U.EveryPath;
  else
    diag(U.Use->getBeginLoc(),
         "%0 through %1, which holds no channel %select{on some paths|on every "
         "path}2: a send, receive or close through an empty handle never "
         "completes (Go's nil channel)")
        << Op << U.Handle << U.EveryPath;

  for (const HandleEvent &E : U.Emptied) {
    const ValueDecl *H = E.Handle ? E.Handle : U.Handle;
    switch (E.Why) {
    case EmptyReason::DefaultConstructed:
      diag(E.Loc, "%0 is default-constructed here and holds nothing",
           DiagnosticIDs::Note)
          << H;
      break;
    case EmptyReason::NullAssigned:
      diag(E.Loc, "%0 is set to null here", DiagnosticIDs::Note) << H;
      break;
    case EmptyReason::Reset:
      diag(E.Loc, "%0 is reset here", DiagnosticIDs::Note) << H;
      break;
    case EmptyReason::MovedFrom:
      diag(E.Loc, "%0 is moved from here", DiagnosticIDs::Note) << H;
      break;
    case EmptyReason::Consumed:
      diag(E.Loc, "the shared state of %0 is consumed here",
           DiagnosticIDs::Note)
          << H;
      break;
    case EmptyReason::NeverAssignedMember:
      diag(E.Loc,
           "%0 is never assigned: no constructor or method of %1 gives it "
           "anything",
           DiagnosticIDs::Note)
          << H << cast<NamedDecl>(cast<Decl>(H->getDeclContext()));
      break;
    }
  }
  if (!U.EveryPath)
    for (SourceLocation A : U.Assigned)
      diag(A,
           "%0 gets %select{a channel|a shared state}1 here, but not on every "
           "path to the %select{call|wait}1",
           DiagnosticIDs::Note)
          << U.Handle << isResultKind(U.Kind);
  noteSpawnAndChain(Site, Chain);
}

void NilChannelCheck::check(const MatchFinder::MatchResult &Result) {
  std::optional<SpawnSite> Site = spawnSiteOf(Result);
  if (!Site || !Site->Body.Function)
    return;
  AnalysisCache &Cache = AnalysisCache::get(*Result.Context);
  HandleStateAnalysis &Handles = Cache.handles(config());
  Handles.setSolverBudget(MaxSolverIterations > 0 ? MaxSolverIterations
                                                  : 200000);
  std::vector<CapturedState> Captured =
      Handles.capturedStates(Site->Body.Lambda);
  unsigned HitsBefore = Handles.budgetHits();
  for (const NilUse &U : Handles.nilUses(Site->Body.Function, Captured))
    report(U, *Site, {});
  for (const CallGraphIndex::Reached &R :
       Cache.calls().reachableFrom(Site->Body.Function)) {
    if (R.Function == Site->Body.Function)
      continue;
    for (const NilUse &U : Handles.nilUses(R.Function))
      report(U, *Site, R.Chain);
  }
  if (DebugBudget && Handles.budgetHits() != HitsBefore)
    for (const FunctionDecl *FD :
         Handles.overBudget().drop_front(HitsBefore))
      diag(FD->getLocation(),
           "taskleak-nil-channel: the dataflow analysis of %0 exceeded its "
           "budget; no finding is reported for it")
          << FD;
}

} // namespace clang::tidy::taskleak
