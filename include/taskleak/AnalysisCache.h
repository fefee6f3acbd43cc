//===--- AnalysisCache.h - The model of one translation unit ---*- C++ -*-===//
//
// Everything the checks share, built once per translation unit and per
// configuration: the API model, the call graph and its summaries, the CFG
// cache of the path searches, loop facts and shutdown facts. Every check
// calls startTranslationUnit() from onStartOfTranslationUnit(), which drops
// the previous TU's model.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_ANALYSISCACHE_H
#define TASKLEAK_ANALYSISCACHE_H

#include "taskleak/ApiModel.h"
#include "taskleak/CallGraph.h"
#include "taskleak/ChannelLeaks.h"
#include "taskleak/HandleState.h"
#include "taskleak/LoopTermination.h"
#include "taskleak/PathSearch.h"
#include "taskleak/StopTokenAnalysis.h"
#include "taskleak/TimeoutAnalysis.h"
#include <map>
#include <memory>
#include <string>

namespace clang::tidy::taskleak {

class AnalysisCache {
public:
  /// The cache for \p Ctx; a new context drops everything.
  static AnalysisCache &get(ASTContext &Ctx);
  static void startTranslationUnit();

  ApiModel &api(const SuiteConfig &Config);
  CallGraphIndex &calls() { return Calls; }
  PathSearch &paths() { return Paths; }
  TaskLoopAnalysis &loops(const SuiteConfig &Config);
  const ShutdownFacts &shutdown(const SuiteConfig &Config);
  TimeoutAnalysis &timeouts(const SuiteConfig &Config);
  HandleUses &uses(const SuiteConfig &Config);
  ChannelLeakAnalysis &channels(const SuiteConfig &Config);
  HandleStateAnalysis &handles(const SuiteConfig &Config);

  ASTContext &context() { return Ctx; }

private:
  explicit AnalysisCache(ASTContext &Ctx);
  static std::string keyOf(const SuiteConfig &Config);

  ASTContext &Ctx;
  CallGraphIndex Calls;
  PathSearch Paths;
  struct PerConfig {
    SuiteConfig Config;
    std::unique_ptr<ApiModel> Api;
    std::unique_ptr<TaskLoopAnalysis> Loops;
    std::unique_ptr<ShutdownFacts> Shutdown;
    std::unique_ptr<HandleUses> Uses;
    std::unique_ptr<TimeoutAnalysis> Timeouts;
    std::unique_ptr<ChannelIndex> Channels;
    std::unique_ptr<ChannelLeakAnalysis> ChannelLeaks;
    std::unique_ptr<HandleStateAnalysis> Handles;
  };
  std::map<std::string, std::unique_ptr<PerConfig>> ByConfig;
  PerConfig &forConfig(const SuiteConfig &Config);
};

} // namespace clang::tidy::taskleak

#endif
