package dev.otc.e2ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otc.e2ee.sframe.SFrameHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FrameCryptorTest {
  private static final String SESSION = "2_MX4xMjM0NTY3OH5-MTcwMDAwMDAwMDAwMH5hYmNkZWZ-fg";
  private static final String SECRET = "correct horse battery staple";
  private static final byte[] METADATA = "stream=1;codec=VP8;ts=90000".getBytes(StandardCharsets.US_ASCII);

  private final java.util.List<AutoCloseable> toClose = new java.util.ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    toClose.add(c);
    return c;
  }

  private FrameCryptor cryptor(CipherSuite suite, String secret) {
    FrameCryptor c = track(FrameCryptor.builder().sessionId(SESSION).cipherSuite(suite).build());
    if (secret != null) {
      c.setEncryptionSecret(secret);
    }
    return c;
  }

  private static byte[] payload(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void assertOutcome(ThrowingCallable call, ErrorCode expected) {
    assertThatThrownBy(call).isInstanceOfSatisfying(OtcException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(expected);
      assertThat(e.nativeCode()).isEqualTo(expected.code());
      // Per-frame outcomes are cheap: no stack trace is captured.
      assertThat(e.getStackTrace()).isEmpty();
      assertThat(e.getMessage()).contains(expected.nativeName()).doesNotContain(SECRET);
    });
  }

  @ParameterizedTest
  @EnumSource(CipherSuite.class)
  void roundTripEveryShapeEverySuite(CipherSuite suite) {
    FrameCryptor sender = cryptor(suite, SECRET);
    FrameCryptor receiver = cryptor(suite, SECRET);
    assertThat(sender.cipherSuite()).isEqualTo(suite);
    assertThat(sender.maxOverhead()).isEqualTo(suite.maxOverhead());

    for (int size : new int[] {0, 1, 160, 1200, 65_536}) {
      byte[] pt = payload(size, size);

      byte[] frame = sender.encrypt(METADATA, pt);
      assertThat(frame.length).isBetween(size + 1 + suite.tagSize(), size + suite.maxOverhead());
      assertThat(Arrays.copyOfRange(frame, frame.length - size - suite.tagSize(), frame.length - suite.tagSize()))
          .as("payload must not travel in clear").isNotEqualTo(pt.length > 8 ? pt : new byte[] {1});
      assertThat(receiver.decrypt(METADATA, frame)).isEqualTo(pt);

      byte[] noMeta = sender.encrypt(pt);
      assertThat(receiver.decrypt(noMeta)).isEqualTo(pt);

      // Arrays with offsets: neighbours of the ranges stay untouched.
      byte[] in = new byte[size + 10];
      System.arraycopy(pt, 0, in, 7, size);
      byte[] out = new byte[size + suite.maxOverhead() + 20];
      Arrays.fill(out, (byte) 0x5A);
      int n = sender.encrypt(METADATA, in, 7, size, out, 13);
      assertThat(out[12]).isEqualTo((byte) 0x5A);
      assertThat(out[13 + n]).isEqualTo((byte) 0x5A);
      byte[] back = new byte[size + 4];
      int m = receiver.decrypt(METADATA, out, 13, n, back, 2);
      assertThat(m).isEqualTo(size);
      assertThat(Arrays.copyOfRange(back, 2, 2 + size)).isEqualTo(pt);

      // Direct buffers, with non-zero positions: positions advance, limits are respected.
      ByteBuffer din = ByteBuffer.allocateDirect(size + 8);
      din.position(3);
      din.put(pt);
      din.flip().position(3);
      ByteBuffer dout = ByteBuffer.allocateDirect(size + suite.maxOverhead() + 5);
      dout.position(5);
      ByteBuffer dmeta = ByteBuffer.allocateDirect(METADATA.length).put(METADATA).flip();
      int written = sender.encrypt(dmeta, din, dout);
      assertThat(din.remaining()).isZero();
      assertThat(dout.position()).isEqualTo(5 + written);
      assertThat(dmeta.remaining()).as("metadata position does not move").isEqualTo(METADATA.length);
      dout.flip().position(5);
      ByteBuffer plain = ByteBuffer.allocateDirect(size);
      int got = receiver.decrypt(dmeta, dout, plain);
      assertThat(got).isEqualTo(size);
      assertThat(dout.remaining()).isZero();
      byte[] fromDirect = new byte[size];
      plain.flip().get(fromDirect);
      assertThat(fromDirect).isEqualTo(pt);

      // Heap and read-only heap buffers work too (through arrays / a copy).
      ByteBuffer heapOut = ByteBuffer.allocate(size + suite.maxOverhead());
      int hw = sender.encrypt(ByteBuffer.wrap(METADATA).asReadOnlyBuffer(), ByteBuffer.wrap(pt).asReadOnlyBuffer(), heapOut);
      heapOut.flip();
      assertThat(hw).isEqualTo(heapOut.remaining());
      ByteBuffer heapPlain = ByteBuffer.allocate(size + 3).position(3).slice();
      assertThat(receiver.decrypt(ByteBuffer.wrap(METADATA), heapOut, heapPlain)).isEqualTo(size);
      assertThat(Arrays.copyOfRange(heapPlain.array(), heapPlain.arrayOffset(), heapPlain.arrayOffset() + size))
          .isEqualTo(pt);
    }
    FrameCryptorStats s = receiver.stats();
    assertThat(s.framesDecrypted()).isEqualTo(25);
    assertThat(sender.stats().framesEncrypted()).isEqualTo(25);
    assertThat(s.secretMismatch() + s.authenticationFailed() + s.replayed() + s.malformed()).isZero();
  }

  @Test
  void framesCarryAFreshCounterAndTheSecretsFingerprint() {
    FrameCryptor sender = cryptor(CipherSuite.DEFAULT, SECRET);
    SFrameHeader h1 = SFrameHeader.decode(sender.encrypt(new byte[10]));
    SFrameHeader h2 = SFrameHeader.decode(sender.encrypt(new byte[10]));
    assertThat(h2.kid()).isEqualTo(h1.kid());
    assertThat(h1.ctr()).isZero();
    assertThat(h2.ctr()).isEqualTo(1);
    // Two cryptors under the same secret share the fingerprint but never the sender id.
    FrameCryptor other = cryptor(CipherSuite.DEFAULT, SECRET);
    SFrameHeader h3 = SFrameHeader.decode(other.encrypt(new byte[10]));
    assertThat(h3.kid() >>> 48).isEqualTo(h1.kid() >>> 48);
    assertThat(h3.kid()).isNotEqualTo(h1.kid());
  }

  @Test
  void wrongSecretOrSessionIsAMismatch() {
    FrameCryptor sender = cryptor(CipherSuite.DEFAULT, SECRET);
    FrameCryptor wrongSecret = cryptor(CipherSuite.DEFAULT, "another secret entirely");
    FrameCryptor wrongSession = track(FrameCryptor.builder().sessionId(SESSION + "x")
        .encryptionSecret(track(EncryptionSecret.of(SECRET))).build());
    byte[] frame = sender.encrypt(METADATA, payload(300, 1));
    assertOutcome(() -> wrongSecret.decrypt(METADATA, frame), ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
    assertOutcome(() -> wrongSession.decrypt(METADATA, frame), ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
    assertThat(wrongSecret.stats().secretMismatch()).isEqualTo(1);
  }

  @Test
  void tamperingAnyByteAfterTheHeaderOrTheMetadataFailsAuthentication() {
    FrameCryptor sender = cryptor(CipherSuite.AES_128_CTR_HMAC_SHA256_80, SECRET);
    FrameCryptor receiver = cryptor(CipherSuite.AES_128_CTR_HMAC_SHA256_80, SECRET);
    byte[] pt = payload(64, 2);
    byte[] frame = sender.encrypt(METADATA, pt);
    int header = SFrameHeader.decode(frame).length();
    for (int i = header; i < frame.length; i++) {
      byte[] t = frame.clone();
      t[i] ^= 0x01;
      assertOutcome(() -> receiver.decrypt(METADATA, t), ErrorCode.FRAME_AUTHENTICATION_FAILED);
    }
    byte[] otherMeta = METADATA.clone();
    otherMeta[7] ^= 0x20;
    assertOutcome(() -> receiver.decrypt(otherMeta, frame), ErrorCode.FRAME_AUTHENTICATION_FAILED);
    assertThat(receiver.stats().authenticationFailed()).isEqualTo(frame.length - header + 1);
    // Failed attempts do not consume the counter: the genuine frame still decrypts once.
    assertThat(receiver.decrypt(METADATA, frame)).isEqualTo(pt);
    assertOutcome(() -> receiver.decrypt(METADATA, frame), ErrorCode.FRAME_REPLAYED);
    assertThat(receiver.stats().replayed()).isEqualTo(1);
  }

  @Test
  void malformedFramesAndMissingSecret() {
    FrameCryptor receiver = cryptor(CipherSuite.DEFAULT, SECRET);
    assertOutcome(() -> receiver.decrypt(new byte[0]), ErrorCode.FRAME_MALFORMED);
    assertOutcome(() -> receiver.decrypt(new byte[] {0x12}), ErrorCode.FRAME_MALFORMED);
    assertThat(receiver.stats().malformed()).isEqualTo(2);

    FrameCryptor noSecret = cryptor(CipherSuite.DEFAULT, null);
    assertThat(noSecret.hasEncryptionSecret()).isFalse();
    assertOutcome(() -> noSecret.encrypt(new byte[3]), ErrorCode.SESSION_ENCRYPTION_SECRET_MISSING);
    byte[] frame = cryptor(CipherSuite.DEFAULT, SECRET).encrypt(new byte[3]);
    assertOutcome(() -> noSecret.decrypt(frame), ErrorCode.SESSION_ENCRYPTION_SECRET_MISSING);
    assertThat(noSecret.stats().secretMissing()).isEqualTo(2);
  }

  @Test
  void rotationKeepsThePreviousSecretForTheGracePeriodOnly() throws InterruptedException {
    // Long enough that the few calls "within the grace period" below are, even on a loaded machine.
    Duration grace = Duration.ofMillis(2000);
    FrameCryptor sender = track(FrameCryptor.builder().sessionId(SESSION).build());
    FrameCryptor receiver = track(FrameCryptor.builder().sessionId(SESSION).gracePeriod(grace).build());
    sender.setEncryptionSecret(SECRET.toCharArray());
    receiver.setEncryptionSecret(SECRET);
    byte[] beforeA = sender.encrypt(METADATA, payload(50, 3));
    byte[] beforeB = sender.encrypt(METADATA, payload(50, 4));
    assertThat(receiver.decrypt(METADATA, sender.encrypt(METADATA, new byte[5]))).hasSize(5);

    String next = "the next secret, rotated";
    sender.setEncryptionSecret(next);
    receiver.setEncryptionSecret(next);
    byte[] after = sender.encrypt(METADATA, payload(50, 5));
    assertThat(SFrameHeader.decode(after).kid()).isNotEqualTo(SFrameHeader.decode(beforeA).kid());
    assertThat(receiver.decrypt(METADATA, after)).isEqualTo(payload(50, 5));
    // Within the grace period a frame sent before the switch still decrypts.
    assertThat(receiver.decrypt(METADATA, beforeA)).isEqualTo(payload(50, 3));

    Thread.sleep(grace.toMillis() * 2 + 200);
    assertOutcome(() -> receiver.decrypt(METADATA, beforeB), ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
    assertThat(receiver.decrypt(METADATA, sender.encrypt(METADATA, payload(9, 6)))).isEqualTo(payload(9, 6));
    FrameCryptorStats stats = receiver.stats();
    assertThat(stats.secretsSet()).isEqualTo(2);
    assertThat(stats.secretMismatch()).isEqualTo(1);
  }

  @Test
  void settingTheSameSecretAgainChangesNothing() {
    FrameCryptor sender = cryptor(CipherSuite.DEFAULT, SECRET);
    SFrameHeader first = SFrameHeader.decode(sender.encrypt(new byte[1]));
    sender.setEncryptionSecret(SECRET);
    SFrameHeader second = SFrameHeader.decode(sender.encrypt(new byte[1]));
    assertThat(second.kid()).isEqualTo(first.kid());
    assertThat(second.ctr()).isEqualTo(first.ctr() + 1);
  }

  @Test
  void aSharedSessionRefusesFramesAnotherSubscriptionAlreadyAccepted() {
    FrameCryptor sender = cryptor(CipherSuite.DEFAULT, SECRET);
    FrameCryptor session = cryptor(CipherSuite.DEFAULT, SECRET);
    FrameCryptor first = track(session.shareSession());
    byte[] frame = sender.encrypt(new byte[8]);
    assertThat(first.decrypt(frame)).hasSize(8);
    first.close();
    // A new subscription of the same session: the router's replay is refused.
    FrameCryptor second = track(session.shareSession());
    assertThatThrownBy(() -> second.decrypt(frame)).isInstanceOfSatisfying(OtcException.class,
        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FRAME_REPLAYED));
    assertThat(second.decrypt(sender.encrypt(new byte[8]))).hasSize(8);
    // shareKeys() keeps receive state of its own.
    assertThat(track(session.shareKeys()).decrypt(frame)).hasSize(8);
    assertThat(second.stats().newSenderDerivations()).isZero();
  }

  @Test
  void sharedKeysApplyToBothButStateIsSeparate() {
    FrameCryptor a = cryptor(CipherSuite.DEFAULT, null);
    FrameCryptor b = track(a.shareKeys());
    FrameCryptor receiver = cryptor(CipherSuite.DEFAULT, SECRET);
    a.setEncryptionSecret(SECRET);
    assertThat(b.hasEncryptionSecret()).isTrue();
    assertThat(b.cipherSuite()).isEqualTo(a.cipherSuite());
    byte[] fa = a.encrypt(new byte[4]);
    byte[] fb = b.encrypt(new byte[4]);
    assertThat(SFrameHeader.decode(fb).kid()).isNotEqualTo(SFrameHeader.decode(fa).kid());
    assertThat(receiver.decrypt(fa)).hasSize(4);
    assertThat(receiver.decrypt(fb)).hasSize(4);
    assertThat(a.stats().framesEncrypted()).isEqualTo(1);
    assertThat(b.stats().framesEncrypted()).isEqualTo(1);
    a.close();
    // The keyring lives on while b uses it.
    assertThat(receiver.decrypt(b.encrypt(new byte[4]))).hasSize(4);
  }

  @Test
  void outputBufferProblemsAreClearErrors() {
    FrameCryptor sender = cryptor(CipherSuite.DEFAULT, SECRET);
    FrameCryptor receiver = cryptor(CipherSuite.DEFAULT, SECRET);
    byte[] pt = payload(100, 7);
    assertOutcome(() -> sender.encrypt(METADATA, pt, 0, pt.length, new byte[pt.length], 0),
        ErrorCode.ERR_BUFFER_TOO_SMALL);
    assertOutcome(() -> sender.encrypt(ByteBuffer.wrap(METADATA), ByteBuffer.wrap(pt), ByteBuffer.allocateDirect(50)),
        ErrorCode.ERR_BUFFER_TOO_SMALL);
    byte[] frame = sender.encrypt(METADATA, pt);
    assertOutcome(() -> receiver.decrypt(METADATA, frame, 0, frame.length, new byte[99], 0),
        ErrorCode.ERR_BUFFER_TOO_SMALL);
    ByteBuffer in = ByteBuffer.wrap(frame);
    ByteBuffer tooSmall = ByteBuffer.allocateDirect(10);
    assertOutcome(() -> receiver.decrypt(ByteBuffer.wrap(METADATA), in, tooSmall), ErrorCode.ERR_BUFFER_TOO_SMALL);
    assertThat(in.position()).as("no position moves on failure").isZero();
    assertThat(tooSmall.position()).isZero();
    assertThat(receiver.stats().bufferTooSmall()).isEqualTo(2);
    // Nothing was consumed: the frame still decrypts.
    assertThat(receiver.decrypt(METADATA, frame)).isEqualTo(pt);

    assertThatThrownBy(() -> sender.encrypt(ByteBuffer.allocate(0), ByteBuffer.wrap(pt),
        ByteBuffer.allocate(500).asReadOnlyBuffer()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
    assertThatThrownBy(() -> sender.encrypt(ByteBuffer.allocate(0), ByteBuffer.wrap(pt),
        ByteBuffer.allocateDirect(500).asReadOnlyBuffer()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rangesOutsideTheirArraysAreRejected() {
    FrameCryptor c = cryptor(CipherSuite.DEFAULT, SECRET);
    byte[] in = new byte[10];
    byte[] out = new byte[100];
    assertThatThrownBy(() -> c.encrypt(METADATA, in, -1, 5, out, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> c.encrypt(METADATA, in, 6, 5, out, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> c.encrypt(METADATA, in, 0, -1, out, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> c.encrypt(METADATA, in, 0, 5, out, 101)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> c.encrypt(METADATA, in, 0, 5, out, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> c.decrypt(METADATA, in, 5, 6, out, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> c.decrypt(METADATA, in, 0, 5, out, 200)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> c.decrypt(METADATA, in, Integer.MAX_VALUE, 5, out, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void nullArgumentsAreRejected() {
    FrameCryptor c = cryptor(CipherSuite.DEFAULT, SECRET);
    byte[] b = new byte[4];
    ByteBuffer bb = ByteBuffer.allocate(64);
    assertThatThrownBy(() -> c.encrypt(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> c.encrypt(null, b)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> c.encrypt(b, null, 0, 0, b, 0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> c.encrypt(b, b, 0, 0, null, 0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> c.encrypt(bb, null, bb)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> c.encrypt(null, bb, bb.duplicate())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> c.decrypt(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> c.decrypt(bb, bb.duplicate(), null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> c.setEncryptionSecret((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> c.setEncryptionSecret((char[]) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> c.setEncryptionSecret((EncryptionSecret) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> FrameCryptor.create(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> FrameCryptor.builder().build()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void useAfterCloseIsAnIllegalStateAndCloseIsIdempotent() {
    FrameCryptor c = cryptor(CipherSuite.DEFAULT, SECRET);
    byte[] frame = c.encrypt(new byte[8]);
    c.close();
    c.close();
    assertThat(c.isClosed()).isTrue();
    assertThat(c.toString()).contains("closed");
    ThrowingCallable[] calls = {
        () -> c.encrypt(new byte[8]),
        () -> c.decrypt(frame),
        () -> c.encrypt(ByteBuffer.allocate(0), ByteBuffer.allocate(3), ByteBuffer.allocate(64)),
        () -> c.setEncryptionSecret(SECRET),
        () -> c.hasEncryptionSecret(),
        () -> c.stats(),
        () -> c.shareKeys(),
        () -> c.setGracePeriod(Duration.ZERO),
    };
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
  }

  @Test
  void invalidSecretsLeaveTheKeyringUnchanged() {
    FrameCryptor c = cryptor(CipherSuite.DEFAULT, SECRET);
    FrameCryptor receiver = cryptor(CipherSuite.DEFAULT, SECRET);
    assertThatThrownBy(() -> c.setEncryptionSecret("short"))
        .isInstanceOfSatisfying(OtcException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SESSION_INVALID_ENCRYPTION_SECRET));
    assertThatThrownBy(() -> c.setEncryptionSecret("abcdefgh\ud800".toCharArray()))
        .isInstanceOfSatisfying(OtcException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SESSION_INVALID_ENCRYPTION_SECRET));
    assertThat(receiver.decrypt(c.encrypt(new byte[2]))).hasSize(2);
    EncryptionSecret closed = EncryptionSecret.of(SECRET);
    closed.close();
    assertThatThrownBy(() -> c.setEncryptionSecret(closed)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void sessionIdsAreValidatedAsTheFormatRequires() {
    for (String bad : new String[] {"", "a\u0000b", "x".repeat(1025), "\u00e9".repeat(513), "id\ud800"}) {
      assertThatThrownBy(() -> FrameCryptor.create(bad))
          .isInstanceOfSatisfying(OtcException.class,
              e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SESSION_INVALID_SESSION_ID));
    }
    track(FrameCryptor.create("x".repeat(1024)));
    // Non-ASCII session ids are passed as UTF-8: both sides agree whatever the JVM's default charset.
    String unicodeSession = "s\u00e9ance-\u4f1a\u8bae-\ud83d\ude00";
    FrameCryptor a = track(FrameCryptor.builder().sessionId(unicodeSession).build());
    FrameCryptor b = track(FrameCryptor.builder().sessionId(unicodeSession).build());
    a.setEncryptionSecret(SECRET);
    b.setEncryptionSecret(SECRET);
    assertThat(b.decrypt(a.encrypt(new byte[1]))).hasSize(1);
  }

  @Test
  void gracePeriodBounds() {
    assertThatThrownBy(() -> FrameCryptor.builder().gracePeriod(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FrameCryptor.builder().gracePeriod(Duration.ofMinutes(10).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    FrameCryptor c = track(FrameCryptor.builder().sessionId(SESSION).gracePeriod(Duration.ofMinutes(10)).build());
    c.setGracePeriod(Duration.ZERO);
  }

  /**
   * byte[] calls go through per-thread staging buffers up to 1 MiB and through JNI array access
   * above; both paths must give the same frames, honour offsets, and report a too-small output
   * array instead of writing past it.
   */
  @Test
  void byteArrayPathsBelowAndAboveTheStagingLimitAgree() {
    FrameCryptor sender = cryptor(CipherSuite.DEFAULT, SECRET);
    FrameCryptor receiver = cryptor(CipherSuite.DEFAULT, SECRET);
    for (int size : new int[] {(1 << 20) - 64, (1 << 20) + 1, 3 * (1 << 20) / 2}) {
      byte[] pt = payload(size, size);
      byte[] in = new byte[size + 7];
      System.arraycopy(pt, 0, in, 7, size);
      byte[] frame = new byte[size + sender.maxOverhead() + 5];
      int n = sender.encrypt(METADATA, in, 7, size, frame, 5);
      assertThat(n).isBetween(size + 1 + CipherSuite.DEFAULT.tagSize(), size + sender.maxOverhead());

      byte[] out = new byte[size + 3];
      int m = receiver.decrypt(METADATA, frame, 5, n, out, 3);
      assertThat(m).isEqualTo(size);
      assertThat(Arrays.copyOfRange(out, 3, 3 + m)).isEqualTo(pt);

      byte[] tooSmall = new byte[size - 1];
      byte[] next = sender.encrypt(METADATA, pt);
      assertOutcome(() -> receiver.decrypt(METADATA, next, 0, next.length, tooSmall, 0), ErrorCode.ERR_BUFFER_TOO_SMALL);
      assertThat(tooSmall).containsOnly((byte) 0);
      assertThat(receiver.decrypt(METADATA, next)).isEqualTo(pt);
    }
  }

  /**
   * The direct-buffer path caches each role's last buffer and its native address per thread: a
   * buffer that changes role, slices of one buffer (distinct objects, distinct addresses) and a
   * reused buffer at moving positions must each reach native code at their own bytes. A wrong
   * cached address would decrypt from or write to the wrong memory.
   */
  @Test
  void directBuffersChangingRolesSlicesAndPositionsEachUseTheirOwnBytes() {
    FrameCryptor sender = cryptor(CipherSuite.DEFAULT, SECRET);
    FrameCryptor receiver = cryptor(CipherSuite.DEFAULT, SECRET);
    ByteBuffer meta = ByteBuffer.allocateDirect(METADATA.length).put(METADATA).flip();
    ByteBuffer arena = ByteBuffer.allocateDirect(8192);
    ByteBuffer a = ByteBuffer.allocateDirect(512);
    ByteBuffer b = ByteBuffer.allocateDirect(512);
    for (int round = 0; round < 20; round++) {
      byte[] pt = payload(100 + round, round);
      // a holds plaintext, b receives the frame; next the frame in b is decrypted into a.
      a.clear().position(round);
      a.put(pt).flip().position(round);
      b.clear().position(2 * round);
      int n = sender.encrypt(meta, a, b);
      b.flip().position(2 * round);
      a.clear().position(3 * round);
      assertThat(receiver.decrypt(meta, b, a)).isEqualTo(pt.length);
      byte[] back = new byte[pt.length];
      a.get(3 * round, back);
      assertThat(back).isEqualTo(pt);

      // Slices of one buffer: new objects every call, at moving offsets.
      ByteBuffer plainSlice = arena.slice(round * 200, pt.length).put(0, pt);
      ByteBuffer frameSlice = arena.slice(4096 + round * 150, pt.length + sender.maxOverhead());
      int m = sender.encrypt(meta.slice(), plainSlice, frameSlice);
      ByteBuffer openSlice = arena.slice(6144 + round * 64, pt.length);
      assertThat(receiver.decrypt(meta, arena.slice(4096 + round * 150, m), openSlice)).isEqualTo(pt.length);
      byte[] fromSlice = new byte[pt.length];
      openSlice.get(0, fromSlice);
      assertThat(fromSlice).isEqualTo(pt);
      assertThat(n).isPositive();
    }
    assertThat(receiver.stats().framesDecrypted()).isEqualTo(40);
  }
}
