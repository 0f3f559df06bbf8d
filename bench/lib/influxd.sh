# Sourced by the bench scripts: a throwaway InfluxDB 1.x in a work directory.
#   influxd_start WORK HTTP_PORT RPC_PORT   starts it (pid appended to the caller's pids array)
#                                           and waits until it answers /ping; returns 1 if it never does.
influxd_start() {
  local work=$1 http_port=$2 rpc_port=$3
  mkdir -p "$work/influxdb"
  cat > "$work/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$work/influxdb/meta"
[data]
  dir = "$work/influxdb/data"
  wal-dir = "$work/influxdb/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$http_port"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[subscriber]
  enabled = false
CONF
  influxd run -config "$work/influxdb.conf" >"$work/influxd.log" 2>&1 & pids+=($!)
  for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$http_port/ping" && return 0
    sleep 0.2
  done
  return 1
}

# A port the kernel hands out as free; a race with another process is possible but rare on a quiet machine.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
