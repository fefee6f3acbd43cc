// What Boost 1.74's MPL does: an out-of-range value converted to an enum in a
// constant expression, an error in clang 16+ unless downgraded.
enum Small { Zero = 0, One = 1 };
constexpr Small tooBig = static_cast<Small>(5);
