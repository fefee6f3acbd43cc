//===--- TimeoutAnalysis.cpp - Network calls with no bound ----------------===//
#include "taskleak/TimeoutAnalysis.h"
#include "taskleak/Names.h"
#include "clang/AST/DeclCXX.h"
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
  case ClientFamily::Httplib:
    return ObjectKind::HttplibClient;
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
      case CurlOption::ProgressCallback:
        return {Set ? UseKind::Bounds : UseKind::Benign, ""};
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
        if (S == ClientSetting::Bounds)
          return {UseKind::Bounds, ""};
        if (S == ClientSetting::OptionList &&
            llvm::any_of(Use->arguments(), [&](const Expr *A) {
              return Api.kindOf(A->getType()) == ObjectKind::CprBound;
            }))
          return {UseKind::Bounds, ""};
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
  std::vector<const FunctionDecl *> Scope =
      HandleUses::scopeOf(H, Caller, IsMember);
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

std::optional<TimeoutFinding>
TimeoutAnalysis::analyseHandle(const CallExpr *Call, const FunctionDecl *Caller,
                               const Expr *HandleExpr, ClientFamily Family) {
  std::optional<HandleRef> H = resolveHandle(HandleExpr, Api);
  if (!H || !H->leaf())
    return std::nullopt;
  if (Family == ClientFamily::Grpc &&
      Api.kindOf(H->leaf()->getType()) != ObjectKind::GrpcContext)
    return std::nullopt; // a pointer from elsewhere, a smart pointer, ...
  if (Family == ClientFamily::BeastStream ||
      Family == ClientFamily::RawSocket || Family == ClientFamily::Websocket) {
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

  // An async operation on a raw socket next to an asio timer (a member of
  // the same class or a local of the caller) is most likely cancelled by it.
  if (Family == ClientFamily::RawSocket) {
    bool Async = Api.isAsyncOperation(Call->getDirectCallee());
    bool HasTimer = false;
    if (Async) {
      if (const auto *M = dyn_cast<CXXMethodDecl>(Caller))
        for (const FieldDecl *Field : M->getParent()->fields())
          if (Api.kindOf(Field->getType()) == ObjectKind::AsioTimer)
            HasTimer = true;
      forEachStmtInFunction(Caller->getBody(), [&](const Stmt *S) {
        if (const auto *DS = dyn_cast<DeclStmt>(S))
          for (const Decl *Dcl : DS->decls())
            if (const auto *VD = dyn_cast<VarDecl>(Dcl))
              if (Api.kindOf(VD->getType()) == ObjectKind::AsioTimer)
                HasTimer = true;
        return !HasTimer;
      });
    }
    if (HasTimer)
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
  TimeoutFinding Finding;
  Finding.Family = Family;
  Finding.Call = Call;
  Finding.Handle = H->leaf();
  Finding.HandleExpr = HandleExpr;
  Finding.Creation = IsCurl ? F.Creation : nullptr;
  Finding.CreationDecl = H->leaf();
  Finding.Insufficient = F.Insufficient;
  return Finding;
}

std::optional<TimeoutFinding>
TimeoutAnalysis::analyseCprCall(const CallExpr *Call) {
  // cpr::Get(cpr::Url{...}, cpr::Timeout{1000}): bounded by an argument.
  for (const Expr *Arg : Call->arguments())
    if (Api.kindOf(Arg->getType()) == ObjectKind::CprBound)
      return std::nullopt;
  if (Call->getNumArgs() == 0 ||
      llvm::any_of(Call->arguments(), [](const Expr *A) {
        return A->isTypeDependent() || A->getType()->isDependentType();
      }))
    return std::nullopt;
  TimeoutFinding Finding;
  Finding.Family = ClientFamily::Cpr;
  Finding.Call = Call;
  return Finding;
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
  case ObjectKind::CprSession:
    return HandleExpr
               ? analyseHandle(Call, Caller, HandleExpr, ClientFamily::Cpr)
               : analyseCprCall(Call);
  default:
    return std::nullopt;
  }
}

std::vector<TimeoutFinding>
TimeoutAnalysis::analyseFunction(const FunctionDecl *FD) {
  std::vector<TimeoutFinding> Findings;
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return Findings;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (std::optional<TimeoutFinding> F = analyse(Call, FD))
        Findings.push_back(std::move(*F));
    return true;
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
