// Training passes of an atomic network (core/network_gradient.hpp): the forward pass and input
// gradient equal inference (NeuralNetwork), the tangent equals g·v, and the reverse pass over the
// output and the tangent equals finite differences of c_o·o + c_v·(g·v) with respect to every
// weight, for every activation with and without normalize_nodes (the second derivatives the force
// loss needs).
#include <cmath>
#include <random>
#include <string>

#include "core/hdnnp_training.hpp"
#include "core/network_gradient.hpp"
#include "core/neural_network.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::NetworkGradient;
using polymorph::NeuralNetwork;

std::vector<double> uniform(std::mt19937_64& rng, std::size_t n, double scale) {
  std::uniform_real_distribution<double> u(-scale, scale);
  std::vector<double> v(n);
  for (double& x : v) x = u(rng);
  return v;
}

// c_o·o + c_v·(g·v) at weights w, from inference (output and input gradient).
double objective(const std::vector<int>& layers, const std::string& act, bool normalize, const std::vector<double>& w,
                 const std::vector<double>& x, const std::vector<double>& v, double co, double cv) {
  const NeuralNetwork net(layers, act, w, normalize);
  NeuralNetwork::Scratch s;
  std::vector<double> g(x.size());
  const double o = net.evaluate(x.data(), g.data(), s);
  double gv = 0.0;
  for (std::size_t k = 0; k < x.size(); ++k) gv += g[k] * v[k];
  return co * o + cv * gv;
}

}  // namespace

TEST_CASE("network gradient: forward, input gradient and tangent agree with inference") {
  std::mt19937_64 rng(5);
  const std::vector<int> layers = {4, 5, 3, 1};
  for (char a : std::string("ltsprgcSeh")) {
    const std::string act = {a, 't', 'l'};
    const auto w = uniform(rng, NeuralNetwork::connectionCount(layers), 0.6);
    const auto x = uniform(rng, 4, 1.0), v = uniform(rng, 4, 1.0);
    const NeuralNetwork net(layers, act, w, false);
    const NetworkGradient grad(layers, act, false);
    CHECK(grad.weightCount() == w.size());
    NeuralNetwork::Scratch s1;
    NetworkGradient::Scratch s2;
    std::vector<double> g1(4), g2(4);
    const double o1 = net.evaluate(x.data(), g1.data(), s1);
    CHECK(grad.forward(w.data(), x.data(), s2) == o1);
    grad.inputGradient(w.data(), s2, g2.data());
    double gv = 0.0;
    for (int k = 0; k < 4; ++k) {
      CHECK(g2[k] == g1[k]);
      gv += g1[k] * v[k];
    }
    CHECK_NEAR(grad.tangent(w.data(), v.data(), s2), gv, 1e-14 * std::max(1.0, std::fabs(gv)));
  }
}

TEST_CASE("network gradient: reverse pass = finite differences of c_o·o + c_v·(g·v), every activation") {
  std::mt19937_64 rng(17);
  const std::vector<int> layers = {3, 4, 3, 1};
  for (char a : std::string("ltsprgcSeh"))
    for (bool normalize : {false, true}) {
      const std::string act = {a, a, 'l'};
      auto w = uniform(rng, NeuralNetwork::connectionCount(layers), 0.7);
      const auto x = uniform(rng, 3, 1.0), v = uniform(rng, 3, 1.0);
      const double co = 0.7, cv = -1.3;
      const NetworkGradient grad(layers, act, normalize);
      NetworkGradient::Scratch s;
      grad.forward(w.data(), x.data(), s);
      grad.tangent(w.data(), v.data(), s);
      std::vector<double> analytic(w.size(), 0.0);
      grad.backward(w.data(), co, cv, s, analytic.data());
      double scale = 1e-3;
      for (double g : analytic) scale = std::max(scale, std::fabs(g));
      for (std::size_t k = 0; k < w.size(); ++k) {
        const double h = 1e-5, keep = w[k];
        w[k] = keep + h;
        const double plus = objective(layers, act, normalize, w, x, v, co, cv);
        w[k] = keep - h;
        const double minus = objective(layers, act, normalize, w, x, v, co, cv);
        w[k] = keep;
        // 'r' has a kink at 0 and its f'' is 0 elsewhere; a weight that moves a neuron across the
        // kink within ±h would break the difference quotient (the random draws do not hit one).
        CHECK_NEAR(analytic[k], (plus - minus) / (2 * h), 1e-6 * scale);
      }
    }
}

TEST_CASE("adamStep: coupled L2 goes through the moments, AdamW decay does not, biases untouched") {
  using polymorph::AdamSettings;
  // Zero loss gradient: only the regularisers move the weights. With L2 the first Adam step is
  // η·g/(|g| + ε) with g = l2·w, i.e. η·sign(w) (up to ε); decoupled decay moves w by η·decay·w.
  const std::vector<double> start = {1.0, -2.0, 0.5};
  const std::vector<uint8_t> mask = {1, 1, 0};
  const std::vector<double> zero(3, 0.0);
  AdamSettings l2;
  l2.learningRate = 0.01;
  l2.l2 = 0.1;
  std::vector<double> w = start, m(3, 0.0), v(3, 0.0);
  int64_t step = 0;
  polymorph::adamStep(w.data(), m.data(), v.data(), step, zero.data(), 3, l2, mask.data(), {});
  CHECK(step == 1);
  for (int k = 0; k < 2; ++k) {
    const double g = 0.1 * start[k];
    CHECK_NEAR(w[k], start[k] - 0.01 * g / (std::fabs(g) + 1e-8), 1e-15);
  }
  CHECK(w[2] == 0.5);
  // Second step by hand: the moments carry the first step's gradient.
  const std::vector<double> first = w;
  polymorph::adamStep(w.data(), m.data(), v.data(), step, zero.data(), 3, l2, mask.data(), {});
  for (int k = 0; k < 2; ++k) {
    const double g1 = 0.1 * start[k], g2 = 0.1 * first[k];
    const double mk = 0.9 * 0.1 * g1 + 0.1 * g2, vk = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2;
    const double mHat = mk / (1 - 0.81), vHat = vk / (1 - 0.999 * 0.999);
    CHECK_NEAR(w[k], first[k] - 0.01 * mHat / (std::sqrt(vHat) + 1e-8), 1e-14);
  }
  // AdamW: zero gradient, zero moments, only the decay acts.
  AdamSettings decay;
  decay.learningRate = 0.01;
  decay.weightDecay = 0.1;
  std::vector<double> u = start, mu(3, 0.0), vu(3, 0.0);
  step = 0;
  polymorph::adamStep(u.data(), mu.data(), vu.data(), step, zero.data(), 3, decay, mask.data(), {});
  CHECK_NEAR(u[0], 1.0 - 0.001, 1e-15);
  CHECK_NEAR(u[1], -2.0 + 0.002, 1e-15);
  CHECK(u[2] == 0.5);
  CHECK(mu[0] == 0.0);
}
