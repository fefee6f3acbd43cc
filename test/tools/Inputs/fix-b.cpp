#include "fix-me.h"
void b(Cache &c, std::vector<int> &v) { c.drain(v); }
