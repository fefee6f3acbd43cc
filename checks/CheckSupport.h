//===--- CheckSupport.h - What every taskleak check shares -----*- C++ -*-===//
//
// Suite-wide options (read with getLocalOrGlobal, validated once), the spawn
// site matcher, and the notes every task diagnostic carries. No analysis
// lives here: that is lib/'s job.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_CHECKS_CHECKSUPPORT_H
#define TASKLEAK_CHECKS_CHECKSUPPORT_H

#include "clang-tidy/ClangTidyCheck.h"
#include "taskleak/ChannelLeaks.h"
#include "taskleak/HandleRef.h"
#include "taskleak/LoopTermination.h"
#include "taskleak/SpawnModel.h"
#include "taskleak/SuiteConfig.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace clang::tidy::taskleak {

/// Names a handle in a diagnostic argument: its declaration ('mu'), or
/// '*this' for an object that is itself the mutex.
void streamHandle(DiagnosticBuilder &D, const HandleRef &H);

class SpawnSiteMatcher;

class TaskLeakCheck : public ClangTidyCheck {
public:
  TaskLeakCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }
  void onStartOfTranslationUnit() override;

protected:
  const SuiteConfig &config() const { return Config; }
  /// False when an option was malformed (already reported): register nothing.
  bool configIsValid() const { return ConfigValid; }

  /// Subscribes this check to the spawn sites of user code: check() receives
  /// each, bound to "spawn". The first taskleak check of a translation unit
  /// registers the matchers; the others share them (one matcher evaluation
  /// per call or construct node of the TU, not one per check).
  void registerSpawnMatcher(ast_matchers::MatchFinder *Finder);
  /// The spawn site of a match, or nothing when the TU has errors, the site
  /// is in a template pattern, or its body cannot be resolved.
  std::optional<SpawnSite>
  spawnSiteOf(const ast_matchers::MatchFinder::MatchResult &Result);

  /// Notes for a task diagnostic: the spawn site and the calls from the task
  /// body that lead to \p Chain's end.
  void noteSpawnAndChain(const SpawnSite &Site,
                         llvm::ArrayRef<const CallExpr *> Chain);

  /// The channel leaks of kind \p K of the task matched, each not reported
  /// yet by this check; \p Site receives the spawn site.
  std::vector<const ChannelLeak *>
  channelLeaksOf(const ast_matchers::MatchFinder::MatchResult &Result,
                 ChannelLeak::Kind K, std::optional<SpawnSite> &Site);

  /// True the first time \p Loc is reported by this check in this TU (a loop
  /// reached from several spawns, or template instantiations, reports once).
  bool firstReportAt(SourceLocation Loc);

private:
  SuiteConfig Config;
  bool ConfigValid = true;
  struct RawOption {
    const char *Name;
    std::string Value;
    std::vector<std::string> SuiteConfig::*Field;
  };
  std::vector<RawOption> RawOptions;
  llvm::DenseSet<unsigned> Reported;
  std::shared_ptr<SpawnSiteMatcher> SpawnSites;
};

} // namespace clang::tidy::taskleak

#endif
