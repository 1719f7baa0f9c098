package dev.otc.e2ee.benchmarks.session;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.PublisherListener;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.SessionListener;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberListener;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Role;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One publisher and N subscribers, each subscriber a client of its own (own session object, own
 * connection, own SDK threads), all in this JVM, through an embedded router on loopback. Each
 * frame carries its send time ({@link System#nanoTime()}) in its first 8 bytes, so a subscriber
 * callback knows the frame's latency without any clock shared beyond this process.
 */
final class SessionRig implements AutoCloseable {
  static final String SECRET = "benchmark secret, not a real one";
  private static final long WAIT_SECONDS = 30;

  /** Called on a subscriber's SDK thread for every frame with its send-to-callback latency. */
  interface LatencySink {
    void frame(long latencyNanos);
  }

  private final MediaRouter router;
  private final Session publisherSession;
  private final Publisher publisher;
  private final List<Session> subscriberSessions = new ArrayList<>();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final ByteBuffer payload;
  private final LongAdder delivered = new LongAdder();
  private volatile LatencySink sink = latency -> { };
  private long sequence;

  SessionRig(int subscriberCount, boolean e2ee, int payloadSize) throws InterruptedException {
    router = MediaRouter.builder().ioThreads(2).subscriberQueueBytes(16L * 1024 * 1024).start();
    try {
      String sid = router.createSession(e2ee);
      CountDownLatch created = new CountDownLatch(1);
      AtomicReference<Stream> stream = new AtomicReference<>();
      publisherSession = connect(sid, e2ee, new SessionListener() { });
      publisher = Publisher.builder().name("bench").videoCodec(Codec.VP8).hasAudio(false)
          .listener(new PublisherListener() {
            @Override
            public void onStreamCreated(Publisher p, Stream s) {
              stream.set(s);
              created.countDown();
            }
          }).build();
      publisherSession.publish(publisher);
      await(created, "stream created");

      CountDownLatch subscribed = new CountDownLatch(subscriberCount);
      SubscriberListener listener = new SubscriberListener() {
        @Override
        public void onConnected(Subscriber s) {
          subscribed.countDown();
        }

        @Override
        public void onFrame(Subscriber s, MediaFrame frame) {
          long now = System.nanoTime();
          long sent = frame.payload().getLong(0);
          delivered.increment();
          sink.frame(now - sent);
        }
      };
      for (int i = 0; i < subscriberCount; i++) {
        Session s = connect(sid, e2ee, new SessionListener() { });
        subscriberSessions.add(s);
        subscribers.add(s.subscribe(stream.get(), listener));
      }
      await(subscribed, "subscriptions");
      payload = ByteBuffer.allocateDirect(payloadSize);
      for (int i = 8; i < payloadSize; i++) {
        payload.put(i, (byte) i);
      }
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
  }

  private Session connect(String sid, boolean e2ee, SessionListener base) throws InterruptedException {
    CountDownLatch connected = new CountDownLatch(1);
    Session.Builder b = Session.builder().applicationId(router.applicationId()).sessionId(sid)
        .routerUrl(router.mediaUrl()).listener(new SessionListener() {
          @Override
          public void onConnected(Session s) {
            connected.countDown();
          }
        });
    if (e2ee) {
      b.encryptionSecret(SECRET);
    }
    Session s = b.build();
    s.connect(router.generateClientToken(sid, Role.PUBLISHER, Duration.ofHours(1), ""));
    await(connected, "connect");
    return s;
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("benchmark set-up: timed out waiting for " + what);
    }
  }

  void onFrame(LatencySink sink) {
    this.sink = sink;
  }

  long delivered() {
    return delivered.sum();
  }

  int subscriberCount() {
    return subscribers.size();
  }

  /** Sends one frame stamped with the current time; every 30th is a keyframe. */
  void send() {
    payload.putLong(0, System.nanoTime());
    publisher.sendVideoFrame(payload.duplicate(), sequence++ % 30 == 0, sequence * 33_333);
  }

  @Override
  public void close() {
    for (Subscriber s : subscribers) {
      s.close();
    }
    for (Session s : subscriberSessions) {
      s.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (publisherSession != null) {
      publisherSession.close();
    }
    router.close();
  }

  /** Waits (spinning briefly, then parking) until {@code counter} reaches zero. */
  static void awaitZero(AtomicInteger counter, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    int spins = 0;
    while (counter.get() > 0) {
      if (++spins < 2000) {
        Thread.onSpinWait();
      } else {
        java.util.concurrent.locks.LockSupport.parkNanos(20_000);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(counter.get() + " subscribers never received the frame");
      }
    }
  }
}
