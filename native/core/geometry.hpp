// Small 3-vector / 3x3-matrix helpers for cells (rows = lattice vectors, Å).
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace polymorph {

using Vec3 = std::array<double, 3>;
using Mat3 = std::array<double, 9>;  // row-major, row k = lattice vector k

inline Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
inline double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
inline Vec3 row(const Mat3& m, int k) { return {m[3 * k], m[3 * k + 1], m[3 * k + 2]}; }
inline double determinant(const Mat3& m) { return dot(row(m, 0), cross(row(m, 1), row(m, 2))); }

// Inverse of the cell matrix: fractional s = r · inverse (r as a row vector).
inline Mat3 inverse(const Mat3& m) {
  const double det = determinant(m);
  const Vec3 c0 = cross(row(m, 1), row(m, 2));
  const Vec3 c1 = cross(row(m, 2), row(m, 0));
  const Vec3 c2 = cross(row(m, 0), row(m, 1));
  // Columns of the inverse are the reciprocal vectors (without 2π).
  return {c0[0] / det, c1[0] / det, c2[0] / det,
          c0[1] / det, c1[1] / det, c2[1] / det,
          c0[2] / det, c1[2] / det, c2[2] / det};
}

// Distance between the two lattice planes spanned by the other two vectors: V / |a_j x a_l|.
// The matrix product a·b (row-major 3×3).
inline Mat3 multiply(const Mat3& a, const Mat3& b) {
  Mat3 c{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k) c[3 * i + j] += a[3 * i + k] * b[3 * k + j];
  return c;
}

inline double planeSpacing(const Mat3& m, int k) {
  const Vec3 n = cross(row(m, (k + 1) % 3), row(m, (k + 2) % 3));
  return std::fabs(determinant(m)) / std::sqrt(dot(n, n));
}

// |det(cell)| (Å³) of the cell whose volume divides a virial into a stress; E_CELL naming `what`
// without a cell or for a singular one.
inline double stressVolume(const double* cell, const std::string& what) {
  require(cell != nullptr, "E_CELL", what + ": stress needs a cell (its volume); the structure has none");
  Mat3 m;
  std::copy(cell, cell + 9, m.begin());
  double scale = 0.0;
  for (int k = 0; k < 3; ++k) scale = std::max(scale, std::sqrt(dot(row(m, k), row(m, k))));
  const double volume = std::fabs(determinant(m));
  require(scale > 0.0 && volume > 1e-12 * scale * scale * scale, "E_CELL",
          what + ": stress needs a non-singular cell (its volume is zero)");
  return volume;
}

}  // namespace polymorph
