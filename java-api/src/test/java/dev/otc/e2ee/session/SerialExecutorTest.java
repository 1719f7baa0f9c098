package dev.otc.e2ee.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otc.e2ee.internal.session.SerialExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-object ordering on a multi-threaded executor, failure isolation and refusal handling. */
@Timeout(30)
class SerialExecutorTest {
  @Test
  void tasksRunOneAtATimeInOrderOnAPool() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<SerialExecutor> queues = new ArrayList<>();
      List<List<Integer>> seen = new ArrayList<>();
      AtomicInteger concurrent = new AtomicInteger();
      AtomicInteger maxConcurrentPerQueue = new AtomicInteger();
      for (int q = 0; q < 8; q++) {
        queues.add(new SerialExecutor(pool, t -> { }));
        seen.add(new CopyOnWriteArrayList<>());
      }
      CountDownLatch done = new CountDownLatch(8 * 1000);
      for (int i = 0; i < 1000; i++) {
        for (int q = 0; q < 8; q++) {
          int n = i;
          List<Integer> out = seen.get(q);
          queues.get(q).execute(() -> {
            out.add(n);
            done.countDown();
          });
        }
      }
      // A queue that checks it never runs two of its tasks at once.
      SerialExecutor checked = new SerialExecutor(pool, t -> { });
      CountDownLatch checkedDone = new CountDownLatch(2000);
      for (int i = 0; i < 2000; i++) {
        checked.execute(() -> {
          int c = concurrent.incrementAndGet();
          maxConcurrentPerQueue.accumulateAndGet(c, Math::max);
          concurrent.decrementAndGet();
          checkedDone.countDown();
        });
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(checkedDone.await(10, TimeUnit.SECONDS)).isTrue();
      for (List<Integer> out : seen) {
        for (int i = 0; i < out.size(); i++) {
          assertThat(out.get(i)).isEqualTo(i);
        }
      }
      assertThat(maxConcurrentPerQueue.get()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aThrowingTaskIsReportedAndTheNextOnesStillRun() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    try {
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      SerialExecutor q = new SerialExecutor(single, failures::add);
      CountDownLatch after = new CountDownLatch(1);
      q.execute(() -> {
        throw new IllegalStateException("listener bug");
      });
      q.execute(after::countDown);
      assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(failures).singleElement().isInstanceOf(IllegalStateException.class);
    } finally {
      single.shutdownNow();
    }
  }

  @Test
  void aShutDownExecutorRefusesAndTheQueueDoesNotWedge() {
    ExecutorService dead = Executors.newSingleThreadExecutor();
    dead.shutdown();
    SerialExecutor q = new SerialExecutor(dead, t -> { });
    assertThatThrownBy(() -> q.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    assertThat(q.pending()).isZero();
    assertThatThrownBy(() -> q.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
  }
}
