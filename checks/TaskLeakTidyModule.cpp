//===--- TaskLeakTidyModule.cpp - the only place checks are registered ----===//
#include "AbandonedSendCheck.h"
#include "ClientWithoutTimeoutCheck.h"
#include "EndlessTaskCheck.h"
#include "IgnoredStopTokenCheck.h"
#include "MissingDeferCheck.h"
#include "NilChannelCheck.h"
#include "OrphanedReceiveCheck.h"
#include "RangeNeverClosedCheck.h"
#include "UnstoppedTickerCheck.h"
#include "WaitgroupMismatchCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

namespace clang::tidy::taskleak {

class TaskLeakModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<AbandonedSendCheck>("taskleak-abandoned-send");
    Factories.registerCheck<ClientWithoutTimeoutCheck>(
        "taskleak-client-without-timeout");
    Factories.registerCheck<EndlessTaskCheck>("taskleak-endless-task");
    Factories.registerCheck<IgnoredStopTokenCheck>(
        "taskleak-ignored-stop-token");
    Factories.registerCheck<MissingDeferCheck>("taskleak-missing-defer");
    Factories.registerCheck<NilChannelCheck>("taskleak-nil-channel");
    Factories.registerCheck<OrphanedReceiveCheck>("taskleak-orphaned-receive");
    Factories.registerCheck<RangeNeverClosedCheck>(
        "taskleak-range-never-closed");
    Factories.registerCheck<UnstoppedTickerCheck>("taskleak-unstopped-ticker");
    Factories.registerCheck<WaitgroupMismatchCheck>(
        "taskleak-waitgroup-mismatch");
  }
};

} // namespace clang::tidy::taskleak

namespace clang::tidy {
static ClangTidyModuleRegistry::Add<taskleak::TaskLeakModule>
    X("taskleak-module", "Checks for C++ tasks that can never finish.");
} // namespace clang::tidy
