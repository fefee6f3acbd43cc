#!/usr/bin/env python3
"""The pre-commit hook on a throwaway git repository.

  precommit_scenario.py SRC_ROOT WORKDIR MOCK_INCLUDE_DIR [--pre-commit]

Copies the fixture project (test/editor/Inputs/project) into WORKDIR/repo,
writes its compile database (only src/main.cpp is listed), commits it, then
stages leaky files and runs tools/taskleak-pre-commit on the staged names as
pre-commit would, printing the exit status and the output of each step.

With --pre-commit, also runs the real pre-commit (Debian's package) with the
two .pre-commit-config.yaml snippets of docs/editors.md: `git commit` of a
leak must be refused and a clean commit must go through.
"""

import json
import os
import re
import shutil
import subprocess
import sys

SRC, WORK, MOCKS = [os.path.abspath(a) for a in sys.argv[1:4]]
USE_PRE_COMMIT = "--pre-commit" in sys.argv[4:]
INPUTS = os.path.join(SRC, "test", "editor", "Inputs")
HOOK = os.path.join(SRC, "tools", "taskleak-pre-commit")
REPO = os.path.join(WORK, "repo")
ENV = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
           GIT_COMMITTER_EMAIL="t@t", PRE_COMMIT_HOME=os.path.join(WORK, "pre-commit-home"),
           GIT_CONFIG_NOSYSTEM="1", HOME=WORK)


def sh(cmd, cwd=REPO, check=True):
    p = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    if check and p.returncode != 0:
        print("FAIL: %s: %s%s" % (" ".join(cmd), p.stdout, p.stderr))
        sys.exit(1)
    return p


def show(title, p):
    print("== %s: exit %d" % (title, p.returncode))
    for line in (p.stdout + p.stderr).splitlines():
        line = line.replace(REPO + "/", "").replace(WORK + "/", "")
        if line.strip():
            print("   " + line)


def staged():
    return sh(["git", "diff", "--cached", "--name-only", "--diff-filter=ACM"]).stdout.split()


def hook(title, files=None):
    show(title, sh([sys.executable, HOOK] + (files or staged()), check=False))


def put(src, dst):
    shutil.copy(os.path.join(INPUTS, src), os.path.join(REPO, dst))
    sh(["git", "add", dst])


def restore():
    sh(["git", "reset", "-q", "--hard", "HEAD"])
    sh(["git", "clean", "-qfd", "-e", "build"])


def yaml_snippets():
    """The ```yaml blocks of docs/editors.md marked for pre-commit."""
    text = open(os.path.join(SRC, "docs", "editors.md")).read()
    return re.findall(r"<!-- pre-commit-config: (\w+) -->\s*```yaml\n(.*?)```", text, re.S)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    shutil.copytree(os.path.join(INPUTS, "project"), REPO)
    os.makedirs(os.path.join(REPO, "build"))
    with open(os.path.join(REPO, "build", "compile_commands.json"), "w") as f:
        json.dump([{"directory": REPO, "file": "src/main.cpp",
                    "arguments": ["clang++-19", "-std=c++20", "-nostdinc++", "-isystem", MOCKS,
                                  "-Iinclude", "-c", "src/main.cpp"]}], f)
    with open(os.path.join(REPO, ".gitignore"), "w") as f:
        f.write("build/\n")
    sh(["git", "init", "-q", "-b", "main"])
    sh(["git", "add", "."])
    sh(["git", "commit", "-q", "-m", "clean"])

    hook("clean files", ["src/main.cpp", "include/worker.h", "include/pipeline.h"])

    put("leaks/worker.h", "include/worker.h")
    hook("leaky header")
    restore()

    put("leaks/spin.cpp", "src/spin.cpp")
    hook("new file not in the database")
    restore()

    put("leaks/orphan.h", "include/orphan.h")
    hook("header no translation unit includes")
    restore()

    if not USE_PRE_COMMIT:
        return 0

    # The hooks repository as pre-commit clones it: this checkout's hook
    # definition and script, committed.
    hooks = os.path.join(WORK, "hooks")
    os.makedirs(os.path.join(hooks, "tools"))
    shutil.copy(os.path.join(SRC, ".pre-commit-hooks.yaml"), hooks)
    shutil.copy(HOOK, os.path.join(hooks, "tools"))
    sh(["git", "init", "-q", "-b", "main"], cwd=hooks)
    sh(["git", "add", "."], cwd=hooks)
    sh(["git", "commit", "-q", "-m", "hooks"], cwd=hooks)
    rev = sh(["git", "rev-parse", "HEAD"], cwd=hooks).stdout.strip()
    # `language: system` finds taskleak-pre-commit on PATH, as installed.
    bindir = os.path.join(WORK, "bin")
    os.makedirs(bindir)
    os.symlink(HOOK, os.path.join(bindir, "taskleak-pre-commit"))
    ENV["PATH"] = bindir + os.pathsep + ENV["PATH"]

    snippets = yaml_snippets()
    if len(snippets) != 2:
        print("FAIL: expected two marked pre-commit snippets in docs/editors.md")
        return 1
    for name, config in snippets:
        config = re.sub(r"repo: https?://\S+", "repo: " + hooks, config)
        config = re.sub(r"rev: \S+", "rev: " + rev, config)
        with open(os.path.join(REPO, ".pre-commit-config.yaml"), "w") as f:
            f.write(config)
        sh(["git", "add", ".pre-commit-config.yaml"])
        sh(["git", "commit", "-q", "--no-verify", "-m", "pre-commit config " + name])
        sh(["pre-commit", "install"])
        head = sh(["git", "rev-parse", "HEAD"]).stdout
        put("leaks/worker.h", "include/worker.h")
        show("pre-commit (%s): commit with a leak" % name,
             sh(["git", "commit", "-m", "leak"], check=False))
        print("   HEAD unchanged: %s" % (sh(["git", "rev-parse", "HEAD"]).stdout == head))
        restore()
        with open(os.path.join(REPO, "src", "main.cpp"), "a") as f:
            f.write("// a clean change\n")
        sh(["git", "add", "src/main.cpp"])
        show("pre-commit (%s): clean commit" % name,
             sh(["git", "commit", "-m", "clean change"], check=False))
        print("   HEAD moved: %s" % (sh(["git", "rev-parse", "HEAD"]).stdout != head))
    return 0


if __name__ == "__main__":
    sys.exit(main())
