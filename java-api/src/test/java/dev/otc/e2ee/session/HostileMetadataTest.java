package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.HostileWire.MEDIA_FRAME;
import static dev.otc.e2ee.session.HostileWire.type;
import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A router that reuses genuine ciphertext under other routing metadata: a publisher's frames
 * reflected back to it (as they were, and as frames of a stream it subscribes to), a payload moved
 * to another stream, given another codec or another timestamp. The metadata is authenticated
 * (docs/PROTOCOL.md sec. 4), so each such frame fails authentication, is counted, and is never
 * delivered; the honest frames around it still are.
 */
@Timeout(60)
class HostileMetadataTest {
  static final String SECRET = "hostile router metadata secret";
  /** Alice's frame counters start here, carol's at 0, so a misplaced frame is recognisable. */
  static final int ALICE = 5000;
  static final int FRAMES = 20;
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  static void send(Participant p, int base, int count) {
    for (int i = 0; i < count; i++) {
      p.publisher.sendFrame(MediaFrame.video(Codec.VP8, i == 0, (base + i) * 33_333L,
          FramePump.payload(p.name, base + i, 300)));
    }
  }

  @Test
  void framesReflectedToTheirPublisherAreRefused() throws Exception {
    String sid = router.createSession(true);
    try (HostileRouter evil = new HostileRouter(router.router.mediaUrl());
        Participant carol = new Participant(router, sid, "carol", SECRET, null);
        Participant alice = new Participant(router, evil.url(), sid, "alice", SECRET, null)) {
      Stream carolStream = carol.publish(Codec.VP8);
      Subscriber sub = alice.subscribe(alice.streamOf("carol"));
      AtomicInteger reflected = new AtomicInteger();
      evil.rule((link, dir, m) -> {
        if (dir == HostileRouter.Dir.TO_ROUTER && type(m) == MEDIA_FRAME) {
          // Back to alice: byte for byte (a stream she does not subscribe to), and as carol's.
          HostileWire.Frame f = HostileWire.Frame.of(m);
          try {
            link.toClient(m);
            link.toClient(f.withStreamId(carolStream.id()).encode());
            reflected.incrementAndGet();
          } catch (java.io.IOException e) {
            // alice's connection is closing: nothing left to reflect to
          }
        }
        return List.of(m);
      });
      alice.publish(Codec.VP8);
      send(alice, ALICE, FRAMES);
      waitUntil("all reflected", () -> reflected.get() == FRAMES);
      send(carol, 0, 5);
      waitUntil("carol's genuine frames delivered", () -> alice.rec.counters(carolStream.id()).size() == 5);
      evil.links.get(0).barrier(alice.rec);

      assertThat(alice.rec.counters(carolStream.id())).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(alice.rec.countersByStream.keySet()).containsExactly(carolStream.id());
      assertThat(sub.stats().failedAuthentication()).as("reflected frames refused as carol's").isEqualTo(FRAMES);
    }
  }

  @Test
  void payloadMovedToAnotherStreamIsRefused() throws Exception {
    runMoved(f -> f, true);
  }

  @Test
  void payloadGivenAnotherCodecIsRefused() throws Exception {
    runMoved(f -> f.withCodec(f.codec() == 2 ? 1 : 2), false);
  }

  @Test
  void payloadGivenAnotherTimestampIsRefused() throws Exception {
    runMoved(f -> f.withTimestamp(f.timestampUs() + 1), false);
  }

  /**
   * Alice's frames to bob are rewritten by {@code change} and, with {@code toCarol}, moved into
   * carol's stream. Bob must deliver none of them and count each as an authentication failure.
   */
  private void runMoved(UnaryOperator<HostileWire.Frame> change, boolean toCarol) throws Exception {
    String sid = router.createSession(true);
    try (HostileRouter evil = new HostileRouter(router.router.mediaUrl());
        Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant carol = new Participant(router, sid, "carol", SECRET, null);
        Participant bob = new Participant(router, evil.url(), sid, "bob", SECRET, null)) {
      Stream aliceStream = alice.publish(Codec.VP8);
      Stream carolStream = carol.publish(Codec.VP8);
      AtomicInteger altered = new AtomicInteger();
      evil.rule((link, dir, m) -> {
        if (dir == HostileRouter.Dir.TO_CLIENT && type(m) == MEDIA_FRAME) {
          HostileWire.Frame f = HostileWire.Frame.of(m);
          if (f.streamId().equals(aliceStream.id())) {
            HostileWire.Frame g = change.apply(f);
            if (toCarol) {
              g = g.withStreamId(carolStream.id());
            }
            altered.incrementAndGet();
            return List.of(g.encode());
          }
        }
        return List.of(m);
      });
      Subscriber aliceSub = bob.subscribe(bob.streamOf("alice"));
      Subscriber carolSub = bob.subscribe(bob.streamOf("carol"));
      send(alice, ALICE, FRAMES);
      waitUntil("all altered", () -> altered.get() == FRAMES);
      send(carol, 0, 5);
      waitUntil("carol's genuine frames delivered", () -> bob.rec.counters(carolStream.id()).size() == 5);
      evil.links.get(0).barrier(bob.rec);

      assertThat(bob.rec.counters(carolStream.id())).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(bob.rec.counters(aliceStream.id())).as("altered frames delivered").isEmpty();
      Subscriber victim = toCarol ? carolSub : aliceSub;
      assertThat(victim.stats().failedAuthentication()).as("altered frames refused").isEqualTo(FRAMES);
      assertThat(aliceSub.stats().framesDelivered() + carolSub.stats().framesDelivered()).isEqualTo(5);
    }
  }
}
