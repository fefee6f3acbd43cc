//===--- ExitPathSearch.cpp - Exits that skip a release -------------------===//
#include "taskleak/ExitPathSearch.h"
#include "taskleak/LoopTermination.h"
#include "taskleak/Names.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>
#include <map>

namespace clang::tidy::taskleak {

const CFG *ExitPathSearch::cfgOf(const FunctionDecl *FD) {
  auto It = Cfgs.find(FD);
  if (It != Cfgs.end())
    return It->second.get();
  CFG::BuildOptions Options;
  Options.AddImplicitDtors = true;
  Options.AddTemporaryDtors = true;
  // Calls inside a try block get edges to its handlers, so a handler that
  // swallows the exception is a path; the edges from calls straight to the
  // exit (an exception leaving the function) are ignored by the search.
  Options.AddEHEdges = true;
  std::unique_ptr<CFG> Cfg =
      CFG::buildCFG(FD, FD->getBody(), &Ctx, Options);
  const CFG *Result = Cfg.get();
  Cfgs[FD] = std::move(Cfg);
  return Result;
}

static bool sameObligation(ObligationKind A, ObligationKind B) { return A == B; }

/// True when \p S (not a nested lambda body) calls a release of \p Handle.
static const CallExpr *findRelease(const Stmt *S, const ValueDecl *Handle,
                                   ObligationKind Kind,
                                   const SuiteConfig &Config) {
  const CallExpr *Found = nullptr;
  forEachStmtInFunction(S, [&](const Stmt *Node) {
    if (Found)
      return false;
    if (const auto *Call = dyn_cast<CallExpr>(Node)) {
      Effect E = effectOf(Call, Config);
      if (E.K == EffectKind::Release && E.Handle == Handle &&
          sameObligation(E.Obligation, Kind))
        Found = Call;
    }
    return !Found;
  });
  return Found;
}

bool ExitPathSearch::calleeReleases(const FunctionDecl *Callee,
                                    const ValueDecl *Handle,
                                    ObligationKind Kind, unsigned Depth) {
  auto Key = std::make_pair(Callee, Handle);
  auto It = ReleasesMemo.find(Key);
  if (It != ReleasesMemo.end())
    return It->second;
  ReleasesMemo[Key] = false; // recursion: the cycle decides
  bool Releases = findRelease(Callee->getBody(), Handle, Kind, Config);
  if (!Releases && Depth < TaskLoopAnalysis::MaxCallDepth) {
    const SourceManager &SM = Ctx.getSourceManager();
    forEachStmtInFunction(Callee->getBody(), [&](const Stmt *S) {
      if (Releases)
        return false;
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *Next = followableCallee(Call, SM))
          if (Next != Callee && calleeReleases(Next, Handle, Kind, Depth + 1))
            Releases = true;
      return !Releases;
    });
  }
  ReleasesMemo[Key] = Releases;
  return Releases;
}

ExitPathSearch::ElementEffect
ExitPathSearch::effectOfStmt(const Stmt *S, const ValueDecl *Handle,
                             ObligationKind Kind, const CallExpr *Start) {
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    if (Call == Start)
      return ElementEffect::None;
    Effect E = effectOf(Call, Config);
    if (E.Handle == Handle && sameObligation(E.Obligation, Kind)) {
      if (E.K == EffectKind::Release)
        return ElementEffect::Release;
      if (E.K == EffectKind::Acquire || E.K == EffectKind::TryAcquire)
        return ElementEffect::Reacquire;
    }
    if (E.K != EffectKind::None)
      return ElementEffect::None; // the API on another handle
    const SourceManager &SM = Ctx.getSourceManager();
    const FunctionDecl *Def = followableCallee(Call, SM);
    // The handle handed to other code: a function of this TU that releases
    // its parameter (or the handle itself), or unknown code that may.
    unsigned First = isa<CXXOperatorCallExpr>(Call) &&
                             isa_and_nonnull<CXXMethodDecl>(Call->getDirectCallee())
                         ? 1
                         : 0;
    for (unsigned I = First; I < Call->getNumArgs(); ++I) {
      if (obligationHandleOf(Call->getArg(I)) != Handle)
        continue;
      unsigned P = I - First;
      if (!Def || P >= Def->getNumParams())
        return ElementEffect::Release; // escapes: stay silent
      return calleeReleases(Def, Def->getParamDecl(P), Kind, 1)
                 ? ElementEffect::Release
                 : ElementEffect::None;
    }
    if (Def) {
      if (calleeReleases(Def, Handle, Kind, 1))
        return ElementEffect::Release;
      return ElementEffect::None;
    }
    // A method of the handle's own class defined elsewhere (`unlockAll()`)
    // may release a member through `this`.
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (Callee && !SM.isInSystemHeader(Callee->getLocation()))
      if (const auto *Field = dyn_cast<FieldDecl>(Handle))
        if (const auto *M = dyn_cast<CXXMethodDecl>(Callee))
          if (const auto *Owner = dyn_cast<CXXRecordDecl>(Field->getParent()))
            if (M->getParent()->getCanonicalDecl() == Owner->getCanonicalDecl())
              return ElementEffect::Release;
    return ElementEffect::None;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
    // An RAII guard (lock_guard, unique_lock, scoped_lock, your own) built
    // from the handle releases it when its scope ends, on every path.
    for (const Expr *Arg : CE->arguments())
      if (obligationHandleOf(Arg) == Handle)
        return ElementEffect::Release;
    return ElementEffect::None;
  }
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    // A scope guard whose lambda releases the handle, or a lambda that
    // takes the handle by reference to somewhere we do not follow.
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && C.getCapturedVar() == Handle &&
          C.getCaptureKind() == LCK_ByRef)
        return ElementEffect::Release;
    if (findRelease(L->getBody(), Handle, Kind, Config))
      return ElementEffect::Release;
    return ElementEffect::None;
  }
  return ElementEffect::None;
}

/// Where a block starts: the first statement, or its label.
static const Stmt *jumpOfTerminator(const CFGBlock *B, ExitWitness::Kind &K) {
  const Stmt *T = B->getTerminatorStmt();
  if (!T)
    return nullptr;
  if (isa<BreakStmt>(T)) {
    K = ExitWitness::Break;
    return T;
  }
  if (isa<ContinueStmt>(T)) {
    K = ExitWitness::Continue;
    return T;
  }
  if (isa<GotoStmt>(T) || isa<IndirectGotoStmt>(T)) {
    K = ExitWitness::Goto;
    return T;
  }
  return nullptr;
}

std::optional<ExitWitness>
ExitPathSearch::search(const FunctionDecl *FD, const CallExpr *Start,
                       bool FromEntry, const ValueDecl *Handle,
                       ObligationKind Kind) {
  const CFG *Cfg = cfgOf(FD);
  if (!Cfg)
    return std::nullopt;
  struct Item {
    const CFGBlock *Block;
    unsigned Index;
    ExitWitness Last;
    bool HaveJump;
  };
  std::vector<Item> Work;
  const CFGBlock *Exit = &Cfg->getExit();

  auto PushSuccessors = [&](const CFGBlock *B, const ExitWitness &Last,
                            bool HaveJump, std::vector<Item> &Into) {
    ExitWitness W = Last;
    bool J = HaveJump;
    ExitWitness::Kind K;
    if (const Stmt *T = jumpOfTerminator(B, K)) {
      W.K = K;
      W.Exit = T;
      W.Loc = T->getBeginLoc();
      J = true;
    }
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      const CFGBlock *S = Succ.getReachableBlock();
      if (!S || Index++ == ~0u)
        continue;
      // A [[noreturn]] call (abort, exit, std::terminate) ends the process
      // or the thread: nobody is left waiting.
      if (S == Exit && B->hasNoReturnElement())
        continue;
      if (S == Exit && Index > 1 && !B->getTerminatorStmt() &&
          B->succ_size() >= 2) {
        // With exception edges, a call ends its own block, whose second
        // (last) successor is where an exception goes: the exit when no local
        // handler catches it. An exception leaving the function from any
        // call is not one of the exits this check is about (explicit throws,
        // returns and falling off the end are).
        continue;
      }
      Into.push_back({S, 0, W, J});
    }
  };

  // Find where the obligation starts.
  if (FromEntry) {
    Work.push_back({&Cfg->getEntry(), 0, ExitWitness(), false});
  } else {
    for (const CFGBlock *B : *Cfg) {
      if (!B)
        continue;
      for (unsigned I = 0; I < B->size(); ++I) {
        auto CS = (*B)[I].getAs<CFGStmt>();
        if (!CS || CS->getStmt() != Start)
          continue;
        Effect E = effectOf(Start, Config);
        if (E.K == EffectKind::TryAcquire) {
          // Held only where the try succeeded: `if (m.try_lock())` or
          // `if (!m.try_lock()) return;`. The branch is the terminator of
          // the block the call flows into (exception edges split blocks).
          for (const CFGBlock *T : *Cfg) {
            const auto *CondE =
                dyn_cast_or_null<Expr>(T ? T->getTerminatorCondition() : nullptr);
            if (!CondE || T->succ_size() != 2)
              continue;
            CondE = CondE->IgnoreParenImpCasts();
            int Branch = -1;
            if (CondE == Start)
              Branch = 0;
            else if (const auto *UO = dyn_cast<UnaryOperator>(CondE);
                     UO && UO->getOpcode() == UO_LNot &&
                     UO->getSubExpr()->IgnoreParenImpCasts() == Start)
              Branch = 1;
            if (Branch < 0)
              continue;
            if (const CFGBlock *S = *(T->succ_begin() + Branch))
              Work.push_back({S, 0, ExitWitness(), false});
            break;
          }
          if (Work.empty())
            return std::nullopt;
        } else {
          Work.push_back({B, I + 1, ExitWitness(), false});
        }
        break;
      }
      if (!Work.empty())
        break;
    }
    if (Work.empty())
      return std::nullopt;
  }

  llvm::SmallPtrSet<const CFGBlock *, 32> Visited;
  const auto *Body = dyn_cast<CompoundStmt>(FD->getBody());
  while (!Work.empty()) {
    Item Cur = Work.back();
    Work.pop_back();
    if (Cur.Block == Exit) {
      ExitWitness W = Cur.Last;
      if (!Cur.HaveJump) {
        W.K = ExitWitness::FallOffEnd;
        W.Exit = nullptr;
        W.Loc = Body ? Body->getRBracLoc() : FD->getEndLoc();
      }
      return W;
    }
    if (Cur.Index == 0 && !Visited.insert(Cur.Block).second)
      continue;
    ExitWitness Last = Cur.Last;
    bool HaveJump = Cur.HaveJump;
    if (Cur.Index == 0)
      if (const auto *Catch =
              dyn_cast_or_null<CXXCatchStmt>(Cur.Block->getLabel())) {
        Last.K = ExitWitness::CatchHandler;
        Last.Exit = Catch;
        Last.Loc = Catch->getBeginLoc();
        HaveJump = true;
      }
    bool Stopped = false;
    for (unsigned I = Cur.Index; I < Cur.Block->size() && !Stopped; ++I) {
      auto CS = (*Cur.Block)[I].getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *S = CS->getStmt();
      if (isa<ReturnStmt>(S) || isa<CoreturnStmt>(S)) {
        Last.K = ExitWitness::Return;
        Last.Exit = S;
        Last.Loc = S->getBeginLoc();
        HaveJump = true;
        continue;
      }
      if (isa<CXXThrowExpr>(S)) {
        Last.K = ExitWitness::Throw;
        Last.Exit = S;
        Last.Loc = S->getBeginLoc();
        HaveJump = true;
        continue;
      }
      switch (effectOfStmt(S, Handle, Kind, Start)) {
      case ElementEffect::Release:
        Stopped = true;
        break;
      case ElementEffect::Reacquire:
        // Locking again while held: the path that got here skipped the
        // release through a continue or break of the obligation's loop.
        if (HaveJump && (Last.K == ExitWitness::Continue ||
                         Last.K == ExitWitness::Break))
          return Last;
        Stopped = true;
        break;
      case ElementEffect::None:
        break;
      }
    }
    if (!Stopped)
      PushSuccessors(Cur.Block, Last, HaveJump, Work);
  }
  return std::nullopt;
}

namespace {
/// The source text of the condition of every `if` enclosing a statement, so
/// that `if (c) m.lock(); ... if (c) m.unlock();` is recognised as one
/// conditional protocol rather than a leaking path.
class GuardConditions {
public:
  GuardConditions(const FunctionDecl *FD, const ASTContext &Ctx) {
    walk(FD->getBody(), Ctx);
  }
  const std::string *guardOf(const Stmt *S) const {
    auto It = Guard.find(S);
    return It == Guard.end() ? nullptr : &It->second;
  }

private:
  void walk(const Stmt *S, const ASTContext &Ctx) {
    if (!S || isa<LambdaExpr>(S))
      return;
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      walk(If->getCond(), Ctx);
      std::string Text =
          Lexer::getSourceText(CharSourceRange::getTokenRange(
                                   If->getCond()->getSourceRange()),
                               Ctx.getSourceManager(), Ctx.getLangOpts())
              .str();
      Stack.push_back(Text);
      walk(If->getThen(), Ctx);
      Stack.back() = "!" + Text;
      walk(If->getElse(), Ctx);
      Stack.pop_back();
      return;
    }
    if (isa<CallExpr>(S) && !Stack.empty())
      Guard[S] = Stack.back();
    for (const Stmt *Child : S->children())
      walk(Child, Ctx);
  }
  std::vector<std::string> Stack;
  std::map<const Stmt *, std::string> Guard;
};
} // namespace

/// A barrier participant that leaves the loop in which it arrives at the
/// barrier (a break or return inside it) without arrive_and_drop(): the
/// others wait at arrive_and_wait() for a participant that never comes.
static void findBarrierDesertions(const FunctionDecl *FD,
                                  std::vector<MissingRelease> &Result) {
  static const llvm::StringRef Barriers[] = {"std::barrier"};
  auto BarrierCall = [](const Stmt *S, llvm::StringRef Name) -> const ValueDecl * {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    if (!MC || !MC->getMethodDecl() || !MC->getMethodDecl()->getDeclName().isIdentifier() ||
        MC->getMethodDecl()->getName() != Name ||
        !hasAnyQualifiedName(MC->getMethodDecl()->getParent(), Barriers))
      return nullptr;
    return obligationHandleOf(MC->getImplicitObjectArgument());
  };
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *Loop) {
    if (!isa<WhileStmt>(Loop) && !isa<ForStmt>(Loop) && !isa<DoStmt>(Loop) &&
        !isa<CXXForRangeStmt>(Loop))
      return true;
    const ValueDecl *Barrier = nullptr;
    const CallExpr *Arrive = nullptr;
    forEachStmtInFunction(Loop, [&](const Stmt *S) {
      if (const ValueDecl *B = BarrierCall(S, "arrive_and_wait")) {
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
                if (BarrierCall(N, "arrive_and_drop") == Barrier)
                  Drops = true;
                return !Drops;
              });
              Walk(Child, Depth, D);
              D = D || Drops;
            }
            return;
          }
          bool IsExit = (isa<BreakStmt>(S) && Depth == 0) || isa<ReturnStmt>(S) ||
                        isa<CXXThrowExpr>(S) || isa<GotoStmt>(S);
          if (IsExit && !Dropped) {
            ExitWitness W;
            W.K = isa<BreakStmt>(S)    ? ExitWitness::Break
                  : isa<ReturnStmt>(S) ? ExitWitness::Return
                  : isa<GotoStmt>(S)   ? ExitWitness::Goto
                                       : ExitWitness::Throw;
            W.Exit = S;
            W.Loc = S->getBeginLoc();
            Result.push_back({ObligationKind::BarrierDrop, Barrier, nullptr, W,
                              Arrive});
            return;
          }
          unsigned ChildDepth = Depth;
          if (S != Loop && (isa<WhileStmt>(S) || isa<ForStmt>(S) || isa<DoStmt>(S) ||
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
  findBarrierDesertions(FD, Result);

  // One pass over the function's own statements: acquires and releases.
  struct HandleUse {
    const ValueDecl *Handle;
    ObligationKind Kind;
    llvm::SmallVector<const CallExpr *, 2> Acquires;
    llvm::SmallVector<const CallExpr *, 2> Releases;
  };
  std::vector<HandleUse> Uses;
  auto UseOf = [&](const ValueDecl *H, ObligationKind K) -> HandleUse & {
    for (HandleUse &U : Uses)
      if (U.Handle == H && U.Kind == K)
        return U;
    Uses.push_back({H, K, {}, {}});
    return Uses.back();
  };
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      Effect E = effectOf(Call, Config);
      if (E.K == EffectKind::Acquire || E.K == EffectKind::TryAcquire)
        UseOf(E.Handle, E.Obligation).Acquires.push_back(Call);
      else if (E.K == EffectKind::Release)
        UseOf(E.Handle, E.Obligation).Releases.push_back(Call);
    }
    return true;
  });
  if (Uses.empty())
    return Result;

  std::unique_ptr<GuardConditions> Guards;
  llvm::SmallPtrSet<const Stmt *, 4> Reported;
  auto IsLocal = [&](const ValueDecl *H) {
    const auto *VD = dyn_cast<VarDecl>(H);
    return VD && VD->hasLocalStorage() && VD->getDeclContext() == FD &&
           !VD->getType()->isReferenceType() && !VD->getType()->isPointerType();
  };
  for (const HandleUse &U : Uses) {
    bool AcquireBased = U.Kind == ObligationKind::Mutex ||
                        U.Kind == ObligationKind::Semaphore;
    if (AcquireBased) {
      // A function that never releases what it acquires is a lock wrapper;
      // a task that never does holds the lock forever.
      if (U.Releases.empty() && !(IsTaskBody && U.Kind == ObligationKind::Mutex))
        continue;
      for (const CallExpr *Acquire : U.Acquires) {
        if (!Guards)
          Guards = std::make_unique<GuardConditions>(FD, Ctx);
        if (const std::string *G = Guards->guardOf(Acquire)) {
          bool SameGuard = llvm::any_of(U.Releases, [&](const CallExpr *R) {
            const std::string *RG = Guards->guardOf(R);
            return RG && *RG == *G;
          });
          if (SameGuard || U.Releases.empty())
            continue;
        }
        std::optional<ExitWitness> W =
            search(FD, Acquire, /*FromEntry=*/false, U.Handle, U.Kind);
        if (!W || (W->Exit && !Reported.insert(W->Exit).second))
          continue;
        Result.push_back({U.Kind, U.Handle, Acquire, *W,
                          U.Releases.empty() ? nullptr : U.Releases.front()});
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
    bool TopLevelRelease =
        BodyBlock && llvm::any_of(U.Releases, [&](const CallExpr *R) {
          return llvm::any_of(BodyBlock->body(), [&](const Stmt *S) {
            if (const auto *E = dyn_cast<Expr>(S))
              return E->IgnoreImplicit() == R;
            return false;
          });
        });
    if (!TopLevelRelease)
      continue;
    if ((U.Kind == ObligationKind::Promise ||
         U.Kind == ObligationKind::LatchArrival ||
         U.Kind == ObligationKind::WaitGroupDone) &&
        IsLocal(U.Handle))
      continue;
    std::optional<ExitWitness> W =
        search(FD, nullptr, /*FromEntry=*/true, U.Handle, U.Kind);
    if (!W || (W->Exit && !Reported.insert(W->Exit).second))
      continue;
    Result.push_back({U.Kind, U.Handle, nullptr, *W, U.Releases.front()});
  }
  return Result;
}

std::optional<LockGuardRewrite> lockGuardRewrite(const FunctionDecl *FD,
                                                 const MissingRelease &M,
                                                 const SuiteConfig &Config) {
  if (M.Kind != ObligationKind::Mutex || !M.Acquire ||
      !isa<CXXMemberCallExpr>(M.Acquire))
    return std::nullopt;
  const auto *LockM = dyn_cast_or_null<CXXMethodDecl>(M.Acquire->getDirectCallee());
  if (!LockM || LockM->getName() != "lock")
    return std::nullopt;
  llvm::SmallVector<const CallExpr *, 2> Acquires, Releases;
  bool GuardNameTaken = false;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      Effect E = effectOf(Call, Config);
      if (E.Handle == M.Handle && E.K == EffectKind::Release)
        Releases.push_back(Call);
      else if (E.Handle == M.Handle && E.K != EffectKind::None)
        Acquires.push_back(Call);
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *ND = dyn_cast<NamedDecl>(D))
          if (ND->getDeclName().isIdentifier() && ND->getName() == "guard")
            GuardNameTaken = true;
    return true;
  });
  if (GuardNameTaken || Acquires.size() != 1 || Releases.size() != 1 ||
      Acquires.front() != M.Acquire || !isa<CXXMemberCallExpr>(Releases.front()))
    return std::nullopt;
  const CallExpr *Unlock = Releases.front();
  const auto *UnlockM = dyn_cast_or_null<CXXMethodDecl>(Unlock->getDirectCallee());
  if (!UnlockM || UnlockM->getName() != "unlock")
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
