package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberStats;
import dev.otc.e2ee.router.DevCredentials;
import dev.otc.e2ee.router.Role;
import dev.otc.e2ee.router.testsupport.LoopbackRedis;
import dev.otc.e2ee.router.testsupport.RouterProcess;
import dev.otc.e2ee.router.testsupport.SessionCreate;
import dev.otc.e2ee.router.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover end to end (issue 12): three router processes ({@code serve --redis}, launched from
 * this test's class path) share a directory on a test-started redis-server; three participants of
 * one E2EE session, each given a different node's URL (the SDK follows REDIRECT to the owner),
 * publish and subscribe to each other. {@code kill -9} of the owner: every participant reconnects
 * to another node by itself within {@link #RECONNECT_BOUND}, media resumes on every stream, no
 * frame is delivered twice or out of order, every frame decrypts under the unchanged session key,
 * and no plaintext ever crosses any node's media port (each node advertises a {@link
 * PlaintextTap} in front of it).
 */
class FailoverTest {
  private static final String SECRET = "failover test secret";
  /** Node TTL 2 s, then the SDK's back-off: a generous bound for a loaded 2-core machine. */
  static final Duration RECONNECT_BOUND = Duration.ofSeconds(20);

  @TempDir Path dir;

  record Node(Process process, Map<String, String> values, PlaintextTap tap) {}

  /** A participant: its recorder (subscribes to every stream announced) and frames by publisher label. */
  static final class Participant extends Recorder {
    final List<Subscriber> subs = new CopyOnWriteArrayList<>();
    /** label -> payload counters in arrival order. */
    final Map<String, List<Long>> byLabel = new ConcurrentHashMap<>();

    /** Stream ids this participant subscribes to now (the SDK resubscribes them itself after a reconnect). */
    final java.util.Set<String> subscribed = ConcurrentHashMap.newKeySet();

    @Override
    public void onStreamReceived(Session session, Stream stream) {
      super.onStreamReceived(session, stream);
      if (subscribed.add(stream.id())) {
        subs.add(session.subscribe(stream, this));
      }
    }

    @Override
    public void onStreamDropped(Session session, Stream stream, Stream.DropReason reason) {
      super.onStreamDropped(session, stream, reason);
      subscribed.remove(stream.id());
    }

    @Override
    public void onFrame(Subscriber subscriber, MediaFrame frame) {
      super.onFrame(subscriber, frame);
      String head = new String(frame.payloadBytes(), 0, Math.min(frame.size(), 32), StandardCharsets.US_ASCII);
      String[] parts = head.split("\\|", 3);
      if (parts.length == 3) {
        byLabel.computeIfAbsent(parts[0], k -> new CopyOnWriteArrayList<>()).add(Long.parseLong(parts[1]));
      }
    }

    long last(String label) {
      List<Long> l = byLabel.get(label);
      return l == null || l.isEmpty() ? -1 : l.get(l.size() - 1);
    }
  }

  @Test
  void killingTheOwnerMovesThreePublishingParticipantsWithMediaAndE2eeIntact() throws Exception {
    assertThat(PlaintextTap.count(FramePump.payload("p0", 7, 300), 300)).as("the tap recognizes plaintext").isPositive();
    List<Node> nodes = new ArrayList<>();
    List<AutoCloseable> closeLast = new ArrayList<>();
    try (LoopbackRedis redis = LoopbackRedis.start(dir)) {
      Path dev = dir.resolve("dev");
      for (int i = 0; i < 3; i++) {
        nodes.add(startNode(redis, "n" + i, dev));
      }
      DevCredentials creds = DevCredentials.load(dev);
      String[] created = createSession(nodes.get(0), creds);
      String sid = created[0];
      Node owner = nodes.stream().filter(n -> n.tap().url().equals(created[1])).findFirst().orElseThrow();

      List<Participant> ps = new ArrayList<>();
      List<FramePump> pumps = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Participant p = new Participant();
        Session s = Session.builder().applicationId(creds.applicationId()).sessionId(sid)
            .routerUrl(nodes.get(i).tap().url())   // any node: the SDK follows REDIRECT to the owner
            .connectTimeout(Duration.ofSeconds(5)).reconnectTimeout(Duration.ofSeconds(60))
            .encryptionSecret(SECRET).listener(p).build();
        closeLast.add(s);
        s.connect(Tokens.clientToken(creds.applicationId(), creds.privateKey(), sid, Role.PUBLISHER,
            Duration.ofHours(1), "p" + i));
        waitUntil("p" + i + " connected", Duration.ofSeconds(30), () -> p.sessionConnected.get() == 1);
        Publisher pub = Publisher.builder().name("p" + i).videoCodec(Codec.VP8).hasAudio(false).listener(p).build();
        closeLast.add(0, pub);
        s.publish(pub);
        waitUntil("p" + i + " published", Duration.ofSeconds(30), () -> p.publishedStream != null);
        ps.add(p);
        pumps.add(new FramePump(pub, Codec.VP8, "p" + i, 300, 30, 10));
      }
      try {
        waitUntil("everyone receives everyone", Duration.ofSeconds(60), () -> allReceive(ps, 10));

        Map<String, Long> before = new HashMap<>();
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            if (i != j) {
              before.put(i + ">" + j, ps.get(i).last("p" + j));
            }
          }
        }
        long killedAt = System.nanoTime();
        owner.process().destroyForcibly();   // kill -9
        assertThat(owner.process().waitFor(15, TimeUnit.SECONDS)).isTrue();

        waitUntil("all three reconnected", RECONNECT_BOUND,
            () -> ps.stream().allMatch(p -> p.reconnected.get() == 1));
        long reconnectedMs = (System.nanoTime() - killedAt) / 1_000_000;
        waitUntil("media resumed on every stream at every participant", RECONNECT_BOUND,
            () -> resumedEverywhere(ps, before));
        long resumedMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("FailoverTest: all reconnected " + reconnectedMs + " ms, media resumed everywhere "
            + resumedMs + " ms after kill -9 (node TTL 2 s)");
        assertThat(resumedMs).isLessThan(RECONNECT_BOUND.toMillis());

        for (FramePump pump : pumps) {
          pump.stop();
          assertThat(pump.sendErrors).isEmpty();
        }
      } finally {
        for (FramePump pump : pumps) {
          pump.close();
        }
      }
      for (int i = 0; i < 3; i++) {
        Participant p = ps.get(i);
        for (int j = 0; j < 3; j++) {
          if (i == j) {
            continue;
          }
          List<Long> c = p.byLabel.get("p" + j);
          for (int k = 1; k < c.size(); k++) {
            assertThat(c.get(k)).as("p%d from p%d: frame %d after %d, none twice or out of order", i, j, c.get(k),
                c.get(k - 1)).isGreaterThan(c.get(k - 1));
          }
        }
        for (Subscriber s : p.subs) {
          SubscriberStats st = s.stats();
          assertThat(st.failedAuthentication()).isZero();
          assertThat(st.failedSecretMismatch()).isZero();
          assertThat(st.failedReplayed()).isZero();
          assertThat(st.failedUnencrypted()).isZero();
          assertThat(st.failedMalformed()).isZero();
        }
        assertThat(p.sessionDisconnected.get()).isZero();
        assertThat(p.log).containsSubsequence("session.connected", "session.reconnectionStarted",
            "session.reconnected");
      }
      long carried = 0;
      for (Node n : nodes) {
        assertThat(n.tap().plaintextHits.get()).as("plaintext through node %s", n.values().get("NODE_ID")).isZero();
        carried += n.tap().bytes.get();
      }
      // The taps saw the media: at least the payload bytes of every frame delivered went through them.
      long delivered = ps.stream().mapToLong(p -> p.frames.get()).sum();
      assertThat(delivered).isPositive();
      assertThat(carried).isGreaterThan(delivered * 300);
    } finally {
      for (AutoCloseable c : closeLast) {
        c.close();
      }
      for (Node n : nodes) {
        n.process().destroyForcibly();
        n.process().waitFor(15, TimeUnit.SECONDS);
        n.tap().close();
      }
    }
  }

  /** Every participant has received more than {@code min} frames from each other participant. */
  private static boolean allReceive(List<Participant> ps, int min) {
    for (int i = 0; i < ps.size(); i++) {
      for (int j = 0; j < ps.size(); j++) {
        if (i != j) {
          List<Long> l = ps.get(i).byLabel.get("p" + j);
          if (l == null || l.size() <= min) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Each participant has a frame from each other one newer than anything it had at the kill. */
  private static boolean resumedEverywhere(List<Participant> ps, Map<String, Long> before) {
    for (int i = 0; i < ps.size(); i++) {
      for (int j = 0; j < ps.size(); j++) {
        if (i != j && ps.get(i).last("p" + j) <= before.get(i + ">" + j) + 5) {
          return false;
        }
      }
    }
    return true;
  }

  private Node startNode(LoopbackRedis redis, String id, Path dev) throws Exception {
    PlaintextTap tap = new PlaintextTap();
    RouterProcess r = RouterProcess.start(RouterProcess.classPathCommand("serve", "--dev-dir", dev.toString(),
        "--rest-port", "0", "--media-port", "0", "--redis", redis.uri(), "--node-id", id,
        "--advertise-url", tap.url(), "--heartbeat", "PT0.25S", "--node-ttl", "PT2S"),
        ProcessBuilder.Redirect.to(dir.resolve(id + ".log").toFile()), Duration.ofSeconds(60));
    Map<String, String> v = r.values();
    tap.target(URI.create(v.get("MEDIA_URL")).getPort());
    assertThat(v.get("ADVERTISED_MEDIA_URL")).isEqualTo(tap.url());
    return new Node(r.process(), v, tap);
  }

  /** POST /session/create through a node: {session id, media_server_url}. */
  private static String[] createSession(Node via, DevCredentials creds) throws Exception {
    SessionCreate.Created c = SessionCreate.create(HttpClient.newHttpClient(), via.values().get("REST_URL"),
        SessionCreate.restToken(creds), true);
    return new String[] {c.sessionId(), c.mediaServerUrl()};
  }
}
