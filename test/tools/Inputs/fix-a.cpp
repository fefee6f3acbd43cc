#include "fix-me.h"
void a(Cache &c, std::vector<int> &v) { c.drain(v); }
