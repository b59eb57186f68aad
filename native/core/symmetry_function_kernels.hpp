// Internal: per-atom evaluation of every group of symmetry functions (see symmetry_functions.hpp).
//
// An atom's environment holds its neighbours within the element's cutoff, sorted by element
// (stable, so ties keep list order). A kernel runs one group over the environment and reports to
// a Sink:
//   sink.value(s, t)                          G_s += t
//   sink.radial(s, p, dR)                     ∂G_s/∂d_p += dR · u_p        (p: neighbour)
//   sink.triplet(s, T, Rij, Rik, Rjk, Cos)    ∂G_s via ∂/∂r_ij, ∂/∂r_ik, ∂/∂r_jk and ∂/∂cos θ_ijk
//   sink.endTriplet(T)                        after all members of a triplet
// Sinks set `static constexpr bool derivatives`; kernels skip derivative work without it.
// (Values and contraction of the Gaussian angular types use symmetry_function_angular.hpp.)
//
// Triplet geometry, with u the unit vectors from i and u_jk = (d_k − d_j)/r_jk:
//   ∂/∂d_j = Rij u_j + Cos (u_k − cosθ u_j)/r_ij − Rjk u_jk
//   ∂/∂d_k = Rik u_k + Cos (u_j − cosθ u_k)/r_ik + Rjk u_jk
#pragma once
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/fast_math.hpp"

#include "core/symmetry_function_groups.hpp"

namespace polymorph {

struct Environment {
  int n = 0;
  std::vector<double> r, ux, uy, uz, dx, dy, dz, z;
  std::vector<int> atom, row;
  std::vector<int> start;  // [E+1]: neighbours of element e are start[e] … start[e+1]−1
  std::vector<int> cursor; // scratch for the counting sort
};

struct Triplet {
  int j = 0, k = 0;       // environment indices
  double cos = 0.0;
  double rjk = 0.0;
  double ujk[3] = {0.0, 0.0, 0.0};
};

// Transcendental results (cutoff values, Gaussian factors) of one atom, recorded by the values
// pass and replayed by the gradient pass of the same atom, so exp and tanh run once per pair and
// triplet. Off (mode 0) outside the fused evaluation.
struct TranscendentalCache {
  std::vector<double> data;  // grows, never shrinks: `used` doubles are this atom's
  std::size_t used = 0, cursor = 0;
  int mode = 0;  // 0 off, 1 record, 2 replay
  void begin(int m) {
    mode = m;
    cursor = 0;
    if (m == 1) used = 0;
  }
  // n doubles to fill (record) or to read (replay); valid until the next take().
  double* take(std::size_t n) {
    if (mode == 1) {
      const std::size_t at = used;
      used += n;
      if (data.size() < used) data.resize(std::max(used, 2 * data.size()));
      return data.data() + at;
    }
    double* p = data.data() + cursor;
    cursor += n;
    return p;
  }
};

// Scratch reused across atoms by one thread.
struct KernelScratch {
  TranscendentalCache cache;
  std::vector<int> J, K;
  std::vector<double> fcJ, dfcJ, fcK, dfcK;
  std::vector<double> expJ, derJ, expK, derK;  // [gaussian][participant]
  std::vector<double> expJK, derJK;            // [gaussian]
  std::vector<double> cJ, dcJ, cK, dcK;        // compact radial values [radial][participant]
  std::vector<char> inJ, inK;
  std::vector<double> rows, block;             // radii of participants; transcendentals when not cached
};

// p^n for integer n >= 0.
inline double integerPower(double p, int n) {
  double result = 1.0;
  while (n > 0) {
    if (n & 1) result *= p;
    p *= p;
    n >>= 1;
  }
  return result;
}

// Participants of a group: neighbours of element e (−1: all) closer than the group's cutoff.
inline void selectParticipants(const SymmetryFunctionGroup& g, const Environment& env, int e, std::vector<int>& out) {
  out.clear();
  const int begin = e < 0 ? 0 : env.start[e], end = e < 0 ? env.n : env.start[e + 1];
  for (int p = begin; p < end; ++p) {
    if (env.r[p] < g.cutoff) out.push_back(p);
  }
}

// Participants of a three-body group into ws.J (and ws.K when the two neighbour elements
// differ); false when no triplet can be formed.
inline bool selectPairParticipants(const SymmetryFunctionGroup& g, const Environment& env, KernelScratch& ws) {
  selectParticipants(g, env, g.e1, ws.J);
  if (g.e1 == g.e2) return ws.J.size() >= 2;
  selectParticipants(g, env, g.e2, ws.K);
  return !ws.J.empty() && !ws.K.empty();
}

// Transcendentals of one atom's rows, in column blocks: from the cache (recorded or replayed) when
// it is on, else in ws.block. `fresh` is false when they were recorded earlier (replay).
inline double* transcendentalBlock(KernelScratch& ws, std::size_t size, bool& fresh) {
  fresh = ws.cache.mode != 2;
  if (ws.cache.mode != 0) return ws.cache.take(size);
  if (ws.block.size() < size) ws.block.resize(size);
  return ws.block.data();
}

// Radii of the participants P into ws.rows.
inline const double* participantRadii(const Environment& env, const std::vector<int>& P, KernelScratch& ws) {
  const int n = static_cast<int>(P.size());
  if (ws.rows.size() < static_cast<std::size_t>(n)) ws.rows.resize(n);
  for (int a = 0; a < n; ++a) ws.rows[a] = env.r[P[a]];
  return ws.rows.data();
}

// Columns of `block` for n radii r: f_c, f_c', then exp(−η_k(r − s_k)²) for k < count.
POLYMORPH_ALWAYS_INLINE void gaussianColumns(const CutoffFunction& cutoff, const double* __restrict r, int n,
                                             const double* eta, const double* shift, int count,
                                             double* __restrict block) {
  cutoff.evaluateRow(r, n, block, block + n);
  for (int k = 0; k < count; ++k) {
    const double h = eta[k], c = shift[k];
    double* __restrict e = block + static_cast<std::size_t>(2 + k) * n;
#pragma omp simd
    for (int a = 0; a < n; ++a) e[a] = fastExp(-h * (r[a] - c) * (r[a] - c));
  }
}

template <class Sink>
POLYMORPH_CLONES void gaussianRadial(const SymmetryFunctionGroup& g, const Environment& env, KernelScratch& ws, Sink& sink) {
  selectParticipants(g, env, g.e1, ws.J);
  const int n = static_cast<int>(ws.J.size()), members = static_cast<int>(g.index.size());
  if (n == 0) return;
  const double* __restrict r = participantRadii(env, ws.J, ws);
  // Columns: f_c, f_c', then exp(−η(r − r_s)²) per member.
  bool fresh;
  double* __restrict block = transcendentalBlock(ws, static_cast<std::size_t>(2 + members) * n, fresh);
  if (fresh) gaussianColumns(g.cutoffFunction, r, n, g.eta.data(), g.rShift.data(), members, block);
  const double* fc = block;
  const double* dfc = block + n;
  for (int a = 0; a < n; ++a) {
    const int p = ws.J[a];
    const double w = g.weighted ? env.z[p] : 1.0;
    for (int m = 0; m < members; ++m) {
      const double e = w * block[static_cast<std::size_t>(2 + m) * n + a];
      sink.value(g.index[m], e * fc[a]);
      if constexpr (Sink::derivatives) sink.radial(g.index[m], p, e * (dfc[a] - 2.0 * g.eta[m] * (r[a] - g.rShift[m]) * fc[a]));
    }
  }
}

// Per participant: cutoff value/derivative and, per distinct (η, r_s), exp(−η(r − r_s)²) and −2η(r − r_s).
POLYMORPH_CLONES inline void gaussianFactors(const SymmetryFunctionGroup& g, const Environment& env,
                                             const std::vector<int>& P, std::vector<double>& fc,
                                             std::vector<double>& dfc, std::vector<double>& ex,
                                             std::vector<double>& der, KernelScratch& ws) {
  const int n = static_cast<int>(P.size()), G = static_cast<int>(g.gaussianEta.size());
  fc.resize(n);
  dfc.resize(n);
  ex.resize(static_cast<std::size_t>(n) * G);
  der.resize(static_cast<std::size_t>(n) * G);
  const double* __restrict r = participantRadii(env, P, ws);
  // Columns: f_c, f_c', then exp(−η(r − r_s)²) per distinct (η, r_s).
  bool fresh;
  double* __restrict block = transcendentalBlock(ws, static_cast<std::size_t>(2 + G) * n, fresh);
  if (fresh) gaussianColumns(g.cutoffFunction, r, n, g.gaussianEta.data(), g.gaussianShift.data(), G, block);
  std::memcpy(fc.data(), block, sizeof(double) * n);
  std::memcpy(dfc.data(), block + n, sizeof(double) * n);
  std::memcpy(ex.data(), block + 2 * static_cast<std::size_t>(n), sizeof(double) * n * G);
  for (int q = 0; q < G; ++q) {
    const double eta = g.gaussianEta[q], shift = g.gaussianShift[q];
    for (int a = 0; a < n; ++a) der[static_cast<std::size_t>(q) * n + a] = -2.0 * eta * (r[a] - shift);
  }
}

template <class Sink>
void gaussianAngular(const SymmetryFunctionGroup& g, const Environment& env, KernelScratch& ws, Sink& sink) {
  const bool same = g.e1 == g.e2;
  if (!selectPairParticipants(g, env, ws)) return;
  gaussianFactors(g, env, ws.J, ws.fcJ, ws.dfcJ, ws.expJ, ws.derJ, ws);
  if (!same) gaussianFactors(g, env, ws.K, ws.fcK, ws.dfcK, ws.expK, ws.derK, ws);
  const std::vector<int>& K = same ? ws.J : ws.K;
  const std::vector<double>& fcK = same ? ws.fcJ : ws.fcK;
  const std::vector<double>& dfcK = same ? ws.dfcJ : ws.dfcK;
  const std::vector<double>& expK = same ? ws.expJ : ws.expK;
  const std::vector<double>& derK = same ? ws.derJ : ws.derK;
  const int nJ = static_cast<int>(ws.J.size()), nK = static_cast<int>(K.size());
  const int G = static_cast<int>(g.gaussianEta.size()), members = static_cast<int>(g.index.size());
  ws.expJK.resize(G);
  ws.derJK.resize(G);
  const double rc2 = g.cutoff * g.cutoff;
  Triplet T;
  for (int a = 0; a < nJ; ++a) {
    const int j = ws.J[a];
    const double rij = env.r[j];
    for (int b = same ? a + 1 : 0; b < nK; ++b) {
      const int k = K[b];
      const double rik = env.r[k];
      const double cos = env.ux[j] * env.ux[k] + env.uy[j] * env.uy[k] + env.uz[j] * env.uz[k];
      double fcjk = 1.0, dfcjk = 0.0;
      if (g.narrow) {
        const double x = env.dx[k] - env.dx[j], y = env.dy[k] - env.dy[j], z = env.dz[k] - env.dz[j];
        const double rjk2 = x * x + y * y + z * z;
        if (rjk2 >= rc2) continue;
        T.rjk = std::sqrt(rjk2);
        g.cutoffFunction.evaluate(T.rjk, fcjk, dfcjk);
        for (int q = 0; q < G; ++q) {
          const double d = T.rjk - g.gaussianShift[q];
          ws.expJK[q] = fastExp(-g.gaussianEta[q] * d * d);
          ws.derJK[q] = -2.0 * g.gaussianEta[q] * d;
        }
        if constexpr (Sink::derivatives) {
          const double inv = 1.0 / T.rjk;
          T.ujk[0] = x * inv;
          T.ujk[1] = y * inv;
          T.ujk[2] = z * inv;
        }
      }
      T.j = j;
      T.k = k;
      T.cos = cos;
      const double w = g.weighted ? env.z[j] * env.z[k] : 1.0;
      const double fcij = ws.fcJ[a], fcik = fcK[b];
      const double fc = fcij * fcik * fcjk;
      for (int m = 0; m < members; ++m) {
        const double p = 1.0 + g.lambda[m] * cos;
        if (p <= 0.0) continue;
        const int q = g.gaussian[m];
        const double pz1 = g.integerZeta[m] >= 0 ? integerPower(p, g.integerZeta[m] - 1) : std::pow(p, g.zeta[m] - 1.0);
        const double pz = pz1 * p;
        double gauss = ws.expJ[q * nJ + a] * expK[q * nK + b];
        if (g.narrow) gauss *= ws.expJK[q];
        const double base = w * g.prefactor[m] * gauss;
        const double t = base * pz * fc;
        sink.value(g.index[m], t);
        if constexpr (Sink::derivatives) {
          const double bp = base * pz;
          const double Rij = t * ws.derJ[q * nJ + a] + bp * ws.dfcJ[a] * fcik * fcjk;
          const double Rik = t * derK[q * nK + b] + bp * fcij * dfcK[b] * fcjk;
          const double Rjk = g.narrow ? t * ws.derJK[q] + bp * fcij * fcik * dfcjk : 0.0;
          const double Cos = base * g.zeta[m] * g.lambda[m] * pz1 * fc;
          sink.triplet(g.index[m], T, Rij, Rik, Rjk, Cos);
        }
      }
      if constexpr (Sink::derivatives) sink.endTriplet(T, rij, rik);
    }
  }
}

template <class Sink>
void compactRadial(const SymmetryFunctionGroup& g, const Environment& env, KernelScratch& ws, Sink& sink) {
  selectParticipants(g, env, g.e1, ws.J);
  for (int p : ws.J) {
    const double r = env.r[p];
    const double w = g.weighted ? env.z[p] : 1.0;
    for (int q : g.radialOrder) {
      if (r >= g.radial[q].right) break;  // the remaining functions end even closer
      if (!(r > g.radialLow[q])) continue;
      double c, dc;
      g.radial[q].evaluate(r, c, dc);
      for (int m : g.radialMembers[q]) {
        sink.value(g.index[m], w * c);
        if constexpr (Sink::derivatives) sink.radial(g.index[m], p, w * dc);
      }
    }
  }
}

// Per participant and distinct radial function: inside (r_l < r < r_c), C and dC/dr.
inline void compactFactors(const SymmetryFunctionGroup& g, const Environment& env, const std::vector<int>& P,
                           std::vector<char>& in, std::vector<double>& c, std::vector<double>& dc) {
  const int n = static_cast<int>(P.size()), R = static_cast<int>(g.radial.size());
  in.assign(static_cast<std::size_t>(n) * R, 0);
  c.resize(static_cast<std::size_t>(n) * R);
  dc.resize(static_cast<std::size_t>(n) * R);
  for (int q = 0; q < R; ++q) {
    for (int a = 0; a < n; ++a) {
      const double r = env.r[P[a]];
      const std::size_t at = static_cast<std::size_t>(q) * n + a;
      if (r > g.radialLow[q] && r < g.radial[q].right) {
        in[at] = 1;
        g.radial[q].evaluate(r, c[at], dc[at]);
      } else {
        c[at] = dc[at] = 0.0;
      }
    }
  }
}

template <class Sink>
void compactAngular(const SymmetryFunctionGroup& g, const Environment& env, KernelScratch& ws, Sink& sink) {
  const bool same = g.e1 == g.e2;
  if (!selectPairParticipants(g, env, ws)) return;
  compactFactors(g, env, ws.J, ws.inJ, ws.cJ, ws.dcJ);
  if (!same) compactFactors(g, env, ws.K, ws.inK, ws.cK, ws.dcK);
  const std::vector<int>& K = same ? ws.J : ws.K;
  const std::vector<char>& inK = same ? ws.inJ : ws.inK;
  const std::vector<double>& cK = same ? ws.cJ : ws.cK;
  const std::vector<double>& dcK = same ? ws.dcJ : ws.dcK;
  const int nJ = static_cast<int>(ws.J.size()), nK = static_cast<int>(K.size());
  Triplet T;
  for (int a = 0; a < nJ; ++a) {
    const int j = ws.J[a];
    const double rij = env.r[j];
    for (int b = same ? a + 1 : 0; b < nK; ++b) {
      const int k = K[b];
      const double rik = env.r[k];
      const double cos = env.ux[j] * env.ux[k] + env.uy[j] * env.uy[k] + env.uz[j] * env.uz[k];
      if (cos <= -1.0 || cos >= 1.0) continue;
      const double rmax = rij > rik ? rij : rik;
      double theta = -1.0, dThetaDCos = 0.0;
      T.j = j;
      T.k = k;
      T.cos = cos;
      bool haveJk = false;
      const double w = g.weighted ? env.z[j] * env.z[k] : 1.0;
      bool any = false;
      for (int q : g.radialOrder) {
        if (rmax >= g.radial[q].right) break;  // the remaining functions end even closer
        const std::size_t aj = static_cast<std::size_t>(q) * nJ + a, ak = static_cast<std::size_t>(q) * nK + b;
        if (!ws.inJ[aj] || !inK[ak]) continue;
        double cjk = 1.0, dcjk = 0.0;
        if (g.narrow) {
          if (!haveJk) {
            const double x = env.dx[k] - env.dx[j], y = env.dy[k] - env.dy[j], z = env.dz[k] - env.dz[j];
            T.rjk = std::sqrt(x * x + y * y + z * z);
            T.ujk[0] = x / T.rjk;
            T.ujk[1] = y / T.rjk;
            T.ujk[2] = z / T.rjk;
            haveJk = true;
          }
          const double low = g.radialLow[q] > 0.0 ? g.radialLow[q] : 0.0;
          if (!(T.rjk > low && T.rjk < g.radial[q].right)) continue;
          g.radial[q].evaluate(T.rjk, cjk, dcjk);
        }
        if (theta < 0.0) {
          theta = std::acos(cos);
          dThetaDCos = -1.0 / std::sqrt(1.0 - cos * cos);
        }
        const double cj = ws.cJ[aj], ck = cK[ak];
        const double radial = w * cj * ck * cjk;
        for (int m : g.radialMembers[q]) {
          if (theta < g.angleLeft[m] || theta > g.angleRight[m]) continue;
          double ca, dca;
          g.angle[m].evaluate(theta, ca, dca);
          sink.value(g.index[m], radial * ca);
          if constexpr (Sink::derivatives) {
            const double Rij = w * ws.dcJ[aj] * ck * cjk * ca;
            const double Rik = w * cj * dcK[ak] * cjk * ca;
            const double Rjk = g.narrow ? w * cj * ck * dcjk * ca : 0.0;
            const double Cos = radial * dca * dThetaDCos;
            sink.triplet(g.index[m], T, Rij, Rik, Rjk, Cos);
            any = true;
          }
        }
      }
      if constexpr (Sink::derivatives) {
        if (any) sink.endTriplet(T, rij, rik);
      }
    }
  }
}

}  // namespace polymorph
