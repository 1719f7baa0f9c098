package dev.otc.e2ee.media;

/**
 * Counters of a publisher's own encoders ({@code otc_publisher_stats}, the capturer and audio
 * device part).
 *
 * @param videoFramesCaptured frames taken by {@link VideoFrameSink#provideFrame} while live
 * @param videoFramesDroppedCapture frames dropped before encoding because the encoder fell behind
 * @param videoFramesEncoded video frames encoded
 * @param videoKeyframesEncoded of which keyframes
 * @param videoBytesEncoded encoded video size, before encryption
 * @param audioFramesEncoded 20 ms Opus frames encoded
 * @param videoEncodeTimeUs time spent in the video encoder, summed over its calls (wall clock, in
 *     microseconds): divided by {@code videoFramesEncoded}, the encode cost per frame
 */
public record EncoderStats(long videoFramesCaptured, long videoFramesDroppedCapture, long videoFramesEncoded,
    long videoKeyframesEncoded, long videoBytesEncoded, long audioFramesEncoded, long videoEncodeTimeUs) {}
