// Common neighbour analysis (cna.hpp).
#include "core/cna.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/neighbor_list.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

struct Neighbor {
  double distance;
  int32_t j;
  int32_t shift[3];
  double v[3];  // r_j + S·cell − r_i
};

bool closer(const Neighbor& a, const Neighbor& b) {
  if (a.distance != b.distance) return a.distance < b.distance;
  if (a.j != b.j) return a.j < b.j;
  return std::lexicographical_compare(a.shift, a.shift + 3, b.shift, b.shift + 3);
}

// Signatures of the first k neighbours of `nb` with bond cutoff rc, into sig [k,3].
void signaturesOf(const std::vector<Neighbor>& nb, std::size_t k, double rc, std::vector<uint8_t>& bonded,
                  std::vector<int32_t>& common, std::vector<int32_t>& parent, std::vector<int32_t>& edges, int16_t* sig) {
  const double rc2 = rc * rc;
  bonded.assign(k * k, 0);
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      const double dx = nb[a].v[0] - nb[b].v[0], dy = nb[a].v[1] - nb[b].v[1], dz = nb[a].v[2] - nb[b].v[2];
      const uint8_t bond = dx * dx + dy * dy + dz * dz < rc2 ? 1 : 0;
      bonded[a * k + b] = bonded[b * k + a] = bond;
    }
  }
  for (std::size_t a = 0; a < k; ++a) {
    common.clear();
    for (std::size_t b = 0; b < k; ++b)
      if (bonded[a * k + b]) common.push_back(static_cast<int32_t>(b));
    // Bonds among the common neighbours, and the largest cluster of bonds (union-find on atoms).
    const std::size_t m = common.size();
    parent.resize(m);
    for (std::size_t p = 0; p < m; ++p) parent[p] = static_cast<int32_t>(p);
    auto find = [&](int32_t x) {
      while (parent[static_cast<std::size_t>(x)] != x) x = parent[static_cast<std::size_t>(x)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];
      return x;
    };
    int bonds = 0;
    edges.clear();
    for (std::size_t p = 0; p < m; ++p) {
      for (std::size_t q = 0; q < p; ++q) {
        if (!bonded[static_cast<std::size_t>(common[p]) * k + static_cast<std::size_t>(common[q])]) continue;
        ++bonds;
        edges.push_back(static_cast<int32_t>(p));
        const int32_t rp = find(static_cast<int32_t>(p)), rq = find(static_cast<int32_t>(q));
        if (rp != rq) parent[static_cast<std::size_t>(rp)] = rq;
      }
    }
    // Bonds per cluster: each bond counted at the root of its first atom.
    int largest = 0;
    std::vector<int32_t>& count = parent;  // reuse after the roots are read
    std::vector<int32_t> roots(edges.size());
    for (std::size_t e = 0; e < edges.size(); ++e) roots[e] = find(edges[e]);
    std::fill(count.begin(), count.end(), 0);
    for (int32_t r : roots) largest = std::max(largest, ++count[static_cast<std::size_t>(r)]);
    sig[3 * a] = static_cast<int16_t>(std::min<std::size_t>(m, 32767));
    sig[3 * a + 1] = static_cast<int16_t>(std::min(bonds, 32767));
    sig[3 * a + 2] = static_cast<int16_t>(largest);
  }
}

// How many of the k signatures equal each pattern.
int countOf(const int16_t* sig, std::size_t k, int cn, int b, int lcb) {
  int c = 0;
  for (std::size_t a = 0; a < k; ++a) c += sig[3 * a] == cn && sig[3 * a + 1] == b && sig[3 * a + 2] == lcb;
  return c;
}

CnaLabel closePacked(const int16_t* sig) {
  const int s421 = countOf(sig, 12, 4, 2, 1), s422 = countOf(sig, 12, 4, 2, 2), s555 = countOf(sig, 12, 5, 5, 5);
  if (s421 == 12) return CnaLabel::kFcc;
  if (s421 == 6 && s422 == 6) return CnaLabel::kHcp;
  if (s555 == 12) return CnaLabel::kIcosahedral;
  return CnaLabel::kOther;
}

CnaLabel bodyCentred(const int16_t* sig) {
  return countOf(sig, 14, 6, 6, 6) == 8 && countOf(sig, 14, 4, 4, 4) == 6 ? CnaLabel::kBcc : CnaLabel::kOther;
}

NeighborListData fullList(const CnaInput& in, double cutoff) {
  NeighborListInput list;
  list.positions = in.positions, list.n = in.n, list.cell = in.cell, list.cutoff = cutoff, list.full = true, list.storeVectors = true;
  for (int k = 0; k < 3; ++k) list.pbc[k] = in.pbc[k];
  return buildNeighborList(list);
}

// The list cutoff of adaptive CNA: 1.5 × the median nearest-neighbour distance (the 12 nearest of
// a close-packed atom and the 14 of a bcc atom lie within 1.16 × it, thermal motion included),
// found by growing a trial cutoff until most atoms have a neighbour.
double adaptiveCutoff(const CnaInput& in) {
  double trial;
  if (in.cell != nullptr && in.pbc[0] && in.pbc[1] && in.pbc[2]) {
    const double* c = in.cell;
    const double volume = std::fabs(c[0] * (c[4] * c[8] - c[5] * c[7]) - c[1] * (c[3] * c[8] - c[5] * c[6]) + c[2] * (c[3] * c[7] - c[4] * c[6]));
    trial = 1.3 * std::cbrt(volume / static_cast<double>(in.n));
  } else {
    double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (std::size_t i = 0; i < in.n; ++i)
      for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], in.positions[3 * i + a]), hi[a] = std::max(hi[a], in.positions[3 * i + a]);
    const double volume = std::max((hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]), 1.0);
    trial = std::max(1.3 * std::cbrt(volume / static_cast<double>(in.n)), 0.5);
  }
  for (int attempt = 0; attempt < 40; ++attempt, trial *= 1.5) {
    const NeighborListData list = fullList(in, trial);
    std::vector<double> nearest;
    nearest.reserve(in.n);
    for (std::size_t i = 0; i < in.n; ++i) {
      double d = INFINITY;
      for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) d = std::min(d, list.distances[static_cast<std::size_t>(p)]);
      if (std::isfinite(d)) nearest.push_back(d);
    }
    if (nearest.size() * 10 < in.n * 9) continue;  // fewer than 90 % of the atoms have a neighbour yet
    std::nth_element(nearest.begin(), nearest.begin() + static_cast<std::ptrdiff_t>(nearest.size() / 2), nearest.end());
    const double median = nearest[nearest.size() / 2];
    if (!(median > 0.0)) throw Error("E_VALUE", "common neighbour analysis: atoms on top of each other");
    return 1.5 * median;
  }
  throw Error("E_VALUE", "common neighbour analysis: the atoms are too far apart to have neighbours");
}

}  // namespace

CnaResult commonNeighborAnalysis(const CnaInput& in) {
  require(in.n > 0, "E_EMPTY", "common neighbour analysis: no atoms");
  require(firstNonFinite(in.positions, 3 * in.n) == 3 * in.n, "E_VALUE", "common neighbour analysis: non-finite positions");
  require((in.pbc[0] || in.pbc[1] || in.pbc[2]) ? in.cell != nullptr : true, "E_CELL", "common neighbour analysis: periodic without a cell");
  if (!in.adaptive) require(std::isfinite(in.cutoff) && in.cutoff > 0.0, "E_VALUE", "common neighbour analysis: the cutoff must be > 0 Å");
  const double cutoff = in.adaptive ? adaptiveCutoff(in) : in.cutoff;
  const NeighborListData list = fullList(in, cutoff);
  const std::size_t n = in.n;

  // Pass 1: per atom, its label and signatures into slots: 14 per atom (adaptive) or its list row.
  std::vector<std::size_t> slot(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) slot[i + 1] = slot[i] + (in.adaptive ? 14 : static_cast<std::size_t>(list.rowPtr[i + 1] - list.rowPtr[i]));
  std::vector<int16_t> sig(3 * slot[n]);
  std::vector<int32_t> partner(slot[n]);
  std::vector<int32_t> used(n, 0);
  CnaResult out;
  out.labels.assign(n, static_cast<int8_t>(CnaLabel::kOther));
  out.cutoffs.assign(n, in.adaptive ? NAN : cutoff);
  ParallelExceptions guard;
#pragma omp parallel num_threads(numThreads())
  {
    guard.run([&] {
      std::vector<Neighbor> nb;
      std::vector<uint8_t> bonded;
      std::vector<int32_t> common, parent, edges;
#pragma omp for schedule(dynamic, 64)
      for (int64_t ii = 0; ii < static_cast<int64_t>(n); ++ii) {
        const std::size_t i = static_cast<std::size_t>(ii);
        nb.clear();
        for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
          const std::size_t q = static_cast<std::size_t>(p);
          Neighbor e;
          e.distance = list.distances[q], e.j = list.neighbors[q];
          for (int a = 0; a < 3; ++a) e.shift[a] = list.shifts[3 * q + a], e.v[a] = list.vectors[3 * q + a];
          nb.push_back(e);
        }
        std::sort(nb.begin(), nb.end(), closer);
        int16_t* s = &sig[3 * slot[i]];
        int32_t* partners = &partner[slot[i]];
        CnaLabel label = CnaLabel::kOther;
        std::size_t k = 0;
        if (!in.adaptive) {
          k = nb.size();
          signaturesOf(nb, k, cutoff, bonded, common, parent, edges, s);
          if (k == 12) label = closePacked(s);
          else if (k == 14) label = bodyCentred(s);
        } else {
          if (nb.size() >= 12) {
            double mean = 0.0;
            for (std::size_t a = 0; a < 12; ++a) mean += nb[a].distance;
            const double rc = 0.5 * (1.0 + std::sqrt(2.0)) * mean / 12.0;
            k = 12;
            out.cutoffs[i] = rc;
            signaturesOf(nb, 12, rc, bonded, common, parent, edges, s);
            label = closePacked(s);
          }
          if (label == CnaLabel::kOther && nb.size() >= 14) {
            double inner = 0.0, outer = 0.0;
            for (std::size_t a = 0; a < 8; ++a) inner += nb[a].distance;
            for (std::size_t a = 8; a < 14; ++a) outer += nb[a].distance;
            const double rc = 0.5 * (1.0 + std::sqrt(2.0)) * 0.5 * (2.0 / std::sqrt(3.0) * inner / 8.0 + outer / 6.0);
            std::array<int16_t, 42> trial{};
            signaturesOf(nb, 14, rc, bonded, common, parent, edges, trial.data());
            if (bodyCentred(trial.data()) == CnaLabel::kBcc) {
              label = CnaLabel::kBcc, k = 14, out.cutoffs[i] = rc;
              std::copy(trial.begin(), trial.end(), s);
            }
          }
        }
        for (std::size_t a = 0; a < k; ++a) partners[a] = nb[a].j;
        used[i] = static_cast<int32_t>(k);
        out.labels[i] = static_cast<int8_t>(label);
      }
    });
  }
  guard.rethrow();

  // Pass 2: compact the slots into rows.
  out.rowPtr.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) out.rowPtr[i + 1] = out.rowPtr[i] + used[i];
  const std::size_t total = static_cast<std::size_t>(out.rowPtr[n]);
  out.neighbors.resize(total);
  out.signatures.resize(3 * total);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t to = static_cast<std::size_t>(out.rowPtr[i]);
    std::copy(partner.begin() + static_cast<std::ptrdiff_t>(slot[i]), partner.begin() + static_cast<std::ptrdiff_t>(slot[i] + static_cast<std::size_t>(used[i])), out.neighbors.begin() + static_cast<std::ptrdiff_t>(to));
    std::copy(sig.begin() + static_cast<std::ptrdiff_t>(3 * slot[i]), sig.begin() + static_cast<std::ptrdiff_t>(3 * (slot[i] + static_cast<std::size_t>(used[i]))), out.signatures.begin() + static_cast<std::ptrdiff_t>(3 * to));
  }
  return out;
}

}  // namespace polymorph
