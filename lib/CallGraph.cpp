//===--- CallGraph.cpp - Following calls, once, for every analysis --------===//
#include "taskleak/CallGraph.h"
#include "taskleak/LoopTermination.h"
#include "taskleak/Names.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::taskleak {

void forEachStmtInFunction(const Stmt *S,
                           llvm::function_ref<bool(const Stmt *)> Fn) {
  if (!S)
    return;
  if (!Fn(S))
    return;
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    // A nested lambda is its own function: only its capture initialisers run
    // here.
    for (const Expr *Init : L->capture_inits())
      forEachStmtInFunction(Init, Fn);
    return;
  }
  if (isa<BlockExpr>(S))
    return;
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        forEachStmtInFunction(VD->getInit(), Fn);
    return;
  }
  for (const Stmt *Child : S->children())
    forEachStmtInFunction(Child, Fn);
}

const FunctionDecl *followableCallee(const CallExpr *Call,
                                     const SourceManager &SM) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return nullptr;
  if (const auto *M = dyn_cast<CXXMethodDecl>(Callee)) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
    const auto *ME =
        MC ? dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()) : nullptr;
    // `Base::run()`, `o.Open::run()`: a qualified call is not dispatched.
    bool Qualified = ME && ME->hasQualifier();
    if (M->isVirtual() && !Qualified) {
      // Only when the call cannot reach an override we do not see.
      const Expr *Base = MC ? MC->getImplicitObjectArgument() : nullptr;
      const CXXMethodDecl *Dev =
          Base ? M->getDevirtualizedMethod(Base, /*IsAppleKext=*/false)
               : nullptr;
      if (!Dev) {
        // (Final classes and methods are getDevirtualizedMethod's.) A class
        // with internal linkage has every class derived from it here.
        const CXXRecordDecl *Static = nullptr;
        if (Base && !Base->isTypeDependent()) {
          QualType T = Base->getType();
          if (T->isPointerType())
            T = T->getPointeeType();
          Static = T->getAsCXXRecordDecl();
        }
        if (!Static || Static->isExternallyVisible())
          return nullptr;
        return dispatchTarget(M, Static, SM);
      }
      Callee = Dev;
    }
  }
  const FunctionDecl *Def = nullptr;
  if (!Callee->hasBody(Def) || !Def)
    return nullptr;
  if (SM.isInSystemHeader(Def->getLocation()))
    return nullptr;
  return Def;
}

const FunctionDecl *overrideIn(const CXXMethodDecl *M, const CXXRecordDecl *RD,
                               const SourceManager &SM) {
  if (!M || !M->isVirtual() || !RD || !RD->hasDefinition())
    return nullptr;
  const CXXMethodDecl *Final =
      M->getCorrespondingMethodInClass(RD->getDefinition());
  const FunctionDecl *Def = nullptr;
  if (!Final || Final->isPureVirtual() || !Final->hasBody(Def) || !Def ||
      SM.isInSystemHeader(Def->getLocation()))
    return nullptr;
  return Def;
}

const FunctionDecl *dispatchTarget(const CXXMethodDecl *M,
                                   const CXXRecordDecl *Static,
                                   const SourceManager &SM) {
  if (!M || !M->isVirtual() || !Static || !Static->hasDefinition())
    return nullptr;
  Static = Static->getDefinition();
  if (Static->hasAttr<FinalAttr>())
    return overrideIn(M, Static, SM);
  const CXXMethodDecl *Inherited = M->getCorrespondingMethodInClass(Static);
  if (!Inherited)
    return nullptr;
  if (Inherited->hasAttr<FinalAttr>())
    return overrideIn(M, Static, SM);
  // A class another TU can derive from may run an override we never see.
  CallGraphIndex *Index = CallGraphIndex::active();
  if (Static->isExternallyVisible() || !Index ||
      &Index->sourceManager() != &SM)
    return nullptr;
  // The non-pure methods a call can reach: the one Static has, and every
  // override below it.
  llvm::SmallVector<const CXXMethodDecl *, 4> Work{Inherited};
  llvm::SmallPtrSet<const CXXMethodDecl *, 8> Seen{
      Inherited->getCanonicalDecl()};
  const CXXMethodDecl *Target = nullptr;
  while (!Work.empty()) {
    const CXXMethodDecl *C = Work.pop_back_val();
    if (!C->isPureVirtual()) {
      if (Target)
        return nullptr; // Two candidates: the runtime picks.
      Target = C;
    }
    for (const CXXMethodDecl *O : Index->overridersOf(C))
      if (Seen.insert(O->getCanonicalDecl()).second)
        Work.push_back(O);
  }
  const FunctionDecl *Def = nullptr;
  if (!Target || !Target->hasBody(Def) || !Def ||
      SM.isInSystemHeader(Def->getLocation()))
    return nullptr;
  return Def;
}

static thread_local CallGraphIndex *ActiveIndex = nullptr;

CallGraphIndex::CallGraphIndex(const SourceManager &SM) : SM(SM) {
  ActiveIndex = this;
}

CallGraphIndex::~CallGraphIndex() {
  if (ActiveIndex == this)
    ActiveIndex = nullptr;
}

CallGraphIndex *CallGraphIndex::active() { return ActiveIndex; }

void CallGraphIndex::indexOverriders(const DeclContext *DC) {
  // noload_decls: what the TU itself declared (in clangd, the preamble's
  // declarations stay where they are; a class with internal linkage in the
  // main file has every derived class in the main file too).
  for (const Decl *D : DC->noload_decls()) {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(D))
      for (const CXXMethodDecl *O : MD->overridden_methods())
        Overriders[O->getCanonicalDecl()].push_back(MD);
    if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D))
      for (const ClassTemplateSpecializationDecl *Spec :
           CTD->specializations())
        indexOverriders(Spec);
    if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(D))
      for (const FunctionDecl *Spec : FTD->specializations())
        indexOverriders(Spec);
    if (const auto *Inner = dyn_cast<DeclContext>(D))
      indexOverriders(Inner);
  }
}

llvm::ArrayRef<const CXXMethodDecl *>
CallGraphIndex::overridersOf(const CXXMethodDecl *M) {
  if (!OverridersBuilt) {
    OverridersBuilt = true;
    indexOverriders(M->getASTContext().getTranslationUnitDecl());
  }
  auto It = Overriders.find(M->getCanonicalDecl());
  if (It == Overriders.end())
    return {};
  return It->second;
}

const FunctionDecl *callOperatorOf(const LambdaExpr *L) {
  auto WithBody = [](const FunctionDecl *FD) -> const FunctionDecl * {
    const FunctionDecl *Def = nullptr;
    return FD && FD->hasBody(Def) ? Def : nullptr;
  };
  if (const FunctionTemplateDecl *FTD = L->getDependentCallOperator())
    for (const FunctionDecl *Spec : FTD->specializations())
      if (const FunctionDecl *Def = WithBody(Spec))
        return Def;
  return WithBody(L->getCallOperator());
}

const LambdaExpr *lambdaOf(const Expr *E) {
  E = ignoreWrappers(E);
  if (const auto *L = dyn_cast_or_null<LambdaExpr>(E))
    return L;
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->isLocalVarDecl() && VD->getInit() &&
          !VD->getType()->isReferenceType())
        return dyn_cast<LambdaExpr>(ignoreWrappers(VD->getInit()));
  return nullptr;
}

llvm::ArrayRef<CallEdge> CallGraphIndex::callees(const FunctionDecl *FD) {
  auto It = Edges.find(FD);
  if (It != Edges.end())
    return It->second;
  std::vector<CallEdge> Result;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = followableCallee(Call, SM))
        Result.push_back({Call, Callee});
    return true;
  });
  return Edges[FD] = std::move(Result);
}

std::vector<CallGraphIndex::Reached>
CallGraphIndex::reachableFrom(const FunctionDecl *Root) {
  std::vector<Reached> Result;
  if (!Root)
    return Result;
  llvm::SmallPtrSet<const FunctionDecl *, 16> Seen;
  Seen.insert(Root);
  Result.push_back({Root, {}});
  for (size_t I = 0; I < Result.size(); ++I) {
    // Copy: push_back below may move Result's storage.
    const FunctionDecl *FD = Result[I].Function;
    for (const CallEdge &E : callees(FD)) {
      if (!Seen.insert(E.Callee).second)
        continue;
      Reached Next{E.Callee, Result[I].Chain};
      Next.Chain.push_back(E.Call);
      Result.push_back(std::move(Next));
    }
  }
  return Result;
}

void CallGraphIndex::sccsFrom(
    const FunctionDecl *Root,
    llvm::function_ref<bool(const FunctionDecl *)> Done,
    llvm::function_ref<void(llvm::ArrayRef<const FunctionDecl *>)> Visit) {
  // Tarjan's algorithm, iterative: call chains in generated code can be
  // deeper than a native stack should go.
  struct Frame {
    const FunctionDecl *FD;
    size_t NextEdge;
  };
  llvm::DenseMap<const FunctionDecl *, unsigned> Index, Low;
  llvm::SmallPtrSet<const FunctionDecl *, 16> OnStack;
  std::vector<const FunctionDecl *> Stack;
  std::vector<Frame> Frames;
  unsigned Counter = 0;
  auto Push = [&](const FunctionDecl *FD) {
    Index[FD] = Low[FD] = Counter++;
    Stack.push_back(FD);
    OnStack.insert(FD);
    Frames.push_back({FD, 0});
  };
  if (Done(Root))
    return;
  Push(Root);
  while (!Frames.empty()) {
    Frame &F = Frames.back();
    llvm::ArrayRef<CallEdge> Out = callees(F.FD);
    if (F.NextEdge < Out.size()) {
      const FunctionDecl *Next = Out[F.NextEdge++].Callee;
      if (Done(Next))
        continue;
      if (!Index.count(Next)) {
        Push(Next);
      } else if (OnStack.count(Next)) {
        Low[F.FD] = std::min(Low[F.FD], Index[Next]);
      }
      continue;
    }
    const FunctionDecl *FD = F.FD;
    Frames.pop_back();
    if (!Frames.empty())
      Low[Frames.back().FD] = std::min(Low[Frames.back().FD], Low[FD]);
    if (Low[FD] != Index[FD])
      continue;
    llvm::SmallVector<const FunctionDecl *, 4> Component;
    const FunctionDecl *Member = nullptr;
    do {
      Member = Stack.back();
      Stack.pop_back();
      OnStack.erase(Member);
      Component.push_back(Member);
    } while (Member != FD);
    Visit(Component);
  }
}

} // namespace clang::tidy::taskleak
