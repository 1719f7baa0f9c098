/*
 * An application written the way the OpenTok Linux SDK's Signaling sample is written (plain C,
 * <opentok.h> only, router URL from OTC_ROUTER_URL), run against the real router by
 * java-api's OpenTokCompatIT:
 *
 *   signaling_compat API_KEY SESSION_ID TOKEN_A TOKEN_B [SECRET]
 *
 * Two clients connect (each with the 3-argument otc_session_new), see each other through
 * on_connection_created with the right otc_connection, signal to everyone and to one connection,
 * then B leaves and A gets on_connection_dropped with B's connection. Also checked: a bad token
 * arrives as on_error OTC_SESSION_AUTHORIZATION_FAILURE (an enum otc_session_error_code), a missing
 * OTC_ROUTER_URL makes otc_session_new return NULL with an error logged through the application's
 * logger, and no log line carries the token or the secret. Prints "PASS" and exits 0, or
 * "FAIL: why" and exits 1.
 */
/* POSIX (strdup, setenv, nanosleep) whatever -std the build picks. */
#define _POSIX_C_SOURCE 200809L

#include <opentok.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAIT_MS 60000

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

struct client {
  const char* name;
  otc_session* session;
  char own_id[256];
  int connected;
  int disconnected;
  otc_connection* peer; /* copy kept from on_connection_created */
  char dropped_id[256];
  int dropped_reason;
  int signals;
  char signal_type[64];
  char signal_data[256];
  char signal_from[256];
  int errors;
  enum otc_session_error_code last_error;
};

static char g_log[16384];
static const char* g_token_a;
static const char* g_secret;

static void fail(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("FAIL: ");
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  fflush(stdout);
  exit(1);
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* Polls `cond` under the lock every 10 ms until it holds or WAIT_MS pass. */
static int wait_for(int (*cond)(const struct client*), const struct client* c) {
  int waited;
  for (waited = 0; waited < WAIT_MS; waited += 10) {
    int ok;
    pthread_mutex_lock(&g_mu);
    ok = cond(c);
    pthread_mutex_unlock(&g_mu);
    if (ok) return 1;
    sleep_ms(10);
  }
  return 0;
}

static int is_connected(const struct client* c) { return c->connected; }
static int is_disconnected(const struct client* c) { return c->disconnected; }
static int has_peer(const struct client* c) { return c->peer != NULL; }
static int has_signal(const struct client* c) { return c->signals > 0; }
static int has_dropped(const struct client* c) { return c->dropped_id[0] != 0; }
static int has_error(const struct client* c) { return c->errors > 0; }

static void on_otc_log_message(const char* message) {
  pthread_mutex_lock(&g_mu);
  if (strlen(g_log) + strlen(message) + 2 < sizeof g_log) {
    strcat(g_log, message);
    strcat(g_log, "\n");
  }
  pthread_mutex_unlock(&g_mu);
}

static void on_session_connected(otc_session* session, void* user_data) {
  struct client* c = (struct client*)user_data;
  pthread_mutex_lock(&g_mu);
  if (otc_session_get_connection_id(session, c->own_id, sizeof c->own_id) == OTC_SUCCESS) c->connected = 1;
  pthread_mutex_unlock(&g_mu);
}

static void on_session_disconnected(otc_session* session, void* user_data) {
  struct client* c = (struct client*)user_data;
  (void)session;
  pthread_mutex_lock(&g_mu);
  c->disconnected = 1;
  pthread_mutex_unlock(&g_mu);
}

static void on_session_connection_created(otc_session* session, void* user_data, const otc_connection* connection) {
  struct client* c = (struct client*)user_data;
  (void)session;
  pthread_mutex_lock(&g_mu);
  if (c->peer == NULL) c->peer = otc_connection_copy(connection);
  pthread_mutex_unlock(&g_mu);
}

static void on_session_connection_dropped(otc_session* session, void* user_data, const otc_connection* connection) {
  struct client* c = (struct client*)user_data;
  (void)session;
  pthread_mutex_lock(&g_mu);
  snprintf(c->dropped_id, sizeof c->dropped_id, "%s", otc_connection_get_id(connection));
  c->dropped_reason = otc_connection_get_drop_reason(connection);
  pthread_mutex_unlock(&g_mu);
}

static void on_session_signal_received(otc_session* session, void* user_data, const char* type, const char* signal,
                                       const otc_connection* connection) {
  struct client* c = (struct client*)user_data;
  (void)session;
  pthread_mutex_lock(&g_mu);
  c->signals++;
  snprintf(c->signal_type, sizeof c->signal_type, "%s", type);
  snprintf(c->signal_data, sizeof c->signal_data, "%s", signal);
  snprintf(c->signal_from, sizeof c->signal_from, "%s", otc_connection_get_id(connection));
  pthread_mutex_unlock(&g_mu);
}

static void on_session_error(otc_session* session, void* user_data, const char* error_string,
                             enum otc_session_error_code error) {
  struct client* c = (struct client*)user_data;
  (void)session;
  (void)error_string;
  pthread_mutex_lock(&g_mu);
  c->errors++;
  c->last_error = error;
  pthread_mutex_unlock(&g_mu);
}

static otc_session* new_session(struct client* c, const char* api_key, const char* session_id) {
  struct otc_session_callbacks session_callbacks = {0};
  session_callbacks.on_connected = on_session_connected;
  session_callbacks.on_disconnected = on_session_disconnected;
  session_callbacks.on_connection_created = on_session_connection_created;
  session_callbacks.on_connection_dropped = on_session_connection_dropped;
  session_callbacks.on_signal_received = on_session_signal_received;
  session_callbacks.on_error = on_session_error;
  session_callbacks.user_data = c;
  return otc_session_new(api_key, session_id, &session_callbacks);
}

static void connect_client(struct client* c, const char* api_key, const char* session_id, const char* token) {
  c->session = new_session(c, api_key, session_id);
  if (c->session == NULL) fail("%s: otc_session_new returned NULL", c->name);
  if (g_secret != NULL && otc_session_set_encryption_secret(c->session, g_secret) != OTC_SUCCESS) {
    fail("%s: otc_session_set_encryption_secret failed", c->name);
  }
  if (otc_session_connect(c->session, token) != OTC_SUCCESS) fail("%s: otc_session_connect failed", c->name);
  if (!wait_for(is_connected, c)) fail("%s: never connected (errors=%d last=%d)", c->name, c->errors, (int)c->last_error);
}

int main(int argc, char** argv) {
  struct client a, b, intruder, nowhere;
  const char* router_url;
  char* saved_url;
  if (argc < 5) {
    fprintf(stderr, "usage: %s API_KEY SESSION_ID TOKEN_A TOKEN_B [SECRET]\n", argv[0]);
    return 2;
  }
  g_token_a = argv[3];
  g_secret = argc > 5 ? argv[5] : NULL;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  memset(&intruder, 0, sizeof intruder);
  memset(&nowhere, 0, sizeof nowhere);
  a.name = "A";
  b.name = "B";
  intruder.name = "intruder";
  nowhere.name = "nowhere";

  if (otc_init(NULL) != OTC_SUCCESS) fail("otc_init failed");
  otc_log_set_logger_callback(on_otc_log_message);
  otc_log_enable(OTC_LOG_LEVEL_ALL);
  if (otc_get_log_level() != OTC_LOG_LEVEL_ALL) fail("otc_get_log_level");

  /* No Vonage cloud: without OTC_ROUTER_URL there is no router to go to. */
  router_url = getenv(OTC_ROUTER_URL_ENV);
  if (router_url == NULL) fail("OTC_ROUTER_URL is not set for this test");
  saved_url = strdup(router_url);
  unsetenv(OTC_ROUTER_URL_ENV);
  if (new_session(&nowhere, argv[1], argv[2]) != NULL) fail("otc_session_new without OTC_ROUTER_URL succeeded");
  pthread_mutex_lock(&g_mu);
  if (strstr(g_log, "OTC_ROUTER_URL") == NULL) fail("no log line names OTC_ROUTER_URL:\n%s", g_log);
  pthread_mutex_unlock(&g_mu);
  setenv(OTC_ROUTER_URL_ENV, saved_url, 1);
  free(saved_url);

  connect_client(&a, argv[1], argv[2], argv[3]);
  connect_client(&b, argv[1], argv[2], argv[4]);

  /* Each sees the other's connection, with its id. */
  if (!wait_for(has_peer, &a) || !wait_for(has_peer, &b)) fail("on_connection_created missing");
  pthread_mutex_lock(&g_mu);
  if (strcmp(otc_connection_get_id(a.peer), b.own_id) != 0) fail("A saw %s, B is %s", otc_connection_get_id(a.peer), b.own_id);
  if (strcmp(otc_connection_get_id(b.peer), a.own_id) != 0) fail("B saw %s, A is %s", otc_connection_get_id(b.peer), a.own_id);
  if (otc_connection_get_data(a.peer) == NULL || otc_connection_get_creation_time(a.peer) <= 0) fail("connection data/time");
  if (strcmp(otc_connection_get_session_id(a.peer), argv[2]) != 0) fail("connection session id");
  pthread_mutex_unlock(&g_mu);

  /* A signals everyone: B receives it from A's connection. */
  if (otc_session_send_signal(a.session, "chat", "hello from A") != OTC_SUCCESS) fail("otc_session_send_signal");
  if (!wait_for(has_signal, &b)) fail("B got no signal");
  pthread_mutex_lock(&g_mu);
  if (strcmp(b.signal_type, "chat") != 0 || strcmp(b.signal_data, "hello from A") != 0 ||
      strcmp(b.signal_from, a.own_id) != 0) {
    fail("B got %s/%s from %s", b.signal_type, b.signal_data, b.signal_from);
  }
  pthread_mutex_unlock(&g_mu);

  /* B answers A alone, through the otc_connection it kept. */
  if (otc_session_send_signal_to_connection(b.session, "direct", "hi A", b.peer) != OTC_SUCCESS) {
    fail("otc_session_send_signal_to_connection");
  }
  if (otc_session_send_signal_to_connection(b.session, "direct", "x", NULL) == OTC_SUCCESS) fail("NULL connection accepted");
  if (!wait_for(has_signal, &a)) fail("A got no signal");
  pthread_mutex_lock(&g_mu);
  if (strcmp(a.signal_type, "direct") != 0 || strcmp(a.signal_data, "hi A") != 0 || strcmp(a.signal_from, b.own_id) != 0) {
    fail("A got %s/%s from %s", a.signal_type, a.signal_data, a.signal_from);
  }
  if (a.signals != 1) fail("A got its own broadcast back (%d signals)", a.signals);
  pthread_mutex_unlock(&g_mu);

  /* A bad token: on_error with the session error enum. */
  intruder.session = new_session(&intruder, argv[1], argv[2]);
  if (intruder.session == NULL) fail("intruder: otc_session_new");
  if (otc_session_connect(intruder.session, "not-a-token") != OTC_SUCCESS) fail("intruder: connect");
  if (!wait_for(has_error, &intruder)) fail("intruder: no on_error");
  if (intruder.last_error != OTC_SESSION_AUTHORIZATION_FAILURE) fail("intruder: error %d", (int)intruder.last_error);
  otc_session_delete(intruder.session);

  /* B leaves: A gets on_connection_dropped with B's connection and the reason. */
  if (otc_session_disconnect(b.session) != OTC_SUCCESS) fail("B disconnect");
  if (!wait_for(is_disconnected, &b)) fail("B: no on_disconnected");
  if (!wait_for(has_dropped, &a)) fail("A: no on_connection_dropped");
  pthread_mutex_lock(&g_mu);
  if (strcmp(a.dropped_id, b.own_id) != 0 || a.dropped_reason != OTC_CONNECTION_DROP_CLIENT_DISCONNECTED) {
    fail("A: dropped %s reason %d", a.dropped_id, a.dropped_reason);
  }
  pthread_mutex_unlock(&g_mu);

  otc_session_disconnect(a.session);
  if (!wait_for(is_disconnected, &a)) fail("A: no on_disconnected");
  otc_connection_delete(a.peer);
  otc_connection_delete(b.peer);
  otc_session_delete(a.session);
  otc_session_delete(b.session);

  /* Secrets and tokens never reach the log. */
  pthread_mutex_lock(&g_mu);
  if (strstr(g_log, g_token_a) != NULL) fail("the token was logged");
  if (g_secret != NULL && strstr(g_log, g_secret) != NULL) fail("the secret was logged");
  pthread_mutex_unlock(&g_mu);
  otc_log_set_logger_callback(NULL);
  otc_log_enable(OTC_LOG_LEVEL_DISABLED);
  if (otc_destroy() != OTC_SUCCESS) fail("otc_destroy");
  printf("PASS\n");
  return 0;
}
