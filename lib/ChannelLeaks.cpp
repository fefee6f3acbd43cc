//===--- ChannelLeaks.cpp - Sends, receives and ranges that block forever -===//
#include "taskleak/ChannelLeaks.h"
#include "taskleak/ArrivalCount.h"
#include "taskleak/Names.h"
#include "taskleak/Ownership.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>

namespace clang::tidy::taskleak {

static bool isChannel(ObjectKind K) {
  return K == ObjectKind::FiberChannel || K == ObjectKind::TbbQueue ||
         K == ObjectKind::UserChannel;
}

static bool isLoopStmt(const Stmt *S) {
  return isa<WhileStmt>(S) || isa<DoStmt>(S) || isa<ForStmt>(S) ||
         isa<CXXForRangeStmt>(S);
}

/// True when \p Inner is \p Outer or one of its descendants (nested lambdas
/// excluded).
static bool containsStmt(const Stmt *Outer, const Stmt *Inner) {
  bool Found = false;
  forEachStmtInFunction(Outer, [&](const Stmt *S) {
    Found |= S == Inner;
    return !Found;
  });
  return Found;
}

const std::vector<ChannelLeak> &
ChannelLeakAnalysis::leaksOf(const SpawnSite &Site) {
  auto It = Memo.find(Site.Spawn);
  if (It != Memo.end())
    return It->second;
  std::vector<ChannelLeak> &Out = Memo[Site.Spawn];
  analyse(Site, Out);
  return Out;
}

const ChannelFacts *
ChannelLeakAnalysis::factsFromTask(const SpawnSite &Site, const Expr *E,
                                   const FunctionDecl *In,
                                   llvm::ArrayRef<const CallExpr *> Chain) {
  std::optional<HandleRef> H = resolveHandle(E, Api);
  // Back to the task body through the calls that led here ...
  const FunctionDecl *Callee = In;
  for (size_t I = Chain.size(); H && I-- > 0;) {
    H = handleInCaller(*H, Chain[I], Callee, Api);
    Callee = Chain[I]->getDirectCallee();
    if (const FunctionDecl *Def =
            followableCallee(Chain[I], Calls.sourceManager()))
      Callee = Def;
  }
  // ... and from the task body to its spawner.
  if (H)
    H = Site.spawnerHandle(*H, Api);
  if (!H)
    return nullptr;
  const FunctionDecl *Where = Site.Body.Function;
  if (const auto *VD = dyn_cast_or_null<VarDecl>(H->Root))
    Where = dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
  return Where ? Index.factsOf(*H, Where) : nullptr;
}

void ChannelLeakAnalysis::analyse(const SpawnSite &Site,
                                  std::vector<ChannelLeak> &Out) {
  std::vector<CallGraphIndex::Reached> Reached =
      Calls.reachableFrom(Site.Body.Function);
  llvm::SmallPtrSet<const FunctionDecl *, 8> InTask;
  for (const auto &R : Reached)
    InTask.insert(R.Function);

  for (const CallGraphIndex::Reached &R : Reached) {
    const FunctionDecl *FD = R.Function;
    // One walk, knowing whether a statement is inside a loop.
    std::function<void(const Stmt *, unsigned)> Walk = [&](const Stmt *S,
                                                           unsigned Depth) {
      if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
        return;
      if (const auto *FR = dyn_cast<CXXForRangeStmt>(S)) {
        const Expr *Range = FR->getRangeInit();
        if (Range && isChannel(Api.kindOf(Range->getType())))
          if (const ChannelFacts *F = factsFromTask(Site, Range, FD, R.Chain);
              F && !F->Escapes) {
            ChannelLeak L;
            L.Blocked = FR;
            L.Channel = F->Handle.leaf();
            L.Chain = R.Chain;
            if (ownerOfUnclosedChannel(F->hasLive(F->Closes)) !=
                LeakOwner::RangeNeverClosed) {
              // closed on some path: a close skipped elsewhere is
              // missing-defer's finding.
            } else if (F->hasLive(F->Sends)) {
              L.K = ChannelLeak::RangeNeverClosed;
              for (const ChannelOp &Op : F->Sends)
                if (Op.Live)
                  L.LastSend = Op.Call;
              Out.push_back(L);
            } else {
              L.K = ChannelLeak::OrphanedReceive;
              Out.push_back(L);
            }
          }
        Walk(FR->getBody(), Depth + 1);
        return;
      }
      // `while (ch.pop(v) == channel_op_status::success)`: a receive loop
      // that ends when the channel is closed.
      if (isLoopStmt(S) && !isa<CXXForRangeStmt>(S)) {
        const Expr *Cond = loopCondition(S);
        const CallExpr *Receive = nullptr;
        forEachStmtInFunction(Cond, [&](const Stmt *C) {
          if (const auto *Call = dyn_cast<CallExpr>(C)) {
            const ApiCall &A = Api.call(Call);
            if (A.effect() == Effect::Receive && A.blocking() &&
                isChannel(A.kind()) && A.Handle)
              Receive = Call;
          }
          return !Receive;
        });
        // `for (;;) q.pop(v);` on a TBB queue: the pop that throws after
        // abort() is the loop's only way out. (A loop with a condition, such
        // as a sentinel test, can end by it.)
        bool AlwaysTrue = !Cond;
        if (Cond && !Cond->isValueDependent())
          Cond->EvaluateAsBooleanCondition(AlwaysTrue, FD->getASTContext());
        if (!Receive && AlwaysTrue) {
          LoopExitScan Scan = Loops.scanLoop(S);
          const CallExpr *Throwing = nullptr;
          bool OnlyThat = !Scan.Exits.empty();
          for (const Stmt *Exit : Scan.Exits) {
            const auto *Call = dyn_cast<CallExpr>(Exit);
            const ApiCall *A = Call ? &Api.call(Call) : nullptr;
            if (A && A->effect() == Effect::Receive && A->throwsOnShutdown() &&
                A->kind() == ObjectKind::TbbQueue)
              Throwing = Call;
            else
              OnlyThat = false;
          }
          if (OnlyThat && Throwing)
            Receive = Throwing;
        }
        if (Receive)
          if (const ChannelFacts *F =
                  factsFromTask(Site, Api.call(Receive).Handle, FD, R.Chain);
              F && !F->Escapes && F->hasLive(F->Sends) &&
              ownerOfUnclosedChannel(F->hasLive(F->Closes)) ==
                  LeakOwner::RangeNeverClosed) {
            ChannelLeak L;
            L.K = ChannelLeak::RangeNeverClosed;
            L.Blocked = S;
            L.Channel = F->Handle.leaf();
            L.Chain = R.Chain;
            for (const ChannelOp &Op : F->Sends)
              if (Op.Live)
                L.LastSend = Op.Call;
            Out.push_back(L);
          }
      }
      if (const auto *Call = dyn_cast<CallExpr>(S)) {
        const ApiCall &A = Api.call(Call);
        Effect E = A.effect();
        ObjectKind K = A.kind();
        if (A.Handle && A.blocking()) {
          bool IsSend = E == Effect::Send && isChannel(K);
          bool IsReceive =
              (E == Effect::Receive && isChannel(K)) ||
              ((E == Effect::GetResult || E == Effect::WaitResult) &&
               K == ObjectKind::Future) ||
              (E == Effect::WaitCount && K == ObjectKind::Latch);
          if (IsSend || IsReceive)
            if (const ChannelFacts *F =
                    factsFromTask(Site, A.Handle, FD, R.Chain);
                F && !F->Escapes) {
              ChannelLeak L;
              L.Blocked = Call;
              L.Channel = F->Handle.leaf();
              L.Chain = R.Chain;
              if (IsSend) {
                abandoned(Site, *F, Depth > 0, L, Out);
              } else if (K == ObjectKind::Future) {
                // The future's promise: set by nothing, and kept alive (a
                // local promise that dies wakes its future with
                // broken_promise).
                const ChannelFacts *P =
                    F->Promise ? Index.factsOf(*F->Promise, F->PromiseIn)
                               : nullptr;
                if (P && !P->Escapes && !P->hasLive(P->Sends) &&
                    !isLocalTo(*F->Promise, F->PromiseIn)) {
                  L.K = ChannelLeak::OrphanedReceive;
                  Out.push_back(L);
                }
              } else if (!F->hasLive(F->Sends) && !F->hasLive(F->Closes)) {
                L.K = ChannelLeak::OrphanedReceive;
                Out.push_back(L);
              }
            }
        }
      }
      unsigned ChildDepth = isLoopStmt(S) ? Depth + 1 : Depth;
      if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            Walk(VD->getInit(), Depth);
        return;
      }
      for (const Stmt *Child : S->children())
        Walk(Child, ChildDepth);
    };
    Walk(FD->getBody(), 0);
  }
}

/// The channel variable a one-item buffer would fix: a local unbuffered
/// channel, default-constructed where it is declared, with exactly one
/// pending send.
const VarDecl *ChannelLeakAnalysis::bufferOneFix(const ChannelFacts &F,
                                                 long long Pending) {
  const auto *VD = dyn_cast_or_null<VarDecl>(F.Handle.Root);
  if (Pending != 1 || !VD || !F.Handle.Path.empty() || !F.Owner ||
      F.Handle.ThroughPointer || VD->getType()->isReferenceType())
    return nullptr;
  const CXXRecordDecl *RD = recordOf(VD->getType());
  if (!RD || Api.bufferingOf(RD) != ApiModel::Buffering::Unbuffered)
    return nullptr;
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(VD->getInit());
  if (!CE || CE->getNumArgs() != 0 || CE->isListInitialization())
    return nullptr;
  return VD;
}

void ChannelLeakAnalysis::abandoned(const SpawnSite &Site,
                                    const ChannelFacts &F, bool SendInLoop,
                                    ChannelLeak &Leak,
                                    std::vector<ChannelLeak> &Out) {
  // Enough room for every pending send: nobody needs to receive.
  if (F.Unbounded || !F.Capacity)
    return;
  llvm::SmallPtrSet<const FunctionDecl *, 8> InTask;
  for (const auto &R : Calls.reachableFrom(Site.Body.Function))
    InTask.insert(R.Function);
  // The sends of one task, in order: the first Capacity of them fit in the
  // buffer and cannot block (only the one past it is reported). A send in
  // a counted loop counts as many times as the loop runs.
  long long Pending = 0, Index = -1, IndexEnd = -1;
  bool Uncounted = false;
  for (const ChannelOp &Op : F.Sends)
    if (Op.Blocking && InTask.count(Op.In)) {
      long long Times = 1;
      for (const Stmt *Loop : Loops.loopsIn(Op.In))
        if (containsStmt(Loop, Op.Call)) {
          if (std::optional<long long> Trips =
                  constantTripCount(Loop, Op.In->getASTContext()))
            Times *= *Trips;
          else
            Uncounted = true;
        }
      if (Op.Call == Leak.Blocked) {
        Index = Pending;
        IndexEnd = Pending + Times;
      }
      Pending += Times;
    }
  SendInLoop = Uncounted;
  // A task spawned in a loop (a fan-in) makes as many pending sends as the
  // loop runs: with a constant trip count they can still be counted.
  bool ManyTasks = false;
  if (F.Owner)
    for (const Stmt *Loop : Loops.loopsIn(F.Owner))
      if (containsStmt(Loop, Site.Spawn)) {
        std::optional<long long> Trips =
            constantTripCount(Loop, F.Owner->getASTContext());
        if (Trips && !SendInLoop)
          Pending *= *Trips;
        else
          ManyTasks = true;
      }
  SendInLoop |= ManyTasks;
  if (!SendInLoop && *F.Capacity >= Pending)
    return;
  if (!SendInLoop && Index >= 0 && IndexEnd <= *F.Capacity)
    return; // this one fits; a later send of the task blocks
  // A close that can run wakes every blocked send with `closed`: for a
  // looping sender, and for a member channel (its owner's destructor or
  // stop method closes it, on whatever path the receiver takes).
  if ((SendInLoop || !F.Owner) && F.hasLive(F.Closes))
    return;
  Leak.K = ChannelLeak::AbandonedSend;
  Leak.Capacity = *F.Capacity;

  // The receiving side: receives (and range loops) outside this task.
  llvm::SmallPtrSet<const FunctionDecl *, 2> Receivers;
  std::optional<HandleRef> ReceiverHandle;
  const CallExpr *Timed = nullptr;
  for (const ChannelOp &Op : F.Receives) {
    if (!Op.Live || InTask.count(Op.In))
      continue;
    Receivers.insert(Op.In);
    ReceiverHandle = Op.H;
    if (Op.E == Effect::TimedReceive)
      Timed = Op.Call;
  }
  const CXXForRangeStmt *Range = nullptr;
  for (const auto &[FR, In] : F.Ranges)
    if (!InTask.count(In)) {
      Receivers.insert(In);
      Range = FR;
    }
  if (Receivers.empty()) {
    if (F.hasLive(F.Closes))
      return; // a close wakes the send with channel_op_status::closed
    Leak.How = ChannelLeak::NeverReceives;
    Out.push_back(Leak);
    return;
  }
  // Several receivers may drain it between them: nothing to conclude.
  if (Receivers.size() != 1)
    return;
  const FunctionDecl *RF = *Receivers.begin();
  if (!ReceiverHandle && Range)
    ReceiverHandle = resolveHandle(Range->getRangeInit(), Api);
  if (!ReceiverHandle)
    return;
  const HandleRef &H = *ReceiverHandle;

  // A receiver that receives in a loop is judged by that loop alone: a
  // counted or conditional loop may well take every pending send, and only
  // a way out of it (break, return) abandons the rest.
  bool ReceivesInLoop =
      llvm::any_of(F.Receives,
                   [&](const ChannelOp &Op) {
                     return Op.In == RF &&
                            llvm::any_of(Loops.loopsIn(RF), [&](const Stmt *L) {
                              return containsStmt(L, Op.Call);
                            });
                   }) ||
      llvm::any_of(F.Ranges, [&](const auto &R) { return R.second == RF; });
  if (SendInLoop || ReceivesInLoop) {
    // A producer that keeps sending needs a receiver that keeps receiving:
    // a receive loop the receiver can leave (break, return) abandons it.
    llvm::SmallVector<const Stmt *, 4> ReceiveLoops(Loops.loopsIn(RF).begin(),
                                                    Loops.loopsIn(RF).end());
    for (const auto &[FR, In] : F.Ranges)
      if (In == RF)
        ReceiveLoops.push_back(FR);
    for (const Stmt *Loop : ReceiveLoops) {
      bool Receives = isa<CXXForRangeStmt>(Loop);
      if (!Receives)
        for (const ChannelOp &Op : F.Receives)
          if (Op.In == RF && Op.Blocking && containsStmt(Loop, Op.Call))
            Receives = true;
      if (!Receives)
        continue;
      LoopExitScan Scan = Loops.scanLoop(Loop);
      for (const Stmt *Exit : Scan.Exits)
        if (isa<BreakStmt>(Exit) || isa<ReturnStmt>(Exit)) {
          if (F.hasLive(F.Closes))
            return; // a close that can run wakes the rest
          Leak.How = ChannelLeak::LeavesLoop;
          Leak.GiveUp = Exit;
          Out.push_back(Leak);
          return;
        }
    }
    return;
  }

  // A receive with a timeout gives up when the timeout expires; a close
  // that can run (the receiver's own on its timeout branch, the owner's
  // destructor or stop method) releases the sender.
  if (Timed) {
    if (F.hasLive(F.Closes))
      return;
    // `while (ch.pop_wait_for(v, 1s) == timeout) {}` retries until it
    // receives: no give-up.
    if (llvm::any_of(Loops.loopsIn(RF),
                     [&](const Stmt *L) { return containsStmt(L, Timed); }))
      return;
    Leak.How = ChannelLeak::TimesOut;
    Leak.GiveUp = Timed;
    Leak.BufferOne = bufferOneFix(F, Pending);
    Out.push_back(Leak);
    return;
  }

  // One pending send too many: is there a path of the receiver from the
  // spawn (or its entry) to an exit that neither receives nor closes?
  bool SpawnsHere = containsStmt(RF->getBody(), Site.Spawn);
  auto Step = [&](const Stmt *S) {
    if (S == Site.Spawn)
      return PathStep::Start;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const ApiCall &A = Api.call(Call);
      bool Meets = (A.effect() == Effect::Receive && A.blocking()) ||
                   A.effect() == Effect::Close;
      if (Meets && A.Handle && namesHandle(A.Handle, H, Api))
        return PathStep::Release;
    }
    // A range-for over the channel receives until it is closed; in the CFG
    // it starts with its implicit `auto &&__range = ch;`.
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      if (const auto *VD = dyn_cast_or_null<VarDecl>(
              DS->isSingleDecl() ? DS->getSingleDecl() : nullptr))
        if (VD->isImplicit() && VD->getInit() &&
            namesHandle(VD->getInit(), H, Api))
          return PathStep::Release;
    return PathStep::None;
  };
  std::optional<ExitWitness> W =
      Paths.leakingPath(RF, /*HeldAtEntry=*/!SpawnsHere, Step);
  if (!W)
    return;
  Leak.How = ChannelLeak::Returns;
  Leak.GiveUp = W->Exit;
  Leak.GiveUpLoc = W->Loc;
  Leak.BufferOne = bufferOneFix(F, Pending);
  Out.push_back(Leak);
}

} // namespace clang::tidy::taskleak
