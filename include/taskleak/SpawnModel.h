//===--- SpawnModel.h - Where tasks start and what they run ----*- C++ -*-===//
//
// Given an expression, says whether it starts a task (checks.md, "spawn
// family") and hands back the task body: the lambda, named function, member
// function or functor operator() that runs concurrently with the spawner.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_SPAWNMODEL_H
#define TASKLEAK_SPAWNMODEL_H

#include "taskleak/SuiteConfig.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace clang::tidy::taskleak {

enum class SpawnFamily {
  StdThread,
  StdJThread,
  StdAsync,
  PThread,
  BoostThread,
  BoostFiber,
  AsioHandler,
  TbbTask,
  UserDeclared,
};

llvm::StringRef spawnFamilyName(SpawnFamily F);

/// The code a task runs: always a function with a body in this translation
/// unit (a lambda's call operator, a named function, a member function or a
/// functor's operator()).
struct TaskBody {
  const FunctionDecl *Function = nullptr;
  /// Set when the body is a lambda written at (or bound to a local near) the
  /// spawn site; its captures decide what the task shares with its spawner.
  const LambdaExpr *Lambda = nullptr;
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
};

/// Classifies \p E. Returns a spawn site only when E starts a task AND its
/// body can be resolved to a definition in this translation unit; unresolvable
/// callables yield std::nullopt (nothing can be concluded about them).
std::optional<SpawnSite> classifySpawn(const Expr *E, const SuiteConfig &Config);

/// Resolves a callable expression (lambda, function name, &Class::method,
/// functor object, local variable initialised with a lambda, std::bind) to
/// the function that will run. Returns an empty body when unknown.
TaskBody resolveCallable(const Expr *Callable);

/// True when \p E is a std::async call that definitely runs deferred
/// (std::launch::deferred alone), so no task is started.
bool isDeferredAsync(const CallExpr *Call);

} // namespace clang::tidy::taskleak

#endif
