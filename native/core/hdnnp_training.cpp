// Loss and gradient of HDNNP training, Adam/AdamW steps and epochs (formulas in hdnnp_training.hpp).
#include "core/hdnnp_training.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

bool allFinite(const std::vector<double>& v) {
  for (double x : v) {
    if (!std::isfinite(x)) return false;
  }
  return true;
}

}  // namespace

HdnnpTraining::HdnnpTraining(std::unique_ptr<SymmetryFunctionSet> functions, std::vector<TrainingElement> elements,
                             bool normalizeNodes, double meanEnergy, double convEnergy,
                             std::vector<TrainingStructure> structures, bool cacheValues)
    : functions_(std::move(functions)), elements_(std::move(elements)), meanEnergy_(meanEnergy), convEnergy_(convEnergy),
      structures_(std::move(structures)), cacheValues_(cacheValues) {
  require(functions_ != nullptr, "E_VALUE", "HDNNP training: no symmetry functions");
  const int E = functions_->elements();
  require(static_cast<int>(elements_.size()) == E, "E_VALUE", "HDNNP training: one network per element is needed");
  require(std::isfinite(meanEnergy_) && std::isfinite(convEnergy_) && convEnergy_ != 0.0, "E_VALUE",
          "HDNNP training: normalisation must be finite with conv_energy != 0");
  for (int e = 0; e < E; ++e) {
    const TrainingElement& el = elements_[e];
    const std::size_t n = functions_->count(e);
    networks_.emplace_back(el.layers, el.activations, normalizeNodes);
    require(static_cast<std::size_t>(networks_.back().inputs()) == n, "E_VALUE",
            "HDNNP training: the network of element " + std::to_string(e) + " has " + std::to_string(networks_.back().inputs()) +
                " inputs but the element has " + std::to_string(n) + " symmetry functions");
    require(el.scaleFactor.size() == n && el.scaleShift.size() == n && el.scaleBase.size() == n, "E_VALUE",
            "HDNNP training: scaling of element " + std::to_string(e) + " does not match its functions");
    require(allFinite(el.scaleFactor) && allFinite(el.scaleShift) && allFinite(el.scaleBase) && std::isfinite(el.atomEnergy),
            "E_VALUE", "HDNNP training: scaling and atom energies must be finite");
    offsets_.push_back(weightCount_);
    weightCount_ += networks_.back().weightCount();
  }
  for (std::size_t s = 0; s < structures_.size(); ++s) {
    const TrainingStructure& t = structures_[s];
    const std::string what = "HDNNP training: structure " + std::to_string(s);
    const std::size_t n = t.elements.size();
    require(n > 0, "E_EMPTY", what + " has no atoms");
    require(t.positions.size() == 3 * n, "E_SHAPE", what + ": positions must be [n,3]");
    require(allFinite(t.positions), "E_VALUE", what + ": positions are not finite");
    for (int32_t e : t.elements) require(e >= 0 && e < E, "E_VALUE", what + ": element index out of range");
    require(t.cell.empty() || t.cell.size() == 9, "E_SHAPE", what + ": the cell must be [3,3]");
    require(t.cell.empty() || allFinite(t.cell), "E_VALUE", what + ": the cell is not finite");
    require(!(t.pbc[0] || t.pbc[1] || t.pbc[2]) || !t.cell.empty(), "E_CELL", what + " is periodic but has no cell");
    require(std::isfinite(t.energy), "E_VALUE", what + ": the energy is not finite");
    require(t.forces.empty() || t.forces.size() == 3 * n, "E_SHAPE", what + ": forces must be [n,3]");
    require(allFinite(t.forces), "E_VALUE", what + ": forces are not finite");
    require(t.stress.empty() || t.stress.size() == 9, "E_SHAPE", what + ": stress must be [3,3]");
    require(allFinite(t.stress), "E_VALUE", what + ": stress is not finite");
    require(t.stress.empty() || !t.cell.empty(), "E_CELL", what + " has a stress label but no cell");
  }
  cache_.resize(structures_.size());
}

std::size_t HdnnpTraining::cacheBytes() const {
  std::size_t bytes = 0;
  for (const auto& c : cache_) {
    if (!c) continue;
    for (const auto& v : c->values) bytes += v.size() * sizeof(double);
    bytes += c->row.size() * sizeof(int32_t);
    for (const auto& a : c->atoms) bytes += a.size() * sizeof(int32_t);
  }
  return bytes;
}

NeighborListData trainingNeighborList(const SymmetryFunctionSet& set, const TrainingStructure& st, double* cell) {
  StructureInput in;
  in.positions = st.positions.data();
  in.n = st.elements.size();
  in.elements = st.elements.data();
  in.cell = st.cell.empty() ? nullptr : st.cell.data();
  for (int a = 0; a < 3; ++a) in.pbc[a] = st.pbc[a];
  return scaledNeighborList(in, set.elements(), set.cutoff(), cell);
}

const SymmetryFunctionValues& HdnnpTraining::values(std::size_t s, SymmetryFunctionValues& own) {
  if (cache_[s]) return *cache_[s];
  const TrainingStructure& st = structures_[s];
  double cell[9];
  const NeighborListData list = trainingNeighborList(*functions_, st, cell);
  const AtomsView atoms{st.elements.size(), st.elements.data(), &list};
  own = symmetryFunctionValues(*functions_, atoms);
  if (!cacheValues_) return own;
  cache_[s] = std::make_unique<SymmetryFunctionValues>(std::move(own));
  return *cache_[s];
}

std::vector<HdnnpTraining::ValueStatistics> HdnnpTraining::valueStatistics(const std::atomic<bool>* cancel) {
  const int E = functions_->elements();
  std::vector<ValueStatistics> out(E);
  std::vector<std::vector<double>> m2(E);  // Welford: Σ (G − mean)² so far
  for (int e = 0; e < E; ++e) {
    const std::size_t n = functions_->count(e);
    out[e].min.assign(n, INFINITY);
    out[e].max.assign(n, -INFINITY);
    out[e].mean.assign(n, 0.0);
    out[e].sigma.assign(n, 0.0);
    m2[e].assign(n, 0.0);
  }
  for (std::size_t s = 0; s < structures_.size(); ++s) {
    if (cancel != nullptr && cancel->load()) throw Error("E_CANCELLED", "HDNNP training: the scaling pass was cancelled");
    SymmetryFunctionValues own;
    const SymmetryFunctionValues& G = values(s, own);
    for (int e = 0; e < E; ++e) {
      const std::size_t n = functions_->count(e);
      ValueStatistics& st = out[e];
      const std::vector<double>& v = G.values[e];
      for (std::size_t row = 0; row < G.atoms[e].size(); ++row) {
        ++st.atoms;
        const double inv = 1.0 / static_cast<double>(st.atoms);
        for (std::size_t q = 0; q < n; ++q) {
          const double x = v[row * n + q];
          if (x < st.min[q]) st.min[q] = x;
          if (x > st.max[q]) st.max[q] = x;
          const double delta = x - st.mean[q];
          st.mean[q] += delta * inv;
          m2[e][q] += delta * (x - st.mean[q]);
        }
      }
    }
  }
  for (int e = 0; e < E; ++e) {
    ValueStatistics& st = out[e];
    for (std::size_t q = 0; q < st.sigma.size(); ++q) {
      st.sigma[q] = st.atoms > 1 ? std::sqrt(std::max(0.0, m2[e][q] / static_cast<double>(st.atoms - 1))) : 0.0;
    }
  }
  return out;
}

void HdnnpTraining::setScaling(int e, std::vector<double> factor, std::vector<double> shift, std::vector<double> base) {
  require(e >= 0 && e < elementCount(), "E_VALUE", "HDNNP training: element index out of range");
  const std::size_t n = functions_->count(e);
  require(factor.size() == n && shift.size() == n && base.size() == n, "E_SHAPE",
          "HDNNP training: scaling of element " + std::to_string(e) + " needs " + std::to_string(n) + " values each");
  require(allFinite(factor) && allFinite(shift) && allFinite(base), "E_VALUE", "HDNNP training: scaling must be finite");
  elements_[e].scaleFactor = std::move(factor);
  elements_[e].scaleShift = std::move(shift);
  elements_[e].scaleBase = std::move(base);
}

void HdnnpTraining::setNormalization(double meanEnergy, double convEnergy, const std::vector<double>& atomEnergies) {
  require(std::isfinite(meanEnergy) && std::isfinite(convEnergy) && convEnergy != 0.0, "E_VALUE",
          "HDNNP training: normalisation must be finite with conv_energy != 0");
  require(static_cast<int>(atomEnergies.size()) == elementCount() && allFinite(atomEnergies), "E_VALUE",
          "HDNNP training: one finite atom energy per element is needed");
  meanEnergy_ = meanEnergy;
  convEnergy_ = convEnergy;
  for (int e = 0; e < elementCount(); ++e) elements_[e].atomEnergy = atomEnergies[e];
}

double HdnnpTraining::loss(const double* weights, const int32_t* batch, std::size_t B, const LossWeights& lw,
                           double* gradient, StructureErrors* errors, bool needForces, const uint8_t* forceMask) {
  require(B > 0, "E_VALUE", "HDNNP training: an empty batch");
  for (std::size_t b = 0; b < B; ++b) {
    require(batch[b] >= 0 && static_cast<std::size_t>(batch[b]) < structures_.size(), "E_VALUE",
            "HDNNP training: structure index " + std::to_string(batch[b]) + " out of range");
  }
  for (std::size_t k = 0; k < weightCount_; ++k) {
    require(std::isfinite(weights[k]), "E_VALUE", "HDNNP training: weight " + std::to_string(k) + " is not finite");
  }
  if (gradient != nullptr) std::fill(gradient, gradient + weightCount_, 0.0);
  std::vector<StructureErrors> local(B);
  std::vector<double> losses(B, 0.0);
  auto fused = [&](std::size_t b) {
    const TrainingStructure& st = structures_[batch[b]];
    const bool useForces = forceMask == nullptr || forceMask[b] != 0;
    return gradient == nullptr && ((!st.forces.empty() && ((lw.forces != 0.0 && useForces) || needForces)) || (!st.stress.empty() && lw.stress != 0.0));
  };
  // Without a gradient, structures that need forces are evaluated one per thread (each on one
  // thread, so the result does not depend on the thread count); the others in turn.
  {
    ParallelExceptions guard;
    const long count = static_cast<long>(B);
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads())
    for (long b = 0; b < count; ++b) {
      if (guard.failed() || !fused(static_cast<std::size_t>(b))) continue;
      guard.run([&] {
        const bool useForces = forceMask == nullptr || forceMask[b] != 0;
        losses[b] = evaluateFused(weights, static_cast<std::size_t>(batch[b]), lw, needForces, useForces, local[b]);
      });
    }
    guard.rethrow();
  }
  double total = 0.0;
  for (std::size_t b = 0; b < B; ++b) {
    if (!fused(b)) {
      const bool useForces = forceMask == nullptr || forceMask[b] != 0;
      losses[b] = structureLoss(weights, static_cast<std::size_t>(batch[b]), lw, gradient != nullptr, needForces, useForces, gradient, local[b]);
    }
    total += losses[b];
    if (errors != nullptr) errors[b] = local[b];
  }
  const double inv = 1.0 / static_cast<double>(B);
  if (gradient != nullptr) {
    for (std::size_t k = 0; k < weightCount_; ++k) gradient[k] *= inv;
  }
  return total * inv;
}

double HdnnpTraining::evaluateFused(const double* weights, std::size_t s, const LossWeights& lw, bool needForces,
                                    bool useForces, StructureErrors& err) const {
  const TrainingStructure& st = structures_[s];
  const SymmetryFunctionSet& set = *functions_;
  const std::size_t n = st.elements.size();
  const bool forceTerm = !st.forces.empty() && ((lw.forces != 0.0 && useForces) || needForces);
  const bool stressTerm = !st.stress.empty() && lw.stress != 0.0;
  double cell[9];
  const NeighborListData list = trainingNeighborList(set, st, cell);
  const AtomsView atoms{n, st.elements.data(), &list};
  const double inverseConv = 1.0 / convEnergy_;
  NetworkGradient::Scratch scratch;
  std::vector<double> x, output(n, 0.0), grad(3 * n, 0.0);
  double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  auto network = [&](int, std::size_t i, int e, const double* G, double* w) {
    const int count = set.count(e);
    const TrainingElement& el = elements_[e];
    x.resize(count);
    for (int q = 0; q < count; ++q) x[q] = el.scaleBase[q] + el.scaleFactor[q] * (G[q] - el.scaleShift[q]);
    const double* wt = weights + offsets_[e];
    output[i] = networks_[e].forward(wt, x.data(), scratch);
    networks_[e].inputGradient(wt, scratch, w);
    for (int q = 0; q < count; ++q) w[q] *= inverseConv * el.scaleFactor[q];
  };
  fusedSymmetryFunctionGradient(set, atoms, network, grad.data(), virial, 1);
  double energy = 0.0;
  for (std::size_t i = 0; i < n; ++i) energy += output[i] * inverseConv + meanEnergy_ + elements_[st.elements[i]].atomEnergy;
  err = StructureErrors{};
  err.energy = (energy - st.energy) / static_cast<double>(n);
  double loss = lw.energy * err.energy * err.energy;
  if (forceTerm) {
    for (std::size_t k = 0; k < 3 * n; ++k) {
      const double d = -grad[k] - st.forces[k];
      err.forceSquares += d * d;
    }
    err.forceComponents = static_cast<int32_t>(3 * n);
    if (useForces) loss += lw.forces * err.forceSquares / (3.0 * static_cast<double>(n));
  }
  if (stressTerm) {
    Mat3 c;
    for (int k = 0; k < 9; ++k) c[k] = cell[k];
    const double volume = std::fabs(determinant(c));
    require(volume > 0.0, "E_CELL", "HDNNP training: structure " + std::to_string(s) + " has a singular cell");
    for (int k = 0; k < 9; ++k) {
      const double d = virial[k] / volume - st.stress[k];
      err.stressSquares += d * d;
    }
    err.stressComponents = 9;
    loss += lw.stress * err.stressSquares / 9.0;
  }
  err.loss = loss;
  return loss;
}

double HdnnpTraining::structureLoss(const double* weights, std::size_t s, const LossWeights& lw, bool wantGradient,
                                    bool needForces, bool useForces, double* gradient, StructureErrors& err) {
  const TrainingStructure& st = structures_[s];
  const SymmetryFunctionSet& set = *functions_;
  const int E = set.elements();
  const std::size_t n = st.elements.size();
  const bool forceTerm = !st.forces.empty() && ((lw.forces != 0.0 && useForces) || needForces);
  const bool stressTerm = !st.stress.empty() && lw.stress != 0.0;
  const bool derivatives = forceTerm || stressTerm;

  // Values (cached from a values-only pass, so that they are the same bits whether cached or
  // not) or values and derivatives (never cached: they are what the memory bound excludes).
  double cell[9];
  NeighborListData list;
  SymmetryFunctionValues own;
  std::vector<SymmetryFunctionDerivatives> D;
  const SymmetryFunctionValues* G = nullptr;
  if (derivatives) {
    list = trainingNeighborList(set, st, cell);
    const AtomsView atoms{n, st.elements.data(), &list};
    own = symmetryFunctionDerivatives(set, atoms, D);
    G = &own;
  } else {
    G = &values(s, own);
  }

  // Phase 1, parallel over atoms: outputs and (for forces/stress) w = ∂E/∂G.
  const int threads = numThreads();
  std::vector<NetworkGradient::Scratch> scratch(threads);
  std::vector<std::vector<double>> inputs(threads);
  std::vector<double> output(n);
  std::vector<std::vector<double>> dEdG(E);
  if (derivatives) {
    for (int e = 0; e < E; ++e) dEdG[e].assign(G->values[e].size(), 0.0);
  }
  const double inverseConv = 1.0 / convEnergy_;
  auto scaleInputs = [&](std::size_t i, std::vector<double>& x) -> const double* {
    const int e = st.elements[i];
    const int count = set.count(e);
    const TrainingElement& el = elements_[e];
    const double* g = G->values[e].data() + static_cast<std::size_t>(G->row[i]) * count;
    x.resize(count);
    for (int q = 0; q < count; ++q) x[q] = el.scaleBase[q] + el.scaleFactor[q] * (g[q] - el.scaleShift[q]);
    return x.data();
  };
  const long atomCount = static_cast<long>(n);
  {
    ParallelExceptions guard;
#pragma omp parallel for schedule(static) num_threads(threads)
    for (long i = 0; i < atomCount; ++i) {
      guard.run([&] {
        const int t = omp_get_thread_num();
        const int e = st.elements[i];
        const double* w = weights + offsets_[e];
        output[i] = networks_[e].forward(w, scaleInputs(static_cast<std::size_t>(i), inputs[t]), scratch[t]);
        if (derivatives) {
          const int count = set.count(e);
          double* out = dEdG[e].data() + static_cast<std::size_t>(G->row[i]) * count;
          networks_[e].inputGradient(w, scratch[t], out);
          for (int q = 0; q < count; ++q) out[q] *= inverseConv * elements_[e].scaleFactor[q];
        }
      });
    }
    guard.rethrow();
  }
  double energy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    energy += output[i] * inverseConv + meanEnergy_ + elements_[st.elements[i]].atomEnergy;
  }
  err = StructureErrors{};
  err.energy = (energy - st.energy) / static_cast<double>(n);
  double loss = lw.energy * err.energy * err.energy;

  // Forces and virial, gathered sequentially (element, row, slot order).
  std::vector<double> forceError, stressError;
  double volume = 0.0;
  if (derivatives) {
    std::vector<double> grad(3 * n, 0.0);
    double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int e = 0; e < E; ++e) {
      const int count = set.count(e);
      const SymmetryFunctionDerivatives& d = D[e];
      for (std::size_t k = 0; k < G->atoms[e].size(); ++k) {
        const std::size_t i = static_cast<std::size_t>(G->atoms[e][k]);
        const double* w = dEdG[e].data() + k * count;
        for (int32_t m = d.start[k]; m < d.start[k + 1]; ++m) {
          const double* Dm = d.derivative.data() + static_cast<std::size_t>(m) * count * 3;
          double t0 = 0.0, t1 = 0.0, t2 = 0.0;
          for (int q = 0; q < count; ++q) {
            t0 += w[q] * Dm[3 * q];
            t1 += w[q] * Dm[3 * q + 1];
            t2 += w[q] * Dm[3 * q + 2];
          }
          const std::size_t j = static_cast<std::size_t>(d.neighbor[m]);
          grad[3 * j] += t0;
          grad[3 * j + 1] += t1;
          grad[3 * j + 2] += t2;
          grad[3 * i] -= t0;
          grad[3 * i + 1] -= t1;
          grad[3 * i + 2] -= t2;
          const double* dv = d.vector.data() + 3 * static_cast<std::size_t>(m);
          for (int a = 0; a < 3; ++a) {
            virial[3 * a] += dv[a] * t0;
            virial[3 * a + 1] += dv[a] * t1;
            virial[3 * a + 2] += dv[a] * t2;
          }
        }
      }
    }
    if (forceTerm) {
      forceError.resize(3 * n);
      for (std::size_t k = 0; k < 3 * n; ++k) {
        forceError[k] = -grad[k] - st.forces[k];
        err.forceSquares += forceError[k] * forceError[k];
      }
      err.forceComponents = static_cast<int32_t>(3 * n);
      if (useForces) loss += lw.forces * err.forceSquares / (3.0 * static_cast<double>(n));
    }
    if (stressTerm) {
      Mat3 c;
      for (int k = 0; k < 9; ++k) c[k] = cell[k];
      volume = std::fabs(determinant(c));
      require(volume > 0.0, "E_CELL", "HDNNP training: structure " + std::to_string(s) + " has a singular cell");
      stressError.resize(9);
      for (int k = 0; k < 9; ++k) {
        stressError[k] = virial[k] / volume - st.stress[k];
        err.stressSquares += stressError[k] * stressError[k];
      }
      err.stressComponents = 9;
      loss += lw.stress * err.stressSquares / 9.0;
    }
  }
  err.loss = loss;
  if (!wantGradient) return loss;

  // Phase 2, parallel over atoms: each atom's ∂ℓ/∂θ in its own buffer, then summed in atom order.
  const double energySeed = 2.0 * lw.energy * err.energy / (static_cast<double>(n) * convEnergy_);
  const double cF = forceTerm && useForces && lw.forces != 0.0 ? -2.0 * lw.forces / (3.0 * static_cast<double>(n)) : 0.0;
  const double cS = stressTerm ? 2.0 * lw.stress / (9.0 * volume) : 0.0;
  const bool tangent = cF != 0.0 || cS != 0.0;
  std::size_t widest = 0;
  for (const NetworkGradient& net : networks_) widest = std::max(widest, net.weightCount());
  std::vector<double> atomGradient(n * widest);
  std::vector<std::vector<double>> direction(threads);
  {
    ParallelExceptions guard;
#pragma omp parallel for schedule(static) num_threads(threads)
    for (long i = 0; i < atomCount; ++i) {
      guard.run([&] {
        const int t = omp_get_thread_num();
        const int e = st.elements[i];
        const NetworkGradient& net = networks_[e];
        const double* w = weights + offsets_[e];
        double* out = atomGradient.data() + static_cast<std::size_t>(i) * widest;
        std::fill(out, out + net.weightCount(), 0.0);
        net.forward(w, scaleInputs(static_cast<std::size_t>(i), inputs[t]), scratch[t]);
        if (tangent) {
          const int count = set.count(e);
          const std::size_t k = static_cast<std::size_t>(G->row[i]);
          const SymmetryFunctionDerivatives& d = D[e];
          std::vector<double>& v = direction[t];
          v.assign(count, 0.0);
          const double* fi = forceTerm ? forceError.data() + 3 * static_cast<std::size_t>(i) : nullptr;
          for (int32_t m = d.start[k]; m < d.start[k + 1]; ++m) {
            double q[3] = {0.0, 0.0, 0.0};
            if (cF != 0.0) {
              const double* fj = forceError.data() + 3 * static_cast<std::size_t>(d.neighbor[m]);
              for (int a = 0; a < 3; ++a) q[a] = cF * (fj[a] - fi[a]);
            }
            if (cS != 0.0) {
              const double* dv = d.vector.data() + 3 * static_cast<std::size_t>(m);
              for (int b = 0; b < 3; ++b) {
                q[b] += cS * (dv[0] * stressError[b] + dv[1] * stressError[3 + b] + dv[2] * stressError[6 + b]);
              }
            }
            const double* Dm = d.derivative.data() + static_cast<std::size_t>(m) * count * 3;
            for (int c = 0; c < count; ++c) v[c] += Dm[3 * c] * q[0] + Dm[3 * c + 1] * q[1] + Dm[3 * c + 2] * q[2];
          }
          for (int c = 0; c < count; ++c) v[c] *= elements_[e].scaleFactor[c] * inverseConv;
          net.tangent(w, v.data(), scratch[t]);
        }
        net.backward(w, energySeed, tangent ? 1.0 : 0.0, scratch[t], out);
      });
    }
    guard.rethrow();
  }
  for (std::size_t i = 0; i < n; ++i) {
    const int e = st.elements[i];
    double* target = gradient + offsets_[e];
    const double* src = atomGradient.data() + i * widest;
    const std::size_t W = networks_[e].weightCount();
    for (std::size_t k = 0; k < W; ++k) target[k] += src[k];
  }
  return loss;
}

void adamStep(double* weights, double* m, double* v, int64_t& step, const double* gradient, std::size_t count,
              const AdamSettings& a, const uint8_t* decayMask, const std::vector<WeightGroup>& groups) {
  ++step;
  const double correction1 = 1.0 - std::pow(a.beta1, static_cast<double>(step));
  const double correction2 = 1.0 - std::pow(a.beta2, static_cast<double>(step));
  const double eta = a.learningRate;
  for (std::size_t k = 0; k < count; ++k) {
    const bool masked = decayMask != nullptr && decayMask[k] != 0;
    const double g = masked && a.l2 != 0.0 ? gradient[k] + a.l2 * weights[k] : gradient[k];
    m[k] = a.beta1 * m[k] + (1.0 - a.beta1) * g;
    v[k] = a.beta2 * v[k] + (1.0 - a.beta2) * g * g;
    if (masked && a.weightDecay != 0.0) weights[k] -= eta * a.weightDecay * weights[k];
    const double mHat = m[k] / correction1, vHat = v[k] / correction2;
    weights[k] -= eta * mHat / (std::sqrt(vHat) + a.epsilon);
  }
  for (const WeightGroup& g : groups) {
    if (g.strength <= 0.0) continue;
    double norm = 0.0;
    for (std::size_t k = 0; k < g.length; ++k) norm += weights[g.offset + k] * weights[g.offset + k];
    norm = std::sqrt(norm);
    const double shrink = norm > 0.0 ? 1.0 - eta * g.strength / norm : 0.0;
    const double factor = shrink > 0.0 ? shrink : 0.0;
    for (std::size_t k = 0; k < g.length; ++k) weights[g.offset + k] *= factor;
  }
}

EpochResult trainEpoch(HdnnpTraining& training, double* weights, double* m, double* v, int64_t& step, const int32_t* order,
                       std::size_t count, std::size_t batchSize, const LossWeights& lossWeights, const AdamSettings& settings,
                       const uint8_t* decayMask, const std::vector<WeightGroup>& groups, const std::atomic<bool>* cancel,
                       const uint8_t* forceMask) {
  require(batchSize > 0, "E_VALUE", "HDNNP training: the batch size must be at least 1");
  for (const WeightGroup& g : groups) {
    require(g.offset + g.length <= training.weightCount(), "E_VALUE", "HDNNP training: a weight group is out of range");
  }
  EpochResult out;
  out.errors.resize(count);
  std::vector<double> gradient(training.weightCount());
  double lossSum = 0.0;
  for (std::size_t start = 0; start < count; start += batchSize) {
    if (cancel != nullptr && cancel->load()) throw Error("E_CANCELLED", "HDNNP training was cancelled");
    const std::size_t B = std::min(batchSize, count - start);
    lossSum += training.loss(weights, order + start, B, lossWeights, gradient.data(), out.errors.data() + start, false,
                             forceMask != nullptr ? forceMask + start : nullptr);
    adamStep(weights, m, v, step, gradient.data(), gradient.size(), settings, decayMask, groups);
    ++out.batches;
  }
  out.loss = out.batches > 0 ? lossSum / static_cast<double>(out.batches) : 0.0;
  return out;
}

}  // namespace polymorph
