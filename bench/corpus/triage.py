#!/usr/bin/env python3
"""Joins a corpus sweep's findings with their verdicts (bench/corpus/triage.tsv).

  bench/corpus/triage.py [RESULTS_DIR]     (default: $SWEEP_RESULTS or bench/results)

Prints, per package and check, the findings and how many are true positives;
precision over the whole corpus; precision over the asynchronous networking
code (issue 16: asio, Boost.Asio and Beast examples, cpprest, libtorrent, i2pd,
cpp-httplib, curl, paho) split into non-test and test code; every finding that
has no verdict yet (exit 1 if any), and verdicts whose finding the sweep no
longer reports (informational: a check that got more precise).
"""
import collections
import glob
import os
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RESULTS = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    "SWEEP_RESULTS", os.path.join(ROOT, "bench", "results"))
NETWORK = {"asio", "boost1.81-asio", "cpprest", "libtorrent-rasterbar", "i2pd", "cpp-httplib",
           "curl", "paho.mqtt.cpp"}


def networking(pkg, loc):
    return pkg in NETWORK or (pkg == "boost1.81" and "/libs/beast/" in loc)


def load_verdicts():
    verdicts = {}
    with open(os.path.join(HERE, "triage.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            check, loc, verdict, cls, reason = line.rstrip("\n").split("\t", 4)
            verdicts[("taskleak-" + check, loc)] = (verdict, cls, reason)
    return verdicts


def pct(tp, n):
    return "%d/%d = %.1f%%" % (tp, n, 100.0 * tp / n) if n else "no findings"


def main():
    verdicts = load_verdicts()
    seen = set()
    untriaged = []
    per = collections.OrderedDict()
    overall = [0, 0]
    net = {"non-test": [0, 0], "test": [0, 0]}
    classes = collections.Counter()
    for path in sorted(glob.glob(os.path.join(RESULTS, "findings-*.txt"))):
        for line in open(path):
            pkg, check, loc, kind, msg = line.rstrip("\n").split("\t", 4)
            key = (check, loc)
            seen.add(key)
            v = verdicts.get(key)
            if v is None:
                untriaged.append(line.rstrip("\n"))
                continue
            tp = v[0] == "TP"
            row = per.setdefault((pkg, check), [0, 0])
            row[0] += tp
            row[1] += 1
            overall[0] += tp
            overall[1] += 1
            classes[(check, v[0], v[1])] += 1
            if networking(pkg, loc):
                net[kind][0] += tp
                net[kind][1] += 1
    print("%-22s %-32s %8s %4s" % ("package", "check", "findings", "TP"))
    for (pkg, check), (tp, n) in per.items():
        print("%-22s %-32s %8d %4d" % (pkg, check[len("taskleak-"):], n, tp))
    print("\nprecision, whole corpus: %s" % pct(*overall))
    print("precision, networking code (issue 16), non-test: %s" % pct(*net["non-test"]))
    print("precision, networking code (issue 16), test:     %s" % pct(*net["test"]))
    print("\nverdicts by rule:")
    for (check, verdict, cls), n in sorted(classes.items()):
        print("  %-32s %s %-18s %d" % (check[len("taskleak-"):], verdict, cls, n))
    stale = sorted(k for k in verdicts if k not in seen)
    if stale:
        print("\nverdicts whose finding this sweep does not report (%d):" % len(stale))
        for check, loc in stale:
            print("  %s %s (%s)" % (check[len("taskleak-"):], loc, verdicts[(check, loc)][0]))
    if untriaged:
        print("\nUNTRIAGED findings (%d):" % len(untriaged))
        for line in untriaged:
            print("  " + line)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
