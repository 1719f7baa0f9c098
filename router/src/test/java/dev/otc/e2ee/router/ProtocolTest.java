package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session protocol over real sockets, against an embedded router. */
class ProtocolTest {

    MediaRouter router;

    @BeforeEach
    void start() {
        router = MediaRouter.builder().ioThreads(2).start();
    }

    @AfterEach
    void stop() {
        router.close();
    }

    String token(String session, Role role) {
        return router.generateClientToken(session, role, Duration.ofMinutes(5), null);
    }

    /** A payload that is unique per (stream, seq) so a misrouted or reordered frame cannot pass as another. */
    static byte[] payload(int streamTag, int seq, int size) {
        byte[] p = new byte[size];
        new Random(streamTag * 100_000L + seq).nextBytes(p);
        return p;
    }

    @Test
    void twoPublishersThreeSubscribersGetExactlyThePublishedFramesInOrder() throws Exception {
        String sid = router.createSession(false);
        try (TestClient p1 = TestClient.connect(router, token(sid, Role.PUBLISHER));
             TestClient p2 = TestClient.connect(router, token(sid, Role.PUBLISHERONLY))) {
            String s1 = p1.publishAndWait(1, "p1", false);
            String s2 = p2.publishAndWait(2, "p2", false);
            List<TestClient> subs = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    TestClient s = TestClient.connect(router, token(sid, Role.SUBSCRIBER));
                    subs.add(s);
                    // A late joiner learns about both streams from the replay after CONNECTED.
                    List<String> created = new ArrayList<>();
                    for (int k = 0; k < 2; k++) {
                        created.add(s.nextOfType(Wire.STREAM_CREATED).reader().str());
                    }
                    assertThat(created).containsExactly(s1, s2);
                    s.subscribe(s1);
                    s.subscribe(s2);
                    assertThat(s.nextOfType(Wire.SUBSCRIBED).reader().str()).isEqualTo(s1);
                    assertThat(s.nextOfType(Wire.SUBSCRIBED).reader().str()).isEqualTo(s2);
                }
                Map<String, List<byte[]>> sent = new HashMap<>();
                int frames = 120;
                for (int seq = 0; seq < frames; seq++) {
                    for (int pub = 0; pub < 2; pub++) {
                        String stream = pub == 0 ? s1 : s2;
                        boolean video = seq % 3 != 0;
                        int flags = video && seq % 30 == 1 ? Wire.FLAG_KEYFRAME : 0;
                        byte[] msg = TestClient.mediaFrame(stream, video ? Wire.MEDIA_VIDEO : Wire.MEDIA_AUDIO, flags,
                                seq * 1000L, seq, payload(pub, seq, video ? 1000 + seq * 37 : 160));
                        (pub == 0 ? p1 : p2).sendMessage(msg);
                        sent.computeIfAbsent(stream + (video ? "/v" : "/a"), k -> new ArrayList<>()).add(msg);
                    }
                }
                for (TestClient s : subs) {
                    Map<String, List<byte[]>> got = new HashMap<>();
                    for (int i = 0; i < frames * 2; i++) {
                        // Later subscribers' CONNECTION_CREATED interleave; only media counts here.
                        TestClient.Message m = s.nextOfType(Wire.MEDIA_FRAME);
                        TestClient.Reader r = m.reader();
                        String stream = r.str();
                        boolean video = r.u8() == Wire.MEDIA_VIDEO;
                        got.computeIfAbsent(stream + (video ? "/v" : "/a"), k -> new ArrayList<>()).add(m.wire());
                    }
                    assertThat(got.keySet()).isEqualTo(sent.keySet());
                    // Audio may overtake video (by design), so order is checked per stream and media kind.
                    for (String k : sent.keySet()) {
                        assertThat(got.get(k)).as(k).containsExactlyElementsOf(sent.get(k));
                    }
                }
                assertThat(router.stats().framesForwarded()).isEqualTo(3L * frames * 2);
                // Publishers never get their own media back.
                p1.signal("", "probe", "x");
                assertThat(p2.nextOfType(Wire.SIGNAL).type()).isEqualTo(Wire.SIGNAL);
            } finally {
                for (TestClient s : subs) {
                    s.close();
                }
            }
        }
    }

    @Test
    void membershipEventsCarryTheirFields() throws Exception {
        String sid = router.createSession(true);
        try (TestClient a = TestClient.open(router.mediaUrl());
             TestClient b = TestClient.open(router.mediaUrl())) {
            TestClient.Connected ca = a.handshake(router.generateClientToken(sid, Role.MODERATOR, Duration.ofMinutes(1), "alice"));
            assertThat(ca.sessionId()).isEqualTo(sid);
            assertThat(ca.e2ee()).isTrue();
            assertThat(ca.role()).isEqualTo(3);
            assertThat(ca.data()).isEqualTo("alice");
            String stream = a.publishAndWait(42, "camera \u00e9", true);
            TestClient.Reader sc = a.nextOfType(Wire.STREAM_CREATED).reader();
            assertThat(sc.str()).isEqualTo(stream);
            assertThat(sc.str()).isEqualTo(ca.connectionId());
            assertThat(sc.str()).isEqualTo("camera \u00e9");
            assertThat(List.of(sc.u8(), sc.u8(), sc.u8(), sc.u8(), sc.u8())).containsExactly(1, 1, 1, 16, 1);

            TestClient.Connected cb = b.handshake(router.generateClientToken(sid, Role.SUBSCRIBER, Duration.ofMinutes(1), "bob"));
            TestClient.Reader cc = b.next().reader();
            assertThat(cc.str()).isEqualTo(ca.connectionId());
            assertThat(cc.str()).isEqualTo("alice");
            TestClient.Message replay = b.next();
            assertThat(replay.type()).isEqualTo(Wire.STREAM_CREATED);
            assertThat(replay.reader().str()).isEqualTo(stream);

            TestClient.Message toA = a.next();
            assertThat(toA.type()).isEqualTo(Wire.CONNECTION_CREATED);
            TestClient.Reader r = toA.reader();
            assertThat(r.str()).isEqualTo(cb.connectionId());
            assertThat(r.str()).isEqualTo("bob");

            a.send(Wire.DISCONNECT, body -> { });
            TestClient.Message destroyed = b.next();
            assertThat(destroyed.type()).isEqualTo(Wire.STREAM_DESTROYED);
            TestClient.Reader dr = destroyed.reader();
            assertThat(dr.str()).isEqualTo(stream);
            assertThat(dr.u8()).isEqualTo(Wire.DESTROYED_PUBLISHER_LEFT);
            TestClient.Message dropped = b.next();
            assertThat(dropped.type()).isEqualTo(Wire.CONNECTION_DROPPED);
            TestClient.Reader pr = dropped.reader();
            assertThat(pr.str()).isEqualTo(ca.connectionId());
            assertThat(pr.u8()).isEqualTo(Wire.DROPPED_CLIENT_DISCONNECTED);
            assertThat(a.closedByPeer()).isTrue();
        }
    }

    @Test
    void tokensAreCheckedAtConnect() throws Exception {
        String sid = router.createSession(false);
        String expired = ForgedTokens.expired(router, sid);
        String forged = ForgedTokens.signedByAnotherKey(router.applicationId(), sid);
        String badRole = ForgedTokens.withClaim(router, sid, "role", "admin");
        String badScope = ForgedTokens.withClaim(router, sid, "scope", "session.moderate");
        String otherSession = token("2_unknown-session", Role.PUBLISHER);

        assertRefused(expired, 1004, "token expired");
        assertRefused(forged, 1004, "signature does not verify");
        assertRefused(badRole, 1004, "role");
        assertRefused(badScope, 1004, "scope");
        assertRefused("garbage", 1004, "not a signed JWT");
        assertRefused(otherSession, 1005, "does not exist");
    }

    private void assertRefused(String token, int code, String text) throws IOException {
        try (TestClient c = TestClient.open(router.mediaUrl())) {
            c.sendHello(1, 1);
            assertThat(c.next().type()).isEqualTo(Wire.HELLO_ACK);
            c.send(Wire.CONNECT, b -> TestClient.str(b, token));
            TestClient.Error e = TestClient.error(c.next());
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.message()).contains(text);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void rolesLimitWhatAClientMayDo() throws Exception {
        String sid = router.createSession(false);
        try (TestClient pub = TestClient.connect(router, token(sid, Role.PUBLISHERONLY));
             TestClient sub = TestClient.connect(router, token(sid, Role.SUBSCRIBER))) {
            String stream = pub.publishAndWait(1, "cam", false);
            sub.nextOfType(Wire.STREAM_CREATED);
            sub.publish(9, "nope", true, true, false);
            TestClient.Error e = TestClient.error(sub.next());
            assertThat(e.code()).isEqualTo(1014);
            assertThat(e.message()).contains("subscriber token cannot publish");
            assertThat(e.context()).isEqualTo("9");

            pub.subscribe(stream);
            TestClient.Error e2 = TestClient.error(pub.nextMatching(m -> m.type() == Wire.ERROR));
            assertThat(e2.code()).isEqualTo(1014);
            assertThat(e2.message()).contains("publisheronly token cannot subscribe");

            sub.subscribe("no-such-stream");
            TestClient.Error e3 = TestClient.error(sub.next());
            assertThat(e3.code()).isEqualTo(1601);
            assertThat(e3.context()).isEqualTo("no-such-stream");

            // Refusals are not fatal: the subscriber still works.
            sub.subscribe(stream);
            assertThat(sub.next().type()).isEqualTo(Wire.SUBSCRIBED);
            byte[] f = TestClient.mediaFrame(stream, Wire.MEDIA_VIDEO, Wire.FLAG_KEYFRAME, 1, 0, payload(1, 0, 100));
            pub.sendMessage(f);
            assertThat(sub.next().wire()).isEqualTo(f);
        }
    }

    @Test
    void unencryptedFrameInE2eeSessionIsRefusedAndNeverForwarded() throws Exception {
        String sid = router.createSession(true);
        ConcurrentLinkedQueue<byte[]> seen = new ConcurrentLinkedQueue<>();
        router.addMediaObserver((session, stream, dir, msg) -> {
            byte[] b = new byte[msg.remaining()];
            msg.get(b);
            seen.add(b);
        });
        try (TestClient pub = TestClient.connect(router, token(sid, Role.PUBLISHER));
             TestClient sub = TestClient.connect(router, token(sid, Role.SUBSCRIBER))) {
            pub.publish(5, "clear", true, true, false);
            TestClient.Error pe = TestClient.error(pub.nextOfType(Wire.ERROR));
            assertThat(pe.code()).isEqualTo(6010);
            assertThat(pe.context()).isEqualTo("5");

            String stream = pub.publishAndWait(6, "enc", true);
            sub.nextOfType(Wire.STREAM_CREATED);
            sub.subscribe(stream);
            assertThat(sub.next().type()).isEqualTo(Wire.SUBSCRIBED);

            byte[] clear = TestClient.mediaFrame(stream, Wire.MEDIA_VIDEO, Wire.FLAG_KEYFRAME, 1, 0, payload(2, 0, 64));
            pub.sendMessage(clear);
            TestClient.Error fe = TestClient.error(pub.nextMatching(m -> m.type() == Wire.ERROR));
            assertThat(fe.code()).isEqualTo(6010);
            assertThat(fe.context()).isEqualTo(stream);

            byte[] enc = TestClient.mediaFrame(stream, Wire.MEDIA_VIDEO, Wire.FLAG_KEYFRAME | Wire.FLAG_ENCRYPTED, 2, 1,
                    payload(2, 1, 64));
            pub.sendMessage(enc);
            // The first frame the subscriber sees is the encrypted one: the clear one was never forwarded.
            assertThat(sub.next().wire()).isEqualTo(enc);
            assertThat(router.stats().framesDropped(DropReason.UNENCRYPTED)).isEqualTo(1);
            assertThat(seen).hasSize(2).allSatisfy(b -> assertThat(b).isEqualTo(enc));
        }
    }

    @Test
    void malformedMessagesCloseOnlyThatConnection() throws Exception {
        String sid = router.createSession(false);
        try (TestClient pub = TestClient.connect(router, token(sid, Role.PUBLISHER));
             TestClient sub = TestClient.connect(router, token(sid, Role.SUBSCRIBER))) {
            String stream = pub.publishAndWait(1, "cam", false);
            sub.nextOfType(Wire.STREAM_CREATED);
            sub.subscribe(stream);
            sub.nextOfType(Wire.SUBSCRIBED);
            int seq = 0;

            List<byte[]> attacks = List.of(
                    new byte[] {0, 0, 0, 3, 1, 0x4F, 0x54},                       // truncated HELLO
                    new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1},  // oversized length
                    new byte[] {0, 0x40, 0, 1, 1},                                // 4 MiB + 1
                    new byte[] {0, 0, 0, 0},                                      // zero length
                    new byte[] {0, 0, 0, 1, 0x55},                                // unknown type first
                    new byte[] {0, 0, 0, 1, Wire.MEDIA_FRAME},                    // media before HELLO
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // garbage
            for (byte[] attack : attacks) {
                try (TestClient bad = TestClient.open(router.mediaUrl())) {
                    bad.sendRaw(attack);
                    TestClient.Error e = TestClient.error(bad.next());
                    assertThat(e.code()).isEqualTo(1030);
                    assertThat(bad.closedByPeer()).isTrue();
                }
                byte[] f = TestClient.mediaFrame(stream, Wire.MEDIA_AUDIO, 0, seq, seq, payload(3, seq, 160));
                seq++;
                pub.sendMessage(f);
                assertThat(sub.next().wire()).isEqualTo(f);
            }

            // After CONNECT: unknown type, leftover bytes, bad UTF-8, an oversized signal.
            List<byte[]> connectedAttacks = List.of(
                    new byte[] {0x55},
                    new byte[] {Wire.DISCONNECT, 1},
                    new byte[] {Wire.SUBSCRIBE, 0, 2, (byte) 0xC3, 0x28},
                    signalWithData(new String(new char[8193]).replace('\0', 'x')),
                    new byte[] {Wire.HELLO, 0x4F, 0x54, 0x43, 0x50, 0, 1, 0, 1, 0, 0});
            for (byte[] attack : connectedAttacks) {
                try (TestClient bad = TestClient.connect(router, token(sid, Role.PUBLISHER))) {
                    bad.sendMessage(attack);
                    TestClient.Error e = TestClient.error(bad.nextMatching(m -> m.type() == Wire.ERROR));
                    assertThat(e.code()).isEqualTo(1030);
                    assertThat(bad.closedByPeer()).isTrue();
                }
                byte[] f = TestClient.mediaFrame(stream, Wire.MEDIA_AUDIO, 0, seq, seq, payload(3, seq, 160));
                seq++;
                pub.sendMessage(f);
                assertThat(sub.nextOfType(Wire.MEDIA_FRAME).wire()).isEqualTo(f);
            }
            assertThat(router.stats().protocolErrors()).isEqualTo(attacks.size() + connectedAttacks.size());
        }
    }

    private static byte[] signalWithData(String data) {
        ByteBuffer b = ByteBuffer.allocate(1 + 2 + 2 + 1 + 2 + data.length());
        b.put((byte) Wire.SIGNAL).putShort((short) 0).putShort((short) 1).put((byte) 't')
                .putShort((short) data.length()).put(data.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    @Test
    void unpublishDestroysTheStreamForEveryoneAndItsFramesAreRefused() throws Exception {
        String sid = router.createSession(false);
        try (TestClient pub = TestClient.connect(router, token(sid, Role.PUBLISHER));
             TestClient sub = TestClient.connect(router, token(sid, Role.SUBSCRIBER))) {
            String stream = pub.publishAndWait(1, "cam", false);
            sub.nextOfType(Wire.STREAM_CREATED);
            sub.subscribe(stream);
            sub.nextOfType(Wire.SUBSCRIBED);
            assertThat(router.core().sessions.get(sid).streamsInOrder()).extracting(st -> st.id).containsExactly(stream);

            sub.streamCommand(Wire.UNPUBLISH, stream);
            TestClient.Error notOwner = TestClient.error(sub.nextOfType(Wire.ERROR));
            assertThat(notOwner.code()).isEqualTo(1601);

            pub.streamCommand(Wire.UNPUBLISH, stream);
            for (TestClient c : List.of(pub, sub)) {
                TestClient.Reader r = c.nextOfType(Wire.STREAM_DESTROYED).reader();
                assertThat(r.str()).isEqualTo(stream);
                assertThat(r.u8()).isEqualTo(Wire.DESTROYED_UNPUBLISHED);
            }
            assertThat(router.stats().streams()).isZero();
            pub.sendMessage(TestClient.mediaFrame(stream, Wire.MEDIA_AUDIO, 0, 0, 0, new byte[10]));
            TestClient.Error gone = TestClient.error(pub.nextOfType(Wire.ERROR));
            assertThat(gone.code()).isEqualTo(1601);
            assertThat(gone.context()).isEqualTo(stream);
            sub.streamCommand(Wire.UNSUBSCRIBE, stream);
            assertThat(TestClient.error(sub.nextOfType(Wire.ERROR)).code()).isEqualTo(1601);
            assertThat(router.stats().framesDropped(DropReason.UNKNOWN_STREAM)).isEqualTo(1);
        }
    }

    @Test
    void incompatibleVersionsGetAnErrorNamingBoth() throws Exception {
        try (TestClient c = TestClient.open(router.mediaUrl())) {
            c.sendHello(2, 1);
            TestClient.Error e = TestClient.error(c.next());
            assertThat(e.code()).isEqualTo(1031);
            assertThat(e.message()).isEqualTo("incompatible session protocol: client speaks version 2, router speaks version 1");
            assertThat(c.closedByPeer()).isTrue();
        }
        try (TestClient c = TestClient.open(router.mediaUrl())) {
            c.sendHello(1, 7);
            TestClient.Error e = TestClient.error(c.next());
            assertThat(e.code()).isEqualTo(6009);
            assertThat(e.message()).isEqualTo("incompatible E2EE frame format: client uses version 7, router expects version 1");
        }
    }

    @Test
    void signalsKeyframeRequestsAndUnknownTargets() throws Exception {
        String sid = router.createSession(false);
        try (TestClient a = TestClient.connect(router, token(sid, Role.PUBLISHER));
             TestClient b = TestClient.connect(router, token(sid, Role.SUBSCRIBER));
             TestClient c = TestClient.connect(router, token(sid, Role.SUBSCRIBER))) {
            String stream = a.publishAndWait(1, "cam", false);
            b.nextOfType(Wire.STREAM_CREATED);
            c.nextOfType(Wire.STREAM_CREATED);
            b.subscribe(stream);
            b.nextOfType(Wire.SUBSCRIBED);

            b.signal("", "chat", "hello all");
            for (TestClient t : List.of(a, c)) {
                TestClient.Reader r = t.nextOfType(Wire.SIGNAL).reader();
                r.str();
                assertThat(r.str()).isEqualTo("chat");
                assertThat(r.str()).isEqualTo("hello all");
            }
            // To one connection only: find a's id through the CONNECTION_CREATED c saw... a is the first member.
            String aId = router.core().sessions.get(sid).stream(stream).publisher.connectionId();
            c.signal(aId, "direct", "just you");
            TestClient.Reader r = a.nextOfType(Wire.SIGNAL).reader();
            r.str();
            assertThat(r.str()).isEqualTo("direct");
            assertThat(r.str()).isEqualTo("just you");

            c.signal("nobody", "x", "y");
            TestClient.Error e = TestClient.error(c.nextOfType(Wire.ERROR));
            assertThat(e.code()).isEqualTo(1010);

            b.streamCommand(Wire.KEYFRAME_REQUEST, stream);
            assertThat(a.nextOfType(Wire.KEYFRAME_REQUEST).reader().str()).isEqualTo(stream);
        }
    }

    @Test
    void lateSubscriberMakesTheRouterAskThePublisherForAKeyframe() throws Exception {
        String sid = router.createSession(false);
        try (TestClient pub = TestClient.connect(router, token(sid, Role.PUBLISHER));
             TestClient sub = TestClient.connect(router, token(sid, Role.SUBSCRIBER))) {
            String stream = pub.publishAndWait(1, "cam", false);
            pub.sendMessage(TestClient.mediaFrame(stream, Wire.MEDIA_VIDEO, Wire.FLAG_KEYFRAME, 0, 0, payload(4, 0, 500)));
            sub.nextOfType(Wire.STREAM_CREATED);
            // Let the router see the first frame before the subscription exists.
            long deadline = System.currentTimeMillis() + 5000;
            while (router.stats().framesReceived() < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            sub.subscribe(stream);
            sub.nextOfType(Wire.SUBSCRIBED);
            assertThat(pub.nextOfType(Wire.KEYFRAME_REQUEST).reader().str()).isEqualTo(stream);
            byte[] delta = TestClient.mediaFrame(stream, Wire.MEDIA_VIDEO, 0, 1, 1, payload(4, 1, 500));
            byte[] key = TestClient.mediaFrame(stream, Wire.MEDIA_VIDEO, Wire.FLAG_KEYFRAME, 2, 2, payload(4, 2, 500));
            pub.sendMessage(delta);
            pub.sendMessage(key);
            // Everything from SUBSCRIBED on arrives; only the frame sent before the subscription does not.
            assertThat(sub.next().wire()).isEqualTo(delta);
            assertThat(sub.next().wire()).isEqualTo(key);
            assertThat(router.stats().keyframeRequests()).isEqualTo(1);
        }
    }

    @Test
    void closeSendsDisconnectingToEveryClient() throws Exception {
        String sid = router.createSession(false);
        TestClient a = TestClient.connect(router, token(sid, Role.PUBLISHER));
        TestClient b = TestClient.open(router.mediaUrl());
        try (a; b) {
            // b stops after HELLO_ACK, before CONNECT; reading the ack also proves the router accepted its socket
            // (a connection still in the kernel's accept queue at close would just be reset).
            b.sendHello(1, 1);
            assertThat(b.next().type()).isEqualTo(Wire.HELLO_ACK);
            router.close();
            for (TestClient t : List.of(a, b)) {
                TestClient.Message m = t.nextOfType(Wire.DISCONNECTING);
                TestClient.Reader r = m.reader();
                assertThat(r.u32()).isEqualTo(1040);
                assertThat(r.str()).contains("shutting down");
                assertThat(t.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void connectMustCompleteInTime() throws Exception {
        try (MediaRouter quick = MediaRouter.builder().connectTimeout(Duration.ofMillis(300)).start();
             TestClient c = TestClient.open(quick.mediaUrl())) {
            long t0 = System.nanoTime();
            TestClient.Error e = TestClient.error(c.next());
            assertThat(e.code()).isEqualTo(1030);
            assertThat(e.message()).contains("CONNECT not completed within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void invalidBuilderArgumentsAreRefused() {
        assertThatThrownBy(() -> MediaRouter.builder().restPort(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> router.generateClientToken("s", Role.PUBLISHER, Duration.ofDays(31), null))
                .hasMessageContaining("30 days");
    }

    @Test
    void publishWithResumeStreamIdReusesADroppedIdOfTheSessionOnly() throws Exception {
        String sid = router.createSession(true);
        String other = router.createSession(true);
        String dropped;
        String otherSessionsStream;
        try (TestClient p = TestClient.connect(router, token(sid, Role.PUBLISHER));
             TestClient q = TestClient.connect(router, token(other, Role.PUBLISHER))) {
            dropped = p.publishAndWait(1, "cam", true);
            otherSessionsStream = q.publishAndWait(1, "cam", true);
        }   // both publishers gone: their streams are destroyed
        Poll.until("streams destroyed", () -> router.stats().streams() == 0);
        try (TestClient a = TestClient.connect(router, token(sid, Role.PUBLISHER));
             TestClient b = TestClient.connect(router, token(sid, Role.PUBLISHER));
             TestClient sub = TestClient.connect(router, token(sid, Role.SUBSCRIBER))) {
            // Reconnected publisher: the same id, so subscribers can subscribe to the id they knew.
            assertThat(a.publishResuming(5, "cam", dropped)).isEqualTo(dropped);
            TestClient.Reader created = sub.nextOfType(Wire.STREAM_CREATED).reader();
            assertThat(created.str()).isEqualTo(dropped);
            sub.subscribe(dropped);
            assertThat(sub.nextOfType(Wire.SUBSCRIBED).reader().str()).isEqualTo(dropped);
            // A live stream's id, another session's id, a malformed one, an empty one: a fresh id each time.
            String live = b.publishResuming(6, "x", dropped);
            String foreign = b.publishResuming(7, "y", otherSessionsStream);
            String bogus = b.publishResuming(8, "z", "not-a-stream");
            String empty = b.publishResuming(9, "w", "");
            assertThat(List.of(live, foreign, bogus, empty)).doesNotHaveDuplicates()
                    .doesNotContain(dropped, otherSessionsStream, "not-a-stream", "");
            // The old layout (no trailing field) is still accepted.
            assertThat(b.publishAndWait(10, "old", true)).isNotIn(dropped, live, foreign, bogus, empty);
        }
    }

    @Test
    void publishWithATruncatedResumeFieldIsAProtocolError() throws Exception {
        String sid = router.createSession(false);
        try (TestClient p = TestClient.connect(router, token(sid, Role.PUBLISHER))) {
            p.send(Wire.PUBLISH, b -> {
                b.writeInt(1);
                TestClient.str(b, "cam");
                b.write(new byte[] {1, 1, 1, 16, 0});
                b.writeShort(10);   // claims 10 bytes of resume_stream_id, sends 2
                b.write(new byte[] {'a', 'b'});
            });
            assertThat(TestClient.error(p.nextOfType(Wire.ERROR)).code()).isEqualTo(1030);
            assertThat(p.closedByPeer()).isTrue();
        }
    }
}
