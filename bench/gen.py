#!/usr/bin/env python3
"""Writes a TU with N functions that spawn tasks, loop, sleep and wait, for
the scaling benchmark: gen.py N OUT.cpp. Uses the mock headers of test/Inputs."""
import sys

n, out = int(sys.argv[1]), sys.argv[2]
parts = ['#include "std_mock.h"', '#include "posix_mock.h"', "void work(); bool poll();",
         "std::atomic<bool> stop{false};"]
for i in range(n):
    k = i % 5
    if k == 0:
        parts.append("void f%d() { std::thread([] { while (!stop) { work(); } }).detach(); }" % i)
    elif k == 1:
        parts.append("void f%d() { std::thread([] { for (int j = 0; j < %d; ++j) work(); }).detach(); }" % (i, i))
    elif k == 2:
        parts.append("void h%d(int n) { while (n > 0) { work(); --n; } }\n"
                     "void f%d() { std::thread(h%d, %d).detach(); }" % (i, i, i, i))
    elif k == 3:
        parts.append("void f%d() { std::jthread t([](std::stop_token st) { while (!st.stop_requested()) "
                     "{ work(); std::this_thread::sleep_for(std::chrono::milliseconds(%d)); } }); }" % (i, i))
    else:
        parts.append("struct S%d { std::mutex m; std::condition_variable cv; bool ready = false;\n"
                     "  void run() { std::unique_lock<std::mutex> lk(m); cv.wait(lk, [this] { return ready; }); }\n"
                     "  void start() { std::thread(&S%d::run, this).detach(); } };" % (i, i))
with open(out, "w") as f:
    f.write("\n".join(parts) + "\n")
