#!/usr/bin/env python3
"""Drive taskleak-clangd through one editing session, as an editor would.

  lsp_session.py CLANGD WORKDIR LEAKY.cpp MOCK_INCLUDE_DIR [FAST_CHECK_FILTER]

Copies LEAKY.cpp into WORKDIR with a compile_flags.txt and a .clang-tidy that
enables taskleak-*, then: initialize; didOpen; wait for publishDiagnostics and
print every taskleak-* diagnostic with its relatedInformation (the notes);
ask for code actions on it and print them; apply the quick fix's edit to the
buffer; didChange with the fixed text; wait for the diagnostics of that
version and print how many taskleak-* ones are left; shutdown and exit.
With FAST_CHECK_FILTER (Strict, Loose, None), a .clangd sets clangd's
Diagnostics.ClangTidy.FastCheckFilter to it.
Exits non-zero (with the reason) if any step does not happen.
"""

import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import LspClient, LspError, apply_edits, uri_of  # noqa: E402


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def taskleak_diags(diags):
    return [d for d in diags if str(d.get("code", "")).startswith("taskleak-")]


def pos(p):
    return "%d:%d" % (p["line"] + 1, p["character"] + 1)


def main():
    clangd, work, leaky, mocks = [os.path.abspath(a) for a in sys.argv[1:5]]
    fast_filter = sys.argv[5] if len(sys.argv) > 5 else None
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "config"))
    src = os.path.join(work, "leaky.cpp")
    shutil.copy(leaky, src)
    with open(os.path.join(work, "compile_flags.txt"), "w") as f:
        f.write("-std=c++20\n-nostdinc++\n-isystem\n%s\n" % mocks)
    with open(os.path.join(work, ".clang-tidy"), "w") as f:
        f.write("Checks: '-*,taskleak-*'\n")
    if fast_filter:
        with open(os.path.join(work, ".clangd"), "w") as f:
            f.write("Diagnostics:\n  ClangTidy:\n    FastCheckFilter: %s\n" % fast_filter)
    text = open(src).read()
    uri = uri_of(src)

    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = os.path.join(work, "config")  # no user config
    client = LspClient([clangd, "--background-index=0", "--log=error", "-j=2"],
                       cwd=work, env=env)
    try:
        client.initialize(work)
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "cpp", "version": 1, "text": text}})
        diags = client.wait_diagnostics(uri, version=1)
        errors = [d for d in diags if d.get("severity") == 1]
        if errors:
            fail("the file does not compile: %s" % errors[0]["message"])
        found = taskleak_diags(diags)
        if not found:
            fail("no taskleak-* diagnostic after didOpen: %s" % diags)
        for d in found:
            sev = {1: "error", 2: "warning"}.get(d.get("severity"), "other")
            print("diagnostic %s %s [%s] (%s): %s" % (pos(d["range"]["start"]), sev, d["code"],
                                                      d.get("source"), d["message"]))
            for r in d.get("relatedInformation", []):
                print("  related %s %s: %s" % (os.path.basename(r["location"]["uri"]),
                                               pos(r["location"]["range"]["start"]),
                                               r["message"]))

        send = next((d for d in found if d["code"] == "taskleak-abandoned-send"), None)
        if send is None:
            fail("no taskleak-abandoned-send diagnostic")
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": send["range"],
            "context": {"diagnostics": [send], "only": ["quickfix"]}}) or []
        fixes = [a for a in actions if a.get("kind") == "quickfix" and "edit" in a]
        for a in fixes:
            print("codeAction %s: %s" % (a["kind"], a["title"]))
        if not fixes:
            fail("no quickfix offered for the abandoned send: %s" % actions)
        edits = fixes[0]["edit"].get("changes", {}).get(uri)
        if edits is None:  # documentChanges form
            edits = [e for dc in fixes[0]["edit"].get("documentChanges", [])
                     if dc["textDocument"]["uri"] == uri for e in dc["edits"]]
        fixed = apply_edits(text, edits)
        for line in fixed.splitlines():
            if "channel<int> ch" in line:
                print("fixed line: " + line.strip())

        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": fixed}]})
        diags = client.wait_diagnostics(uri, version=2)
        errors = [d for d in diags if d.get("severity") == 1]
        if errors:
            fail("the fixed file does not compile: %s" % errors[0]["message"])
        print("after didChange: %d taskleak diagnostics" % len(taskleak_diags(diags)))
        rc = client.shutdown()
        print("exit status %d" % rc)
        return 0
    except LspError as e:
        fail(str(e))
    finally:
        client.kill()


if __name__ == "__main__":
    sys.exit(main())
