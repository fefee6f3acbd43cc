//===--- ChannelIndex.h - What happens to each channel ---------*- C++ -*-===//
//
// For one channel (a fibers channel, a TBB bounded queue, a user channel,
// a promise, a latch), everything the translation unit does to it: its
// sends, receives and closes with the function each runs in and whether
// that function can run at all, its range-for loops, its capacity, and
// whether it escapes. The channel is followed across the spawns and calls
// that hand it on (spawn bindings, parameters), into the lambdas that
// capture it, and for a member through every method of its class.
//
// Built on the model: calls are classified by ApiModel, uses come from
// HandleUses, identity from HandleRef. Memoised per channel for the TU.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_CHANNELINDEX_H
#define TASKLEAK_CHANNELINDEX_H

#include "taskleak/ApiModel.h"
#include "taskleak/CallGraph.h"
#include "taskleak/HandleRef.h"
#include "taskleak/HandleUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace clang::tidy::taskleak {

struct ChannelOp {
  const CallExpr *Call = nullptr;
  /// The function the call is written in.
  const FunctionDecl *In = nullptr;
  Effect E = Effect::None;
  /// False when nothing in the translation unit calls In (a sender or
  /// closer nothing runs is none).
  bool Live = true;
  /// The channel as In names it.
  HandleRef H;
  /// The call blocks until a partner acts (not try_*, not timed).
  bool Blocking = false;
};

struct ChannelFacts {
  HandleRef Handle;
  ObjectKind Kind = ObjectKind::None;
  /// The function that owns the channel (declares it); null for a member.
  const FunctionDecl *Owner = nullptr;
  /// Where it is declared (for notes).
  const Decl *Declared = nullptr;
  /// Items it holds with nobody receiving; nothing when unbounded or unknown.
  std::optional<long long> Capacity;
  bool Unbounded = false;
  std::vector<ChannelOp> Sends, Receives, Closes;
  std::vector<std::pair<const CXXForRangeStmt *, const FunctionDecl *>> Ranges;
  /// For a future made by `p.get_future()`: the promise, in the terms of
  /// the function that made it.
  std::optional<HandleRef> Promise;
  const FunctionDecl *PromiseIn = nullptr;
  bool Escapes = false;

  bool hasLive(const std::vector<ChannelOp> &Ops) const {
    return llvm::any_of(Ops, [](const ChannelOp &O) { return O.Live; });
  }
};

class ChannelIndex {
public:
  ChannelIndex(ASTContext &Ctx, ApiModel &Api, HandleUses &Uses);

  /// The facts of the channel \p H named in \p Where (a local of Where, or
  /// a member of Where's class); null when it is neither (a parameter, a
  /// global: it comes from code we do not see).
  const ChannelFacts *factsOf(const HandleRef &H, const FunctionDecl *Where);

  /// True when \p FD can run: some code of this TU names it, it is called
  /// implicitly (a constructor, a destructor, a virtual method, main), or
  /// other translation units can call it (a public method, a function with
  /// external linkage). A private method or a static function nothing here
  /// names never runs.
  bool mayRun(const FunctionDecl *FD);

private:
  void collect(ChannelFacts &F, const std::vector<const FunctionDecl *> &Scope);

  ASTContext &Ctx;
  ApiModel &Api;
  HandleUses &Uses;
  std::map<std::pair<const FunctionDecl *, HandleRef>,
           std::unique_ptr<ChannelFacts>>
      Memo;
  bool ReferencedDone = false;
  llvm::DenseSet<const FunctionDecl *> Referenced;
};

} // namespace clang::tidy::taskleak

#endif
