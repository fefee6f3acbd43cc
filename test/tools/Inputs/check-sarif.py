"""Checks a taskleak SARIF log against the JSON report of the same run.

usage: check-sarif.py LOG.sarif REPORT.json
Prints one line per result: ruleId, its location, and counts, for FileCheck.
"""
import json
import sys

log = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
assert log["version"] == "2.1.0", log["version"]
assert "sarif-2.1.0" in log["$schema"]
(run,) = log["runs"]
driver = run["tool"]["driver"]
assert driver["name"] == "taskleak"
rules = driver["rules"]
ids = [r["id"] for r in rules]
findings = report["findings"]
# One rule per check that has a result, no duplicates.
assert len(ids) == len(set(ids)) and set(ids) == {f["check"] for f in findings}, (ids, findings)
for r in rules:
    name = r["id"][len("taskleak-"):]
    assert r["helpUri"].endswith("docs/checks/%s.md" % name), r["helpUri"]
    assert len(r["help"]["text"]) > 20 and r["shortDescription"]["text"], r
results = run["results"]
assert len(results) == len(findings), (len(results), len(findings))
flows = 0
for res, f in zip(results, findings):
    assert res["ruleId"] == f["check"] and ids[res["ruleIndex"]] == f["check"]
    assert res["message"]["text"] == f["message"]
    (loc,) = res["locations"]
    region = loc["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (f["line"], f["column"]), (region, f)
    uri = loc["physicalLocation"]["artifactLocation"]["uri"]
    base = loc["physicalLocation"]["artifactLocation"].get("uriBaseId")
    assert base == "%SRCROOT%" and not uri.startswith("/"), (uri, base)
    assert f["file"].endswith("/" + uri.replace("%20", " ")), (uri, f["file"])
    related = res.get("relatedLocations", [])
    # A related location for every note, with its message and position.
    assert [(r["message"]["text"], r["physicalLocation"]["region"]["startLine"]) for r in related] \
        == [(n["message"], n["line"]) for n in f["notes"]], (related, f["notes"])
    spawn_notes = [n for n in f["notes"] if "spawned here" in n["message"]]
    if spawn_notes:
        (flow,) = res["codeFlows"]
        steps = flow["threadFlows"][0]["locations"]
        assert steps[0]["location"]["message"]["text"] == spawn_notes[0]["message"], steps
        assert steps[-1]["location"]["physicalLocation"]["region"]["startLine"] == f["line"]
        flows += 1
    print("%s %s:%d related=%d" % (res["ruleId"], uri.rsplit("/", 1)[-1], region["startLine"],
                                   len(related)))
print("results=%d rules=%d codeflows=%d" % (len(results), len(rules), flows))
