//===--- StopTokenAnalysis.h - Can a jthread's owner stop it? --*- C++ -*-===//
//
// A std::jthread's destructor calls request_stop() and then join(): the owner
// hangs unless the body reacts to the stop request. This analysis finds the
// loops of a jthread body that a stop request cannot end.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_STOPTOKENANALYSIS_H
#define TASKLEAK_STOPTOKENANALYSIS_H

#include "taskleak/LoopTermination.h"
#include "taskleak/SpawnModel.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::taskleak {

/// Translation-unit facts about how shutdown is done by hand: which handles
/// get closed/aborted/notified somewhere, whether request_stop() is called
/// explicitly or a stop_callback registered. Computed once per TU.
struct ShutdownFacts {
  llvm::DenseSet<const ValueDecl *> ClosedHandles;
  bool CallsRequestStop = false;
  bool RegistersStopCallback = false;
};

ShutdownFacts computeShutdownFacts(ASTContext &Ctx, const SuiteConfig &Config);

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
};

/// Findings for one jthread spawn site (empty for other families).
std::vector<StopTokenFinding>
analyseJThread(const SpawnSite &Site, TaskLoopAnalysis &Loops,
               const ShutdownFacts &Shutdown);

} // namespace clang::tidy::taskleak

#endif
