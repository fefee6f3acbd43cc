//===--- NilChannelCheck.h - taskleak-nil-channel ---------------*- C++ -*-===//
#ifndef TASKLEAK_CHECKS_NILCHANNELCHECK_H
#define TASKLEAK_CHECKS_NILCHANNELCHECK_H

#include "CheckSupport.h"
#include "taskleak/HandleState.h"

namespace clang::tidy::taskleak {

/// A send, receive, close or wait in a task (or a function it calls) through
/// a handle that holds no channel or shared state on some path: Go's nil
/// channel. A front on lib/HandleState.cpp.
class NilChannelCheck : public TaskLeakCheck {
public:
  NilChannelCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override {
    registerSpawnMatcher(Finder);
  }
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  /// Reports each function whose dataflow analysis hit its budget (and so
  /// yields no finding), for whoever wonders why a case is silent.
  const bool DebugBudget;
  const std::int64_t MaxSolverIterations;
  void report(const NilUse &U, const SpawnSite &Site,
              llvm::ArrayRef<const CallExpr *> Chain);
};

} // namespace clang::tidy::taskleak

#endif
