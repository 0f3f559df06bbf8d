#!/usr/bin/env bash
# What a share-group node that dies for good strands at mosquitto, and that starting a node under
# its client id brings it all back. Two server nodes (SQLite stores, no cluster: stranding is the
# broker's doing) in one --mqtt-share group on a throwaway mosquitto; a small fleet publishes a
# 5-frame batch every 5 s per device; node b is killed (-9) and stays dead for MINUTES while the
# fleet keeps publishing; then the fleet stops, node a drains, and node b is started again under
# its old client id.
#   bench/run-strand.sh [DEVICES=20] [MINUTES=3]
# Environment: KEEP=1 keeps the work directory (broker and node logs, the nodes' databases).
set -euo pipefail

devices=${1:-20}
minutes=${2:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)

source "$repo/bench/lib/work.sh"
source "$repo/bench/lib/influxd.sh"  # free_port
need_tools run-strand "apt-get install mosquitto sqlite3" mosquitto sqlite3 dotnet python3
work_dir strand
mqtt_port=$(free_port)
strand="$repo/bench/lib/strand.py"
dll="$repo/src/PostureSense.Server/bin/Release/net10.0/PostureSense.Server.dll"

echo "building server (Release)..."
dotnet build -c Release --nologo -v q "$repo/src/PostureSense.Server" >/dev/null

# $SYS every second, so the broker's message store can be read while node b is gone.
mosquitto_start "$mqtt_port" "sys_interval 1" || { echo "run-strand: mosquitto did not start; see $work/mosquitto.log" >&2; KEEP=1; exit 1; }

declare -A node_pid
start_node() {
  local name=$1 log="$work/node-$1.log"
  : >"$log"
  dotnet "$dll" --mqtt "mqtt://127.0.0.1:$mqtt_port" --store "sqlite:$work/$name.db" \
    --http http://127.0.0.1:0 --management http://127.0.0.1:0 \
    --mqtt-share strand --mqtt-client-id "posturesense-server-$name" >>"$log" 2>&1 & pids+=($!)
  node_pid[$name]=$!
  for _ in $(seq 600); do
    grep -q '^PostureSense server: dashboard' "$log" && return 0
    sleep 0.2
  done
  echo "run-strand: node $name did not start; see $log" >&2; KEEP=1; exit 1
}

frames_in() { [[ -f $work/$1.db ]] && sqlite3 "file:$work/$1.db?mode=ro" 'SELECT count(*) FROM frames' 2>/dev/null || echo 0; }
# Frames stored by either node, each once (a frame's identity is device and time).
frames_all() {
  sqlite3 ":memory:" "ATTACH 'file:$work/a.db?mode=ro' AS a; ATTACH 'file:$work/b.db?mode=ro' AS b;
    SELECT count(*) FROM (SELECT device_id, ts FROM a.frames UNION SELECT device_id, ts FROM b.frames)"
}
held() { python3 "$strand" stored "$mqtt_port"; }
# Waits until a count stops moving for 10 s (or 3 minutes pass), then prints it.
settle() {
  local last=-1 now same=0
  for _ in $(seq 180); do
    now=$("$@"); if [[ $now == "$last" ]]; then ((++same)); else same=0; last=$now; fi
    ((same >= 10)) && break
    sleep 1
  done
  echo "$last"
}

start_node a
start_node b
baseline=$(held)
echo "two nodes up; broker store holds $baseline messages (retained \$SYS and the like)"

warmup=20
outage=$((minutes * 60))
python3 "$strand" devices "$mqtt_port" "$devices" $((warmup + outage)) "$work/published" & fleet=$!; pids+=($fleet)
sleep "$warmup"
kill -9 "${node_pid[b]}"; wait "${node_pid[b]}" 2>/dev/null || true
b_at_kill=$(frames_in b)
echo "node b killed after ${warmup}s with $b_at_kill frames stored; $devices devices keep publishing for ${minutes} min"
for ((t = 60; t <= outage; t += 60)); do
  sleep 60
  echo "  +${t}s: published $(cat "$work/published"), node a stored $(frames_in a), broker holds $(( $(held) - baseline )) messages"
done
wait "$fleet"
published=$(cat "$work/published")
a_done=$(settle frames_in a)
held_dead=$(( $(held) - baseline ))
stranded=$(( published - $(frames_all) ))
echo "fleet stopped: $published frames published, node a drained at $a_done, b had $b_at_kill"
echo "stranded for the dead id: $stranded frames ($held_dead messages held by the broker)"

start_node b
all=$(settle frames_all)
b_after=$(frames_in b)
echo "node b back under its client id: it stored $((b_after - b_at_kill)) more frames; broker holds $(( $(held) - baseline ))"
echo "lost: $((published - all)) of $published frames"
