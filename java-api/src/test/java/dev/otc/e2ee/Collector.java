package dev.otc.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.time.Duration;

/** Runs the garbage collector for tests that depend on what a collection clears. */
public final class Collector {
  private Collector() {}

  /** Collects until {@code weak} is cleared, failing after {@code within}. */
  public static void awaitCollected(WeakReference<?> weak, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (weak.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(weak.get()).as("collected within " + within).isNull();
  }

  /** Collects until a fresh, weakly held object is cleared: weak references were processed. */
  public static void collectWeaklyReachable() throws InterruptedException {
    awaitCollected(new WeakReference<>(new Object()), Duration.ofSeconds(30));
  }
}
