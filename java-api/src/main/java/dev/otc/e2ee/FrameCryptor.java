package dev.otc.e2ee;

import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.bindings.otc.otc_frame_cryptor;
import dev.otc.e2ee.bindings.otc.otc_frame_cryptor_stats;
import dev.otc.e2ee.internal.FrameCallScratch;
import dev.otc.e2ee.internal.NativeLibrary;
import dev.otc.e2ee.internal.NativeRef;
import dev.otc.e2ee.internal.NativeStatus;
import dev.otc.e2ee.internal.SecretBytes;
import dev.otc.e2ee.internal.SessionIds;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * End-to-end encryption of media frames for one session (docs/FORMAT.md), usable without a
 * session: for applications that bring their own transport.
 *
 * <p>A cryptor holds the current encryption secret's derived keys plus, for a grace period after
 * each change, the previous ones. {@link #encrypt} always uses the current secret; {@link #decrypt}
 * finds the secret from the frame's key id and reports distinct outcomes as {@link OtcException}s
 * (created without stack trace: they are per-frame events), or, from {@link #tryDecrypt}, as a
 * {@link DecryptResult} value with no exception at all:
 * {@link ErrorCode#SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH}, {@link ErrorCode#FRAME_AUTHENTICATION_FAILED},
 * {@link ErrorCode#FRAME_REPLAYED}, {@link ErrorCode#FRAME_MALFORMED}, {@link ErrorCode#ERR_BUFFER_TOO_SMALL},
 * {@link ErrorCode#SESSION_ENCRYPTION_SECRET_MISSING}, {@link ErrorCode#SUBSCRIBER_DECRYPTION_INTERNAL_ERROR}.
 *
 * <p>Threads: every method may be called from any thread; decrypts run concurrently, encrypts on
 * one cryptor are serialised by the native library. {@link #close()} may race with calls on other
 * threads: calls already running finish, later ones throw {@link IllegalStateException}.
 * {@link #setEncryptionSecret} runs the slow key derivation (about 0.1 s) on the calling thread:
 * never call it on a media thread.
 *
 * <p>Buffers: direct {@link ByteBuffer}s are handed to native code without copying, as plain
 * addresses; each thread remembers the last direct buffer it passed as metadata, input and output
 * (and so keeps those three reachable until its next call with others), which spares a native
 * look-up when the same buffers come again, as they do frame after frame. {@code byte[]} frames up
 * to 1 MiB are copied through per-thread direct buffers; larger arrays and heap buffers are copied
 * by JNI for the duration of the call. Arrays must not be modified by another thread meanwhile.
 * Input and output must not overlap.
 */
public final class FrameCryptor implements AutoCloseable {
  private static final byte[] EMPTY = new byte[0];
  private static final long MAX_GRACE_MS = 600_000;


  private final otc_frame_cryptor handle;
  /** {@code handle}'s native address, which the per-frame calls pass as a plain long. */
  private final long address;
  private final NativeRef guard;
  private final CipherSuite suite;
  private final int maxOverhead;

  private FrameCryptor(otc_frame_cryptor handle) {
    this.handle = handle;
    this.address = handle.address();
    // Freed by close() or, never closed, once unreachable (NativeRef).
    this.guard = new NativeRef(this, "FrameCryptor", () -> otc.otc_frame_cryptor_delete(handle));
    this.suite = CipherSuite.fromId(otc.otc_frame_cryptor_cipher_suite(handle));
    this.maxOverhead = (int) otc.otc_frame_cryptor_max_overhead(handle);
  }

  /**
   * A cryptor for {@code sessionId} with the default cipher suite and grace period and no secret.
   *
   * @throws OtcException with {@link ErrorCode#SESSION_INVALID_SESSION_ID} if the id is empty,
   *     longer than 1024 UTF-8 bytes, holds a NUL or an unpaired surrogate
   */
  public static FrameCryptor create(String sessionId) {
    return builder().sessionId(sessionId).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link FrameCryptor}; not thread-safe. */
  public static final class Builder {
    private String sessionId;
    private CipherSuite cipherSuite = CipherSuite.DEFAULT;
    private Duration gracePeriod;
    private EncryptionSecret secret;

    private Builder() {}

    /** Required: every participant of a session uses the same id; it salts the key derivation. */
    public Builder sessionId(String sessionId) {
      this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
      return this;
    }

    /** Default {@link CipherSuite#DEFAULT}; every participant must use the same suite. */
    public Builder cipherSuite(CipherSuite cipherSuite) {
      this.cipherSuite = Objects.requireNonNull(cipherSuite, "cipherSuite");
      return this;
    }

    /**
     * How long previous secrets keep decrypting after a change; default 5 s.
     *
     * @throws IllegalArgumentException if negative or above 10 minutes
     */
    public Builder gracePeriod(Duration gracePeriod) {
      checkGracePeriod(gracePeriod);
      this.gracePeriod = gracePeriod;
      return this;
    }

    /** A secret to install at once (runs the key derivation in {@link #build()}); not closed by the builder. */
    public Builder encryptionSecret(EncryptionSecret secret) {
      this.secret = Objects.requireNonNull(secret, "secret");
      return this;
    }

    /**
     * @throws IllegalStateException if no session id was given
     * @throws OtcException with {@link ErrorCode#SESSION_INVALID_SESSION_ID} for an invalid id
     */
    public FrameCryptor build() {
      if (sessionId == null) {
        throw new IllegalStateException("sessionId is required");
      }
      NativeLibrary.ensureLoaded();
      BytePointer sid = SecretBytes.copyOfNulTerminated(SessionIds.toUtf8(sessionId));
      otc_frame_cryptor handle;
      try {
        handle = otc.otc_frame_cryptor_new(sid, cipherSuite.id());
      } finally {
        sid.close();
      }
      if (handle == null || handle.isNull()) {
        throw new OtcException(ErrorCode.ERR_FATAL, "the native library could not create a frame cryptor");
      }
      FrameCryptor cryptor = new FrameCryptor(handle);
      try {
        if (gracePeriod != null) {
          cryptor.setGracePeriod(gracePeriod);
        }
        if (secret != null) {
          cryptor.setEncryptionSecret(secret);
        }
      } catch (RuntimeException e) {
        cryptor.close();
        throw e;
      }
      return cryptor;
    }
  }

  private static void checkGracePeriod(Duration gracePeriod) {
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    if (gracePeriod.isNegative() || gracePeriod.compareTo(Duration.ofMillis(MAX_GRACE_MS)) > 0) {
      throw new IllegalArgumentException("grace period must be between 0 and 10 minutes, was " + gracePeriod);
    }
  }

  /**
   * A second cryptor sharing this one's secrets (derived keys and grace period) but with its own
   * sender id, counters, replay windows and stats: one per published or subscribed stream, with
   * the key derivation run once. Setting the secret on either applies to both. Close each.
   */
  public FrameCryptor shareKeys() {
    return derive(otc::otc_frame_cryptor_new_sharing_keys);
  }

  /**
   * A cryptor for one more stream of the same application session: it shares this one's secrets
   * (as {@link #shareKeys()}) and also its receive state (replay windows and the marks of evicted
   * senders), so a frame accepted by one of them is refused as replayed by all, also after a
   * "resubscribe" (docs/FORMAT.md sec. 5.1). Own sender id, counters, stats and new-sender
   * budget. Close each.
   */
  public FrameCryptor shareSession() {
    return derive(otc::otc_frame_cryptor_new_sharing_session);
  }

  /** A new cryptor made from this one's handle by {@code constructor} (a sharing constructor of the C API). */
  private FrameCryptor derive(java.util.function.UnaryOperator<otc_frame_cryptor> constructor) {
    guard.acquire();
    try {
      otc_frame_cryptor other = constructor.apply(handle);
      if (other == null || other.isNull()) {
        throw new OtcException(ErrorCode.ERR_NO_MEMORY, "the native library could not create a frame cryptor");
      }
      return new FrameCryptor(other);
    } finally {
      guard.release(this);
    }
  }

  /**
   * Installs a new secret: the next {@link #encrypt} uses it; the previous secret keeps
   * decrypting for the grace period. Runs the slow key derivation on this thread. The secret
   * object is not closed; the cryptor keeps only derived keys.
   *
   * @throws OtcException with {@link ErrorCode#SESSION_INVALID_ENCRYPTION_SECRET}
   * @throws IllegalStateException if this cryptor or the secret is closed
   */
  public void setEncryptionSecret(EncryptionSecret secret) {
    Objects.requireNonNull(secret, "secret");
    guard.run(this, () -> NativeStatus.check(
        secret.withNative((p, n) -> otc.otc_frame_cryptor_set_encryption_secret(handle, p, n)), "setEncryptionSecret"));
  }

  /** As {@link #setEncryptionSecret(EncryptionSecret)}. */
  public void setEncryptionSecret(String secret) {
    try (EncryptionSecret s = EncryptionSecret.of(secret)) {
      setEncryptionSecret(s);
    }
  }

  /** As {@link #setEncryptionSecret(EncryptionSecret)}; {@code secret} is not modified. */
  public void setEncryptionSecret(char[] secret) {
    try (EncryptionSecret s = EncryptionSecret.of(secret)) {
      setEncryptionSecret(s);
    }
  }

  public boolean hasEncryptionSecret() {
    return guard.call(this, () -> otc.otc_frame_cryptor_has_encryption_secret(handle) != 0);
  }

  /**
   * How long previous secrets keep decrypting after a change.
   *
   * @throws IllegalArgumentException if negative or above 10 minutes
   */
  public void setGracePeriod(Duration gracePeriod) {
    checkGracePeriod(gracePeriod);
    guard.run(this, () -> NativeStatus.check(
        otc.otc_frame_cryptor_set_grace_period_ms(handle, (int) gracePeriod.toMillis()), "setGracePeriod"));
  }

  public CipherSuite cipherSuite() {
    return suite;
  }

  /** Bytes {@link #encrypt} adds at most (largest header plus tag). */
  public int maxOverhead() {
    return maxOverhead;
  }

  /** Encrypts with empty metadata. */
  public byte[] encrypt(byte[] plaintext) {
    return encrypt(EMPTY, plaintext);
  }

  /**
   * Encrypts one frame. {@code metadata} (may be empty) is authenticated, not encrypted, not
   * carried in the frame: the receiver must pass the same bytes to {@link #decrypt}.
   *
   * @throws OtcException {@link ErrorCode#SESSION_ENCRYPTION_SECRET_MISSING},
   *     {@link ErrorCode#FRAME_COUNTER_EXHAUSTED}, {@link ErrorCode#PUBLISHER_ENCRYPTION_INTERNAL_ERROR}
   */
  public byte[] encrypt(byte[] metadata, byte[] plaintext) {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] out = new byte[outputCapacityForEncrypt(plaintext.length)];
    int n = checked(cryptArrays(true, metadata, plaintext, 0, plaintext.length, out, 0), true);
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * Encrypts {@code in[off, off+len)} into {@code out} from {@code outOff}, which needs room for
   * {@code len + maxOverhead()} bytes.
   *
   * @return bytes written
   * @throws IndexOutOfBoundsException if a range lies outside its array
   * @throws OtcException {@link ErrorCode#ERR_BUFFER_TOO_SMALL} and the outcomes of {@link #encrypt(byte[], byte[])}
   */
  public int encrypt(byte[] metadata, byte[] in, int off, int len, byte[] out, int outOff) {
    checkArrays(metadata, in, off, len, out, outOff);
    return checked(cryptArrays(true, metadata, in, off, len, out, outOff), true);
  }

  /**
   * Encrypts the remaining bytes of {@code in} into {@code out}. Direct buffers are used in place;
   * heap buffers through their arrays. On success {@code in}'s position moves to its limit and
   * {@code out}'s position past the bytes written; {@code metadata}'s position does not move. On
   * failure no position moves.
   *
   * @return bytes written
   * @throws IllegalArgumentException if {@code out} is read-only
   */
  public int encrypt(ByteBuffer metadata, ByteBuffer in, ByteBuffer out) {
    return checked(cryptBuffers(true, metadata, in, out), true);
  }

  /** Decrypts a frame encrypted with empty metadata. */
  public byte[] decrypt(byte[] frame) {
    return decrypt(EMPTY, frame);
  }

  /**
   * Decrypts one frame.
   *
   * @throws OtcException with one of the outcomes listed in the class description
   */
  public byte[] decrypt(byte[] metadata, byte[] frame) {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(frame, "frame");
    byte[] out = new byte[outputCapacityForDecrypt(frame.length)];
    int n = checked(cryptArrays(false, metadata, frame, 0, frame.length, out, 0), false);
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * Decrypts {@code in[off, off+len)} into {@code out} from {@code outOff}, which needs room for
   * {@code len - 1 - tagSize} bytes.
   *
   * @return bytes written
   * @throws IndexOutOfBoundsException if a range lies outside its array
   */
  public int decrypt(byte[] metadata, byte[] in, int off, int len, byte[] out, int outOff) {
    checkArrays(metadata, in, off, len, out, outOff);
    return checked(cryptArrays(false, metadata, in, off, len, out, outOff), false);
  }

  /**
   * Decrypts {@code in[off, off+len)} into {@code out} from {@code outOff} and reports the
   * per-frame outcome as a value instead of an exception: for receivers that expect replays,
   * forgeries and frames under unknown secrets as part of normal operation. Nothing is written to
   * {@code out} unless the result {@link DecryptResult#isSuccess() is a success}.
   *
   * @throws IndexOutOfBoundsException if a range lies outside its array
   * @throws OtcException {@link ErrorCode#ERR_BUFFER_TOO_SMALL} when {@code out} has less room
   *     than {@link #outputCapacityForDecrypt} needs: a mistake of the caller, not of the frame
   * @throws IllegalStateException if closed
   */
  public DecryptResult tryDecrypt(byte[] metadata, byte[] in, int off, int len, byte[] out, int outOff) {
    checkArrays(metadata, in, off, len, out, outOff);
    return DecryptResult.of(cryptArrays(false, metadata, in, off, len, out, outOff));
  }

  /**
   * The buffer form of {@link #tryDecrypt(byte[], byte[], int, int, byte[], int)}: on success the
   * positions move as in {@link #decrypt(ByteBuffer, ByteBuffer, ByteBuffer)}, otherwise none moves.
   */
  public DecryptResult tryDecrypt(ByteBuffer metadata, ByteBuffer in, ByteBuffer out) {
    return DecryptResult.of(cryptBuffers(false, metadata, in, out));
  }

  /** The buffer form of decryption; positions move as in {@link #encrypt(ByteBuffer, ByteBuffer, ByteBuffer)}. */
  public int decrypt(ByteBuffer metadata, ByteBuffer in, ByteBuffer out) {
    return checked(cryptBuffers(false, metadata, in, out), false);
  }

  /** Output capacity that always suffices to encrypt {@code plaintextLength} bytes. */
  public int outputCapacityForEncrypt(int plaintextLength) {
    if (plaintextLength < 0 || plaintextLength > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("plaintext length out of range: " + plaintextLength);
    }
    return plaintextLength + maxOverhead;
  }

  /** Output capacity that always suffices to decrypt a frame of {@code frameLength} bytes (smallest header: 1 byte). */
  public int outputCapacityForDecrypt(int frameLength) {
    if (frameLength < 0) {
      throw new IllegalArgumentException("frame length out of range: " + frameLength);
    }
    return Math.max(0, frameLength - 1 - suite.tagSize());
  }

  /** The argument checks of the array forms of encrypt, decrypt and tryDecrypt. */
  private static void checkArrays(byte[] metadata, byte[] in, int off, int len, byte[] out, int outOff) {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.checkFromIndexSize(off, len, in.length);
    Objects.checkFromToIndex(outOff, out.length, out.length);
  }

  /** A raw frame result (bytes written, or the negated otc_status) as the throwing methods report it. */
  private static int checked(long raw, boolean encrypt) {
    if (raw < 0) {
      throw OtcException.frameOutcome((int) -raw, encrypt ? "encrypt" : "decrypt");
    }
    return (int) raw;
  }

  /** Bytes written, or the negated otc_status (then no position moves). */
  private long cryptBuffers(boolean encrypt, ByteBuffer metadata, ByteBuffer in, ByteBuffer out) {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    if (out.isReadOnly()) {
      throw new IllegalArgumentException("output buffer is read-only");
    }
    long written = metadata.isDirect() && in.isDirect() && out.isDirect()
        ? cryptDirect(encrypt, metadata, in, out)
        : crypt(encrypt, jniSafe(metadata), jniSafe(in), jniSafe(out));
    if (written >= 0) {
      in.position(in.limit());
      out.position(out.position() + (int) written);
    }
    return written;
  }

  /**
   * The form of a buffer that the generated JNI code handles safely. Direct buffers pass as they
   * are. Heap buffers are reached through their array, but JavaCPP 1.5.14 releases the array
   * elements at {@code elements + arrayOffset} instead of {@code elements}, so a slice with a
   * non-zero array offset makes glibc abort the JVM ("free(): invalid pointer"): such a buffer is
   * re-wrapped as the same bytes at array offset 0. A read-only heap buffer exposes no array and
   * is copied (inputs only; read-only outputs were rejected before).
   */
  private static ByteBuffer jniSafe(ByteBuffer b) {
    if (b.isDirect()) {
      return b;
    }
    if (b.hasArray()) {
      return b.arrayOffset() == 0 ? b : ByteBuffer.wrap(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }
    ByteBuffer copy = ByteBuffer.allocate(b.remaining());
    copy.put(b.duplicate()).flip();
    return copy;
  }

  /** Direct buffers: their addresses go to native code as plain numbers; positions are not moved here. */
  private long cryptDirect(boolean encrypt, ByteBuffer metadata, ByteBuffer in, ByteBuffer out) {
    FrameCallScratch scratch = FrameCallScratch.get();
    try {
      return callRaw(encrypt,
          scratch.address(FrameCallScratch.METADATA, metadata) + metadata.position(), metadata.remaining(),
          scratch.address(FrameCallScratch.INPUT, in) + in.position(), in.remaining(),
          scratch.address(FrameCallScratch.OUTPUT, out) + out.position(), out.remaining());
    } finally {
      // The addresses are only numbers: the buffers' memory must stay allocated until native code returns.
      Reference.reachabilityFence(metadata);
      Reference.reachabilityFence(in);
      Reference.reachabilityFence(out);
    }
  }

  /**
   * The lean frame call: addresses and lengths in, length or negated status out
   * ({@code otc_frame_cryptor_*_raw}); no object is made. The caller keeps the memory behind the
   * addresses allocated for the duration of the call. Bytes written, or the negated otc_status.
   */
  private long callRaw(boolean encrypt, long md, int mdLen, long in, int inLen, long out, int outCapacity) {
    guard.acquire();
    long r;
    try {
      r = encrypt
          ? otc.otc_frame_cryptor_encrypt_raw(address, md, mdLen, in, inLen, out, outCapacity)
          : otc.otc_frame_cryptor_decrypt_raw(address, md, mdLen, in, inLen, out, outCapacity);
    } finally {
      guard.release(this);
    }
    return r;
  }

  /** Heap buffers and frames too large to stage: JNI reaches the arrays; positions are read by JNI, never moved here. */
  private long crypt(boolean encrypt, ByteBuffer metadata, ByteBuffer in, ByteBuffer out) {
    SizeTPointer outLen = FrameCallScratch.get().outLength();
    guard.acquire();
    int rc;
    try {
      rc = encrypt
          ? otc.otc_frame_cryptor_encrypt(handle, metadata, metadata.remaining(), in, in.remaining(),
              out, out.remaining(), outLen)
          : otc.otc_frame_cryptor_decrypt(handle, metadata, metadata.remaining(), in, in.remaining(),
              out, out.remaining(), outLen);
    } finally {
      guard.release(this);
    }
    return rc == otc.OTC_SUCCESS ? outLen.get() : -(long) rc;
  }

  /**
   * Arrays reach native code through this thread's direct staging buffers (see
   * {@link FrameCallScratch} for why); frames too large to stage go through JNI's array access.
   */
  private long cryptArrays(boolean encrypt, byte[] metadata, byte[] in, int off, int len, byte[] out, int outOff) {
    int outCapacity = out.length - outOff;
    // Never stage more output room than the operation can use, but never more than the caller
    // has either, so that a too-small array still gets ERR_BUFFER_TOO_SMALL from native code.
    int usable = encrypt ? (int) Math.min((long) len + maxOverhead, Integer.MAX_VALUE) : len;
    int staged = Math.min(outCapacity, usable);
    if (!FrameCallScratch.fits(metadata.length, len, staged)) {
      return crypt(encrypt, ByteBuffer.wrap(metadata), ByteBuffer.wrap(in, off, len),
          ByteBuffer.wrap(out, outOff, outCapacity));
    }
    FrameCallScratch scratch = FrameCallScratch.get();
    scratch.stage(FrameCallScratch.METADATA, metadata, 0, metadata.length);
    scratch.stage(FrameCallScratch.INPUT, in, off, len);
    ByteBuffer stagedOut = scratch.staging(FrameCallScratch.OUTPUT, staged);
    long n = callRaw(encrypt, scratch.stagedAddress(FrameCallScratch.METADATA), metadata.length,
        scratch.stagedAddress(FrameCallScratch.INPUT), len, scratch.stagedAddress(FrameCallScratch.OUTPUT), staged);
    if (n > 0) {
      stagedOut.get(0, out, outOff, (int) n);
    }
    Reference.reachabilityFence(scratch);
    return n;
  }

  /** Counters of this cryptor (not of others sharing its keys). */
  public FrameCryptorStats stats() {
    return guard.call(this, () -> {
      try (otc_frame_cryptor_stats s = new otc_frame_cryptor_stats()) {
        s.struct_size(s.sizeof());  // OTC_FRAME_CRYPTOR_STATS_INIT: the library fills what we declare
        NativeStatus.check(otc.otc_frame_cryptor_get_stats(handle, s), "stats");
        return new FrameCryptorStats(s.frames_encrypted(), s.frames_decrypted(), s.secret_mismatch(),
            s.authentication_failed(), s.replayed(), s.malformed(), s.buffer_too_small(), s.secret_missing(),
            s.internal_error(), s.secrets_set(), s.secrets_expired(), s.new_sender_derivations(),
            s.new_sender_refused());
      }
    });
  }

  public boolean isClosed() {
    return guard.isClosed();
  }

  /**
   * Wipes this cryptor's keys (the shared keys when the last cryptor sharing them closes) and
   * frees it; calls running on other threads finish first. Idempotent and thread-safe.
   */
  @Override
  public void close() {
    guard.close();
  }

  @Override
  public String toString() {
    return "FrameCryptor[" + suite + (isClosed() ? ", closed]" : "]");
  }
}
