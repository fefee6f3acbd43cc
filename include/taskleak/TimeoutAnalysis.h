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
#include "llvm/ADT/SmallPtrSet.h"
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
  /// cpr::MultiPerform: its perform waits for every session added to it.
  CprMulti,
  Httplib,
  /// asio's ip::tcp::iostream.
  SocketIostream,
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
  /// Other places a reader needs: the other operations of the same
  /// exchange, where a connection handed to a task was accepted.
  llvm::SmallVector<std::pair<const Stmt *, std::string>, 2> Notes;
  /// The request goes to a literal loopback address (localhost, 127.0.0.1,
  /// [::1]): a server the program or its test started in-process.
  bool Loopback = false;
  /// Where to report when the call sits in a template of another file (a
  /// third-party library's forwarding template): the user's instantiating
  /// code. Invalid when the call itself is the place.
  SourceLocation ReportAt;
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
  /// Who can end a stream's pending operations in a scope (a class's
  /// methods, or one function): its closes and cancels, the timers whose
  /// handlers run them, the handlers posted to its executor, timed event
  /// loops.
  struct ScopeIndex;

private:
  struct Scanner;
  std::optional<TimeoutFinding> analyseHandle(const CallExpr *Call,
                                              const FunctionDecl *Caller,
                                              const Expr *HandleExpr,
                                              ClientFamily Family);
  std::optional<TimeoutFinding> analyseCprCall(const CallExpr *Call);
  /// A cpr::MultiPerform's perform: unbounded when a session it surely
  /// holds (added on every path to the call) has no timeout.
  std::optional<TimeoutFinding> analyseCprMulti(const CallExpr *Call,
                                                const FunctionDecl *Caller,
                                                const Expr *HandleExpr);
  /// The facts of \p H over \p Scope; for a member (scope: the class's
  /// methods) memoised for the translation unit, so a class with many calls
  /// is scanned once.
  const HandleFacts &factsOf(const HandleRef &H, ClientFamily Family,
                             const FunctionDecl *Caller,
                             const CallExpr *Blocking, bool &IsMember,
                             bool &InScope);

  /// The scope index of \p Scope (memoised by \p Key: the class of a
  /// member, or the function of a local).
  const ScopeIndex &indexOf(const void *Key,
                            llvm::ArrayRef<const FunctionDecl *> Scope);
  /// True when something in the handle's scope ends \p Call's wait: a timer
  /// or a posted handler that closes the stream, a timed event loop, a
  /// watchdog raced against the operation, a deadline completion token.
  bool endedByTimerOrOwner(const CallExpr *Call, const FunctionDecl *Caller,
                           const HandleRef &H, bool IsMember,
                           llvm::ArrayRef<const FunctionDecl *> Scope);
  /// For an asynchronous gRPC call (one given a completion queue): the
  /// first wait with no time limit on that queue (Next()) in \p Caller or,
  /// for a member queue, its class's methods, into \p Wait. False when the
  /// queue is drained only with a deadline (AsyncNext): the wait is bounded.
  bool completionQueueWait(const CallExpr *Call, const FunctionDecl *Caller,
                           const CallExpr *&Wait, std::string &QueueName);
  /// True when every path of \p Caller to \p Read takes a branch on which
  /// available() said bytes are queued on the socket \p H.
  bool onlyWhenQueued(const CallExpr *Read, const FunctionDecl *Caller,
                      const HandleRef &H);
  /// A user-defined completion token whose asio::async_result runs the
  /// event loop for a bounded time and closes or cancels what is still
  /// pending (a deadline token); memoised per token class.
  bool isDeadlineTokenType(QualType Token);
  /// The functions whose uses of \p H tell its story (HandleUses::scopeOf),
  /// and for a by-value stream parameter bound to a fresh connection by
  /// every spawn, \p Caller.
  std::vector<const FunctionDecl *>
  scopeFor(const HandleRef &H, const FunctionDecl *Caller, bool &IsMember);
  /// A by-value stream parameter that every spawn of its function binds to
  /// a connection accepted just now: the expression that accepted it.
  const Expr *freshConnectionFor(const ParmVarDecl *P, const FunctionDecl *FD);

  ASTContext &Ctx;
  ApiModel &Api;
  HandleUses &Uses;
  PathSearch &Paths;
  /// Per member handle: its facts, and whether its class has methods here.
  std::map<std::pair<HandleRef, ClientFamily>,
           std::pair<std::unique_ptr<HandleFacts>, bool>>
      MemberFacts;
  std::unique_ptr<HandleFacts> LocalFacts;
  std::map<const void *, std::unique_ptr<ScopeIndex>> Indexes;
  /// Task bodies -> the spawner's expressions bound to their parameters,
  /// built on first use for the whole TU.
  std::unique_ptr<std::map<const ParmVarDecl *, std::vector<const Expr *>>>
      SpawnArgs;
  std::map<const CXXRecordDecl *, bool> DeadlineTokens;
  /// Per function: its calls raced against a timer (`op || t.async_wait`).
  std::map<const FunctionDecl *, llvm::SmallPtrSet<const CallExpr *, 4>> Raced;
};

/// The statement directly inside a `{ }` block of \p FD that contains \p S,
/// or nullptr (used to place fix-its before the blocking call).
const Stmt *statementInBlock(const FunctionDecl *FD, const Stmt *S);

} // namespace clang::tidy::taskleak

#endif
