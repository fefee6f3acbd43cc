#!/usr/bin/env python3
"""Corpus sweep: run taskleak over real projects' translation units.

  bench/corpus/sweep.py [PACKAGE...]        (default: every package below)

For each package (Debian source package, fetched into bench/corpus/cache/ by
fetch.sh, which this script calls), writes a compile_commands.json from the
table below — no build system is run, nothing is downloaded but the source
and the -dev packages its headers need — runs `tools/taskleak -p` over it,
and prints per package: translation units, how many compile here, findings
per check, crashes, timeouts. Every finding is listed in
bench/results/findings-PACKAGE.txt for triage (docs/corpus.md).

Exit 0 unless taskleak crashed or hung on a translation unit.
"""
import glob
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.environ.get("CORPUS_CACHE", os.path.join(HERE, "cache"))
RESULTS = os.path.join(ROOT, "bench", "results")
TASKLEAK = os.path.join(ROOT, "tools", "taskleak")

# package: (source globs, include dirs, extra flags, -dev packages for headers)
PACKAGES = {
    "i2pd": (["libi2pd/*.cpp", "libi2pd_client/*.cpp", "daemon/*.cpp"],
             ["libi2pd", "libi2pd_client", "i18n", "daemon"],
             ["-std=c++17", "-DBOOST_BIND_GLOBAL_PLACEHOLDERS"],
             ["libssl-dev", "zlib1g-dev", "libboost-program-options-dev",
              "libboost-filesystem-dev", "libminiupnpc-dev"]),
    "asio": (["src/examples/cpp11/**/*.cpp", "src/examples/cpp14/**/*.cpp"],
             ["include"], ["-std=c++17", "-DASIO_STANDALONE"], ["libssl-dev"]),
    "cpp-httplib": (["example/*.cc"], ["."], ["-std=c++17"], ["libssl-dev", "zlib1g-dev"]),
    "onetbb": (["examples/**/*.cpp"], ["include", "examples"], ["-std=c++17"], []),
    "curl": (["docs/examples/*.c"], ["include"], [], []),
    # Boost.Fiber and Boost.Beast examples, against the 1.81 headers of the
    # same source tree.
    "boost1.81": (["libs/fiber/examples/*.cpp", "libs/beast/example/**/*.cpp"],
                  ["libs/*/include", "libs/numeric/*/include"],
                  ["-std=c++17", "-DBOOST_ALL_NO_LIB"], ["libssl-dev"]),
}


def package_dir(pkg):
    dirs = sorted(d for d in glob.glob(os.path.join(CACHE, pkg + "-*")) if os.path.isdir(d))
    return dirs[-1] if dirs else None


def install(debs):
    missing = [d for d in debs if subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", d], capture_output=True, text=True).stdout.find("ok installed") < 0]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + missing,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def write_db(pkg, src):
    globs, incs, flags, _ = PACKAGES[pkg]
    files = sorted({f for g in globs for f in glob.glob(os.path.join(src, g), recursive=True)})
    entries = []
    for f in files:
        lang = ["-xc"] if f.endswith(".c") else []
        inc_dirs = [d for i in incs for d in sorted(glob.glob(os.path.join(src, i)))]
        args = ["clang++-19" if not f.endswith(".c") else "clang-19"] + lang + flags + \
               ["-I" + d for d in inc_dirs] + ["-c", f]
        entries.append({"directory": src, "file": f, "arguments": args})
    with open(os.path.join(src, "compile_commands.json"), "w") as out:
        json.dump(entries, out, indent=1)
    return files


def main():
    pkgs = sys.argv[1:] or list(PACKAGES)
    subprocess.run([os.path.join(HERE, "fetch.sh")] + pkgs)
    os.makedirs(RESULTS, exist_ok=True)
    broken_tool = False
    for pkg in pkgs:
        src = package_dir(pkg)
        if not src:
            print("sweep: %s: not fetched, skipped" % pkg)
            continue
        install(PACKAGES[pkg][3])
        files = write_db(pkg, src)
        findings_out = open(os.path.join(RESULTS, "findings-%s.txt" % pkg), "w")
        compiled, failed, crashed, timeouts = 0, 0, 0, 0
        per_check = {}
        start = time.time()
        for f in files:
            proc = subprocess.run([sys.executable, TASKLEAK, "-p", src, f, "-j", "1", "--timeout", "300"],
                                  capture_output=True, text=True)
            out, err = proc.stdout, proc.stderr
            if "Stack dump" in err or "PLEASE submit a bug report" in err or proc.returncode < 0:
                crashed += 1
                broken_tool = True
                print("sweep: CRASH on %s" % f)
            elif "analysis exceeded" in err:
                timeouts += 1
                broken_tool = True
            elif "does not compile" in err:
                failed += 1
            else:
                compiled += 1
                for m in re.finditer(r"^(\S+?:\d+:\d+): warning: (.*) \[(taskleak-[a-z-]+)\]$", out, re.M):
                    per_check[m.group(3)] = per_check.get(m.group(3), 0) + 1
                    findings_out.write("%s\t%s\t%s\t%s\n" % (pkg, m.group(3), os.path.relpath(m.group(1), CACHE), m.group(2)))
        elapsed = time.time() - start
        line = "%-12s TUs %4d  compile here %4d  do not %4d  crashes %d  timeouts %d  %5.0fs  findings %s" % (
            pkg, len(files), compiled, failed, crashed, timeouts, elapsed,
            ", ".join("%s %d" % (k, v) for k, v in sorted(per_check.items())) or "none")
        print(line, flush=True)
        findings_out.close()
        with open(os.path.join(RESULTS, "summary-%s.txt" % pkg), "w") as f:
            f.write(line + "\n")
    return 1 if broken_tool else 0


if __name__ == "__main__":
    sys.exit(main())
