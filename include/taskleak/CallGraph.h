//===--- CallGraph.h - Following calls, once, for every analysis -*- C++
//-*-===//
//
// The one call-following facility. CallGraphIndex knows, per function of
// this translation unit, the calls whose target has a body here (a virtual
// call is followed when the override it reaches is known: the object's
// dynamic type is known, or the method or its class is final). On top of it:
//
//  - BottomUpSummary<Fact>: a per-function fact computed from the function's
//    own statements and the facts of its callees, over the strongly
//    connected components of the call graph (callees first, a recursive
//    cycle iterated to its fixpoint), the way bugprone-infinite-loop treats
//    recursion. Memoised per function for the translation unit.
//  - reachableFrom(): the functions a root reaches, each with the shortest
//    chain of calls that leads there (for the notes of a diagnostic).
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_CALLGRAPH_H
#define TASKLEAK_CALLGRAPH_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <functional>
#include <memory>
#include <vector>

namespace clang::tidy::taskleak {

/// Calls \p Fn on every statement under \p S, not descending into lambda
/// bodies, blocks or nested declarations (a nested lambda is a function of
/// its own; only its capture initialisers run here). \p Fn returns false to
/// skip the children of the statement it was given.
void forEachStmtInFunction(const Stmt *S,
                           llvm::function_ref<bool(const Stmt *)> Fn);

/// The function a call resolves to, with its body in this TU; null for a
/// declaration only, a system-header function, or a virtual call whose
/// override we cannot know (see dispatchTarget).
const FunctionDecl *followableCallee(const CallExpr *Call,
                                     const SourceManager &SM);

/// The override of virtual \p M that runs on an object whose class is
/// exactly \p RD, with its body in this TU's user code; null otherwise.
const FunctionDecl *overrideIn(const CXXMethodDecl *M, const CXXRecordDecl *RD,
                               const SourceManager &SM);

/// The one function a virtual call of \p M can run on an object whose
/// static class is \p Static (a subobject of anything derived from it):
/// when the class or the method is final, or when \p Static has internal
/// linkage (an anonymous namespace, a local class), so that every class
/// derived from it is in this TU, and exactly one non-pure override is
/// reachable from it. Null when several may run or one we cannot see.
const FunctionDecl *dispatchTarget(const CXXMethodDecl *M,
                                   const CXXRecordDecl *Static,
                                   const SourceManager &SM);

/// The function a lambda runs: its call operator, or for a generic lambda
/// its first instantiation with a body (asio instantiates handlers with the
/// real error_code type). Null when none has a body.
const FunctionDecl *callOperatorOf(const LambdaExpr *L);

/// The lambda \p E is, or names: a lambda expression, or a local variable
/// initialised with one (`auto rel = [&] {...}; ... rel`).
const LambdaExpr *lambdaOf(const Expr *E);

struct CallEdge {
  const CallExpr *Call = nullptr;
  const FunctionDecl *Callee = nullptr;
};

class CallGraphIndex {
public:
  /// The index of the TU being analysed on this thread is the one
  /// dispatchTarget() asks for overrides (it is built lazily, once).
  explicit CallGraphIndex(const SourceManager &SM);
  ~CallGraphIndex();
  CallGraphIndex(const CallGraphIndex &) = delete;
  CallGraphIndex &operator=(const CallGraphIndex &) = delete;
  const SourceManager &sourceManager() const { return SM; }

  /// Calls of \p FD's own statements (not of nested lambdas, which are
  /// functions of their own) to followable functions, in source order.
  llvm::ArrayRef<CallEdge> callees(const FunctionDecl *FD);

  /// Every function \p Root reaches (itself first), each with the shortest
  /// call chain from Root, outermost call first.
  struct Reached {
    const FunctionDecl *Function;
    llvm::SmallVector<const CallExpr *, 2> Chain;
  };
  std::vector<Reached> reachableFrom(const FunctionDecl *Root);

  /// Calls \p Visit with each strongly connected component reachable from
  /// \p Root, callees before callers, skipping functions \p Done says are
  /// already summarised.
  void sccsFrom(
      const FunctionDecl *Root,
      llvm::function_ref<bool(const FunctionDecl *)> Done,
      llvm::function_ref<void(llvm::ArrayRef<const FunctionDecl *>)> Visit);

  /// The methods of this TU that override \p M directly (its canonical
  /// declaration), found by one walk of the TU on first use.
  llvm::ArrayRef<const CXXMethodDecl *> overridersOf(const CXXMethodDecl *M);

private:
  const SourceManager &SM;
  llvm::DenseMap<const FunctionDecl *, std::vector<CallEdge>> Edges;
  bool OverridersBuilt = false;
  llvm::DenseMap<const CXXMethodDecl *,
                 llvm::SmallVector<const CXXMethodDecl *, 2>>
      Overriders;
  void indexOverriders(const DeclContext *DC);

public:
  /// The index of the TU this thread analyses, or null.
  static CallGraphIndex *active();
};

/// A fact per function: \p Local gives the function's own contribution,
/// \p Join folds a callee's fact into a caller's at one call and returns
/// true when the caller's fact changed.
template <typename Fact> class BottomUpSummary {
public:
  using LocalFn = std::function<Fact(const FunctionDecl *)>;
  using JoinFn =
      std::function<bool(Fact &Caller, const Fact &Callee, const CallEdge &)>;

  BottomUpSummary(CallGraphIndex &Graph, LocalFn Local, JoinFn Join)
      : Graph(Graph), Local(std::move(Local)), Join(std::move(Join)) {}

  const Fact &get(const FunctionDecl *FD) {
    auto It = Facts.find(FD);
    if (It != Facts.end())
      return *It->second;
    Graph.sccsFrom(
        FD, [&](const FunctionDecl *F) { return Facts.count(F) != 0; },
        [&](llvm::ArrayRef<const FunctionDecl *> Component) {
          for (const FunctionDecl *F : Component)
            Facts[F] = std::make_unique<Fact>(Local(F));
          // Callees outside the component are final; inside it, iterate
          // until nothing changes (bounded: facts only grow).
          for (unsigned Round = 0; Round <= Component.size(); ++Round) {
            bool Changed = false;
            for (const FunctionDecl *F : Component)
              for (const CallEdge &E : Graph.callees(F)) {
                auto CI = Facts.find(E.Callee);
                if (CI != Facts.end() && CI->second.get() != Facts[F].get())
                  Changed |= Join(*Facts[F], *CI->second, E);
              }
            if (!Changed || Component.size() == 1)
              break;
          }
        });
    return *Facts[FD];
  }

private:
  CallGraphIndex &Graph;
  LocalFn Local;
  JoinFn Join;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<Fact>> Facts;
};

} // namespace clang::tidy::taskleak

#endif
