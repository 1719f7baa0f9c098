/*
 * Machine-dependent JNI definitions for 64-bit Windows, for cross-compiling the JNI library with
 * mingw-w64 against the build host's jni.h (a Linux JDK ships only include/linux/jni_md.h, whose
 * 64-bit jlong is `long`: 32 bits on Windows). Written for this project from the JNI
 * specification's type sizes and the Windows calling convention; part of otc-e2ee, same licence
 * (LICENSE). The types match those of a Windows JDK, so the library links against any of them.
 */
#ifndef _JAVASOFT_JNI_MD_H_
#define _JAVASOFT_JNI_MD_H_

#define JNIEXPORT __declspec(dllexport)
#define JNIIMPORT __declspec(dllimport)
#define JNICALL __stdcall

typedef long jint;       /* 32 bits: long is 32 bits on Windows (LLP64) */
typedef __int64 jlong;   /* 64 bits */
typedef signed char jbyte;

#endif /* !_JAVASOFT_JNI_MD_H_ */
