//===--- LocalMutation.h - Can anything change this local? -----*- C++ -*-===//
//
// A conservative, purely syntactic mutation test for a variable inside one
// function body. clang's ExprMutationAnalyzer answers the same question, but
// its unevaluated-context test asks for ancestors, which builds the parent
// map of the whole translation unit (about 10% of parsing a heavy TU) on
// first use; this walk keeps its own parent stack and stays in the function.
//
//===----------------------------------------------------------------------===//
#ifndef TASKLEAK_LOCALMUTATION_H
#define TASKLEAK_LOCALMUTATION_H

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"

namespace clang::tidy::taskleak {

/// True unless every use of \p VD in \p Body is a plain read: a load, a
/// const member call, a by-value or const-reference argument, a copy, a
/// by-copy lambda capture. Writes, increments, address-of, non-const
/// references, non-const member calls, by-reference captures and anything
/// unrecognised count as "may be modified".
bool mayBeModified(const VarDecl *VD, const Stmt *Body);

} // namespace clang::tidy::taskleak

#endif
