//===--- PathSearch.h - Questions about paths, asked of the CFG -*- C++ -*-===//
//
// "Is there a path from the acquire to an exit that skips the release?" and
// "does every path to this call pass a timeout setting first?" are questions
// about Clang's CFG of one function (built once per function for the TU), not
// about source order. The search
//  - follows the CFG's own order of statements (no source locations);
//  - correlates branches: a local that is tested, not changed, and tested
//    again takes the same branch both times (`if (c) m.lock(); ...
//    if (c) m.unlock();`), however the test is spelled (`c`, `(c)`,
//    `c == true`, `!c`); a write of a constant (`locked = true`, `bool
//    locked = false;`) is known from there on, any other write forgets;
//  - models exceptions: a call inside a `try` can reach the handlers that
//    catch it (the CFG's exception edges); an exception that leaves the
//    function is none of the exits the checks are about (from a task body it
//    ends the process); a handler that swallows the exception is an exit;
//  - drops paths through [[noreturn]] calls, which end the process or the
//    thread with nobody left waiting.
//
// A search that would visit more than a fixed number of states gives up and
// answers "no path", so a pathological function costs bounded time and
// yields no finding.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_PATHSEARCH_H
#define TASKLEAK_PATHSEARCH_H

#include "clang/AST/ASTContext.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <memory>
#include <optional>

namespace clang::tidy::taskleak {

/// The exit a leaking path leaves by.
struct ExitWitness {
  enum Kind { Return, Break, Continue, Goto, Throw, CatchHandler, FallOffEnd };
  Kind K = FallOffEnd;
  /// The exit statement (the CXXCatchStmt for a handler); null when the path
  /// falls off the end.
  const Stmt *Exit = nullptr;
  /// Where to report: the exit statement, or the function's closing brace.
  SourceLocation Loc;
};

/// What one statement of the CFG does to the obligation being searched.
enum class PathStep : unsigned char {
  None,
  /// The obligation starts here (the acquire the question is about).
  Start,
  /// The obligation starts where this call returns true (try_lock()).
  TryStart,
  /// The obligation is met here: this path is covered.
  Release,
  /// The same handle is acquired again while held.
  Reacquire,
  /// Returned for a two-way branch's condition: on the edge where the
  /// condition is true (false), the obligation is already met (`if
  /// (ch.push(v) == channel_op_status::closed) return;`: a closed channel
  /// owes no close()). Elsewhere it does nothing.
  ReleaseWhenTrue,
  ReleaseWhenFalse,
};

class PathSearch {
public:
  explicit PathSearch(ASTContext &Ctx) : Ctx(Ctx) {}

  /// \p FD's CFG, with implicit destructors and exception edges into local
  /// handlers; built once. Null when Clang cannot build one.
  const CFG *cfgOf(const FunctionDecl *FD);

  using Classifier = llvm::function_ref<PathStep(const Stmt *)>;

  /// A path from \p FD's entry on which the obligation starts (at a Start or
  /// successful TryStart statement, or at the entry when \p HeldAtEntry) and
  /// reaches an exit without a Release. A Reacquire while held is a leak
  /// when the path got there by `continue` or `break` (the loop skipped its
  /// release), and otherwise ends the path.
  std::optional<ExitWitness> leakingPath(const FunctionDecl *FD,
                                         bool HeldAtEntry, Classifier Step);

  /// True when some path from \p FD's entry reaches \p Target without
  /// passing a Release statement or the edge a ReleaseWhenTrue/False branch
  /// condition names.
  bool reachesAvoiding(const FunctionDecl *FD, const Stmt *Target,
                       Classifier Step);

  /// True when some path from \p FD's entry reaches \p Target, an acquire,
  /// while the function holds the handle itself or not at all, rather than
  /// only right after dropping a lock its caller holds. Step classifies
  /// every acquire of the handle as Start, TryStart or Reacquire and every
  /// release as Release. Along a path the handle is the caller's (at entry),
  /// the function's (after an acquire), free (after the function released
  /// its own) or dropped (after releasing the caller's); an acquire while
  /// dropped takes the caller's lock back, which is no obligation of this
  /// function (`mu.unlock(); sleep(); mu.lock();`).
  bool reachesAsOwnAcquire(const FunctionDecl *FD, const Stmt *Target,
                           Classifier Step);

  /// A statement that \p Step classifies as Release and that can run after
  /// \p From (a statement of \p FD's CFG) on some path; null when there is
  /// none (or From is not in the CFG).
  const Stmt *releaseReachableFrom(const FunctionDecl *FD, const Stmt *From,
                                   Classifier Step);

  /// True when \p Target is reachable from the start of \p From (its
  /// statements included), in the CFG From belongs to, without passing
  /// through one of \p Barriers (whose statements still count).
  static bool blockReaches(
      const CFGBlock *From, const Stmt *Target,
      const llvm::SmallPtrSetImpl<const CFGBlock *> *Barriers = nullptr);

  /// True when control can go from statement \p FromS, in block \p From,
  /// to statement \p Target of the same CFG: \p FromS itself, later in From, or in a block
  /// reachable from From's successors (From itself again, in a loop).
  static bool stmtReaches(const CFGBlock *From, const Stmt *FromS,
                          const Stmt *Target);

  /// Number of searches that gave up on their state budget (for --debug
  /// style counters and tests).
  unsigned budgetHits() const { return BudgetHits; }

private:
  struct Search;
  ASTContext &Ctx;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<CFG>> Cfgs;
  /// Per variable: can a branch on it be correlated with a later one?
  llvm::DenseMap<const VarDecl *, bool> Trackable;
  bool isTrackable(const VarDecl *VD, const FunctionDecl *FD);
  unsigned BudgetHits = 0;
};

} // namespace clang::tidy::taskleak

#endif
