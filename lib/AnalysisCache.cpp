//===--- AnalysisCache.cpp ------------------------------------------------===//
#include "taskleak/AnalysisCache.h"

namespace clang::tidy::taskleak {

// One per thread: clangd builds several translation units at once, each on
// one worker thread, and clang-tidy runs one TU after another on one.
static std::unique_ptr<AnalysisCache> &current() {
  thread_local std::unique_ptr<AnalysisCache> Cache;
  return Cache;
}

AnalysisCache &AnalysisCache::get(ASTContext &Ctx) {
  std::unique_ptr<AnalysisCache> &Cache = current();
  if (!Cache || &Cache->Ctx != &Ctx)
    Cache.reset(new AnalysisCache(Ctx));
  return *Cache;
}

AnalysisCache::AnalysisCache(ASTContext &Ctx)
    : Ctx(Ctx), Calls(Ctx.getSourceManager()), Paths(Ctx) {}

void AnalysisCache::startTranslationUnit() { current().reset(); }

std::string AnalysisCache::keyOf(const SuiteConfig &Config) {
  std::string Key;
  for (const auto *List :
       {&Config.SpawnFunctions, &Config.ChannelTypes, &Config.SendMethods,
        &Config.ReceiveMethods, &Config.CloseMethods, &Config.WaitGroupTypes,
        &Config.TimeoutSetters}) {
    for (const std::string &Name : *List)
      Key += Name + ";";
    Key += "|";
  }
  return Key;
}

AnalysisCache::PerConfig &AnalysisCache::forConfig(const SuiteConfig &Config) {
  std::unique_ptr<PerConfig> &Slot = ByConfig[keyOf(Config)];
  if (!Slot) {
    Slot = std::make_unique<PerConfig>();
    Slot->Config = Config;
  }
  return *Slot;
}

ApiModel &AnalysisCache::api(const SuiteConfig &Config) {
  PerConfig &P = forConfig(Config);
  if (!P.Api)
    P.Api = std::make_unique<ApiModel>(P.Config);
  return *P.Api;
}

TaskLoopAnalysis &AnalysisCache::loops(const SuiteConfig &Config) {
  PerConfig &P = forConfig(Config);
  if (!P.Loops)
    P.Loops = std::make_unique<TaskLoopAnalysis>(Ctx, api(Config), Calls);
  return *P.Loops;
}

const ShutdownFacts &AnalysisCache::shutdown(const SuiteConfig &Config) {
  PerConfig &P = forConfig(Config);
  if (!P.Shutdown)
    P.Shutdown =
        std::make_unique<ShutdownFacts>(computeShutdownFacts(Ctx, api(Config)));
  return *P.Shutdown;
}

HandleUses &AnalysisCache::uses(const SuiteConfig &Config) {
  PerConfig &P = forConfig(Config);
  if (!P.Uses)
    P.Uses = std::make_unique<HandleUses>(api(Config), Ctx.getSourceManager());
  return *P.Uses;
}

ChannelLeakAnalysis &AnalysisCache::channels(const SuiteConfig &Config) {
  PerConfig &P = forConfig(Config);
  if (!P.ChannelLeaks) {
    P.Channels = std::make_unique<ChannelIndex>(Ctx, api(Config), uses(Config));
    P.ChannelLeaks = std::make_unique<ChannelLeakAnalysis>(
        api(Config), Calls, Paths, *P.Channels, loops(Config));
  }
  return *P.ChannelLeaks;
}

HandleStateAnalysis &AnalysisCache::handles(const SuiteConfig &Config) {
  PerConfig &P = forConfig(Config);
  if (!P.Handles)
    P.Handles = std::make_unique<HandleStateAnalysis>(Ctx, api(Config));
  return *P.Handles;
}

TimeoutAnalysis &AnalysisCache::timeouts(const SuiteConfig &Config) {
  PerConfig &P = forConfig(Config);
  if (!P.Timeouts)
    P.Timeouts = std::make_unique<TimeoutAnalysis>(Ctx, api(Config),
                                                   uses(Config), Paths);
  return *P.Timeouts;
}

} // namespace clang::tidy::taskleak
