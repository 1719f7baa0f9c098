package dev.otc.e2ee.reference;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One sender of FORMAT.md sec. 3-4: a KID made of the secret's fingerprint and a 48-bit sender id,
 * its base key, and a counter that starts at 0 and stops instead of wrapping.
 */
public final class Sender implements AutoCloseable {
    private final Suite suite;
    private final long kid;
    private final KeySchedule.KeyAndSalt keys;
    private long nextCounter;
    private boolean exhausted;

    public Sender(Suite suite, byte[] masterKey, long senderId) {
        this(suite, masterKey, senderId, 0);
    }

    /** Starting elsewhere than 0 only exists so that tests can reach the end of the counter space. */
    Sender(Suite suite, byte[] masterKey, long senderId, long firstCounter) {
        this.suite = suite;
        this.kid = Kid.of(Fingerprint.of(masterKey), senderId);
        byte[] baseKey = BaseKey.derive(masterKey, kid, suite);
        try {
            this.keys = KeySchedule.derive(suite, kid, baseKey);
        } finally {
            Arrays.fill(baseKey, (byte) 0);
        }
        this.nextCounter = firstCounter;
    }

    public static Sender withRandomSenderId(Suite suite, byte[] masterKey, SecureRandom random) {
        return new Sender(suite, masterKey, random.nextLong() & Kid.SENDER_ID_MASK);
    }

    public long kid() {
        return kid;
    }

    public Suite suite() {
        return suite;
    }

    public byte[] protect(byte[] metadata, byte[] plaintext) {
        if (exhausted) {
            throw new IllegalStateException("frame counter exhausted: set a new secret");
        }
        long ctr = nextCounter;
        byte[] frame = SFrame.protect(suite, keys, kid, ctr, metadata, plaintext);
        // -1 is 2^64 - 1 unsigned: the last counter there is.
        if (ctr == -1L) {
            exhausted = true;
        } else {
            nextCounter = ctr + 1;
        }
        return frame;
    }

    @Override
    public void close() {
        keys.wipe();
    }

    @Override
    public String toString() {
        return "Sender[suite=" + suite + ", kid=" + Long.toUnsignedString(kid, 16) + "]";
    }
}
