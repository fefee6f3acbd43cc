//===--- ExitPathSearch.cpp - Exits that skip a release -------------------===//
#include "taskleak/ExitPathSearch.h"
#include "taskleak/Names.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>

namespace clang::tidy::taskleak {

/// What a function releases on some path, directly or through the functions
/// it calls, in its own terms (parameters, members of `this`, globals).
struct ExitPathSearch::Released {
  llvm::SmallVector<std::pair<HandleRef, ObligationKind>, 2> Handles;
  bool add(const HandleRef &H, ObligationKind K) {
    for (const auto &P : Handles)
      if (P.first == H && P.second == K)
        return false;
    Handles.emplace_back(H, K);
    return true;
  }
  bool has(const HandleRef &H, ObligationKind K) const {
    return llvm::any_of(
        Handles, [&](const auto &P) { return P.first == H && P.second == K; });
  }
};

/// True when \p A is \p B or an object that contains it (`a` for `a.m`).
static bool isPrefixOf(const HandleRef &A, const HandleRef &B) {
  return A.Root == B.Root && A.Path.size() <= B.Path.size() &&
         std::equal(A.Path.begin(), A.Path.end(), B.Path.begin());
}

ExitPathSearch::ExitPathSearch(ApiModel &Api, CallGraphIndex &Calls,
                               PathSearch &Paths)
    : Api(Api), Calls(Calls), Paths(Paths) {
  Summary = std::make_unique<BottomUpSummary<Released>>(
      Calls,
      [this](const FunctionDecl *FD) {
        Released R;
        forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
          if (const auto *Call = dyn_cast<CallExpr>(S))
            if (ObligationEffect OE = obligationEffectOf(Call, this->Api);
                OE && OE.Role == ObligationRole::Release)
              R.add(*OE.Handle, OE.Kind);
          return true;
        });
        return R;
      },
      [this](Released &Caller, const Released &Callee, const CallEdge &E) {
        bool Changed = false;
        for (const auto &[H, K] : Callee.Handles)
          if (std::optional<HandleRef> InCaller =
                  handleInCaller(H, E.Call, E.Callee, this->Api))
            Changed |= Caller.add(*InCaller, K);
        return Changed;
      });
}

ExitPathSearch::~ExitPathSearch() = default;

bool ExitPathSearch::releasesIn(const FunctionDecl *Callee,
                                const CallExpr *Call, const HandleRef &H,
                                ObligationKind Kind) {
  for (const auto &[InCallee, K] : Summary->get(Callee).Handles)
    if (K == Kind)
      if (std::optional<HandleRef> R =
              handleInCaller(InCallee, Call, Callee, Api))
        if (*R == H)
          return true;
  return false;
}

bool ExitPathSearch::lambdaReleases(const Expr *E, const HandleRef &H,
                                    ObligationKind Kind) {
  const LambdaExpr *L = lambdaOf(E);
  const FunctionDecl *Op = L ? callOperatorOf(L) : nullptr;
  // A lambda's body names the variables and `this` of its enclosing
  // function: its handles are the caller's as they are.
  return Op && Summary->get(Op).has(H, Kind);
}

/// True when \p L can reach \p H through a reference capture.
static bool capturesByReference(const LambdaExpr *L, const HandleRef &H) {
  for (const LambdaCapture &C : L->captures()) {
    if (C.capturesThis() && H.isThisBased())
      return true;
    if (C.capturesVariable() && C.getCapturedVar() == H.Root &&
        C.getCaptureKind() == LCK_ByRef)
      return true;
  }
  return false;
}

bool ExitPathSearch::isReadOnlyLocal(const VarDecl *VD) {
  auto It = ReadOnlyLocals.find(VD);
  if (It != ReadOnlyLocals.end())
    return It->second;
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
  bool Ok = FD && FD->getBody() && VD->hasLocalStorage() &&
            !VD->getType()->isReferenceType() &&
            !VD->getType().isVolatileQualified();
  // Every use is a read: no assignment, increment, address or reference.
  std::function<void(const Stmt *)> Scan = [&](const Stmt *N) {
    if (!N || !Ok)
      return;
    if (const auto *ICE = dyn_cast<ImplicitCastExpr>(N))
      if (ICE->getCastKind() == CK_LValueToRValue)
        if (const auto *D =
                dyn_cast<DeclRefExpr>(ICE->getSubExpr()->IgnoreParens()))
          if (D->getDecl() == VD)
            return;
    if (const auto *D = dyn_cast<DeclRefExpr>(N)) {
      if (D->getDecl() == VD)
        Ok = false;
      return;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(N)) {
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && C.getCapturedVar() == VD &&
            C.getCaptureKind() == LCK_ByRef)
          Ok = false;
      return;
    }
    for (const Stmt *Child : N->children())
      Scan(Child);
  };
  if (Ok && !VD->getType().isConstQualified())
    Scan(FD->getBody());
  ReadOnlyLocals[VD] = Ok;
  return Ok;
}

const CallExpr *ExitPathSearch::statusCall(const Expr *E) {
  E = ignoreWrappers(E);
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return Call;
  if (const auto *D = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(D->getDecl()))
      if (VD->getInit() && isReadOnlyLocal(VD))
        return dyn_cast<CallExpr>(ignoreWrappers(VD->getInit()));
  return nullptr;
}

PathStep ExitPathSearch::closedBranch(const Stmt *S, const HandleRef &H) {
  const auto *E = dyn_cast<Expr>(S);
  bool Negated = false;
  while (E) {
    const Expr *Prev = E;
    E = E->IgnoreParenImpCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr();
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_LNot) {
      Negated = !Negated;
      E = UO->getSubExpr();
    }
    if (E == Prev)
      break;
  }
  if (!E)
    return PathStep::None;
  auto OnHandle = [&](const Expr *Obj) {
    std::optional<HandleRef> R = Obj ? resolveHandle(Obj, Api) : std::nullopt;
    return R && *R == H;
  };
  // The truth of E when the channel is closed.
  std::optional<bool> ClosedWhen;
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (Api.isClosedTest(Call) && OnHandle(receiverOf(Call)))
      ClosedWhen = true; // ch.is_closed()
  } else if (const auto *BO = dyn_cast<BinaryOperator>(E);
             BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
    // `ch.push(v) == channel_op_status::closed`; for an operation that
    // blocks until it succeeds or the channel is closed, also
    // `st != channel_op_status::success`.
    bool Equal = BO->getOpcode() == BO_EQ;
    for (auto [Status, Op] : {std::pair(BO->getLHS(), BO->getRHS()),
                              std::pair(BO->getRHS(), BO->getLHS())}) {
      ApiModel::ChannelStatus St = Api.channelStatusOf(Status);
      const CallExpr *OpCall =
          St == ApiModel::ChannelStatus::Unknown ? nullptr : statusCall(Op);
      if (!OpCall)
        continue;
      const ApiCall &A = Api.call(OpCall);
      if (!isChannelTransfer(A.effect()) || !OnHandle(A.Handle))
        continue;
      if (St == ApiModel::ChannelStatus::Closed)
        ClosedWhen = Equal;
      else if (A.blocking() &&
               (A.effect() == Effect::Send || A.effect() == Effect::Receive))
        ClosedWhen = !Equal;
      break;
    }
  }
  if (!ClosedWhen)
    return PathStep::None;
  return *ClosedWhen != Negated ? PathStep::ReleaseWhenTrue
                                : PathStep::ReleaseWhenFalse;
}

PathStep ExitPathSearch::stepOf(const Stmt *S, const HandleRef &H,
                                ObligationKind Kind, const CallExpr *Start,
                                bool StartIsTry, bool Evidence) {
  // A test that the channel whose close() is owed is closed already.
  if (Kind == ObligationKind::ChannelClose && !Evidence && isa<Expr>(S))
    if (PathStep P = closedBranch(S, H); P != PathStep::None)
      return P;
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    if (Call == Start)
      return StartIsTry ? PathStep::TryStart : PathStep::Start;
    if (ObligationEffect OE = obligationEffectOf(Call, Api)) {
      if (*OE.Handle == H && OE.Kind == Kind) {
        if (OE.Role != ObligationRole::Release)
          return PathStep::Reacquire;
        // A gate opened for many is not the return of a slot taken.
        return Evidence && OE.ForMany ? PathStep::None : PathStep::Release;
      }
      return PathStep::None; // the API on another handle
    }
    // `p->`, `*p` on a smart pointer: reaching the object, not handing it on.
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call))
      if (OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star)
        return PathStep::None;
    if (Api.call(Call))
      return PathStep::None; // a library call the model knows
    const FunctionDecl *Def = followableCallee(Call, Calls.sourceManager());
    if (Def)
      return releasesIn(Def, Call, H, Kind) ? PathStep::Release
                                            : PathStep::None;
    // Code we cannot see: a handle (or the object that holds it) handed to
    // it may be released there, and so may a member of the object it is
    // called on. Stay silent (but it is no sign the function means to
    // release).
    if (Evidence)
      return PathStep::None;
    const FunctionDecl *Callee = Call->getDirectCallee();
    bool Escapes = false;
    for (const Expr *Arg : Call->arguments()) {
      if (std::optional<HandleRef> A = resolveHandle(Arg, Api))
        if (isPrefixOf(*A, H))
          Escapes = true;
      if (const LambdaExpr *L = lambdaOf(Arg))
        if (capturesByReference(L, H) || lambdaReleases(Arg, H, Kind))
          Escapes = true;
    }
    if (const Expr *Obj = callObject(Call))
      if (Callee &&
          !Calls.sourceManager().isInSystemHeader(Callee->getLocation()))
        if (std::optional<HandleRef> O = resolveHandle(Obj, Api))
          if (isPrefixOf(*O, H))
            Escapes = true;
    return Escapes ? PathStep::Release : PathStep::None;
  }
  // RAII: a local object built from the handle (lock_guard, unique_lock,
  // your own unlocker), or holding a callable that releases it (a scope
  // guard), releases it when its scope ends, on every path.
  auto Guards = [&](llvm::ArrayRef<const Expr *> Args) {
    for (const Expr *Arg : Args) {
      // As evidence, the handle itself (not an object that holds it).
      if (std::optional<HandleRef> A = resolveHandle(Arg, Api))
        if (Evidence ? *A == H : isPrefixOf(*A, H))
          return true;
      if (lambdaReleases(Arg, H, Kind))
        return true;
    }
    return false;
  };
  // As evidence, only an object whose destructor can do something.
  auto HasDestructor = [&](QualType T) {
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    return !Evidence ||
           (RD && RD->hasDefinition() && !RD->hasTrivialDestructor());
  };
  std::function<bool(const Stmt *)> IsGuard = [&](const Stmt *Init) {
    if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Init))
      return HasDestructor(CE->getType()) &&
             Guards(llvm::ArrayRef(CE->getArgs(), CE->getNumArgs()));
    if (const auto *IL = dyn_cast_or_null<InitListExpr>(Init))
      return HasDestructor(IL->getType()) && Guards(IL->inits());
    return false;
  };
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD || !VD->getInit())
        continue;
      const Expr *Init = ignoreWrappers(VD->getInit());
      if (IsGuard(Init))
        return PathStep::Release;
      // A guard a function makes (`auto g = finally([&] { m.unlock(); })`,
      // `auto g = make_guard(m)`): an object with a destructor, made from
      // the handle or from a callable that releases it.
      const auto *Call = dyn_cast<CallExpr>(Init);
      const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
      if (Call && !Api.call(Call) && RD && RD->hasDefinition() &&
          !RD->hasTrivialDestructor() &&
          Guards(llvm::ArrayRef(Call->getArgs(), Call->getNumArgs())))
        return PathStep::Release;
    }
    return PathStep::None;
  }
  // (As evidence, the guard's declaration counts, where a reader sees it.)
  return !Evidence && IsGuard(S) ? PathStep::Release : PathStep::None;
}

/// A barrier participant that leaves the loop in which it arrives at the
/// barrier (a break or return inside it) without arrive_and_drop(): the
/// others wait at arrive_and_wait() for a participant that never comes.
static void findBarrierDesertions(const FunctionDecl *FD, ApiModel &Api,
                                  std::vector<MissingRelease> &Result) {
  auto BarrierCall = [&](const Stmt *S, Effect E) -> std::optional<HandleRef> {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return std::nullopt;
    const ApiCall &A = Api.call(Call);
    if (A.effect() != E || A.kind() != ObjectKind::Barrier || !A.Handle)
      return std::nullopt;
    return resolveHandle(A.Handle, Api);
  };
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *Loop) {
    if (!isa<WhileStmt>(Loop) && !isa<ForStmt>(Loop) && !isa<DoStmt>(Loop) &&
        !isa<CXXForRangeStmt>(Loop))
      return true;
    std::optional<HandleRef> Barrier;
    const CallExpr *Arrive = nullptr;
    forEachStmtInFunction(Loop, [&](const Stmt *S) {
      if (std::optional<HandleRef> B = BarrierCall(S, Effect::ArriveAndWait)) {
        Barrier = B;
        Arrive = cast<CallExpr>(S);
      }
      return !Barrier;
    });
    if (!Barrier)
      return true;
    // Exits of this loop, each with the statements before it in its block.
    std::function<void(const Stmt *, unsigned, bool)> Walk =
        [&](const Stmt *S, unsigned Depth, bool Dropped) {
          if (!S || isa<LambdaExpr>(S))
            return;
          if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
            bool D = Dropped;
            for (const Stmt *Child : CS->body()) {
              bool Drops = false;
              forEachStmtInFunction(Child, [&](const Stmt *N) {
                if (BarrierCall(N, Effect::ArriveAndDrop) == Barrier)
                  Drops = true;
                return !Drops;
              });
              Walk(Child, Depth, D);
              D = D || Drops;
            }
            return;
          }
          bool IsExit = (isa<BreakStmt>(S) && Depth == 0) ||
                        isa<ReturnStmt>(S) || isa<CXXThrowExpr>(S) ||
                        isa<GotoStmt>(S);
          if (IsExit && !Dropped) {
            ExitWitness W;
            W.K = isa<BreakStmt>(S)    ? ExitWitness::Break
                  : isa<ReturnStmt>(S) ? ExitWitness::Return
                  : isa<GotoStmt>(S)   ? ExitWitness::Goto
                                       : ExitWitness::Throw;
            W.Exit = S;
            W.Loc = S->getBeginLoc();
            Result.push_back(
                {ObligationKind::BarrierDrop, *Barrier, nullptr, W, Arrive});
            return;
          }
          unsigned ChildDepth = Depth;
          if (S != Loop &&
              (isa<WhileStmt>(S) || isa<ForStmt>(S) || isa<DoStmt>(S) ||
               isa<CXXForRangeStmt>(S) || isa<SwitchStmt>(S)))
            ChildDepth = Depth + 1;
          for (const Stmt *Child : S->children())
            Walk(Child, ChildDepth, Dropped);
        };
    Walk(Loop, 0, false);
    return false; // nested loops were covered by this walk
  });
}

std::vector<MissingRelease>
ExitPathSearch::findMissingReleases(const FunctionDecl *FD, bool IsTaskBody) {
  std::vector<MissingRelease> Result;
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return Result;
  findBarrierDesertions(FD, Api, Result);

  // One pass over the function's own statements: acquires, and releases
  // (direct, or by a function it calls).
  struct HandleUse {
    HandleRef Handle;
    ObligationKind Kind;
    llvm::SmallVector<const CallExpr *, 2> Acquires;
    llvm::SmallVector<const CallExpr *, 2> Releases;
  };
  std::vector<HandleUse> Uses;
  auto UseOf = [&](const HandleRef &H, ObligationKind K) -> HandleUse & {
    for (HandleUse &U : Uses)
      if (U.Handle == H && U.Kind == K)
        return U;
    Uses.push_back({H, K, {}, {}});
    return Uses.back();
  };
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return true;
    if (ObligationEffect OE = obligationEffectOf(Call, Api)) {
      if (OE.Role == ObligationRole::Release)
        UseOf(*OE.Handle, OE.Kind).Releases.push_back(Call);
      else
        UseOf(*OE.Handle, OE.Kind).Acquires.push_back(Call);
      return true;
    }
    if (const FunctionDecl *Def = followableCallee(Call, Calls.sourceManager()))
      for (const auto &[InCallee, K] : Summary->get(Def).Handles)
        if (std::optional<HandleRef> H =
                handleInCaller(InCallee, Call, Def, Api))
          UseOf(*H, K).Releases.push_back(Call);
    return true;
  });
  if (Uses.empty())
    return Result;

  llvm::SmallPtrSet<const Stmt *, 4> Reported;
  for (const HandleUse &U : Uses) {
    auto Step = [&](const CallExpr *Start, bool StartIsTry) {
      return [this, &U, Start, StartIsTry](const Stmt *S) {
        return stepOf(S, U.Handle, U.Kind, Start, StartIsTry);
      };
    };
    bool AcquireBased =
        U.Kind == ObligationKind::Mutex || U.Kind == ObligationKind::Semaphore;
    if (AcquireBased) {
      // A task that never releases a mutex it locks holds it forever.
      bool ReportUnpaired = IsTaskBody && U.Kind == ObligationKind::Mutex;
      auto Evidence = [&](const Stmt *S) {
        return stepOf(S, U.Handle, U.Kind, nullptr, false, /*Evidence=*/true);
      };
      auto Transitions = [&](const Stmt *S) {
        return stepOf(S, U.Handle, U.Kind, nullptr, false);
      };
      for (const CallExpr *Acquire : U.Acquires) {
        // A function that never releases what it acquires (on a path from
        // the acquire: by its own call, a guard, a helper) is a lock
        // wrapper, and a semaphore acquired where only a release for many
        // follows is a gate, not a lock.
        const Stmt *Paired = Paths.releaseReachableFrom(FD, Acquire, Evidence);
        if (!Paired && !ReportUnpaired)
          continue;
        // A function that drops a lock it was called with and takes it
        // back: every path to this acquire comes right after it dropped
        // its caller's lock.
        if (!Paths.reachesAsOwnAcquire(FD, Acquire, Transitions))
          continue;
        bool IsTry =
            obligationEffectOf(Acquire, Api).Role == ObligationRole::TryAcquire;
        std::optional<ExitWitness> W =
            Paths.leakingPath(FD, /*HeldAtEntry=*/false, Step(Acquire, IsTry));
        if (!W || (W->Exit && !Reported.insert(W->Exit).second))
          continue;
        const Stmt *Other = U.Releases.empty()
                                ? Paired
                                : static_cast<const Stmt *>(U.Releases.front());
        Result.push_back({U.Kind, U.Handle, Acquire, *W, Other});
      }
      continue;
    }
    // Obligations that start with the function: count_down, Done, set_value,
    // close. A local promise or latch dies with the function (a promise
    // then breaks, which wakes its waiter): not this check's concern.
    if (U.Releases.empty())
      continue;
    // The function must mean to release on every path: a release that is a
    // statement of the function's own block (`...; wg.Done();`), which an
    // earlier exit can skip. A release under a condition (`if (n == 0)
    // ch.close();`, set_value() in one branch and set_exception() in the
    // other) is a protocol we cannot judge.
    const auto *BodyBlock = dyn_cast<CompoundStmt>(FD->getBody());
    // A statement of the body's own block counts, and so does one of a
    // `try` block that is (the task that sets its promise inside a try and
    // swallows the exception in its handler).
    std::function<bool(const CompoundStmt *, const CallExpr *)> InBlock =
        [&](const CompoundStmt *Block, const CallExpr *R) {
          return llvm::any_of(Block->body(), [&](const Stmt *S) {
            if (const auto *E = dyn_cast<Expr>(S))
              return E->IgnoreImplicit() == R;
            if (const auto *Try = dyn_cast<CXXTryStmt>(S))
              return InBlock(Try->getTryBlock(), R);
            return false;
          });
        };
    bool TopLevelRelease =
        BodyBlock && llvm::any_of(U.Releases, [&](const CallExpr *R) {
          return InBlock(BodyBlock, R);
        });
    if (!TopLevelRelease)
      continue;
    if ((U.Kind == ObligationKind::Promise ||
         U.Kind == ObligationKind::LatchArrival ||
         U.Kind == ObligationKind::WaitGroupDone) &&
        isLocalTo(U.Handle, FD))
      continue;
    std::optional<ExitWitness> W =
        Paths.leakingPath(FD, /*HeldAtEntry=*/true, Step(nullptr, false));
    if (!W || (W->Exit && !Reported.insert(W->Exit).second))
      continue;
    Result.push_back({U.Kind, U.Handle, nullptr, *W, U.Releases.front()});
  }
  return Result;
}

std::optional<LockGuardRewrite>
ExitPathSearch::lockGuardRewrite(const FunctionDecl *FD,
                                 const MissingRelease &M) {
  if (M.Kind != ObligationKind::Mutex || !M.Acquire ||
      !isa<CXXMemberCallExpr>(M.Acquire))
    return std::nullopt;
  const ApiCall &Lock = Api.call(M.Acquire);
  if (Lock.effect() != Effect::Acquire || Lock.Entry->Shared)
    return std::nullopt;
  llvm::SmallVector<const CallExpr *, 2> Acquires, Releases;
  bool GuardNameTaken = false;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      ObligationEffect OE = obligationEffectOf(Call, Api);
      if (OE && *OE.Handle == M.Handle)
        (OE.Role == ObligationRole::Release ? Releases : Acquires)
            .push_back(Call);
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *ND = dyn_cast<NamedDecl>(D))
          if (ND->getDeclName().isIdentifier() && ND->getName() == "guard")
            GuardNameTaken = true;
    return true;
  });
  if (GuardNameTaken || Acquires.size() != 1 || Releases.size() != 1 ||
      Acquires.front() != M.Acquire ||
      !isa<CXXMemberCallExpr>(Releases.front()))
    return std::nullopt;
  const CallExpr *Unlock = Releases.front();
  const ApiCall &U = Api.call(Unlock);
  if (U.effect() != Effect::Release || U.Entry->Shared)
    return std::nullopt;
  bool Found = false;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    const auto *CS = dyn_cast<CompoundStmt>(S);
    if (Found || !CS || CS->body_empty())
      return !Found;
    bool HasLock = llvm::is_contained(CS->body(), M.Acquire);
    if (HasLock && CS->body_back() == Unlock && CS->body_front() != Unlock)
      Found = true;
    return !Found;
  });
  if (!Found || !M.Acquire->getBeginLoc().isFileID() ||
      !Unlock->getBeginLoc().isFileID())
    return std::nullopt;
  return LockGuardRewrite{M.Acquire, Unlock};
}

} // namespace clang::tidy::taskleak
