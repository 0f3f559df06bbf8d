# Sourced by the bench scripts: what they share.
#   need_tools SCRIPT HINT TOOL...   exits 2 naming the first TOOL not found, with HINT (how to install it)
#   work_dir NAME                    makes $work (a temp directory) and $pids; on exit the pids are
#                                    stopped and $work removed, or kept and named with KEEP=1
#   mosquitto_start PORT [LINE...]   starts mosquitto in $work on 127.0.0.1:PORT, open, no persistence,
#                                    no queue limit, with any further config LINEs; waits until it accepts
need_tools() {
  local script=$1 hint=$2; shift 2
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$script: $tool not found ($hint)" >&2; exit 2; }
  done
}

work_dir() {
  work=$(mktemp -d -t "posturesense-$1-XXXXXX")
  pids=()
  trap _work_cleanup EXIT
}

_work_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}

mosquitto_start() {
  local port=$1; shift
  # The broker should never be what limits or drops: no persistence, no queue limit.
  {
    echo "listener $port 127.0.0.1"
    echo "allow_anonymous true"
    echo "persistence false"
    echo "max_queued_messages 1000000"
    echo "max_packet_size 65536"
    echo "log_dest stdout"
    echo "log_type error"
    echo "log_type warning"
    printf '%s\n' "$@"
  } > "$work/mosquitto.conf"
  mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 & pids+=($!)
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
