package dev.otc.e2ee.router;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;

/**
 * Cuts the byte stream into messages. Each output keeps its u32 length prefix, so a MEDIA_FRAME can be forwarded
 * as the very bytes that arrived. A length of 0 or above 4 MiB fails at once, before any body is buffered, so a
 * hostile length never makes the router allocate.
 */
final class MessageFramer extends ByteToMessageDecoder {

    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length == 0 || length > Wire.MAX_MESSAGE_LENGTH) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw new DecoderException(ProtocolException.malformed(
                    "message length " + length + " outside 1.." + Wire.MAX_MESSAGE_LENGTH));
        }
        if (in.readableBytes() < 4 + length) {
            return;
        }
        out.add(in.readRetainedSlice(4 + (int) length));
    }
}
