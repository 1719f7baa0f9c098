package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The router's decoding of client messages (framing by {@link WireFrameDecoder}, the handshake in
 * {@link HandshakeHandler}, the per-message bodies {@link SessionHandler} and {@link MediaForwarder} read with
 * {@link WireReader}) on arbitrary bytes, against the spec's layouts ({@link ReferenceLayouts}).
 *
 * <p>Input format: byte 0 picks the starting state (0: fresh connection, 1: after a valid HELLO, 2: connected with a
 * valid publisher token in an E2EE session); then messages, each {@code u8 type, u16 body length, body}, framed with
 * their u32 length and handed to the connection one by one. For each message the router must: throw nothing past
 * its handler and never report "could not process"; answer a malformed body (or a message not valid in its state)
 * with ERROR 1030 and close; answer a well-formed one without 1030 (a refusal keeps the connection open); allocate a
 * bounded amount however the length fields lie; and leak no buffer (LeakCheckExtension, paranoid).
 *
 * <p>{@link #decode} runs under Jazzer: during {@code mvn verify} on the seeds in
 * {@code src/test/resources/dev/otc/e2ee/router/RouterDecoderFuzzTestInputs/decode/} (regression mode), and as a
 * fuzzer with {@code JAZZER_FUZZ=1} (native/fuzz/README.md). {@link #randomPrograms} runs the same checks on
 * structure-aware programs from a fixed seed, so every build covers many inputs.
 */
class RouterDecoderFuzzTest {

    private static final String UNEXPECTED = "router could not process the message";
    /** Per message: a fixed allowance (strings, error texts) plus a multiple of the message's own size. */
    private static final long ALLOCATION_ALLOWANCE = 4L << 20;

    private static MediaRouter router;
    private static RouterCore core;
    private static byte[] validConnect;

    @BeforeAll
    static void startRouter() {
        router = MediaRouter.builder().ioThreads(1).start();
        core = router.core();
        String session = router.createSession(true);
        String token = router.generateClientToken(session, Role.PUBLISHER, Duration.ofHours(1), null);
        validConnect = strBody(token.getBytes(StandardCharsets.UTF_8));
        // Warm up class loading and JIT so the allocation bound below measures the decoding, not the first call.
        for (int i = 0; i < 20; i++) {
            run(program(2, Wire.PUBLISH, new byte[] {0, 0, 0, 1, 0, 1, 'n', 1, 1, 1, 1, 1}));
        }
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        run(input);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)  // a decoder that loops fails here instead of stalling the build
    void randomPrograms() {
        Random rnd = new Random(0x07C_E2EEL);
        for (int i = 0; i < 3000; i++) {
            run(ProgramGenerator.next(rnd));
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void hugeAndLyingLengthFieldsAreRefusedWithoutAllocating() {
        // Every str length 0xFFFF with nothing behind it, in every state and message type.
        for (int state = 0; state < 3; state++) {
            for (int type = 0; type < 256; type++) {
                run(program(state, type, new byte[] {(byte) 0xFF, (byte) 0xFF}));
            }
        }
    }

    static byte[] strBody(byte[] s) {
        byte[] b = new byte[2 + s.length];
        b[0] = (byte) (s.length >>> 8);
        b[1] = (byte) s.length;
        System.arraycopy(s, 0, b, 2, s.length);
        return b;
    }

    static byte[] program(int state, int type, byte[] body) {
        byte[] p = new byte[4 + body.length];
        p[0] = (byte) state;
        p[1] = (byte) type;
        p[2] = (byte) (body.length >>> 8);
        p[3] = (byte) body.length;
        System.arraycopy(body, 0, p, 4, body.length);
        return p;
    }

    private enum State { AWAIT_HELLO, AWAIT_CONNECT, CONNECTED, CLOSED }

    private static void run(byte[] input) {
        if (input.length == 0) {
            return;
        }
        EmbeddedChannel ch = newConnection();
        try {
            State state = State.AWAIT_HELLO;
            int start = (input[0] & 0xFF) % 3;
            if (start >= 1) {
                state = step(ch, state, Wire.HELLO, helloBody(Wire.MAGIC, 1, 1), "hello");
            }
            if (start >= 2) {
                state = step(ch, state, Wire.CONNECT, validConnect, "connect");
                assertThat(state).isEqualTo(State.CONNECTED);
            }
            int pos = 1;
            while (state != State.CLOSED && input.length - pos >= 3) {
                int type = input[pos] & 0xFF;
                int len = Math.min(((input[pos + 1] & 0xFF) << 8) | (input[pos + 2] & 0xFF), input.length - pos - 3);
                byte[] body = new byte[len];
                System.arraycopy(input, pos + 3, body, 0, len);
                pos += 3 + len;
                state = step(ch, state, type, body, null);
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** A loopback peer: the handshake counts pending connections per source address. */
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    /** The media port's pipeline exactly as MediaRouter builds it: the small pre-CONNECT decoder, then the handshake. */
    private static EmbeddedChannel newConnection() {
        return new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast(WireFrameDecoder.NAME,
                        new WireFrameDecoder(core.stats, core.config.limits().preAuthMaxMessageBytes(), true));
                c.pipeline().addLast(new HandshakeHandler(core));
            }
        }) {
            @Override
            protected SocketAddress remoteAddress0() {
                return PEER;
            }
        };
    }

    static byte[] helloBody(long magic, int protocol, int format) {
        byte[] name = "fuzz".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[8 + 2 + name.length];
        b[0] = (byte) (magic >>> 24);
        b[1] = (byte) (magic >>> 16);
        b[2] = (byte) (magic >>> 8);
        b[3] = (byte) magic;
        b[4] = (byte) (protocol >>> 8);
        b[5] = (byte) protocol;
        b[6] = (byte) (format >>> 8);
        b[7] = (byte) format;
        System.arraycopy(strBody(name), 0, b, 8, 2 + name.length);
        return b;
    }

    /** Hands one message to the connection and checks the outcome; returns the state the connection is in now. */
    private static State step(EmbeddedChannel ch, State state, int type, byte[] body, String trusted) {
        ByteBuf msg = Unpooled.buffer(5 + body.length);
        msg.writeInt(1 + body.length).writeByte(type).writeBytes(body);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        ch.writeInbound(msg);
        ch.runPendingTasks();
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        ch.checkException();
        List<Reply> replies = drain(ch);
        String what = "type 0x" + Integer.toHexString(type) + " (" + body.length + " bytes) in " + state;
        assertThat(allocated).as("bytes allocated for %s", what).isLessThan(ALLOCATION_ALLOWANCE + 16L * body.length);
        for (Reply r : replies) {
            assertThat(r.message).as("ERROR for %s", what).isNotEqualTo(UNEXPECTED);
        }
        Integer error = replies.stream().filter(r -> r.type == Wire.ERROR).map(r -> r.code).findFirst().orElse(null);
        boolean open = ch.isOpen();
        ReferenceLayouts.Parsed p = ReferenceLayouts.parse(type, body);

        // Before CONNECT a message larger than the pre-auth limit is refused as soon as its length prefix arrives.
        if ((state == State.AWAIT_HELLO || state == State.AWAIT_CONNECT)
                && 1 + body.length > core.config.limits().preAuthMaxMessageBytes()) {
            return expectFatal(error, open, 1030, what);
        }
        switch (state) {
            case AWAIT_HELLO -> {
                if (type != Wire.HELLO || p == null || p.magic() != Wire.MAGIC) {
                    return expectFatal(error, open, 1030, what);
                }
                if (p.protocolVersion() != 1) {
                    return expectFatal(error, open, 1031, what);
                }
                if (p.formatVersion() != 1) {
                    return expectFatal(error, open, 6009, what);
                }
                assertThat(error).as("ERROR for %s", what).isNull();
                assertThat(replies).as("replies to %s", what).extracting(r -> r.type).containsExactly(Wire.HELLO_ACK);
                return State.AWAIT_CONNECT;
            }
            case AWAIT_CONNECT -> {
                if (type != Wire.CONNECT || p == null) {
                    return expectFatal(error, open, 1030, what);
                }
                if (trusted != null) {
                    assertThat(error).as("ERROR for the valid CONNECT").isNull();
                    assertThat(replies).extracting(r -> r.type).first().isEqualTo(Wire.CONNECTED);
                    return State.CONNECTED;
                }
                return expectFatal(error, open, 1004, what);  // no fuzz input holds a valid signed token
            }
            case CONNECTED -> {
                if (type == Wire.HELLO || type == Wire.CONNECT || p == null) {
                    return expectFatal(error, open, 1030, what);
                }
                assertThat(error == null ? 0 : (int) error).as("ERROR code for well-formed %s", what).isNotEqualTo(1030);
                if (type == Wire.DISCONNECT) {
                    assertThat(open).as("open after DISCONNECT").isFalse();
                    return State.CLOSED;
                }
                assertThat(open).as("open after well-formed %s (ERROR %s)", what, error).isTrue();
                return State.CONNECTED;
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private static State expectFatal(Integer error, boolean open, int code, String what) {
        assertThat(error).as("ERROR code for %s", what).isEqualTo(code);
        assertThat(open).as("connection open after ERROR %d for %s", code, what).isFalse();
        return State.CLOSED;
    }

    private record Reply(int type, int code, String message) {
    }

    /** Every message the router wrote, parsed (ERROR's code and message; the type of the others), and released. */
    private static List<Reply> drain(EmbeddedChannel ch) {
        List<Reply> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            try {
                int len = b.readInt();
                assertThat(len).isEqualTo(b.readableBytes());
                int type = b.readUnsignedByte();
                if (type == Wire.ERROR) {
                    int code = b.readInt();
                    int mlen = b.readUnsignedShort();
                    out.add(new Reply(type, code, b.readCharSequence(mlen, StandardCharsets.UTF_8).toString()));
                } else {
                    out.add(new Reply(type, 0, ""));
                }
            } finally {
                b.release();
            }
        }
        return out;
    }
}
