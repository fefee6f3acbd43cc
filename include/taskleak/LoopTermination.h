//===--- LoopTermination.h - Can this loop ever end? -----------*- C++ -*-===//
//
// Loop-termination facts for loops in task bodies and in the functions they
// call: whether a loop has a way out (break, return, throw, goto, co_await, a
// [[noreturn]] call, a callee of this TU that throws, a blocking call that
// throws on shutdown), whether its condition can change (written in the loop,
// shared with other threads, an atomic, a stop token), and whether it is
// periodic (it sleeps or waits for a duration).
//
// Per-function facts are memoised; the object lives for one translation unit.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_LOOPTERMINATION_H
#define TASKLEAK_LOOPTERMINATION_H

#include "taskleak/ApiModel.h"
#include "taskleak/CallGraph.h"
#include "taskleak/PathSearch.h"
#include "taskleak/SpawnModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <vector>

namespace clang::tidy::taskleak {

enum class EndlessReason {
  /// `while (true)`, `for (;;)`: the condition is a constant.
  ConstantTrue,
  /// The condition reads only locals that nothing can change.
  UnchangingCondition,
};

/// A loop that can never end, with the facts a diagnostic needs.
struct EndlessLoop {
  const Stmt *Loop = nullptr;
  const FunctionDecl *Function = nullptr;
  EndlessReason Reason = EndlessReason::ConstantTrue;
  /// For UnchangingCondition: a variable the condition reads.
  const VarDecl *ConditionVar = nullptr;
  /// The sleep or timed wait that makes the loop periodic; null otherwise.
  const CallExpr *PeriodicWait = nullptr;
  /// A wait in the loop that blocks until a partner acts (a plain
  /// condition-variable wait, a blocking receive, send or acquire); null
  /// when the loop never blocks.
  const CallExpr *BlockingWait = nullptr;
  /// Calls leading from the task body to Function (empty when the loop is in
  /// the body itself), outermost first.
  llvm::SmallVector<const CallExpr *, 2> CallChain;
};

/// What leaves a loop, found by one walk of its body.
struct LoopExitScan {
  /// break/return/throw/goto/co_await/noreturn calls and throwing callees.
  llvm::SmallVector<const Stmt *, 4> Exits;
  /// A sleep or a timed wait without a stop predicate.
  const CallExpr *PeriodicWait = nullptr;
  /// A condition-variable wait with a predicate or a stop_token: the loop is
  /// waiting for someone to tell it something, which counts as a way out.
  const CallExpr *PredicateWait = nullptr;
  /// Blocking waits that a std::stop_token request cannot wake.
  llvm::SmallVector<const CallExpr *, 2> UnwakeableWaits;
  /// A call to a function of this TU that may block in such a wait (a
  /// wrapper around a condition variable, a queue's blocking pop).
  const CallExpr *BlockingCall = nullptr;
  /// Every condition-variable wait with a predicate or a stop_token.
  llvm::SmallVector<const CallExpr *, 2> PredicateWaits;
};

enum class BlockingKind { None, Sleep, TimedWait, PredicateWait, Unwakeable };

/// Classifies one call: a sleep, a timed wait, a predicate wait, or a wait a
/// stop request cannot wake (condition_variable::wait, channel pop,
/// future::get, latch::wait, semaphore acquire, user ReceiveMethods).
BlockingKind classifyBlockingCall(const CallExpr *Call, ApiModel &Api);

/// For a predicate wait (BlockingKind::PredicateWait): true when neither a
/// std::stop_token handed to the wait nor its predicate can observe a stop,
/// so that a stop request (or a stop flag set before a notify) never ends
/// it: the predicate is a lambda that reads no stop token, no flag (a
/// variable or member of type bool, an enum, or a class over one, such as
/// an atomic<bool>) and calls no function of this translation unit.
bool predicateIgnoresStop(const CallExpr *Wait, ApiModel &Api,
                          const SourceManager &SM);

class TaskLoopAnalysis {
public:
  TaskLoopAnalysis(ASTContext &Ctx, ApiModel &Api, CallGraphIndex &Calls);

  /// Loops of \p FD itself (not of nested lambdas) that can never end; of
  /// nested endless loops only the innermost is returned. Memoised.
  llvm::ArrayRef<EndlessLoop> endlessLoopsIn(const FunctionDecl *FD);

  /// Endless loops of a task: in its body and in the functions of this TU it
  /// calls, however deep.
  std::vector<EndlessLoop> endlessLoopsOfTask(const TaskBody &Body);

  /// The same, also following the virtual calls whose override the spawn
  /// site tells: a member-function body run on an object whose dynamic type
  /// is known, and virtual calls of the body on a parameter (or an init
  /// capture) bound to such an object.
  std::vector<EndlessLoop> endlessLoopsOfTask(const SpawnSite &Site);

  /// Walks one loop's body (not nested lambdas) for its ways out.
  LoopExitScan scanLoop(const Stmt *Loop);

  /// Loops of \p FD (not of nested lambdas), outermost first.
  llvm::ArrayRef<const Stmt *> loopsIn(const FunctionDecl *FD);

  /// True when a call to \p FD may leave its caller abnormally: it throws or
  /// calls a [[noreturn]] function (transitively, within this TU). Memoised.
  bool mayLeaveAbnormally(const FunctionDecl *FD);

  /// The first sleep or timed wait \p FD performs (transitively). Memoised.
  const CallExpr *periodicWaitIn(const FunctionDecl *FD);

  /// Waits a stop request cannot wake that a call to \p FD may block in:
  /// its own and its callees' (transitively; a few at most), plain
  /// condition-variable waits, channel pops, future gets, semaphore
  /// acquires, and predicate waits whose predicate ignores a stop.
  /// Memoised.
  llvm::ArrayRef<const CallExpr *> unwakeableWaitsIn(const FunctionDecl *FD);

  /// False when no path from the entry of \p FD reaches \p Loop: it comes
  /// after a [[noreturn]] call, a throw, or a co_await whose awaiter never
  /// resumes the frame. Asks the CFG; true when there is none.
  bool isReachable(const Stmt *Loop, const FunctionDecl *FD);

  ApiModel &api() { return Api; }
  CallGraphIndex &calls() { return Calls; }

private:
  struct FunctionFacts {
    bool LoopsDone = false;
    std::vector<const Stmt *> Loops;
    bool EndlessDone = false;
    std::vector<EndlessLoop> Endless;
  };
  FunctionFacts &facts(const FunctionDecl *FD);
  std::optional<EndlessLoop> analyseLoop(const Stmt *Loop,
                                         const FunctionDecl *FD);
  bool conditionCannotChange(const Expr *Cond, const FunctionDecl *FD,
                             const VarDecl *&FirstVar);
  using WaitList = llvm::SmallVector<const CallExpr *, 2>;

  ASTContext &Ctx;
  ApiModel &Api;
  CallGraphIndex &Calls;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionFacts>> Facts;
  BottomUpSummary<bool> LeavesAbnormally;
  BottomUpSummary<const CallExpr *> PeriodicWait;
  BottomUpSummary<WaitList> UnwakeableWaits;
  /// CFGs for reachability, built only for functions with an endless loop.
  PathSearch Paths;
  /// Per function: the loops its CFG shows, and those some path from its
  /// entry reaches.
  struct Reachability {
    bool Known = false;
    llvm::SmallPtrSet<const Stmt *, 4> Terminators, Reached;
  };
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<Reachability>>
      ReachableLoops;
};

/// The condition of a while/do/for loop (null for `for (;;)` and others).
const Expr *loopCondition(const Stmt *Loop);

} // namespace clang::tidy::taskleak

#endif
