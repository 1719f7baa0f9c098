package dev.otc.e2ee;

/**
 * Counters of one {@link FrameCryptor} since its creation ({@code otc_frame_cryptor_stats}).
 * Counts are unsigned 64-bit values carried in {@code long}.
 *
 * @param newSenderDerivations key derivations for senders not yet authenticated
 * @param newSenderRefused frames of unknown senders refused unopened because the new-sender budget
 *     was spent (also counted in {@code authenticationFailed})
 */
public record FrameCryptorStats(
    long framesEncrypted,
    long framesDecrypted,
    long secretMismatch,
    long authenticationFailed,
    long replayed,
    long malformed,
    long bufferTooSmall,
    long secretMissing,
    long internalError,
    long secretsSet,
    long secretsExpired,
    long newSenderDerivations,
    long newSenderRefused) {}
