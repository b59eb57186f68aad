#include "core/image_grid.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"

namespace polymorph {

ImageGrid::ImageGrid(const ImageGridInput& input, double binSize, double margin, double searchRadius,
                     double maxPoints) {
  require(binSize > 0 && std::isfinite(binSize) && margin >= 0 && std::isfinite(margin) && searchRadius >= 0 &&
              std::isfinite(searchRadius),
          "E_VALUE", "image grid: bin size, margin and search radius must be finite and positive");
  const std::size_t n = input.n;
  margin_ = margin;
  Mat3 cell{};
  Mat3 inv{};
  const bool anyPbc = input.pbc[0] || input.pbc[1] || input.pbc[2];
  if (anyPbc) {
    std::copy(input.cell, input.cell + 9, cell.begin());
    inv = inverse(cell);
  }
  // Wrap shifts W (periodic directions) and image ranges.
  std::vector<int32_t> wrap(3 * n, 0);
  std::vector<double> frac(3 * n, 0.0);
  double m[3] = {0, 0, 0};
  int reach[3] = {0, 0, 0};
  for (int a = 0; a < 3; ++a)
    if (input.pbc[a]) {
      m[a] = margin / planeSpacing(cell, a);
      reach[a] = static_cast<int>(std::ceil(m[a])) + 1;
    }
  double estimate = static_cast<double>(n);
  for (int a = 0; a < 3; ++a) estimate *= input.pbc[a] ? 1 + 2 * m[a] : 1;
  require(estimate <= maxPoints, "E_VALUE",
          "voronoi: a cell cannot be closed within memory (" + std::to_string(estimate) +
              " periodic images needed within " + std::to_string(margin) + " Å of the cell)");
  for (std::size_t i = 0; i < n; ++i) {
    const double* r = input.positions + 3 * i;
    for (int a = 0; a < 3; ++a) {
      if (!input.pbc[a]) continue;
      const double f = r[0] * inv[a] + r[1] * inv[3 + a] + r[2] * inv[6 + a];
      const double w = -std::floor(f);
      wrap[3 * i + a] = static_cast<int32_t>(w);
      frac[3 * i + a] = f + w;
    }
  }
  // Points: each atom's images T with frac + T in [−m, 1 + m) along periodic directions.
  std::vector<double> xyz;
  std::vector<int32_t> atoms, shifts;
  home_.assign(n, -1);
  xyz.reserve(static_cast<std::size_t>(estimate * 1.1) * 3 + 3);
  for (std::size_t i = 0; i < n; ++i) {
    int lo[3], hi[3];
    for (int a = 0; a < 3; ++a) {
      lo[a] = hi[a] = 0;
      if (!input.pbc[a]) continue;
      const double f = frac[3 * i + a];
      lo[a] = -reach[a];
      hi[a] = reach[a];
      while (f + lo[a] < -m[a]) ++lo[a];
      while (f + hi[a] >= 1 + m[a]) --hi[a];
      lo[a] = std::min(lo[a], 0);  // the home point always exists (f may round to 1)
      hi[a] = std::max(hi[a], 0);
    }
    for (int t0 = lo[0]; t0 <= hi[0]; ++t0)
      for (int t1 = lo[1]; t1 <= hi[1]; ++t1)
        for (int t2 = lo[2]; t2 <= hi[2]; ++t2) {
          const int32_t s[3] = {wrap[3 * i] + t0, wrap[3 * i + 1] + t1, wrap[3 * i + 2] + t2};
          const double* r = input.positions + 3 * i;
          for (int a = 0; a < 3; ++a) {
            double x = r[a];
            if (anyPbc) x += s[0] * cell[a] + s[1] * cell[3 + a] + s[2] * cell[6 + a];
            xyz.push_back(x);
          }
          if (t0 == 0 && t1 == 0 && t2 == 0) home_[i] = static_cast<int32_t>(atoms.size());
          atoms.push_back(static_cast<int32_t>(i));
          for (int a = 0; a < 3; ++a) shifts.push_back(s[a]);
        }
  }
  const std::size_t P = atoms.size();
  require(static_cast<double>(P) <= maxPoints && P < 2147483647u, "E_VALUE",
          "voronoi: a cell cannot be closed within memory (" + std::to_string(P) + " periodic images)");
  // Grid over the points' bounding box.
  double hiBox[3];
  for (int a = 0; a < 3; ++a) lo_[a] = hiBox[a] = P > 0 ? xyz[a] : 0.0;
  for (std::size_t p = 1; p < P; ++p)
    for (int a = 0; a < 3; ++a) {
      lo_[a] = std::min(lo_[a], xyz[3 * p + a]);
      hiBox[a] = std::max(hiBox[a], xyz[3 * p + a]);
    }
  bin_ = binSize;
  for (;;) {
    double bins = 1;
    for (int a = 0; a < 3; ++a) {
      dims_[a] = static_cast<int>(std::floor((hiBox[a] - lo_[a]) / bin_)) + 1;
      bins *= dims_[a];
    }
    if (bins <= 4.0 * static_cast<double>(P) + 64) break;
    bin_ *= 1.26;
  }
  const std::size_t bins = static_cast<std::size_t>(dims_[0]) * dims_[1] * dims_[2];
  std::vector<int32_t> binOf(P);
  binStart_.assign(bins + 1, 0);
  for (std::size_t p = 0; p < P; ++p) {
    int c[3];
    for (int a = 0; a < 3; ++a)
      c[a] = std::min(dims_[a] - 1, std::max(0, static_cast<int>(std::floor((xyz[3 * p + a] - lo_[a]) / bin_))));
    binOf[p] = (c[0] * dims_[1] + c[1]) * dims_[2] + c[2];
    ++binStart_[static_cast<std::size_t>(binOf[p]) + 1];
  }
  for (std::size_t b = 0; b < bins; ++b) binStart_[b + 1] += binStart_[b];
  std::vector<int32_t> fill(binStart_.begin(), binStart_.end() - 1), where(P);
  for (std::size_t p = 0; p < P; ++p) where[p] = fill[static_cast<std::size_t>(binOf[p])]++;
  xyz_.resize(3 * P);
  atom_.resize(P);
  shift_.resize(3 * P);
  binOf_.resize(P);
  for (std::size_t p = 0; p < P; ++p) {
    const std::size_t q = static_cast<std::size_t>(where[p]);
    for (int a = 0; a < 3; ++a) {
      xyz_[3 * q + a] = xyz[3 * p + a];
      shift_[3 * q + a] = shifts[3 * p + a];
    }
    atom_[q] = atoms[p];
    binOf_[q] = binOf[p];
  }
  for (std::size_t i = 0; i < n; ++i) home_[i] = where[static_cast<std::size_t>(home_[i])];
  // Ring offsets up to the search radius, by their distance bound (integer key Σ max(|d|−1,0)²).
  const int K = std::min(static_cast<int>(std::ceil(searchRadius / bin_)) + 1,
                         std::max({dims_[0], dims_[1], dims_[2]}));
  const double limit = searchRadius / bin_;
  // Counting sort by key (offsets in lexicographic order within a ring).
  const int maxKey = 3 * K * K;
  std::vector<int32_t> count(static_cast<std::size_t>(maxKey) + 2, 0);
  auto keyOf = [](int x, int y, int z) {
    const int ex = std::max(std::abs(x) - 1, 0), ey = std::max(std::abs(y) - 1, 0), ez = std::max(std::abs(z) - 1, 0);
    return ex * ex + ey * ey + ez * ez;
  };
  for (int x = -K; x <= K; ++x)
    for (int y = -K; y <= K; ++y)
      for (int z = -K; z <= K; ++z) {
        const int key = keyOf(x, y, z);
        if (std::sqrt(static_cast<double>(key)) <= limit) ++count[static_cast<std::size_t>(key) + 1];
      }
  for (int k = 0; k <= maxKey; ++k) count[static_cast<std::size_t>(k) + 1] += count[static_cast<std::size_t>(k)];
  const int32_t total = count[static_cast<std::size_t>(maxKey) + 1];
  offsets_.assign(3 * static_cast<std::size_t>(total), 0);
  std::vector<int32_t> fillAt(count.begin(), count.end() - 1);
  for (int x = -K; x <= K; ++x)
    for (int y = -K; y <= K; ++y)
      for (int z = -K; z <= K; ++z) {
        const int key = keyOf(x, y, z);
        if (!(std::sqrt(static_cast<double>(key)) <= limit)) continue;
        const std::size_t at = static_cast<std::size_t>(fillAt[static_cast<std::size_t>(key)]++);
        offsets_[3 * at] = x, offsets_[3 * at + 1] = y, offsets_[3 * at + 2] = z;
      }
  ringStart_.assign(1, 0);
  ringBound_.clear();
  for (int key = 0; key <= maxKey; ++key) {
    const int32_t end = count[static_cast<std::size_t>(key) + 1];
    if (end == ringStart_.back()) continue;
    ringStart_.push_back(end);
    ringBound_.push_back(bin_ * std::sqrt(static_cast<double>(key)));
  }
}

}  // namespace polymorph
