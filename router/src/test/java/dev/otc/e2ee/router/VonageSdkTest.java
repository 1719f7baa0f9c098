package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.SignedJWT;
import com.vonage.client.HttpConfig;
import com.vonage.client.VonageClient;
import com.vonage.client.video.ArchiveMode;
import com.vonage.client.video.Archive;
import com.vonage.client.video.Broadcast;
import com.vonage.client.video.ConnectRequest;
import com.vonage.client.video.CreateSessionRequest;
import com.vonage.client.video.CreateSessionResponse;
import com.vonage.client.video.GetStreamResponse;
import com.vonage.client.video.MediaMode;
import com.vonage.client.video.RenderRequest;
import com.vonage.client.video.Rtmp;
import com.vonage.client.video.SipDialRequest;
import com.vonage.client.video.TokenOptions;
import com.vonage.client.video.VideoClient;
import com.vonage.client.video.VideoResponseException;

/** The official Vonage server SDK 9.3.1, unmodified, against a running router: only the base URI changes. */
class VonageSdkTest {

    /** The SDK logs a WARNING with a stack trace for every error answer it then throws; these tests expect them. */
    static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("com.vonage.client");

    static MediaRouter router;
    static VideoClient video;

    @BeforeAll
    static void start() {
        SDK_LOG.setLevel(java.util.logging.Level.SEVERE);
        router = MediaRouter.builder().start();
        video = client(router.applicationId(), PemKeys.privateKeyPem(router.applicationPrivateKey()), router);
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    static VideoClient client(String appId, String privateKeyPem, MediaRouter r) {
        return VonageClient.builder()
                .applicationId(appId)
                .privateKeyContents(privateKeyPem)
                .httpConfig(HttpConfig.builder().videoBaseUri(r.restUrl()).build())
                .build()
                .getVideoClient();
    }

    @Test
    void createsRoutedE2eeSession() {
        CreateSessionResponse s = video.createSession(CreateSessionRequest.builder()
                .mediaMode(MediaMode.ROUTED).e2ee(true).build());
        assertThat(s.getSessionId()).startsWith("2_");
        assertThat(s.getApplicationId()).isEqualTo(UUID.fromString(router.applicationId()));
        assertThat(s.getMediaServerUrl()).hasToString(router.mediaUrl());
        assertThat(s.getCreateDt()).endsWith(String.valueOf(java.time.Year.now(java.time.ZoneOffset.UTC).getValue()));
        RouterSession rs = router.core().sessions.get(s.getSessionId());
        assertThat(rs.e2ee).isTrue();
        assertThat(rs.mediaMode).isEqualTo(dev.otc.e2ee.router.MediaMode.ROUTED);
    }

    @Test
    void createsRelayedAndArchiveAlwaysSessions() {
        CreateSessionResponse relayed = video.createSession(CreateSessionRequest.builder().mediaMode(MediaMode.RELAYED).build());
        RouterSession r = router.core().sessions.get(relayed.getSessionId());
        assertThat(r.mediaMode).isEqualTo(dev.otc.e2ee.router.MediaMode.RELAYED);
        assertThat(r.e2ee).isFalse();

        CreateSessionResponse dflt = video.createSession();
        assertThat(router.core().sessions.get(dflt.getSessionId()).mediaMode)
                .isEqualTo(dev.otc.e2ee.router.MediaMode.RELAYED);

        CreateSessionResponse always = video.createSession(CreateSessionRequest.builder()
                .mediaMode(MediaMode.ROUTED).archiveMode(ArchiveMode.ALWAYS).location("10.1.2.3").build());
        RouterSession a = router.core().sessions.get(always.getSessionId());
        assertThat(a.archiveAlways).isTrue();
        assertThat(a.location).isEqualTo("10.1.2.3");
    }

    @Test
    void refusesE2eeWithRelayedOrArchiveAlways() {
        assertStatus(() -> video.createSession(CreateSessionRequest.builder().mediaMode(MediaMode.RELAYED).e2ee(true).build()),
                400, "routed");
        assertStatus(() -> video.createSession(CreateSessionRequest.builder().mediaMode(MediaMode.ROUTED)
                .archiveMode(ArchiveMode.ALWAYS).e2ee(true).build()), 400, "archiveMode=always");
    }

    /** What the SDK signs its REST calls with (the router's REST token rules were written against it). */
    @Test
    void sdkRestTokensHaveIatAndAFreshJtiAndAReplayIsRefused() throws Exception {
        var auth = new com.vonage.client.auth.JWTAuthMethod(router.applicationId(),
                PemKeys.privateKeyPem(router.applicationPrivateKey()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String first = auth.generateToken();
        var a = SignedJWT.parse(first).getJWTClaimsSet();
        var b = SignedJWT.parse(auth.generateToken()).getJWTClaimsSet();
        assertThat(a.getClaims().keySet()).containsExactlyInAnyOrder("application_id", "iat", "jti");
        assertThat(a.getJWTID()).isNotBlank().isNotEqualTo(b.getJWTID());
        var http = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(router.restUrl() + "/session/create"))
                .header("Authorization", "Bearer " + first)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("p2p.preference=disabled")).build();
        assertThat(http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        var replay = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("already used");
    }

    @Test
    void sdkTokensAreAcceptedAtConnect() throws Exception {
        String sessionId = video.createSession(CreateSessionRequest.builder().mediaMode(MediaMode.ROUTED).e2ee(true)
                .build()).getSessionId();
        String token = video.generateToken(sessionId, TokenOptions.builder()
                .role(com.vonage.client.video.Role.PUBLISHER).data("name=alice").expiryLength(Duration.ofMinutes(10)).build());
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getStringClaim("scope")).isEqualTo("session.connect");
        assertThat(claims.getStringClaim("role")).isEqualTo("publisher");

        try (TestClient c = TestClient.open(router.mediaUrl())) {
            TestClient.Connected conn = c.handshake(token);
            assertThat(conn.sessionId()).isEqualTo(sessionId);
            assertThat(conn.e2ee()).isTrue();
            assertThat(conn.role()).isEqualTo(Role.PUBLISHER.wireCode());
            assertThat(conn.data()).isEqualTo("name=alice");

            String streamId = c.publishAndWait(7, "cam", true);
            List<GetStreamResponse> streams = video.listStreams(sessionId);
            assertThat(streams).singleElement().satisfies(s -> {
                assertThat(s.getId()).isEqualTo(UUID.fromString(streamId));
                assertThat(s.getName()).isEqualTo("cam");
            });
        }
    }

    @Test
    void mediaFeaturesOnAnE2eeSessionAreRefusedWith409() {
        String sid = video.createSession(CreateSessionRequest.builder().mediaMode(MediaMode.ROUTED).e2ee(true)
                .build()).getSessionId();
        String token = video.generateToken(sid);
        List<Runnable> calls = List.of(
                () -> video.createArchive(Archive.builder(sid).name("a").build()),
                () -> video.createBroadcast(Broadcast.builder(sid).addRtmpStream(Rtmp.builder()
                        .serverUrl("rtmp://example.invalid/live").streamName("x").build()).build()),
                () -> video.sipDial(SipDialRequest.builder().sessionId(sid).token(token)
                        .uri(java.net.URI.create("sip:user@example.invalid"), false).build()),
                () -> video.startRender(RenderRequest.builder().sessionId(sid).token(token)
                        .url("https://example.invalid/").name("composer").build()),
                () -> video.connectToWebsocket(ConnectRequest.builder().sessionId(sid).token(token)
                        .uri("wss://example.invalid/ws").build()));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(VideoResponseException.class, e -> {
                assertThat(e.getStatusCode()).isEqualTo(409);
                assertThat(e.getTitle()).isEqualTo("Conflict");
                assertThat(e.getDetail()).contains("needs the router to decode the session's media")
                        .contains("end-to-end encryption prevents");
            });
        }
    }

    @Test
    void mediaFeaturesOnAPlainSessionAre501AndUnknownSession404() {
        String sid = video.createSession(CreateSessionRequest.builder().mediaMode(MediaMode.ROUTED).build()).getSessionId();
        assertStatus(() -> video.createArchive(Archive.builder(sid).build()), 501, "not implemented by this router");
        assertStatus(() -> video.createArchive(Archive.builder("2_nope").build()), 404, "no session 2_nope");
    }

    @Test
    void wrongKeyWrongAppAndGarbageAre401() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair other = g.generateKeyPair();
        VideoClient wrongKey = client(router.applicationId(), PemKeys.privateKeyPem(other.getPrivate()), router);
        assertStatus(wrongKey::createSession, 401, "signature does not verify");

        VideoClient wrongApp = client(UUID.randomUUID().toString(),
                PemKeys.privateKeyPem(router.applicationPrivateKey()), router);
        assertStatus(wrongApp::createSession, 401, "application_id does not match");

        var http = java.net.http.HttpClient.newHttpClient();
        var resp = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(router.restUrl() + "/session/create"))
                        .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer not.a.jwt")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(401);
        assertThat(resp.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(resp.body()).contains("\"code\":401").contains("not a signed JWT");
    }

    @Test
    void policyModes() {
        try (MediaRouter off = MediaRouter.builder().e2eePolicy(E2eePolicy.OFF).start();
             MediaRouter required = MediaRouter.builder().e2eePolicy(E2eePolicy.REQUIRED).start()) {
            VideoClient v = client(off.applicationId(), PemKeys.privateKeyPem(off.applicationPrivateKey()), off);
            assertStatus(() -> v.createSession(CreateSessionRequest.builder().mediaMode(MediaMode.ROUTED).e2ee(true).build()),
                    403, "E2EE is not enabled for this application");
            String plain = v.createSession(CreateSessionRequest.builder().mediaMode(MediaMode.ROUTED).build()).getSessionId();
            assertThat(off.core().sessions.get(plain).e2ee).isFalse();

            VideoClient r = client(required.applicationId(), PemKeys.privateKeyPem(required.applicationPrivateKey()), required);
            String implicit = r.createSession().getSessionId();
            assertThat(required.core().sessions.get(implicit).e2ee).isTrue();
            assertThat(required.core().sessions.get(implicit).mediaMode).isEqualTo(dev.otc.e2ee.router.MediaMode.ROUTED);
            assertStatus(() -> r.createSession(CreateSessionRequest.builder().mediaMode(MediaMode.ROUTED).e2ee(false).build()),
                    403, "requires E2EE");
        }
    }

    private static void assertStatus(Runnable call, int status, String detailPart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(VideoResponseException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(status);
            assertThat(e.getDetail()).contains(detailPart);
        });
    }
}
