package dev.otc.e2ee.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The hot path of an authenticated connection: MEDIA_FRAME (parse the clear header, check, hand a reference to each
 * subscriber's queue) and KEYFRAME_REQUEST (rate-limited, to the stream's publisher). Every other message goes on to
 * {@link SessionHandler}. Forwarding takes no lock and copies no bytes: it reads the session's concurrent stream map
 * and the stream's copy-on-write subscriber list, and offers retained duplicates to the subscribers' thread-safe
 * {@link OutboundQueue}s. Runs on the publisher's event loop; holds no state of its own.
 */
final class MediaForwarder extends ChannelInboundHandlerAdapter {

    /** Name in the pipeline. */
    static final String NAME = "otc-media";

    private final RouterCore core;
    private final ConnectionLifecycle connection;
    private final RouterSession session;
    private final SessionMember member;

    MediaForwarder(RouterCore core, ConnectionLifecycle connection) {
        this.core = core;
        this.connection = connection;
        this.session = connection.session;
        this.member = connection.member;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        int type = buf.getUnsignedByte(buf.readerIndex() + 4);   // the decoder guarantees length >= 1
        if (type != Wire.MEDIA_FRAME && type != Wire.KEYFRAME_REQUEST) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!connection.isOpen()) {
                return;
            }
            if (type == Wire.MEDIA_FRAME) {
                onMediaFrame(buf);
            } else {
                onKeyframeRequest(new WireReader(buf.slice(buf.readerIndex() + 5, buf.readableBytes() - 5),
                        Wire.typeName(type)));
            }
        } catch (ProtocolException e) {
            connection.refused(e);
        } finally {
            buf.release();
        }
    }

    private void onMediaFrame(ByteBuf msg) throws ProtocolException {
        int size = msg.readableBytes();
        ByteBuf body = msg.slice(msg.readerIndex() + 5, size - 5);
        WireReader r = new WireReader(body, "MEDIA_FRAME");
        String streamId = r.str(WireReader.MAX_NAME_BYTES, "stream_id");
        int media = r.u8();
        r.u8(); // codec: opaque to the router
        int flags = r.u8();
        r.u64();
        r.u32();
        r.u8();
        r.u8();
        if (media != Wire.MEDIA_AUDIO && media != Wire.MEDIA_VIDEO) {
            throw ProtocolException.malformed("MEDIA_FRAME.media is " + media + ", expected 0 (audio) or 1 (video)");
        }
        core.stats.frameReceived(size);
        RouterStream st = session.stream(streamId);
        if (st == null || st.publisher != member) {
            core.stats.frameDropped(DropReason.UNKNOWN_STREAM);
            throw ProtocolException.refused(ErrorCodes.STREAM_NOT_FOUND,
                    "MEDIA_FRAME for stream " + streamId + " which this connection does not publish", streamId);
        }
        if (session.e2ee && (flags & Wire.FLAG_ENCRYPTED) == 0) {
            core.stats.frameDropped(DropReason.UNENCRYPTED);
            throw ProtocolException.refused(ErrorCodes.UNENCRYPTED_FRAME_REFUSED,
                    "frame refused: this session is end-to-end encrypted and the frame is not marked encrypted", streamId);
        }
        if (!core.observers.isEmpty()) {
            core.notifyObservers(session.id, streamId, MediaObserver.Direction.RECEIVED, msg);
        }
        if (media == Wire.MEDIA_AUDIO) {
            for (Subscription sub : st.subscribers) {
                sub.subscriber.queue().offerAudio(msg.retainedDuplicate(), streamId);
            }
            return;
        }
        st.videoStarted = true;
        boolean keyframe = (flags & Wire.FLAG_KEYFRAME) != 0;
        boolean request = false;
        for (Subscription sub : st.subscribers) {
            OutboundQueue.VideoResult res = sub.subscriber.queue().offerVideo(msg.retainedDuplicate(), sub, keyframe);
            request |= res == OutboundQueue.VideoResult.DROPPED_REQUEST_KEYFRAME;
        }
        if (request) {
            requestKeyframe(core, st, member.alloc());
        }
    }

    private void onKeyframeRequest(WireReader r) throws ProtocolException {
        String streamId = r.str(WireReader.MAX_NAME_BYTES, "stream_id");
        r.end();
        Subscription sub = session.subscription(member, streamId);
        if (sub == null) {
            if (session.stream(streamId) == null) {
                throw ProtocolException.refused(ErrorCodes.STREAM_NOT_FOUND, "no stream " + streamId, streamId);
            }
            core.stats.refused(LimitRefusal.KEYFRAME_REQUEST_NOT_SUBSCRIBED);
            throw ProtocolException.refused(ErrorCodes.PERMISSION_DENIED,
                    "KEYFRAME_REQUEST refused: this connection does not subscribe to stream " + streamId, streamId);
        }
        // A subscriber may ask about once per interval (a short burst allowed); more would let one client make a
        // publisher send keyframes (its largest frames) back to back to everyone. The excess is dropped, counted.
        RouterLimits limits = core.config.limits();
        if (!sub.allowKeyframeRequest(System.nanoTime(), limits.keyframeRequestInterval().toNanos(),
                limits.keyframeRequestBurst())) {
            core.stats.refused(LimitRefusal.KEYFRAME_REQUEST_RATE);
            return;
        }
        requestKeyframe(core, sub.stream, member.alloc());
    }

    /** KEYFRAME_REQUEST to the stream's publisher, through its queue (from any thread). */
    static void requestKeyframe(RouterCore core, RouterStream st, ByteBufAllocator a) {
        core.stats.keyframeRequested();
        st.publisher.queue().offerControl(Wire.keyframeRequest(a, st.id));
    }
}
