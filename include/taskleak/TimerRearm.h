//===--- TimerRearm.h - Self-re-arming asio timers -------------*- C++ -*-===//
//
// An asio timer whose completion handler re-arms the same timer is a ticker.
// cancel() completes the pending wait with operation_aborted; a handler that
// re-arms without returning on an error code can never be stopped.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_TIMERREARM_H
#define TASKLEAK_TIMERREARM_H

#include "taskleak/HandleUses.h"
#include "taskleak/LoopTermination.h"
#include "taskleak/PathSearch.h"
#include "taskleak/SpawnModel.h"
#include <optional>

namespace clang::tidy::taskleak {

struct TimerRearmFinding {
  /// The async_wait whose handler re-arms.
  const CallExpr *ArmSite = nullptr;
  const ValueDecl *Timer = nullptr;
  const FunctionDecl *Handler = nullptr;
  /// The handler's error_code parameter; null when it takes none or leaves
  /// it unnamed.
  const ParmVarDecl *ErrorParam = nullptr;
  /// The statement in the handler that re-arms (the async_wait itself or the
  /// call that leads to it).
  const CallExpr *Rearm = nullptr;
};

/// True when \p Call is `timer.async_wait(handler)` on an asio timer.
bool isAsioTimerWait(const CallExpr *Call, ApiModel &Api);

/// A finding when the handler of the asio timer wait \p Site re-arms the same
/// timer on a path that does not first return on its error code.
std::optional<TimerRearmFinding> analyseTimerRearm(const SpawnSite &Site,
                                                   ApiModel &Api,
                                                   CallGraphIndex &Calls,
                                                   PathSearch &Paths);

/// The same question for the asio timer waits in \p FD whose handler is a
/// callable stored for later (a std::function member, or a member function
/// bound and stored): each callable assigned to it is a handler.
std::vector<TimerRearmFinding>
storedHandlerRearms(const FunctionDecl *FD, ApiModel &Api, HandleUses &Uses,
                    CallGraphIndex &Calls, PathSearch &Paths);

} // namespace clang::tidy::taskleak

#endif
