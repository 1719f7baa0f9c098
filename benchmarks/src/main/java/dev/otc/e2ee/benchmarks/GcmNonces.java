package dev.otc.e2ee.benchmarks;

/**
 * Fresh 96-bit nonces the way SFrame makes them (a fixed salt XOR a counter), so that the bare
 * AES-GCM baselines do the same per-frame nonce work as FrameCryptor and never reuse one.
 */
final class GcmNonces {
    private final byte[] salt;
    private long counter;

    GcmNonces(byte[] salt) {
        this.salt = salt.clone();
    }

    /** Writes the next nonce into {@code nonce} (12 bytes). */
    void next(byte[] nonce) {
        long ctr = counter++;
        System.arraycopy(salt, 0, nonce, 0, 12);
        for (int i = 0; i < 8; i++) {
            nonce[11 - i] ^= (byte) (ctr >>> (8 * i));
        }
    }
}
