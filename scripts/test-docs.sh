#!/usr/bin/env bash
# The DocC documentation of both library modules builds without a warning: a broken symbol link
# in an article or a doc comment, an article that shadows a symbol, a link to a non-public symbol.
# One plugin run for both modules (one build); fails on any "warning:" in its output.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .build
log=.build/test-docs.log
start=$SECONDS
status=0
swift package generate-documentation --target TFRecord --target TFRecordExample --disable-indexing >"$log" 2>&1 || status=$?
seconds=$((SECONDS - start))
# Warnings by module: DocC's come between "Building documentation for 'M'" and its "Finished";
# anything before the first module (the build of the targets) is counted as "build".
summary=$(awk '
    /^Building documentation for / { split($0, q, "'\''"); module = q[2]; order[++n] = module; count[module] += 0 }
    /(^|: )warning:/ { count[module == "" ? "build" : module]++ }
    END {
        line = ""
        if (count["build"] > 0) line = "build " count["build"] " warnings, "
        for (i = 1; i <= n; i++) line = line order[i] " " count[order[i]] " warnings" (i < n ? ", " : "")
        print line
    }' "$log")
if [ "$status" -ne 0 ] || grep -q "warning:" "$log"; then
  # Each distinct warning once (the compiler repeats one per file of the module), then the
  # first one with its context; the whole output is in $log.
  grep -E "(^|: )(warning|error):" "$log" | sort | uniq -c >&2 || tail -40 "$log" >&2
  grep -m1 -A12 -E "warning:|error:" "$log" >&2 || true
  echo "docs: FAILED: $summary (exit $status, ${seconds}s; output in $log)"
  exit 1
fi
echo "docs: ok: $summary (${seconds}s)"
