// Internal: the Gaussian angular kernels (types 3, 9, 13) for values and for the contracted
// gradient, organised for speed. The group's participants are first copied into contiguous
// arrays in participant order (unit vectors, radii, cutoff and Gaussian factors). For each
// neighbour j, its partners k form one row: for the wide types the row is a contiguous range of
// those arrays (no copies, no gathers); for the narrow types only partners with r_jk < r_c enter
// (about half of them in a dense liquid) and are gathered. Per row: geometry and cutoff
// products, (1 + λ cos θ)^ζ once per distinct (λ, ζ), then branch-free loops over the row, which
// the compiler vectorises. The gradient on the partners is accumulated per participant and added
// to the neighbours once per group. Formulas as in symmetry_function_kernels.hpp.
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
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/symmetry_function_kernels.hpp"

namespace polymorph {

struct AngularRow {
  // Per participant of K (the second neighbour element).
  std::vector<double> kux, kuy, kuz, kr, kir, kz, kdx, kdy, kdz;  // unit vector, r, 1/r, Z, d
  std::vector<double> accR, accX, accY, accZ;                     // gradient on the participants
  // Per partner in the row.
  std::vector<int> k;  // narrow: positions in K of the partners
  std::vector<double> uxk, uyk, uzk, rk, irk, fck, dfck, zk, dxk, dyk, dzk, rjk2;  // narrow: gathered
  std::vector<double> cos, F, Fj, Fk, Fjk, wz, ujkx, ujky, ujkz;
  std::vector<double> ek;        // narrow: [gaussian][c] exp(−η(r_ik − r_s)²), gathered
  std::vector<double> P, P1;     // [(λ, ζ)][c]: (1 + λ cos)^ζ and ^(ζ−1), zero where 1 + λ cos <= 0
  std::vector<double> X;         // values: [gaussian][c]
  std::vector<double> W, C;      // gradient: [gaussian][c]
  std::vector<char> active;      // gradient: gaussian has a member with a non-zero weight
  std::vector<double> B, S1, S2, Cs, GX, GY, GZ;
  std::vector<double> p;         // scratch of angularPowers

  // Room for rows of up to n partners (grow only: rows of one group differ in length).
  void reserve(int n, int G, int A) {
    const std::size_t m = static_cast<std::size_t>(n);
    if (k.size() < m) k.resize(m);
    for (auto* v : {&kux, &kuy, &kuz, &kr, &kir, &kz, &kdx, &kdy, &kdz, &accR, &accX, &accY, &accZ, &uxk, &uyk, &uzk,
                    &rk, &irk, &fck, &dfck, &zk, &dxk, &dyk, &dzk, &rjk2, &cos, &F, &Fj, &Fk, &Fjk, &wz, &ujkx, &ujky,
                    &ujkz, &B, &S1, &S2, &Cs, &GX, &GY, &GZ, &p}) {
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

  // The participants K in participant order.
  void gather(const Environment& env, const std::vector<int>& K) {
    const int n = static_cast<int>(K.size());
    for (int b = 0; b < n; ++b) {
      const int q = K[b];
      kux[b] = env.ux[q];
      kuy[b] = env.uy[q];
      kuz[b] = env.uz[q];
      kr[b] = env.r[q];
      kir[b] = 1.0 / env.r[q];
      kz[b] = env.z[q];
      kdx[b] = env.dx[q];
      kdy[b] = env.dy[q];
      kdz[b] = env.dz[q];
    }
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

// Narrow types: the partners b >= b0 of neighbour j with r_jk < r_c, into row.k (positions in
// K) with r_jk² in row.rjk2. Returns their number.
POLYMORPH_ALWAYS_INLINE int narrowPartners(double rc, const Environment& env, int j, int b0, int nK, AngularRow& row) {
  const double rc2 = rc * rc;
  const double xj = env.dx[j], yj = env.dy[j], zj = env.dz[j];
  const double* __restrict X = row.kdx.data();
  const double* __restrict Y = row.kdy.data();
  const double* __restrict Z = row.kdz.data();
  int n = 0;
  for (int b = b0; b < nK; ++b) {
    const double x = X[b] - xj, y = Y[b] - yj, z = Z[b] - zj;
    const double r2 = x * x + y * y + z * z;
    row.k[n] = b;
    row.rjk2[n] = r2;
    n += r2 < rc2 ? 1 : 0;
  }
  return n;
}

// Mode 1: values into sink.G. Mode 2: Σ_s w_s ∂G_s accumulated into sink.radialSum/gx/gy/gz.
template <int Mode, class Sink>
POLYMORPH_CLONES void gaussianAngularRows(const SymmetryFunctionGroup& g, const Environment& env, KernelScratch& ws,
                                          AngularRow& row, Sink& sink) {
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
  const bool narrow = g.narrow, weighted = g.weighted;
  row.reserve(nK, G, A);
  row.gather(env, K);
  if (Mode == 2) {
    for (auto* v : {&row.accR, &row.accX, &row.accY, &row.accZ}) std::fill(v->begin(), v->begin() + nK, 0.0);
  }
  bool anyGradient = false;
  for (int a = 0; a < nJ; ++a) {
    const int j = ws.J[a];
    const int b0 = same ? a + 1 : 0;
    if (nK - b0 <= 0) continue;
    const int n = narrow ? narrowPartners(g.cutoff, env, j, b0, nK, row) : nK - b0;
    if (n == 0) continue;
    // The row's partner data: contiguous ranges of the participant arrays (wide), or gathered.
    const double *UX, *UY, *UZ, *RK, *IRK, *FK, *DFK, *ZK, *EK;
    std::size_t ekStride;
    if (narrow) {
      for (int c = 0; c < n; ++c) {
        const int b = row.k[c];
        row.uxk[c] = row.kux[b];
        row.uyk[c] = row.kuy[b];
        row.uzk[c] = row.kuz[b];
        row.rk[c] = row.kr[b];
        row.irk[c] = row.kir[b];
        row.fck[c] = fcK[b];
        row.dfck[c] = dfcK[b];
        row.zk[c] = row.kz[b];
        if (Mode == 2) {
          row.dxk[c] = row.kdx[b];
          row.dyk[c] = row.kdy[b];
          row.dzk[c] = row.kdz[b];
        }
        for (int q = 0; q < G; ++q) row.ek[static_cast<std::size_t>(q) * n + c] = expK[static_cast<std::size_t>(q) * nK + b];
      }
      UX = row.uxk.data(), UY = row.uyk.data(), UZ = row.uzk.data(), RK = row.rk.data(), IRK = row.irk.data();
      FK = row.fck.data(), DFK = row.dfck.data(), ZK = row.zk.data(), EK = row.ek.data();
      ekStride = static_cast<std::size_t>(n);
    } else {
      UX = row.kux.data() + b0, UY = row.kuy.data() + b0, UZ = row.kuz.data() + b0, RK = row.kr.data() + b0;
      IRK = row.kir.data() + b0, FK = fcK + b0, DFK = dfcK + b0, ZK = row.kz.data() + b0, EK = expK + b0;
      ekStride = static_cast<std::size_t>(nK);
    }
    // Narrow: columns r_jk, f_c(r_jk), f_c'(r_jk), then exp(−η(r_jk − r_s)²) per distinct (η, r_s).
    const double* rjk = RK;  // (read only when narrow)
    const double* fcjk = RK;
    const double* dfcjk = RK;
    const double* ejk = RK;
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
    {
      const double uxj = env.ux[j], uyj = env.uy[j], uzj = env.uz[j], zj = env.z[j];
      const double fcj = ws.fcJ[a], dfcj = ws.dfcJ[a];
      double* __restrict cos = row.cos.data();
      double* __restrict F = row.F.data();
      double* __restrict Fj = row.Fj.data();
      double* __restrict Fk = row.Fk.data();
      double* __restrict Fjk = row.Fjk.data();
      double* __restrict wz = row.wz.data();
#pragma omp simd
      for (int c = 0; c < n; ++c) {
        cos[c] = uxj * UX[c] + uyj * UY[c] + uzj * UZ[c];
        const double f3 = narrow ? fcjk[c] : 1.0, d3 = narrow ? dfcjk[c] : 0.0;
        F[c] = fcj * FK[c] * f3;
        Fj[c] = dfcj * FK[c] * f3;
        Fk[c] = fcj * DFK[c] * f3;
        Fjk[c] = fcj * FK[c] * d3;
        wz[c] = weighted ? zj * ZK[c] : 1.0;
      }
      if (Mode == 2 && narrow) {
        const double dxj = env.dx[j], dyj = env.dy[j], dzj = env.dz[j];
        const double* __restrict DX = row.dxk.data();
        const double* __restrict DY = row.dyk.data();
        const double* __restrict DZ = row.dzk.data();
        double* __restrict ux = row.ujkx.data();
        double* __restrict uy = row.ujky.data();
        double* __restrict uz = row.ujkz.data();
#pragma omp simd
        for (int c = 0; c < n; ++c) {
          const double inv = rjk[c] > 0.0 ? 1.0 / rjk[c] : 0.0;
          ux[c] = (DX[c] - dxj) * inv;
          uy[c] = (DY[c] - dyj) * inv;
          uz[c] = (DZ[c] - dzj) * inv;
        }
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
        const double* __restrict E = EK + q * ekStride;
        double* __restrict X = row.X.data() + static_cast<std::size_t>(q) * n;
        if (narrow) {
          const double* __restrict EJK = ejk + static_cast<std::size_t>(q) * n;
#pragma omp simd
          for (int c = 0; c < n; ++c) X[c] = wz[c] * F[c] * E[c] * EJK[c];
        } else {
#pragma omp simd
          for (int c = 0; c < n; ++c) X[c] = wz[c] * F[c] * E[c];
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
        const double* __restrict E = EK + q * ekStride;
        const double* __restrict EJK = narrow ? ejk + static_cast<std::size_t>(q) * n : E;
        const double* __restrict W = row.W.data() + static_cast<std::size_t>(q) * n;
        const double* __restrict Cq = row.C.data() + static_cast<std::size_t>(q) * n;
#pragma omp simd
        for (int c = 0; c < n; ++c) {
          const double base = narrow ? E[c] * EJK[c] : E[c];
          const double bw = base * W[c];
          Bs[c] += bw;
          S1[c] += alpha * bw;
          S2[c] += beta * bw;
          Cs[c] += base * Cq[c];
        }
      }
      if (!any) continue;
      anyGradient = true;
      const double rij = env.r[j], irij = 1.0 / rij;
      const double uxj = env.ux[j], uyj = env.uy[j], uzj = env.uz[j];
      const double* __restrict cos = row.cos.data();
      const double* __restrict Fj = row.Fj.data();
      const double* __restrict Fk = row.Fk.data();
      const double* __restrict Fjk = row.Fjk.data();
      const double* __restrict ujx = row.ujkx.data();
      const double* __restrict ujy = row.ujky.data();
      const double* __restrict ujz = row.ujkz.data();
      double* __restrict GX = row.GX.data();
      double* __restrict GY = row.GY.data();
      double* __restrict GZ = row.GZ.data();
      // ∂/∂r_ij, ∂/∂r_ik (into S1), ∂/∂r_jk, ∂/∂cos θ per partner; the vector parts on j summed, on
      // k kept per partner (GX, GY, GZ).
      double rsum = 0.0, gxj = 0.0, gyj = 0.0, gzj = 0.0;
#pragma omp simd reduction(+ : rsum, gxj, gyj, gzj)
      for (int c = 0; c < n; ++c) {
        const double f = wz[c] * F[c], b = wz[c] * Bs[c], s1 = S1[c], s2 = S2[c];
        const double Rij = f * (rij * s1 + s2) + Fj[c] * b;
        const double Rik = f * (RK[c] * s1 + s2) + Fk[c] * b;
        const double Rjk = narrow ? f * (rjk[c] * s1 + s2) + Fjk[c] * b : 0.0;
        const double Cos = f * Cs[c];
        const double cj = Cos * irij, ck = Cos * IRK[c];
        const double ux = narrow ? ujx[c] : 0.0, uy = narrow ? ujy[c] : 0.0, uz = narrow ? ujz[c] : 0.0;
        rsum += Rij;
        gxj += cj * (UX[c] - cos[c] * uxj) - Rjk * ux;
        gyj += cj * (UY[c] - cos[c] * uyj) - Rjk * uy;
        gzj += cj * (UZ[c] - cos[c] * uzj) - Rjk * uz;
        S1[c] = Rik;
        GX[c] = ck * (uxj - cos[c] * UX[c]) + Rjk * ux;
        GY[c] = ck * (uyj - cos[c] * UY[c]) + Rjk * uy;
        GZ[c] = ck * (uzj - cos[c] * UZ[c]) + Rjk * uz;
      }
      sink.radialSum[j] += rsum;
      sink.gx[j] += gxj;
      sink.gy[j] += gyj;
      sink.gz[j] += gzj;
      double* __restrict accR = row.accR.data();
      double* __restrict accX = row.accX.data();
      double* __restrict accY = row.accY.data();
      double* __restrict accZ = row.accZ.data();
      if (narrow) {
        for (int c = 0; c < n; ++c) {
          const int b = row.k[c];
          accR[b] += S1[c];
          accX[b] += GX[c];
          accY[b] += GY[c];
          accZ[b] += GZ[c];
        }
      } else {
#pragma omp simd
        for (int c = 0; c < n; ++c) {
          accR[b0 + c] += S1[c];
          accX[b0 + c] += GX[c];
          accY[b0 + c] += GY[c];
          accZ[b0 + c] += GZ[c];
        }
      }
    }
  }
  if constexpr (Mode == 2) {
    if (!anyGradient) return;
    for (int b = 0; b < nK; ++b) {
      const int k = K[b];
      sink.radialSum[k] += row.accR[b];
      sink.gx[k] += row.accX[b];
      sink.gy[k] += row.accY[b];
      sink.gz[k] += row.accZ[b];
    }
  }
}

}  // namespace polymorph
