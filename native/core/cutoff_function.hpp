// Radial cutoff functions f_c(r) of the Gaussian-type symmetry functions (n2p2 `cutoff_type`
// 0–8) and the compact-support functions C(a; l, r) of the compact symmetry functions (types
// 20–25). Formulas: specs/n2p2-formats.md §1.4 and §1.5; both give value and derivative at once.
//
// Cutoff, with inner radius r_ci = α r_c and x = (r − r_ci)/(r_c − r_ci); f_c = 1 for r < r_ci
// (types 2 and 3 ignore α), f_c = 0 for r ≥ r_c:
//   0 HARD 1 · 1 COS ½[cos πx + 1] · 2 TANHU tanh³(1 − r/r_c) · 3 TANH coth³(1) tanh³(1 − r/r_c)
//   4 EXP exp(1 − 1/(1 − x²)) · 5 POLY1 (2x−3)x²+1 · 6 POLY2 ((15−6x)x−10)x³+1
//   7 POLY3 (x(x(20x−70)+84)−35)x⁴+1 · 8 POLY4 (x(x((315−70x)x−540)+420)−126)x⁵+1
//
// Compact function on (l, r): centre m = (l+r)/2, half width w = (r−l)/2, x = |a − m|/w,
// C = core(x) with core POLY1–4 or EXP (e·exp(1/(x²−1))); the asymmetric variant uses
// core(x(2 − x)). The caller checks l < a < r.
#pragma once
#include <cmath>

#include "core/fast_math.hpp"

namespace polymorph {

enum class CoreType : int { Poly1 = 1, Poly2 = 2, Poly3 = 3, Poly4 = 4, Exp = 5 };

// Polynomial / exponential cores on [0, 1]: value and derivative d/dx; core(0) = 1, core(1) = 0.
POLYMORPH_ALWAYS_INLINE void coreFunction(CoreType type, double x, double& f, double& df) {
  switch (type) {
    case CoreType::Poly1:
      f = (2.0 * x - 3.0) * x * x + 1.0;
      df = x * (6.0 * x - 6.0);
      return;
    case CoreType::Poly2: {
      const double x2 = x * x;
      f = ((15.0 - 6.0 * x) * x - 10.0) * x * x2 + 1.0;
      df = x2 * ((60.0 - 30.0 * x) * x - 30.0);
      return;
    }
    case CoreType::Poly3: {
      const double x2 = x * x;
      f = (x * (x * (20.0 * x - 70.0) + 84.0) - 35.0) * x2 * x2 + 1.0;
      df = x2 * x * (x * (x * (140.0 * x - 420.0) + 420.0) - 140.0);
      return;
    }
    case CoreType::Poly4: {
      const double x4 = x * x * x * x;
      f = (x * (x * ((315.0 - 70.0 * x) * x - 540.0) + 420.0) - 126.0) * x * x4 + 1.0;
      df = x4 * (x * (x * ((2520.0 - 630.0 * x) * x - 3780.0) + 2520.0) - 630.0);
      return;
    }
    case CoreType::Exp: {
      if (x >= 1.0) {
        f = 0.0;
        df = 0.0;
        return;
      }
      const double s = 1.0 / (x * x - 1.0);
      f = std::exp(1.0 + s);
      df = -2.0 * x * s * s * f;
      return;
    }
  }
  f = df = 0.0;
}

struct CutoffFunction {
  int type = 2;
  double rc = 0.0, alpha = 0.0;
  double rci = 0.0, iw = 0.0, irc = 0.0, tanhPrefactor = 1.0;

  CutoffFunction() = default;
  CutoffFunction(int type_, double rc_, double alpha_) : type(type_), rc(rc_), alpha(alpha_) {
    rci = alpha * rc;
    iw = 1.0 / (rc - rci);
    irc = 1.0 / rc;
    const double t1 = std::tanh(1.0);
    tanhPrefactor = 1.0 / (t1 * t1 * t1);
  }

  // f_c(r) and df_c/dr of cutoff type T for 0 <= r, zero at and beyond rc; branch-free apart
  // from type 1's cos and sin, so that evaluateRow vectorises.
  template <int T>
  POLYMORPH_ALWAYS_INLINE void evaluateTyped(double r, double& f, double& df) const {
    const bool inside = r < rc;
    double v = 1.0, d = 0.0;
    if constexpr (T == 2 || T == 3) {
      // tanh u = 1 − 2/(e^{2u} + 1), u = 1 − r/r_c in (0, 1] inside.
      const double t = 1.0 - 2.0 / (fastExp(2.0 * (1.0 - r * irc)) + 1.0);
      const double c = T == 3 ? tanhPrefactor : 1.0;
      v = c * t * t * t;
      d = -3.0 * c * t * t * (1.0 - t * t) * irc;
    } else if constexpr (T != 0) {
      const double y = (r - rci) * iw;
      const double x = y > 0.0 ? (y < 1.0 ? y : 0.0) : 0.0;  // x = 0 gives f = 1, f' = 0
      if constexpr (T == 1) {
        constexpr double pi = 3.141592653589793238462643383279502884;
        v = 0.5 * (std::cos(pi * x) + 1.0);
        d = -0.5 * pi * std::sin(pi * x) * iw;
      } else if constexpr (T == 4) {
        const double s = 1.0 / (1.0 - x * x);
        v = fastExp(1.0 - s);
        d = -2.0 * x * s * s * v * iw;
      } else {
        coreFunction(static_cast<CoreType>(T - 4), x, v, d);  // 5–8 → POLY1–POLY4
        d *= iw;
      }
    }
    f = inside ? v : 0.0;
    df = inside ? d : 0.0;
  }

  void evaluate(double r, double& f, double& df) const {
    switch (type) {
      case 0: evaluateTyped<0>(r, f, df); return;
      case 1: evaluateTyped<1>(r, f, df); return;
      case 2: evaluateTyped<2>(r, f, df); return;
      case 3: evaluateTyped<3>(r, f, df); return;
      case 4: evaluateTyped<4>(r, f, df); return;
      case 5: evaluateTyped<5>(r, f, df); return;
      case 6: evaluateTyped<6>(r, f, df); return;
      case 7: evaluateTyped<7>(r, f, df); return;
      default: evaluateTyped<8>(r, f, df); return;
    }
  }

  // evaluate() for each of n distances.
  POLYMORPH_ALWAYS_INLINE void evaluateRow(const double* __restrict r, int n, double* __restrict f,
                                           double* __restrict df) const {
    switch (type) {
      case 0: row<0>(r, n, f, df); return;
      case 1: row<1>(r, n, f, df); return;
      case 2: row<2>(r, n, f, df); return;
      case 3: row<3>(r, n, f, df); return;
      case 4: row<4>(r, n, f, df); return;
      case 5: row<5>(r, n, f, df); return;
      case 6: row<6>(r, n, f, df); return;
      case 7: row<7>(r, n, f, df); return;
      default: row<8>(r, n, f, df); return;
    }
  }

 private:
  template <int T>
  POLYMORPH_ALWAYS_INLINE void row(const double* __restrict r, int n, double* __restrict f, double* __restrict df) const {
#pragma omp simd
    for (int c = 0; c < n; ++c) evaluateTyped<T>(r[c], f[c], df[c]);
  }
};

struct CompactFunction {
  double left = 0.0, right = 0.0, center = 0.0, scale = 0.0;  // scale = 1/half width
  CoreType core = CoreType::Poly2;
  bool asymmetric = false;

  CompactFunction() = default;
  CompactFunction(double l, double r, CoreType c, bool asym)
      : left(l), right(r), center(0.5 * (l + r)), scale(2.0 / (r - l)), core(c), asymmetric(asym) {}

  // C(a) and dC/da for left < a < right.
  void evaluate(double a, double& f, double& df) const {
    const double t = (a - center) * scale;
    const double x = std::fabs(t);
    if (asymmetric) {
      const double p = x * (2.0 - x);
      coreFunction(core, p, f, df);
      df *= 2.0 - 2.0 * x;
    } else {
      coreFunction(core, x, f, df);
    }
    df = t < 0.0 ? -df * scale : df * scale;
  }
};

}  // namespace polymorph
