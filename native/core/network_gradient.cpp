// Forward, tangent and reverse passes of an atomic network for training (network_gradient.hpp).
#include "core/network_gradient.hpp"

#include "core/activation.hpp"
#include "core/network_layout.hpp"

namespace polymorph {

NetworkGradient::NetworkGradient(std::vector<int> layers, std::string activations, bool normalizeNodes)
    : layers_(std::move(layers)), activations_(std::move(activations)), normalizeNodes_(normalizeNodes) {
  const NetworkLayout layout(layers_, activations_);
  weightOffset_ = layout.weightOffset;
  biasOffset_ = layout.biasOffset;
  neuronOffset_ = layout.neuronOffset;
  weightCount_ = layout.weightCount;
}

double NetworkGradient::forward(const double* w, const double* input, Scratch& s) const {
  const std::size_t L = layers_.size() - 1, total = neuronOffset_.back();
  s.y.resize(total);
  s.df.resize(total);
  s.d2f.resize(total);
  for (int j = 0; j < layers_[0]; ++j) s.y[j] = input[j];
  for (std::size_t l = 1; l <= L; ++l) {
    const int nPrev = layers_[l - 1], n = layers_[l];
    const double* a = w + weightOffset_[l];
    const double* b = w + biasOffset_[l];
    const double* yPrev = s.y.data() + neuronOffset_[l - 1];
    double* y = s.y.data() + neuronOffset_[l];
    affineLayer(a, b, yPrev, nPrev, n, y);
    const double scale = normalizeNodes_ ? 1.0 / nPrev : 1.0;
    const char f = activations_[l - 1];
    double* df = s.df.data() + neuronOffset_[l];
    double* d2f = s.d2f.data() + neuronOffset_[l];
    for (int k = 0; k < n; ++k) activate(f, y[k] * scale, y[k], df[k], d2f[k]);
  }
  return s.y[neuronOffset_[L]];
}

void NetworkGradient::inputGradient(const double* w, Scratch& s, double* gradient) const {
  const std::size_t L = layers_.size() - 1;
  s.adj.assign(1, s.df[neuronOffset_[L]]);  // ∂o/∂z of the current layer
  for (std::size_t l = L; l >= 1; --l) {
    const int nPrev = layers_[l - 1], n = layers_[l];
    const double* a = w + weightOffset_[l];
    const double scale = normalizeNodes_ ? 1.0 / nPrev : 1.0;
    s.nextAdj.resize(nPrev);
    for (int j = 0; j < nPrev; ++j) {
      const double* row = a + static_cast<std::size_t>(j) * n;
      double sum = 0.0;
      for (int k = 0; k < n; ++k) sum += row[k] * s.adj[k];
      s.nextAdj[j] = sum * scale;
    }
    if (l == 1) break;
    const double* dfPrev = s.df.data() + neuronOffset_[l - 1];
    s.adj.resize(nPrev);
    for (int j = 0; j < nPrev; ++j) s.adj[j] = s.nextAdj[j] * dfPrev[j];
  }
  for (int j = 0; j < layers_[0]; ++j) gradient[j] = s.nextAdj[j];
}

double NetworkGradient::tangent(const double* w, const double* direction, Scratch& s) const {
  const std::size_t L = layers_.size() - 1, total = neuronOffset_.back();
  s.zt.resize(total);
  s.yt.resize(total);
  for (int j = 0; j < layers_[0]; ++j) s.yt[j] = direction[j];
  for (std::size_t l = 1; l <= L; ++l) {
    const int nPrev = layers_[l - 1], n = layers_[l];
    const double* a = w + weightOffset_[l];
    const double* ytPrev = s.yt.data() + neuronOffset_[l - 1];
    double* zt = s.zt.data() + neuronOffset_[l];
    for (int k = 0; k < n; ++k) zt[k] = 0.0;
    for (int j = 0; j < nPrev; ++j) {
      const double v = ytPrev[j];
      const double* row = a + static_cast<std::size_t>(j) * n;
      for (int k = 0; k < n; ++k) zt[k] += row[k] * v;
    }
    const double scale = normalizeNodes_ ? 1.0 / nPrev : 1.0;
    const double* df = s.df.data() + neuronOffset_[l];
    double* yt = s.yt.data() + neuronOffset_[l];
    for (int k = 0; k < n; ++k) {
      zt[k] *= scale;
      yt[k] = df[k] * zt[k];
    }
  }
  return s.yt[neuronOffset_[L]];
}

void NetworkGradient::backward(const double* w, double outputSeed, double tangentSeed, Scratch& s, double* gradient) const {
  const std::size_t L = layers_.size() - 1;
  const bool withTangent = tangentSeed != 0.0;
  s.adj.assign(1, outputSeed);     // ȳ of the current layer
  s.adjT.assign(1, tangentSeed);   // ẏ̄ of the current layer
  for (std::size_t l = L; l >= 1; --l) {
    const int nPrev = layers_[l - 1], n = layers_[l];
    const std::size_t at = neuronOffset_[l], prev = neuronOffset_[l - 1];
    const double scale = normalizeNodes_ ? 1.0 / nPrev : 1.0;
    // z̄ (in adj) and ż̄ (in adjT), each times the scale that multiplies the layer's sums.
    for (int k = 0; k < n; ++k) {
      const double zbar = s.adj[k] * s.df[at + k] + (withTangent ? s.adjT[k] * s.d2f[at + k] * s.zt[at + k] : 0.0);
      s.adj[k] = zbar * scale;
      if (withTangent) s.adjT[k] = s.adjT[k] * s.df[at + k] * scale;
    }
    double* gA = gradient + weightOffset_[l];
    double* gb = gradient + biasOffset_[l];
    const double* a = w + weightOffset_[l];
    const double* y = s.y.data() + prev;
    for (int k = 0; k < n; ++k) gb[k] += s.adj[k];
    for (int j = 0; j < nPrev; ++j) {
      double* row = gA + static_cast<std::size_t>(j) * n;
      const double yj = y[j];
      for (int k = 0; k < n; ++k) row[k] += s.adj[k] * yj;
      if (withTangent) {
        const double ytj = s.yt[prev + j];
        for (int k = 0; k < n; ++k) row[k] += s.adjT[k] * ytj;
      }
    }
    if (l == 1) break;
    s.nextAdj.resize(nPrev);
    s.nextAdjT.resize(nPrev);
    for (int j = 0; j < nPrev; ++j) {
      const double* row = a + static_cast<std::size_t>(j) * n;
      double sum = 0.0, sumT = 0.0;
      for (int k = 0; k < n; ++k) sum += row[k] * s.adj[k];
      if (withTangent) {
        for (int k = 0; k < n; ++k) sumT += row[k] * s.adjT[k];
      }
      s.nextAdj[j] = sum;
      s.nextAdjT[j] = sumT;
    }
    s.adj.swap(s.nextAdj);
    s.adjT.swap(s.nextAdjT);
  }
}

}  // namespace polymorph
