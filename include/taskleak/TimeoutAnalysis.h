//===--- TimeoutAnalysis.h - Network calls with no bound -------*- C++ -*-===//
//
// Finds blocking network calls whose client has no bound on the whole
// exchange: libcurl easy handles without CURLOPT_TIMEOUT(_MS) or the
// LOW_SPEED pair, gRPC calls whose ClientContext never gets a deadline,
// Beast/asio stream operations with no expiry, websocket streams without
// timeout options, cpr requests without cpr::Timeout, cpp-httplib clients
// whose timeouts were set to zero.
//
// Handles that come from a caller, or escape to code we cannot see, yield no
// finding: nothing can be concluded about them.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_TIMEOUTANALYSIS_H
#define TASKLEAK_TIMEOUTANALYSIS_H

#include "taskleak/ApiModel.h"
#include "taskleak/CallGraph.h"
#include "taskleak/HandleRef.h"
#include "taskleak/HandleUses.h"
#include "taskleak/PathSearch.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::taskleak {

enum class ClientFamily {
  Curl,
  CurlMulti,
  Grpc,
  BeastStream,
  RawSocket,
  Websocket,
  Cpr,
  Httplib,
};

struct TimeoutFinding {
  ClientFamily Family = ClientFamily::Curl;
  /// The blocking call.
  const CallExpr *Call = nullptr;
  /// The handle (easy handle, ClientContext, stream, session, client).
  const ValueDecl *Handle = nullptr;
  /// The expression that spells the handle at the call (for fix-its).
  const Expr *HandleExpr = nullptr;
  /// Where the handle was created (curl_easy_init(), the declaration).
  const Stmt *Creation = nullptr;
  const Decl *CreationDecl = nullptr;
  /// Settings that were made and do not bound the exchange, each with what
  /// it does (e.g. CURLOPT_CONNECTTIMEOUT, set_read_timeout(0)).
  llvm::SmallVector<std::pair<const CallExpr *, std::string>, 2> Insufficient;
};

class TimeoutAnalysis {
public:
  TimeoutAnalysis(ASTContext &Ctx, ApiModel &Api, HandleUses &Uses,
                  PathSearch &Paths);
  ~TimeoutAnalysis();

  /// A finding when \p Call is a blocking network call whose client has no
  /// bound on the exchange.
  std::optional<TimeoutFinding> analyse(const CallExpr *Call,
                                        const FunctionDecl *Caller);

  /// Every unbounded blocking network call in \p FD's own body (nested
  /// lambdas are functions of their own), in source order.
  std::vector<TimeoutFinding> analyseFunction(const FunctionDecl *FD);

  /// A cheap test: could \p Call be a network call this analysis models?
  bool isCandidate(const CallExpr *Call);

  /// What the functions that can touch a handle do to it.
  struct HandleFacts;

private:
  struct Scanner;
  std::optional<TimeoutFinding> analyseHandle(const CallExpr *Call,
                                              const FunctionDecl *Caller,
                                              const Expr *HandleExpr,
                                              ClientFamily Family);
  std::optional<TimeoutFinding> analyseCprCall(const CallExpr *Call);
  /// The facts of \p H over \p Scope; for a member (scope: the class's
  /// methods) memoised for the translation unit, so a class with many calls
  /// is scanned once.
  const HandleFacts &factsOf(const HandleRef &H, ClientFamily Family,
                             const FunctionDecl *Caller,
                             const CallExpr *Blocking, bool &IsMember,
                             bool &InScope);

  ASTContext &Ctx;
  ApiModel &Api;
  HandleUses &Uses;
  PathSearch &Paths;
  /// Per member handle: its facts, and whether its class has methods here.
  std::map<std::pair<HandleRef, ClientFamily>,
           std::pair<std::unique_ptr<HandleFacts>, bool>>
      MemberFacts;
  std::unique_ptr<HandleFacts> LocalFacts;
};

/// The statement directly inside a `{ }` block of \p FD that contains \p S,
/// or nullptr (used to place fix-its before the blocking call).
const Stmt *statementInBlock(const FunctionDecl *FD, const Stmt *S);

} // namespace clang::tidy::taskleak

#endif
