// Internal: the direct Coulomb sum of an open cluster, all n(n−1)/2 pairs, no list:
//   E = ½ Σ_{i≠j} q_i q_j / r_ij   in e²/Å (k_e = 1; coulomb.cpp scales by k_e),
//   F_i = −∂E/∂r_i,  virial W_ab = Σ_pairs g d_a d_b with g = φ'(r)/r = −q_i q_j / r³, d = r_j − r_i,
//   per-atom energies: half of each pair to each atom.
// The AVX-512 kernel accumulates only what is asked for (MD of a cluster needs forces alone); the
// energy is the same to the last bit whatever is asked.
//
// Two kernels, one result to a few ulp (native/tests/test_coulomb_direct.cpp):
// - portable: 1/r as 1/√r² (square root and division), written so that it vectorises; compiled
//   twice (baseline and AVX2, fast_math.hpp's POLYMORPH_CLONES); it always computes every term;
// - AVX-512, on processors that have it: 1/r from vrsqrt14pd (relative error < 2⁻¹⁴) refined by two
//   Newton steps y ← y (3/2 − r² y²/2), which square the error each time (< 2⁻⁵² after the second),
//   eight pairs per instruction. Division and square root are the slowest vector instructions and
//   the portable kernel's limit; this one needs neither (about 2.5× faster on the 4000-atom droplet).
// kAuto picks AVX-512 when the processor and the build allow it.
//
// Threads (numThreads()) take rows with equal pair counts, each with its own accumulators, added
// in thread order: deterministic for a given thread count and kernel. Two atoms closer than 1e-8 Å
// are E_VALUE, naming them.
#pragma once
#include <cstddef>
#include <vector>

namespace polymorph {

enum class DirectKernel { kAuto, kPortable, kAvx512 };

// Whether `kernel` can run here (kAuto and kPortable always can).
bool directKernelAvailable(DirectKernel kernel);

// Memory kept between calls: positions and charges as structure-of-arrays [x | y | z | q], per
// thread [fx | fy | fz | e], and per thread the smallest r² seen.
struct DirectScratch {
  std::vector<double> soa;
  std::vector<std::vector<double>> threads;
  std::vector<double> smallest;
  std::vector<double> energy;  // per thread
  std::vector<double> virial;  // per thread, [6]: xx, xy, xz, yy, yz, zz
};

struct DirectSum {
  double energy = 0.0;                          // e²/Å
  double virial[6] = {0, 0, 0, 0, 0, 0};        // e²/Å, upper triangle xx, xy, xz, yy, yz, zz (zero unless asked)
};

// positions [n,3] Å, charges [n] e. Adds forces (e²/Å², [n,3]) and per-atom energies (e²/Å, [n])
// into the arrays given (null: not computed); the virial only when `virial` is true.
DirectSum directCoulombSum(const double* positions, const double* charges, std::size_t n, double* forces,
                           double* atomEnergies, bool virial, DirectScratch& scratch,
                           DirectKernel kernel = DirectKernel::kAuto);

}  // namespace polymorph
