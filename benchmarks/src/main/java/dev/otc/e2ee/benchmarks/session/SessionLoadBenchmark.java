package dev.otc.e2ee.benchmarks.session;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A real-time load: one publisher sending at a fixed frame rate (30 fps by default) to N
 * subscribers, E2EE on and off in the same run. Reported per second of wall time:
 * {@code framesDelivered} (subscriber callbacks) and {@code cpuMicros} (CPU time of the whole
 * process: SDK clients, router, JVM; 1,000,000 = one core busy). At the end of each measurement
 * iteration the send-to-callback latency of every delivered frame is printed as p50/p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class SessionLoadBenchmark {
  @Param({"1", "10", "50"})
  public int subscribers;

  @Param({"false", "true"})
  public boolean e2ee;

  @Param({"30"})
  public int fps;

  @Param({"1200"})
  public int size;

  private static final int MAX_SAMPLES = 1 << 20;

  private SessionRig rig;
  private long periodNanos;
  private long nextSend;
  private final AtomicLongArray samples = new AtomicLongArray(MAX_SAMPLES);
  private final AtomicInteger sampleCount = new AtomicInteger();

  /** Per-second counters (JMH divides OPERATIONS counters by the iteration time). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long cpuMicros;
    public long framesDelivered;
    private long lastCpu;
    private long lastDelivered;

    @Setup(Level.Iteration)
    public void reset() {
      cpuMicros = 0;
      framesDelivered = 0;
      lastCpu = processCpuNanos();
      lastDelivered = -1;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    rig = new SessionRig(subscribers, e2ee, size);
    rig.onFrame(latency -> {
      int i = sampleCount.getAndIncrement();
      if (i < MAX_SAMPLES) {
        samples.set(i, latency);
      }
    });
    periodNanos = 1_000_000_000L / fps;
    nextSend = System.nanoTime();
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    sampleCount.set(0);
  }

  @TearDown(Level.Iteration)
  public void reportLatency() {
    int n = Math.min(sampleCount.get(), MAX_SAMPLES);
    if (n == 0) {
      return;
    }
    long[] sorted = new long[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = samples.get(i);
    }
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "%n  [latency send->onFrame, %d subscribers, e2ee=%s] n=%d p50=%.1f us p99=%.1f us max=%.1f us%n",
        subscribers, e2ee, n, sorted[n / 2] / 1e3, sorted[(int) Math.min(n - 1, (long) (n * 0.99))] / 1e3,
        sorted[n - 1] / 1e3);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    rig.close();
  }

  /** Sends one frame at its slot of the fixed-rate schedule. */
  @Benchmark
  public void sendAtFixedRate(Counters c) {
    long now;
    while ((now = System.nanoTime()) < nextSend) {
      LockSupport.parkNanos(nextSend - now);
    }
    nextSend += periodNanos;
    if (now - nextSend > 10 * periodNanos) {
      // Fell far behind (e.g. after a GC pause): restart the schedule instead of bursting.
      nextSend = now + periodNanos;
    }
    rig.send();
    long cpu = processCpuNanos();
    c.cpuMicros += (cpu - c.lastCpu) / 1000;
    c.lastCpu = cpu;
    long delivered = rig.delivered();
    if (c.lastDelivered >= 0) {
      c.framesDelivered += delivered - c.lastDelivered;
    }
    c.lastDelivered = delivered;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
