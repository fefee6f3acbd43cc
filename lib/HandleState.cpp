//===--- HandleState.cpp --------------------------------------------------===//
#include "taskleak/HandleState.h"
#include "taskleak/PathSearch.h"
#include "taskleak/CallGraph.h"
#include "taskleak/Names.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Analysis/FlowSensitive/AdornedCFG.h"
#include "clang/Analysis/FlowSensitive/CFGMatchSwitch.h"
#include "clang/Analysis/FlowSensitive/DataflowAnalysis.h"
#include "clang/Analysis/FlowSensitive/DataflowAnalysisContext.h"
#include "clang/Analysis/FlowSensitive/DataflowEnvironment.h"
#include "clang/Analysis/FlowSensitive/NoopLattice.h"
#include "clang/Analysis/FlowSensitive/WatchedLiteralsSolver.h"

namespace clang::tidy::taskleak {

using namespace clang::dataflow;
using namespace clang::ast_matchers;

namespace {

constexpr llvm::StringLiteral HoldsField = "taskleak_holds";
// The budgets per function. The framework's default for the solver (10^9
// iterations) is meant for offline runs; a function of ordinary code needs a
// few thousand, and a check run on every keystroke cannot wait for more (the
// solver budget is the check's MaxSolverIterations option). Over either
// budget the function yields no finding.
constexpr std::int32_t MaxBlockVisits = 4'000;

/// What the transfer functions learn besides the values: which locations
/// something emptied (only those are reported), where they got something,
/// and which escaped (by reference, by address).
struct Tracker {
  llvm::DenseMap<const StorageLocation *, llvm::SmallVector<HandleEvent, 2>>
      Emptied;
  llvm::DenseMap<const StorageLocation *, llvm::SmallVector<SourceLocation, 2>>
      Assigned;
  llvm::DenseMap<const StorageLocation *, llvm::SmallPtrSet<const Stmt *, 2>>
      Escaped;
  llvm::DenseSet<const StorageLocation *> FromSpawner;
  /// The statement being transferred, and the statement of each event (to
  /// keep, in a use's notes, only the events that can reach it).
  const Stmt *Current = nullptr;
  llvm::DenseMap<unsigned, const Stmt *> StmtAt;

  void at(SourceLocation Loc) {
    if (Current)
      StmtAt.try_emplace(Loc.getRawEncoding(), Current);
  }

  void emptied(const StorageLocation &L, SourceLocation At, EmptyReason Why,
               const ValueDecl *D) {
    at(At);
    auto &Events = Emptied[&L];
    for (const HandleEvent &E : Events)
      if (E.Loc == At)
        return;
    Events.push_back({At, Why, D});
  }
  /// \p To now holds what \p From held: so does the story of its emptiness.
  void copied(const StorageLocation &From, const StorageLocation &To) {
    auto It = Emptied.find(&From);
    if (It == Emptied.end() || &From == &To)
      return;
    llvm::SmallVector<HandleEvent, 2> Events = It->second;
    for (const HandleEvent &E : Events)
      emptied(To, E.Loc, E.Why, E.Handle);
    if (FromSpawner.count(&From))
      FromSpawner.insert(&To);
  }
  void assigned(const StorageLocation &L, SourceLocation At) {
    at(At);
    auto &Locs = Assigned[&L];
    if (llvm::find(Locs, At) == Locs.end())
      Locs.push_back(At);
  }
};

const ValueDecl *declOf(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  // std::move(x), std::forward<T>(x): a call that returns an rvalue
  // reference to its only argument.
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (Call->getNumArgs() == 1 && Call->getDirectCallee() &&
        Call->getDirectCallee()->getReturnType()->isRValueReferenceType())
      E = Call->getArg(0)->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

StorageLocation *holdsLoc(const RecordStorageLocation &L) {
  for (const auto &Entry : L.synthetic_fields())
    if (Entry.getKey() == HoldsField)
      return Entry.getValue();
  return nullptr;
}

/// \p E, or the handle it is a base-class view of: libstdc++ declares
/// operator->, operator bool, reset() and valid() in base classes
/// (__shared_ptr_access, __shared_ptr, __basic_future), so the object of
/// such a call is the handle behind a derived-to-base cast.
const Expr *handleBehind(const Expr *E, ApiModel &Api) {
  if (!E)
    return nullptr;
  if (Api.nullableHandleKind(E->getType()) != ObjectKind::None)
    return E;
  const Expr *Inner = E->IgnoreImpCasts();
  if (Api.nullableHandleKind(Inner->getType()) != ObjectKind::None)
    return Inner;
  return E;
}

/// The location of the handle \p E denotes (a glvalue, or a record prvalue's
/// result object).
RecordStorageLocation *handleLoc(const Expr *E, const Environment &Env) {
  if (!E)
    return nullptr;
  if (E->isPRValue())
    return E->getType()->isRecordType() ? &Env.getResultObjectLocation(*E)
                                        : nullptr;
  if (auto *L = dyn_cast_or_null<RecordStorageLocation>(Env.getStorageLocation(*E)))
    return L;
  return dyn_cast_or_null<RecordStorageLocation>(
      Env.getStorageLocation(*E->IgnoreParenImpCasts()));
}

class HandleStateModel
    : public DataflowAnalysis<HandleStateModel, NoopLattice> {
public:
  using State = TransferState<NoopLattice>;

  HandleStateModel(ASTContext &Ctx, Environment &Env, ApiModel &Api,
                   Tracker &T)
      : DataflowAnalysis(Ctx), Api(Api), T(T), Transfer(buildTransfer()) {
    Env.getDataflowAnalysisContext().setSyntheticFieldCallback(
        [&Api, BoolTy = Ctx.BoolTy](QualType Ty) -> llvm::StringMap<QualType> {
          if (Api.nullableHandleKind(Ty) == ObjectKind::None)
            return {};
          return {{HoldsField, BoolTy}};
        });
  }

  static NoopLattice initialElement() { return {}; }

  /// Called at EntryStmt, the function's first statement, before its own
  /// transfer: the facts about the initial environment.
  std::function<void(Environment &)> OnEntry;
  const Stmt *EntryStmt = nullptr;

  void transfer(const CFGElement &Elt, NoopLattice &L, Environment &Env) {
    auto CS = Elt.getAs<CFGStmt>();
    T.Current = CS ? CS->getStmt() : nullptr;
    if (OnEntry && EntryStmt && CS && CS->getStmt() == EntryStmt)
      OnEntry(Env);
    State S{L, Env};
    Transfer(Elt, getASTContext(), S);
  }

  bool isHandle(QualType Ty) {
    return Api.nullableHandleKind(Ty) != ObjectKind::None;
  }

  /// The "holds" value of \p L; a handle nothing set yet is assumed to hold.
  BoolValue *holds(const RecordStorageLocation &L, Environment &Env) {
    StorageLocation *F = holdsLoc(L);
    if (!F)
      return nullptr;
    auto *V = dyn_cast_or_null<BoolValue>(Env.getValue(*F));
    if (!V) {
      V = &Env.getBoolLiteralValue(true);
      Env.setValue(*F, *V);
    }
    return V;
  }
  void set(const RecordStorageLocation &L, BoolValue &V, Environment &Env) {
    if (StorageLocation *F = holdsLoc(L))
      Env.setValue(*F, V);
  }
  void setLiteral(const RecordStorageLocation &L, bool B, Environment &Env) {
    set(L, Env.getBoolLiteralValue(B), Env);
  }
  /// The handle escapes through \p By: whatever it holds is unknown from
  /// here on, which we take as holding (precision first).
  void escape(RecordStorageLocation &L, const Stmt *By, Environment &Env) {
    setLiteral(L, true, Env);
    T.Escaped[&L].insert(By);
  }

private:
  ApiModel &Api;
  Tracker &T;
  CFGMatchSwitch<State> Transfer;

  CFGMatchSwitch<State> buildTransfer();
  void transferConstruct(const CXXConstructExpr *E, State &S);
  void transferOperator(const CXXOperatorCallExpr *E, State &S);
  void transferCall(const CallExpr *E, State &S);
  void transferLambda(const LambdaExpr *E, State &S);
  void transferAddressOf(const UnaryOperator *E, State &S);
  void transferDecl(const DeclStmt *D, State &S);
};

AST_MATCHER_P(Expr, hasNullableHandleType, ApiModel *, Api) {
  (void)Finder;
  (void)Builder;
  return Api->nullableHandleKind(Node.getType()) != ObjectKind::None;
}

CFGMatchSwitch<HandleStateModel::State> HandleStateModel::buildTransfer() {
  using MR = const MatchFinder::MatchResult &;
  return CFGMatchSwitchBuilder<State>()
      .CaseOfCFGStmt<CXXConstructExpr>(
          cxxConstructExpr(hasNullableHandleType(&Api)),
          [this](const CXXConstructExpr *E, MR, State &S) {
            transferConstruct(E, S);
          })
      .CaseOfCFGStmt<CXXOperatorCallExpr>(
          cxxOperatorCallExpr(),
          [this](const CXXOperatorCallExpr *E, MR, State &S) {
            transferOperator(E, S);
          })
      .CaseOfCFGStmt<CallExpr>(callExpr(),
                               [this](const CallExpr *E, MR, State &S) {
                                 transferCall(E, S);
                               })
      .CaseOfCFGStmt<LambdaExpr>(lambdaExpr(),
                                 [this](const LambdaExpr *E, MR, State &S) {
                                   transferLambda(E, S);
                                 })
      .CaseOfCFGStmt<DeclStmt>(declStmt(),
                               [this](const DeclStmt *D, MR, State &S) {
                                 transferDecl(D, S);
                               })
      .CaseOfCFGStmt<UnaryOperator>(
          unaryOperator(hasOperatorName("&")),
          [this](const UnaryOperator *E, MR, State &S) {
            transferAddressOf(E, S);
          })
      .Build();
}

void HandleStateModel::transferConstruct(const CXXConstructExpr *E,
                                         State &S) {
  Environment &Env = S.Env;
  RecordStorageLocation &Loc = Env.getResultObjectLocation(*E);
  ObjectKind K = Api.nullableHandleKind(E->getType());
  const Expr *Arg0 = E->getNumArgs() ? E->getArg(0) : nullptr;
  if (!Arg0 || Arg0->getType()->isNullPtrType() ||
      isa<CXXDefaultArgExpr>(Arg0)) {
    // A default-constructed promise has a shared state; a future or a smart
    // pointer has nothing.
    bool Holds = K == ObjectKind::Promise && !Arg0;
    setLiteral(Loc, Holds, Env);
    if (!Holds)
      T.emptied(Loc, E->getExprLoc(),
                Arg0 ? EmptyReason::NullAssigned
                     : EmptyReason::DefaultConstructed,
                nullptr);
    return;
  }
  if (isHandle(Arg0->getType())) {
    if (RecordStorageLocation *Src = handleLoc(Arg0, Env)) {
      if (BoolValue *V = holds(*Src, Env))
        set(Loc, *V, Env);
      T.copied(*Src, Loc);
      const CXXConstructorDecl *Ctor = E->getConstructor();
      if (((Ctor && Ctor->isMoveConstructor()) || Arg0->isXValue()) &&
          declOf(Arg0)) {
        setLiteral(*Src, false, Env);
        T.emptied(*Src, E->getExprLoc(), EmptyReason::MovedFrom,
                  declOf(Arg0));
      }
      return;
    }
  }
  setLiteral(Loc, true, Env);
}

void HandleStateModel::transferOperator(const CXXOperatorCallExpr *E,
                                        State &S) {
  Environment &Env = S.Env;
  OverloadedOperatorKind Op = E->getOperator();
  if (Op == OO_Equal && E->getNumArgs() == 2 &&
      isHandle(E->getArg(0)->getType())) {
    RecordStorageLocation *Lhs = handleLoc(E->getArg(0), Env);
    if (!Lhs)
      return;
    const Expr *Rhs = E->getArg(1);
    if (Rhs->getType()->isNullPtrType()) {
      setLiteral(*Lhs, false, Env);
      T.emptied(*Lhs, E->getOperatorLoc(), EmptyReason::NullAssigned,
                declOf(E->getArg(0)));
      return;
    }
    if (isHandle(Rhs->getType()))
      if (RecordStorageLocation *RhsLoc = handleLoc(Rhs, Env)) {
        if (BoolValue *V = holds(*RhsLoc, Env)) {
          set(*Lhs, *V, Env);
          T.copied(*RhsLoc, *Lhs);
          if (V != &Env.getBoolLiteralValue(false))
            T.assigned(*Lhs, E->getOperatorLoc());
        }
        if (Rhs->isXValue() && RhsLoc != Lhs && declOf(Rhs)) {
          setLiteral(*RhsLoc, false, Env);
          T.emptied(*RhsLoc, E->getOperatorLoc(), EmptyReason::MovedFrom,
                    declOf(Rhs));
        }
        return;
      }
    setLiteral(*Lhs, true, Env);
    T.assigned(*Lhs, E->getOperatorLoc());
    return;
  }
  if ((Op == OO_EqualEqual || Op == OO_ExclaimEqual) && E->getNumArgs() == 2) {
    const Expr *H = nullptr;
    if (isHandle(E->getArg(0)->getType()) &&
        E->getArg(1)->getType()->isNullPtrType())
      H = E->getArg(0);
    else if (isHandle(E->getArg(1)->getType()) &&
             E->getArg(0)->getType()->isNullPtrType())
      H = E->getArg(1);
    if (H)
      if (RecordStorageLocation *L = handleLoc(H, Env))
        if (BoolValue *V = holds(*L, Env)) {
          Env.setValue(*E, Op == OO_EqualEqual ? Env.makeNot(*V) : *V);
          return;
        }
  }
  // Everything else, `*it` and `it->` of an iterator over handles included
  // (its result is a handle the model cannot see: assumed to hold).
  transferCall(E, S);
}

void HandleStateModel::transferCall(const CallExpr *E, State &S) {
  Environment &Env = S.Env;
  const ApiCall &C = Api.call(E);
  HandleOp Op = C.Entry ? C.Entry->Op : HandleOp::None;
  const Expr *Object = handleBehind(receiverOf(E), Api);
  RecordStorageLocation *ObjLoc =
      Object && isHandle(Object->getType()) ? handleLoc(Object, Env) : nullptr;
  bool ResultIsHandle = isHandle(E->getType());
  auto resultLoc = [&]() -> RecordStorageLocation * {
    return ResultIsHandle ? handleLoc(E, Env) : nullptr;
  };

  switch (Op) {
  case HandleOp::Creates:
    if (RecordStorageLocation *R = resultLoc())
      setLiteral(*R, true, Env);
    return;
  case HandleOp::Consumes:
  case HandleOp::Shares:
    if (ObjLoc) {
      setLiteral(*ObjLoc, false, Env);
      T.emptied(*ObjLoc, E->getExprLoc(), EmptyReason::Consumed,
                declOf(Object));
    }
    if (RecordStorageLocation *R = resultLoc())
      setLiteral(*R, true, Env);
    return;
  case HandleOp::Resets:
    if (ObjLoc) {
      bool Holds = E->getNumArgs() > 0 &&
                   !E->getArg(0)->getType()->isNullPtrType() &&
                   !isa<CXXDefaultArgExpr>(E->getArg(0));
      setLiteral(*ObjLoc, Holds, Env);
      if (Holds)
        T.assigned(*ObjLoc, E->getExprLoc());
      else
        T.emptied(*ObjLoc, E->getExprLoc(), EmptyReason::Reset,
                  declOf(Object));
    }
    return;
  case HandleOp::Tests:
    if (ObjLoc)
      if (BoolValue *V = holds(*ObjLoc, Env))
        Env.setValue(*E, *V);
    return;
  case HandleOp::None:
    break;
  }

  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    // `if (ch)`: the smart pointer's or future's conversion to bool.
    if (ObjLoc && M && isa<CXXConversionDecl>(M) &&
        E->getType()->isBooleanType()) {
      if (BoolValue *V = holds(*ObjLoc, Env))
        Env.setValue(*E, *V);
      return;
    }
    // A method of the handle itself that the model does not know (swap,
    // release): what it holds afterwards is unknown.
    if (ObjLoc && M && !M->isConst() && !C)
      escape(*ObjLoc, E, Env);
  }

  // An argument bound to a non-const lvalue reference: the callee may give
  // the handle something.
  if (const FunctionDecl *FD = E->getDirectCallee()) {
    unsigned Offset = isa<CXXOperatorCallExpr>(E) && isa<CXXMethodDecl>(FD);
    for (unsigned I = Offset; I < E->getNumArgs(); ++I) {
      unsigned P = I - Offset;
      if (P >= FD->getNumParams())
        break;
      QualType PT = FD->getParamDecl(P)->getType();
      if (!PT->isLValueReferenceType() || PT->getPointeeType().isConstQualified())
        continue;
      if (!isHandle(E->getArg(I)->getType()))
        continue;
      if (RecordStorageLocation *L = handleLoc(E->getArg(I), Env))
        escape(*L, E, Env);
    }
  }

  // A handle made by a spawn (std::async's future), by get_future(), or by
  // a call the model does not know: assumed to hold.
  if (RecordStorageLocation *R = resultLoc())
    setLiteral(*R, true, Env);
}

void HandleStateModel::transferLambda(const LambdaExpr *E, State &S) {
  for (const LambdaCapture &Cap : E->captures()) {
    if (!Cap.capturesVariable() || Cap.getCaptureKind() != LCK_ByRef)
      continue;
    const auto *Var = dyn_cast<VarDecl>(Cap.getCapturedVar());
    if (!Var || !isHandle(Var->getType().getNonReferenceType()))
      continue;
    if (auto *L = dyn_cast_or_null<RecordStorageLocation>(S.Env.getStorageLocation(*Var)))
      escape(*L, E, S.Env);
  }
}

void HandleStateModel::transferDecl(const DeclStmt *D, State &S) {
  // `auto &f = *it;`, `auto &ch = table[k];`: a reference bound to what an
  // unknown call returns. The framework gives it a fresh object on every
  // evaluation (a new element each iteration of a loop); it is assumed to
  // hold, like any handle the function cannot see.
  for (const Decl *Dcl : D->decls()) {
    const auto *Var = dyn_cast<VarDecl>(Dcl);
    if (!Var || !Var->getType()->isReferenceType() || !Var->getInit() ||
        !isHandle(Var->getType().getNonReferenceType()) ||
        !isa<CallExpr>(Var->getInit()->IgnoreImplicit()))
      continue;
    if (auto *L = dyn_cast_or_null<RecordStorageLocation>(
            S.Env.getStorageLocation(*Var)))
      setLiteral(*L, true, S.Env);
  }
}

void HandleStateModel::transferAddressOf(const UnaryOperator *E, State &S) {
  const Expr *Sub = E->getSubExpr();
  if (!isHandle(Sub->getType()))
    return;
  if (RecordStorageLocation *L = handleLoc(Sub, S.Env))
    escape(*L, E, S.Env);
}

/// True when a condition that decides whether \p Use runs reads state from
/// outside \p FD (a capture, a member, a global): such a condition may be the
/// one the spawner branched on when it left the handle empty.
bool underOutsideCondition(const Stmt *Use, const FunctionDecl *FD) {
  const Stmt *Body = FD->getBody();
  if (!Body)
    return true;
  ParentMap PM(const_cast<Stmt *>(Body));
  auto ReadsOutside = [&](const Stmt *Cond) {
    if (!Cond)
      return false;
    bool Found = false;
    forEachStmtInFunction(Cond, [&](const Stmt *S) {
      if (isa<CXXThisExpr>(S))
        Found = true;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
        if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
          Found |= V->hasGlobalStorage() ||
                   V->getDeclContext() != static_cast<const DeclContext *>(FD);
      return !Found;
    });
    return Found;
  };
  const Stmt *Child = Use;
  for (const Stmt *P = PM.getParent(Use); P; Child = P, P = PM.getParent(P)) {
    const Stmt *Cond = nullptr;
    if (const auto *If = dyn_cast<IfStmt>(P))
      Cond = If->getCond() == Child ? nullptr : If->getCond();
    else if (const auto *W = dyn_cast<WhileStmt>(P))
      Cond = W->getCond() == Child ? nullptr : W->getCond();
    else if (const auto *F = dyn_cast<ForStmt>(P))
      Cond = F->getCond() == Child ? nullptr : F->getCond();
    else if (const auto *D = dyn_cast<DoStmt>(P))
      Cond = D->getCond() == Child ? nullptr : D->getCond();
    else if (const auto *Sw = dyn_cast<SwitchStmt>(P))
      Cond = Sw->getCond() == Child ? nullptr : Sw->getCond();
    else if (const auto *CO = dyn_cast<ConditionalOperator>(P))
      Cond = CO->getCond() == Child ? nullptr : CO->getCond();
    else if (const auto *BO = dyn_cast<BinaryOperator>(P);
             BO && BO->isLogicalOp() && BO->getRHS() == Child)
      Cond = BO->getLHS();
    if (ReadsOutside(Cond))
      return true;
  }
  return false;
}

/// The first statement the analysis visits: the entry block's successors
/// followed while they hold no statement.
const Stmt *firstStatement(const CFG &G) {
  const CFGBlock *B = &G.getEntry();
  for (unsigned Steps = 0; B && Steps < 16; ++Steps) {
    for (const CFGElement &E : *B)
      if (auto CS = E.getAs<CFGStmt>())
        return CS->getStmt();
    if (B->succ_size() != 1)
      return nullptr;
    B = B->succ_begin()->getReachableBlock();
  }
  return nullptr;
}

/// The handle expression a use goes through: `ch` in `ch->push(v)`,
/// `(*ch).pop(v)`, `f.get()`.
const Expr *handleOfUse(const CallExpr *Call, ApiModel &Api) {
  const Expr *Object = receiverOf(Call);
  if (!Object)
    return nullptr;
  Object = Object->IgnoreParenImpCasts();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Object))
    if ((Op->getOperator() == OO_Arrow || Op->getOperator() == OO_Star) &&
        Op->getNumArgs() >= 1) {
      const Expr *H = handleBehind(Op->getArg(0), Api);
      if (Api.nullableHandleKind(H->getType()) != ObjectKind::None)
        return H;
    }
  if (Api.nullableHandleKind(Object->getType()) != ObjectKind::None)
    return Object;
  return nullptr;
}

} // namespace

struct HandleStateAnalysis::FunctionResult {
  std::vector<NilUse> Uses;
  llvm::DenseMap<const LambdaExpr *, std::vector<CapturedState>> Captures;
};

HandleStateAnalysis::HandleStateAnalysis(ASTContext &Ctx, ApiModel &Api)
    : Ctx(Ctx), Api(Api) {}
HandleStateAnalysis::~HandleStateAnalysis() = default;

bool HandleStateAnalysis::touchesHandles(const FunctionDecl *FD) {
  auto It = Touches.find(FD);
  if (It != Touches.end())
    return It->second;
  bool Found = false;
  if (FD && FD->hasBody())
    forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
      if (Found)
        return false;
      if (const auto *E = dyn_cast<Expr>(S)) {
        if (isa<DeclRefExpr>(E) &&
            Api.nullableHandleKind(E->getType().getNonReferenceType()) !=
                ObjectKind::None)
          Found = true;
        // Members: nullable handles, and raw pointers to a channel (for the
        // members no method assigns).
        if (const auto *ME = dyn_cast<MemberExpr>(E)) {
          QualType T = ME->getType().getNonReferenceType();
          if (Api.nullableHandleKind(T) != ObjectKind::None)
            Found = true;
          else if (T->isPointerType()) {
            ObjectKind K = Api.kindOf(T->getPointeeType());
            Found = K == ObjectKind::FiberChannel ||
                    K == ObjectKind::TbbQueue || K == ObjectKind::UserChannel;
          }
        }
      }
      return !Found;
    });
  Touches[FD] = Found;
  return Found;
}

namespace {
/// Every way a method can give a member something, short of the members the
/// analysis can follow: any mention other than a use through it, a test, or
/// a const call counts as an assignment (precision first).
class MemberWrites : public RecursiveASTVisitor<MemberWrites> {
public:
  explicit MemberWrites(llvm::DenseSet<const FieldDecl *> &Candidates)
      : Candidates(Candidates) {}

  bool VisitMemberExpr(MemberExpr *ME) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD || !Candidates.count(FD))
      return true;
    if (!Reads.count(ME))
      Candidates.erase(FD);
    return true;
  }
  // Mentions that leave the member as it is.
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *E) {
    OverloadedOperatorKind Op = E->getOperator();
    if (Op == OO_Arrow || Op == OO_Star || Op == OO_EqualEqual ||
        Op == OO_ExclaimEqual)
      for (const Expr *A : E->arguments())
        markRead(A);
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *E) {
    const CXXMethodDecl *M = E->getMethodDecl();
    if (M && (M->isConst() || isa<CXXConversionDecl>(M)))
      markRead(E->getImplicitObjectArgument());
    return true;
  }
  bool VisitImplicitCastExpr(ImplicitCastExpr *E) {
    // `if (ptr)` on a raw pointer member, or reading it.
    if (E->getCastKind() == CK_LValueToRValue ||
        E->getCastKind() == CK_PointerToBoolean)
      markRead(E->getSubExpr());
    return true;
  }

private:
  llvm::DenseSet<const FieldDecl *> &Candidates;
  llvm::SmallPtrSet<const MemberExpr *, 16> Reads;

  void markRead(const Expr *E) {
    if (!E)
      return;
    if (const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts()))
      Reads.insert(ME);
  }
};
} // namespace

const llvm::DenseSet<const FieldDecl *> &
HandleStateAnalysis::neverAssignedMembers(const CXXRecordDecl *RD) {
  auto &Slot = Members[RD];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<llvm::DenseSet<const FieldDecl *>>();
  llvm::DenseSet<const FieldDecl *> &Out = *Slot;
  if (!RD || !RD->hasDefinition() || RD->isDependentContext() ||
      RD->isUnion() || RD->isLambda())
    return Out;
  RD = RD->getDefinition();
  // Friends can assign; so can code outside for a public member.
  if (RD->hasFriends())
    return Out;
  for (const FieldDecl *F : RD->fields()) {
    if (F->getAccess() == AS_public || F->hasInClassInitializer())
      continue;
    QualType T = F->getType();
    bool Nullable = Api.nullableHandleKind(T) != ObjectKind::None &&
                    Api.nullableHandleKind(T) != ObjectKind::Promise;
    bool RawChannel =
        T->isPointerType() &&
        Api.nullableHandleKind(T) == ObjectKind::None &&
        [&] {
          ObjectKind K = Api.kindOf(T->getPointeeType());
          return K == ObjectKind::FiberChannel || K == ObjectKind::TbbQueue ||
                 K == ObjectKind::UserChannel;
        }();
    if (Nullable || RawChannel)
      Out.insert(F);
  }
  if (Out.empty())
    return Out;
  // Every method, constructor included, must be defined here: a method
  // defined elsewhere may assign the member.
  bool HasConstructor = false;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (M->isDeleted() || (M->isDefaulted() && !M->isUserProvided()))
      continue;
    if (isa<CXXConstructorDecl>(M))
      HasConstructor = true;
    const FunctionDecl *Def = M->getDefinition();
    if (!Def && M->getDescribedFunctionTemplate())
      continue;
    if (!Def || !Def->hasBody()) {
      Out.clear();
      return Out;
    }
  }
  for (const CXXConstructorDecl *Ctor : RD->ctors()) {
    const auto *Def = dyn_cast_or_null<CXXConstructorDecl>(Ctor->getDefinition());
    if (!Def)
      continue;
    for (const CXXCtorInitializer *Init : Def->inits()) {
      const FieldDecl *F = Init->getMember();
      if (!F || !Out.count(F) || !Init->isWritten())
        continue;
      // `: ch_()` and `: ch_(nullptr)` leave it empty; anything else fills.
      const Expr *IE = Init->getInit()->IgnoreImplicit();
      if (const auto *CE = dyn_cast<CXXConstructExpr>(IE))
        if (CE->getNumArgs() == 0 ||
            CE->getArg(0)->getType()->isNullPtrType())
          continue;
      if (isa<CXXNullPtrLiteralExpr>(IE) || isa<ImplicitValueInitExpr>(IE) ||
          (isa<InitListExpr>(IE) &&
           cast<InitListExpr>(IE)->getNumInits() == 0))
        continue;
      Out.erase(F);
    }
  }
  (void)HasConstructor;
  MemberWrites W(Out);
  for (const Decl *D : RD->decls()) {
    const FunctionDecl *FD = nullptr;
    if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(D))
      FD = FTD->getTemplatedDecl();
    else
      FD = dyn_cast<FunctionDecl>(D);
    if (const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr)
      if (Def->getBody())
        W.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
    if (Out.empty())
      break;
  }
  return Out;
}

std::unique_ptr<HandleStateAnalysis::FunctionResult>
HandleStateAnalysis::run(const FunctionDecl *FD,
                         llvm::ArrayRef<CapturedState> Captured) {
  auto Result = std::make_unique<FunctionResult>();
  if (!FD || !FD->doesThisDeclarationHaveABody() || FD->isDependentContext() ||
      isa<CoroutineBodyStmt>(FD->getBody()) || !touchesHandles(FD))
    return Result;
  llvm::Expected<AdornedCFG> CFG = AdornedCFG::build(*FD);
  if (!CFG) {
    llvm::consumeError(CFG.takeError());
    return Result;
  }
  ++Analysed;
  WatchedLiteralsSolver Solver(SolverBudget);
  DataflowAnalysisContext DACtx(Solver);
  Environment Env(DACtx, *FD);
  Tracker T;
  HandleStateModel Model(Ctx, Env, Api, T);

  // What the function cannot see holds something, except members the class
  // never assigns and the captures the spawner handed over empty. The
  // framework initialises the starting environment itself (fresh atoms for
  // parameters, captures and `this`'s fields), so these are facts about
  // those initial atoms, assumed at the function's first statement on every
  // visit: valid on every path, loops included.
  const llvm::DenseSet<const FieldDecl *> *NeverMembers = nullptr;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    const CXXMethodDecl *Outer = MD;
    if (MD->getParent()->isLambda())
      Outer = dyn_cast_or_null<CXXMethodDecl>(MD->getParent()->getDeclContext());
    if (Outer && !Outer->getParent()->isLambda() &&
        !isa<CXXConstructorDecl>(Outer) && !isa<CXXDestructorDecl>(Outer))
      NeverMembers = &neverAssignedMembers(Outer->getParent());
  }
  bool Planned = false;
  llvm::SmallVector<std::pair<const Formula *, bool>, 8> EntryFacts;
  auto PlanEntry = [&](Environment &Env) {
    auto Fact = [&](RecordStorageLocation &R, bool Holds) {
      StorageLocation *F = holdsLoc(R);
      if (!F)
        return;
      auto *V = dyn_cast_or_null<BoolValue>(Env.getValue(*F));
      if (!V) {
        V = &Env.makeAtomicBoolValue();
        Env.setValue(*F, *V);
      }
      EntryFacts.push_back({&V->formula(), Holds});
    };
    std::function<void(StorageLocation *, unsigned)> AssumeHolds =
        [&](StorageLocation *L, unsigned Depth) {
          auto *R = dyn_cast_or_null<RecordStorageLocation>(L);
          if (!R || Depth > 3)
            return;
          Fact(*R, true);
          for (auto [Field, Child] : R->children())
            AssumeHolds(Child, Depth + 1);
        };
    for (const ParmVarDecl *P : FD->parameters())
      AssumeHolds(Env.getStorageLocation(*P), 0);
    if (RecordStorageLocation *This = Env.getThisPointeeStorageLocation())
      for (auto [Field, Child] : This->children()) {
        const auto *F = dyn_cast<FieldDecl>(Field);
        auto *R = dyn_cast_or_null<RecordStorageLocation>(Child);
        if (F && R && NeverMembers && NeverMembers->count(F) && holdsLoc(*R)) {
          Fact(*R, false);
          T.emptied(*R, F->getLocation(), EmptyReason::NeverAssignedMember, F);
          continue;
        }
        AssumeHolds(Child, 1);
      }
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
        MD && MD->getParent()->isLambda())
      for (const LambdaCapture &Cap : MD->getParent()->captures()) {
        if (!Cap.capturesVariable())
          continue;
        const auto *Var = dyn_cast<VarDecl>(Cap.getCapturedVar());
        if (!Var)
          continue;
        auto *R = dyn_cast_or_null<RecordStorageLocation>(
            Env.getStorageLocation(*Var));
        if (!R || !holdsLoc(*R))
          continue;
        auto Seed = llvm::find_if(
            Captured, [&](const CapturedState &C) { return C.Var == Var; });
        if (Seed == Captured.end()) {
          AssumeHolds(R, 0);
          continue;
        }
        // Empty on every path: a fact; on some paths: the atom stays free.
        if (Seed->EveryPath)
          Fact(*R, false);
        for (const HandleEvent &E : Seed->Emptied)
          T.emptied(*R, E.Loc, E.Why, E.Handle);
        for (SourceLocation A : Seed->Assigned)
          T.assigned(*R, A);
        T.FromSpawner.insert(R);
      }
  };
  Model.OnEntry = [&](Environment &Env) {
    if (!Planned) {
      Planned = true;
      PlanEntry(Env);
    }
    Arena &A = Env.arena();
    for (auto [F, Holds] : EntryFacts)
      Env.assume(Holds ? *F : A.makeNot(*F));
  };
  Model.EntryStmt = firstStatement(CFG->getCFG());

  // Raw pointer members no method assigns: not a dataflow fact (a pointer's
  // nullness is not modelled), but a class-wide one.
  const llvm::DenseSet<const FieldDecl *> *NeverRaw = NeverMembers;

  struct ByRefCheck {
    const LambdaExpr *L;
    const VarDecl *Var;
    const StorageLocation *R;
  };
  std::vector<ByRefCheck> ByRefChecks;
  llvm::DenseSet<const Stmt *> Seen;
  CFGEltCallbacks<HandleStateModel> Callbacks;
  Callbacks.Before = [&](const CFGElement &Elt,
                         const DataflowAnalysisState<NoopLattice> &State) {
    auto CS = Elt.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *S = CS->getStmt();
    const Environment &E = State.Env;
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      std::vector<CapturedState> &Out = Result->Captures[L];
      if (!Out.empty())
        return;
      for (const LambdaCapture &Cap : L->captures()) {
        if (!Cap.capturesVariable())
          continue;
        const auto *Var = dyn_cast<VarDecl>(Cap.getCapturedVar());
        if (!Var ||
            Api.nullableHandleKind(Var->getType().getNonReferenceType()) ==
                ObjectKind::None)
          continue;
        auto *R = dyn_cast_or_null<RecordStorageLocation>(E.getStorageLocation(*Var));
        StorageLocation *HL = R ? holdsLoc(*R) : nullptr;
        auto *V = HL ? dyn_cast_or_null<BoolValue>(E.getValue(*HL)) : nullptr;
        if (!V || !T.Emptied.count(R))
          continue;
        Arena &A = E.arena();
        if (!E.allows(A.makeNot(V->formula())))
          continue;
        // By reference, the spawner may still give it something the task
        // then sees: checked once the CFG walk is done (ByRefChecks).
        if (Cap.getCaptureKind() == LCK_ByRef)
          ByRefChecks.push_back({L, Var, R});
        CapturedState C;
        C.Var = Var;
        C.EveryPath = E.proves(A.makeNot(V->formula()));
        C.Emptied = T.Emptied[R];
        if (auto It = T.Assigned.find(R); It != T.Assigned.end())
          C.Assigned = It->second;
        Out.push_back(std::move(C));
      }
      return;
    }
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call || !Seen.insert(Call).second)
      return;
    const ApiCall &AC = Api.call(Call);
    if (!isHandleUse(AC.effect()))
      return;
    // A raw pointer member no method ever assigns.
    if (NeverRaw) {
      if (const Expr *Obj = receiverOf(Call))
        if (const auto *ME =
                dyn_cast<MemberExpr>(Obj->IgnoreParenImpCasts()))
          if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
            if (F->getType()->isPointerType() && NeverRaw->count(F)) {
              NilUse U;
              U.Use = Call;
              U.Handle = F;
              U.Kind = AC.kind();
              U.EveryPath = true;
              U.Emptied.push_back(
                  {F->getLocation(), EmptyReason::NeverAssignedMember, F});
              Result->Uses.push_back(std::move(U));
              return;
            }
    }
    const Expr *H = handleOfUse(Call, Api);
    if (!H)
      return;
    RecordStorageLocation *R = handleLoc(H, E);
    StorageLocation *HL = R ? holdsLoc(*R) : nullptr;
    auto *V = HL ? dyn_cast_or_null<BoolValue>(E.getValue(*HL)) : nullptr;
    if (!V)
      return;
    auto EmptiedIt = T.Emptied.find(R);
    if (EmptiedIt == T.Emptied.end())
      return;
    Arena &A = E.arena();
    if (!E.allows(A.makeNot(V->formula())))
      return;
    NilUse U;
    U.Use = Call;
    U.Handle = declOf(H);
    U.Kind = Api.nullableHandleKind(H->getType());
    U.EveryPath = E.proves(A.makeNot(V->formula()));
    // Not the use itself (a get() consumes on the next iteration's path).
    for (const HandleEvent &Ev : EmptiedIt->second)
      if (Ev.Loc != Call->getExprLoc()) {
        U.Emptied.push_back(Ev);
        if (!U.Emptied.back().Handle)
          U.Emptied.back().Handle = U.Handle;
      }
    if (auto It = T.Assigned.find(R); It != T.Assigned.end())
      U.Assigned = It->second;
    U.FromSpawner = T.FromSpawner.count(R);
    // Empty on some of the spawner's paths, used under a condition here: the
    // condition may be the one the spawner branched on (a captured flag),
    // which this function's solver cannot relate. Stay silent.
    if (U.FromSpawner && !U.EveryPath && underOutsideCondition(Call, FD))
      return;
    Result->Uses.push_back(std::move(U));
  };

  llvm::Expected<std::vector<
      std::optional<DataflowAnalysisState<NoopLattice>>>>
      States = runDataflowAnalysis(*CFG, Model, Env, Callbacks, MaxBlockVisits);
  if (!States || Solver.reachedLimit()) {
    if (!States)
      llvm::consumeError(States.takeError());
    ++BudgetHits;
    OverBudget.push_back(FD);
    return std::make_unique<FunctionResult>();
  }
  // The events are a location's whole history; a use's notes keep those
  // that can reach it in the CFG (events from elsewhere, with no statement
  // here, always do), in source order.
  const auto &StmtToBlock = CFG->getStmtToBlock();
  // Can control go from statement FromS to statement Use? (Unknown
  // statements: yes.)
  auto StmtReaches = [&](const Stmt *FromS, const Stmt *Use) {
    const CFGBlock *From = StmtToBlock.lookup(FromS);
    if (!From || !StmtToBlock.lookup(Use))
      return true;
    return PathSearch::stmtReaches(From, FromS, Use);
  };
  auto Reaches = [&](SourceLocation Event, const Stmt *Use) {
    auto It = T.StmtAt.find(Event.getRawEncoding());
    return It == T.StmtAt.end() || StmtReaches(It->second, Use);
  };
  // A by-reference capture counts only if nothing after the spawn can give
  // the handle something: no assignment, no other escape reachable from it.
  for (const ByRefCheck &C : ByRefChecks) {
    bool Later = false;
    if (auto It = T.Assigned.find(C.R); It != T.Assigned.end())
      for (SourceLocation A : It->second) {
        auto S = T.StmtAt.find(A.getRawEncoding());
        Later |= S == T.StmtAt.end() || StmtReaches(C.L, S->second);
      }
    if (auto It = T.Escaped.find(C.R); It != T.Escaped.end())
      for (const Stmt *By : It->second)
        Later |= By != C.L && StmtReaches(C.L, By);
    if (Later)
      llvm::erase_if(Result->Captures[C.L], [&](const CapturedState &S) {
        return S.Var == C.Var;
      });
  }
  // One finding per handle and function: a use that another use of the same
  // handle reaches first is never reached once that one blocks.
  {
    std::vector<NilUse> Kept;
    for (const NilUse &U : Result->Uses) {
      bool Shadowed = llvm::any_of(Result->Uses, [&](const NilUse &O) {
        if (&O == &U || O.Handle != U.Handle || !StmtReaches(O.Use, U.Use))
          return false;
        // Each reaches the other (a loop): keep the first in the source.
        return !StmtReaches(U.Use, O.Use) ||
               O.Use->getBeginLoc().getRawEncoding() <
                   U.Use->getBeginLoc().getRawEncoding();
      });
      if (!Shadowed)
        Kept.push_back(U);
    }
    Result->Uses = std::move(Kept);
  }
  for (NilUse &U : Result->Uses) {
    llvm::erase_if(U.Emptied, [&](const HandleEvent &E) {
      return !Reaches(E.Loc, U.Use);
    });
    llvm::erase_if(U.Assigned,
                   [&](SourceLocation A) { return !Reaches(A, U.Use); });
    llvm::sort(U.Emptied, [](const HandleEvent &A, const HandleEvent &B) {
      return A.Loc.getRawEncoding() < B.Loc.getRawEncoding();
    });
  }
  return Result;
}

HandleStateAnalysis::FunctionResult &
HandleStateAnalysis::resultOf(const FunctionDecl *FD) {
  auto &Slot = Results[FD];
  if (!Slot)
    Slot = run(FD, {});
  return *Slot;
}

std::vector<NilUse>
HandleStateAnalysis::nilUses(const FunctionDecl *FD,
                             llvm::ArrayRef<CapturedState> Captured) {
  if (Captured.empty())
    return resultOf(FD).Uses;
  return run(FD, Captured)->Uses;
}

std::vector<CapturedState>
HandleStateAnalysis::capturedStates(const LambdaExpr *Lambda) {
  if (!Lambda)
    return {};
  const CXXRecordDecl *Closure = Lambda->getLambdaClass();
  const auto *Spawner =
      Closure ? dyn_cast_or_null<FunctionDecl>(Closure->getDeclContext())
              : nullptr;
  if (!Spawner)
    return {};
  FunctionResult &R = resultOf(Spawner);
  auto It = R.Captures.find(Lambda);
  if (It == R.Captures.end())
    return {};
  return It->second;
}

} // namespace clang::tidy::taskleak
