//===--- ChannelLeaks.h - Sends, receives and ranges that block forever -*- C++
//-*-===//
//
// The three channel leaks of a task (checks.md): a blocking send whose
// receiver can give up (abandoned-send), a receive loop that ends only when
// a channel nobody closes is closed (range-never-closed), a receive from a
// channel, promise or latch that nothing can send to (orphaned-receive).
// Questions to the model: ChannelIndex for what the TU does to the channel,
// spawn bindings and handle translation to find it from the task, PathSearch
// for the receiver's give-up paths, Ownership for which check owns what.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_CHANNELLEAKS_H
#define TASKLEAK_CHANNELLEAKS_H

#include "taskleak/ChannelIndex.h"
#include "taskleak/LoopTermination.h"
#include "taskleak/PathSearch.h"
#include "taskleak/SpawnModel.h"
#include <map>
#include <vector>

namespace clang::tidy::taskleak {

struct ChannelLeak {
  enum Kind { AbandonedSend, RangeNeverClosed, OrphanedReceive };
  Kind K = OrphanedReceive;
  /// Where the task gets stuck: the send, the receive, the range loop.
  const Stmt *Blocked = nullptr;
  /// The channel's declaration (named in the diagnostic).
  const ValueDecl *Channel = nullptr;
  /// The calls from the task body to the function that blocks.
  llvm::SmallVector<const CallExpr *, 2> Chain;
  /// AbandonedSend: where the receiver gives up, and how.
  enum GiveUpKind { Returns, TimesOut, LeavesLoop, NeverReceives };
  GiveUpKind How = NeverReceives;
  const Stmt *GiveUp = nullptr;
  /// Where to point at the give-up (the closing brace when it falls off
  /// the end).
  SourceLocation GiveUpLoc;
  /// AbandonedSend: what the channel can hold.
  long long Capacity = 0;
  /// RangeNeverClosed: the last send nothing closes after.
  const CallExpr *LastSend = nullptr;
  /// AbandonedSend, when the fix is unambiguous: an unbuffered channel,
  /// declared here with no arguments, with one pending send and one
  /// receiver, that a buffer of one item would release.
  const VarDecl *BufferOne = nullptr;
};

class ChannelLeakAnalysis {
public:
  ChannelLeakAnalysis(ApiModel &Api, CallGraphIndex &Calls, PathSearch &Paths,
                      ChannelIndex &Index, TaskLoopAnalysis &Loops)
      : Api(Api), Calls(Calls), Paths(Paths), Index(Index), Loops(Loops) {}

  /// The channel leaks of the task started at \p Site (memoised per site).
  const std::vector<ChannelLeak> &leaksOf(const SpawnSite &Site);

private:
  void analyse(const SpawnSite &Site, std::vector<ChannelLeak> &Out);
  const ChannelFacts *factsFromTask(const SpawnSite &Site, const Expr *E,
                                    const FunctionDecl *In,
                                    llvm::ArrayRef<const CallExpr *> Chain);
  const VarDecl *bufferOneFix(const ChannelFacts &F, long long Pending);
  void abandoned(const SpawnSite &Site, const ChannelFacts &F, bool SendInLoop,
                 ChannelLeak &Leak, std::vector<ChannelLeak> &Out);

  ApiModel &Api;
  CallGraphIndex &Calls;
  PathSearch &Paths;
  ChannelIndex &Index;
  TaskLoopAnalysis &Loops;
  std::map<const Expr *, std::vector<ChannelLeak>> Memo;
};

} // namespace clang::tidy::taskleak

#endif
