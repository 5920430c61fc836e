#!/usr/bin/env bash
# Runs benchmark scenarios of docs/benchmarks.md against Fanout and nchan, back to back,
# each server started fresh for its run and stopped by the PID this script recorded.
#   bench/scenarios/run.sh S1 [S1-rate Wide S2 S2-baseline S3 S3-5000 S4 S4-100 S5 P1-16 P1-256 P100-16 P100-256 P1000-16 P1000-256 PB-16 PB-256 CHURN RECOVERY
#                              M-template M-wide M-publish-16 M-publish-256 SCALE SCALE-3 ...]
#   (from the repository root)
# Env: RESULTS (default /tmp/fanout-bench), NCHAN_DIR (default ../shared/peers/nchan),
#      CHURN_TOPICS / CHURN_SECONDS (CHURN's topic count, default 1,000,000, and its publish
#      bound, default 2,000 s), SCALE_SUBSCRIBERS / SCALE_HOLD (SCALE's idle subscribers per node,
#      default 19,000 under the per-process file limit of 20,000, and their hold, default 40 s),
#      SERVERS ("fanout nchan" by default, "mercure fanout-memory nchan" for the M-* scenarios;
#      mercure is a Fanout node on the memory store loaded through /.well-known/mercure;
#      kestrel-floor is bare Kestrel on Fanout's publish route (bench/floor/kestrel_floor.cs), P<topics>-* only;
#      fanout-memory, fanout-sqlite and fanout-postgresql
#      start Fanout on that store, fresh: a new SQLite file under $RESULTS/store, an emptied
#      PostgreSQL schema; plain "fanout" keeps the node's default store and its file),
#      PG_CONNECTION (Npgsql connection string of fanout-postgresql, default the local
#      fanout/fanout_bench database), PG_RESET (command that empties it, default psql dropping
#      and re-creating its public schema), FANOUT_PORT / FANOUT_REMOTING_PORT (default 8280 /
#      4250; S5 uses the next two as well), FANOUT_ENV (extra environment for the Fanout
#      process only, e.g. "DOTNET_GCgen0size=0x4000000"), FANOUT_ARGS (extra Fanout settings,
#      e.g. "--Fanout:Subscriber:HeartbeatSeconds=0"), NICE (default -10: server and tool both run at
#      this niceness, so parallel builds on the shared cores disturb the pair less, equally),
#      P_WARM_EVENTS / P_WARM_SECONDS (the extra warm-up publishes of P*, PB* and M-publish-*,
#      default 50,000 events in at most 15 s),
#      MERCURE_KEY (HS256 key of Fanout:Mercure:PublisherJwtKey for the M-* scenarios; every
#      Fanout node of an M-* run gets it, anonymous subscribers on, publish limit off).
# Load average before and after each run: $RESULTS/loadavg.txt (the machine is shared).
# Results: $RESULTS/<scenario>-<server>.json (one-line summary) and .log (progress).
set -euo pipefail
# No globbing: scenario arguments carry Mercure's '*' selector through word splitting.
set -f
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RESULTS=${RESULTS:-/tmp/fanout-bench}
NCHAN_DIR=${NCHAN_DIR:-$ROOT/../shared/peers/nchan}
[ -d "$NCHAN_DIR" ] || NCHAN_DIR=/work/shared/peers/nchan
SERVERS_GIVEN=${SERVERS:-}
SERVERS=${SERVERS:-fanout nchan}
FANOUT_BIN=$ROOT/src/Fanout.Server/bin/Release/net10.0/Fanout.Server
LOAD_BIN=$ROOT/src/Fanout.Load/bin/Release/net10.0/fanout-load
FLOOR_APP=$ROOT/bench/floor/kestrel_floor.cs
FLOOR_BIN=$RESULTS/kestrel-floor-bin
FANOUT_PORT=${FANOUT_PORT:-8280}
FANOUT_REMOTING_PORT=${FANOUT_REMOTING_PORT:-4250}
FANOUT_URL=http://127.0.0.1:$FANOUT_PORT
PG_CONNECTION=${PG_CONNECTION:-Host=127.0.0.1;Port=5432;Username=fanout;Password=fanout;Database=fanout_bench}
PG_RESET=${PG_RESET:-"PGPASSWORD=fanout psql -q -h 127.0.0.1 -U fanout -d fanout_bench -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;'"}
STORE_DIR=${STORE_DIR:-$RESULTS/store}
NCHAN_URL=http://127.0.0.1:8090
mkdir -p "$RESULTS"
FANOUT_PID=""
CLUSTER_PIDS=""
NICE=${NICE:--10}
MERCURE_KEY=${MERCURE_KEY:-fanout-bench-mercure-publisher-key-0123456789}
MERCURE_TOKEN=""

build() {
  dotnet build -c Release "$ROOT/src/Fanout.Server" -v q -nologo >/dev/null
  dotnet build -c Release "$ROOT/src/Fanout.Load" -v q -nologo >/dev/null
  case " $SERVERS " in *" kestrel-floor "*) dotnet build -c Release -o "$FLOOR_BIN" "$FLOOR_APP" -v q -nologo >/dev/null ;; esac
}

# The binary runs from its output folder: that is its content root, so the appsettings.json
# shipped there applies (as with `dotnet run --project`, whose content root is the project);
# started from elsewhere it would log every request at Information level.
# await_ready WHAT URL [curl options...]: polls URL for up to 20 s until it answers 2xx.
await_ready() {
  local what=$1 url=$2; shift 2
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null --max-time 1 "$@" "$url" && return 0
    sleep 0.2
  done
  echo "$what did not get ready" >&2; return 1
}

start_fanout() {   # extra Fanout settings as arguments
  (cd "$(dirname "$FANOUT_BIN")" && exec env ${FANOUT_ENV:-} nice -n "$NICE" ./Fanout.Server --urls $FANOUT_URL --Fanout:Remoting:Port=$FANOUT_REMOTING_PORT "$@") \
    >"$RESULTS/fanout-server.log" 2>&1 &
  FANOUT_PID=$!
  await_ready Fanout $FANOUT_URL/readyz
}

# The store settings of a fanout-<store> server name (nothing for plain "fanout").
store_settings() {
  case $1 in
    fanout-memory) echo "--Fanout:Store:Kind=memory" ;;
    fanout-sqlite) echo "--Fanout:Store:Kind=sqlite --Fanout:Store:ConnectionString=Filename=$STORE_DIR/fanout.db" ;;
    fanout-postgresql) echo "--Fanout:Store:Kind=postgresql --Fanout:Store:ConnectionString=$PG_CONNECTION" ;;
    *) echo "" ;;
  esac
}

# Every run of a fanout-<store> server starts on an empty store.
fresh_store() {
  case $1 in
    fanout-sqlite) rm -rf "$STORE_DIR"; mkdir -p "$STORE_DIR" ;;
    fanout-postgresql) bash -c "$PG_RESET" ;;
  esac
}

# start_store_fanout SERVER [extra settings...]: Fanout on that server's store, as it is now.
start_store_fanout() {
  local server=$1; shift
  local settings
  settings=$(store_settings "$server")
  # shellcheck disable=SC2086
  start_fanout $settings "$@"
}

# kestrel-floor: bare Kestrel answering Fanout's publish route (bench/floor/kestrel_floor.cs),
# the least ASP.NET Core spends on a publish here; the single-event P<topics>-* scenarios only
# (it has no batch route). Stopped by stop_fanout.
start_floor() {
  (cd "$FLOOR_BIN" && exec nice -n "$NICE" ./kestrel_floor --urls $FANOUT_URL) \
    >"$RESULTS/kestrel-floor.log" 2>&1 &
  FANOUT_PID=$!
  await_ready "The Kestrel floor" $FANOUT_URL/topics/warm/events -X POST -d '{}'
}

stop_fanout() {
  [ -n "$FANOUT_PID" ] || return 0
  kill "$FANOUT_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$FANOUT_PID" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$FANOUT_PID" 2>/dev/null || true
  FANOUT_PID=""
}

# S5: three nodes on FANOUT_PORT+0..2 / FANOUT_REMOTING_PORT+0..2 (8280-8282 / 4250-4252 by
# default); nodes 2 and 3 join node 1. Arguments: extra settings for every node.
start_cluster() {
  local i
  for i in 0 1 2; do
    local seeds=""
    [ $i -gt 0 ] && seeds="--Fanout:Cluster:SeedNodes:0=akka.tcp://fanout@127.0.0.1:$FANOUT_REMOTING_PORT"
    (cd "$(dirname "$FANOUT_BIN")" && exec env ${FANOUT_ENV:-} nice -n "$NICE" ./Fanout.Server \
      --urls http://127.0.0.1:$((FANOUT_PORT + i)) --Fanout:Remoting:Port=$((FANOUT_REMOTING_PORT + i)) $seeds ${FANOUT_ARGS:-} "$@") \
      >"$RESULTS/fanout-node$i.log" 2>&1 &
    CLUSTER_PIDS="$CLUSTER_PIDS $!"
  done
  for i in 0 1 2; do
    local up=""
    for _ in $(seq 1 150); do
      if curl -sf -o /dev/null --max-time 1 http://127.0.0.1:$((FANOUT_PORT + i))/readyz; then up=1; break; fi
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

# The nginx.conf a scenario's nchan runs with (NCHAN_CONF; empty: the shared one). SCALE's
# subscribers must hear keepalives and outnumber its 16,384 worker connections: a copy with
# a comment every 15 s (as Fanout's default heartbeat) and 30,000 connections, so the file
# limit (worker_rlimit_nofile 20,000) is the bound (with 20,000, nginx ran out of connection
# slots at 18,777 subscribers and closed the newest).
nchan_conf() {
  case $1 in
    SCALE*)
      sed -e 's/nchan_eventsource_ping_interval 0;.*/nchan_eventsource_ping_interval 15; nchan_eventsource_ping_comment keepalive;/' \
        -e 's/worker_connections 16384;/worker_connections 30000;/' "$NCHAN_DIR/nginx.conf" >"$RESULTS/nchan-scale.conf"
      echo "$RESULTS/nchan-scale.conf" ;;
    *) echo "" ;;
  esac
}
stop_nchan() { "$NCHAN_DIR/stop-nchan.sh" >/dev/null || true; }

cleanup() { stop_fanout; stop_cluster; stop_nchan; }
trap cleanup EXIT

# A Mercure publisher's token: HS256 over {"mercure":{"publish":["*"]}} with MERCURE_KEY.
mint_mercure_token() {
  python3 - "$MERCURE_KEY" <<'PY'
import base64, hashlib, hmac, json, sys
def b64(raw): return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
body = b64(json.dumps({"mercure": {"publish": ["*"]}}).encode())
sig = hmac.new(sys.argv[1].encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
print(f"{head}.{body}.{b64(sig)}")
PY
}

# Settings every Fanout node of an M-* scenario starts with (both columns, so they differ only
# in the endpoint): the Mercure key, anonymous subscribers, and no publish limit.
mercure_settings() {
  case $1 in
    M-*) echo "--Fanout:Mercure:PublisherJwtKey=$MERCURE_KEY --Fanout:Mercure:Anonymous=true --Fanout:Limits:PublishPermitLimit=0" ;;
    *) echo "" ;;
  esac
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# run NAME SERVER [load tool arguments...]
run() {
  local name=$1 server=$2; shift 2
  local base
  local preset=$server pidargs
  case $server in
    fanout|fanout-memory|fanout-sqlite|fanout-postgresql|kestrel-floor) preset=fanout; base=$FANOUT_URL; pidargs="--server-pid $FANOUT_PID" ;;
    fanout-cluster) preset=fanout; base=$FANOUT_URL; pidargs="" ;;   # the caller passes the nodes' pids
    mercure) base=$FANOUT_URL; pidargs="--server-pid $FANOUT_PID --publish-token $MERCURE_TOKEN" ;;
    *) base=$NCHAN_URL; pidargs="--server-pid $(cat /tmp/nchan/master.pid)" ;;
  esac
  echo "== $name $server: fanout-load --server $preset --base $base $* $pidargs" >&2
  local before
  before=$(loadavg)
  # shellcheck disable=SC2086
  nice -n "$NICE" "$LOAD_BIN" --server "$preset" --base "$base" $pidargs "$@" \
    >"$RESULTS/$name-$server.json" 2>"$RESULTS/$name-$server.log" \
    || echo "($name $server: the tool exited $?; its summary says why)" >&2
  echo "$(date -u +%FT%TZ) $name $server load average before: $before after: $(loadavg)" >>"$RESULTS/loadavg.txt"
  cat "$RESULTS/$name-$server.json"
}

# JIT and connection pools warm on a small run first; nchan (C) gets the same run for symmetry.
warm() {
  local subscribers=20
  [ "$2" = kestrel-floor ] && subscribers=0   # it has no subscribe endpoint
  run "$1-warm" "$2" -n $subscribers -m 2000 -p 512 --in-flight 16 --progress 0 >/dev/null
  # A publish scenario measures the steady state: Fanout's publishes per second climb for
  # ≈ 20 s of publishing while tiered JIT settles (Kestrel, middleware, the topic path), so
  # every server publishes P_WARM_EVENTS more (in the scenario's shape) before it is measured.
  local batch=""
  case $1 in PB-*) batch="--batch 100" ;; esac
  case $1 in
    P[0-9B]*|M-publish-*) run "$1-warm-publish" "$2" -n 0 -m "${P_WARM_EVENTS:-50000}" -p 512 $batch --in-flight 16 \
      --publish-seconds "${P_WARM_SECONDS:-15}" --max-seconds 60 --progress 0 >/dev/null ;;
  esac
}

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
    # Wide: one topic read by 2,000 subscribers at a modest rate (a busy dashboard or feed).
    Wide) echo "-n 2000 -m 3000 -p 256 --rate 50 --in-flight 16 --warmup --connect-concurrency 100 --max-seconds 240" ;;
    S3-5000) echo "-n 5000 -m 0 --hold 15 --connect-concurrency 100 --max-seconds 300 --progress 5" ;;
    # Publish throughput: no subscribers, single-event endpoint, 1 or 100 topics, 16 or 256 in flight.
    P1-16) echo "-n 0 -m 200000 -p 512 --in-flight 16 --max-seconds 120 --publish-seconds ${P_PUBLISH_SECONDS:-20}" ;;
    P1-256) echo "-n 0 -m 200000 -p 512 --in-flight 256 --max-seconds 120 --publish-seconds ${P_PUBLISH_SECONDS:-20}" ;;
    P100-16) echo "-n 0 -m 200000 -p 512 --topics 100 --in-flight 16 --max-seconds 120 --publish-seconds ${P_PUBLISH_SECONDS:-20}" ;;
    P100-256) echo "-n 0 -m 200000 -p 512 --topics 100 --in-flight 256 --max-seconds 120 --publish-seconds ${P_PUBLISH_SECONDS:-20}" ;;
    P1000-16) echo "-n 0 -m 200000 -p 512 --topics 1000 --in-flight 16 --max-seconds 120 --publish-seconds ${P_PUBLISH_SECONDS:-20}" ;;
    P1000-256) echo "-n 0 -m 200000 -p 512 --topics 1000 --in-flight 256 --max-seconds 120 --publish-seconds ${P_PUBLISH_SECONDS:-20}" ;;
    # Batch endpoint (Fanout only; nchan has none, it gets P1-16/P1-256): 100 events per request.
    PB-16) echo "-n 0 -m 1000000 -p 512 --batch 100 --in-flight 16 --max-seconds 120 --publish-seconds ${P_PUBLISH_SECONDS:-20}" ;;
    PB-256) echo "-n 0 -m 1000000 -p 512 --batch 100 --in-flight 256 --max-seconds 120 --publish-seconds ${P_PUBLISH_SECONDS:-20}" ;;
    # Topic churn: every event (1 KB) opens a topic of its own; then 300 topics, first to
    # last, are resumed from 0-0 and must return their one event with no reset.
    CHURN) echo "-n 0 -m ${CHURN_TOPICS:-1000000} -p 1024 --topics ${CHURN_TOPICS:-1000000} --in-flight 256 --check-topics 300 --check-concurrency 32 --max-seconds $(( ${CHURN_SECONDS:-2000} + 400 )) --publish-seconds ${CHURN_SECONDS:-2000} --progress 10" ;;
    # Mercure endpoint beside Fanout's own, same node settings (mercure_settings). M-template:
    # S4-100's shape, 200 subscribers on one topic (Mercure: on a URI template matching it).
    M-template) echo "-n 200 -m 3000 -p 512 --rate 100 --in-flight 16 --warmup --max-seconds 120" ;;
    # M-wide: Wide's shape, 2,000 subscribers at 50 events/s (Mercure: '*' subscribers and the
    # events spread over 1,000 topic IRIs; Fanout and nchan: one topic, see mercure_args).
    M-wide) echo "-n 2000 -m 3000 -p 256 --rate 50 --in-flight 16 --warmup --connect-concurrency 100 --max-seconds 240" ;;
    # Publish throughput, no subscribers: P1-16 / P1-256 through each endpoint.
    M-publish-16) echo "-n 0 -m 200000 -p 512 --in-flight 16 --max-seconds 120 --publish-seconds ${P_PUBLISH_SECONDS:-20}" ;;
    M-publish-256) echo "-n 0 -m 200000 -p 512 --in-flight 256 --max-seconds 120 --publish-seconds ${P_PUBLISH_SECONDS:-20}" ;;
    # Scale: as many idle subscribers as one node holds here (each side needs one file per
    # connection; the per-process limit is 20,000), held 40 s; every one must hear a keepalive
    # (Fanout:Subscriber:HeartbeatSeconds, default 15) and none be silent longer than 16 s.
    # SCALE-3: the same on each of three cluster nodes, one load process per node (run_scale3).
    SCALE|SCALE-3) echo "-n ${SCALE_SUBSCRIBERS:-19000} -m 0 --hold ${SCALE_HOLD:-40} --heartbeat-within 16 --connect-concurrency 100 --max-seconds 900 --progress 5" ;;
    *) echo "unknown scenario $1" >&2; return 1 ;;
  esac
}

# What the mercure column adds to an M-* scenario: its subscribers' selector and topic spread.
# Fanout has no wildcard or template subscription (a /events stream names at most
# Fanout:Limits:MaxTopicsPerSubscription exact topics) and nchan neither: their columns keep
# every subscriber on one topic, which gives the same deliveries per event.
mercure_args() {
  case "$1/$2" in
    M-template/mercure) echo "--topic-selector https://example.com/load/{id}" ;;
    M-wide/mercure) echo "--topics 1000 --topic-selector *" ;;
    *) echo "" ;;
  esac
}

# Fanout settings per scenario: S2's stall outlasts the default 30 s write timeout, which
# would (correctly) cut the stalled clients; raise it so they can resume and be checked.
fanout_settings() {
  case $1 in
    S2) echo "--Fanout:Subscriber:WriteTimeoutSeconds=600" ;;
    # A node turns subscribers past Fanout:Limits:MaxSubscribersPerNode (default 10,000) away
    # with a 503; SCALE lifts it to 19,500. Connections are bounded below that: Kestrel holds
    # at most the file limit (20,000 here) minus Fanout:Limits:FileDescriptorReserve (1,000),
    # i.e. 19,000, and closes the rest at once, because a node that ran out of descriptors
    # exited ("Out of memory.", seen at 19,651 streams before that bound). So SCALE_SUBSCRIBERS
    # stays at 19,000.
    SCALE|SCALE-3) echo "--Fanout:Limits:MaxSubscribersPerNode=19500" ;;
    # Publish scenarios run with the default limits: publishes without a token from this
    # host are not rate-limited (Fanout:Limits:UnlimitedLoopbackPublishers, docs/security.md).
    *) echo "" ;;
  esac
}

# S5 on Fanout: publish on node 1, subscribers round-robin over the three nodes, all three
# processes sampled. nchan has no cluster: it gets the same load on its one server.
run_s5_cluster() {
  start_cluster
  local pids="" pid urls=""
  for pid in $CLUSTER_PIDS; do pids="$pids --server-pid $pid"; done
  for i in 0 1 2; do urls="$urls --subscribe-url http://127.0.0.1:$((FANOUT_PORT + i))/topics/{channel}/events"; done
  run "S5-warm" fanout-cluster -n 30 -m 2000 -p 512 --progress 0 $urls $pids >/dev/null
  # shellcheck disable=SC2046
  run "S5" fanout-cluster $(scenario_args S5) $urls $pids
  stop_cluster
}

# SCALE-3 on Fanout: three nodes on the memory store, each holding SCALE's subscribers on one
# topic from a load process of its own (one process may not open more files than the limit),
# all three at once, each sampling its own node. Summaries: $RESULTS/SCALE-3-node<i>-fanout-cluster.json,
# their sum: $RESULTS/SCALE-3-fanout-cluster.txt. nchan has no cluster and one nginx worker
# holds at most its file limit, so SCALE-3 is Fanout's alone.
run_scale3() {
  # shellcheck disable=SC2046
  start_cluster $(store_settings fanout-memory) $(fanout_settings SCALE-3)
  local pids=() pid i jobs="" channel
  channel=scale3-$(date +%s)
  for pid in $CLUSTER_PIDS; do pids+=("$pid"); done
  for i in 0 1 2; do
    FANOUT_URL=http://127.0.0.1:$((FANOUT_PORT + i)) run "SCALE-3-warm$i" fanout-cluster -n 20 -m 2000 -p 512 --progress 0 --server-pid "${pids[$i]}" >/dev/null
  done
  for i in 0 1 2; do
    # shellcheck disable=SC2046
    ( FANOUT_URL=http://127.0.0.1:$((FANOUT_PORT + i)) run "SCALE-3-node$i" fanout-cluster $(scenario_args SCALE-3) --channel "$channel" --server-pid "${pids[$i]}" >/dev/null ) &
    jobs="$jobs $!"
  done
  # shellcheck disable=SC2086
  wait $jobs || true
  stop_cluster
  python3 - "$RESULTS"/SCALE-3-node{0,1,2}-fanout-cluster.json <<'PY' | tee "$RESULTS/SCALE-3-fanout-cluster.txt" || echo "(SCALE-3: a node's summary is missing or broken; see its .log)" >&2
import json, sys
runs = [json.loads(open(path).read()) for path in sys.argv[1:]]
hb = [r["heartbeats"] for r in runs]
print(f"subscribers ready {sum(r['subscribers']['ready'] for r in runs)} of {sum(r['subscribers']['total'] for r in runs)}, "
      f"heartbeats on time {sum(h['onTime'] for h in hb)} of {sum(h['subscribers'] for h in hb)}, "
      f"max silence {max(h['maxSilenceSeconds'] for h in hb)} s, "
      f"connect {max(r['subscribers']['connectSeconds'] for r in runs)} s (slowest process)")
for i, r in enumerate(runs):
    s = r["server"]
    print(f"node {i}: ready {r['subscribers']['ready']}, RSS {s['rssStartMiB']} -> {s['rssConnectedMiB']} MiB (peak {s['rssPeakMiB']}), "
          f"{s['rssPerSubscriberKiB']} KiB per subscriber; tool peak {r['tool']['peakRssMiB']} MiB")
PY
}

# RECOVERY on a durable store: 10,000 events × 1 KB into one topic, restart the node, then
# time what a client waits for: GET /topics/{t} (the topic recovers from the journal; an
# empty topic is asked first, so the journal's first query on a new process is apart), a
# resume from 0-0 that must return all 10,000, and — the node bounding live topics to 1 —
# the same GET after the topic was passivated in the running process; then restart again
# and time a resume as the first request. Times go to $RESULTS/RECOVERY-<server>.txt.
timed_get() { curl -s -o /dev/null -w '%{time_total}' "$FANOUT_URL/topics/$1"; }

run_recovery() {
  local server=$1 topic=recovery out=$RESULTS/RECOVERY-$1.txt started ready
  fresh_store "$server"
  start_store_fanout "$server" --Fanout:Limits:PublishPermitLimit=0
  run RECOVERY-fill "$server" -n 0 -m 10000 -p 1024 --in-flight 16 --channel $topic --progress 0 >/dev/null
  stop_fanout
  started=$(date +%s.%N)
  start_store_fanout "$server" --Fanout:Topic:MaxActivePerNode=1
  ready=$(date +%s.%N)
  {
    echo "node start to /readyz: $(echo "$ready - $started" | bc) s"
    echo "GET /topics/recovery-empty, first request after the restart (a topic with no rows: the journal's first query, 404): $(timed_get recovery-empty) s"
    echo "GET /topics/$topic, next request (recovers 10,000 events): $(timed_get $topic) s"
    echo "GET /topics/$topic again (live): $(timed_get $topic) s"
  } >"$out"
  run RECOVERY-resume-live "$server" -n 0 -m 0 --channel $topic --check-topics 1 --check-published 10000 --check-seconds 60 --progress 0 >/dev/null
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"data":1}' "$FANOUT_URL/topics/recovery-other/events"
  sleep 2   # the bound of 1 live topic passivates $topic; give the stop time to finish
  echo "GET /topics/$topic after it was passivated (running node): $(timed_get $topic) s" >>"$out"
  stop_fanout
  start_store_fanout "$server"
  run RECOVERY-resume-cold "$server" -n 0 -m 0 --channel $topic --check-topics 1 --check-published 10000 --check-seconds 60 --progress 0 >/dev/null
  stop_fanout
  cat "$out"
}

build
MERCURE_TOKEN=$(mint_mercure_token)
for scenario in "$@"; do
  if [ "$scenario" = RECOVERY ]; then
    for server in $SERVERS; do
      case $server in fanout-sqlite|fanout-postgresql) run_recovery "$server" ;; esac
    done
    continue
  fi
  if [ "$scenario" = SCALE-3 ]; then
    case " $SERVERS " in *" fanout"*) run_scale3 ;; esac
    continue
  fi
  if [ "$scenario" = S5 ]; then
    case " $SERVERS " in *" fanout "*) run_s5_cluster ;; esac
    case " $SERVERS " in *" nchan "*) start_nchan; warm S5 nchan; run S5 nchan $(scenario_args S5); stop_nchan ;; esac
    continue
  fi
  servers=$SERVERS
  case $scenario in M-*) servers=${SERVERS_GIVEN:-mercure fanout-memory nchan} ;; esac
  for server in $servers; do
    # nchan has no batch endpoint: the batch scenarios are Fanout's alone.
    case "$scenario/$server" in PB-*/nchan) continue ;; esac
    case "$scenario/$server" in P[0-9]*/kestrel-floor) ;; */kestrel-floor) continue ;; esac
    case $server in
      fanout)
        # shellcheck disable=SC2046
        start_fanout $(fanout_settings "$scenario") $(mercure_settings "$scenario") ${FANOUT_ARGS:-} ;;
      mercure)
        # shellcheck disable=SC2046
        start_store_fanout fanout-memory $(fanout_settings "$scenario") $(mercure_settings "$scenario") ${FANOUT_ARGS:-} ;;
      fanout-*)
        fresh_store "$server"
        # shellcheck disable=SC2046
        start_store_fanout "$server" $(fanout_settings "$scenario") $(mercure_settings "$scenario") ${FANOUT_ARGS:-} ;;
      kestrel-floor) start_floor ;;
      *) NCHAN_CONF=$(nchan_conf "$scenario") start_nchan ;;
    esac
    warm "$scenario" "$server"
    # shellcheck disable=SC2046
    run "$scenario" "$server" $(scenario_args "$scenario") $(mercure_args "$scenario" "$server")
    case $server in fanout*|mercure|kestrel-floor) stop_fanout ;; *) stop_nchan ;; esac
  done
done
