//===--- ClientWithoutTimeoutCheck.cpp - taskleak-client-without-timeout --===//
#include "ClientWithoutTimeoutCheck.h"
#include "taskleak/AnalysisCache.h"
#include "taskleak/TimeoutAnalysis.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

ClientWithoutTimeoutCheck::ClientWithoutTimeoutCheck(StringRef Name,
                                                     ClangTidyContext *Context)
    : TaskLeakCheck(Name, Context),
      DefaultTimeoutMs(Options.get<int64_t>("DefaultTimeoutMs", 0)),
      ReportLoopback(Options.get<bool>("ReportLoopback", false)) {
  if (DefaultTimeoutMs < 0)
    configurationDiag("option 'DefaultTimeoutMs' of check '%0' must be a "
                      "positive number of milliseconds, or 0 for no fix-it",
                      DiagnosticIDs::Error)
        << Name;
}

void ClientWithoutTimeoutCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  TaskLeakCheck::storeOptions(Opts);
  Options.store(Opts, "DefaultTimeoutMs", DefaultTimeoutMs);
  Options.store(Opts, "ReportLoopback", ReportLoopback);
}

void ClientWithoutTimeoutCheck::registerMatchers(MatchFinder *Finder) {
  if (!configIsValid())
    return;
  // Per function, not per call: the function is the scope the analysis
  // needs, and finding a call's enclosing function would build the parent
  // map of the whole translation unit.
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()))
          .bind("caller"),
      this);
}

static const char *describe(ClientFamily F) {
  switch (F) {
  case ClientFamily::Curl:
    return "libcurl transfer has no overall timeout: the easy handle never "
           "gets CURLOPT_TIMEOUT/CURLOPT_TIMEOUT_MS or CURLOPT_LOW_SPEED_LIMIT "
           "with CURLOPT_LOW_SPEED_TIME, so a server that stops answering "
           "blocks this call forever";
  case ClientFamily::CurlMulti:
    return "easy handle joins a multi handle with no overall timeout "
           "(CURLOPT_TIMEOUT/CURLOPT_TIMEOUT_MS or the CURLOPT_LOW_SPEED_* "
           "pair): a server that stops answering keeps its transfer running "
           "forever";
  case ClientFamily::Grpc:
    return "gRPC call without a deadline: its grpc::ClientContext never gets "
           "set_deadline() before the call, so a server that never answers "
           "blocks it forever";
  case ClientFamily::BeastStream:
    return "Beast stream operation with no time limit: the stream gets no "
           "expires_after()/expires_at() before it, so a silent peer blocks "
           "it forever";
  case ClientFamily::RawSocket:
    return "operation on a raw asio socket, which has no timeout: a silent "
           "peer blocks it forever; use beast::tcp_stream with "
           "expires_after(), or an async operation cancelled by a timer";
  case ClientFamily::Websocket:
    return "websocket operation with no timeout: the stream never gets "
           "set_option(websocket::stream_base::timeout{...}) and its lowest "
           "layer never expires, so a silent peer blocks it forever";
  case ClientFamily::Cpr:
    return "cpr request without cpr::Timeout or cpr::LowSpeed: a server that "
           "stops answering blocks it forever";
  case ClientFamily::CprMulti:
    return "cpr::MultiPerform runs a session without cpr::Timeout or "
           "cpr::LowSpeed: a server that stops answering blocks it forever";
  case ClientFamily::Httplib:
    return "cpp-httplib request on a client whose timeouts were set to zero: "
           "a server that stops answering blocks it forever";
  case ClientFamily::SocketIostream:
    return "read from an asio socket iostream with no time limit: the stream "
           "gets no expires_after()/expires_at() before it, so a silent peer "
           "blocks it forever";
  }
  return "";
}

void ClientWithoutTimeoutCheck::check(const MatchFinder::MatchResult &Result) {
  if (Result.Context->getDiagnostics().hasUncompilableErrorOccurred())
    return;
  const auto *Caller = Result.Nodes.getNodeAs<FunctionDecl>("caller");
  if (!Caller)
    return;
  TimeoutAnalysis &Analysis =
      AnalysisCache::get(*Result.Context).timeouts(config());
  for (const TimeoutFinding &F : Analysis.analyseFunction(Caller))
    report(F, Caller, Result);
}

void ClientWithoutTimeoutCheck::report(const TimeoutFinding &F_,
                                       const FunctionDecl *Caller,
                                       const MatchFinder::MatchResult &Result) {
  const TimeoutFinding *F = &F_;
  const CallExpr *Call = F->Call;
  // A request to a literal loopback address goes to a server the program
  // or its test started: reported only on request.
  if (F->Loopback && !ReportLoopback)
    return;
  SourceLocation At = F->ReportAt.isValid() ? F->ReportAt : Call->getBeginLoc();
  if (!firstReportAt(At))
    return;

  if (F->ReportAt.isValid()) {
    diag(At, describe(F->Family));
    diag(Call->getBeginLoc(), "the unbounded call is in this template",
         DiagnosticIDs::Note);
  } else {
    auto D = diag(Call->getBeginLoc(), describe(F->Family));
    // Fix-it only with an explicit DefaultTimeoutMs, before the statement
    // that blocks, spelled with the handle as written at the call.
    const SourceManager &SM = *Result.SourceManager;
    const Stmt *At =
        DefaultTimeoutMs > 0 ? statementInBlock(Caller, Call) : nullptr;
    if (At && F->HandleExpr && At->getBeginLoc().isFileID() &&
        F->HandleExpr->getSourceRange().getBegin().isFileID()) {
      StringRef Handle = Lexer::getSourceText(
          CharSourceRange::getTokenRange(F->HandleExpr->getSourceRange()), SM,
          Result.Context->getLangOpts());
      Handle.consume_front("&");
      StringRef Indent = Lexer::getIndentationForLine(At->getBeginLoc(), SM);
      std::string Ms = std::to_string(DefaultTimeoutMs);
      std::string Insert;
      if (F->Family == ClientFamily::Curl)
        Insert = ("curl_easy_setopt(" + Handle + ", CURLOPT_TIMEOUT_MS, " + Ms +
                  "L);\n" + Indent)
                     .str();
      else if (F->Family == ClientFamily::Grpc)
        Insert = (Handle +
                  ".set_deadline(std::chrono::system_clock::now() + "
                  "std::chrono::milliseconds(" +
                  Ms + "));\n" + Indent)
                     .str();
      else if (F->Family == ClientFamily::BeastStream)
        Insert = (Handle + ".expires_after(std::chrono::milliseconds(" + Ms +
                  "));\n" + Indent)
                     .str();
      if (!Insert.empty() && !Handle.empty())
        D << FixItHint::CreateInsertion(At->getBeginLoc(), Insert);
    }
  }
  if (F->Creation)
    diag(F->Creation->getBeginLoc(), "%0 created here", DiagnosticIDs::Note)
        << F->Handle;
  else if (F->CreationDecl)
    diag(F->CreationDecl->getLocation(), "%0 declared here",
         DiagnosticIDs::Note)
        << F->Handle;
  for (const auto &[Setting, What] : F->Insufficient)
    diag(Setting->getBeginLoc(), "%0", DiagnosticIDs::Note) << What;
  for (const auto &[Where, What] : F->Notes)
    diag(Where->getBeginLoc(), "%0", DiagnosticIDs::Note) << What;
}

} // namespace clang::tidy::taskleak
