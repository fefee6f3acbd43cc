"""Sends Ctrl-C (SIGINT) to a taskleak run once its slow analyses are running.

usage: interrupt.py PID_DIR WANT_RUNNING -- COMMAND...
Waits until WANT_RUNNING stand-in processes wrote their pid to PID_DIR, sends
SIGINT, and checks: taskleak exits within 10 s, with status 130, and every
stand-in process is gone. Prints taskleak's stdout and stderr.
"""
import os
import signal
import subprocess
import sys
import time

pid_dir, want = sys.argv[1], int(sys.argv[2])
assert sys.argv[3] == "--"
# lit runs tests with SIGINT ignored, which children inherit; a terminal's
# Ctrl-C reaches a process that has the default disposition.
proc = subprocess.Popen(sys.argv[4:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
deadline = time.monotonic() + 60
while len(os.listdir(pid_dir)) < want:
    assert time.monotonic() < deadline, "the slow analyses never started"
    assert proc.poll() is None, "taskleak ended early:\n" + proc.stdout.read()
    time.sleep(0.1)
started = time.monotonic()
proc.send_signal(signal.SIGINT)
try:
    out, _ = proc.communicate(timeout=30)
except subprocess.TimeoutExpired:
    proc.kill()
    for name in os.listdir(pid_dir):
        try:
            os.kill(int(name), signal.SIGKILL)
        except OSError:
            pass
    sys.exit("taskleak did not stop within 30 s of SIGINT")
took = time.monotonic() - started
sys.stdout.write(out)
print("exit %d" % proc.returncode)
assert took < 10, "took %.1fs to stop" % took
for name in os.listdir(pid_dir):
    pid = int(name)
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        # a zombie already killed is gone for our purpose
        try:
            with open("/proc/%d/stat" % pid) as f:
                if f.read().split(") ")[1].startswith("Z"):
                    break
        except OSError:
            break
        time.sleep(0.1)
    else:
        print("stand-in %d still running" % pid)
        os.kill(pid, signal.SIGKILL)
        sys.exit(1)
print("stand-ins killed: %d" % len(os.listdir(pid_dir)))
