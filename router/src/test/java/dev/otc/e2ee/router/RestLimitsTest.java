package dev.otc.e2ee.router;

import static dev.otc.e2ee.router.RestApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;

/** REST-side limits: which tokens the REST API takes, session quota and expiry, request deadline, /metrics access. */
class RestLimitsTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> post(MediaRouter r, String path, String token, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(r.restUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> listStreams(MediaRouter r, String sid) throws Exception {
        return get(r.restUrl() + "/v2/project/" + r.applicationId() + "/session/" + sid + "/stream", r.generateRestToken());
    }

    static String restToken(MediaRouter r, JWTClaimsSet.Builder claims) {
        return ForgedTokens.sign(claims.claim("application_id", r.applicationId()).build(), r.applicationPrivateKey());
    }

    @Test
    void clientTokensOfEveryRoleAreRefusedOnRest() throws Exception {
        try (MediaRouter router = MediaRouter.builder().start()) {
            String sid = router.createSession(false);
            for (Role role : Role.values()) {
                String token = router.generateClientToken(sid, role, Duration.ofMinutes(5), "data");
                assertError(post(router, "/session/create", token, "p2p.preference=disabled"), 401,
                        "a client token (it has a 'scope' claim) cannot call the REST API");
                assertError(get(router.restUrl() + "/v2/project/" + router.applicationId() + "/session/" + sid
                        + "/stream", token), 401, "cannot call the REST API");
            }
            // Any one of the client claims marks a client token, even without the others.
            for (String claim : new String[] {"scope", "session_id", "role"}) {
                long now = System.currentTimeMillis();
                String t = restToken(router, new JWTClaimsSet.Builder().issueTime(new Date(now))
                        .expirationTime(new Date(now + 60_000)).jwtID(UUID.randomUUID().toString()).claim(claim, "x"));
                assertError(post(router, "/session/create", t, ""), 401, "it has a '" + claim + "' claim");
            }
            assertThat(router.stats().sessions()).isEqualTo(1);
        }
    }

    @Test
    void restTokenTimesAreBounded() throws Exception {
        try (MediaRouter router = MediaRouter.builder().start()) {
            long now = System.currentTimeMillis();
            // No exp: iat must be fresh (5 minutes by default).
            String stale = restToken(router, new JWTClaimsSet.Builder().issueTime(new Date(now - 6 * 60_000))
                    .jwtID(UUID.randomUUID().toString()));
            assertError(post(router, "/session/create", stale, ""), 401, "its iat is more than 300 s in the past");
            String noTimes = restToken(router, new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()));
            assertError(post(router, "/session/create", noTimes, ""), 401, "without exp must carry iat");
            String fresh = restToken(router, new JWTClaimsSet.Builder().issueTime(new Date(now - 60_000))
                    .jwtID(UUID.randomUUID().toString()));
            assertThat(post(router, "/session/create", fresh, "").statusCode()).isEqualTo(200);
            // Lifetimes over one hour are refused, ten years included, with or without iat.
            for (long lifetime : new long[] {2 * 3_600_000L, 10L * 365 * 24 * 3_600_000L}) {
                String longLived = restToken(router, new JWTClaimsSet.Builder().issueTime(new Date(now))
                        .expirationTime(new Date(now + lifetime)).jwtID(UUID.randomUUID().toString()));
                assertError(post(router, "/session/create", longLived, ""), 401, "exceeds the router's limit of 3600 s");
            }
            String noIat = restToken(router, new JWTClaimsSet.Builder().expirationTime(new Date(now + 2 * 3_600_000L))
                    .jwtID(UUID.randomUUID().toString()));
            assertError(post(router, "/session/create", noIat, ""), 401, "lifetime");
            String hour = restToken(router, new JWTClaimsSet.Builder().issueTime(new Date(now))
                    .expirationTime(new Date(now + 3_500_000L)).jwtID(UUID.randomUUID().toString()));
            assertThat(post(router, "/session/create", hour, "").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void restTokensNeedAJtiAndCannotBeReplayed() throws Exception {
        try (MediaRouter router = MediaRouter.builder().start()) {
            long now = System.currentTimeMillis();
            String noJti = restToken(router, new JWTClaimsSet.Builder().issueTime(new Date(now))
                    .expirationTime(new Date(now + 60_000)));
            assertError(post(router, "/session/create", noJti, ""), 401, "must carry a jti");
            String once = router.generateRestToken();
            assertThat(post(router, "/session/create", once, "").statusCode()).isEqualTo(200);
            assertError(post(router, "/session/create", once, ""), 401, "already used");
            assertThat(router.stats().sessions()).isEqualTo(1);
        }
        // The id cache is bounded: past its size the oldest id is forgotten (counted), new tokens still work.
        RouterLimits small = RouterLimits.builder().restJtiCacheSize(2).build();
        try (MediaRouter router = MediaRouter.builder().limits(small).start()) {
            String first = router.generateRestToken();
            assertThat(post(router, "/session/create", first, "").statusCode()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                assertThat(post(router, "/session/create", router.generateRestToken(), "").statusCode()).isEqualTo(200);
            }
            assertThat(router.stats().jtisForgotten()).isEqualTo(1);
        }
    }

    @Test
    void aClientTokensLifetimeIsCappedAtConnect() throws Exception {
        try (MediaRouter router = MediaRouter.builder().start()) {
            String sid = router.createSession(false);
            long now = System.currentTimeMillis();
            String tenYears = ForgedTokens.sign(ForgedTokens.valid(router.applicationId(), sid)
                    .expirationTime(new Date(now + 10L * 365 * 86_400_000L)).build(), router.applicationPrivateKey());
            try (TestClient c = TestClient.open(router.mediaUrl())) {
                c.sendHello(1, 1);
                c.next();
                c.send(Wire.CONNECT, b -> TestClient.str(b, tenYears));
                TestClient.Error e = TestClient.error(c.next());
                assertThat(e.code()).isEqualTo(1004);
                assertThat(e.message()).contains("exceeds the router's limit of 2592000 s");
            }
            String almostThirtyDays = ForgedTokens.sign(ForgedTokens.valid(router.applicationId(), sid)
                    .expirationTime(new Date(now + 29L * 86_400_000L)).build(), router.applicationPrivateKey());
            try (TestClient c = TestClient.connect(router, almostThirtyDays)) {
                assertThat(c).isNotNull();
            }
        }
    }

    @Test
    void sessionsAreCappedAndEmptySessionsExpire() throws Exception {
        RouterLimits limits = RouterLimits.builder().maxSessions(2).sessionEmptyTimeout(Duration.ofSeconds(3)).build();
        try (MediaRouter router = MediaRouter.builder().limits(limits).start()) {
            String busy = router.createSession(false);
            TestClient member = TestClient.connect(router,
                    router.generateClientToken(busy, Role.PUBLISHER, Duration.ofMinutes(5), null));
            String idle = router.createSession(false);
            HttpResponse<String> third = post(router, "/session/create", router.generateRestToken(), "");
            assertError(third, 429, "maximum of 2 live sessions");
            assertThat(router.stats().refusals(LimitRefusal.SESSIONS)).isEqualTo(1);

            // The empty one goes; the one with a member stays as long as it has one.
            Poll.until("idle session expired", () -> router.stats().sessionsExpired() == 1);
            assertError(listStreams(router, idle), 404, "no session " + idle);
            assertThat(listStreams(router, busy).statusCode()).isEqualTo(200);
            assertThat(router.stats().sessions()).isEqualTo(1);
            // Its place is free again.
            assertThat(post(router, "/session/create", router.generateRestToken(), "").statusCode()).isEqualTo(200);

            member.close();
            Poll.until("busy session expired after its last member left", () -> router.stats().sessionsExpired() == 3);
            assertError(listStreams(router, busy), 404, "no session " + busy);
            try (TestClient late = TestClient.open(router.mediaUrl())) {
                late.sendHello(1, 1);
                late.next();
                late.send(Wire.CONNECT, b -> TestClient.str(b,
                        router.generateClientToken(busy, Role.PUBLISHER, Duration.ofMinutes(5), null)));
                assertThat(TestClient.error(late.next()).code()).isEqualTo(1005);
            }
        }
    }

    /** Slowloris on main: one byte every 5 s kept a connection past 76 s. */
    @Test
    void aRequestDrippedByteByByteIsClosedAtTheDeadline() throws Exception {
        assertThat(RouterLimits.defaults().restRequestTimeout()).isEqualTo(Duration.ofSeconds(10));
        RouterLimits limits = RouterLimits.builder().restRequestTimeout(Duration.ofMillis(1500)).build();
        try (MediaRouter router = MediaRouter.builder().limits(limits).start();
             Socket s = new Socket()) {
            URI u = URI.create(router.restUrl());
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] request = "POST /session/create HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            boolean closed = false;
            int i = 0;
            while (!closed && System.nanoTime() - t0 < 15_000_000_000L) {
                try {
                    out.write(i < request.length ? request[i] : 'x');
                    out.flush();
                    i++;
                    if (in.read() == -1) {
                        closed = true;
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // no answer yet: keep dripping (one byte per 200 ms read timeout)
                } catch (IOException reset) {
                    closed = true;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(closed).as("closed by the router").isTrue();
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1500)).isLessThan(Duration.ofSeconds(8));
            assertThat(router.stats().refusals(LimitRefusal.REST_REQUEST_TIMEOUT)).isEqualTo(1);
            // Whole requests on a kept-alive connection are unaffected.
            for (int k = 0; k < 3; k++) {
                assertThat(post(router, "/session/create", router.generateRestToken(), "").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void metricsCanRequireATokenAndHaveAPortOfTheirOwn() throws Exception {
        String secret = "metrics-" + UUID.randomUUID();
        try (MediaRouter router = MediaRouter.builder().metricsToken(secret).start()) {
            assertThat(router.metricsUrl()).isEqualTo(router.restUrl() + "/metrics");
            assertError(get(router.metricsUrl(), null), 401, "requires 'Authorization: Bearer <metrics token>'");
            assertError(get(router.metricsUrl(), secret + "x"), 401, "metrics token");
            assertError(get(router.metricsUrl(), router.generateRestToken()), 401, "metrics token");
            HttpResponse<String> ok = get(router.metricsUrl(), secret);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("otc_router_limit_refusals_total{reason=\"sessions\"} 0");
        }
        try (MediaRouter router = MediaRouter.builder().metricsPort(0).metricsToken(secret).start()) {
            assertThat(router.metricsUrl()).doesNotStartWith(router.restUrl());
            assertThat(get(router.metricsUrl(), secret).statusCode()).isEqualTo(200);
            assertError(get(router.metricsUrl(), null), 401, "metrics token");
            // The REST port no longer serves it, and the metrics port serves nothing else.
            assertError(get(router.restUrl() + "/metrics", secret), 404, "no such endpoint");
            String metricsBase = router.metricsUrl().substring(0, router.metricsUrl().length() - "/metrics".length());
            assertError(get(metricsBase + "/session/create", router.generateRestToken()), 404, "serves GET /metrics only");
        }
        assertThatThrownBy(() -> MediaRouter.builder().metricsToken("short")).hasMessageContaining("16 characters");
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> RouterLimits.builder().preAuthMaxMessageBytes(10).build())
                .hasMessageContaining("preAuthMaxMessageBytes");
        assertThatThrownBy(() -> RouterLimits.builder().maxSessions(0).build()).hasMessageContaining("maxSessions");
        assertThatThrownBy(() -> RouterLimits.builder().restRequestTimeout(Duration.ZERO).build())
                .hasMessageContaining("restRequestTimeout");
        RouterLimits d = RouterLimits.defaults();
        assertThat(d.toBuilder().build()).isEqualTo(d);
        assertThat(d.clientTokenMaxLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(d.sessionEmptyTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.maxPreAuthConnectionsPerAddress()).isEqualTo(128);
        assertThat(d.maxPreAuthConnections()).isEqualTo(1024);
    }
}
