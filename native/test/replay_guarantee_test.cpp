// The replay guarantee of docs/FORMAT.md sec. 5, per application session: cryptors made with
// otc_frame_cryptor_new_sharing_session (one per subscription) never accept one (KID, CTR) twice,
// across resubscribes, LRU eviction of senders and secrets set, dropped and set again. A
// fixed-seed property test compares every outcome with a reference model (the set of every
// (KID, CTR) ever delivered); scenario tests show each way of losing receive state on its own.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "cryptor_fixture.hpp"

namespace {

using namespace otc_test;

constexpr int kSuite = OTC_CIPHER_SUITE_DEFAULT;

Cryptor subscription(const Cryptor& session) {
  Cryptor c(otc_frame_cryptor_new_sharing_session(session.get()));
  if (!c) throw std::runtime_error("otc_frame_cryptor_new_sharing_session failed");
  return c;
}

struct Sent {
  Bytes frame;
  Bytes plaintext;
};

Sent send(const Cryptor& sender, std::mt19937_64& rng) {
  Bytes plaintext = pattern(24, static_cast<std::uint8_t>(rng()));
  Outcome o = encrypt(sender, plaintext);
  if (o.status != OTC_SUCCESS) throw std::runtime_error("encrypt failed");
  return {std::move(o.data), std::move(plaintext)};
}

// Admits `n` fresh senders through fresh subscriptions (each has its own new-sender budget).
void admit_senders(const Cryptor& session, std::size_t n, std::mt19937_64& rng) {
  std::vector<Cryptor> subs;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % OTC_FRAME_CRYPTOR_NEW_SENDER_BURST == 0) subs.push_back(subscription(session));
    const Cryptor sender = cached(kSuite, 0, kSecretA);
    ASSERT_EQ(decrypt(subs.back(), send(sender, rng).frame).status, OTC_SUCCESS);
  }
}

TEST(ReplayGuarantee, ResubscribingDoesNotForgetWhatWasDelivered) {
  std::mt19937_64 rng(1);
  const Cryptor session = make_cryptor(kSuite, kSecretA);
  const Cryptor sender = cached(kSuite, 0, kSecretA);
  std::vector<Sent> frames;
  for (int i = 0; i < 5; ++i) frames.push_back(send(sender, rng));
  {
    const Cryptor first = subscription(session);
    for (const Sent& f : frames) ASSERT_EQ(decrypt(first, f.frame).status, OTC_SUCCESS);
  }
  // The router replays the recorded stream to a new subscription (or to a late joiner's).
  const Cryptor second = subscription(session);
  for (const Sent& f : frames) EXPECT_EQ(decrypt(second, f.frame).status, OTC_FRAME_REPLAYED);
  EXPECT_EQ(decrypt(second, send(sender, rng).frame).status, OTC_SUCCESS);
}

TEST(ReplayGuarantee, AnEvictedSenderKeepsItsHighWaterMark) {
  std::mt19937_64 rng(2);
  const Cryptor session = make_cryptor(kSuite, kSecretA);
  const Cryptor sub = subscription(session);
  const Cryptor sender = cached(kSuite, 0, kSecretA);
  std::vector<Sent> frames;
  for (int i = 0; i < 10; ++i) frames.push_back(send(sender, rng));
  for (int i = 0; i < 8; ++i) ASSERT_EQ(decrypt(sub, frames[i].frame).status, OTC_SUCCESS);
  // A full table of newer senders pushes this one out.
  admit_senders(session, OTC_FRAME_CRYPTOR_MAX_SENDERS, rng);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(decrypt(sub, frames[i].frame).status, OTC_FRAME_REPLAYED) << i;
  // Above the mark: never delivered, so accepted (and the window starts again from there).
  EXPECT_EQ(decrypt(sub, frames[9].frame).status, OTC_SUCCESS);
  EXPECT_EQ(decrypt(sub, frames[8].frame).status, OTC_SUCCESS);
  EXPECT_EQ(decrypt(sub, frames[9].frame).status, OTC_FRAME_REPLAYED);
  EXPECT_EQ(decrypt(sub, frames[3].frame).status, OTC_FRAME_REPLAYED);
}

TEST(ReplayGuarantee, SettingASecretAgainDoesNotReopenItsOldFrames) {
  std::mt19937_64 rng(3);
  const Cryptor session = make_cryptor(kSuite, kSecretA);
  ASSERT_EQ(otc_frame_cryptor_set_grace_period_ms(session.get(), 0), OTC_SUCCESS);
  const Cryptor sub = subscription(session);
  const Cryptor sender = cached(kSuite, 0, kSecretA);
  std::vector<Sent> frames;
  for (int i = 0; i < 4; ++i) frames.push_back(send(sender, rng));
  for (const Sent& f : frames) ASSERT_EQ(decrypt(sub, f.frame).status, OTC_SUCCESS);
  ASSERT_EQ(set_secret(session, kSecretB), OTC_SUCCESS);  // A dropped at once (grace 0)
  EXPECT_EQ(decrypt(sub, frames[0].frame).status, OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
  ASSERT_EQ(set_secret(session, kSecretA), OTC_SUCCESS);  // A again, as a new secret
  for (const Sent& f : frames) EXPECT_EQ(decrypt(sub, f.frame).status, OTC_FRAME_REPLAYED);
  EXPECT_EQ(decrypt(sub, send(sender, rng).frame).status, OTC_SUCCESS);
}

// The property test: random interleavings of fresh frames, replays of anything ever sent,
// new senders (enough to evict), resubscribes and secret changes (A, B, A again, ...).
TEST(ReplayGuarantee, PropertyNoKidCounterIsEverDeliveredTwice) {
  std::mt19937_64 rng(20261130);
  const Cryptor session = make_cryptor(kSuite, kSecretA);
  ASSERT_EQ(otc_frame_cryptor_set_grace_period_ms(session.get(), 0), OTC_SUCCESS);
  const char* secrets[] = {kSecretA, kSecretB};
  int current = 0;

  std::vector<Cryptor> subs;
  for (int i = 0; i < 4; ++i) subs.push_back(subscription(session));
  std::vector<Cryptor> senders;
  for (int i = 0; i < 16; ++i) senders.push_back(cached(kSuite, 0, secrets[i % 2]));
  std::vector<Sent> sent;

  std::set<std::pair<std::uint64_t, std::uint64_t>> delivered;  // the reference model
  std::set<std::uint64_t> kids_delivered;
  std::size_t replays_refused = 0, resubscribes = 0, resets = 0, new_senders = 0;

  auto deliver = [&](const Sent& s) {
    const Cryptor& sub = subs[rng() % subs.size()];
    const Outcome o = decrypt(sub, s.frame);
    const auto id = std::make_pair(frame_kid(s.frame), frame_ctr(s.frame));
    if (o.status == OTC_SUCCESS) {
      ASSERT_TRUE(delivered.insert(id).second) << "delivered twice: KID " << id.first << " CTR " << id.second;
      ASSERT_EQ(o.data, s.plaintext);
      kids_delivered.insert(id.first);
    } else if (o.status == OTC_FRAME_REPLAYED) {
      ++replays_refused;
    }
  };

  constexpr int kSteps = 60000;
  for (int step = 0; step < kSteps && !HasFatalFailure(); ++step) {
    const unsigned op = static_cast<unsigned>(rng() % 100);
    if (op < 45) {
      sent.push_back(send(senders[rng() % senders.size()], rng));
      deliver(sent.back());
    } else if (op < 85) {
      // Recent frames (inside the windows) and anything ever sent, alike.
      const std::size_t n = sent.size();
      if (n == 0) continue;
      const std::size_t i = (rng() % 2 == 0) ? n - 1 - rng() % std::min<std::size_t>(n, 64) : rng() % n;
      deliver(sent[i]);
    } else if (op < 94) {
      // A new sender: fresh random sender id, under the secret the session has now (mostly).
      senders[rng() % senders.size()] = cached(kSuite, 0, secrets[(rng() % 4 == 0) ? 1 - current : current]);
      ++new_senders;
    } else if (op < 99) {
      subs[rng() % subs.size()] = subscription(session);
      ++resubscribes;
    } else if (rng() % 60 == 0) {
      // Grace 0: the previous secret is dropped at once, with the windows of its senders.
      current = 1 - current;
      ASSERT_EQ(set_secret(session, secrets[current]), OTC_SUCCESS);
      ++resets;
    }
  }
  // The run must have exercised what it claims to.
  EXPECT_GT(kids_delivered.size(), OTC_FRAME_CRYPTOR_MAX_SENDERS + 200u) << "no eviction happened";
  EXPECT_GE(resets, 4u);
  EXPECT_GT(resubscribes, 1000u);
  EXPECT_GT(replays_refused, 1000u);
  EXPECT_GT(delivered.size(), 10000u);
  std::printf("property run: %zu delivered, %zu KIDs, %zu replays refused, %zu new senders, %zu resubscribes, %zu secret changes\n",
              delivered.size(), kids_delivered.size(), replays_refused, new_senders, resubscribes, resets);
}

}  // namespace
