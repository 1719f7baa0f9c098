package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.PublisherListener;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.SessionListener;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberListener;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Closing in any order, from inside listeners, and losing the router: never a crash, never a
 * hang, and the events the contract promises.
 */
@Timeout(60)
class CloseOrderTest {
  static final String SECRET = "closing time secret";
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  @Test
  void sessionClosedBeforeItsPublisherAndSubscriberLeavesThemInert() throws Exception {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, null)) {
      alice.publish(Codec.VP8);
      Participant bob = new Participant(router, sid, "bob", SECRET, null);
      Subscriber sub = bob.subscribe(bob.streamOf("alice"));
      Publisher bobPub = Publisher.builder().name("bob").listener(bob.rec).build();
      bob.session.publish(bobPub);
      waitUntil("bob's stream", () -> bob.rec.streamsCreated.get() == 1);
      try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "a", 200, 60)) {
        waitUntil("frames", () -> bob.rec.frames.get() > 5);
        bob.session.close();
        assertThat(sub.isClosed()).as("a session closes its subscribers").isTrue();
        assertThatThrownBy(() -> bobPub.sendVideoFrame(new byte[8], true, 0))
            .isInstanceOfSatisfying(OtcException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ERR_INVALID_STATE));
        int framesAtClose = bob.rec.frames.get();
        Thread.sleep(300);
        assertThat(bob.rec.frames.get()).as("no event after close").isEqualTo(framesAtClose);
        bobPub.close();
        sub.close();
        bob.close();
      }
      waitUntil("alice sees bob leave", () -> alice.rec.log.stream().anyMatch(e -> e.startsWith("session.connectionDropped")));
    }
  }

  @Test
  void publisherClosedBeforeItsSessionEndsTheStream() {
    String sid = router.createSession(false);
    try (Participant alice = new Participant(router, sid, "alice", null, null);
        Participant bob = new Participant(router, sid, "bob", null, null)) {
      alice.publish(Codec.VP8);
      bob.subscribe(bob.streamOf("alice"));
      alice.publisher.close();
      waitUntil("bob sees the stream go", () -> bob.rec.streamsDropped.size() == 1);
      waitUntil("bob's subscriber disconnected", () -> bob.rec.subscriberDisconnected.get() == 1);
      assertThat(bob.rec.log).contains("session.streamDropped:UNPUBLISHED");
    }
  }

  @Test
  void closingFromInsideListenersIsSafe() throws Exception {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, null)) {
      alice.publish(Codec.VP9);
      try (FramePump pump = new FramePump(alice.publisher, Codec.VP9, "a", 300, 60)) {
        // A subscriber that closes itself from onFrame, and a session closed from a frame callback.
        CountDownLatch subscriberClosed = new CountDownLatch(1);
        CountDownLatch sessionClosed = new CountDownLatch(1);
        AtomicInteger framesAfterClose = new AtomicInteger();
        // One subscriber per stream and session: two sessions.
        Recorder rec = new Recorder();
        Session bob = router.session(sid, rec).encryptionSecret(SECRET).build();
        bob.connect(router.token(sid));
        Recorder rec2 = new Recorder();
        Session bob2 = router.session(sid, rec2).encryptionSecret(SECRET).build();
        bob2.connect(router.token(sid));
        waitUntil("bob sees alice", () -> !rec.streamsReceived.isEmpty() && !rec2.streamsReceived.isEmpty());
        bob.subscribe(rec.streamsReceived.get(0), new SubscriberListener() {
          @Override
          public void onFrame(Subscriber s, MediaFrame frame) {
            if (s.isClosed()) {
              framesAfterClose.incrementAndGet();
            }
            s.close();
            subscriberClosed.countDown();
          }
        });
        bob2.subscribe(rec2.streamsReceived.get(0), new SubscriberListener() {
          int n;

          @Override
          public void onFrame(Subscriber s, MediaFrame frame) {
            if (++n == 10) {
              s.session().close();
              sessionClosed.countDown();
            }
          }
        });
        assertThat(subscriberClosed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sessionClosed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bob2.isClosed()).isTrue();
        Thread.sleep(200);
        assertThat(framesAfterClose.get()).isZero();
        assertThat(bob.isConnected()).as("closing a subscriber leaves its session alone").isTrue();
        bob.close();
        bob2.close();
      }

      // A publisher closed from its own onStreamCreated, a session closed from onConnected.
      CountDownLatch published = new CountDownLatch(1);
      Session carol = router.session(sid, new SessionListener() {
        @Override
        public void onConnected(Session s) {
          Publisher p = Publisher.builder().name("carol").listener(new PublisherListener() {
            @Override
            public void onStreamCreated(Publisher pub, Stream st) {
              pub.close();
              published.countDown();
            }
          }).build();
          s.publish(p);
        }
      }).encryptionSecret(SECRET).build();
      carol.connect(router.token(sid));
      assertThat(published.await(10, TimeUnit.SECONDS)).isTrue();
      CountDownLatch closedInCallback = new CountDownLatch(1);
      Session dave = router.session(sid, new SessionListener() {
        @Override
        public void onConnected(Session s) {
          s.close();
          closedInCallback.countDown();
        }
      }).build();
      dave.connect(router.token(sid));
      assertThat(closedInCallback.await(10, TimeUnit.SECONDS)).isTrue();
      carol.close();
      dave.close();
    }
  }

  @Test
  void aThrowingListenerNeverHarmsTheSdk() throws Exception {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, null)) {
      alice.publish(Codec.VP8);
      AtomicInteger calls = new AtomicInteger();
      Recorder rec = new Recorder() {
        @Override
        public void onFrame(Subscriber subscriber, MediaFrame frame) {
          calls.incrementAndGet();
          throw new IllegalStateException("listener bug");
        }

        @Override
        public void onStreamReceived(Session session, Stream stream) {
          super.onStreamReceived(session, stream);
          throw new OutOfMemoryError("not really");
        }

        @Override
        public void onConnected(Subscriber subscriber) {
          super.onConnected(subscriber);
          throw new RuntimeException("boom");
        }
      };
      try (Session bob = router.session(sid, rec).encryptionSecret(SECRET).build();
          FramePump pump = new FramePump(alice.publisher, Codec.VP8, "a", 200, 60)) {
        bob.connect(router.token(sid));
        waitUntil("stream", () -> !rec.streamsReceived.isEmpty());
        bob.subscribe(rec.streamsReceived.get(0), rec);
        waitUntil("frames keep coming although every onFrame throws", () -> calls.get() >= 30);
        assertThat(bob.isConnected()).isTrue();
      }
    }
  }

  @Test
  void routerStoppingMidSessionReportsAConnectionCodeAndDisconnects() throws Exception {
    TestRouter doomed = new TestRouter();
    String sid = doomed.createSession(true);
    Participant alice = new Participant(doomed, sid, "alice", SECRET, null);
    Participant bob = new Participant(doomed, sid, "bob", SECRET, null);
    try {
      alice.publish(Codec.VP8);
      bob.subscribe(bob.streamOf("alice"));
      try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "a", 200, 30)) {
        waitUntil("frames", () -> bob.rec.frames.get() > 3);
        long t0 = System.nanoTime();
        doomed.close();
        for (Participant p : new Participant[] {alice, bob}) {
          waitUntil(p.name + " disconnected", Duration.ofSeconds(10), () -> p.rec.sessionDisconnected.get() == 1);
          assertThat(p.rec.sessionErrors).isNotEmpty();
          assertThat(p.rec.sessionErrors.get(0).errorCode())
              .isIn(EnumSet.of(ErrorCode.SESSION_ROUTER_SHUTDOWN, ErrorCode.SESSION_CONNECTION_DROPPED));
          int errorAt = p.rec.log.indexOf("session.error:" + p.rec.sessionErrors.get(0).nativeCode());
          assertThat(errorAt).isLessThan(p.rec.log.indexOf("session.disconnected"));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(bob.rec.subscriberDisconnected.get()).isEqualTo(1);
        assertThat(alice.session.isConnected()).isFalse();
      }
    } finally {
      long t1 = System.nanoTime();
      alice.close();
      bob.close();
      assertThat(Duration.ofNanos(System.nanoTime() - t1)).as("closing after the loss never hangs")
          .isLessThan(Duration.ofSeconds(5));
    }
  }
}
