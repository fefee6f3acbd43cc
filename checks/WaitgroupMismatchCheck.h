//===--- WaitgroupMismatchCheck.h - taskleak-waitgroup-mismatch -*- C++ -*-===//
#ifndef TASKLEAK_CHECKS_WAITGROUPMISMATCHCHECK_H
#define TASKLEAK_CHECKS_WAITGROUPMISMATCHCHECK_H

#include "CheckSupport.h"

namespace clang::tidy::taskleak {

/// A latch, barrier or WaitGroup-style counter whose expected count cannot
/// match the arrivals, or whose Add() runs inside the spawned task.
class WaitgroupMismatchCheck : public TaskLeakCheck {
public:
  using TaskLeakCheck::TaskLeakCheck;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::taskleak

#endif
