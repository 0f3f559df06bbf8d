#!/usr/bin/env bash
# A fleet at the live rate through 1-3 server nodes in one share group, on this machine: a throwaway
# mosquitto and InfluxDB 1.x on free loopback ports, the server and the bench built in Release,
# everything stopped on exit.
#   bench/run-fleet.sh [DEVICES=10000] [MINUTES=10] [NODES=1]
# Environment: OUT=FILE.json (default: the bench's, in the temp directory); KEEP=1 keeps the work
# directory (broker, InfluxDB and node logs); SEED=N moves the moments the episodes come due;
# CLUSTER=0 runs several nodes as a share group only, without the Redis cluster they form by default;
# INFLIGHT=N sets mosquitto's in-flight window towards each client (max_inflight_messages; default 20).
set -euo pipefail

devices=${1:-10000}
minutes=${2:-10}
nodes=${3:-1}
repo=$(cd "$(dirname "$0")/.." && pwd)

source "$repo/bench/lib/work.sh"
source "$repo/bench/lib/influxd.sh"
need_tools run-fleet "apt-get install mosquitto influxdb curl" mosquitto influxd curl dotnet python3
work_dir fleet
mqtt_port=$(free_port); influx_port=$(free_port); rpc_port=$(free_port)

echo "building server and bench (Release)..."
dotnet build -c Release --nologo -v q "$repo/src/PostureSense.Server" >/dev/null
dotnet build -c Release --nologo -v q "$repo/bench/PostureSense.FleetBench" >/dev/null

# Ten thousand devices are ten thousand sockets in the broker and in the bench.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# As shipped, mosquitto's default in-flight window of 20 towards each node (which is also what
# spreads a share group's messages), but open on loopback: the fleet's ids need no passwords here.
mosquitto_start "$mqtt_port" ${INFLIGHT:+"max_inflight_messages $INFLIGHT"} || { echo "run-fleet: mosquitto did not start; see $work/mosquitto.log" >&2; KEEP=1; exit 1; }
influxd_start "$work" "$influx_port" "$rpc_port" || { echo "run-fleet: influxd did not start; see $work/influxd.log" >&2; KEEP=1; exit 1; }

cluster=()
if (( nodes > 1 )) && [[ ${CLUSTER:-1} == 1 ]]; then
  need_tools run-fleet "apt-get install redis-server" redis-server
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 & pids+=($!)
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break; sleep 0.1; done
  cluster=(--cluster "redis://127.0.0.1:$redis_port")
fi

# The nodes keep the wearers' default quiet hours (22:00-07:00 in the server's zone): a run at night
# would send no prompt at all. They run in a fixed-offset zone where it is about noon now.
ahead=$((12 - 10#$(date -u +%H)))
if (( ahead > 0 )); then export TZ="Etc/GMT-$ahead"; elif (( ahead < 0 )); then export TZ="Etc/GMT+$((-ahead))"; else export TZ=Etc/UTC; fi

db=posturesense_fleet
curl -sf -o /dev/null -XPOST "http://127.0.0.1:$influx_port/query" --data-urlencode "q=CREATE DATABASE $db"

out=${OUT:+$(realpath -m "$OUT")}
dotnet "$repo/bench/PostureSense.FleetBench/bin/Release/net10.0/PostureSense.FleetBench.dll" \
  --mqtt "mqtt://127.0.0.1:$mqtt_port" --influx "http://127.0.0.1:$influx_port" --db "$db" \
  --server-dll "$repo/src/PostureSense.Server/bin/Release/net10.0/PostureSense.Server.dll" \
  --devices "$devices" --minutes "$minutes" --nodes "$nodes" "${cluster[@]}" --work "$work" ${SEED:+--seed "$SEED"} ${out:+--out "$out"}
