package dev.otc.e2ee.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otc.e2ee.Collector;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one handle model: close frees once, an unreachable owner is freed by the cleaner, never both. */
class NativeRefTest {
  static final Duration COLLECT_WITHIN = Duration.ofSeconds(60);

  /** Stands for a Session, Publisher, ...: owns one native handle through a NativeRef. */
  static final class Owner {
    final NativeRef ref;

    Owner(AtomicInteger frees) {
      this.ref = new NativeRef(this, "Owner", frees::incrementAndGet);
    }
  }

  @Test
  void closeFreesOnceAndLaterCallsAreRefused() throws Exception {
    AtomicInteger frees = new AtomicInteger();
    Owner owner = new Owner(frees);
    owner.ref.acquire();
    owner.ref.close();
    assertThat(frees).as("a call in flight defers the free").hasValue(0);
    owner.ref.release(owner);
    assertThat(frees).hasValue(1);
    owner.ref.close();
    assertThatThrownBy(owner.ref::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("Owner");

    // Closed, then unreachable: the cleaner does not free a second time.
    WeakReference<Owner> weak = new WeakReference<>(owner);
    owner = null;
    Collector.awaitCollected(weak, COLLECT_WITHIN);
    assertThat(frees).hasValue(1);
  }

  @Test
  void anUnreachableOwnerIsFreedByTheCleaner() throws Exception {
    AtomicInteger frees = new AtomicInteger();
    WeakReference<Owner> weak = new WeakReference<>(new Owner(frees));
    Collector.awaitCollected(weak, COLLECT_WITHIN);
    long deadline = System.nanoTime() + COLLECT_WITHIN.toNanos();
    while (frees.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(frees).hasValue(1);
  }
}
