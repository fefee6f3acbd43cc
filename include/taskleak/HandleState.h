//===--- HandleState.h - Does this handle hold a channel here? -*- C++ -*-===//
//
// Per-path state of the handles that can hold nothing: a shared_ptr or
// unique_ptr to a channel, future or promise, and a future or promise
// itself. Built on clang's dataflow framework (clang/Analysis/FlowSensitive)
// the way UncheckedOptionalAccessModel is: every handle's storage location
// carries a synthetic boolean field, "holds", that transfer functions (a
// CFGMatchSwitch) set at constructors, make_shared/make_unique, assignments,
// reset(), moves, get() and share(), and that tests (`if (ch)`,
// `ch != nullptr`, `valid()`) put into the flow condition, so correlated
// branches are decided by the SAT solver, not by patterns.
//
// Precision first. What the function cannot see is assumed to hold a channel:
// parameters, members, the results of unknown calls, and any handle whose
// reference escapes (passed by non-const reference, its address taken,
// captured by reference). A use is reported only when the solver allows
// "holds" to be false there AND something in the function (or the spawner
// for captured handles, or the class for members) made it empty: a default
// construction, reset(), `= nullptr`, a move, a consuming get(), a member no
// constructor or method assigns.
//
// The solver's work and the block visits are bounded: a function that
// exceeds either yields no finding and is counted (budgetHits()).
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_HANDLESTATE_H
#define TASKLEAK_HANDLESTATE_H

#include "taskleak/ApiModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <vector>

namespace clang::tidy::taskleak {

/// Why a handle holds nothing at some point.
enum class EmptyReason : unsigned char {
  DefaultConstructed,
  NullAssigned,
  Reset,
  MovedFrom,
  Consumed,
  NeverAssignedMember,
};

struct HandleEvent {
  SourceLocation Loc;
  EmptyReason Why;
  /// The declaration the event is about (for the note's wording).
  const ValueDecl *Handle = nullptr;
};

/// The state of a handle a task captures, at the point the task is created.
struct CapturedState {
  const VarDecl *Var = nullptr;
  /// Empty on every path to the capture, or only on some.
  bool EveryPath = false;
  llvm::SmallVector<HandleEvent, 2> Emptied;
  llvm::SmallVector<SourceLocation, 2> Assigned;
};

/// A send, receive, close or wait through a handle that may hold nothing.
struct NilUse {
  const CallExpr *Use = nullptr;
  const ValueDecl *Handle = nullptr;
  ObjectKind Kind = ObjectKind::None;
  /// Empty on every path that reaches the use (else on some).
  bool EveryPath = false;
  llvm::SmallVector<HandleEvent, 2> Emptied;
  /// Where the handle gets something on other paths (the branch that skips
  /// the assignment is the leaking one).
  llvm::SmallVector<SourceLocation, 2> Assigned;
  /// Set when the emptiness comes from the spawner: the capture's state.
  bool FromSpawner = false;
};

class HandleStateAnalysis {
public:
  HandleStateAnalysis(ASTContext &Ctx, ApiModel &Api);
  ~HandleStateAnalysis();

  /// The uses in \p FD through handles that may hold nothing, with
  /// \p Captured the states of the handles a task body captured from its
  /// spawner (empty for other functions). Memoised for uncaptured calls.
  std::vector<NilUse> nilUses(const FunctionDecl *FD,
                              llvm::ArrayRef<CapturedState> Captured = {});

  /// The states of the handles \p Lambda captures, in the function that
  /// evaluates it, where they may hold nothing; by-reference captures only
  /// when the spawner never gives the handle anything afterwards.
  std::vector<CapturedState> capturedStates(const LambdaExpr *Lambda);

  /// True when \p FD names a nullable handle at all (the prefilter: the
  /// dataflow framework runs only on those).
  bool touchesHandles(const FunctionDecl *FD);

  /// The SAT solver's work limit per function (default 200,000 iterations).
  void setSolverBudget(std::int64_t Iterations) { SolverBudget = Iterations; }

  /// Functions whose analysis hit the solver or block-visit budget (their
  /// findings are dropped), and functions analysed.
  unsigned budgetHits() const { return BudgetHits; }
  unsigned functionsAnalysed() const { return Analysed; }
  llvm::ArrayRef<const FunctionDecl *> overBudget() const { return OverBudget; }

  /// Members of \p RD that hold nothing for the object's whole life: a
  /// private or protected handle no constructor initialises and no method
  /// assigns, in a class whose every method is defined in this TU.
  const llvm::DenseSet<const FieldDecl *> &
  neverAssignedMembers(const CXXRecordDecl *RD);

  struct FunctionResult;

private:
  ASTContext &Ctx;
  ApiModel &Api;
  std::int64_t SolverBudget = 200'000;
  unsigned BudgetHits = 0;
  unsigned Analysed = 0;
  std::vector<const FunctionDecl *> OverBudget;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionResult>>
      Results;
  llvm::DenseMap<const FunctionDecl *, bool> Touches;
  llvm::DenseMap<const CXXRecordDecl *,
                 std::unique_ptr<llvm::DenseSet<const FieldDecl *>>>
      Members;

  std::unique_ptr<FunctionResult>
  run(const FunctionDecl *FD, llvm::ArrayRef<CapturedState> Captured);
  FunctionResult &resultOf(const FunctionDecl *FD);
};

} // namespace clang::tidy::taskleak

#endif
