package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mismatch -> match -> keyframe request under continuous traffic, with exact event counts: one
 * mismatch per transition into failure, one match per recovery, and a keyframe request reaching
 * the publisher after each match.
 */
@Timeout(90)
class MismatchMatchTest {
  static final String A = "secret number A, long enough";
  static final String B = "secret number B, long enough";
  static final String C = "secret number C, long enough";
  static final Duration GRACE = Duration.ofMillis(700);

  @Test
  void exactEventCountsAcrossTwoTransitions() throws Exception {
    try (TestRouter router = new TestRouter()) {
      String sid = router.createSession(true);
      try (Participant alice = new Participant(router, sid, "alice", A, GRACE);
          Participant bob = new Participant(router, sid, "bob", B, GRACE)) {
        Stream stream = alice.publish(Codec.VP8);
        Subscriber sub = bob.subscribe(bob.streamOf("alice"));
        try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "alice", 500, 30)) {
          // Transition 1 into failure: bob holds B, alice sends under A.
          waitUntil("first mismatch", () -> mismatches(bob) == 1);
          Thread.sleep(2000);
          assertThat(mismatches(bob)).as("one report per transition, not per frame").isEqualTo(1);
          assertThat(bob.rec.frames.get()).isZero();
          SubscriberStats failing = sub.stats();
          assertThat(failing.framesDelivered()).isZero();
          assertThat(failing.failedSecretMismatch()).isPositive();
          assertThat(failing.mismatchEvents()).isEqualTo(1);
          assertThat(bob.rec.subscriberErrors.get(0).getMessage()).contains(stream.id());

          // Recovery 1: bob learns A.
          int keyframesBefore = alice.rec.keyframeRequests.get();
          bob.session.setEncryptionSecret(A);
          waitUntil("first match", () -> bob.rec.matches.get() == 1);
          waitUntil("keyframe request reaches alice", () -> alice.rec.keyframeRequests.get() > keyframesBefore);
          int deliveredAtMatch = bob.rec.frames.get();
          waitUntil("frames flow", () -> bob.rec.frames.get() >= deliveredAtMatch + 15);
          assertThat(sub.stats().keyframeRequestsSent()).isGreaterThanOrEqualTo(1);

          // Transition 2: alice rotates to C, which bob does not hold.
          alice.session.setEncryptionSecret(C);
          waitUntil("second mismatch", () -> mismatches(bob) == 2);
          int keyframesBefore2 = alice.rec.keyframeRequests.get();
          bob.session.setEncryptionSecret(C);
          waitUntil("second match", () -> bob.rec.matches.get() == 2);
          waitUntil("keyframe request after second match", () -> alice.rec.keyframeRequests.get() > keyframesBefore2);
          int delivered2 = bob.rec.frames.get();
          waitUntil("frames flow again", () -> bob.rec.frames.get() >= delivered2 + 15);
          Thread.sleep(500);
        }
        assertThat(mismatches(bob)).isEqualTo(2);
        assertThat(bob.rec.matches.get()).isEqualTo(2);
        assertThat(bob.rec.subscriberErrors).allSatisfy(
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH));
        SubscriberStats end = sub.stats();
        assertThat(end.mismatchEvents()).isEqualTo(2);
        assertThat(end.matchEvents()).isEqualTo(2);
        assertThat(end.failedAuthentication()).isZero();
        assertThat(end.failedMalformed()).isZero();

        // Order of events: error, match, error, match; every delivered payload is a real frame in order.
        List<String> order = bob.rec.log.stream()
            .filter(e -> e.startsWith("subscriber.error") || e.equals("subscriber.match")).toList();
        assertThat(order).containsExactly("subscriber.error:6003", "subscriber.match",
            "subscriber.error:6003", "subscriber.match");
        List<Long> counters = bob.rec.counters(stream.id());
        assertThat(counters).doesNotContain(-1L).isSorted();
      }
    }
  }

  private static long mismatches(Participant p) {
    return p.rec.subscriberErrors(ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
  }
}
