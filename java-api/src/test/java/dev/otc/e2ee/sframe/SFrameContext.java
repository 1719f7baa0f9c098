package dev.otc.e2ee.sframe;

import static dev.otc.e2ee.sframe.TestingApi.LIB;
import static dev.otc.e2ee.sframe.TestingApi.OTC_SUCCESS;

import com.sun.jna.Pointer;
import dev.otc.e2ee.CipherSuite;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.internal.NativeRef;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * Test-only: the raw SFrame (RFC 9605) context of native/testing/include/otc/testing/sframe.h (in the
 * test build of libotc only): keys by KID, protect and unprotect with caller-chosen counters, for
 * the RFC 9605 vectors and the differential tests. Applications use {@link dev.otc.e2ee.FrameCryptor},
 * which chooses KIDs and counters safely; no such class ships.
 *
 * <p>The native context is not thread-safe; this class serialises calls on it (and a close
 * waits for a running call).
 */
public final class SFrameContext implements AutoCloseable {
  private static final byte[] EMPTY = new byte[0];

  private final CipherSuite suite;
  private final Pointer handle;
  private final NativeRef ref;

  public SFrameContext(CipherSuite suite) {
    this.suite = Objects.requireNonNull(suite, "suite");
    Pointer h = LIB.otc_sframe_context_new(suite.id());
    if (h == null) {
      throw new OtcException(ErrorCode.ERR_FATAL, "the native library could not create an SFrame context");
    }
    this.handle = h;
    this.ref = new NativeRef(this, "SFrameContext", () -> LIB.otc_sframe_context_delete(h));
  }

  public CipherSuite cipherSuite() {
    return suite;
  }

  /** {@code use} with the native context, held open (NativeRef) for the call. */
  private <T> T withContext(Function<Pointer, T> use) {
    ref.acquire();
    try {
      return use.apply(handle);
    } finally {
      ref.release(this);
    }
  }

  /**
   * Installs (or replaces) the key for {@code kid}, derived from {@code baseKey} with the RFC 9605
   * key schedule. {@code baseKey} is not retained; the native copy is wiped.
   */
  public synchronized void addKey(long kid, byte[] baseKey) {
    Objects.requireNonNull(baseKey, "baseKey");
    int rc = withContext(h -> {
      try (SecretMemory key = SecretMemory.copyOf(baseKey)) {
        return LIB.otc_sframe_context_add_key(h, kid, key.pointer(), baseKey.length);
      }
    });
    if (rc != OTC_SUCCESS) {
      throw OtcException.of(rc, "addKey");
    }
  }

  /**
   * Wipes and removes the key for {@code kid}.
   *
   * @throws OtcException with {@link ErrorCode#FRAME_UNKNOWN_KEY} if there is none
   */
  public synchronized void removeKey(long kid) {
    int rc = withContext(h -> LIB.otc_sframe_context_remove_key(h, kid));
    if (rc != OTC_SUCCESS) {
      throw OtcException.of(rc, "removeKey");
    }
  }

  /** header(kid, ctr) || ciphertext || tag, with AAD = header || metadata ({@code null} metadata = empty). */
  public synchronized byte[] protect(long kid, long ctr, byte[] metadata, byte[] plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] md = metadata == null ? EMPTY : metadata;
    byte[] out = new byte[plaintext.length + (int) LIB.otc_sframe_max_overhead(suite.id())];
    return withContext(h -> {
      long[] len = new long[1];
      int rc = LIB.otc_sframe_protect(h, kid, ctr, md, md.length, plaintext, plaintext.length, out, out.length, len);
      if (rc != OTC_SUCCESS) {
        throw OtcException.frameOutcome(rc, "protect");
      }
      return Arrays.copyOf(out, (int) len[0]);
    });
  }

  /**
   * Inverse of {@link #protect}. No replay check at this layer.
   *
   * @throws OtcException with {@code FRAME_MALFORMED}, {@code FRAME_UNKNOWN_KEY} or {@code FRAME_AUTHENTICATION_FAILED}
   */
  public synchronized byte[] unprotect(byte[] metadata, byte[] frame) {
    Objects.requireNonNull(frame, "frame");
    byte[] md = metadata == null ? EMPTY : metadata;
    byte[] out = new byte[Math.max(0, frame.length - 1 - suite.tagSize())];
    return withContext(h -> {
      long[] len = new long[1];
      int rc = LIB.otc_sframe_unprotect(h, md, md.length, frame, frame.length, out, out.length, len, null, null);
      if (rc != OTC_SUCCESS) {
        throw OtcException.frameOutcome(rc, "unprotect");
      }
      return Arrays.copyOf(out, (int) len[0]);
    });
  }

  /** Wipes all keys and frees the context. Idempotent. */
  @Override
  public synchronized void close() {
    ref.close();
  }

  @Override
  public String toString() {
    return "SFrameContext[" + suite + "]";
  }
}
