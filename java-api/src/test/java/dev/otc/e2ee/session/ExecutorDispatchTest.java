package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.SessionListener;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Events on an application executor: they run on its threads, in order per object even on a
 * multi-threaded pool, frames stay intact after the native callback returned, and a listener that
 * falls behind costs dropped (counted) frames, never unbounded memory or a blocked SDK.
 */
@Timeout(60)
class ExecutorDispatchTest {
  static final String SECRET = "executor dispatch secret";
  @RegisterExtension static final TestRouter router = TestRouter.perClass();
  static ExecutorService pool;

  @BeforeAll
  static void start() {
    pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "app-pool");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stop() throws InterruptedException {
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void eventsRunOnTheExecutorInOrderWithIntactCopies() throws Exception {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, null)) {
      alice.publish(Codec.VP8);
      Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
      List<Session> sessions = new ArrayList<>();
      List<List<Long>> perSubscriber = new ArrayList<>();
      List<List<MediaFrame>> kept = new ArrayList<>();
      try {
        // Three clients sharing one 4-thread pool: events of different objects run in parallel,
        // each object's events in order.
        for (int k = 0; k < 3; k++) {
          List<Stream> streams = new CopyOnWriteArrayList<>();
          CountDownLatch connected = new CountDownLatch(1);
          Session bob = router.session(sid, new SessionListener() {
            @Override
            public void onConnected(Session s) {
              threads.add(Thread.currentThread().getName());
              connected.countDown();
            }

            @Override
            public void onStreamReceived(Session s, Stream st) {
              streams.add(st);
            }
          }).encryptionSecret(SECRET).executor(pool).build();
          sessions.add(bob);
          bob.connect(router.token(sid));
          assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
          waitUntil("stream", () -> !streams.isEmpty());
          List<Long> counters = new CopyOnWriteArrayList<>();
          List<MediaFrame> frames = new CopyOnWriteArrayList<>();
          perSubscriber.add(counters);
          kept.add(frames);
          bob.subscribe(streams.get(0), new SubscriberListener() {
            @Override
            public void onFrame(Subscriber s, MediaFrame frame) {
              threads.add(Thread.currentThread().getName());
              counters.add(FramePump.counterOf(frame));
              frames.add(frame);
            }
          });
        }
        try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "alice", 2000, 120)) {
          waitUntil("frames on all three", () -> perSubscriber.stream().allMatch(l -> l.size() >= 100));
        }
      } finally {
        for (Session s : sessions) {
          s.close();
        }
      }
      assertThat(threads).containsOnly("app-pool");
      for (int k = 0; k < 3; k++) {
        List<Long> c = perSubscriber.get(k);
        for (int i = 1; i < c.size(); i++) {
          assertThat(c.get(i)).as("per-subscriber order").isEqualTo(c.get(i - 1) + 1);
        }
        // Frames were copied out of native memory before the callback returned: contents intact.
        for (MediaFrame f : kept.get(k)) {
          assertThat(f.payloadBytes()).isEqualTo(FramePump.payload("alice", FramePump.counterOf(f), 2000));
        }
      }
    }
  }

  @Test
  void aListenerThatFallsBehindDropsCountedFramesAndNeverBlocksTheSdk() throws Exception {
    String sid = router.createSession(false);
    try (Participant alice = new Participant(router, sid, "alice", null, null)) {
      alice.publish(Codec.VP8);
      ExecutorService single = Executors.newSingleThreadExecutor();
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger delivered = new AtomicInteger();
      Recorder rec = new Recorder();
      try (Session bob = router.session(sid, rec).executor(single).maxQueuedFrames(5).build()) {
        bob.connect(router.token(sid));
        waitUntil("stream", () -> !rec.streamsReceived.isEmpty());
        CountDownLatch subscribed = new CountDownLatch(1);
        Subscriber sub = bob.subscribe(rec.streamsReceived.get(0), new SubscriberListener() {
          @Override
          public void onConnected(Subscriber s) {
            subscribed.countDown();
          }

          @Override
          public void onFrame(Subscriber s, MediaFrame frame) {
            try {
              release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            delivered.incrementAndGet();
          }
        });
        // Every frame sent from now on reaches this subscriber (the guard below counts on it).
        assertThat(subscribed.await(20, TimeUnit.SECONDS)).as("subscribed").isTrue();
        try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "alice", 100, 100)) {
          waitUntil("frames dropped for the stuck listener", () -> sub.stats().framesDroppedByListenerQueue() >= 20);
          // The SDK itself kept going: the native side delivered every frame to the Java layer.
          assertThat(sub.stats().framesDelivered()).isGreaterThanOrEqualTo(25);
        }
        // Frames still in flight when the pump stopped must reach the SDK before the listener is
        // released: one arriving after the release would find the queue empty and be delivered too.
        long sent = alice.publisher.stats().framesSent();
        waitUntil("in-flight frames arrived", () -> sub.stats().framesDelivered() >= sent);
        release.countDown();
        // Every frame the native side handed over was either delivered or dropped and counted.
        waitUntil("queued frames drained", () -> delivered.get() + sub.stats().framesDroppedByListenerQueue()
            == sub.stats().framesDelivered());
        assertThat(delivered.get()).as("one stuck in the listener plus at most 5 queued").isBetween(1, 6);
      } finally {
        single.shutdown();
      }
    }
  }

  @Test
  void queuedFrameCopiesAreBoundedInBytesToo() throws Exception {
    String sid = router.createSession(false);
    try (Participant alice = new Participant(router, sid, "alice", null, null)) {
      alice.publish(Codec.VP8);
      ExecutorService single = Executors.newSingleThreadExecutor();
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger delivered = new AtomicInteger();
      Recorder rec = new Recorder();
      // 1000-byte frames, at most 3000 bytes of copies waiting: the frame count limit is not the one that bites.
      try (Session bob = router.session(sid, rec).executor(single).maxQueuedFrames(1000).maxQueuedBytes(3000).build()) {
        bob.connect(router.token(sid));
        waitUntil("stream", () -> !rec.streamsReceived.isEmpty());
        CountDownLatch subscribed = new CountDownLatch(1);
        Subscriber sub = bob.subscribe(rec.streamsReceived.get(0), new SubscriberListener() {
          @Override
          public void onConnected(Subscriber s) {
            subscribed.countDown();
          }

          @Override
          public void onFrame(Subscriber s, MediaFrame frame) {
            try {
              release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            delivered.incrementAndGet();
          }
        });
        // Every frame sent from now on reaches this subscriber (the guard below counts on it).
        assertThat(subscribed.await(20, TimeUnit.SECONDS)).as("subscribed").isTrue();
        try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "alice", 1000, 100)) {
          waitUntil("frames dropped for the stuck listener", () -> sub.stats().framesDroppedByListenerQueue() >= 20);
        }
        // As above: frames still in flight must reach the SDK before the listener is released.
        long sent = alice.publisher.stats().framesSent();
        waitUntil("in-flight frames arrived", () -> sub.stats().framesDelivered() >= sent);
        release.countDown();
        waitUntil("queued frames drained", () -> delivered.get() + sub.stats().framesDroppedByListenerQueue()
            == sub.stats().framesDelivered());
        assertThat(delivered.get()).as("one stuck in the listener plus at most 3 queued").isBetween(1, 4);
      } finally {
        single.shutdown();
      }
    }
  }
}
