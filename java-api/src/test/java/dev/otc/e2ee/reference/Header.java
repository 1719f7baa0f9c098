package dev.otc.e2ee.reference;

/**
 * The SFrame header of RFC 9605 sec. 4.3: a config byte |X|K K K|Y|C C C| then the KID bytes then
 * the CTR bytes. A value below 8 sits in the config byte (X or Y = 0); otherwise the 3 bits hold its
 * length minus one and the value follows big-endian in that many bytes.
 *
 * @param length number of header bytes at the start of the frame
 */
public record Header(long kid, long ctr, int length) {

    /** Shortest encoding, the only one a sender produces (FORMAT.md sec. 4). */
    public static byte[] encode(long kid, long ctr) {
        int kidLen = Long.compareUnsigned(kid, 8) < 0 ? 0 : byteLength(kid);
        int ctrLen = Long.compareUnsigned(ctr, 8) < 0 ? 0 : byteLength(ctr);
        byte[] out = new byte[1 + kidLen + ctrLen];
        int config = kidLen == 0 ? (int) kid << 4 : 0x80 | (kidLen - 1) << 4;
        config |= ctrLen == 0 ? (int) ctr : 0x08 | (ctrLen - 1);
        out[0] = (byte) config;
        putBigEndian(kid, out, 1, kidLen);
        putBigEndian(ctr, out, 1 + kidLen, ctrLen);
        return out;
    }

    /**
     * Parses the header at the start of {@code frame}.
     *
     * @throws FrameRejectedException MALFORMED when the frame ends before the bytes the config byte announces
     */
    public static Header decode(byte[] frame) throws FrameRejectedException {
        if (frame.length < 1) {
            throw new FrameRejectedException(FrameRejectedException.Reason.MALFORMED);
        }
        int config = frame[0] & 0xff;
        boolean kidExtended = (config & 0x80) != 0;
        int kidBits = (config >>> 4) & 0x07;
        boolean ctrExtended = (config & 0x08) != 0;
        int ctrBits = config & 0x07;
        int kidLen = kidExtended ? kidBits + 1 : 0;
        int ctrLen = ctrExtended ? ctrBits + 1 : 0;
        int length = 1 + kidLen + ctrLen;
        if (frame.length < length) {
            throw new FrameRejectedException(FrameRejectedException.Reason.MALFORMED);
        }
        long kid = kidExtended ? getBigEndian(frame, 1, kidLen) : kidBits;
        long ctr = ctrExtended ? getBigEndian(frame, 1 + kidLen, ctrLen) : ctrBits;
        return new Header(kid, ctr, length);
    }

    private static int byteLength(long value) {
        return (64 - Long.numberOfLeadingZeros(value) + 7) / 8;
    }

    private static void putBigEndian(long value, byte[] out, int offset, int length) {
        for (int i = length - 1; i >= 0; i--) {
            out[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static long getBigEndian(byte[] in, int offset, int length) {
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = (value << 8) | (in[offset + i] & 0xff);
        }
        return value;
    }
}
