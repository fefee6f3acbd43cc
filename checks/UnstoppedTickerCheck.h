//===--- UnstoppedTickerCheck.h - taskleak-unstopped-ticker ----*- C++ -*-===//
#ifndef TASKLEAK_CHECKS_UNSTOPPEDTICKERCHECK_H
#define TASKLEAK_CHECKS_UNSTOPPEDTICKERCHECK_H

#include "CheckSupport.h"
#include "taskleak/TimerRearm.h"

namespace clang::tidy::taskleak {

/// A periodic loop in a task (it sleeps or waits for a duration) with no way
/// out, and an asio timer whose handler re-arms it without returning on an
/// error code, so cancel() cannot stop it.
class UnstoppedTickerCheck : public TaskLeakCheck {
public:
  using TaskLeakCheck::TaskLeakCheck;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void reportTimer(const TimerRearmFinding &T);
};

} // namespace clang::tidy::taskleak

#endif
