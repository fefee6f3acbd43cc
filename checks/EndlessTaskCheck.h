//===--- EndlessTaskCheck.h - taskleak-endless-task ------------*- C++ -*-===//
#ifndef TASKLEAK_CHECKS_ENDLESSTASKCHECK_H
#define TASKLEAK_CHECKS_ENDLESSTASKCHECK_H

#include "CheckSupport.h"

namespace clang::tidy::taskleak {

/// A task whose loop can never end and does not sleep: a constant-true
/// condition with no way out, or a condition over locals nothing changes.
/// Periodic loops belong to taskleak-unstopped-ticker, jthread bodies to
/// taskleak-ignored-stop-token.
class EndlessTaskCheck : public TaskLeakCheck {
public:
  using TaskLeakCheck::TaskLeakCheck;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override {
    registerSpawnMatcher(Finder);
  }
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::taskleak

#endif
