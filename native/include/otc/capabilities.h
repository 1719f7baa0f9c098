/* Version and capability queries. */
#ifndef OTC_CAPABILITIES_H
#define OTC_CAPABILITIES_H

#include "config.h"

OTC_BEGIN_DECLS

#define OTC_VERSION_MAJOR 0
#define OTC_VERSION_MINOR 1
#define OTC_VERSION_PATCH 0

/* Version of the frame format and KDF (docs/FORMAT.md). Peers with another number cannot interoperate. */
#define OTC_E2EE_FORMAT_VERSION 1

/* "0.1.0" */
OTC_API const char* otc_version(void);

/*
 * The platform this library was built for, in JavaCPP's naming: "linux-x86_64", "linux-arm64",
 * "windows-x86_64", "macosx-x86_64" or "macosx-arm64" ("unknown" elsewhere). Fixed at compile time.
 */
OTC_API const char* otc_build_platform(void);

/* The version string of the statically linked crypto library, e.g. "OpenSSL 3.0.19 ...". */
OTC_API const char* otc_crypto_library_version(void);

/* OTC_E2EE_FORMAT_VERSION of the library actually loaded. */
OTC_API int otc_e2ee_format_version(void);

/*
 * Whether end-to-end encryption works in this process: the crypto engine initialised and passed its
 * known-answer self test. The first call initialises the library's OpenSSL without reading the
 * host's openssl.cnf (the session client calls it before it creates a TLS context, so that its
 * libssl finds OpenSSL initialised that way). Java: E2ee.isSupported().
 */
OTC_API otc_bool otc_e2ee_is_supported(void);

typedef enum otc_aes_implementation {
  OTC_AES_IMPL_PORTABLE = 0, /* constant-time software AES, no CPU instructions */
  OTC_AES_IMPL_AESNI = 1,    /* AES-NI with PCLMULQDQ (and AVX where present) */
  OTC_AES_IMPL_VAES = 2,     /* AES-NI plus VAES/VPCLMULQDQ vector instructions available to the engine */
  OTC_AES_IMPL_ARMV8_CE = 3  /* ARMv8 Cryptography Extensions: AES and PMULL instructions (arm64) */
} otc_aes_implementation;

/*
 * Which AES implementation the AES-GCM engine in use runs on this CPU (honours OPENSSL_ia32cap and
 * OPENSSL_armcap masks): OTC_AES_IMPL_VAES for ipsec-mb's VAES/AVX-512 code, OTC_AES_IMPL_AESNI for
 * its AVX2/SSE code or OpenSSL with AES-NI, OTC_AES_IMPL_ARMV8_CE for OpenSSL on arm64 with the
 * Cryptography Extensions, OTC_AES_IMPL_PORTABLE for OpenSSL without either.
 */
OTC_API otc_aes_implementation otc_aes_implementation_in_use(void);

/*
 * The AES-GCM engine in use, for diagnosis: "ipsec-mb VAES AVX-512", "ipsec-mb AES-NI AVX2",
 * "ipsec-mb AES-NI SSE" (x86_64 builds with Intel ipsec-mb), "OpenSSL AES-NI", "OpenSSL ARMv8 CE" (arm64) or
 * "OpenSSL portable".
 * The fastest engine this CPU runs is chosen once per process; the environment variable
 * OTC_AES_ENGINE=openssl|sse|avx2|avx512, read at that moment, forces one (ignored when this build
 * or CPU cannot run it). OPENSSL_ia32cap masks apply to every engine. Never NULL; static storage.
 */
OTC_API const char* otc_aes_engine_name(void);

/*
 * Whether this library encodes and decodes `codec` (otc_codec, media.h) itself: VP8, VP9 (libvpx),
 * H.264 (OpenH264) and Opus (libopus) when it was built with media support (the linux-x86_64
 * build), none otherwise. Also tells whether otc_video_frame_convert works (video_frame.h).
 * The encoded-frame path (otc_media_frame) carries any codec either way.
 */
OTC_API otc_bool otc_codec_is_supported(int codec);

/* "portable", "aes-ni", "vaes" or "armv8-ce". */
OTC_API const char* otc_aes_implementation_name(otc_aes_implementation impl);

OTC_END_DECLS

#endif /* OTC_CAPABILITIES_H */
