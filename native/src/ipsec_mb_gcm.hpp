// The part of Intel's ipsec-mb (Multi-Buffer Crypto for IPsec) we use: its direct, single-buffer
// AES-GCM functions, one set per instruction-set generation. Only included when the build links
// ipsec-mb (OTC_WITH_IPSEC_MB, x86_64).
//
// We call the per-architecture functions ourselves instead of going through an IMB_MGR: the
// manager's initialisation references every algorithm of every architecture, which would pull
// ~12.7 MB of the static archive into libotc.so; the GCM functions alone add a fraction of that.
#ifndef OTC_SRC_IPSEC_MB_GCM_HPP
#define OTC_SRC_IPSEC_MB_GCM_HPP

#include <cstdint>

// The header aligns struct gcm_key_data to 64 bytes only when LINUX is defined, as it is when the
// library itself is built; the AVX-512 code may use aligned loads on it, so our view must match.
#if defined(__linux__) && !defined(LINUX)
#define LINUX
#endif
#include <intel-ipsec-mb.h>

#if IMB_VERSION_NUM < 0x10300
#error "ipsec-mb 1.3 or later is required (VAES/AVX-512 AES-GCM direct functions)"
#endif

// The VAES/AVX-512 GCM functions are in the 1.3 archive (the manager dispatches to them) but its
// public header does not declare them, unlike the _sse/_avx_gen2/_avx_gen4/_avx512 ones. Same
// signatures as those; an identical redeclaration stays harmless with headers that do declare them.
extern "C" {
void aes_gcm_precomp_128_vaes_avx512(struct gcm_key_data* key_data);
void aes_gcm_precomp_256_vaes_avx512(struct gcm_key_data* key_data);
void aes_gcm_enc_128_vaes_avx512(const struct gcm_key_data* key_data,
                                 struct gcm_context_data* context_data, uint8_t* out,
                                 uint8_t const* in, uint64_t len, const uint8_t* iv,
                                 uint8_t const* aad, uint64_t aad_len, uint8_t* auth_tag,
                                 uint64_t auth_tag_len);
void aes_gcm_enc_256_vaes_avx512(const struct gcm_key_data* key_data,
                                 struct gcm_context_data* context_data, uint8_t* out,
                                 uint8_t const* in, uint64_t len, const uint8_t* iv,
                                 uint8_t const* aad, uint64_t aad_len, uint8_t* auth_tag,
                                 uint64_t auth_tag_len);
void aes_gcm_dec_128_vaes_avx512(const struct gcm_key_data* key_data,
                                 struct gcm_context_data* context_data, uint8_t* out,
                                 uint8_t const* in, uint64_t len, const uint8_t* iv,
                                 uint8_t const* aad, uint64_t aad_len, uint8_t* auth_tag,
                                 uint64_t auth_tag_len);
void aes_gcm_dec_256_vaes_avx512(const struct gcm_key_data* key_data,
                                 struct gcm_context_data* context_data, uint8_t* out,
                                 uint8_t const* in, uint64_t len, const uint8_t* iv,
                                 uint8_t const* aad, uint64_t aad_len, uint8_t* auth_tag,
                                 uint64_t auth_tag_len);
}

namespace otc {

// One architecture's GCM for one key size. enc/dec take a 12-byte IV and write the full tag.
//
// A key is prepared as ipsec-mb's own aes_gcm_pre_* does it: the encryption key schedule into
// key_data->expanded_keys, then the GHASH key powers from it. We do not call aes_gcm_pre_*
// because the one object file defining them all references the GCM code of every architecture
// and key size (AVX gen2, non-VAES AVX-512, AES-192, scatter-gather), ~2.9 MB we never run.
struct IpsecMbGcm {
  using ExpandKey = void (*)(const void* key, void* enc_exp_keys);
  using Precompute = void (*)(struct gcm_key_data* key_data);
  using Crypt = void (*)(const struct gcm_key_data*, struct gcm_context_data*, uint8_t* out,
                         uint8_t const* in, uint64_t len, const uint8_t* iv, uint8_t const* aad,
                         uint64_t aad_len, uint8_t* tag, uint64_t tag_len);
  ExpandKey expand_key;
  Precompute precompute;
  Crypt encrypt;
  Crypt decrypt;
};

}  // namespace otc

#endif
