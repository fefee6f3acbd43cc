//===--- IgnoredStopTokenCheck.h - taskleak-ignored-stop-token -*- C++ -*-===//
#ifndef TASKLEAK_CHECKS_IGNOREDSTOPTOKENCHECK_H
#define TASKLEAK_CHECKS_IGNOREDSTOPTOKENCHECK_H

#include "CheckSupport.h"

namespace clang::tidy::taskleak {

/// A std::jthread body a stop request cannot end: it never consults its
/// stop_token, takes none and loops forever, or checks it only between
/// waits that request_stop() does not wake.
class IgnoredStopTokenCheck : public TaskLeakCheck {
public:
  using TaskLeakCheck::TaskLeakCheck;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }
  void registerMatchers(ast_matchers::MatchFinder *Finder) override {
    registerSpawnMatcher(Finder);
  }
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::taskleak

#endif
