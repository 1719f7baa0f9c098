package dev.otc.e2ee.demo;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.E2ee;
import dev.otc.e2ee.EncryptionSecret;
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
import dev.otc.e2ee.SubscriberStats;
import dev.otc.e2ee.router.MediaObserver;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Role;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The whole system as a user sees it: an embedded router, an E2EE session created through its
 * REST API, three participants publishing VP8 + Opus, VP9 and H.264, a wrong secret (mismatch
 * events), its fix (match events), a rotation for everyone under load, per-stream statistics,
 * and what the router saw (ciphertext only). Secrets are random and never printed.
 */
public final class SessionDemo {
  /** Every plaintext payload carries this; the router must never see it. */
  private static final String MARKER = "PLAINTEXT-MARKER";
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final long START = System.nanoTime();

  private SessionDemo() {}

  public static void main(String[] args) throws Exception {
    say("otc-e2ee %s, %s, AES engine %s, E2EE supported: %s", E2ee.version(), E2ee.cryptoLibraryVersion(),
        E2ee.aesEngine(), E2ee.isSupported());
    SecureRandom random = new SecureRandom();
    RouterView view = new RouterView();
    try (MediaRouter router = MediaRouter.builder().ioThreads(2).start()) {
      router.addMediaObserver(view);
      say("router: REST %s, media %s", router.restUrl(), router.mediaUrl());
      String sessionId = router.createSession(true);
      view.sessionId = sessionId;
      say("session created through POST /session/create (e2ee=true): %s", sessionId);

      List<Participant> people = new ArrayList<>();
      try (EncryptionSecret secret = randomSecret(random)) {
        header("1. three participants join with the session secret and publish");
        people.add(new Participant(router, sessionId, "alice", Codec.VP8, true, secret));
        people.add(new Participant(router, sessionId, "bob", Codec.VP9, false, secret));
        people.add(new Participant(router, sessionId, "carol", Codec.H264, false, secret));
        for (Participant p : people) {
          p.subscribeToOthers(people);
        }
        for (Participant p : people) {
          p.startSending();
        }
        waitFor("frames everywhere", () -> people.stream().allMatch(p -> p.delivered.get() >= 20));
        for (Participant p : people) {
          p.showSamples = true;
        }
        waitFor("samples shown", () -> people.stream().allMatch(p -> p.samplesShown.get() >= 2));
        Thread.sleep(100);
        for (Participant p : people) {
          p.showSamples = false;
        }

        header("2. carol gets a wrong secret: streams she cannot read, and streams nobody can read");
        try (EncryptionSecret wrong = randomSecret(random)) {
          people.get(2).session.setEncryptionSecret(wrong);
        }
        waitFor("mismatch events", () -> totalMismatches(people) >= 4);
        Thread.sleep(700);
        say("undecryptable frames so far: %d, all dropped by the SDK, none delivered to an application",
            totalFailed(people));

        header("3. carol gets the right secret back: match events, keyframe requests");
        people.get(2).session.setEncryptionSecret(secret);
        waitFor("match events", () -> totalMatches(people) >= 4);
        Thread.sleep(500);
      }

      header("4. rotation for everyone under load (staggered within the %d s grace period)", GRACE.toSeconds());
      long failedBefore = totalFailed(people);
      long mismatchBefore = totalMismatches(people);
      long deliveredBefore = people.stream().mapToLong(p -> p.delivered.get()).sum();
      try (EncryptionSecret next = randomSecret(random)) {
        // Each participant switches on its own thread, 300 ms after the previous one, as separate
        // clients would: the key derivation of one does not delay the others.
        List<Thread> switches = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
          Participant p = people.get(i);
          long delay = 300L * i;
          Thread t = new Thread(() -> {
            try {
              Thread.sleep(delay);
              p.session.setEncryptionSecret(next);
              say("%s switched to the new secret", p.name);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }, "switch-" + p.name);
          t.start();
          switches.add(t);
        }
        for (Thread t : switches) {
          t.join(10_000);
        }
      }
      Thread.sleep(1500);
      long delivered = people.stream().mapToLong(p -> p.delivered.get()).sum() - deliveredBefore;
      say("during the rotation: %d frames delivered, %d failed, %d new mismatch events", delivered,
          totalFailed(people) - failedBefore, totalMismatches(people) - mismatchBefore);

      for (Participant p : people) {
        p.stopSending();
      }
      Thread.sleep(300);

      header("5. per-stream statistics (receiver <- publisher: stream)");
      System.out.printf(Locale.ROOT, "  %-22s %8s %9s %9s %8s %6s %9s %9s %8s%n", "subscription", "received",
          "decrypted", "delivered", "mismatch", "match", "held", "recovered", "failed");
      for (Participant p : people) {
        for (Subscriber s : p.subscribers) {
          SubscriberStats st = s.stats();
          System.out.printf(Locale.ROOT, "  %-22s %8d %9d %9d %8d %6d %9d %9d %8d%n",
              p.name + " <- " + s.stream().name() + ":" + s.stream().videoCodec().map(Codec::displayName).orElse("")
                  + (s.stream().hasAudio() ? "+Opus" : ""),
              st.framesReceived(), st.framesDecrypted(), st.framesDelivered(), st.mismatchEvents(),
              st.matchEvents(), st.framesHeld(), st.framesRecovered(), st.framesFailed());
        }
      }
      for (Participant p : people) {
        Publisher.Stats ps = p.publisher.stats();
        say("%s published %d frames (%d encrypted, %d bytes of ciphertext), %d keyframe requests", p.name,
            ps.framesSent(), ps.framesEncrypted(), ps.bytesSent(), ps.keyframeRequests());
      }

      header("6. what the router saw");
      say("%d MEDIA_FRAME messages received, %d forwarded in this session", view.received.get(), view.forwarded.get());
      say("a forwarded %s frame as the router handled it (payload, first 32 of %d bytes):",
          view.sampleCodec, view.samplePayloadLength);
      say("  %s", view.samplePayloadHex);
      say("plaintext marker \"%s\" found in %d of %d router messages: %s", MARKER, view.withMarker.get(),
          view.received.get() + view.forwarded.get(), view.withMarker.get() == 0 ? "marker not found" : "LEAK");
      for (Participant p : people) {
        p.close();
      }
      router.removeMediaObserver(view);
    }
    say("done");
  }

  private static EncryptionSecret randomSecret(SecureRandom random) {
    byte[] raw = new byte[18];
    random.nextBytes(raw);
    char[] chars = java.util.Base64.getEncoder().encodeToString(raw).toCharArray();
    java.util.Arrays.fill(raw, (byte) 0);
    try {
      return EncryptionSecret.of(chars);
    } finally {
      java.util.Arrays.fill(chars, '\0');
    }
  }

  private static long totalMismatches(List<Participant> people) {
    return people.stream().mapToLong(p -> p.mismatches.get()).sum();
  }

  private static long totalMatches(List<Participant> people) {
    return people.stream().mapToLong(p -> p.matches.get()).sum();
  }

  private static long totalFailed(List<Participant> people) {
    long n = 0;
    for (Participant p : people) {
      for (Subscriber s : p.subscribers) {
        n += s.stats().framesFailed();
      }
    }
    return n;
  }

  private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("demo: timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static synchronized void say(String format, Object... args) {
    double t = (System.nanoTime() - START) / 1e9;
    System.out.printf(Locale.ROOT, "[%5.2fs] %s%n", t, String.format(Locale.ROOT, format, args));
  }

  private static void header(String format, Object... args) {
    System.out.println();
    say("== " + format + " ==", args);
  }

  /** One client: a session, one published stream, and subscriptions to everyone else. */
  private static final class Participant implements SessionListener, PublisherListener, AutoCloseable {
    final String name;
    final Codec video;
    final boolean audio;
    final Session session;
    final Publisher publisher;
    final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    final Map<String, Stream> streams = new ConcurrentHashMap<>();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong mismatches = new AtomicLong();
    final AtomicLong matches = new AtomicLong();
    final CountDownLatch connected = new CountDownLatch(1);
    final CountDownLatch published = new CountDownLatch(1);
    volatile boolean showSamples;
    final AtomicLong samplesShown = new AtomicLong();
    private ScheduledExecutorService sender;

    Participant(MediaRouter router, String sessionId, String name, Codec video, boolean audio, EncryptionSecret secret)
        throws InterruptedException {
      this.name = name;
      this.video = video;
      this.audio = audio;
      this.session = Session.builder().applicationId(router.applicationId()).sessionId(sessionId)
          .routerUrl(router.mediaUrl()).encryptionSecret(secret).gracePeriod(GRACE).listener(this).build();
      session.connect(router.generateClientToken(sessionId, Role.PUBLISHER, Duration.ofMinutes(5), "name=" + name));
      await(connected, name + " connect");
      this.publisher = Publisher.builder().name(name).videoCodec(video).hasAudio(audio).listener(this).build();
      session.publish(publisher);
      await(published, name + " publish");
      say("%s connected (E2EE session: %s) and publishes %s%s", name, session.isE2ee(), video.displayName(),
          audio ? " + Opus" : "");
    }

    void subscribeToOthers(List<Participant> everyone) throws InterruptedException {
      for (Participant other : everyone) {
        if (other != this) {
          waitFor(name + " sees " + other.name, () -> streams.containsKey(other.name));
          subscribers.add(session.subscribe(streams.get(other.name), new Receiver()));
        }
      }
    }

    void startSending() {
      sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-sender-" + name);
        t.setDaemon(true);
        return t;
      });
      AtomicLong n = new AtomicLong();
      AtomicLong keyframeDue = new AtomicLong(1);
      sender.scheduleAtFixedRate(() -> {
        long i = n.getAndIncrement();
        try {
          boolean key = keyframeDue.getAndSet(0) == 1 || i % 60 == 0;
          publisher.sendFrame(MediaFrame.video(video, key, i * 33_333,
              payload(video.displayName() + (key ? " keyframe" : " frame") + " #" + i + " from " + name, 900)));
          if (audio) {
            publisher.sendFrame(MediaFrame.audio(Codec.OPUS, i * 33_333, payload("Opus frame #" + i + " from " + name, 80)));
          }
        } catch (OtcException e) {
          say("%s: send failed: %s", name, e.getMessage());
        }
      }, 0, 33, TimeUnit.MILLISECONDS);
      this.keyframeRequested = () -> keyframeDue.set(1);
    }

    private volatile Runnable keyframeRequested = () -> { };

    void stopSending() throws InterruptedException {
      sender.shutdown();
      sender.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static byte[] payload(String label, int size) {
      byte[] head = (label + " | " + MARKER + " | ").getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[Math.max(size, head.length)];
      System.arraycopy(head, 0, out, 0, head.length);
      return out;
    }

    @Override
    public void onConnected(Session s) {
      connected.countDown();
    }

    @Override
    public void onStreamReceived(Session s, Stream stream) {
      streams.put(stream.name(), stream);
    }

    @Override
    public void onError(Session s, OtcException error) {
      say("%s: session error %s", name, error.getMessage());
    }

    @Override
    public void onStreamCreated(Publisher p, Stream stream) {
      published.countDown();
    }

    @Override
    public void onError(Publisher p, OtcException error) {
      say("%s: publisher error %s", name, error.getMessage());
    }

    @Override
    public void onKeyframeRequested(Publisher p) {
      keyframeRequested.run();
    }

    @Override
    public void close() {
      for (Subscriber s : subscribers) {
        s.close();
      }
      publisher.close();
      session.close();
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("demo: timed out waiting for " + what);
      }
    }

    /** Receives one subscribed stream. */
    private final class Receiver implements SubscriberListener {
      private final java.util.Set<Codec> shown = java.util.EnumSet.noneOf(Codec.class);

      @Override
      public void onFrame(Subscriber s, MediaFrame frame) {
        delivered.incrementAndGet();
        // One sample per codec and subscription; runs on the session's event thread only.
        if (showSamples && shown.add(frame.codec())) {
          samplesShown.incrementAndGet();
          String text = new String(frame.payloadBytes(), 0, Math.min(frame.size(), 48), StandardCharsets.UTF_8);
          say("%s <- %s: %s %d bytes, decrypted: \"%s...\"", name, s.stream().name(), frame.codec().displayName(),
              frame.size(), text.substring(0, text.indexOf(" | ") > 0 ? text.indexOf(" | ") : text.length()));
        }
      }

      @Override
      public void onError(Subscriber s, OtcException error) {
        if (error.errorCode() == ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH) {
          mismatches.incrementAndGet();
        }
        say("%s <- %s: ERROR %s", name, s.stream().name(), error.getMessage());
      }

      @Override
      public void onEncryptionSecretMatch(Subscriber s) {
        matches.incrementAndGet();
        say("%s <- %s: secret matches again (keyframe requested)", name, s.stream().name());
      }
    }
  }

  /** The router's side, through its test hook: counts messages and looks for the plaintext marker. */
  private static final class RouterView implements MediaObserver {
    final AtomicLong received = new AtomicLong();
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong withMarker = new AtomicLong();
    private final byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
    volatile String sessionId;
    volatile String samplePayloadHex = "(none)";
    volatile int samplePayloadLength;
    volatile String sampleCodec = "";

    @Override
    public void onMediaFrame(String sid, String streamId, Direction direction, ByteBuffer message) {
      if (!sid.equals(sessionId)) {
        return;
      }
      (direction == Direction.RECEIVED ? received : forwarded).incrementAndGet();
      byte[] bytes = new byte[message.remaining()];
      message.duplicate().get(bytes);
      if (contains(bytes, marker)) {
        withMarker.incrementAndGet();
      }
      if (direction == Direction.FORWARDED && samplePayloadLength == 0) {
        // docs/PROTOCOL.md sec. 4: type, str stream_id, media, codec, flags, u64 ts, u32 seq, 2 layers, payload.
        int idLen = ((bytes[1] & 0xFF) << 8) | (bytes[2] & 0xFF);
        int payloadAt = 1 + 2 + idLen + 1 + 1 + 1 + 8 + 4 + 1 + 1;
        int codec = bytes[1 + 2 + idLen + 1] & 0xFF;
        sampleCodec = Codec.fromCode(codec).map(Codec::displayName).orElse("?");
        samplePayloadLength = bytes.length - payloadAt;
        samplePayloadHex = HexFormat.ofDelimiter(" ").formatHex(bytes, payloadAt,
            Math.min(bytes.length, payloadAt + 32));
      }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    }
  }
}
