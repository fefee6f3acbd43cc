"""A clang-tidy stand-in. --list-checks and --version go to the real one
(REAL_CLANG_TIDY); an analysis run behaves as FAKE_TIDY_MODE says:
  crash  print a warning, a stack dump, then die of SIGSEGV
  slow   write the pid to FAKE_TIDY_PIDS (one file per process), then sleep
         (files whose name contains 'fast' are analysed by the real one)
"""
import os
import signal
import subprocess
import sys
import time

real = os.environ["REAL_CLANG_TIDY"]
args = sys.argv[1:]
if "--list-checks" in args or "--version" in args:
    sys.exit(subprocess.call([real] + args))
mode = os.environ.get("FAKE_TIDY_MODE", "crash")
if mode == "slow":
    if any("fast" in a for a in args if a.endswith(".cpp")):
        sys.exit(subprocess.call([real] + args))
    with open(os.path.join(os.environ["FAKE_TIDY_PIDS"], str(os.getpid())), "w") as f:
        f.write(str(os.getpid()))
    time.sleep(120)
    sys.exit(0)
sys.stdout.write("/src/x.cpp:3:20: warning: task never finishes [taskleak-endless-task]\n")
sys.stdout.flush()
sys.stderr.write("PLEASE submit a bug report to https://github.com/llvm/llvm-project/issues/\n"
                 "Stack dump:\n0.\tProgram arguments: clang-tidy x.cpp\n"
                 " #0 0x00007f llvm::sys::PrintStackTrace(llvm::raw_ostream&, int)\n"
                 " #1 0x00007f taskleak::FakeFrameForTheTest()\n")
sys.stderr.flush()
os.kill(os.getpid(), signal.SIGSEGV)
