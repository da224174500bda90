#!/usr/bin/env bash
# docs/architecture.md draws the module graph as Package.swift has it: the block between its
# `module-graph` markers lists each target (test targets aside) and what it depends on. This
# compares the two and fails, showing the difference, when they disagree. Run by `make lint`.
set -euo pipefail
cd "$(dirname "$0")/.."
package=$(mktemp)
trap 'rm -f "$package"' EXIT
swift package dump-package > "$package"
python3 - "$package" docs/architecture.md <<'PY'
import json, re, sys, difflib

package = json.load(open(sys.argv[1]))
actual = []
for target in package["targets"]:
    if target["type"] == "test":
        continue
    deps = []
    for dependency in target["dependencies"]:
        kind, value = next(iter(dependency.items()))
        deps.append(value[0])
    actual.append(f"{target['name']}: {', '.join(sorted(deps))}".rstrip(": ").rstrip())
    if not deps:
        actual[-1] = f"{target['name']}:"

text = open(sys.argv[2]).read()
block = re.search(r"<!-- module-graph -->\n```\n(.*?)```", text, re.S)
if not block:
    sys.exit("check-module-graph: docs/architecture.md has no <!-- module-graph --> block")
drawn = [line.strip() for line in block.group(1).splitlines() if line.strip()]
drawn = [re.sub(r":\s*(.*)", lambda m: ": " + ", ".join(sorted(x.strip() for x in m.group(1).split(",") if x.strip())) if m.group(1).strip() else ":", line) for line in drawn]
if sorted(drawn) != sorted(actual):
    print("check-module-graph: docs/architecture.md's module graph differs from Package.swift", file=sys.stderr)
    for line in difflib.unified_diff(sorted(drawn), sorted(actual), "docs/architecture.md", "Package.swift", lineterm=""):
        print("  " + line, file=sys.stderr)
    sys.exit(1)
PY
