package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.HostileWire.MEDIA_FRAME;
import static dev.otc.e2ee.session.HostileWire.SUBSCRIBED;
import static dev.otc.e2ee.session.HostileWire.type;
import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A router that records a stream's genuine E2EE frames and plays them again: to the same app
 * session after it unsubscribed and subscribed again, and to a subscriber that joins late (twice
 * over, then again after a resubscribe). No frame reaches one app session twice; the replays are
 * counted as replayed; live frames after the replay still arrive.
 */
@Timeout(60)
class HostileReplayTest {
  static final String SECRET = "hostile router replay secret";
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  /** Records alice's frames as the router forwards them, and replays them after chosen SUBSCRIBEDs. */
  static final class Recording implements HostileRouter.Rule {
    final String streamId;
    final List<byte[]> frames = new CopyOnWriteArrayList<>();
    volatile boolean recording = true;
    /** The n-th SUBSCRIBED (1-based) of the stream, and how many copies of the recording follow it. */
    final int[] copiesAfterSubscribed;
    final AtomicInteger subscribed = new AtomicInteger();
    final AtomicInteger replayed = new AtomicInteger();

    Recording(String streamId, int... copiesAfterSubscribed) {
      this.streamId = streamId;
      this.copiesAfterSubscribed = copiesAfterSubscribed;
    }

    @Override
    public List<byte[]> apply(HostileRouter.Link link, HostileRouter.Dir dir, byte[] m) {
      if (dir != HostileRouter.Dir.TO_CLIENT) {
        return List.of(m);
      }
      if (type(m) == MEDIA_FRAME && recording && HostileWire.Frame.of(m).streamId().equals(streamId)) {
        frames.add(m);
      }
      if (type(m) == SUBSCRIBED && HostileWire.streamIdOf(m).equals(streamId)) {
        int n = subscribed.incrementAndGet();
        int copies = n <= copiesAfterSubscribed.length ? copiesAfterSubscribed[n - 1] : 0;
        List<byte[]> out = new ArrayList<>(List.of(m));
        for (int c = 0; c < copies; c++) {
          out.addAll(frames);
          replayed.addAndGet(frames.size());
        }
        return out;
      }
      return List.of(m);
    }
  }

  static void send(Participant p, int from, int to) {
    for (int i = from; i < to; i++) {
      p.publisher.sendFrame(MediaFrame.video(Codec.VP8, i % 10 == 0, i * 33_333L, FramePump.payload("alice", i, 500)));
    }
  }

  static void assertNoDuplicates(List<Long> counters) {
    assertThat(new HashSet<>(counters)).as("distinct frames delivered, of %s", counters).hasSize(counters.size());
  }

  @Test
  void recordedStreamReplayedAfterResubscribeIsNotDeliveredAgain() throws Exception {
    String sid = router.createSession(true);
    try (HostileRouter evil = new HostileRouter(router.router.mediaUrl());
        Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, evil.url(), sid, "bob", SECRET, null)) {
      Stream stream = alice.publish(Codec.VP8);
      // First SUBSCRIBED: nothing; the second (the resubscribe): the whole recording.
      Recording rec = new Recording(stream.id(), 0, 1);
      evil.rule(rec);
      Subscriber first = bob.subscribe(bob.streamOf("alice"));
      send(alice, 0, 20);
      waitUntil("bob got 20", () -> bob.rec.counters(stream.id()).size() == 20);
      rec.recording = false;
      first.close();
      bob.subscribers.remove(first);

      Subscriber second = bob.subscribe(stream);
      send(alice, 20, 30);
      waitUntil("bob got the live frames after the replay",
          () -> bob.rec.counters(stream.id()).contains(29L));
      evil.links.get(0).barrier(bob.rec);

      List<Long> counters = bob.rec.counters(stream.id());
      assertThat(rec.replayed.get()).isEqualTo(20);
      assertNoDuplicates(counters);
      assertThat(counters).as("every genuine frame once").containsExactlyInAnyOrderElementsOf(range(0, 30));
      assertThat(second.stats().failedReplayed()).as("replays counted by the new subscription").isEqualTo(20);
      assertThat(second.stats().framesDelivered()).isEqualTo(10);
    }
  }

  @Test
  void recordedStreamReplayedToALateJoinerIsDeliveredAtMostOnce() throws Exception {
    String sid = router.createSession(true);
    try (HostileRouter evil = new HostileRouter(router.router.mediaUrl());
        Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, evil.url(), sid, "bob", SECRET, null)) {
      Stream stream = alice.publish(Codec.VP8);
      // The recording is made from another participant's subscription through a second proxy:
      // bob's link never forwards these frames live. Bob joins late: right after his SUBSCRIBED
      // the router plays the recording twice; after his resubscribe, once more.
      Recording rec = new Recording(stream.id(), 2, 1);
      try (HostileRouter tap = new HostileRouter(router.router.mediaUrl());
          Participant carolViaTap = new Participant(router, tap.url(), sid, "carol2", SECRET, null)) {
        tap.rule((link, dir, m) -> {
          if (dir == HostileRouter.Dir.TO_CLIENT && type(m) == MEDIA_FRAME) {
            rec.frames.add(m);
          }
          return List.of(m);
        });
        carolViaTap.subscribe(carolViaTap.streamOf("alice"));
        send(alice, 0, 20);
        waitUntil("recorded 20", () -> rec.frames.size() == 20);
      }
      rec.recording = false;
      evil.rule(rec);

      Subscriber late = bob.subscribe(bob.streamOf("alice"));
      send(alice, 20, 25);
      waitUntil("bob got live frame 24", () -> bob.rec.counters(stream.id()).contains(24L));
      evil.links.get(0).barrier(bob.rec);
      assertNoDuplicates(bob.rec.counters(stream.id()));
      assertThat(late.stats().failedReplayed()).as("second copy of the recording refused").isGreaterThanOrEqualTo(20);

      late.close();
      bob.subscribers.remove(late);
      Subscriber again = bob.subscribe(stream);
      send(alice, 25, 30);
      waitUntil("bob got live frame 29", () -> bob.rec.counters(stream.id()).contains(29L));
      evil.links.get(0).barrier(bob.rec);

      List<Long> counters = bob.rec.counters(stream.id());
      assertThat(rec.replayed.get()).isEqualTo(60);
      assertNoDuplicates(counters);
      assertThat(counters).containsAll(range(20, 30));
      assertThat(again.stats().failedReplayed()).as("third copy, after the resubscribe, refused").isEqualTo(20);
    }
  }

  static List<Long> range(long from, long to) {
    List<Long> l = new ArrayList<>();
    for (long i = from; i < to; i++) {
      l.add(i);
    }
    return l;
  }
}
