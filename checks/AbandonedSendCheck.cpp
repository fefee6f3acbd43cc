//===--- AbandonedSendCheck.cpp - taskleak-abandoned-send ---===//
// A front on lib/ChannelLeaks.cpp: the leaks of its kind, with their notes.
#include "AbandonedSendCheck.h"
#include "taskleak/AnalysisCache.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::taskleak {

/// `unbuffered_channel<T> ch;` -> `buffered_channel<T> ch{2};`: room for the
/// one pending result (a fibers buffered channel of capacity 2 holds one),
/// when the type is spelled as the template itself.
static void bufferOneItem(DiagnosticBuilder &D, const VarDecl *VD,
                          const ASTContext &Ctx) {
  const TypeSourceInfo *TSI = VD->getTypeSourceInfo();
  if (!TSI)
    return;
  TypeLoc TL = TSI->getTypeLoc();
  if (auto Q = TL.getAs<QualifiedTypeLoc>())
    TL = Q.getUnqualifiedLoc();
  if (auto E = TL.getAs<ElaboratedTypeLoc>())
    TL = E.getNamedTypeLoc();
  auto T = TL.getAs<TemplateSpecializationTypeLoc>();
  if (!T)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Name = T.getTemplateNameLoc();
  if (!Name.isFileID() || !VD->getLocation().isFileID() ||
      Lexer::getSourceText(CharSourceRange::getTokenRange(Name, Name), SM,
                           Ctx.getLangOpts()) != "unbuffered_channel")
    return;
  SourceLocation AfterVar =
      Lexer::getLocForEndOfToken(VD->getLocation(), 0, SM, Ctx.getLangOpts());
  if (AfterVar.isInvalid())
    return;
  // The buffered template must be declared beside the unbuffered one (its
  // header included); a name used without qualification may not be in
  // scope (`using boost::fibers::unbuffered_channel;`), so spell it fully.
  const auto *Unbuffered =
      T.getTypePtr()->getTemplateName().getAsTemplateDecl();
  const DeclContext *NS =
      Unbuffered ? Unbuffered->getDeclContext()->getRedeclContext() : nullptr;
  IdentifierInfo &Buffered = Ctx.Idents.get("buffered_channel");
  if (!NS || NS->lookup(DeclarationName(&Buffered)).empty())
    return;
  bool Qualified = false;
  if (auto E = TSI->getTypeLoc().getAs<ElaboratedTypeLoc>())
    Qualified = E.getQualifierLoc().hasQualifier();
  std::string Spelling = Qualified
                             ? "buffered_channel"
                             : cast<NamedDecl>(NS)->getQualifiedNameAsString() +
                                   "::buffered_channel";
  D << FixItHint::CreateReplacement(CharSourceRange::getTokenRange(Name, Name),
                                    Spelling)
    << FixItHint::CreateInsertion(AfterVar, "{2}");
}

void AbandonedSendCheck::check(const MatchFinder::MatchResult &Result) {
  std::optional<SpawnSite> Site;
  for (const ChannelLeak *Leak :
       channelLeaksOf(Result, ChannelLeak::AbandonedSend, Site)) {
    const ChannelLeak &L = *Leak;
    {
      auto D = diag(L.Blocked->getBeginLoc(),
                    "this send blocks forever once the receiver gives up: %0 "
                    "has room for %1 unreceived item%s1 and nothing closes it")
               << L.Channel << static_cast<unsigned>(L.Capacity);
      if (L.BufferOne)
        bufferOneItem(D, L.BufferOne, *Result.Context);
    }
    switch (L.How) {
    case ChannelLeak::Returns:
      diag(L.GiveUpLoc, "the receiver gives up here without receiving from %0",
           DiagnosticIDs::Note)
          << L.Channel;
      break;
    case ChannelLeak::TimesOut:
      diag(L.GiveUp->getBeginLoc(),
           "the receiver gives up here when its timeout expires; nothing "
           "receives from %0 after that",
           DiagnosticIDs::Note)
          << L.Channel;
      break;
    case ChannelLeak::LeavesLoop:
      diag(L.GiveUp->getBeginLoc(),
           "the receiver leaves its receive loop here; nothing receives from "
           "%0 after that",
           DiagnosticIDs::Note)
          << L.Channel;
      break;
    case ChannelLeak::NeverReceives:
      diag(L.Channel->getLocation(), "nothing that can run receives from %0",
           DiagnosticIDs::Note)
          << L.Channel;
      break;
    }
    noteSpawnAndChain(*Site, L.Chain);
  }
}

} // namespace clang::tidy::taskleak
