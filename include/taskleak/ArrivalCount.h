//===--- ArrivalCount.h - Expected count against arrivals ------*- C++ -*-===//
//
// For a std::latch / std::barrier / WaitGroup-style object declared in a
// function, counts the arrivals the function and the tasks it spawns make
// (count_down(n), arrive_and_wait(), Done()) when every trip count is a
// constant, and compares them with the expected count. Anything it cannot
// count (a loop with a run-time bound, a conditional arrival, the handle
// passed to unknown code) makes the answer "unknown": no finding.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_ARRIVALCOUNT_H
#define TASKLEAK_ARRIVALCOUNT_H

#include "taskleak/CallGraph.h"
#include "taskleak/SpawnModel.h"
#include "taskleak/SuiteConfig.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <vector>

namespace clang::tidy::taskleak {

struct ArrivalMismatch {
  enum Kind {
    /// Latch/barrier/WaitGroup expected count differs from the arrivals
    /// (also when no task arrives at all and the spawner alone cannot reach
    /// the count).
    CountMismatch,
    /// WaitGroup-style Add() called inside the spawned task (or a function
    /// of this TU it calls).
    AddInsideTask,
    /// A wait inside the loop that spawns the group, reached before the
    /// group can be complete (Expected: the count the first wait needs;
    /// Arrivals: what the tasks spawned so far and the spawner can make).
    WaitInsideSpawnLoop,
  };
  Kind K = CountMismatch;
  const ValueDecl *Counter = nullptr;
  /// "latch", "barrier", "wait group".
  const char *What = "latch";
  long long Expected = 0;
  long long Arrivals = 0;
  /// Where the expected count is set (the declaration, or the Add call).
  SourceLocation ExpectedAt;
  /// Spawn sites that contribute, with how many tasks each starts and how
  /// many arrivals each task makes.
  struct Contribution {
    const Expr *Spawn = nullptr;
    long long Tasks = 0;
    long long PerTask = 0;
  };
  llvm::SmallVector<Contribution, 2> Contributions;
  /// For AddInsideTask: the Add call and the Wait() of the spawner; for
  /// WaitInsideSpawnLoop, the wait. For a CountMismatch where no task
  /// arrives, a task the spawner starts.
  const CallExpr *Add = nullptr;
  const CallExpr *Wait = nullptr;
  const Expr *Spawn = nullptr;
  /// For a CountMismatch where only the spawner arrives: its arrival.
  const CallExpr *DirectArrival = nullptr;
};

/// Every mismatch between the counters declared in \p FD and the arrivals
/// it and its tasks make.
std::vector<ArrivalMismatch> findArrivalMismatches(const FunctionDecl *FD,
                                                   ASTContext &Ctx,
                                                   ApiModel &Api,
                                                   CallGraphIndex &Calls);

/// The number of times \p Loop runs when it is a counted `for` with
/// constant bounds and no early exit; std::nullopt otherwise.
std::optional<long long> constantTripCount(const Stmt *Loop, ASTContext &Ctx);

} // namespace clang::tidy::taskleak

#endif
