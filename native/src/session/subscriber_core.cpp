#include "subscriber_core.hpp"

#include <algorithm>

#include "otc/media.h"
#include "session_core.hpp"

namespace otc::client {

namespace {
// Frames one worker turn decrypts for a subscriber before it yields the worker to other streams.
constexpr int kFramesPerTurn = 8;
// Frames one callback-thread task hands over (to on_frame, the decoders): all that became ready
// while the application's callbacks were busy, at once. With one per task, a decoded picture's
// on_render_frame could get in line between two frames (a slow on_frame, a preempted callback
// thread), and a renderer that is behind would then pace the decoding to its own speed, the
// delay growing until the queue overflowed, instead of costing only pictures. Bounded, so other
// subscribers' callbacks still interleave.
constexpr std::size_t kFramesPerDrain = OTC_SUBSCRIBER_DECODE_MAX_FRAMES;
// Buffers a subscriber keeps for plaintext, so the receive path allocates none in steady state.
constexpr std::size_t kMaxSpareBuffers = 8;
constexpr std::size_t kMaxSpareCapacity = std::size_t{1} << 20;  // larger ones (rare keyframes) are freed
// Distinct not-yet-admitted senders (and malformed frames) waiting for a worker: as many as one
// stream's new-sender burst can derive keys for; more would only be refused by the budget anyway.
constexpr std::size_t kMaxUnknownSlots = OTC_FRAME_CRYPTOR_NEW_SENDER_BURST;
}  // namespace

SubscriberCore::SubscriberCore(const otc_stream& stream, const otc_subscriber_callbacks* callbacks)
    : stream_(stream), callbacks_(*callbacks) {
  spare_.reserve(kMaxSpareBuffers);  // recycle() then never allocates
  unknown_kids_.reserve(kMaxUnknownSlots);
}

SubscriberCore::~SubscriberCore() {
  release_queued();
  otc_frame_cryptor_delete(cryptor_);
}

bool SubscriberCore::attach(const std::shared_ptr<SessionCore>& session, std::shared_ptr<CallbackQueue> queue,
                            bool e2ee, const otc_frame_cryptor* session_cryptor, std::uint32_t hold_ms,
                            std::shared_ptr<MediaBudget> budget, otc_status* status) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (ever_attached_) {
    *status = OTC_ERR_INVALID_STATE;
    return false;
  }
  otc_frame_cryptor* cryptor = nullptr;
  if (e2ee) {
    // Keys and receive state (replay windows, evicted marks) shared with the session, so that no
    // frame is delivered twice to this session, across resubscribes (docs/FORMAT.md sec. 5.1);
    // own stats and new-sender budget per subscribed stream.
    cryptor = otc_frame_cryptor_new_sharing_session(session_cryptor);
    if (!cryptor) {
      *status = OTC_ERR_NO_MEMORY;
      return false;
    }
  }
  ever_attached_ = true;
  attached_ = true;
  e2ee_ = e2ee;
  cryptor_ = cryptor;
  {
    std::lock_guard<std::mutex> qlock(queue_mu_);
    budget_ = std::move(budget);
  }
  live_.store(true);
  session_ = session;
  queue_ = queue;
  if (callbacks_.on_render_frame) make_video_receiver(queue);
  // Set up the callback-thread state before any media task can be posted (media is routed only
  // after the session's map holds this subscriber, which happens after this post).
  queue->post([self = shared_from_this(), queue, hold_ms] {
    self->hold_ = std::make_unique<HoldBuffer>(OTC_SUBSCRIBER_HOLD_MAX_FRAMES, OTC_SUBSCRIBER_HOLD_MAX_BYTES,
                                               std::chrono::milliseconds(hold_ms));
    self->timer_ = std::make_unique<asio::steady_timer>(queue->context());
    if (self->stream_.has_audio) {
      std::weak_ptr<SubscriberCore> weak = self;
      self->audio_ = std::make_shared<AudioReceiver>([weak] {
        if (auto s = weak.lock()) s->update_stats([](otc_subscriber_stats& st) { ++st.audio_frames_decoded; });
      });
    }
    self->active_ = true;
  });
  return true;
}

bool SubscriberCore::is_attached_to(const SessionCore* session) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return attached_ && session_.lock().get() == session;
}

void SubscriberCore::detach(bool notify) {
  std::shared_ptr<CallbackQueue> queue;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!attached_) return;
    attached_ = false;
    live_.store(false);
    queue = std::move(queue_);
    session_.reset();
  }
  queue->post([self = shared_from_this(), queue, notify] {
    self->cleanup_media_state();
    if (!notify || queue->closing()) return;
    self->gate_.invoke([&](otc_subscriber* h) {
      if (self->callbacks_.on_disconnected) self->callbacks_.on_disconnected(h, self->callbacks_.user_data);
    });
  });
}

void SubscriberCore::make_video_receiver(const std::shared_ptr<CallbackQueue>& queue) {
  std::weak_ptr<SubscriberCore> weak = shared_from_this();
  VideoReceiver::Hooks hooks;
  hooks.render = [weak](const otc_video_frame& picture) {
    auto self = weak.lock();
    if (!self || !self->active_ || !self->live_.load() || !self->subscribe_video_.load()) return;
    self->update_stats([](otc_subscriber_stats& s) { ++s.video_frames_rendered; });
    self->gate_.invoke([&](otc_subscriber* h) {
      if (self->callbacks_.on_render_frame) self->callbacks_.on_render_frame(h, self->callbacks_.user_data, &picture);
    });
  };
  hooks.unsupported = [weak](int codec) {
    auto self = weak.lock();
    if (!self) return;
    const char* name = otc_codec_name(codec);
    const std::string msg = "stream " + self->stream_.id + ": this subscriber does not decode " +
                            (name ? std::string(name) : "codec " + std::to_string(codec)) + " video";
    self->gate_.invoke([&](otc_subscriber* h) {
      if (self->callbacks_.on_error) {
        self->callbacks_.on_error(h, self->callbacks_.user_data, msg.c_str(), OTC_SUBSCRIBER_UNSUPPORTED_CODEC);
      }
    });
  };
  hooks.request_keyframe = [weak] {
    if (auto self = weak.lock()) self->request_keyframe();
  };
  hooks.count = [weak](int decoded, int skipped, int errors, std::uint64_t decode_us) {
    if (auto self = weak.lock()) {
      self->update_stats([&](otc_subscriber_stats& s) {
        s.video_frames_decoded += static_cast<std::uint64_t>(decoded);
        s.video_frames_skipped += static_cast<std::uint64_t>(skipped);
        s.video_decode_errors += static_cast<std::uint64_t>(errors);
        s.video_decode_time_us += decode_us;
      });
    }
  };
  hooks.picture_dropped = [weak] {
    if (auto self = weak.lock()) self->update_stats([](otc_subscriber_stats& s) { ++s.video_frames_dropped_render; });
  };
  video_ = std::make_shared<VideoReceiver>(queue, std::move(hooks));
  if (video_codecs_set_) video_->set_codecs(video_codecs_);
}

otc_status SubscriberCore::set_video_codecs(std::vector<int> codecs) {
  for (int c : codecs) {
    if (!otc_codec_is_valid_for(OTC_MEDIA_TYPE_VIDEO, c)) return OTC_ERR_INVALID_PARAM;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (ever_attached_) return OTC_ERR_INVALID_STATE;
  video_codecs_ = std::move(codecs);
  video_codecs_set_ = true;
  return OTC_SUCCESS;
}

void SubscriberCore::cleanup_media_state() {
  if (video_) video_->close();
  if (audio_) {
    audio_->close();
    audio_.reset();
  }
  active_ = false;
  release_queued();
  if (hold_) hold_->clear();
  // The timer belongs to the queue's io_context, which may end before this object does.
  timer_.reset();
  std::vector<std::uint8_t>().swap(scratch_);
}

void SubscriberCore::post_error(const std::shared_ptr<CallbackQueue>& queue, int code, std::string message) {
  if (!queue) return;
  queue->post([self = shared_from_this(), queue, code, message = std::move(message)] {
    if (queue->closing()) return;
    self->gate_.invoke([&](otc_subscriber* h) {
      if (self->callbacks_.on_error) self->callbacks_.on_error(h, self->callbacks_.user_data, message.c_str(), static_cast<otc_subscriber_error_code>(code));
    });
  });
}

void SubscriberCore::post_subscribed() {
  std::shared_ptr<CallbackQueue> queue;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue = queue_;
  }
  if (!queue) return;
  queue->post([self = shared_from_this(), queue] {
    if (queue->closing() || !self->live_.load()) return;
    self->gate_.invoke([&](otc_subscriber* h) {
      if (self->callbacks_.on_connected) self->callbacks_.on_connected(h, self->callbacks_.user_data, &self->stream_);
    });
  });
}

bool SubscriberCore::fits_locked(std::size_t size) const {
  if (queued_frames_ >= OTC_SUBSCRIBER_QUEUE_MAX_FRAMES || queued_bytes_ + size > OTC_SUBSCRIBER_QUEUE_MAX_BYTES) {
    return false;
  }
  return !budget_ || (budget_->frames.load() < OTC_SESSION_QUEUE_MAX_FRAMES &&
                      budget_->bytes.load() + size <= OTC_SESSION_QUEUE_MAX_BYTES);
}

void SubscriberCore::unaccount_locked(std::size_t size) {
  queued_bytes_ -= size;
  queued_frames_ -= 1;
  if (budget_) {
    budget_->bytes -= size;
    budget_->frames -= 1;
  }
}

void SubscriberCore::pop_locked(std::size_t index) {
  unaccount_locked(queued_[index].message.size());
  count_unknown_locked(queued_[index], false);
  queued_.erase(queued_.begin() + static_cast<std::ptrdiff_t>(index));
}

void SubscriberCore::release_queued() {
  std::lock_guard<std::mutex> lock(queue_mu_);
  while (!queued_.empty()) pop_locked(queued_.size() - 1);
  while (!ready_.empty()) {
    unaccount_locked(ready_.back().message.size());
    ready_.pop_back();
  }
  spare_.clear();
}

void SubscriberCore::post_media(std::vector<std::uint8_t> message, wire::MediaFrame header) {
  std::shared_ptr<CallbackQueue> queue;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue = queue_;
  }
  if (!queue) return;
  const std::size_t size = message.size();
  const bool video = header.media == OTC_MEDIA_TYPE_VIDEO;
  const bool keyframe = (header.flags & wire::kFlagKeyframe) != 0;
  std::uint64_t dropped = 0;
  bool ask_keyframe = false;
  bool submit = false;
  std::size_t queued_now = 0;
  const auto arrival = std::chrono::steady_clock::now();
  // Frames of senders the session has not admitted yet are kept apart (a cheap header lookup):
  // at most kMaxUnknownQueued of them wait, and dropping one never starts a video drop episode,
  // so forged sender ids cannot push genuine frames out (docs/SECURITY.md).
  Queued q{{}, {}, arrival, Queued::Sender::kAdmitted, 0};
  if (e2ee_ && (header.flags & wire::kFlagEncrypted) != 0) {
    switch (otc_frame_cryptor_peek_sender(cryptor_, message.data() + header.payload_offset, header.payload_len,
                                          &q.kid)) {
      case OTC_FRAME_SENDER_ADMITTED:
        break;
      case OTC_FRAME_SENDER_UNKNOWN:
        q.sender = Queued::Sender::kUnknown;
        break;
      case OTC_FRAME_SENDER_MALFORMED:
        q.sender = Queued::Sender::kMalformed;
        break;
    }
  }
  const bool unknown_sender = q.sender != Queued::Sender::kAdmitted;
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    bool accept = true;
    if (unknown_sender) {
      accept = unknown_fits_locked(q) && fits_locked(size);
    } else if (video) {
      // Deltas after a dropped video frame would not decode: drop until a keyframe fits.
      if (video_until_keyframe_ && !keyframe) {
        accept = false;
      } else if (!fits_locked(size)) {
        accept = false;
        ask_keyframe = !video_until_keyframe_;
        video_until_keyframe_ = true;
      } else {
        video_until_keyframe_ = false;
      }
    } else {
      // Audio: the oldest queued audio goes first.
      for (std::size_t i = 0; i < queued_.size() && !fits_locked(size);) {
        if (queued_[i].header.media == OTC_MEDIA_TYPE_AUDIO) {
          pop_locked(i);
          ++dropped;
        } else {
          ++i;
        }
      }
      accept = fits_locked(size);
    }
    if (accept) {
      queued_bytes_ += size;
      queued_frames_ += 1;
      if (budget_) {
        budget_->bytes += size;
        budget_->frames += 1;
      }
      count_unknown_locked(q, true);
      q.message = std::move(message);
      q.header = std::move(header);
      queued_.push_back(std::move(q));
      submit = !decrypt_scheduled_;
      decrypt_scheduled_ = true;
    } else {
      ++dropped;
    }
    queued_now = queued_bytes_;
  }
  update_stats([dropped, queued_now](otc_subscriber_stats& s) {
    if (dropped) {
      s.frames_received += dropped;  // dropped frames were received all the same
      s.frames_dropped_queue += dropped;
    }
    if (queued_now > s.queued_bytes_max) s.queued_bytes_max = queued_now;
  });
  if (ask_keyframe) request_keyframe();
  if (submit) submit_decrypt();
}

bool SubscriberCore::unknown_fits_locked(const Queued& q) const {
  if (q.sender == Queued::Sender::kUnknown) {
    for (const auto& slot : unknown_kids_) {
      if (slot.first == q.kid) return true;  // a sender already waiting: one derivation for all
    }
  }
  return unknown_kids_.size() + malformed_queued_ < kMaxUnknownSlots;
}

void SubscriberCore::count_unknown_locked(const Queued& q, bool add) {
  if (q.sender == Queued::Sender::kMalformed) {
    malformed_queued_ = add ? malformed_queued_ + 1 : malformed_queued_ - 1;
    return;
  }
  if (q.sender != Queued::Sender::kUnknown) return;
  for (std::size_t i = 0; i < unknown_kids_.size(); ++i) {
    if (unknown_kids_[i].first != q.kid) continue;
    if (add) {
      ++unknown_kids_[i].second;
    } else if (--unknown_kids_[i].second == 0) {
      unknown_kids_[i] = unknown_kids_.back();
      unknown_kids_.pop_back();
    }
    return;
  }
  if (add) unknown_kids_.emplace_back(q.kid, 1);
}

std::vector<std::uint8_t> SubscriberCore::take_spare_locked() {
  if (spare_.empty()) return {};
  std::vector<std::uint8_t> b = std::move(spare_.back());
  spare_.pop_back();
  return b;
}

void SubscriberCore::recycle(std::vector<std::uint8_t> a, std::vector<std::uint8_t> b) {
  std::lock_guard<std::mutex> lock(queue_mu_);
  if (!live_.load()) return;  // release_queued() dropped the spares: keep none after detach
  for (std::vector<std::uint8_t>* v : {&a, &b}) {
    if (v->capacity() && v->capacity() <= kMaxSpareCapacity && spare_.size() < kMaxSpareBuffers) {
      spare_.push_back(std::move(*v));
    }
  }
}

void SubscriberCore::run_decrypt() {
  std::shared_ptr<CallbackQueue> queue;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue = queue_;
  }
  for (int n = 0; n < kFramesPerTurn; ++n) {
    Queued q;
    std::vector<std::uint8_t> plain;
    {
      std::lock_guard<std::mutex> lock(queue_mu_);
      if (queued_.empty()) {
        decrypt_scheduled_ = false;
        return;
      }
      q = std::move(queued_.front());
      queued_.pop_front();
      count_unknown_locked(q, false);
      plain = take_spare_locked();
    }
    const std::size_t size = q.message.size();
    // Out of memory on this path loses the frame (counted as failed_internal), never the
    // subscriber: the accounting and the scheduling flags stay consistent.
    Ready r;
    try {
      if (queue) r = process(std::move(q), std::move(plain));
    } catch (...) {
      r = Ready{};
      update_stats([](otc_subscriber_stats& st) { ++st.failed_internal; });
    }
    const bool decrypted = r.kind == Ready::Kind::kDecrypted;
    bool post = false;
    {
      std::lock_guard<std::mutex> lock(queue_mu_);
      bool queued = false;
      if (r.kind != Ready::Kind::kNone && live_.load()) {
        try {
          ready_.push_back(std::move(r));
          queued = true;
        } catch (...) {
        }
      }
      if (!queued) {
        // Refused here (or the subscription ended): it never waits for the callback thread.
        unaccount_locked(size);
        r.kind = Ready::Kind::kNone;
      } else {
        post = !drain_posted_;
        drain_posted_ = true;
      }
      // Counted here, under queue_mu_ (stats_mutex_ is a leaf lock): a decrypted frame is in
      // ready_ before the count shows it, so it is never delivered before it was counted.
      if (decrypted) update_stats([](otc_subscriber_stats& s) { ++s.frames_decrypted; });
    }
    if (r.kind == Ready::Kind::kNone) recycle(std::move(r.message), std::move(r.plain));
    if (post) {
      try {
        queue->post([self = shared_from_this()] { self->drain_ready(); });
      } catch (...) {
        std::lock_guard<std::mutex> lock(queue_mu_);
        drain_posted_ = false;  // the next frame posts again
      }
    }
  }
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    if (queued_.empty()) {
      decrypt_scheduled_ = false;
      return;
    }
  }
  // More frames wait: back of the pool's line, so other streams get their turn.
  submit_decrypt();
}

void SubscriberCore::submit_decrypt() {
  try {
    DecryptPool::instance().submit(shared_from_this());
  } catch (...) {
    // Out of memory: not scheduled; the next frame that arrives submits again.
    std::lock_guard<std::mutex> lock(queue_mu_);
    decrypt_scheduled_ = false;
  }
}

SubscriberCore::Ready SubscriberCore::process(Queued q, std::vector<std::uint8_t> plain) {
  Ready r;
  r.plain = std::move(plain);
  if (!live_.load()) {
    r.message = std::move(q.message);
    return r;
  }
  update_stats([](otc_subscriber_stats& s) { ++s.frames_received; });
  const wire::MediaFrame& h = q.header;
  const bool encrypted = (h.flags & wire::kFlagEncrypted) != 0;
  r.header = std::move(q.header);
  r.arrival = q.arrival;
  r.message = std::move(q.message);
  if (!e2ee_ && !encrypted && must_encrypt()) {
    // The router called the session plain, but this client holds a secret (or requires E2EE):
    // an unencrypted frame is never delivered (the session is being disconnected).
    update_stats([](otc_subscriber_stats& s) { ++s.failed_unencrypted; });
    return r;
  }
  if (!e2ee_) {
    if (encrypted) {
      // Nothing in a non-E2EE session can decrypt it; delivering ciphertext would be garbage.
      update_stats([](otc_subscriber_stats& s) { ++s.failed_malformed; });
      return r;
    }
    r.kind = Ready::Kind::kPlain;
    return r;
  }
  if (!encrypted) {
    // An E2EE session never delivers a frame that was not end-to-end encrypted.
    update_stats([](otc_subscriber_stats& s) { ++s.failed_unencrypted; });
    return r;
  }
  const wire::MediaFrame& hh = r.header;
  const std::size_t need = std::max<std::size_t>(hh.payload_len, 1);
  if (r.plain.size() < need) r.plain.resize(need);
  std::size_t out_len = 0;
  const otc_status st = otc_frame_cryptor_decrypt(
      cryptor_, r.message.data() + hh.metadata_offset, hh.payload_offset - hh.metadata_offset,
      r.message.data() + hh.payload_offset, hh.payload_len, r.plain.data(), r.plain.size(), &out_len);
  switch (st) {
    case OTC_SUCCESS:
      r.kind = Ready::Kind::kDecrypted;  // counted in frames_decrypted by run_decrypt, once queued
      r.plain_len = out_len;
      break;
    case OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH:
    case OTC_SESSION_ENCRYPTION_SECRET_MISSING:
      // The hold buffer (callback thread) decides: retried when the secret changes.
      r.kind = Ready::Kind::kHeld;
      break;
    default:
      if (count_refused(st)) r.kind = Ready::Kind::kInternalError;
      break;
  }
  return r;
}

bool SubscriberCore::count_refused(otc_status st) {
  switch (st) {
    case OTC_FRAME_AUTHENTICATION_FAILED:
      update_stats([](otc_subscriber_stats& s) { ++s.failed_authentication; });
      return false;
    case OTC_FRAME_REPLAYED:
      update_stats([](otc_subscriber_stats& s) { ++s.failed_replayed; });
      return false;
    case OTC_FRAME_MALFORMED:
      update_stats([](otc_subscriber_stats& s) { ++s.failed_malformed; });
      return false;
    default:
      update_stats([](otc_subscriber_stats& s) { ++s.failed_internal; });
      return true;
  }
}

void SubscriberCore::drain_ready() {
  for (std::size_t n = 0; n < kFramesPerDrain; ++n) {
    Ready next;
    {
      std::lock_guard<std::mutex> lock(queue_mu_);
      if (ready_.empty()) {
        drain_posted_ = false;  // the next frame made ready posts a new task
        return;
      }
      next = std::move(ready_.front());
      ready_.pop_front();
      unaccount_locked(next.message.size());
    }
    handle_ready(std::move(next));
  }
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    if (ready_.empty()) {
      drain_posted_ = false;
      return;
    }
  }
  std::shared_ptr<CallbackQueue> queue;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue = queue_;
  }
  if (queue) {
    queue->post([self = shared_from_this()] { self->drain_ready(); });
  } else {
    release_queued();
  }
}

void SubscriberCore::handle_ready(Ready r) {
  if (!active_ || !live_.load()) return;
  switch (r.kind) {
    case Ready::Kind::kPlain:
      deliver(r.header, r.message.data() + r.header.payload_offset, r.header.payload_len);
      break;
    case Ready::Kind::kDecrypted:
      if (!hold_->empty()) {
        // Frames held before it go first (arrival order): it waits behind them, decrypted.
        HeldFrame f{std::move(r.message), std::move(r.header), r.arrival, false, true, std::move(r.plain),
                    r.plain_len};
        hold_->push(std::move(f));
        drain();
        return;
      }
      in_internal_error_ = false;
      if (in_mismatch_ && !report_match()) return;
      if (!deliver(r.header, r.plain.data(), r.plain_len)) return;
      break;
    case Ready::Kind::kHeld:
      hold_->push(HeldFrame{std::move(r.message), std::move(r.header), r.arrival, false, false, {}, 0});
      drain();
      return;
    case Ready::Kind::kInternalError:
      report_internal_error();
      break;
    case Ready::Kind::kNone:
      break;
  }
  recycle(std::move(r.message), std::move(r.plain));
}

void SubscriberCore::report_internal_error() {
  if (in_internal_error_) return;
  in_internal_error_ = true;
  gate_.invoke([&](otc_subscriber* hnd) {
    if (callbacks_.on_error) {
      const std::string msg = "decrypting a frame of stream " + stream_.id + " failed in the crypto engine";
      callbacks_.on_error(hnd, callbacks_.user_data, msg.c_str(), OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR);
    }
  });
}

void SubscriberCore::post_secret_changed() {
  std::shared_ptr<CallbackQueue> queue;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue = queue_;
  }
  if (!queue) return;
  queue->post([self = shared_from_this()] {
    if (self->active_ && self->live_.load()) self->drain();
  });
}

template <typename Fn>
void SubscriberCore::update_stats(Fn fn) {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  fn(stats_);
}

void SubscriberCore::get_stats(otc_subscriber_stats* out) const {
  {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    *out = stats_;
  }
  // The new-sender budget is this subscriber's cryptor's (set once at attach, deleted with us).
  const otc_frame_cryptor* cryptor;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cryptor = cryptor_;
  }
  otc_frame_cryptor_stats cs = OTC_FRAME_CRYPTOR_STATS_INIT;
  if (cryptor && otc_frame_cryptor_get_stats(cryptor, &cs) == OTC_SUCCESS) {
    out->new_sender_derivations = cs.new_sender_derivations;
    out->new_sender_refused = cs.new_sender_refused;
  }
}

bool SubscriberCore::must_encrypt() const {
  std::shared_ptr<SessionCore> session;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    session = session_.lock();
  }
  return session && session->must_encrypt();
}

std::shared_ptr<SessionCore> SubscriberCore::session() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return attached_ ? session_.lock() : nullptr;
}

otc_status SubscriberCore::request_keyframe() {
  std::shared_ptr<SessionCore> session;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (attached_) session = session_.lock();
  }
  if (!session) return OTC_ERR_INVALID_STATE;
  session->request_keyframe(stream_.id);
  update_stats([](otc_subscriber_stats& s) { ++s.keyframe_requests_sent; });
  return OTC_SUCCESS;
}

void SubscriberCore::drain() {
  const auto now = std::chrono::steady_clock::now();
  while (active_ && live_.load() && !hold_->empty()) {
    HeldFrame& f = hold_->front();
    if (f.decrypted) {
      HeldFrame done = hold_->pop();
      in_internal_error_ = false;
      if (in_mismatch_ && !report_match()) return;
      if (!deliver(done.header, done.plain.data(), done.plain_len)) return;
      continue;
    }
    const wire::MediaFrame& h = f.header;
    if (scratch_.size() < std::max<std::size_t>(h.payload_len, 1)) scratch_.resize(std::max<std::size_t>(h.payload_len, 1));
    std::size_t out_len = 0;
    const otc_status st = otc_frame_cryptor_decrypt(
        cryptor_, f.message.data() + h.metadata_offset, h.payload_offset - h.metadata_offset,
        f.message.data() + h.payload_offset, h.payload_len, scratch_.data(), scratch_.size(), &out_len);
    if (st == OTC_SUCCESS) {
      HeldFrame done = hold_->pop();
      const bool recovered = done.counted_as_held;
      update_stats([recovered](otc_subscriber_stats& s) {
        ++s.frames_decrypted;
        if (recovered) ++s.frames_recovered;
      });
      in_internal_error_ = false;
      if (in_mismatch_ && !report_match()) return;
      if (!deliver(done.header, scratch_.data(), out_len)) return;
      continue;
    }
    if (st == OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH || st == OTC_SESSION_ENCRYPTION_SECRET_MISSING) {
      if (!hold_->head_must_go(now)) {
        if (!f.counted_as_held) {
          f.counted_as_held = true;
          update_stats([](otc_subscriber_stats& s) { ++s.frames_held; });
        }
        break;
      }
      hold_->pop();
      update_stats([](otc_subscriber_stats& s) { ++s.failed_secret_mismatch; });
      report_mismatch();
      continue;
    }
    hold_->pop();
    if (count_refused(st)) report_internal_error();
  }
  arm_timer();
}

void SubscriberCore::arm_timer() {
  if (!timer_ || !active_ || !live_.load()) return;
  if (hold_->empty()) {
    timer_->cancel();
    return;
  }
  timer_->expires_at(hold_->head_deadline());
  timer_->async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (ec || !self->active_ || !self->live_.load()) return;
    self->drain();
  });
}

bool SubscriberCore::deliver(const wire::MediaFrame& h, const std::uint8_t* data, std::size_t size) {
  otc_media_frame f{};
  f.media_type = h.media;
  f.codec = h.codec;
  f.keyframe = (h.flags & wire::kFlagKeyframe) ? OTC_TRUE : OTC_FALSE;
  f.timestamp_us = h.timestamp_us;
  f.sequence = h.sequence;
  f.spatial_layer = h.spatial_layer;
  f.temporal_layer = h.temporal_layer;
  f.data = data;
  f.size = size;
  update_stats([](otc_subscriber_stats& s) { ++s.frames_delivered; });
  gate_.invoke([&](otc_subscriber* hnd) {
    if (callbacks_.on_frame) callbacks_.on_frame(hnd, callbacks_.user_data, &f);
  });
  if (!active_ || !live_.load()) return false;
  if (video_) video_->push(h, data, size, subscribe_video_.load());
  if (audio_ && h.media == OTC_MEDIA_TYPE_AUDIO && h.codec == OTC_CODEC_OPUS && subscribe_audio_.load()) {
    audio_->push(data, size);
  }
  return active_ && live_.load();
}

void SubscriberCore::report_mismatch() {
  if (in_mismatch_) return;
  in_mismatch_ = true;
  update_stats([](otc_subscriber_stats& s) { ++s.mismatch_events; });
  gate_.invoke([&](otc_subscriber* hnd) {
    if (callbacks_.on_error) {
      const std::string msg = "stream " + stream_.id +
                              ": frames are encrypted with a secret this subscriber does not hold";
      callbacks_.on_error(hnd, callbacks_.user_data, msg.c_str(), OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
    }
  });
}

bool SubscriberCore::report_match() {
  in_mismatch_ = false;
  update_stats([](otc_subscriber_stats& s) { ++s.match_events; });
  gate_.invoke([&](otc_subscriber* hnd) {
    if (callbacks_.on_encryption_secret_match) callbacks_.on_encryption_secret_match(hnd, callbacks_.user_data);
  });
  // Video decoding resumes only at a keyframe: ask for one now rather than wait for the next.
  if (request_keyframe() != OTC_SUCCESS) return false;
  return active_ && live_.load();
}

}  // namespace otc::client
