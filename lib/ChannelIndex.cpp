//===--- ChannelIndex.cpp - What happens to each channel ------------------===//
#include "taskleak/ChannelIndex.h"
#include "taskleak/Names.h"
#include "taskleak/SpawnModel.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include <set>

namespace clang::tidy::taskleak {

ChannelIndex::ChannelIndex(ASTContext &Ctx, ApiModel &Api, HandleUses &Uses)
    : Ctx(Ctx), Api(Api), Uses(Uses) {}

namespace {
/// Every function the user's code names (calls, takes the address of,
/// constructs with): the functions that can run.
class ReferenceVisitor : public UserCodeVisitor<ReferenceVisitor> {
public:
  ReferenceVisitor(const SourceManager &SM,
                   llvm::DenseSet<const FunctionDecl *> &Out)
      : UserCodeVisitor(SM), Out(Out) {}
  void add(const FunctionDecl *FD) {
    if (!FD)
      return;
    Out.insert(FD->getCanonicalDecl());
    if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
      Out.insert(P->getCanonicalDecl());
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    add(dyn_cast<FunctionDecl>(E->getDecl()));
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    add(dyn_cast<FunctionDecl>(E->getMemberDecl()));
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    add(E->getConstructor());
    return true;
  }

private:
  llvm::DenseSet<const FunctionDecl *> &Out;
};

/// The channel class a handle's type holds: the class itself, or what a
/// pointer or smart pointer points to.
const CXXRecordDecl *channelClassOf(QualType T, ApiModel &Api) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const CXXRecordDecl *RD = recordOf(T);
  if (RD && Api.kindOfRecord(RD) == ObjectKind::SmartPointer)
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      if (Spec->getTemplateArgs().size() > 0 &&
          Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
        return recordOf(Spec->getTemplateArgs()[0].getAsType());
  return RD;
}

std::optional<long long> constantArg(const Expr *E, unsigned I,
                                     const ASTContext &Ctx) {
  E = ignoreWrappers(E);
  if (const auto *DI = dyn_cast_or_null<CXXDefaultInitExpr>(E))
    E = ignoreWrappers(DI->getExpr());
  const Expr *Arg = nullptr;
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E))
    Arg = I < CE->getNumArgs() ? CE->getArg(I) : nullptr;
  else if (const auto *Call = dyn_cast_or_null<CallExpr>(E))
    Arg = I < Call->getNumArgs() ? Call->getArg(I) : nullptr; // make_shared
  else if (const auto *IL = dyn_cast_or_null<InitListExpr>(E))
    Arg = I < IL->getNumInits() ? IL->getInit(I) : nullptr;
  Expr::EvalResult R;
  if (Arg && !Arg->isValueDependent() && Arg->EvaluateAsInt(R, Ctx))
    return R.Val.getInt().getSExtValue();
  return std::nullopt;
}
} // namespace

bool ChannelIndex::mayRun(const FunctionDecl *FD) {
  if (!FD)
    return false;
  if (isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD) || FD->isMain())
    return true;
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD))
    if (M->isVirtual() || M->getParent()->isLambda())
      return true;
  if (!ReferencedDone) {
    ReferencedDone = true;
    ReferenceVisitor V(Ctx.getSourceManager(), Referenced);
    V.TraverseAST(Ctx);
  }
  if (Referenced.count(FD->getCanonicalDecl()))
    return true;
  const FunctionDecl *P = FD->getTemplateInstantiationPattern();
  if (P && Referenced.count(P->getCanonicalDecl()))
    return true;
  // Not called here, but other translation units may: a public method of a
  // class they can name, a function with external linkage.
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD))
    return M->getAccess() == AS_public && M->getParent()->isExternallyVisible();
  return FD->isExternallyVisible();
}

const ChannelFacts *ChannelIndex::factsOf(const HandleRef &H,
                                          const FunctionDecl *Where) {
  bool IsMember = false;
  std::vector<const FunctionDecl *> Scope =
      HandleUses::scopeOf(H, Where, IsMember);
  if (Scope.empty() || !H.leaf())
    return nullptr;
  std::unique_ptr<ChannelFacts> &Slot = Memo[{IsMember ? nullptr : Where, H}];
  if (Slot)
    return Slot.get();
  Slot = std::make_unique<ChannelFacts>();
  ChannelFacts &F = *Slot;
  F.Handle = H;
  F.Owner = IsMember ? nullptr : Where;
  F.Declared = H.leaf();
  const CXXRecordDecl *RD = channelClassOf(H.leaf()->getType(), Api);
  F.Kind = Api.kindOfRecord(RD);
  switch (RD ? Api.bufferingOf(RD) : ApiModel::Buffering::Unknown) {
  case ApiModel::Buffering::Unbuffered:
    F.Capacity = 0;
    break;
  case ApiModel::Buffering::Unbounded:
    F.Unbounded = true;
    break;
  case ApiModel::Buffering::CapacityMinusOne:
  case ApiModel::Buffering::Unknown:
    break; // from the construction, below
  }
  // A channel type the user declared, with send and receive methods, is
  // taken to hand each item over (no buffer).
  if (F.Kind == ObjectKind::UserChannel)
    F.Capacity = 0;
  if (const auto *Field = dyn_cast<FieldDecl>(H.leaf()))
    if (Field->hasInClassInitializer() && RD &&
        Api.bufferingOf(RD) == ApiModel::Buffering::CapacityMinusOne)
      if (std::optional<long long> N =
              constantArg(Field->getInClassInitializer(), 0, Ctx))
        F.Capacity = *N - 1;
  collect(F, Scope);
  return Slot.get();
}

void ChannelIndex::collect(ChannelFacts &F,
                           const std::vector<const FunctionDecl *> &Scope) {
  struct Item {
    const FunctionDecl *FD;
    HandleRef H;
    bool Live;
  };
  std::vector<Item> Work;
  for (const FunctionDecl *FD : Scope)
    Work.push_back({FD, F.Handle, F.Owner ? true : mayRun(FD)});
  std::set<std::pair<const FunctionDecl *, HandleRef>> Seen;
  bool Buffered = F.Kind == ObjectKind::FiberChannel && !F.Capacity;
  auto Record = [&](const ApiCall &A, const CallExpr *Call, const Item &I) {
    ChannelOp Op{Call, I.FD, A.effect(), I.Live, I.H, A.blocking()};
    switch (A.effect()) {
    case Effect::Send:
    case Effect::TrySend:
    case Effect::TimedSend:
    case Effect::SetResult:
    case Effect::CountDown:
      F.Sends.push_back(Op);
      break;
    case Effect::ArriveAndWait: // a latch participant counts down, then waits
      F.Sends.push_back(Op);
      F.Receives.push_back(Op);
      break;
    case Effect::Receive:
    case Effect::TryReceive:
    case Effect::TimedReceive:
    case Effect::GetResult:
    case Effect::WaitResult:
    case Effect::TimedWaitResult:
    case Effect::WaitCount:
      F.Receives.push_back(Op);
      break;
    case Effect::Close:
      F.Closes.push_back(Op);
      break;
    case Effect::SetCapacity:
      if (std::optional<long long> N = constantArg(Call, 0, Ctx)) {
        F.Capacity = *N;
        F.Unbounded = false;
      } else {
        F.Unbounded = false; // bounded, by an amount we do not know
      }
      break;
    case Effect::None:
      // A method of a user channel that no option describes could send.
      if (F.Kind == ObjectKind::UserChannel)
        F.Escapes = true;
      break;
    default:
      break;
    }
  };
  while (!Work.empty()) {
    Item I = Work.back();
    Work.pop_back();
    if (!I.FD || !I.FD->getBody() || !Seen.insert({I.FD, I.H}).second)
      continue;
    for (const HandleUse &U : Uses.in(I.FD, I.H)) {
      switch (U.K) {
      case HandleUse::CallOn:
        Record(Api.call(U.Call), U.Call, I);
        break;
      case HandleUse::Argument: {
        if (std::optional<SpawnSite> Site = classifySpawn(U.Call, Api)) {
          if (const ParmVarDecl *P = Site->parameterFor(U.Arg)) {
            HandleRef InBody;
            InBody.Root = P;
            Work.push_back({Site->Body.Function, InBody, I.Live});
          } else {
            F.Escapes = true;
          }
          break;
        }
        if (U.Callee && U.Param) {
          HandleRef InCallee;
          InCallee.Root = U.Param;
          Work.push_back({U.Callee, InCallee, I.Live});
          break;
        }
        const ApiCall &A = Api.call(U.Call);
        if (A && A.Handle == U.Arg && A.effect() != Effect::Spawn) {
          Record(A, U.Call, I);
          break;
        }
        F.Escapes = true; // handed to code we cannot see
        break;
      }
      case HandleUse::Constructed: {
        const auto *CE = dyn_cast<CXXConstructExpr>(U.S);
        if (!CE) {
          F.Escapes = true; // an aggregate that keeps it
          break;
        }
        if (std::optional<SpawnSite> Site = classifySpawn(CE, Api)) {
          const ParmVarDecl *P = nullptr;
          for (const SpawnBinding &B : Site->Bindings)
            if (namesHandle(B.Arg, I.H, Api))
              P = B.Param;
          if (P) {
            HandleRef InBody;
            InBody.Root = P;
            Work.push_back({Site->Body.Function, InBody, I.Live});
          } else if (!namesHandle(Site->Callable, I.H, Api)) {
            F.Escapes = true;
          }
          break;
        }
        ObjectKind K = Api.kindOf(CE->getType());
        if (K != ObjectKind::LockGuard && K != ObjectKind::RefWrapper &&
            !CE->getConstructor()->isCopyOrMoveConstructor())
          F.Escapes = true; // an object that keeps it
        else if (CE->getConstructor()->isCopyOrMoveConstructor() &&
                 K == ObjectKind::SmartPointer)
          F.Escapes = true; // a copy we do not follow
        break;
      }
      case HandleUse::Creation:
        if (Buffered)
          if (std::optional<long long> N = constantArg(U.Value, 0, Ctx))
            F.Capacity = *N - 1;
        if (const auto *Make =
                dyn_cast_or_null<CallExpr>(ignoreWrappers(U.Value))) {
          const ApiCall &A = Api.call(Make);
          if (A.effect() == Effect::GetFuture && A.Handle) {
            F.Promise = resolveHandle(A.Handle, Api);
            F.PromiseIn = I.FD;
          }
        }
        break;
      case HandleUse::Returned:
        F.Escapes = true;
        break;
      case HandleUse::Aliased:
        if (!isa<LambdaExpr>(U.S))
          F.Escapes = true;
        break;
      case HandleUse::RangeFor:
        F.Ranges.emplace_back(cast<CXXForRangeStmt>(U.S), I.FD);
        break;
      }
    }
    // Lambdas that capture the channel (or `this`, for a member) are code
    // that uses it.
    forEachStmtInFunction(I.FD->getBody(), [&](const Stmt *S) {
      const auto *L = dyn_cast<LambdaExpr>(S);
      if (!L)
        return true;
      bool Captures = false;
      for (const LambdaCapture &C : L->captures())
        if ((C.capturesVariable() && C.getCapturedVar() == I.H.Root &&
             I.H.Root) ||
            (C.capturesThis() && I.H.isThisBased()))
          Captures = true;
      if (Captures)
        if (const FunctionDecl *Op = callOperatorOf(L))
          Work.push_back({Op, I.H, I.Live});
      return true;
    });
  }
}

} // namespace clang::tidy::taskleak
