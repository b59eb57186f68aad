// The evaluator interface's shared pieces: the native sum, element tables, system checks and
// the user-facing evaluation (formulas and conventions in evaluator.hpp).
#include "core/evaluator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"

namespace polymorph {

SumEvaluator::SumEvaluator(std::vector<std::shared_ptr<Evaluator>> terms, std::vector<double> weights)
    : terms_(std::move(terms)), weights_(std::move(weights)) {
  require(!terms_.empty(), "E_VALUE", "SumPotential: no terms");
  require(terms_.size() == weights_.size(), "E_SHAPE", "SumPotential: one weight per term is needed");
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    require(terms_[k] != nullptr, "E_VALUE", "SumPotential: term " + std::to_string(k) + " is missing");
    require(std::isfinite(weights_[k]), "E_VALUE", "SumPotential: weight of term " + std::to_string(k) + " is not finite");
    cutoff_ = std::max(cutoff_, terms_[k]->cutoff());
  }
}

void SumEvaluator::evaluate(const SystemView& system, const NeighborListData* list, const EvaluationRequest& request,
                            EvaluationOutput& out) {
  const std::size_t n = system.n;
  out.energy = 0.0;
  std::fill(out.virial, out.virial + 9, 0.0);
  if (request.forces) std::fill(out.forces, out.forces + 3 * n, 0.0), forces_.resize(3 * n);
  if (request.atomEnergies) std::fill(out.atomEnergies, out.atomEnergies + n, 0.0), atomEnergies_.resize(n);
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    EvaluationOutput term;
    term.forces = request.forces ? forces_.data() : nullptr;
    term.atomEnergies = request.atomEnergies ? atomEnergies_.data() : nullptr;
    terms_[k]->evaluate(system, terms_[k]->cutoff() > 0.0 ? list : nullptr, request, term);
    const double w = weights_[k];
    out.energy += w * term.energy;
    for (int a = 0; a < 9; ++a) out.virial[a] += w * term.virial[a];
    if (request.forces)
      for (std::size_t i = 0; i < 3 * n; ++i) out.forces[i] += w * forces_[i];
    if (request.atomEnergies)
      for (std::size_t i = 0; i < n; ++i) out.atomEnergies[i] += w * atomEnergies_[i];
  }
}

std::vector<std::pair<std::string, double>> SumEvaluator::diagnostics() const {
  std::vector<std::pair<std::string, double>> all;
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    for (auto& [key, value] : terms_[k]->diagnostics()) all.emplace_back("term" + std::to_string(k) + "." + key, value);
  }
  return all;
}

ChargeTable::ChargeTable(const std::vector<int32_t>& elements, const std::vector<double>& charges) {
  require(elements.size() == charges.size(), "E_SHAPE", "charges: one charge per element is needed");
  byElement_.assign(119, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t k = 0; k < elements.size(); ++k) {
    const int32_t z = elements[k];
    require(z >= 1 && z <= 118, "E_VALUE", "charges: atomic number " + std::to_string(z) + " is outside 1…118");
    require(std::isnan(byElement_[static_cast<std::size_t>(z)]), "E_VALUE", "charges: element Z=" + std::to_string(z) + " is given twice");
    require(std::isfinite(charges[k]), "E_VALUE", "charges: the charge of Z=" + std::to_string(z) + " is not finite");
    byElement_[static_cast<std::size_t>(z)] = charges[k];
  }
}

void ChargeTable::chargesOf(const SystemView& s, const std::string& what, std::vector<double>& out) const {
  out.resize(s.n);
  if (perAtom()) {
    require(s.charges != nullptr, "E_VALUE",
            what + ": no charges: give charges by element in the options, or per-atom charges in the structure");
    if (const std::size_t i = firstNonFinite(s.charges, s.n); i < s.n) {
      throw Error("E_VALUE", what + ": the charge of atom " + std::to_string(i) + " is not finite");
    }
    std::copy(s.charges, s.charges + s.n, out.begin());
    return;
  }
  for (std::size_t i = 0; i < s.n; ++i) {
    const int32_t z = s.numbers[i];
    const double q = z >= 1 && z <= 118 ? byElement_[static_cast<std::size_t>(z)] : std::numeric_limits<double>::quiet_NaN();
    if (std::isnan(q)) {
      throw Error("E_ELEMENT", what + ": atom " + std::to_string(i) + " (Z=" + std::to_string(z) + ") has no charge in the charge map");
    }
    out[i] = q;
  }
}

std::vector<int32_t> elementTypeTable(const std::vector<int32_t>& elements, const std::string& what) {
  std::vector<int32_t> table(119, -1);
  for (std::size_t t = 0; t < elements.size(); ++t) {
    const int32_t z = elements[t];
    require(z >= 1 && z <= 118, "E_VALUE", what + ": atomic number " + std::to_string(z) + " is outside 1…118");
    require(table[static_cast<std::size_t>(z)] < 0, "E_VALUE", what + ": element Z=" + std::to_string(z) + " is given twice");
    table[static_cast<std::size_t>(z)] = static_cast<int32_t>(t);
  }
  return table;
}

void typesOf(const SystemView& system, const std::vector<int32_t>& table, const std::string& what,
             std::vector<int32_t>& types) {
  types.resize(system.n);
  for (std::size_t i = 0; i < system.n; ++i) {
    const int32_t z = system.numbers[i];
    const int32_t t = z >= 1 && z <= 118 ? table[static_cast<std::size_t>(z)] : -1;
    if (t < 0) {
      std::string covered;
      for (std::size_t k = 1; k < table.size(); ++k)
        if (table[k] >= 0) covered += (covered.empty() ? "" : ", ") + std::string("Z=") + std::to_string(k);
      throw Error("E_ELEMENT", what + ": atom " + std::to_string(i) + " has atomic number " + std::to_string(z) +
                                   ", which this potential does not cover (it covers " + covered + ")");
    }
    types[i] = t;
  }
}

void checkSystem(const SystemView& s, const std::string& what) {
  require(s.n > 0, "E_EMPTY", what + ": the structure has no atoms");
  require(s.positions != nullptr && s.numbers != nullptr, "E_VALUE", what + ": positions or atomic numbers are missing");
  if (const std::size_t k = firstNonFinite(s.positions, 3 * s.n); k < 3 * s.n) {
    throw Error("E_VALUE", what + ": position of atom " + std::to_string(k / 3) + " is not finite");
  }
  if (s.cell != nullptr) {
    for (int k = 0; k < 9; ++k) require(std::isfinite(s.cell[k]), "E_CELL", what + ": the cell is not finite");
  }
  require(!(s.pbc[0] || s.pbc[1] || s.pbc[2]) || s.cell != nullptr, "E_CELL", what + ": a periodic structure needs a cell");
}

const NeighborListData& halfListFor(const NeighborListData& shared, const SystemView& system, double cutoff,
                                    NeighborListData& scratch) {
  if (!shared.full) return shared;
  deriveNeighborList(shared, system.positions, system.cell, system.n, cutoff, false, 1.0, scratch);
  return scratch;
}


Evaluation evaluateSystem(Evaluator& evaluator, const SystemView& system, bool forces, bool stress, bool atomEnergies,
                          const NeighborListData* list) {
  const std::string what = evaluator.name();
  checkSystem(system, what);
  const double volume = stress ? stressVolume(system.cell, what) : 0.0;
  NeighborListData own;
  const double cutoff = evaluator.cutoff();
  if (cutoff > 0.0) {
    if (list == nullptr) list = &halfListOrBuild(nullptr, system.positions, system.n, system.cell, system.pbc, cutoff, own, what);
    else checkNeighborListFor(*list, system.n, cutoff, what);
  }
  Evaluation result;
  EvaluationRequest request;
  request.forces = forces;
  request.virial = stress;
  request.atomEnergies = atomEnergies;
  EvaluationOutput out;
  if (forces) result.forces.resize(3 * system.n), out.forces = result.forces.data();
  if (atomEnergies) result.atomEnergies.resize(system.n), out.atomEnergies = result.atomEnergies.data();
  evaluator.evaluate(system, cutoff > 0.0 ? list : nullptr, request, out);
  result.energy = out.energy;
  require(std::isfinite(out.energy), "E_VALUE", what + ": the energy is not finite");
  if (stress) {
    result.stress.resize(9);
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) result.stress[3 * a + b] = 0.5 * (out.virial[3 * a + b] + out.virial[3 * b + a]) / volume;
  }
  result.diagnostics = evaluator.diagnostics();
  return result;
}

}  // namespace polymorph
