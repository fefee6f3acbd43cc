//===--- MissingDeferCheck.h - taskleak-missing-defer ----------*- C++ -*-===//
#ifndef TASKLEAK_CHECKS_MISSINGDEFERCHECK_H
#define TASKLEAK_CHECKS_MISSINGDEFERCHECK_H

#include "CheckSupport.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <vector>

namespace clang::tidy::taskleak {

/// An exit that leaves an obligation its partners wait on: a lock not
/// unlocked, a semaphore slot not released, a latch not counted down, a
/// promise not set, a WaitGroup-style Done() skipped, a channel not closed —
/// Go's missing `defer`.
class MissingDeferCheck : public TaskLeakCheck {
public:
  using TaskLeakCheck::TaskLeakCheck;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;

private:
  ASTContext *Context = nullptr;
  std::vector<const FunctionDecl *> Functions;
  llvm::SmallPtrSet<const FunctionDecl *, 32> SeenFunctions;
  llvm::DenseMap<const FunctionDecl *, SpawnSite> TaskBodies;
};

} // namespace clang::tidy::taskleak

#endif
