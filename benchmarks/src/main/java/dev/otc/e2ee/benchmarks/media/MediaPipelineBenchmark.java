package dev.otc.e2ee.benchmarks.media;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.SessionListener;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberListener;
import dev.otc.e2ee.media.DecoderStats;
import dev.otc.e2ee.media.EncoderStats;
import dev.otc.e2ee.media.TestPattern;
import dev.otc.e2ee.media.VideoCapturer;
import dev.otc.e2ee.media.VideoFormat;
import dev.otc.e2ee.media.VideoFrame;
import dev.otc.e2ee.media.VideoFrameSink;
import dev.otc.e2ee.media.VideoRenderer;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Role;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole raw-video pipeline per frame, in one process on loopback: a Java capturer provides a
 * pre-drawn test-pattern frame, the SDK converts and encodes it (codec at the resolution), encrypts
 * it (E2EE on) or not (off, a plain session), the embedded router forwards it, the subscriber
 * decrypts, decodes and renders it to a Java renderer. One frame at a time: the benchmark call
 * returns when the frame was rendered, so the time per call is the capture-to-render latency of an
 * idle pipeline, and the process CPU per frame ({@code cpuUsPerFrame}, all threads: encoder,
 * decoder, router, SDK) is the cost of a frame. E2EE's share is the difference between the
 * {@code e2ee=true} and {@code e2ee=false} rows of one run. The 30 fps paced latency percentiles
 * are printed by {@link #pacedLatency} at the end of each trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MediaPipelineBenchmark {
  @Param({"VP8", "VP9", "H264"})
  public String codec;

  @Param({"640x360", "1280x720"})
  public String resolution;

  @Param({"true", "false"})
  public boolean e2ee;

  private static final int RING = 30;
  private MediaRouter router;
  private Session pub;
  private Session sub;
  private Publisher publisher;
  private final Camera camera = new Camera();
  private final Screen screen = new Screen();
  private VideoFrame[] frames;
  private int next;
  private Subscriber subscriber;
  /** Codec counters when the measured frames start: the trial's encode and decode cost per frame. */
  private EncoderStats encoderAtStart;
  private DecoderStats decoderAtStart;

  /** Process CPU time per rendered frame, in microseconds (all threads of the JVM). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Cpu {
    public long cpuNanos;
    public long framesRendered;

    @Setup(Level.Iteration)
    public void reset() {
      cpuNanos = 0;
      framesRendered = 0;
    }

    public double cpuUsPerFrame() {
      return framesRendered == 0 ? 0 : cpuNanos / 1000.0 / framesRendered;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String[] wh = resolution.split("x");
    int w = Integer.parseInt(wh[0]);
    int h = Integer.parseInt(wh[1]);
    TestPattern pattern = new TestPattern(w, h);
    frames = new VideoFrame[RING];
    for (int i = 0; i < RING; i++) {
      frames[i] = VideoFrame.allocate(VideoFormat.I420, w, h);
      pattern.render(i, frames[i]);
    }
    camera.settings = new VideoCapturer.CaptureSettings(VideoFormat.I420, w, h, 30);
    router = MediaRouter.builder().ioThreads(2).start();
    String sid = router.createSession(e2ee);
    AtomicReference<Stream> stream = new AtomicReference<>();
    pub = connect(sid, new SessionListener() {});
    sub = connect(sid, new SessionListener() {
      @Override
      public void onStreamReceived(Session s, Stream st) {
        stream.set(st);
      }
    });
    publisher = Publisher.builder().name("bench").videoCodec(Codec.valueOf(codec)).hasAudio(false)
        .videoCapturer(camera).build();
    waitFor(() -> pub.isConnected() && sub.isConnected());
    pub.publish(publisher);
    waitFor(() -> stream.get() != null && camera.live);
    subscriber = sub.subscribe(stream.get(), new SubscriberListener() {}, screen);
    waitFor(() -> subscriber.stats().framesReceived() >= 0);
    // Warm the decoder up to its first keyframe.
    for (int i = 0; screen.rendered == 0; i++) {
      camera.sink.provideFrame(frames[i % RING].timestampUs(0));
      Thread.sleep(50);
    }
    encoderAtStart = publisher.encoderStats();
    decoderAtStart = subscriber.decoderStats();
  }

  private Session connect(String sid, SessionListener listener) {
    Session.Builder b = Session.builder().applicationId(router.applicationId()).sessionId(sid)
        .routerUrl(router.mediaUrl()).listener(listener);
    if (e2ee) {
      b.encryptionSecret("media benchmark secret, not a real one");
    }
    Session s = b.build();
    s.connect(router.generateClientToken(sid, Role.PUBLISHER, Duration.ofHours(1), ""));
    return s;
  }

  private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
    long end = System.nanoTime() + 30_000_000_000L;
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("benchmark setup timed out");
      }
      Thread.sleep(5);
    }
  }

  /** One frame from capture to render. */
  @Benchmark
  public long captureToRender(Cpu cpu) {
    long cpuBefore = processCpuNanos();
    long before = screen.rendered;
    VideoFrame f = frames[next++ % RING];
    camera.sink.provideFrame(f.timestampUs(System.nanoTime() / 1000));
    // Parked until the renderer unparks this thread: no polling, so the CPU counted is the pipeline's.
    screen.waiter = Thread.currentThread();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (screen.rendered == before && System.nanoTime() < deadline) {
      LockSupport.parkNanos(5_000_000);
    }
    cpu.cpuNanos += processCpuNanos() - cpuBefore;
    cpu.framesRendered += screen.rendered - before;
    return screen.rendered;
  }

  /** After the trial: 3 s at a steady 30 fps, capture-to-render percentiles and the bitrate. */
  @TearDown(Level.Trial)
  public void pacedLatency() throws Exception {
    try {
      EncoderStats before = publisher.encoderStats();
      DecoderStats decoded = subscriber.decoderStats();
      long encodedFrames = before.videoFramesEncoded() - encoderAtStart.videoFramesEncoded();
      long decodedFrames = decoded.videoFramesDecoded() - decoderAtStart.videoFramesDecoded();
      // The SDK's own per-call codec timers (otc_publisher_stats / otc_subscriber_stats), over the trial.
      System.out.printf("%n[codec cost] %s %s e2ee=%s: encode %.3f ms per frame (%d frames), decode %.3f ms per"
              + " frame (%d frames)%n", codec, resolution, e2ee,
          perFrameMs(before.videoEncodeTimeUs() - encoderAtStart.videoEncodeTimeUs(), encodedFrames), encodedFrames,
          perFrameMs(decoded.videoDecodeTimeUs() - decoderAtStart.videoDecodeTimeUs(), decodedFrames), decodedFrames);
      screen.recordFrom(screen.rendered);
      long start = System.nanoTime();
      for (int i = 0; i < 90; i++) {
        long due = start + i * 1_000_000_000L / 30;
        while (System.nanoTime() < due) {
          LockSupport.parkNanos(200_000);
        }
        camera.sink.provideFrame(frames[i % RING].timestampUs(System.nanoTime() / 1000));
      }
      Thread.sleep(500);
      EncoderStats after = publisher.encoderStats();
      long[] lat = screen.latencies();
      double kbps = (after.videoBytesEncoded() - before.videoBytesEncoded()) * 8 / 3.0 / 1000;
      long encoded = after.videoFramesEncoded() - before.videoFramesEncoded();
      System.out.printf("%n[paced 30 fps] %s %s e2ee=%s: %d frames rendered of 90, latency p50 %.2f ms p99 %.2f ms,"
              + " %.0f kbit/s, %.0f bytes per encoded frame%n", codec, resolution, e2ee, lat.length,
          pct(lat, 0.5) / 1000.0, pct(lat, 0.99) / 1000.0, kbps,
          encoded == 0 ? 0.0 : (after.videoBytesEncoded() - before.videoBytesEncoded()) / (double) encoded);
    } finally {
      sub.close();
      pub.close();
      publisher.close();
      router.close();
    }
  }

  private static double perFrameMs(long micros, long frames) {
    return frames == 0 ? 0 : micros / 1000.0 / frames;
  }

  private static long pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static final class Camera implements VideoCapturer {
    volatile VideoFrameSink sink;
    volatile boolean live;
    volatile CaptureSettings settings;

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
    public CaptureSettings captureSettings() {
      return settings;
    }
  }

  /** Counts rendered frames; while recording, keeps each frame's capture-to-render latency (µs). */
  private static final class Screen implements VideoRenderer {
    volatile long rendered;
    volatile Thread waiter;
    private final long[] latency = new long[1024];
    private volatile int recorded = -1;

    void recordFrom(long ignored) {
      recorded = 0;
    }

    long[] latencies() {
      int n = Math.max(0, Math.min(recorded, latency.length));
      long[] copy = Arrays.copyOf(latency, n);
      Arrays.sort(copy);
      return copy;
    }

    @Override
    public void onRenderFrame(Subscriber subscriber, VideoFrame frame) {
      int r = recorded;
      if (r >= 0 && r < latency.length) {
        latency[r] = System.nanoTime() / 1000 - frame.timestampUs();
        recorded = r + 1;
      }
      rendered++;
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }
}
