//===--- SpawnModel.h - Where tasks start and what they run ----*- C++ -*-===//
//
// Given an expression, says whether it starts a task (checks.md, "spawn
// family") and hands back the task body: the lambda, named function, member
// function or functor operator() that runs concurrently with the spawner.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_SPAWNMODEL_H
#define TASKLEAK_SPAWNMODEL_H

#include "taskleak/ApiModel.h"
#include "taskleak/HandleRef.h"
#include "taskleak/SuiteConfig.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace clang::tidy::taskleak {

/// The code a task runs: always a function with a body in this translation
/// unit (a lambda's call operator, a named function, a member function or a
/// functor's operator()).
struct TaskBody {
  const FunctionDecl *Function = nullptr;
  /// Set when the body is a lambda written at (or bound to a local near) the
  /// spawn site; its captures decide what the task shares with its spawner.
  const LambdaExpr *Lambda = nullptr;
};

/// One argument the spawner hands to the body: which body parameter (or,
/// for a member function, the object it runs on) stands for which of the
/// spawner's expressions.
struct SpawnBinding {
  /// The body's parameter; null when Arg is the object a member function
  /// body runs on (`std::thread(&C::run, this)`).
  const ParmVarDecl *Param = nullptr;
  const Expr *Arg = nullptr;
};

struct SpawnSite {
  /// The expression that starts the task (constructor call, async call, ...).
  const Expr *Spawn = nullptr;
  SpawnFamily Family = SpawnFamily::StdThread;
  /// The argument that names the callable.
  const Expr *Callable = nullptr;
  TaskBody Body;
  /// Number of leading arguments the runtime passes before the user's
  /// arguments (a std::stop_token for jthread bodies that accept one).
  bool BodyTakesStopToken = false;
  /// What the body's parameters and object are in the spawner. A lambda's
  /// captures need none: its body names the spawner's variables and `this`
  /// directly (by reference or by copy, as written in the capture list).
  llvm::SmallVector<SpawnBinding, 2> Bindings;

  /// \p InBody, a handle named in the body, in the spawner's terms; nothing
  /// when it is the body's own (a local, an unbound parameter).
  std::optional<HandleRef> spawnerHandle(const HandleRef &InBody,
                                         ApiModel &Api) const;
  /// The body parameter that receives the spawner's \p Arg, if any.
  const ParmVarDecl *parameterFor(const Expr *Arg) const;
};

/// Classifies \p E. Returns a spawn site only when E starts a task AND its
/// body can be resolved to a definition in this translation unit; unresolvable
/// callables yield std::nullopt (nothing can be concluded about them).
std::optional<SpawnSite> classifySpawn(const Expr *E, ApiModel &Api);

/// Resolves a callable expression (lambda, function name, &Class::method,
/// functor object, local variable initialised with a lambda, std::bind) to
/// the function that will run. Returns an empty body when unknown.
TaskBody resolveCallable(const Expr *Callable, ApiModel &Api);

/// The class of the complete object \p E names, seen through `&`, `*`,
/// std::ref, a smart pointer's get(), a pointer local initialised with `new`
/// or make_unique/make_shared and never pointed elsewhere, init captures
/// that are never written (a lambda that is not mutable) and the body's
/// parameters bound at \p Site (when given); null when it may be a
/// subobject of something else.
const CXXRecordDecl *knownDynamicClass(const Expr *E, const SpawnSite *Site,
                                       ApiModel &Api);

/// True when \p E is a std::async call that definitely runs deferred
/// (std::launch::deferred alone), so no task is started.
bool isDeferredAsync(const CallExpr *Call);

} // namespace clang::tidy::taskleak

#endif
