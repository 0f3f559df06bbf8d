#!/usr/bin/env bash
# How long Today takes to show a whole worn day (86,400 frames) in chromium, on SQLite and on a
# throwaway InfluxDB 1.x (free loopback ports, temp directory, stopped on exit).
#   bench/run-today.sh [RUNS=5] [WIDTH=1280]
set -euo pipefail

runs=${1:-5}
width=${2:-1280}
repo=$(cd "$(dirname "$0")/.." && pwd)
for tool in influxd curl dotnet python3 chromium; do
  command -v "$tool" >/dev/null || { echo "run-today: $tool not found (apt-get install influxdb curl chromium)" >&2; exit 2; }
done

work=$(mktemp -d -t posturesense-today-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

source "$repo/bench/lib/influxd.sh"
influx_port=$(free_port); rpc_port=$(free_port)
influxd_start "$work" "$influx_port" "$rpc_port" || { echo "run-today: influxd did not start" >&2; exit 1; }
curl -sf -o /dev/null -XPOST "http://127.0.0.1:$influx_port/query" --data-urlencode "q=CREATE DATABASE today_bench"

echo "building (Release)..."
dotnet build -c Release --nologo -v q "$repo/bench/PostureSense.PageTiming" >/dev/null
timing="$repo/bench/PostureSense.PageTiming/bin/Release/net10.0/PostureSense.PageTiming.dll"
# The SQLite run must not pick up a store the shell set for a server.
POSTURESENSE_STORE= dotnet "$timing" --runs "$runs" --width "$width"
dotnet "$timing" --runs "$runs" --width "$width" --store "influxdb://127.0.0.1:$influx_port/today_bench"
