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

namespace {
AST_MATCHER_P(Expr, startsTask, const SuiteConfig *, Config) {
  (void)Builder;
  return classifySpawn(&Node,
                       AnalysisCache::get(Finder->getASTContext()).api(*Config))
      .has_value();
}
} // namespace

void TaskLeakCheck::registerSpawnMatcher(MatchFinder *Finder) {
  if (!ConfigValid)
    return;
  // Two matchers keyed on the node kinds that can spawn, not one on every
  // Expr: the match finder then never calls us for the other expressions.
  Finder->addMatcher(
      cxxConstructExpr(unless(isExpansionInSystemHeader()), startsTask(&Config))
          .bind("spawn"),
      this);
  Finder->addMatcher(
      callExpr(unless(isExpansionInSystemHeader()), startsTask(&Config))
          .bind("spawn"),
      this);
}

std::optional<SpawnSite>
TaskLeakCheck::spawnSiteOf(const MatchFinder::MatchResult &Result) {
  if (Result.Context->getDiagnostics().hasUncompilableErrorOccurred())
    return std::nullopt;
  const auto *E = Result.Nodes.getNodeAs<Expr>("spawn");
  if (!E)
    return std::nullopt;
  return classifySpawn(E, AnalysisCache::get(*Result.Context).api(Config));
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

std::vector<const ChannelLeak *>
TaskLeakCheck::channelLeaksOf(const MatchFinder::MatchResult &Result,
                              ChannelLeak::Kind K,
                              std::optional<SpawnSite> &Site) {
  std::vector<const ChannelLeak *> Leaks;
  Site = spawnSiteOf(Result);
  if (!Site)
    return Leaks;
  for (const ChannelLeak &L :
       AnalysisCache::get(*Result.Context).channels(Config).leaksOf(*Site))
    if (L.K == K && firstReportAt(L.Blocked->getBeginLoc()))
      Leaks.push_back(&L);
  return Leaks;
}

bool TaskLeakCheck::firstReportAt(SourceLocation Loc) {
  return Reported.insert(Loc.getRawEncoding()).second;
}

} // namespace clang::tidy::taskleak
