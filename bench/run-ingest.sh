#!/usr/bin/env bash
# End-to-end ingest measurement on this machine: a throwaway mosquitto and InfluxDB 1.x on free
# loopback ports, the server and the load harness built in Release, everything stopped on exit.
#   bench/run-ingest.sh [DEVICES=1000] [BATCHES=20] [FRAMES=5]
# Environment: STORE=influxdb (default) or sqlite; MAX_INFLIGHT=0 (mosquitto's in-flight limit
# towards the server; 0 = none, the shipped config leaves mosquitto's default of 20);
# OUT=FILE.json (default: the harness's, in the temp directory); KEEP=1 keeps the work directory (logs).
set -euo pipefail

devices=${1:-1000}
batches=${2:-20}
frames=${3:-5}
store=${STORE:-influxdb}
repo=$(cd "$(dirname "$0")/.." && pwd)

source "$repo/bench/lib/work.sh"
source "$repo/bench/lib/influxd.sh"
need_tools run-ingest "apt-get install mosquitto influxdb curl" mosquitto influxd curl dotnet python3
work_dir ingest
mqtt_port=$(free_port); influx_port=$(free_port); rpc_port=$(free_port)

echo "building server and harness (Release)..."
dotnet build -c Release --nologo -v q "$repo/src/PostureSense.Server" >/dev/null
dotnet build -c Release --nologo -v q "$repo/bench/PostureSense.LoadHarness" >/dev/null

# A thousand devices are a thousand sockets in the broker and in the harness.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# No in-flight limit unless asked: the broker should never be what limits.
mosquitto_start "$mqtt_port" "max_inflight_messages ${MAX_INFLIGHT:-0}" \
  || { echo "run-ingest: mosquitto did not start; see $work/mosquitto.log" >&2; KEEP=1; exit 1; }
influxd_start "$work" "$influx_port" "$rpc_port" || { echo "run-ingest: influxd did not start; see $work/influxd.log" >&2; KEEP=1; exit 1; }

db=posturesense_bench
curl -sf -o /dev/null -XPOST "http://127.0.0.1:$influx_port/query" --data-urlencode "q=CREATE DATABASE $db"

if [[ $store == sqlite ]]; then
  target=(--sqlite "$work/server.db")
else
  target=(--influx "http://127.0.0.1:$influx_port" --db "$db")
fi

# Run from the work directory: the server keeps its app database and keys beside where it starts.
out=${OUT:+$(realpath -m "$OUT")}
(cd "$work" && dotnet "$repo/bench/PostureSense.LoadHarness/bin/Release/net10.0/PostureSense.LoadHarness.dll" \
  --mqtt "mqtt://127.0.0.1:$mqtt_port" "${target[@]}" \
  --server-dll "$repo/src/PostureSense.Server/bin/Release/net10.0/PostureSense.Server.dll" \
  --devices "$devices" --batches "$batches" --frames "$frames" ${out:+--out "$out"})
