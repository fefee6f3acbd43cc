#!/usr/bin/env python3
"""Added latency per edit of taskleak-clangd against plain clangd-19.

  bench/clangd_latency.py [--taskleak-clangd BIN] [--clangd BIN] [--edits N]
                          [--rounds R] [TU [-- FLAGS...]]

Opens TU (default bench/heavy_fiber_tbb.cpp -std=c++20) in an LSP session and
makes N edits (a comment at the end of the file changes), timing each
didChange -> publishDiagnostics of that version. The preamble (the includes)
is built once at didOpen and reused by every edit, as in an editor. Three
servers, each with its own copy of the file and a .clang-tidy:

  clangd-19                 Checks: '-*,taskleak-*' (it does not know them,
                            so nothing runs: plain clangd)
  taskleak-clangd, off      Checks: '-*'            (the binary alone)
  taskleak-clangd, on       Checks: '-*,taskleak-*' (the checks)

The three servers run side by side and each edit goes to each of them in
turn, so that the load of the machine hits them alike; R rounds start them
afresh. The figure is the median over all edits. Prints a Markdown table and the ratio
taskleak-on / clangd-19. Needs clangd-19 (apt-get install clangd-19).
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "test", "editor", "Inputs"))
from lspclient import LspClient, uri_of  # noqa: E402


class Session:
    """One server with its own copy of the TU and .clang-tidy, file open."""

    def __init__(self, server, checks, tu, flags, workdir):
        self.work = tempfile.mkdtemp(dir=workdir)
        src = os.path.join(self.work, os.path.basename(tu))
        shutil.copy(tu, src)
        with open(os.path.join(self.work, "compile_flags.txt"), "w") as f:
            f.write("\n".join(flags) + "\n")
        with open(os.path.join(self.work, ".clang-tidy"), "w") as f:
            f.write("Checks: '%s'\n" % checks)
        os.makedirs(os.path.join(self.work, "config"))
        env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.work, "config"))
        self.client = LspClient([server, "--background-index=0", "--log=error",
                                 "--pch-storage=memory"], cwd=self.work, env=env)
        self.text = open(src).read()
        self.uri = uri_of(src)
        self.version = 1
        self.found = 0
        self.client.initialize(self.work)
        t0 = time.monotonic()
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": self.uri, "languageId": "cpp", "version": 1, "text": self.text}})
        self._diags(self.client.wait_diagnostics(self.uri, version=1, timeout=600))
        self.open_s = time.monotonic() - t0

    def _diags(self, diags):
        self.found = sum(1 for d in diags if str(d.get("code", "")).startswith("taskleak-"))

    def edit(self):
        """Seconds from didChange to the diagnostics of that version."""
        self.version += 1
        t0 = time.monotonic()
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri, "version": self.version},
            "contentChanges": [{"text": self.text + "// edit %d\n" % self.version}]})
        self._diags(self.client.wait_diagnostics(self.uri, version=self.version, timeout=600))
        return time.monotonic() - t0

    def close(self):
        try:
            self.client.shutdown()
        finally:
            self.client.kill()
            shutil.rmtree(self.work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--taskleak-clangd",
                   default=os.path.join(ROOT, "build", "tools", "clangd", "taskleak-clangd"))
    p.add_argument("--clangd", default=shutil.which("clangd-19") or "/usr/bin/clangd-19")
    p.add_argument("--edits", type=int, default=10)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("tu", nargs="?", default=os.path.join(HERE, "heavy_fiber_tbb.cpp"))
    p.add_argument("flags", nargs="*")
    args = p.parse_args()
    flags = args.flags or ["-std=c++20"]
    args.taskleak_clangd = os.path.abspath(args.taskleak_clangd)
    args.tu = os.path.abspath(args.tu)
    servers = [("clangd-19", args.clangd, "-*,taskleak-*"),
               ("taskleak-clangd, taskleak off", args.taskleak_clangd, "-*"),
               ("taskleak-clangd, taskleak on", args.taskleak_clangd, "-*,taskleak-*")]
    for _, path, _ in servers:
        if not os.access(path, os.X_OK):
            sys.exit("clangd_latency.py: %s not found" % path)
    # All three servers stay open; each edit goes to each server in turn, so
    # the load of the machine hits them alike.
    results = {name: ([], [], 0) for name, _, _ in servers}
    with tempfile.TemporaryDirectory() as workdir:
        for r in range(args.rounds):
            sessions = [(name, Session(path, checks, args.tu, flags, workdir))
                        for name, path, checks in servers]
            try:
                for _ in range(args.edits):
                    for name, sess in sessions:
                        results[name][1].append(sess.edit())
            finally:
                for name, sess in sessions:
                    results[name][0].append(sess.open_s)
                    results[name] = (results[name][0], results[name][1], sess.found)
                    sess.close()
            print("round %d done" % (r + 1), file=sys.stderr)
    base = statistics.median(results["clangd-19"][1])
    print("TU: %s %s; %d edits x %d rounds per server; median latency per edit"
          % (os.path.relpath(args.tu, ROOT), " ".join(flags), args.edits, args.rounds))
    print()
    print("| server | didOpen (median) | per edit (median) | per edit (p90) | ratio to clangd-19 | taskleak-* diagnostics |")
    print("|---|---|---|---|---|---|")
    for name, _, _ in servers:
        opens, times, found = results[name]
        med = statistics.median(times)
        p90 = sorted(times)[int(0.9 * (len(times) - 1))]
        print("| %s | %.2f s | %.0f ms | %.0f ms | %.2f | %d |"
              % (name, statistics.median(opens), 1000 * med, 1000 * p90, med / base, found))


if __name__ == "__main__":
    main()
