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

/// The spawn matchers of one translation unit, shared by its taskleak checks.
/// Every check used to register its own pair of matchers, so each call and
/// construct node of the headers was classified once per check; the match
/// finder now evaluates one pair and this callback hands each match to every
/// subscribed check. A check whose options differ sees only the sites its own
/// configuration calls spawns: the matcher accepts a site if any
/// subscriber's configuration does, and spawnSiteOf() filters again.
class SpawnSiteMatcher : public MatchFinder::MatchCallback {
public:
  explicit SpawnSiteMatcher(const MatchFinder *Finder) : Finder(Finder) {}

  const MatchFinder *finder() const { return Finder; }

  void subscribe(TaskLeakCheck *Check, const SuiteConfig &Config) {
    Subscribers.push_back(Check);
    for (const SuiteConfig *C : Configs)
      if (*C == Config)
        return;
    Configs.push_back(&Config);
  }

  bool startsTask(const Expr *E, ASTContext &Ctx) const {
    AnalysisCache &Cache = AnalysisCache::get(Ctx);
    for (const SuiteConfig *C : Configs)
      if (classifySpawn(E, Cache.api(*C)))
        return true;
    return false;
  }

  void run(const MatchFinder::MatchResult &Result) override {
    for (TaskLeakCheck *Check : Subscribers)
      Check->check(Result);
  }
  // A subscriber with no matcher of its own is not among the finder's
  // callbacks, so it learns of a new TU here. Calling it twice (when it has
  // matchers of its own too) only clears empty state twice.
  void onStartOfTranslationUnit() override {
    for (TaskLeakCheck *Check : Subscribers)
      Check->onStartOfTranslationUnit();
  }
  StringRef getID() const override { return "taskleak-spawn-sites"; }

private:
  const MatchFinder *Finder;
  std::vector<TaskLeakCheck *> Subscribers;
  std::vector<const SuiteConfig *> Configs;
};

namespace {
AST_MATCHER_P(Expr, startsTask, const SpawnSiteMatcher *, Sites) {
  (void)Builder;
  return Sites->startsTask(&Node, Finder->getASTContext());
}

/// The spawn matchers of the TU being set up on this thread (clangd builds
/// several TUs at once, each on one thread). A weak reference: the checks of
/// a TU own its matcher, so a finder at a reused address never meets the
/// matcher of a destroyed one.
std::weak_ptr<SpawnSiteMatcher> &spawnSitesBeingRegistered() {
  thread_local std::weak_ptr<SpawnSiteMatcher> Current;
  return Current;
}
} // namespace

void TaskLeakCheck::registerSpawnMatcher(MatchFinder *Finder) {
  if (!ConfigValid)
    return;
  std::weak_ptr<SpawnSiteMatcher> &Current = spawnSitesBeingRegistered();
  SpawnSites = Current.lock();
  if (!SpawnSites || SpawnSites->finder() != Finder) {
    SpawnSites = std::make_shared<SpawnSiteMatcher>(Finder);
    Current = SpawnSites;
    // Two matchers keyed on the node kinds that can spawn, not one on every
    // Expr: the match finder then never calls us for the other expressions.
    const SpawnSiteMatcher *Sites = SpawnSites.get();
    Finder->addMatcher(
        cxxConstructExpr(unless(isExpansionInSystemHeader()), startsTask(Sites))
            .bind("spawn"),
        SpawnSites.get());
    Finder->addMatcher(
        callExpr(unless(isExpansionInSystemHeader()), startsTask(Sites))
            .bind("spawn"),
        SpawnSites.get());
  }
  SpawnSites->subscribe(this, Config);
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
