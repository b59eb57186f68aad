// HDNNP evaluation: neighbour list (potential units) → symmetry functions → scaling and
// extrapolation check → atomic networks (forward and backward, parallel over atoms) →
// contracted symmetry-function gradient → forces and virial.
#include "core/hdnnp.hpp"

#include <omp.h>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

std::string describe(const Extrapolation& x) {
  return "atom " + std::to_string(x.atom) + " function " + std::to_string(x.function + 1) + " value " +
         std::to_string(x.value) + " outside [" + std::to_string(x.minimum) + ", " + std::to_string(x.maximum) + "]";
}

}  // namespace

void validateHdnnp(const HdnnpModel& model) {
  require(model.functions != nullptr, "E_VALUE", "HDNNP: no symmetry functions");
  const int E = model.functions->elements();
  require(static_cast<int>(model.elements.size()) == E, "E_VALUE", "HDNNP: one network per element is needed");
  require(std::isfinite(model.convEnergy) && model.convEnergy != 0.0 && std::isfinite(model.meanEnergy), "E_VALUE",
          "HDNNP: normalisation must be finite with conv_energy != 0");
  require(std::isfinite(model.lengthFactor) && model.lengthFactor > 0.0 && std::isfinite(model.energyFactor) &&
              model.energyFactor > 0.0,
          "E_UNIT", "HDNNP: unit factors must be positive and finite");
  for (int e = 0; e < E; ++e) {
    const HdnnpElement& el = model.elements[e];
    const std::size_t n = model.functions->count(e);
    require(el.network != nullptr, "E_VALUE", "HDNNP: element " + std::to_string(e) + " has no network");
    require(static_cast<std::size_t>(el.network->inputs()) == n, "E_VALUE",
            "HDNNP: the network of element " + std::to_string(e) + " has " + std::to_string(el.network->inputs()) +
                " inputs but there are " + std::to_string(n) + " symmetry functions");
    require(el.scaleFactor.size() == n && el.scaleShift.size() == n && el.scaleBase.size() == n && el.minimum.size() == n && el.maximum.size() == n,
            "E_VALUE", "HDNNP: scaling data of element " + std::to_string(e) + " does not match its functions");
    for (std::size_t s = 0; s < n; ++s) {
      require(std::isfinite(el.scaleFactor[s]) && std::isfinite(el.scaleShift[s]) && std::isfinite(el.scaleBase[s]), "E_VALUE",
              "HDNNP: scaling of element " + std::to_string(e) + " function " + std::to_string(s + 1) + " is not finite");
    }
    require(std::isfinite(el.atomEnergy), "E_VALUE", "HDNNP: atom energy offsets must be finite");
  }
}

HdnnpResult computeHdnnp(const HdnnpModel& model, const HdnnpInput& in) {
  const SymmetryFunctionSet& set = *model.functions;
  const double L = model.lengthFactor;
  StructureInput structure = in.structure;
  structure.lengthFactor = L;
  require(!in.stress || structure.cell != nullptr, "E_CELL", "HDNNP: stress needs a cell (its volume); the structure has none");
  const std::size_t n = structure.n;
  double cell[9];
  NeighborListData own;
  if (in.list == nullptr) {
    own = scaledNeighborList(structure, set.elements(), set.cutoff(), cell);
  } else {
    checkNeighborListFor(*in.list, n, set.cutoff() / L, "HDNNP");
    for (int k = 0; k < 9; ++k) cell[k] = structure.cell != nullptr ? structure.cell[k] * L : 0.0;
    NeighborListData& derived = in.scratch != nullptr ? *in.scratch : own;
    deriveNeighborList(*in.list, structure.positions, structure.cell, n, set.cutoff(), true, L, derived);
    for (std::size_t p = 0; p < derived.distances.size(); ++p) {
      require(derived.distances[p] > 0.0, "E_VALUE", "HDNNP: two atoms are at the same place");
    }
  }
  const NeighborListData& list = in.list == nullptr || in.scratch == nullptr ? own : *in.scratch;
  const int32_t* elements = structure.elements;
  const AtomsView atoms{n, elements, &list};

  const int E = set.elements();
  const bool gradient = in.forces || in.stress;
  const double inverseConv = 1.0 / model.convEnergy;
  std::vector<double> atomEnergy(n);
  std::vector<double> grad(gradient ? 3 * n : 0, 0.0);
  double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  // One atom's network: scaled inputs → atom energy (potential unit) and, if w, ∂E/∂G (unscaled).
  const int threads = numThreads();
  std::vector<NeuralNetwork::Scratch> scratch(threads);
  std::vector<std::vector<double>> scaled(threads);
  auto network = [&](int t, std::size_t i, int e, const double* G, double* w) {
    const HdnnpElement& el = model.elements[e];
    const int count = set.count(e);
    std::vector<double>& x = scaled[t];
    x.resize(count);
    for (int s = 0; s < count; ++s) x[s] = el.scaleBase[s] + el.scaleFactor[s] * (G[s] - el.scaleShift[s]);
    const double nn = el.network->evaluate(x.data(), w, scratch[t]);
    atomEnergy[i] = nn * inverseConv + model.meanEnergy + el.atomEnergy;
    if (w != nullptr) {
      for (int s = 0; s < count; ++s) w[s] *= inverseConv * el.scaleFactor[s];
    }
  };
  SymmetryFunctionValues G;
  if (gradient) {
    G = fusedSymmetryFunctionGradient(set, atoms, network, grad.data(), virial);
  } else {
    G = symmetryFunctionValues(set, atoms);
    ParallelExceptions guard;
    const long count = static_cast<long>(n);
#pragma omp parallel for schedule(static) num_threads(threads)
    for (long i = 0; i < count; ++i) {
      guard.run([&] {
        const int e = elements[i];
        network(omp_get_thread_num(), static_cast<std::size_t>(i), e,
                G.values[e].data() + static_cast<std::size_t>(G.row[i]) * set.count(e), nullptr);
      });
    }
    guard.rethrow();
  }
  HdnnpResult out;
  // Extrapolation, atom by atom (n2p2 compares unscaled values with the training range).
  for (std::size_t i = 0; i < n; ++i) {
    const int e = elements[i];
    const HdnnpElement& el = model.elements[e];
    const int count = set.count(e);
    const double* g = G.values[e].data() + static_cast<std::size_t>(G.row[i]) * count;
    for (int s = 0; s < count; ++s) {
      if (g[s] < el.minimum[s] || g[s] > el.maximum[s]) {
        out.extrapolations.push_back({static_cast<int32_t>(i), e, s, g[s], el.minimum[s], el.maximum[s]});
      }
    }
  }
  (void)E;
  if (in.throwOnExtrapolation && !out.extrapolations.empty()) {
    throw Error("E_EXTRAPOLATION", "HDNNP: " + std::to_string(out.extrapolations.size()) +
                                       " symmetry-function values outside the training range, first: " +
                                       describe(out.extrapolations.front()));
  }
  const double EF = model.energyFactor;
  double energy = 0.0;
  for (std::size_t i = 0; i < n; ++i) energy += atomEnergy[i];
  out.energy = energy * EF;
  if (in.atomEnergies) {
    out.atomEnergies.resize(n);
    for (std::size_t i = 0; i < n; ++i) out.atomEnergies[i] = atomEnergy[i] * EF;
  }
  if (!gradient) return out;
  for (int k = 0; k < 9; ++k) out.virial[k] = virial[k] * EF;
  if (in.forces) {
    out.forces.resize(3 * n);
    const double f = -EF * L;
    for (std::size_t k = 0; k < 3 * n; ++k) out.forces[k] = f * grad[k];
  }
  if (in.stress) {
    Mat3 m;
    for (int k = 0; k < 9; ++k) m[k] = cell[k];
    const double volume = std::fabs(determinant(m));
    require(volume > 0.0, "E_CELL", "HDNNP: stress needs a non-singular cell");
    out.stress.resize(9);
    for (int a = 0; a < 3; ++a) {
      for (int b = 0; b < 3; ++b) {
        out.stress[3 * a + b] = virial[3 * a + b] / volume * EF * L * L * L;
      }
    }
  }
  return out;
}

double hdnnpCutoff(const HdnnpModel& model) { return model.functions->cutoff() / model.lengthFactor; }

HdnnpEvaluator::HdnnpEvaluator(std::shared_ptr<const HdnnpModel> model, const std::vector<int32_t>& elements)
    : model_(std::move(model)) {
  require(model_ != nullptr, "E_VALUE", "HDNNP: no model");
  validateHdnnp(*model_);
  require(static_cast<int>(elements.size()) == model_->functions->elements(), "E_SHAPE",
          "HDNNP: one atomic number per element of the model is needed");
  table_ = elementTypeTable(elements, "HDNNP");
  cutoff_ = hdnnpCutoff(*model_);
}

void HdnnpEvaluator::evaluate(const SystemView& s, const NeighborListData* list, const EvaluationRequest& request,
                              EvaluationOutput& out) {
  typesOf(s, table_, "HDNNP", types_);
  extrapolations_.clear();
  HdnnpInput in;
  in.structure.positions = s.positions;
  in.structure.n = s.n;
  in.structure.elements = types_.data();
  in.structure.cell = s.cell;
  for (int k = 0; k < 3; ++k) in.structure.pbc[k] = s.pbc[k];
  in.forces = request.forces || request.virial;  // the gradient gives the virial too
  in.atomEnergies = request.atomEnergies;
  in.throwOnExtrapolation = throwOnExtrapolation_;
  in.list = list;
  in.scratch = &scratch_;
  HdnnpResult r = computeHdnnp(*model_, in);
  extrapolations_ = std::move(r.extrapolations);
  copyResult(r, request, out);
}

std::vector<std::pair<std::string, double>> HdnnpEvaluator::diagnostics() const {
  return {{"extrapolations", static_cast<double>(extrapolations_.size())}};
}

}  // namespace polymorph
