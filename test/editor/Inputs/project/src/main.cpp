// The only translation unit of the fixture project's compile database.
#include "pipeline.h"

int main() {
  bool stop = false;
  startWorker(stop);
  stop = true;
}
