#!/usr/bin/env bash
# Runs benchmark scenarios of docs/benchmarks.md against Fanout and nchan, back to back,
# each server started fresh for its run and stopped by the PID this script recorded.
#   bench/scenarios/run.sh S1 [S1-rate S2 S2-baseline S3 S4 S4-100 S5 ...]   (from the repository root)
# Env: RESULTS (default /tmp/fanout-bench), NCHAN_DIR (default ../shared/peers/nchan),
#      SERVERS ("fanout nchan" by default), FANOUT_ENV (extra environment for the Fanout
#      process only, e.g. "DOTNET_GCgen0size=0x4000000"), FANOUT_ARGS (extra Fanout settings,
#      e.g. "--Fanout:Subscriber:HeartbeatSeconds=0"), NICE (default -10: server and tool both run at
#      this niceness, so parallel builds on the shared cores disturb the pair less, equally).
# Results: $RESULTS/<scenario>-<server>.json (one-line summary) and .log (progress).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RESULTS=${RESULTS:-/tmp/fanout-bench}
NCHAN_DIR=${NCHAN_DIR:-$ROOT/../shared/peers/nchan}
[ -d "$NCHAN_DIR" ] || NCHAN_DIR=/work/shared/peers/nchan
SERVERS=${SERVERS:-fanout nchan}
FANOUT_BIN=$ROOT/src/Fanout.Server/bin/Release/net10.0/Fanout.Server
LOAD_BIN=$ROOT/src/Fanout.Load/bin/Release/net10.0/fanout-load
FANOUT_URL=http://127.0.0.1:8280
NCHAN_URL=http://127.0.0.1:8090
mkdir -p "$RESULTS"
FANOUT_PID=""
CLUSTER_PIDS=""
NICE=${NICE:--10}

build() {
  dotnet build -c Release "$ROOT/src/Fanout.Server" -v q -nologo >/dev/null
  dotnet build -c Release "$ROOT/src/Fanout.Load" -v q -nologo >/dev/null
}

# The binary runs from its output folder: that is its content root, so the appsettings.json
# shipped there applies (as with `dotnet run --project`, whose content root is the project);
# started from elsewhere it would log every request at Information level.
start_fanout() {   # extra Fanout settings as arguments
  (cd "$(dirname "$FANOUT_BIN")" && exec env ${FANOUT_ENV:-} nice -n "$NICE" ./Fanout.Server --urls $FANOUT_URL --Fanout:Remoting:Port=4250 "$@") \
    >"$RESULTS/fanout-server.log" 2>&1 &
  FANOUT_PID=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null --max-time 1 $FANOUT_URL/readyz && return 0
    sleep 0.2
  done
  echo "Fanout did not get ready" >&2; return 1
}

stop_fanout() {
  [ -n "$FANOUT_PID" ] || return 0
  kill "$FANOUT_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$FANOUT_PID" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$FANOUT_PID" 2>/dev/null || true
  FANOUT_PID=""
}

# S5: three nodes on 8280-8282 / 4250-4252; nodes 2 and 3 join node 1.
start_cluster() {
  local i
  for i in 0 1 2; do
    local seeds=""
    [ $i -gt 0 ] && seeds="--Fanout:Cluster:SeedNodes:0=akka.tcp://fanout@127.0.0.1:4250"
    (cd "$(dirname "$FANOUT_BIN")" && exec env ${FANOUT_ENV:-} nice -n "$NICE" ./Fanout.Server \
      --urls http://127.0.0.1:$((8280 + i)) --Fanout:Remoting:Port=$((4250 + i)) $seeds ${FANOUT_ARGS:-}) \
      >"$RESULTS/fanout-node$i.log" 2>&1 &
    CLUSTER_PIDS="$CLUSTER_PIDS $!"
  done
  for i in 0 1 2; do
    local up=""
    for _ in $(seq 1 150); do
      if curl -sf -o /dev/null --max-time 1 http://127.0.0.1:$((8280 + i))/readyz; then up=1; break; fi
      sleep 0.2
    done
    [ -n "$up" ] || { echo "node $i did not get ready" >&2; return 1; }
  done
}

stop_cluster() {
  local pid
  for pid in $CLUSTER_PIDS; do kill "$pid" 2>/dev/null || true; done
  for pid in $CLUSTER_PIDS; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  CLUSTER_PIDS=""
}

start_nchan() { nice -n "$NICE" "$NCHAN_DIR/start-nchan.sh" >/dev/null; }
stop_nchan() { "$NCHAN_DIR/stop-nchan.sh" >/dev/null || true; }

cleanup() { stop_fanout; stop_cluster; stop_nchan; }
trap cleanup EXIT

# run NAME SERVER [load tool arguments...]
run() {
  local name=$1 server=$2; shift 2
  local base
  local preset=$server pidargs
  case $server in
    fanout) base=$FANOUT_URL; pidargs="--server-pid $FANOUT_PID" ;;
    fanout-cluster) preset=fanout; base=$FANOUT_URL; pidargs="" ;;   # the caller passes the nodes' pids
    *) base=$NCHAN_URL; pidargs="--server-pid $(cat /tmp/nchan/master.pid)" ;;
  esac
  echo "== $name $server: fanout-load --server $preset --base $base $* $pidargs" >&2
  # shellcheck disable=SC2086
  nice -n "$NICE" "$LOAD_BIN" --server "$preset" --base "$base" $pidargs "$@" \
    >"$RESULTS/$name-$server.json" 2>"$RESULTS/$name-$server.log" \
    || echo "($name $server: the tool exited $?; its summary says why)" >&2
  cat "$RESULTS/$name-$server.json"
}

# JIT and connection pools warm on a small run first; nchan (C) gets the same run for symmetry.
warm() { run "$1-warm" "$2" -n 20 -m 2000 -p 512 --in-flight 16 --progress 0 >/dev/null; }

scenario_args() {
  case $1 in
    S1) echo "-n 200 -m 20000 -p 512 --in-flight 16 --max-seconds 300 --publish-seconds 240" ;;
    S2) echo "-n 100 -k 50 -m 100000 -p 2048 --in-flight 16 --slow-rcvbuf 65536 --max-seconds 400 --publish-seconds ${S2_PUBLISH_SECONDS:-120} --drain-idle 10" ;;
    S2-baseline) echo "-n 50 -m 100000 -p 2048 --in-flight 16 --max-seconds 400 --publish-seconds ${S2_PUBLISH_SECONDS:-120} --drain-idle 10" ;;
    S3) echo "-n 10000 -m 0 --hold 15 --connect-concurrency 100 --max-seconds 300 --progress 5" ;;
    S4) echo "-n 200 -m 10000 -p 512 --rate 1000 --in-flight 64 --warmup --max-seconds 120 --publish-seconds 30" ;;
    S5) echo "-n 150 -m 10000 -p 512 --in-flight 16 --max-seconds 300 --publish-seconds 180" ;;
    S4-100) echo "-n 200 -m 3000 -p 512 --rate 100 --in-flight 16 --warmup --max-seconds 120" ;;
    S1-rate) echo "-n 200 -m 20000 -p 512 --rate 800 --in-flight 16 --max-seconds 300 --publish-seconds 240" ;;
    *) echo "unknown scenario $1" >&2; return 1 ;;
  esac
}

# Fanout settings per scenario: S2's stall outlasts the default 30 s write timeout, which
# would (correctly) cut the stalled clients; raise it so they can resume and be checked.
fanout_settings() {
  case $1 in
    S2) echo "--Fanout:Subscriber:WriteTimeoutSeconds=600" ;;
    *) echo "" ;;
  esac
}

# S5 on Fanout: publish on node 1, subscribers round-robin over the three nodes, all three
# processes sampled. nchan has no cluster: it gets the same load on its one server.
run_s5_cluster() {
  start_cluster
  local pids="" pid urls=""
  for pid in $CLUSTER_PIDS; do pids="$pids --server-pid $pid"; done
  for i in 0 1 2; do urls="$urls --subscribe-url http://127.0.0.1:$((8280 + i))/topics/{channel}/events"; done
  run "S5-warm" fanout-cluster -n 30 -m 2000 -p 512 --progress 0 $urls $pids >/dev/null
  # shellcheck disable=SC2046
  run "S5" fanout-cluster $(scenario_args S5) $urls $pids
  stop_cluster
}

build
for scenario in "$@"; do
  if [ "$scenario" = S5 ]; then
    case " $SERVERS " in *" fanout "*) run_s5_cluster ;; esac
    case " $SERVERS " in *" nchan "*) start_nchan; warm S5 nchan; run S5 nchan $(scenario_args S5); stop_nchan ;; esac
    continue
  fi
  for server in $SERVERS; do
    if [ "$server" = fanout ]; then
      # shellcheck disable=SC2046
      start_fanout $(fanout_settings "$scenario") ${FANOUT_ARGS:-}
    else
      start_nchan
    fi
    warm "$scenario" "$server"
    # shellcheck disable=SC2046
    run "$scenario" "$server" $(scenario_args "$scenario")
    if [ "$server" = fanout ]; then stop_fanout; else stop_nchan; fi
  done
done
