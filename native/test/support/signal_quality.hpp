// Quality measures for the codec tests: PSNR of a decoded picture against its source, SNR of decoded
// audio against the source signal, and the source tone itself.
#ifndef OTC_TEST_SIGNAL_QUALITY_HPP
#define OTC_TEST_SIGNAL_QUALITY_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

namespace otc_test {

// PSNR in dB over the Y, U and V samples of two I420 pictures of the same size (planes with their
// strides); 99 for identical pictures.
double psnr_i420(int width, int height, const std::uint8_t* const ref[3], const int ref_stride[3],
                 const std::uint8_t* const test[3], const int test_stride[3]);

// `frequency` Hz sine at `amplitude` (of full scale) at 48 kHz, `channels` interleaved (same signal
// in each), `samples` per channel, starting at sample `offset` of the infinite tone.
std::vector<std::int16_t> make_tone(double frequency, double amplitude, int channels, std::size_t samples,
                                    std::size_t offset = 0);

// SNR in dB of `decoded` against `source` (both mono, or one channel picked out by the caller) over
// `length` samples starting at `start` in the source, with the decoded signal delayed by the lag
// in 0..max_lag that fits best (codecs delay their output). `lag` receives that lag.
double snr_aligned(const std::vector<std::int16_t>& source, const std::vector<std::int16_t>& decoded,
                   std::size_t start, std::size_t length, std::size_t max_lag, std::size_t& lag);

}  // namespace otc_test

#endif
