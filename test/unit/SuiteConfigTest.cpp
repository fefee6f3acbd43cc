//===--- SuiteConfigTest.cpp - option list parsing ------------------------===//
#include "taskleak/SuiteConfig.h"
#include "gtest/gtest.h"

namespace clang::tidy::taskleak {
namespace {

TEST(SuiteConfig, ParsesQualifiedNames) {
  std::string Bad;
  auto Names = parseQualifiedNameList(" ::a::b ; c;;d_1::e2 ", Bad);
  ASSERT_TRUE(Names.has_value());
  EXPECT_EQ(*Names, (std::vector<std::string>{"a::b", "c", "d_1::e2"}));
}

TEST(SuiteConfig, RejectsWhatIsNotAName) {
  for (const char *Value : {"a b", "1x", "a::", "a:::b", "a-b", "ns::f()"}) {
    std::string Bad;
    EXPECT_FALSE(parseQualifiedNameList(Value, Bad).has_value()) << Value;
    EXPECT_EQ(Bad, llvm::StringRef(Value).trim().str()) << Value;
  }
}

TEST(SuiteConfig, EmptyIsAnEmptyList) {
  std::string Bad;
  auto Names = parseQualifiedNameList("", Bad);
  ASSERT_TRUE(Names.has_value());
  EXPECT_TRUE(Names->empty());
}

} // namespace
} // namespace clang::tidy::taskleak
