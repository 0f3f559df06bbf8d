#!/usr/bin/env bash
# A fleet at the live rate through 1-3 server nodes in one share group, on this machine: a throwaway
# mosquitto and InfluxDB 1.x on free loopback ports, the server and the bench built in Release,
# everything stopped on exit.
#   bench/run-fleet.sh [DEVICES=10000] [MINUTES=10] [NODES=1]
# Environment: OUT=FILE.json (default: the bench's, in the temp directory); KEEP=1 keeps the work
# directory (broker, InfluxDB and node logs); SEED=N moves the moments the episodes come due.
set -euo pipefail

devices=${1:-10000}
minutes=${2:-10}
nodes=${3:-1}
repo=$(cd "$(dirname "$0")/.." && pwd)

for tool in mosquitto influxd curl dotnet python3; do
  command -v "$tool" >/dev/null || { echo "run-fleet: $tool not found (apt-get install mosquitto influxdb curl)" >&2; exit 2; }
done

work=$(mktemp -d -t posturesense-fleet-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

source "$repo/bench/lib/influxd.sh"
mqtt_port=$(free_port); influx_port=$(free_port); rpc_port=$(free_port)

# As shipped (mosquitto's default in-flight window of 20 towards each node, which is also what
# spreads a share group's messages), but open on loopback and without persistence. A node's queue
# must not overflow while it is busy: no queue limit.
cat > "$work/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 1000000
max_packet_size 65536
log_dest stdout
log_type error
log_type warning
CONF

echo "building server and bench (Release)..."
dotnet build -c Release --nologo -v q "$repo/src/PostureSense.Server" >/dev/null
dotnet build -c Release --nologo -v q "$repo/bench/PostureSense.FleetBench" >/dev/null

# Ten thousand devices are ten thousand sockets in the broker and in the bench.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 & pids+=($!)
influxd_start "$work" "$influx_port" "$rpc_port" || { echo "run-fleet: influxd did not start; see $work/influxd.log" >&2; KEEP=1; exit 1; }
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$mqtt_port") 2>/dev/null && break; sleep 0.1; done

db=posturesense_fleet
curl -sf -o /dev/null -XPOST "http://127.0.0.1:$influx_port/query" --data-urlencode "q=CREATE DATABASE $db"

out=${OUT:+$(realpath -m "$OUT")}
dotnet "$repo/bench/PostureSense.FleetBench/bin/Release/net10.0/PostureSense.FleetBench.dll" \
  --mqtt "mqtt://127.0.0.1:$mqtt_port" --influx "http://127.0.0.1:$influx_port" --db "$db" \
  --server-dll "$repo/src/PostureSense.Server/bin/Release/net10.0/PostureSense.Server.dll" \
  --devices "$devices" --minutes "$minutes" --nodes "$nodes" --work "$work" ${SEED:+--seed "$SEED"} ${out:+--out "$out"}
