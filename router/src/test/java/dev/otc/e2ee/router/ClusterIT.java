package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import dev.otc.e2ee.router.testsupport.LoopbackRedis;
import dev.otc.e2ee.router.testsupport.RouterProcess;
import dev.otc.e2ee.router.testsupport.SessionCreate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.vonage.client.HttpConfig;
import com.vonage.client.VonageClient;
import com.vonage.client.video.CreateSessionRequest;
import com.vonage.client.video.CreateSessionResponse;
import com.vonage.client.video.GetStreamResponse;
import com.vonage.client.video.MediaMode;
import com.vonage.client.video.VideoClient;

/**
 * Three router processes (the shaded jar, {@code serve --redis}) sharing a real redis-server started for each test on
 * a free loopback port: placement, REDIRECT to the owner, takeover after {@code kill -9}, draining on SIGTERM, Redis
 * going away, and stream id resumption. Heartbeat 250 ms, node TTL 2 s, so the bounds below stay short; every wait
 * polls with a generous timeout (a loaded 2-core machine).
 */
class ClusterIT {

    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final Duration NODE_TTL = Duration.ofSeconds(2);
    /** Takeover after kill -9 must happen within the TTL plus this (heartbeat phase, JVM and machine load). */
    static final Duration TAKEOVER_MARGIN = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    LoopbackRedis redis;
    final List<Node> nodes = new ArrayList<>();
    DevCredentials creds;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One router process and what it printed. */
    record Node(Process process, Map<String, String> values) {
        String rest() { return values.get("REST_URL"); }
        String media() { return values.get("MEDIA_URL"); }
        String id() { return values.get("NODE_ID"); }
    }

    @BeforeEach
    void startCluster() throws Exception {
        VonageSdkTest.SDK_LOG.setLevel(java.util.logging.Level.SEVERE);
        redis = LoopbackRedis.start(dir);
        for (int i = 0; i < 3; i++) {
            nodes.add(startNode("n" + i));   // one after the other: the first creates the shared dev application
        }
        creds = DevCredentials.load(dir.resolve("dev"));
        Poll.until("every node sees three live nodes", () -> nodes.stream().allMatch(n -> metric(n,
                "otc_router_directory_nodes_live") == 3));
    }

    Node startNode(String id) throws Exception {
        RouterProcess r = RouterProcess.start(RouterProcessIT.java("serve", "--dev-dir", dir.resolve("dev").toString(),
                "--rest-port", "0", "--media-port", "0", "--redis", redis.uri(), "--node-id", id,
                "--heartbeat", HEARTBEAT.toString(), "--node-ttl", NODE_TTL.toString(), "--drain-timeout", "PT30S"),
                ProcessBuilder.Redirect.to(dir.resolve(id + ".log").toFile()), Duration.ofSeconds(30));
        assertThat(r.value("NODE_ID")).isEqualTo(id);
        return new Node(r.process(), r.values());
    }

    @AfterEach
    void stopCluster() throws Exception {
        for (Node n : nodes) {
            n.process().destroyForcibly();
            n.process().waitFor(15, TimeUnit.SECONDS);
        }
        if (redis != null) {
            redis.stop();
        }
    }

    long metric(Node n, String name) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.rest() + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith(name + " ")) {
                    return Long.parseLong(line.substring(name.length() + 1).trim());
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    VideoClient vonage(Node n) {
        return VonageClient.builder().applicationId(creds.applicationId())
                .privateKeyContents(PemKeys.privateKeyPem(creds.privateKey()))
                .httpConfig(HttpConfig.builder().videoBaseUri(n.rest()).build()).build().getVideoClient();
    }

    /** POST /session/create through a node: status and body. */
    HttpResponse<String> createRaw(Node n) throws Exception {
        return SessionCreate.post(http, n.rest(), SessionCreate.restToken(creds), true);
    }

    /** Creates an E2EE session through {@code via}; returns {session id, media_server_url}. */
    String[] create(Node via) throws Exception {
        SessionCreate.Created c = SessionCreate.create(http, via.rest(), SessionCreate.restToken(creds), true);
        return new String[] {c.sessionId(), c.mediaServerUrl()};
    }

    String token(String sessionId, Role role) {
        return Tokens.clientToken(creds.applicationId(), creds.privateKey(), sessionId, role, Duration.ofHours(1), null);
    }

    Node byMedia(String url) {
        return nodes.stream().filter(n -> n.media().equals(url)).findFirst().orElseThrow(
                () -> new AssertionError("no node has media URL " + url));
    }

    Set<String> mediaUrlsExcept(Node n) {
        Set<String> s = new HashSet<>();
        for (Node o : nodes) {
            if (o != n) {
                s.add(o.media());
            }
        }
        return s;
    }

    @Test
    void theVonageSdkCreatesSessionsThroughAnyNodeAndTheySpreadOverTheNodes() throws Exception {
        Map<String, Integer> perNode = new HashMap<>();
        List<CreateSessionResponse> created = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            CreateSessionResponse s = vonage(nodes.get(i % 3)).createSession(CreateSessionRequest.builder()
                    .mediaMode(MediaMode.ROUTED).e2ee(true).build());
            created.add(s);
            perNode.merge(byMedia(s.getMediaServerUrl().toString()).id(), 1, Integer::sum);
        }
        // Placement takes the node with the fewest sessions, atomically in Redis: 9 sessions over 3 equal
        // nodes give 3 each. On a loaded machine a node's heartbeat can lapse for a moment (TTL 2 s), and
        // the placements made meanwhile go to the other two; so: every node used, none with most of them.
        assertThat(perNode).containsOnlyKeys("n0", "n1", "n2").allSatisfy((k, v) -> assertThat(v).isBetween(1, 5));
        assertThat(perNode.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(9);

        // A stream published on the owner is listed through every node (the list is shared in Redis).
        CreateSessionResponse s = created.get(0);
        Node owner = byMedia(s.getMediaServerUrl().toString());
        try (TestClient pub = TestClient.open(owner.media())) {
            pub.handshake(token(s.getSessionId(), Role.PUBLISHER));
            String streamId = pub.publishAndWait(1, "cam", true);
            for (Node n : nodes) {
                Poll.until("stream listed through " + n.id(), () -> vonage(n).listStreams(s.getSessionId()).stream()
                        .anyMatch(st -> st.getId().toString().equals(streamId)));
                GetStreamResponse one = vonage(n).getStream(s.getSessionId(), streamId);
                assertThat(one.getName()).isEqualTo("cam");
            }
        }
        // The gauge is refreshed from Redis on each heartbeat, so it may lag the creations just made (a heartbeat can
        // be late on a loaded machine): it must reach this node's count, not be at it already.
        long expected = perNode.get(owner.id()).longValue();
        Poll.until("the owner's assigned-sessions gauge reaches " + expected,
                () -> metric(owner, "otc_router_directory_sessions_assigned") == expected);
    }

    @Test
    void aClientGivenAnotherNodeIsRedirectedToTheOwnerAndConnectsThere() throws Exception {
        String[] s = create(nodes.get(0));
        Node owner = byMedia(s[1]);
        String token = token(s[0], Role.PUBLISHER);
        for (Node n : nodes) {
            if (n == owner) {
                continue;
            }
            try (TestClient c = TestClient.open(n.media())) {
                TestClient.Redirect r = c.handshakeExpectingRedirect(token);
                assertThat(r.url()).isEqualTo(owner.media());
                assertThat(r.reason()).isEqualTo(1);
                assertThat(c.closedByPeer()).isTrue();
            }
            assertThat(metric(n, "otc_router_redirects_total{reason=\"not_owner\"}")).isEqualTo(1);
        }
        try (TestClient c = TestClient.open(owner.media())) {
            TestClient.Connected conn = c.handshake(token);
            assertThat(conn.sessionId()).isEqualTo(s[0]);
            assertThat(conn.e2ee()).isTrue();
            // NODES right after CONNECTED: the two other live nodes.
            TestClient.Reader r = c.nextOfType(Wire.NODES).reader();
            int count = r.u16();
            Set<String> urls = new HashSet<>();
            for (int i = 0; i < count; i++) {
                urls.add(r.str());
            }
            assertThat(urls).isEqualTo(mediaUrlsExcept(owner));
        }
    }

    @Test
    void afterKill9OfTheOwnerAnotherNodeTakesTheSessionAndPublishersResumeTheirStreamIds() throws Exception {
        String[] s = create(nodes.get(0));
        Node owner = byMedia(s[1]);
        Node other = nodes.stream().filter(n -> n != owner).findFirst().orElseThrow();
        String streamId;
        try (TestClient pub = TestClient.open(owner.media())) {
            pub.handshake(token(s[0], Role.PUBLISHER));
            streamId = pub.publishAndWait(1, "cam", true);
            // The stream is in Redis once another node lists it.
            Poll.until("stream recorded in the directory", () -> vonage(other).listStreams(s[0]).stream()
                    .anyMatch(st -> st.getId().toString().equals(streamId)));

            long killedAt = System.nanoTime();
            owner.process().destroyForcibly();   // SIGKILL: no goodbye, the entry expires after the TTL
            assertThat(owner.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(pub.closedByPeer()).isTrue();

            // A new CONNECT on another node: REDIRECT to the dead owner until its entry expires, then CONNECTED there.
            TestClient moved = null;
            long deadline = killedAt + NODE_TTL.plus(TAKEOVER_MARGIN).toNanos();
            while (moved == null) {
                assertThat(System.nanoTime() - deadline).as("session taken over within TTL + margin").isNegative();
                TestClient c = TestClient.open(other.media());
                try {
                    c.sendHello(1, 1);
                    c.next();
                    c.send(Wire.CONNECT, b -> TestClient.str(b, token(s[0], Role.PUBLISHER)));
                    TestClient.Message m = c.next();
                    if (m.type() == Wire.CONNECTED) {
                        moved = c;
                    } else {
                        assertThat(TestClient.redirect(m).url()).isEqualTo(owner.media());
                        c.close();
                        Thread.sleep(50);
                    }
                } catch (IOException e) {
                    c.close();
                    throw e;
                }
            }
            long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.println("ClusterIT: takeover " + takeoverMs + " ms after kill -9 (TTL " + NODE_TTL.toMillis() + " ms)");
            try (TestClient resumed = moved; TestClient second = TestClient.connectTo(other.media(), token(s[0], Role.PUBLISHER));
                 TestClient third = TestClient.connectTo(other.media(), token(s[0], Role.PUBLISHER))) {
                // The id the session had on the dead node is resumed ...
                assertThat(resumed.publishResuming(7, "cam", streamId)).isEqualTo(streamId);
                // ... once: a live stream's id is not handed out again, nor an id the session never had.
                assertThat(second.publishResuming(8, "cam2", streamId)).isNotEqualTo(streamId);
                String unknown = java.util.UUID.randomUUID().toString();
                assertThat(third.publishResuming(9, "cam3", unknown)).isNotEqualTo(unknown);
            }
        }
    }

    @Test
    void sigtermDrainsEveryClientToALiveNodeAndTheNodeExitsZero() throws Exception {
        String[] s = create(nodes.get(0));
        Node owner = byMedia(s[1]);
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                TestClient c = TestClient.open(owner.media());
                c.handshake(token(s[0], Role.PUBLISHER));
                clients.add(c);
            }
            owner.process().destroy();   // SIGTERM
            Set<String> targets = new HashSet<>();
            for (TestClient c : clients) {
                TestClient.Redirect r = TestClient.redirect(c.nextOfType(Wire.REDIRECT));
                assertThat(r.reason()).isEqualTo(2);
                assertThat(mediaUrlsExcept(owner)).contains(r.url());
                targets.add(r.url());
            }
            assertThat(targets).as("one session, one new owner").hasSize(1);
            assertThat(owner.process().waitFor(30, TimeUnit.SECONDS)).as("drained node exits").isTrue();
            assertThat(owner.process().exitValue()).isZero();
            // The clients reconnect where they were sent and are in the session again.
            try (TestClient again = TestClient.open(targets.iterator().next())) {
                assertThat(again.handshake(token(s[0], Role.PUBLISHER)).sessionId()).isEqualTo(s[0]);
            }
            // New sessions avoid the stopped node.
            Node survivor = nodes.stream().filter(n -> n != owner).findFirst().orElseThrow();
            for (int i = 0; i < 3; i++) {
                assertThat(create(survivor)[1]).isNotEqualTo(owner.media());
            }
        } finally {
            for (TestClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void withRedisStoppedNewSessionsGet503AndRunningMediaKeepsFlowingAndARestartedRedisGetsTheSessionBack() throws Exception {
        String[] s = create(nodes.get(0));
        Node owner = byMedia(s[1]);
        try (TestClient pub = TestClient.open(owner.media()); TestClient sub = TestClient.open(owner.media())) {
            pub.handshake(token(s[0], Role.PUBLISHER));
            sub.handshake(token(s[0], Role.SUBSCRIBER));
            String streamId = pub.publishAndWait(1, "cam", true);
            sub.subscribe(streamId);
            sub.nextOfType(Wire.SUBSCRIBED);

            redis.stop();
            Poll.until("session/create answers 503 once Redis is gone", () -> {
                try {
                    return createRaw(nodes.get(1)).statusCode() == 503;
                } catch (Exception e) {
                    return false;
                }
            });
            HttpResponse<String> refused = createRaw(owner);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains("Redis");

            // Media on the node never touches Redis: every frame still arrives, in order.
            for (int i = 0; i < 50; i++) {
                pub.sendMessage(TestClient.mediaFrame(streamId, Wire.MEDIA_VIDEO, i == 0 ? 3 : 2, i * 33_000L, i,
                        new byte[] {(byte) i, 1, 2, 3}));
            }
            for (int i = 0; i < 50; i++) {
                TestClient.Reader r = sub.nextOfType(Wire.MEDIA_FRAME).reader();
                assertThat(r.str()).isEqualTo(streamId);
                r.u8();
                r.u8();
                r.u8();
                r.u64();
                assertThat(r.u32()).isEqualTo(i);
            }

            // Redis comes back empty (no persistence): the owner writes its running session back at a heartbeat,
            // with its live stream, so every node finds it again.
            redis.restart();
            Node other = nodes.stream().filter(n -> n != owner).findFirst().orElseThrow();
            Poll.until("the session and its stream are back in the directory", 30_000, () -> {
                try {
                    return vonage(other).listStreams(s[0]).stream().anyMatch(st -> st.getId().toString().equals(streamId));
                } catch (RuntimeException e) {
                    return false;   // 404 (not written back yet) or 503 (not reconnected yet)
                }
            });
            try (TestClient late = TestClient.open(other.media())) {
                assertThat(late.handshakeExpectingRedirect(token(s[0], Role.SUBSCRIBER)).url()).isEqualTo(owner.media());
            }
            pub.sendMessage(TestClient.mediaFrame(streamId, Wire.MEDIA_VIDEO, 2, 50 * 33_000L, 50, new byte[] {9}));
            TestClient.Reader r = sub.nextOfType(Wire.MEDIA_FRAME).reader();
            assertThat(r.str()).isEqualTo(streamId);
        }
    }
}
