// Atomic neural network (specs/n2p2-formats.md §1.8, §3.2): hand-computed outputs, n2p2's
// connection order, normalize_nodes (bias divided too), the input gradient against finite
// differences for every activation with and without normalisation, and input errors.
#include <cmath>
#include <random>
#include <string>

#include "core/error.hpp"
#include "core/neural_network.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::NeuralNetwork;

const std::string kActivations = "ltsprgcSeh";

// f(x) of an n2p2 activation, written from the spec's table.
double activation(char a, double x) {
  switch (a) {
    case 'l': return x;
    case 't': return std::tanh(x);
    case 's': return x > 35 ? 1.0 : x < -35 ? 0.0 : 1 / (1 + std::exp(-x));
    case 'p': return x > 35 ? x : x < -35 ? 0.0 : std::log(1 + std::exp(x));
    case 'r': return x > 0 ? x : 0.0;
    case 'g': return std::exp(-x * x / 2);
    case 'c': return std::cos(x);
    case 'S': return 1 - 1 / (1 + std::exp(-x));
    case 'e': return std::exp(-x);
    case 'h': return x * x;
  }
  return NAN;
}

// Reference forward pass with explicit indices: weights of layer ℓ source-major, then biases.
double reference(const std::vector<int>& layers, const std::string& act, const std::vector<double>& w,
                 const std::vector<double>& input, bool normalize) {
  std::vector<double> y = input;
  std::size_t at = 0;
  for (std::size_t l = 1; l < layers.size(); ++l) {
    const int nPrev = layers[l - 1], n = layers[l];
    std::vector<double> z(n, 0.0);
    for (int j = 0; j < nPrev; ++j)
      for (int k = 0; k < n; ++k) z[k] += w[at + static_cast<std::size_t>(j) * n + k] * y[j];
    at += static_cast<std::size_t>(nPrev) * n;
    for (int k = 0; k < n; ++k) z[k] += w[at + k];
    at += n;
    y.assign(n, 0.0);
    for (int k = 0; k < n; ++k) y[k] = activation(act[l - 1], normalize ? z[k] / nPrev : z[k]);
  }
  return y[0];
}

std::vector<double> randomVector(std::mt19937_64& rng, std::size_t n, double scale) {
  std::uniform_real_distribution<double> u(-scale, scale);
  std::vector<double> v(n);
  for (double& x : v) x = u(rng);
  return v;
}

}  // namespace

TEST_CASE("neural network: connection count (27-25-25-1 has 1376, spec 3.2)") {
  CHECK(NeuralNetwork::connectionCount({27, 25, 25, 1}) == 1376);
  CHECK(NeuralNetwork::connectionCount({2, 3, 1}) == 2 * 3 + 3 + 3 + 1);
}

TEST_CASE("neural network: 2-2-1 network by hand (tanh, linear), with and without normalize_nodes") {
  // Layer 1: a[j→k] source-major = a00 a01 a10 a11, then b0 b1; layer 2: a0 a1, then b.
  const std::vector<double> w = {0.5, -0.3, 0.2, 0.8, 0.1, -0.2, 1.5, -0.7, 0.05};
  const double x0 = 0.9, x1 = -0.4;
  NeuralNetwork::Scratch scratch;
  {
    const NeuralNetwork net({2, 2, 1}, "tl", w, false);
    const double h0 = std::tanh(0.5 * x0 + 0.2 * x1 + 0.1), h1 = std::tanh(-0.3 * x0 + 0.8 * x1 - 0.2);
    const double input[2] = {x0, x1};
    double gradient[2];
    CHECK_NEAR(net.evaluate(input, gradient, scratch), 1.5 * h0 - 0.7 * h1 + 0.05, 1e-15);
    CHECK_NEAR(gradient[0], 1.5 * (1 - h0 * h0) * 0.5 - 0.7 * (1 - h1 * h1) * -0.3, 1e-15);
    CHECK_NEAR(gradient[1], 1.5 * (1 - h0 * h0) * 0.2 - 0.7 * (1 - h1 * h1) * 0.8, 1e-15);
  }
  {
    // normalize_nodes: z/n_prev with the bias divided too.
    const NeuralNetwork net({2, 2, 1}, "tl", w, true);
    const double h0 = std::tanh((0.5 * x0 + 0.2 * x1 + 0.1) / 2), h1 = std::tanh((-0.3 * x0 + 0.8 * x1 - 0.2) / 2);
    const double input[2] = {x0, x1};
    double gradient[2];
    CHECK_NEAR(net.evaluate(input, gradient, scratch), (1.5 * h0 - 0.7 * h1 + 0.05) / 2, 1e-15);
    CHECK_NEAR(gradient[0], (1.5 * (1 - h0 * h0) * 0.25 - 0.7 * (1 - h1 * h1) * -0.15) / 2, 1e-15);
  }
}

TEST_CASE("neural network: outputs equal an independent forward pass for every activation") {
  std::mt19937_64 rng(3);
  for (char hidden : kActivations)
    for (char output : kActivations)
      for (bool normalize : {false, true}) {
        const std::vector<int> layers = {4, 5, 3, 1};
        const std::string act = {hidden, hidden, output};
        const auto w = randomVector(rng, NeuralNetwork::connectionCount(layers), 0.6);
        const NeuralNetwork net(layers, act, w, normalize);
        const auto input = randomVector(rng, 4, 1.0);
        NeuralNetwork::Scratch scratch;
        const double expected = reference(layers, act, w, input, normalize);
        CHECK_NEAR(net.evaluate(input.data(), nullptr, scratch), expected, 1e-14 * std::max(1.0, std::fabs(expected)));
        std::vector<double> gradient(4);
        CHECK_NEAR(net.evaluate(input.data(), gradient.data(), scratch), expected, 1e-14 * std::max(1.0, std::fabs(expected)));
      }
}

TEST_CASE("neural network: input gradient vs finite differences, every activation, with and without normalize_nodes") {
  std::mt19937_64 rng(11);
  for (char a : kActivations)
    for (bool normalize : {false, true})
      for (int trial = 0; trial < 3; ++trial) {
        // The activation under test in every layer (hidden and output), then mixed with tanh.
        const std::vector<int> layers = {5, 6, 4, 1};
        const std::string act = trial == 2 ? std::string{'t', a, a} : std::string{a, a, a};
        const auto w = randomVector(rng, NeuralNetwork::connectionCount(layers), 0.7);
        const NeuralNetwork net(layers, act, w, normalize);
        const auto input = randomVector(rng, 5, 1.2);
        NeuralNetwork::Scratch scratch;
        std::vector<double> gradient(5);
        net.evaluate(input.data(), gradient.data(), scratch);
        double scale = 1.0;
        for (double g : gradient) scale = std::max(scale, std::fabs(g));
        for (int k = 0; k < 5; ++k) {
          const double h = 1e-6;
          auto plus = input, minus = input;
          plus[k] += h;
          minus[k] -= h;
          const double numeric = (net.evaluate(plus.data(), nullptr, scratch) - net.evaluate(minus.data(), nullptr, scratch)) / (2 * h);
          if (!(std::fabs(gradient[k] - numeric) <= 1e-7 * scale)) {
            throw polymorph::test::Failure{std::string("activation ") + a + (normalize ? " normalized" : "") + " input " +
                                           std::to_string(k) + ": " + std::to_string(gradient[k]) + " vs " + std::to_string(numeric)};
          }
        }
      }
}

TEST_CASE("neural network: sigmoid and softplus clamps beyond |x| = 35 (values and gradients)") {
  NeuralNetwork::Scratch scratch;
  for (double bias : {40.0, -40.0}) {
    for (char a : {'s', 'p', 'S'}) {
      // 1-1 network: z = 0.5 x + bias.
      const NeuralNetwork net({1, 1}, std::string(1, a), {0.5, bias}, false);
      const double x = 0.3, z = 0.5 * x + bias;
      double gradient;
      const double y = net.evaluate(&x, &gradient, scratch);
      CHECK_NEAR(y, activation(a, z), 1e-14 * std::max(1.0, std::fabs(z)));
      const double h = 1e-4;
      const double xp = x + h, xm = x - h;
      const double numeric = (net.evaluate(&xp, nullptr, scratch) - net.evaluate(&xm, nullptr, scratch)) / (2 * h);
      CHECK_NEAR(gradient, numeric, 1e-9);
    }
  }
}

TEST_CASE("neural network: one scratch serves networks of different sizes") {
  std::mt19937_64 rng(5);
  const NeuralNetwork big({8, 12, 12, 1}, "ttl", randomVector(rng, NeuralNetwork::connectionCount({8, 12, 12, 1}), 0.5), false);
  const NeuralNetwork small({3, 2, 1}, "sl", randomVector(rng, NeuralNetwork::connectionCount({3, 2, 1}), 0.5), true);
  const auto inBig = randomVector(rng, 8, 1.0), inSmall = randomVector(rng, 3, 1.0);
  NeuralNetwork::Scratch shared, fresh1, fresh2;
  std::vector<double> g1(8), g2(3), f1(8), f2(3);
  const double a = big.evaluate(inBig.data(), g1.data(), shared);
  const double b = small.evaluate(inSmall.data(), g2.data(), shared);
  const double c = big.evaluate(inBig.data(), f1.data(), fresh1);
  const double d = small.evaluate(inSmall.data(), f2.data(), fresh2);
  CHECK_NEAR(a, c, 0.0);
  CHECK_NEAR(b, d, 0.0);
  for (int k = 0; k < 8; ++k) CHECK_NEAR(g1[k], f1[k], 0.0);
  for (int k = 0; k < 3; ++k) CHECK_NEAR(g2[k], f2[k], 0.0);
}

TEST_CASE("neural network: errors (weight count, activations, layers, weights)") {
  const std::vector<int> layers = {2, 3, 1};
  const std::vector<double> w(NeuralNetwork::connectionCount(layers), 0.1);
  NeuralNetwork(layers, "tl", w, false);  // fine
  auto shorter = w, longer = w;
  shorter.pop_back();
  longer.push_back(0.0);
  CHECK_THROWS_CODE(NeuralNetwork(layers, "tl", shorter, false), "E_VALUE");
  CHECK_THROWS_CODE(NeuralNetwork(layers, "tl", longer, false), "E_VALUE");
  CHECK_THROWS_CODE(NeuralNetwork(layers, "tl", {}, false), "E_VALUE");
  CHECK_THROWS_CODE(NeuralNetwork(layers, "tx", w, false), "E_VALUE");   // unknown activation
  CHECK_THROWS_CODE(NeuralNetwork(layers, "T", w, false), "E_VALUE");
  CHECK_THROWS_CODE(NeuralNetwork(layers, "Tl", w, false), "E_VALUE");   // case-sensitive: S exists, T does not
  CHECK_THROWS_CODE(NeuralNetwork(layers, "t", w, false), "E_VALUE");    // one activation per layer after the input
  CHECK_THROWS_CODE(NeuralNetwork(layers, "ttl", w, false), "E_VALUE");
  CHECK_THROWS_CODE(NeuralNetwork({2, 3, 2}, "tl", std::vector<double>(NeuralNetwork::connectionCount({2, 3, 2}), 0.1), false), "E_VALUE");
  CHECK_THROWS_CODE(NeuralNetwork({2}, "", {}, false), "E_VALUE");
  CHECK_THROWS_CODE(NeuralNetwork({0, 3, 1}, "tl", std::vector<double>(NeuralNetwork::connectionCount({0, 3, 1}), 0.1), false), "E_VALUE");
  auto bad = w;
  bad[2] = NAN;
  CHECK_THROWS_CODE(NeuralNetwork(layers, "tl", bad, false), "E_VALUE");
  bad[2] = INFINITY;
  CHECK_THROWS_CODE(NeuralNetwork(layers, "tl", bad, false), "E_VALUE");
}
