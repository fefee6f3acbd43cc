#!/usr/bin/env python3
"""taskleak's benchmark harness.

For each translation unit, runs `clang++-19 -fsyntax-only` and
`clang-tidy-19 --load=libTaskLeak.so --checks=-*,taskleak-*` with the same
flags, alternately, REPS times each, and reports per TU the median wall time
and peak memory of both and their ratios, then the median ratio and the worst
TU. With --profile, also the --enable-check-profile time of each check.

  bench/run.py FILE... [-- FLAGS]          files with flags
  bench/run.py -p BUILD_DIR [FILE...]      from compile_commands.json
  bench/run.py --scaling                   generated 1k/10k-function TUs

Exit 0 when the targets hold (median time <= 1.15, median memory <= 1.25,
worst TU time <= 1.5, scaling <= 11x for 10x), 1 otherwise.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(HERE)
CLANGXX = os.environ.get("TASKLEAK_CLANGXX", "/usr/lib/llvm-19/bin/clang++")
TIDY = os.environ.get("TASKLEAK_CLANG_TIDY", "/usr/lib/llvm-19/bin/clang-tidy")
PLUGIN = os.environ.get("TASKLEAK_PLUGIN", os.path.join(ROOT, "build", "checks", "libTaskLeak.so"))


def measure(cmd, cwd=None):
    """CPU seconds (user+sys) and peak RSS (MiB) of one run of cmd.

    CPU time, not wall time: on a shared 2-core machine wall time swings by
    tens of percent between identical runs, CPU time by a few."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        _, _, rusage = os.wait4(proc.pid, 0)
        out.seek(0)
        err.seek(0)
        cpu = rusage.ru_utime + rusage.ru_stime
        return (cpu, rusage.ru_maxrss / 1024.0, out.read().decode(errors="replace"),
                err.read().decode(errors="replace"))


# Both sides get the flag tools/taskleak adds (Boost 1.74 MPL vs clang 19).
COMMON = ["-Wno-error=enum-constexpr-conversion"]


def commands_for(tu):
    """(baseline, tidy) commands for one TU dict {file, args, directory}."""
    base = [CLANGXX, "-fsyntax-only"] + tu["args"] + COMMON + [tu["file"]]
    tidy = [TIDY, "--load=" + PLUGIN, "--checks=-*,taskleak-*", "--quiet", tu["file"], "--"] + tu["args"] + COMMON
    return base, tidy


def tus_from_db(build_dir, only):
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        db = json.load(f)
    tus = []
    for e in db:
        args = e.get("arguments") or shlex.split(e["command"])
        path = e["file"] if os.path.isabs(e["file"]) else os.path.join(e["directory"], e["file"])
        if only and os.path.abspath(path) not in only:
            continue
        # Keep preprocessor/language flags; drop the compiler, -c, -o and the source.
        keep, skip = [], False
        for a in args[1:]:
            if skip:
                skip = False
                continue
            if a in ("-c",) or a == e["file"] or a == path:
                continue
            if a == "-o":
                skip = True
                continue
            keep.append(a)
        tus.append({"file": path, "args": keep, "directory": e["directory"]})
    return tus


def bench_tus(tus, reps):
    rows = []
    for tu in tus:
        base_cmd, tidy_cmd = commands_for(tu)
        bt, bm, tt, tm = [], [], [], []
        for _ in range(reps):  # alternate, so drift hits both alike
            w, m, _, err = measure(base_cmd, tu.get("directory"))
            bt.append(w)
            bm.append(m)
            w, m, _, err2 = measure(tidy_cmd, tu.get("directory"))
            tt.append(w)
            tm.append(m)
        row = {
            "file": tu["file"],
            "base_s": statistics.median(bt), "tidy_s": statistics.median(tt),
            "base_mib": statistics.median(bm), "tidy_mib": statistics.median(tm),
        }
        row["time_ratio"] = row["tidy_s"] / row["base_s"]
        row["mem_ratio"] = row["tidy_mib"] / row["base_mib"]
        rows.append(row)
        print("%-60s parse %6.2fs cpu %6.0fMiB  tidy %6.2fs cpu %6.0fMiB  time x%.3f  mem x%.3f" % (
            os.path.relpath(tu["file"]), row["base_s"], row["base_mib"], row["tidy_s"],
            row["tidy_mib"], row["time_ratio"], row["mem_ratio"]), flush=True)
    return rows


def profile(tu):
    """Per-check user+sys seconds from --enable-check-profile."""
    with tempfile.TemporaryDirectory() as d:
        cmd = [TIDY, "--load=" + PLUGIN, "--checks=-*,taskleak-*", "--quiet",
               "--enable-check-profile", "--store-check-profile=" + d, tu["file"], "--"] + tu["args"]
        subprocess.run(cmd, capture_output=True, cwd=tu.get("directory"))
        result = {}
        for name in os.listdir(d):
            with open(os.path.join(d, name)) as f:
                data = json.load(f)
            for key, value in data.get("profile", {}).items():
                # keys look like "time.clang-tidy.<check>.wall"
                parts = key.split(".")
                if len(parts) >= 4 and parts[-1] in ("user", "sys"):
                    check = ".".join(parts[2:-1])
                    result[check] = result.get(check, 0.0) + value
        return result


def generate(n_functions, path):
    subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), str(n_functions), path], check=True)


def main():
    argv = sys.argv[1:]
    flags = []
    if "--" in argv:
        i = argv.index("--")
        argv, flags = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("-p", dest="build_dir")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--json", help="write the rows here")
    args = ap.parse_args(argv)

    ok = True
    if args.scaling:
        with tempfile.TemporaryDirectory() as d:
            small, large = os.path.join(d, "gen1k.cpp"), os.path.join(d, "gen10k.cpp")
            generate(1000, small)
            generate(10000, large)
            std = ["-std=c++20", "-I" + os.path.join(ROOT, "test", "Inputs")]
            rows = bench_tus([{"file": small, "args": std}, {"file": large, "args": std}], args.reps)
            # Cost the checks add, on top of the parse, must scale linearly.
            add_small = rows[0]["tidy_s"] - rows[0]["base_s"]
            add_large = rows[1]["tidy_s"] - rows[1]["base_s"]
            total_scale = rows[1]["tidy_s"] / rows[0]["tidy_s"]
            print("scaling: 10x functions -> tidy time x%.2f (target <= 11)" % total_scale)
            print("scaling: added cost 1k %.3fs, 10k %.3fs" % (add_small, add_large))
            ok &= total_scale <= 11.0
        if not args.files and not args.build_dir:
            return 0 if ok else 1

    if args.build_dir:
        tus = tus_from_db(args.build_dir, {os.path.abspath(f) for f in args.files})
    else:
        tus = [{"file": os.path.abspath(f), "args": flags} for f in args.files]
    if not tus:
        ap.error("no translation units")
    rows = bench_tus(tus, args.reps)
    tr = statistics.median(r["time_ratio"] for r in rows)
    mr = statistics.median(r["mem_ratio"] for r in rows)
    worst = max(rows, key=lambda r: r["time_ratio"])
    print("median time ratio %.3f (target <= 1.15), median memory ratio %.3f (target <= 1.25)" % (tr, mr))
    print("worst TU %s: time ratio %.3f (target <= 1.5)" % (os.path.relpath(worst["file"]), worst["time_ratio"]))
    ok &= tr <= 1.15 and mr <= 1.25 and worst["time_ratio"] <= 1.5
    if args.profile:
        for tu in tus:
            prof = profile(tu)
            base = next(r["base_s"] for r in rows if r["file"] == tu["file"])
            for check, secs in sorted(prof.items()):
                print("profile %s %s: %.4fs user+sys = %.4f of the bare parse" % (
                    os.path.relpath(tu["file"]), check, secs, secs / base))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
