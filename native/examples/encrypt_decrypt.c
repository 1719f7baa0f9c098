/* Encrypts one frame with one cryptor and decrypts it with another that holds the same secret. */
#include <otc/otc.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  const char* secret = "correct horse battery staple";
  const char* frame = "an encoded video frame";
  uint8_t encrypted[256];
  uint8_t decrypted[256];
  size_t encrypted_len = 0;
  size_t decrypted_len = 0;

  if (otc_encryption_secret_validate((const uint8_t*)secret, strlen(secret)) != OTC_SUCCESS) return 1;

  /* Every participant uses the same session id: it salts the key derivation. */
  otc_frame_cryptor* sender = otc_frame_cryptor_new("session-1", 0);
  otc_frame_cryptor* receiver = otc_frame_cryptor_new("session-1", 0);
  if (sender == NULL || receiver == NULL) return 1;
  /* Results are OTC_MUST_USE: a refused secret would otherwise go unnoticed until decrypt fails. */
  if (otc_frame_cryptor_set_encryption_secret(sender, (const uint8_t*)secret, strlen(secret)) != OTC_SUCCESS ||
      otc_frame_cryptor_set_encryption_secret(receiver, (const uint8_t*)secret, strlen(secret)) != OTC_SUCCESS) {
    return 1;
  }

  otc_status st = otc_frame_cryptor_encrypt(sender, NULL, 0, (const uint8_t*)frame, strlen(frame),
                                            encrypted, sizeof encrypted, &encrypted_len);
  printf("encrypt: %s, %zu -> %zu bytes\n", otc_error_name(st), strlen(frame), encrypted_len);

  st = otc_frame_cryptor_decrypt(receiver, NULL, 0, encrypted, encrypted_len,
                                 decrypted, sizeof decrypted, &decrypted_len);
  printf("decrypt: %s, %zu bytes: %.*s\n", otc_error_name(st), decrypted_len,
         (int)decrypted_len, (const char*)decrypted);

  otc_frame_cryptor_delete(sender);
  otc_frame_cryptor_delete(receiver);
  return st == OTC_SUCCESS ? 0 : 1;
}
