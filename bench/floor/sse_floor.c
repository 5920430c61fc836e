/*
 * The physical floor of one SSE delivery on this machine: the least a server can spend per
 * event per subscriber when it does nothing but hand an already-encoded frame to the kernel,
 * one write() per delivery, on loopback TCP.
 *
 *   cc -O2 -o /tmp/sse_floor bench/floor/sse_floor.c
 *   /tmp/sse_floor <subscribers> <events> <frame-bytes> <events-per-second (0 = flat out)>
 *
 * A child process is the clients: it connects every socket and drains them with epoll. The
 * parent is the "server": it accepts them and, for each event, writes the frame once to every
 * socket. It prints one JSON line: the writer's CPU (user + system, getrusage) per delivery,
 * its voluntary and involuntary context switches, and the wall time. Pacing (a sleep until
 * each event is due) stands for the wake-up a real server pays at low rates.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu_s(const struct rusage *r) {
  return r->ru_utime.tv_sec + r->ru_utime.tv_usec / 1e6 + r->ru_stime.tv_sec + r->ru_stime.tv_usec / 1e6;
}

static void die(const char *what) {
  perror(what);
  exit(2);
}

/* The clients: connect n sockets to port, read until every one is closed (bounded by 600 s). */
static void clients(int n, int port) {
  int ep = epoll_create1(0);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  for (int i = 0; i < n; i++) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof to) < 0) die("connect");
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = s};
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
  }
  static char buf[1 << 16];
  struct epoll_event evs[256];
  int open = n;
  double deadline = now_s() + 600;
  while (open > 0 && now_s() < deadline) {
    int k = epoll_wait(ep, evs, 256, 1000);
    for (int i = 0; i < k; i++) {
      ssize_t r = read(evs[i].data.fd, buf, sizeof buf);
      if (r <= 0) {
        close(evs[i].data.fd);
        open--;
      }
    }
  }
  exit(0);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s <subscribers> <events> <frame-bytes> <events-per-second, 0 = flat out>\n", argv[0]);
    return 2;
  }
  int n = atoi(argv[1]);
  long events = atol(argv[2]);
  int frame = atoi(argv[3]);
  double rate = atof(argv[4]);
  if (n < 1 || events < 1 || frame < 16 || rate < 0) {
    fprintf(stderr, "subscribers and events >= 1, frame >= 16 bytes, rate >= 0\n");
    return 2;
  }

  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in at = {.sin_family = AF_INET, .sin_port = 0};
  inet_pton(AF_INET, "127.0.0.1", &at.sin_addr);
  if (bind(listener, (struct sockaddr *)&at, sizeof at) < 0 || listen(listener, 4096) < 0) die("listen");
  socklen_t len = sizeof at;
  getsockname(listener, (struct sockaddr *)&at, &len);

  pid_t child = fork();
  if (child == 0) clients(n, ntohs(at.sin_port));

  int *fds = calloc(n, sizeof *fds);
  for (int i = 0; i < n; i++) {
    fds[i] = accept(listener, NULL, NULL);
    if (fds[i] < 0) die("accept");
    int one = 1;
    setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }

  /* One SSE frame, as a server would hold it encoded: id line, event line, data line. */
  char *body = malloc(frame);
  memset(body, 'x', frame);
  memcpy(body, "id: 0-1\nevent: m\ndata: \"", 25);
  memcpy(body + frame - 3, "\"\n\n", 3);

  struct rusage before, after;
  getrusage(RUSAGE_SELF, &before);
  double start = now_s();
  long short_writes = 0;
  for (long e = 0; e < events; e++) {
    if (rate > 0) {
      double due = start + e / rate, wait = due - now_s();
      if (wait > 0) {
        struct timespec t = {(time_t)wait, (long)((wait - (time_t)wait) * 1e9)};
        nanosleep(&t, NULL);
      }
    }
    for (int i = 0; i < n; i++) {
      ssize_t w = write(fds[i], body, frame);
      if (w != frame) short_writes++;
    }
  }
  double wall = now_s() - start;
  getrusage(RUSAGE_SELF, &after);

  for (int i = 0; i < n; i++) close(fds[i]);
  int status;
  waitpid(child, &status, 0);

  double deliveries = (double)events * n;
  printf("{\"subscribers\":%d,\"events\":%ld,\"frameBytes\":%d,\"rate\":%g,\"deliveries\":%.0f,"
         "\"cpuMicrosPerDelivery\":%.3f,\"wallSeconds\":%.2f,\"voluntaryContextSwitchesPerDelivery\":%.4f,"
         "\"involuntaryContextSwitchesPerDelivery\":%.4f,\"shortWrites\":%ld}\n",
         n, events, frame, rate, deliveries, (cpu_s(&after) - cpu_s(&before)) * 1e6 / deliveries, wall,
         (after.ru_nvcsw - before.ru_nvcsw) / deliveries, (after.ru_nivcsw - before.ru_nivcsw) / deliveries, short_writes);
  return 0;
}
