#!/usr/bin/env python3
"""Splits a `perf script -F comm,tid,ip,sym,dso` dump of a Fanout node into the hops of a delivery.

Each sample goes to the leaf-most frame that names a hop (the code that was running on its
behalf): the kernel's socket send, Kestrel and its pipe, the SSE sink stage, the subscriber's
source stage and Akka.Streams, the subscriber actor and its mailbox, the node publisher, the
topic, other Akka dispatch, the thread pool, the GC and the JIT, and the rest. Prints one line
per hop with its share of the samples.

    perf record -F 999 -g -p <pid> -o perf.data -- sleep 20   # node started with
        # DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
    perf script -i perf.data -F comm,tid,ip,sym,dso > perf.txt
    python3 bench/floor/hops.py perf.txt
"""
import re
import sys
from collections import Counter

# (hop, pattern) from the most specific; the first pattern matching a frame names its hop.
HOPS = [
    ("kernel: socket send (sendto → TCP → loopback)", re.compile(r"__sys_sendto|tcp_sendmsg|__tcp_transmit|ip_finish_output|tcp_v4_rcv|tcp_rcv_established|__dev_queue_xmit|net_rx_action|sock_def_readable")),
    ("kernel: epoll, futex, scheduler", re.compile(r"do_epoll|ep_poll|futex|schedule|finish_task_switch|try_to_wake_up|__x64_sys_(epoll|futex|nanosleep|sched)")),
    ("Kestrel: HTTP/1.1 output, pipe, socket sender", re.compile(r"Kestrel|System\.IO\.Pipelines|PinnedBlockMemoryPool|System\.Net\.Sockets")),
    ("SSE sink stage (SseResponseSink)", re.compile(r"SseResponseSink|SseResponseWriter")),
    ("subscriber source stage + Akka.Streams interpreter", re.compile(r"SubscriberSource|Akka\.Streams|System\.Threading\.Channels")),
    ("subscriber actor + drop-head mailbox", re.compile(r"Fanout\.Subscribers|Fanout\.Mailbox")),
    ("node publisher (fan-out)", re.compile(r"Fanout\.Publishing")),
    ("topic actor + pub-sub", re.compile(r"Fanout\.Topics|PublishSubscribe|Akka\.Cluster\.Sharding")),
    ("ASP.NET Core middleware (auth, rate limit, diagnostics, metrics)", re.compile(r"Microsoft\.AspNetCore\.(Authentication|Authorization|RateLimiting|Diagnostics|Hosting)|System\.Threading\.RateLimiting|OpenTelemetry")),
    ("publish endpoint (HTTP in)", re.compile(r"Fanout\.AspNetCore\.Http\.(Publish|EventBody)|Microsoft\.AspNetCore\.(Routing|Http)")),
    ("Akka dispatch (mailbox run, Tell)", re.compile(r"Akka\.(Actor|Dispatch)")),
    ("thread pool, locks, timers", re.compile(r"ThreadPool|System\.Threading\.(Lock|Monitor|Timer|Tasks|Semaphore)|PortableThreadPool")),
]

def classify(frames):
    for frame in frames:  # leaf first
        for hop, pattern in HOPS:
            if pattern.search(frame):
                return hop
    text = " ".join(frames)
    if "libclrjit" in text or "Tiered Com" in text:
        return "JIT (tiering)"
    if "libcoreclr" in text:
        return "runtime (GC, stubs, type checks)"
    if "[kernel" in text:
        return "kernel: other"
    return "other"

def main(path):
    counts = Counter()
    frames, comm = [], ""
    with open(path, errors="replace") as dump:
        for line in dump:
            if not line.strip():
                if frames:
                    counts[classify(frames if "Tiered Com" not in comm else ["Tiered Com"])] += 1
                frames = []
                continue
            if not line.startswith("\t") and not line.startswith(" "):
                comm = line
                continue
            frames.append(line.strip())
    if frames:
        counts[classify(frames)] += 1
    total = sum(counts.values())
    for hop, n in counts.most_common():
        print(f"{100.0 * n / total:5.1f} %  {hop}")
    print(f"{total} samples")

if __name__ == "__main__":
    main(sys.argv[1])
