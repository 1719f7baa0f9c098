package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rotation under load: three publishers at 30 frames/s, each participant subscribed to the other
 * two; everyone switches to a new secret within the grace period, staggered. Zero frames may be
 * lost or undecryptable. After the grace period the old secret is gone: frames under it mismatch.
 */
@Timeout(120)
class RotationUnderLoadTest {
  static final String OLD = "the old secret of the session";
  static final String NEW = "the new secret of the session";
  static final Duration GRACE = Duration.ofSeconds(2);
  static final Codec[] CODECS = {Codec.VP8, Codec.VP9, Codec.H264};

  @Test
  void everyoneRotatesWithinTheGracePeriodWithoutLosingAFrame() throws Exception {
    try (TestRouter router = new TestRouter()) {
      String sid = router.createSession(true);
      List<Participant> ps = new ArrayList<>();
      List<FramePump> pumps = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          ps.add(new Participant(router, sid, "p" + i, OLD, GRACE));
        }
        Stream[] streams = new Stream[3];
        for (int i = 0; i < 3; i++) {
          streams[i] = ps.get(i).publish(CODECS[i]);
        }
        List<Subscriber[]> subs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Subscriber[] row = new Subscriber[3];
          for (int j = 0; j < 3; j++) {
            if (i != j) {
              row[j] = ps.get(i).subscribe(ps.get(i).streamOf("p" + j));
            }
          }
          subs.add(row);
        }
        for (int i = 0; i < 3; i++) {
          pumps.add(new FramePump(ps.get(i).publisher, CODECS[i], "p" + i, 1200, 30));
        }
        Thread.sleep(700);
        // Staggered switch, 300 ms apart. Each participant derives the key on its own thread, as
        // separate clients would, so the stagger does not depend on how long the KDF takes on a
        // loaded machine (subscribers hold undecryptable frames for at most 2 s).
        List<Thread> switches = new ArrayList<>();
        List<Throwable> switchFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
          Participant p = ps.get(i);
          long delay = 300L * i;
          Thread t = new Thread(() -> {
            try {
              Thread.sleep(delay);
              p.session.setEncryptionSecret(NEW);
            } catch (Throwable e) {
              switchFailures.add(e);
            }
          }, "switch-" + p.name);
          t.start();
          switches.add(t);
        }
        for (Thread t : switches) {
          t.join(10_000);
        }
        assertThat(switchFailures).isEmpty();
        Thread.sleep(1000);
        long held = 0;
        long recovered = 0;
        long[] sent = new long[3];
        for (int i = 0; i < 3; i++) {
          sent[i] = pumps.get(i).stop();
          assertThat(pumps.get(i).sendErrors).isEmpty();
          assertThat(sent[i]).isGreaterThan(60);
        }
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            if (i == j) {
              continue;
            }
            Participant receiver = ps.get(i);
            String streamId = streams[j].id();
            long expected = sent[j];
            waitUntil("p" + i + " got every frame of p" + j,
                () -> receiver.rec.counters(streamId).size() >= expected);
            assertThat(receiver.rec.counters(streamId))
                .as("p%d receives p%d's frames 0..%d, in order, none lost", i, j, expected - 1)
                .containsExactlyElementsOf(LongStream.range(0, expected).boxed().toList());
            SubscriberStats st = subs.get(i)[j].stats();
            assertThat(st.framesFailed()).isZero();
            assertThat(st.mismatchEvents()).isZero();
            assertThat(st.framesDelivered()).isEqualTo(expected);
            held += st.framesHeld();
            recovered += st.framesRecovered();
          }
          assertThat(ps.get(i).rec.subscriberErrors).isEmpty();
        }

        // The staggered switch was real: frames under the new secret reached participants that had
        // not switched yet, waited in their hold buffers, and were recovered, every one of them.
        assertThat(held).isPositive();
        assertThat(recovered).isEqualTo(held);

        // After the grace period the old secret is wiped everywhere: p0 going back to it mismatches.
        Thread.sleep(GRACE.toMillis() + 500);
        ps.get(0).session.setEncryptionSecret(OLD);
        try (FramePump late = new FramePump(ps.get(0).publisher, CODECS[0], "p0-late", 300, 30)) {
          for (int i = 1; i < 3; i++) {
            Participant receiver = ps.get(i);
            waitUntil("p" + i + " reports a mismatch for the old secret",
                () -> receiver.rec.subscriberErrors(ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH) == 1);
          }
          Thread.sleep(1000);
        }
        for (int i = 1; i < 3; i++) {
          assertThat(ps.get(i).rec.subscriberErrors(ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH)).isEqualTo(1);
          assertThat(ps.get(i).rec.counters(streams[0].id())).hasSize((int) sent[0]);
        }
      } finally {
        for (FramePump p : pumps) {
          p.stop();
        }
        for (Participant p : ps) {
          p.close();
        }
      }
    }
  }
}
