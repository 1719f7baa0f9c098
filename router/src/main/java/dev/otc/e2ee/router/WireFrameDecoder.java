package dev.otc.e2ee.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Cuts the media port's byte stream into messages (u32 big-endian length, then that many bytes). Each output keeps
 * its length prefix, so a MEDIA_FRAME can be forwarded as the very bytes that arrived. A length of 0 or above
 * {@code maxMessageBytes} fails at once, before any body is buffered, so a hostile length never makes the router
 * buffer. Before CONNECT the limit is small (HELLO and CONNECT only); {@link HandshakeHandler} swaps in a decoder with
 * the full 4 MiB limit once the client is authenticated ({@link #NAME} in the pipeline).
 *
 * <p>The bytes of an incomplete message held in this decoder are reported to {@link RouterStats#inboundBufferedBytes()},
 * so tests and operators see what unauthenticated or half-sent messages cost.
 */
final class WireFrameDecoder extends LengthFieldBasedFrameDecoder {

    static final String NAME = "otc-frame-decoder";

    private final RouterStats stats;
    private final int maxMessageBytes;
    private final boolean preAuth;
    private long reported;
    private boolean failed;

    WireFrameDecoder(RouterStats stats, int maxMessageBytes, boolean preAuth) {
        super(maxMessageBytes + 4, 0, 4, 0, 0, true);
        this.stats = stats;
        this.maxMessageBytes = maxMessageBytes;
        this.preAuth = preAuth;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        if (in.readableBytes() >= 4) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length == 0 || length > maxMessageBytes) {
                failed = true;
                in.skipBytes(in.readableBytes());
                if (preAuth && length > maxMessageBytes) {
                    stats.refused(LimitRefusal.PRE_AUTH_MESSAGE_SIZE);
                }
                throw new DecoderException(ProtocolException.malformed("message length " + length + " outside 1.."
                        + maxMessageBytes + (preAuth ? " (limit before CONNECT: HELLO and CONNECT only)" : "")));
            }
        }
        return super.decode(ctx, in);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        try {
            super.channelRead(ctx, msg);
        } finally {
            report();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            report();
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        // The remaining bytes are handed on (to the replacement decoder, which reports them itself) or released.
        stats.inboundBuffered(-reported);
        reported = 0;
    }

    private void report() {
        long now = internalBuffer().readableBytes();
        stats.inboundBuffered(now - reported);
        reported = now;
    }
}
