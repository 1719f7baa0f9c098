package dev.otc.e2ee.reference;

import static dev.otc.e2ee.reference.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otc.e2ee.reference.FrameRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reference's own rules of FORMAT.md sec. 1, 3, 5 that no published vector covers. Master keys
 * here are random bytes rather than scrypt outputs: the receiver only ever sees 32 bytes.
 */
class ReferenceReceiverTest {
    private final Random random = new Random(42);

    private byte[] randomMaster() {
        byte[] m = new byte[MasterKey.SIZE];
        random.nextBytes(m);
        return m;
    }

    @Test
    void secretRulesCountCodePointsAndRejectMalformedUtf8() {
        assertThat(SecretEncoding.isValid("1234567")).isFalse();
        assertThat(SecretEncoding.isValid("12345678")).isTrue();
        assertThat(SecretEncoding.isValid("\uD83D\uDE00".repeat(8))).isTrue(); // 8 astral code points, 16 chars
        assertThat(SecretEncoding.isValid("\uD83D\uDE00".repeat(7))).isFalse();
        assertThat(SecretEncoding.isValid("é".repeat(256))).isTrue();
        assertThat(SecretEncoding.isValid("é".repeat(257))).isFalse();
        assertThat(SecretEncoding.isValid("1234567\0")).isFalse();
        assertThat(SecretEncoding.isValid("1234567\uD800")).isFalse();
        assertThat(SecretEncoding.utf8("€uro-key")).isEqualTo("€uro-key".getBytes(StandardCharsets.UTF_8));

        byte[] ascii = "abcdefg".getBytes(StandardCharsets.US_ASCII);
        assertThat(SecretEncoding.isValid(cat(ascii, new byte[] {(byte) 0xC0, (byte) 0x80}))).as("overlong NUL").isFalse();
        assertThat(SecretEncoding.isValid(cat(ascii, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))).as("surrogate").isFalse();
        assertThat(SecretEncoding.isValid(cat(ascii, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})))
                .as("above U+10FFFF").isFalse();
        assertThat(SecretEncoding.isValid(cat(ascii, new byte[] {(byte) 0xE2, (byte) 0x82}))).as("truncated").isFalse();
        assertThat(SecretEncoding.isValid(cat(ascii, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}))).isTrue();
        assertThatThrownBy(() -> SecretEncoding.validate("short".getBytes(StandardCharsets.UTF_8)))
                .hasMessageNotContaining("short");
    }

    @Test
    void kidCarriesTheFingerprintAndTheSenderId() {
        byte[] master = randomMaster();
        try (Sender sender = new Sender(Suite.AES_256_GCM_SHA512_128, master, 0x123456789abcL)) {
            assertThat(Kid.fingerprint(sender.kid())).isEqualTo(Fingerprint.of(master));
            assertThat(Kid.senderId(sender.kid())).isEqualTo(0x123456789abcL);
        }
    }

    @Test
    void receiverTellsMismatchAuthenticationReplayAndMalformedApart() throws Exception {
        for (Suite suite : Suite.values()) {
            byte[] master = randomMaster();
            try (Sender sender = new Sender(suite, master, random.nextLong() & Kid.SENDER_ID_MASK);
                 Receiver receiver = new Receiver(suite)) {
                byte[] md = {1, 2, 3};
                byte[] f0 = sender.protect(md, "frame zero".getBytes(StandardCharsets.UTF_8));
                byte[] f1 = sender.protect(md, new byte[0]);

                assertRejected(() -> receiver.unprotect(md, f0), Reason.SECRET_MISMATCH);
                receiver.addSecret(master);

                byte[] tampered = f0.clone();
                tampered[tampered.length - 1] ^= 1;
                assertRejected(() -> receiver.unprotect(md, tampered), Reason.AUTHENTICATION_FAILED);
                assertThat(receiver.knownSenders()).as("a forged frame teaches no KID").isZero();
                assertRejected(() -> receiver.unprotect(new byte[] {1, 2}, f0), Reason.AUTHENTICATION_FAILED);

                assertThat(receiver.unprotect(md, f1)).isEmpty();
                assertThat(new String(receiver.unprotect(md, f0), StandardCharsets.UTF_8)).isEqualTo("frame zero");
                assertThat(receiver.knownSenders()).isOne();
                assertRejected(() -> receiver.unprotect(md, f0), Reason.REPLAYED);
                assertRejected(() -> receiver.unprotect(md, java.util.Arrays.copyOf(f1, 3)), Reason.MALFORMED);

                receiver.removeSecret(master);
                assertRejected(() -> receiver.unprotect(md, f1), Reason.SECRET_MISMATCH);
            }
        }
    }

    @Test
    void replayWindowKeeps1024CountersAndMovesOnlyForward() {
        ReplayWindow window = new ReplayWindow();
        assertThat(window.isReplay(5)).isFalse();
        window.accept(5);
        assertThat(window.isReplay(5)).isTrue();
        assertThat(window.isReplay(4)).isFalse();
        window.accept(2000);
        assertThat(window.isReplay(2000 - 1023)).isFalse();
        assertThat(window.isReplay(2000 - 1024)).isTrue();
        window.accept(2000 - 1023);
        assertThat(window.isReplay(2000 - 1023)).isTrue();
        window.accept(2001);
        // 977 slid out of the window exactly now.
        assertThat(window.isReplay(2000 - 1023)).isTrue();
        assertThat(window.isReplay(2001 - 1023)).isFalse();

        ReplayWindow top = new ReplayWindow();
        top.accept(-2L);
        assertThat(top.isReplay(-1L)).isFalse();
        top.accept(-1L);
        assertThat(top.isReplay(-1L)).isTrue();
        assertThat(top.isReplay(-2L)).isTrue();
        assertThat(top.isReplay(0)).as("0 is 2^64 - 1 below, far outside").isTrue();
    }

    @Test
    void senderStopsAtTheLastCounterInsteadOfWrapping() throws Exception {
        byte[] master = randomMaster();
        try (Sender sender = new Sender(Suite.AES_128_GCM_SHA256_128, master, 7, -2L);
             Receiver receiver = new Receiver(Suite.AES_128_GCM_SHA256_128)) {
            receiver.addSecret(master);
            byte[] a = sender.protect(new byte[0], new byte[] {1});
            byte[] b = sender.protect(new byte[0], new byte[] {2});
            assertThat(Header.decode(b).ctr()).isEqualTo(-1L);
            assertThat(receiver.unprotect(new byte[0], a)).containsExactly(1);
            assertThat(receiver.unprotect(new byte[0], b)).containsExactly(2);
            assertThatThrownBy(() -> sender.protect(new byte[0], new byte[] {3}))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void leastRecentlyUsedSenderIsForgottenBeyond1024() throws Exception {
        Suite suite = Suite.AES_128_GCM_SHA256_128;
        byte[] master = randomMaster();
        try (Receiver receiver = new Receiver(suite)) {
            receiver.addSecret(master);
            byte[] firstFrame = null;
            for (int i = 0; i <= Receiver.MAX_SENDERS; i++) {
                try (Sender s = new Sender(suite, master, i)) {
                    byte[] frame = s.protect(new byte[0], new byte[] {(byte) i});
                    if (i == 0) {
                        firstFrame = frame;
                    }
                    receiver.unprotect(new byte[0], frame);
                }
            }
            assertThat(receiver.knownSenders()).isEqualTo(Receiver.MAX_SENDERS);
            // The evicted KID lost its window with its entry, so its old frame verifies again.
            assertThat(receiver.unprotect(new byte[0], firstFrame)).containsExactly(0);
        }
    }

    private static byte[] cat(byte[] a, byte[] b) {
        return Bytes.concat(a, b);
    }
}
