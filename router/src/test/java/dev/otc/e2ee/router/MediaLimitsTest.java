package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The media port's abuse limits (RouterLimits), over real sockets, each refusal with its code. */
class MediaLimitsTest {

    static String token(MediaRouter r, String sid, Role role) {
        return r.generateClientToken(sid, role, Duration.ofMinutes(5), null);
    }

    /** u32 length then that many bytes, of which only {@code sent} are actually written: a half-sent message. */
    static byte[] lengthPrefix(long length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    @Test
    void aFirstMessageOverThePreAuthLimitIsAProtocolErrorAtOnce() throws Exception {
        try (MediaRouter router = MediaRouter.builder().start()) {
            int limit = router.limits().preAuthMaxMessageBytes();
            assertThat(limit).isEqualTo(8 * 1024);
            for (long length : new long[] {limit + 1, 64 * 1024, 4 * 1024 * 1024}) {
                try (TestClient c = TestClient.open(router.mediaUrl())) {
                    long t0 = System.nanoTime();
                    c.sendRaw(lengthPrefix(length));   // the length alone: no body needed to be refused
                    TestClient.Error e = TestClient.error(c.next());
                    assertThat(e.code()).isEqualTo(1030);
                    assertThat(e.message()).contains("message length " + length + " outside 1.." + limit)
                            .contains("before CONNECT");
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
                    assertThat(c.closedByPeer()).isTrue();
                }
            }
            assertThat(router.stats().refusals(LimitRefusal.PRE_AUTH_MESSAGE_SIZE)).isEqualTo(3);
            // After HELLO the limit still holds: a CONNECT whose token is over it is refused the same way.
            try (TestClient c = TestClient.open(router.mediaUrl())) {
                c.sendHello(1, 1);
                assertThat(c.next().type()).isEqualTo(Wire.HELLO_ACK);
                char[] big = new char[limit];
                Arrays.fill(big, 'x');
                c.send(Wire.CONNECT, b -> TestClient.str(b, new String(big)));
                assertThat(TestClient.error(c.next()).code()).isEqualTo(1030);
                assertThat(c.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void afterConnectMessagesUpToFourMiBPassEvenWhenPipelinedWithTheHandshake() throws Exception {
        try (MediaRouter router = MediaRouter.builder().start()) {
            String sid = router.createSession(false);
            try (TestClient pub = TestClient.connect(router, token(router, sid, Role.PUBLISHER));
                 TestClient sub = TestClient.connect(router, token(router, sid, Role.SUBSCRIBER))) {
                String stream = pub.publishAndWait(1, "cam", false);
                sub.nextOfType(Wire.STREAM_CREATED);
                sub.subscribe(stream);
                sub.nextOfType(Wire.SUBSCRIBED);
                byte[] big = TestClient.mediaFrame(stream, Wire.MEDIA_VIDEO, Wire.FLAG_KEYFRAME, 1, 1,
                        new byte[1024 * 1024]);
                pub.sendMessage(big);
                assertThat(sub.nextOfType(Wire.MEDIA_FRAME).wire()).isEqualTo(big);

                // HELLO, CONNECT and a SIGNAL larger than the pre-auth limit in one write: the bytes after CONNECT
                // move to the full-size decoder and the signal arrives.
                try (TestClient late = TestClient.open(router.mediaUrl())) {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    all.write(framed(Wire.HELLO, b -> {
                        b.writeInt(Wire.MAGIC);
                        b.writeShort(1);
                        b.writeShort(1);
                        TestClient.str(b, "pipelined");
                    }));
                    all.write(framed(Wire.CONNECT, b -> TestClient.str(b, token(router, sid, Role.PUBLISHER))));
                    char[] data = new char[WireReader.MAX_SIGNAL_DATA_BYTES];
                    Arrays.fill(data, 's');
                    byte[] signal = framed(Wire.SIGNAL, b -> {
                        TestClient.str(b, "");
                        TestClient.str(b, "chat");
                        TestClient.str(b, new String(data));
                    });
                    assertThat(signal.length - 4).isGreaterThan(router.limits().preAuthMaxMessageBytes());
                    all.write(signal);
                    late.sendRaw(all.toByteArray());
                    assertThat(late.nextOfType(Wire.CONNECTED)).isNotNull();
                    TestClient.Reader r = sub.nextOfType(Wire.SIGNAL).reader();
                    r.str();
                    assertThat(r.str()).isEqualTo("chat");
                    assertThat(r.str()).hasSize(WireReader.MAX_SIGNAL_DATA_BYTES);
                }
            }
        }
    }

    static byte[] framed(int type, TestClient.BodyWriter w) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        d.writeByte(type);
        w.write(d);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DataOutputStream(out).writeInt(body.size());
        body.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void theHandshakeDeadlineCoversHelloAndConnectTogether() throws Exception {
        RouterLimits limits = RouterLimits.builder().handshakeTimeout(Duration.ofMillis(800)).build();
        try (MediaRouter router = MediaRouter.builder().limits(limits).start();
             TestClient c = TestClient.open(router.mediaUrl())) {
            long t0 = System.nanoTime();
            // A valid HELLO dripped a byte at a time: every byte is progress, the deadline still ends it.
            byte[] hello = framed(Wire.HELLO, b -> {
                b.writeInt(Wire.MAGIC);
                b.writeShort(1);
                b.writeShort(1);
                TestClient.str(b, "slow-client-name-that-takes-a-while");
            });
            try {
                for (byte x : hello) {
                    c.sendRaw(new byte[] {x});
                    Thread.sleep(50);
                    if (System.nanoTime() - t0 > 3_000_000_000L) {
                        break;
                    }
                }
            } catch (java.io.IOException closedMeanwhile) {
                // the router may close before the drip ends
            }
            List<TestClient.Message> got = new ArrayList<>();
            try {
                got.add(c.nextMatching(m -> m.type() == Wire.ERROR));
            } catch (java.io.IOException e) {
                throw new AssertionError("no ERROR before close", e);
            }
            TestClient.Error e = TestClient.error(got.get(0));
            assertThat(e.code()).isEqualTo(1030);
            assertThat(e.message()).contains("CONNECT not completed within 800 ms");
            assertThat(c.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(800))
                    .isLessThan(Duration.ofSeconds(6));
            assertThat(router.stats().refusals(LimitRefusal.HANDSHAKE_TIMEOUT)).isEqualTo(1);
            assertThat(RouterLimits.defaults().handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
        }
    }

    /** The weakness measured on main: 32 connections each announcing 4 MiB and sending half made +273 MB RSS. */
    @Test
    void halfSentMessagesCannotMakeTheRouterBuffer() throws Exception {
        int n = 48;
        try (MediaRouter router = MediaRouter.builder().start()) {
            int limit = router.limits().preAuthMaxMessageBytes();
            List<TestClient> clients = new ArrayList<>();
            try {
                // Each announces the largest message allowed before CONNECT and sends half of it, then stalls.
                for (int i = 0; i < n; i++) {
                    TestClient c = TestClient.open(router.mediaUrl());
                    clients.add(c);
                    byte[] half = new byte[4 + limit / 2];
                    System.arraycopy(lengthPrefix(limit), 0, half, 0, 4);
                    c.sendRaw(half);
                }
                long expected = (long) n * (4 + limit / 2);
                Poll.until("all half-sent bytes buffered", () -> router.stats().inboundBufferedBytes() == expected);
                assertThat(router.stats().pendingConnections()).isEqualTo(n);
                // The bound: n connections can never hold more than one pre-auth message each.
                assertThat(router.stats().inboundBufferedBytes()).isLessThanOrEqualTo((long) n * (4 + limit));
                assertThat(router.stats().inboundBufferedBytes()).isLessThan(512 * 1024);

                // More clients announcing 4 MiB instead are refused at once and buffer nothing.
                List<TestClient> greedy = new ArrayList<>();
                try {
                    for (int i = 0; i < Math.min(32, router.limits().maxPreAuthConnectionsPerAddress() - n); i++) {
                        TestClient c = TestClient.open(router.mediaUrl());
                        greedy.add(c);
                        byte[] start = new byte[4 + 4096];
                        System.arraycopy(lengthPrefix(Wire.MAX_MESSAGE_LENGTH), 0, start, 0, 4);
                        c.sendRaw(start);
                    }
                    for (TestClient c : greedy) {
                        assertThat(TestClient.error(c.next()).code()).isEqualTo(1030);
                    }
                } finally {
                    for (TestClient c : greedy) {
                        c.close();
                    }
                }
                assertThat(router.stats().inboundBufferedBytes()).isEqualTo(expected);
            } finally {
                for (TestClient c : clients) {
                    c.close();
                }
            }
            Poll.until("buffers released", () -> router.stats().inboundBufferedBytes() == 0
                    && router.stats().pendingConnections() == 0);
        }
    }

    @Test
    void unauthenticatedConnectionsAreCappedInTotalAndPerAddress() throws Exception {
        RouterLimits limits = RouterLimits.builder().maxPreAuthConnections(6).maxPreAuthConnectionsPerAddress(4).build();
        try (MediaRouter router = MediaRouter.builder().limits(limits).start()) {
            String sid = router.createSession(false);
            List<TestClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    open.add(TestClient.openFrom(router.mediaUrl(), "127.0.0.1"));
                }
                Poll.until("4 pending", () -> router.stats().pendingConnections() == 4);
                try (TestClient fifth = TestClient.openFrom(router.mediaUrl(), "127.0.0.1")) {
                    TestClient.Error e = TestClient.error(fifth.next());
                    assertThat(e.code()).isEqualTo(1050);
                    assertThat(e.message()).contains("this address has 4 connections that have not completed CONNECT");
                    assertThat(fifth.closedByPeer()).isTrue();
                }
                open.add(TestClient.openFrom(router.mediaUrl(), "127.0.0.2"));
                open.add(TestClient.openFrom(router.mediaUrl(), "127.0.0.2"));
                Poll.until("6 pending", () -> router.stats().pendingConnections() == 6);
                try (TestClient seventh = TestClient.openFrom(router.mediaUrl(), "127.0.0.3")) {
                    TestClient.Error e = TestClient.error(seventh.next());
                    assertThat(e.code()).isEqualTo(1050);
                    assertThat(e.message()).contains("the router has 6 connections that have not completed CONNECT");
                }
                // A connection that authenticates gives its slot back.
                open.get(0).handshake(token(router, sid, Role.PUBLISHER));
                Poll.until("5 pending", () -> router.stats().pendingConnections() == 5);
                try (TestClient again = TestClient.openFrom(router.mediaUrl(), "127.0.0.1")) {
                    assertThat(again.handshake(token(router, sid, Role.SUBSCRIBER)).sessionId()).isEqualTo(sid);
                }
                assertThat(router.stats().refusals(LimitRefusal.PRE_AUTH_CONNECTIONS_PER_ADDRESS)).isEqualTo(1);
                assertThat(router.stats().refusals(LimitRefusal.PRE_AUTH_CONNECTIONS)).isEqualTo(1);
            } finally {
                for (TestClient c : open) {
                    c.close();
                }
            }
            Poll.until("no pending", () -> router.stats().pendingConnections() == 0);
        }
    }

    @Test
    void connectionsPerSessionAreCapped() throws Exception {
        RouterLimits limits = RouterLimits.builder().maxConnectionsPerSession(2).build();
        try (MediaRouter router = MediaRouter.builder().limits(limits).start()) {
            String sid = router.createSession(false);
            String other = router.createSession(false);
            try (TestClient a = TestClient.connect(router, token(router, sid, Role.PUBLISHER))) {
                TestClient b = TestClient.connect(router, token(router, sid, Role.SUBSCRIBER));
                try (TestClient c = TestClient.open(router.mediaUrl())) {
                    c.sendHello(1, 1);
                    c.next();
                    c.send(Wire.CONNECT, w -> TestClient.str(w, token(router, sid, Role.SUBSCRIBER)));
                    TestClient.Error e = TestClient.error(c.next());
                    assertThat(e.code()).isEqualTo(1051);
                    assertThat(e.message()).contains("the session is full: it has its maximum of 2 connections");
                    assertThat(c.closedByPeer()).isTrue();
                }
                // Another session is not affected; a place freed is usable again.
                TestClient.connect(router, token(router, other, Role.PUBLISHER)).close();
                b.close();
                a.nextOfType(Wire.CONNECTION_DROPPED);
                try (TestClient c = TestClient.connect(router, token(router, sid, Role.SUBSCRIBER))) {
                    assertThat(c).isNotNull();
                }
                assertThat(router.stats().refusals(LimitRefusal.CONNECTIONS_PER_SESSION)).isEqualTo(1);
            }
        }
    }

    @Test
    void streamsPerConnectionAndPerSessionAreCapped() throws Exception {
        RouterLimits limits = RouterLimits.builder().maxStreamsPerConnection(2).maxStreamsPerSession(3).build();
        try (MediaRouter router = MediaRouter.builder().limits(limits).start()) {
            String sid = router.createSession(false);
            try (TestClient a = TestClient.connect(router, token(router, sid, Role.PUBLISHER));
                 TestClient b = TestClient.connect(router, token(router, sid, Role.PUBLISHER))) {
                String a1 = a.publishAndWait(1, "a1", false);
                a.publishAndWait(2, "a2", false);
                a.publish(3, "a3", true, true, false);
                TestClient.Error e = TestClient.error(a.nextOfType(Wire.ERROR));
                assertThat(e.code()).isEqualTo(1052);
                assertThat(e.context()).isEqualTo("3");
                assertThat(e.message()).contains("this connection already publishes 2 streams");

                b.publishAndWait(1, "b1", false);
                b.publish(2, "b2", true, true, false);
                e = TestClient.error(b.nextOfType(Wire.ERROR));
                assertThat(e.code()).isEqualTo(1052);
                assertThat(e.message()).contains("the session already has 3 streams");

                // Not fatal: the connection goes on, and a freed place is usable.
                a.streamCommand(Wire.UNPUBLISH, a1);
                b.nextMatching(m -> m.type() == Wire.STREAM_DESTROYED && m.reader().str().equals(a1));
                assertThat(b.publishAndWait(3, "b2", false)).isNotEmpty();
                assertThat(router.stats().refusals(LimitRefusal.STREAMS_PER_CONNECTION)).isEqualTo(1);
                assertThat(router.stats().refusals(LimitRefusal.STREAMS_PER_SESSION)).isEqualTo(1);
                assertThat(router.stats().streams()).isEqualTo(3);
            }
        }
    }

    @Test
    void keyframeRequestsOnlyFromSubscribersAndRateLimited() throws Exception {
        try (MediaRouter router = MediaRouter.builder().start()) {
            assertThat(router.limits().keyframeRequestInterval()).isEqualTo(Duration.ofMillis(500));
            String sid = router.createSession(false);
            try (TestClient pub = TestClient.connect(router, token(router, sid, Role.PUBLISHER));
                 TestClient sub = TestClient.connect(router, token(router, sid, Role.SUBSCRIBER));
                 TestClient bystander = TestClient.connect(router, token(router, sid, Role.MODERATOR))) {
                String stream = pub.publishAndWait(1, "cam", false);
                sub.nextOfType(Wire.STREAM_CREATED);
                sub.subscribe(stream);
                sub.nextOfType(Wire.SUBSCRIBED);

                // A member that does not subscribe: refused, nothing reaches the publisher.
                bystander.streamCommand(Wire.KEYFRAME_REQUEST, stream);
                TestClient.Error e = TestClient.error(bystander.nextOfType(Wire.ERROR));
                assertThat(e.code()).isEqualTo(1014);
                assertThat(e.context()).isEqualTo(stream);
                assertThat(e.message()).contains("does not subscribe to stream");

                // 200 from the subscriber as fast as it can: a burst of 3, then one per 500 ms at most.
                assertThat(router.limits().keyframeRequestBurst()).isEqualTo(3);
                long t0 = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    sub.streamCommand(Wire.KEYFRAME_REQUEST, stream);
                }
                Poll.until("all 200 handled", () -> router.stats().keyframeRequests()
                        + router.stats().refusals(LimitRefusal.KEYFRAME_REQUEST_RATE) == 200);
                long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
                long forwarded = pub.drain(500).stream().filter(m -> m.type() == Wire.KEYFRAME_REQUEST).count();
                assertThat(forwarded).isBetween(3L, 3 + elapsedMs / 500);
                assertThat(router.stats().keyframeRequests()).isEqualTo(forwarded);
                assertThat(forwarded).isLessThan(20);
                assertThat(router.stats().refusals(LimitRefusal.KEYFRAME_REQUEST_RATE)).isEqualTo(200 - forwarded);
                assertThat(router.stats().refusals(LimitRefusal.KEYFRAME_REQUEST_NOT_SUBSCRIBED)).isEqualTo(1);

                // Once the budget refilled, the next one goes through again.
                Thread.sleep(600);
                sub.streamCommand(Wire.KEYFRAME_REQUEST, stream);
                TestClient.Reader r = pub.nextOfType(Wire.KEYFRAME_REQUEST).reader();
                assertThat(r.str()).isEqualTo(stream);
            }
        }
    }

    @Test
    void theKeyframeRequestLimiterAllowsABurstThenOnePerInterval() {
        Subscription sub = new Subscription(null, null);
        long ms = 1_000_000;
        long t = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertThat(sub.allowKeyframeRequest(t, 500 * ms, 3)).as("burst %d", i).isTrue();
        }
        assertThat(sub.allowKeyframeRequest(t, 500 * ms, 3)).isFalse();
        assertThat(sub.allowKeyframeRequest(t + 499 * ms, 500 * ms, 3)).isFalse();
        assertThat(sub.allowKeyframeRequest(t + 500 * ms, 500 * ms, 3)).isTrue();
        assertThat(sub.allowKeyframeRequest(t + 700 * ms, 500 * ms, 3)).isFalse();
        // A long quiet time refills the burst, never more than it.
        long later = t + 60_000 * ms;
        for (int i = 0; i < 3; i++) {
            assertThat(sub.allowKeyframeRequest(later, 500 * ms, 3)).isTrue();
        }
        assertThat(sub.allowKeyframeRequest(later, 500 * ms, 3)).isFalse();
    }

    @Test
    void aClientStillInTheHandshakeGetsDisconnectingOnShutdownAndItsSlotBack() throws Exception {
        MediaRouter router = MediaRouter.builder().start();
        try (TestClient c = TestClient.open(router.mediaUrl())) {
            c.sendHello(1, 1);
            assertThat(c.next().type()).isEqualTo(Wire.HELLO_ACK);
            assertThat(router.stats().pendingConnections()).isEqualTo(1);
            router.close();
            TestClient.Message m = c.nextOfType(Wire.DISCONNECTING);
            assertThat(m.reader().u32()).isEqualTo(1040);
            assertThat(c.closedByPeer()).isTrue();
            assertThat(router.stats().pendingConnections()).isZero();
        } finally {
            router.close();
        }
    }
}
