// Internal: helpers for the hot loops of the descriptors.
//
// fastExp: exp(x) within 2 ulp of the correctly rounded value (checked against std::exp in
// native/tests), written so that loops over arrays vectorise (no calls, no branches once
// compiled with -fno-trapping-math): x = n ln2 + r with |r| <= ln2/2, exp(r) by its Taylor series
// to r^13 (truncation < 1e-17 relative) summed by Estrin's scheme, 2^n assembled in the exponent
// bits. Results below 1e-307 (x < −707) are returned as 0 rather than as subnormals; x > 709.78
// gives +inf; NaN gives NaN.
//
// POLYMORPH_CLONES: compiles a hot function twice, for x86-64-v3 (AVX2 + FMA) and for the
// baseline, and lets the dynamic loader pick the one this processor runs (GCC function
// multiversioning, glibc ifunc). Only the function and what is inlined into it get the wider
// instructions, so a machine without AVX2 never executes one. Defined empty elsewhere (other
// compilers and platforms, or -DPOLYMORPH_NO_CLONES).
#pragma once
#include <cstdint>
#include <cstring>
#include <limits>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__) && \
    !defined(POLYMORPH_NO_CLONES)
#define POLYMORPH_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define POLYMORPH_CLONES
#endif

#if defined(__GNUC__)
#define POLYMORPH_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define POLYMORPH_ALWAYS_INLINE inline
#endif

namespace polymorph {

POLYMORPH_ALWAYS_INLINE double fastExp(double x) {
  constexpr double invLn2 = 1.4426950408889634074;
  constexpr double ln2Hi = 6.93147180369123816490e-01;  // n·ln2Hi is exact for |n| < 2^11
  constexpr double ln2Lo = 1.90821492927058770002e-10;
  constexpr double shifter = 6755399441055744.0;  // 1.5·2^52: adding it rounds to an integer
  constexpr double lowest = -707.0, highest = 709.782712893384;
  // Outside [lowest, highest] the arithmetic below is meaningless and its result is replaced.
  const double kd = x * invLn2 + shifter;
  const double n = kd - shifter;
  const double r = (x - n * ln2Hi) - n * ln2Lo;
  const double r2 = r * r, r4 = r2 * r2;
  const double a01 = 1.0 + r, a23 = 0.5 + r * (1.0 / 6.0), a45 = 1.0 / 24.0 + r * (1.0 / 120.0);
  const double a67 = 1.0 / 720.0 + r * (1.0 / 5040.0), a89 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
  const double a1011 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
  const double a1213 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
  const double b0 = a01 + r2 * a23, b1 = a45 + r2 * a67, b2 = a89 + r2 * a1011;
  const double p = b0 + r4 * (b1 + r4 * (b2 + r4 * a1213));
  std::uint64_t bits;
  std::memcpy(&bits, &kd, sizeof bits);  // the low bits of kd hold n (two's complement)
  bits = (bits + 1022) << 52;            // 2^(n−1): n reaches 1024 at the top of the range
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  const double result = 2.0 * (p * scale);
  const double low = x < lowest ? 0.0 : result;
  return x > highest ? std::numeric_limits<double>::infinity() : low;
}

}  // namespace polymorph
