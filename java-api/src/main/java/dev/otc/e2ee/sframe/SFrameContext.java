package dev.otc.e2ee.sframe;

import dev.otc.e2ee.CipherSuite;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.bindings.otc.otc_sframe_context;
import dev.otc.e2ee.internal.NativeLibrary;
import dev.otc.e2ee.internal.NativeRef;
import dev.otc.e2ee.internal.SecretBytes;
import java.util.Arrays;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Low-level SFrame (RFC 9605) context: keys by KID, protect and unprotect with caller-chosen
 * counters. For standard vectors and independent implementations; applications use
 * {@link dev.otc.e2ee.FrameCryptor}, which chooses KIDs and counters safely. The caller must never
 * reuse a (KID, CTR) pair under one key.
 *
 * <p>The native context is not thread-safe; this class serialises calls on it (and a close
 * waits for a running call), so misuse from several threads is slow but never unsafe.
 */
public final class SFrameContext implements AutoCloseable {
  private static final byte[] EMPTY = new byte[0];

  private final CipherSuite suite;
  private final otc_sframe_context handle;
  private final NativeRef ref;

  public SFrameContext(CipherSuite suite) {
    this.suite = Objects.requireNonNull(suite, "suite");
    NativeLibrary.ensureLoaded();
    otc_sframe_context h = otc.otc_sframe_context_new(suite.id());
    if (h == null || h.isNull()) {
      throw new OtcException(ErrorCode.ERR_FATAL, "the native library could not create an SFrame context");
    }
    this.handle = h;
    this.ref = new NativeRef(this, "SFrameContext", () -> otc.otc_sframe_context_delete(h));
  }

  public CipherSuite cipherSuite() {
    return suite;
  }

  /** {@code use} with the native context, held open (NativeRef) for the call. */
  private <T> T withContext(java.util.function.Function<otc_sframe_context, T> use) {
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
      BytePointer key = SecretBytes.copyOf(baseKey);
      try {
        return otc.otc_sframe_context_add_key(h, kid, key, baseKey.length);
      } finally {
        SecretBytes.wipe(key);
      }
    });
    if (rc != otc.OTC_SUCCESS) {
      throw OtcException.of(rc, "addKey");
    }
  }

  /**
   * Wipes and removes the key for {@code kid}.
   *
   * @throws OtcException with {@link ErrorCode#FRAME_UNKNOWN_KEY} if there is none
   */
  public synchronized void removeKey(long kid) {
    int rc = withContext(h -> otc.otc_sframe_context_remove_key(h, kid));
    if (rc != otc.OTC_SUCCESS) {
      throw OtcException.of(rc, "removeKey");
    }
  }

  /** header(kid, ctr) || ciphertext || tag, with AAD = header || metadata ({@code null} metadata = empty). */
  public synchronized byte[] protect(long kid, long ctr, byte[] metadata, byte[] plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] md = metadata == null ? EMPTY : metadata;
    byte[] out = new byte[plaintext.length + suite.maxOverhead()];
    return withContext(h -> {
      try (SizeTPointer len = new SizeTPointer(1)) {
        int rc = otc.otc_sframe_protect(h, kid, ctr, md, md.length, plaintext, plaintext.length, out, out.length, len);
        if (rc != otc.OTC_SUCCESS) {
          throw OtcException.frameOutcome(rc, "protect");
        }
        return Arrays.copyOf(out, (int) len.get());
      }
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
      try (SizeTPointer len = new SizeTPointer(1)) {
        int rc = otc.otc_sframe_unprotect(h, md, md.length, frame, frame.length, out, out.length, len,
            (long[]) null, (long[]) null);
        if (rc != otc.OTC_SUCCESS) {
          throw OtcException.frameOutcome(rc, "unprotect");
        }
        return Arrays.copyOf(out, (int) len.get());
      }
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
