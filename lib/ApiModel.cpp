//===--- ApiModel.cpp - The one table of library knowledge ----------------===//
#include "taskleak/ApiModel.h"
#include "taskleak/Names.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallDescription.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::taskleak {

using ento::CallDescription;
using ento::CallDescriptionMap;
using ento::CDM;

bool isChannelTransfer(Effect E) {
  switch (E) {
  case Effect::Send:
  case Effect::TrySend:
  case Effect::TimedSend:
  case Effect::Receive:
  case Effect::TryReceive:
  case Effect::TimedReceive:
    return true;
  default:
    return false;
  }
}

bool isHandleUse(Effect E) {
  switch (E) {
  case Effect::Close:
  case Effect::GetResult:
  case Effect::WaitResult:
  case Effect::TimedWaitResult:
  case Effect::SetResult:
    return true;
  default:
    return isChannelTransfer(E);
  }
}

llvm::StringRef spawnFamilyName(SpawnFamily F) {
  switch (F) {
  case SpawnFamily::StdThread:
    return "std::thread";
  case SpawnFamily::StdJThread:
    return "std::jthread";
  case SpawnFamily::StdAsync:
    return "std::async";
  case SpawnFamily::PThread:
    return "pthread_create";
  case SpawnFamily::BoostThread:
    return "boost::thread";
  case SpawnFamily::BoostFiber:
    return "boost::fibers::fiber";
  case SpawnFamily::AsioHandler:
    return "asio completion handler";
  case SpawnFamily::TbbTask:
    return "tbb task";
  case SpawnFamily::UserDeclared:
    return "user-declared spawn function";
  }
  return "task";
}

namespace {

//===--- The tables -------------------------------------------------------===//

/// A class the model knows. Qualifiers may skip names: `asio::basic_socket`
/// matches boost::asio's and standalone asio's.
struct TypeRow {
  const char *Name;
  ObjectKind Kind;
};

const TypeRow TypeTable[] = {
    // Locks.
    {"std::mutex", ObjectKind::Mutex},
    {"std::recursive_mutex", ObjectKind::Mutex},
    {"std::timed_mutex", ObjectKind::Mutex},
    {"std::recursive_timed_mutex", ObjectKind::Mutex},
    {"std::shared_mutex", ObjectKind::Mutex},
    {"std::shared_timed_mutex", ObjectKind::Mutex},
    {"boost::mutex", ObjectKind::Mutex},
    {"boost::recursive_mutex", ObjectKind::Mutex},
    {"boost::timed_mutex", ObjectKind::Mutex},
    {"boost::shared_mutex", ObjectKind::Mutex},
    {"boost::fibers::mutex", ObjectKind::Mutex},
    {"boost::fibers::recursive_mutex", ObjectKind::Mutex},
    {"boost::fibers::timed_mutex", ObjectKind::Mutex},
    {"std::counting_semaphore", ObjectKind::Semaphore},
    {"std::latch", ObjectKind::Latch},
    {"std::barrier", ObjectKind::Barrier},
    {"std::lock_guard", ObjectKind::LockGuard},
    {"std::unique_lock", ObjectKind::LockGuard},
    {"std::scoped_lock", ObjectKind::LockGuard},
    {"std::shared_lock", ObjectKind::LockGuard},
    {"boost::lock_guard", ObjectKind::LockGuard},
    {"boost::unique_lock", ObjectKind::LockGuard},
    {"boost::shared_lock", ObjectKind::LockGuard},
    // Results.
    {"std::promise", ObjectKind::Promise},
    {"boost::fibers::promise", ObjectKind::Promise},
    {"std::future", ObjectKind::Future},
    {"std::shared_future", ObjectKind::Future},
    {"boost::fibers::future", ObjectKind::Future},
    {"boost::fibers::shared_future", ObjectKind::Future},
    // Channels.
    {"boost::fibers::buffered_channel", ObjectKind::FiberChannel},
    {"boost::fibers::unbuffered_channel", ObjectKind::FiberChannel},
    {"tbb::concurrent_bounded_queue", ObjectKind::TbbQueue},
    {"std::condition_variable", ObjectKind::ConditionVariable},
    {"std::condition_variable_any", ObjectKind::ConditionVariable},
    {"boost::condition_variable", ObjectKind::ConditionVariable},
    {"boost::condition_variable_any", ObjectKind::ConditionVariable},
    {"boost::fibers::condition_variable", ObjectKind::ConditionVariable},
    {"boost::fibers::condition_variable_any", ObjectKind::ConditionVariable},
    // Stop.
    {"std::stop_token", ObjectKind::StopToken},
    {"std::stop_source", ObjectKind::StopSource},
    {"std::stop_callback", ObjectKind::StopCallback},
    // Tasks.
    {"std::thread", ObjectKind::Thread},
    {"std::jthread", ObjectKind::JThread},
    {"boost::thread", ObjectKind::BoostThread},
    {"boost::fibers::fiber", ObjectKind::Fiber},
    {"std::allocator_arg_t", ObjectKind::SpawnOption},
    // asio, Beast.
    {"asio::basic_waitable_timer", ObjectKind::AsioTimer},
    {"asio::basic_deadline_timer", ObjectKind::AsioTimer},
    {"asio::io_context", ObjectKind::AsioContext},
    {"boost::beast::basic_stream", ObjectKind::BeastStream},
    {"asio::basic_stream_socket", ObjectKind::RawSocket},
    {"asio::basic_datagram_socket", ObjectKind::RawSocket},
    {"asio::basic_socket_iostream", ObjectKind::SocketIostream},
    {"boost::beast::websocket::stream", ObjectKind::Websocket},
    {"boost::beast::websocket::stream_base::timeout",
     ObjectKind::WebsocketTimeout},
    {"boost::system::error_code", ObjectKind::ErrorCode},
    {"std::error_code", ObjectKind::ErrorCode},
    {"asio::error_code", ObjectKind::ErrorCode},
    // Other clients.
    {"grpc::ClientContext", ObjectKind::GrpcContext},
    {"grpc::CompletionQueue", ObjectKind::GrpcCompletionQueue},
    {"httplib::Client", ObjectKind::HttplibClient},
    {"httplib::SSLClient", ObjectKind::HttplibClient},
    {"httplib::ClientImpl", ObjectKind::HttplibClient},
    {"cpr::Session", ObjectKind::CprSession},
    {"cpr::MultiPerform", ObjectKind::CprMulti},
    {"cpr::Timeout", ObjectKind::CprBound},
    {"cpr::LowSpeed", ObjectKind::CprBound},
    {"cpr::ConnectTimeout", ObjectKind::CprConnectBound},
    // Values and wrappers.
    {"std::vector", ObjectKind::OwnedValue},
    {"std::basic_string", ObjectKind::OwnedValue},
    {"std::deque", ObjectKind::OwnedValue},
    {"std::list", ObjectKind::OwnedValue},
    {"std::forward_list", ObjectKind::OwnedValue},
    {"std::map", ObjectKind::OwnedValue},
    {"std::set", ObjectKind::OwnedValue},
    {"std::multimap", ObjectKind::OwnedValue},
    {"std::multiset", ObjectKind::OwnedValue},
    {"std::unordered_map", ObjectKind::OwnedValue},
    {"std::unordered_set", ObjectKind::OwnedValue},
    {"std::array", ObjectKind::OwnedValue},
    {"std::optional", ObjectKind::OwnedValue},
    {"std::pair", ObjectKind::OwnedValue},
    {"std::tuple", ObjectKind::OwnedValue},
    {"std::bitset", ObjectKind::OwnedValue},
    {"std::shared_ptr", ObjectKind::SmartPointer},
    {"std::unique_ptr", ObjectKind::SmartPointer},
    {"std::reference_wrapper", ObjectKind::RefWrapper},
};

/// One call the model knows.
struct CallRow {
  CDM Mode;
  const char *Name;
  ApiEntry Entry;
};

constexpr ApiEntry obj(Effect E, ObjectKind K, bool Blocking = false,
                       bool Throws = false) {
  ApiEntry A;
  A.E = E;
  A.Kind = K;
  A.R = Receiver::Object;
  A.Blocking = Blocking;
  A.ThrowsOnShutdown = Throws;
  return A;
}
constexpr ApiEntry arg(Effect E, ObjectKind K, unsigned char N,
                       bool Blocking = false, bool Throws = false) {
  ApiEntry A = obj(E, K, Blocking, Throws);
  A.R = Receiver::Argument;
  A.Arg = N;
  return A;
}
constexpr ApiEntry noHandle(Effect E, bool Blocking = false,
                            bool Throws = false) {
  ApiEntry A = obj(E, ObjectKind::None, Blocking, Throws);
  A.R = Receiver::None;
  return A;
}
constexpr ApiEntry spawn(SpawnFamily F, Receiver R, unsigned char N = 0) {
  ApiEntry A = noHandle(Effect::Spawn);
  A.R = R;
  A.Arg = N;
  A.Family = F;
  return A;
}

constexpr ApiEntry shared(ApiEntry A) {
  A.Shared = true;
  return A;
}

constexpr ApiEntry op(ApiEntry A, HandleOp O) {
  A.Op = O;
  return A;
}

constexpr bool Blocks = true;
constexpr bool Throws = true;
using OK = ObjectKind;
using E = Effect;

/// Member calls, per class: `Class` × {method: entry}.
struct MethodRow {
  const char *Method;
  ApiEntry Entry;
};
struct ClassMethods {
  std::initializer_list<const char *> Classes;
  std::initializer_list<MethodRow> Methods;
};

const ClassMethods MethodTable[] = {
    {{"std::mutex", "std::recursive_mutex", "std::timed_mutex",
      "std::recursive_timed_mutex", "std::shared_mutex",
      "std::shared_timed_mutex", "boost::mutex", "boost::recursive_mutex",
      "boost::timed_mutex", "boost::shared_mutex", "boost::fibers::mutex",
      "boost::fibers::recursive_mutex", "boost::fibers::timed_mutex"},
     {{"lock", obj(E::Acquire, OK::Mutex, Blocks)},
      {"lock_shared", shared(obj(E::Acquire, OK::Mutex, Blocks))},
      {"unlock", obj(E::Release, OK::Mutex)},
      {"unlock_shared", shared(obj(E::Release, OK::Mutex))},
      {"try_lock", obj(E::TryAcquire, OK::Mutex)},
      {"try_lock_for", obj(E::TryAcquire, OK::Mutex)},
      {"try_lock_until", obj(E::TryAcquire, OK::Mutex)},
      {"try_lock_shared", shared(obj(E::TryAcquire, OK::Mutex))},
      {"try_lock_shared_for", shared(obj(E::TryAcquire, OK::Mutex))},
      {"try_lock_shared_until", shared(obj(E::TryAcquire, OK::Mutex))}}},
    {{"std::counting_semaphore"},
     {{"acquire", obj(E::Acquire, OK::Semaphore, Blocks)},
      {"release", obj(E::Release, OK::Semaphore)},
      {"try_acquire", obj(E::TryAcquire, OK::Semaphore)},
      {"try_acquire_for", obj(E::TryAcquire, OK::Semaphore)},
      {"try_acquire_until", obj(E::TryAcquire, OK::Semaphore)}}},
    {{"std::latch"},
     {{"count_down", obj(E::CountDown, OK::Latch)},
      {"arrive_and_wait", obj(E::ArriveAndWait, OK::Latch, Blocks)},
      {"wait", obj(E::WaitCount, OK::Latch, Blocks)}}},
    {{"std::barrier"},
     {{"arrive", obj(E::Arrive, OK::Barrier)},
      {"arrive_and_wait", obj(E::ArriveAndWait, OK::Barrier, Blocks)},
      {"arrive_and_drop", obj(E::ArriveAndDrop, OK::Barrier)},
      {"wait", obj(E::WaitCount, OK::Barrier, Blocks)}}},
    // Boost.Fiber declares get_future() and set_exception() in
    // boost::fibers::detail::promise_base.
    {{"std::promise", "boost::fibers::promise", "boost::fibers::promise_base"},
     {{"set_value", obj(E::SetResult, OK::Promise)},
      {"set_exception", obj(E::SetResult, OK::Promise)},
      {"set_value_at_thread_exit", obj(E::SetResult, OK::Promise)},
      {"set_exception_at_thread_exit", obj(E::SetResult, OK::Promise)},
      {"get_future", obj(E::GetFuture, OK::Promise)}}},
    // libstdc++ declares wait() in std::__basic_future, Boost.Fiber in
    // boost::fibers::detail::future_base.
    // A future's get() consumes its shared state; a shared_future's does not.
    {{"std::future", "boost::fibers::future"},
     {{"get", op(obj(E::GetResult, OK::Future, Blocks), HandleOp::Consumes)},
      {"share", op(obj(E::Benign, OK::Future), HandleOp::Shares)}}},
    {{"std::shared_future", "boost::fibers::shared_future"},
     {{"get", obj(E::GetResult, OK::Future, Blocks)}}},
    {{"std::future", "std::shared_future", "std::__basic_future",
      "boost::fibers::future", "boost::fibers::shared_future",
      "boost::fibers::future_base"},
     {{"wait", obj(E::WaitResult, OK::Future, Blocks)},
      {"wait_for", obj(E::TimedWaitResult, OK::Future)},
      {"wait_until", obj(E::TimedWaitResult, OK::Future)},
      {"valid", op(obj(E::Benign, OK::Future), HandleOp::Tests)}}},
    {{"boost::fibers::buffered_channel", "boost::fibers::unbuffered_channel"},
     {{"push", obj(E::Send, OK::FiberChannel, Blocks)},
      {"try_push", obj(E::TrySend, OK::FiberChannel)},
      {"push_wait_for", obj(E::TimedSend, OK::FiberChannel)},
      {"push_wait_until", obj(E::TimedSend, OK::FiberChannel)},
      {"pop", obj(E::Receive, OK::FiberChannel, Blocks)},
      {"value_pop", obj(E::Receive, OK::FiberChannel, Blocks, Throws)},
      {"try_pop", obj(E::TryReceive, OK::FiberChannel)},
      {"pop_wait_for", obj(E::TimedReceive, OK::FiberChannel)},
      {"pop_wait_until", obj(E::TimedReceive, OK::FiberChannel)},
      {"close", obj(E::Close, OK::FiberChannel)},
      {"is_closed", obj(E::Benign, OK::FiberChannel)}}},
    {{"tbb::concurrent_bounded_queue"},
     {{"push", obj(E::Send, OK::TbbQueue, Blocks, Throws)},
      {"emplace", obj(E::Send, OK::TbbQueue, Blocks, Throws)},
      {"try_push", obj(E::TrySend, OK::TbbQueue)},
      {"try_emplace", obj(E::TrySend, OK::TbbQueue)},
      {"pop", obj(E::Receive, OK::TbbQueue, Blocks, Throws)},
      {"try_pop", obj(E::TryReceive, OK::TbbQueue)},
      {"abort", obj(E::Close, OK::TbbQueue)},
      {"set_capacity", obj(E::SetCapacity, OK::TbbQueue)}}},
    {{"std::condition_variable", "std::condition_variable_any",
      "boost::fibers::condition_variable",
      "boost::fibers::condition_variable_any"},
     {{"wait", obj(E::CondWait, OK::ConditionVariable, Blocks)},
      {"wait_for", obj(E::CondWait, OK::ConditionVariable, Blocks)},
      {"wait_until", obj(E::CondWait, OK::ConditionVariable, Blocks)},
      {"notify_one", obj(E::Notify, OK::ConditionVariable)},
      {"notify_all", obj(E::Notify, OK::ConditionVariable)}}},
    // Boost.Thread's waits are interruption points: they throw
    // boost::thread_interrupted when the owner calls interrupt().
    {{"boost::condition_variable", "boost::condition_variable_any"},
     {{"wait", obj(E::CondWait, OK::ConditionVariable, Blocks, Throws)},
      {"wait_for", obj(E::CondWait, OK::ConditionVariable, Blocks, Throws)},
      {"wait_until", obj(E::CondWait, OK::ConditionVariable, Blocks, Throws)},
      {"timed_wait", obj(E::CondWait, OK::ConditionVariable, Blocks, Throws)},
      {"notify_one", obj(E::Notify, OK::ConditionVariable)},
      {"notify_all", obj(E::Notify, OK::ConditionVariable)}}},
    {{"boost::thread"},
     {{"join", obj(E::Benign, OK::BoostThread, Blocks, Throws)},
      {"timed_join", obj(E::Benign, OK::BoostThread, Blocks, Throws)},
      {"try_join_for", obj(E::Benign, OK::BoostThread, Blocks, Throws)},
      {"try_join_until", obj(E::Benign, OK::BoostThread, Blocks, Throws)}}},
    {{"std::stop_token", "std::stop_source"},
     {{"stop_requested", obj(E::StopCheck, OK::StopToken)}}},
    {{"std::stop_source", "std::jthread"},
     {{"request_stop", obj(E::StopRequest, OK::JThread)},
      {"get_stop_source", obj(E::HandleAccess, OK::JThread)},
      {"get_stop_token", obj(E::HandleAccess, OK::JThread)}}},
    {{"std::shared_ptr", "std::__shared_ptr", "std::unique_ptr"},
     {{"get", obj(E::HandleAccess, OK::SmartPointer)},
      {"reset", op(obj(E::Benign, OK::SmartPointer), HandleOp::Resets)}}},
    {{"std::reference_wrapper"},
     {{"get", obj(E::HandleAccess, OK::RefWrapper)}}},
    // An asio event loop returns when it is stopped or runs out of work.
    {{"asio::io_context"},
     {{"run", obj(E::EventLoopRun, OK::AsioContext, Blocks)},
      {"run_one", obj(E::EventLoopRun, OK::AsioContext, Blocks)},
      {"run_for", obj(E::EventLoopRun, OK::AsioContext, Blocks)},
      {"run_until", obj(E::EventLoopRun, OK::AsioContext, Blocks)},
      {"run_one_for", obj(E::EventLoopRun, OK::AsioContext, Blocks)},
      {"run_one_until", obj(E::EventLoopRun, OK::AsioContext, Blocks)}}},
    // Layers of a stream name the same connection.
    {{"boost::beast::basic_stream", "boost::beast::websocket::stream",
      "asio::ssl::stream", "asio::basic_socket", "asio::basic_stream_socket"},
     {{"next_layer", obj(E::HandleAccess, OK::None)},
      {"lowest_layer", obj(E::HandleAccess, OK::None)},
      {"socket", obj(E::HandleAccess, OK::None)}}},
    // gRPC's asynchronous API: Next() waits until some call completes,
    // AsyncNext() until its deadline at most.
    {{"grpc::CompletionQueue"},
     {{"Next", obj(E::Benign, OK::GrpcCompletionQueue, Blocks)},
      {"AsyncNext", obj(E::Benign, OK::GrpcCompletionQueue)}}},
    {{"tbb::task_group", "tbb::task_group_base", "tbb::structured_task_group",
      "tbb::task_arena"},
     {{"run", spawn(SpawnFamily::TbbTask, Receiver::Argument, 0)},
      {"enqueue", spawn(SpawnFamily::TbbTask, Receiver::Argument, 0)}}},
};

/// Free functions.
const CallRow FunctionTable[] = {
    {CDM::SimpleFunc, "std::make_shared",
     op(noHandle(E::Benign), HandleOp::Creates)},
    {CDM::SimpleFunc, "std::make_unique",
     op(noHandle(E::Benign), HandleOp::Creates)},
    {CDM::SimpleFunc, "std::allocate_shared",
     op(noHandle(E::Benign), HandleOp::Creates)},
    {CDM::SimpleFunc, "std::async",
     spawn(SpawnFamily::StdAsync, Receiver::None)},
    {CDM::CLibrary, "pthread_create",
     spawn(SpawnFamily::PThread, Receiver::Argument, 2)},
    {CDM::SimpleFunc, "asio::co_spawn",
     spawn(SpawnFamily::AsioHandler, Receiver::Argument, 1)},
    {CDM::CLibrary, "pthread_mutex_lock",
     arg(E::Acquire, OK::Mutex, 0, Blocks)},
    {CDM::CLibrary, "pthread_mutex_unlock", arg(E::Release, OK::Mutex, 0)},
    {CDM::CLibrary, "pthread_mutex_trylock", arg(E::TryAcquire, OK::Mutex, 0)},
    {CDM::CLibrary, "sem_wait", arg(E::Acquire, OK::Semaphore, 0, Blocks)},
    {CDM::CLibrary, "sem_post", arg(E::Release, OK::Semaphore, 0)},
    {CDM::CLibrary, "sem_trywait", arg(E::TryAcquire, OK::Semaphore, 0)},
    {CDM::CLibrary, "sem_timedwait", arg(E::TryAcquire, OK::Semaphore, 0)},
    {CDM::SimpleFunc, "std::this_thread::sleep_for", noHandle(E::Sleep)},
    {CDM::SimpleFunc, "std::this_thread::sleep_until", noHandle(E::Sleep)},
    {CDM::SimpleFunc, "boost::this_thread::sleep_for",
     noHandle(E::Sleep, false, Throws)},
    {CDM::SimpleFunc, "boost::this_thread::sleep_until",
     noHandle(E::Sleep, false, Throws)},
    {CDM::SimpleFunc, "boost::this_thread::sleep",
     noHandle(E::Sleep, false, Throws)},
    {CDM::SimpleFunc, "boost::this_thread::interruption_point",
     noHandle(E::InterruptionPoint, false, Throws)},
    {CDM::SimpleFunc, "boost::this_fiber::sleep_for", noHandle(E::Sleep)},
    {CDM::SimpleFunc, "boost::this_fiber::sleep_until", noHandle(E::Sleep)},
    {CDM::CLibrary, "usleep", noHandle(E::Sleep)},
    {CDM::CLibrary, "sleep", noHandle(E::Sleep)},
    {CDM::CLibrary, "nanosleep", noHandle(E::Sleep)},
    {CDM::CLibrary, "clock_nanosleep", noHandle(E::Sleep)},
    {CDM::SimpleFunc, "std::ref", arg(E::HandleAccess, OK::RefWrapper, 0)},
    {CDM::SimpleFunc, "std::cref", arg(E::HandleAccess, OK::RefWrapper, 0)},
    {CDM::SimpleFunc, "boost::ref", arg(E::HandleAccess, OK::RefWrapper, 0)},
    {CDM::SimpleFunc, "boost::beast::get_lowest_layer",
     arg(E::HandleAccess, OK::None, 0)},
    {CDM::SimpleFunc, "std::bind", arg(E::BindCallable, OK::None, 0)},
    {CDM::SimpleFunc, "std::bind_front", arg(E::BindCallable, OK::None, 0)},
    {CDM::SimpleFunc, "boost::bind", arg(E::BindCallable, OK::None, 0)},
    {CDM::SimpleFunc, "boost::beast::bind_front_handler",
     arg(E::BindCallable, OK::None, 0)},
    {CDM::SimpleFunc, "boost::beast::bind_handler",
     arg(E::BindCallable, OK::None, 0)},
    {CDM::SimpleFunc, "asio::bind_executor", arg(E::BindCallable, OK::None, 1)},
    // Network: which argument names the client.
    {CDM::CLibrary, "curl_easy_perform",
     arg(E::NetworkCall, OK::None, 0, Blocks)},
    {CDM::CLibrary, "curl_multi_add_handle",
     arg(E::NetworkCall, OK::None, 1, Blocks)},
};

// Rows built by rule rather than by name (their entries need an address).
const ApiEntry AsioHandlerSpawn =
    spawn(SpawnFamily::AsioHandler, Receiver::LastArgument);
const ApiEntry AsioSyncIo = noHandle(E::NetworkCall, Blocks, Throws);
const ApiEntry ThreadSpawn =
    spawn(SpawnFamily::StdThread, Receiver::Argument, 0);
const ApiEntry JThreadSpawn =
    spawn(SpawnFamily::StdJThread, Receiver::Argument, 0);
const ApiEntry BoostThreadSpawn =
    spawn(SpawnFamily::BoostThread, Receiver::Argument, 0);
const ApiEntry FiberSpawn = spawn(SpawnFamily::BoostFiber, Receiver::None);
const ApiEntry UserSpawn = spawn(SpawnFamily::UserDeclared, Receiver::None);
const ApiEntry UserSend = obj(E::Send, OK::UserChannel, Blocks);
const ApiEntry UserReceive = obj(E::Receive, OK::UserChannel, Blocks);
const ApiEntry UserClose = obj(E::Close, OK::UserChannel);
const ApiEntry UserTimeoutSetter = noHandle(E::TimeoutSet);
const ApiEntry WaitGroupAdd = obj(E::AddCount, OK::WaitGroup);
const ApiEntry WaitGroupDone = obj(E::CountDown, OK::WaitGroup);
const ApiEntry WaitGroupWait = obj(E::WaitCount, OK::WaitGroup, Blocks);

/// Names of stream operations (asio, Beast) that wait on the peer.
bool isStreamOperation(llvm::StringRef N) {
  return N == "read" || N == "read_some" || N == "read_until" ||
         N == "read_header" || N == "write" || N == "write_some" ||
         N == "async_read" || N == "async_read_some" ||
         N == "async_read_until" || N == "async_read_header" ||
         N == "async_write" || N == "async_write_some" || N == "connect" ||
         N == "async_connect" || N == "receive" || N == "async_receive" ||
         N == "handshake" || N == "async_handshake" || N == "accept" ||
         N == "async_accept" || N == "receive_from" ||
         N == "async_receive_from" || N == "send_to" || N == "async_send_to";
}

/// HTTP request methods of client libraries (cpr, cpp-httplib).
bool isHttpVerb(llvm::StringRef N) {
  return N == "Get" || N == "Post" || N == "Put" || N == "Patch" ||
         N == "Delete" || N == "Head" || N == "Options" || N == "send" ||
         N == "Download";
}

/// Parts of a qualified name: "a::b::c" -> {"a", "b", "c"}.
std::vector<std::string> splitName(llvm::StringRef Name) {
  std::vector<std::string> Parts;
  Name.consume_front("::");
  llvm::SmallVector<llvm::StringRef, 4> Pieces;
  Name.split(Pieces, "::");
  for (llvm::StringRef P : Pieces)
    Parts.push_back(P.str());
  return Parts;
}

/// CallDescription's rule for classes: \p D is named Parts.back() and every
/// other part names an enclosing namespace or class, in order, with any
/// other names between them.
bool matchesParts(const NamedDecl *D, llvm::ArrayRef<std::string> Parts) {
  if (Parts.empty() || !D->getDeclName().isIdentifier() ||
      D->getName() != Parts.back())
    return false;
  auto It = Parts.rbegin() + 1, End = Parts.rend();
  for (const DeclContext *DC = D->getDeclContext(); DC && It != End;
       DC = DC->getParent()) {
    if (!isa<NamespaceDecl>(DC) && !isa<RecordDecl>(DC))
      continue;
    const auto *ND = cast<NamedDecl>(DC);
    if (ND->getDeclName().isIdentifier() && ND->getName() == *It)
      ++It;
  }
  return It == End;
}

bool inNamespaceNamed(const Decl *D, llvm::StringRef Name) {
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      if (NS->getDeclName().isIdentifier() && NS->getName() == Name)
        return true;
  return false;
}

bool isCallableArgument(const Expr *E) {
  QualType T = ignoreWrappers(E)->getType();
  if (const CXXRecordDecl *RD = recordOf(T)) {
    if (RD->isLambda())
      return true;
    if (!RD->hasDefinition())
      return false;
    for (const CXXMethodDecl *M : RD->getDefinition()->methods())
      if (M->getOverloadedOperator() == OO_Call)
        return true;
    return false;
  }
  return T->isFunctionPointerType() || T->isFunctionType();
}

} // namespace

//===--- The model --------------------------------------------------------===//

struct ApiModel::Impl {
  explicit Impl(const SuiteConfig &Config);

  /// Every named call, in one CallDescriptionMap per function name (first
  /// match wins): a call whose callee has none of these names costs one hash
  /// lookup, one that has scans only the rows of its name.
  llvm::StringMap<std::vector<std::pair<CallDescription, ApiEntry>>> Rows;
  llvm::StringMap<std::unique_ptr<CallDescriptionMap<ApiEntry>>> Maps;

  struct TypeRule {
    std::vector<std::string> Parts;
    ObjectKind Kind;
  };
  llvm::StringMap<std::vector<TypeRule>> Types;
  std::vector<std::vector<std::string>> WaitGroupTypes, ChannelTypes,
      TimeoutSetters;

  llvm::DenseMap<const CallExpr *, ApiCall> Calls;
  llvm::DenseMap<const CXXRecordDecl *, ObjectKind> Kinds;

  void addType(llvm::StringRef Name, ObjectKind K) {
    std::vector<std::string> Parts = splitName(Name);
    std::string Last = Parts.back();
    Types[Last].push_back({std::move(Parts), K});
  }
  void addCall(CDM Mode, llvm::StringRef Name, const ApiEntry &Entry) {
    std::vector<std::string> Parts = splitName(Name);
    std::vector<llvm::StringRef> Refs(Parts.begin(), Parts.end());
    Rows[Parts.back()].emplace_back(CallDescription(Mode, Refs), Entry);
  }
  ApiCall resolve(const CallExpr *Call, ApiModel &M);
};

ApiModel::Impl::Impl(const SuiteConfig &Config) {
  // The user's lists come first: a user's method is theirs to describe.
  for (const std::string &N : Config.SpawnFunctions)
    addCall(CDM::Unspecified, N, UserSpawn);
  for (const std::string &N : Config.SendMethods)
    addCall(CDM::CXXMethod, N, UserSend);
  for (const std::string &N : Config.ReceiveMethods)
    addCall(CDM::CXXMethod, N, UserReceive);
  for (const std::string &N : Config.CloseMethods)
    addCall(CDM::CXXMethod, N, UserClose);
  for (const std::string &N : Config.TimeoutSetters)
    addCall(CDM::Unspecified, N, UserTimeoutSetter);
  for (const std::string &N : Config.ChannelTypes)
    ChannelTypes.push_back(splitName(N));
  for (const std::string &N : Config.WaitGroupTypes)
    WaitGroupTypes.push_back(splitName(N));
  for (const std::string &N : Config.TimeoutSetters)
    TimeoutSetters.push_back(splitName(N));

  for (const ClassMethods &C : MethodTable)
    for (const char *Class : C.Classes)
      for (const MethodRow &M : C.Methods)
        addCall(CDM::CXXMethod, (llvm::Twine(Class) + "::" + M.Method).str(),
                M.Entry);
  for (const CallRow &R : FunctionTable)
    addCall(R.Mode, R.Name, R.Entry);
  for (const TypeRow &T : TypeTable)
    addType(T.Name, T.Kind);

  for (auto &[Name, List] : Rows)
    Maps[Name] = std::make_unique<CallDescriptionMap<ApiEntry>>(
        std::make_move_iterator(List.begin()),
        std::make_move_iterator(List.end()));
  Rows.clear();
}

ApiModel::ApiModel(const SuiteConfig &Config)
    : P(std::make_unique<Impl>(Config)) {}
ApiModel::~ApiModel() = default;

ObjectKind ApiModel::kindOf(QualType T) { return kindOfRecord(recordOf(T)); }

static bool isWaitGroupShaped(const CXXRecordDecl *RD) {
  if (!RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  // Name lookups in the class, not a walk over its members.
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

std::string ApiModel::typeNamesOf(ObjectKind K) {
  std::string Names;
  for (const TypeRow &R : TypeTable)
    if (R.Kind == K)
      Names += (Names.empty() ? "" : " or ") + std::string(R.Name);
  return Names;
}

ObjectKind ApiModel::nullableHandleKind(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  ObjectKind K = kindOfRecord(RD);
  if (K == ObjectKind::Future || K == ObjectKind::Promise)
    return K;
  if (K != ObjectKind::SmartPointer)
    return ObjectKind::None;
  const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return ObjectKind::None;
  ObjectKind Pointee = kindOf(Spec->getTemplateArgs()[0].getAsType());
  switch (Pointee) {
  case ObjectKind::FiberChannel:
  case ObjectKind::TbbQueue:
  case ObjectKind::UserChannel:
  case ObjectKind::Future:
  case ObjectKind::Promise:
    return Pointee;
  default:
    return ObjectKind::None;
  }
}

ObjectKind ApiModel::kindOfRecord(const CXXRecordDecl *RD) {
  if (!RD)
    return ObjectKind::None;
  auto It = P->Kinds.find(RD);
  if (It != P->Kinds.end())
    return It->second;
  P->Kinds[RD] = ObjectKind::None; // a class cannot derive from itself
  ObjectKind K = ObjectKind::None;
  if (RD->getDeclName().isIdentifier()) {
    llvm::StringRef Name = RD->getName();
    auto TI = P->Types.find(Name);
    if (TI != P->Types.end())
      for (const Impl::TypeRule &Rule : TI->second)
        if (matchesParts(RD, Rule.Parts)) {
          K = Rule.Kind;
          break;
        }
    if (K == ObjectKind::None)
      for (const auto &Parts : P->ChannelTypes)
        if (matchesParts(RD, Parts))
          K = ObjectKind::UserChannel;
    if (K == ObjectKind::None)
      for (const auto &Parts : P->WaitGroupTypes)
        if (matchesParts(RD, Parts))
          K = ObjectKind::WaitGroup;
    // Fiber stack allocators and tags passed before the fiber's body.
    if (K == ObjectKind::None && inNamespaceNamed(RD, "fibers") &&
        (Name.contains("stack") || Name.contains("salloc")))
      K = ObjectKind::SpawnOption;
  }
  if (K == ObjectKind::None && RD->hasDefinition()) {
    for (const CXXBaseSpecifier &Base : RD->getDefinition()->bases())
      if (ObjectKind BK = kindOfRecord(recordOf(Base.getType()));
          BK != ObjectKind::None && BK != ObjectKind::OwnedValue) {
        K = BK;
        break;
      }
  }
  if (K == ObjectKind::None && isWaitGroupShaped(RD))
    K = ObjectKind::WaitGroup;
  P->Kinds[RD] = K;
  return K;
}

static const Expr *argumentOrNull(const CallExpr *Call, unsigned I) {
  // A member operator call carries its object as argument 0.
  unsigned Offset =
      isa<CXXOperatorCallExpr>(Call) &&
              isa_and_nonnull<CXXMethodDecl>(Call->getDirectCallee())
          ? 1
          : 0;
  return I + Offset < Call->getNumArgs() ? Call->getArg(I + Offset) : nullptr;
}

static ApiCall make(const ApiEntry *Entry, const CallExpr *Call) {
  ApiCall R;
  R.Entry = Entry;
  switch (Entry->R) {
  case Receiver::None:
    break;
  case Receiver::Object:
    R.Handle = receiverOf(Call);
    break;
  case Receiver::Argument:
    R.Handle = argumentOrNull(Call, Entry->Arg);
    break;
  case Receiver::LastArgument:
    R.Handle =
        Call->getNumArgs() ? Call->getArg(Call->getNumArgs() - 1) : nullptr;
    break;
  }
  return R;
}

/// The shape of a condition-variable wait, from its arguments.
static WaitShape waitShape(const CallExpr *Call, ApiModel &M) {
  const FunctionDecl *FD = Call->getDirectCallee();
  unsigned N = Call->getNumArgs();
  for (const Expr *A : Call->arguments())
    if (M.kindOf(A->getType()) == ObjectKind::StopToken)
      return WaitShape::Predicate;
  bool Timed = FD->getName() != "wait";
  unsigned WithPredicate = Timed ? 3 : 2;
  if (N >= WithPredicate && isCallableArgument(Call->getArg(N - 1)))
    return WaitShape::Predicate;
  return Timed ? WaitShape::Timed : WaitShape::Plain;
}

ApiCall ApiModel::Impl::resolve(const CallExpr *Call, ApiModel &M) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return {};
  llvm::StringRef Name = FD->getName();
  auto MI = Maps.find(Name);
  if (MI != Maps.end())
    if (const ApiEntry *Entry = MI->second->lookupAsWritten(*Call)) {
      ApiCall R = make(Entry, Call);
      if (Entry->E == Effect::CondWait)
        R.Wait = waitShape(Call, M);
      return R;
    }
  const auto *Method = dyn_cast<CXXMethodDecl>(FD);
  if (Method) {
    // Classes known by kind: WaitGroup-style classes, user channels.
    ObjectKind K = M.kindOfRecord(Method->getParent());
    if (K == ObjectKind::WaitGroup) {
      if (Name == "Add" || Name == "add")
        return make(&WaitGroupAdd, Call);
      if (Name == "Done" || Name == "done")
        return make(&WaitGroupDone, Call);
      if (Name == "Wait" || Name == "wait")
        return make(&WaitGroupWait, Call);
    }
    if (K == ObjectKind::UserChannel && Name == "close")
      return make(&UserClose, Call);
    // threads.emplace_back(body, args...) constructs the thread inside the
    // library (push_back(std::thread(...)) is matched at the constructor).
    if ((Name == "emplace_back" || Name == "emplace") && Call->getNumArgs()) {
      if (const auto *Spec =
              dyn_cast<ClassTemplateSpecializationDecl>(Method->getParent()))
        if (Spec->getTemplateArgs().size() > 0 &&
            Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type) {
          ObjectKind VK = M.kindOf(Spec->getTemplateArgs()[0].getAsType());
          ObjectKind AK = M.kindOf(Call->getArg(0)->getType());
          bool ThreadArg = AK == ObjectKind::Thread ||
                           AK == ObjectKind::JThread ||
                           AK == ObjectKind::BoostThread;
          if (!ThreadArg &&
              (VK == ObjectKind::Thread || VK == ObjectKind::BoostThread))
            return make(&ThreadSpawn, Call);
          if (!ThreadArg && VK == ObjectKind::JThread)
            return make(&JThreadSpawn, Call);
        }
      return {};
    }
  }
  // asio and Beast by rule: every async_* operation and post/dispatch/defer
  // hands over a completion handler; synchronous I/O without an error_code
  // argument throws when the peer or the owner closes the connection.
  if (inNamespaceNamed(FD, "asio") || inNamespaceNamed(FD, "beast")) {
    if (Call->getNumArgs() &&
        (Name.starts_with("async_") || Name == "post" || Name == "dispatch" ||
         (!Method && Name == "defer")))
      return make(&AsioHandlerSpawn, Call);
    bool IsIo = Name.contains("read") || Name.contains("write") ||
                Name.contains("accept") || Name.contains("connect") ||
                Name.contains("receive") || Name.contains("send") ||
                Name == "handshake";
    const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
    if (IsIo && Proto && !Proto->isNothrow() &&
        llvm::none_of(Call->arguments(), [&](const Expr *A) {
          return M.kindOf(A->getType()) == ObjectKind::ErrorCode;
        }))
      return make(&AsioSyncIo, Call);
  }
  return {};
}

const ApiCall &ApiModel::call(const CallExpr *Call) {
  auto It = P->Calls.find(Call);
  if (It != P->Calls.end())
    return It->second;
  ApiCall R = P->resolve(Call, *this);
  return P->Calls.try_emplace(Call, R).first->second;
}

ApiCall ApiModel::construct(const CXXConstructExpr *CE) {
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (!Ctor || Ctor->isCopyOrMoveConstructor() || CE->getNumArgs() == 0)
    return {};
  ApiCall R;
  switch (kindOfRecord(Ctor->getParent())) {
  case ObjectKind::Thread:
    R.Entry = &ThreadSpawn;
    break;
  case ObjectKind::JThread:
    R.Entry = &JThreadSpawn;
    break;
  case ObjectKind::BoostThread:
    R.Entry = &BoostThreadSpawn;
    break;
  case ObjectKind::Fiber:
    R.Entry = &FiberSpawn;
    // The body is the first argument that is no launch policy, allocator
    // tag or stack allocator.
    for (const Expr *A : CE->arguments()) {
      QualType T = A->getType();
      if (T->isEnumeralType() || kindOf(T) == ObjectKind::SpawnOption)
        continue;
      R.Handle = A;
      break;
    }
    return R.Handle ? R : ApiCall();
  default:
    return {};
  }
  // A thread whose argument is a thread is a move, not a spawn.
  R.Handle = CE->getArg(0);
  return R;
}

ApiModel::Buffering ApiModel::bufferingOf(const CXXRecordDecl *RD) {
  switch (kindOfRecord(RD)) {
  case ObjectKind::FiberChannel:
    return RD->getName() == "unbuffered_channel" ? Buffering::Unbuffered
                                                 : Buffering::CapacityMinusOne;
  case ObjectKind::TbbQueue:
    return Buffering::Unbounded;
  default:
    return Buffering::Unknown;
  }
}

bool ApiModel::isTimeoutSetter(const FunctionDecl *FD) {
  if (!FD || P->TimeoutSetters.empty())
    return false;
  return llvm::any_of(
      P->TimeoutSetters,
      [&](const std::vector<std::string> &N) { return matchesParts(FD, N); });
}

bool ApiModel::isAsyncOperation(const FunctionDecl *FD) const {
  return FD && FD->getDeclName().isIdentifier() &&
         FD->getName().starts_with("async_") &&
         (inNamespaceNamed(FD, "asio") || inNamespaceNamed(FD, "beast"));
}

ApiModel::StreamOp ApiModel::streamOp(const FunctionDecl *FD) const {
  if (!FD || !FD->getDeclName().isIdentifier())
    return StreamOp::Other;
  llvm::StringRef N = FD->getName();
  N.consume_front("async_");
  if (N == "connect")
    return StreamOp::Connect;
  if (N == "write" || N == "write_some" || N == "send_to" || N == "send")
    return StreamOp::Write;
  if (N == "receive_from")
    return StreamOp::ReadFrom;
  if (isStreamOperation(FD->getName()))
    return StreamOp::Read; // reads, handshakes and accepts wait on the peer
  return StreamOp::Other;
}

bool ApiModel::isTimedEventLoopRun(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  return call(Call).effect() == Effect::EventLoopRun && FD &&
         FD->getDeclName().isIdentifier() &&
         (FD->getName().ends_with("_for") || FD->getName().ends_with("_until"));
}

bool ApiModel::isEventLoopStop(const CallExpr *Call) const {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
  return MD && MD->getDeclName().isIdentifier() && MD->getName() == "stop" &&
         matchesParts(MD->getParent(), {"asio", "io_context"});
}

bool ApiModel::isDeadlineToken(const Expr *E) const {
  const auto *Call = dyn_cast_or_null<CallExpr>(E ? ignoreWrappers(E) : E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->getDeclName().isIdentifier() &&
         (FD->getName() == "cancel_after" || FD->getName() == "cancel_at") &&
         inNamespaceNamed(FD, "asio");
}

bool ApiModel::isFreshConnection(const Expr *E) const {
  const auto *Call =
      dyn_cast_or_null<CXXMemberCallExpr>(E ? ignoreWrappers(E) : E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->getDeclName().isIdentifier() && FD->getName() == "accept" &&
         Call->getNumArgs() == 0 && inNamespaceNamed(FD, "asio");
}

const Expr *ApiModel::queuedBytesQuery(const CallExpr *Call) const {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  const FunctionDecl *FD = MC ? MC->getDirectCallee() : nullptr;
  if (!FD || !FD->getDeclName().isIdentifier() ||
      FD->getName() != "available" || !inNamespaceNamed(FD, "asio"))
    return nullptr;
  return MC->getImplicitObjectArgument();
}

bool ApiModel::returnsQueuedData(const FunctionDecl *FD) const {
  if (!FD || !FD->getDeclName().isIdentifier() || !inNamespaceNamed(FD, "asio"))
    return false;
  llvm::StringRef N = FD->getName();
  return N == "read_some" || N == "receive" || N == "receive_from";
}

bool ApiModel::isInProcessPair(const CallExpr *Call) const {
  const FunctionDecl *FD = Call->getDirectCallee();
  return FD && FD->getDeclName().isIdentifier() &&
         FD->getName() == "connect_pair" && Call->getNumArgs() >= 2 &&
         inNamespaceNamed(FD, "asio");
}

llvm::SmallVector<const CXXRecordDecl *, 2>
ApiModel::completionResultsOf(QualType Token) const {
  llvm::SmallVector<const CXXRecordDecl *, 2> Out;
  const CXXRecordDecl *TokenRD = Token->getAsCXXRecordDecl();
  if (!TokenRD)
    return Out;
  ASTContext &Ctx = TokenRD->getASTContext();
  // asio::async_result, standalone or in boost::.
  const ClassTemplateDecl *Result = nullptr;
  auto Find = [&](const DeclContext *DC) {
    for (const NamedDecl *NS : DC->lookup(&Ctx.Idents.get("asio")))
      if (const auto *Asio = dyn_cast<NamespaceDecl>(NS))
        for (const NamedDecl *D : Asio->lookup(&Ctx.Idents.get("async_result")))
          if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D))
            Result = CTD;
  };
  const TranslationUnitDecl *TU = Ctx.getTranslationUnitDecl();
  Find(TU);
  if (!Result)
    for (const NamedDecl *NS : TU->lookup(&Ctx.Idents.get("boost")))
      if (const auto *Boost = dyn_cast<NamespaceDecl>(NS))
        Find(Boost);
  if (!Result)
    return Out;
  QualType Want = Ctx.getCanonicalType(Token.getUnqualifiedType());
  auto FirstIs = [&](const TemplateArgumentList &Args) {
    return Args.size() && Args[0].getKind() == TemplateArgument::Type &&
           Ctx.getCanonicalType(Args[0].getAsType().getUnqualifiedType()) ==
               Want;
  };
  for (const ClassTemplateSpecializationDecl *Spec :
       Result->getCanonicalDecl()->specializations())
    if (Spec->hasDefinition() && FirstIs(Spec->getTemplateArgs()))
      Out.push_back(Spec->getDefinition());
  llvm::SmallVector<ClassTemplatePartialSpecializationDecl *, 4> Partials;
  const_cast<ClassTemplateDecl *>(Result)->getPartialSpecializations(Partials);
  for (const ClassTemplatePartialSpecializationDecl *P : Partials)
    if (P->hasDefinition() && FirstIs(P->getTemplateArgs()))
      Out.push_back(P->getDefinition());
  return Out;
}

ApiModel::ChannelStatus ApiModel::channelStatusOf(const Expr *E) const {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? ignoreWrappers(E) : E);
  const auto *EC = DRE ? dyn_cast<EnumConstantDecl>(DRE->getDecl()) : nullptr;
  const auto *Enum =
      EC ? dyn_cast<EnumDecl>(EC->getDeclContext()) : nullptr;
  if (!Enum || !matchesParts(Enum, {"fibers", "channel_op_status"}))
    return ChannelStatus::Unknown;
  if (EC->getName() == "success")
    return ChannelStatus::Success;
  if (EC->getName() == "closed")
    return ChannelStatus::Closed;
  return ChannelStatus::Unknown;
}

bool ApiModel::isClosedTest(const CallExpr *Call) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
  return MD && MD->getDeclName().isIdentifier() &&
         MD->getName() == "is_closed" &&
         kindOfRecord(MD->getParent()) == ObjectKind::FiberChannel;
}

bool ApiModel::isCurlFunction(const FunctionDecl *FD) const {
  return FD && FD->getDeclName().isIdentifier() &&
         FD->getName().starts_with("curl_") && FD->isExternC();
}

CurlOption ApiModel::curlOption(const Expr *Opt) const {
  const auto *DRE = dyn_cast<DeclRefExpr>(Opt->IgnoreParenImpCasts());
  const auto *EC = DRE ? dyn_cast<EnumConstantDecl>(DRE->getDecl()) : nullptr;
  if (!EC)
    return CurlOption::Other;
  llvm::StringRef N = EC->getName();
  if (N == "CURLOPT_TIMEOUT" || N == "CURLOPT_TIMEOUT_MS")
    return CurlOption::Timeout;
  if (N == "CURLOPT_CONNECTTIMEOUT" || N == "CURLOPT_CONNECTTIMEOUT_MS")
    return CurlOption::ConnectTimeout;
  if (N == "CURLOPT_LOW_SPEED_LIMIT")
    return CurlOption::LowSpeedLimit;
  if (N == "CURLOPT_LOW_SPEED_TIME")
    return CurlOption::LowSpeedTime;
  if (N == "CURLOPT_XFERINFOFUNCTION" || N == "CURLOPT_PROGRESSFUNCTION")
    return CurlOption::ProgressCallback;
  if (N == "CURLOPT_URL")
    return CurlOption::Url;
  return CurlOption::Other;
}

ApiModel::CurlOrigin ApiModel::curlOrigin(const FunctionDecl *FD) const {
  if (!isCurlFunction(FD))
    return CurlOrigin::Other;
  if (FD->getName() == "curl_easy_init")
    return CurlOrigin::Init;
  if (FD->getName() == "curl_easy_duphandle")
    return CurlOrigin::Duplicate;
  return CurlOrigin::Other;
}

bool ApiModel::isCurlSetopt(const FunctionDecl *FD) const {
  return isCurlFunction(FD) && FD->getName() == "curl_easy_setopt";
}

bool ApiModel::isClientLibraryFunction(const FunctionDecl *FD,
                                       ObjectKind Client) {
  if (!FD)
    return false;
  switch (Client) {
  case ObjectKind::BeastStream:
  case ObjectKind::RawSocket:
  case ObjectKind::Websocket:
    return inNamespaceNamed(FD, "asio") || inNamespaceNamed(FD, "beast");
  case ObjectKind::GrpcContext:
    return inNamespaceNamed(FD, "grpc");
  case ObjectKind::CprSession:
  case ObjectKind::CprMulti:
    return inNamespaceNamed(FD, "cpr");
  case ObjectKind::HttplibClient:
    return inNamespaceNamed(FD, "httplib");
  case ObjectKind::SocketIostream:
    return inNamespaceNamed(FD, "asio") || inNamespaceNamed(FD, "std");
  default:
    return isCurlFunction(FD);
  }
}

ClientSetting ApiModel::clientSetting(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return ClientSetting::None;
  llvm::StringRef N = FD->getName();
  if (N == "expires_after" || N == "expires_at" || N == "set_deadline" ||
      N == "SetTimeout" || N == "SetLowSpeed")
    return ClientSetting::Bounds;
  if (N == "expires_never")
    return ClientSetting::Unbounds;
  if (N == "close" || N == "cancel" || N == "shutdown")
    return ClientSetting::Cancels;
  if (N == "SetConnectTimeout")
    return ClientSetting::ConnectOnly;
  if (N == "AddSession" && Call->getNumArgs() >= 1)
    return ClientSetting::JoinsSession;
  if (N == "native_handle")
    return ClientSetting::RawAccess;
  if (N == "set_read_timeout" || N == "set_write_timeout" ||
      N == "set_connection_timeout")
    return ClientSetting::ZeroableTimeout;
  if (N == "SetOption" || N == "SetOptions")
    return ClientSetting::OptionList;
  if (N == "set_option" && Call->getNumArgs() &&
      kindOf(Call->getArg(Call->getNumArgs() - 1)->getType()) ==
          ObjectKind::WebsocketTimeout)
    return ClientSetting::Bounds;
  return ClientSetting::None;
}

const Expr *ApiModel::networkClientOf(const CallExpr *Call,
                                      ObjectKind &Client) {
  Client = ObjectKind::None;
  const FunctionDecl *FD = Call->getDirectCallee();
  // asio's ip::tcp::iostream: `s >> x`, `s << x`, std::getline(s, line).
  if (FD && Call->getNumArgs() &&
      (FD->getOverloadedOperator() == OO_GreaterGreater ||
       FD->getOverloadedOperator() == OO_LessLess ||
       (FD->getDeclName().isIdentifier() && FD->getName() == "getline")) &&
      kindOf(ignoreWrappers(Call->getArg(0))->getType()) ==
          ObjectKind::SocketIostream) {
    Client = ObjectKind::SocketIostream;
    return Call->getArg(0);
  }
  if (!FD || !FD->getDeclName().isIdentifier())
    return nullptr;
  llvm::StringRef N = FD->getName();
  const ApiCall &A = call(Call);
  if (A.effect() == Effect::NetworkCall && isCurlFunction(FD)) {
    Client = N == "curl_multi_add_handle" ? ObjectKind::CurlMulti
                                          : ObjectKind::CurlEasy;
    return A.Handle;
  }
  auto IsStream = [](ObjectKind K) {
    return K == ObjectKind::BeastStream || K == ObjectKind::RawSocket ||
           K == ObjectKind::Websocket;
  };
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    // gRPC generated stubs take a grpc::ClientContext* first.
    if (Call->getNumArgs() && Call->getArg(0)->getType()->isPointerType() &&
        kindOf(Call->getArg(0)->getType()->getPointeeType()) ==
            ObjectKind::GrpcContext &&
        !inNamespaceNamed(FD, "grpc")) {
      Client = ObjectKind::GrpcContext;
      return Call->getArg(0);
    }
    ObjectKind K = kindOf(Obj->getType());
    if (isStreamOperation(N) && IsStream(K)) {
      Client = K;
      return Obj;
    }
    if (isHttpVerb(N) &&
        (K == ObjectKind::HttplibClient || K == ObjectKind::CprSession)) {
      Client = K;
      return Obj;
    }
    // cpr::MultiPerform: Get(), Post(), ..., Perform() run every session
    // added to it.
    if (K == ObjectKind::CprMulti &&
        (isHttpVerb(N) || N == "Perform" || N == "PerformDownload")) {
      Client = K;
      return Obj;
    }
    return nullptr;
  }
  if (isStreamOperation(N) && Call->getNumArgs() &&
      (inNamespaceNamed(FD, "asio") || inNamespaceNamed(FD, "beast"))) {
    ObjectKind K = kindOf(Call->getArg(0)->getType());
    if (IsStream(K)) {
      Client = K;
      return Call->getArg(0);
    }
  }
  if (isHttpVerb(N) && inNamespaceNamed(FD, "cpr")) {
    Client = ObjectKind::CprSession;
    return nullptr; // cpr::Get(...): the request carries its own options
  }
  return nullptr;
}

} // namespace clang::tidy::taskleak
