//===--- TimeoutAnalysis.cpp - Network calls with no bound ----------------===//
#include "taskleak/TimeoutAnalysis.h"
#include "taskleak/LoopTermination.h"
#include "taskleak/Names.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>

namespace clang::tidy::taskleak {

//===--- Types and call shapes --------------------------------------------===//

static const llvm::StringRef BeastStreams[] = {"boost::beast::basic_stream"};
static const llvm::StringRef RawSockets[] = {"boost::asio::basic_stream_socket",
                                             "asio::basic_stream_socket"};
static const llvm::StringRef Websockets[] = {"boost::beast::websocket::stream"};
static const llvm::StringRef AsioTimers[] = {
    "boost::asio::basic_waitable_timer", "boost::asio::basic_deadline_timer"};
static const llvm::StringRef GrpcContexts[] = {"grpc::ClientContext"};
static const llvm::StringRef HttplibClients[] = {
    "httplib::Client", "httplib::SSLClient", "httplib::ClientImpl"};
static const llvm::StringRef CprSessions[] = {"cpr::Session"};
static const llvm::StringRef CprBounds[] = {"cpr::Timeout", "cpr::LowSpeed"};

static bool isStreamOpName(llvm::StringRef N) {
  return N == "read" || N == "read_some" || N == "read_until" ||
         N == "read_header" || N == "write" || N == "write_some" ||
         N == "async_read" || N == "async_read_some" ||
         N == "async_read_until" || N == "async_read_header" ||
         N == "async_write" || N == "async_write_some" || N == "connect" ||
         N == "async_connect" || N == "receive" || N == "async_receive" ||
         N == "handshake" || N == "async_handshake" || N == "accept" ||
         N == "async_accept";
}

static bool isAsyncName(llvm::StringRef N) { return N.starts_with("async_"); }

static bool isHttpVerb(llvm::StringRef N) {
  return N == "Get" || N == "Post" || N == "Put" || N == "Patch" ||
         N == "Delete" || N == "Head" || N == "Options" || N == "send";
}

enum class StreamKind { None, Beast, Raw, Websocket };

static StreamKind streamKindOf(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return StreamKind::None;
  if (hasAnyQualifiedName(RD, BeastStreams))
    return StreamKind::Beast;
  if (hasAnyQualifiedName(RD, Websockets))
    return StreamKind::Websocket;
  if (isRecordNamed(T, RawSockets))
    return StreamKind::Raw;
  return StreamKind::None;
}

static bool isGrpcContextPointer(QualType T) {
  if (!T->isPointerType())
    return false;
  return hasAnyQualifiedName(recordOf(T->getPointeeType()), GrpcContexts);
}

/// The handle an argument names: `h`, `&ctx`, `h.get()`, `stream_`,
/// `beast::get_lowest_layer(ws_)`, `ws_.next_layer()`.
static const ValueDecl *handleOf(const Expr *E) {
  for (int Depth = 0; E && Depth < 4; ++Depth) {
    E = ignoreWrappers(E);
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref) {
        E = UO->getSubExpr();
        continue;
      }
      return nullptr;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getDeclName().isIdentifier() &&
          (M->getName() == "get" || M->getName() == "next_layer" ||
           M->getName() == "lowest_layer" || M->getName() == "socket")) {
        E = MC->getImplicitObjectArgument();
        continue;
      }
      return nullptr;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (OC->getOperator() == OO_Star || OC->getOperator() == OO_Arrow) {
        E = OC->getArg(0);
        continue;
      }
      return nullptr;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (FD && FD->getDeclName().isIdentifier() &&
          FD->getName() == "get_lowest_layer" && Call->getNumArgs() == 1) {
        E = Call->getArg(0);
        continue;
      }
      return nullptr;
    }
    return handleDecl(E);
  }
  return nullptr;
}

//===--- Handle facts -----------------------------------------------------===//

enum class UseKind { Bounds, Insufficient, Benign, Unknown };
struct HandleUse {
  UseKind K = UseKind::Unknown;
  std::string What;
};

/// Classifies one call that involves the handle: as receiver (ArgIndex < 0)
/// or as argument ArgIndex.
using UseClassifier = std::function<HandleUse(const CallExpr *, int ArgIndex)>;

struct TimeoutAnalysis::HandleFacts {
  bool Bounded = false;
  bool Escaped = false;
  const Stmt *Creation = nullptr;
  llvm::SmallVector<std::pair<const CallExpr *, std::string>, 2> Insufficient;
};

namespace {
/// Walks the functions that can touch a handle and collects what they do to
/// it, following it into functions of this TU that receive it.
class HandleScanner {
public:
  HandleScanner(ASTContext &Ctx, const SuiteConfig &Config,
                const UseClassifier &Classify, const CallExpr *Blocking)
      : SM(Ctx.getSourceManager()), Config(Config), Classify(Classify),
        Blocking(Blocking) {}

  /// Scans \p FD for uses of \p D. With \p OnlyBefore, settings count only
  /// when they come before the blocking call in the source.
  void scan(const FunctionDecl *FD, const ValueDecl *D, bool OnlyBefore,
            unsigned Depth, TimeoutAnalysis::HandleFacts &F) {
    if (!FD || !FD->getBody() || !Visited.insert({FD, D}).second)
      return;
    auto Counts = [&](const Stmt *S) {
      return !OnlyBefore || !Blocking ||
             SM.isBeforeInTranslationUnit(S->getBeginLoc(),
                                          Blocking->getBeginLoc());
    };
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getMember() == D)
          noteCreation(Init->getInit(), F);
    forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
      if (const auto *Ret = dyn_cast<ReturnStmt>(S)) {
        if (Ret->getRetValue() && handleOf(Ret->getRetValue()) == D &&
            !isa<CXXConstructorDecl>(FD))
          F.Escaped = true; // returned: whoever gets it may set anything
        return true;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
        if (BO->isAssignmentOp()) {
          if (handleDecl(BO->getLHS()) == D)
            noteCreation(BO->getRHS(), F);
          else if (handleOf(BO->getRHS()) == D)
            F.Escaped = true; // copied into something else
        }
        return true;
      }
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
        if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
          if (handleDecl(OC->getArg(0)) == D)
            noteCreation(OC->getArg(1), F);
          else if (handleOf(OC->getArg(1)) == D)
            F.Escaped = true;
          return true;
        }
      }
      if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        for (const Decl *Dcl : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(Dcl)) {
            if (VD == D && VD->getInit())
              noteCreation(VD->getInit(), F);
            else if (VD->getInit() && VD->getType()->isReferenceType() &&
                     handleOf(VD->getInit()) == D)
              F.Escaped = true; // an alias we do not follow
          }
        return true;
      }
      if (const auto *L = dyn_cast<LambdaExpr>(S)) {
        for (const LambdaCapture &C : L->captures())
          if (C.capturesVariable() && C.getCapturedVar() == D &&
              C.getCaptureKind() == LCK_ByRef)
            F.Escaped = true;
        return true;
      }
      const auto *Call = dyn_cast<CallExpr>(S);
      if (!Call || Call == Blocking)
        return true;
      if (const Expr *Recv = receiverOf(Call))
        if (handleOf(Recv) == D)
          record(Classify(Call, -1), Call, Counts(Call), F);
      unsigned First = isa<CXXOperatorCallExpr>(Call) &&
                               isa_and_nonnull<CXXMethodDecl>(Call->getDirectCallee())
                           ? 1
                           : 0;
      for (unsigned I = First; I < Call->getNumArgs(); ++I) {
        if (handleOf(Call->getArg(I)) != D)
          continue;
        HandleUse U = Classify(Call, I - First);
        if (U.K == UseKind::Unknown)
          U = followOrEscape(Call, I - First, Depth, Counts(Call), F);
        record(U, Call, Counts(Call), F);
      }
      return true;
    });
  }

private:
  void noteCreation(const Expr *Init, TimeoutAnalysis::HandleFacts &F) {
    if (!F.Creation && Init)
      F.Creation = ignoreWrappers(Init);
  }

  void record(const HandleUse &U, const CallExpr *Call, bool Counts,
              TimeoutAnalysis::HandleFacts &F) {
    switch (U.K) {
    case UseKind::Bounds:
      if (Counts)
        F.Bounded = true;
      break;
    case UseKind::Insufficient:
      F.Insufficient.emplace_back(Call, U.What);
      break;
    case UseKind::Unknown:
      F.Escaped = true;
      break;
    case UseKind::Benign:
      break;
    }
  }

  /// The handle is passed to a function that is not part of the client's
  /// API: a user timeout setter, a helper of this TU (followed), or unknown
  /// code (an escape).
  HandleUse followOrEscape(const CallExpr *Call, unsigned ParamIndex, unsigned Depth,
                     bool Counts, TimeoutAnalysis::HandleFacts &F) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (Callee && !Config.TimeoutSetters.empty() &&
        hasAnyQualifiedName(Callee, Config.TimeoutSetters))
      return {UseKind::Bounds, ""};
    const FunctionDecl *Def = followableCallee(Call, SM);
    if (!Def || ParamIndex >= Def->getNumParams() ||
        Depth >= TaskLoopAnalysis::MaxCallDepth)
      return {UseKind::Unknown, ""};
    TimeoutAnalysis::HandleFacts Inner;
    scan(Def, Def->getParamDecl(ParamIndex), /*OnlyBefore=*/false, Depth + 1,
         Inner);
    if (Inner.Escaped)
      return {UseKind::Unknown, ""};
    if (Inner.Bounded && Counts)
      F.Bounded = true;
    for (auto &I : Inner.Insufficient)
      F.Insufficient.push_back(I);
    return {UseKind::Benign, ""};
  }

  const SourceManager &SM;
  const SuiteConfig &Config;
  const UseClassifier &Classify;
  const CallExpr *Blocking;
  llvm::DenseSet<std::pair<const FunctionDecl *, const ValueDecl *>> Visited;
};
} // namespace

/// The functions that can touch \p D: the caller for a local, every method
/// of the class defined in this TU for a member. Empty for parameters (the
/// handle comes from a caller) and anything else.
static llvm::SmallVector<const FunctionDecl *, 8>
scopeOf(const ValueDecl *D, const FunctionDecl *Caller, bool &IsMember) {
  llvm::SmallVector<const FunctionDecl *, 8> Scope;
  IsMember = false;
  if (isa<ParmVarDecl>(D))
    return Scope;
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (VD->hasLocalStorage() && !VD->getType()->isReferenceType())
      Scope.push_back(Caller);
    return Scope;
  }
  if (const auto *FD = dyn_cast<FieldDecl>(D)) {
    // A reference member is bound to an object of the caller's.
    if (FD->getType()->isReferenceType())
      return Scope;
    IsMember = true;
    const auto *RD = dyn_cast<CXXRecordDecl>(FD->getParent());
    if (!RD)
      return Scope;
    for (const Decl *Member : RD->decls()) {
      const FunctionDecl *Fn = dyn_cast<FunctionDecl>(Member);
      if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(Member))
        Fn = FTD->getTemplatedDecl();
      if (!Fn)
        continue;
      const FunctionDecl *Def = nullptr;
      if (Fn->hasBody(Def) && Def)
        Scope.push_back(Def);
    }
  }
  return Scope;
}

/// What the functions that can touch \p D do to it, up to the blocking call.
static TimeoutAnalysis::HandleFacts
scanScope(ASTContext &Ctx, const SuiteConfig &Config,
          const UseClassifier &Classify, const CallExpr *Blocking,
          const ValueDecl *D, llvm::ArrayRef<const FunctionDecl *> Scope,
          bool IsMember) {
  TimeoutAnalysis::HandleFacts F;
  HandleScanner Scanner(Ctx, Config, Classify, Blocking);
  for (const FunctionDecl *Fn : Scope)
    Scanner.scan(Fn, D, /*OnlyBefore=*/!IsMember, 0, F);
  return F;
}

static TimeoutFinding findingFor(ClientFamily Family, const CallExpr *Call,
                                 const ValueDecl *D, const Expr *HandleExpr) {
  TimeoutFinding Finding;
  Finding.Family = Family;
  Finding.Call = Call;
  Finding.Handle = D;
  Finding.HandleExpr = HandleExpr;
  Finding.CreationDecl = D;
  return Finding;
}

//===--- libcurl ----------------------------------------------------------===//

static llvm::StringRef curlOptionName(const Expr *Opt) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Opt->IgnoreParenImpCasts()))
    if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
      return EC->getName();
  return "";
}

/// False only when \p E is a constant zero (0 means "no timeout" to curl).
static bool nonZero(const Expr *E, const ASTContext &Ctx) {
  Expr::EvalResult R;
  if (E->EvaluateAsRValue(R, Ctx) && R.Val.isInt())
    return R.Val.getInt() != 0;
  return true;
}

/// Any libcurl function (curl_easy_*, curl_multi_*, curl_mime_*, curl_url_*,
/// ...): it may read the handle, and none of them sets its timeouts.
static bool isCurlApi(const FunctionDecl *FD) {
  return FD && FD->getDeclName().isIdentifier() &&
         FD->getName().starts_with("curl_") && FD->isExternC();
}

std::optional<TimeoutFinding>
TimeoutAnalysis::analyseCurl(const CallExpr *Call, const FunctionDecl *Caller,
                             const Expr *HandleArg, ClientFamily Family) {
  const ValueDecl *D = handleOf(HandleArg);
  if (!D)
    return std::nullopt;
  bool IsMember = false;
  auto Scope = scopeOf(D, Caller, IsMember);
  if (Scope.empty())
    return std::nullopt;

  // LOW_SPEED_LIMIT and LOW_SPEED_TIME bound the exchange only together.
  bool LowLimit = false, LowTime = false;
  const CallExpr *LowCall = nullptr;
  ASTContext &C = Ctx;
  UseClassifier Classify = [&](const CallExpr *Use, int Arg) -> HandleUse {
    const FunctionDecl *Callee = Use->getDirectCallee();
    if (!isCurlApi(Callee))
      return {UseKind::Unknown, ""};
    if (Callee->getName() != "curl_easy_setopt" || Arg != 0 ||
        Use->getNumArgs() < 3)
      return {UseKind::Benign, ""};
    llvm::StringRef Opt = curlOptionName(Use->getArg(1));
    bool Set = nonZero(Use->getArg(2), C);
    if (Opt == "CURLOPT_TIMEOUT" || Opt == "CURLOPT_TIMEOUT_MS")
      return Set ? HandleUse{UseKind::Bounds, ""}
                 : HandleUse{
                       UseKind::Insufficient,
                       (Opt + " is set to 0, which means no timeout").str()};
    if (Opt == "CURLOPT_LOW_SPEED_LIMIT" || Opt == "CURLOPT_LOW_SPEED_TIME") {
      if (Set) {
        (Opt == "CURLOPT_LOW_SPEED_LIMIT" ? LowLimit : LowTime) = true;
        LowCall = Use;
      }
      return {UseKind::Benign, ""};
    }
    // A progress callback can abort the transfer (returning non-zero), which
    // is how applications implement their own deadlines: trust it.
    if ((Opt == "CURLOPT_XFERINFOFUNCTION" || Opt == "CURLOPT_PROGRESSFUNCTION") &&
        Set)
      return {UseKind::Bounds, ""};
    if (Opt == "CURLOPT_CONNECTTIMEOUT" || Opt == "CURLOPT_CONNECTTIMEOUT_MS")
      return {UseKind::Insufficient,
              (Opt + " bounds only the connection phase, not the transfer")
                  .str()};
    return {UseKind::Benign, ""};
  };

  HandleFacts F = scanScope(Ctx, Config, Classify, Call, D, Scope, IsMember);

  // Where did the handle come from? curl_easy_init(), a duplicate of another
  // handle (which inherits its options), or a factory of this TU.
  const auto *Origin = dyn_cast_or_null<CallExpr>(F.Creation);
  const FunctionDecl *OriginFn = Origin ? Origin->getDirectCallee() : nullptr;
  if (!OriginFn)
    return std::nullopt; // unknown origin: nothing to conclude
  if (OriginFn->getDeclName().isIdentifier() &&
      OriginFn->getName() == "curl_easy_duphandle" && Origin->getNumArgs() == 1) {
    if (const ValueDecl *Src = handleOf(Origin->getArg(0))) {
      bool SrcMember = false;
      auto SrcScope = scopeOf(Src, Caller, SrcMember);
      if (SrcScope.empty())
        return std::nullopt;
      HandleFacts SrcFacts;
      HandleScanner SrcScanner(Ctx, Config, Classify, Origin);
      for (const FunctionDecl *Fn : SrcScope)
        SrcScanner.scan(Fn, Src, /*OnlyBefore=*/!SrcMember, 0, SrcFacts);
      if (SrcFacts.Escaped || !SrcFacts.Creation)
        return std::nullopt;
      F.Bounded |= SrcFacts.Bounded;
      for (auto &I : SrcFacts.Insufficient)
        F.Insufficient.push_back(I);
    }
  } else if (!(OriginFn->getDeclName().isIdentifier() &&
               OriginFn->getName() == "curl_easy_init")) {
    // A factory of this TU: `CURL *make() { CURL *h = curl_easy_init(); ...
    // return h; }`. Its options count; anything else is unknown.
    const FunctionDecl *Def =
        followableCallee(Origin, Ctx.getSourceManager());
    if (!Def)
      return std::nullopt;
    const ValueDecl *Returned = nullptr;
    forEachStmtInFunction(Def->getBody(), [&](const Stmt *S) {
      if (const auto *Ret = dyn_cast<ReturnStmt>(S))
        if (Ret->getRetValue())
          Returned = handleOf(Ret->getRetValue());
      return true;
    });
    const auto *RetVar = dyn_cast_or_null<VarDecl>(Returned);
    if (!RetVar || !RetVar->hasLocalStorage() || isa<ParmVarDecl>(RetVar))
      return std::nullopt;
    HandleFacts FactoryFacts;
    HandleScanner FactoryScanner(Ctx, Config, Classify, nullptr);
    FactoryScanner.scan(Def, RetVar, /*OnlyBefore=*/false, 0, FactoryFacts);
    const auto *FactoryOrigin =
        dyn_cast_or_null<CallExpr>(FactoryFacts.Creation);
    if (!FactoryOrigin || !FactoryOrigin->getDirectCallee() ||
        !FactoryOrigin->getDirectCallee()->getDeclName().isIdentifier() ||
        FactoryOrigin->getDirectCallee()->getName() != "curl_easy_init")
      return std::nullopt;
    F.Bounded |= FactoryFacts.Bounded;
    for (auto &I : FactoryFacts.Insufficient)
      F.Insufficient.push_back(I);
  }

  if (LowLimit && LowTime)
    F.Bounded = true;
  else if ((LowLimit || LowTime) && LowCall)
    F.Insufficient.emplace_back(
        LowCall, LowLimit ? "CURLOPT_LOW_SPEED_LIMIT has no effect without "
                            "CURLOPT_LOW_SPEED_TIME"
                          : "CURLOPT_LOW_SPEED_TIME has no effect without "
                            "CURLOPT_LOW_SPEED_LIMIT");
  if (F.Bounded || F.Escaped)
    return std::nullopt;
  TimeoutFinding Finding;
  Finding.Family = Family;
  Finding.Call = Call;
  Finding.Handle = D;
  Finding.HandleExpr = HandleArg;
  Finding.Creation = F.Creation;
  Finding.CreationDecl = D;
  Finding.Insufficient = F.Insufficient;
  return Finding;
}

//===--- gRPC -------------------------------------------------------------===//

std::optional<TimeoutFinding>
TimeoutAnalysis::analyseGrpc(const CallExpr *Call, const FunctionDecl *Caller,
                             const Expr *ContextArg) {
  const ValueDecl *D = handleOf(ContextArg);
  if (!D || !hasAnyQualifiedName(recordOf(D->getType()), GrpcContexts))
    return std::nullopt; // a pointer from elsewhere, a smart pointer, ...
  bool IsMember = false;
  auto Scope = scopeOf(D, Caller, IsMember);
  if (Scope.empty())
    return std::nullopt;
  UseClassifier Classify = [&](const CallExpr *Use, int Arg) -> HandleUse {
    const FunctionDecl *Callee = Use->getDirectCallee();
    if (Arg < 0) {
      if (Callee && Callee->getDeclName().isIdentifier() &&
          Callee->getName() == "set_deadline")
        return {UseKind::Bounds, ""};
      return {UseKind::Benign, ""};
    }
    if (Callee && isInNamespace(Callee, "grpc"))
      return {UseKind::Benign, ""};
    // Another generated stub call with the same context.
    if (Arg == 0 && Callee && isa<CXXMethodDecl>(Callee))
      return {UseKind::Benign, ""};
    return {UseKind::Unknown, ""};
  };
  HandleFacts F = scanScope(Ctx, Config, Classify, Call, D, Scope, IsMember);
  if (F.Bounded || F.Escaped)
    return std::nullopt;
  TimeoutFinding Finding = findingFor(ClientFamily::Grpc, Call, D, ContextArg);
  return Finding;
}

//===--- Beast / asio streams ---------------------------------------------===//

static bool isWebsocketTimeoutOption(const CallExpr *Use) {
  if (Use->getNumArgs() == 0)
    return false;
  const Expr *Arg = Use->getArg(Use->getNumArgs() - 1);
  const CXXRecordDecl *RD = recordOf(Arg->getType());
  return RD && RD->getDeclName().isIdentifier() && RD->getName() == "timeout";
}

std::optional<TimeoutFinding>
TimeoutAnalysis::analyseStream(const CallExpr *Call, const FunctionDecl *Caller,
                               const Expr *StreamArg) {
  const ValueDecl *D = handleOf(StreamArg);
  if (!D)
    return std::nullopt;
  StreamKind Kind = streamKindOf(D->getType());
  if (Kind == StreamKind::None)
    return std::nullopt;
  const FunctionDecl *Callee = Call->getDirectCallee();
  bool Async = Callee && isAsyncName(Callee->getName());
  bool IsMember = false;
  auto Scope = scopeOf(D, Caller, IsMember);
  if (Scope.empty())
    return std::nullopt;

  bool HasTimer = false;
  UseClassifier Classify = [&](const CallExpr *Use, int Arg) -> HandleUse {
    const FunctionDecl *Fn = Use->getDirectCallee();
    llvm::StringRef Name =
        Fn && Fn->getDeclName().isIdentifier() ? Fn->getName() : "";
    if (Arg < 0) {
      if (Name == "expires_after" || Name == "expires_at")
        return {UseKind::Bounds, ""};
      if (Name == "expires_never")
        return {UseKind::Insufficient,
                "expires_never() removes the stream's time limit"};
      if (Name == "set_option" && isWebsocketTimeoutOption(Use))
        return {UseKind::Bounds, ""};
      if (Name == "native_handle")
        return {UseKind::Unknown, ""}; // setsockopt(SO_RCVTIMEO) and friends
      return {UseKind::Benign, ""};
    }
    if (Fn && (isInNamespace(Fn, "asio") || isInNamespace(Fn, "beast")))
      return {UseKind::Benign, ""};
    return {UseKind::Unknown, ""};
  };
  HandleFacts F = scanScope(Ctx, Config, Classify, Call, D, Scope, IsMember);

  // An async operation on a raw socket next to an asio timer (a member of
  // the same class or a local of the caller) is most likely cancelled by it.
  if (Kind == StreamKind::Raw) {
    if (!Async && Callee && (Callee->getName() == "async_connect"))
      Async = true;
    if (Async) {
      if (const auto *M = dyn_cast<CXXMethodDecl>(Caller))
        for (const FieldDecl *Field : M->getParent()->fields())
          if (isRecordNamed(Field->getType(), AsioTimers))
            HasTimer = true;
      forEachStmtInFunction(Caller->getBody(), [&](const Stmt *S) {
        if (const auto *DS = dyn_cast<DeclStmt>(S))
          for (const Decl *Dcl : DS->decls())
            if (const auto *VD = dyn_cast<VarDecl>(Dcl))
              if (isRecordNamed(VD->getType(), AsioTimers))
                HasTimer = true;
        return !HasTimer;
      });
    }
    if (HasTimer)
      return std::nullopt;
  }
  if (F.Bounded || F.Escaped)
    return std::nullopt;
  TimeoutFinding Finding = findingFor(Kind == StreamKind::Beast  ? ClientFamily::BeastStream
                   : Kind == StreamKind::Raw ? ClientFamily::RawSocket
                                             : ClientFamily::Websocket, Call, D, StreamArg);
  Finding.Insufficient = F.Insufficient;
  return Finding;
}

//===--- cpr and cpp-httplib ----------------------------------------------===//

std::optional<TimeoutFinding>
TimeoutAnalysis::analyseCpr(const CallExpr *Call, const FunctionDecl *Caller) {
  // cpr::Get(cpr::Url{...}, cpr::Timeout{1000}): bounded by an argument.
  if (!isa<CXXMemberCallExpr>(Call)) {
    for (const Expr *Arg : Call->arguments())
      if (isRecordNamed(Arg->getType(), CprBounds))
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
  // A cpr::Session: SetTimeout/SetLowSpeed, or SetOption(cpr::Timeout{}).
  const Expr *Recv = receiverOf(Call);
  const ValueDecl *D = Recv ? handleOf(Recv) : nullptr;
  if (!D)
    return std::nullopt;
  bool IsMember = false;
  auto Scope = scopeOf(D, Caller, IsMember);
  if (Scope.empty())
    return std::nullopt;
  UseClassifier Classify = [&](const CallExpr *Use, int Arg) -> HandleUse {
    const FunctionDecl *Fn = Use->getDirectCallee();
    llvm::StringRef Name =
        Fn && Fn->getDeclName().isIdentifier() ? Fn->getName() : "";
    if (Arg < 0) {
      if (Name == "SetTimeout" || Name == "SetLowSpeed")
        return {UseKind::Bounds, ""};
      if ((Name == "SetOption" || Name == "SetOptions") &&
          llvm::any_of(Use->arguments(), [](const Expr *A) {
            return isRecordNamed(A->getType(), CprBounds);
          }))
        return {UseKind::Bounds, ""};
      return {UseKind::Benign, ""};
    }
    if (Fn && isInNamespace(Fn, "cpr"))
      return {UseKind::Benign, ""};
    return {UseKind::Unknown, ""};
  };
  HandleFacts F = scanScope(Ctx, Config, Classify, Call, D, Scope, IsMember);
  if (F.Bounded || F.Escaped)
    return std::nullopt;
  TimeoutFinding Finding = findingFor(ClientFamily::Cpr, Call, D, Recv);
  return Finding;
}

std::optional<TimeoutFinding>
TimeoutAnalysis::analyseHttplib(const CallExpr *Call,
                                const FunctionDecl *Caller) {
  // cpp-httplib's defaults are bounded (connect 300 s, read/write 5 s): only
  // a client whose timeouts were set to zero can wait forever.
  const Expr *Recv = receiverOf(Call);
  const ValueDecl *D = Recv ? handleOf(Recv) : nullptr;
  if (!D)
    return std::nullopt;
  bool IsMember = false;
  auto Scope = scopeOf(D, Caller, IsMember);
  if (Scope.empty())
    return std::nullopt;
  ASTContext &C = Ctx;
  UseClassifier Classify = [&](const CallExpr *Use, int Arg) -> HandleUse {
    const FunctionDecl *Fn = Use->getDirectCallee();
    llvm::StringRef Name =
        Fn && Fn->getDeclName().isIdentifier() ? Fn->getName() : "";
    if (Arg < 0) {
      if ((Name == "set_read_timeout" || Name == "set_write_timeout" ||
           Name == "set_connection_timeout") &&
          Use->getNumArgs() >= 1 &&
          llvm::all_of(Use->arguments(), [&](const Expr *A) {
            return A->getType()->isIntegerType() && !nonZero(A, C);
          }))
        return {UseKind::Insufficient,
                (Name + " is set to zero, which disables the bound").str()};
      return {UseKind::Benign, ""};
    }
    if (Fn && isInNamespace(Fn, "httplib"))
      return {UseKind::Benign, ""};
    return {UseKind::Unknown, ""};
  };
  HandleFacts F = scanScope(Ctx, Config, Classify, Call, D, Scope, IsMember);
  if (F.Escaped || F.Insufficient.empty())
    return std::nullopt;
  TimeoutFinding Finding = findingFor(ClientFamily::Httplib, Call, D, Recv);
  Finding.Insufficient = F.Insufficient;
  return Finding;
}

//===--- Entry ------------------------------------------------------------===//

bool TimeoutAnalysis::isCandidate(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Name = Callee->getName();
  if (Name == "curl_easy_perform" || Name == "curl_multi_add_handle")
    return true;
  if (isStreamOpName(Name) || isHttpVerb(Name))
    return true;
  // gRPC generated stubs take a grpc::ClientContext* first.
  return Call->getNumArgs() > 0 && isa<CXXMemberCallExpr>(Call) &&
         isGrpcContextPointer(Call->getArg(0)->getType());
}

std::optional<TimeoutFinding>
TimeoutAnalysis::analyse(const CallExpr *Call, const FunctionDecl *Caller) {
  if (!Caller || !Caller->getBody() || !isCandidate(Call))
    return std::nullopt;
  const FunctionDecl *Callee = Call->getDirectCallee();
  llvm::StringRef Name = Callee->getName();
  if (Name == "curl_easy_perform" && Call->getNumArgs() == 1 &&
      Callee->isExternC())
    return analyseCurl(Call, Caller, Call->getArg(0), ClientFamily::Curl);
  if (Name == "curl_multi_add_handle" && Call->getNumArgs() == 2 &&
      Callee->isExternC())
    return analyseCurl(Call, Caller, Call->getArg(1), ClientFamily::CurlMulti);

  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (Call->getNumArgs() > 0 &&
        isGrpcContextPointer(Call->getArg(0)->getType()) &&
        !isInNamespace(M, "grpc"))
      return analyseGrpc(Call, Caller, Call->getArg(0));
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (isStreamOpName(Name) &&
        streamKindOf(Obj->getType()) != StreamKind::None)
      return analyseStream(Call, Caller, Obj);
    if (isHttpVerb(Name) && isRecordNamed(Obj->getType(), HttplibClients))
      return analyseHttplib(Call, Caller);
    if (isHttpVerb(Name) && isRecordNamed(Obj->getType(), CprSessions))
      return analyseCpr(Call, Caller);
    return std::nullopt;
  }
  if (isStreamOpName(Name) && Call->getNumArgs() > 0 &&
      (isInNamespace(Callee, "asio") || isInNamespace(Callee, "beast")) &&
      streamKindOf(Call->getArg(0)->getType()) != StreamKind::None)
    return analyseStream(Call, Caller, Call->getArg(0));
  if (isHttpVerb(Name) && isInNamespace(Callee, "cpr"))
    return analyseCpr(Call, Caller);
  return std::nullopt;
}

std::vector<TimeoutFinding>
TimeoutAnalysis::analyseFunction(const FunctionDecl *FD) {
  std::vector<TimeoutFinding> Findings;
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return Findings;
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (isCandidate(Call))
        if (std::optional<TimeoutFinding> F = analyse(Call, FD))
          Findings.push_back(std::move(*F));
    return true;
  });
  return Findings;
}

const Stmt *statementInBlock(const FunctionDecl *FD, const Stmt *S) {
  const Stmt *Found = nullptr;
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  forEachStmtInFunction(FD->getBody(), [&](const Stmt *Node) {
    if (const auto *CS = dyn_cast<CompoundStmt>(Node))
      for (const Stmt *Child : CS->body())
        if (Child == S ||
            (SM.isPointWithin(S->getBeginLoc(), Child->getBeginLoc(),
                              Child->getEndLoc()) &&
             !isa<CompoundStmt>(Child) && !isa<IfStmt>(Child) &&
             !isa<ForStmt>(Child) && !isa<WhileStmt>(Child) &&
             !isa<DoStmt>(Child) && !isa<SwitchStmt>(Child) &&
             !isa<CXXTryStmt>(Child) && !isa<CXXForRangeStmt>(Child)))
          Found = Child;
    return true;
  });
  return Found;
}

} // namespace clang::tidy::taskleak
