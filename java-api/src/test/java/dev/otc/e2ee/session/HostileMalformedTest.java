package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.Stream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream.Builder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A router that sends broken framing or broken messages in the middle of a live E2EE session: the
 * client reports {@code OTC_SESSION_PROTOCOL_ERROR} (1030) once, disconnects, allocates nothing
 * near the announced length, and the process carries on (the session can be closed, a new one
 * works). A message cut off by the end of the connection is a dropped connection (1022).
 */
@Timeout(60)
class HostileMalformedTest {
  static final String SECRET = "hostile router malformed secret";
  static final int PROTOCOL_ERROR = 1030;
  static final int CONNECTION_DROPPED = 1022;
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  static byte[] framed(int length, byte[] content) {
    return ByteBuffer.allocate(4 + content.length).putInt(length).put(content).array();
  }

  static byte[] message(byte[] content) {
    return framed(content.length, content);
  }

  static java.util.stream.Stream<Arguments> brokenMessages() {
    byte[] tinyFrame = {0x07, 0x00, 0x01, 'x'};  // MEDIA_FRAME cut inside its header
    byte[] badUtf8Signal = HostileWire.signal("", "t", "d");
    badUtf8Signal[badUtf8Signal.length - 1] = (byte) 0xC3;  // a lone lead byte
    byte[] trailing = Arrays.copyOf(HostileWire.signal("", "t", "d"), 6);  // SIGNAL missing its last str
    Builder<Arguments> b = java.util.stream.Stream.builder();
    b.add(Arguments.of("length 0", framed(0, new byte[0])));
    b.add(Arguments.of("length 4 MiB + 1", framed(4 * 1024 * 1024 + 1, new byte[] {0x07})));
    b.add(Arguments.of("length 2^31 - 1", framed(Integer.MAX_VALUE, new byte[] {0x07})));
    b.add(Arguments.of("length 2^32 - 1", framed(-1, new byte[] {0x07})));
    b.add(Arguments.of("unknown type", message(new byte[] {0x55, 1, 2, 3})));
    b.add(Arguments.of("MEDIA_FRAME shorter than its header", message(tinyFrame)));
    b.add(Arguments.of("SIGNAL with invalid UTF-8", message(badUtf8Signal)));
    b.add(Arguments.of("SIGNAL missing a field", message(trailing)));
    b.add(Arguments.of("str length past the end", message(new byte[] {(byte) 0x87, (byte) 0xFF, (byte) 0xFF, 'a'})));
    return b.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenMessages")
  void brokenMessageIsAProtocolError(String name, byte[] bytes) throws Exception {
    String sid = router.createSession(true);
    try (HostileRouter evil = new HostileRouter(router.router.mediaUrl());
        Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, evil.url(), sid, "bob", SECRET, null)) {
      Stream stream = alice.publish(Codec.VP8);
      bob.subscribe(bob.streamOf("alice"));
      long heapBefore = NativeHeap.inUse();
      evil.links.get(0).rawToClient(bytes);
      waitUntil("bob disconnected after " + name, () -> bob.rec.sessionDisconnected.get() == 1);
      assertThat(bob.rec.sessionErrors).extracting(e -> e.nativeCode()).containsExactly(PROTOCOL_ERROR);
      assertThat(NativeHeap.inUse() - heapBefore).as("native bytes allocated").isLessThan(64L << 20);
      assertThat(bob.session.isConnected()).isFalse();
      // The rest of the session is unaffected, and the process can connect again.
      try (Participant again = new Participant(router, sid, "bob-again", SECRET, null)) {
        again.subscribe(stream);
      }
    }
  }

  @Test
  void messageCutOffByTheEndOfTheConnectionIsADroppedConnection() throws Exception {
    String sid = router.createSession(true);
    try (HostileRouter evil = new HostileRouter(router.router.mediaUrl());
        Participant bob = new Participant(router, evil.url(), sid, "bob", SECRET, null)) {
      byte[] half = Arrays.copyOf(message(("x".repeat(1000)).getBytes(StandardCharsets.US_ASCII)), 300);
      half[4] = 0x09;
      HostileRouter.Link link = evil.links.get(0);
      link.rawToClient(half);
      link.shutdownToClient();
      waitUntil("bob disconnected", () -> bob.rec.sessionDisconnected.get() == 1);
      assertThat(bob.rec.sessionErrors).extracting(e -> e.nativeCode()).containsExactly(CONNECTION_DROPPED);
    }
  }
}
