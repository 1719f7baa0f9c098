package dev.otc.e2ee.demo;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.E2ee;
import dev.otc.e2ee.EncryptionSecret;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.SessionListener;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberListener;
import dev.otc.e2ee.media.Audio;
import dev.otc.e2ee.media.AudioDevice;
import dev.otc.e2ee.media.DecoderStats;
import dev.otc.e2ee.media.EncoderStats;
import dev.otc.e2ee.media.TestTone;
import dev.otc.e2ee.media.TestPattern;
import dev.otc.e2ee.media.VideoCapturer;
import dev.otc.e2ee.media.VideoFormat;
import dev.otc.e2ee.media.VideoFrame;
import dev.otc.e2ee.media.VideoFrameSink;
import dev.otc.e2ee.router.MediaObserver;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Role;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;

/**
 * Real media through the SDK: a publisher captures a generated moving test pattern (frame number
 * burnt in) from an application thread at 30 fps; the SDK encodes it with each video codec in
 * turn (VP8, VP9, H.264), encrypts it end to end, the embedded router forwards ciphertext, and a
 * subscriber in another session decrypts, decodes and renders it to a Java {@code VideoRenderer}.
 * Prints per codec the encoded bitrate, the PSNR of the decoded pictures against the source and
 * the capture-to-render latency; writes PNG snapshots of a decoded picture and of the ciphertext
 * the router forwarded (as grey pixels) into the directory given as the first argument.
 */
public final class MediaDemo {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 360;
  private static final int FPS = 30;
  private static final int FRAMES = 90;
  private static final Codec[] CODECS = {Codec.VP8, Codec.VP9, Codec.H264};

  private MediaDemo() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/media-demo").toAbsolutePath();
    Files.createDirectories(out);
    System.out.printf("%n== media demo: %dx%d test pattern at %d fps, %d frames per codec, otc-e2ee %s ==%n",
        WIDTH, HEIGHT, FPS, FRAMES, E2ee.version());
    RouterTap tap = new RouterTap();
    List<String> table = new ArrayList<>();
    ToneDevice speakerAndMicrophone = new ToneDevice();
    Audio.setDevice(speakerAndMicrophone);
    try (MediaRouter router = MediaRouter.builder().ioThreads(2).start()) {
      router.addMediaObserver(tap);
      for (Codec codec : CODECS) {
        table.add(run(router, tap, codec, out, speakerAndMicrophone));
      }
      router.removeMediaObserver(tap);
    } finally {
      Audio.setDevice(null);
    }
    System.out.println();
    System.out.println("video  bitrate      PSNR min/avg dB   latency p50/p99 ms  rendered/captured  audio (Opus " + TONE_HZ + " Hz) SNR");
    table.forEach(System.out::println);
    System.out.println("snapshots: " + out);
  }

  private static final double TONE_HZ = 440;

  private static String run(MediaRouter router, RouterTap tap, Codec codec, Path out, ToneDevice audio) throws Exception {
    String sessionId = router.createSession(true);
    tap.watch(sessionId);
    char[] secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
    PatternCamera camera = new PatternCamera();
    Renderer renderer = new Renderer();
    AtomicReference<Stream> stream = new AtomicReference<>();
    audio.reset();
    try (Publisher publisher = Publisher.builder().name("pattern-" + codec).videoCodec(codec).hasAudio(true)
            .videoBitrate(1_000_000).videoCapturer(camera).build();
        Session pub = session(router, sessionId, secret, new SessionListener() {});
        Session sub = session(router, sessionId, secret, new SessionListener() {
          @Override
          public void onStreamReceived(Session s, Stream st) {
            stream.set(st);
          }
        })) {
      waitFor(() -> pub.isConnected() && sub.isConnected(), "connect");
      pub.publish(publisher);
      waitFor(() -> stream.get() != null, "stream");
      Subscriber subscriber = sub.subscribe(stream.get(), new SubscriberListener() {}, renderer);
      waitFor(() -> camera.live, "publisher live");
      waitFor(() -> subscriber.stats().framesReceived() >= 0 && !subscriber.isClosed(), "subscribed");
      Thread.sleep(300); // let the subscription settle at the router before the first keyframe
      long t0 = System.nanoTime();
      audio.runWhile(() -> camera.runFor(FRAMES));
      // Every frame captured is rendered or counted where it was dropped (or 20 s pass).
      waitFor(() -> {
        DecoderStats d = subscriber.decoderStats();
        return renderer.frames.size() + d.videoFramesDroppedRender() + d.videoFramesSkipped() + d.videoDecodeErrors()
            + subscriber.stats().framesDroppedQueue() >= camera.captured() - publisher.encoderStats().videoFramesDroppedCapture()
            || System.nanoTime() - t0 > 20_000_000_000L;
      }, "render");
      Thread.sleep(200);
      double seconds = FRAMES / (double) FPS;
      EncoderStats enc = publisher.encoderStats();
      return report(codec, enc, subscriber.decoderStats(), seconds, renderer, tap, out) + audio.report(codec);
    }
  }

  private static String report(Codec codec, EncoderStats enc, DecoderStats dec, double seconds, Renderer renderer,
      RouterTap tap, Path out) throws IOException {
    TestPattern pattern = new TestPattern(WIDTH, HEIGHT);
    VideoFrame source = VideoFrame.allocate(VideoFormat.I420, WIDTH, HEIGHT);
    double min = Double.MAX_VALUE;
    double sum = 0;
    List<VideoFrame> frames = renderer.frames;
    for (VideoFrame f : frames) {
      pattern.render(TestPattern.readCounter(f), source);
      double p = TestPattern.psnr(source, f);
      min = Math.min(min, p);
      sum += p;
    }
    long[] lat = renderer.latencyUs.stream().mapToLong(Long::longValue).sorted().toArray();
    double kbps = enc.videoBytesEncoded() * 8 / seconds / 1000;
    String name = codec.name();
    System.out.printf("%s: encoded %d frames (%d keyframes), %.0f kbit/s, %.2f ms per frame; %s PSNR %.1f dB (min %.1f)"
            + " over %d decoded frames; capture->render latency p50 %.1f ms, p99 %.1f ms%n",
        name, enc.videoFramesEncoded(), enc.videoKeyframesEncoded(), kbps,
        enc.videoFramesEncoded() == 0 ? 0 : enc.videoEncodeTimeUs() / 1000.0 / enc.videoFramesEncoded(), name,
        frames.isEmpty() ? 0 : sum / frames.size(), frames.isEmpty() ? 0 : min, frames.size(),
        pct(lat, 0.50) / 1000.0, pct(lat, 0.99) / 1000.0);
    if (!frames.isEmpty()) {
      VideoFrame snap = frames.get(frames.size() / 2);
      Path decoded = out.resolve("decoded-" + name + ".png");
      ImageIO.write(toImage(snap), "png", decoded.toFile());
      Path noise = out.resolve("router-ciphertext-" + name + ".png");
      ImageIO.write(ciphertextImage(tap.largestPayload()), "png", noise.toFile());
      System.out.printf("%s: wrote %s (frame #%d) and %s (%d ciphertext bytes the router forwarded)%n", name,
          decoded.getFileName(), TestPattern.readCounter(snap), noise.getFileName(), tap.largestPayload().length);
    }
    return String.format("%-6s %6.0f kbit/s  %5.1f / %5.1f dB   %5.1f / %5.1f ms   %d/%d%s", name, kbps,
        frames.isEmpty() ? 0 : min, frames.isEmpty() ? 0 : sum / frames.size(), pct(lat, 0.5) / 1000.0,
        pct(lat, 0.99) / 1000.0, frames.size(), enc.videoFramesCaptured(), missing(enc, dec));
  }

  /** Where the captured frames that were not rendered went, from the SDK's counters. */
  private static String missing(EncoderStats enc, DecoderStats dec) {
    StringBuilder b = new StringBuilder();
    if (enc.videoFramesDroppedCapture() > 0) {
      b.append(", ").append(enc.videoFramesDroppedCapture()).append(" dropped at capture (encoder busy)");
    }
    if (dec.videoFramesSkipped() > 0) {
      b.append(", ").append(dec.videoFramesSkipped()).append(" skipped waiting for a keyframe");
    }
    if (dec.videoFramesDroppedRender() > 0) {
      b.append(", ").append(dec.videoFramesDroppedRender()).append(" dropped for a busy renderer");
    }
    return b.length() == 0 ? "" : " (" + b.substring(2) + ")";
  }

  private static long pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static Session session(MediaRouter router, String sessionId, char[] secret, SessionListener listener) {
    Session s = Session.builder().applicationId(router.applicationId()).sessionId(sessionId)
        .routerUrl(router.mediaUrl()).encryptionSecret(EncryptionSecret.of(secret)).listener(listener).build();
    s.connect(router.generateClientToken(sessionId, Role.PUBLISHER, Duration.ofMinutes(5), ""));
    return s;
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  /** A decoded I420 frame as an RGB image, converted by the SDK (libyuv). */
  private static BufferedImage toImage(VideoFrame frame) {
    VideoFrame argb = frame.convert(VideoFormat.ARGB32);
    BufferedImage img = new BufferedImage(argb.width(), argb.height(), BufferedImage.TYPE_INT_RGB);
    ByteBuffer px = argb.plane(0).order(ByteOrder.LITTLE_ENDIAN); // bytes B, G, R, A = int 0xAARRGGBB
    for (int y = 0; y < argb.height(); y++) {
      for (int x = 0; x < argb.width(); x++) {
        img.setRGB(x, y, px.getInt(y * argb.stride(0) + x * 4) & 0xFFFFFF);
      }
    }
    return img;
  }

  /** Ciphertext bytes as grey pixels, 256 a row: what anyone at the router can look at. */
  private static BufferedImage ciphertextImage(byte[] bytes) {
    int w = 256;
    int h = Math.max(1, (bytes.length + w - 1) / w);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < bytes.length; i++) {
      img.getRaster().setSample(i % w, i / w, 0, bytes[i] & 0xFF);
    }
    return img;
  }

  /**
   * The application's audio device: a capture thread writes a 440 Hz tone in 20 ms chunks while
   * the publisher's capturer runs, a render thread reads the decoded mix into a recording.
   */
  private static final class ToneDevice implements AudioDevice {
    private volatile boolean capturing;
    private final short[] recording = new short[TestTone.SAMPLE_RATE * 8];
    private volatile int recorded;

    void reset() {
      recorded = 0;
    }

    @Override
    public boolean startCapturer() {
      capturing = true;
      return true;
    }

    @Override
    public void stopCapturer() {
      capturing = false;
    }

    interface Body {
      void run() throws Exception;
    }

    /** Runs the application's microphone and speaker threads while {@code body} runs. */
    void runWhile(Body body) throws Exception {
      java.util.concurrent.atomic.AtomicBoolean on = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread mic = new Thread(() -> {
        TestTone tone = new TestTone(TONE_HZ, 0.5);
        ShortBuffer chunk = ByteBuffer.allocateDirect(2 * 960).order(ByteOrder.nativeOrder()).asShortBuffer();
        long start = System.nanoTime();
        long written = 0;
        while (on.get()) {
          while (capturing && written <= (System.nanoTime() - start) * 48 / 1_000_000) {
            tone.fill(chunk);
            try {
              Audio.writeCaptureData(chunk, 1);
            } catch (RuntimeException stopped) {
              break;
            }
            written += 960;
          }
          sleep(5);
        }
      }, "app-microphone");
      Thread speaker = new Thread(() -> {
        ShortBuffer out = ByteBuffer.allocateDirect(2 * 4800).order(ByteOrder.nativeOrder()).asShortBuffer();
        while (on.get()) {
          int n = Audio.readRenderData(out, 1);
          int at = recorded;
          for (int i = 0; i < n && at + i < recording.length; i++) {
            recording[at + i] = out.get(i);
          }
          recorded = Math.min(recording.length, at + n);
          sleep(10);
        }
      }, "app-speaker");
      mic.start();
      speaker.start();
      try {
        body.run();
        Thread.sleep(300);
      } finally {
        on.set(false);
        mic.join();
        speaker.join();
      }
    }

    private static void sleep(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** The worst SNR of the 0.5 s windows after the first second of received audio. */
    String report(Codec codec) {
      int n = recorded;
      double worst = Double.MAX_VALUE;
      int windows = 0;
      for (int from = TestTone.SAMPLE_RATE; from + 24_000 <= n; from += 24_000) {
        worst = Math.min(worst, TestTone.snr(recording, from, 24_000, TONE_HZ));
        windows++;
      }
      String result = windows == 0 ? "no audio received" : String.format("%.1f dB", worst);
      System.out.printf("%s run: audio SNR %s (Opus %.0f Hz tone, worst of %d half-second windows, %.1f s received)%n",
          codec.name(), result, TONE_HZ, windows, n / (double) TestTone.SAMPLE_RATE);
      return "  " + result;
    }
  }

  /** The application's camera: a thread of its own providing the test pattern at 30 fps. */
  private static final class PatternCamera implements VideoCapturer {
    private final TestPattern pattern = new TestPattern(WIDTH, HEIGHT);
    private final VideoFrame frame = VideoFrame.allocate(VideoFormat.I420, WIDTH, HEIGHT);
    private volatile VideoFrameSink sink;
    volatile boolean live;
    private volatile int captured;

    @Override
    public boolean init(VideoFrameSink sink) {
      this.sink = sink;
      return true;
    }

    @Override
    public void start() {
      live = true;
    }

    @Override
    public void stop() {
      live = false;
    }

    @Override
    public CaptureSettings captureSettings() {
      return new CaptureSettings(VideoFormat.I420, WIDTH, HEIGHT, FPS);
    }

    int captured() {
      return captured;
    }

    void runFor(int frames) throws InterruptedException {
      ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "app-camera"));
      try {
        clock.scheduleAtFixedRate(() -> {
          int n = captured;
          if (n >= frames) {
            return;
          }
          pattern.render(n, frame);
          frame.timestampUs(System.nanoTime() / 1000);
          sink.provideFrame(frame);
          captured = n + 1;
        }, 0, 1_000_000 / FPS, TimeUnit.MICROSECONDS);
        while (captured < frames) {
          Thread.sleep(10);
        }
      } finally {
        clock.shutdownNow();
        clock.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Keeps a copy of every rendered picture and its capture-to-render latency. */
  private static final class Renderer implements dev.otc.e2ee.media.VideoRenderer {
    final List<VideoFrame> frames = new CopyOnWriteArrayList<>();
    final List<Long> latencyUs = new CopyOnWriteArrayList<>();

    @Override
    public void onRenderFrame(Subscriber subscriber, VideoFrame frame) {
      latencyUs.add(System.nanoTime() / 1000 - frame.timestampUs());
      frames.add(frame.copy());
    }
  }

  /** The router's test hook: keeps the largest payload it forwarded in the watched session. */
  private static final class RouterTap implements MediaObserver {
    private volatile String sessionId;
    private volatile byte[] largest = new byte[0];

    void watch(String sessionId) {
      this.sessionId = sessionId;
      this.largest = new byte[0];
    }

    byte[] largestPayload() {
      return largest;
    }

    @Override
    public void onMediaFrame(String sid, String streamId, Direction direction, ByteBuffer message) {
      if (direction != Direction.FORWARDED || !sid.equals(sessionId)) {
        return;
      }
      // docs/PROTOCOL.md sec. 4: type, str stream_id, media, codec, flags, u64 ts, u32 seq, 2 layers, payload.
      int idLen = ((message.get(message.position() + 1) & 0xFF) << 8) | (message.get(message.position() + 2) & 0xFF);
      int payloadAt = 1 + 2 + idLen + 1 + 1 + 1 + 8 + 4 + 1 + 1;
      int length = message.remaining() - payloadAt;
      if (length > largest.length) {
        byte[] copy = new byte[length];
        message.duplicate().position(message.position() + payloadAt).get(copy);
        largest = copy;
      }
    }
  }
}
