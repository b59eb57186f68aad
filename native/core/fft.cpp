// Stockham FFT plans and the real 3D transform (see fft.hpp).
//
// Stage of radix r on a sequence of current length L = n/s (s = product of earlier radices),
// decimation in frequency: with m = L/r, for p < m and every interleaved sub-sequence c,
//   y[(r p + k)·S + c] = e^{sign 2πi p k/L} Σ_j x[(p + j m)·S + c] e^{sign 2πi jk/r},  S = s·batch,
// after which the data hold s·r interleaved sequences of length m. After the last stage the
// output is in natural order (no bit reversal).
#include "core/fft.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>

namespace polymorph {
namespace {

constexpr double kPi = 3.14159265358979323846;

inline Complex mul(Complex a, Complex b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}
inline Complex timesI(Complex a, double sign) { return {-sign * a.imag(), sign * a.real()}; }  // a·(sign·i)

std::vector<int> factorize(int n) {
  std::vector<int> out;
  while (n % 4 == 0) out.push_back(4), n /= 4;
  for (int f : {2, 3, 5})
    while (n % f == 0) out.push_back(f), n /= f;
  for (int f = 7; f * f <= n; f += 2)
    while (n % f == 0) out.push_back(f), n /= f;
  if (n > 1) out.push_back(n);
  return out;
}

}  // namespace

Fft::Fft(int n, int sign) : n_(n), sign_(sign) {
  int s = 1;
  for (int r : factorize(n)) {
    const int m = n / (s * r);
    stages_.push_back({r, m, s, twiddles_.size(), 0});
    for (int p = 0; p < m; ++p)
      for (int k = 1; k < r; ++k) {
        const double angle = sign * 2.0 * kPi * static_cast<double>((static_cast<long long>(p) * k * s) % n) / n;
        twiddles_.emplace_back(std::cos(angle), std::sin(angle));
      }
    stages_.back().rootOffset = roots_.size();
    if (r != 2 && r != 3 && r != 4 && r != 5) {
      for (int j = 0; j < r; ++j) {
        const double angle = sign * 2.0 * kPi * j / r;
        roots_.emplace_back(std::cos(angle), std::sin(angle));
      }
    }
    s *= r;
  }
}

void Fft::transform(Complex* data, Complex* work, std::size_t batch) const {
  Complex* x = data;
  Complex* y = work;
  const double sg = sign_;
  const double c3 = -0.5, s3 = sg * std::sqrt(3.0) / 2;
  const double c51 = std::cos(2 * kPi / 5), c52 = std::cos(4 * kPi / 5);
  const double s51 = sg * std::sin(2 * kPi / 5), s52 = sg * std::sin(4 * kPi / 5);
  for (const Stage& st : stages_) {
    const int r = st.radix, m = st.m;
    const std::size_t S = static_cast<std::size_t>(st.s) * batch, M = static_cast<std::size_t>(m) * S;
    for (int p = 0; p < m; ++p) {
      const Complex* w = &twiddles_[st.twiddleOffset + static_cast<std::size_t>(p) * (r - 1)];
      const Complex* in = x + static_cast<std::size_t>(p) * S;
      Complex* out = y + static_cast<std::size_t>(r) * p * S;
      if (r == 4) {
        for (std::size_t c = 0; c < S; ++c) {
          const Complex a0 = in[c], a1 = in[c + M], a2 = in[c + 2 * M], a3 = in[c + 3 * M];
          const Complex t0 = a0 + a2, t1 = a0 - a2, t2 = a1 + a3, t3 = timesI(a1 - a3, sg);
          out[c] = t0 + t2;
          out[c + S] = p == 0 ? t1 + t3 : mul(t1 + t3, w[0]);
          out[c + 2 * S] = p == 0 ? t0 - t2 : mul(t0 - t2, w[1]);
          out[c + 3 * S] = p == 0 ? t1 - t3 : mul(t1 - t3, w[2]);
        }
      } else if (r == 2) {
        for (std::size_t c = 0; c < S; ++c) {
          const Complex a0 = in[c], a1 = in[c + M];
          out[c] = a0 + a1;
          out[c + S] = mul(a0 - a1, w[0]);
        }
      } else if (r == 3) {
        for (std::size_t c = 0; c < S; ++c) {
          const Complex a0 = in[c], a1 = in[c + M], a2 = in[c + 2 * M];
          const Complex t1 = a1 + a2, t2 = a0 + c3 * t1, t3 = timesI(s3 * (a1 - a2), 1.0);
          out[c] = a0 + t1;
          out[c + S] = mul(t2 + t3, w[0]);
          out[c + 2 * S] = mul(t2 - t3, w[1]);
        }
      } else if (r == 5) {
        for (std::size_t c = 0; c < S; ++c) {
          const Complex a0 = in[c], a1 = in[c + M], a2 = in[c + 2 * M], a3 = in[c + 3 * M], a4 = in[c + 4 * M];
          const Complex t1 = a1 + a4, t2 = a2 + a3, t3 = a1 - a4, t4 = a2 - a3;
          const Complex u1 = a0 + c51 * t1 + c52 * t2, v1 = timesI(s51 * t3 + s52 * t4, 1.0);
          const Complex u2 = a0 + c52 * t1 + c51 * t2, v2 = timesI(s52 * t3 - s51 * t4, 1.0);
          out[c] = a0 + t1 + t2;
          out[c + S] = mul(u1 + v1, w[0]);
          out[c + 2 * S] = mul(u2 + v2, w[1]);
          out[c + 3 * S] = mul(u2 - v2, w[2]);
          out[c + 4 * S] = mul(u1 - v1, w[3]);
        }
      } else {  // generic prime radix: direct DFT of r values
        const Complex* roots = &roots_[st.rootOffset];
        for (std::size_t c = 0; c < S; ++c) {
          for (int k = 0; k < r; ++k) {
            Complex sum = 0.0;
            for (int j = 0; j < r; ++j) sum += mul(in[c + j * M], roots[j * k % r]);
            out[c + k * S] = k == 0 ? sum : mul(sum, w[k - 1]);
          }
        }
      }
    }
    std::swap(x, y);
  }
  if (x != data) std::copy(x, x + static_cast<std::size_t>(n_) * batch, data);
}

RealFft3d::RealFft3d(const int n[3])
    : n_{static_cast<std::size_t>(n[0]), static_cast<std::size_t>(n[1]), static_cast<std::size_t>(n[2])},
      h_(static_cast<std::size_t>(n[2] / 2 + 1)),
      f0_(n[0], -1), f1_(n[1], -1), f2_(n[2], -1), b0_(n[0], +1), b1_(n[1], +1), b2_(n[2], +1) {}

namespace {
constexpr std::size_t kColumnBlock = 16;

// Scratch of the calling thread (slot 0…3), at least `size` long. It is kept between calls
// (OpenMP's threads persist), so a warm transform allocates nothing.
Complex* threadScratch(int slot, std::size_t size) {
  thread_local std::vector<Complex> buffers[4];
  std::vector<Complex>& b = buffers[slot];
  if (b.size() < size) b.resize(size);
  return b.data();
}

// Transforms along axis 0 of a [n0][cols] complex array, in blocks of contiguous columns.
void axis0(Complex* a, std::size_t n0, std::size_t cols, const Fft& plan, int threads) {
  const std::size_t blocks = (cols + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel num_threads(threads)
  {
    Complex* const buffer = threadScratch(0, n0 * kColumnBlock);
    Complex* const work = threadScratch(1, n0 * kColumnBlock);
#pragma omp for schedule(static)
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t c0 = b * kColumnBlock, width = std::min(kColumnBlock, cols - c0);
      for (std::size_t i = 0; i < n0; ++i)
        for (std::size_t c = 0; c < width; ++c) buffer[i * width + c] = a[i * cols + c0 + c];
      plan.transform(buffer, work, width);
      for (std::size_t i = 0; i < n0; ++i)
        for (std::size_t c = 0; c < width; ++c) a[i * cols + c0 + c] = buffer[i * width + c];
    }
  }
}
}  // namespace

void RealFft3d::forward(const double* grid, Complex* spectrum, int threads) const {
  const std::size_t n0 = n_[0], n1 = n_[1], n2 = n_[2], h = h_;
#pragma omp parallel num_threads(threads)
  {
    Complex* const line = threadScratch(2, n2);
    Complex* const work = threadScratch(3, std::max(n2, n1 * h));
#pragma omp for schedule(static)
    for (std::size_t i0 = 0; i0 < n0; ++i0) {
      Complex* plane = spectrum + i0 * n1 * h;
      // Two real rows at once: z = x + i y, X[k] = (Z[k] + Z*[n−k])/2, Y[k] = (Z[k] − Z*[n−k])/(2i).
      for (std::size_t i1 = 0; i1 < n1; i1 += 2) {
        const double* x = grid + (i0 * n1 + i1) * n2;
        const bool pair = i1 + 1 < n1;
        for (std::size_t k = 0; k < n2; ++k) line[k] = Complex(x[k], pair ? x[k + n2] : 0.0);
        f2_.transform(line, work);
        Complex* X = plane + i1 * h;
        for (std::size_t k = 0; k < h; ++k) {
          const Complex z = line[k], zc = std::conj(line[(n2 - k) % n2]);
          X[k] = 0.5 * (z + zc);
          if (pair) X[k + h] = Complex(0.5 * (z.imag() - zc.imag()), -0.5 * (z.real() - zc.real()));
        }
      }
      f1_.transform(plane, work, h);
    }
  }
  axis0(spectrum, n0, n1 * h, f0_, threads);
}

void RealFft3d::backward(Complex* spectrum, double* grid, int threads) const {
  const std::size_t n0 = n_[0], n1 = n_[1], n2 = n_[2], h = h_;
  axis0(spectrum, n0, n1 * h, b0_, threads);
#pragma omp parallel num_threads(threads)
  {
    Complex* const line = threadScratch(2, n2);
    Complex* const work = threadScratch(3, std::max(n2, n1 * h));
#pragma omp for schedule(static)
    for (std::size_t i0 = 0; i0 < n0; ++i0) {
      Complex* plane = spectrum + i0 * n1 * h;
      b1_.transform(plane, work, h);
      // Two Hermitian rows at once: Z[k] = X[k] + i Y[k] over the full range, z = x + i y.
      for (std::size_t i1 = 0; i1 < n1; i1 += 2) {
        const bool pair = i1 + 1 < n1;
        const Complex* X = plane + i1 * h;
        const Complex* Y = pair ? X + h : nullptr;
        for (std::size_t k = 0; k < n2; ++k) {
          const bool low = k < h;
          const Complex xk = low ? X[k] : std::conj(X[n2 - k]);
          const Complex yk = pair ? (low ? Y[k] : std::conj(Y[n2 - k])) : Complex(0.0);
          line[k] = Complex(xk.real() - yk.imag(), xk.imag() + yk.real());
        }
        b2_.transform(line, work);
        double* x = grid + (i0 * n1 + i1) * n2;
        for (std::size_t k = 0; k < n2; ++k) x[k] = line[k].real();
        if (pair)
          for (std::size_t k = 0; k < n2; ++k) x[k + n2] = line[k].imag();
      }
    }
  }
}

void fft3d(std::vector<Complex>& grid, const int n[3], int sign, int threads) {
  const std::size_t n0 = static_cast<std::size_t>(n[0]), n1 = static_cast<std::size_t>(n[1]),
                    n2 = static_cast<std::size_t>(n[2]);
  const Fft p0(n[0], sign), p1(n[1], sign), p2(n[2], sign);
#pragma omp parallel num_threads(threads)
  {
    Complex* const work = threadScratch(3, std::max(n2, n1 * n2));
#pragma omp for schedule(static)
    for (std::size_t i0 = 0; i0 < n0; ++i0) {
      Complex* plane = grid.data() + i0 * n1 * n2;
      for (std::size_t i1 = 0; i1 < n1; ++i1) p2.transform(plane + i1 * n2, work);
      p1.transform(plane, work, n2);
    }
  }
  axis0(grid.data(), n0, n1 * n2, p0, threads);
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
