//===--- AnalysisCache.h - Per-TU memo shared by all checks ----*- C++ -*-===//
//
// Several checks need the same per-function facts (loop termination, callees,
// shutdown facts). One cache per translation unit holds them; every check
// calls startTranslationUnit() from onStartOfTranslationUnit(), which drops
// the previous TU's facts.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_ANALYSISCACHE_H
#define TASKLEAK_ANALYSISCACHE_H

#include "taskleak/LoopTermination.h"
#include "taskleak/StopTokenAnalysis.h"
#include <map>
#include <memory>
#include <string>

namespace clang::tidy::taskleak {

class AnalysisCache {
public:
  /// The cache for \p Ctx; a new context drops everything.
  static AnalysisCache &get(ASTContext &Ctx);
  static void startTranslationUnit();

  TaskLoopAnalysis &loops(const SuiteConfig &Config);
  const ShutdownFacts &shutdown(const SuiteConfig &Config);

private:
  explicit AnalysisCache(ASTContext &Ctx) : Ctx(Ctx) {}
  static std::string keyOf(const SuiteConfig &Config);

  ASTContext &Ctx;
  struct PerConfig {
    SuiteConfig Config;
    std::unique_ptr<TaskLoopAnalysis> Loops;
    std::unique_ptr<ShutdownFacts> Shutdown;
  };
  std::map<std::string, std::unique_ptr<PerConfig>> ByConfig;
  PerConfig &forConfig(const SuiteConfig &Config);
};

} // namespace clang::tidy::taskleak

#endif
