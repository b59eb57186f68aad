// Internal: the Gaussian angular kernels (types 3, 9, 13) for values and for the contracted
// gradient, organised for speed. For each neighbour j of the group, its partners k form one row
// of arrays; for the narrow types only partners with r_jk < r_c enter the row (about half of
// them in a dense liquid). Per row: geometry, cutoff products and the Gaussian factors first,
// then (1 + λ cos θ)^ζ once per distinct (λ, ζ), then branch-free loops over the row, which the
// compiler vectorises. Formulas as in symmetry_function_kernels.hpp.
//
// Both passes work per distinct Gaussian (η, r_s) q rather than per member:
//   values:   X_q = w_z F E_q,  G_s += c_s Σ_row X_q P_a(s)
//   gradient: W_q = Σ_{s∈q} w'_s P_a(s),  C_q = Σ_{s∈q} w'_s ζλ P1_a(s), and with the Gaussian
//             derivative −2η_q(r − r_s,q) = α_q r + β_q linear in r, the sums
//             B = Σ_q E_q W_q, S1 = Σ_q α_q E_q W_q, S2 = Σ_q β_q E_q W_q, Cs = Σ_q E_q C_q
//             give ∂/∂r_ij = w_z[F (r_ij S1 + S2) + F_j B] (likewise r_ik, r_jk), ∂/∂cos = w_z F Cs.
// Here E_q = exp(−η_q[(r_ij − r_s)² + (r_ik − r_s)² (+ (r_jk − r_s)²)]) (the r_ij factor is in
// c_s and w'_s), F = f_c(r_ij) f_c(r_ik) (f_c(r_jk)), F_j its derivative in r_ij, and w'_s the
// network weight of function s times its prefactor and r_ij factor.
#pragma once
#include <cmath>
#include <vector>

#include "core/symmetry_function_kernels.hpp"

namespace polymorph {

struct AngularRow {
  std::vector<int> k;  // partners in the row: positions in the group's K participants
  std::vector<double> cos, rik, rjk2, F, Fj, Fk, Fjk, wz, ujkx, ujky, ujkz;
  std::vector<double> ek;        // [gaussian][c]: exp(−η(r_ik − r_s)²)
  std::vector<double> P, P1;     // [(λ, ζ)][c]: (1 + λ cos)^ζ and ^(ζ−1), zero where 1 + λ cos <= 0
  std::vector<double> X;         // values: [gaussian][c]
  std::vector<double> W, C;      // gradient: [gaussian][c]
  std::vector<char> active;      // gradient: gaussian has a member with a non-zero weight
  std::vector<double> B, S1, S2, Cs;
  std::vector<double> p;         // scratch of angularPowers

  // Room for rows of up to n partners (grow only: rows of one group differ in length).
  void reserve(int n, int G, int A) {
    const std::size_t m = static_cast<std::size_t>(n);
    if (k.size() < m) k.resize(m);
    for (auto* v : {&cos, &rik, &rjk2, &F, &Fj, &Fk, &Fjk, &wz, &ujkx, &ujky, &ujkz, &B, &S1, &S2, &Cs, &p}) {
      if (v->size() < m) v->resize(m);
    }
    for (auto* v : {&ek, &X, &W, &C}) {
      if (v->size() < m * G) v->resize(m * G);
    }
    for (auto* v : {&P, &P1}) {
      if (v->size() < m * A) v->resize(m * A);
    }
    active.resize(G);
  }
};

// P[c] = p^ζ and P1[c] = p^(ζ−1) for p = max(1 + λ cos, 0), both 0 where 1 + λ cos <= 0.
POLYMORPH_ALWAYS_INLINE void angularPowers(const double* __restrict cos, int n, double lambda, double zeta,
                                           double* __restrict P, double* __restrict P1, double* __restrict keep) {
  const double rounded = std::round(zeta);
  if (std::fabs(zeta - rounded) <= 2.2250738585072014e-308 && rounded < 1e6) {
    int e = static_cast<int>(rounded) - 1;  // P1 = p^e by squaring, across the row
    if (e == 0) {
      for (int c = 0; c < n; ++c) {
        const double p = 1.0 + lambda * cos[c];
        P[c] = p > 0.0 ? p : 0.0;
        P1[c] = p > 0.0 ? 1.0 : 0.0;
      }
      return;
    }
    for (int c = 0; c < n; ++c) P1[c] = 1.0;
    double* base = P;  // scratch: p, p², p⁴, …
    for (int c = 0; c < n; ++c) {
      const double p = 1.0 + lambda * cos[c];
      base[c] = p > 0.0 ? p : 0.0;
    }
    for (int c = 0; c < n; ++c) keep[c] = base[c];
    while (e > 0) {
      if (e & 1) {
        for (int c = 0; c < n; ++c) P1[c] *= base[c];
      }
      e >>= 1;
      if (e > 0) {
        for (int c = 0; c < n; ++c) base[c] *= base[c];
      }
    }
    for (int c = 0; c < n; ++c) {
      P1[c] = keep[c] > 0.0 ? P1[c] : 0.0;
      P[c] = P1[c] * keep[c];
    }
    return;
  }
  for (int c = 0; c < n; ++c) {
    const double p = 1.0 + lambda * cos[c];
    P1[c] = p > 0.0 ? std::pow(p, zeta - 1.0) : 0.0;
    P[c] = p > 0.0 ? P1[c] * p : 0.0;
  }
}

// The partners of neighbour j (position a of J) that enter its row: every b >= b0 for the wide
// types, those with r_jk < r_c for the narrow ones (r_jk² kept in rjk2). Returns their number.
POLYMORPH_ALWAYS_INLINE int angularPartners(const SymmetryFunctionGroup& g, const Environment& env, const std::vector<int>& K, int j,
                           int b0, AngularRow& row) {
  const int nK = static_cast<int>(K.size());
  const int candidates = nK - b0;
  if (!g.narrow) {
    for (int c = 0; c < candidates; ++c) row.k[c] = b0 + c;
    return candidates;
  }
  const double rc2 = g.cutoff * g.cutoff;
  const double xj = env.dx[j], yj = env.dy[j], zj = env.dz[j];
  int n = 0;
  for (int b = b0; b < nK; ++b) {
    const int k = K[b];
    const double x = env.dx[k] - xj, y = env.dy[k] - yj, z = env.dz[k] - zj;
    const double r2 = x * x + y * y + z * z;
    row.k[n] = b;
    row.rjk2[n] = r2;
    n += r2 < rc2 ? 1 : 0;
  }
  return n;
}

// Mode 1: values into sink.G. Mode 2: Σ_s w_s ∂G_s accumulated into sink.radialSum/gx/gy/gz.
template <int Mode, class Sink>
POLYMORPH_CLONES void gaussianAngularRows(const SymmetryFunctionGroup& g, const Environment& env, KernelScratch& ws, AngularRow& row,
                         Sink& sink) {
  const bool same = g.e1 == g.e2;
  if (!selectPairParticipants(g, env, ws)) return;
  gaussianFactors(g, env, ws.J, ws.fcJ, ws.dfcJ, ws.expJ, ws.derJ, ws);
  if (!same) gaussianFactors(g, env, ws.K, ws.fcK, ws.dfcK, ws.expK, ws.derK, ws);
  const std::vector<int>& K = same ? ws.J : ws.K;
  const double* fcK = same ? ws.fcJ.data() : ws.fcK.data();
  const double* dfcK = same ? ws.dfcJ.data() : ws.dfcK.data();
  const double* expK = same ? ws.expJ.data() : ws.expK.data();
  const int nJ = static_cast<int>(ws.J.size()), nK = static_cast<int>(K.size());
  const int G = static_cast<int>(g.gaussianEta.size()), A = static_cast<int>(g.angularLambda.size());
  const int members = static_cast<int>(g.index.size());
  const bool narrow = g.narrow;
  row.reserve(nK, G, A);
  for (int a = 0; a < nJ; ++a) {
    const int j = ws.J[a];
    const int b0 = same ? a + 1 : 0;
    if (nK - b0 <= 0) continue;
    const int n = angularPartners(g, env, K, j, b0, row);
    if (n == 0) continue;
    // Narrow: columns r_jk, f_c(r_jk), f_c'(r_jk), then exp(−η(r_jk − r_s)²) per distinct (η, r_s).
    const double* rjk = row.rik.data();  // (read only when narrow)
    const double* fcjk = rjk;
    const double* dfcjk = rjk;
    const double* ejk = rjk;
    if (narrow) {
      bool fresh;
      double* __restrict block = transcendentalBlock(ws, static_cast<std::size_t>(3 + G) * n, fresh);
      if (fresh) {
        const double* __restrict r2 = row.rjk2.data();
#pragma omp simd
        for (int c = 0; c < n; ++c) block[c] = std::sqrt(r2[c]);
        g.cutoffFunction.evaluateRow(block, n, block + n, block + 2 * static_cast<std::size_t>(n));
        for (int q = 0; q < G; ++q) {
          const double eta = g.gaussianEta[q], shift = g.gaussianShift[q];
          double* __restrict e = block + static_cast<std::size_t>(3 + q) * n;
#pragma omp simd
          for (int c = 0; c < n; ++c) e[c] = fastExp(-eta * (block[c] - shift) * (block[c] - shift));
        }
      }
      rjk = block;
      fcjk = block + n;
      dfcjk = block + 2 * static_cast<std::size_t>(n);
      ejk = block + 3 * static_cast<std::size_t>(n);
    }
    const double fcj = ws.fcJ[a], dfcj = ws.dfcJ[a];
    for (int c = 0; c < n; ++c) {
      const int b = row.k[c], k = K[b];
      row.cos[c] = env.ux[j] * env.ux[k] + env.uy[j] * env.uy[k] + env.uz[j] * env.uz[k];
      row.rik[c] = env.r[k];
      const double fck = fcK[b], dfck = dfcK[b];
      const double f3 = narrow ? fcjk[c] : 1.0, d3 = narrow ? dfcjk[c] : 0.0;
      row.F[c] = fcj * fck * f3;
      row.Fj[c] = dfcj * fck * f3;
      row.Fk[c] = fcj * dfck * f3;
      row.Fjk[c] = fcj * fck * d3;
      row.wz[c] = g.weighted ? env.z[j] * env.z[k] : 1.0;
      for (int q = 0; q < G; ++q) row.ek[static_cast<std::size_t>(q) * n + c] = expK[static_cast<std::size_t>(q) * nK + b];
      if (Mode == 2 && narrow) {
        const double inv = rjk[c] > 0.0 ? 1.0 / rjk[c] : 0.0;
        row.ujkx[c] = (env.dx[k] - env.dx[j]) * inv;
        row.ujky[c] = (env.dy[k] - env.dy[j]) * inv;
        row.ujkz[c] = (env.dz[k] - env.dz[j]) * inv;
      }
    }
    for (int q = 0; q < A; ++q) {
      angularPowers(row.cos.data(), n, g.angularLambda[q], g.angularZeta[q], row.P.data() + static_cast<std::size_t>(q) * n,
                    row.P1.data() + static_cast<std::size_t>(q) * n, row.p.data());
    }
    const double* __restrict F = row.F.data();
    const double* __restrict wz = row.wz.data();
    if constexpr (Mode == 1) {
      for (int q = 0; q < G; ++q) {
        const double* __restrict EK = row.ek.data() + static_cast<std::size_t>(q) * n;
        double* __restrict X = row.X.data() + static_cast<std::size_t>(q) * n;
        if (narrow) {
          const double* __restrict EJK = ejk + static_cast<std::size_t>(q) * n;
#pragma omp simd
          for (int c = 0; c < n; ++c) X[c] = wz[c] * F[c] * EK[c] * EJK[c];
        } else {
#pragma omp simd
          for (int c = 0; c < n; ++c) X[c] = wz[c] * F[c] * EK[c];
        }
      }
      for (int m = 0; m < members; ++m) {
        const int q = g.gaussian[m];
        const double* __restrict P = row.P.data() + static_cast<std::size_t>(g.angular[m]) * n;
        const double* __restrict X = row.X.data() + static_cast<std::size_t>(q) * n;
        double sum = 0.0;
#pragma omp simd reduction(+ : sum)
        for (int c = 0; c < n; ++c) sum += X[c] * P[c];
        sink.G[g.index[m]] += g.prefactor[m] * ws.expJ[static_cast<std::size_t>(q) * nJ + a] * sum;
      }
    } else {
      for (int q = 0; q < G; ++q) row.active[q] = 0;
      for (int m = 0; m < members; ++m) {
        const int q = g.gaussian[m];
        const double w = sink.w[g.index[m]] * g.prefactor[m] * ws.expJ[static_cast<std::size_t>(q) * nJ + a];
        if (w == 0.0) continue;
        double* __restrict W = row.W.data() + static_cast<std::size_t>(q) * n;
        double* __restrict Cq = row.C.data() + static_cast<std::size_t>(q) * n;
        const double* __restrict P = row.P.data() + static_cast<std::size_t>(g.angular[m]) * n;
        const double* __restrict P1 = row.P1.data() + static_cast<std::size_t>(g.angular[m]) * n;
        const double wzl = w * g.zeta[m] * g.lambda[m];
        if (!row.active[q]) {
          row.active[q] = 1;
#pragma omp simd
          for (int c = 0; c < n; ++c) {
            W[c] = w * P[c];
            Cq[c] = wzl * P1[c];
          }
        } else {
#pragma omp simd
          for (int c = 0; c < n; ++c) {
            W[c] += w * P[c];
            Cq[c] += wzl * P1[c];
          }
        }
      }
      double* __restrict Bs = row.B.data();
      double* __restrict S1 = row.S1.data();
      double* __restrict S2 = row.S2.data();
      double* __restrict Cs = row.Cs.data();
      bool any = false;
      for (int q = 0; q < G; ++q) {
        if (!row.active[q]) continue;
        if (!any) {  // the first Gaussian with weight initialises the sums
          for (int c = 0; c < n; ++c) Bs[c] = S1[c] = S2[c] = Cs[c] = 0.0;
        }
        any = true;
        const double alpha = -2.0 * g.gaussianEta[q], beta = 2.0 * g.gaussianEta[q] * g.gaussianShift[q];
        const double* __restrict EK = row.ek.data() + static_cast<std::size_t>(q) * n;
        const double* __restrict EJK = narrow ? ejk + static_cast<std::size_t>(q) * n : EK;
        const double* __restrict W = row.W.data() + static_cast<std::size_t>(q) * n;
        const double* __restrict Cq = row.C.data() + static_cast<std::size_t>(q) * n;
#pragma omp simd
        for (int c = 0; c < n; ++c) {
          const double base = narrow ? EK[c] * EJK[c] : EK[c];
          const double bw = base * W[c];
          Bs[c] += bw;
          S1[c] += alpha * bw;
          S2[c] += beta * bw;
          Cs[c] += base * Cq[c];
        }
      }
      if (!any) continue;
      const double rij = env.r[j];
      const double* __restrict Fj = row.Fj.data();
      const double* __restrict Fk = row.Fk.data();
      const double* __restrict Fjk = row.Fjk.data();
      const double* __restrict rik = row.rik.data();
      // In place: B → ∂/∂r_ij, S1 → ∂/∂r_ik, S2 → ∂/∂r_jk, Cs → ∂/∂cos θ.
#pragma omp simd
      for (int c = 0; c < n; ++c) {
        const double f = wz[c] * F[c], b = wz[c] * Bs[c], s1 = S1[c], s2 = S2[c];
        Bs[c] = f * (rij * s1 + s2) + Fj[c] * b;
        S1[c] = f * (rik[c] * s1 + s2) + Fk[c] * b;
        S2[c] = narrow ? f * (rjk[c] * s1 + s2) + Fjk[c] * b : 0.0;
        Cs[c] = f * Cs[c];
      }
      double rsum = 0.0, gxj = 0.0, gyj = 0.0, gzj = 0.0;
      for (int c = 0; c < n; ++c) {
        const int k = K[row.k[c]];
        const double cos = row.cos[c], Cos = Cs[c];
        const double cj = Cos / rij, ck = Cos / rik[c];
        const double Rjk = S2[c];
        const double ux = narrow ? row.ujkx[c] : 0.0, uy = narrow ? row.ujky[c] : 0.0, uz = narrow ? row.ujkz[c] : 0.0;
        rsum += Bs[c];
        sink.radialSum[k] += S1[c];
        gxj += cj * (env.ux[k] - cos * env.ux[j]) - Rjk * ux;
        gyj += cj * (env.uy[k] - cos * env.uy[j]) - Rjk * uy;
        gzj += cj * (env.uz[k] - cos * env.uz[j]) - Rjk * uz;
        sink.gx[k] += ck * (env.ux[j] - cos * env.ux[k]) + Rjk * ux;
        sink.gy[k] += ck * (env.uy[j] - cos * env.uy[k]) + Rjk * uy;
        sink.gz[k] += ck * (env.uz[j] - cos * env.uz[k]) + Rjk * uz;
      }
      sink.radialSum[j] += rsum;
      sink.gx[j] += gxj;
      sink.gy[j] += gyj;
      sink.gz[j] += gzj;
    }
  }
}

}  // namespace polymorph
