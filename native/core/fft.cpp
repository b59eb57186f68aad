// Mixed-radix FFT (see fft.hpp).
#include "core/fft.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>

namespace polymorph {
namespace {
constexpr double kPi = 3.14159265358979323846;

int smallestFactor(int n) {
  for (int f : {2, 3, 5})
    if (n % f == 0) return f;
  for (int f = 7; f * f <= n; f += 2)
    if (n % f == 0) return f;
  return n;
}
}  // namespace

Fft::Fft(int n, int sign) : n_(n), twiddles_(static_cast<std::size_t>(n)) {
  for (int j = 0; j < n; ++j) {
    const double angle = sign * 2.0 * kPi * j / n;
    twiddles_[static_cast<std::size_t>(j)] = Complex(std::cos(angle), std::sin(angle));
  }
}

// out[0…n) = DFT of in[0], in[stride], …; twiddle e^{sign 2πi x/n} = twiddles_[x·(n_/n) mod n_].
void Fft::recurse(const Complex* in, std::size_t stride, Complex* out, int n) const {
  if (n == 1) {
    out[0] = in[0];
    return;
  }
  const int r = smallestFactor(n), m = n / r, step = n_ / n;
  for (int q = 0; q < r; ++q) recurse(in + q * stride, stride * r, out + q * m, m);
  Complex local[64];
  std::vector<Complex> big;
  Complex* t = local;
  if (r > 64) {
    big.resize(static_cast<std::size_t>(r));
    t = big.data();
  }
  for (int k = 0; k < m; ++k) {
    for (int q = 0; q < r; ++q) t[q] = out[q * m + k] * twiddles_[static_cast<std::size_t>((q * k % n) * step)];
    for (int s = 0; s < r; ++s) {
      Complex sum = 0.0;
      for (int q = 0; q < r; ++q) sum += t[q] * twiddles_[static_cast<std::size_t>(((q * s) % r) * m * step)];
      out[s * m + k] = sum;
    }
  }
}

void Fft::transform(Complex* data, Complex* work) const {
  for (int j = 0; j < n_; ++j) work[j] = data[j];
  recurse(work, 1, data, n_);
}

void fft3d(std::vector<Complex>& grid, const int n[3], int sign, int threads) {
  const std::size_t n0 = static_cast<std::size_t>(n[0]), n1 = static_cast<std::size_t>(n[1]),
                    n2 = static_cast<std::size_t>(n[2]);
  const std::size_t strides[3] = {n1 * n2, n2, 1};
  for (int axis = 0; axis < 3; ++axis) {
    const Fft plan(n[axis], sign);
    const std::size_t len = static_cast<std::size_t>(n[axis]);
    const std::size_t lines = n0 * n1 * n2 / len;
#pragma omp parallel num_threads(threads)
    {
      std::vector<Complex> line(len), work(len);
#pragma omp for schedule(static)
      for (std::size_t l = 0; l < lines; ++l) {
        // Start of line l: the index with the axis coordinate removed.
        std::size_t start;
        if (axis == 2) start = l * n2;
        else if (axis == 1) start = (l / n2) * n1 * n2 + l % n2;
        else start = l;
        const std::size_t stride = strides[axis];
        for (std::size_t k = 0; k < len; ++k) line[k] = grid[start + k * stride];
        plan.transform(line.data(), work.data());
        for (std::size_t k = 0; k < len; ++k) grid[start + k * stride] = line[k];
      }
    }
  }
}

int smoothSize(int n) {
  for (int m = std::max(n, 1);; ++m) {
    int r = m;
    for (int f : {2, 3, 5})
      while (r % f == 0) r /= f;
    if (r == 1) return m;
  }
}

}  // namespace polymorph
