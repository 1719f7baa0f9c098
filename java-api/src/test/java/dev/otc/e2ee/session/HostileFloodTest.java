package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.router.MediaObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A router that pushes large frames as fast as a subscriber's socket takes them while the app's
 * {@code onFrame} is slow (it sleeps): the client's native memory stays bounded (peak of
 * {@link NativeHeap#inUse()} over the flood, against a flood of {@value #FLOOD} MiB), frames are
 * dropped and counted, and the session stays usable (a signal behind the flood arrives).
 */
@Timeout(90)
class HostileFloodTest {
  static final String SECRET = "hostile router flood secret";
  static final int FRAME = 1 << 20;
  static final int FLOOD = 300;
  /** Allowed growth of the native heap during the flood: a third of the flood. */
  static final long BOUND = 100L << 20;
  /** OTC_SUBSCRIBER_QUEUE_MAX_BYTES (otc/subscriber.h). */
  static final long SUBSCRIBER_QUEUE_MAX_BYTES = 16L << 20;
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  /**
   * A subscriber listener whose onFrame is stuck while {@link #slow} is set (not merely slow: how
   * slow would depend on how fast this machine floods).
   */
  static final class SlowApp extends Recorder {
    final AtomicBoolean slow = new AtomicBoolean(true);

    @Override
    public void onFrame(Subscriber subscriber, dev.otc.e2ee.MediaFrame frame) {
      frames.incrementAndGet();
      while (slow.get()) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Test
  void slowSubscriberFloodedWithLargeFramesStaysBounded() throws Exception {
    String sid = router.createSession(true);
    AtomicLong atRouter = new AtomicLong();
    try (HostileRouter evil = new HostileRouter(router.router.mediaUrl());
        Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, evil.url(), sid, "bob", SECRET, null)) {
      Stream stream = alice.publish(Codec.VP8);
      MediaObserver observer = (s, st, dir, m) -> {
        if (st.equals(stream.id()) && dir == MediaObserver.Direction.RECEIVED) {
          atRouter.incrementAndGet();
        }
      };
      router.router.addMediaObserver(observer);
      SlowApp app = new SlowApp();
      Subscriber sub = bob.session.subscribe(bob.streamOf("alice"), app);
      try {
        waitUntil("subscribed", () -> app.subscriberConnected.get() == 1);
        byte[] payload = new byte[FRAME];
        // Warm-up: a few large frames at the app's pace, so every pool involved has its chunks.
        app.slow.set(false);
        for (int i = 0; i < 8; i++) {
          // One at a time: the router's own 2 MiB queue per subscriber would drop a burst.
          int n = i + 1;
          send(alice, i, payload);
          waitUntil("warm-up frame delivered", () -> app.frames.get() == n);
        }
        app.slow.set(true);

        long base = NativeHeap.inUse();
        AtomicLong peak = new AtomicLong(base);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
          while (sampling.get()) {
            peak.accumulateAndGet(NativeHeap.inUse(), Math::max);
            try {
              Thread.sleep(2);
            } catch (InterruptedException e) {
              return;
            }
          }
        }, "native-heap-sampler");
        sampler.start();
        for (int i = 8; i < 8 + FLOOD; i++) {
          send(alice, i, payload);
          // Alice must not be what grows: keep her at most a few frames ahead of the router.
          long sent = i - 8 + 1;
          waitUntil("router read alice's frame", () -> atRouter.get() >= 8 + sent - 4);
        }
        waitUntil("the router read the whole flood", () -> atRouter.get() == 8 + FLOOD);
        waitUntil("the SDK dropped frames for the stuck app", () -> sub.stats().framesDroppedQueue() > 0);
        app.slow.set(false);
        waitUntil("what was queued is delivered or dropped", () -> {
          var st = sub.stats();
          return st.framesDelivered() + st.framesDroppedQueue() + st.framesFailed() == st.framesReceived()
              && st.framesReceived() > 8;
        });
        evil.links.get(0).barrier(bob.rec);
        sampling.set(false);
        sampler.join();

        long growth = peak.get() - base;
        long delivered = app.frames.get() - 8;
        System.out.printf("flood: %d x %d B, native heap peak growth %d MiB, delivered %d, stats %s%n",
            FLOOD, FRAME, growth >> 20, delivered, sub.stats());
        assertThat(growth).as("native heap growth during a %d MiB flood", FLOOD).isLessThan(BOUND);
        assertThat(delivered).as("frames delivered to the slow app").isLessThan(FLOOD);
        var stats = sub.stats();
        assertThat(stats.framesDroppedQueue()).as("frames dropped at the queue bound, counted").isPositive();
        assertThat(stats.framesDelivered() + stats.framesDroppedQueue())
            .as("every frame received is delivered or counted as dropped").isEqualTo(stats.framesReceived());
        assertThat(stats.queuedBytesMax()).as("bytes ever queued for the app")
            .isLessThanOrEqualTo(SUBSCRIBER_QUEUE_MAX_BYTES);
        assertThat(bob.session.isConnected()).isTrue();
      } finally {
        router.router.removeMediaObserver(observer);
        sub.close();
      }
    }
  }

  static void send(Participant alice, int i, byte[] payload) {
    byte[] head = FramePump.payload("alice", i, 32);
    System.arraycopy(head, 0, payload, 0, head.length);
    alice.publisher.sendFrame(MediaFrame.video(Codec.VP8, i % 30 == 0, i * 33_333L, payload));
  }
}
