#include "leaky.h"
void a() { spinInHeader(); }
