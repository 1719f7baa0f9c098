package dev.otc.e2ee.sframe;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import dev.otc.e2ee.TestBuild;

/**
 * The test-only C API of native/testing/include/otc/testing/sframe.h and primitives.h, declared by
 * hand for JNA: only the test build of libotc has it ({@link TestBuild}). size_t and uint64_t are
 * longs, a size_t or uint64_t out-parameter a one-element long array.
 */
interface TestingApi extends Library {
  TestingApi LIB = TestBuild.open(TestingApi.class);

  int OTC_SUCCESS = 0;

  // sframe.h
  long otc_sframe_max_overhead(int suite);

  int otc_sframe_header_encode(long kid, long ctr, byte[] out, long capacity, long[] outLen);

  int otc_sframe_header_decode(byte[] in, long inLen, long[] kid, long[] ctr, long[] headerLen);

  Pointer otc_sframe_context_new(int suite);

  int otc_sframe_context_delete(Pointer ctx);

  int otc_sframe_context_add_key(Pointer ctx, long kid, Pointer baseKey, long baseKeyLen);

  int otc_sframe_context_remove_key(Pointer ctx, long kid);

  int otc_sframe_protect(Pointer ctx, long kid, long ctr, byte[] metadata, long metadataLen, byte[] plaintext,
      long plaintextLen, byte[] out, long capacity, long[] outLen);

  int otc_sframe_unprotect(Pointer ctx, byte[] metadata, long metadataLen, byte[] frame, long frameLen, byte[] out,
      long capacity, long[] outLen, long[] kid, long[] ctr);

  // primitives.h
  int otc_hkdf_extract(int hash, Pointer salt, long saltLen, Pointer ikm, long ikmLen, Pointer prk, long prkCapacity,
      long[] prkLen);

  int otc_hkdf_expand(int hash, Pointer prk, long prkLen, Pointer info, long infoLen, Pointer okm, long okmLen);

  int otc_hkdf(int hash, Pointer salt, long saltLen, Pointer ikm, long ikmLen, Pointer info, long infoLen, Pointer okm,
      long okmLen);

  int otc_aead_seal(int suite, Pointer key, long keyLen, Pointer nonce, long nonceLen, Pointer aad, long aadLen,
      Pointer plaintext, long plaintextLen, Pointer out, long capacity, long[] outLen);

  int otc_aead_open(int suite, Pointer key, long keyLen, Pointer nonce, long nonceLen, Pointer aad, long aadLen,
      Pointer ciphertext, long ciphertextLen, Pointer out, long capacity, long[] outLen);

  int otc_e2ee_derive_master_key(byte[] sessionIdNulTerminated, Pointer secret, long secretLen, Pointer master,
      long masterLen);

  int otc_e2ee_master_key_fingerprint(Pointer master, long masterLen, short[] fingerprint);

  int otc_e2ee_derive_base_key(Pointer master, long masterLen, long kid, int suite, Pointer baseKey, long baseKeyLen);

  int otc_sframe_derive_key_and_salt(int suite, long kid, Pointer baseKey, long baseKeyLen, Pointer key,
      long keyCapacity, long[] keyLen, Pointer salt, long saltLen);
}
