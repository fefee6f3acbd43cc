//===--- TaskLeakClangdMain.cpp - clangd 19 with taskleak built in --------===//
//
// taskleak-clangd is clangd 19 (clangdMain) with the taskleak module linked
// in: a .clang-tidy or .clangd that enables taskleak-* shows its warnings,
// notes and fix-its in any LSP editor as you type.
//
// The module registers itself through a static ClangTidyModuleRegistry::Add
// in TaskLeakTidyModule.cpp, linked as an object file (taskleakChecks), so the
// linker keeps the registration.
//
// clangd runs only the clang-tidy checks it knows to be fast: with the default
// Diagnostics.ClangTidy.FastCheckFilter (Strict), a check that is neither
// FAST nor SLOW in clangd's TidyFastChecks.inc table is dropped, and with Loose
// unknown checks run. The table is compiled into clangd and looked up through
// clang::clangd::isFastTidyCheck(), which ParsedAST.cpp (and the config
// compiler, for its warning) call from other object files. taskleak-clangd
// is linked with --wrap for that symbol: the lookup answers "fast" for
// taskleak-* checks and defers to clangd's table for every other check. So
// taskleak's checks run with the default filter, and FastCheckFilter keeps
// its meaning for all other checks. (bench/clangd_latency.py measures what
// they add per edit; clangd's own threshold for "fast" is 8%.)
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/StringRef.h"
#include <optional>

namespace clang::clangd {
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

// The symbol of std::optional<bool> clang::clangd::isFastTidyCheck(StringRef),
// and the --wrap names the linker gives the original and our replacement.
#define TASKLEAK_FAST_CHECK_SYMBOL                                             \
  "_ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE"
std::optional<bool> realIsFastTidyCheck(llvm::StringRef Check) asm(
    "__real_" TASKLEAK_FAST_CHECK_SYMBOL);
std::optional<bool> taskleakIsFastTidyCheck(llvm::StringRef Check) asm(
    "__wrap_" TASKLEAK_FAST_CHECK_SYMBOL);

std::optional<bool> taskleakIsFastTidyCheck(llvm::StringRef Check) {
  if (Check.starts_with("taskleak-"))
    return true;
  return realIsFastTidyCheck(Check);
}

int main(int argc, char *argv[]) {
  return clang::clangd::clangdMain(argc, argv);
}
