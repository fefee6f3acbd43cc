//===--- SuiteConfig.cpp --------------------------------------------------===//
#include "taskleak/SuiteConfig.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace clang::tidy::taskleak {

static bool isIdentifier(llvm::StringRef S) {
  if (S.empty() || !(llvm::isAlpha(S.front()) || S.front() == '_'))
    return false;
  return llvm::all_of(S, [](char C) { return llvm::isAlnum(C) || C == '_'; });
}

std::optional<std::vector<std::string>>
parseQualifiedNameList(llvm::StringRef Value, std::string &BadEntry) {
  std::vector<std::string> Names;
  llvm::SmallVector<llvm::StringRef, 8> Entries;
  Value.split(Entries, ';', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef Entry : Entries) {
    Entry = Entry.trim();
    if (Entry.empty())
      continue;
    llvm::StringRef Name = Entry;
    Name.consume_front("::");
    llvm::SmallVector<llvm::StringRef, 4> Parts;
    Name.split(Parts, "::", /*MaxSplit=*/-1, /*KeepEmpty=*/true);
    if (!llvm::all_of(Parts, isIdentifier)) {
      BadEntry = Entry.str();
      return std::nullopt;
    }
    Names.push_back(Name.str());
  }
  return Names;
}

} // namespace clang::tidy::taskleak
