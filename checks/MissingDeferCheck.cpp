//===--- MissingDeferCheck.cpp - taskleak-missing-defer -------------------===//
#include "MissingDeferCheck.h"
#include "taskleak/AnalysisCache.h"
#include "taskleak/ExitPathSearch.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

void MissingDeferCheck::registerMatchers(MatchFinder *Finder) {
  if (!configIsValid())
    return;
  registerSpawnMatcher(Finder);
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()))
          .bind("function"),
      this);
}

void MissingDeferCheck::onStartOfTranslationUnit() {
  TaskLeakCheck::onStartOfTranslationUnit();
  Functions.clear();
  SeenFunctions.clear();
  TaskBodies.clear();
  Context = nullptr;
}

void MissingDeferCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
  if (const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("function")) {
    // Lambda call operators come here too. Template instantiations of one
    // function share its source: reports are deduplicated by location.
    if (!FD->isDependentContext() && SeenFunctions.insert(FD).second)
      Functions.push_back(FD);
    return;
  }
  if (std::optional<SpawnSite> Site = spawnSiteOf(Result))
    TaskBodies.try_emplace(Site->Body.Function, *Site);
}

static const char *exitPhrase(ExitWitness::Kind K, bool IsTask) {
  if (K == ExitWitness::FallOffEnd && IsTask)
    return "the end of the task";
  switch (K) {
  case ExitWitness::Return:
    return "this return";
  case ExitWitness::Break:
    return "this break";
  case ExitWitness::Continue:
    return "this continue";
  case ExitWitness::Goto:
    return "this goto";
  case ExitWitness::Throw:
    return "this throw";
  case ExitWitness::CatchHandler:
    return "this handler, which swallows the exception,";
  case ExitWitness::FallOffEnd:
    return "the end of the function";
  }
  return "this exit";
}

/// Replaces `m.lock();` with `std::lock_guard<M> guard(m);` and deletes the
/// trailing `m.unlock();`, when lib/ says the pair allows it.
static void fixWithLockGuard(DiagnosticBuilder &D, const FunctionDecl *FD,
                             const MissingRelease &M, ExitPathSearch &Search,
                             const ASTContext &Ctx) {
  std::optional<LockGuardRewrite> R = Search.lockGuardRewrite(FD, M);
  if (!R)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  const auto *Lock = cast<CXXMemberCallExpr>(R->Lock);
  StringRef Mutex = Lexer::getSourceText(
      CharSourceRange::getTokenRange(
          Lock->getImplicitObjectArgument()->getSourceRange()),
      SM, Ctx.getLangOpts());
  if (Mutex.empty())
    return;
  PrintingPolicy Policy(Ctx.getLangOpts());
  Policy.SuppressTagKeyword = true;
  if (!M.Handle.leaf())
    return;
  std::string Type = M.Handle.leaf()
                         ->getType()
                         .getNonReferenceType()
                         .getUnqualifiedType()
                         .getAsString(Policy);
  D << FixItHint::CreateReplacement(
      CharSourceRange::getTokenRange(Lock->getSourceRange()),
      ("std::lock_guard<" + Type + "> guard(" + Mutex + ")").str());
  SourceLocation Semi = Lexer::findLocationAfterToken(
      R->Unlock->getEndLoc(), tok::semi, SM, Ctx.getLangOpts(),
      /*SkipTrailingWhitespaceAndNewLine=*/true);
  if (Semi.isInvalid())
    return;
  // Remove the whole line when the unlock() stands alone on it.
  SourceLocation Begin = R->Unlock->getBeginLoc();
  auto [File, Offset] = SM.getDecomposedLoc(Begin);
  StringRef Buffer = SM.getBufferData(File);
  unsigned Start = Offset;
  while (Start > 0 && (Buffer[Start - 1] == ' ' || Buffer[Start - 1] == '\t'))
    --Start;
  if (Start == 0 || Buffer[Start - 1] == '\n')
    Begin = Begin.getLocWithOffset(-static_cast<int>(Offset - Start));
  D << FixItHint::CreateRemoval(CharSourceRange::getCharRange(Begin, Semi));
}

void MissingDeferCheck::onEndOfTranslationUnit() {
  if (!Context || Context->getDiagnostics().hasUncompilableErrorOccurred())
    return;
  AnalysisCache &Cache = AnalysisCache::get(*Context);
  ExitPathSearch Search(Cache.api(config()), Cache.calls(), Cache.paths());
  for (const FunctionDecl *FD : Functions) {
    auto Task = TaskBodies.find(FD);
    bool IsTask = Task != TaskBodies.end();
    for (const MissingRelease &M : Search.findMissingReleases(FD, IsTask)) {
      if (!firstReportAt(M.Witness.Loc))
        continue;
      llvm::StringRef Release = releaseName(M.Kind);
      {
        auto D = M.Acquire
                     ? diag(M.Witness.Loc, "%0 leaves %1 %2: %3 is skipped on "
                                           "this path, so every partner "
                                           "waiting on it blocks forever")
                     : diag(M.Witness.Loc, "%0 skips %3 on %1, so whoever "
                                           "waits on it blocks forever");
        D << exitPhrase(M.Witness.K, IsTask);
        streamHandle(D, M.Handle);
        D << heldState(M.Kind) << Release;
        // lock(); ... unlock(); as the first and last statements of one
        // block, each the only one of its kind: a std::lock_guard says it.
        fixWithLockGuard(D, FD, M, Search, *Context);
      }
      if (M.Acquire) {
        auto N =
            diag(M.Acquire->getBeginLoc(), "%0 %1 here", DiagnosticIDs::Note);
        streamHandle(N, M.Handle);
        N << heldState(M.Kind);
      }
      if (M.OtherRelease && M.Kind == ObligationKind::BarrierDrop) {
        auto N = diag(M.OtherRelease->getBeginLoc(),
                      "the other participants wait for %0 here in every phase",
                      DiagnosticIDs::Note);
        streamHandle(N, M.Handle);
      } else if (M.OtherRelease) {
        auto N =
            diag(M.OtherRelease->getBeginLoc(),
                 "%0 is released here on other paths", DiagnosticIDs::Note);
        streamHandle(N, M.Handle);
      }
      if (IsTask)
        noteSpawnAndChain(Task->second, {});
    }
  }
}

} // namespace clang::tidy::taskleak
