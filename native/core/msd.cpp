#include "core/msd.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/threads.hpp"

namespace polymorph {

MsdAccumulator::MsdAccumulator(std::vector<int32_t> species, int speciesCount, int maxLag, bool com, std::vector<double> masses)
    : species_(std::move(species)), speciesCount_(speciesCount), maxLag_(maxLag), com_(com), masses_(std::move(masses)) {
  require(!species_.empty(), "E_EMPTY", "msd: a frame has no atoms");
  require(maxLag_ >= 1, "E_VALUE", "msd: maxLag must be ≥ 1");
  require(speciesCount_ >= 1, "E_VALUE", "msd: at least one species");
  require(masses_.size() == species_.size(), "E_VALUE", "msd: one mass per atom");
  speciesAtoms_.assign(static_cast<std::size_t>(speciesCount_), 0.0);
  for (int32_t s : species_) {
    require(s >= 0 && s < speciesCount_, "E_VALUE", "msd: species out of range");
    speciesAtoms_[static_cast<std::size_t>(s)] += 1;
  }
  sums_.assign(static_cast<std::size_t>(maxLag_) + 1, 0.0);
  counts_.assign(sums_.size(), 0.0);
  perSpecies_.assign(sums_.size() * static_cast<std::size_t>(speciesCount_), 0.0);
}

int MsdAccumulator::lags() const { return std::min(maxLag_ + 1, frames_); }

void MsdAccumulator::add(const double* positions, const double* cell, const bool pbc[3]) {
  const std::size_t n = species_.size();
  const std::size_t bad = firstNonFinite(positions, 3 * n);
  require(bad == 3 * n, "E_VALUE", "msd: frame " + std::to_string(frames_) + " has a non-finite position (atom " + std::to_string(bad / 3) + ")");
  const bool periodic = pbc[0] || pbc[1] || pbc[2];
  std::vector<double> unwrapped(positions, positions + 3 * n);
  if (!previous_.empty()) {
    // Displacement since the last frame through the nearest image.
    Mat3 h{}, inv{};
    if (periodic) {
      require(cell != nullptr, "E_CELL", "msd: a periodic frame needs a cell");
      std::copy(cell, cell + 9, h.begin());
      require(std::fabs(determinant(h)) > 0, "E_CELL", "msd: frame " + std::to_string(frames_) + " has a singular cell");
      inv = inverse(h);
    }
    const std::vector<double>& last = ring_.back();
    for (std::size_t i = 0; i < n; ++i) {
      double d[3];
      for (int a = 0; a < 3; ++a) d[a] = positions[3 * i + a] - previous_[3 * i + a];
      if (periodic) {
        double f[3];
        for (int b = 0; b < 3; ++b) {
          f[b] = d[0] * inv[b] + d[1] * inv[3 + b] + d[2] * inv[6 + b];
          if (pbc[b]) f[b] -= std::nearbyint(f[b]);
        }
        for (int a = 0; a < 3; ++a) d[a] = f[0] * h[a] + f[1] * h[3 + a] + f[2] * h[6 + a];
      }
      for (int a = 0; a < 3; ++a) unwrapped[3 * i + a] = last[3 * i + a] + d[a];
    }
  }
  previous_.assign(positions, positions + 3 * n);
  if (com_) {
    double m = 0, c[3] = {0, 0, 0};
    for (std::size_t i = 0; i < n; ++i) {
      m += masses_[i];
      for (int a = 0; a < 3; ++a) c[a] += masses_[i] * unwrapped[3 * i + a];
    }
    for (std::size_t i = 0; i < n; ++i)
      for (int a = 0; a < 3; ++a) unwrapped[3 * i + a] -= c[a] / m;
  }
  if (ring_.size() == static_cast<std::size_t>(maxLag_) + 1) ring_.erase(ring_.begin());
  ring_.push_back(std::move(unwrapped));
  const int newest = static_cast<int>(ring_.size()) - 1;
  const std::vector<double>& now = ring_.back();
  const std::size_t S = static_cast<std::size_t>(speciesCount_);
#pragma omp parallel num_threads(numThreads())
  {
    std::vector<double> bySpecies(S);
#pragma omp for schedule(static)
    for (int lag = 0; lag <= newest; ++lag) {
      const std::vector<double>& old = ring_[static_cast<std::size_t>(newest - lag)];
      std::fill(bySpecies.begin(), bySpecies.end(), 0.0);
      double total = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double dx = now[3 * i] - old[3 * i], dy = now[3 * i + 1] - old[3 * i + 1], dz = now[3 * i + 2] - old[3 * i + 2];
        const double d2 = dx * dx + dy * dy + dz * dz;
        total += d2;
        bySpecies[static_cast<std::size_t>(species_[i])] += d2;
      }
      sums_[static_cast<std::size_t>(lag)] += total / static_cast<double>(n);
      for (std::size_t a = 0; a < S; ++a) perSpecies_[static_cast<std::size_t>(lag) * S + a] += bySpecies[a] / speciesAtoms_[a];
      counts_[static_cast<std::size_t>(lag)] += 1;
    }
  }
  ++frames_;
}

}  // namespace polymorph
