"""Runs a command and fails unless it exits with the expected status.

usage: expect-exit.py STATUS -- COMMAND [ARGS...]
stdout and stderr of the command are passed through (stderr to stdout, so
FileCheck sees both).
"""
import subprocess
import sys

want = int(sys.argv[1])
assert sys.argv[2] == "--"
proc = subprocess.run(sys.argv[3:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
sys.stdout.write(proc.stdout)
if proc.returncode != want:
    print("expect-exit: wanted exit %d, got %d" % (want, proc.returncode))
    sys.exit(1)
