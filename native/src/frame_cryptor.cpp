// otc_frame_cryptor: keyring shared between cryptors, per-cryptor sender and receive state.
#include "otc/frame_cryptor.h"

#include <array>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "c_api_guard.hpp"
#include "e2ee_kdf.hpp"
#include "fault_injection.hpp"
#include "sized_struct.hpp"
#include "keyring.hpp"
#include "new_sender_gate.hpp"
#include "otc/secret.h"
#include "receive_table.hpp"
#include "secure_bytes.hpp"
#include "sender_state.hpp"
#include "sframe_key.hpp"
#include "utf8.hpp"

namespace {

constexpr std::uint32_t kMaxGraceMs = 600000;

struct Stats {
  std::atomic<std::uint64_t> frames_encrypted{0};
  std::atomic<std::uint64_t> frames_decrypted{0};
  std::atomic<std::uint64_t> secret_mismatch{0};
  std::atomic<std::uint64_t> authentication_failed{0};
  std::atomic<std::uint64_t> replayed{0};
  std::atomic<std::uint64_t> malformed{0};
  std::atomic<std::uint64_t> buffer_too_small{0};
  std::atomic<std::uint64_t> secret_missing{0};
  std::atomic<std::uint64_t> internal_error{0};
  std::atomic<std::uint64_t> new_sender_derivations{0};
  std::atomic<std::uint64_t> new_sender_refused{0};
};

void bump(std::atomic<std::uint64_t>& counter) { counter.fetch_add(1, std::memory_order_relaxed); }

bool valid_span(const void* p, std::size_t len) { return p != nullptr || len == 0; }

// Every decryption enters the AEAD here, so an injected fault takes the same kEngineError path as
// a failing EVP call.
otc::OpenResult open_frame(otc::SframeKey& key, const otc::ParsedFrame& frame, otc::Bytes metadata,
                           std::uint8_t* out) {
  if (otc::take_injected_fault(otc::InjectedFault::kDecrypt)) return otc::OpenResult::kEngineError;
  return key.unprotect(frame, metadata, out);
}

}  // namespace

// Receive state of one application session, shared by the cryptors made with
// otc_frame_cryptor_new_sharing_session: replay windows and evicted marks per KID, so that no
// frame is accepted twice by any of them (docs/FORMAT.md sec. 5).
struct ReceiveState {
  explicit ReceiveState(std::uint64_t epoch) : seen_epoch(epoch) {}

  // Serialises admitting new senders so that two threads cannot both accept the first frames of
  // one KID (one of them must see the other's counter as a replay).
  std::mutex admit_mu;
  otc::ReceiveTable table;
  std::atomic<std::uint64_t> seen_epoch;
};

struct otc_frame_cryptor {
  otc_frame_cryptor(std::shared_ptr<otc::Keyring> ring, std::shared_ptr<ReceiveState> receive_state)
      : keyring(std::move(ring)),
        suite(keyring->suite()),
        secrets_set_base(keyring->secrets_set()),
        secrets_expired_base(keyring->secrets_expired()),
        receive(receive_state ? std::move(receive_state) : std::make_shared<ReceiveState>(keyring->epoch())) {}

  // Housekeeping at the start of every encrypt/decrypt/set call (and from
  // otc_frame_cryptor_expire_secrets): expire retained secrets that are due, and drop receive
  // state derived from secrets the keyring no longer holds.
  void housekeeping() {
    keyring->expire_due();
    if (keyring->epoch() != receive->seen_epoch.load(std::memory_order_acquire)) purge_receive_state();
    if (keyring->epoch() != gate_epoch.load(std::memory_order_acquire)) {
      gate_epoch.store(keyring->epoch(), std::memory_order_release);
      gate.clear();
    }
  }

  void purge_receive_state() {
    // The epoch is read first: a secret dropped after this point bumps it again, so the next call
    // purges once more instead of missing it.
    const std::uint64_t epoch = keyring->epoch();
    std::array<std::uint64_t, otc::kMaxCandidates> held{};
    const std::size_t n = keyring->held_serials(&held);
    receive->table.retain_only(held, n);
    receive->seen_epoch.store(epoch, std::memory_order_release);
  }

  // Changes whenever a secret is set or dropped: cached pending keys are valid for one value.
  std::uint64_t key_generation() const { return keyring->secrets_set() + keyring->epoch(); }

  otc_status encrypt(otc::Bytes metadata, const std::uint8_t* plaintext, std::size_t plaintext_len,
                     std::uint8_t* out, std::size_t out_capacity, std::size_t* out_len);
  otc_status decrypt(otc::Bytes metadata, const std::uint8_t* frame, std::size_t frame_len,
                     std::uint8_t* out, std::size_t out_capacity, std::size_t* out_len);

  const std::shared_ptr<otc::Keyring> keyring;
  const otc::CipherSuite& suite;
  const std::uint64_t secrets_set_base;
  const std::uint64_t secrets_expired_base;

  std::mutex send_mu;
  otc::SenderState sender;

  const std::shared_ptr<ReceiveState> receive;
  otc::NewSenderGate gate;
  std::atomic<std::uint64_t> gate_epoch{0};

  Stats stats;

 private:
  std::optional<otc_status> decrypt_known(const otc::ParsedFrame& frame, otc::Bytes metadata,
                                          std::uint8_t* out);
  otc_status decrypt_new_sender(const otc::ParsedFrame& frame, otc::Bytes metadata,
                                std::uint8_t* out);
  std::shared_ptr<otc::PendingKeys> derive_pending(const otc::ParsedFrame& frame, otc_status* status);
};

otc_status otc_frame_cryptor::encrypt(otc::Bytes metadata, const std::uint8_t* plaintext,
                                      std::size_t plaintext_len, std::uint8_t* out,
                                      std::size_t out_capacity, std::size_t* out_len) {
  housekeeping();
  if (!keyring->has_secret()) {
    bump(stats.secret_missing);
    return OTC_SESSION_ENCRYPTION_SECRET_MISSING;
  }
  const std::size_t overhead = OTC_SFRAME_MAX_HEADER_SIZE + suite.tag_len;
  if (plaintext_len > SIZE_MAX - overhead || out_capacity < plaintext_len + overhead) {
    bump(stats.buffer_too_small);
    return OTC_ERR_BUFFER_TOO_SMALL;
  }
  std::lock_guard lock(send_mu);
  // Rekeying (three HKDFs, no scrypt) runs under send_mu only: encrypts of one cryptor are
  // serialised anyway, and no lock shared with decrypt or other cryptors is held.
  if (!sender.is_current(*keyring)) {
    const otc::MasterRef secret = keyring->current();
    if (!secret || !sender.rekey(*secret, suite)) {
      bump(stats.internal_error);
      return OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR;
    }
  }
  const std::optional<std::uint64_t> ctr = sender.counter().take();
  if (!ctr) return OTC_FRAME_COUNTER_EXHAUSTED;
  if (otc::take_injected_fault(otc::InjectedFault::kEncrypt) ||
      !sender.key().protect(*ctr, metadata, plaintext, plaintext_len, out, out_len)) {
    bump(stats.internal_error);
    return OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR;
  }
  bump(stats.frames_encrypted);
  return OTC_SUCCESS;
}

std::optional<otc_status> otc_frame_cryptor::decrypt_known(const otc::ParsedFrame& frame,
                                                           otc::Bytes metadata, std::uint8_t* out) {
  otc_status status = OTC_ERR_FATAL;
  const bool found = receive->table.with_entry(frame.kid, [&](otc::ReceiveEntry& entry) {
    if (entry.window.is_replay(frame.ctr)) {
      status = OTC_FRAME_REPLAYED;
      return;
    }
    switch (open_frame(*entry.key, frame, metadata, out)) {
      case otc::OpenResult::kOk:
        entry.window.accept(frame.ctr);
        status = OTC_SUCCESS;
        return;
      case otc::OpenResult::kAuthenticationFailed:
        status = OTC_FRAME_AUTHENTICATION_FAILED;
        return;
      case otc::OpenResult::kEngineError:
        status = OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR;
        return;
    }
  });
  if (!found) return std::nullopt;
  return status;
}

std::shared_ptr<otc::PendingKeys> otc_frame_cryptor::derive_pending(const otc::ParsedFrame& frame,
                                                                    otc_status* status) {
  const auto fingerprint = static_cast<std::uint16_t>(frame.kid >> otc::kFingerprintShift);
  auto pending = std::make_shared<otc::PendingKeys>();
  pending->kid = frame.kid;
  pending->generation = key_generation();  // read before the candidates: see key_generation()
  std::array<otc::MasterRef, otc::kMaxCandidates> secrets;
  pending->count = keyring->candidates(fingerprint, &secrets);
  if (pending->count == 0) {
    *status = OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH;
    return nullptr;
  }
  if (!gate.take_token(otc::Clock::now())) {
    bump(stats.new_sender_refused);
    *status = OTC_FRAME_AUTHENTICATION_FAILED;
    return nullptr;
  }
  bump(stats.new_sender_derivations);
  for (std::size_t i = 0; i < pending->count; ++i) {
    otc::SecureBytes<otc::kBaseKeyLen> base_key;
    if (!otc::derive_base_key(secrets[i]->key.data(), frame.kid, suite.id, base_key.data())) {
      *status = OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR;
      return nullptr;
    }
    pending->keys[i] = otc::SframeKey::derive(suite, frame.kid, base_key.data(), otc::kBaseKeyLen);
    if (!pending->keys[i]) {
      *status = OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR;
      return nullptr;
    }
    pending->serials[i] = secrets[i]->serial;
  }
  return pending;
}

otc_status otc_frame_cryptor::decrypt_new_sender(const otc::ParsedFrame& frame, otc::Bytes metadata,
                                                 std::uint8_t* out) {
  const auto fingerprint = static_cast<std::uint16_t>(frame.kid >> otc::kFingerprintShift);
  if (!keyring->has_fingerprint(fingerprint)) return OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH;
  // A KID whose window was dropped (evicted, or its secret expired and was set again): its
  // frames up to the mark were accepted once already, and cost no derivation to refuse.
  if (std::optional<std::uint64_t> mark = receive->table.evicted_mark(frame.kid)) {
    if (frame.ctr <= *mark) return OTC_FRAME_REPLAYED;
  }
  const std::uint64_t epoch_before = keyring->epoch();
  std::shared_ptr<otc::PendingKeys> pending = gate.find(frame.kid, key_generation());
  if (!pending) {
    // Keys are derived before taking any lock: a burst of new (or forged) KIDs must not stall the
    // decryption of senders already admitted.
    otc_status status = OTC_ERR_FATAL;
    pending = derive_pending(frame, &status);
    if (!pending) return status;
  }

  std::lock_guard admit(receive->admit_mu);
  // Another thread (or cryptor of this session) may have admitted this KID while we derived.
  if (std::optional<otc_status> known = decrypt_known(frame, metadata, out)) return *known;
  if (std::optional<std::uint64_t> mark = receive->table.evicted_mark(frame.kid)) {
    if (frame.ctr <= *mark) return OTC_FRAME_REPLAYED;
  }
  std::lock_guard keys_lock(pending->mu);
  for (std::size_t i = 0; i < pending->count; ++i) {
    if (!pending->keys[i]) continue;  // moved into the table by an earlier success
    switch (open_frame(*pending->keys[i], frame, metadata, out)) {
      case otc::OpenResult::kOk: {
        auto entry = std::make_shared<otc::ReceiveEntry>(std::move(pending->keys[i]), pending->serials[i]);
        entry->window.accept(frame.ctr);
        receive->table.insert(frame.kid, std::move(entry));
        gate.forget(frame.kid);
        // The secret may have expired, and this table been purged, while we derived: purge again so
        // that no entry of a dropped secret outlives it.
        if (keyring->epoch() != epoch_before) purge_receive_state();
        return OTC_SUCCESS;
      }
      case otc::OpenResult::kAuthenticationFailed:
        break;
      case otc::OpenResult::kEngineError:
        return OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR;
    }
  }
  gate.remember(std::move(pending));
  return OTC_FRAME_AUTHENTICATION_FAILED;
}

otc_status otc_frame_cryptor::decrypt(otc::Bytes metadata, const std::uint8_t* frame,
                                      std::size_t frame_len, std::uint8_t* out,
                                      std::size_t out_capacity, std::size_t* out_len) {
  housekeeping();
  otc_status status;
  otc::ParsedFrame parsed{};
  bool header_ok = false;
  if (!keyring->has_secret()) {
    status = OTC_SESSION_ENCRYPTION_SECRET_MISSING;
  } else if (!otc::parse_frame(suite, frame, frame_len, &parsed, &header_ok)) {
    status = OTC_FRAME_MALFORMED;
  } else if (out_capacity < parsed.ciphertext_len) {
    status = OTC_ERR_BUFFER_TOO_SMALL;
  } else if (std::optional<otc_status> known = decrypt_known(parsed, metadata, out)) {
    status = *known;
  } else {
    status = decrypt_new_sender(parsed, metadata, out);
  }
  switch (status) {
    case OTC_SUCCESS:
      *out_len = parsed.ciphertext_len;
      bump(stats.frames_decrypted);
      break;
    case OTC_SESSION_ENCRYPTION_SECRET_MISSING:
      bump(stats.secret_missing);
      break;
    case OTC_FRAME_MALFORMED:
      bump(stats.malformed);
      break;
    case OTC_ERR_BUFFER_TOO_SMALL:
      bump(stats.buffer_too_small);
      break;
    case OTC_FRAME_REPLAYED:
      bump(stats.replayed);
      break;
    case OTC_FRAME_AUTHENTICATION_FAILED:
      bump(stats.authentication_failed);
      break;
    case OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH:
      bump(stats.secret_mismatch);
      break;
    default:
      bump(stats.internal_error);
      status = OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR;
      break;
  }
  return status;
}

extern "C" otc_frame_cryptor* otc_frame_cryptor_new(const char* session_id, int cipher_suite) {
  return otc::guarded_or<otc_frame_cryptor*>(nullptr, [&]() -> otc_frame_cryptor* {
    if (!otc::is_valid_session_id(session_id)) return nullptr;
    const otc::CipherSuite* suite =
        otc::find_cipher_suite(cipher_suite == 0 ? OTC_CIPHER_SUITE_DEFAULT : cipher_suite);
    if (suite == nullptr) return nullptr;
    auto keyring = std::make_shared<otc::Keyring>(session_id, *suite,
                                                  OTC_FRAME_CRYPTOR_DEFAULT_GRACE_PERIOD_MS);
    return new otc_frame_cryptor(std::move(keyring), nullptr);
  });
}

extern "C" otc_frame_cryptor* otc_frame_cryptor_new_sharing_keys(const otc_frame_cryptor* other) {
  return otc::guarded_or<otc_frame_cryptor*>(nullptr, [&]() -> otc_frame_cryptor* {
    if (other == nullptr) return nullptr;
    return new otc_frame_cryptor(other->keyring, nullptr);
  });
}

extern "C" otc_frame_cryptor* otc_frame_cryptor_new_sharing_session(const otc_frame_cryptor* other) {
  return otc::guarded_or<otc_frame_cryptor*>(nullptr, [&]() -> otc_frame_cryptor* {
    if (other == nullptr) return nullptr;
    return new otc_frame_cryptor(other->keyring, other->receive);
  });
}

extern "C" otc_status otc_frame_cryptor_expire_secrets(otc_frame_cryptor* cryptor) {
  return otc::guarded([&] {
    if (cryptor == nullptr) return OTC_ERR_INVALID_PARAM;
    cryptor->housekeeping();
    return OTC_SUCCESS;
  });
}

extern "C" otc_status otc_frame_cryptor_delete(otc_frame_cryptor* cryptor) {
  // Sender and receive keys wipe themselves; the keyring (and its master keys) goes with the last
  // cryptor that shares it. NULL: a no-op, as for every *_delete (otc.h).
  delete cryptor;
  return OTC_SUCCESS;
}

extern "C" otc_status otc_frame_cryptor_set_encryption_secret(otc_frame_cryptor* cryptor,
                                                              const uint8_t* secret_utf8,
                                                              size_t secret_len) {
  return otc::guarded([&]() -> otc_status {
    if (cryptor == nullptr) return OTC_ERR_INVALID_PARAM;
    cryptor->housekeeping();
    if (otc_encryption_secret_validate(secret_utf8, secret_len) != OTC_SUCCESS) {
      return OTC_SESSION_INVALID_ENCRYPTION_SECRET;
    }
    // The slow scrypt runs here, with no lock held.
    otc::SecureBytes<otc::kMasterKeyLen> master;
    std::uint16_t fingerprint = 0;
    const std::string& sid = cryptor->keyring->session_id();
    if (!otc::derive_master_key(sid.c_str(), sid.size(), secret_utf8, secret_len, master.data()) ||
        !otc::master_key_fingerprint(master.data(), &fingerprint)) {
      return OTC_ERR_FATAL;
    }
    cryptor->keyring->install(master.data(), fingerprint, otc::Clock::now());
    return OTC_SUCCESS;
  });
}

extern "C" otc_bool otc_frame_cryptor_has_encryption_secret(const otc_frame_cryptor* cryptor) {
  // A getter: no housekeeping (expiring secrets is otc_frame_cryptor_expire_secrets' job).
  if (cryptor == nullptr) return OTC_FALSE;
  return cryptor->keyring->has_secret() ? OTC_TRUE : OTC_FALSE;
}

extern "C" otc_status otc_frame_cryptor_set_grace_period_ms(otc_frame_cryptor* cryptor,
                                                            uint32_t grace_ms) {
  return otc::guarded([&] {
    if (cryptor == nullptr || grace_ms > kMaxGraceMs) return OTC_ERR_INVALID_PARAM;
    cryptor->keyring->set_grace(std::chrono::milliseconds(grace_ms));
    cryptor->housekeeping();
    return OTC_SUCCESS;
  });
}

extern "C" int otc_frame_cryptor_cipher_suite(const otc_frame_cryptor* cryptor) {
  return cryptor != nullptr ? cryptor->suite.id : 0;
}

extern "C" size_t otc_frame_cryptor_max_overhead(const otc_frame_cryptor* cryptor) {
  return cryptor != nullptr ? OTC_SFRAME_MAX_HEADER_SIZE + cryptor->suite.tag_len : 0;
}

extern "C" otc_status otc_frame_cryptor_encrypt(otc_frame_cryptor* cryptor, const uint8_t* metadata,
                                                size_t metadata_len, const uint8_t* plaintext,
                                                size_t plaintext_len, uint8_t* out,
                                                size_t out_capacity, size_t* out_len) {
  const otc_status status = otc::guarded([&]() -> otc_status {
    if (cryptor == nullptr || out == nullptr || out_len == nullptr ||
        !valid_span(metadata, metadata_len) || !valid_span(plaintext, plaintext_len)) {
      return OTC_ERR_INVALID_PARAM;
    }
    return cryptor->encrypt(otc::Bytes{metadata, metadata_len}, plaintext, plaintext_len, out,
                            out_capacity, out_len);
  });
  // Internal failures surface with the publisher's code, as the header documents.
  if (status == OTC_ERR_FATAL || status == OTC_ERR_NO_MEMORY) {
    if (cryptor != nullptr) bump(cryptor->stats.internal_error);
    return OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR;
  }
  return status;
}

extern "C" otc_status otc_frame_cryptor_decrypt(otc_frame_cryptor* cryptor, const uint8_t* metadata,
                                                size_t metadata_len, const uint8_t* frame,
                                                size_t frame_len, uint8_t* out, size_t out_capacity,
                                                size_t* out_len) {
  const otc_status status = otc::guarded([&]() -> otc_status {
    if (cryptor == nullptr || !valid_span(frame, frame_len) || out_len == nullptr ||
        !valid_span(metadata, metadata_len) || !valid_span(out, out_capacity)) {
      return OTC_ERR_INVALID_PARAM;
    }
    return cryptor->decrypt(otc::Bytes{metadata, metadata_len}, frame, frame_len, out,
                            out_capacity, out_len);
  });
  if (status == OTC_ERR_FATAL || status == OTC_ERR_NO_MEMORY) {
    if (cryptor != nullptr) bump(cryptor->stats.internal_error);
    return OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR;
  }
  return status;
}

// Lengths are below 2^63 (valid_span bounds every span), so a length and a negated status share
// one int64_t without overlap.
extern "C" int64_t otc_frame_cryptor_encrypt_raw(otc_frame_cryptor* cryptor, const uint8_t* metadata,
                                                 size_t metadata_len, const uint8_t* plaintext,
                                                 size_t plaintext_len, uint8_t* out, size_t out_capacity) {
  size_t n = 0;
  const otc_status st = otc_frame_cryptor_encrypt(cryptor, metadata, metadata_len, plaintext,
                                                  plaintext_len, out, out_capacity, &n);
  return st == OTC_SUCCESS ? static_cast<int64_t>(n) : -static_cast<int64_t>(st);
}

extern "C" int64_t otc_frame_cryptor_decrypt_raw(otc_frame_cryptor* cryptor, const uint8_t* metadata,
                                                 size_t metadata_len, const uint8_t* frame,
                                                 size_t frame_len, uint8_t* out, size_t out_capacity) {
  size_t n = 0;
  const otc_status st = otc_frame_cryptor_decrypt(cryptor, metadata, metadata_len, frame, frame_len,
                                                  out, out_capacity, &n);
  return st == OTC_SUCCESS ? static_cast<int64_t>(n) : -static_cast<int64_t>(st);
}

extern "C" otc_status otc_frame_cryptor_get_stats(const otc_frame_cryptor* cryptor,
                                                  otc_frame_cryptor_stats* stats) {
  return otc::guarded([&]() -> otc_status {
    // A getter: no housekeeping. Expiries show once a call (or otc_frame_cryptor_expire_secrets)
    // performed them.
    if (cryptor == nullptr || stats == nullptr) return OTC_ERR_INVALID_PARAM;
    otc_frame_cryptor_stats full{};
    const Stats& s = cryptor->stats;
    auto load = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    full.frames_encrypted = load(s.frames_encrypted);
    full.frames_decrypted = load(s.frames_decrypted);
    full.secret_mismatch = load(s.secret_mismatch);
    full.authentication_failed = load(s.authentication_failed);
    full.replayed = load(s.replayed);
    full.malformed = load(s.malformed);
    full.buffer_too_small = load(s.buffer_too_small);
    full.secret_missing = load(s.secret_missing);
    full.internal_error = load(s.internal_error);
    full.new_sender_derivations = load(s.new_sender_derivations);
    full.new_sender_refused = load(s.new_sender_refused);
    // Secret changes and expiries happen on the shared keyring; each cryptor reports those since
    // it was created.
    full.secrets_set = cryptor->keyring->secrets_set() - cryptor->secrets_set_base;
    full.secrets_expired = cryptor->keyring->secrets_expired() - cryptor->secrets_expired_base;
    return otc::fill_sized(full, stats);
  });
}

extern "C" otc_frame_sender otc_frame_cryptor_peek_sender(const otc_frame_cryptor* cryptor,
                                                          const uint8_t* frame, size_t frame_len,
                                                          uint64_t* kid) {
  return otc::guarded_or<otc_frame_sender>(OTC_FRAME_SENDER_MALFORMED, [&] {
    if (cryptor == nullptr || frame == nullptr) return OTC_FRAME_SENDER_MALFORMED;
    otc::ParsedFrame parsed{};
    bool header_ok = false;
    if (!otc::parse_frame(cryptor->suite, frame, frame_len, &parsed, &header_ok)) {
      return OTC_FRAME_SENDER_MALFORMED;
    }
    if (kid != nullptr) *kid = parsed.kid;
    // A shared lock on the receive table only: no window, budget or stats is touched.
    return cryptor->receive->table.contains(parsed.kid) ? OTC_FRAME_SENDER_ADMITTED : OTC_FRAME_SENDER_UNKNOWN;
  });
}
