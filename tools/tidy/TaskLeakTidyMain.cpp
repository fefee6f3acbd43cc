//===--- TaskLeakTidyMain.cpp - clang-tidy 19 with taskleak built in ------===//
//
// taskleak-tidy is clang-tidy 19's own driver (clangTidyMain) with the
// taskleak module linked in, for CI images and editors that point at a
// clang-tidy binary and cannot pass --load. It takes the same flags and prints
// the same output as `clang-tidy-19 --load=libTaskLeak.so`.
//
// The module registers itself through a static ClangTidyModuleRegistry::Add
// in TaskLeakTidyModule.cpp; that file is linked as an object file (the
// taskleakChecks OBJECT library), not pulled from an archive, so the linker
// keeps the registration without an anchor symbol.
//
//===----------------------------------------------------------------------===//

#include "clang-tidy/tool/ClangTidyMain.h"

int main(int argc, const char **argv) {
  return clang::tidy::clangTidyMain(argc, argv);
}
