/*
 * A program built against the 0.1 headers (test/abi/v0_1, see README.md), run against the current
 * libotc: the library must honour the struct size the program was compiled with.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "otc/frame_cryptor.h" /* errors.h, sframe.h and config.h come with it */

#define CANARY 0xA5
#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); return 1; } while (0)

/* The program's stats struct followed by bytes the library must never touch. */
typedef struct {
  otc_frame_cryptor_stats stats;
  unsigned char canary[64];
} guarded_stats;

static int canary_intact(const unsigned char* p, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) {
    if (p[i] != CANARY) return 0;
  }
  return 1;
}

int main(void) {
  static const char secret[] = "a secret of at least sixteen bytes";
  static const uint8_t frame[] = "an encoded video frame";
  uint8_t sealed[256], opened[256];
  size_t sealed_len = 0, opened_len = 0;
  guarded_stats g;
  otc_status st;
  otc_frame_cryptor* sender = otc_frame_cryptor_new("abi-test-session", 0);
  otc_frame_cryptor* receiver = otc_frame_cryptor_new("abi-test-session", 0);
  if (sender == NULL || receiver == NULL) FAIL("otc_frame_cryptor_new failed");
  if (otc_frame_cryptor_set_encryption_secret(sender, (const uint8_t*)secret, strlen(secret)) != OTC_SUCCESS ||
      otc_frame_cryptor_set_encryption_secret(receiver, (const uint8_t*)secret, strlen(secret)) != OTC_SUCCESS) {
    FAIL("set_encryption_secret failed");
  }
  st = otc_frame_cryptor_encrypt(sender, NULL, 0, frame, sizeof frame, sealed, sizeof sealed, &sealed_len);
  if (st != OTC_SUCCESS) FAIL("encrypt: %d", (int)st);
  st = otc_frame_cryptor_decrypt(receiver, NULL, 0, sealed, sealed_len, opened, sizeof opened, &opened_len);
  if (st != OTC_SUCCESS || opened_len != sizeof frame || memcmp(opened, frame, sizeof frame) != 0) {
    FAIL("decrypt: %d", (int)st);
  }

  /* 1. The whole 0.1 struct: members filled, nothing past its end written. */
  memset(&g, CANARY, sizeof g);
  g.stats.struct_size = sizeof(otc_frame_cryptor_stats);
  st = otc_frame_cryptor_get_stats(receiver, &g.stats);
  if (st != OTC_SUCCESS) FAIL("get_stats: %d", (int)st);
  if (g.stats.struct_size != sizeof(otc_frame_cryptor_stats)) FAIL("struct_size changed by the library");
  if (g.stats.frames_decrypted != 1 || g.stats.frames_encrypted != 0 || g.stats.secrets_set != 1 ||
      g.stats.authentication_failed != 0 || g.stats.secrets_expired != 0) {
    FAIL("wrong counters: decrypted %llu encrypted %llu secrets_set %llu",
         (unsigned long long)g.stats.frames_decrypted, (unsigned long long)g.stats.frames_encrypted,
         (unsigned long long)g.stats.secrets_set);
  }
  if (!canary_intact(g.canary, sizeof g.canary)) FAIL("the library wrote past the 0.1 struct");

  /* 2. A size that ends inside a member: that member and everything after stay untouched. */
  memset(&g, CANARY, sizeof g);
  g.stats.struct_size = offsetof(otc_frame_cryptor_stats, frames_decrypted) + 3;
  st = otc_frame_cryptor_get_stats(receiver, &g.stats);
  if (st != OTC_SUCCESS) FAIL("get_stats (short): %d", (int)st);
  if (g.stats.frames_encrypted != 0) FAIL("frames_encrypted not filled in the short struct");
  if (!canary_intact((const unsigned char*)&g + offsetof(otc_frame_cryptor_stats, frames_decrypted) + 3,
                     sizeof g - offsetof(otc_frame_cryptor_stats, frames_decrypted) - 3)) {
    FAIL("the library wrote past a short struct_size");
  }

  /* 3. A forgotten initializer is refused, and nothing is written. */
  memset(&g, CANARY, sizeof g);
  g.stats.struct_size = 0;
  st = otc_frame_cryptor_get_stats(receiver, &g.stats);
  if (st != OTC_ERR_INVALID_PARAM) FAIL("struct_size 0: %d, expected OTC_ERR_INVALID_PARAM", (int)st);
  if (!canary_intact((const unsigned char*)&g + sizeof(size_t), sizeof g - sizeof(size_t))) {
    FAIL("the library wrote into a refused struct");
  }

  otc_frame_cryptor_delete(sender);
  otc_frame_cryptor_delete(receiver);
  printf("old-header program: OK (struct of %u bytes)\n", (unsigned)sizeof(otc_frame_cryptor_stats));
  return 0;
}
