package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberStats;
import dev.otc.e2ee.router.DirectoryConfig;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Role;
import dev.otc.e2ee.router.testsupport.LoopbackRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic reconnection with the real router (docs/PROTOCOL.md "Client: redirect and
 * reconnection"): the router node of an E2EE session stops and a new node starts on the same media
 * port, sharing the session directory on a test-started redis-server (the new node takes the
 * session over). Both clients report reconnection started and reconnected, the publisher's frames
 * reach the subscriber again, none twice, all decrypted under the session's unchanged keys.
 */
class ReconnectTest {
  private static final String SECRET = "reconnect test secret";

  @TempDir Path dir;

  @Test
  void aRouterRestartedOnTheSamePortGetsItsClientsBackWithMediaAndE2eeIntact() throws Exception {
    try (LoopbackRedis redis = LoopbackRedis.start(dir)) {
      int mediaPort = freePort();
      Path credentials = dir.resolve("credentials");  // both nodes serve the same application
      MediaRouter first = startNode(redis, "node-1", mediaPort, credentials);
      MediaRouter second = null;
      List<AutoCloseable> closeLast = new ArrayList<>();
      try {
        String sid = first.createSession(true);
        Recorder aliceRec = new Recorder();
        List<Subscriber> bobSubs = new CopyOnWriteArrayList<>();
        // Bob subscribes to every announcement of alice's stream: a router that stops may end
        // alice's stream at Bob before it tells Bob to go (sec. 7), then the stream is new to him.
        Recorder bobRec = new Recorder() {
          @Override
          public void onStreamReceived(Session session, Stream stream) {
            super.onStreamReceived(session, stream);
            bobSubs.add(session.subscribe(stream, this));
          }
        };
        Session alice = connect(first, sid, "alice", aliceRec);
        closeLast.add(alice);
        Session bob = connect(first, sid, "bob", bobRec);
        closeLast.add(bob);
        Publisher publisher =
            Publisher.builder().name("alice").videoCodec(Codec.VP8).hasAudio(false).listener(aliceRec).build();
        closeLast.add(0, publisher);
        alice.publish(publisher);
        waitUntil("alice's stream", () -> aliceRec.publishedStream != null);
        String streamId = aliceRec.publishedStream.id();
        try (FramePump pump = new FramePump(publisher, Codec.VP8, "a", 300, 30, 10)) {
          waitUntil("frames before the restart", () -> bobRec.counters(streamId).size() > 10);

          first.close();
          waitUntil("both see the connection go", () -> aliceRec.reconnectionStarted.get() == 1
              && bobRec.reconnectionStarted.get() == 1);
          long framesBefore = bobRec.frames.get();
          second = startNode(redis, "node-2", mediaPort, credentials);
          waitUntil("both back", Duration.ofSeconds(40),
              () -> aliceRec.reconnected.get() == 1 && bobRec.reconnected.get() == 1);
          waitUntil("frames after the restart", Duration.ofSeconds(30),
              () -> bobRec.frames.get() > framesBefore + 15);
          assertThat(pump.sendErrors).isEmpty();  // sending never failed while reconnecting
        }
        // Alice published again asking for her stream id (PUBLISH resume_stream_id). A node that stops
        // cleanly keeps its stream ids in the directory (Redis) for the node that takes the session over,
        // so the id normally survives; a node without Redis forgets them, and a new node that does not
        // know the id gives a new one (sec. 7): then alice heard of the change (destroyed, then created
        // with the new id). Both outcomes are checked below.
        String resumedId = publisher.stream().map(Stream::id).orElseThrow();
        if (resumedId.equals(streamId)) {
          assertThat(aliceRec.streamsCreated.get()).isEqualTo(1);
          assertThat(aliceRec.streamsDestroyed.get()).isZero();
        } else {
          assertThat(aliceRec.log).containsSubsequence("session.reconnected", "publisher.streamDestroyed",
              "publisher.streamCreated");
        }
        // Bob's frames from alice, over both ids in order: the pump's counter only increases, so
        // a frame delivered twice (or out of order) shows as a counter not above its predecessor.
        List<Long> counters = new ArrayList<>(bobRec.counters(streamId));
        if (!resumedId.equals(streamId)) {
          counters.addAll(bobRec.counters(resumedId));
        }
        assertThat(bobRec.counters(resumedId)).isNotEmpty();
        for (int i = 1; i < counters.size(); i++) {
          assertThat(counters.get(i)).as("frame %d after %d: none twice, none out of order", counters.get(i),
              counters.get(i - 1)).isGreaterThan(counters.get(i - 1));
        }
        for (Subscriber s : bobSubs) {
          SubscriberStats st = s.stats();
          assertThat(st.failedAuthentication()).isZero();
          assertThat(st.failedSecretMismatch()).isZero();
          assertThat(st.failedUnencrypted()).isZero();
        }
        assertThat(bobRec.subscriberErrors).isEmpty();
        assertThat(aliceRec.sessionErrors).isEmpty();
        assertThat(bobRec.sessionErrors).isEmpty();
        assertThat(aliceRec.sessionDisconnected.get()).isZero();
        assertThat(bobRec.sessionDisconnected.get()).isZero();
        assertThat(aliceRec.log).containsSubsequence("session.connected", "session.reconnectionStarted",
            "session.reconnected");
        for (Subscriber s : bobSubs) {
          s.close();
        }
      } finally {
        for (AutoCloseable c : closeLast) {
          c.close();
        }
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  private static Session connect(MediaRouter router, String sid, String name, Recorder rec) {
    Session s = Session.builder()
        .applicationId(router.applicationId())
        .sessionId(sid)
        .routerUrl(router.mediaUrl())
        .connectTimeout(Duration.ofSeconds(5))
        .reconnectTimeout(Duration.ofSeconds(40))
        .encryptionSecret(SECRET)
        .listener(rec)
        .build();
    s.connect(router.generateClientToken(sid, Role.PUBLISHER, Duration.ofHours(1), name));
    waitUntil(name + " connected", () -> rec.sessionConnected.get() == 1);
    return s;
  }

  private static MediaRouter startNode(LoopbackRedis redis, String nodeId, int mediaPort, Path credentials) {
    // Heartbeat 200 ms, TTL 600 ms: a stopped node's sessions are taken over quickly.
    DirectoryConfig directory = new DirectoryConfig(redis.uri(), nodeId, null, Duration.ofMillis(200),
        Duration.ofMillis(600), 0, Duration.ofSeconds(5));
    return MediaRouter.builder().ioThreads(2).mediaPort(mediaPort).devDirectory(credentials).directory(directory)
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
