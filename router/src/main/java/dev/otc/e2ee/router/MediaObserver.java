package dev.otc.e2ee.router;

import java.nio.ByteBuffer;

/**
 * Test hook: sees every MEDIA_FRAME the router receives and every copy it hands to a subscriber, so a test can
 * prove the router only ever handles ciphertext. Called on a router I/O thread: return quickly, never block.
 */
@FunctionalInterface
public interface MediaObserver {

    enum Direction { RECEIVED, FORWARDED }

    /**
     * @param message the MEDIA_FRAME message exactly as on the wire, from its type byte (0x07) to the end of the
     *                payload (the u32 length prefix excluded); read-only, valid only during the call
     */
    void onMediaFrame(String sessionId, String streamId, Direction direction, ByteBuffer message);
}
