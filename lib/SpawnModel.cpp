//===--- SpawnModel.cpp - Spawn sites, task bodies and their bindings -----===//
#include "taskleak/SpawnModel.h"
#include "taskleak/CallGraph.h"
#include "taskleak/LocalMutation.h"
#include "taskleak/Names.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::taskleak {

/// The function with a body that \p FD stands for, or nullptr.
static const FunctionDecl *definitionOf(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def) && Def)
    return Def;
  return nullptr;
}

static const FunctionDecl *functorCallOperator(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD || !RD->hasDefinition())
    return nullptr;
  RD = RD->getDefinition();
  const FunctionDecl *Found = nullptr;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (M->getOverloadedOperator() != OO_Call)
      continue;
    if (Found) // Overloaded operator(): the runtime picks one we cannot tell.
      return nullptr;
    Found = M;
  }
  return definitionOf(Found);
}

TaskBody resolveCallable(const Expr *Callable, ApiModel &Api) {
  TaskBody Body;
  const Expr *E = ignoreWrappers(Callable);
  for (int Depth = 0; E && Depth < 4; ++Depth) {
    if (const auto *L = dyn_cast<LambdaExpr>(E)) {
      Body.Lambda = L;
      Body.Function = callOperatorOf(L);
      return Body;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf)
        return Body;
      E = ignoreWrappers(UO->getSubExpr());
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
        Body.Function = definitionOf(FD);
        return Body;
      }
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        // `auto worker = [&] {...}; std::thread t(worker);`
        if (const LambdaExpr *L = lambdaOf(DRE)) {
          E = L;
          continue;
        }
        Body.Function = functorCallOperator(VD->getType());
        return Body;
      }
      return Body;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      // std::bind(f, args...) and friends: the callable they wrap.
      const ApiCall &A = Api.call(Call);
      if (A.effect() == Effect::BindCallable && A.Handle) {
        E = ignoreWrappers(A.Handle);
        continue;
      }
      return Body;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      // A callable wrapped on the way in (a std::function parameter, a
      // move_only_function, a user's task wrapper): the callable it holds.
      if (CE->getNumArgs() == 1 &&
          !CE->getConstructor()->isCopyOrMoveConstructor()) {
        TaskBody Inner = resolveCallable(CE->getArg(0), Api);
        if (Inner.Function)
          return Inner;
      }
    }
    if (isa<CXXConstructExpr>(E) || isa<InitListExpr>(E) ||
        isa<CXXTemporaryObjectExpr>(E)) {
      Body.Function = functorCallOperator(E->getType());
      return Body;
    }
    return Body;
  }
  return Body;
}

bool isDeferredAsync(const CallExpr *Call) {
  if (Call->getNumArgs() == 0)
    return false;
  const Expr *Policy = Call->getArg(0);
  if (!Policy->getType()->isEnumeralType())
    return false;
  Expr::EvalResult R;
  if (!Policy->EvaluateAsRValue(R, Call->getCalleeDecl()->getASTContext()) ||
      !R.Val.isInt())
    return false;
  // libstdc++ and libc++: async = 1, deferred = 2.
  return R.Val.getInt() == 2;
}

/// The arguments of a spawn expression, in order.
static llvm::SmallVector<const Expr *, 4> argumentsOf(const Expr *Spawn) {
  llvm::SmallVector<const Expr *, 4> Args;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Spawn))
    Args.append(CE->arg_begin(), CE->arg_end());
  else if (const auto *Call = dyn_cast<CallExpr>(Spawn))
    Args.append(Call->arg_begin(), Call->arg_end());
  return Args;
}

/// The arguments after the callable go to the body: std::thread(f, a, b),
/// std::async(policy, f, a), pthread_create(&t, attr, f, arg).
static void bindArguments(SpawnSite &Site) {
  if (Site.Family == SpawnFamily::AsioHandler ||
      Site.Family == SpawnFamily::TbbTask)
    return;
  llvm::SmallVector<const Expr *, 4> Args = argumentsOf(Site.Spawn);
  const auto *It = llvm::find(Args, Site.Callable);
  if (It == Args.end())
    return;
  ++It;
  const FunctionDecl *Body = Site.Body.Function;
  unsigned Param = Site.BodyTakesStopToken ? 1 : 0;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Body);
      MD && MD->isInstance() && !Site.Body.Lambda &&
      MD->getOverloadedOperator() != OO_Call && It != Args.end())
    Site.Bindings.push_back({nullptr, *It++}); // the object it runs on
  for (; It != Args.end(); ++It, ++Param)
    if (Param < Body->getNumParams())
      Site.Bindings.push_back({Body->getParamDecl(Param), *It});
}

const ParmVarDecl *SpawnSite::parameterFor(const Expr *Arg) const {
  for (const SpawnBinding &B : Bindings)
    if (B.Arg == Arg)
      return B.Param;
  return nullptr;
}

std::optional<HandleRef> SpawnSite::spawnerHandle(const HandleRef &InBody,
                                                  ApiModel &Api) const {
  auto Extend = [&](std::optional<HandleRef> Base) -> std::optional<HandleRef> {
    if (!Base)
      return std::nullopt;
    Base->Path.append(InBody.Path.begin(), InBody.Path.end());
    return Base;
  };
  if (InBody.isThisBased() && !Body.Lambda) {
    for (const SpawnBinding &B : Bindings)
      if (!B.Param)
        return Extend(resolveHandle(B.Arg, Api));
    return std::nullopt;
  }
  if (const auto *P = dyn_cast_or_null<ParmVarDecl>(InBody.Root)) {
    for (const SpawnBinding &B : Bindings)
      if (B.Param == P)
        return Extend(resolveHandle(B.Arg, Api));
    if (P->getDeclContext() == Body.Function)
      return std::nullopt;
  }
  if (const auto *VD = dyn_cast_or_null<VarDecl>(InBody.Root))
    if (VD->hasLocalStorage() &&
        VD->getParentFunctionOrMethod() == Body.Function)
      return std::nullopt;
  return InBody;
}

/// The class of the object \p E allocates: `new T(...)`,
/// `std::make_unique<T>`/`make_shared<T>` (also converted to a smart
/// pointer to a base); null for anything else.
static const CXXRecordDecl *createdClass(const Expr *E, ApiModel &Api) {
  for (int Depth = 0; E && Depth < 4; ++Depth) {
    E = ignoreWrappers(E);
    if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
      if (New->isArray())
        return nullptr;
      const CXXRecordDecl *RD = New->getAllocatedType()->getAsCXXRecordDecl();
      return RD ? RD->getDefinition() : nullptr;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const ApiCall &A = Api.call(Call);
      if (!A.Entry || A.Entry->Op != HandleOp::Creates)
        return nullptr;
      const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          recordOf(Call->getType()));
      if (!Spec || Spec->getTemplateArgs().size() == 0 ||
          Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
        return nullptr;
      const CXXRecordDecl *RD =
          Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
      return RD ? RD->getDefinition() : nullptr;
    }
    // `std::unique_ptr<Base> p = std::make_unique<Derived>()`: the
    // converting constructor of the smart pointer.
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      if (CE->getNumArgs() != 1 ||
          Api.kindOf(CE->getType()) != ObjectKind::SmartPointer)
        return nullptr;
      E = CE->getArg(0);
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

/// The class of the object a pointer local holds when it was initialised
/// with an allocation (createdClass) and nothing in its function can point
/// it elsewhere.
static const CXXRecordDecl *createdClassOf(const VarDecl *VD, ApiModel &Api) {
  const Expr *Init = VD->getInit();
  const auto *Fn =
      dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
  if (!Init || !Fn || !Fn->getBody() || mayBeModified(VD, Fn->getBody()))
    return nullptr;
  return createdClass(Init, Api);
}

const CXXRecordDecl *knownDynamicClass(const Expr *E, const SpawnSite *Site,
                                       ApiModel &Api) {
  for (unsigned Depth = 0; E && Depth < 6; ++Depth) {
    E = ignoreWrappers(E);
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf && UO->getOpcode() != UO_Deref)
        return nullptr;
      E = UO->getSubExpr();
      continue;
    }
    if (isa<CXXNewExpr>(E))
      return createdClass(E, Api); // `std::thread(&Job::run, new Spinner)`
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      if (const CXXRecordDecl *RD = createdClass(Call, Api))
        return RD; // `std::make_shared<Spinner>()` passed as the object
      // std::ref(x), p.get(), *p on a smart pointer: what they name.
      const Expr *Inner = nullptr;
      const ApiCall &A = Api.call(Call);
      if (A.effect() == Effect::HandleAccess && A.Handle &&
          (A.kind() == ObjectKind::RefWrapper ||
           A.kind() == ObjectKind::SmartPointer))
        Inner = A.Handle;
      else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
               OC && (OC->getOperator() == OO_Star ||
                      OC->getOperator() == OO_Arrow) &&
               OC->getNumArgs() == 1 &&
               Api.kindOf(OC->getArg(0)->getType()) == ObjectKind::SmartPointer)
        Inner = OC->getArg(0);
      if (!Inner)
        return nullptr;
      E = Inner;
      continue;
    }
    // A data member of class type is a complete object of that class.
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
      QualType T = F ? F->getType() : QualType();
      if (T.isNull() || T->isReferenceType() || T->isPointerType())
        return nullptr;
      const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
      return RD ? RD->getDefinition() : nullptr;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD)
      return nullptr;
    if (const auto *P = dyn_cast<ParmVarDecl>(VD)) {
      if (!Site)
        return nullptr;
      const SpawnBinding *B = llvm::find_if(
          Site->Bindings, [&](const SpawnBinding &B) { return B.Param == P; });
      if (B == Site->Bindings.end())
        return nullptr;
      E = B->Arg;
      continue;
    }
    if (VD->isInitCapture()) {
      // A mutable lambda may point its capture elsewhere.
      if (!Site || !Site->Body.Lambda || Site->Body.Lambda->isMutable())
        return nullptr;
      E = VD->getInit();
      continue;
    }
    QualType T = VD->getType();
    if (T->isReferenceType())
      return nullptr;
    if (T->isPointerType() || Api.kindOf(T) == ObjectKind::SmartPointer)
      return VD->hasLocalStorage() && !VD->isStaticLocal()
                 ? createdClassOf(VD, Api)
                 : nullptr;
    if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
      return RD->getDefinition();
    return nullptr;
  }
  return nullptr;
}

/// The virtual member function \p Callable names (`&Job::run`, also inside
/// std::bind) and the expression of the object it will run on.
static std::pair<const CXXMethodDecl *, const Expr *>
virtualMethodAndObject(const Expr *Callable, const Expr *Spawn,
                       ApiModel &Api) {
  llvm::SmallVector<const Expr *, 4> Args = argumentsOf(Spawn);
  const Expr *E = ignoreWrappers(Callable);
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const ApiCall &A = Api.call(Call);
    if (A.effect() != Effect::BindCallable || !A.Handle)
      return {};
    Args.assign(Call->arg_begin(), Call->arg_end());
    Callable = A.Handle;
    E = ignoreWrappers(A.Handle);
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = ignoreWrappers(UO->getSubExpr());
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *M = DRE ? dyn_cast<CXXMethodDecl>(DRE->getDecl()) : nullptr;
  if (!M || !M->isVirtual())
    return {};
  const auto *It = llvm::find(Args, Callable);
  if (It == Args.end() || ++It == Args.end())
    return {};
  return {M, *It};
}

/// Where a member-function body named through its class dispatches: the
/// override for the object the spawner passes when its class is known
/// (a complete object, a fresh allocation, a final class, an internal
/// hierarchy with one override).
static const FunctionDecl *devirtualisedBody(const Expr *Callable,
                                             const Expr *Spawn, ApiModel &Api) {
  auto [M, Object] = virtualMethodAndObject(Callable, Spawn, Api);
  if (!M)
    return nullptr;
  const SourceManager &SM = M->getASTContext().getSourceManager();
  if (const FunctionDecl *Over =
          overrideIn(M, knownDynamicClass(Object, nullptr, Api), SM))
    return Over;
  QualType T = ignoreWrappers(Object)->getType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return dispatchTarget(M, T->getAsCXXRecordDecl(), SM);
}

static std::optional<SpawnSite> makeSite(const Expr *Spawn, SpawnFamily Family,
                                         const Expr *Callable, ApiModel &Api) {
  if (!Callable)
    return std::nullopt;
  SpawnSite Site;
  Site.Spawn = Spawn;
  Site.Family = Family;
  Site.Callable = Callable;
  Site.Body = resolveCallable(Callable, Api);
  if (!Site.Body.Lambda)
    if (const FunctionDecl *Over = devirtualisedBody(Callable, Spawn, Api))
      Site.Body.Function = Over;
  if (!Site.Body.Function)
    return std::nullopt;
  const FunctionDecl *Body = Site.Body.Function;
  Site.BodyTakesStopToken = Family == SpawnFamily::StdJThread &&
                            Body->getNumParams() > 0 &&
                            Api.isStopToken(Body->getParamDecl(0)->getType());
  bindArguments(Site);
  return Site;
}

std::optional<SpawnSite> classifySpawn(const Expr *E, ApiModel &Api) {
  if (!E || E->isTypeDependent() || E->isValueDependent())
    return std::nullopt;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    ApiCall A = Api.construct(CE);
    if (!A || !A.Handle)
      return std::nullopt;
    // std::thread t(std::move(other)) is a move, not a spawn.
    ObjectKind K = Api.kindOf(A.Handle->getType());
    if (K == ObjectKind::Thread || K == ObjectKind::JThread ||
        K == ObjectKind::BoostThread)
      return std::nullopt;
    return makeSite(CE, A.Entry->Family, A.Handle, Api);
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || Call->getNumArgs() == 0)
    return std::nullopt;
  const ApiCall &A = Api.call(Call);
  if (A.effect() != Effect::Spawn)
    return std::nullopt;
  switch (A.Entry->Family) {
  case SpawnFamily::StdAsync: {
    if (isDeferredAsync(Call))
      return std::nullopt;
    unsigned Index = Call->getArg(0)->getType()->isEnumeralType() ? 1 : 0;
    if (Index >= Call->getNumArgs())
      return std::nullopt;
    return makeSite(Call, SpawnFamily::StdAsync, Call->getArg(Index), Api);
  }
  case SpawnFamily::UserDeclared:
    // The first argument that names a callable is the body.
    for (const Expr *Arg : Call->arguments())
      if (resolveCallable(Arg, Api).Function)
        return makeSite(Call, SpawnFamily::UserDeclared, Arg, Api);
    return std::nullopt;
  case SpawnFamily::AsioHandler:
    if (A.Entry->R == Receiver::Argument && A.Handle) {
      // co_spawn(ex, coroutine(args...), token): the body is the coroutine.
      const auto *Inner = dyn_cast<CallExpr>(ignoreWrappers(A.Handle));
      const FunctionDecl *Co = Inner ? Inner->getDirectCallee() : nullptr;
      const FunctionDecl *Def = definitionOf(Co);
      if (!Def)
        return std::nullopt;
      SpawnSite Site;
      Site.Spawn = Call;
      Site.Family = SpawnFamily::AsioHandler;
      Site.Callable = Inner;
      Site.Body.Function = Def;
      return Site;
    }
    return makeSite(Call, SpawnFamily::AsioHandler, A.Handle, Api);
  default:
    return makeSite(Call, A.Entry->Family, A.Handle, Api);
  }
}

} // namespace clang::tidy::taskleak
