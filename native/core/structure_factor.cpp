#include "core/structure_factor.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/phase_table.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

constexpr double kPi = 3.14159265358979323846;

// A uniform number in [0, 1) from the vector's indices and the seed (splitmix64 finaliser).
double vectorHash(int h1, int h2, int h3, uint64_t seed) {
  uint64_t z = seed ^ (static_cast<uint64_t>(static_cast<uint32_t>(h1)) * 0x9e3779b97f4a7c15ULL) ^
               (static_cast<uint64_t>(static_cast<uint32_t>(h2)) * 0xc2b2ae3d27d4eb4fULL) ^
               (static_cast<uint64_t>(static_cast<uint32_t>(h3)) * 0x165667b19e3779f9ULL);
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0);
}

}  // namespace

StructureFactorSums structureFactorSums(const StructureFactorInput& in, const StructureFactorParameters& p) {
  require(in.n > 0, "E_EMPTY", "structureFactor: the structure has no atoms");
  require(in.positions != nullptr && in.species != nullptr, "E_VALUE", "structureFactor: positions and species are needed");
  require(in.cell != nullptr, "E_CELL", "structureFactor: the direct structure factor needs a periodic cell");
  require(std::isfinite(p.qMin) && std::isfinite(p.qMax) && p.qMin >= 0 && p.qMax > p.qMin, "E_VALUE",
          "structureFactor: need 0 ≤ qMin < qMax (Å⁻¹), got qMin = " + std::to_string(p.qMin) + ", qMax = " + std::to_string(p.qMax));
  require(p.bins >= 1 && p.bins <= 1000000, "E_VALUE", "structureFactor: bins must be in 1…10⁶");
  require(in.speciesCount >= 1 && in.speciesCount <= 64, "E_VALUE", "structureFactor: 1…64 species");
  const std::size_t bad = firstNonFinite(in.positions, 3 * in.n);
  require(bad == 3 * in.n, "E_VALUE", "structureFactor: position of atom " + std::to_string(bad / 3) + " is not finite");
  Mat3 cell;
  std::copy(in.cell, in.cell + 9, cell.begin());
  double scale = 0;
  for (int d = 0; d < 3; ++d) scale = std::max(scale, std::sqrt(dot(row(cell, d), row(cell, d))));
  require(std::isfinite(determinant(cell)) && std::fabs(determinant(cell)) > 1e-12 * scale * scale * scale, "E_CELL",
          "structureFactor: the cell is singular");
  const int S = in.speciesCount;
  for (std::size_t j = 0; j < in.n; ++j)
    require(in.species[j] >= 0 && in.species[j] < S, "E_VALUE", "structureFactor: species of atom " + std::to_string(j) + " out of range");

  // Atoms sorted by species (contiguous ranges).
  const std::size_t n = in.n;
  std::vector<std::size_t> start(static_cast<std::size_t>(S) + 1, 0);
  for (std::size_t j = 0; j < n; ++j) ++start[static_cast<std::size_t>(in.species[j]) + 1];
  for (int a = 0; a < S; ++a) start[a + 1] += start[a];
  std::vector<double> sorted(3 * n);
  {
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t at = fill[static_cast<std::size_t>(in.species[j])]++;
      for (int c = 0; c < 3; ++c) sorted[3 * at + c] = in.positions[3 * j + c];
    }
  }
  const Mat3 inv = inverse(cell);
  Vec3 b[3];
  int hmax[3];
  for (int d = 0; d < 3; ++d) {
    b[d] = {2 * kPi * inv[d], 2 * kPi * inv[3 + d], 2 * kPi * inv[6 + d]};
    const Vec3 a = row(cell, d);
    hmax[d] = static_cast<int>(std::ceil(p.qMax * std::sqrt(dot(a, a)) / (2 * kPi)));
  }
  const double q2max = p.qMax * p.qMax, q2min = p.qMin * p.qMin, width = (p.qMax - p.qMin) / p.bins;
  auto binOf = [&](double q) { return std::min(p.bins - 1, static_cast<int>((q - p.qMin) / width)); };
  // Columns (h1, h2) of the half space: h1 > 0, or h1 = 0 and h2 ≥ 0 (then h3 > 0 when both are 0).
  std::vector<std::pair<int, int>> columns;
  for (int h1 = 0; h1 <= hmax[0]; ++h1)
    for (int h2 = (h1 == 0 ? 0 : -hmax[1]); h2 <= hmax[1]; ++h2) columns.emplace_back(h1, h2);
  auto forEachVector = [&](int h1, int h2, auto&& visit) {
    for (int h3 = (h1 == 0 && h2 == 0 ? 1 : -hmax[2]); h3 <= hmax[2]; ++h3) {
      double k[3];
      for (int c = 0; c < 3; ++c) k[c] = h1 * b[0][c] + h2 * b[1][c] + h3 * b[2][c];
      const double k2 = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
      if (k2 >= q2max || k2 < q2min || k2 == 0.0) continue;
      visit(h3, std::sqrt(k2));
    }
  };
  // Vectors per bin (for the sampling probability) and a bound on the work.
  std::vector<double> perBin(static_cast<std::size_t>(p.bins), 0.0);
  for (const auto& [h1, h2] : columns) forEachVector(h1, h2, [&](int, double q) { perBin[binOf(q)] += 1; });
  std::vector<double> keep(static_cast<std::size_t>(p.bins), 1.0);
  double total = 0;
  for (int k = 0; k < p.bins; ++k) {
    if (p.vectorsPerBin > 0 && perBin[k] > p.vectorsPerBin) keep[k] = p.vectorsPerBin / perBin[k];
    total += perBin[k] * keep[k];
  }
  require(total * static_cast<double>(n) <= 1e12, "E_VALUE",
          "structureFactor: " + std::to_string(static_cast<long long>(total)) + " k-vectors × " + std::to_string(n) +
              " atoms is too much work; lower qMax or set vectorsPerBin");

  PhaseTable tables[3];
  for (int d = 0; d < 3; ++d) phaseTable(sorted.data(), n, b[d], hmax[d], tables[d]);
  const std::size_t P = static_cast<std::size_t>(S) * (S + 1) / 2;
  const int team = numThreads();
  std::vector<StructureFactorSums> parts(static_cast<std::size_t>(team));
  ParallelExceptions guard;
#pragma omp parallel num_threads(team)
  {
    guard.run([&] {
      const int t = omp_get_thread_num();
      StructureFactorSums& acc = parts[static_cast<std::size_t>(t)];
      acc.vectors.assign(static_cast<std::size_t>(p.bins), 0.0);
      acc.qSum.assign(static_cast<std::size_t>(p.bins), 0.0);
      acc.products.assign(static_cast<std::size_t>(p.bins) * P, 0.0);
      std::vector<double> pr(n), pi(n), rhoRe(static_cast<std::size_t>(S)), rhoIm(static_cast<std::size_t>(S));
      for (std::size_t c = static_cast<std::size_t>(t); c < columns.size(); c += static_cast<std::size_t>(team)) {
        const int h1 = columns[c].first, h2 = columns[c].second;
        bool filled = false;
        forEachVector(h1, h2, [&](int h3, double q) {
          const int bin = binOf(q);
          if (keep[bin] < 1.0 && !(vectorHash(h1, h2, h3, p.seed) < keep[bin])) return;
          if (!filled) {
            columnPhases(tables[0], tables[1], h1, h2, n, pr.data(), pi.data());
            filled = true;
          }
          const double s3 = h3 < 0 ? -1.0 : 1.0;
          const double *er = &tables[2].re[std::abs(h3) * n], *ei = &tables[2].im[std::abs(h3) * n];
          for (int a = 0; a < S; ++a) {
            double sr = 0, si = 0;
#pragma omp simd reduction(+ : sr, si)
            for (std::size_t j = start[a]; j < start[a + 1]; ++j) {
              const double eim = s3 * ei[j];
              sr += pr[j] * er[j] - pi[j] * eim;
              si += pr[j] * eim + pi[j] * er[j];
            }
            rhoRe[a] = sr, rhoIm[a] = si;
          }
          acc.vectors[bin] += 1;
          acc.qSum[bin] += q;
          double* out = &acc.products[static_cast<std::size_t>(bin) * P];
          std::size_t k = 0;
          for (int a = 0; a < S; ++a)
            for (int b2 = a; b2 < S; ++b2) out[k++] += rhoRe[a] * rhoRe[b2] + rhoIm[a] * rhoIm[b2];
        });
      }
    });
  }
  guard.rethrow();
  StructureFactorSums out = std::move(parts[0]);
  for (std::size_t t = 1; t < parts.size(); ++t) {
    for (std::size_t k = 0; k < out.vectors.size(); ++k) out.vectors[k] += parts[t].vectors[k], out.qSum[k] += parts[t].qSum[k];
    for (std::size_t k = 0; k < out.products.size(); ++k) out.products[k] += parts[t].products[k];
  }
  return out;
}

}  // namespace polymorph
