// Native per-frame cost of encrypt and decrypt through the C API (default suite), for the sizes
// a video call produces. Not a test: run by hand, numbers go to docs, never asserted.
//
//   otc_bench [frames-per-round] [rounds] [cipher-suite] [working-set-KiB]
//
// Each size is measured in several rounds and the fastest round is reported: on a shared machine
// the minimum is the figure least disturbed by other processes. The AES-GCM engine is the one the
// library picks (OTC_AES_ENGINE=openssl|sse|avx2|avx512 forces one). cipher-suite defaults to
// the library's default (AES_256_GCM_SHA512_128). working-set-KiB caps the encrypted frames kept
// per round (default 65536, 64 MiB: larger frames then stream through memory; a cap that fits
// the caches, e.g. 1024, measures the crypto with its data in cache, as for a frame that was just
// produced or received).
#include <otc/otc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ns_per_frame(Clock::duration elapsed, std::size_t frames) {
  return std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(frames);
}

}  // namespace

int main(int argc, char** argv) {
  const long frames_arg = argc > 1 ? std::atol(argv[1]) : 20000;
  const long rounds = argc > 2 ? std::atol(argv[2]) : 5;
  const int suite = argc > 3 ? std::atoi(argv[3]) : 0;
  const long working_set_kib = argc > 4 ? std::atol(argv[4]) : 65536;
  if (frames_arg <= 0 || rounds <= 0 || suite < 0 || working_set_kib <= 0) {
    std::fprintf(stderr,
                 "usage: otc_bench [frames-per-round > 0] [rounds > 0] [cipher-suite, 0 = default] "
                 "[working-set-KiB > 0]\n");
    return 2;
  }
  const char secret[] = "benchmark secret 0123456789";
  const auto* secret_bytes = reinterpret_cast<const std::uint8_t*>(secret);
  otc_frame_cryptor* sender = otc_frame_cryptor_new("bench-session", suite);
  otc_frame_cryptor* receiver = otc_frame_cryptor_new("bench-session", suite);
  if (sender == nullptr || receiver == nullptr ||
      otc_frame_cryptor_set_encryption_secret(sender, secret_bytes, sizeof secret - 1) != OTC_SUCCESS ||
      otc_frame_cryptor_set_encryption_secret(receiver, secret_bytes, sizeof secret - 1) != OTC_SUCCESS) {
    std::fprintf(stderr, "setup failed\n");
    return 1;
  }
  std::printf("%s, AES-GCM engine: %s, suite %s, best of %ld rounds, working set %ld KiB\n",
              otc_crypto_library_version(), otc_aes_engine_name(),
              otc_cipher_suite_name(otc_frame_cryptor_cipher_suite(sender)), rounds, working_set_kib);
  std::printf("%10s %8s %12s %12s %10s\n", "bytes", "frames", "encrypt ns", "decrypt ns", "enc MB/s");

  const std::uint8_t metadata[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  const std::size_t overhead = otc_frame_cryptor_max_overhead(sender);
  for (std::size_t size : {std::size_t{100}, std::size_t{1200}, std::size_t{10240}, std::size_t{102400}}) {
    // Frames are encrypted into distinct buffers so that the decrypt loop can replay them in order
    // (each frame has its own counter: replay protection refuses a repeated one). The buffers are
    // capped at the working set per size (at least one frame).
    const std::size_t cap = std::max<std::size_t>(1, (static_cast<std::size_t>(working_set_kib) << 10) / size);
    const std::size_t n = std::min(static_cast<std::size_t>(frames_arg), cap);
    const std::vector<std::uint8_t> plain(size, 0xA5);
    std::vector<std::uint8_t> frames(n * (size + overhead));
    std::vector<std::size_t> frame_lens(n);
    std::vector<std::uint8_t> out(size + overhead);
    double best_enc = 1e300, best_dec = 1e300;
    for (long r = 0; r < rounds; ++r) {
      const auto enc_start = Clock::now();
      for (std::size_t i = 0; i < n; ++i) {
        if (otc_frame_cryptor_encrypt(sender, metadata, sizeof metadata, plain.data(), size,
                                      frames.data() + i * (size + overhead), size + overhead,
                                      &frame_lens[i]) != OTC_SUCCESS) {
          std::fprintf(stderr, "encrypt failed\n");
          return 1;
        }
      }
      const auto enc_end = Clock::now();
      std::size_t out_len = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (otc_frame_cryptor_decrypt(receiver, metadata, sizeof metadata, frames.data() + i * (size + overhead),
                                      frame_lens[i], out.data(), out.size(), &out_len) != OTC_SUCCESS ||
            out_len != size) {
          std::fprintf(stderr, "decrypt failed\n");
          return 1;
        }
      }
      const auto dec_end = Clock::now();
      best_enc = std::min(best_enc, ns_per_frame(enc_end - enc_start, n));
      best_dec = std::min(best_dec, ns_per_frame(dec_end - enc_end, n));
    }
    std::printf("%10zu %8zu %12.0f %12.0f %10.0f\n", size, n, best_enc, best_dec,
                static_cast<double>(size) * 1e3 / best_enc);
  }
  otc_frame_cryptor_delete(sender);
  otc_frame_cryptor_delete(receiver);
  return 0;
}
