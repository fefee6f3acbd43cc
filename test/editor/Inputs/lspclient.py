"""A minimal Language Server Protocol client over a server's stdin/stdout.

Enough for the editor tests and bench/clangd_latency.py: requests with ids,
notifications, and waiting for a notification that satisfies a predicate.
"""

import json
import os
import queue
import subprocess
import threading
import time


class LspError(Exception):
    pass


class LspClient:
    def __init__(self, argv, cwd=None, env=None, stderr=None):
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=stderr if stderr is not None else subprocess.DEVNULL)
        self.next_id = 1
        self.responses = {}
        self.notifications = queue.Queue()
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read_loop, daemon=True)
        self.reader.start()

    # -- wire format -------------------------------------------------------
    def _send(self, msg):
        body = json.dumps(msg).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read_loop(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.notifications.put(None)  # EOF
                    with self.cond:
                        self.cond.notify_all()
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            msg = json.loads(out.read(length))
            if "id" in msg and "method" in msg:
                # A request from the server (workDoneProgress/create, ...):
                # answer it so the server does not wait.
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            elif "id" in msg:
                with self.cond:
                    self.responses[msg["id"]] = msg
                    self.cond.notify_all()
            else:
                self.notifications.put(msg)

    # -- API ---------------------------------------------------------------
    def request(self, method, params, timeout=120):
        rid = self.next_id
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self.cond:
            while rid not in self.responses:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise LspError("no answer to %s" % method)
                self.cond.wait(left)
            msg = self.responses.pop(rid)
        if "error" in msg:
            raise LspError("%s failed: %s" % (method, msg["error"]))
        return msg.get("result")

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_notification(self, predicate, timeout=120):
        """The first notification for which predicate(msg) is true; others are
        dropped."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LspError("timed out waiting for a notification")
            try:
                msg = self.notifications.get(timeout=left)
            except queue.Empty:
                raise LspError("timed out waiting for a notification")
            if msg is None:
                raise LspError("the server closed its output (exit %s)" % self.proc.wait())
            if predicate(msg):
                return msg

    def wait_diagnostics(self, uri, version=None, timeout=120):
        def match(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            return p["uri"] == uri and (version is None or p.get("version") == version)
        return self.wait_notification(match, timeout)["params"]["diagnostics"]

    def initialize(self, root):
        caps = {
            "textDocument": {
                "publishDiagnostics": {"relatedInformation": True},
                "codeAction": {"codeActionLiteralSupport": {
                    "codeActionKind": {"valueSet": ["quickfix", "refactor", "source"]}}},
            },
        }
        result = self.request("initialize", {"processId": os.getpid(),
                                             "rootUri": uri_of(root),
                                             "capabilities": caps})
        self.notify("initialized", {})
        return result

    def shutdown(self, timeout=60):
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.proc.wait(timeout)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def uri_of(path):
    return "file://" + os.path.abspath(path)


def offset_of(text, pos):
    """LSP position (line, UTF-16 character; ASCII here) -> string offset."""
    lines = text.split("\n")
    return sum(len(l) + 1 for l in lines[:pos["line"]]) + pos["character"]


def apply_edits(text, edits):
    for e in sorted(edits, key=lambda e: offset_of(text, e["range"]["start"]), reverse=True):
        start = offset_of(text, e["range"]["start"])
        end = offset_of(text, e["range"]["end"])
        text = text[:start] + e["newText"] + text[end:]
    return text
