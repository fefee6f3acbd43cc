#!/usr/bin/env python3
"""Runs taskleak-client-without-timeout over curl's docs/examples (Debian
source package `curl`, fetched by fetch.sh) and counts, per transfer site
(curl_easy_perform / curl_multi_add_handle calls in code), how many the check
flags; lists the files that do not compile here and every site it leaves
alone, for triage.

  bench/corpus/curl_examples.py [CURL_SOURCE_DIR]
"""
import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PLUGIN = os.environ.get("TASKLEAK_PLUGIN", os.path.join(ROOT, "build", "checks", "libTaskLeak.so"))
TIDY = os.environ.get("TASKLEAK_CLANG_TIDY", "/usr/lib/llvm-19/bin/clang-tidy")
SITE = re.compile(r"\b(curl_easy_perform|curl_multi_add_handle)\s*\(")


def code_sites(path):
    """Line numbers of transfer calls outside comments and string literals."""
    text = open(path, errors="replace").read()
    # Blank out comments and strings, keeping line structure.
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    text = re.sub(r"/\*.*?\*/|//[^\n]*|\"(\\.|[^\"\\\n])*\"", blank, text, flags=re.S)
    return [text.count("\n", 0, m.start()) + 1 for m in SITE.finditer(text)]


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else (glob.glob(os.path.join(HERE, "cache", "curl-*")) or [""])[0]
    examples = os.path.join(src, "docs", "examples")
    if not os.path.isdir(examples):
        sys.exit("no curl sources; run bench/corpus/fetch.sh curl first")
    total = flagged = 0
    broken, silent = [], []
    for path in sorted(glob.glob(os.path.join(examples, "*.c")) + glob.glob(os.path.join(examples, "*.cpp"))):
        sites = code_sites(path)
        if not sites:
            continue
        proc = subprocess.run([TIDY, "--load=" + PLUGIN, "--checks=-*,taskleak-client-without-timeout",
                               "--quiet", path, "--", "-I" + os.path.join(src, "include")],
                              capture_output=True, text=True)
        if "error:" in proc.stdout:
            broken.append((os.path.basename(path), len(sites)))
            continue
        warned = {int(m.group(1)) for m in re.finditer(r"^[^:\n]+:(\d+):\d+: warning:", proc.stdout, re.M)}
        for line in sites:
            total += 1
            if line in warned:
                flagged += 1
            else:
                silent.append("%s:%d" % (os.path.basename(path), line))
    print("transfer sites in files that compile: %d, flagged: %d, not flagged: %d" % (total, flagged, total - flagged))
    for s in silent:
        print("  not flagged:", s)
    print("files that do not compile here (missing third-party headers): %d, with %d sites" % (
        len(broken), sum(n for _, n in broken)))
    for name, n in broken:
        print("  ", name, n)


if __name__ == "__main__":
    main()
