#!/usr/bin/env bash
# The fuzz run at bench size: the integration test's fuzzer (a real mosquitto, the server in-process
# on SQLite) with a million junk messages instead of ten thousand, built in Release.
#   bench/run-fuzz.sh [JUNK_PER_TOPIC=200000] [HTTP_BODIES=20]
# JUNK_PER_TOPIC messages go to each of telemetry, status, ack, cmd and config, a tenth as many
# again to random topics, and a good batch after every 50: 200,000 make 1,100,000 junk messages.
# Environment: SEED=N replays a run (default: the test's fixed seed).
set -euo pipefail

junk=${1:-200000}
bodies=${2:-20}
repo=$(cd "$(dirname "$0")/.." && pwd)

command -v mosquitto >/dev/null || { echo "run-fuzz: mosquitto not found (apt-get install mosquitto)" >&2; exit 2; }

echo "building the integration tests (Release)..."
dotnet build -c Release --nologo -v q "$repo/tests/PostureSense.Integration.Tests" >/dev/null

POSTURESENSE_FUZZ_JUNK_PER_TOPIC=$junk POSTURESENSE_FUZZ_HTTP_BODIES=$bodies POSTURESENSE_FUZZ_SEED=${SEED:-} \
  dotnet test "$repo/tests/PostureSense.Integration.Tests" -c Release --no-build --nologo \
  --filter "FullyQualifiedName~Fuzzing.FuzzTests" --logger "console;verbosity=detailed" \
  | grep -E "seed [0-9]+:|problems|^(HTTP|logged|#|rejected|accepted|frames|good)|Total tests|Passed:|Failed:"
