//===--- ObligationModel.cpp - The effect table ---------------------------===//
#include "taskleak/ObligationModel.h"
#include "taskleak/Names.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::taskleak {

static const llvm::StringRef Mutexes[] = {
    "std::mutex", "std::recursive_mutex", "std::timed_mutex",
    "std::recursive_timed_mutex", "std::shared_mutex",
    "std::shared_timed_mutex", "boost::mutex", "boost::recursive_mutex",
    "boost::timed_mutex", "boost::shared_mutex", "boost::fibers::mutex",
    "boost::fibers::recursive_mutex", "boost::fibers::timed_mutex"};
static const llvm::StringRef Semaphores[] = {"std::counting_semaphore",
                                             "std::binary_semaphore"};
static const llvm::StringRef Latches[] = {"std::latch"};
static const llvm::StringRef Promises[] = {"std::promise",
                                           "boost::fibers::promise"};
static const llvm::StringRef Channels[] = {
    "boost::fibers::buffered_channel", "boost::fibers::unbuffered_channel"};

llvm::StringRef releaseName(ObligationKind K) {
  switch (K) {
  case ObligationKind::Mutex: return "unlock()";
  case ObligationKind::Semaphore: return "release()";
  case ObligationKind::LatchArrival: return "count_down()";
  case ObligationKind::Promise: return "set_value()/set_exception()";
  case ObligationKind::WaitGroupDone: return "Done()";
  case ObligationKind::ChannelClose: return "close()";
  case ObligationKind::BarrierDrop: return "arrive_and_drop()";
  }
  return "release";
}

llvm::StringRef heldState(ObligationKind K) {
  switch (K) {
  case ObligationKind::Mutex: return "locked";
  case ObligationKind::Semaphore: return "acquired";
  default: return "pending";
  }
}

const ValueDecl *obligationHandleOf(const Expr *E) {
  for (int Depth = 0; E && Depth < 4; ++Depth) {
    E = ignoreWrappers(E);
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf && UO->getOpcode() != UO_Deref)
        return nullptr;
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (OC->getOperator() != OO_Star && OC->getOperator() != OO_Arrow)
        return nullptr;
      E = OC->getArg(0);
      continue;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (!M || !M->getDeclName().isIdentifier() || M->getName() != "get")
        return nullptr;
      E = MC->getImplicitObjectArgument();
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      // p->field through a smart or raw pointer, this->field
      return ME->getMemberDecl();
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl();
    return nullptr;
  }
  return nullptr;
}

bool isWaitGroupClass(const CXXRecordDecl *RD, const SuiteConfig &Config) {
  if (!RD)
    return false;
  if (!Config.WaitGroupTypes.empty() &&
      hasAnyQualifiedName(RD, Config.WaitGroupTypes))
    return true;
  if (!RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  // Name lookups in the class, not a walk over its members: this runs for
  // every local of class type and every call named Done().
  IdentifierTable &Idents = RD->getASTContext().Idents;
  auto Has = [&](llvm::StringRef Upper, llvm::StringRef Lower) {
    for (llvm::StringRef Name : {Upper, Lower})
      for (const NamedDecl *D : RD->lookup(DeclarationName(&Idents.get(Name))))
        if (isa<CXXMethodDecl>(D) || isa<FunctionTemplateDecl>(D))
          return true;
    return false;
  };
  return Has("Done", "done") && Has("Add", "add") && Has("Wait", "wait");
}

static Effect make(EffectKind K, ObligationKind O, const Expr *HandleExpr) {
  Effect E;
  E.K = K;
  E.Obligation = O;
  E.HandleExpr = HandleExpr;
  E.Handle = obligationHandleOf(HandleExpr);
  if (!E.Handle)
    E.K = EffectKind::None;
  return E;
}

Effect effectOf(const CallExpr *Call, const SuiteConfig &Config) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getDeclName().isIdentifier())
    return {};
  llvm::StringRef Name = Callee->getName();
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  if (!MC) {
    if (Call->getNumArgs() < 1 || !Callee->isExternC())
      return {};
    if (Name == "pthread_mutex_lock")
      return make(EffectKind::Acquire, ObligationKind::Mutex, Call->getArg(0));
    if (Name == "pthread_mutex_unlock")
      return make(EffectKind::Release, ObligationKind::Mutex, Call->getArg(0));
    if (Name == "sem_wait")
      return make(EffectKind::Acquire, ObligationKind::Semaphore, Call->getArg(0));
    if (Name == "sem_post")
      return make(EffectKind::Release, ObligationKind::Semaphore, Call->getArg(0));
    return {};
  }
  const CXXMethodDecl *M = MC->getMethodDecl();
  const CXXRecordDecl *RD = M ? M->getParent() : nullptr;
  const Expr *Obj = MC->getImplicitObjectArgument();
  if (!RD || !Obj)
    return {};
  if (hasAnyQualifiedName(RD, Mutexes)) {
    if (Name == "lock" || Name == "lock_shared")
      return make(EffectKind::Acquire, ObligationKind::Mutex, Obj);
    if (Name == "unlock" || Name == "unlock_shared")
      return make(EffectKind::Release, ObligationKind::Mutex, Obj);
    if (Name.starts_with("try_lock"))
      return make(EffectKind::TryAcquire, ObligationKind::Mutex, Obj);
    return {};
  }
  if (hasAnyQualifiedName(RD, Semaphores)) {
    if (Name == "acquire")
      return make(EffectKind::Acquire, ObligationKind::Semaphore, Obj);
    if (Name == "release")
      return make(EffectKind::Release, ObligationKind::Semaphore, Obj);
    if (Name.starts_with("try_acquire"))
      return make(EffectKind::TryAcquire, ObligationKind::Semaphore, Obj);
    return {};
  }
  if (hasAnyQualifiedName(RD, Latches)) {
    if (Name == "count_down" || Name == "arrive_and_wait")
      return make(EffectKind::Release, ObligationKind::LatchArrival, Obj);
    return {};
  }
  if (hasAnyQualifiedName(RD, Promises)) {
    if (Name.starts_with("set_value") || Name.starts_with("set_exception"))
      return make(EffectKind::Release, ObligationKind::Promise, Obj);
    return {};
  }
  if (hasAnyQualifiedName(RD, Channels) ||
      (!Config.ChannelTypes.empty() &&
       hasAnyQualifiedName(RD, Config.ChannelTypes))) {
    if (Name == "close" || (!Config.CloseMethods.empty() &&
                            hasAnyQualifiedName(M, Config.CloseMethods)))
      return make(EffectKind::Release, ObligationKind::ChannelClose, Obj);
    return {};
  }
  if (!Config.CloseMethods.empty() && hasAnyQualifiedName(M, Config.CloseMethods))
    return make(EffectKind::Release, ObligationKind::ChannelClose, Obj);
  if ((Name == "Done" || Name == "done") && isWaitGroupClass(RD, Config))
    return make(EffectKind::Release, ObligationKind::WaitGroupDone, Obj);
  return {};
}

} // namespace clang::tidy::taskleak
