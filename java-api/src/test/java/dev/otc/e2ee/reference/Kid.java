package dev.otc.e2ee.reference;

/** FORMAT.md sec. 3: KID = F * 2^48 + R, an unsigned 64-bit value carried in a long. */
public final class Kid {
    public static final long SENDER_ID_MASK = (1L << 48) - 1;

    private Kid() {
    }

    public static long of(int fingerprint, long senderId) {
        if (fingerprint < 0 || fingerprint > 0xffff) {
            throw new IllegalArgumentException("fingerprint must be 16 bits");
        }
        if ((senderId & ~SENDER_ID_MASK) != 0) {
            throw new IllegalArgumentException("sender id must be 48 bits");
        }
        return ((long) fingerprint << 48) | senderId;
    }

    public static int fingerprint(long kid) {
        return (int) (kid >>> 48);
    }

    public static long senderId(long kid) {
        return kid & SENDER_ID_MASK;
    }
}
