package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The REST API at the HTTP level: exact status codes, content types and JSON shapes. */
class RestApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static MediaRouter router;

    @BeforeAll
    static void start() {
        router = MediaRouter.builder().start();
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    static HttpResponse<String> call(String method, String path, String contentType, String body, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(router.restUrl() + path)).timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> create(String form) throws Exception {
        return call("POST", "/session/create", "application/x-www-form-urlencoded", form, router.generateRestToken());
    }

    @Test
    void createSessionAnswersAJsonArrayWithOneSession() throws Exception {
        HttpResponse<String> r = create("p2p.preference=disabled&e2ee=true&location=null&archiveMode=manual");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode arr = JSON.readTree(r.body());
        assertThat(arr.isArray()).isTrue();
        assertThat(arr).hasSize(1);
        JsonNode s = arr.get(0);
        assertThat(s.get("session_id").asText()).startsWith("2_");
        assertThat(s.get("application_id").asText()).isEqualTo(router.applicationId());
        assertThat(s.get("media_server_url").asText()).isEqualTo(router.mediaUrl());
        assertThat(s.get("e2ee").asBoolean()).isTrue();
        assertThat(s.get("media_mode").asText()).isEqualTo("routed");
        assertThat(s.get("create_dt").asText()).matches("[A-Z][a-z]{2} [A-Z][a-z]{2} \\d\\d \\d\\d:\\d\\d:\\d\\d \\S+ \\d{4}");
        assertThat(s.has("location")).isFalse();
    }

    @Test
    void badParametersAre400WithADetail() throws Exception {
        assertError(create("p2p.preference=maybe"), 400, "p2p.preference");
        assertError(create("archiveMode=sometimes"), 400, "archiveMode");
        assertError(create("e2ee=yes"), 400, "e2ee must be true or false");
        assertError(create("location=not-an-ip"), 400, "location must be an IP address");
        assertError(create("e2ee=true"), 400, "routed media mode");
        assertError(create("p2p.preference=routed&e2ee=true&archiveMode=always"), 400, "cannot be archived");
        HttpResponse<String> ok = create("p2p.preference=relayed&location=2001:db8::1");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get(0).get("location").asText()).isEqualTo("2001:db8::1");
    }

    @Test
    void projectPathsCheckTheApplicationAndTheSession() throws Exception {
        // One REST token per call: the router refuses a token id (jti) it has seen before.
        String other = UUID.randomUUID().toString();
        assertError(call("POST", "/v2/project/" + other + "/archive", "application/json", "{\"sessionId\":\"x\"}", router.generateRestToken()),
                403, "not the application your token was signed for");
        String base = "/v2/project/" + router.applicationId();
        assertError(call("GET", base + "/session/2_none/stream", null, null, router.generateRestToken()), 404, "no session 2_none");
        assertError(call("POST", base + "/broadcast/", "application/json", "{}", router.generateRestToken()), 400, "sessionId is required");
        assertError(call("POST", base + "/dial", "application/json", "{not json", router.generateRestToken()), 400, "not valid JSON");
        assertError(call("GET", base + "/archive", null, null, router.generateRestToken()), 405, "use POST");
        assertError(call("GET", "/nothing/here", null, null, router.generateRestToken()), 404, "no such endpoint");
        assertError(call("GET", base + "/session/x/stream", null, null, null), 401, "Authorization: Bearer");

        String sid = router.createSession(false);
        HttpResponse<String> empty = call("GET", base + "/session/" + sid + "/stream", null, null, router.generateRestToken());
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(empty.body())).isEqualTo(JSON.readTree("{\"count\":0,\"items\":[]}"));

        try (TestClient pub = TestClient.connect(router, router.generateClientToken(sid, Role.PUBLISHER,
                Duration.ofMinutes(1), null))) {
            String stream = pub.publishAndWait(1, "screen", false);
            HttpResponse<String> one = call("GET", base + "/session/" + sid + "/stream/" + stream, null, null, router.generateRestToken());
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(one.body())).isEqualTo(JSON.readTree(
                    "{\"id\":\"" + stream + "\",\"videoType\":\"camera\",\"name\":\"screen\",\"layoutClassList\":[]}"));
            HttpResponse<String> list = call("GET", base + "/session/" + sid + "/stream", null, null, router.generateRestToken());
            assertThat(JSON.readTree(list.body()).get("count").asInt()).isEqualTo(1);
            assertError(call("GET", base + "/session/" + sid + "/stream/nope", null, null, router.generateRestToken()), 404, "no stream nope");
        }
    }

    @Test
    void restTokensFromTheFutureOrExpiredAreRefused() throws Exception {
        long now = System.currentTimeMillis();
        var future = new com.nimbusds.jwt.JWTClaimsSet.Builder().claim("application_id", router.applicationId())
                .issueTime(new java.util.Date(now + 3_600_000)).jwtID("j").build();
        assertError(call("POST", "/session/create", null, "", ForgedTokens.sign(future, router.applicationPrivateKey())),
                401, "issued in the future");
        var expired = new com.nimbusds.jwt.JWTClaimsSet.Builder().claim("application_id", router.applicationId())
                .issueTime(new java.util.Date(now - 600_000)).expirationTime(new java.util.Date(now - 300_000)).build();
        assertError(call("POST", "/session/create", null, "", ForgedTokens.sign(expired, router.applicationPrivateKey())),
                401, "token expired");
        // Without exp, as the Vonage Java SDK sends them: accepted.
        var noExp = new com.nimbusds.jwt.JWTClaimsSet.Builder().claim("application_id", router.applicationId())
                .issueTime(new java.util.Date(now)).jwtID("k").build();
        assertThat(call("POST", "/session/create", null, "p2p.preference=routed",
                ForgedTokens.sign(noExp, router.applicationPrivateKey())).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsArePrometheusTextWithoutAuth() throws Exception {
        router.createSession(true);
        HttpResponse<String> r = call("GET", "/metrics", null, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body())
                .contains("# TYPE otc_router_sessions gauge\n")
                .containsPattern("\notc_router_sessions [1-9]\\d*\n")
                .contains("\notc_router_bytes_forwarded_total ")
                .contains("\notc_router_frames_dropped_total{reason=\"queue_full\"} ")
                .contains("\notc_router_frames_dropped_total{reason=\"unencrypted\"} ");
        for (String line : r.body().split("\n")) {
            assertThat(line).matches("(# (HELP|TYPE) .*|[a-z_]+(\\{reason=\"[a-z_]+\"\\})? \\d+)");
        }
    }

    static void assertError(HttpResponse<String> r, int status, String detailPart) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode o = JSON.readTree(r.body());
        assertThat(o.get("code").asInt()).isEqualTo(status);
        assertThat(o.get("title").asText()).isNotEmpty();
        assertThat(o.get("message").asText()).isNotEmpty();
        assertThat(o.get("detail").asText()).contains(detailPart);
    }
}
