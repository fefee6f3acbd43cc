//===--- SpawnModel.cpp - Spawn sites and task bodies ---------------------===//
#include "taskleak/SpawnModel.h"
#include "taskleak/Names.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::taskleak {

llvm::StringRef spawnFamilyName(SpawnFamily F) {
  switch (F) {
  case SpawnFamily::StdThread: return "std::thread";
  case SpawnFamily::StdJThread: return "std::jthread";
  case SpawnFamily::StdAsync: return "std::async";
  case SpawnFamily::PThread: return "pthread_create";
  case SpawnFamily::BoostThread: return "boost::thread";
  case SpawnFamily::BoostFiber: return "boost::fibers::fiber";
  case SpawnFamily::AsioHandler: return "asio completion handler";
  case SpawnFamily::TbbTask: return "tbb task";
  case SpawnFamily::UserDeclared: return "user-declared spawn function";
  }
  return "task";
}

static const llvm::StringRef BindFunctions[] = {
    "std::bind", "std::bind_front", "boost::bind", "boost::beast::bind_front_handler",
    "boost::beast::bind_handler", "boost::asio::bind_executor"};

/// The function with a body that \p FD stands for, or nullptr.
static const FunctionDecl *definitionOf(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def) && Def)
    return Def;
  return nullptr;
}

/// A lambda's call operator; for a generic lambda, its first instantiation
/// (asio instantiates handlers with the real error_code type).
static const FunctionDecl *lambdaBody(const LambdaExpr *L) {
  const CXXMethodDecl *Op = L->getCallOperator();
  if (const FunctionTemplateDecl *FTD = L->getDependentCallOperator())
    for (const FunctionDecl *Spec : FTD->specializations())
      if (const FunctionDecl *Def = definitionOf(Spec))
        return Def;
  return definitionOf(Op);
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

TaskBody resolveCallable(const Expr *Callable) {
  TaskBody Body;
  const Expr *E = ignoreWrappers(Callable);
  for (int Depth = 0; E && Depth < 4; ++Depth) {
    if (const auto *L = dyn_cast<LambdaExpr>(E)) {
      Body.Lambda = L;
      Body.Function = lambdaBody(L);
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
        if (VD->isLocalVarDecl() && VD->getInit() &&
            !VD->getType()->isReferenceType() &&
            isa<LambdaExpr>(ignoreWrappers(VD->getInit()))) {
          E = ignoreWrappers(VD->getInit());
          continue;
        }
        Body.Function = functorCallOperator(VD->getType());
        return Body;
      }
      return Body;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (Callee && Call->getNumArgs() > 0 &&
          hasAnyQualifiedName(Callee, BindFunctions)) {
        E = ignoreWrappers(Call->getArg(0));
        continue;
      }
      return Body;
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

static bool isThreadLike(QualType T, bool &IsJThread) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return false;
  static const llvm::StringRef Threads[] = {"std::thread", "boost::thread"};
  static const llvm::StringRef JThreads[] = {"std::jthread"};
  IsJThread = hasAnyQualifiedName(RD, JThreads);
  return IsJThread || hasAnyQualifiedName(RD, Threads);
}

static bool isLaunchOrAllocatorArg(const Expr *Arg) {
  QualType T = Arg->getType();
  if (T->isEnumeralType())
    return true; // boost::fibers::launch, std::launch
  if (const CXXRecordDecl *RD = recordOf(T)) {
    llvm::StringRef N = RD->getName();
    if (N == "allocator_arg_t" || N.contains("stack") || N.contains("salloc"))
      return true;
  }
  return false;
}

static bool takesStopToken(const FunctionDecl *FD) {
  if (!FD || FD->getNumParams() == 0)
    return false;
  static const llvm::StringRef Token[] = {"std::stop_token"};
  return hasAnyQualifiedName(recordOf(FD->getParamDecl(0)->getType()), Token);
}

static bool isAsioNamespaceDecl(const NamedDecl *D) {
  return isInNamespace(D, "asio") || isInNamespace(D, "beast");
}

static bool isTbbSpawnMethod(const CXXMethodDecl *M) {
  if (!M->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Name = M->getName();
  if (Name != "run" && Name != "enqueue")
    return false;
  const CXXRecordDecl *RD = M->getParent();
  if (!RD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Class = RD->getName();
  if (Class != "task_group" && Class != "task_group_base" &&
      Class != "structured_task_group" && Class != "task_arena")
    return false;
  for (const DeclContext *DC = RD->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      if (NS->getDeclName().isIdentifier() && NS->getName() == "tbb")
        return true;
  return false;
}

static std::optional<SpawnSite> makeSite(const Expr *Spawn, SpawnFamily Family,
                                         const Expr *Callable) {
  if (!Callable)
    return std::nullopt;
  SpawnSite Site;
  Site.Spawn = Spawn;
  Site.Family = Family;
  Site.Callable = Callable;
  Site.Body = resolveCallable(Callable);
  if (!Site.Body.Function)
    return std::nullopt;
  Site.BodyTakesStopToken =
      Family == SpawnFamily::StdJThread && takesStopToken(Site.Body.Function);
  return Site;
}

static std::optional<SpawnSite> classifyConstruct(const CXXConstructExpr *CE) {
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (!Ctor || Ctor->isCopyOrMoveConstructor() || CE->getNumArgs() == 0)
    return std::nullopt;
  const CXXRecordDecl *RD = Ctor->getParent();
  if (!RD->getDeclName().isIdentifier())
    return std::nullopt;
  llvm::StringRef Name = RD->getName();
  if (Name != "thread" && Name != "jthread" && Name != "fiber")
    return std::nullopt;
  bool IsJThread = false;
  if (isThreadLike(CE->getType(), IsJThread)) {
    bool IsBoost = !IsJThread && hasAnyQualifiedName(RD, {llvm::StringRef("boost::thread")});
    return makeSite(CE,
                    IsJThread ? SpawnFamily::StdJThread
                              : IsBoost ? SpawnFamily::BoostThread
                                        : SpawnFamily::StdThread,
                    CE->getArg(0));
  }
  static const llvm::StringRef Fibers[] = {"boost::fibers::fiber"};
  if (hasAnyQualifiedName(RD, Fibers)) {
    for (const Expr *Arg : CE->arguments())
      if (!isLaunchOrAllocatorArg(Arg))
        return makeSite(CE, SpawnFamily::BoostFiber, Arg);
  }
  return std::nullopt;
}

static std::optional<SpawnSite> classifyCall(const CallExpr *Call,
                                             const SuiteConfig &Config) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getDeclName().isIdentifier() || Call->getNumArgs() == 0)
    return std::nullopt;
  llvm::StringRef Name = Callee->getName();

  if (const auto *M = dyn_cast<CXXMethodDecl>(Callee)) {
    // threads.emplace_back(body, args...) constructs the thread inside the
    // library; push_back(std::thread(...)) is matched at its constructor.
    if (Name == "emplace_back" || Name == "emplace") {
      QualType Value;
      if (const auto *Spec =
              dyn_cast<ClassTemplateSpecializationDecl>(M->getParent()))
        if (Spec->getTemplateArgs().size() > 0 &&
            Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
          Value = Spec->getTemplateArgs()[0].getAsType();
      bool IsJThread = false;
      if (!Value.isNull() && isThreadLike(Value, IsJThread)) {
        const Expr *First = Call->getArg(0);
        bool IsThreadArg = false;
        if (isThreadLike(First->getType(), IsThreadArg))
          return std::nullopt; // emplace_back(std::move(t))
        return makeSite(Call,
                        IsJThread ? SpawnFamily::StdJThread : SpawnFamily::StdThread,
                        First);
      }
      return std::nullopt;
    }
    if (isTbbSpawnMethod(M))
      return makeSite(Call, SpawnFamily::TbbTask, Call->getArg(0));
    if ((Name.starts_with("async_") || Name == "post" || Name == "dispatch") &&
        isAsioNamespaceDecl(M))
      return makeSite(Call, SpawnFamily::AsioHandler,
                      Call->getArg(Call->getNumArgs() - 1));
  } else {
    static const llvm::StringRef Async[] = {"std::async"};
    if (Name == "async" && hasAnyQualifiedName(Callee, Async)) {
      if (isDeferredAsync(Call))
        return std::nullopt;
      unsigned Index = Call->getArg(0)->getType()->isEnumeralType() ? 1 : 0;
      if (Index >= Call->getNumArgs())
        return std::nullopt;
      return makeSite(Call, SpawnFamily::StdAsync, Call->getArg(Index));
    }
    if (Name == "pthread_create" && Call->getNumArgs() == 4 &&
        Callee->isExternC())
      return makeSite(Call, SpawnFamily::PThread, Call->getArg(2));
    if (isAsioNamespaceDecl(Callee)) {
      if (Name == "post" || Name == "dispatch" || Name == "defer" ||
          Name.starts_with("async_"))
        return makeSite(Call, SpawnFamily::AsioHandler,
                        Call->getArg(Call->getNumArgs() - 1));
      if (Name == "co_spawn" && Call->getNumArgs() >= 2) {
        // co_spawn(ex, coroutine(args...), token): the body is the coroutine.
        if (const auto *Inner =
                dyn_cast<CallExpr>(ignoreWrappers(Call->getArg(1))))
          if (const FunctionDecl *Co = Inner->getDirectCallee()) {
            const FunctionDecl *Def = nullptr;
            if (Co->hasBody(Def) && Def) {
              SpawnSite Site;
              Site.Spawn = Call;
              Site.Family = SpawnFamily::AsioHandler;
              Site.Callable = Inner;
              Site.Body.Function = Def;
              return Site;
            }
          }
        return std::nullopt;
      }
    }
  }
  if (!Config.SpawnFunctions.empty() &&
      hasAnyQualifiedName(Callee, Config.SpawnFunctions)) {
    for (const Expr *Arg : Call->arguments()) {
      TaskBody Body = resolveCallable(Arg);
      if (Body.Function)
        return makeSite(Call, SpawnFamily::UserDeclared, Arg);
    }
  }
  return std::nullopt;
}

std::optional<SpawnSite> classifySpawn(const Expr *E, const SuiteConfig &Config) {
  if (!E || E->isTypeDependent() || E->isValueDependent())
    return std::nullopt;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return classifyConstruct(CE);
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return classifyCall(Call, Config);
  return std::nullopt;
}

} // namespace clang::tidy::taskleak
