// Seeded random numbers for the stochastic parts of the core (Langevin and CSVR thermostats,
// Maxwell–Boltzmann velocities): xoshiro256** (Blackman & Vigna, 2018; period 2^256 − 1, passes
// BigCrush), seeded by splitmix64 from one 64-bit seed. Normal deviates by the Marsaglia polar
// method (the second value of each pair kept for the next call); gamma deviates by Marsaglia &
// Tsang (ACM TOMS 26, 363, 2000). The whole state (four words and the kept normal) is plain data,
// so a checkpoint that stores it restarts the same sequence bit for bit.
#pragma once
#include <cmath>
#include <cstdint>

namespace polymorph {

class Random {
 public:
  struct State {
    uint64_t s[4] = {0, 0, 0, 0};
    bool hasSpare = false;
    double spare = 0.0;
  };

  explicit Random(uint64_t seed = 0) {
    uint64_t x = seed;
    for (uint64_t& word : state_.s) {  // splitmix64
      x += 0x9e3779b97f4a7c15ULL;
      uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  uint64_t next() {
    uint64_t* s = state_.s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }

  // Uniform on (0, 1): 53 random bits, never 0.
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

  // Standard normal.
  double normal() {
    if (state_.hasSpare) {
      state_.hasSpare = false;
      return state_.spare;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    state_.spare = v * f;
    state_.hasSpare = true;
    return u * f;
  }

  // Gamma(shape, 1), shape > 0.
  double gamma(double shape) {
    if (shape < 1.0) {  // Gamma(a) = Gamma(a + 1) · U^{1/a}
      const double g = gamma(shape + 1.0);
      return g * std::pow(uniform(), 1.0 / shape);
    }
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = uniform();
      if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
      if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
  }

  // Σ of k squared standard normals (chi-squared with k degrees of freedom), k ≥ 0.
  double chiSquared(long k) {
    if (k <= 0) return 0.0;
    return 2.0 * gamma(0.5 * static_cast<double>(k));
  }

  const State& state() const { return state_; }
  void setState(const State& state) { state_ = state; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  State state_;
};

}  // namespace polymorph
