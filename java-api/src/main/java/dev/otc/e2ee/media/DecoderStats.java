package dev.otc.e2ee.media;

/**
 * Counters of a subscriber's decoders ({@code otc_subscriber_stats}, the decoding part).
 *
 * @param videoFramesDecoded video frames decoded
 * @param videoFramesRendered {@link VideoRenderer#onRenderFrame} calls
 * @param videoFramesSkipped not decoded: waiting for a keyframe after a gap, or an unsupported codec
 * @param videoDecodeErrors frames the decoder refused (it then waits for a keyframe)
 * @param audioFramesDecoded audio frames decoded
 * @param videoDecodeTimeUs time spent in the video decoder, summed over its calls (wall clock, in
 *     microseconds): divided by {@code videoFramesDecoded}, the decode cost per frame
 * @param videoFramesDroppedRender decoded pictures never rendered because {@link VideoRenderer}
 *     calls were not keeping up: when 4 ({@code OTC_SUBSCRIBER_MAX_PENDING_PICTURES}) wait, the
 *     oldest makes room for the newest; the picture is dropped, not the stream
 */
public record DecoderStats(long videoFramesDecoded, long videoFramesRendered, long videoFramesSkipped,
    long videoDecodeErrors, long audioFramesDecoded, long videoDecodeTimeUs, long videoFramesDroppedRender) {}
