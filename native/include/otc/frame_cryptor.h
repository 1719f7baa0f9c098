/*
 * End-to-end encryption of media frames for one session, usable without a session object (for
 * applications that bring their own transport). docs/FORMAT.md specifies what it produces.
 *
 * A cryptor holds a keyring: the current encryption secret plus, for a grace period after each
 * change, the previous ones. Encrypting always uses the current secret under a per-sender key
 * whose 48-bit sender id the cryptor draws at random for each secret; decrypting finds the secret
 * by the key fingerprint in the KID, so it tells apart an unknown secret (mismatch) from a frame
 * that fails authentication under a known one.
 *
 * Threads: every function may be called from any thread. Decrypt may run on several threads at
 * once (per-sender state is locked individually); encrypt calls on one cryptor are serialised
 * internally (one counter per sender). set_encryption_secret runs the slow KDF on the calling
 * thread, outside the locks that encrypt/decrypt take: call it from an application thread, never
 * from a media thread.
 */
#ifndef OTC_FRAME_CRYPTOR_H
#define OTC_FRAME_CRYPTOR_H

#include "config.h"
#include "errors.h"
#include "cipher_suite.h"

OTC_BEGIN_DECLS

#define OTC_FRAME_CRYPTOR_DEFAULT_GRACE_PERIOD_MS 5000u
#define OTC_FRAME_CRYPTOR_REPLAY_WINDOW 1024u
#define OTC_FRAME_CRYPTOR_MAX_RETAINED_SECRETS 4u
#define OTC_FRAME_CRYPTOR_MAX_SENDERS 1024u
/* High-water marks of senders evicted from the receive table, kept to refuse their replays. */
#define OTC_FRAME_CRYPTOR_MAX_EVICTED_SENDERS 16384u
/* Key derivations for not yet authenticated senders a cryptor allows: a burst, refilled per second. */
#define OTC_FRAME_CRYPTOR_NEW_SENDER_BURST 32u
#define OTC_FRAME_CRYPTOR_NEW_SENDERS_PER_SECOND 32u
#define OTC_SESSION_ID_MAX_BYTES 1024u

typedef struct otc_frame_cryptor otc_frame_cryptor;

/*
 * A cryptor for frames of `session_id` (1..1024 bytes of UTF-8, no NUL, else OTC_SESSION_INVALID_SESSION_ID semantics: NULL is returned; it salts the KDF, so every
 * participant must use the same one). cipher_suite 0 selects OTC_CIPHER_SUITE_DEFAULT.
 * NULL on invalid arguments or out of memory.
 */
OTC_API otc_frame_cryptor* otc_frame_cryptor_new(const char* session_id, int cipher_suite);

/*
 * A second cryptor that shares `other`'s secrets (derived master keys and grace period) but has
 * its own sender id, counters, received-sender state (replay windows) and stats: one per published
 * or subscribed stream, with the KDF run once per session. Setting the secret on either applies
 * to all that share it. NULL if `other` is NULL.
 */
OTC_API otc_frame_cryptor* otc_frame_cryptor_new_sharing_keys(const otc_frame_cryptor* other);

/*
 * A cryptor for one more stream of the same application session: it shares `other`'s secrets
 * (as otc_frame_cryptor_new_sharing_keys) and also its receive state, the replay windows and
 * evicted-sender marks per KID, so a frame accepted by one of them is refused as replayed by all
 * (docs/FORMAT.md sec. 5: the guarantee holds per session across resubscribes). Own sender id,
 * counters, stats and new-sender budget. NULL if `other` is NULL.
 */
OTC_API otc_frame_cryptor* otc_frame_cryptor_new_sharing_session(const otc_frame_cryptor* other);

/*
 * Wipes the keys of previous secrets whose grace period has ended (and the receive state derived
 * from them). Encrypt and decrypt do this lazily; call it periodically (the session client does,
 * from a timer) so that expired keys do not stay in memory while no frame flows.
 */
OTC_API otc_status otc_frame_cryptor_expire_secrets(otc_frame_cryptor* cryptor);

/*
 * Wipes this cryptor's keys (the shared keyring when its last user goes) and frees. OTC_SUCCESS;
 * NULL is a no-op.
 */
OTC_API otc_status otc_frame_cryptor_delete(otc_frame_cryptor* cryptor);

/*
 * Validates (as otc_encryption_secret_validate) and installs a new secret: the next encrypt uses
 * it, under a fresh sender id; the previous secret keeps decrypting for the grace period and is
 * then wiped. Setting the secret that is already current changes nothing. Returns
 * OTC_SESSION_INVALID_ENCRYPTION_SECRET for an invalid secret (the keyring is left unchanged).
 * The cryptor keeps no copy of the secret itself, only derived keys.
 */
OTC_API OTC_MUST_USE otc_status otc_frame_cryptor_set_encryption_secret(otc_frame_cryptor* cryptor,
                                                           const uint8_t* secret_utf8, size_t secret_len);

/* Whether a secret has been set. No side effect. */
OTC_API otc_bool otc_frame_cryptor_has_encryption_secret(const otc_frame_cryptor* cryptor);

/* How long previous secrets keep decrypting after a change; default 5000 ms, at most 600000. */
OTC_API OTC_MUST_USE otc_status otc_frame_cryptor_set_grace_period_ms(otc_frame_cryptor* cryptor, uint32_t grace_ms);

OTC_API int otc_frame_cryptor_cipher_suite(const otc_frame_cryptor* cryptor);

/* Bytes encrypt adds at most: OTC_SFRAME_MAX_HEADER_SIZE + otc_cipher_suite_tag_size(suite). */
OTC_API size_t otc_frame_cryptor_max_overhead(const otc_frame_cryptor* cryptor);

/*
 * Encrypts one frame. `metadata` (may be empty) is authenticated, not encrypted, and must be given
 * unchanged to decrypt. Returns OTC_SUCCESS, OTC_SESSION_ENCRYPTION_SECRET_MISSING,
 * OTC_ERR_BUFFER_TOO_SMALL (capacity < plaintext_len + max overhead), OTC_FRAME_COUNTER_EXHAUSTED,
 * OTC_ERR_INVALID_PARAM, or OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR.
 */
OTC_API OTC_MUST_USE otc_status otc_frame_cryptor_encrypt(otc_frame_cryptor* cryptor,
                                             const uint8_t* metadata, size_t metadata_len,
                                             const uint8_t* plaintext, size_t plaintext_len,
                                             uint8_t* out, size_t out_capacity, size_t* out_len);

/*
 * Decrypts one frame. Distinct outcomes, each counted in the stats:
 *   OTC_SUCCESS
 *   OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH  the KID names no secret this cryptor holds
 *   OTC_FRAME_AUTHENTICATION_FAILED            a held secret, but tampered or corrupt (or an
 *                                              unknown sender over the new-sender budget)
 *   OTC_FRAME_REPLAYED                         counter seen before or older than the window, or
 *                                              at or below an evicted sender's mark
 *   OTC_FRAME_MALFORMED                        not an SFrame frame (truncated header, too short)
 *   OTC_ERR_BUFFER_TOO_SMALL                   out_capacity < frame_len - header - tag
 *   OTC_SESSION_ENCRYPTION_SECRET_MISSING      no secret set yet
 *   OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR   the crypto engine failed
 *   OTC_ERR_INVALID_PARAM                      NULL pointers
 * Nothing is written to `out` unless the result is OTC_SUCCESS.
 */
OTC_API OTC_MUST_USE otc_status otc_frame_cryptor_decrypt(otc_frame_cryptor* cryptor,
                                             const uint8_t* metadata, size_t metadata_len,
                                             const uint8_t* frame, size_t frame_len,
                                             uint8_t* out, size_t out_capacity, size_t* out_len);

/*
 * The same two operations for callers that cross a language boundary per frame (the Java API):
 * one result instead of a status plus an out-length cell, so a call needs no native memory of its
 * own. Returns the number of bytes written (>= 0), or the negated otc_status of
 * otc_frame_cryptor_encrypt / otc_frame_cryptor_decrypt (same outcomes, same stats, nothing written
 * to `out` on failure). The pointers are plain addresses: the JavaCPP preset maps them to Java longs.
 */
OTC_API OTC_MUST_USE int64_t otc_frame_cryptor_encrypt_raw(otc_frame_cryptor* cryptor,
                                              const uint8_t* metadata, size_t metadata_len,
                                              const uint8_t* plaintext, size_t plaintext_len,
                                              uint8_t* out, size_t out_capacity);
OTC_API OTC_MUST_USE int64_t otc_frame_cryptor_decrypt_raw(otc_frame_cryptor* cryptor,
                                              const uint8_t* metadata, size_t metadata_len,
                                              const uint8_t* frame, size_t frame_len,
                                              uint8_t* out, size_t out_capacity);

/* What otc_frame_cryptor_peek_sender tells about a frame's sender. */
typedef enum otc_frame_sender {
  /* A sender this cryptor's receive state already admitted: a frame under its KID was
   * authenticated by this cryptor or one sharing its session (otc_frame_cryptor_new_sharing_session),
   * and its replay window is still held. */
  OTC_FRAME_SENDER_ADMITTED = 0,
  /* A well-formed SFrame header whose KID has no receive window: a new sender, one whose window was
   * evicted or wiped with an expired secret, or a forged KID. */
  OTC_FRAME_SENDER_UNKNOWN = 1,
  /* Not an SFrame frame of this cryptor's suite (truncated header, shorter than header + tag), or
   * a NULL cryptor or frame. */
  OTC_FRAME_SENDER_MALFORMED = 2
} otc_frame_sender;

/*
 * Which sender `frame` comes from, as far as its header tells, without decrypting it: header
 * parsing and one lookup in the receive state, no cryptography, no key derivation. For a
 * transport that queues frames before decrypting them, so that frames of unknown (possibly
 * forged) senders can be kept within a bound of their own (the session client does this on its
 * socket thread). `*kid` (if `kid` is non-NULL) receives the header's KID for ADMITTED and
 * UNKNOWN, and is not written for MALFORMED.
 * No side effects: no stats, replay-window or new-sender-budget change. Thread-safe like decrypt
 * (any thread, concurrently with decrypt on the same cryptor). The answer is a hint of the moment:
 * a concurrent decrypt can admit the sender, an eviction or expiry forget it; ADMITTED says
 * nothing about this frame's authenticity or freshness, which only otc_frame_cryptor_decrypt
 * decides.
 */
OTC_API OTC_MUST_USE otc_frame_sender otc_frame_cryptor_peek_sender(const otc_frame_cryptor* cryptor,
                                                                     const uint8_t* frame, size_t frame_len,
                                                                     uint64_t* kid);

/*
 * Counters since creation (per cryptor, not per shared keyring). A getter without side effects:
 * secrets_expired counts expiries performed so far (by a call or otc_frame_cryptor_expire_secrets).
 * New members are only ever added at the end.
 */
typedef struct otc_frame_cryptor_stats {
  size_t struct_size;              /* set by the caller: sizeof(otc_frame_cryptor_stats) (OTC_FRAME_CRYPTOR_STATS_INIT); see config.h */
  uint64_t frames_encrypted;
  uint64_t frames_decrypted;
  uint64_t secret_mismatch;
  uint64_t authentication_failed;
  uint64_t replayed;
  uint64_t malformed;
  uint64_t buffer_too_small;
  uint64_t secret_missing;
  uint64_t internal_error;
  uint64_t secrets_set;
  uint64_t secrets_expired;
  /* Key derivations for senders not yet authenticated (each ~10x a frame decryption). */
  uint64_t new_sender_derivations;
  /* Frames of unknown senders refused unopened because the new-sender budget was spent
   * (OTC_FRAME_CRYPTOR_NEW_SENDER_BURST, OTC_FRAME_CRYPTOR_NEW_SENDERS_PER_SECOND); also counted
   * in authentication_failed, the status they get. */
  uint64_t new_sender_refused;
} otc_frame_cryptor_stats;
#define OTC_FRAME_CRYPTOR_STATS_INIT OTC_SIZED_INIT(otc_frame_cryptor_stats)

OTC_API OTC_MUST_USE otc_status otc_frame_cryptor_get_stats(const otc_frame_cryptor* cryptor, otc_frame_cryptor_stats* stats);

OTC_END_DECLS

#endif /* OTC_FRAME_CRYPTOR_H */
