#include "leaky.h"
void b() { spinInHeader(); }
