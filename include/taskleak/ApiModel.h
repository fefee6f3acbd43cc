//===--- ApiModel.h - Every library call the checks understand -*- C++ -*-===//
//
// One table of library knowledge. Every call the analyses care about maps to
// one effect from a closed enum, on one receiver (the object, an argument, or
// the arguments of an RAII guard's constructor), for one kind of object; every
// class they care about maps to an object kind. The call table is a
// clang::ento::CallDescriptionMap, whose qualifier matching skips names it was
// not told about (`tbb::concurrent_bounded_queue::pop` matches the real
// `tbb::detail::d2::concurrent_bounded_queue<T>::pop`), so no internal
// namespace is spelled here either.
//
// The user's option lists (SpawnFunctions, ChannelTypes, SendMethods,
// ReceiveMethods, CloseMethods, WaitGroupTypes, TimeoutSetters) are appended
// to the same tables when the model is built. No library name is spelled as
// a string anywhere else in lib/: an analysis asks this model.
//
// A model holds CallDescriptions, which remember identifiers of the AST they
// first saw: build one per translation unit (AnalysisCache does).
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_APIMODEL_H
#define TASKLEAK_APIMODEL_H

#include "taskleak/SuiteConfig.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <memory>
#include <string>
#include <vector>

namespace clang::tidy::taskleak {

/// What a call does, as far as tasks and their partners are concerned.
enum class Effect : unsigned char {
  None,
  // Tasks.
  Spawn,
  // Channels: blocking, non-blocking and timed forms kept apart.
  Send,
  TrySend,
  TimedSend,
  Receive,
  TryReceive,
  TimedReceive,
  Close,
  // Locks and counters.
  Acquire,
  TryAcquire,
  Release,
  CountDown,
  Arrive,
  ArriveAndWait,
  ArriveAndDrop,
  /// latch::wait(), a WaitGroup's Wait(): blocks until the count is reached.
  WaitCount,
  /// A WaitGroup's Add().
  AddCount,
  // Results.
  SetResult,
  GetResult,
  /// future::wait(): blocks like get() but does not consume.
  WaitResult,
  TimedWaitResult,
  // Time.
  Sleep,
  /// A condition-variable wait; whether it is a plain, timed or predicate
  /// wait depends on its arguments (see ApiCall::Wait).
  CondWait,
  Notify,
  // Cooperative stop.
  StopRequest,
  StopCheck,
  /// Boost.Thread interruption point: throws when the owner interrupts.
  InterruptionPoint,
  /// io_context::run(): returns when stopped or out of work.
  EventLoopRun,
  // Network clients.
  NetworkCall,
  TimeoutSet,
  /// tbb::concurrent_bounded_queue::set_capacity(n).
  SetCapacity,
  /// promise::get_future(): the future this promise sets.
  GetFuture,
  /// A call that names the same handle it is given (std::ref, p.get(),
  /// ws.next_layer(), get_lowest_layer(s), t.get_stop_source()).
  HandleAccess,
  /// std::bind and friends: the callable is argument 0.
  BindCallable,
  /// Any other call of a library the model knows, that does none of the
  /// above to the handle (curl_easy_getinfo, a stub call, ...).
  Benign,
};

/// The kind of object a class is.
enum class ObjectKind : unsigned char {
  None,
  Mutex,
  Semaphore,
  Latch,
  Barrier,
  Promise,
  Future,
  FiberChannel,
  TbbQueue,
  UserChannel,
  ConditionVariable,
  StopToken,
  StopSource,
  StopCallback,
  Thread,
  JThread,
  BoostThread,
  Fiber,
  WaitGroup,
  AsioTimer,
  AsioContext,
  BeastStream,
  RawSocket,
  Websocket,
  WebsocketTimeout,
  GrpcContext,
  /// grpc::CompletionQueue: Next() waits for an asynchronous call.
  GrpcCompletionQueue,
  /// libcurl handles performed directly or through a multi handle.
  CurlEasy,
  CurlMulti,
  HttplibClient,
  CprSession,
  /// cpr::MultiPerform: performs the sessions added to it, all at once.
  CprMulti,
  CprBound,
  /// cpr::ConnectTimeout: bounds only the connection phase.
  CprConnectBound,
  /// asio's ip::tcp::iostream (basic_socket_iostream).
  SocketIostream,
  ErrorCode,
  /// A standard value type whose const members read only its own state.
  OwnedValue,
  SmartPointer,
  RefWrapper,
  /// lock_guard, unique_lock, scoped_lock, shared_lock: RAII over a handle.
  LockGuard,
  ThreadContainer,
  /// An allocator or stack allocator argument of a fiber constructor.
  SpawnOption,
};

/// Which expression of a call names the handle the effect applies to.
enum class Receiver : unsigned char {
  None,
  /// The object of a member call (or the first argument of a member
  /// operator call).
  Object,
  /// Argument ApiEntry::Arg.
  Argument,
  /// The last argument (asio handlers).
  LastArgument,
};

/// How a task is started (checks.md, "spawn family").
enum class SpawnFamily : unsigned char {
  StdThread,
  StdJThread,
  StdAsync,
  PThread,
  BoostThread,
  BoostFiber,
  AsioHandler,
  TbbTask,
  UserDeclared,
};

llvm::StringRef spawnFamilyName(SpawnFamily F);

/// A send or a receive on a channel: blocking, try or timed.
bool isChannelTransfer(Effect E);
/// An operation that needs its handle to hold a channel, future or promise:
/// a channel transfer or close, a future's get or wait, a promise's set.
bool isHandleUse(Effect E);

/// One row of the table.
/// What a call does to the handle it is called on (a smart pointer to a
/// channel, a future, a promise), for the per-path handle state of
/// taskleak-nil-channel.
enum class HandleOp : unsigned char {
  None,
  /// The call's result is a handle that holds something (make_shared).
  Creates,
  /// The handle is left empty (std::future::get).
  Consumes,
  /// The handle is left empty and the result holds (future::share).
  Shares,
  /// reset(): empty without arguments, holding with one.
  Resets,
  /// The result tells whether the handle holds something (valid()).
  Tests,
};

struct ApiEntry {
  Effect E = Effect::None;
  ObjectKind Kind = ObjectKind::None;
  Receiver R = Receiver::None;
  unsigned char Arg = 0;
  /// The call may block until a partner acts.
  bool Blocking = false;
  /// The call throws when its partner shuts down (TBB's pop after abort(),
  /// fibers' value_pop on a closed channel, Boost.Thread interruption
  /// points, asio/Beast synchronous I/O without an error_code).
  bool ThrowsOnShutdown = false;
  SpawnFamily Family = SpawnFamily::UserDeclared;
  /// A shared-mode lock operation (lock_shared, unlock_shared, ...).
  bool Shared = false;
  /// What the call does to a handle that can hold nothing.
  HandleOp Op = HandleOp::None;
};

/// How a condition-variable wait can end.
enum class WaitShape : unsigned char {
  /// Only a notify wakes it (spuriously, too).
  Plain,
  /// It also ends after a duration.
  Timed,
  /// It waits for a predicate, or a std::stop_token also wakes it.
  Predicate,
};

/// The effect of one call expression, resolved.
struct ApiCall {
  const ApiEntry *Entry = nullptr;
  /// The expression that names the handle (receiver or argument); null for
  /// effects that apply to no handle (sleeps).
  const Expr *Handle = nullptr;
  WaitShape Wait = WaitShape::Plain;

  Effect effect() const { return Entry ? Entry->E : Effect::None; }
  ObjectKind kind() const { return Entry ? Entry->Kind : ObjectKind::None; }
  bool blocking() const { return Entry && Entry->Blocking; }
  bool throwsOnShutdown() const { return Entry && Entry->ThrowsOnShutdown; }
  explicit operator bool() const { return Entry != nullptr; }
};

/// What libcurl's curl_easy_setopt option does to the bound on a transfer.
enum class CurlOption : unsigned char {
  Other,
  Timeout,
  ConnectTimeout,
  LowSpeedLimit,
  LowSpeedTime,
  ProgressCallback,
  /// CURLOPT_URL.
  Url,
};

/// What a method of a network client does to its bound.
enum class ClientSetting : unsigned char {
  None,
  /// expires_after, set_deadline, SetTimeout, websocket timeout options.
  Bounds,
  /// expires_never(): removes the bound.
  Unbounds,
  /// native_handle(): the caller may set socket options we cannot see.
  RawAccess,
  /// httplib's set_*_timeout: bounded unless set to zero.
  ZeroableTimeout,
  /// SetOption(s)(...): bounds when an argument is a cpr bound.
  OptionList,
  /// close(), cancel(), shutdown(): ends the stream's pending operations.
  Cancels,
  /// cpr's SetConnectTimeout: bounds only the connection phase.
  ConnectOnly,
  /// cpr::MultiPerform::AddSession(s): session s (argument 0) joins the
  /// multi's transfers.
  JoinsSession,
};

class ApiModel {
public:
  explicit ApiModel(const SuiteConfig &Config);
  ~ApiModel();
  ApiModel(const ApiModel &) = delete;
  ApiModel &operator=(const ApiModel &) = delete;

  /// The effect of \p Call; memoised per call expression.
  const ApiCall &call(const CallExpr *Call);
  /// The effect of a constructor call: Spawn (thread, jthread, fiber) or
  /// none. Guards are asked through kindOf() of the constructed type.
  ApiCall construct(const CXXConstructExpr *CE);

  /// The kind of a class (through sugar, references, pointers are not
  /// looked through); a class that derives from a known one has its kind.
  ObjectKind kindOf(QualType T);
  /// The classes of kind \p K in the type table, joined with " or "
  /// (for a diagnostic's wording: "cpr::Timeout or cpr::LowSpeed").
  static std::string typeNamesOf(ObjectKind K);
  ObjectKind kindOfRecord(const CXXRecordDecl *RD);

  /// True when \p FD belongs to one of the libraries this model knows
  /// (asio/Beast, gRPC, cpr, cpp-httplib, libcurl): a call into it with a
  /// handle is no escape.
  bool isClientLibraryFunction(const FunctionDecl *FD, ObjectKind Client);
  /// A libcurl function (curl_*): it may read a handle and never bounds it.
  bool isCurlFunction(const FunctionDecl *FD) const;
  CurlOption curlOption(const Expr *OptionArg) const;
  /// Where a curl easy handle comes from, by the call that made it.
  enum class CurlOrigin { Other, Init, Duplicate };
  CurlOrigin curlOrigin(const FunctionDecl *FD) const;
  /// curl_easy_setopt().
  bool isCurlSetopt(const FunctionDecl *FD) const;
  /// What a method called on a network client handle does to its bound.
  ClientSetting clientSetting(const CallExpr *Call);
  /// An asio/Beast asynchronous operation (async_read, async_connect, ...).
  bool isAsyncOperation(const FunctionDecl *FD) const;
  /// What a stream operation (asio, Beast) does on the wire.
  /// ReadFrom: a datagram receive (receive_from).
  enum class StreamOp { Other, Read, ReadFrom, Write, Connect };
  StreamOp streamOp(const FunctionDecl *FD) const;
  /// io_context::run_for/run_until (and the run_one_ forms): the loop
  /// returns after a duration.
  bool isTimedEventLoopRun(const CallExpr *Call);
  /// io_context::stop().
  bool isEventLoopStop(const CallExpr *Call) const;
  /// A completion token that cancels the operation after a duration
  /// (asio::cancel_after, asio::cancel_at).
  bool isDeadlineToken(const Expr *E) const;
  /// A connection accepted just now (`acceptor.accept()` returning it).
  bool isFreshConnection(const Expr *E) const;
  /// `s.available()` / `s.available(ec)` on an asio socket: the number of
  /// bytes already received and waiting; null object when \p Call is not
  /// one.
  const Expr *queuedBytesQuery(const CallExpr *Call) const;
  /// A synchronous read that returns what is already queued without waiting
  /// for more (read_some, receive, receive_from): it cannot block once
  /// queuedBytesQuery() said something is there.
  bool returnsQueuedData(const FunctionDecl *FD) const;
  /// asio's local::connect_pair(a, b): both ends of a connection inside this
  /// program.
  bool isInProcessPair(const CallExpr *Call) const;
  /// The asio::async_result specialisations of this translation unit for
  /// the completion token type \p Token (instantiations and partial
  /// specialisations): where a user-defined token decides how the
  /// operation's caller waits.
  llvm::SmallVector<const CXXRecordDecl *, 2>
  completionResultsOf(QualType Token) const;
  /// A function the user listed in TimeoutSetters.
  bool isTimeoutSetter(const FunctionDecl *FD);
  /// A blocking network call, and the expression that names its client.
  /// Nothing for calls the model does not know as network calls.
  const Expr *networkClientOf(const CallExpr *Call, ObjectKind &Client);

  /// How many items a channel of this class holds with nobody receiving,
  /// from its construction: unbuffered 0, a fibers buffered_channel(cap)
  /// cap - 1, a TBB queue unbounded until set_capacity(). Nothing when the
  /// model does not know.
  enum class Buffering { Unknown, Unbuffered, CapacityMinusOne, Unbounded };
  Buffering bufferingOf(const CXXRecordDecl *RD);

  /// True for a class whose parameter a std::jthread body receives first.
  bool isStopToken(QualType T) { return kindOf(T) == ObjectKind::StopToken; }

  /// The kind of what a handle of type \p T refers to when it can hold
  /// nothing: a future or promise itself, or a smart pointer to a channel,
  /// future or promise; ObjectKind::None for other types.
  ObjectKind nullableHandleKind(QualType T);

  /// What a channel operation's status value says (fibers'
  /// `channel_op_status::success`, `::closed`); Unknown for anything else.
  enum class ChannelStatus { Unknown, Success, Closed };
  ChannelStatus channelStatusOf(const Expr *E) const;
  /// A call that asks whether a channel is closed (fibers' `is_closed()`).
  bool isClosedTest(const CallExpr *Call);

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace clang::tidy::taskleak

#endif
