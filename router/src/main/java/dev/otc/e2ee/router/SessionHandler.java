package dev.otc.e2ee.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The control messages of an authenticated connection (docs/PROTOCOL.md sec. 3): PUBLISH, UNPUBLISH, SUBSCRIBE,
 * UNSUBSCRIBE, SIGNAL, DISCONNECT. It parses each one, checks what the connection's own grant allows, and asks the
 * {@link RouterSession} to make the change (which tells the other members); it changes nothing itself. Media comes
 * before it in the pipeline ({@link MediaForwarder}); refusals go to {@link ConnectionLifecycle}. Runs on the
 * channel's event loop; holds no state of its own.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {

    /** Name in the pipeline. */
    static final String NAME = "otc-session";

    private final RouterCore core;
    private final ConnectionLifecycle connection;
    private final RouterSession session;
    private final SessionMember member;
    private final ClientGrant grant;

    SessionHandler(RouterCore core, ConnectionLifecycle connection) {
        this.core = core;
        this.connection = connection;
        this.session = connection.session;
        this.member = connection.member;
        this.grant = connection.grant;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (connection.isOpen()) {
                handle(buf);
            }
        } catch (ProtocolException e) {
            connection.refused(e);
        } finally {
            buf.release();
        }
    }

    private void handle(ByteBuf buf) throws ProtocolException {
        int type = buf.getUnsignedByte(buf.readerIndex() + 4);
        WireReader r = new WireReader(buf.slice(buf.readerIndex() + 5, buf.readableBytes() - 5), Wire.typeName(type));
        switch (type) {
            case Wire.PUBLISH -> onPublish(r);
            case Wire.UNPUBLISH -> onUnpublish(r);
            case Wire.SUBSCRIBE -> onSubscribe(r);
            case Wire.UNSUBSCRIBE -> onUnsubscribe(r);
            case Wire.SIGNAL -> onSignal(r);
            case Wire.DISCONNECT -> {
                r.end();
                connection.clientDisconnected();
            }
            case Wire.HELLO, Wire.CONNECT ->
                    throw ProtocolException.malformed(Wire.typeName(type) + " after the connection was established");
            default -> throw ProtocolException.malformed("unknown message type " + Wire.typeName(type));
        }
    }

    private void onPublish(WireReader r) throws ProtocolException {
        long publishId = r.u32();
        String name = r.str(WireReader.MAX_NAME_BYTES, "name");
        boolean hasAudio = r.u8() != 0;
        boolean hasVideo = r.u8() != 0;
        int videoCodec = r.u8();
        int audioCodec = r.u8();
        boolean encrypted = r.u8() != 0;
        // Optional trailing field (PROTOCOL.md sec. 7): the old layout ends here.
        String resume = r.remaining() > 0 ? r.str(WireReader.MAX_NAME_BYTES, "resume_stream_id") : "";
        r.end();
        String ctx = Long.toString(publishId);
        if (!grant.role().canPublish()) {
            throw ProtocolException.refused(ErrorCodes.PERMISSION_DENIED,
                    "a " + grant.role().claimValue() + " token cannot publish", ctx);
        }
        if (session.e2ee && !encrypted) {
            throw ProtocolException.refused(ErrorCodes.UNENCRYPTED_FRAME_REFUSED,
                    "this session is end-to-end encrypted: publish with encryption enabled", ctx);
        }
        RouterStream st = session.publish(member, new SessionMembers.PublishRequest(publishId, name, hasAudio,
                hasVideo, videoCodec, audioCodec, resume), core.streamSequence.incrementAndGet());
        NodeDirectory d = core.directory;
        if (d != null) {
            d.streamPublished(session.id, st);
        }
    }

    private void onUnpublish(WireReader r) throws ProtocolException {
        String streamId = r.str(WireReader.MAX_NAME_BYTES, "stream_id");
        r.end();
        core.streamsEnded(session, session.unpublish(member, streamId));
    }

    private void onSubscribe(WireReader r) throws ProtocolException {
        String streamId = r.str(WireReader.MAX_NAME_BYTES, "stream_id");
        r.end();
        if (!grant.role().canSubscribe()) {
            throw ProtocolException.refused(ErrorCodes.PERMISSION_DENIED,
                    "a " + grant.role().claimValue() + " token cannot subscribe", streamId);
        }
        RouterStream needsKeyframe = session.subscribe(member, streamId);
        if (needsKeyframe != null) {
            MediaForwarder.requestKeyframe(core, needsKeyframe, member.alloc());
        }
    }

    private void onUnsubscribe(WireReader r) throws ProtocolException {
        String streamId = r.str(WireReader.MAX_NAME_BYTES, "stream_id");
        r.end();
        session.unsubscribe(member, streamId);
    }

    private void onSignal(WireReader r) throws ProtocolException {
        String to = r.str(WireReader.MAX_NAME_BYTES, "to_connection_id");
        String type = r.str(WireReader.MAX_NAME_BYTES, "type");
        String data = r.str(WireReader.MAX_SIGNAL_DATA_BYTES, "data");
        r.end();
        session.signal(member, to, type, data);
    }
}
