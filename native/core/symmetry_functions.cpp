// Symmetry-function set: validation, grouping, and the three evaluations (values, stored
// derivatives, contraction), OpenMP-parallel over atoms. Kernels: symmetry_function_kernels.hpp.
#include "core/symmetry_functions.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <climits>
#include <string>

#include "core/error.hpp"
#include "core/symmetry_function_angular.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

constexpr double kDegree = 3.141592653589793238462643383279502884 / 180.0;

bool isAngular(int type) { return type == 3 || type == 9 || type == 13 || type == 21 || type == 22 || type == 24 || type == 25; }
bool isWeighted(int type) { return type == 12 || type == 13 || type == 23 || type == 24 || type == 25; }
bool isCompact(int type) { return type >= 20; }
bool isNarrow(int type) { return type == 3 || type == 13 || type == 21 || type == 24; }
bool isKnown(int type) {
  return type == 2 || type == 3 || type == 9 || type == 12 || type == 13 || (type >= 20 && type <= 25);
}

void validate(const SymmetryFunctionParameters& f, int index, int elements, int previousElement) {
  const std::string what = "symmetry function " + std::to_string(index) + " (type " + std::to_string(f.type) + ")";
  require(isKnown(f.type), "E_VALUE", what + ": unknown type (n2p2 knows 2, 3, 9, 12, 13, 20-25)");
  require(f.element >= 0 && f.element < elements, "E_VALUE", what + ": central element index out of range");
  require(f.element >= previousElement, "E_VALUE", what + ": functions must be ordered by central element");
  const bool weighted = isWeighted(f.type), angular = isAngular(f.type);
  if (weighted) {
    require(f.e1 == -1 && f.e2 == -1, "E_VALUE", what + ": weighted types take no neighbour elements (use -1)");
  } else {
    require(f.e1 >= 0 && f.e1 < elements, "E_VALUE", what + ": neighbour element index out of range");
    if (angular) {
      require(f.e2 >= f.e1 && f.e2 < elements, "E_VALUE",
              what + ": second neighbour element out of range or before the first (order them by atomic number)");
    }
  }
  const double values[] = {f.eta, f.rShift, f.lambda, f.zeta, f.cutoff, f.rLow, f.angleLeft, f.angleRight};
  for (double v : values) require(std::isfinite(v), "E_VALUE", what + ": parameters must be finite");
  require(f.cutoff > 0.0, "E_VALUE", what + ": cutoff must be > 0");
  if (!isCompact(f.type)) {
    require(f.eta >= 0.0, "E_VALUE", what + ": eta must be >= 0");
    if (angular) require(f.zeta >= 1.0, "E_VALUE", what + ": zeta must be >= 1");
  } else {
    require(f.rLow < f.cutoff, "E_VALUE", what + ": rLow must be < cutoff");
    require(f.core >= 1 && f.core <= 5, "E_VALUE", what + ": compact core must be 1-4 (POLY1-4) or 5 (EXP)");
    if (angular) {
      require(f.angleLeft < f.angleRight && f.angleRight - f.angleLeft <= 360.0, "E_VALUE",
              what + ": the angle window must have left < right and span at most 360 degrees");
      require(f.angleLeft >= 0.0 || f.angleLeft + f.angleRight == 0.0, "E_VALUE",
              what + ": a window reaching below 0 degrees must be centred on 0");
      require(f.angleRight <= 180.0 || f.angleLeft + f.angleRight == 360.0, "E_VALUE",
              what + ": a window reaching above 180 degrees must be centred on 180");
    }
  }
}

// Index of (eta, shift) in the group's distinct pairs, appended if new.
int gaussianIndex(SymmetryFunctionGroup& g, double eta, double shift) {
  for (std::size_t q = 0; q < g.gaussianEta.size(); ++q) {
    if (g.gaussianEta[q] == eta && g.gaussianShift[q] == shift) return static_cast<int>(q);
  }
  g.gaussianEta.push_back(eta);
  g.gaussianShift.push_back(shift);
  return static_cast<int>(g.gaussianEta.size() - 1);
}

// Index of (lambda, zeta) in the group's distinct pairs, appended if new.
int angularIndex(SymmetryFunctionGroup& g, double lambda, double zeta) {
  for (std::size_t q = 0; q < g.angularLambda.size(); ++q) {
    if (g.angularLambda[q] == lambda && g.angularZeta[q] == zeta) return static_cast<int>(q);
  }
  g.angularLambda.push_back(lambda);
  g.angularZeta.push_back(zeta);
  return static_cast<int>(g.angularLambda.size() - 1);
}

int radialIndex(SymmetryFunctionGroup& g, const SymmetryFunctionParameters& f) {
  const CoreType core = static_cast<CoreType>(f.core);
  for (std::size_t q = 0; q < g.radial.size(); ++q) {
    const CompactFunction& c = g.radial[q];
    if (g.radialLow[q] == f.rLow && c.right == f.cutoff && c.core == core && c.asymmetric == f.asymmetric) {
      return static_cast<int>(q);
    }
  }
  g.radial.emplace_back(f.rLow, f.cutoff, core, f.asymmetric);
  g.radialLow.push_back(f.rLow);
  return static_cast<int>(g.radial.size() - 1);
}

void addMember(SymmetryFunctionGroup& g, const SymmetryFunctionParameters& f, int index) {
  g.index.push_back(index);
  if (!isCompact(f.type)) {
    g.eta.push_back(f.eta);
    g.rShift.push_back(f.rShift);
    g.lambda.push_back(f.lambda);
    g.zeta.push_back(f.zeta);
    g.prefactor.push_back(std::pow(2.0, 1.0 - f.zeta));
    const double rounded = std::round(f.zeta);
    g.integerZeta.push_back(std::fabs(f.zeta - rounded) <= 2.2250738585072014e-308 && rounded < 1e6
                                ? static_cast<int>(rounded)
                                : -1);
    g.gaussian.push_back(gaussianIndex(g, f.eta, f.rShift));
    if (isAngular(f.type)) g.angular.push_back(angularIndex(g, f.lambda, f.zeta));
  } else {
    g.radialIndex.push_back(radialIndex(g, f));
    g.cutoff = std::max(g.cutoff, f.cutoff);
    if (isAngular(f.type)) {
      // Angular parts use the symmetric core.
      g.angle.emplace_back(f.angleLeft * kDegree, f.angleRight * kDegree, static_cast<CoreType>(f.core), false);
      g.angleLeft.push_back(f.angleLeft * kDegree);
      g.angleRight.push_back(f.angleRight * kDegree);
    }
  }
}

std::vector<SymmetryFunctionGroup> makeGroups(const std::vector<SymmetryFunctionParameters>& functions, int element,
                                              int cutoffType, double cutoffAlpha) {
  std::vector<SymmetryFunctionGroup> groups;
  int index = 0;
  for (const SymmetryFunctionParameters& f : functions) {
    if (f.element != element) continue;
    const bool compact = isCompact(f.type);
    SymmetryFunctionGroup* target = nullptr;
    for (SymmetryFunctionGroup& g : groups) {
      if (g.type == f.type && g.e1 == f.e1 && g.e2 == f.e2 && (compact || g.cutoff == f.cutoff)) {
        target = &g;
        break;
      }
    }
    if (target == nullptr) {
      SymmetryFunctionGroup g;
      g.type = f.type;
      g.narrow = isNarrow(f.type);
      g.weighted = isWeighted(f.type);
      g.e1 = f.e1;
      g.e2 = f.e2;
      g.kind = compact ? (isAngular(f.type) ? GroupKind::CompactAngular : GroupKind::CompactRadial)
                       : (isAngular(f.type) ? GroupKind::GaussianAngular : GroupKind::GaussianRadial);
      if (!compact) {
        g.cutoff = f.cutoff;
        g.cutoffFunction = CutoffFunction(cutoffType, f.cutoff, cutoffAlpha);
      }
      groups.push_back(std::move(g));
      target = &groups.back();
    }
    addMember(*target, f, index);
    ++index;
  }
  for (SymmetryFunctionGroup& g : groups) {
    const int R = static_cast<int>(g.radial.size());
    g.radialMembers.assign(R, {});
    for (std::size_t m = 0; m < g.radialIndex.size(); ++m) g.radialMembers[g.radialIndex[m]].push_back(static_cast<int>(m));
    g.radialOrder.resize(R);
    for (int q = 0; q < R; ++q) g.radialOrder[q] = q;
    std::stable_sort(g.radialOrder.begin(), g.radialOrder.end(),
                     [&](int a, int b) { return g.radial[a].right > g.radial[b].right; });
  }
  return groups;
}

// Neighbours of atom i within the element's cutoff, sorted by element (stable).
void buildEnvironment(const SymmetryFunctionSet& set, const AtomsView& atoms, std::size_t i, Environment& env,
                      std::vector<int>& slots) {
  const NeighborListData& list = *atoms.list;
  const int e = atoms.elements[i];
  const double rc = set.cutoff(e);
  const int E = set.elements();
  env.start.assign(E + 1, 0);
  slots.clear();
  for (int32_t m = list.rowPtr[i]; m < list.rowPtr[i + 1]; ++m) {
    const double r = list.distances[m];
    // Closer than 1e-8 length units is the same place up to rounding (e.g. an atom on a periodic
    // image of another): unit vectors and derivatives would be noise.
    if (!(r > 1e-8)) {
      throw Error("E_VALUE", "symmetry functions: atoms " + std::to_string(i) + " and " +
                                 std::to_string(list.neighbors[m]) + " are at the same place");
    }
    if (r >= rc) continue;
    slots.push_back(m);
    ++env.start[atoms.elements[list.neighbors[m]] + 1];
  }
  for (int k = 0; k < E; ++k) env.start[k + 1] += env.start[k];
  const int n = static_cast<int>(slots.size());
  env.n = n;
  for (auto* v : {&env.r, &env.ux, &env.uy, &env.uz, &env.dx, &env.dy, &env.dz, &env.z}) v->resize(n);
  env.atom.resize(n);
  env.row.resize(n);
  env.cursor.assign(env.start.begin(), env.start.end() - 1);
  for (int row = 0; row < n; ++row) {
    const int32_t m = slots[row];
    const int j = list.neighbors[m];
    const int p = env.cursor[atoms.elements[j]]++;
    const double r = list.distances[m];
    const double* d = &list.vectors[3 * static_cast<std::size_t>(m)];
    env.r[p] = r;
    env.dx[p] = d[0];
    env.dy[p] = d[1];
    env.dz[p] = d[2];
    env.ux[p] = d[0] / r;
    env.uy[p] = d[1] / r;
    env.uz[p] = d[2] / r;
    env.z[p] = set.atomicNumber(atoms.elements[j]);
    env.atom[p] = j;
    env.row[p] = row;
  }
}

struct ValueSink {
  static constexpr bool derivatives = false;
  static constexpr int fast = 1;
  double* G = nullptr;
  void value(int s, double t) { G[s] += t; }
};

// Stores ∂G_s/∂d for each neighbour row: D[(row·n_e + s)·3 + a].
struct StoreSink {
  static constexpr bool derivatives = true;
  static constexpr int fast = 0;
  const Environment* env = nullptr;
  double* G = nullptr;
  double* D = nullptr;
  int count = 0;
  void value(int s, double t) { G[s] += t; }
  void add(int p, int s, double x, double y, double z) {
    double* d = D + (static_cast<std::size_t>(env->row[p]) * count + s) * 3;
    d[0] += x;
    d[1] += y;
    d[2] += z;
  }
  void radial(int s, int p, double dR) { add(p, s, dR * env->ux[p], dR * env->uy[p], dR * env->uz[p]); }
  void triplet(int s, const Triplet& T, double Rij, double Rik, double Rjk, double Cos) {
    const Environment& e = *env;
    const int j = T.j, k = T.k;
    const double cj = Cos / e.r[j], ck = Cos / e.r[k];
    add(j, s, Rij * e.ux[j] + cj * (e.ux[k] - T.cos * e.ux[j]) - Rjk * T.ujk[0],
        Rij * e.uy[j] + cj * (e.uy[k] - T.cos * e.uy[j]) - Rjk * T.ujk[1],
        Rij * e.uz[j] + cj * (e.uz[k] - T.cos * e.uz[j]) - Rjk * T.ujk[2]);
    add(k, s, Rik * e.ux[k] + ck * (e.ux[j] - T.cos * e.ux[k]) + Rjk * T.ujk[0],
        Rik * e.uy[k] + ck * (e.uy[j] - T.cos * e.uy[k]) + Rjk * T.ujk[1],
        Rik * e.uz[k] + ck * (e.uz[j] - T.cos * e.uz[k]) + Rjk * T.ujk[2]);
  }
  void endTriplet(const Triplet&, double, double) {}
};

// Accumulates Σ_s w_s ∂G_s/∂d_p per neighbour: a radial scalar (along u_p) plus a vector.
struct ContractSink {
  static constexpr bool derivatives = true;
  static constexpr int fast = 2;
  const Environment* env = nullptr;
  const double* w = nullptr;
  std::vector<double> radialSum, gx, gy, gz;
  double sRij = 0, sRik = 0, sRjk = 0, sCos = 0;
  void reset(int n) {
    radialSum.assign(n, 0.0);
    gx.assign(n, 0.0);
    gy.assign(n, 0.0);
    gz.assign(n, 0.0);
  }
  void value(int, double) {}
  void radial(int s, int p, double dR) { radialSum[p] += w[s] * dR; }
  void triplet(int s, const Triplet&, double Rij, double Rik, double Rjk, double Cos) {
    const double ws = w[s];
    sRij += ws * Rij;
    sRik += ws * Rik;
    sRjk += ws * Rjk;
    sCos += ws * Cos;
  }
  void endTriplet(const Triplet& T, double rij, double rik) {
    const Environment& e = *env;
    const int j = T.j, k = T.k;
    radialSum[j] += sRij;
    radialSum[k] += sRik;
    const double cj = sCos / rij, ck = sCos / rik;
    gx[j] += cj * (e.ux[k] - T.cos * e.ux[j]) - sRjk * T.ujk[0];
    gy[j] += cj * (e.uy[k] - T.cos * e.uy[j]) - sRjk * T.ujk[1];
    gz[j] += cj * (e.uz[k] - T.cos * e.uz[j]) - sRjk * T.ujk[2];
    gx[k] += ck * (e.ux[j] - T.cos * e.ux[k]) + sRjk * T.ujk[0];
    gy[k] += ck * (e.uy[j] - T.cos * e.uy[k]) + sRjk * T.ujk[1];
    gz[k] += ck * (e.uz[j] - T.cos * e.uz[k]) + sRjk * T.ujk[2];
    sRij = sRik = sRjk = sCos = 0.0;
  }
};

// Runs every group of an element over one atom's environment.
template <class Sink>
void evaluateGroups(const std::vector<SymmetryFunctionGroup>& groups, const Environment& env, KernelScratch& ws,
                    AngularRow& row, Sink& sink) {
  for (const SymmetryFunctionGroup& g : groups) {
    switch (g.kind) {
      case GroupKind::GaussianRadial: gaussianRadial(g, env, ws, sink); break;
      case GroupKind::GaussianAngular:
        if constexpr (Sink::fast == 0) {
          gaussianAngular(g, env, ws, sink);
        } else {
          gaussianAngularRows<Sink::fast>(g, env, ws, row, sink);
        }
        break;
      case GroupKind::CompactRadial: compactRadial(g, env, ws, sink); break;
      case GroupKind::CompactAngular: compactAngular(g, env, ws, sink); break;
    }
  }
}

void checkAtoms(const SymmetryFunctionSet& set, const AtomsView& atoms) {
  require(atoms.list != nullptr && atoms.elements != nullptr, "E_VALUE", "symmetry functions: missing atoms");
  require(atoms.list->rowPtr.size() == atoms.n + 1, "E_VALUE", "symmetry functions: neighbour list does not match the atoms");
  for (std::size_t i = 0; i < atoms.n; ++i) {
    require(atoms.elements[i] >= 0 && atoms.elements[i] < set.elements(), "E_VALUE",
            "symmetry functions: element index of atom " + std::to_string(i) + " out of range");
  }
}

SymmetryFunctionValues makeLayout(const SymmetryFunctionSet& set, const AtomsView& atoms) {
  SymmetryFunctionValues out;
  const int E = set.elements();
  out.row.resize(atoms.n);
  out.atoms.assign(E, {});
  out.values.assign(E, {});
  for (std::size_t i = 0; i < atoms.n; ++i) {
    const int e = atoms.elements[i];
    out.row[i] = static_cast<int32_t>(out.atoms[e].size());
    out.atoms[e].push_back(static_cast<int32_t>(i));
  }
  for (int e = 0; e < E; ++e) out.values[e].assign(out.atoms[e].size() * set.count(e), 0.0);
  return out;
}

}  // namespace

SymmetryFunctionParameters unpackSymmetryFunction(const double* row) {
  SymmetryFunctionParameters f;
  f.type = static_cast<int>(row[0]);
  f.element = static_cast<int>(row[1]);
  f.e1 = static_cast<int>(row[2]);
  f.e2 = static_cast<int>(row[3]);
  f.eta = row[4];
  f.rShift = row[5];
  f.lambda = row[6];
  f.zeta = row[7];
  f.cutoff = row[8];
  f.rLow = row[9];
  f.angleLeft = row[10];
  f.angleRight = row[11];
  f.core = static_cast<int>(row[12]);
  f.asymmetric = row[13] != 0.0;
  return f;
}

SymmetryFunctionSet::SymmetryFunctionSet(std::vector<int> atomicNumbers, int cutoffType, double cutoffAlpha,
                                         std::vector<SymmetryFunctionParameters> functions)
    : atomicNumbers_(std::move(atomicNumbers)), groups_(std::make_unique<SymmetryFunctionGroups>()) {
  const int E = static_cast<int>(atomicNumbers_.size());
  require(E > 0, "E_VALUE", "symmetry functions: no elements");
  for (int e = 0; e < E; ++e) {
    require(atomicNumbers_[e] >= 1 && atomicNumbers_[e] <= 118, "E_VALUE", "symmetry functions: bad atomic number");
    require(e == 0 || atomicNumbers_[e] > atomicNumbers_[e - 1], "E_VALUE",
            "symmetry functions: elements must be distinct and ordered by atomic number");
  }
  require(cutoffType >= 0 && cutoffType <= 8, "E_VALUE",
          "symmetry functions: cutoff type must be 0-8, got " + std::to_string(cutoffType));
  require(std::isfinite(cutoffAlpha) && cutoffAlpha >= 0.0 && cutoffAlpha < 1.0, "E_VALUE",
          "symmetry functions: cutoff alpha must satisfy 0 <= alpha < 1");
  counts_.assign(E, 0);
  elementCutoff_.assign(E, 0.0);
  int previous = 0;
  for (std::size_t k = 0; k < functions.size(); ++k) {
    validate(functions[k], static_cast<int>(k), E, previous);
    previous = functions[k].element;
    ++counts_[functions[k].element];
    elementCutoff_[functions[k].element] = std::max(elementCutoff_[functions[k].element], functions[k].cutoff);
  }
  for (int e = 0; e < E; ++e) {
    cutoff_ = std::max(cutoff_, elementCutoff_[e]);
    groups_->byElement.push_back(makeGroups(functions, e, cutoffType, cutoffAlpha));
  }
}

SymmetryFunctionSet::~SymmetryFunctionSet() = default;

SymmetryFunctionValues symmetryFunctionValues(const SymmetryFunctionSet& set, const AtomsView& atoms) {
  checkAtoms(set, atoms);
  SymmetryFunctionValues out = makeLayout(set, atoms);
  ParallelExceptions guard;
  const long n = static_cast<long>(atoms.n);
#pragma omp parallel num_threads(numThreads())
  guard.run([&] {
    Environment env;
    KernelScratch ws;
    AngularRow angularRow;
    std::vector<int> slots;
    ValueSink sink;
#pragma omp for schedule(dynamic, 16)
    for (long i = 0; i < n; ++i) {
      if (guard.failed()) continue;
      guard.run([&] {
        const int e = atoms.elements[i];
        buildEnvironment(set, atoms, i, env, slots);
        sink.G = out.values[e].data() + static_cast<std::size_t>(out.row[i]) * set.count(e);
        evaluateGroups(set.groups().byElement[e], env, ws, angularRow, sink);
      });
    }
  });
  guard.rethrow();
  return out;
}

SymmetryFunctionValues symmetryFunctionDerivatives(const SymmetryFunctionSet& set, const AtomsView& atoms,
                                                   std::vector<SymmetryFunctionDerivatives>& derivatives) {
  checkAtoms(set, atoms);
  SymmetryFunctionValues out = makeLayout(set, atoms);
  const int E = set.elements();
  const NeighborListData& list = *atoms.list;
  // The caller's buffers are reused (a training pool refills the same ones structure after
  // structure): their capacity is kept, so the heap does not fragment into freed blocks of
  // slightly different sizes.
  derivatives.resize(E);
  // Slots within each element's cutoff, in list order.
  for (int e = 0; e < E; ++e) {
    SymmetryFunctionDerivatives& d = derivatives[e];
    const double rc = set.cutoff(e);
    d.neighbor.clear();
    d.vector.clear();
    d.start.assign(1, 0);
    for (int32_t i : out.atoms[e]) {
      for (int32_t m = list.rowPtr[i]; m < list.rowPtr[i + 1]; ++m) {
        if (list.distances[m] >= rc) continue;
        d.neighbor.push_back(list.neighbors[m]);
        for (int a = 0; a < 3; ++a) d.vector.push_back(list.vectors[3 * static_cast<std::size_t>(m) + a]);
      }
      d.start.push_back(static_cast<int32_t>(d.neighbor.size()));
    }
    const std::size_t size = d.neighbor.size() * set.count(e) * 3;
    if (size > d.derivative.capacity()) {
      decltype(d.derivative)().swap(d.derivative);  // release before the larger block is taken
      d.derivative.reserve(size + size / 16);    // headroom: the next structure may be a little larger
    }
    d.derivative.assign(size, 0.0);
  }
  ParallelExceptions guard;
  const long n = static_cast<long>(atoms.n);
#pragma omp parallel num_threads(numThreads())
  guard.run([&] {
    Environment env;
    KernelScratch ws;
    AngularRow angularRow;
    std::vector<int> slots;
    StoreSink sink;
    sink.env = &env;
#pragma omp for schedule(dynamic, 16)
    for (long i = 0; i < n; ++i) {
      if (guard.failed()) continue;
      guard.run([&] {
        const int e = atoms.elements[i];
        const int row = out.row[i];
        buildEnvironment(set, atoms, i, env, slots);
        sink.count = set.count(e);
        sink.G = out.values[e].data() + static_cast<std::size_t>(row) * set.count(e);
        sink.D = derivatives[e].derivative.data() + static_cast<std::size_t>(derivatives[e].start[row]) * set.count(e) * 3;
        evaluateGroups(set.groups().byElement[e], env, ws, angularRow, sink);
      });
    }
  });
  guard.rethrow();
  return out;
}

namespace {

// Shared driver of the contraction: per atom, `weightsOf(thread, i, e, row, ws)` returns w
// (possibly computing values first, through ws); the atom's gradient and virial are accumulated
// into thread-private buffers (thread 0 writes `gradient` directly), reduced in thread order.
template <class Weights>
void contractAtoms(const SymmetryFunctionSet& set, const AtomsView& atoms, Weights&& weightsOf, double* gradient,
                   double* virial, int threads) {
  const std::size_t n = atoms.n;
  std::vector<std::vector<double>> privateGradient(threads > 1 ? threads - 1 : 0);
  std::vector<std::array<double, 9>> privateVirial(threads);
  ParallelExceptions guard;
#pragma omp parallel num_threads(threads)
  guard.run([&] {
    const int t = omp_get_thread_num();
    double* grad = gradient;
    if (t > 0) {
      privateGradient[t - 1].assign(3 * n, 0.0);
      grad = privateGradient[t - 1].data();
    }
    std::array<double, 9>& W = privateVirial[t];
    W.fill(0.0);
    Environment env;
    KernelScratch ws;
    AngularRow angularRow;
    std::vector<int> slots;
    ContractSink sink;
    sink.env = &env;
#pragma omp for schedule(static, 8)  // fixed atom → thread map: reproducible sums
    for (long i = 0; i < static_cast<long>(n); ++i) {
      if (guard.failed()) continue;
      guard.run([&] {
        const int e = atoms.elements[i];
        buildEnvironment(set, atoms, i, env, slots);
        sink.w = weightsOf(t, static_cast<std::size_t>(i), e, env, ws, angularRow);
        sink.reset(env.n);
        evaluateGroups(set.groups().byElement[e], env, ws, angularRow, sink);
        ws.cache.begin(0);
        double* gi = grad + 3 * i;
        for (int p = 0; p < env.n; ++p) {
          const double s = sink.radialSum[p];
          const double g[3] = {s * env.ux[p] + sink.gx[p], s * env.uy[p] + sink.gy[p], s * env.uz[p] + sink.gz[p]};
          double* gj = grad + 3 * static_cast<std::size_t>(env.atom[p]);
          const double d[3] = {env.dx[p], env.dy[p], env.dz[p]};
          for (int a = 0; a < 3; ++a) {
            gj[a] += g[a];
            gi[a] -= g[a];
            for (int b = 0; b < 3; ++b) W[3 * a + b] += d[a] * g[b];
          }
        }
      });
    }
  });
  guard.rethrow();
  for (int t = 1; t < threads; ++t) {
    if (privateGradient[t - 1].empty()) continue;
    const double* p = privateGradient[t - 1].data();
    for (std::size_t k = 0; k < 3 * n; ++k) gradient[k] += p[k];
  }
  for (int t = 0; t < threads; ++t) {
    for (int k = 0; k < 9; ++k) virial[k] += privateVirial[t][k];
  }
}

}  // namespace

void contractSymmetryFunctionGradient(const SymmetryFunctionSet& set, const AtomsView& atoms,
                                      const SymmetryFunctionValues& layout,
                                      const std::vector<std::vector<double>>& weights, double* gradient,
                                      double* virial) {
  checkAtoms(set, atoms);
  contractAtoms(
      set, atoms,
      [&](int, std::size_t i, int e, const Environment&, KernelScratch&, AngularRow&) {
        return weights[e].data() + static_cast<std::size_t>(layout.row[i]) * set.count(e);
      },
      gradient, virial, numThreads());
}

SymmetryFunctionValues fusedSymmetryFunctionGradient(const SymmetryFunctionSet& set, const AtomsView& atoms,
                                                     const AtomNetwork& network, double* gradient, double* virial,
                                                     int threads) {
  checkAtoms(set, atoms);
  SymmetryFunctionValues out = makeLayout(set, atoms);
  if (threads < 1) threads = numThreads();
  std::vector<std::vector<double>> weights(threads);
  contractAtoms(
      set, atoms,
      [&](int t, std::size_t i, int e, const Environment& env, KernelScratch& ws, AngularRow& angularRow) {
        const int count = set.count(e);
        double* G = out.values[e].data() + static_cast<std::size_t>(out.row[i]) * count;
        ValueSink values;
        values.G = G;
        ws.cache.begin(1);
        evaluateGroups(set.groups().byElement[e], env, ws, angularRow, values);
        ws.cache.begin(2);
        weights[t].assign(count, 0.0);
        network(t, i, e, G, weights[t].data());
        return static_cast<const double*>(weights[t].data());
      },
      gradient, virial, threads);
  return out;
}

NeighborListData scaledNeighborList(const StructureInput& in, int elements, double cutoff, double* cell) {
  require(in.n > 0, "E_EMPTY", "the structure has no atoms");
  require(in.positions != nullptr && in.elements != nullptr, "E_VALUE", "positions or elements are missing");
  require(in.n <= static_cast<std::size_t>(INT32_MAX / 4), "E_SIZE", "too many atoms");
  require(std::isfinite(in.lengthFactor) && in.lengthFactor > 0.0, "E_UNIT", "the length factor must be positive");
  if (const std::size_t k = firstNonFinite(in.positions, 3 * in.n); k < 3 * in.n) {
    throw Error("E_VALUE", "position of atom " + std::to_string(k / 3) + " is not finite");
  }
  for (std::size_t i = 0; i < in.n; ++i) {
    if (in.elements[i] >= 0 && in.elements[i] < elements) continue;
    require(false, "E_VALUE",
            "element index of atom " + std::to_string(i) + " out of range");
  }
  if (in.pbc[0] || in.pbc[1] || in.pbc[2]) require(in.cell != nullptr, "E_CELL", "a periodic structure needs a cell");
  const double L = in.lengthFactor;
  std::vector<double> positions(3 * in.n);
  for (std::size_t k = 0; k < 3 * in.n; ++k) positions[k] = in.positions[k] * L;
  for (int k = 0; k < 9; ++k) {
    if (in.cell != nullptr) require(std::isfinite(in.cell[k]), "E_CELL", "the cell is not finite");
    cell[k] = in.cell != nullptr ? in.cell[k] * L : 0.0;
  }
  NeighborListInput nl;
  nl.positions = positions.data();
  nl.n = in.n;
  nl.cell = in.cell != nullptr ? cell : nullptr;
  for (int a = 0; a < 3; ++a) nl.pbc[a] = in.pbc[a];
  nl.cutoff = cutoff;
  nl.full = true;
  return buildNeighborList(nl);
}

SymmetryFunctionResult computeSymmetryFunctions(const SymmetryFunctionSet& set, const StructureInput& input,
                                                bool derivatives) {
  double cell[9];
  const NeighborListData list = scaledNeighborList(input, set.elements(), set.cutoff(), cell);
  const AtomsView atoms{input.n, input.elements, &list};
  SymmetryFunctionResult out;
  if (!derivatives) {
    out.values = symmetryFunctionValues(set, atoms);
    return out;
  }
  out.values = symmetryFunctionDerivatives(set, atoms, out.derivatives);
  const double L = input.lengthFactor;
  if (L != 1.0) {
    for (SymmetryFunctionDerivatives& d : out.derivatives) {
      for (double& v : d.vector) v /= L;
      for (double& v : d.derivative) v *= L;
    }
  }
  return out;
}

}  // namespace polymorph
