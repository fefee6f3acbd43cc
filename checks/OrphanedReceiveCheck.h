//===--- OrphanedReceiveCheck.h - taskleak-orphaned-receive
//---------------------------------------===//
#ifndef TASKLEAK_CHECKS_ORPHANEDRECEIVECHECK_H
#define TASKLEAK_CHECKS_ORPHANEDRECEIVECHECK_H

#include "CheckSupport.h"

namespace clang::tidy::taskleak {

/// A blocking receive in a task on a channel, promise or latch that nothing in
/// the translation unit sends to, sets, closes or counts down.
class OrphanedReceiveCheck : public TaskLeakCheck {
public:
  using TaskLeakCheck::TaskLeakCheck;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override {
    registerSpawnMatcher(Finder);
  }
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::taskleak

#endif
