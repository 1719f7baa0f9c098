package dev.otc.e2ee.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/** Message types and encoders of the session protocol (docs/PROTOCOL.md); every encoder adds the u32 length. */
final class Wire {

    static final int MAGIC = 0x4F544350;
    static final int PROTOCOL_VERSION = 1;
    static final int E2EE_FORMAT_VERSION = 1;
    static final int MAX_MESSAGE_LENGTH = 4 * 1024 * 1024;

    static final int HELLO = 0x01;
    static final int CONNECT = 0x02;
    static final int PUBLISH = 0x03;
    static final int UNPUBLISH = 0x04;
    static final int SUBSCRIBE = 0x05;
    static final int UNSUBSCRIBE = 0x06;
    static final int MEDIA_FRAME = 0x07;
    static final int KEYFRAME_REQUEST = 0x08;
    static final int SIGNAL = 0x09;
    static final int DISCONNECT = 0x0A;

    static final int HELLO_ACK = 0x81;
    static final int CONNECTED = 0x82;
    static final int CONNECTION_CREATED = 0x83;
    static final int CONNECTION_DROPPED = 0x84;
    static final int PUBLISHED = 0x85;
    static final int STREAM_CREATED = 0x86;
    static final int STREAM_DESTROYED = 0x87;
    static final int SUBSCRIBED = 0x88;
    static final int ERROR = 0x8E;
    static final int DISCONNECTING = 0x8F;
    static final int REDIRECT = 0x90;
    static final int NODES = 0x91;

    /** REDIRECT reasons (docs/PROTOCOL.md sec. 7). */
    static final int REDIRECT_NOT_OWNER = 1;
    static final int REDIRECT_DRAINING = 2;

    static final int FLAG_KEYFRAME = 1;
    static final int FLAG_ENCRYPTED = 2;
    static final int MEDIA_AUDIO = 0;
    static final int MEDIA_VIDEO = 1;

    static final int DROPPED_CLIENT_DISCONNECTED = 1;
    static final int DROPPED_NETWORK_LOST = 2;
    static final int DROPPED_FORCED = 3;
    static final int DESTROYED_UNPUBLISHED = 1;
    static final int DESTROYED_PUBLISHER_LEFT = 2;

    private Wire() {
    }

    /** Starts a message: reserves the length, writes the type. Finish with {@link #finish}. */
    static ByteBuf begin(ByteBufAllocator alloc, int type, int sizeHint) {
        ByteBuf b = alloc.buffer(5 + sizeHint);
        b.writeInt(0);
        b.writeByte(type);
        return b;
    }

    static ByteBuf finish(ByteBuf b) {
        b.setInt(0, b.readableBytes() - 4);
        return b;
    }

    static void str(ByteBuf b, String s) {
        int lenAt = b.writerIndex();
        b.writeShort(0);
        int n = ByteBufUtil.writeUtf8(b, s);
        b.setShort(lenAt, n);
    }

    static ByteBuf helloAck(ByteBufAllocator a, String routerName) {
        ByteBuf b = begin(a, HELLO_ACK, 8 + routerName.length());
        b.writeShort(PROTOCOL_VERSION);
        b.writeShort(E2EE_FORMAT_VERSION);
        str(b, routerName);
        return finish(b);
    }

    static ByteBuf connected(ByteBufAllocator a, String connectionId, String sessionId, boolean e2ee, Role role,
                             String data, long createdMs) {
        ByteBuf b = begin(a, CONNECTED, 64 + data.length() * 3);
        str(b, connectionId);
        str(b, sessionId);
        b.writeByte(e2ee ? 1 : 0);
        b.writeByte(role.wireCode());
        str(b, data);
        b.writeLong(createdMs);
        return finish(b);
    }

    static ByteBuf connectionCreated(ByteBufAllocator a, String connectionId, String data, long createdMs) {
        ByteBuf b = begin(a, CONNECTION_CREATED, 48 + data.length() * 3);
        str(b, connectionId);
        str(b, data);
        b.writeLong(createdMs);
        return finish(b);
    }

    static ByteBuf connectionDropped(ByteBufAllocator a, String connectionId, int reason) {
        ByteBuf b = begin(a, CONNECTION_DROPPED, 40);
        str(b, connectionId);
        b.writeByte(reason);
        return finish(b);
    }

    static ByteBuf published(ByteBufAllocator a, long publishId, String streamId) {
        ByteBuf b = begin(a, PUBLISHED, 44);
        b.writeInt((int) publishId);
        str(b, streamId);
        return finish(b);
    }

    static ByteBuf streamCreated(ByteBufAllocator a, RouterStream s) {
        ByteBuf b = begin(a, STREAM_CREATED, 96 + s.name.length() * 3);
        str(b, s.id);
        str(b, s.publisher.connectionId());
        str(b, s.name);
        b.writeByte(s.hasAudio ? 1 : 0);
        b.writeByte(s.hasVideo ? 1 : 0);
        b.writeByte(s.videoCodec);
        b.writeByte(s.audioCodec);
        b.writeByte(s.e2ee ? 1 : 0);
        b.writeLong(s.createdMs);
        return finish(b);
    }

    static ByteBuf streamDestroyed(ByteBufAllocator a, String streamId, int reason) {
        ByteBuf b = begin(a, STREAM_DESTROYED, 40);
        str(b, streamId);
        b.writeByte(reason);
        return finish(b);
    }

    static ByteBuf subscribed(ByteBufAllocator a, String streamId) {
        return streamIdMessage(a, SUBSCRIBED, streamId);
    }

    static ByteBuf keyframeRequest(ByteBufAllocator a, String streamId) {
        return streamIdMessage(a, KEYFRAME_REQUEST, streamId);
    }

    private static ByteBuf streamIdMessage(ByteBufAllocator a, int type, String streamId) {
        ByteBuf b = begin(a, type, 40);
        str(b, streamId);
        return finish(b);
    }

    static ByteBuf signal(ByteBufAllocator a, String from, String type, String data) {
        ByteBuf b = begin(a, SIGNAL, 48 + (type.length() + data.length()) * 3);
        str(b, from);
        str(b, type);
        str(b, data);
        return finish(b);
    }

    static ByteBuf error(ByteBufAllocator a, int code, String message, String context) {
        ByteBuf b = begin(a, ERROR, 16 + (message.length() + context.length()) * 3);
        b.writeInt(code);
        str(b, truncate(message));
        str(b, truncate(context));
        return finish(b);
    }

    static ByteBuf disconnecting(ByteBufAllocator a, int code, String message) {
        ByteBuf b = begin(a, DISCONNECTING, 8 + message.length() * 3);
        b.writeInt(code);
        str(b, message);
        return finish(b);
    }

    static ByteBuf redirect(ByteBufAllocator a, String mediaUrl, int reason) {
        ByteBuf b = begin(a, REDIRECT, 8 + mediaUrl.length() * 3);
        str(b, mediaUrl);
        b.writeByte(reason);
        return finish(b);
    }

    static ByteBuf nodes(ByteBufAllocator a, java.util.List<String> mediaUrls) {
        ByteBuf b = begin(a, NODES, 2 + mediaUrls.size() * 40);
        b.writeShort(mediaUrls.size());
        for (String u : mediaUrls) {
            str(b, u);
        }
        return finish(b);
    }

    /** Keeps a str field within its u16 length even for an odd, long message. */
    private static String truncate(String s) {
        return s.length() > 4000 ? s.substring(0, 4000) : s;
    }

    static String typeName(int type) {
        return switch (type) {
            case HELLO -> "HELLO";
            case CONNECT -> "CONNECT";
            case PUBLISH -> "PUBLISH";
            case UNPUBLISH -> "UNPUBLISH";
            case SUBSCRIBE -> "SUBSCRIBE";
            case UNSUBSCRIBE -> "UNSUBSCRIBE";
            case MEDIA_FRAME -> "MEDIA_FRAME";
            case KEYFRAME_REQUEST -> "KEYFRAME_REQUEST";
            case SIGNAL -> "SIGNAL";
            case DISCONNECT -> "DISCONNECT";
            default -> String.format("0x%02X", type);
        };
    }
}
