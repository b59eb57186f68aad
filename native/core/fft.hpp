// A small complex FFT for lengths whose prime factors are 2, 3 and 5 (any length works, other
// primes fall back to a direct DFT of that factor): recursive mixed-radix Cooley–Tukey, and
// 3D transforms of row-major grids, OpenMP-parallel over lines (deterministic).
//
//   forward (sign = −1): X[m] = Σ_k x[k] e^{−2πi mk/n};  backward (sign = +1): no 1/n scaling.
#pragma once
#include <complex>
#include <cstddef>
#include <vector>

namespace polymorph {

using Complex = std::complex<double>;

// Transforms of one length and direction; reusable by several threads at once.
class Fft {
 public:
  Fft(int n, int sign);
  int size() const { return n_; }
  // Transforms `data` (n values, stride 1) in place; `work` must hold n values.
  void transform(Complex* data, Complex* work) const;

 private:
  void recurse(const Complex* in, std::size_t stride, Complex* out, int n) const;
  int n_;
  std::vector<Complex> twiddles_;  // e^{sign 2πi j/n}, j = 0…n−1
};

// In-place 3D transform of a row-major grid [n0][n1][n2]; sign −1 forward, +1 backward.
void fft3d(std::vector<Complex>& grid, const int n[3], int sign, int threads);

// Smallest integer ≥ n whose prime factors are 2, 3 and 5.
int smoothSize(int n);

}  // namespace polymorph
