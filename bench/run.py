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
  bench/run.py --class-scaling [--callgrind]
                                           one class of 80 / 800 methods
                                           (bench/gen_class.py), with
                                           taskleak-client-without-timeout

Exit 0 when the targets hold (median time <= 1.15, median memory <= 1.25,
worst TU time <= 1.5, scaling <= 11x for 10x, class scaling: the check's own
time <= 11x for 10x the methods, and with --callgrind its own instructions
too), 1 otherwise.
"""
import argparse
import json
import os
import shlex
import shutil
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


def measure_checked(cmd, cwd=None):
    """measure(), but a crash or a failed parse stops the benchmark."""
    cpu, mib, out, err = measure(cmd, cwd)
    if "Stack dump" in err or "error:" in err:
        sys.exit("%s failed:\n%s" % (" ".join(cmd), err[-3000:]))
    return cpu, mib, out, err


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
    return check_profile(commands_for(tu)[1], tu.get("directory"))


def check_profile(tidy_cmd, cwd=None):
    """Per-check user+sys seconds of one clang-tidy command, from
    --enable-check-profile (the JSON that --store-check-profile writes)."""
    with tempfile.TemporaryDirectory() as d:
        i = tidy_cmd.index("--quiet")
        cmd = tidy_cmd[:i + 1] + ["--enable-check-profile", "--store-check-profile=" + d] + tidy_cmd[i + 1:]
        subprocess.run(cmd, capture_output=True, cwd=cwd)
        result = {}
        for name in os.listdir(d):
            with open(os.path.join(d, name)) as f:
                data = json.load(f)
            for key, value in data.get("profile", {}).items():
                parts = key.split(".")
                if len(parts) >= 4 and parts[-1] in ("user", "sys"):
                    check = ".".join(parts[2:-1])
                    result[check] = result.get(check, 0.0) + value
        return result


def callgrind(cmd, out_dir, name, function=None):
    """Instructions of cmd under valgrind --tool=callgrind (summed over its
    processes) and, if function is given, the instructions spent inside it
    (inclusive: it and all it calls), from callgrind_annotate."""
    prefix = os.path.join(out_dir, name)
    for f in os.listdir(out_dir):  # a kept directory may hold an older run's files
        if f.startswith(name + "."):
            os.remove(os.path.join(out_dir, f))
    subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                    "--callgrind-out-file=" + prefix + ".%p"] + cmd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    total, inside = 0, None
    for f in sorted(os.listdir(out_dir)):
        if not f.startswith(name + "."):
            continue
        path = os.path.join(out_dir, f)
        with open(path, errors="replace") as fh:
            for line in fh:
                if line.startswith("summary:"):
                    total += int(line.split()[1])
                    break
        if function:
            ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                                 capture_output=True, text=True).stdout
            for line in ann.splitlines():
                if function in line:
                    inside = (inside or 0) + int(line.split()[0].replace(",", ""))
                    break
    return total, inside


CLASS_CHECK = "taskleak-client-without-timeout"
CLASS_SIZES = (80, 800)


def class_scaling(reps, with_callgrind, keep):
    """One class with a member beast::tcp_stream and N methods of 5 blocking
    calls each (bench/gen_class.py), N = 80 and 800: the parse is the same
    Boost headers both times, the check's work is all in the class."""
    ok = True
    d = keep or tempfile.mkdtemp(prefix="taskleak-class-")
    os.makedirs(d, exist_ok=True)
    print("plugin %s" % os.path.realpath(PLUGIN), flush=True)
    rows = []
    for n in CLASS_SIZES:
        src = os.path.join(d, "class-%d.cpp" % n)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_class.py"), str(n), "-o", src], check=True)
        flags = ["-std=c++17"] + COMMON
        bare_cmd = [CLANGXX, "-fsyntax-only"] + flags + [src]
        tidy_cmd = [TIDY, "--load=" + PLUGIN, "--checks=-*," + CLASS_CHECK, "--quiet", src, "--"] + flags
        bare, tidy, own, warns = [], [], [], set()
        for _ in range(reps):  # alternate, so drift hits both alike
            bare.append(measure_checked(bare_cmd)[0])
            cpu, _, out, _ = measure_checked(tidy_cmd)
            tidy.append(cpu)
            warns.add(sum(1 for l in out.splitlines() if "warning:" in l and "[%s]" % CLASS_CHECK in l))
        for _ in range(reps):
            own.append(check_profile(tidy_cmd).get(CLASS_CHECK, float("nan")))
        row = {"n": n, "bare_s": statistics.median(bare), "tidy_s": statistics.median(tidy),
               "own_s": statistics.median(own), "warnings": max(warns)}
        if len(warns) != 1:
            print("N=%d: the number of warnings differs between runs: %s" % (n, sorted(warns)))
            ok = False
        print("N=%-4d parse %6.2fs cpu  tidy (%s only) %6.2fs cpu  check's own time %7.3fs  warnings %d (expected %d)" % (
            n, row["bare_s"], CLASS_CHECK, row["tidy_s"], row["own_s"], row["warnings"], 5 * n), flush=True)
        row["cmds"] = (bare_cmd, tidy_cmd)
        rows.append(row)
    # Instruction counts after all the timings, so that a second benchmark
    # started once these are done does not time itself against valgrind.
    for row in rows if with_callgrind else []:
        n, (bare_cmd, tidy_cmd) = row["n"], row["cmds"]
        row["bare_ir"], _ = callgrind(bare_cmd, d, "bare-%d" % n)
        row["tidy_ir"], row["own_ir"] = callgrind(tidy_cmd, d, "tidy-%d" % n,
                                                  "ClientWithoutTimeoutCheck::check(")
        print("N=%-4d instructions: parse %d  tidy %d  added %d  inside ClientWithoutTimeoutCheck::check %s" % (
            n, row["bare_ir"], row["tidy_ir"], row["tidy_ir"] - row["bare_ir"], row["own_ir"]), flush=True)
    for row in rows:
        del row["cmds"]
    small, large = rows
    factor = CLASS_SIZES[1] / CLASS_SIZES[0]
    bound = 1.1 * factor
    growth = large["own_s"] / small["own_s"]
    print("class scaling: x%.0f methods -> check's own time x%.2f (target <= %.0f): %s" % (
        factor, growth, bound, "PASS" if growth <= bound else "FAIL"))
    print("class scaling: tidy time x%.2f, parse time x%.2f, tidy minus parse %.3fs -> %.3fs" % (
        large["tidy_s"] / small["tidy_s"], large["bare_s"] / small["bare_s"],
        small["tidy_s"] - small["bare_s"], large["tidy_s"] - large["bare_s"]))
    ok &= growth <= bound
    for r in rows:
        if r["warnings"] != 5 * r["n"]:
            print("class scaling: N=%d gave %d warnings, expected %d: FAIL" % (r["n"], r["warnings"], 5 * r["n"]))
            ok = False
    if with_callgrind:
        add_s, add_l = small["tidy_ir"] - small["bare_ir"], large["tidy_ir"] - large["bare_ir"]
        print("class scaling: added instructions (tidy minus parse) %d -> %d: x%.2f" % (
            add_s, add_l, add_l / add_s))
        if small["own_ir"] and large["own_ir"]:
            g = large["own_ir"] / small["own_ir"]
            print("class scaling: instructions inside the check %d -> %d: x%.2f (target <= %.0f): %s" % (
                small["own_ir"], large["own_ir"], g, bound, "PASS" if g <= bound else "FAIL"))
            ok &= g <= bound
        else:
            print("class scaling: no ClientWithoutTimeoutCheck::check in the callgrind profile")
    if not keep:
        shutil.rmtree(d, ignore_errors=True)
    return ok, rows


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
    ap.add_argument("--class-scaling", action="store_true",
                    help="one class of 80 and 800 methods (bench/gen_class.py): check's own time, "
                         "10x the methods at most 11x")
    ap.add_argument("--callgrind", action="store_true",
                    help="with --class-scaling: also instruction counts (valgrind; minutes per run)")
    ap.add_argument("--keep", metavar="DIR", help="with --class-scaling: keep the TUs and callgrind files here")
    ap.add_argument("--json", help="write the rows here")
    args = ap.parse_args(argv)

    ok = True
    if args.class_scaling:
        class_ok, class_rows = class_scaling(args.reps, args.callgrind, args.keep)
        ok &= class_ok
        if args.json:
            with open(args.json, "w") as f:
                json.dump(class_rows, f, indent=1)
        if not args.files and not args.build_dir and not args.scaling:
            return 0 if ok else 1
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
