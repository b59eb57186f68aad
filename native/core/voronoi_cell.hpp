// One Voronoi cell as a convex polyhedron (faces = convex polygons), built by clipping a cube
// with bisector planes (voronoi.hpp describes the method). Internal to voronoi.cpp and its tests.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace polymorph {

struct VoronoiCandidate {
  double d[3];   // r_j + S·cell − r_i (Å)
  double r2;     // |d|² (Å²)
  int32_t j;
  int32_t s[3];
};

struct VoronoiFace {
  int32_t candidate;  // index into the sorted candidates, −1 for a face of the bounding cube
  int32_t j;
  int32_t s[3];
  double d[3];
  double area;        // Å²
};

struct VoronoiCellResult {
  std::vector<VoronoiFace> faces;  // in order of creation (cube faces first, then by distance)
  double volume = 0;               // Å³
  double farthest = 0;             // Å, farthest vertex from the atom
};

// Sorts by distance, ties by j, then S (a deterministic order for any list order).
inline void sortCandidates(std::vector<VoronoiCandidate>& c) {
  std::sort(c.begin(), c.end(), [](const VoronoiCandidate& a, const VoronoiCandidate& b) {
    if (a.r2 != b.r2) return a.r2 < b.r2;
    if (a.j != b.j) return a.j < b.j;
    if (a.s[0] != b.s[0]) return a.s[0] < b.s[0];
    if (a.s[1] != b.s[1]) return a.s[1] < b.s[1];
    return a.s[2] < b.s[2];
  });
}

class VoronoiCellBuilder {
 public:
  // Clips the cube [−halfSize, halfSize]³ (around the atom at the origin) with the bisector
  // planes of `candidates` (sorted), stopping at the first candidate farther than twice the
  // farthest vertex. Returns true when the cell is secured: either such a candidate was met or
  // `listRadius` ≥ 2 × farthest vertex (no unlisted atom can cut it). `tolerance` (Å): vertices
  // closer than this to a plane count as on it.
  bool build(const std::vector<VoronoiCandidate>& candidates, double halfSize, double listRadius, double tolerance,
             VoronoiCellResult& out) {
    startCube(halfSize);
    bool secured = false;
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      const VoronoiCandidate& c = candidates[k];
      if (c.r2 > 4.0 * rmax2_ * (1 + 1e-12) + tolerance * tolerance) {
        secured = true;
        break;
      }
      if (!(c.r2 > 0)) continue;  // coincident atoms: no bisector
      const double r = std::sqrt(c.r2);
      const double u[3] = {c.d[0] / r, c.d[1] / r, c.d[2] / r};
      clip(u, 0.5 * r, static_cast<int32_t>(k), tolerance);
    }
    if (!secured) secured = listRadius * listRadius >= 4.0 * rmax2_ * (1 + 1e-12);
    finish(candidates, halfSize, out);
    return secured;
  }

 private:
  struct P3 {
    double x, y, z;
  };
  std::vector<P3> pts_, nextPts_, section_;
  std::vector<int32_t> start_, nextStart_, id_, nextId_;
  std::vector<double> offset_, nextOffset_;  // plane offset h of each face (distance from the atom)
  std::vector<double> angle_, dist_;
  std::vector<int32_t> order_;
  double rmax2_ = 0;

  void startCube(double h) {
    pts_.clear();
    start_.assign(1, 0);
    id_.clear();
    offset_.clear();
    // Faces ±x, ±y, ±z, each counter-clockwise seen from outside.
    const P3 v[8] = {{-h, -h, -h}, {h, -h, -h}, {h, h, -h}, {-h, h, -h}, {-h, -h, h}, {h, -h, h}, {h, h, h}, {-h, h, h}};
    const int f[6][4] = {{1, 2, 6, 5}, {0, 4, 7, 3}, {3, 7, 6, 2}, {0, 1, 5, 4}, {4, 5, 6, 7}, {0, 3, 2, 1}};
    for (int k = 0; k < 6; ++k) {
      for (int q = 0; q < 4; ++q) pts_.push_back(v[f[k][q]]);
      start_.push_back(static_cast<int32_t>(pts_.size()));
      id_.push_back(-1);
      offset_.push_back(h);
    }
    rmax2_ = 3 * h * h;
  }

  // A monotonic function of atan2(y, x) in [0, 4) without trigonometry (the "diamond angle").
  static double pseudoAngle(double x, double y) {
    if (x == 0 && y == 0) return 0;
    if (y >= 0) return x >= 0 ? y / (x + y) : 1 - x / (-x + y);
    return x < 0 ? 2 - y / (-x - y) : 3 + x / (x - y);
  }

  static double signedDistance(const P3& p, const double u[3], double h) { return p.x * u[0] + p.y * u[1] + p.z * u[2] - h; }

  void clip(const double u[3], double h, int32_t id, double tol) {
    bool cuts = false;
    dist_.resize(pts_.size());
    for (std::size_t q = 0; q < pts_.size(); ++q) {
      dist_[q] = signedDistance(pts_[q], u, h);
      cuts |= dist_[q] > tol;
    }
    if (!cuts) return;
    nextPts_.clear();
    nextStart_.assign(1, 0);
    nextId_.clear();
    nextOffset_.clear();
    section_.clear();
    const std::size_t faceCount = id_.size();
    for (std::size_t f = 0; f < faceCount; ++f) {
      const int32_t b = start_[f], e = start_[f + 1], m = e - b;
      const std::size_t first = nextPts_.size();
      for (int32_t q = 0; q < m; ++q) {
        const int32_t iq = q + 1 == m ? b : b + q + 1;
        const P3& P = pts_[b + q];
        const P3& Q = pts_[iq];
        const double sP = dist_[b + q], sQ = dist_[iq];
        const bool inP = sP <= tol, inQ = sQ <= tol;
        if (inP && inQ) {
          nextPts_.push_back(Q);
          if (sQ >= -tol) section_.push_back(Q);
        } else if (inP && !inQ) {
          if (sP < -tol) {
            const double t = sP / (sP - sQ);
            const P3 I{P.x + t * (Q.x - P.x), P.y + t * (Q.y - P.y), P.z + t * (Q.z - P.z)};
            nextPts_.push_back(I);
            section_.push_back(I);
          }
        } else if (!inP && inQ) {
          if (sQ < -tol) {
            const double t = sP / (sP - sQ);
            const P3 I{P.x + t * (Q.x - P.x), P.y + t * (Q.y - P.y), P.z + t * (Q.z - P.z)};
            nextPts_.push_back(I);
            section_.push_back(I);
          } else {
            section_.push_back(Q);
          }
          nextPts_.push_back(Q);
        }
      }
      if (nextPts_.size() - first >= 3) {
        nextStart_.push_back(static_cast<int32_t>(nextPts_.size()));
        nextId_.push_back(id_[f]);
        nextOffset_.push_back(offset_[f]);
      } else {
        nextPts_.resize(first);
      }
    }
    addSection(u, h, id, tol);
    pts_.swap(nextPts_);
    start_.swap(nextStart_);
    id_.swap(nextId_);
    offset_.swap(nextOffset_);
    rmax2_ = 0;
    for (const P3& p : pts_) rmax2_ = std::max(rmax2_, p.x * p.x + p.y * p.y + p.z * p.z);
  }

  // The new face: the section points ordered by angle around their centroid, duplicates merged.
  void addSection(const double u[3], double h, int32_t id, double tol) {
    const std::size_t k = section_.size();
    if (k < 3) return;
    P3 c{0, 0, 0};
    for (const P3& p : section_) c.x += p.x, c.y += p.y, c.z += p.z;
    c.x /= k, c.y /= k, c.z /= k;
    // An orthonormal basis (e1, e2) of the plane with e1 × e2 = u (counter-clockwise seen from outside).
    double a[3] = {1, 0, 0};
    if (std::fabs(u[0]) > 0.6) a[0] = 0, a[1] = 1;
    double e1[3] = {a[1] * u[2] - a[2] * u[1], a[2] * u[0] - a[0] * u[2], a[0] * u[1] - a[1] * u[0]};
    const double n1 = std::sqrt(e1[0] * e1[0] + e1[1] * e1[1] + e1[2] * e1[2]);
    for (double& x : e1) x /= n1;
    const double e2[3] = {u[1] * e1[2] - u[2] * e1[1], u[2] * e1[0] - u[0] * e1[2], u[0] * e1[1] - u[1] * e1[0]};
    angle_.resize(k);
    order_.resize(k);
    for (std::size_t q = 0; q < k; ++q) {
      const double dx = section_[q].x - c.x, dy = section_[q].y - c.y, dz = section_[q].z - c.z;
      angle_[q] = pseudoAngle(dx * e1[0] + dy * e1[1] + dz * e1[2], dx * e2[0] + dy * e2[1] + dz * e2[2]);
      order_[q] = static_cast<int32_t>(q);
    }
    std::sort(order_.begin(), order_.end(), [&](int32_t x, int32_t y) {
      if (angle_[x] != angle_[y]) return angle_[x] < angle_[y];
      return x < y;
    });
    const std::size_t first = nextPts_.size();
    const double merge2 = 4 * tol * tol;
    for (std::size_t q = 0; q < k; ++q) {
      const P3& p = section_[order_[q]];
      if (nextPts_.size() > first) {
        const P3& last = nextPts_.back();
        const double dx = p.x - last.x, dy = p.y - last.y, dz = p.z - last.z;
        if (dx * dx + dy * dy + dz * dz <= merge2) continue;
      }
      nextPts_.push_back(p);
    }
    while (nextPts_.size() - first >= 2) {
      const P3& p = nextPts_.back();
      const P3& f = nextPts_[first];
      const double dx = p.x - f.x, dy = p.y - f.y, dz = p.z - f.z;
      if (dx * dx + dy * dy + dz * dz > merge2) break;
      nextPts_.pop_back();
    }
    if (nextPts_.size() - first >= 3) {
      nextStart_.push_back(static_cast<int32_t>(nextPts_.size()));
      nextId_.push_back(id);
      nextOffset_.push_back(h);
    } else {
      nextPts_.resize(first);
    }
  }

  void finish(const std::vector<VoronoiCandidate>& candidates, double halfSize, VoronoiCellResult& out) const {
    (void)halfSize;
    out.faces.clear();
    out.volume = 0;
    out.farthest = std::sqrt(rmax2_);
    for (std::size_t f = 0; f + 1 < start_.size(); ++f) {
      const int32_t b = start_[f], e = start_[f + 1];
      // Area from the vector area of the polygon (fan around its first vertex).
      double ax = 0, ay = 0, az = 0;
      const P3& o = pts_[b];
      for (int32_t q = b + 1; q + 1 < e; ++q) {
        const P3& p = pts_[q];
        const P3& r = pts_[q + 1];
        const double px = p.x - o.x, py = p.y - o.y, pz = p.z - o.z;
        const double rx = r.x - o.x, ry = r.y - o.y, rz = r.z - o.z;
        ax += py * rz - pz * ry;
        ay += pz * rx - px * rz;
        az += px * ry - py * rx;
      }
      const double area = 0.5 * std::sqrt(ax * ax + ay * ay + az * az);
      out.volume += area * offset_[f] / 3.0;
      VoronoiFace face{};
      face.candidate = id_[f];
      face.area = area;
      if (id_[f] >= 0) {
        const VoronoiCandidate& c = candidates[static_cast<std::size_t>(id_[f])];
        face.j = c.j;
        for (int a = 0; a < 3; ++a) face.s[a] = c.s[a], face.d[a] = c.d[a];
      } else {
        face.j = -1;
      }
      out.faces.push_back(face);
    }
  }
};

}  // namespace polymorph
