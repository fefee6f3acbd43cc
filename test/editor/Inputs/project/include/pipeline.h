// Reaches worker.h only through this header: a staged worker.h is analysed
// through src/main.cpp, which includes it transitively.
#pragma once
#include "worker.h"
