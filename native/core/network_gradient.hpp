// Gradients of an atomic network (n2p2 layout, neural_network.hpp) with respect to its weights,
// for training. The weights are passed in on every call (they change at every optimiser step).
//
// With z^ℓ = s_ℓ (b^ℓ + A^ℓᵀ y^(ℓ−1)), y^ℓ = f_ℓ(z^ℓ), output o = y^L and s_ℓ = 1/n_(ℓ−1) under
// normalize_nodes (else 1):
//   forward        y, f'(z), f''(z) of every layer;
//   inputGradient  g = ∂o/∂x (what forces need);
//   tangent        the directional derivative ẏ^L = g·v of o along an input direction v, with
//                  ż^ℓ = s_ℓ A^ℓᵀ ẏ^(ℓ−1), ẏ^ℓ = f'(z^ℓ) ż^ℓ;
//   backward       adds ∂(c_o·o + c_v·ẏ^L)/∂θ to a gradient over θ = (A, b) (reverse mode over
//                  the forward and the tangent pass):
//                    ż̄ = ẏ̄ f',  z̄ = ȳ f' + ẏ̄ f'' ż,  ∂A_jk += s (z̄_k y_j + ż̄_k ẏ_j),  ∂b_k += s z̄_k,
//                    ȳ^(ℓ−1) = s A z̄,  ẏ̄^(ℓ−1) = s A ż̄.
// The energy term of a loss is c_o·o; the force and stress terms are c_v·ẏ^L with v the force
// (or stress) residual pulled back onto the inputs (hdnnp_training.hpp). Each call is sequential;
// a Scratch per thread.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace polymorph {

class NetworkGradient {
 public:
  // layers: input first, one output neuron last; activations: one per layer after the input.
  // Throws E_VALUE for bad sizes or unknown activations.
  NetworkGradient(std::vector<int> layers, std::string activations, bool normalizeNodes);

  int inputs() const { return layers_.front(); }
  const std::vector<int>& layers() const { return layers_; }
  const std::string& activations() const { return activations_; }
  std::size_t weightCount() const { return weightCount_; }
  // Offset of layer ℓ's weights A^ℓ (source-major, A_jk at j·n_ℓ + k) and biases (ℓ ≥ 1).
  std::size_t weightOffset(std::size_t layer) const { return weightOffset_[layer]; }
  std::size_t biasOffset(std::size_t layer) const { return biasOffset_[layer]; }

  struct Scratch {
    std::vector<double> y, df, d2f;    // per neuron of every layer (input layer: y = x)
    std::vector<double> zt, yt;        // tangent: ż and ẏ per neuron
    std::vector<double> adj, adjT, nextAdj, nextAdjT;  // adjoints of the current layer
  };

  // Forward pass; returns the output.
  double forward(const double* weights, const double* input, Scratch& s) const;
  // ∂o/∂x after forward().
  void inputGradient(const double* weights, Scratch& s, double* gradient) const;
  // Tangent pass along `direction` after forward(); returns ẏ^L = g·direction.
  double tangent(const double* weights, const double* direction, Scratch& s) const;
  // Adds ∂(outputSeed·o + tangentSeed·ẏ^L)/∂θ to gradient (weightCount() values) after forward()
  // and, when tangentSeed != 0, tangent().
  void backward(const double* weights, double outputSeed, double tangentSeed, Scratch& s, double* gradient) const;

 private:
  std::vector<int> layers_;
  std::string activations_;
  bool normalizeNodes_ = false;
  std::size_t weightCount_ = 0;
  std::vector<std::size_t> weightOffset_, biasOffset_, neuronOffset_;
};

}  // namespace polymorph
