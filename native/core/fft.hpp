// polymorph's own FFT (no external library): iterative Stockham autosort transforms of any length
// (radix-4/2/3/5 butterflies, other prime factors by a direct DFT of that factor), batched so
// that B interleaved sequences are transformed together (the inner loop runs over contiguous
// memory), and a real-to-complex 3D transform that uses Hermitian symmetry (half the work).
// Plans precompute every stage's twiddle factors once; a plan is immutable after construction
// and may be used by several threads at once.
//
//   forward (sign = −1): X[m] = Σ_k x[k] e^{−2πi mk/n};  backward (sign = +1): no 1/n scaling.
//
// Results do not depend on the thread count: each line is transformed by the same sequence of
// operations whichever thread runs it.
#pragma once
#include <complex>
#include <cstddef>
#include <vector>

namespace polymorph {

using Complex = std::complex<double>;

// Transforms of one length and direction.
class Fft {
 public:
  Fft(int n, int sign);
  int size() const { return n_; }
  // Transforms `batch` interleaved sequences in place: element k of sequence b is data[k·batch + b].
  // `work` must hold n·batch values.
  void transform(Complex* data, Complex* work, std::size_t batch = 1) const;

 private:
  struct Stage {
    int radix, m, s;            // butterflies of `radix`; m = n/(s·radix) groups; s = product of earlier radices
    std::size_t twiddleOffset;  // twiddles_[offset + p·(radix−1) + k−1] = e^{sign 2πi p k s / n}
    std::size_t rootOffset;     // roots_[offset + j] = e^{sign 2πi j/radix} (generic radices only)
  };
  int n_, sign_;
  std::vector<Stage> stages_;
  std::vector<Complex> twiddles_;
  std::vector<Complex> roots_;
};

// Plan of the 3D transform between a real row-major grid [n0][n1][n2] and its half spectrum
// [n0][n1][n2/2+1] (m2 = 0…n2/2; the other half is the complex conjugate).
class RealFft3d {
 public:
  explicit RealFft3d(const int n[3]);
  std::size_t halfLength() const { return h_; }                               // n2/2 + 1
  std::size_t spectrumSize() const { return n_[0] * n_[1] * h_; }             // complex values
  std::size_t gridSize() const { return n_[0] * n_[1] * n_[2]; }              // real values
  // spectrum = F[grid] (sign −1). OpenMP over planes and column blocks.
  void forward(const double* grid, Complex* spectrum, int threads) const;
  // grid = Σ_m spectrum(m) e^{+2πi m·g/n} over the full Hermitian spectrum (unnormalised);
  // `spectrum` is overwritten.
  void backward(Complex* spectrum, double* grid, int threads) const;

 private:
  std::size_t n_[3], h_;
  Fft f0_, f1_, f2_, b0_, b1_, b2_;
};

// In-place 3D complex transform of a row-major grid [n0][n1][n2]; sign −1 forward, +1 backward.
void fft3d(std::vector<Complex>& grid, const int n[3], int sign, int threads);

// Smallest integer ≥ n whose prime factors are 2, 3 and 5.
int smoothSize(int n);

}  // namespace polymorph
