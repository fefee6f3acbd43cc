#!/usr/bin/env python3
"""Runs the recipes of docs/ci.md on a small CMake project.

  ci-recipes.py DOCS_CI_MD TASKLEAK_CMD WORKDIR [SARIF_MULTITOOL]

The shell gate runs verbatim; from the two YAML jobs, the cmake step and the
taskleak step run as written (the install step is what the .deb test of
test/editor covers). `taskleak` is put on PATH as the command under test.
Each run prints one line, "<recipe> <state>: exit N ...", for FileCheck.
"""
import json
import os
import re
import shutil
import subprocess
import sys

docs, taskleak_cmd, work = sys.argv[1], sys.argv[2], sys.argv[3]
multitool = sys.argv[4] if len(sys.argv) > 4 else ""
text = open(docs, encoding="utf-8").read()


def block(heading, lang):
    """The first ```lang block after the heading."""
    start = text.index(heading)
    m = re.compile(r"```" + lang + r"\n(.*?)```", re.S).search(text, start)
    return m.group(1)


gate = block("## A plain shell gate", "sh")
github = block("## GitHub Actions", "yaml")
gitlab = block("## GitLab CI", "yaml")


def commands(yaml_text):
    """The cmake and taskleak command lines of a job (`- run: X` or `- X`)."""
    out = []
    for line in yaml_text.splitlines():
        m = re.match(r"\s*-\s*(?:run:\s*)?(.*)$", line)
        if m and re.match(r"(cmake|taskleak)\b", m.group(1)):
            out.append(m.group(1))
    return out


shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "bin"))
here = os.path.dirname(os.path.abspath(__file__))
shim = os.path.join(work, "bin", "taskleak")
with open(shim, "w") as f:
    f.write("#!/bin/sh\nexec %s \"$@\"\n" % taskleak_cmd)
os.chmod(shim, 0o755)
env = dict(os.environ, PATH=os.path.join(work, "bin") + os.pathsep + os.environ["PATH"])
proj = os.path.join(work, "project")
os.makedirs(proj)
with open(os.path.join(proj, "CMakeLists.txt"), "w") as f:
    f.write("cmake_minimum_required(VERSION 3.20)\nproject(demo CXX)\n"
            "set(CMAKE_CXX_STANDARD 20)\nadd_library(demo OBJECT svc.cpp)\n")


def use(version):
    shutil.copy(os.path.join(here, "baseline", version), os.path.join(proj, "svc.cpp"))


def run(cmd, shell=True):
    return subprocess.run(cmd, shell=shell, cwd=proj, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


# Today's finding, recorded once.
use("v1.cpp")
r = run("cmake -S . -B build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON")
assert r.returncode == 0, r.stdout
r = run("taskleak -p build --write-baseline taskleak-baseline.json")
print("baseline: exit %d" % r.returncode)

for state, version in (("baselined", "v1.cpp"), ("new-leak", "v2.cpp")):
    use(version)
    r = run(gate)
    last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    print("shell-gate %s: exit %d: %s" % (state, r.returncode, last))

    for name, job, report in (("github", github, "taskleak.sarif"),
                              ("gitlab", gitlab, "gl-code-quality.json")):
        path = os.path.join(proj, report)
        if os.path.exists(path):
            os.remove(path)
        rc = None
        for cmd in commands(job):
            rc = run(cmd).returncode
        data = json.load(open(path))
        if name == "github":
            results = data["runs"][0]["results"]
            fresh = [x["ruleId"] for x in results
                     if x.get("baselineState") != "unchanged"]
            extra = "sarif %s, new results %s" % (data["version"], fresh)
            if multitool:
                out = os.path.join(work, "validation.sarif")
                subprocess.run([multitool, "validate", path, "--output", out,
                                "--log", "ForceOverwrite"], check=True,
                               stdout=subprocess.DEVNULL)
                bad = [x for x in json.load(open(out))["runs"][0]["results"]
                       if x.get("level", "warning") in ("error", "warning")]
                extra += ", validator problems %d" % len(bad)
        else:
            extra = "issues %s" % [i["check_name"] for i in data]
        print("%s %s: exit %d: %s" % (name, state, rc, extra))
