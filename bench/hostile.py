#!/usr/bin/env python3
"""Hostile-input sweep: taskleak must never crash or hang.

Generates translation units the checks do not expect — compile errors,
missing includes, a huge generated function, deep template instantiation,
coroutines, macros that expand to spawns, K&R C, Objective-C++ — runs
clang-tidy-19 with every taskleak check on each under a time bound, and
fails if any run crashes (a signal or a stack dump) or exceeds the bound.

  bench/hostile.py [--scale N]   (N multiplies the generated sizes; 1 in CI)
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(HERE)
TIDY = os.environ.get("TASKLEAK_CLANG_TIDY", "/usr/lib/llvm-19/bin/clang-tidy")
PLUGIN = os.environ.get("TASKLEAK_PLUGIN", os.path.join(ROOT, "build", "checks", "libTaskLeak.so"))


def cases(scale):
    huge = ["#include <thread>", "#include <mutex>", "std::mutex m; void work(int);",
            "void huge() {", "  std::thread([] {"]
    for i in range(2000 * scale):
        huge.append("    if (%d %% 7 == 3) { m.lock(); work(%d); m.unlock(); }" % (i, i))
    huge += ["    for (;;) work(0);", "  }).detach();", "}"]
    deep = ["#include <thread>", "template <int N> struct D { static void go() { D<N - 1>::go(); "
            "std::thread([] { for (int i = 0; i < N; ++i) {} }).detach(); } };",
            "template <> struct D<0> { static void go() {} };",
            "void deep() { D<%d>::go(); }" % (300 * scale)]
    many = ["#include <thread>", "#include <latch>", "void work();"]
    for i in range(300 * scale):
        many.append("void f%d() { std::latch l(%d); for (int i = 0; i < %d; ++i) "
                    "std::thread([&l] { work(); l.count_down(); }).detach(); l.wait(); }" % (i, i % 5 + 1, i % 5 + 1))
    return {
        "compile-error.cpp": ("#include <thread>\nvoid f() { std::thread([] { for (;;) undeclared(); }).detach() }\n", ["-std=c++20"]),
        "missing-include.cpp": ("#include <does_not_exist.h>\n#include <thread>\nvoid f() { std::thread([] { for (;;) {} }).detach(); }\n", ["-std=c++20"]),
        "huge-function.cpp": ("\n".join(huge) + "\n", ["-std=c++20"]),
        "deep-templates.cpp": ("\n".join(deep) + "\n", ["-std=c++20", "-ftemplate-depth=2000"]),
        "many-functions.cpp": ("\n".join(many) + "\n", ["-std=c++20"]),
        "coroutines.cpp": (
            "#include <coroutine>\n#include <thread>\n"
            "struct T { struct promise_type { T get_return_object() { return {}; } "
            "std::suspend_never initial_suspend() { return {}; } std::suspend_never final_suspend() noexcept { return {}; } "
            "void return_void() {} void unhandled_exception() {} }; };\n"
            "T tick() { for (;;) co_await std::suspend_always{}; }\n"
            "void f() { std::thread([] { tick(); for (;;) {} }).detach(); }\n", ["-std=c++20"]),
        "macro-spawns.cpp": (
            "#include <thread>\n#include <mutex>\n#define GO(body) std::thread([&] { body; }).detach()\n"
            "#define FOREVER for (;;)\nstd::mutex m;\nvoid f() { GO(FOREVER {}); GO(m.lock()); }\n", ["-std=c++20"]),
        "kr-style.c": ("int old(a, b) int a; int b; { while (1) { if (a) return b; } }\n"
                       "#include <pthread.h>\nvoid *r(void *p) { for (;;) {} return p; }\n"
                       "int main() { pthread_t t; pthread_create(&t, 0, r, 0); return old(1, 2); }\n", ["-std=c89", "-xc"]),
        "objc.mm": ("#include <thread>\n@interface Foo\n- (void)run;\n@end\n"
                    "void f() { std::thread([] { for (;;) {} }).detach(); }\n", ["-std=c++20", "-xobjective-c++"]),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        for name, (text, flags) in sorted(cases(args.scale).items()):
            path = os.path.join(d, name)
            with open(path, "w") as f:
                f.write(text)
            cmd = [TIDY, "--load=" + PLUGIN, "--checks=-*,taskleak-*", "--quiet", path, "--"] + flags
            start = time.time()
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                print("HANG   %-22s > %.0fs" % (name, args.timeout))
                bad += 1
                continue
            elapsed = time.time() - start
            crashed = proc.returncode < 0 or "Stack dump" in proc.stderr or "PLEASE submit" in proc.stderr
            findings = proc.stdout.count(" warning: ")
            errors = proc.stdout.count(" error: ")
            print("%-6s %-22s exit %3d  %5.2fs  findings %d  compile errors %d" % (
                "CRASH" if crashed else "ok", name, proc.returncode, elapsed, findings, errors))
            bad += crashed
    print("hostile inputs: %d passed, %d failed" % (len(cases(args.scale)) - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
