package dev.otc.e2ee;

/**
 * Counters of one subscriber since it was created ({@code otc_subscriber_stats}), plus one of the
 * Java layer.
 *
 * @param framesReceived MEDIA_FRAME messages received for the stream
 * @param framesDecrypted frames decrypted successfully (E2EE), including held frames recovered
 * @param framesDelivered frames handed to the native frame callback
 * @param failedSecretMismatch dropped: no secret held could decrypt them (expired or pushed out of
 *     the hold buffer)
 * @param failedAuthentication a known secret, but the tag did not verify (tampered or corrupt)
 * @param failedReplayed counter seen before or too old
 * @param failedMalformed not a valid SFrame frame, or unencrypted in an E2EE session
 * @param failedInternal crypto engine failures
 * @param framesHeld frames put into the hold buffer because they did not decrypt on arrival
 * @param framesRecovered held frames that decrypted after a secret change
 * @param mismatchEvents {@link ErrorCode#SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH} reports
 * @param matchEvents {@link SubscriberListener#onEncryptionSecretMatch} events
 * @param keyframeRequestsSent keyframe requests sent to the publisher
 * @param framesDroppedByListenerQueue frames the Java layer dropped because the listener, on an
 *     application executor, fell behind by more than the session's frame or byte queue limit (always 0
 *     when events run on the SDK thread)
 * @param failedUnencrypted unencrypted frames dropped (in an E2EE session, or while this client
 *     holds a secret or requires E2EE): never delivered, whatever the router says
 * @param framesDroppedQueue frames the native layer dropped because what was queued for the
 *     application reached its bound (video until the next keyframe, audio oldest first)
 * @param queuedBytesMax the most bytes this subscriber ever had queued natively
 * @param newSenderDerivations key derivations for senders of this stream not yet authenticated
 * @param newSenderRefused frames of unknown senders refused unopened because the new-sender budget
 *     was spent (also counted in {@code failedAuthentication})
 */
public record SubscriberStats(
    long framesReceived,
    long framesDecrypted,
    long framesDelivered,
    long failedSecretMismatch,
    long failedAuthentication,
    long failedReplayed,
    long failedMalformed,
    long failedInternal,
    long framesHeld,
    long framesRecovered,
    long mismatchEvents,
    long matchEvents,
    long keyframeRequestsSent,
    long framesDroppedByListenerQueue,
    long failedUnencrypted,
    long framesDroppedQueue,
    long queuedBytesMax,
    long newSenderDerivations,
    long newSenderRefused) {

  /** Frames dropped for any decryption reason. */
  public long framesFailed() {
    return failedSecretMismatch + failedAuthentication + failedReplayed + failedMalformed + failedInternal
        + failedUnencrypted;
  }
}
