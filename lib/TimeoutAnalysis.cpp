//===--- TimeoutAnalysis.cpp - Network calls with no bound ----------------===//
#include "taskleak/TimeoutAnalysis.h"
#include "taskleak/Names.h"
#include "taskleak/SpawnModel.h"
#include "taskleak/TimerRearm.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>
#include <set>

namespace clang::tidy::taskleak {

//===--- Handle facts -----------------------------------------------------===//

enum class UseKind {
  Bounds,
  Insufficient,
  Benign,
  Unknown,
  /// libcurl's LOW_SPEED_LIMIT / LOW_SPEED_TIME: a bound only together.
  LowSpeedLimit,
  LowSpeedTime
};
/// What one call does to the bound.
struct HandleUse_ {
  UseKind K = UseKind::Unknown;
  std::string What;
};

/// Classifies one call that involves the handle: as receiver (ArgIndex < 0)
/// or as argument ArgIndex.
using UseClassifier = std::function<HandleUse_(const CallExpr *, int ArgIndex)>;

struct TimeoutAnalysis::HandleFacts {
  /// The calls of the scanned scope's top function that bound the handle
  /// (directly, or by calling a helper that does).
  llvm::SmallVector<const CallExpr *, 2> Bounds;
  bool Escaped = false;
  const Stmt *Creation = nullptr;
  const CallExpr *LowLimit = nullptr, *LowTime = nullptr;
  llvm::SmallVector<std::pair<const CallExpr *, std::string>, 2> Insufficient;

  void merge(const HandleFacts &Inner, const CallExpr *Via) {
    if (!Inner.Bounds.empty())
      Bounds.push_back(Via);
    Escaped |= Inner.Escaped;
    if (Inner.LowLimit)
      LowLimit = Via;
    if (Inner.LowTime)
      LowTime = Via;
    Insufficient.append(Inner.Insufficient.begin(), Inner.Insufficient.end());
  }
  bool bounded() const { return !Bounds.empty() || (LowLimit && LowTime); }
};

/// The member a method returns by reference and does nothing else with
/// (`tcp::socket &sock() { return sock_; }`), or null.
static const FieldDecl *accessedField(const FunctionDecl *Def) {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(Def);
  if (!M || M->getNumParams() || !M->getReturnType()->isReferenceType() ||
      !M->getBody())
    return nullptr;
  const auto *Body = dyn_cast<CompoundStmt>(M->getBody());
  if (!Body || Body->size() != 1)
    return nullptr;
  const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
  const auto *ME =
      Ret && Ret->getRetValue()
          ? dyn_cast<MemberExpr>(ignoreWrappers(Ret->getRetValue()))
          : nullptr;
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}
static bool isAccessor(const FunctionDecl *FD) {
  return accessedField(FD) != nullptr;
}

/// Reads what the functions that can touch a handle do to it, following it
/// into the functions of this TU that receive it.
struct TimeoutAnalysis::Scanner {
  ApiModel &Api;
  HandleUses &Uses;
  const UseClassifier &Classify;
  const CallExpr *Blocking;
  std::set<std::pair<const FunctionDecl *, HandleRef>> Visited;

  void scan(const FunctionDecl *FD, const HandleRef &H, HandleFacts &F) {
    if (!FD || !FD->getBody() || !Visited.insert({FD, H}).second)
      return;
    for (const HandleUse &U : Uses.in(FD, H)) {
      switch (U.K) {
      case HandleUse::Creation:
        if (!F.Creation && U.Value)
          F.Creation = ignoreWrappers(U.Value);
        break;
      case HandleUse::Returned: // whoever gets it may set anything
        // ... except a class's own accessor (`tcp::socket &sock() { return
        // sock_; }`): its calls name the member, and are followed as such.
        if (!isAccessor(FD))
          F.Escaped = true;
        break;
      case HandleUse::Aliased:
        F.Escaped = true;
        break;
      case HandleUse::Constructed:
      case HandleUse::RangeFor:
        break;
      case HandleUse::CallOn:
        if (U.Call != Blocking)
          record(Classify(U.Call, -1), U.Call, F);
        break;
      case HandleUse::Argument: {
        if (U.Call == Blocking)
          break;
        HandleUse_ R = Classify(U.Call, U.ArgIndex);
        if (R.K == UseKind::Unknown)
          R = follow(U, F);
        record(R, U.Call, F);
        break;
      }
      }
    }
  }

  void record(const HandleUse_ &U, const CallExpr *Call, HandleFacts &F) {
    switch (U.K) {
    case UseKind::Bounds:
      F.Bounds.push_back(Call);
      break;
    case UseKind::Insufficient:
      F.Insufficient.emplace_back(Call, U.What);
      break;
    case UseKind::Unknown:
      F.Escaped = true;
      break;
    case UseKind::LowSpeedLimit:
      F.LowLimit = Call;
      break;
    case UseKind::LowSpeedTime:
      F.LowTime = Call;
      break;
    case UseKind::Benign:
      break;
    }
  }

  /// The handle is passed to a function that is not part of the client's
  /// API: a user timeout setter, a helper of this TU (followed), or unknown
  /// code (an escape).
  HandleUse_ follow(const HandleUse &U, HandleFacts &F) {
    if (Api.isTimeoutSetter(U.Call->getDirectCallee()))
      return {UseKind::Bounds, ""};
    if (!U.Callee || !U.Param)
      return {UseKind::Unknown, ""};
    HandleFacts Inner;
    HandleRef InCallee;
    InCallee.Root = U.Param;
    scan(U.Callee, InCallee, Inner);
    if (Inner.Escaped)
      return {UseKind::Unknown, ""};
    F.merge(Inner, U.Call);
    return {UseKind::Benign, ""};
  }
};

TimeoutAnalysis::TimeoutAnalysis(ASTContext &Ctx, ApiModel &Api,
                                 HandleUses &Uses, PathSearch &Paths)
    : Ctx(Ctx), Api(Api), Uses(Uses), Paths(Paths) {}
TimeoutAnalysis::~TimeoutAnalysis() = default;

/// False only when \p E is a constant zero (0 means "no timeout" to curl).
static bool nonZero(const Expr *E, const ASTContext &Ctx) {
  Expr::EvalResult R;
  if (E->EvaluateAsRValue(R, Ctx) && R.Val.isInt())
    return R.Val.getInt() != 0;
  return true;
}

static llvm::StringRef enumName(const Expr *E) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
      return EC->getName();
  return "";
}

/// True when \p E is a constant zero, or a value built only from constant
/// zeros (`cpr::Timeout{0}`, `std::chrono::milliseconds(0)`).
static bool isZeroValue(const Expr *E, const ASTContext &Ctx) {
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = ignoreWrappers(E);
    if (const auto *FC = dyn_cast<ExplicitCastExpr>(E)) {
      E = FC->getSubExpr();
      continue;
    }
    if (E->getType()->isIntegerType() || E->getType()->isFloatingType()) {
      Expr::EvalResult R;
      if (!E->EvaluateAsRValue(R, Ctx))
        return false;
      if (R.Val.isInt())
        return R.Val.getInt() == 0;
      if (R.Val.isFloat())
        return R.Val.getFloat().isZero();
      return false;
    }
    if (const auto *IL = dyn_cast<InitListExpr>(E))
      return IL->getNumInits() > 0 &&
             llvm::all_of(IL->inits(),
                          [&](const Expr *I) { return isZeroValue(I, Ctx); });
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      if (CE->getNumArgs() == 1) {
        E = CE->getArg(0);
        continue;
      }
      return CE->getNumArgs() > 0 &&
             llvm::all_of(CE->arguments(),
                          [&](const Expr *A) { return isZeroValue(A, Ctx); });
    }
    return false;
  }
  return false;
}

/// The function a callback argument names: a function, `&f`, a lambda
/// (also converted with `+`).
static const FunctionDecl *callbackFunction(const Expr *E) {
  for (int Depth = 0; E && Depth < 6; ++Depth) {
    E = ignoreWrappers(E);
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *Cast = dyn_cast<CastExpr>(E)) {
      E = Cast->getSubExpr();
      continue;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      // A lambda's conversion to a function pointer.
      E = MC->getImplicitObjectArgument();
      continue;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      return callOperatorOf(L);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
        const FunctionDecl *Def = nullptr;
        return FD->hasBody(Def) ? Def : nullptr;
      }
      if (const LambdaExpr *L = lambdaOf(DRE))
        return callOperatorOf(L);
    }
    return nullptr;
  }
  return nullptr;
}

/// True when \p Callback is a function of this TU all of whose returns give
/// a constant 0: a libcurl progress callback that never aborts.
static bool alwaysReturnsZero(const Expr *Callback, const ASTContext &Ctx) {
  const FunctionDecl *Fn = callbackFunction(Callback);
  if (!Fn || !Fn->getBody())
    return false;
  bool Any = false, AllZero = true;
  forEachStmtInFunction(Fn->getBody(), [&](const Stmt *S) {
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      Any = true;
      AllZero &= R->getRetValue() && isZeroValue(R->getRetValue(), Ctx);
    }
    return AllZero;
  });
  return Any && AllZero;
}

/// A literal loopback host: a server the program (or its test) started.
static bool isLoopbackText(llvm::StringRef S) {
  if (S == "::1")
    return true;
  for (llvm::StringRef Host : {"localhost", "127.0.0.1", "[::1]"}) {
    if (S == Host)
      return true;
    // A URL whose host is exactly the loopback name.
    size_t At = S.find(("://" + Host).str());
    if (At == llvm::StringRef::npos)
      continue;
    llvm::StringRef Rest = S.drop_front(At + 3 + Host.size());
    if (Rest.empty() || Rest.front() == ':' || Rest.front() == '/' ||
        Rest.front() == '?')
      return true;
  }
  return false;
}

/// True when \p S spells a loopback host, directly or in the initialiser of
/// a local it names (`tcp::endpoint ep(make_address("127.0.0.1"), 80)`).
static bool mentionsLoopback(const Stmt *S, int Depth = 0) {
  if (!S || Depth > 3)
    return false;
  if (const auto *SL = dyn_cast<StringLiteral>(S))
    return SL->getCharByteWidth() == 1 && isLoopbackText(SL->getString());
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage() && VD->getInit() && !isa<ParmVarDecl>(VD))
        return mentionsLoopback(VD->getInit(), Depth + 1);
  for (const Stmt *Child : S->children())
    if (mentionsLoopback(Child, Depth))
      return true;
  return false;
}

static llvm::StringRef calleeName(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  return FD && FD->getDeclName().isIdentifier() ? FD->getName() : "";
}

static ObjectKind clientKindOf(ClientFamily F) {
  switch (F) {
  case ClientFamily::Curl:
  case ClientFamily::CurlMulti:
    return ObjectKind::CurlEasy;
  case ClientFamily::Grpc:
    return ObjectKind::GrpcContext;
  case ClientFamily::BeastStream:
    return ObjectKind::BeastStream;
  case ClientFamily::RawSocket:
    return ObjectKind::RawSocket;
  case ClientFamily::Websocket:
    return ObjectKind::Websocket;
  case ClientFamily::Cpr:
    return ObjectKind::CprSession;
  case ClientFamily::CprMulti:
    return ObjectKind::CprMulti;
  case ClientFamily::Httplib:
    return ObjectKind::HttplibClient;
  case ClientFamily::SocketIostream:
    return ObjectKind::SocketIostream;
  }
  return ObjectKind::None;
}

/// How each family's calls on (or with) a handle affect its bound.
static UseClassifier classifierFor(ClientFamily Family, ApiModel &Api,
                                   ASTContext &Ctx) {
  ObjectKind Client = clientKindOf(Family);
  return [Family, Client, &Api, &Ctx](const CallExpr *Use,
                                      int Arg) -> HandleUse_ {
    const FunctionDecl *Fn = Use->getDirectCallee();
    switch (Family) {
    case ClientFamily::Curl:
    case ClientFamily::CurlMulti: {
      if (!Api.isCurlFunction(Fn))
        return {UseKind::Unknown, ""};
      if (!Api.isCurlSetopt(Fn) || Arg != 0 || Use->getNumArgs() < 3)
        return {UseKind::Benign, ""};
      bool Set = nonZero(Use->getArg(2), Ctx);
      llvm::StringRef Opt = enumName(Use->getArg(1));
      switch (Api.curlOption(Use->getArg(1))) {
      case CurlOption::Timeout:
        return Set ? HandleUse_{UseKind::Bounds, ""}
                   : HandleUse_{
                         UseKind::Insufficient,
                         (Opt + " is set to 0, which means no timeout").str()};
      case CurlOption::LowSpeedLimit:
        return {Set ? UseKind::LowSpeedLimit : UseKind::Benign, ""};
      case CurlOption::LowSpeedTime:
        return {Set ? UseKind::LowSpeedTime : UseKind::Benign, ""};
      // A progress callback can abort the transfer (returning non-zero),
      // which is how applications implement their own deadlines.
      // One that always returns 0 never aborts anything.
      case CurlOption::ProgressCallback:
        if (!Set)
          return {UseKind::Benign, ""};
        if (alwaysReturnsZero(Use->getArg(2), Ctx))
          return {UseKind::Insufficient,
                  (Opt + " is set to a callback that always returns 0, so it "
                         "never aborts the transfer")
                      .str()};
        return {UseKind::Bounds, ""};
      case CurlOption::Url:
        return {UseKind::Benign, ""};
      case CurlOption::ConnectTimeout:
        return {UseKind::Insufficient,
                (Opt + " bounds only the connection phase, not the transfer")
                    .str()};
      case CurlOption::Other:
        return {UseKind::Benign, ""};
      }
      return {UseKind::Benign, ""};
    }
    case ClientFamily::Grpc:
      if (Arg < 0)
        return {Api.clientSetting(Use) == ClientSetting::Bounds
                    ? UseKind::Bounds
                    : UseKind::Benign,
                ""};
      if (Api.isClientLibraryFunction(Fn, Client))
        return {UseKind::Benign, ""};
      // Another generated stub call with the same context.
      if (Arg == 0 && Fn && isa<CXXMethodDecl>(Fn))
        return {UseKind::Benign, ""};
      return {UseKind::Unknown, ""};
    case ClientFamily::BeastStream:
    case ClientFamily::RawSocket:
    case ClientFamily::Websocket:
    case ClientFamily::SocketIostream:
      if (Arg < 0) {
        switch (Api.clientSetting(Use)) {
        case ClientSetting::Bounds:
          return {UseKind::Bounds, ""};
        case ClientSetting::Unbounds:
          return {
              UseKind::Insufficient,
              (calleeName(Use) + "() removes the stream's time limit").str()};
        case ClientSetting::RawAccess:
          return {UseKind::Unknown, ""}; // setsockopt(SO_RCVTIMEO) and friends
        default:
          return {UseKind::Benign, ""};
        }
      }
      if (Api.isClientLibraryFunction(Fn, Client))
        return {UseKind::Benign, ""};
      return {UseKind::Unknown, ""};
    case ClientFamily::Cpr:
      if (Arg < 0) {
        ClientSetting S = Api.clientSetting(Use);
        // SetTimeout(0), SetTimeout(cpr::Timeout{0}): zero means none.
        bool Zero = Use->getNumArgs() > 0 &&
                    llvm::all_of(Use->arguments(), [&](const Expr *A) {
                      return isZeroValue(A, Ctx);
                    });
        if (S == ClientSetting::Bounds)
          return Zero ? HandleUse_{UseKind::Insufficient,
                                   (calleeName(Use) +
                                    "(0) means no timeout, not a bound")
                                       .str()}
                      : HandleUse_{UseKind::Bounds, ""};
        if (S == ClientSetting::ConnectOnly)
          return {UseKind::Insufficient,
                  (calleeName(Use) +
                   " bounds only the connection phase, not the transfer")
                      .str()};
        if (S == ClientSetting::OptionList) {
          for (const Expr *A : Use->arguments())
            if (Api.kindOf(A->getType()) == ObjectKind::CprBound &&
                !isZeroValue(A, Ctx))
              return {UseKind::Bounds, ""};
          for (const Expr *A : Use->arguments())
            if (Api.kindOf(A->getType()) == ObjectKind::CprBound)
              return {UseKind::Insufficient,
                      "a zero cpr::Timeout means no timeout, not a bound"};
          for (const Expr *A : Use->arguments())
            if (Api.kindOf(A->getType()) == ObjectKind::CprConnectBound)
              return {UseKind::Insufficient,
                      "cpr::ConnectTimeout bounds only the connection "
                      "phase, not the transfer"};
        }
        return {UseKind::Benign, ""};
      }
      if (Api.isClientLibraryFunction(Fn, Client))
        return {UseKind::Benign, ""};
      return {UseKind::Unknown, ""};
    case ClientFamily::Httplib:
      if (Arg < 0) {
        if (Api.clientSetting(Use) == ClientSetting::ZeroableTimeout &&
            Use->getNumArgs() >= 1 &&
            llvm::all_of(Use->arguments(), [&](const Expr *A) {
              return A->getType()->isIntegerType() && !nonZero(A, Ctx);
            }))
          return {
              UseKind::Insufficient,
              (calleeName(Use) + " is set to zero, which disables the bound")
                  .str()};
        return {UseKind::Benign, ""};
      }
      if (Api.isClientLibraryFunction(Fn, Client))
        return {UseKind::Benign, ""};
      return {UseKind::Unknown, ""};
    case ClientFamily::CprMulti:
      // A multi holds no bound of its own: its sessions do
      // (analyseCprMulti).
      return {UseKind::Benign, ""};
    }
    return {UseKind::Unknown, ""};
  };
}

const TimeoutAnalysis::HandleFacts &
TimeoutAnalysis::factsOf(const HandleRef &H, ClientFamily Family,
                         const FunctionDecl *Caller, const CallExpr *Blocking,
                         bool &IsMember, bool &InScope) {
  // A member's facts are memoised for the TU: look them up before even
  // listing the class's methods (a class of N methods with calls in each
  // would otherwise list them once per call).
  auto Known = MemberFacts.find({H, Family});
  if (Known != MemberFacts.end()) {
    IsMember = true;
    InScope = Known->second.second;
    return *Known->second.first;
  }
  std::vector<const FunctionDecl *> Scope = scopeFor(H, Caller, IsMember);
  InScope = !Scope.empty();
  UseClassifier Classify = classifierFor(Family, Api, Ctx);
  if (IsMember) {
    // Every method of the class, once per handle for the whole TU: what any
    // of them does to the member counts, wherever it runs.
    auto &Slot = MemberFacts[{H, Family}];
    Slot.first = std::make_unique<HandleFacts>();
    Slot.second = InScope;
    Scanner S{Api, Uses, Classify, nullptr, {}};
    for (const FunctionDecl *Fn : Scope)
      S.scan(Fn, H, *Slot.first);
    return *Slot.first;
  }
  LocalFacts = std::make_unique<HandleFacts>();
  Scanner S{Api, Uses, Classify, Blocking, {}};
  for (const FunctionDecl *Fn : Scope)
    S.scan(Fn, H, *LocalFacts);
  return *LocalFacts;
}

std::vector<const FunctionDecl *>
TimeoutAnalysis::scopeFor(const HandleRef &H, const FunctionDecl *Caller,
                          bool &IsMember) {
  std::vector<const FunctionDecl *> Scope =
      HandleUses::scopeOf(H, Caller, IsMember);
  if (Scope.empty() && H.Path.empty())
    if (const auto *P = dyn_cast_or_null<ParmVarDecl>(H.Root))
      if (freshConnectionFor(P, Caller))
        Scope.push_back(Caller);
  // A member of an object this function allocates (`auto *call = new
  // AsyncClientCall; ... &call->context`, gRPC's async clients): nobody
  // else can have configured it before this function hands it out.
  if (Scope.empty() && !H.Path.empty() && H.ThroughPointer)
    if (const auto *VD = dyn_cast_or_null<VarDecl>(H.Root))
      if (!isa<ParmVarDecl>(VD) && VD->hasLocalStorage() &&
          VD->getType()->isPointerType() && VD->getInit() &&
          isa<CXXNewExpr>(VD->getInit()->IgnoreParenImpCasts()))
        Scope.push_back(Caller);
  return Scope;
}

const Expr *TimeoutAnalysis::freshConnectionFor(const ParmVarDecl *P,
                                                const FunctionDecl *FD) {
  QualType T = P->getType();
  if (T->isReferenceType() || T->isPointerType())
    return nullptr;
  ObjectKind K = Api.kindOf(T);
  if (K != ObjectKind::RawSocket && K != ObjectKind::BeastStream)
    return nullptr;
  if (!SpawnArgs) {
    // Once per TU: what every spawn and every call binds to a stream
    // parameter passed by value.
    SpawnArgs = std::make_unique<
        std::map<const ParmVarDecl *, std::vector<const Expr *>>>();
    struct Collector : UserCodeVisitor<Collector> {
      TimeoutAnalysis &A;
      Collector(const SourceManager &SM, TimeoutAnalysis &A)
          : UserCodeVisitor(SM), A(A) {}
      bool wanted(const ParmVarDecl *Param) {
        if (!Param || Param->getType()->isReferenceType())
          return false;
        ObjectKind PK = A.Api.kindOf(Param->getType());
        return PK == ObjectKind::RawSocket || PK == ObjectKind::BeastStream;
      }
      void spawn(const Expr *E) {
        if (std::optional<SpawnSite> Site = classifySpawn(E, A.Api))
          for (const SpawnBinding &B : Site->Bindings)
            if (wanted(B.Param) && B.Arg)
              (*A.SpawnArgs)[B.Param].push_back(B.Arg);
      }
      bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
        spawn(CE);
        return true;
      }
      bool VisitCallExpr(CallExpr *Call) {
        spawn(Call);
        if (const FunctionDecl *Def =
                followableCallee(Call, A.Ctx.getSourceManager()))
          forEachArgument(Call, Def,
                          [&](const Expr *Arg, const ParmVarDecl *Param) {
                            if (wanted(Param))
                              (*A.SpawnArgs)[Param].push_back(Arg);
                          });
        return true;
      }
    };
    Collector C(Ctx.getSourceManager(), *this);
    C.TraverseDecl(Ctx.getTranslationUnitDecl());
  }
  (void)FD;
  auto It = SpawnArgs->find(P);
  if (It == SpawnArgs->end() || It->second.empty())
    return nullptr;
  for (const Expr *Arg : It->second)
    if (!Api.isFreshConnection(Arg))
      return nullptr;
  return It->second.front();
}

struct TimeoutAnalysis::ScopeIndex {
  struct Close {
    const CallExpr *Call;
    /// The function (or lambda) the close is in, and the scope's function
    /// that contains it.
    const FunctionDecl *In, *Top;
  };
  std::vector<Close> Closes;
  /// Timer handlers and what they reach; handlers posted to an executor
  /// and what they reach; functions some other function of the scope calls.
  llvm::SmallPtrSet<const FunctionDecl *, 8> TimerDriven, Posted, CalledInScope;
  /// A timer waits with a handler we cannot see: it may close anything.
  bool OpaqueTimer = false;
  bool TimedRun = false, Stop = false;
};

/// Calls \p Fn on every statement of \p F's body and of the lambdas in it.
static void
forEachStmtDeep(const FunctionDecl *F,
                llvm::function_ref<void(const Stmt *, const FunctionDecl *)> Fn,
                int Depth = 0) {
  if (!F || !F->getBody() || Depth > 4)
    return;
  forEachStmtInFunction(F->getBody(), [&](const Stmt *S) {
    if (const auto *L = dyn_cast<LambdaExpr>(S))
      forEachStmtDeep(callOperatorOf(L), Fn, Depth + 1);
    Fn(S, F);
    return true;
  });
}

const TimeoutAnalysis::ScopeIndex &
TimeoutAnalysis::indexOf(const void *Key,
                         llvm::ArrayRef<const FunctionDecl *> Scope) {
  std::unique_ptr<ScopeIndex> &Slot = Indexes[Key];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<ScopeIndex>();
  ScopeIndex &X = *Slot;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallVector<const FunctionDecl *, 4> TimerRoots, PostRoots;
  for (const FunctionDecl *Top : Scope)
    forEachStmtDeep(Top, [&](const Stmt *S, const FunctionDecl *In) {
      const auto *Call = dyn_cast<CallExpr>(S);
      if (!Call)
        return;
      if (callObject(Call) && Api.clientSetting(Call) == ClientSetting::Cancels)
        X.Closes.push_back({Call, In, Top});
      X.TimedRun |= Api.isTimedEventLoopRun(Call);
      X.Stop |= Api.isEventLoopStop(Call);
      const ApiCall &A = Api.call(Call);
      if (A.effect() == Effect::Spawn &&
          A.Entry->Family == SpawnFamily::AsioHandler) {
        bool Timer = isAsioTimerWait(Call, Api);
        if (Timer || !Api.isAsyncOperation(Call->getDirectCallee())) {
          std::optional<SpawnSite> Site = classifySpawn(Call, Api);
          const FunctionDecl *Body = Site ? Site->Body.Function : nullptr;
          if (!Body)
            X.OpaqueTimer |= Timer;
          else
            (Timer ? TimerRoots : PostRoots).push_back(Body);
        }
      }
      if (const FunctionDecl *Callee = followableCallee(Call, SM))
        if (Callee != Top)
          X.CalledInScope.insert(Callee);
    });
  // What the handlers reach, through the calls and lambdas of this TU.
  auto Reach = [&](llvm::ArrayRef<const FunctionDecl *> Roots,
                   llvm::SmallPtrSet<const FunctionDecl *, 8> &Out) {
    llvm::SmallVector<const FunctionDecl *, 8> Work(Roots.begin(), Roots.end());
    while (!Work.empty() && Out.size() < 256) {
      const FunctionDecl *F = Work.pop_back_val();
      if (!F || !Out.insert(F).second)
        continue;
      forEachStmtDeep(F, [&](const Stmt *S, const FunctionDecl *In) {
        if (In != F)
          Out.insert(In);
        if (const auto *Call = dyn_cast<CallExpr>(S))
          if (const FunctionDecl *Callee = followableCallee(Call, SM))
            Work.push_back(Callee);
      });
    }
  };
  Reach(TimerRoots, X.TimerDriven);
  Reach(PostRoots, X.Posted);
  return X;
}

/// The function of the scope a lambda is written in (itself otherwise).
static const FunctionDecl *enclosingFunction(const FunctionDecl *FD) {
  for (int Depth = 0; FD && Depth < 8; ++Depth) {
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!MD || !MD->getParent()->isLambda())
      return FD;
    const FunctionDecl *Outer =
        dyn_cast<FunctionDecl>(MD->getParent()->getDeclContext());
    if (!Outer)
      return FD;
    FD = Outer;
  }
  return FD;
}

bool TimeoutAnalysis::isDeadlineTokenType(QualType Token) {
  const CXXRecordDecl *RD = Token.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || RD->isLambda())
    return false;
  RD = RD->getCanonicalDecl();
  auto Known = DeadlineTokens.find(RD);
  if (Known != DeadlineTokens.end())
    return Known->second;
  // asio's blocking_token_tcp_client: the token's async_result runs the
  // event loop for at most the timeout and closes (or cancels) the socket
  // when the operation has not finished by then.
  bool TimedRun = false, Closes = false;
  for (const CXXRecordDecl *Result :
       Api.completionResultsOf(QualType(RD->getTypeForDecl(), 0)))
    for (const Decl *D : Result->decls()) {
      const auto *FD = dyn_cast<FunctionDecl>(D);
      if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(D))
        FD = FTD->getTemplatedDecl();
      forEachStmtDeep(FD, [&](const Stmt *S, const FunctionDecl *) {
        const auto *C = dyn_cast<CallExpr>(S);
        if (!C)
          return;
        TimedRun |= Api.isTimedEventLoopRun(C);
        Closes |=
            callObject(C) && Api.clientSetting(C) == ClientSetting::Cancels;
      });
    }
  return DeadlineTokens[RD] = TimedRun && Closes;
}

bool TimeoutAnalysis::endedByTimerOrOwner(
    const CallExpr *Call, const FunctionDecl *Caller, const HandleRef &H,
    bool IsMember, llvm::ArrayRef<const FunctionDecl *> Scope) {
  // A completion token with a deadline: `async_read(s, b, cancel_after(5s,
  // token))`.
  // The token is the last argument written (asio appends defaulted
  // constraint arguments).
  const Expr *Token = nullptr;
  for (const Expr *A : Call->arguments())
    if (!isa<CXXDefaultArgExpr>(A))
      Token = A;
  if (Token &&
      (Api.isDeadlineToken(Token) || isDeadlineTokenType(Token->getType())))
    return true;
  // A watchdog awaited with the operation: `co_await (op ||
  // timer.async_wait(use_awaitable))`; the loser is cancelled.
  auto RacedIt = Raced.find(Caller);
  if (RacedIt == Raced.end()) {
    RacedIt = Raced.try_emplace(Caller).first;
    auto &Set = RacedIt->second;
    auto HasTimerWait = [&](const Stmt *S) {
      bool Found = false;
      forEachStmtInFunction(S, [&](const Stmt *N) {
        if (const auto *C = dyn_cast<CallExpr>(N))
          Found |= isAsioTimerWait(C, Api);
        return !Found;
      });
      return Found;
    };
    forEachStmtInFunction(Caller->getBody(), [&](const Stmt *S) {
      const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
      if (!Op || Op->getOperator() != OO_PipePipe || Op->getNumArgs() != 2)
        return true;
      for (unsigned Side = 0; Side < 2; ++Side)
        if (HasTimerWait(Op->getArg(1 - Side)))
          forEachStmtInFunction(Op->getArg(Side), [&](const Stmt *N) {
            if (const auto *C = dyn_cast<CallExpr>(N))
              Set.insert(C);
            return true;
          });
      return true;
    });
  }
  if (RacedIt->second.count(Call))
    return true;

  const void *Key = Caller;
  if (IsMember)
    if (const auto *F = dyn_cast<FieldDecl>(H.Path.front()))
      Key = F->getParent();
  const ScopeIndex &X = indexOf(Key, Scope);
  if (X.OpaqueTimer)
    return true;
  const FunctionDecl *CallerTop = enclosingFunction(Caller);
  bool Closed = false;
  // `self->socket_` in a handler that keeps the object alive through a
  // captured shared_ptr names this object's member too.
  auto ClosesH = [&](const CallExpr *Close) {
    if (namesHandle(callObject(Close), H, Api))
      return true;
    if (!IsMember || H.Path.size() != 1)
      return false;
    std::optional<HandleRef> R = resolveHandle(callObject(Close), Api);
    const auto *Self = R ? dyn_cast_or_null<VarDecl>(R->Root) : nullptr;
    const auto *Field = dyn_cast<FieldDecl>(H.Path.front());
    if (!Self || !Field || R->Path.size() != 1 || R->Path.front() != Field ||
        !R->ThroughPointer)
      return false;
    QualType T = Self->getType().getNonReferenceType();
    const CXXRecordDecl *Pointee =
        T->isPointerType() ? T->getPointeeCXXRecordDecl() : nullptr;
    if (!Pointee)
      if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
              T->getAsCXXRecordDecl()))
        if (Spec->getTemplateArgs().size() &&
            Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
          Pointee =
              Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
    return Pointee && Pointee->getCanonicalDecl() ==
                          Field->getParent()->getCanonicalDecl();
  };
  for (const ScopeIndex::Close &C : X.Closes) {
    if (!ClosesH(C.Call))
      continue;
    Closed = true;
    // A timer's handler closes it (a deadline), or a handler posted to
    // its executor does (an owner's stop()).
    if (X.TimerDriven.count(C.In) || X.Posted.count(C.In))
      return true;
    // An owner's method that the class itself never calls closes it.
    if (IsMember && C.Top != CallerTop && !X.CalledInScope.count(C.Top) &&
        !isa<CXXConstructorDecl>(C.Top) && !isa<CXXDestructorDecl>(C.Top))
      return true;
  }
  // run_for/run_until bounds the loop that completes the operation; the
  // socket is closed (or the loop stopped) after it.
  return Api.isAsyncOperation(Call->getDirectCallee()) && X.TimedRun &&
         (Closed || X.Stop);
}

bool TimeoutAnalysis::completionQueueWait(const CallExpr *Call,
                                          const FunctionDecl *Caller,
                                          const CallExpr *&Wait,
                                          std::string &QueueName) {
  Wait = nullptr;
  const Expr *QueueArg = nullptr;
  for (const Expr *A : Call->arguments())
    if (A->getType()->isPointerType() &&
        Api.kindOf(A->getType()->getPointeeType()) ==
            ObjectKind::GrpcCompletionQueue)
      QueueArg = A;
  if (!QueueArg)
    return true; // a synchronous call blocks where it is
  std::optional<HandleRef> Q = resolveHandle(QueueArg, Api);
  if (!Q || !Q->leaf())
    return true;
  QueueName = Q->leaf()->getName().str();
  // The queue's waits in this function (and its lambdas) and, for a member
  // queue, in its class's methods (gRPC's clients drain it in a thread of
  // their own).
  bool Member = false;
  std::vector<const FunctionDecl *> Scope =
      HandleUses::scopeOf(*Q, Caller, Member);
  if (!llvm::is_contained(Scope, Caller))
    Scope.push_back(Caller);
  bool TimedWait = false;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *Fn : Scope)
    forEachStmtDeep(Fn, [&](const Stmt *S, const FunctionDecl *) {
      const auto *C = dyn_cast<CallExpr>(S);
      if (!C)
        return;
      const ApiCall &A = Api.call(C);
      if (A.kind() != ObjectKind::GrpcCompletionQueue || !A.Handle ||
          !namesHandle(A.Handle, *Q, Api))
        return;
      if (!A.blocking())
        TimedWait = true;
      else if (!Wait || SM.isBeforeInTranslationUnit(C->getBeginLoc(),
                                                     Wait->getBeginLoc()))
        Wait = C;
    });
  // Drained only with AsyncNext(..., deadline): the waiting thread is
  // bounded.
  return Wait || !TimedWait;
}

namespace {
/// What a branch condition tells about the bytes queued on a socket: that
/// some are there on its true edge, or on its false edge.
struct QueuedTest {
  bool WhenTrue = false, WhenFalse = false;
};
} // namespace

/// `s.available()`, `s.available(ec) > 0`, `!s.available()`, combined with
/// `&&`, `||` and `!`, for the socket \p H.
static QueuedTest queuedTest(const Expr *E, const HandleRef &H, ApiModel &Api,
                             const ASTContext &Ctx, int Depth = 0) {
  if (!E || Depth > 8)
    return {};
  E = E->IgnoreParenImpCasts();
  auto IsQuery = [&](const Expr *X) {
    const auto *C = dyn_cast<CallExpr>(X->IgnoreParenImpCasts());
    const Expr *Obj = C ? Api.queuedBytesQuery(C) : nullptr;
    return Obj && namesHandle(Obj, H, Api);
  };
  if (IsQuery(E))
    return {true, false};
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() != UO_LNot)
      return {};
    QueuedTest In = queuedTest(UO->getSubExpr(), H, Api, Ctx, Depth + 1);
    return {In.WhenFalse, In.WhenTrue};
  }
  const auto *BO = dyn_cast<BinaryOperator>(E);
  if (!BO)
    return {};
  if (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr) {
    QueuedTest L = queuedTest(BO->getLHS(), H, Api, Ctx, Depth + 1);
    QueuedTest R = queuedTest(BO->getRHS(), H, Api, Ctx, Depth + 1);
    if (BO->getOpcode() == BO_LAnd)
      return {L.WhenTrue || R.WhenTrue, L.WhenFalse && R.WhenFalse};
    return {L.WhenTrue && R.WhenTrue, L.WhenFalse || R.WhenFalse};
  }
  if (!BO->isComparisonOp())
    return {};
  // `available() OP k` with a constant k (either side).
  BinaryOperatorKind Op = BO->getOpcode();
  const Expr *K = BO->getRHS();
  if (!IsQuery(BO->getLHS())) {
    if (!IsQuery(BO->getRHS()))
      return {};
    K = BO->getLHS();
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  Expr::EvalResult R;
  if (K->isValueDependent() || !K->EvaluateAsInt(R, Ctx))
    return {};
  llvm::APSInt V = R.Val.getInt();
  // available() is unsigned: "> 0" and "!= 0" are "something is there".
  switch (Op) {
  case BO_GT:
    return {!V.isNegative(), false};
  case BO_GE:
    return {V.isStrictlyPositive(), false};
  case BO_NE:
    return {V.isZero(), false};
  case BO_EQ:
    return {V.isStrictlyPositive(), V.isZero()};
  case BO_LE:
    return {false, V.isZero()};
  case BO_LT:
    return {false, V.isOne()};
  default:
    return {};
  }
}

bool TimeoutAnalysis::onlyWhenQueued(const CallExpr *Read,
                                     const FunctionDecl *Caller,
                                     const HandleRef &H) {
  const CFG *Cfg = Paths.cfgOf(Caller);
  if (!Cfg)
    return false;
  auto Holds = [&](const CFGBlock *B) {
    for (const CFGElement &E : *B)
      if (auto CS = E.getAs<CFGStmt>(); CS && CS->getStmt() == Read)
        return true;
    return false;
  };
  if (llvm::none_of(*Cfg, [&](const CFGBlock *B) { return B && Holds(B); }))
    return false; // not in this CFG: nothing to conclude
  // A path from the entry to the read that never takes an edge on which
  // available() said bytes are queued on the socket.
  return !Paths.reachesAvoiding(Caller, Read, [&](const Stmt *S) {
    QueuedTest T = queuedTest(dyn_cast<Expr>(S), H, Api, Ctx);
    return T.WhenTrue    ? PathStep::ReleaseWhenTrue
           : T.WhenFalse ? PathStep::ReleaseWhenFalse
                         : PathStep::None;
  });
}

/// A member a method returns by reference (`tcp::socket &sock() { return
/// sock_; }`), named through the object the method is called on.
static std::optional<HandleRef> throughAccessor(const Expr *E, ApiModel &Api) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(ignoreWrappers(E));
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  const FunctionDecl *Def = nullptr;
  if (!M || !M->hasBody(Def))
    return std::nullopt;
  const FieldDecl *Field = accessedField(Def);
  if (!Field)
    return std::nullopt;
  std::optional<HandleRef> Obj =
      resolveHandle(MC->getImplicitObjectArgument(), Api);
  if (!Obj)
    return std::nullopt;
  Obj->Path.push_back(Field);
  return Obj;
}

std::optional<TimeoutFinding>
TimeoutAnalysis::analyseHandle(const CallExpr *Call, const FunctionDecl *Caller,
                               const Expr *HandleExpr, ClientFamily Family) {
  std::optional<HandleRef> H = resolveHandle(HandleExpr, Api);
  if (!H || !H->leaf())
    H = throughAccessor(HandleExpr, Api);
  if (!H || !H->leaf())
    return std::nullopt;
  if (Family == ClientFamily::Grpc &&
      Api.kindOf(H->leaf()->getType()) != ObjectKind::GrpcContext)
    return std::nullopt; // a pointer from elsewhere, a smart pointer, ...
  bool IsStream = Family == ClientFamily::BeastStream ||
                  Family == ClientFamily::RawSocket ||
                  Family == ClientFamily::Websocket ||
                  Family == ClientFamily::SocketIostream;
  if (IsStream) {
    // The stream object itself, declared here: a stream held through a
    // (smart) pointer comes from wherever the pointer was set. The family is
    // the declared stream's (a websocket's lowest layer is the websocket).
    switch (Api.kindOf(H->leaf()->getType())) {
    case ObjectKind::BeastStream:
      Family = ClientFamily::BeastStream;
      break;
    case ObjectKind::RawSocket:
      Family = ClientFamily::RawSocket;
      break;
    case ObjectKind::Websocket:
      Family = ClientFamily::Websocket;
      break;
    case ObjectKind::SocketIostream:
      Family = ClientFamily::SocketIostream;
      break;
    default:
      return std::nullopt;
    }
  }
  bool IsMember = false, InScope = false;
  HandleFacts F = factsOf(*H, Family, Caller, Call, IsMember, InScope);
  if (!InScope || F.Escaped)
    return std::nullopt;

  bool Bounded = F.bounded();
  // A local: bounded only when every path to the call sets the bound first.
  if (Bounded && !IsMember) {
    llvm::SmallPtrSet<const Stmt *, 4> BoundAt(F.Bounds.begin(),
                                               F.Bounds.end());
    if (F.LowLimit && F.LowTime)
      BoundAt.insert(F.LowLimit), BoundAt.insert(F.LowTime);
    Bounded = !Paths.reachesAvoiding(Caller, Call, [&](const Stmt *S) {
      return BoundAt.count(S) ? PathStep::Release : PathStep::None;
    });
  }

  bool IsCurl =
      Family == ClientFamily::Curl || Family == ClientFamily::CurlMulti;
  if (IsCurl) {
    // Where did the handle come from? curl_easy_init(), a duplicate of
    // another handle (which inherits its options), or a factory of this TU.
    const auto *Origin = dyn_cast_or_null<CallExpr>(F.Creation);
    const FunctionDecl *OriginFn = Origin ? Origin->getDirectCallee() : nullptr;
    if (!OriginFn)
      return std::nullopt; // unknown origin: nothing to conclude
    UseClassifier Classify = classifierFor(Family, Api, Ctx);
    ApiModel::CurlOrigin Kind = Api.curlOrigin(OriginFn);
    if (Kind == ApiModel::CurlOrigin::Duplicate && Origin->getNumArgs() == 1) {
      std::optional<HandleRef> Src = resolveHandle(Origin->getArg(0), Api);
      if (!Src)
        return std::nullopt;
      bool SrcMember = false;
      auto SrcScope = HandleUses::scopeOf(*Src, Caller, SrcMember);
      if (SrcScope.empty())
        return std::nullopt;
      HandleFacts SrcFacts;
      Scanner S{Api, Uses, Classify, Origin, {}};
      for (const FunctionDecl *Fn : SrcScope)
        S.scan(Fn, *Src, SrcFacts);
      if (SrcFacts.Escaped || !SrcFacts.Creation)
        return std::nullopt;
      Bounded |= SrcFacts.bounded();
      F.Insufficient.append(SrcFacts.Insufficient.begin(),
                            SrcFacts.Insufficient.end());
    } else if (Kind != ApiModel::CurlOrigin::Init) {
      // A factory of this TU: `CURL *make() { CURL *h = curl_easy_init();
      // ... return h; }`. Its options count; anything else is unknown.
      const FunctionDecl *Def =
          followableCallee(Origin, Ctx.getSourceManager());
      if (!Def)
        return std::nullopt;
      std::optional<HandleRef> Returned;
      forEachStmtInFunction(Def->getBody(), [&](const Stmt *S) {
        if (const auto *Ret = dyn_cast<ReturnStmt>(S))
          if (Ret->getRetValue())
            Returned = resolveHandle(Ret->getRetValue(), Api);
        return true;
      });
      const auto *RetVar =
          Returned ? dyn_cast_or_null<VarDecl>(Returned->Root) : nullptr;
      if (!RetVar || !Returned->Path.empty() || !RetVar->hasLocalStorage() ||
          isa<ParmVarDecl>(RetVar))
        return std::nullopt;
      HandleFacts FactoryFacts;
      Scanner S{Api, Uses, Classify, nullptr, {}};
      S.scan(Def, *Returned, FactoryFacts);
      const auto *FactoryOrigin =
          dyn_cast_or_null<CallExpr>(FactoryFacts.Creation);
      if (!FactoryOrigin || Api.curlOrigin(FactoryOrigin->getDirectCallee()) !=
                                ApiModel::CurlOrigin::Init)
        return std::nullopt;
      Bounded |= FactoryFacts.bounded();
      F.Insufficient.append(FactoryFacts.Insufficient.begin(),
                            FactoryFacts.Insufficient.end());
    }
    if (!Bounded && (F.LowLimit != nullptr) != (F.LowTime != nullptr))
      F.Insufficient.emplace_back(
          F.LowLimit ? F.LowLimit : F.LowTime,
          F.LowLimit ? "CURLOPT_LOW_SPEED_LIMIT has no effect without "
                       "CURLOPT_LOW_SPEED_TIME"
                     : "CURLOPT_LOW_SPEED_TIME has no effect without "
                       "CURLOPT_LOW_SPEED_LIMIT");
  }

  // A timer, an owner or a timed event loop that ends the operation.
  std::vector<const FunctionDecl *> Scope;
  if (IsStream && !Bounded) {
    bool Member = false;
    Scope = scopeFor(*H, Caller, Member);
    if (endedByTimerOrOwner(Call, Caller, *H, Member, Scope))
      return std::nullopt;
    // A read that takes only what is queued, run only once available()
    // said something is (`if (s.available()) s.receive_from(...)`).
    if (Api.returnsQueuedData(Call->getDirectCallee()) &&
        onlyWhenQueued(Call, Caller, *H))
      return std::nullopt;
  }

  if (Family == ClientFamily::Httplib) {
    // cpp-httplib's defaults are bounded (connect 300 s, read/write 5 s):
    // only a client whose timeouts were set to zero can wait forever.
    if (F.Insufficient.empty())
      return std::nullopt;
  } else if (Bounded) {
    return std::nullopt;
  }
  // gRPC's asynchronous API: the thread waits in the completion queue's
  // Next(), not at the call.
  const CallExpr *QueueWait = nullptr;
  std::string QueueName;
  if (Family == ClientFamily::Grpc)
    if (!completionQueueWait(Call, Caller, QueueWait, QueueName))
      return std::nullopt;
  TimeoutFinding Finding;
  Finding.Family = Family;
  Finding.Call = Call;
  Finding.Handle = H->leaf();
  Finding.HandleExpr = HandleExpr;
  Finding.Creation = IsCurl ? F.Creation : nullptr;
  Finding.CreationDecl = H->leaf();
  Finding.Insufficient = F.Insufficient;
  if (QueueWait)
    Finding.Notes.emplace_back(
        QueueWait,
        "'" + QueueName + "' waits here for the call, with no time limit");
  if (const auto *P = dyn_cast_or_null<ParmVarDecl>(H->Root);
      P && H->Path.empty())
    if (const Expr *Accepted = freshConnectionFor(P, Caller))
      Finding.Notes.emplace_back(
          Accepted, ("'" + P->getName() +
                     "' is a connection accepted here, with no timeout")
                        .str());
  // A request to a loopback server (the check decides whether to report).
  if (Scope.empty()) {
    bool Member = false;
    Scope = scopeFor(*H, Caller, Member);
  }
  // A local captured by a lambda (a thread serving one end of a pair) was
  // connected in the function that declares it.
  std::vector<const FunctionDecl *> LoopbackScope(Scope.begin(), Scope.end());
  if (const auto *VD = dyn_cast_or_null<VarDecl>(H->Root);
      VD && H->Path.empty() && VD->isLocalVarDecl())
    if (const auto *Home =
            dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
        Home && !llvm::is_contained(LoopbackScope, Home))
      LoopbackScope.push_back(Home);
  for (const FunctionDecl *Fn : LoopbackScope) {
    for (const HandleUse &U : Uses.in(Fn, *H))
      if ((U.Call && mentionsLoopback(U.Call)) ||
          (U.Value && mentionsLoopback(U.Value)) ||
          // Connected to its twin in this program (local::connect_pair):
          // the peer is in-process too.
          (U.Call && Api.isInProcessPair(U.Call)))
        Finding.Loopback = true;
    if (Finding.Loopback)
      break;
  }
  if (const auto *VD = dyn_cast_or_null<VarDecl>(H->Root);
      VD && H->Path.empty() && VD->getInit() && mentionsLoopback(VD->getInit()))
    Finding.Loopback = true;
  return Finding;
}

std::optional<TimeoutFinding>
TimeoutAnalysis::analyseCprCall(const CallExpr *Call) {
  // cpr::Get(cpr::Url{...}, cpr::Timeout{1000}): bounded by an argument;
  // cpr::Timeout{0} means no timeout, a cpr::ConnectTimeout bounds only the
  // connection phase.
  TimeoutFinding Finding;
  for (const Expr *Arg : Call->arguments()) {
    ObjectKind K = Api.kindOf(Arg->getType());
    if (K == ObjectKind::CprBound && !isZeroValue(Arg, Ctx))
      return std::nullopt;
    if (K == ObjectKind::CprBound)
      Finding.Notes.emplace_back(
          Arg, "a zero cpr::Timeout means no timeout, not a bound");
    else if (K == ObjectKind::CprConnectBound)
      Finding.Notes.emplace_back(Arg, "cpr::ConnectTimeout bounds only the "
                                      "connection phase, not the transfer");
  }
  if (Call->getNumArgs() == 0 ||
      llvm::any_of(Call->arguments(), [](const Expr *A) {
        return A->isTypeDependent() || A->getType()->isDependentType();
      }))
    return std::nullopt;
  Finding.Family = ClientFamily::Cpr;
  Finding.Call = Call;
  Finding.Loopback = mentionsLoopback(Call);
  return Finding;
}

std::optional<TimeoutFinding> TimeoutAnalysis::analyseCprMulti(
    const CallExpr *Call, const FunctionDecl *Caller, const Expr *HandleExpr) {
  // `multi.AddSession(s); ... multi.Get();`: the perform returns when every
  // session's transfer has, so one session with no timeout is enough to
  // hang it. Only the sessions this function surely added (on every path to
  // the perform) are judged; a session the analysis cannot follow is none of
  // them, and a multi with no such session says nothing.
  std::optional<HandleRef> Multi = resolveHandle(HandleExpr, Api);
  if (!Multi || !Multi->leaf())
    return std::nullopt;
  std::optional<TimeoutFinding> Out;
  for (const HandleUse &U : Uses.in(Caller, *Multi)) {
    if (U.K != HandleUse::CallOn || !U.Call ||
        Api.clientSetting(U.Call) != ClientSetting::JoinsSession)
      continue;
    const CallExpr *Join = U.Call;
    if (Paths.reachesAvoiding(Caller, Call, [&](const Stmt *S) {
          return S == Join ? PathStep::Release : PathStep::None;
        }))
      continue;
    std::optional<TimeoutFinding> Session =
        analyseHandle(Call, Caller, Join->getArg(0), ClientFamily::Cpr);
    if (!Session)
      continue;
    if (!Out) {
      Out.emplace();
      Out->Family = ClientFamily::CprMulti;
      Out->Call = Call;
      Out->Handle = Multi->leaf();
      Out->HandleExpr = HandleExpr;
      Out->Loopback = true;
    }
    std::string Name = Session->Handle
                           ? ("'" + Session->Handle->getName() + "'").str()
                           : std::string("a session");
    Out->Notes.emplace_back(Join, "session " + Name + " joins here with no " +
                                      ApiModel::typeNamesOf(
                                          ObjectKind::CprBound));
    for (const auto &[Setting, What] : Session->Insufficient)
      Out->Notes.emplace_back(Setting, What);
    // Loopback only when every unbounded session goes there.
    Out->Loopback &= Session->Loopback;
  }
  return Out;
}

//===--- Entry ------------------------------------------------------------===//

bool TimeoutAnalysis::isCandidate(const CallExpr *Call) {
  ObjectKind Client;
  return Api.networkClientOf(Call, Client) || Client != ObjectKind::None;
}

std::optional<TimeoutFinding>
TimeoutAnalysis::analyse(const CallExpr *Call, const FunctionDecl *Caller) {
  if (!Caller || !Caller->getBody())
    return std::nullopt;
  ObjectKind Client = ObjectKind::None;
  const Expr *HandleExpr = Api.networkClientOf(Call, Client);
  switch (Client) {
  case ObjectKind::CurlEasy:
    return HandleExpr
               ? analyseHandle(Call, Caller, HandleExpr, ClientFamily::Curl)
               : std::nullopt;
  case ObjectKind::CurlMulti:
    return HandleExpr ? analyseHandle(Call, Caller, HandleExpr,
                                      ClientFamily::CurlMulti)
                      : std::nullopt;
  case ObjectKind::GrpcContext:
    return analyseHandle(Call, Caller, HandleExpr, ClientFamily::Grpc);
  case ObjectKind::BeastStream:
    return analyseHandle(Call, Caller, HandleExpr, ClientFamily::BeastStream);
  case ObjectKind::RawSocket:
    return analyseHandle(Call, Caller, HandleExpr, ClientFamily::RawSocket);
  case ObjectKind::Websocket:
    return analyseHandle(Call, Caller, HandleExpr, ClientFamily::Websocket);
  case ObjectKind::HttplibClient:
    return analyseHandle(Call, Caller, HandleExpr, ClientFamily::Httplib);
  case ObjectKind::SocketIostream:
    return analyseHandle(Call, Caller, HandleExpr,
                         ClientFamily::SocketIostream);
  case ObjectKind::CprSession:
    return HandleExpr
               ? analyseHandle(Call, Caller, HandleExpr, ClientFamily::Cpr)
               : analyseCprCall(Call);
  case ObjectKind::CprMulti:
    return HandleExpr ? analyseCprMulti(Call, Caller, HandleExpr)
                      : std::nullopt;
  default:
    return std::nullopt;
  }
}

static bool contains(const Stmt *Outer, const Stmt *Inner);

/// An asynchronous operation whose completion handler starts \p FD again
/// (`do_write()`'s handler calls `do_write()` while the queue has more):
/// a loop of writes, one per completion.
/// Returns that call of FD in the handler, or null.
static const CallExpr *rearmsItself(const CallExpr *Op, const FunctionDecl *FD,
                                    ApiModel &Api) {
  const Expr *Handler = nullptr;
  for (const Expr *A : Op->arguments())
    if (!isa<CXXDefaultArgExpr>(A))
      Handler = A;
  if (!Handler || !FD)
    return nullptr;
  const FunctionDecl *Body = resolveCallable(Handler, Api).Function;
  if (!Body || !Body->getBody() || Body == FD)
    return nullptr;
  const FunctionDecl *Self = FD->getCanonicalDecl();
  const CallExpr *Again = nullptr;
  forEachStmtInFunction(Body->getBody(), [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = Call->getDirectCallee();
          Callee && Callee->getCanonicalDecl() == Self)
        Again = Call;
    return !Again;
  });
  return Again;
}

/// True when \p VD is declared anew in each iteration of the loop \p Loop
/// (not in a for statement's init, which runs once; nested lambdas
/// excluded).
static bool declares(const Stmt *Loop, const ValueDecl *VD) {
  const auto *For = dyn_cast<ForStmt>(Loop);
  bool Found = false;
  forEachStmtInFunction(Loop, [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      Found |=
          (!For || DS != For->getInit()) && llvm::is_contained(DS->decls(), VD);
    return !Found;
  });
  return Found;
}

/// What an operation does on the wire, for grouping an exchange.
static ApiModel::StreamOp opOf(const TimeoutFinding &F, ApiModel &Api) {
  const FunctionDecl *FD = F.Call->getDirectCallee();
  if (F.Family == ClientFamily::SocketIostream)
    return FD && FD->getOverloadedOperator() == OO_LessLess
               ? ApiModel::StreamOp::Write
               : ApiModel::StreamOp::Read;
  return Api.streamOp(FD);
}

std::vector<TimeoutFinding>
TimeoutAnalysis::analyseFunction(const FunctionDecl *FD) {
  std::vector<TimeoutFinding> Findings;
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return Findings;
  std::vector<TimeoutFinding> Raw;
  llvm::SmallVector<const Stmt *, 4> Loops;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S) ||
        isa<CXXForRangeStmt>(S))
      Loops.push_back(S);
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (std::optional<TimeoutFinding> F = analyse(Call, FD))
        Raw.push_back(std::move(*F));
    return true;
  });
  if (Raw.empty())
    return Findings;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::stable_sort(Raw, [&](const TimeoutFinding &A, const TimeoutFinding &B) {
    return SM.isBeforeInTranslationUnit(A.Call->getBeginLoc(),
                                        B.Call->getBeginLoc());
  });
  // A coroutine's `co_await op` shows its operand more than once.
  Raw.erase(std::unique(Raw.begin(), Raw.end(),
                        [](const TimeoutFinding &A, const TimeoutFinding &B) {
                          return A.Call->getBeginLoc() ==
                                     B.Call->getBeginLoc() &&
                                 A.Handle == B.Handle;
                        }),
            Raw.end());

  // One finding per exchange (a handle in this function): at its first
  // read, with notes for its other operations. A stream's writes and
  // connects alone wait on no answer; a write is reported only when it
  // streams in a loop.
  llvm::SmallVector<llvm::SmallVector<TimeoutFinding *, 2>, 4> Groups;
  for (TimeoutFinding &F : Raw) {
    auto It = llvm::find_if(Groups, [&](const auto &G) {
      return F.Handle && G.front()->Handle == F.Handle &&
             G.front()->Family == F.Family;
    });
    if (It == Groups.end())
      Groups.push_back({&F});
    else
      It->push_back(&F);
  }
  for (auto &G : Groups) {
    TimeoutFinding *Primary = nullptr;
    const CallExpr *WritesAgain = nullptr;
    ClientFamily Fam = G.front()->Family;
    bool IsStream =
        Fam == ClientFamily::BeastStream || Fam == ClientFamily::RawSocket ||
        Fam == ClientFamily::Websocket || Fam == ClientFamily::SocketIostream;
    if (!IsStream) {
      Primary = G.front();
    } else {
      bool SentFirst = false, Server = false;
      for (TimeoutFinding *F : G) {
        ApiModel::StreamOp Op = opOf(*F, Api);
        SentFirst |= Op == ApiModel::StreamOp::Write;
        // A datagram socket that receives before it ever sends waits for
        // requests: a server, not a client exchange.
        if (Op == ApiModel::StreamOp::Read ||
            (Op == ApiModel::StreamOp::ReadFrom && SentFirst)) {
          Primary = F;
          break;
        }
        if (Op == ApiModel::StreamOp::ReadFrom) {
          Server = true;
          break;
        }
      }
      // A loop streams writes into one connection only when the stream
      // outlives its iterations: a stream declared in the loop's body is a
      // fresh connection each time (an accept loop greeting each client).
      // An asynchronous write whose handler writes again is such a loop.
      if (!Primary && !Server)
        for (TimeoutFinding *F : G) {
          if (opOf(*F, Api) != ApiModel::StreamOp::Write)
            continue;
          if (llvm::any_of(Loops, [&](const Stmt *L) {
                return contains(L, F->Call) && !declares(L, F->Handle);
              })) {
            Primary = F;
            break;
          }
          if (const CallExpr *Again = rearmsItself(F->Call, FD, Api)) {
            Primary = F;
            WritesAgain = Again;
            break;
          }
        }
    }
    if (!Primary)
      continue;
    TimeoutFinding Out = *Primary;
    std::string Name =
        Out.Handle ? ("'" + Out.Handle->getName() + "'").str() : "the client";
    for (TimeoutFinding *F : G)
      if (F != Primary)
        Out.Notes.emplace_back(F->Call, Name + " is also used here, with no "
                                               "time limit either");
    if (WritesAgain)
      Out.Notes.emplace_back(WritesAgain,
                             "the completion handler writes again here: a "
                             "peer that stops reading leaves this write, and "
                             "every one queued behind it, pending forever");
    // A call in a template of another file (a library's forwarding
    // template): reported where the user's code instantiates it, or not at
    // all.
    if (!SM.isWrittenInMainFile(SM.getExpansionLoc(Out.Call->getBeginLoc())) &&
        FD->isTemplateInstantiation()) {
      SourceLocation POI = FD->getPointOfInstantiation();
      if (POI.isInvalid() || !SM.isWrittenInMainFile(SM.getExpansionLoc(POI)))
        continue;
      Out.ReportAt = POI;
    }
    Findings.push_back(std::move(Out));
  }
  llvm::stable_sort(Findings,
                    [&](const TimeoutFinding &A, const TimeoutFinding &B) {
                      return SM.isBeforeInTranslationUnit(
                          A.Call->getBeginLoc(), B.Call->getBeginLoc());
                    });
  return Findings;
}

/// True when \p Inner is \p Outer or one of its descendants in the same
/// function (nested lambdas excluded).
static bool contains(const Stmt *Outer, const Stmt *Inner) {
  bool Found = false;
  forEachStmtInFunction(Outer, [&](const Stmt *S) {
    Found |= S == Inner;
    return !Found;
  });
  return Found;
}

const Stmt *statementInBlock(const FunctionDecl *FD, const Stmt *S) {
  // The innermost block statement that is, or plainly contains, S (not a
  // compound statement or a control statement, whose insertion point would
  // move the bound out of the branch or loop).
  const Stmt *Found = nullptr;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *Node) {
    if (const auto *CS = dyn_cast<CompoundStmt>(Node))
      for (const Stmt *Child : CS->body())
        if (Child == S || (!isa<CompoundStmt>(Child) && !isa<IfStmt>(Child) &&
                           !isa<ForStmt>(Child) && !isa<WhileStmt>(Child) &&
                           !isa<DoStmt>(Child) && !isa<SwitchStmt>(Child) &&
                           !isa<CXXTryStmt>(Child) &&
                           !isa<CXXForRangeStmt>(Child) && contains(Child, S)))
          Found = Child;
    return true;
  });
  return Found;
}

} // namespace clang::tidy::taskleak
