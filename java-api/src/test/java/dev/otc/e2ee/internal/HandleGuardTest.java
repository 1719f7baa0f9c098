package dev.otc.e2ee.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The striped guard: the free runs exactly once, never while a call that was admitted is still
 * between acquire and release, whichever thread closes and however many threads call.
 */
class HandleGuardTest {
  @Test
  void closeWithNothingInFlightFreesAtOnceAndOnlyOnce() {
    AtomicInteger frees = new AtomicInteger();
    HandleGuard guard = new HandleGuard("Thing", frees::incrementAndGet);
    guard.acquire();
    guard.release();
    assertThat(frees).hasValue(0);
    guard.close();
    guard.close();
    assertThat(frees).hasValue(1);
    assertThat(guard.isClosed()).isTrue();
    assertThatThrownBy(guard::acquire).isInstanceOf(IllegalStateException.class).hasMessage("Thing is closed");
    assertThat(frees).hasValue(1);
  }

  @Test
  void closeDuringACallLeavesTheFreeToTheLastRelease() {
    AtomicInteger frees = new AtomicInteger();
    HandleGuard guard = new HandleGuard("Thing", frees::incrementAndGet);
    guard.acquire();
    guard.acquire();
    guard.close();
    assertThat(frees).hasValue(0);
    guard.release();
    assertThat(frees).hasValue(0);
    guard.release();
    assertThat(frees).hasValue(1);
  }

  @Test
  void racingCallsAndClosesNeverFreeUnderAnAdmittedCall() throws Exception {
    for (int trial = 0; trial < 200; trial++) {
      AtomicBoolean freed = new AtomicBoolean();
      AtomicInteger frees = new AtomicInteger();
      AtomicInteger violations = new AtomicInteger();
      HandleGuard guard = new HandleGuard("Thing", () -> {
        freed.set(true);
        frees.incrementAndGet();
      });
      int threads = 4;
      CountDownLatch start = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(threads + 2);
      List<Thread> all = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        all.add(new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < 2000; i++) {
              try {
                guard.acquire();
              } catch (IllegalStateException closed) {
                break;
              }
              try {
                if (freed.get()) {
                  violations.incrementAndGet();
                }
              } finally {
                guard.release();
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            done.countDown();
          }
        }));
      }
      for (int c = 0; c < 2; c++) {
        all.add(new Thread(() -> {
          try {
            start.await();
            Thread.yield();
            guard.close();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            done.countDown();
          }
        }));
      }
      all.forEach(Thread::start);
      start.countDown();
      assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(violations).as("trial %d: freed under an admitted call", trial).hasValue(0);
      assertThat(frees).as("trial %d", trial).hasValue(1);
    }
  }
}
