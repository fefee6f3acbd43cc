//===--- ClientWithoutTimeoutCheck.h - taskleak-client-without-timeout ----===//
#ifndef TASKLEAK_CHECKS_CLIENTWITHOUTTIMEOUTCHECK_H
#define TASKLEAK_CHECKS_CLIENTWITHOUTTIMEOUTCHECK_H

#include "CheckSupport.h"
#include "taskleak/TimeoutAnalysis.h"

namespace clang::tidy::taskleak {

/// A blocking network call whose client has no bound on the whole exchange:
/// libcurl without CURLOPT_TIMEOUT, gRPC without a deadline, Beast/asio
/// streams without expiry, cpr without cpr::Timeout, cpp-httplib with its
/// timeouts set to zero.
class ClientWithoutTimeoutCheck : public TaskLeakCheck {
public:
  ClientWithoutTimeoutCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  /// libcurl is a C API: C code has the same bug.
  bool isLanguageVersionSupported(const LangOptions &) const override {
    return true;
  }
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void report(const TimeoutFinding &F, const FunctionDecl *Caller,
              const ast_matchers::MatchFinder::MatchResult &Result);
  /// Milliseconds a fix-it inserts as the timeout; 0 means no fix-it.
  const int64_t DefaultTimeoutMs;
  /// Report requests to a literal loopback address (localhost, 127.0.0.1).
  const bool ReportLoopback;
};

} // namespace clang::tidy::taskleak

#endif
