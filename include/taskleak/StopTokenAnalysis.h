//===--- StopTokenAnalysis.h - Can a jthread's owner stop it? --*- C++ -*-===//
//
// A std::jthread's destructor calls request_stop() and then join(): the owner
// hangs unless the body reacts to the stop request. This analysis finds the
// loops of a jthread body that a stop request cannot end.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_STOPTOKENANALYSIS_H
#define TASKLEAK_STOPTOKENANALYSIS_H

#include "taskleak/HandleRef.h"
#include "taskleak/LoopTermination.h"
#include "taskleak/SpawnModel.h"
#include "llvm/ADT/DenseMap.h"
#include <vector>

namespace clang::tidy::taskleak {

/// Translation-unit facts about how shutdown is done by hand: which handles
/// get closed/aborted/notified somewhere, whether request_stop() is called
/// explicitly or a stop_callback registered. Computed once per TU.
struct ShutdownFacts {
  /// Handles closed, aborted, counted down, released or set somewhere.
  std::vector<HandleRef> ClosedHandles;
  /// The jthreads on which request_stop() is called by hand.
  std::vector<HandleRef> StopRequested;
  /// A request_stop() on something we cannot tie to one jthread (a
  /// std::stop_source, an element of a container).
  bool UnknownStopRequest = false;
  bool RegistersStopCallback = false;
  /// The object each jthread construction initialises (a variable, a member
  /// initialised in a constructor or assigned).
  llvm::DenseMap<const Expr *, HandleRef> JThreadOwners;

  bool isClosed(const HandleRef &H) const;
  /// True when the owner of the jthread started at \p Spawn may request a
  /// stop by hand (and so may wake its waits in an order we cannot see).
  bool stopRequestedFor(const Expr *Spawn) const;
};

ShutdownFacts computeShutdownFacts(ASTContext &Ctx, ApiModel &Api);

struct StopTokenFinding {
  enum Kind {
    /// The body takes no std::stop_token and has an endless loop.
    NoToken,
    /// The body takes a token and never consults it.
    TokenNeverConsulted,
    /// The body consults its token, but not in this endless loop.
    LoopIgnoresToken,
    /// The loop checks the token only between waits a stop cannot wake.
    UnwakeableWait,
  };
  Kind K = NoToken;
  const ParmVarDecl *Token = nullptr;
  /// For the loop kinds: the endless loop.
  EndlessLoop Loop;
  /// For UnwakeableWait: the wait and the token check that runs between.
  const CallExpr *Wait = nullptr;
  const Expr *TokenCheck = nullptr;
  /// For UnwakeableWait in a helper: the loop's call that reaches the wait.
  const CallExpr *Via = nullptr;
};

/// Findings for one jthread spawn site (empty for other families).
std::vector<StopTokenFinding> analyseJThread(const SpawnSite &Site,
                                             TaskLoopAnalysis &Loops,
                                             const ShutdownFacts &Shutdown);

} // namespace clang::tidy::taskleak

#endif
