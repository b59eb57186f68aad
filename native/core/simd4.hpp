// Internal: four doubles as one value for the hand-blocked kernels of the Gaussian mixture and
// k-means (GCC/Clang vector extensions: one AVX register in an x86-64-v3 clone, two SSE2
// registers in the baseline; plain arrays with other compilers). Lanes are always combined in the
// same order, so results do not depend on the instructions chosen. Include only in .cpp files.
#pragma once
#include <cstddef>
#include <vector>

#include "core/fast_math.hpp"

namespace polymorph::simd4 {

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wpsabi"  // Vec never crosses a call: every function taking one is always inlined
typedef double Vec __attribute__((vector_size(32)));
typedef double UnalignedVec __attribute__((vector_size(32), aligned(8)));
POLYMORPH_ALWAYS_INLINE Vec load(const double* p) { return *reinterpret_cast<const UnalignedVec*>(p); }
POLYMORPH_ALWAYS_INLINE void store(double* p, Vec v) { *reinterpret_cast<UnalignedVec*>(p) = v; }
POLYMORPH_ALWAYS_INLINE Vec splat(double x) { return Vec{x, x, x, x}; }
#else
struct Vec {
  double v[4];
  double operator[](int i) const { return v[i]; }
  Vec& operator+=(const Vec& o) { for (int i = 0; i < 4; ++i) v[i] += o.v[i]; return *this; }
};
inline Vec operator+(Vec a, const Vec& b) { return a += b; }
inline Vec operator-(Vec a, const Vec& b) { for (int i = 0; i < 4; ++i) a.v[i] -= b.v[i]; return a; }
inline Vec operator*(Vec a, const Vec& b) { for (int i = 0; i < 4; ++i) a.v[i] *= b.v[i]; return a; }
inline Vec load(const double* p) { return Vec{{p[0], p[1], p[2], p[3]}}; }
inline void store(double* p, const Vec& a) { for (int i = 0; i < 4; ++i) p[i] = a.v[i]; }
inline Vec splat(double x) { return Vec{{x, x, x, x}}; }
#endif
POLYMORPH_ALWAYS_INLINE double sumLanes(Vec v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// Heap storage for n Vecs with their alignment (std::vector<Vec> would drop the type's attributes).
class VecArray {
 public:
  explicit VecArray(std::size_t n) : boxes_(n) {}
  Vec* data() { return boxes_.empty() ? nullptr : &boxes_[0].v; }

 private:
  struct alignas(32) Box {
    Vec v;
  };
  std::vector<Box> boxes_;
};

}  // namespace polymorph::simd4
