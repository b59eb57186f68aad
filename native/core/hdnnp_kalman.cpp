// The global extended Kalman filter for HDNNP training (formulas and schedule in hdnnp_kalman.hpp).
#include "core/hdnnp_kalman.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/random.hpp"

namespace polymorph {
namespace {

// One structure of the current pool: values, derivatives and, per atom a, the derivative slots
// that move when a moves: (atom i, element, row, slot, sign) with sign +1 where a is the
// neighbour of slot m of atom i and −1 for a's own slots (∂G_a/∂r_a = −Σ_m ∂G_a/∂d_m).
struct PoolStructure {
  std::size_t index = 0;
  SymmetryFunctionValues G;
  std::vector<SymmetryFunctionDerivatives> D;
  std::vector<int32_t> termStart;  // [n+1]
  struct Term {
    int32_t atom, element, row, slot;
    double sign;
  };
  std::vector<Term> terms;
};

void preparePool(HdnnpTraining& training, std::size_t s, PoolStructure& p) {
  const TrainingStructure& st = training.structure(s);
  const SymmetryFunctionSet& set = training.functions();
  const std::size_t n = st.elements.size();
  double cell[9];
  const NeighborListData list = trainingNeighborList(set, st, cell);
  const AtomsView atoms{n, st.elements.data(), &list};
  p.index = s;
  p.G = symmetryFunctionDerivatives(set, atoms, p.D);
  std::vector<int32_t> counts(n + 1, 0);
  for (int e = 0; e < set.elements(); ++e) {
    const SymmetryFunctionDerivatives& d = p.D[e];
    for (std::size_t k = 0; k < p.G.atoms[e].size(); ++k) {
      for (int32_t m = d.start[k]; m < d.start[k + 1]; ++m) {
        ++counts[d.neighbor[m] + 1];
        ++counts[p.G.atoms[e][k] + 1];
      }
    }
  }
  for (std::size_t a = 0; a < n; ++a) counts[a + 1] += counts[a];
  p.termStart = counts;
  p.terms.assign(counts[n], {});
  std::vector<int32_t> cursor(counts.begin(), counts.end() - 1);
  for (int e = 0; e < set.elements(); ++e) {
    const SymmetryFunctionDerivatives& d = p.D[e];
    for (std::size_t k = 0; k < p.G.atoms[e].size(); ++k) {
      const int32_t i = p.G.atoms[e][k];
      for (int32_t m = d.start[k]; m < d.start[k + 1]; ++m) {
        p.terms[cursor[d.neighbor[m]]++] = {i, e, static_cast<int32_t>(k), m, 1.0};
        p.terms[cursor[i]++] = {i, e, static_cast<int32_t>(k), m, -1.0};
      }
    }
  }
}

// Work space of the updates.
struct Work {
  NetworkGradient::Scratch scratch;
  std::vector<double> x, g, H, X;
  std::vector<int32_t> touched, slot;  // atoms moved by the candidate; slot of each atom in u
  std::vector<double> u;               // per touched atom: ∂G_i/∂r_a,c (n_e values, stride widest)
};

const double* scaled(const HdnnpTraining& t, const PoolStructure& p, int32_t i, std::vector<double>& x) {
  const int e = t.structure(p.index).elements[i];
  const int count = t.functions().count(e);
  const TrainingElement& el = t.element(e);
  const double* G = p.G.values[e].data() + static_cast<std::size_t>(p.G.row[i]) * count;
  x.resize(count);
  for (int q = 0; q < count; ++q) x[q] = el.scaleBase[q] + el.scaleFactor[q] * (G[q] - el.scaleShift[q]);
  return x.data();
}

// E − E_ref (potential units) of a pool structure at `weights`.
double energyError(const HdnnpTraining& t, const double* weights, const PoolStructure& p, Work& w) {
  const TrainingStructure& st = t.structure(p.index);
  double energy = 0.0;
  for (std::size_t i = 0; i < st.elements.size(); ++i) {
    const int e = st.elements[i];
    const double o = t.network(e).forward(weights + t.weightOffset(e), scaled(t, p, static_cast<int32_t>(i), w.x), w.scratch);
    energy += o / t.convEnergy() + t.meanEnergy() + t.element(e).atomEnergy;
  }
  return energy - st.energy;
}

// Collects ∂G_i/∂r_a,c for every atom i that atom a's move changes (u, touched).
void collect(const HdnnpTraining& t, const PoolStructure& p, int32_t a, int c, std::size_t widest, Work& w) {
  const TrainingStructure& st = t.structure(p.index);
  w.slot.assign(st.elements.size(), -1);
  w.touched.clear();
  for (int32_t q = p.termStart[a]; q < p.termStart[a + 1]; ++q) {
    const PoolStructure::Term& term = p.terms[q];
    if (w.slot[term.atom] < 0) {
      w.slot[term.atom] = static_cast<int32_t>(w.touched.size());
      w.touched.push_back(term.atom);
    }
  }
  w.u.assign(w.touched.size() * widest, 0.0);
  for (int32_t q = p.termStart[a]; q < p.termStart[a + 1]; ++q) {
    const PoolStructure::Term& term = p.terms[q];
    const int count = t.functions().count(term.element);
    const double* Dm = p.D[term.element].derivative.data() + static_cast<std::size_t>(term.slot) * count * 3;
    double* u = w.u.data() + static_cast<std::size_t>(w.slot[term.atom]) * widest;
    for (int s = 0; s < count; ++s) u[s] += term.sign * Dm[3 * s + c];
  }
}

// F_a,c − F_ref (potential units) after collect().
double forceError(const HdnnpTraining& t, const double* weights, const PoolStructure& p, int32_t a, int c,
                  std::size_t widest, Work& w) {
  const TrainingStructure& st = t.structure(p.index);
  double gradient = 0.0;  // ∂E/∂r_a,c
  for (std::size_t k = 0; k < w.touched.size(); ++k) {
    const int32_t i = w.touched[k];
    const int e = st.elements[i];
    const int count = t.functions().count(e);
    const NetworkGradient& net = t.network(e);
    const double* wt = weights + t.weightOffset(e);
    net.forward(wt, scaled(t, p, i, w.x), w.scratch);
    w.g.resize(count);
    net.inputGradient(wt, w.scratch, w.g.data());
    const double* u = w.u.data() + k * widest;
    const TrainingElement& el = t.element(e);
    for (int s = 0; s < count; ++s) gradient += w.g[s] * el.scaleFactor[s] * u[s];
  }
  gradient /= t.convEnergy();
  return -gradient - st.forces[3 * static_cast<std::size_t>(a) + c];
}

void kalmanUpdate(KalmanState& state, double* weights, std::size_t W, const double* H, double xi, double etaStep,
                  double qStep, const KalmanSettings& k, std::vector<double>& X) {
  X.assign(W, 0.0);
  const double* P = state.P.data();
  for (std::size_t i = 0; i < W; ++i) {
    const double* row = P + i * W;
    double sum = 0.0;
    for (std::size_t j = 0; j < W; ++j) sum += row[j] * H[j];
    X[i] = sum;
  }
  double A = 0.0;
  for (std::size_t i = 0; i < W; ++i) A += H[i] * X[i];
  if (state.eta < k.etamax) state.eta *= etaStep;
  A += 1.0 / state.eta;
  const double inverse = 1.0 / A;
  double* Pm = state.P.data();
  for (std::size_t i = 0; i < W; ++i) {
    double* row = Pm + i * W;
    const double xi_i = X[i] * inverse;
    for (std::size_t j = 0; j < W; ++j) row[j] -= xi_i * X[j];
    row[i] += state.q;
  }
  for (std::size_t i = 0; i < W; ++i) weights[i] += X[i] * inverse * xi;
  if (state.q > k.qmin) state.q *= qStep;
  ++state.updates;
}

}  // namespace

KalmanState kalmanInitialize(std::size_t W, const KalmanSettings& k) {
  require(k.epsilon > 0.0 && k.eta0 > 0.0 && k.etamax > 0.0 && k.q0 >= 0.0 && k.qmin >= 0.0, "E_VALUE",
          "Kalman filter: epsilon, eta0 and etamax must be > 0, q0 and qmin >= 0");
  require(W > 0 && W <= 20000, "E_VALUE", "Kalman filter: the P matrix needs 1 to 20000 weights (W² doubles)");
  KalmanState s;
  s.P.assign(W * W, 0.0);
  for (std::size_t i = 0; i < W; ++i) s.P[i * W + i] = 1.0 / k.epsilon;
  s.q = k.q0;
  s.eta = k.eta0;
  return s;
}

KalmanEpochResult kalmanEpoch(HdnnpTraining& t, double* weights, KalmanState& state, const int32_t* order, std::size_t count,
                              const KalmanSettings& k, uint64_t seed, double energyRmse, double forceRmse,
                              const std::atomic<bool>* cancel) {
  const std::size_t W = t.weightCount();
  require(state.P.size() == W * W, "E_SHAPE", "Kalman filter: P must be W×W for W = " + std::to_string(W));
  require(k.pool >= 1 && k.thresholdTrials >= 1, "E_VALUE", "Kalman filter: pool and thresholdTrials must be >= 1");
  require(k.energyFraction >= 0.0 && k.forceFraction >= 0.0 && k.energyFraction + k.forceFraction > 0.0, "E_VALUE",
          "Kalman filter: the update fractions must be >= 0 and not both 0");
  for (std::size_t b = 0; b < count; ++b) {
    require(order[b] >= 0 && static_cast<std::size_t>(order[b]) < t.structureCount(), "E_VALUE", "Kalman filter: structure index out of range");
  }
  // Updates in the epoch (for the per-update annealing steps).
  double components = 0.0;
  for (std::size_t b = 0; b < count; ++b) components += static_cast<double>(t.structure(order[b]).forces.size());
  const double totalEnergy = std::round(k.energyFraction * static_cast<double>(count));
  const double totalForce = std::round(k.forceFraction * components);
  const double U = std::max(1.0, totalEnergy + totalForce);
  const double etaStep = std::exp(k.etatau / U), qStep = std::exp(-k.qtau / U);
  std::size_t widest = 0;
  for (int e = 0; e < t.elementCount(); ++e) widest = std::max<std::size_t>(widest, t.functions().count(e));

  Random random(seed);
  KalmanEpochResult out;
  std::vector<PoolStructure> pool(static_cast<std::size_t>(k.pool));
  Work w;
  w.H.resize(W);
  double seenComponents = 0.0;
  int64_t energyDone = 0, forceDone = 0;
  for (std::size_t start = 0; start < count; start += static_cast<std::size_t>(k.pool)) {
    if (cancel != nullptr && cancel->load()) throw Error("E_CANCELLED", "HDNNP training was cancelled");
    const std::size_t size = std::min<std::size_t>(static_cast<std::size_t>(k.pool), count - start);
    std::vector<std::size_t> withForces;
    for (std::size_t b = 0; b < size; ++b) {
      preparePool(t, static_cast<std::size_t>(order[start + b]), pool[b]);
      seenComponents += static_cast<double>(t.structure(order[start + b]).forces.size());
      if (!t.structure(order[start + b]).forces.empty()) withForces.push_back(b);
    }
    // This pool's share of the epoch's updates (cumulative rounding keeps the epoch totals).
    const int64_t energyTarget = static_cast<int64_t>(std::round(k.energyFraction * static_cast<double>(start + size)));
    const int64_t forceTarget = withForces.empty() ? forceDone : static_cast<int64_t>(std::round(k.forceFraction * seenComponents));
    std::vector<uint8_t> schedule;
    schedule.insert(schedule.end(), static_cast<std::size_t>(energyTarget - energyDone), 0);
    schedule.insert(schedule.end(), static_cast<std::size_t>(std::max<int64_t>(0, forceTarget - forceDone)), 1);
    for (std::size_t q = schedule.size(); q > 1; --q) std::swap(schedule[q - 1], schedule[static_cast<std::size_t>(random.uniform() * q)]);
    std::vector<std::size_t> energyOrder(size);
    for (std::size_t b = 0; b < size; ++b) energyOrder[b] = b;
    for (std::size_t q = size; q > 1; --q) std::swap(energyOrder[q - 1], energyOrder[static_cast<std::size_t>(random.uniform() * q)]);
    std::size_t nextEnergy = 0;
    for (uint8_t force : schedule) {
      std::fill(w.H.begin(), w.H.end(), 0.0);
      if (!force) {
        // Energy: candidates in shuffled pool order; threshold × RMSE (per atom) or the largest tried.
        double best = -1.0, bestError = 0.0;
        std::size_t bestB = 0;
        for (int trial = 0; trial < k.thresholdTrials; ++trial) {
          const std::size_t b = energyOrder[nextEnergy++ % size];
          const double err = energyError(t, weights, pool[b], w);
          const double perAtom = std::fabs(err) / static_cast<double>(t.structure(pool[b].index).elements.size());
          if (perAtom > best) best = perAtom, bestError = err, bestB = b;
          if (!(energyRmse > 0.0) || perAtom > k.energyThreshold * energyRmse) break;
        }
        const PoolStructure& p = pool[bestB];
        const TrainingStructure& st = t.structure(p.index);
        for (std::size_t i = 0; i < st.elements.size(); ++i) {
          const int e = st.elements[i];
          const double* wt = weights + t.weightOffset(e);
          t.network(e).forward(wt, scaled(t, p, static_cast<int32_t>(i), w.x), w.scratch);
          t.network(e).backward(wt, 1.0, 0.0, w.scratch, w.H.data() + t.weightOffset(e));
        }
        const double n = static_cast<double>(st.elements.size());
        out.energySquares += (bestError / n) * (bestError / n);
        ++out.energyCount;
        kalmanUpdate(state, weights, W, w.H.data(), -t.convEnergy() * bestError, etaStep, qStep, k, w.X);
        ++out.energyUpdates;
        ++energyDone;
        continue;
      }
      // Force component: random (structure, atom, component) candidates.
      double best = -1.0;
      std::size_t bestB = 0;
      int32_t bestA = 0;
      int bestC = 0;
      for (int trial = 0; trial < k.thresholdTrials; ++trial) {
        const std::size_t b = withForces[static_cast<std::size_t>(random.uniform() * withForces.size())];
        const std::size_t n = t.structure(pool[b].index).elements.size();
        const int32_t a = static_cast<int32_t>(random.uniform() * n);
        const int c = static_cast<int>(random.uniform() * 3);
        collect(t, pool[b], a, c, widest, w);
        const double err = std::fabs(forceError(t, weights, pool[b], a, c, widest, w));
        if (err > best) best = err, bestB = b, bestA = a, bestC = c;
        if (!(forceRmse > 0.0) || err > k.forceThreshold * forceRmse) break;
      }
      const PoolStructure& p = pool[bestB];
      collect(t, p, bestA, bestC, widest, w);
      const double err = forceError(t, weights, p, bestA, bestC, widest, w);
      const TrainingStructure& st = t.structure(p.index);
      for (std::size_t q = 0; q < w.touched.size(); ++q) {
        const int32_t i = w.touched[q];
        const int e = st.elements[i];
        const int n = t.functions().count(e);
        const NetworkGradient& net = t.network(e);
        const double* wt = weights + t.weightOffset(e);
        net.forward(wt, scaled(t, p, i, w.x), w.scratch);
        std::vector<double>& v = w.g;
        v.resize(n);
        const double* u = w.u.data() + q * widest;
        for (int s = 0; s < n; ++s) v[s] = t.element(e).scaleFactor[s] * u[s];
        net.tangent(wt, v.data(), w.scratch);
        // c·w_F·∂F/∂θ with F = −(1/c) Σ_i g_i·v_i: the conv factors cancel.
        net.backward(wt, 0.0, -k.forceWeight, w.scratch, w.H.data() + t.weightOffset(e));
      }
      out.forceSquares += err * err;
      ++out.forceCount;
      kalmanUpdate(state, weights, W, w.H.data(), -t.convEnergy() * k.forceWeight * err, etaStep, qStep, k, w.X);
      ++out.forceUpdates;
      ++forceDone;
    }
  }
  return out;
}

}  // namespace polymorph
