package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.router.MediaObserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the router handles: ciphertext only in an E2EE session (a plaintext marker never appears in
 * any MEDIA_FRAME it receives or forwards), plaintext in a non-E2EE session (so the check is able
 * to see the marker), and unencrypted frames refused in an E2EE session.
 */
@Timeout(60)
class CiphertextAtRouterTest {
  static final String SECRET = "router never sees this one";
  static final byte[] MARKER = "OTC-PLAINTEXT-MARKER-7f3a".getBytes(StandardCharsets.US_ASCII);
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  /** Counts router-side messages of one session and those containing the marker. */
  static final class MarkerWatch implements MediaObserver {
    final String sessionId;
    final AtomicLong received = new AtomicLong();
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong withMarker = new AtomicLong();

    MarkerWatch(String sessionId) {
      this.sessionId = sessionId;
    }

    @Override
    public void onMediaFrame(String sid, String streamId, Direction direction, ByteBuffer message) {
      if (!sid.equals(sessionId)) {
        return;
      }
      (direction == Direction.RECEIVED ? received : forwarded).incrementAndGet();
      byte[] bytes = new byte[message.remaining()];
      message.duplicate().get(bytes);
      if (indexOf(bytes, MARKER) >= 0) {
        withMarker.incrementAndGet();
      }
    }
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static byte[] frameWithMarker(int n) {
    byte[] head = ("m|" + n + "|").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + MARKER.length + 100];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(MARKER, 0, out, head.length, MARKER.length);
    return out;
  }

  long sendMarkedFrames(boolean e2ee, MarkerWatch watch) {
    String sid = watch.sessionId;
    String secret = e2ee ? SECRET : null;
    try (Participant alice = new Participant(router, sid, "alice", secret, null);
        Participant bob = new Participant(router, sid, "bob", secret, null)) {
      alice.publish(Codec.H264);
      bob.subscribe(bob.streamOf("alice"));
      for (int i = 0; i < 40; i++) {
        alice.publisher.sendFrame(MediaFrame.video(Codec.H264, i == 0, i, frameWithMarker(i)));
      }
      waitUntil("bob got all frames", () -> bob.rec.frames.get() == 40);
      MediaFrame last = bob.rec.lastFrame.values().iterator().next();
      assertThat(indexOf(last.payloadBytes(), MARKER)).as("subscriber sees the plaintext").isPositive();
      waitUntil("router saw every frame both ways", () -> watch.received.get() == 40 && watch.forwarded.get() == 40);
      return watch.withMarker.get();
    }
  }

  @Test
  void routerHandlesOnlyCiphertextInAnE2eeSession() {
    MarkerWatch watch = new MarkerWatch(router.createSession(true));
    router.router.addMediaObserver(watch);
    try {
      assertThat(sendMarkedFrames(true, watch)).as("messages at the router containing the marker").isZero();
    } finally {
      router.router.removeMediaObserver(watch);
    }
  }

  @Test
  void theMarkerIsVisibleWithoutE2eeSoTheCheckAboveIsMeaningful() {
    MarkerWatch watch = new MarkerWatch(router.createSession(false));
    router.router.addMediaObserver(watch);
    try {
      assertThat(sendMarkedFrames(false, watch)).isEqualTo(80);
    } finally {
      router.router.removeMediaObserver(watch);
    }
  }

  @Test
  void nonE2eeSessionWorksWithoutASecret() {
    String sid = router.createSession(false);
    try (Participant alice = new Participant(router, sid, "alice", null, null);
        Participant bob = new Participant(router, sid, "bob", null, null)) {
      assertThat(alice.session.isE2ee()).isFalse();
      Stream stream = alice.publish(Codec.VP8);
      assertThat(stream.isE2ee()).isFalse();
      Subscriber sub = bob.subscribe(bob.streamOf("alice"));
      try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "plain", 400, 60)) {
        waitUntil("frames", () -> bob.rec.frames.get() >= 20);
      }
      assertThat(bob.rec.subscriberErrors).isEmpty();
      assertThat(sub.stats().framesDecrypted()).isZero();
      assertThat(alice.publisher.stats().framesEncrypted()).isZero();
    }
  }

  @Test
  void unencryptedFramesAreRefusedInAnE2eeSession() throws Exception {
    String sid = router.createSession(true);
    try (Participant bob = new Participant(router, sid, "bob", SECRET, null);
        RawClient raw = new RawClient(router.router.mediaUrl(), router.token(sid))) {
      RawClient.Message refused = raw.publish(false);
      assertThat(refused.type()).isEqualTo(0x8E);
      assertThat(refused.u32()).isEqualTo(ErrorCode.SESSION_UNENCRYPTED_FRAME_REFUSED.code());

      RawClient.Message published = raw.publish(true);
      assertThat(published.type()).isEqualTo(0x85);
      published.u32();
      String streamId = published.str();
      Subscriber sub = bob.subscribe(bob.streamOf("raw"));
      AtomicInteger forwarded = new AtomicInteger();
      MediaObserver obs = (s, st, dir, msg) -> {
        if (st.equals(streamId) && dir == MediaObserver.Direction.FORWARDED) {
          forwarded.incrementAndGet();
        }
      };
      router.router.addMediaObserver(obs);
      try {
        for (int i = 0; i < 5; i++) {
          raw.sendPlainFrame(streamId, i, frameWithMarker(i));
          RawClient.Message error = raw.expect(0x8E);
          assertThat(error.u32()).isEqualTo(ErrorCode.SESSION_UNENCRYPTED_FRAME_REFUSED.code());
        }
        Thread.sleep(300);
      } finally {
        router.router.removeMediaObserver(obs);
      }
      assertThat(forwarded.get()).isZero();
      assertThat(bob.rec.frames.get()).isZero();
      assertThat(sub.stats().framesReceived()).isZero();
    }
  }
}
