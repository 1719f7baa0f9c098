package dev.otc.e2ee.router;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Reads one message body field by field; any shortfall, leftover byte or bad UTF-8 is a protocol error. */
final class WireReader {

    static final int MAX_NAME_BYTES = 1024;
    static final int MAX_SIGNAL_DATA_BYTES = 8192;

    private final ByteBuf buf;
    private final String messageName;

    WireReader(ByteBuf buf, String messageName) {
        this.buf = buf;
        this.messageName = messageName;
    }

    int u8() throws ProtocolException {
        need(1);
        return buf.readUnsignedByte();
    }

    int u16() throws ProtocolException {
        need(2);
        return buf.readUnsignedShort();
    }

    long u32() throws ProtocolException {
        need(4);
        return buf.readUnsignedInt();
    }

    long u64() throws ProtocolException {
        need(8);
        return buf.readLong();
    }

    String str(int maxBytes, String field) throws ProtocolException {
        int len = u16();
        if (len > maxBytes) {
            throw ProtocolException.malformed(messageName + "." + field + " is " + len + " bytes, limit " + maxBytes);
        }
        need(len);
        int at = buf.readerIndex();
        if (!ByteBufUtil.isText(buf, at, len, StandardCharsets.UTF_8)) {
            throw ProtocolException.malformed(messageName + "." + field + " is not valid UTF-8");
        }
        String s = buf.toString(at, len, StandardCharsets.UTF_8);
        buf.skipBytes(len);
        return s;
    }

    /** Bytes left for a {@code rest} field. */
    int remaining() {
        return buf.readableBytes();
    }

    void end() throws ProtocolException {
        if (buf.isReadable()) {
            throw ProtocolException.malformed(messageName + " has " + buf.readableBytes() + " bytes beyond its layout");
        }
    }

    private void need(int n) throws ProtocolException {
        if (buf.readableBytes() < n) {
            throw ProtocolException.malformed(messageName + " is truncated");
        }
    }
}
