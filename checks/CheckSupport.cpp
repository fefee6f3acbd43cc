//===--- CheckSupport.cpp -------------------------------------------------===//
#include "CheckSupport.h"
#include "taskleak/AnalysisCache.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/SourceManager.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

void streamHandle(DiagnosticBuilder &D, const HandleRef &H) {
  if (const ValueDecl *Leaf = H.leaf())
    D << Leaf;
  else
    D << ("'" + H.spelling() + "'");
}

TaskLeakCheck::TaskLeakCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context) {
  RawOptions = {
      {"SpawnFunctions", "", &SuiteConfig::SpawnFunctions},
      {"ChannelTypes", "", &SuiteConfig::ChannelTypes},
      {"SendMethods", "", &SuiteConfig::SendMethods},
      {"ReceiveMethods", "", &SuiteConfig::ReceiveMethods},
      {"CloseMethods", "", &SuiteConfig::CloseMethods},
      {"WaitGroupTypes", "", &SuiteConfig::WaitGroupTypes},
      {"TimeoutSetters", "", &SuiteConfig::TimeoutSetters},
  };
  for (RawOption &Opt : RawOptions) {
    Opt.Value = Options.getLocalOrGlobal(Opt.Name, "").str();
    std::string Bad;
    std::optional<std::vector<std::string>> Names =
        parseQualifiedNameList(Opt.Value, Bad);
    if (!Names) {
      ConfigValid = false;
      configurationDiag("invalid entry '%0' in option '%1' of check '%2': "
                        "expected a ';'-separated list of fully qualified "
                        "names such as 'mylib::spawn'",
                        DiagnosticIDs::Error)
          << Bad << Opt.Name << Name;
      continue;
    }
    Config.*Opt.Field = std::move(*Names);
  }
}

void TaskLeakCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  for (const RawOption &Opt : RawOptions)
    Options.store(Opts, Opt.Name, Opt.Value);
}

void TaskLeakCheck::onStartOfTranslationUnit() {
  AnalysisCache::startTranslationUnit();
  Reported.clear();
}

void TaskLeakCheck::registerSpawnMatcher(MatchFinder *Finder) {
  if (!ConfigValid)
    return;
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()))
          .bind("spawner"),
      this);
  Finder->addMatcher(fieldDecl(hasInClassInitializer(expr()),
                               unless(isExpansionInSystemHeader()))
                         .bind("spawner"),
                     this);
  // Variables of namespace scope (a static local is its function's code).
  // hasDeclContext, not hasParent: no parent map of the whole TU.
  Finder->addMatcher(
      varDecl(hasGlobalStorage(), hasInitializer(expr()),
              hasDeclContext(anyOf(namespaceDecl(), translationUnitDecl())),
              unless(isExpansionInSystemHeader()))
          .bind("spawner"),
      this);
}

llvm::ArrayRef<SpawnSite>
TaskLeakCheck::spawnSitesOf(const MatchFinder::MatchResult &Result) {
  if (Result.Context->getDiagnostics().hasUncompilableErrorOccurred())
    return {};
  const auto *D = Result.Nodes.getNodeAs<Decl>("spawner");
  if (!D)
    return {};
  return AnalysisCache::get(*Result.Context).spawnSitesIn(D, Config);
}

void TaskLeakCheck::noteSpawnAndChain(const SpawnSite &Site,
                                      llvm::ArrayRef<const CallExpr *> Chain) {
  diag(Site.Spawn->getBeginLoc(), "task (%0) spawned here", DiagnosticIDs::Note)
      << spawnFamilyName(Site.Family);
  for (const CallExpr *Call : Chain) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    diag(Call->getExprLoc(), "the task calls %0 here", DiagnosticIDs::Note)
        << Callee;
  }
}

std::vector<std::pair<const SpawnSite *, const ChannelLeak *>>
TaskLeakCheck::channelLeaksOf(const MatchFinder::MatchResult &Result,
                              ChannelLeak::Kind K) {
  std::vector<std::pair<const SpawnSite *, const ChannelLeak *>> Leaks;
  ChannelLeakAnalysis &Channels =
      AnalysisCache::get(*Result.Context).channels(Config);
  for (const SpawnSite &Site : spawnSitesOf(Result))
    for (const ChannelLeak &L : Channels.leaksOf(Site))
      if (L.K == K && firstReportAt(L.Blocked->getBeginLoc()))
        Leaks.emplace_back(&Site, &L);
  return Leaks;
}

bool TaskLeakCheck::firstReportAt(SourceLocation Loc) {
  return Reported.insert(Loc.getRawEncoding()).second;
}

} // namespace clang::tidy::taskleak
