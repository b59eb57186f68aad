// Internal: the Gaussian angular kernels (types 3, 9, 13) for values and for the contracted
// gradient, organised for speed. For each neighbour j of the group, every partner k is handled
// as one row of arrays: geometry, cutoff products and the Gaussian factors of r_jk first, then
// (1 + λ cos θ)^ζ once per distinct (λ, ζ), then each member as one branch-free loop over the
// row, which the compiler vectorises. Formulas as in symmetry_function_kernels.hpp.
#pragma once
#include <cmath>
#include <vector>

#include "core/symmetry_function_kernels.hpp"

namespace polymorph {

struct AngularRow {
  std::vector<double> cos, F, Fj, Fk, Fjk, wz, ujkx, ujky, ujkz;
  std::vector<double> ejk, djk;  // [gaussian][c]
  std::vector<double> P, P1;     // [(λ, ζ)][c]: (1 + λ cos)^ζ and ^(ζ−1), zero where 1 + λ cos <= 0
  std::vector<double> p;         // scratch of angularPowers
  std::vector<double> sRij, sRik, sRjk, sCos;
};

// P[c] = p^ζ and P1[c] = p^(ζ−1) for p = max(1 + λ cos, 0), both 0 where 1 + λ cos <= 0.
inline void angularPowers(const double* cos, int n, double lambda, double zeta, double* P, double* P1,
                          std::vector<double>& keep) {
  const double rounded = std::round(zeta);
  if (std::fabs(zeta - rounded) <= 2.2250738585072014e-308 && rounded < 1e6) {
    int e = static_cast<int>(rounded) - 1;  // P1 = p^e by squaring, across the row
    for (int c = 0; c < n; ++c) P1[c] = 1.0;
    double* base = P;  // scratch: p, p², p⁴, …
    for (int c = 0; c < n; ++c) {
      const double p = 1.0 + lambda * cos[c];
      base[c] = p > 0.0 ? p : 0.0;
    }
    keep.assign(base, base + n);
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

// Mode 1: values into sink.G. Mode 2: Σ_s w_s ∂G_s accumulated into sink.radialSum/gx/gy/gz.
template <int Mode, class Sink>
void gaussianAngularRows(const SymmetryFunctionGroup& g, const Environment& env, KernelScratch& ws, AngularRow& row,
                         Sink& sink) {
  const bool same = g.e1 == g.e2;
  if (!selectPairParticipants(g, env, ws)) return;
  gaussianFactors(g, env, ws.J, ws.fcJ, ws.dfcJ, ws.expJ, ws.derJ, ws.cache);
  if (!same) gaussianFactors(g, env, ws.K, ws.fcK, ws.dfcK, ws.expK, ws.derK, ws.cache);
  const std::vector<int>& K = same ? ws.J : ws.K;
  const double* fcK = same ? ws.fcJ.data() : ws.fcK.data();
  const double* dfcK = same ? ws.dfcJ.data() : ws.dfcK.data();
  const double* expK = same ? ws.expJ.data() : ws.expK.data();
  const double* derK = same ? ws.derJ.data() : ws.derK.data();
  const int nJ = static_cast<int>(ws.J.size()), nK = static_cast<int>(K.size());
  const int G = static_cast<int>(g.gaussianEta.size()), A = static_cast<int>(g.angularLambda.size());
  const int members = static_cast<int>(g.index.size());
  const double rc2 = g.cutoff * g.cutoff;
  const bool narrow = g.narrow;
  for (int a = 0; a < nJ; ++a) {
    const int j = ws.J[a];
    const int b0 = same ? a + 1 : 0;
    const int n = nK - b0;
    if (n <= 0) continue;
    for (auto* v : {&row.cos, &row.F, &row.Fj, &row.Fk, &row.Fjk, &row.wz}) v->resize(n);
    if (narrow) {
      row.ejk.resize(static_cast<std::size_t>(G) * n);
      row.djk.resize(static_cast<std::size_t>(G) * n);
      if (Mode == 2) {
        row.ujkx.resize(n);
        row.ujky.resize(n);
        row.ujkz.resize(n);
      }
    }
    row.P.resize(static_cast<std::size_t>(A) * n);
    row.P1.resize(static_cast<std::size_t>(A) * n);
    const double fcj = ws.fcJ[a], dfcj = ws.dfcJ[a];
    TranscendentalCache& cache = ws.cache;
    // Per partner (narrow): r_jk, f_c(r_jk), f_c'(r_jk), exp(−η(r_jk − r_s)²) per distinct (η, r_s).
    const std::size_t stride = 3 + static_cast<std::size_t>(G);
    double* stored = narrow && cache.mode != 0 ? cache.take(stride * n) : nullptr;
    for (int c = 0; c < n; ++c) {
      const int b = b0 + c, k = K[b];
      row.cos[c] = env.ux[j] * env.ux[k] + env.uy[j] * env.uy[k] + env.uz[j] * env.uz[k];
      double fcjk = 1.0, dfcjk = 0.0;
      if (narrow) {
        const double x = env.dx[k] - env.dx[j], y = env.dy[k] - env.dy[j], z = env.dz[k] - env.dz[j];
        double* sc = stored ? stored + stride * c : nullptr;
        double r;
        if (cache.mode == 2) {
          r = sc[0];
          fcjk = sc[1];
          dfcjk = sc[2];
          for (int q = 0; q < G; ++q) row.ejk[static_cast<std::size_t>(q) * n + c] = sc[3 + q];
        } else {
          const double r2 = x * x + y * y + z * z;
          r = r2 < rc2 ? std::sqrt(r2) : 0.0;
          if (r2 < rc2) {
            g.cutoffFunction.evaluate(r, fcjk, dfcjk);
            for (int q = 0; q < G; ++q) {
              const double d = r - g.gaussianShift[q];
              row.ejk[static_cast<std::size_t>(q) * n + c] = std::exp(-g.gaussianEta[q] * d * d);
            }
          } else {
            fcjk = dfcjk = 0.0;
            for (int q = 0; q < G; ++q) row.ejk[static_cast<std::size_t>(q) * n + c] = 0.0;
          }
          if (sc) {
            sc[0] = r;
            sc[1] = fcjk;
            sc[2] = dfcjk;
            for (int q = 0; q < G; ++q) sc[3 + q] = row.ejk[static_cast<std::size_t>(q) * n + c];
          }
        }
        if (Mode == 2) {
          const double inv = r > 0.0 ? 1.0 / r : 0.0;
          for (int q = 0; q < G; ++q) row.djk[static_cast<std::size_t>(q) * n + c] = r > 0.0 ? -2.0 * g.gaussianEta[q] * (r - g.gaussianShift[q]) : 0.0;
          row.ujkx[c] = x * inv;
          row.ujky[c] = y * inv;
          row.ujkz[c] = z * inv;
        }
      }
      const double fck = fcK[b], dfck = dfcK[b];
      row.F[c] = fcj * fck * fcjk;
      row.Fj[c] = dfcj * fck * fcjk;
      row.Fk[c] = fcj * dfck * fcjk;
      row.Fjk[c] = fcj * fck * dfcjk;
      row.wz[c] = g.weighted ? env.z[j] * env.z[k] : 1.0;
    }
    for (int q = 0; q < A; ++q) {
      angularPowers(row.cos.data(), n, g.angularLambda[q], g.angularZeta[q], row.P.data() + static_cast<std::size_t>(q) * n,
                    row.P1.data() + static_cast<std::size_t>(q) * n, row.p);
    }
    if (Mode == 2) {
      row.sRij.assign(n, 0.0);
      row.sRik.assign(n, 0.0);
      row.sRjk.assign(n, 0.0);
      row.sCos.assign(n, 0.0);
    }
    const double* F = row.F.data();
    const double* wz = row.wz.data();
    for (int m = 0; m < members; ++m) {
      const int s = g.index[m], q = g.gaussian[m];
      const double* P = row.P.data() + static_cast<std::size_t>(g.angular[m]) * n;
      const double* EK = expK + static_cast<std::size_t>(q) * nK + b0;
      const double* EJK = narrow ? row.ejk.data() + static_cast<std::size_t>(q) * n : nullptr;
      const double coef = g.prefactor[m] * ws.expJ[static_cast<std::size_t>(q) * nJ + a];
      if constexpr (Mode == 1) {
        double sum = 0.0;
        if (narrow) {
#pragma omp simd reduction(+ : sum)
          for (int c = 0; c < n; ++c) sum += wz[c] * EK[c] * EJK[c] * P[c] * F[c];
        } else {
#pragma omp simd reduction(+ : sum)
          for (int c = 0; c < n; ++c) sum += wz[c] * EK[c] * P[c] * F[c];
        }
        sink.G[s] += coef * sum;
      } else {
        const double w = sink.w[s] * coef;
        if (w == 0.0) continue;
        const double* P1 = row.P1.data() + static_cast<std::size_t>(g.angular[m]) * n;
        const double* DK = derK + static_cast<std::size_t>(q) * nK + b0;
        const double Dj = ws.derJ[static_cast<std::size_t>(q) * nJ + a];
        const double zl = g.zeta[m] * g.lambda[m];
        const double* __restrict Fj = row.Fj.data();
        const double* __restrict Fk = row.Fk.data();
        double* __restrict sRij = row.sRij.data();
        double* __restrict sRik = row.sRik.data();
        double* __restrict sCos = row.sCos.data();
        if (narrow) {
          const double* __restrict DJK = row.djk.data() + static_cast<std::size_t>(q) * n;
          const double* __restrict Fjk = row.Fjk.data();
          double* __restrict sRjk = row.sRjk.data();
#pragma omp simd
          for (int c = 0; c < n; ++c) {
            const double base = w * wz[c] * EK[c] * EJK[c];
            const double bp = base * P[c];
            const double t = bp * F[c];
            sRij[c] += t * Dj + bp * Fj[c];
            sRik[c] += t * DK[c] + bp * Fk[c];
            sRjk[c] += t * DJK[c] + bp * Fjk[c];
            sCos[c] += base * zl * P1[c] * F[c];
          }
        } else {
#pragma omp simd
          for (int c = 0; c < n; ++c) {
            const double base = w * wz[c] * EK[c];
            const double bp = base * P[c];
            const double t = bp * F[c];
            sRij[c] += t * Dj + bp * Fj[c];
            sRik[c] += t * DK[c] + bp * Fk[c];
            sCos[c] += base * zl * P1[c] * F[c];
          }
        }
      }
    }
    if constexpr (Mode == 2) {
      const double rij = env.r[j];
      double rsum = 0.0, gxj = 0.0, gyj = 0.0, gzj = 0.0;
      for (int c = 0; c < n; ++c) {
        const int k = K[b0 + c];
        const double cos = row.cos[c], Cos = row.sCos[c];
        const double cj = Cos / rij, ck = Cos / env.r[k];
        const double Rjk = narrow ? row.sRjk[c] : 0.0;
        const double ux = narrow ? row.ujkx[c] : 0.0, uy = narrow ? row.ujky[c] : 0.0, uz = narrow ? row.ujkz[c] : 0.0;
        rsum += row.sRij[c];
        sink.radialSum[k] += row.sRik[c];
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
