//===--- RangeNeverClosedCheck.h - taskleak-range-never-closed
//---------------------------------------===//
#ifndef TASKLEAK_CHECKS_RANGENEVERCLOSEDCHECK_H
#define TASKLEAK_CHECKS_RANGENEVERCLOSEDCHECK_H

#include "CheckSupport.h"

namespace clang::tidy::taskleak {

/// A receive loop in a task that ends only when its channel is closed, while
/// nothing that can run closes it after the last send.
class RangeNeverClosedCheck : public TaskLeakCheck {
public:
  using TaskLeakCheck::TaskLeakCheck;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override {
    registerSpawnMatcher(Finder);
  }
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::taskleak

#endif
