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

namespace polymorph {

enum class CoreType : int { Poly1 = 1, Poly2 = 2, Poly3 = 3, Poly4 = 4, Exp = 5 };

// Polynomial / exponential cores on [0, 1]: value and derivative d/dx; core(0) = 1, core(1) = 0.
inline void coreFunction(CoreType type, double x, double& f, double& df) {
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

  // f_c(r) and df_c/dr for 0 <= r; zero at and beyond rc.
  void evaluate(double r, double& f, double& df) const {
    if (r >= rc) {
      f = df = 0.0;
      return;
    }
    if (type == 2 || type == 3) {
      // tanh u = 1 − 2/(e^{2u} + 1): one exp instead of tanh's expm1 path (u in (0, 1]).
      const double t = 1.0 - 2.0 / (std::exp(2.0 * (1.0 - r * irc)) + 1.0);
      const double c = type == 3 ? tanhPrefactor : 1.0;
      f = c * t * t * t;
      df = -3.0 * c * t * t * (1.0 - t * t) * irc;
      return;
    }
    if (r < rci || type == 0) {
      f = 1.0;
      df = 0.0;
      return;
    }
    const double x = (r - rci) * iw;
    if (type == 1) {
      constexpr double pi = 3.141592653589793238462643383279502884;
      f = 0.5 * (std::cos(pi * x) + 1.0);
      df = -0.5 * pi * std::sin(pi * x) * iw;
      return;
    }
    if (type == 4) {
      const double s = 1.0 / (1.0 - x * x);
      f = std::exp(1.0 - s);
      df = -2.0 * x * s * s * f * iw;
      return;
    }
    coreFunction(static_cast<CoreType>(type - 4), x, f, df);  // 5–8 → POLY1–POLY4
    df *= iw;
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
