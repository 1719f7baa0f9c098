package dev.otc.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.reference.BaseKey;
import dev.otc.e2ee.reference.Fingerprint;
import dev.otc.e2ee.reference.FrameRejectedException;
import dev.otc.e2ee.reference.Header;
import dev.otc.e2ee.reference.Hkdf;
import dev.otc.e2ee.reference.KeySchedule;
import dev.otc.e2ee.reference.Kid;
import dev.otc.e2ee.reference.MasterKey;
import dev.otc.e2ee.reference.Receiver;
import dev.otc.e2ee.reference.SecretEncoding;
import dev.otc.e2ee.reference.Sender;
import dev.otc.e2ee.reference.Suite;
import dev.otc.e2ee.sframe.Primitives;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The native core (through the Java API) against the Bouncy Castle reference written from
 * docs/FORMAT.md alone: same keys byte for byte, frames of one decrypt in the other both ways, and
 * the same verdict on every damaged frame.
 *
 * <p>Randomness is seeded; a failure prints the seed, and {@code -Dotc.differential.seed=N} replays it.
 * scrypt costs about 0.1 s per call in each implementation, so the secrets are few and their master
 * keys are derived once for the whole class.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DifferentialTest {
    private static final long SEED = Long.getLong("otc.differential.seed", System.nanoTime());

    @RegisterExtension
    static final TestWatcher SEED_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.err.println("DifferentialTest." + context.getDisplayName() + " failed with seed " + SEED
                    + "; replay with -Dotc.differential.seed=" + SEED);
        }
    };

    /** Edges of AES blocks, of typical MTU-sized frames, and the 100 KB top; random sizes are added per run. */
    private static final int[] FIXED_SIZES = {0, 1, 2, 15, 16, 17, 31, 32, 33, 100, 1199, 1200, 1201, 4095, 4096,
            4097, 10240, 65535, 65536, 102399, 102400};
    private static final int MAX_SIZE = 102400;
    private static final int RANDOM_SIZES = 6;

    private static final List<Case> CASES = new ArrayList<>();

    /** A session id and secret, with the reference's master key and the native one. */
    private record Case(String sessionId, String secret, byte[] secretUtf8, byte[] referenceMaster, byte[] nativeMaster) {
        @Override
        public String toString() {
            // The secret is random test data, but the habit stays: never print it.
            return "Case[sessionId(" + sessionId.length() + " chars), secret(" + secret.codePointCount(0, secret.length())
                    + " code points)]";
        }
    }

    @BeforeAll
    static void deriveMasterKeysOnce() {
        Random random = new Random(SEED);
        String[] sessionIds = {
            "2_MX4xMjM0NTY3OH5-MTcwMDAwMDAwMDAwMH5hYmNkZWZnaGlqa2xt",
            randomText(random, 1 + random.nextInt(40), Range.ALL),
            "s".repeat(1024),
            randomText(random, 1, Range.ASTRAL),
        };
        String[] secrets = {
            randomText(random, SecretEncoding.MIN_CODE_POINTS, Range.ASCII),
            randomText(random, 9 + random.nextInt(40), Range.TWO_AND_THREE_BYTES),
            randomText(random, 8 + random.nextInt(20), Range.ASTRAL),
            randomText(random, SecretEncoding.MAX_CODE_POINTS, Range.ALL),
        };
        for (int i = 0; i < secrets.length; i++) {
            byte[] utf8 = SecretEncoding.utf8(secrets[i]);
            byte[] reference = MasterKey.derive(sessionIds[i], utf8);
            byte[] nativeMaster = Primitives.deriveMasterKey(sessionIds[i], utf8);
            CASES.add(new Case(sessionIds[i], secrets[i], utf8, reference, nativeMaster));
        }
    }

    private static Random random(String test) {
        return new Random(SEED ^ test.hashCode());
    }

    private static CipherSuite nativeSuite(Suite suite) {
        return CipherSuite.fromId(suite.id());
    }

    // ---------------------------------------------------------------- keys

    @Test
    void masterKeysFingerprintsBaseKeysAndSframeKeysAgreeByteForByte() {
        Random random = random("keys");
        for (Case c : CASES) {
            assertThat(c.nativeMaster()).as("master key, %s, seed %d", c, SEED).isEqualTo(c.referenceMaster());
            int fingerprint = Fingerprint.of(c.referenceMaster());
            assertThat(Primitives.masterKeyFingerprint(c.referenceMaster())).as("fingerprint, %s", c).isEqualTo(fingerprint);
            for (Suite suite : Suite.values()) {
                long[] kids = {Kid.of(fingerprint, 0), Kid.of(fingerprint, Kid.SENDER_ID_MASK),
                    Kid.of(fingerprint, random.nextLong() & Kid.SENDER_ID_MASK), random.nextLong()};
                for (long kid : kids) {
                    byte[] base = BaseKey.derive(c.referenceMaster(), kid, suite);
                    assertThat(Primitives.deriveBaseKey(c.referenceMaster(), kid, nativeSuite(suite)))
                            .as("base key, %s, kid %x, %s", suite, kid, c).isEqualTo(base);
                    KeySchedule.KeyAndSalt expected = KeySchedule.derive(suite, kid, base);
                    Primitives.KeyAndSalt actual = Primitives.deriveKeyAndSalt(nativeSuite(suite), kid, base);
                    assertThat(actual.key()).as("sframe_key, %s, kid %x", suite, kid).isEqualTo(expected.key());
                    assertThat(actual.salt()).as("sframe_salt, %s, kid %x", suite, kid).isEqualTo(expected.salt());
                }
            }
        }
    }

    @Test
    void hkdfAndAeadPrimitivesAgreeOnRandomInputs() throws Exception {
        Random random = random("primitives");
        for (int i = 0; i < 50; i++) {
            Hkdf.Hash hash = random.nextBoolean() ? Hkdf.Hash.SHA256 : Hkdf.Hash.SHA512;
            Primitives.Hash nativeHash = hash == Hkdf.Hash.SHA256 ? Primitives.Hash.SHA256 : Primitives.Hash.SHA512;
            byte[] salt = bytes(random, random.nextInt(80));
            byte[] ikm = bytes(random, random.nextInt(80));
            byte[] info = bytes(random, random.nextInt(80));
            int length = 1 + random.nextInt(hash == Hkdf.Hash.SHA256 ? 255 * 32 : 255 * 64);
            assertThat(Primitives.hkdf(nativeHash, salt, ikm, info, length)).as("hkdf %s L=%d", hash, length)
                    .isEqualTo(Hkdf.hkdf(hash, salt, ikm, info, length));
            byte[] prk = Hkdf.extract(hash, salt, ikm);
            assertThat(Primitives.hkdfExtract(nativeHash, salt, ikm)).isEqualTo(prk);
            assertThat(Primitives.hkdfExpand(nativeHash, prk, info, length)).isEqualTo(Hkdf.expand(hash, prk, info, length));
        }
        for (Suite suite : Suite.values()) {
            for (int size : new int[] {0, 1, 16, 17, 1200, 5000 + random.nextInt(5000)}) {
                byte[] key = bytes(random, suite.keySize());
                byte[] nonce = bytes(random, suite.nonceSize());
                byte[] aad = bytes(random, random.nextInt(40));
                byte[] pt = bytes(random, size);
                byte[] sealed = dev.otc.e2ee.reference.Aead.seal(suite, key, nonce, aad, pt);
                assertThat(Primitives.aeadSeal(nativeSuite(suite), key, nonce, aad, pt)).as("seal %s size %d", suite, size)
                        .isEqualTo(sealed);
                assertThat(Primitives.aeadOpen(nativeSuite(suite), key, nonce, aad, sealed)).isEqualTo(pt);
                assertThat(dev.otc.e2ee.reference.Aead.open(suite, key, nonce, aad, sealed)).isEqualTo(pt);
            }
        }
    }

    @Test
    void secretValidationAgreesOnValidAndInvalidSecrets() {
        Random random = random("secrets");
        int valid = 0;
        int invalid = 0;
        for (int i = 0; i < 1500; i++) {
            String candidate = randomSecretCandidate(random);
            boolean expected = SecretEncoding.isValid(candidate);
            assertThat(EncryptionSecret.isValid(candidate)).as("isValid(String) #%d, seed %d", i, SEED).isEqualTo(expected);
            if (expected) {
                valid++;
            } else {
                invalid++;
            }
            byte[] utf8 = candidate.getBytes(StandardCharsets.UTF_8);
            byte[] damaged = damageUtf8(random, utf8);
            boolean bytesValid = SecretEncoding.isValid(damaged);
            boolean nativeAccepts;
            try (EncryptionSecret secret = EncryptionSecret.ofUtf8(damaged)) {
                nativeAccepts = true;
            } catch (OtcException e) {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.SESSION_INVALID_ENCRYPTION_SECRET);
                nativeAccepts = false;
            }
            assertThat(nativeAccepts).as("ofUtf8 #%d, seed %d", i, SEED).isEqualTo(bytesValid);
        }
        // Both kinds must really have been exercised, or the comparison proves little.
        assertThat(valid).isGreaterThan(300);
        assertThat(invalid).isGreaterThan(300);
    }

    // ---------------------------------------------------------------- frames, both directions

    @Test
    void nativeEncryptsReferenceDecryptsEverySuiteAndSize() throws Exception {
        Random random = random("native->reference");
        for (Suite suite : Suite.values()) {
            Case c = CASES.get(suite.ordinal() % CASES.size());
            try (FrameCryptor sender = cryptor(c, suite);
                 Receiver receiver = new Receiver(suite)) {
                receiver.addSecret(c.referenceMaster());
                long expectedCounter = 0;
                long kid = -1;
                for (int size : sizes(random)) {
                    byte[] metadata = bytes(random, random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(64));
                    byte[] plaintext = bytes(random, size);
                    byte[] frame = nativeEncrypt(sender, metadata, plaintext, (int) expectedCounter % 3);
                    assertThat(frame.length).isLessThanOrEqualTo(size + sender.maxOverhead());

                    Header header = Header.decode(frame);
                    assertThat(header.ctr()).as("counter").isEqualTo(expectedCounter++);
                    assertThat(Kid.fingerprint(header.kid())).isEqualTo(Fingerprint.of(c.referenceMaster()));
                    if (kid == -1) {
                        kid = header.kid();
                    }
                    assertThat(header.kid()).as("one KID per sender and secret").isEqualTo(kid);
                    assertThat(frame.length).isEqualTo(header.length() + size + suite.tagSize());
                    assertThat(receiver.unprotect(metadata, frame)).as("%s size %d, seed %d", suite, size, SEED)
                            .isEqualTo(plaintext);
                }
            }
        }
    }

    @Test
    void referenceEncryptsNativeDecryptsEverySuiteAndSize() throws Exception {
        Random random = random("reference->native");
        for (Suite suite : Suite.values()) {
            Case c = CASES.get((suite.ordinal() + 1) % CASES.size());
            try (FrameCryptor receiver = cryptor(c, suite);
                 Sender sender = new Sender(suite, c.referenceMaster(), random.nextLong() & Kid.SENDER_ID_MASK)) {
                for (int size : sizes(random)) {
                    byte[] metadata = bytes(random, random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(64));
                    byte[] plaintext = bytes(random, size);
                    byte[] frame = sender.protect(metadata, plaintext);
                    assertThat(nativeDecrypt(receiver, metadata, frame, size % 3)).as("%s size %d, seed %d", suite, size, SEED)
                            .isEqualTo(plaintext);
                }
                assertThat(receiver.stats().framesDecrypted()).isEqualTo(FIXED_SIZES.length + RANDOM_SIZES);
            }
        }
    }

    @Test
    void rotatedSecretsAreFoundByFingerprintInBothImplementations() throws Exception {
        Random random = random("rotation");
        Suite suite = Suite.AES_256_GCM_SHA512_128;
        Case first = CASES.get(0);
        Case second = CASES.get(1);
        // Same session id for both secrets: the second case's master must be derived again for it.
        byte[] secondMaster = MasterKey.derive(first.sessionId(), second.secretUtf8());
        try (FrameCryptor sender = cryptor(first, suite);
             Receiver receiver = new Receiver(suite)) {
            receiver.addSecret(first.referenceMaster());
            byte[] before = sender.encrypt(new byte[0], bytes(random, 300));
            sender.setEncryptionSecret(second.secret());
            byte[] plaintext = bytes(random, 300);
            byte[] after = sender.encrypt(new byte[0], plaintext);
            long kidBefore = Header.decode(before).kid();
            long kidAfter = Header.decode(after).kid();
            assertThat(Kid.fingerprint(kidAfter)).isEqualTo(Fingerprint.of(secondMaster));
            assertThat(Header.decode(after).ctr()).as("a new secret starts a new KID at 0").isZero();
            assertThat(kidAfter).isNotEqualTo(kidBefore);

            assertThat(referenceOutcome(receiver, new byte[0], after))
                    .isEqualTo(Fingerprint.of(secondMaster) == Fingerprint.of(first.referenceMaster())
                            ? FrameRejectedException.Reason.AUTHENTICATION_FAILED.name()
                            : FrameRejectedException.Reason.SECRET_MISMATCH.name());
            receiver.addSecret(secondMaster);
            assertThat(receiver.unprotect(new byte[0], after)).isEqualTo(plaintext);
            assertThat(referenceOutcome(receiver, new byte[0], before)).isEqualTo("OK");
        }
    }

    /**
     * FORMAT.md sec. 6: a replaced secret keeps decrypting for the grace period, then is gone. The
     * reference has no clock: the test removes the secret from it when the native grace period ends.
     */
    @Test
    void replacedSecretDecryptsDuringGraceAndMismatchesAfter() throws Exception {
        Random random = random("grace");
        Suite suite = Suite.AES_128_CTR_HMAC_SHA256_80;
        Case first = CASES.get(0);
        Case second = CASES.get(2);
        byte[] secondMaster = MasterKey.derive(first.sessionId(), second.secretUtf8());
        Duration grace = Duration.ofMillis(150);
        try (Sender oldSender = new Sender(suite, first.referenceMaster(), random.nextLong() & Kid.SENDER_ID_MASK);
             FrameCryptor nativeReceiver = FrameCryptor.builder().sessionId(first.sessionId())
                     .cipherSuite(nativeSuite(suite)).gracePeriod(grace).build();
             Receiver referenceReceiver = new Receiver(suite)) {
            nativeReceiver.setEncryptionSecret(first.secret());
            referenceReceiver.addSecret(first.referenceMaster());
            byte[] metadata = bytes(random, 8);
            assertSameVerdict("before rotation", nativeReceiver, referenceReceiver, metadata,
                    oldSender.protect(metadata, bytes(random, 50)), "OK");

            long rotatedAt = System.nanoTime();
            nativeReceiver.setEncryptionSecret(second.secret());
            referenceReceiver.addSecret(secondMaster);
            byte[] duringGrace = oldSender.protect(metadata, bytes(random, 50));
            byte[] afterGrace = oldSender.protect(metadata, bytes(random, 50));
            if (System.nanoTime() - rotatedAt < grace.toNanos() / 2) {
                assertSameVerdict("within grace", nativeReceiver, referenceReceiver, metadata, duringGrace, "OK");
            }
            Thread.sleep(grace.toMillis() * 2);
            referenceReceiver.removeSecret(first.referenceMaster());
            String expected = Fingerprint.of(first.referenceMaster()) == Fingerprint.of(secondMaster)
                    ? "AUTHENTICATION_FAILED" : "SECRET_MISMATCH";
            assertSameVerdict("after grace", nativeReceiver, referenceReceiver, metadata, afterGrace, expected);
        }
    }

    // ---------------------------------------------------------------- damaged frames

    /**
     * Both receivers see the same stream and the same damaged copies, and must give the same verdict
     * on each: FORMAT.md sec. 5 fixes the order of the checks, so even a frame that is both replayed
     * and tampered has one right answer.
     */
    @Test
    void damagedFramesGetTheSameVerdictFromBoth() throws Exception {
        Random random = random("tamper");
        for (Suite suite : Suite.values()) {
            Case c = CASES.get(suite.ordinal() % CASES.size());
            try (FrameCryptor sender = cryptor(c, suite);
                 FrameCryptor nativeReceiver = sender.shareKeys();
                 Receiver referenceReceiver = new Receiver(suite)) {
                referenceReceiver.addSecret(c.referenceMaster());
                byte[] metadata = bytes(random, 12);
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    frames.add(sender.encrypt(metadata, bytes(random, i == 7 ? 1200 : 24 + i)));
                }
                int checked = 0;
                // Fresh receivers first: no KID known, so no replay is possible yet.
                checked += compareMutations(suite, nativeReceiver, referenceReceiver, metadata, frames.get(0), random);
                for (int i = 0; i < 4; i++) {
                    assertSameVerdict("accept #" + i, nativeReceiver, referenceReceiver, metadata, frames.get(i), "OK");
                }
                // KID known now: damaged copies of accepted frames (replays) and of a frame not yet seen.
                checked += compareMutations(suite, nativeReceiver, referenceReceiver, metadata, frames.get(2), random);
                checked += compareMutations(suite, nativeReceiver, referenceReceiver, metadata, frames.get(5), random);
                checked += compareMutations(suite, nativeReceiver, referenceReceiver, metadata, frames.get(7), random);
                assertSameVerdict("replay", nativeReceiver, referenceReceiver, metadata, frames.get(1), "REPLAYED");
                for (int i = 4; i < frames.size(); i++) {
                    assertSameVerdict("intact after damage #" + i, nativeReceiver, referenceReceiver, metadata, frames.get(i),
                            "OK");
                }
                assertThat(checked).isGreaterThan(100);
            }
        }
    }

    @Test
    void wrongSecretAndOldCountersGetTheSameVerdictFromBoth() throws Exception {
        Random random = random("window");
        Suite suite = Suite.AES_128_GCM_SHA256_128;
        Case c = CASES.get(2);
        Case other = CASES.get(3);
        try (FrameCryptor sender = cryptor(c, suite);
             FrameCryptor nativeReceiver = sender.shareKeys();
             FrameCryptor wrongNative = cryptor(other, suite);
             Receiver referenceReceiver = new Receiver(suite);
             Receiver wrongReference = new Receiver(suite)) {
            referenceReceiver.addSecret(c.referenceMaster());
            wrongReference.addSecret(other.referenceMaster());
            byte[] metadata = new byte[0];
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 1100; i++) {
                frames.add(sender.encrypt(metadata, bytes(random, 10)));
            }
            String wrongVerdict = Fingerprint.of(c.referenceMaster()) == Fingerprint.of(other.referenceMaster())
                    ? "AUTHENTICATION_FAILED" : "SECRET_MISMATCH";
            assertSameVerdict("wrong secret", wrongNative, wrongReference, metadata, frames.get(0), wrongVerdict);

            assertSameVerdict("newest", nativeReceiver, referenceReceiver, metadata, frames.get(1099), "OK");
            // 1099 - 1023 = 76 is the oldest counter still inside the window.
            assertSameVerdict("oldest in window", nativeReceiver, referenceReceiver, metadata, frames.get(76), "OK");
            assertSameVerdict("just outside", nativeReceiver, referenceReceiver, metadata, frames.get(75), "REPLAYED");
            assertSameVerdict("far outside", nativeReceiver, referenceReceiver, metadata, frames.get(0), "REPLAYED");
            assertSameVerdict("reordered inside", nativeReceiver, referenceReceiver, metadata, frames.get(500), "OK");
            assertSameVerdict("again", nativeReceiver, referenceReceiver, metadata, frames.get(500), "REPLAYED");
        }
    }

    private int compareMutations(Suite suite, FrameCryptor nativeReceiver, Receiver referenceReceiver, byte[] metadata,
                                 byte[] frame, Random random) {
        int count = 0;
        // Every bit of the header and the first bytes, a sample of the rest, the whole tag.
        int headerLen = headerLength(frame);
        for (int bit = 0; bit < frame.length * 8; bit++) {
            int pos = bit / 8;
            boolean dense = pos < headerLen + 4 || pos >= frame.length - suite.tagSize();
            if (!dense && random.nextInt(16) != 0) {
                continue;
            }
            byte[] damaged = frame.clone();
            damaged[pos] ^= (byte) (1 << (bit % 8));
            assertSameVerdict("bit " + bit, nativeReceiver, referenceReceiver, metadata, damaged, null);
            count++;
        }
        for (int len = 0; len < frame.length; len += len < headerLen + suite.tagSize() + 2 ? 1 : 1 + random.nextInt(64)) {
            assertSameVerdict("truncated to " + len, nativeReceiver, referenceReceiver, metadata,
                    Arrays.copyOf(frame, len), null);
            count++;
        }
        assertSameVerdict("appended byte", nativeReceiver, referenceReceiver, metadata,
                Arrays.copyOf(frame, frame.length + 1), null);
        byte[] otherMetadata = metadata.length == 0 ? new byte[] {0} : metadata.clone();
        otherMetadata[random.nextInt(otherMetadata.length)] ^= 1;
        assertSameVerdict("other metadata", nativeReceiver, referenceReceiver, otherMetadata, frame, null);
        assertSameVerdict("no metadata", nativeReceiver, referenceReceiver, new byte[0], frame, null);
        return count + 3;
    }

    private static int headerLength(byte[] frame) {
        try {
            return Header.decode(frame).length();
        } catch (FrameRejectedException e) {
            throw new AssertionError("a sender produced an unparsable header", e);
        }
    }

    /** expected == null: any refusal, as long as both agree and neither accepts. */
    private static void assertSameVerdict(String what, FrameCryptor nativeReceiver, Receiver referenceReceiver,
                                          byte[] metadata, byte[] frame, String expected) {
        String nativeVerdict = nativeOutcome(nativeReceiver, metadata, frame);
        String referenceVerdict = referenceOutcome(referenceReceiver, metadata, frame);
        assertThat(nativeVerdict).as("%s: native vs reference verdict, seed %d", what, SEED).isEqualTo(referenceVerdict);
        if (expected != null) {
            assertThat(nativeVerdict).as(what).isEqualTo(expected);
        } else {
            assertThat(nativeVerdict).as("%s must be refused", what).isNotEqualTo("OK");
        }
    }

    private static String nativeOutcome(FrameCryptor receiver, byte[] metadata, byte[] frame) {
        try {
            receiver.decrypt(metadata, frame);
            return "OK";
        } catch (OtcException e) {
            switch (e.errorCode()) {
                case FRAME_MALFORMED:
                    return "MALFORMED";
                case SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH:
                    return "SECRET_MISMATCH";
                case FRAME_AUTHENTICATION_FAILED:
                    return "AUTHENTICATION_FAILED";
                case FRAME_REPLAYED:
                    return "REPLAYED";
                default:
                    return "native " + e.errorCode();
            }
        }
    }

    private static String referenceOutcome(Receiver receiver, byte[] metadata, byte[] frame) {
        try {
            receiver.unprotect(metadata, frame);
            return "OK";
        } catch (FrameRejectedException e) {
            return e.reason().name();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static FrameCryptor cryptor(Case c, Suite suite) {
        FrameCryptor cryptor = FrameCryptor.builder().sessionId(c.sessionId()).cipherSuite(nativeSuite(suite)).build();
        cryptor.setEncryptionSecret(c.secret());
        return cryptor;
    }

    /** Alternates the three encrypt shapes so that each of them is compared with the reference. */
    private static byte[] nativeEncrypt(FrameCryptor cryptor, byte[] metadata, byte[] plaintext, int shape) {
        switch (shape) {
            case 0:
                return cryptor.encrypt(metadata, plaintext);
            case 1: {
                byte[] in = new byte[plaintext.length + 7];
                System.arraycopy(plaintext, 0, in, 3, plaintext.length);
                byte[] out = new byte[plaintext.length + cryptor.maxOverhead() + 5];
                int n = cryptor.encrypt(metadata, in, 3, plaintext.length, out, 5);
                return Arrays.copyOfRange(out, 5, 5 + n);
            }
            default: {
                ByteBuffer md = ByteBuffer.allocateDirect(metadata.length).put(metadata).flip();
                ByteBuffer in = ByteBuffer.allocateDirect(plaintext.length).put(plaintext).flip();
                ByteBuffer out = ByteBuffer.allocateDirect(plaintext.length + cryptor.maxOverhead());
                int n = cryptor.encrypt(md, in, out);
                assertThat(in.hasRemaining()).as("input consumed").isFalse();
                assertThat(out.position()).isEqualTo(n);
                byte[] frame = new byte[n];
                out.flip().get(frame);
                return frame;
            }
        }
    }

    private static byte[] nativeDecrypt(FrameCryptor cryptor, byte[] metadata, byte[] frame, int shape) {
        switch (shape) {
            case 0:
                return cryptor.decrypt(metadata, frame);
            case 1: {
                byte[] in = new byte[frame.length + 9];
                System.arraycopy(frame, 0, in, 9, frame.length);
                byte[] out = new byte[frame.length + 2];
                int n = cryptor.decrypt(metadata, in, 9, frame.length, out, 2);
                return Arrays.copyOfRange(out, 2, 2 + n);
            }
            default: {
                ByteBuffer md = ByteBuffer.allocateDirect(metadata.length).put(metadata).flip();
                ByteBuffer in = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
                ByteBuffer out = ByteBuffer.allocateDirect(frame.length);
                int n = cryptor.decrypt(md, in, out);
                byte[] plaintext = new byte[n];
                out.flip().get(plaintext);
                return plaintext;
            }
        }
    }

    private static int[] sizes(Random random) {
        int[] sizes = Arrays.copyOf(FIXED_SIZES, FIXED_SIZES.length + RANDOM_SIZES);
        for (int i = FIXED_SIZES.length; i < sizes.length; i++) {
            sizes[i] = random.nextInt(MAX_SIZE + 1);
        }
        return sizes;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private enum Range { ASCII, TWO_AND_THREE_BYTES, ASTRAL, ALL }

    private static String randomText(Random random, int codePoints, Range range) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            sb.appendCodePoint(randomCodePoint(random, range));
        }
        return sb.toString();
    }

    private static int randomCodePoint(Random random, Range range) {
        Range r = range == Range.ALL ? Range.values()[random.nextInt(3)] : range;
        switch (r) {
            case ASCII:
                return 0x21 + random.nextInt(0x7f - 0x21);
            case TWO_AND_THREE_BYTES: {
                int cp;
                do {
                    cp = 0x80 + random.nextInt(0x10000 - 0x80);
                } while (cp >= 0xD800 && cp <= 0xDFFF);
                return cp;
            }
            default:
                return 0x10000 + random.nextInt(0x110000 - 0x10000);
        }
    }

    /** Around the 8 and 256 code point limits, sometimes with a NUL or a lone surrogate. */
    private static String randomSecretCandidate(Random random) {
        int[] lengths = {0, 1, 7, 8, 9, 100, 255, 256, 257, 300};
        int n = random.nextInt(4) == 0 ? random.nextInt(301) : lengths[random.nextInt(lengths.length)];
        StringBuilder sb = new StringBuilder(randomText(random, n, Range.ALL));
        int damage = random.nextInt(8);
        if (damage == 0 && sb.length() > 0) {
            sb.setCharAt(random.nextInt(sb.length()), '\0');
        } else if (damage == 1) {
            sb.insert(sb.length() == 0 ? 0 : random.nextInt(sb.length()), (char) (0xD800 + random.nextInt(0x800)));
        }
        return sb.toString();
    }

    /** Sometimes leaves the bytes as they are, sometimes breaks UTF-8 in one of the ways RFC 3629 forbids. */
    private static byte[] damageUtf8(Random random, byte[] utf8) {
        byte[][] forbidden = {
            {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong, 3 bytes
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // U+D800
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // U+110000
            {(byte) 0xFF},
            {(byte) 0x80}, // continuation without lead
            {(byte) 0xE2, (byte) 0x82}, // truncated
            {0},
        };
        if (random.nextInt(3) != 0) {
            return utf8;
        }
        byte[] bad = forbidden[random.nextInt(forbidden.length)];
        int at = utf8.length == 0 ? 0 : random.nextInt(utf8.length + 1);
        // Insert at a character boundary so that only the inserted bytes break the encoding.
        while (at < utf8.length && (utf8[at] & 0xC0) == 0x80) {
            at++;
        }
        byte[] out = new byte[utf8.length + bad.length];
        System.arraycopy(utf8, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(utf8, at, out, at + bad.length, utf8.length - at);
        return out;
    }
}
