// n2p2's activation functions (one character each, specs/n2p2-formats.md §1.8) with their first
// and second derivatives: l x · t tanh x · s 1/(1+e^−x) (constant beyond ±35) · p ln(1+e^x)
// (x beyond 35, 0 below −35) · r max(0,x) · g exp(−x²/2) · c cos x · S 1 − 1/(1+e^−x) ·
// e exp(−x) · h x². Inference needs f and f' (neural_network.cpp); training with a force loss
// needs f'' too (the force is a derivative of the network, its gradient a second derivative).
#pragma once
#include <cmath>

namespace polymorph {

inline bool knownActivation(char a) {
  switch (a) {
    case 'l': case 't': case 's': case 'p': case 'r': case 'g': case 'c': case 'S': case 'e': case 'h': return true;
    default: return false;
  }
}

// f(x), f'(x) and f''(x); the clamped regions of 's' and 'p' have the derivatives of what is
// returned there (0 or 1 and 0), as n2p2 evaluates them.
inline void activate(char a, double x, double& f, double& df, double& d2f) {
  switch (a) {
    case 'l': f = x; df = 1.0; d2f = 0.0; return;
    case 't': f = std::tanh(x); df = 1.0 - f * f; d2f = -2.0 * f * df; return;
    case 's':
      if (x > 35.0) { f = 1.0; df = d2f = 0.0; }
      else if (x < -35.0) { f = df = d2f = 0.0; }
      else { f = 1.0 / (1.0 + std::exp(-x)); df = f * (1.0 - f); d2f = df * (1.0 - 2.0 * f); }
      return;
    case 'p':
      if (x > 35.0) { f = x; df = 1.0; d2f = 0.0; }
      else if (x < -35.0) { f = df = d2f = 0.0; }
      else { f = std::log(1.0 + std::exp(x)); df = 1.0 / (1.0 + std::exp(-x)); d2f = df * (1.0 - df); }
      return;
    case 'r': f = x > 0.0 ? x : 0.0; df = x > 0.0 ? 1.0 : 0.0; d2f = 0.0; return;
    case 'g': f = std::exp(-0.5 * x * x); df = -x * f; d2f = (x * x - 1.0) * f; return;
    case 'c': f = std::cos(x); df = -std::sin(x); d2f = -f; return;
    case 'S': {
      const double s = 1.0 / (1.0 + std::exp(-x));
      f = 1.0 - s;
      df = -s * (1.0 - s);
      d2f = df * (1.0 - 2.0 * s);
      return;
    }
    case 'e': f = std::exp(-x); df = -f; d2f = f; return;
    case 'h': f = x * x; df = 2.0 * x; d2f = 2.0; return;
    default: f = df = d2f = 0.0; return;
  }
}

inline void activate(char a, double x, double& f, double& df) {
  double unused;
  activate(a, x, f, df, unused);
}

}  // namespace polymorph
