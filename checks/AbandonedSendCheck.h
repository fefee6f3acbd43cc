//===--- AbandonedSendCheck.h - taskleak-abandoned-send
//---------------------------------------===//
#ifndef TASKLEAK_CHECKS_ABANDONEDSENDCHECK_H
#define TASKLEAK_CHECKS_ABANDONEDSENDCHECK_H

#include "CheckSupport.h"

namespace clang::tidy::taskleak {

/// A blocking send in a task whose receiver can give up (return early, time
/// out, leave its receive loop, never receive) while the channel cannot hold
/// the pending sends and nothing closes it.
class AbandonedSendCheck : public TaskLeakCheck {
public:
  using TaskLeakCheck::TaskLeakCheck;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override {
    registerSpawnMatcher(Finder);
  }
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::taskleak

#endif
