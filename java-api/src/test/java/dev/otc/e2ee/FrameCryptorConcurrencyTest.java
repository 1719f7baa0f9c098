package dev.otc.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Closing a cryptor while other threads encrypt and decrypt with it must end those threads with
 * IllegalStateException, never with a crash of the JVM (a use-after-free in native code).
 */
class FrameCryptorConcurrencyTest {
  private static final String SESSION = "concurrency-session";
  private static final String SECRET = "concurrency secret 1";

  @Test
  void closeWhileOtherThreadsUseTheCryptor() throws Exception {
    FrameCryptor keys = FrameCryptor.create(SESSION);
    keys.setEncryptionSecret(SECRET);
    FrameCryptor sender = keys.shareKeys();
    byte[][] frames = new byte[4096][];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = sender.encrypt(new byte[200]);
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (int round = 0; round < 20; round++) {
        FrameCryptor victim = keys.shareKeys();
        CountDownLatch started = new CountDownLatch(6);
        AtomicLong ok = new AtomicLong();
        List<Future<Throwable>> results = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
          final int id = t;
          results.add(pool.submit(() -> {
            started.countDown();
            ByteBuffer direct = ByteBuffer.allocateDirect(512);
            try {
              for (int i = 0; ; i++) {
                if (id % 2 == 0) {
                  victim.encrypt(new byte[100]);
                  direct.clear();
                  victim.encrypt(ByteBuffer.allocate(0), ByteBuffer.wrap(new byte[50]), direct);
                } else {
                  try {
                    victim.decrypt(frames[(id * 1000 + i) % frames.length]);
                  } catch (OtcException e) {
                    // Replays are expected: several threads decrypt the same frames.
                    if (e.errorCode() != ErrorCode.FRAME_REPLAYED) {
                      return e;
                    }
                  }
                  victim.stats();
                }
                ok.incrementAndGet();
              }
            } catch (IllegalStateException expected) {
              return null;
            } catch (Throwable unexpected) {
              return unexpected;
            }
          }));
        }
        started.await();
        while (ok.get() < 50) {
          Thread.onSpinWait();
        }
        victim.close();
        for (Future<Throwable> f : results) {
          assertThat(f.get(30, TimeUnit.SECONDS)).isNull();
        }
        assertThat(victim.isClosed()).isTrue();
      }
      // The shared keyring is intact after all those closes.
      FrameCryptor receiver = keys.shareKeys();
      assertThat(receiver.decrypt(sender.encrypt(new byte[7]))).hasSize(7);
      receiver.close();
    } finally {
      pool.shutdownNow();
      sender.close();
      keys.close();
    }
  }

  @Test
  void concurrentClosesAreSafe() throws Exception {
    FrameCryptor keys = FrameCryptor.create(SESSION);
    try {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        for (int round = 0; round < 200; round++) {
          FrameCryptor c = keys.shareKeys();
          CountDownLatch go = new CountDownLatch(1);
          List<Future<?>> fs = new ArrayList<>();
          for (int t = 0; t < 4; t++) {
            fs.add(pool.submit(() -> {
              go.await();
              c.close();
              return null;
            }));
          }
          go.countDown();
          for (Future<?> f : fs) {
            f.get(10, TimeUnit.SECONDS);
          }
          assertThat(c.isClosed()).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    } finally {
      keys.close();
    }
  }
}
