/*
 * Native integration test of the session client against a REAL router (docs/PROTOCOL.md), written
 * in plain C against the public headers only, so it also proves the C API is usable from C.
 *
 * Run by java-api's NativeSessionIT, which starts an embedded router, creates sessions and mints
 * tokens. Input, from the environment:
 *   OTC_IT_MEDIA_URL       the router's media URL (tcp://HOST:PORT or tls://HOST:PORT)
 *   OTC_IT_E2EE_SESSION    id of an end-to-end encrypted session
 *   OTC_IT_E2EE_TOKENS     comma-separated client tokens (publisher role) for that session
 *   OTC_IT_PLAIN_SESSION   id of a session without E2EE
 *   OTC_IT_PLAIN_TOKENS    comma-separated client tokens for that session
 *   OTC_IT_TLS_CA_FILE     optional: PEM file trusted for a tls:// URL
 * argv: names of the cases to run (default: all but the orchestrated ones), or --list to print those
 * names. One line per case:
 *   CASE <name> PASS
 *   CASE <name> FAIL <reason>
 * and "SUMMARY passed=N failed=M"; the exit code is 0 only if every case passed. Published
 * payloads start with the marker OTC-PLAINTEXT-MARKER, so the launcher can check that the
 * router never sees it in the E2EE session.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "otc/otc.h"
#include "otc/testing.h" /* the test build of libotc (otc_testing): fault injection */

#define MARKER "OTC-PLAINTEXT-MARKER"
#define SECRET_1 "correct horse battery staple"
#define SECRET_2 "a different secret entirely"
#define SECRET_3 "yet another secret, rotated"
#define FRAME_INTERVAL_MS 33

/* ---------------------------------------------------------------------------------------------- */
/* Events: every callback updates counters under one mutex and signals one condition variable.     */

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static void wait_step(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += 10 * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec += 1;
    ts.tv_nsec -= 1000000000L;
  }
  pthread_cond_timedwait(&g_cv, &g_mu, &ts);
}

static void notify(void) { pthread_cond_broadcast(&g_cv); }

/* Evaluates `cond` under the event mutex until it holds or `ms` pass; `ok` gets the last value. */
#define WAIT_UNTIL(ok, cond, ms)                          \
  do {                                                    \
    long long wait_end_ = now_ms() + (ms);                \
    pthread_mutex_lock(&g_mu);                            \
    while (!((ok) = (cond)) && now_ms() < wait_end_) {    \
      wait_step();                                        \
    }                                                     \
    pthread_mutex_unlock(&g_mu);                          \
  } while (0)

/* What most callbacks do: count an event under the event mutex and wake the waiting case. */
static void bump(int* counter) {
  pthread_mutex_lock(&g_mu);
  (*counter)++;
  notify();
  pthread_mutex_unlock(&g_mu);
}

/* Reads an int under the event mutex. */
static int locked_int(const int* p) {
  int v;
  pthread_mutex_lock(&g_mu);
  v = *p;
  pthread_mutex_unlock(&g_mu);
  return v;
}

/* ---------------------------------------------------------------------------------------------- */
/* Case bookkeeping.                                                                               */

static char g_fail_reason[1024];
static int g_case_failed;

static void fail(const char* fmt, ...) {
  va_list ap;
  if (g_case_failed) return;
  g_case_failed = 1;
  va_start(ap, fmt);
  vsnprintf(g_fail_reason, sizeof g_fail_reason, fmt, ap);
  va_end(ap);
}

#define CHECK(cond, ...)   \
  do {                     \
    if (!(cond)) {         \
      fail(__VA_ARGS__);   \
      goto done;           \
    }                      \
  } while (0)

#define CHECK_STATUS(expr, expected)                                                                \
  do {                                                                                              \
    int check_st_ = (int)(expr);                                                                    \
    if (check_st_ != (int)(expected)) {                                                             \
      fail("%s returned %s (%d), expected %s", #expr, otc_error_name(check_st_) ? otc_error_name(check_st_) : "?", \
           check_st_, otc_error_name((int)(expected)));                                             \
      goto done;                                                                                    \
    }                                                                                               \
  } while (0)

/* ---------------------------------------------------------------------------------------------- */
/* Configuration.                                                                                  */

#define MAX_TOKENS 8

typedef struct session_config {
  const char* id;
  char* tokens[MAX_TOKENS];
  int token_count;
  int next;
} session_config;

static const char* g_url;
static const char* g_ca_file;
static session_config g_e2ee;
static session_config g_plain;

static void parse_tokens(session_config* c, const char* list) {
  char* copy = strdup(list);
  char* save = NULL;
  char* t = strtok_r(copy, ",", &save);
  while (t && c->token_count < MAX_TOKENS) {
    c->tokens[c->token_count++] = strdup(t);
    t = strtok_r(NULL, ",", &save);
  }
  free(copy);
}

static const char* next_token(session_config* c) {
  const char* t = c->tokens[c->next % c->token_count];
  c->next++;
  return t;
}

/* ---------------------------------------------------------------------------------------------- */
/* A client: one session and what its callbacks saw.                                               */

typedef struct client {
  const char* name;
  otc_session* session;
  int connected;
  int disconnected;
  int errors;
  int first_error;
  int last_error;
  char last_error_text[512];
  int streams_received;
  int streams_dropped;
  otc_stream* last_stream; /* copy of the last stream received */
  int connections_created;
  int connections_dropped;
  int signals;
  char signal_type[64];
  char signal_data[256];
  char signal_from[256];
  int delete_session_in_stream_dropped;
} client;

static void on_connected(otc_session* s, void* ud) {
  (void)s;
  bump(&((client*)ud)->connected);
}

static void on_disconnected(otc_session* s, void* ud) {
  (void)s;
  bump(&((client*)ud)->disconnected);
}

static void on_stream_received(otc_session* s, void* ud, const otc_stream* stream) {
  client* c = (client*)ud;
  (void)s;
  pthread_mutex_lock(&g_mu);
  c->streams_received++;
  otc_stream_delete(c->last_stream);
  c->last_stream = otc_stream_copy(stream);
  notify();
  pthread_mutex_unlock(&g_mu);
}

static void on_stream_dropped(otc_session* s, void* ud, const otc_stream* stream) {
  client* c = (client*)ud;
  int delete_now;
  (void)stream;
  pthread_mutex_lock(&g_mu);
  c->streams_dropped++;
  delete_now = c->delete_session_in_stream_dropped;
  notify();
  pthread_mutex_unlock(&g_mu);
  if (delete_now) {
    /* Deleting the session from inside its own callback must neither deadlock nor crash. */
    otc_session_delete(s);
    pthread_mutex_lock(&g_mu);
    c->session = NULL;
    notify();
    pthread_mutex_unlock(&g_mu);
  }
}

static void on_connection_created(otc_session* s, void* ud, const otc_connection* connection) {
  (void)s;
  (void)connection;
  bump(&((client*)ud)->connections_created);
}

static void on_connection_dropped(otc_session* s, void* ud, const otc_connection* connection) {
  client* c = (client*)ud;
  (void)s;
  pthread_mutex_lock(&g_mu);
  if (otc_connection_get_drop_reason(connection) == OTC_CONNECTION_DROP_CLIENT_DISCONNECTED) c->connections_dropped++;
  notify();
  pthread_mutex_unlock(&g_mu);
}

static void on_signal(otc_session* s, void* ud, const char* type, const char* data, const otc_connection* connection) {
  const char* from = otc_connection_get_id(connection);
  client* c = (client*)ud;
  (void)s;
  pthread_mutex_lock(&g_mu);
  c->signals++;
  snprintf(c->signal_type, sizeof c->signal_type, "%s", type);
  snprintf(c->signal_data, sizeof c->signal_data, "%s", data);
  snprintf(c->signal_from, sizeof c->signal_from, "%s", from);
  notify();
  pthread_mutex_unlock(&g_mu);
}

static void on_session_error(otc_session* s, void* ud, const char* text, enum otc_session_error_code code) {
  client* c = (client*)ud;
  (void)s;
  pthread_mutex_lock(&g_mu);
  if (c->errors++ == 0) c->first_error = code;
  c->last_error = code;
  snprintf(c->last_error_text, sizeof c->last_error_text, "%s", text);
  notify();
  pthread_mutex_unlock(&g_mu);
}

static otc_session* new_session_timeout(client* c, const char* url, const char* session_id, uint32_t grace_ms,
                                        uint32_t connect_timeout_ms) {
  struct otc_session_callbacks cb;
  otc_session_settings* st = otc_session_settings_new();
  otc_session* s;
  memset(&cb, 0, sizeof cb);
  cb.on_connected = on_connected;
  cb.on_disconnected = on_disconnected;
  cb.on_stream_received = on_stream_received;
  cb.on_stream_dropped = on_stream_dropped;
  cb.on_signal_received = on_signal;
  cb.on_connection_created = on_connection_created;
  cb.on_connection_dropped = on_connection_dropped;
  cb.on_error = on_session_error;
  cb.user_data = c;
  if (otc_session_settings_set_router_url(st, url) != OTC_SUCCESS) {
    otc_session_settings_delete(st);
    return NULL;
  }
  otc_session_settings_set_connect_timeout_ms(st, connect_timeout_ms);
  /* The cases of a lost connection (connection_dropped, router_shutdown) check that the session
   * ends at once: automatic reconnection is tested in native/test/session/session_reconnect_test. */
  otc_session_settings_set_reconnect_timeout_ms(st, 0);
  if (grace_ms) otc_session_settings_set_encryption_grace_period_ms(st, grace_ms);
  if (g_ca_file) otc_session_settings_set_tls_ca_file(st, g_ca_file);
  s = otc_session_new_with_settings("it-app", session_id, &cb, st);
  otc_session_settings_delete(st);
  return s;
}

static otc_session* new_session(client* c, const char* url, const char* session_id, uint32_t grace_ms) {
  return new_session_timeout(c, url, session_id, grace_ms, 5000);
}

/* Creates, optionally keys, and connects a client; 1 when on_connected arrived. */
static int connect_client(client* c, const char* name, session_config* cfg, const char* secret, uint32_t grace_ms) {
  int ok;
  memset(c, 0, sizeof *c);
  c->name = name;
  c->session = new_session(c, g_url, cfg->id, grace_ms);
  if (!c->session) {
    fail("%s: otc_session_new failed", name);
    return 0;
  }
  if (secret && otc_session_set_encryption_secret(c->session, secret) != OTC_SUCCESS) {
    fail("%s: set_encryption_secret failed", name);
    return 0;
  }
  if (otc_session_connect(c->session, next_token(cfg)) != OTC_SUCCESS) {
    fail("%s: otc_session_connect did not start", name);
    return 0;
  }
  WAIT_UNTIL(ok, c->connected == 1 || c->errors > 0, 10000);
  if (!ok || c->connected != 1) {
    fail("%s: not connected (errors=%d last=%d %s)", name, c->errors, c->last_error, c->last_error_text);
    return 0;
  }
  return 1;
}

static void destroy_client(client* c) {
  if (c->session) otc_session_delete(c->session);
  c->session = NULL;
  otc_stream_delete(c->last_stream);
  c->last_stream = NULL;
}

/* ---------------------------------------------------------------------------------------------- */
/* A publisher with a sender thread (30 frames/s of marked VP8 payloads).                          */

typedef struct pub_ctx {
  otc_publisher* publisher;
  int stream_created;
  int stream_destroyed;
  int errors;
  int last_error;
  char last_error_text[512];
  int keyframe_requests;
  char stream_id[256];
  /* sender thread */
  pthread_t thread;
  int running;
  int want_keyframe;
  int frames_sent;
  uint32_t last_sent_seq; /* sequence of the last frame sent, as the payload carries it */
  int send_failures;
  int last_send_status;
  int delete_in_keyframe_request;
} pub_ctx;

static void on_pub_stream_created(otc_publisher* p, void* ud, const otc_stream* stream) {
  pub_ctx* c = (pub_ctx*)ud;
  (void)p;
  pthread_mutex_lock(&g_mu);
  c->stream_created++;
  snprintf(c->stream_id, sizeof c->stream_id, "%s", otc_stream_get_id(stream));
  notify();
  pthread_mutex_unlock(&g_mu);
}

static void on_pub_stream_destroyed(otc_publisher* p, void* ud, const otc_stream* stream) {
  (void)p;
  (void)stream;
  bump(&((pub_ctx*)ud)->stream_destroyed);
}

static void on_pub_error(otc_publisher* p, void* ud, const char* text, enum otc_publisher_error_code code) {
  pub_ctx* c = (pub_ctx*)ud;
  (void)p;
  pthread_mutex_lock(&g_mu);
  c->errors++;
  c->last_error = code;
  snprintf(c->last_error_text, sizeof c->last_error_text, "%s", text);
  notify();
  pthread_mutex_unlock(&g_mu);
}

static void on_pub_keyframe(otc_publisher* p, void* ud) {
  pub_ctx* c = (pub_ctx*)ud;
  (void)p;
  pthread_mutex_lock(&g_mu);
  c->keyframe_requests++;
  c->want_keyframe = 1;
  notify();
  pthread_mutex_unlock(&g_mu);
}

static otc_publisher* new_publisher(pub_ctx* c, const char* name, int video_codec) {
  struct otc_publisher_callbacks cb;
  otc_publisher_settings* st = otc_publisher_settings_new();
  memset(&cb, 0, sizeof cb);
  cb.on_stream_created = on_pub_stream_created;
  cb.on_stream_destroyed = on_pub_stream_destroyed;
  cb.on_error = on_pub_error;
  cb.on_keyframe_requested = on_pub_keyframe;
  cb.user_data = c;
  otc_publisher_settings_set_audio_track(st, OTC_FALSE);
  otc_publisher_settings_set_video_codec(st, video_codec);
  c->publisher = otc_publisher_new_with_settings(name, NULL, &cb, st);
  otc_publisher_settings_delete(st);
  return c->publisher;
}

/* Payload: MARKER "|seq=<n>|" then filler up to 1200 bytes, so a subscriber can check that what it
 * got is exactly what was sent for that sequence number. */
static size_t make_payload(uint8_t* buf, size_t cap, uint32_t seq) {
  int n = snprintf((char*)buf, cap, MARKER "|seq=%u|", seq);
  size_t i;
  for (i = (size_t)n; i < 1200 && i < cap; ++i) buf[i] = (uint8_t)(seq * 31u + i);
  return i;
}

static void* sender_main(void* arg) {
  pub_ctx* c = (pub_ctx*)arg;
  uint8_t payload[1300];
  uint32_t seq = 0;
  for (;;) {
    otc_media_frame f;
    int running, key, st;
    pthread_mutex_lock(&g_mu);
    running = c->running;
    key = c->want_keyframe || seq % 30 == 0;
    c->want_keyframe = 0;
    pthread_mutex_unlock(&g_mu);
    if (!running) break;
    memset(&f, 0, sizeof f);
    f.media_type = OTC_MEDIA_TYPE_VIDEO;
    f.codec = OTC_CODEC_VP8;
    f.keyframe = key;
    f.timestamp_us = (uint64_t)now_ms() * 1000u;
    f.data = payload;
    f.size = make_payload(payload, sizeof payload, seq);
    st = otc_publisher_send_frame(c->publisher, &f);
    pthread_mutex_lock(&g_mu);
    if (st == OTC_SUCCESS) {
      c->frames_sent++;
      c->last_sent_seq = seq;
      seq++;
    } else {
      c->send_failures++;
      c->last_send_status = st;
    }
    notify();
    pthread_mutex_unlock(&g_mu);
    sleep_ms(FRAME_INTERVAL_MS);
  }
  return NULL;
}

static void start_sender(pub_ctx* c) {
  c->running = 1;
  pthread_create(&c->thread, NULL, sender_main, c);
}

static void stop_sender(pub_ctx* c) {
  if (!c->running) return;
  pthread_mutex_lock(&g_mu);
  c->running = 0;
  pthread_mutex_unlock(&g_mu);
  pthread_join(c->thread, NULL);
}

static int publish_and_wait(client* owner, pub_ctx* p, const char* name) {
  int ok;
  if (!new_publisher(p, name, OTC_CODEC_VP8)) {
    fail("otc_publisher_new failed");
    return 0;
  }
  if (otc_session_publish(owner->session, p->publisher) != OTC_SUCCESS) {
    fail("otc_session_publish refused");
    return 0;
  }
  WAIT_UNTIL(ok, p->stream_created == 1 || p->errors > 0, 5000);
  if (!ok || p->stream_created != 1) {
    fail("%s: stream not created (errors=%d last=%d %s)", name, p->errors, p->last_error, p->last_error_text);
    return 0;
  }
  return 1;
}

/* ---------------------------------------------------------------------------------------------- */
/* A subscriber that checks every frame against what the publisher sent.                          */

typedef struct sub_ctx {
  otc_subscriber* subscriber;
  char stream_id[256];
  int connected;
  int disconnected;
  int frames;
  int garbage;        /* payload does not carry the marker and the frame's own sequence */
  int gaps;           /* a sequence number skipped */
  int reordered;
  int have_last;
  uint32_t last_seq;
  int errors;
  int last_error;
  int mismatch_errors;
  int mismatch_names_stream;
  int matches;
  int frames_at_first_match;
  int delete_self_in_frame;
  int delete_session_in_frame;
  otc_session* session_to_delete;
} sub_ctx;

static void on_sub_connected(otc_subscriber* s, void* ud, const otc_stream* stream) {
  (void)s;
  (void)stream;
  bump(&((sub_ctx*)ud)->connected);
}

static void on_sub_disconnected(otc_subscriber* s, void* ud) {
  (void)s;
  bump(&((sub_ctx*)ud)->disconnected);
}

static void on_sub_frame(otc_subscriber* s, void* ud, const otc_media_frame* f) {
  sub_ctx* c = (sub_ctx*)ud;
  char expect[64];
  int n = snprintf(expect, sizeof expect, MARKER "|seq=%u|", f->sequence);
  int del_self, del_session;
  otc_session* victim;
  pthread_mutex_lock(&g_mu);
  c->frames++;
  if (f->size < 1200 || memcmp(f->data, expect, (size_t)n) != 0 || f->codec != OTC_CODEC_VP8 ||
      f->media_type != OTC_MEDIA_TYPE_VIDEO) {
    c->garbage++;
  } else {
    uint8_t ref[1300];
    size_t len = make_payload(ref, sizeof ref, f->sequence);
    if (len != f->size || memcmp(ref, f->data, len) != 0) c->garbage++;
  }
  if (c->have_last) {
    if (f->sequence > c->last_seq + 1) c->gaps += (int)(f->sequence - c->last_seq - 1);
    if (f->sequence <= c->last_seq) c->reordered++;
  }
  c->have_last = 1;
  c->last_seq = f->sequence;
  del_self = c->delete_self_in_frame;
  del_session = c->delete_session_in_frame;
  victim = c->session_to_delete;
  c->delete_self_in_frame = 0;
  c->delete_session_in_frame = 0;
  notify();
  pthread_mutex_unlock(&g_mu);
  if (del_session && victim) otc_session_delete(victim);
  if (del_self) {
    otc_subscriber_delete(s);
    pthread_mutex_lock(&g_mu);
    c->subscriber = NULL;
    notify();
    pthread_mutex_unlock(&g_mu);
  }
}

static void on_sub_error(otc_subscriber* s, void* ud, const char* text, enum otc_subscriber_error_code code) {
  sub_ctx* c = (sub_ctx*)ud;
  (void)s;
  pthread_mutex_lock(&g_mu);
  c->errors++;
  c->last_error = code;
  if (code == OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH) {
    c->mismatch_errors++;
    if (strstr(text, c->stream_id)) c->mismatch_names_stream++;
  }
  notify();
  pthread_mutex_unlock(&g_mu);
}

static void on_sub_match(otc_subscriber* s, void* ud) {
  sub_ctx* c = (sub_ctx*)ud;
  (void)s;
  pthread_mutex_lock(&g_mu);
  if (c->matches == 0) c->frames_at_first_match = c->frames;
  c->matches++;
  notify();
  pthread_mutex_unlock(&g_mu);
}

static otc_subscriber* new_subscriber(sub_ctx* c, const otc_stream* stream) {
  struct otc_subscriber_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.on_connected = on_sub_connected;
  cb.on_disconnected = on_sub_disconnected;
  cb.on_frame = on_sub_frame;
  cb.on_error = on_sub_error;
  cb.on_encryption_secret_match = on_sub_match;
  cb.user_data = c;
  snprintf(c->stream_id, sizeof c->stream_id, "%s", otc_stream_get_id(stream));
  c->subscriber = otc_subscriber_new(stream, &cb);
  return c->subscriber;
}

/* Waits for the stream of `p` at `viewer` and subscribes to it; 1 when SUBSCRIBED arrived. */
static int subscribe_and_wait(client* viewer, pub_ctx* p, sub_ctx* s) {
  int ok;
  otc_stream* stream = NULL;
  WAIT_UNTIL(ok, viewer->last_stream && strcmp(otc_stream_get_id(viewer->last_stream), p->stream_id) == 0, 5000);
  if (!ok) {
    fail("%s never received stream %s", viewer->name, p->stream_id);
    return 0;
  }
  pthread_mutex_lock(&g_mu);
  stream = otc_stream_copy(viewer->last_stream);
  pthread_mutex_unlock(&g_mu);
  if (!new_subscriber(s, stream)) {
    otc_stream_delete(stream);
    fail("otc_subscriber_new failed");
    return 0;
  }
  otc_stream_delete(stream);
  if (otc_session_subscribe(viewer->session, s->subscriber) != OTC_SUCCESS) {
    fail("otc_session_subscribe refused");
    return 0;
  }
  WAIT_UNTIL(ok, s->connected == 1 || s->errors > 0, 5000);
  if (!ok || s->connected != 1) {
    fail("%s: subscriber not connected (errors=%d last=%d)", viewer->name, s->errors, s->last_error);
    return 0;
  }
  return 1;
}

static void destroy_pub(pub_ctx* p) {
  stop_sender(p);
  if (p->publisher) otc_publisher_delete(p->publisher);
  p->publisher = NULL;
}

static void destroy_sub(sub_ctx* s) {
  if (s->subscriber) otc_subscriber_delete(s->subscriber);
  s->subscriber = NULL;
}

/* The cast of most cases: client A publishes, client B subscribes to A's stream. */
typedef struct duo {
  client a, b;
  pub_ctx p;
  sub_ctx s;
} duo;

/* A and B join `cfg` with their secrets (NULL: none; B keeps old secrets for `grace_b` ms), A
 * publishes `name`, B subscribes, and A's sender runs. On failure the case has failed already. */
static int duo_start(duo* d, session_config* cfg, const char* secret_a, const char* secret_b, uint32_t grace_b,
                     const char* name) {
  if (!connect_client(&d->a, "A", cfg, secret_a, 0)) return 0;
  if (!connect_client(&d->b, "B", cfg, secret_b, grace_b)) return 0;
  if (!publish_and_wait(&d->a, &d->p, name)) return 0;
  if (!subscribe_and_wait(&d->b, &d->p, &d->s)) return 0;
  start_sender(&d->p);
  return 1;
}

/* Whatever duo_start got to, children first. */
static void duo_destroy(duo* d) {
  stop_sender(&d->p);
  destroy_sub(&d->s);
  destroy_pub(&d->p);
  destroy_client(&d->b);
  destroy_client(&d->a);
}

/* ---------------------------------------------------------------------------------------------- */
/* Cases.                                                                                          */

/* Secret validation is a return code, before and after connecting. */
static void case_invalid_secret(void) {
  client a;
  static const uint8_t bad_utf8[] = {'s', 'e', 'c', 'r', 'e', 't', 0xC0, 0xAF, 'x', 'y'};
  static const uint8_t nul_inside[] = {'s', 'e', 'c', 'r', 0, 'e', 't', 's', 'x'};
  char long_secret[300];
  /* 256 code points of 3 bytes each: valid, at the upper bound. */
  char multibyte[256 * 3 + 1];
  int i;
  memset(&a, 0, sizeof a);
  a.session = new_session(&a, g_url, g_e2ee.id, 0);
  CHECK(a.session != NULL, "otc_session_new failed");
  CHECK_STATUS(otc_session_set_encryption_secret(a.session, "short"), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  CHECK_STATUS(otc_session_set_encryption_secret(a.session, ""), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  CHECK_STATUS(otc_session_set_encryption_secret(a.session, NULL), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  memset(long_secret, 'x', 257);
  long_secret[257] = 0;
  CHECK_STATUS(otc_session_set_encryption_secret(a.session, long_secret), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  CHECK_STATUS(otc_session_set_encryption_secret_bytes(a.session, bad_utf8, sizeof bad_utf8),
               OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  CHECK_STATUS(otc_session_set_encryption_secret_bytes(a.session, nul_inside, sizeof nul_inside),
               OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  CHECK(!otc_session_has_encryption_secret(a.session), "an invalid secret was installed");
  for (i = 0; i < 256; ++i) memcpy(multibyte + 3 * i, "\xE2\x82\xAC", 3); /* U+20AC */
  multibyte[256 * 3] = 0;
  CHECK_STATUS(otc_session_set_encryption_secret(a.session, multibyte), OTC_SUCCESS);
  CHECK_STATUS(otc_session_set_encryption_secret(a.session, "12345678"), OTC_SUCCESS);
  CHECK(otc_session_has_encryption_secret(a.session), "no secret after a valid one");
  destroy_client(&a);
  if (!connect_client(&a, "A", &g_e2ee, NULL, 0)) goto done;
  CHECK_STATUS(otc_session_set_encryption_secret(a.session, "1234567"), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  CHECK_STATUS(otc_session_set_encryption_secret(a.session, SECRET_1), OTC_SUCCESS);
done:
  destroy_client(&a);
}

/* E2EE session: connecting without a secret works; publishing then fails on the publisher. */
static void case_publish_secret_missing(void) {
  client a;
  pub_ctx p;
  int ok;
  memset(&p, 0, sizeof p);
  memset(&a, 0, sizeof a);
  if (!connect_client(&a, "A", &g_e2ee, NULL, 0)) goto done;
  CHECK(otc_session_is_e2ee(a.session), "router did not report the session as E2EE");
  CHECK(new_publisher(&p, "no-secret", OTC_CODEC_VP8) != NULL, "otc_publisher_new failed");
  CHECK_STATUS(otc_session_publish(a.session, p.publisher), OTC_SUCCESS);
  WAIT_UNTIL(ok, p.errors > 0, 3000);
  CHECK(ok, "no publisher on_error");
  CHECK(p.last_error == OTC_SESSION_ENCRYPTION_SECRET_MISSING, "publisher error %d, expected %d", p.last_error,
        OTC_SESSION_ENCRYPTION_SECRET_MISSING);
  sleep_ms(300);
  CHECK(locked_int(&p.stream_created) == 0, "a stream was created without a secret");
  CHECK(locked_int(&p.errors) == 1, "%d publisher errors, expected 1", locked_int(&p.errors));
  CHECK(a.errors == 0, "session error %d: %s", a.last_error, a.last_error_text);
done:
  destroy_pub(&p);
  destroy_client(&a);
}

/* E2EE session: a client without a secret sees the stream, subscribing fails on the subscriber. */
static void case_subscribe_secret_missing(void) {
  client a, b;
  pub_ctx p;
  sub_ctx s;
  int ok;
  memset(&p, 0, sizeof p);
  memset(&s, 0, sizeof s);
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  if (!connect_client(&a, "A", &g_e2ee, SECRET_1, 0)) goto done;
  if (!connect_client(&b, "B", &g_e2ee, NULL, 0)) goto done;
  if (!publish_and_wait(&a, &p, "cam")) goto done;
  WAIT_UNTIL(ok, b.last_stream != NULL, 5000);
  CHECK(ok, "B never saw the stream");
  CHECK(otc_stream_is_e2ee(b.last_stream), "stream not marked E2EE");
  CHECK(new_subscriber(&s, b.last_stream) != NULL, "otc_subscriber_new failed");
  CHECK_STATUS(otc_session_subscribe(b.session, s.subscriber), OTC_SUCCESS);
  WAIT_UNTIL(ok, s.errors > 0, 3000);
  CHECK(ok, "no subscriber on_error");
  CHECK(s.last_error == OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISSING, "subscriber error %d, expected %d", s.last_error,
        OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISSING);
  CHECK(locked_int(&s.connected) == 0, "subscribed without a secret");
done:
  destroy_sub(&s);
  destroy_pub(&p);
  destroy_client(&b);
  destroy_client(&a);
}

/*
 * Mismatch -> match -> keyframe request under continuous traffic, with exact counts: one mismatch
 * per transition into failure, one match per recovery, nothing undecryptable ever delivered.
 */
static void case_mismatch_match(void) {
  duo d;
  otc_subscriber_stats st = OTC_SUBSCRIBER_STATS_INIT;
  int ok, frames_before, kf_before;
  memset(&d, 0, sizeof d);
  /* B keeps old secrets (and holds undecryptable frames) for 1 s. */
  if (!duo_start(&d, &g_e2ee, SECRET_1, SECRET_2, 1000, "cam")) goto done;

  WAIT_UNTIL(ok, d.s.mismatch_errors >= 1, 5000);
  CHECK(ok, "no mismatch reported (frames=%d errors=%d last=%d)", d.s.frames, d.s.errors, d.s.last_error);
  CHECK(locked_int(&d.s.mismatch_names_stream) == 1, "the mismatch message does not name stream %s", d.s.stream_id);
  sleep_ms(1500); /* more undecryptable traffic: still one report */
  CHECK(locked_int(&d.s.mismatch_errors) == 1, "%d mismatch reports for one transition", locked_int(&d.s.mismatch_errors));
  CHECK(locked_int(&d.s.frames) == 0, "%d frames delivered under a wrong secret", locked_int(&d.s.frames));
  kf_before = locked_int(&d.p.keyframe_requests);

  CHECK_STATUS(otc_session_set_encryption_secret(d.b.session, SECRET_1), OTC_SUCCESS);
  WAIT_UNTIL(ok, d.s.matches >= 1 && d.s.frames >= 10, 5000);
  CHECK(ok, "no match after fixing the secret (matches=%d frames=%d)", d.s.matches, d.s.frames);
  WAIT_UNTIL(ok, d.p.keyframe_requests > kf_before, 3000);
  CHECK(ok, "the publisher got no keyframe request after the match");
  sleep_ms(500);
  CHECK(locked_int(&d.s.matches) == 1, "%d match events, expected 1", locked_int(&d.s.matches));
  CHECK(locked_int(&d.s.mismatch_errors) == 1, "%d mismatch reports, expected 1", locked_int(&d.s.mismatch_errors));
  CHECK(locked_int(&d.s.garbage) == 0, "%d garbage frames delivered", locked_int(&d.s.garbage));
  CHECK(locked_int(&d.s.frames_at_first_match) == 0, "frames delivered before the match");

  /* Second transition: B moves to a secret A does not use; after B's 1 s grace the old secret is
   * gone and A's frames mismatch again (one more report), then B goes back (one more match). */
  CHECK_STATUS(otc_session_set_encryption_secret(d.b.session, SECRET_3), OTC_SUCCESS);
  WAIT_UNTIL(ok, d.s.mismatch_errors >= 2, 6000);
  CHECK(ok, "no second mismatch after the grace period");
  frames_before = locked_int(&d.s.frames);
  sleep_ms(700);
  CHECK(locked_int(&d.s.frames) == frames_before, "frames delivered while mismatched");
  CHECK_STATUS(otc_session_set_encryption_secret(d.b.session, SECRET_1), OTC_SUCCESS);
  WAIT_UNTIL(ok, d.s.matches >= 2 && d.s.frames >= frames_before + 10, 5000);
  CHECK(ok, "no second match");
  sleep_ms(300);
  CHECK(locked_int(&d.s.matches) == 2 && locked_int(&d.s.mismatch_errors) == 2,
        "counts after two transitions: matches=%d mismatches=%d", locked_int(&d.s.matches),
        locked_int(&d.s.mismatch_errors));
  CHECK(locked_int(&d.s.garbage) == 0, "%d garbage frames delivered", locked_int(&d.s.garbage));
  CHECK_STATUS(otc_subscriber_get_stats(d.s.subscriber, &st), OTC_SUCCESS);
  CHECK(st.mismatch_events == 2 && st.match_events == 2, "stats: mismatch_events=%llu match_events=%llu",
        (unsigned long long)st.mismatch_events, (unsigned long long)st.match_events);
  CHECK(st.failed_secret_mismatch > 0, "stats count no mismatched frame");
  CHECK(st.frames_delivered == (uint64_t)locked_int(&d.s.frames), "stats delivered %llu, callbacks %d",
        (unsigned long long)st.frames_delivered, locked_int(&d.s.frames));
  CHECK(st.failed_authentication == 0 && st.failed_replayed == 0 && st.failed_malformed == 0 &&
            st.failed_internal == 0,
        "unexpected failures: auth=%llu replay=%llu malformed=%llu internal=%llu",
        (unsigned long long)st.failed_authentication, (unsigned long long)st.failed_replayed,
        (unsigned long long)st.failed_malformed, (unsigned long long)st.failed_internal);
  CHECK(st.keyframe_requests_sent >= 2, "stats: %llu keyframe requests sent", (unsigned long long)st.keyframe_requests_sent);
done:
  duo_destroy(&d);
}

/* Sets a secret after a delay, on its own thread: the key derivation is deliberately slow, and
 * participants rotating in parallel is what a real rotation looks like. */
typedef struct rotation {
  otc_session* session;
  const char* secret;
  int delay_ms;
  int status;
  pthread_t thread;
} rotation;

static void* rotation_main(void* arg) {
  rotation* r = (rotation*)arg;
  sleep_ms(r->delay_ms);
  r->status = otc_session_set_encryption_secret(r->session, r->secret);
  return NULL;
}

/*
 * Rotation under load: the publisher switches first, the subscribers 300 ms and 600 ms later (inside
 * the grace period and the hold limit): no frame is lost, none fails, none is out of order.
 */
static void case_rotation_zero_loss(void) {
  client a, b, c;
  pub_ctx p;
  sub_ctx sb, sc;
  otc_subscriber_stats st_b = OTC_SUBSCRIBER_STATS_INIT, st_c = OTC_SUBSCRIBER_STATS_INIT;
  int ok;
  uint32_t last;
  memset(&p, 0, sizeof p);
  memset(&sb, 0, sizeof sb);
  memset(&sc, 0, sizeof sc);
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  memset(&c, 0, sizeof c);
  if (!connect_client(&a, "A", &g_e2ee, SECRET_1, 0)) goto done;
  if (!connect_client(&b, "B", &g_e2ee, SECRET_1, 0)) goto done;
  if (!connect_client(&c, "C", &g_e2ee, SECRET_1, 0)) goto done;
  if (!publish_and_wait(&a, &p, "cam")) goto done;
  if (!subscribe_and_wait(&b, &p, &sb)) goto done;
  if (!subscribe_and_wait(&c, &p, &sc)) goto done;
  start_sender(&p);
  WAIT_UNTIL(ok, sb.frames >= 15 && sc.frames >= 15, 5000);
  CHECK(ok, "no traffic before the rotation");

  CHECK_STATUS(otc_session_set_encryption_secret(a.session, SECRET_2), OTC_SUCCESS);
  {
    rotation rb = {b.session, SECRET_2, 300, -1, 0};
    rotation rc = {c.session, SECRET_2, 600, -1, 0};
    pthread_create(&rb.thread, NULL, rotation_main, &rb);
    pthread_create(&rc.thread, NULL, rotation_main, &rc);
    pthread_join(rb.thread, NULL);
    pthread_join(rc.thread, NULL);
    CHECK(rb.status == OTC_SUCCESS && rc.status == OTC_SUCCESS, "rotation failed: %d %d", rb.status, rc.status);
  }
  sleep_ms(1000);
  stop_sender(&p);
  pthread_mutex_lock(&g_mu);
  last = p.last_sent_seq;
  pthread_mutex_unlock(&g_mu);
  WAIT_UNTIL(ok, sb.have_last && sb.last_seq == last && sc.have_last && sc.last_seq == last, 3000);
  CHECK(ok, "last frame %u not delivered (B at %u, C at %u)", last, sb.last_seq, sc.last_seq);
  CHECK(locked_int(&sb.gaps) == 0 && locked_int(&sc.gaps) == 0, "frames lost: B %d, C %d", locked_int(&sb.gaps),
        locked_int(&sc.gaps));
  CHECK(locked_int(&sb.reordered) == 0 && locked_int(&sc.reordered) == 0, "frames reordered");
  CHECK(locked_int(&sb.garbage) == 0 && locked_int(&sc.garbage) == 0, "garbage delivered");
  CHECK(locked_int(&sb.errors) == 0 && locked_int(&sc.errors) == 0, "subscriber errors: B %d (last %d), C %d (last %d)",
        locked_int(&sb.errors), sb.last_error, locked_int(&sc.errors), sc.last_error);
  CHECK_STATUS(otc_subscriber_get_stats(sb.subscriber, &st_b), OTC_SUCCESS);
  CHECK_STATUS(otc_subscriber_get_stats(sc.subscriber, &st_c), OTC_SUCCESS);
  CHECK(st_b.failed_secret_mismatch + st_b.failed_authentication + st_b.failed_replayed + st_b.failed_malformed +
                st_b.failed_internal ==
            0,
        "B stats count failed frames");
  CHECK(st_c.failed_secret_mismatch + st_c.failed_authentication + st_c.failed_replayed + st_c.failed_malformed +
                st_c.failed_internal ==
            0,
        "C stats count failed frames");
  /* The subscribers switched after the publisher: frames under the new secret waited for them. */
  CHECK(st_b.frames_recovered > 0 && st_c.frames_recovered > 0, "no held frame recovered (B %llu, C %llu)",
        (unsigned long long)st_b.frames_recovered, (unsigned long long)st_c.frames_recovered);
  CHECK(st_b.mismatch_events == 0 && st_c.mismatch_events == 0, "mismatch reported during a timely rotation");
done:
  stop_sender(&p);
  destroy_sub(&sb);
  destroy_sub(&sc);
  destroy_pub(&p);
  destroy_client(&c);
  destroy_client(&b);
  destroy_client(&a);
}

/* Without E2EE no secret is needed and frames arrive as sent. */
static void case_non_e2ee(void) {
  duo d;
  otc_subscriber_stats st = OTC_SUBSCRIBER_STATS_INIT;
  otc_publisher_stats ps = OTC_PUBLISHER_STATS_INIT;
  int ok;
  memset(&d, 0, sizeof d);
  if (!duo_start(&d, &g_plain, NULL, NULL, 0, "plain-cam")) goto done;
  CHECK(!otc_session_is_e2ee(d.a.session), "plain session reported as E2EE");
  CHECK(!otc_stream_is_e2ee(d.b.last_stream), "plain stream marked E2EE");
  CHECK(otc_stream_get_video_codec(d.b.last_stream) == OTC_CODEC_VP8, "codec %d", otc_stream_get_video_codec(d.b.last_stream));
  CHECK(strcmp(otc_stream_get_name(d.b.last_stream), "plain-cam") == 0, "name %s", otc_stream_get_name(d.b.last_stream));
  WAIT_UNTIL(ok, d.s.frames >= 20, 5000);
  CHECK(ok, "only %d frames", d.s.frames);
  stop_sender(&d.p);
  CHECK(locked_int(&d.s.garbage) == 0 && locked_int(&d.s.gaps) == 0, "garbage %d gaps %d", d.s.garbage, d.s.gaps);
  CHECK_STATUS(otc_subscriber_get_stats(d.s.subscriber, &st), OTC_SUCCESS);
  CHECK(st.frames_decrypted == 0, "frames decrypted in a plain session");
  CHECK_STATUS(otc_publisher_get_stats(d.p.publisher, &ps), OTC_SUCCESS);
  CHECK(ps.frames_encrypted == 0 && ps.frames_sent > 0, "publisher stats: encrypted=%llu sent=%llu",
        (unsigned long long)ps.frames_encrypted, (unsigned long long)ps.frames_sent);
done:
  duo_destroy(&d);
}

/* A forged token is refused: on_error AUTHORIZATION_FAILURE, never on_connected or on_disconnected. */
static void case_bad_token(void) {
  client a;
  char token[4096];
  size_t n;
  int ok;
  memset(&a, 0, sizeof a);
  snprintf(token, sizeof token, "%s", g_e2ee.tokens[0]);
  n = strlen(token);
  /* Flip the signature's last character. */
  token[n - 2] = token[n - 2] == 'A' ? 'B' : 'A';
  a.session = new_session(&a, g_url, g_e2ee.id, 0);
  CHECK(a.session != NULL, "otc_session_new failed");
  CHECK_STATUS(otc_session_connect(a.session, token), OTC_SUCCESS);
  WAIT_UNTIL(ok, a.errors > 0, 5000);
  CHECK(ok, "no error for a forged token");
  CHECK(a.last_error == OTC_SESSION_AUTHORIZATION_FAILURE, "error %d (%s), expected %d", a.last_error,
        a.last_error_text, OTC_SESSION_AUTHORIZATION_FAILURE);
  sleep_ms(200);
  CHECK(locked_int(&a.connected) == 0 && locked_int(&a.disconnected) == 0, "connected=%d disconnected=%d",
        a.connected, a.disconnected);
  /* The session is reusable after a failed attempt. */
  CHECK_STATUS(otc_session_connect(a.session, g_e2ee.tokens[0]), OTC_SUCCESS);
  WAIT_UNTIL(ok, a.connected == 1, 5000);
  CHECK(ok, "reconnect with a valid token failed");
  CHECK_STATUS(otc_session_disconnect(a.session), OTC_SUCCESS);
  WAIT_UNTIL(ok, a.disconnected == 1, 5000);
  CHECK(ok, "no on_disconnected after disconnect");
done:
  destroy_client(&a);
}

/* A free local port: bound, then closed, so nothing listens there. */
static int closed_port(void) {
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  int port;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, (struct sockaddr*)&addr, sizeof addr);
  getsockname(fd, (struct sockaddr*)&addr, &len);
  port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

static void case_router_unreachable(void) {
  client a;
  char url[64];
  int ok;
  memset(&a, 0, sizeof a);
  snprintf(url, sizeof url, "tcp://127.0.0.1:%d", closed_port());
  a.session = new_session(&a, url, g_e2ee.id, 0);
  CHECK(a.session != NULL, "otc_session_new failed");
  CHECK_STATUS(otc_session_connect(a.session, g_e2ee.tokens[0]), OTC_SUCCESS);
  WAIT_UNTIL(ok, a.errors > 0, 5000);
  CHECK(ok, "no error for an unreachable router");
  CHECK(a.last_error == OTC_SESSION_CONNECTION_FAILED, "error %d (%s), expected %d", a.last_error, a.last_error_text,
        OTC_SESSION_CONNECTION_FAILED);
  sleep_ms(200);
  CHECK(locked_int(&a.connected) == 0 && locked_int(&a.disconnected) == 0 && locked_int(&a.errors) == 1,
        "connected=%d disconnected=%d errors=%d", a.connected, a.disconnected, a.errors);
done:
  destroy_client(&a);
}

/* Threads and resident memory of this process, from /proc/self/status. */
static long proc_status(const char* key) {
  char line[256];
  long v = -1;
  size_t klen = strlen(key);
  FILE* f = fopen("/proc/self/status", "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, key, klen) == 0) {
      v = strtol(line + klen, NULL, 10);
      break;
    }
  }
  fclose(f);
  return v;
}

/* ---- a TCP relay between a client and the router, which can cut the connection abruptly ---- */

typedef struct relay {
  int listen_fd;
  int port;
  int client_fd;
  int router_fd;
  int cut;
  int stop;
  int frozen; /* stop reading from the client: a router that no longer reads */
  pthread_t thread;
  struct sockaddr_in router;
} relay;

static void* relay_main(void* arg) {
  relay* r = (relay*)arg;
  char buf[65536];
  struct pollfd pf[2];
  r->client_fd = accept(r->listen_fd, NULL, NULL);
  if (r->client_fd < 0) return NULL;
  r->router_fd = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(r->router_fd, (struct sockaddr*)&r->router, sizeof r->router) != 0) return NULL;
  for (;;) {
    int i, cut, stop, frozen;
    pthread_mutex_lock(&g_mu);
    cut = r->cut;
    stop = r->stop;
    frozen = r->frozen;
    pthread_mutex_unlock(&g_mu);
    if (cut || stop) break;
    pf[0].fd = r->client_fd;
    pf[0].events = frozen ? 0 : POLLIN;
    pf[1].fd = r->router_fd;
    pf[1].events = POLLIN;
    if (poll(pf, 2, 20) < 0) break;
    for (i = 0; i < 2; ++i) {
      if (pf[i].revents & (POLLIN | POLLHUP | POLLERR) && !(i == 0 && frozen)) {
        ssize_t n = read(pf[i].fd, buf, sizeof buf);
        if (n <= 0) goto out;
        if (write(pf[1 - i].fd, buf, (size_t)n) != n) goto out;
      }
    }
  }
out : {
  /* RST instead of FIN on both sides: what a crashed router or a dead network looks like. */
  struct linger lg;
  lg.l_onoff = 1;
  lg.l_linger = 0;
  setsockopt(r->client_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  setsockopt(r->router_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  close(r->client_fd);
  close(r->router_fd);
}
  return NULL;
}

static int relay_start(relay* r, const char* router_url) {
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  char host[64];
  int port;
  memset(r, 0, sizeof *r);
  /* The relay forwards bytes, so it works for tcp:// and tls:// alike. */
  if (sscanf(router_url + 6, "%63[^:]:%d", host, &port) != 2) return 0;
  if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
  r->router.sin_family = AF_INET;
  r->router.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &r->router.sin_addr) != 1) return 0;
  r->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(r->listen_fd, (struct sockaddr*)&addr, sizeof addr) != 0 || listen(r->listen_fd, 1) != 0) return 0;
  getsockname(r->listen_fd, (struct sockaddr*)&addr, &len);
  r->port = ntohs(addr.sin_port);
  pthread_create(&r->thread, NULL, relay_main, r);
  return 1;
}

static void relay_stop(relay* r) {
  pthread_mutex_lock(&g_mu);
  r->stop = 1;
  pthread_mutex_unlock(&g_mu);
  shutdown(r->listen_fd, SHUT_RDWR);
  close(r->listen_fd);
  pthread_join(r->thread, NULL);
}

/* The connection dies mid-session: on_error CONNECTION_DROPPED, then on_disconnected; the
 * publisher's stream ends; nothing hangs. */
static void case_connection_dropped(void) {
  client a;
  pub_ctx p;
  relay r;
  char url[64];
  int ok, relay_up = 0;
  memset(&a, 0, sizeof a);
  memset(&p, 0, sizeof p);

  CHECK(relay_start(&r, g_url), "relay setup failed");
  relay_up = 1;
  /* Same scheme and host name as the router's URL, so TLS verification still applies. */
  snprintf(url, sizeof url, "%.6s%s:%d", g_url, strstr(g_url, "localhost") ? "localhost" : "127.0.0.1", r.port);
  a.session = new_session(&a, url, g_e2ee.id, 0);
  CHECK(a.session != NULL, "otc_session_new failed");
  CHECK_STATUS(otc_session_set_encryption_secret(a.session, SECRET_1), OTC_SUCCESS);
  CHECK_STATUS(otc_session_connect(a.session, g_e2ee.tokens[0]), OTC_SUCCESS);
  WAIT_UNTIL(ok, a.connected == 1, 5000);
  CHECK(ok, "not connected through the relay (error %d %s)", a.last_error, a.last_error_text);
  if (!publish_and_wait(&a, &p, "doomed")) goto done;
  start_sender(&p);
  sleep_ms(300);
  pthread_mutex_lock(&g_mu);
  r.cut = 1;
  pthread_mutex_unlock(&g_mu);
  WAIT_UNTIL(ok, a.disconnected == 1, 5000);
  CHECK(ok, "no on_disconnected after the connection died");
  CHECK(a.errors == 1 && a.last_error == OTC_SESSION_CONNECTION_DROPPED, "errors=%d last=%d (%s), expected one %d",
        a.errors, a.last_error, a.last_error_text, OTC_SESSION_CONNECTION_DROPPED);
  WAIT_UNTIL(ok, p.stream_destroyed == 1, 2000);
  CHECK(ok, "publisher stream not destroyed");
  sleep_ms(100);
  CHECK(locked_int(&p.last_send_status) == OTC_ERR_INVALID_STATE, "send after the drop returned %d",
        locked_int(&p.last_send_status));
done:
  stop_sender(&p);
  destroy_pub(&p);
  destroy_client(&a);
  if (relay_up) relay_stop(&r);
}

/* ---- a peer that is not a compatible router: the only way to reach these rows, since the real
 * router speaks this client's versions. It answers HELLO with canned bytes, or stays silent. ---- */

typedef struct peer {
  int listen_fd;
  int port;
  const uint8_t* reply;
  size_t reply_len;
  pthread_t thread;
} peer;

static int read_full(int fd, uint8_t* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r <= 0) return 0;
    got += (size_t)r;
  }
  return 1;
}

static void* peer_main(void* arg) {
  peer* p = (peer*)arg;
  uint8_t head[4], body[2048];
  uint32_t len;
  int fd = accept(p->listen_fd, NULL, NULL);
  if (fd < 0) return NULL;
  if (read_full(fd, head, 4)) {
    len = ((uint32_t)head[0] << 24) | ((uint32_t)head[1] << 16) | ((uint32_t)head[2] << 8) | head[3];
    if (len <= sizeof body && read_full(fd, body, len) && body[0] == 0x01 && p->reply_len) {
      if (write(fd, p->reply, p->reply_len) != (ssize_t)p->reply_len) {
        /* the client went away: nothing to check here */
      }
    }
  }
  /* Hold the socket until the client closes it. */
  while (read(fd, body, sizeof body) > 0) {
  }
  close(fd);
  return NULL;
}

static int peer_start(peer* p, const uint8_t* reply, size_t reply_len) {
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  memset(p, 0, sizeof *p);
  p->reply = reply;
  p->reply_len = reply_len;
  p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(p->listen_fd, (struct sockaddr*)&addr, sizeof addr) != 0 || listen(p->listen_fd, 1) != 0) return 0;
  getsockname(p->listen_fd, (struct sockaddr*)&addr, &len);
  p->port = ntohs(addr.sin_port);
  pthread_create(&p->thread, NULL, peer_main, p);
  return 1;
}

static void peer_stop(peer* p) {
  shutdown(p->listen_fd, SHUT_RDWR);
  close(p->listen_fd);
  pthread_join(p->thread, NULL);
}

/* Connects to a peer answering `reply` and expects exactly one on_error `expected`, nothing else. */
static void expect_handshake_error(const char* what, const uint8_t* reply, size_t reply_len, int expected) {
  client a;
  peer p;
  char url[64];
  int ok, started = 0;
  memset(&a, 0, sizeof a);
  CHECK(peer_start(&p, reply, reply_len), "%s: peer setup failed", what);
  started = 1;
  snprintf(url, sizeof url, "tcp://127.0.0.1:%d", p.port);
  a.session = new_session_timeout(&a, url, g_e2ee.id, 0, 800);
  CHECK(a.session != NULL, "otc_session_new failed");
  CHECK_STATUS(otc_session_connect(a.session, g_e2ee.tokens[0]), OTC_SUCCESS);
  WAIT_UNTIL(ok, a.errors > 0, 5000);
  CHECK(ok, "%s: no error", what);
  CHECK(a.last_error == expected, "%s: error %d (%s), expected %d", what, a.last_error, a.last_error_text, expected);
  sleep_ms(200);
  CHECK(locked_int(&a.errors) == 1 && locked_int(&a.connected) == 0 && locked_int(&a.disconnected) == 0,
        "%s: errors=%d connected=%d disconnected=%d", what, a.errors, a.connected, a.disconnected);
done:
  destroy_client(&a);
  if (started) peer_stop(&p);
}

static void case_handshake_errors(void) {
  /* HELLO_ACK: protocol version 2. */
  static const uint8_t v2[] = {0, 0, 0, 8, 0x81, 0, 2, 0, 1, 0, 1, 'x'};
  /* HELLO_ACK: E2EE format version 2. */
  static const uint8_t f2[] = {0, 0, 0, 8, 0x81, 0, 1, 0, 2, 0, 1, 'x'};
  /* A length above 4 MiB. */
  static const uint8_t huge[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x81};
  /* A HELLO_ACK with a byte left over. */
  static const uint8_t trailing[] = {0, 0, 0, 9, 0x81, 0, 1, 0, 1, 0, 1, 'x', 0};
  /* CONNECTED before HELLO_ACK. */
  static const uint8_t out_of_order[] = {0, 0, 0, 0x13, 0x82, 0, 1, 'c', 0, 1, 's', 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  expect_handshake_error("protocol version", v2, sizeof v2, OTC_SESSION_INCOMPATIBLE_PROTOCOL);
  if (g_case_failed) return;
  expect_handshake_error("format version", f2, sizeof f2, OTC_E2EE_INCOMPATIBLE_VERSION);
  if (g_case_failed) return;
  expect_handshake_error("oversized length", huge, sizeof huge, OTC_SESSION_PROTOCOL_ERROR);
  if (g_case_failed) return;
  expect_handshake_error("trailing byte", trailing, sizeof trailing, OTC_SESSION_PROTOCOL_ERROR);
  if (g_case_failed) return;
  expect_handshake_error("out of order", out_of_order, sizeof out_of_order, OTC_SESSION_PROTOCOL_ERROR);
  if (g_case_failed) return;
  /* Silence: the connect timeout (800 ms here) ends the attempt. */
  expect_handshake_error("silent peer", NULL, 0, OTC_SESSION_CONNECTION_TIMED_OUT);
}

/*
 * A router that stops reading: the publisher's queue stays bounded (frames beyond 8 MiB waiting are
 * dropped, not counted as sent), the SDK asks the application for a keyframe, and once the router
 * reads again a keyframe gets through.
 */
static void case_congestion(void) {
  enum { FRAME = 512 * 1024, BLAST = 200 };
  client a;
  pub_ctx p;
  relay r;
  char url[64];
  int ok, i, relay_up = 0, failures = 0;
  long rss_before, rss_after;
  uint8_t* big = (uint8_t*)calloc(1, FRAME);
  otc_publisher_stats st = OTC_PUBLISHER_STATS_INIT;
  otc_media_frame f;
  memset(&a, 0, sizeof a);
  memset(&p, 0, sizeof p);
  CHECK(big != NULL, "out of memory");
  CHECK(relay_start(&r, g_url), "relay setup failed");
  relay_up = 1;
  snprintf(url, sizeof url, "%.6s%s:%d", g_url, strstr(g_url, "localhost") ? "localhost" : "127.0.0.1", r.port);
  a.session = new_session(&a, url, g_plain.id, 0);
  CHECK(a.session != NULL, "otc_session_new failed");
  CHECK_STATUS(otc_session_connect(a.session, g_plain.tokens[0]), OTC_SUCCESS);
  WAIT_UNTIL(ok, a.connected == 1, 5000);
  CHECK(ok, "not connected through the relay (error %d %s)", a.last_error, a.last_error_text);
  if (!publish_and_wait(&a, &p, "blaster")) goto done;
  pthread_mutex_lock(&g_mu);
  r.frozen = 1;
  pthread_mutex_unlock(&g_mu);
  rss_before = proc_status("VmRSS:");
  memset(&f, 0, sizeof f);
  f.media_type = OTC_MEDIA_TYPE_VIDEO;
  f.codec = OTC_CODEC_VP8;
  f.data = big;
  f.size = FRAME;
  for (i = 0; i < BLAST; ++i) {
    f.keyframe = i == 0;
    if (otc_publisher_send_frame(p.publisher, &f) != OTC_SUCCESS) failures++;
  }
  rss_after = proc_status("VmRSS:");
  CHECK(failures == 0, "%d sends failed", failures);
  CHECK_STATUS(otc_publisher_get_stats(p.publisher, &st), OTC_SUCCESS);
  CHECK(st.frames_sent < BLAST / 2, "%llu of %d frames queued to a router that does not read",
        (unsigned long long)st.frames_sent, BLAST);
  CHECK(rss_after - rss_before < 48 * 1024, "resident memory grew by %ld kB for %d MiB sent", rss_after - rss_before,
        BLAST * FRAME / (1024 * 1024));
  printf("INFO congestion queued=%llu of %d frames of %d KiB, rss_growth_kb=%ld\n", (unsigned long long)st.frames_sent,
         BLAST, FRAME / 1024, rss_after - rss_before);
  WAIT_UNTIL(ok, p.keyframe_requests == 1, 2000);
  CHECK(ok, "no keyframe request after the drop (%d)", p.keyframe_requests);
  CHECK(st.keyframe_requests == 0, "the SDK's own request counted as a router request");
  pthread_mutex_lock(&g_mu);
  r.frozen = 0;
  pthread_mutex_unlock(&g_mu);
  /* Delta frames stay dropped until a keyframe gets through; keep offering one. */
  {
    otc_publisher_stats st2 = OTC_PUBLISHER_STATS_INIT;
    long long end = now_ms() + 10000;
    f.size = 1000;
    do {
      f.keyframe = 1;
      otc_publisher_send_frame(p.publisher, &f);
      sleep_ms(50);
      otc_publisher_get_stats(p.publisher, &st2);
    } while (st2.frames_sent == st.frames_sent && now_ms() < end);
    CHECK(st2.frames_sent > st.frames_sent, "no keyframe got through after the router read again");
    f.keyframe = 0;
    CHECK_STATUS(otc_publisher_send_frame(p.publisher, &f), OTC_SUCCESS);
    otc_publisher_get_stats(p.publisher, &st);
    CHECK(st.frames_sent == st2.frames_sent + 1, "delta frame after the keyframe not sent");
  }
  CHECK(locked_int(&a.errors) == 0, "session error %d: %s", a.last_error, a.last_error_text);
done:
  destroy_pub(&p);
  destroy_client(&a);
  if (relay_up) relay_stop(&r);
  free(big);
}

/* Signals reach the other participant with the sender's connection id. */
static void case_signal(void) {
  client a, b;
  char a_id[256];
  int ok;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  if (!connect_client(&a, "A", &g_plain, NULL, 0)) goto done;
  if (!connect_client(&b, "B", &g_plain, NULL, 0)) goto done;
  CHECK_STATUS(otc_session_get_connection_id(a.session, a_id, sizeof a_id), OTC_SUCCESS);
  CHECK_STATUS(otc_session_send_signal(a.session, "chat", "hello \xC3\xA9t\xC3\xA9"), OTC_SUCCESS);
  WAIT_UNTIL(ok, b.signals == 1, 3000);
  CHECK(ok, "B received no signal");
  CHECK(strcmp(b.signal_type, "chat") == 0 && strcmp(b.signal_data, "hello \xC3\xA9t\xC3\xA9") == 0,
        "signal %s/%s", b.signal_type, b.signal_data);
  CHECK(strcmp(b.signal_from, a_id) == 0, "from %s, expected %s", b.signal_from, a_id);
  sleep_ms(200);
  CHECK(locked_int(&a.signals) == 0, "the sender received its own signal");
  /* A saw B arrive; B saw A, who was already there. */
  CHECK(locked_int(&a.connections_created) == 1 && locked_int(&b.connections_created) == 1,
        "connection_created: A %d, B %d", a.connections_created, b.connections_created);
  destroy_client(&b);
  WAIT_UNTIL(ok, a.connections_dropped == 1, 3000);
  CHECK(ok, "A was not told that B left");
done:
  destroy_client(&b);
  destroy_client(&a);
}

/* Deleting in any order and from inside callbacks neither crashes nor hangs. */
static void case_delete_orders(void) {
  client a, b;
  pub_ctx p;
  sub_ctx s1, s2;
  int ok;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  memset(&p, 0, sizeof p);
  memset(&s1, 0, sizeof s1);
  memset(&s2, 0, sizeof s2);
  if (!connect_client(&a, "A", &g_e2ee, SECRET_1, 0)) goto done;
  if (!connect_client(&b, "B", &g_e2ee, SECRET_1, 0)) goto done;
  if (!publish_and_wait(&a, &p, "cam")) goto done;
  start_sender(&p);
  /* 1: a subscriber deletes itself inside on_frame. */
  if (!subscribe_and_wait(&b, &p, &s1)) goto done;
  pthread_mutex_lock(&g_mu);
  s1.delete_self_in_frame = 1;
  pthread_mutex_unlock(&g_mu);
  WAIT_UNTIL(ok, s1.subscriber == NULL, 3000);
  CHECK(ok, "subscriber not deleted in on_frame");
  /* 2: a subscriber's on_frame deletes its session; the subscriber is deleted afterwards. */
  if (!subscribe_and_wait(&b, &p, &s2)) goto done;
  pthread_mutex_lock(&g_mu);
  s2.session_to_delete = b.session;
  s2.delete_session_in_frame = 1;
  b.session = NULL;
  pthread_mutex_unlock(&g_mu);
  sleep_ms(500);
  CHECK(otc_subscriber_request_keyframe(s2.subscriber) == OTC_ERR_INVALID_STATE,
        "a subscriber of a deleted session still acts");
  destroy_sub(&s2);
  /* 3: the session goes before its live publisher; sending then fails cleanly. */
  stop_sender(&p);
  otc_session_delete(a.session);
  a.session = NULL;
  {
    uint8_t payload[16] = {0};
    otc_media_frame f;
    memset(&f, 0, sizeof f);
    f.media_type = OTC_MEDIA_TYPE_VIDEO;
    f.codec = OTC_CODEC_VP8;
    f.data = payload;
    f.size = sizeof payload;
    CHECK_STATUS(otc_publisher_send_frame(p.publisher, &f), OTC_ERR_INVALID_STATE);
  }
  destroy_pub(&p);
  /* 4: a session deletes itself inside on_stream_dropped. */
  memset(&p, 0, sizeof p);
  destroy_client(&a);
  destroy_client(&b);
  if (!connect_client(&a, "A2", &g_e2ee, SECRET_1, 0)) goto done;
  if (!connect_client(&b, "B2", &g_e2ee, SECRET_1, 0)) goto done;
  if (!publish_and_wait(&a, &p, "cam2")) goto done;
  WAIT_UNTIL(ok, b.streams_received >= 1, 3000);
  CHECK(ok, "B2 saw no stream");
  pthread_mutex_lock(&g_mu);
  b.delete_session_in_stream_dropped = 1;
  pthread_mutex_unlock(&g_mu);
  CHECK_STATUS(otc_session_unpublish(a.session, p.publisher), OTC_SUCCESS);
  WAIT_UNTIL(ok, b.session == NULL, 3000);
  CHECK(ok, "B2 not deleted in on_stream_dropped");
  WAIT_UNTIL(ok, p.stream_destroyed == 1, 3000);
  CHECK(ok, "publisher got no on_stream_destroyed after unpublish");
  /* 5: NULL handles are no-ops. */
  CHECK_STATUS(otc_session_delete(NULL), OTC_SUCCESS);
  CHECK_STATUS(otc_publisher_delete(NULL), OTC_SUCCESS);
  CHECK_STATUS(otc_subscriber_delete(NULL), OTC_SUCCESS);
  CHECK_STATUS(otc_session_connect(NULL, "x"), OTC_ERR_INVALID_PARAM);
done:
  stop_sender(&p);
  destroy_sub(&s1);
  destroy_sub(&s2);
  destroy_pub(&p);
  destroy_client(&b);
  destroy_client(&a);
}

/*
 * Orchestrated by the launcher, not part of the default run: connects, publishes and subscribes,
 * prints "READY router_shutdown", and expects the launcher to stop the router: every client then
 * gets on_error OTC_SESSION_ROUTER_SHUTDOWN once and on_disconnected, and its objects end.
 */
static void case_router_shutdown(void) {
  duo d;
  int ok;
  memset(&d, 0, sizeof d);
  if (!duo_start(&d, &g_e2ee, SECRET_1, SECRET_1, 0, "cam")) goto done;
  WAIT_UNTIL(ok, d.s.frames >= 5, 5000);
  CHECK(ok, "no frames before the shutdown");
  printf("READY router_shutdown\n");
  fflush(stdout);
  WAIT_UNTIL(ok, d.a.disconnected == 1 && d.b.disconnected == 1, 30000);
  CHECK(ok, "no on_disconnected after the router stopped (A %d, B %d)", d.a.disconnected, d.b.disconnected);
  CHECK(d.a.errors == 1 && d.a.last_error == OTC_SESSION_ROUTER_SHUTDOWN, "A: errors=%d last=%d (%s)", d.a.errors,
        d.a.last_error, d.a.last_error_text);
  CHECK(d.b.errors == 1 && d.b.last_error == OTC_SESSION_ROUTER_SHUTDOWN, "B: errors=%d last=%d (%s)", d.b.errors,
        d.b.last_error, d.b.last_error_text);
  WAIT_UNTIL(ok, d.p.stream_destroyed == 1 && d.s.disconnected == 1, 2000);
  CHECK(ok, "stream_destroyed=%d subscriber disconnected=%d", d.p.stream_destroyed, d.s.disconnected);
done:
  duo_destroy(&d);
}

/*
 * Orchestrated by the launcher (HostileNativeDowngradeTest): OTC_IT_MEDIA_URL points at a hostile
 * router that answers CONNECTED and STREAM_CREATED with e2ee=0 although the session is E2EE. A
 * client holding a secret reports OTC_SESSION_E2EE_DOWNGRADE as its first session error. The app
 * then publishes marked frames anyway (each call may be refused); the program prints
 * "READY e2ee_downgrade sent=<n>" and waits for a line on stdin (at most 30 s) before tearing
 * down, while the launcher checks that no plaintext left the client.
 */
static void case_e2ee_downgrade(void) {
  client a;
  pub_ctx p;
  int ok, i, sent = 0;
  char line[16];
  struct pollfd in;
  memset(&a, 0, sizeof a);
  memset(&p, 0, sizeof p);
  a.name = "A";
  a.session = new_session(&a, g_url, g_e2ee.id, 0);
  CHECK(a.session != NULL, "otc_session_new failed");
  CHECK_STATUS(otc_session_set_encryption_secret(a.session, SECRET_1), OTC_SUCCESS);
  CHECK_STATUS(otc_session_connect(a.session, next_token(&g_e2ee)), OTC_SUCCESS);
  WAIT_UNTIL(ok, a.errors > 0, 10000);
  CHECK(ok, "no session error from a downgraded session (connected=%d)", locked_int(&a.connected));
  CHECK(locked_int(&a.first_error) == OTC_SESSION_E2EE_DOWNGRADE, "first session error %d (%s), expected %d",
        locked_int(&a.first_error), a.last_error_text, OTC_SESSION_E2EE_DOWNGRADE);
  if (new_publisher(&p, "downgraded", OTC_CODEC_VP8) && otc_session_publish(a.session, p.publisher) == OTC_SUCCESS) {
    uint8_t payload[1300];
    WAIT_UNTIL(ok, p.stream_created == 1 || p.errors > 0 || a.disconnected > 0, 5000);
    for (i = 0; i < 30; ++i) {
      otc_media_frame f;
      memset(&f, 0, sizeof f);
      f.media_type = OTC_MEDIA_TYPE_VIDEO;
      f.codec = OTC_CODEC_VP8;
      f.keyframe = i == 0;
      f.timestamp_us = (uint64_t)i * 33333u;
      f.data = payload;
      f.size = make_payload(payload, sizeof payload, (uint32_t)i);
      if (otc_publisher_send_frame(p.publisher, &f) == OTC_SUCCESS) sent++;
    }
  }
  printf("READY e2ee_downgrade sent=%d\n", sent);
  fflush(stdout);
  in.fd = 0;
  in.events = POLLIN;
  if (poll(&in, 1, 30000) == 1 && fgets(line, sizeof line, stdin) == NULL) {
    /* EOF: the launcher is gone; tear down all the same */
  }
done:
  destroy_pub(&p);
  destroy_client(&a);
}

/*
 * Repeated connect/publish/subscribe/teardown, deleting in a different order each time: every
 * session's two threads end, and memory does not grow with the number of cycles. The process's
 * decryption workers (min(CPUs, 4), started by the first subscription and kept for the life of
 * the process, docs/ARCHITECTURE.md "Receive path") are the only threads allowed to remain.
 */
static void case_lifecycle_cycles(void) {
  enum { CYCLES = 24, WARMUP = 4 };
  long threads_before = proc_status("Threads:");
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  long pool_threads = cpus < 1 ? 1 : (cpus > 4 ? 4 : cpus);
  long rss_after_warmup = 0, rss_end, threads_after;
  int i, ok;
  for (i = 0; i < CYCLES; ++i) {
    client a, b;
    pub_ctx p;
    sub_ctx s;
    session_config* cfg = i % 2 ? &g_e2ee : &g_plain;
    const char* secret = i % 2 ? SECRET_1 : NULL;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&p, 0, sizeof p);
    memset(&s, 0, sizeof s);
    if (!connect_client(&a, "A", cfg, secret, 0) || !connect_client(&b, "B", cfg, secret, 0) ||
        !publish_and_wait(&a, &p, "cycle") || !subscribe_and_wait(&b, &p, &s)) {
      destroy_sub(&s);
      destroy_pub(&p);
      destroy_client(&b);
      destroy_client(&a);
      return;
    }
    start_sender(&p);
    WAIT_UNTIL(ok, s.frames >= 3, 5000);
    stop_sender(&p);
    if (!ok) fail("cycle %d: no frames", i);
    switch (i % 4) {
      case 0: /* children first */
        destroy_sub(&s);
        destroy_pub(&p);
        destroy_client(&b);
        destroy_client(&a);
        break;
      case 1: /* sessions first, while publishing and subscribed */
        destroy_client(&a);
        destroy_client(&b);
        destroy_pub(&p);
        destroy_sub(&s);
        break;
      case 2: /* disconnect, then delete */
        otc_session_disconnect(a.session);
        otc_session_disconnect(b.session);
        WAIT_UNTIL(ok, a.disconnected == 1 && b.disconnected == 1, 5000);
        if (!ok) fail("cycle %d: no on_disconnected", i);
        destroy_pub(&p);
        destroy_sub(&s);
        destroy_client(&a);
        destroy_client(&b);
        break;
      default: /* mixed */
        destroy_client(&b);
        destroy_sub(&s);
        destroy_client(&a);
        destroy_pub(&p);
        break;
    }
    if (g_case_failed) return;
    if (i == WARMUP - 1) rss_after_warmup = proc_status("VmRSS:");
  }
  WAIT_UNTIL(ok, proc_status("Threads:") <= threads_before + pool_threads, 3000);
  threads_after = proc_status("Threads:");
  CHECK(threads_after <= threads_before + pool_threads, "threads: %ld before, %ld after %d cycles (%ld decryption workers allowed)",
        threads_before, threads_after, CYCLES, pool_threads);
  rss_end = proc_status("VmRSS:");
  /* 20 cycles of ~4 sessions each; a leak of even one frame buffer per frame would exceed this. */
  CHECK(rss_end - rss_after_warmup < 8 * 1024, "resident memory grew by %ld kB over %d cycles",
        rss_end - rss_after_warmup, CYCLES - WARMUP);
  printf("INFO lifecycle_cycles threads_before=%ld threads_after=%ld rss_growth_kb=%ld\n", threads_before,
         threads_after, rss_end - rss_after_warmup);
done:
  return;
}

/*
 * The internal-error rows of the error table, driven by otc_testing_inject_fault: failed
 * decryptions drop their frames with one OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR per run, failed
 * encryptions give OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR per frame, and the stream goes on.
 */
static void case_internal_errors(void) {
  duo d;
  otc_subscriber_stats sst = OTC_SUBSCRIBER_STATS_INIT;
  otc_publisher_stats pst = OTC_PUBLISHER_STATS_INIT;
  int ok, frames_before, gaps_before, failures_before;
  memset(&d, 0, sizeof d);
  if (!duo_start(&d, &g_e2ee, SECRET_1, SECRET_1, 0, "cam")) goto done;
  WAIT_UNTIL(ok, d.s.frames >= 5, 5000);
  CHECK(ok, "no frames before the faults (frames=%d errors=%d)", d.s.frames, d.s.errors);

  /* Decryption: two consecutive frames fail in the engine. */
  frames_before = locked_int(&d.s.frames);
  gaps_before = locked_int(&d.s.gaps);
  CHECK_STATUS(otc_testing_inject_fault(OTC_TESTING_FAULT_DECRYPT, 2), OTC_SUCCESS);
  WAIT_UNTIL(ok, d.s.errors >= 1 && d.s.frames >= frames_before + 10, 5000);
  CHECK(ok, "no subscriber on_error or no frames after it (errors=%d frames=%d)", d.s.errors, d.s.frames);
  CHECK(locked_int(&d.s.last_error) == OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR, "subscriber error %d, expected %d",
        locked_int(&d.s.last_error), OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR);
  sleep_ms(300);
  CHECK(locked_int(&d.s.errors) == 1, "%d subscriber errors for one run of failures", locked_int(&d.s.errors));
  CHECK(locked_int(&d.s.gaps) == gaps_before + 2, "%d frames missing, expected the 2 that failed",
        locked_int(&d.s.gaps) - gaps_before);
  CHECK(locked_int(&d.s.garbage) == 0, "%d garbage frames delivered", locked_int(&d.s.garbage));
  CHECK_STATUS(otc_subscriber_get_stats(d.s.subscriber, &sst), OTC_SUCCESS);
  CHECK(sst.failed_internal == 2, "subscriber stats: failed_internal=%llu", (unsigned long long)sst.failed_internal);
  CHECK(sst.failed_authentication == 0 && sst.failed_replayed == 0 && sst.failed_malformed == 0,
        "unexpected failures: auth=%llu replay=%llu malformed=%llu", (unsigned long long)sst.failed_authentication,
        (unsigned long long)sst.failed_replayed, (unsigned long long)sst.failed_malformed);

  /* Encryption: three frames fail at the publisher, one on_error and one 6001 return each. */
  frames_before = locked_int(&d.s.frames);
  gaps_before = locked_int(&d.s.gaps);
  failures_before = locked_int(&d.p.send_failures);
  CHECK_STATUS(otc_testing_inject_fault(OTC_TESTING_FAULT_ENCRYPT, 3), OTC_SUCCESS);
  WAIT_UNTIL(ok, d.p.errors >= 3 && d.s.frames >= frames_before + 10, 5000);
  CHECK(ok, "publisher errors=%d, frames after=%d", d.p.errors, d.s.frames - frames_before);
  sleep_ms(300);
  CHECK(locked_int(&d.p.errors) == 3, "%d publisher errors, expected 3", locked_int(&d.p.errors));
  CHECK(locked_int(&d.p.last_error) == OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR, "publisher error %d, expected %d",
        locked_int(&d.p.last_error), OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR);
  CHECK(locked_int(&d.p.send_failures) == failures_before + 3, "%d send_frame failures, expected 3",
        locked_int(&d.p.send_failures) - failures_before);
  CHECK(locked_int(&d.p.last_send_status) == OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR, "send_frame returned %d",
        locked_int(&d.p.last_send_status));
  /* The publisher numbers the failed frames too, so the subscriber sees exactly those 3 missing. */
  CHECK(locked_int(&d.s.gaps) == gaps_before + 3, "%d frames missing at the subscriber, expected 3",
        locked_int(&d.s.gaps) - gaps_before);
  CHECK(locked_int(&d.s.errors) == 1, "the subscriber reported %d errors", locked_int(&d.s.errors));
  CHECK_STATUS(otc_publisher_get_stats(d.p.publisher, &pst), OTC_SUCCESS);
  CHECK(pst.encryption_failed == 3, "publisher stats: encryption_failed=%llu", (unsigned long long)pst.encryption_failed);
done:
  otc_testing_inject_fault(OTC_TESTING_FAULT_DECRYPT, 0);
  otc_testing_inject_fault(OTC_TESTING_FAULT_ENCRYPT, 0);
  duo_destroy(&d);
}

/* ---------------------------------------------------------------------------------------------- */
/* Raw media through the real router: a video capturer's I420 frames are encoded by the SDK (VP8,  */
/* VP9, H.264), encrypted, routed, decrypted, decoded and rendered with on_render_frame.           */

#define MEDIA_W 320
#define MEDIA_H 240
#define MEDIA_FRAMES 12
/* PSNR >= 30 dB over the luma plane  <=>  MSE <= 255^2 / 10^3 (no libm needed here). */
#define MEDIA_MAX_MSE 65.0

typedef struct media_ctx {
  const otc_video_capturer* capturer;
  int started, stopped, destroyed;
  otc_subscriber* subscriber;
  int sub_connected;
  int rendered;
  int bad_pictures; /* wrong size, or too far from the source frame of that position */
  double worst_mse;
} media_ctx;

static int tri(int v) { v &= 255; return v < 128 ? 2 * v : 2 * (255 - v); }

/* Smooth moving pattern, frame i: what the capturer provides and what a picture is checked against. */
static uint8_t pattern_y(int x, int y, int i) { return (uint8_t)((tri(x + 4 * i) + tri(2 * y + 2 * i)) / 2); }

static otc_bool media_cap_init(const otc_video_capturer* c, void* ud) {
  media_ctx* m = (media_ctx*)ud;
  m->capturer = c;
  return OTC_TRUE;
}
static otc_bool media_cap_settings(const otc_video_capturer* c, void* ud, struct otc_video_capturer_settings* s) {
  (void)c;
  (void)ud;
  s->format = OTC_VIDEO_FRAME_FORMAT_YUV420P;
  s->width = MEDIA_W;
  s->height = MEDIA_H;
  s->fps = 30;
  return OTC_TRUE;
}
static otc_bool media_cap_start(const otc_video_capturer* c, void* ud) {
  (void)c;
  pthread_mutex_lock(&g_mu);
  ((media_ctx*)ud)->started++;
  notify();
  pthread_mutex_unlock(&g_mu);
  return OTC_TRUE;
}
static otc_bool media_cap_stop(const otc_video_capturer* c, void* ud) {
  (void)c;
  pthread_mutex_lock(&g_mu);
  ((media_ctx*)ud)->stopped++;
  pthread_mutex_unlock(&g_mu);
  return OTC_TRUE;
}
static otc_bool media_cap_destroy(const otc_video_capturer* c, void* ud) {
  (void)c;
  pthread_mutex_lock(&g_mu);
  ((media_ctx*)ud)->destroyed++;
  pthread_mutex_unlock(&g_mu);
  return OTC_TRUE;
}

static void media_on_connected(otc_subscriber* s, void* ud, const otc_stream* stream) {
  (void)s;
  (void)stream;
  bump(&((media_ctx*)ud)->sub_connected);
}

static void media_on_render(otc_subscriber* s, void* ud, const otc_video_frame* f) {
  media_ctx* m = (media_ctx*)ud;
  const uint8_t* y = otc_video_frame_get_plane_binary_data(f, OTC_VIDEO_FRAME_PLANE_Y);
  int stride = otc_video_frame_get_plane_stride(f, OTC_VIDEO_FRAME_PLANE_Y);
  int index, r, c;
  double sum = 0, mse;
  (void)s;
  pthread_mutex_lock(&g_mu);
  index = m->rendered; /* frames are provided one at a time: the n-th picture is frame n */
  pthread_mutex_unlock(&g_mu);
  if (otc_video_frame_get_width(f) != MEDIA_W || otc_video_frame_get_height(f) != MEDIA_H || !y) {
    mse = 1e9;
  } else {
    for (r = 0; r < MEDIA_H; ++r) {
      for (c = 0; c < MEDIA_W; ++c) {
        double d = (double)y[r * stride + c] - (double)pattern_y(c, r, index);
        sum += d * d;
      }
    }
    mse = sum / (MEDIA_W * MEDIA_H);
  }
  pthread_mutex_lock(&g_mu);
  if (mse > MEDIA_MAX_MSE) m->bad_pictures++;
  if (mse > m->worst_mse) m->worst_mse = mse;
  m->rendered++;
  notify();
  pthread_mutex_unlock(&g_mu);
}

static int media_provide(media_ctx* m, int index) {
  static uint8_t yp[MEDIA_W * MEDIA_H], up[(MEDIA_W / 2) * (MEDIA_H / 2)], vp[(MEDIA_W / 2) * (MEDIA_H / 2)];
  int r, c, st;
  otc_video_frame* f;
  for (r = 0; r < MEDIA_H; ++r)
    for (c = 0; c < MEDIA_W; ++c) yp[r * MEDIA_W + c] = pattern_y(c, r, index);
  memset(up, 112, sizeof up);
  memset(vp, 144, sizeof vp);
  f = otc_video_frame_new_I420(MEDIA_W, MEDIA_H, yp, MEDIA_W, up, MEDIA_W / 2, vp, MEDIA_W / 2);
  st = otc_video_capturer_provide_frame(m->capturer, 0, f);
  otc_video_frame_delete(f);
  return st;
}

static void media_one_codec(int codec) {
  client a, b;
  pub_ctx p;
  media_ctx m;
  struct otc_publisher_callbacks pcb;
  struct otc_video_capturer_callbacks ccb;
  struct otc_subscriber_callbacks scb;
  otc_publisher_settings* st = NULL;
  otc_stream* stream = NULL;
  int ok, i;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  memset(&p, 0, sizeof p);
  memset(&m, 0, sizeof m);
  if (!connect_client(&a, "A", &g_e2ee, SECRET_1, 0)) goto done;
  if (!connect_client(&b, "B", &g_e2ee, SECRET_1, 0)) goto done;

  memset(&ccb, 0, sizeof ccb);
  ccb.init = media_cap_init;
  ccb.get_capture_settings = media_cap_settings;
  ccb.start = media_cap_start;
  ccb.stop = media_cap_stop;
  ccb.destroy = media_cap_destroy;
  ccb.user_data = &m;
  memset(&pcb, 0, sizeof pcb);
  pcb.on_stream_created = on_pub_stream_created;
  pcb.on_stream_destroyed = on_pub_stream_destroyed;
  pcb.on_error = on_pub_error;
  pcb.user_data = &p;
  st = otc_publisher_settings_new();
  CHECK_STATUS(otc_publisher_settings_set_audio_track(st, OTC_FALSE), OTC_SUCCESS);
  CHECK_STATUS(otc_publisher_settings_set_video_codec(st, codec), OTC_SUCCESS);
  p.publisher = otc_publisher_new_with_settings("media-cam", &ccb, &pcb, st);
  CHECK(p.publisher != NULL, "%s: otc_publisher_new_with_settings with a capturer failed", otc_codec_name(codec));
  CHECK(m.capturer != NULL, "init did not run inside otc_publisher_new");
  CHECK_STATUS(otc_session_publish(a.session, p.publisher), OTC_SUCCESS);
  WAIT_UNTIL(ok, (p.stream_created == 1 && m.started == 1) || p.errors > 0, 5000);
  CHECK(ok && p.stream_created == 1 && m.started == 1, "%s: stream %d, capturer started %d, errors %d (%s)",
        otc_codec_name(codec), p.stream_created, m.started, p.errors, p.last_error_text);

  WAIT_UNTIL(ok, b.last_stream && strcmp(otc_stream_get_id(b.last_stream), p.stream_id) == 0, 5000);
  CHECK(ok, "B never received stream %s", p.stream_id);
  pthread_mutex_lock(&g_mu);
  stream = otc_stream_copy(b.last_stream);
  pthread_mutex_unlock(&g_mu);
  memset(&scb, 0, sizeof scb);
  scb.on_connected = media_on_connected;
  scb.on_render_frame = media_on_render;
  scb.user_data = &m;
  m.subscriber = otc_subscriber_new(stream, &scb);
  CHECK(m.subscriber != NULL, "otc_subscriber_new failed");
  CHECK_STATUS(otc_session_subscribe(b.session, m.subscriber), OTC_SUCCESS);
  WAIT_UNTIL(ok, m.sub_connected == 1, 5000);
  CHECK(ok, "%s: subscriber not connected", otc_codec_name(codec));

  /* One frame at a time from this (the application's) thread; each must come out rendered. */
  for (i = 0; i < MEDIA_FRAMES; ++i) {
    CHECK_STATUS(media_provide(&m, i), OTC_SUCCESS);
    WAIT_UNTIL(ok, m.rendered == i + 1, 10000);
    CHECK(ok, "%s: frame %d not rendered (%d rendered)", otc_codec_name(codec), i, m.rendered);
  }
  CHECK(locked_int(&m.bad_pictures) == 0, "%s: %d pictures below 30 dB PSNR (worst MSE %.1f)", otc_codec_name(codec),
        m.bad_pictures, m.worst_mse);
  printf("MEDIA %s %dx%d via the router: %d frames rendered, worst luma MSE %.2f (PSNR >= 30 dB)\n",
         otc_codec_name(codec), MEDIA_W, MEDIA_H, m.rendered, m.worst_mse);
done:
  otc_publisher_settings_delete(st);
  otc_stream_delete(stream);
  if (m.subscriber) otc_subscriber_delete(m.subscriber);
  if (p.publisher) otc_publisher_delete(p.publisher);
  if (!g_case_failed && (m.stopped != 1 || m.destroyed != 1)) {
    fail("%s: capturer stopped %d times, destroyed %d times", otc_codec_name(codec), m.stopped, m.destroyed);
  }
  destroy_client(&b);
  destroy_client(&a);
}

static void case_raw_media_codecs(void) {
  media_one_codec(OTC_CODEC_VP8);
  if (!g_case_failed) media_one_codec(OTC_CODEC_VP9);
  if (!g_case_failed) media_one_codec(OTC_CODEC_H264);
}

/* ---------------------------------------------------------------------------------------------- */

typedef struct test_case {
  const char* name;
  void (*run)(void);
  int orchestrated; /* needs the launcher's cooperation: runs only when named */
} test_case;

static const test_case CASES[] = {
    {"invalid_secret", case_invalid_secret, 0},
    {"publish_secret_missing", case_publish_secret_missing, 0},
    {"subscribe_secret_missing", case_subscribe_secret_missing, 0},
    {"mismatch_match", case_mismatch_match, 0},
    {"rotation_zero_loss", case_rotation_zero_loss, 0},
    {"non_e2ee", case_non_e2ee, 0},
    {"bad_token", case_bad_token, 0},
    {"router_unreachable", case_router_unreachable, 0},
    {"handshake_errors", case_handshake_errors, 0},
    {"connection_dropped", case_connection_dropped, 0},
    {"congestion", case_congestion, 0},
    {"signal", case_signal, 0},
    {"delete_orders", case_delete_orders, 0},
    {"lifecycle_cycles", case_lifecycle_cycles, 0},
    {"internal_errors", case_internal_errors, 0},
    {"raw_media_codecs", case_raw_media_codecs, 0},
    {"router_shutdown", case_router_shutdown, 1},
    {"e2ee_downgrade", case_e2ee_downgrade, 1},
};

static const char* require_env(const char* name) {
  const char* v = getenv(name);
  if (!v || !*v) {
    fprintf(stderr, "missing environment variable %s\n", name);
    exit(2);
  }
  return v;
}

int main(int argc, char** argv) {
  size_t i;
  int passed = 0, failed = 0;
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc == 2 && strcmp(argv[1], "--list") == 0) {
    for (i = 0; i < sizeof CASES / sizeof CASES[0]; ++i) {
      if (!CASES[i].orchestrated) printf("%s\n", CASES[i].name);
    }
    return 0;
  }
  g_url = require_env("OTC_IT_MEDIA_URL");
  g_e2ee.id = require_env("OTC_IT_E2EE_SESSION");
  parse_tokens(&g_e2ee, require_env("OTC_IT_E2EE_TOKENS"));
  g_plain.id = require_env("OTC_IT_PLAIN_SESSION");
  parse_tokens(&g_plain, require_env("OTC_IT_PLAIN_TOKENS"));
  g_ca_file = getenv("OTC_IT_TLS_CA_FILE");
  if (!otc_e2ee_is_supported()) {
    printf("CASE e2ee_supported FAIL otc_e2ee_is_supported() is false\n");
    return 1;
  }
  for (i = 0; i < sizeof CASES / sizeof CASES[0]; ++i) {
    int wanted = argc <= 1 && !CASES[i].orchestrated, k;
    long long start;
    for (k = 1; k < argc; ++k) wanted |= strcmp(argv[k], CASES[i].name) == 0;
    if (!wanted) continue;
    g_case_failed = 0;
    g_fail_reason[0] = 0;
    start = now_ms();
    CASES[i].run();
    if (g_case_failed) {
      printf("CASE %s FAIL %s\n", CASES[i].name, g_fail_reason);
      failed++;
    } else {
      printf("CASE %s PASS (%lld ms)\n", CASES[i].name, now_ms() - start);
      passed++;
    }
  }
  printf("SUMMARY passed=%d failed=%d\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}
