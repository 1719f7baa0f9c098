package dev.otc.e2ee.reference;

import java.util.Arrays;

/**
 * One frame of FORMAT.md sec. 4: header || AEAD(sframe_key, salt XOR CTR, header || metadata, plaintext).
 * Stateless; counters and key lookup are the sender's and receiver's business.
 */
public final class SFrame {
    private SFrame() {
    }

    /** sframe_salt XOR the counter, big-endian, left-padded to Nn bytes. */
    public static byte[] nonce(byte[] salt, long ctr) {
        byte[] nonce = salt.clone();
        for (int i = 0; i < 8; i++) {
            nonce[nonce.length - 1 - i] ^= (byte) (ctr >>> (8 * i));
        }
        return nonce;
    }

    public static byte[] protect(Suite suite, KeySchedule.KeyAndSalt keys, long kid, long ctr,
                                 byte[] metadata, byte[] plaintext) {
        byte[] header = Header.encode(kid, ctr);
        byte[] sealed = Aead.seal(suite, keys.key(), nonce(keys.salt(), ctr), Bytes.concat(header, metadata), plaintext);
        return Bytes.concat(header, sealed);
    }

    /**
     * Opens a frame whose header was already parsed (so that the caller can pick the key by KID).
     * The AAD is the header exactly as received.
     */
    public static byte[] unprotect(Suite suite, KeySchedule.KeyAndSalt keys, Header header,
                                   byte[] metadata, byte[] frame) throws FrameRejectedException {
        byte[] headerBytes = Arrays.copyOfRange(frame, 0, header.length());
        byte[] sealed = Arrays.copyOfRange(frame, header.length(), frame.length);
        return Aead.open(suite, keys.key(), nonce(keys.salt(), header.ctr()), Bytes.concat(headerBytes, metadata), sealed);
    }

    /** Step 1 of FORMAT.md sec. 5: truncated header, or less than a tag after it, is malformed. */
    public static Header parse(Suite suite, byte[] frame) throws FrameRejectedException {
        Header header = Header.decode(frame);
        if (frame.length - header.length() < suite.tagSize()) {
            throw new FrameRejectedException(FrameRejectedException.Reason.MALFORMED);
        }
        return header;
    }
}
