package dev.otc.e2ee.benchmarks.session;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * End-to-end latency on loopback, one frame in flight: from {@code Publisher.sendFrame} until the
 * frame has reached the {@code onFrame} callback of every one of N subscribers (each its own
 * client) through the embedded router. E2EE on and off are parameters of the same run, so the
 * difference is the cost of encrypting once and decrypting N times. SampleTime gives p50/p99;
 * the reciprocal of the mean is the unpipelined frame rate.
 *
 * <p>Run (after {@code mvn -B -DskipTests package} from the repository root):
 * {@code java -jar benchmarks/target/benchmarks.jar 'session\.Session(Fanout|Load)Benchmark'}.
 * Every client runs in the benchmark's JVM: its two SDK threads per client, the router's event
 * loops and the benchmark thread share the machine's cores, so numbers from a loaded machine
 * measure the machine as much as the SDK.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class SessionFanoutBenchmark {
  @Param({"1", "10", "50"})
  public int subscribers;

  @Param({"false", "true"})
  public boolean e2ee;

  /** An MTU-sized video slice. */
  @Param({"1200"})
  public int size;

  private SessionRig rig;
  private final AtomicInteger remaining = new AtomicInteger();

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    rig = new SessionRig(subscribers, e2ee, size);
    rig.onFrame(latency -> remaining.decrementAndGet());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    rig.close();
  }

  @Benchmark
  public void sendToAllSubscribers() {
    remaining.set(subscribers);
    rig.send();
    SessionRig.awaitZero(remaining, TimeUnit.SECONDS.toNanos(5));
  }
}
