//===--- SuiteConfig.h - Suite-wide model extensions ------------*- C++ -*-===//
//
// The plain configuration the shared analyses take. Checks read the options
// (`SpawnFunctions`, `ChannelTypes`, ...) and hand this struct over; nothing in
// lib/ reads options itself.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_SUITECONFIG_H
#define TASKLEAK_SUITECONFIG_H

#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::taskleak {

/// User extensions of the built-in model. Every list holds fully qualified
/// names without a leading "::"; a user's list extends the built-in model.
struct SuiteConfig {
  std::vector<std::string> SpawnFunctions;
  std::vector<std::string> ChannelTypes;
  std::vector<std::string> SendMethods;
  std::vector<std::string> ReceiveMethods;
  std::vector<std::string> CloseMethods;
  std::vector<std::string> WaitGroupTypes;
  std::vector<std::string> TimeoutSetters;

  bool operator==(const SuiteConfig &O) const {
    return SpawnFunctions == O.SpawnFunctions &&
           ChannelTypes == O.ChannelTypes && SendMethods == O.SendMethods &&
           ReceiveMethods == O.ReceiveMethods &&
           CloseMethods == O.CloseMethods &&
           WaitGroupTypes == O.WaitGroupTypes &&
           TimeoutSetters == O.TimeoutSetters;
  }
};

/// Parses a `;`-separated list of fully qualified names. Blank entries and
/// surrounding spaces are ignored; a leading "::" is dropped. Returns the
/// offending entry in \p BadEntry and std::nullopt when an entry is not a
/// qualified C++ name.
std::optional<std::vector<std::string>>
parseQualifiedNameList(llvm::StringRef Value, std::string &BadEntry);

} // namespace clang::tidy::taskleak

#endif
