// Smooth particle-mesh Ewald (Essmann et al., J. Chem. Phys. 103, 8577 (1995)): the reciprocal
// part of the Ewald sum (ewald.hpp) on a K1×K2×K3 grid with cardinal B-splines of order p.
//
//   Q(g) = Σ_j q_j Π_d M_p(u_jd − g_d),  u_jd = K_d s_jd (s = fractional coordinates)
//   E_recip = Σ_{m≠0} G(m) |F[Q](m)|²,  G(m) = (2π/V) e^{−k²/4α²}/k² · Π_d |b_d(m_d)|²,  k = 2π m·inv(cell)ᵀ
//   |b_d(m)|⁻² = |Σ_{j=0}^{p−2} M_p(j+1) e^{2πi m j/K_d}|²
//   φ = ∂E/∂Q = 2 F⁻¹[G F[Q]] (unnormalised backward transform);  F_j = −q_j Σ_g φ(g) ∇_j Π M_p
//   ∂E/∂ε_ab = Σ_m G |F[Q]|² [−δ_ab + 2 k_a k_b (1/4α² + 1/k²)]  (exact: Q does not change under strain)
//   E_i = ½ q_i Σ_g φ(g) Π M_p(u_i − g)
// Nyquist planes (m_d = K_d/2 for even K_d) are left out so that G(−m) = G(m) exactly and forces
// are the exact derivative of this energy. Units: e² (k_e = 1), Å.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

namespace polymorph {

struct ReciprocalSum {
  double energy = 0.0;
  double virial[6] = {0, 0, 0, 0, 0, 0};  // ∂E/∂ε: xx, xy, xz, yy, yz, zz
  std::vector<double> forces;             // [n,3] if requested
  std::vector<double> atomEnergies;       // [n] if requested
};

// Memory of PME evaluations (splines of the atoms, charge grids, spectrum), kept by the caller
// between calls so that a warm call allocates nothing but what the FFT uses. One workspace per
// caller; not to be used from two threads at once.
class PmeWorkspace {
 public:
  PmeWorkspace();
  ~PmeWorkspace();
  PmeWorkspace(PmeWorkspace&&) noexcept;
  PmeWorkspace& operator=(PmeWorkspace&&) noexcept;
  struct Memory;
  std::unique_ptr<Memory> memory;
};

// grid: K1, K2, K3 (each ≥ order); order p in 3…12. The virial is computed only when `virial`.
// Deterministic for a given thread count; thread counts differ only in the order in which the
// per-thread charge grids are added (≈1e-16 relative).
// The influence function G(m) and the FFT plan are cached for the last (cell, α, grid, order)
// used, so repeated calls on an unchanged cell (MD, optimisation at fixed cell) skip them.
ReciprocalSum pmeReciprocal(const double* positions, const double* charges, std::size_t n, const double* cell,
                            double alpha, const int grid[3], int order, bool forces, bool atomEnergies, bool virial,
                            int threads);

// The same into `out` (its vectors are reused), with the memory of `workspace`.
void pmeReciprocal(const double* positions, const double* charges, std::size_t n, const double* cell, double alpha,
                   const int grid[3], int order, bool forces, bool atomEnergies, bool virial, int threads,
                   PmeWorkspace& workspace, ReciprocalSum& out);

}  // namespace polymorph
