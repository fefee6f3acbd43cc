#!/usr/bin/env python3
"""Corpus sweep: run taskleak over real projects' translation units.

  bench/corpus/sweep.py [-j N] [PACKAGE...]   (default: every package below)

For each package (a Debian source package, fetched into bench/corpus/cache/ by
fetch.sh, which this script calls) it gets a compile database in one of two
ways, then runs `tools/taskleak -p` over every translation unit of it and
prints per package: translation units, how many compile here, findings per
check, crashes, timeouts, time.

- "globs" packages (the first corpus: examples without a usable build
  system): a compile_commands.json written from a table of source globs,
  include directories and flags; the -dev packages their headers need are
  installed.
- "cmake" packages: the package's own build dependencies are installed
  (`apt-get build-dep`, plus any -dev package listed) and its real CMake
  build is configured with the options Debian's rules and the sweep's table
  give, CMAKE_EXPORT_COMPILE_COMMANDS=ON and clang-19 as the compiler; the
  compile database is the one CMake writes (the exact commands `ninja` would
  run). `--build` also runs the build itself first (not needed for any
  package below: none generates sources at build time).

Findings (deduplicated: a finding in a project header reached from several
translation units counts once) go to RESULTS/findings-PACKAGE.txt, one a line:
package, check, file:line:col (relative to the cache), "test" or "non-test"
(the package's test-path pattern), message. RESULTS is bench/results/ or
$SWEEP_RESULTS. TUs that do not compile are listed in
RESULTS/nocompile-PACKAGE.txt.

  -j N        translation units analysed in parallel (default 1; each one is
              a separate single-threaded clang-tidy run)
  --build     also run each cmake package's build before the sweep

Environment: TASKLEAK_PLUGIN (the plugin tools/taskleak loads),
CORPUS_CACHE, SWEEP_RESULTS.

Exit 0 unless taskleak crashed or hung on a translation unit.
"""
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.environ.get("CORPUS_CACHE", os.path.join(HERE, "cache"))
RESULTS = os.environ.get("SWEEP_RESULTS", os.path.join(ROOT, "bench", "results"))
TASKLEAK = os.path.join(ROOT, "tools", "taskleak")
TIMEOUT = 300

# Fields of a package:
#   kind      "globs" or "cmake"
#   source    the cache directory's prefix (default: the package name), for two
#             corpus entries that share one Debian source package
#   globs, incs, flags   ("globs") sources, include dirs, compiler flags
#   subdir    ("cmake") the CMake source directory inside the package
#   cmake     ("cmake") extra -D options (Debian's own, plus tests/examples)
#   only      ("cmake") regex over the path inside the package: TUs of the
#             database kept for the sweep
#   select    ("cmake") regex over a TU's own text: TUs kept only if it
#             matches (a package too big to sweep whole on this machine: the
#             TUs that spawn, post, wait on timers, futures or conditions)
#   deps      -dev packages to install (for "cmake", on top of build-dep)
#   headers   report findings in the package's own headers too
#   tests     regex over the path inside the package: test code
TASKY = (r"async_wait|std::thread|std::jthread|condition_variable|std::future|std::promise"
         r"|std::async|\bpost\(|\bdispatch\(")
PACKAGES = {
    "i2pd": dict(kind="globs",
                 globs=["libi2pd/*.cpp", "libi2pd_client/*.cpp", "daemon/*.cpp"],
                 incs=["libi2pd", "libi2pd_client", "i18n", "daemon"],
                 flags=["-std=c++17", "-DBOOST_BIND_GLOBAL_PLACEHOLDERS"],
                 deps=["libssl-dev", "zlib1g-dev", "libboost-program-options-dev",
                       "libboost-filesystem-dev", "libminiupnpc-dev"]),
    "cpp-httplib": dict(kind="globs", globs=["example/*.cc"], incs=["."], flags=["-std=c++17"],
                        deps=["libssl-dev", "zlib1g-dev"]),
    "onetbb": dict(kind="globs", globs=["examples/**/*.cpp"], incs=["include", "examples"],
                   flags=["-std=c++17"], deps=[]),
    "curl": dict(kind="globs", globs=["docs/examples/*.c"], incs=["include"], flags=[], deps=[]),
    # Boost.Fiber and Boost.Beast examples, against the 1.81 headers of the
    # same source tree.
    "boost1.81": dict(kind="globs",
                      globs=["libs/fiber/examples/*.cpp", "libs/beast/example/**/*.cpp"],
                      # libs/beast: the examples' "example/common/*.hpp"
                      incs=["libs/*/include", "libs/numeric/*/include", "libs/beast"],
                      flags=["-std=c++17", "-DBOOST_ALL_NO_LIB"], deps=["libssl-dev"]),
    # Standalone asio's examples (C++11, 14 and 17 coroutines TS), Debian's
    # asio 1.22.1. The source package answers 404 on this mirror; fetch.sh
    # then takes the examples from libasio-doc, which the same source builds.
    "asio": dict(kind="globs",
                 globs=["cpp11/**/*.cpp", "cpp14/**/*.cpp", "cpp17/**/*.cpp"],
                 # ASIO_HAS_CO_AWAIT: asio 1.22 looks for clang's coroutines TS
                 # (__cpp_coroutines), gone since clang 17; C++20's are there.
                 incs=[], flags=["-std=c++20", "-DASIO_HAS_CO_AWAIT=1"],
                 deps=["libasio-dev", "libssl-dev", "libboost-dev"]),
    # Boost.Asio's C++20 examples (coroutines, awaitable operators, deadline
    # watchdogs): not in asio 1.22.1's documentation package.
    "boost1.81-asio": dict(kind="globs", source="boost1.81",
                           globs=["libs/asio/example/cpp20/**/*.cpp"],
                           incs=["libs/*/include", "libs/numeric/*/include"],
                           flags=["-std=c++20", "-DBOOST_ALL_NO_LIB"], deps=["libssl-dev"]),
    # Packages with their real build (issue 13).
    # The library and its samples; its 90 functional tests (about 25 s a TU
    # here) are configured but not swept.
    "cpprest": dict(kind="cmake",
                    cmake=["-DCPPREST_EXCLUDE_BROTLI=OFF", "-DWERROR=OFF", "-DBUILD_TESTS=ON",
                           "-DBUILD_SAMPLES=ON"],
                    only=r"^Release/(src|samples)/",
                    deps=["libwebsocketpp-dev"], headers=True, tests=r"(^|/)tests?/"),
    # 300 TUs of 15-60 s each here: the ones that spawn, post or wait.
    "libtorrent-rasterbar": dict(kind="cmake",
                                 cmake=["-Dbuild_examples=ON", "-Dbuild_tools=ON",
                                        "-Dbuild_tests=ON"],
                                 select=TASKY,
                                 headers=True, tests=r"(^|/)test/"),
    "spdlog": dict(kind="cmake",
                   cmake=["-DSPDLOG_BUILD_SHARED=ON", "-DSPDLOG_FMT_EXTERNAL=ON",
                          "-DSPDLOG_BUILD_EXAMPLE=ON", "-DSPDLOG_BUILD_TESTS=ON",
                          "-DSPDLOG_BUILD_BENCH=OFF"],
                   headers=True, tests=r"(^|/)tests/"),
    "leveldb": dict(kind="cmake",
                    cmake=["-DLEVELDB_BUILD_TESTS=ON", "-DLEVELDB_BUILD_BENCHMARKS=ON"],
                    headers=True, tests=r"(_test\.cc$|(^|/)benchmarks/|testutil)"),
    "paho.mqtt.cpp": dict(kind="cmake",
                          cmake=["-DPAHO_BUILD_SHARED=TRUE", "-DPAHO_WITH_SSL=TRUE",
                                 "-DPAHO_BUILD_STATIC=FALSE", "-DPAHO_BUILD_SAMPLES=TRUE",
                                 "-DPAHO_BUILD_TESTS=TRUE"],
                          deps=["catch2"], headers=True, tests=r"(^|/)test/"),
}
# Test code of the glob packages (for precision split by test/non-test).
DEFAULT_TESTS = r"(^|/)(tests?|unit_tests?)/"


def source_of(pkg):
    return PACKAGES[pkg].get("source", pkg)


def package_dir(pkg):
    src = source_of(pkg)
    dirs = sorted(d for d in glob.glob(os.path.join(CACHE, src + "-*")) if os.path.isdir(d))
    return dirs[-1] if dirs else None


def sudo():
    return [] if os.geteuid() == 0 else ["sudo"]


APT_ENV = dict(os.environ, DEBIAN_FRONTEND="noninteractive")


def install(debs):
    missing = [d for d in debs if subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", d], capture_output=True, text=True).stdout.find("ok installed") < 0]
    if not missing:
        return
    subprocess.run(sudo() + ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + missing,
                   stdout=subprocess.DEVNULL, env=APT_ENV)


def build_dep(pkg, src):
    """apt-get build-dep once per package (a stamp in the unpacked tree)."""
    stamp = os.path.join(src, ".taskleak-build-dep")
    if os.path.exists(stamp):
        return
    proc = subprocess.run(sudo() + ["apt-get", "build-dep", "-y", "-qq", source_of(pkg)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=APT_ENV)
    if proc.returncode == 0:
        open(stamp, "w").close()
    else:
        print("sweep: %s: apt-get build-dep failed:\n%s" % (pkg, proc.stderr.strip()), file=sys.stderr)


def write_globs_db(pkg, src):
    spec = PACKAGES[pkg]
    files = sorted({f for g in spec["globs"] for f in glob.glob(os.path.join(src, g), recursive=True)})
    entries = []
    inc_dirs = [d for i in spec["incs"] for d in sorted(glob.glob(os.path.join(src, i)))]
    for f in files:
        lang = ["-xc"] if f.endswith(".c") else []
        args = ["clang++-19" if not f.endswith(".c") else "clang-19"] + lang + spec["flags"] + \
               ["-I" + d for d in inc_dirs] + ["-c", f]
        entries.append({"directory": src, "file": f, "arguments": args})
    db_dir = os.path.join(src, ".taskleak-db", pkg)
    os.makedirs(db_dir, exist_ok=True)
    with open(os.path.join(db_dir, "compile_commands.json"), "w") as out:
        json.dump(entries, out, indent=1)
    return db_dir, files


def cmake_db(pkg, src, build):
    """Configure the package's own CMake build; its compile database."""
    spec = PACKAGES[pkg]
    bdir = os.path.join(src, "build-taskleak")
    db = os.path.join(bdir, "compile_commands.json")
    if not os.path.exists(db):
        cmd = ["cmake", "-S", os.path.join(src, spec.get("subdir", ".")), "-B", bdir, "-G", "Ninja",
               "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
               "-DCMAKE_C_COMPILER=clang-19", "-DCMAKE_CXX_COMPILER=clang++-19"] + spec["cmake"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        with open(os.path.join(src, "cmake-configure.log"), "w") as log:
            log.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
        if proc.returncode != 0 or not os.path.exists(db):
            print("sweep: %s: cmake configure failed (%s/cmake-configure.log)" % (pkg, src),
                  file=sys.stderr)
            return None, []
    if build:
        subprocess.run(["nice", "ninja", "-C", bdir, "-k", "0"], stdout=subprocess.DEVNULL)
    with open(db) as f:
        entries = json.load(f)
    only = re.compile(spec.get("only", ".*"))
    select = re.compile(spec["select"]) if "select" in spec else None
    files = []
    for e in entries:
        path = os.path.normpath(os.path.join(e["directory"], e["file"]))
        if not only.search(os.path.relpath(path, src)) or path in files:
            continue
        if select:
            with open(path, errors="replace") as f:
                if not select.search(f.read()):
                    continue
        files.append(path)
    return bdir, sorted(files)


def analyse(pkg, src, db_dir, f):
    # --config: the taskleak checks alone, whatever .clang-tidy the package
    # ships (spdlog's has a key clang-tidy 19 no longer reads).
    cmd = [sys.executable, TASKLEAK, "-p", db_dir, f, "-j", "1", "--timeout", str(TIMEOUT),
           "--config={Checks: '-*,taskleak-*'}"]
    if PACKAGES[pkg].get("headers"):
        cmd += ["--header-filter", "^" + re.escape(src + os.sep)]
    start = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return f, proc, time.time() - start


def sweep(pkg, src, db_dir, files, jobs):
    spec = PACKAGES[pkg]
    tests = re.compile(spec.get("tests", DEFAULT_TESTS))
    compiled, failed, crashed, timeouts, errors = [], [], [], [], []
    findings = {}
    slowest = (0.0, "")
    start = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for f, proc, secs in pool.map(lambda f: analyse(pkg, src, db_dir, f), files):
            out, err = proc.stdout, proc.stderr
            slowest = max(slowest, (secs, f))
            if "Stack dump" in err or "PLEASE submit a bug report" in err or "crashed" in err \
                    or proc.returncode < 0:
                crashed.append(f)
                print("sweep: CRASH on %s\n%s" % (f, err[-2000:]), flush=True)
            elif "analysis exceeded" in err:
                timeouts.append(f)
                print("sweep: TIMEOUT on %s" % f, flush=True)
            elif "does not load into" in err:
                sys.exit("sweep: the plugin does not load, nothing analysed:\n" + err.strip())
            elif "does not compile" in err:
                failed.append(f)
            elif proc.returncode not in (0, 1):
                errors.append(f)
                print("sweep: TOOL ERROR (exit %d) on %s\n%s" % (proc.returncode, f, err[-2000:]),
                      flush=True)
            else:
                compiled.append(f)
                for m in re.finditer(r"^(\S+?):(\d+):(\d+): warning: (.*) \[(taskleak-[a-z-]+)\]$",
                                     out, re.M):
                    path = os.path.normpath(os.path.join(src, m.group(1)))
                    key = (m.group(5), path, int(m.group(2)), int(m.group(3)))
                    findings.setdefault(key, m.group(4))
    elapsed = time.time() - start
    per_check = {}
    with open(os.path.join(RESULTS, "findings-%s.txt" % pkg), "w") as out:
        for (check, path, line, col), msg in sorted(findings.items()):
            per_check[check] = per_check.get(check, 0) + 1
            rel = os.path.relpath(path, src)
            out.write("%s\t%s\t%s:%d:%d\t%s\t%s\n" % (
                pkg, check, os.path.relpath(path, CACHE), line, col,
                "test" if tests.search(rel) else "non-test", msg))
    with open(os.path.join(RESULTS, "nocompile-%s.txt" % pkg), "w") as out:
        out.writelines(os.path.relpath(f, CACHE) + "\n" for f in failed)
    rate = 100.0 * len(compiled) / len(files) if files else 0.0
    line = ("%-20s TUs %4d  compile here %4d (%5.1f%%)  do not %3d  crashes %d  timeouts %d"
            "  tool errors %d  %5.0fs  slowest %.0fs  findings %s" % (
                pkg, len(files), len(compiled), rate, len(failed), len(crashed), len(timeouts),
                len(errors), elapsed, slowest[0],
                ", ".join("%s %d" % (k[len("taskleak-"):], v) for k, v in sorted(per_check.items()))
                or "none"))
    print(line, flush=True)
    with open(os.path.join(RESULTS, "summary-%s.txt" % pkg), "w") as out:
        out.write(line + "\n")
        for f in crashed:
            out.write("CRASH %s\n" % f)
        for f in timeouts:
            out.write("TIMEOUT %s\n" % f)
        for f in errors:
            out.write("TOOL-ERROR %s\n" % f)
    return bool(crashed or timeouts or errors)


def main():
    args = sys.argv[1:]
    jobs, build = 1, False
    pkgs = []
    while args:
        a = args.pop(0)
        if a == "-j":
            jobs = int(args.pop(0))
        elif a.startswith("-j"):
            jobs = int(a[2:])
        elif a == "--build":
            build = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a in PACKAGES:
            pkgs.append(a)
        else:
            print("sweep: unknown package or option %r (packages: %s)" % (a, " ".join(PACKAGES)),
                  file=sys.stderr)
            return 2
    pkgs = pkgs or list(PACKAGES)
    sources = []
    for p in pkgs:
        if source_of(p) not in sources:
            sources.append(source_of(p))
    subprocess.run([os.path.join(HERE, "fetch.sh")] + sources)
    os.makedirs(RESULTS, exist_ok=True)
    broken_tool = False
    total_start = time.time()
    for pkg in pkgs:
        src = package_dir(pkg)
        if not src:
            print("sweep: %s: not fetched, skipped" % pkg)
            continue
        spec = PACKAGES[pkg]
        if spec["kind"] == "cmake":
            build_dep(pkg, src)
            install(spec.get("deps", []))
            db_dir, files = cmake_db(pkg, src, build)
            if db_dir is None:
                continue
        else:
            install(spec.get("deps", []))
            db_dir, files = write_globs_db(pkg, src)
        broken_tool |= sweep(pkg, src, db_dir, files, jobs)
    print("sweep: %d package(s) in %.0fs" % (len(pkgs), time.time() - total_start))
    return 1 if broken_tool else 0


if __name__ == "__main__":
    sys.exit(main())
