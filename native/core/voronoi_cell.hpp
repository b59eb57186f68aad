// One Voronoi cell as a convex polyhedron, cut plane by plane (voronoi.hpp describes the method).
// Internal to voronoi.cpp and its tests.
//
// The polyhedron is a half-edge mesh in which every vertex has exactly three edges (a simple
// polytope): half-edge e runs from origin(e) to origin(twin(e)), next(e) follows it round its
// face, and plane(e) names the face (−1: the starting shape). A cut by the plane x·u = h:
//   1. signed distances s = v·u − h of all vertices (one vectorised pass); a vertex is outside
//      when s > tol, otherwise inside — a vertex on the plane counts as inside, so a degenerate
//      vertex of a perfect crystal is split into vertices joined by edges of length ≤ tol
//      instead of gaining a fourth edge (such faces have zero area and fall below any area
//      threshold);
//   2. every edge from an inside to an outside vertex gets a new vertex on the plane; each face
//      it borders loses its outside run to one new edge, and the twins of those edges, chained
//      head to tail, form the new face;
//   3. outside vertices and the edges between them are freed for reuse.
// The work is proportional to the vertices plus the part cut away; a plane beyond the farthest
// vertex is rejected before any vertex is touched. Memory is reused from cell to cell (no
// allocation in steady state).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace polymorph {

struct VoronoiCellFace {
  int32_t plane;  // the caller's index of the cutting plane, −1 for a face of the starting shape
  double area;    // Å²
};

class VoronoiCell {
 public:
  // The cube [−h, h]³ around the atom (at the origin).
  void startCube(double h) {
    // Vertices (±h) and the cube's 24 half-edges (face rings counter-clockwise from outside).
    static const double sx[8] = {-1, 1, 1, -1, -1, 1, 1, -1}, sy[8] = {-1, -1, 1, 1, -1, -1, 1, 1},
                        sz[8] = {-1, -1, -1, -1, 1, 1, 1, 1};
    static const Topology cube;
    nv_ = 0;
    ne_ = 0;
    freeV_.clear();
    freeE_.clear();
    offsets_.clear();
    reserveVertices(64);
    reserveEdges(192);
    for (int v = 0; v < 8; ++v) {
      x_[v] = h * sx[v], y_[v] = h * sy[v], z_[v] = h * sz[v];
      vEdge_[v] = cube.vEdge[v];
    }
    nv_ = 8;
    for (int32_t e = 0; e < 24; ++e) {
      origin_[e] = cube.origin[e];
      next_[e] = cube.next[e];
      twin_[e] = cube.twin[e];
      plane_[e] = -1;
    }
    ne_ = 24;
    startOffset_ = h;
    updateBounds();
  }

  // Cuts the cell down to the 26-face polyhedron circumscribing the sphere of radius h (after
  // startCube(h)): faces at distance h normal to the 6 axes (the cube's), the 12 face diagonals
  // and the 8 body diagonals (circumradius 1.128 h, volume 4.777 h³). Its faces belong to the
  // starting shape (plane −1). Cuts commute, so this may come after other cuts.
  void clipToSphere(double h) {
    const double s2 = std::sqrt(0.5), s3 = std::sqrt(1.0 / 3.0);
    const double n[20][3] = {{s2, s2, 0},    {s2, -s2, 0},   {-s2, s2, 0},   {-s2, -s2, 0},  {s2, 0, s2},
                             {s2, 0, -s2},   {-s2, 0, s2},   {-s2, 0, -s2},  {0, s2, s2},    {0, s2, -s2},
                             {0, -s2, s2},   {0, -s2, -s2},  {s3, s3, s3},   {s3, s3, -s3},  {s3, -s3, s3},
                             {s3, -s3, -s3}, {-s3, s3, s3},  {-s3, s3, -s3}, {-s3, -s3, s3}, {-s3, -s3, -s3}};
    for (const auto& u : n) {
      const double d[3] = {2 * h * u[0], 2 * h * u[1], 2 * h * u[2]};
      cut(d, 4 * h * h, -1, 1e-12 * h);
    }
  }

  // Cuts the cell with the bisector plane of a neighbour at d (|d|² = r2): keeps x·d ≤ r2/2.
  // `plane` (≥ 0, or −1 for the starting shape) labels the new face; planes that cut must be
  // numbered 0, 1, 2, … in the order they cut. Vertices within `tol` (Å) of the plane count as
  // inside, so a plane that only touches the cell does not cut it. Returns true when it cut.
  bool cut(const double d[3], double r2, int32_t plane, double tol) {
    if (!(r2 > 0)) return false;  // a coincident atom has no bisector
    const double r = std::sqrt(r2);
    const double h = 0.5 * r;
    if (h > rmax_ + tol) return false;
    const double u[3] = {d[0] / r, d[1] / r, d[2] / r};
    // One pass: signed distances, and the farthest vertex (a bound that only tightens: the
    // cell shrinks with every cut, so a value from before a cut still bounds it).
    const int32_t V = nv_;
    double* s = s_.data();
    const double *x = x_.data(), *y = y_.data(), *z = z_.data();
    double top = -1e300, far2 = 0;
#pragma omp simd reduction(max : top, far2)
    for (int32_t v = 0; v < V; ++v) {
      s[v] = x[v] * u[0] + y[v] * u[1] + z[v] * u[2] - h;
      top = top > s[v] ? top : s[v];
      const double q = x[v] * x[v] + y[v] * y[v] + z[v] * z[v];
      far2 = far2 > q ? far2 : q;
    }
    rmax_ = std::sqrt(far2);
    if (!(top > tol)) return false;

    // Outside vertices (free slots sit at the origin, inside every plane); their edges to inside
    // vertices are the crossings (kept as the inside → outside half-edge), the others die.
    if (outside_.size() < static_cast<std::size_t>(V)) outside_.resize(static_cast<std::size_t>(V));
    int32_t nOut = 0;
    for (int32_t v = 0; v < V; ++v) {
      outside_[nOut] = v;
      nOut += s[v] > tol;
    }
    crossings_.clear();
    dying_.clear();
    for (int32_t w = 0; w < nOut; ++w) {
      const int32_t v = outside_[w];
      const int32_t first = vEdge_[v];
      int32_t e = first;
      do {
        const int32_t t = twin_[e];
        if (s[origin_[t]] <= tol) {
          crossings_.push_back(t);
        } else {
          dying_.push_back(e);
        }
        e = next_[t];
      } while (e != first);
    }
    const int32_t K = static_cast<int32_t>(crossings_.size());
    // Outside vertices with no edge to an inside one would be the whole cell (the atom, at the
    // origin, is inside every bisector): only rounding can get here; leave the cell as it is.
    if (K < 3) return false;
    reserveVertices(nv_ + K + 1);
    reserveEdges(ne_ + 2 * K + 1);
    x = x_.data(), y = y_.data(), z = z_.data();
    s = s_.data();
    cross_.resize(static_cast<std::size_t>(K));
    // 1. The new vertex of each crossing k (half-edge in → out), and the half-edge by which its
    //    face comes back inside (out → in) after the run cut away.
    for (int32_t k = 0; k < K; ++k) {
      Crossing& c = cross_[k];
      const int32_t e = crossings_[k];
      const int32_t in = origin_[e], out = origin_[twin_[e]];
      double t = s[in] / (s[in] - s[out]);
      t = t < 0 ? 0 : (t > 1 ? 1 : t);
      c.vertex = newVertex(x_[in] + t * (x_[out] - x_[in]), y_[in] + t * (y_[out] - y_[in]), z_[in] + t * (z_[out] - z_[in]));
      int32_t g = next_[e];
      while (s[origin_[twin_[g]]] > tol) g = next_[g];
      c.entry = g;
      key_[twin_[e]] = k;
    }
    // 2. Rewire: each face keeps in → new → (new edge) → new' → in'; the new edges' twins form
    //    the new face.
    for (int32_t k = 0; k < K; ++k) {
      const int32_t t = twin_[crossings_[k]];
      origin_[t] = cross_[k].vertex;
      vEdge_[cross_[k].vertex] = t;
    }
    for (int32_t k = 0; k < K; ++k) {
      Crossing& c = cross_[k];
      const int32_t e = crossings_[k], g = c.entry;
      const int32_t a = newEdge(), b = newEdge();
      origin_[a] = c.vertex;
      plane_[a] = plane_[e];
      next_[a] = g;
      twin_[a] = b;
      origin_[b] = cross_[key_[g]].vertex;
      plane_[b] = plane;
      twin_[b] = a;
      next_[e] = a;
      c.newEdge = b;
    }
    // The new face's edge out of crossing k's vertex is the one made for the crossing whose
    // entry is twin(k).
    for (int32_t k = 0; k < K; ++k) cross_[key_[cross_[k].entry]].startsHere = cross_[k].newEdge;
    for (int32_t k = 0; k < K; ++k) next_[cross_[k].newEdge] = cross_[k].startsHere;
    // 3. Free the outside vertices and the edges between them.
    for (int32_t e : dying_) freeEdge(e);
    for (int32_t w = 0; w < nOut; ++w) freeVertex(outside_[w]);
    if (plane >= 0) {
      if (offsets_.size() <= static_cast<std::size_t>(plane)) offsets_.resize(static_cast<std::size_t>(plane) + 1, 0.0);
      offsets_[plane] = h;
    }
    return true;
  }

  // The farthest vertex's distance from the atom (Å).
  double farthest() {
    updateBounds();
    return rmax_;
  }

  // The faces (one entry per plane, ordered by plane: the starting shape's first) and the
  // volume (Å³).
  void faces(std::vector<VoronoiCellFace>& out, double& volume) {
    out.clear();
    volume = 0;
    visited_.assign(static_cast<std::size_t>(ne_), 0);
    for (int32_t e : freeE_) visited_[e] = 1;
    areaOf_.assign(offsets_.size() + 1, 0.0);
    present_.assign(offsets_.size() + 1, 0);
    for (int32_t e0 = 0; e0 < ne_; ++e0) {
      if (visited_[e0]) continue;
      // Vector area of the polygon (fan around its first vertex).
      const int32_t o = origin_[e0];
      double ax = 0, ay = 0, az = 0;
      int32_t e = e0;
      do {
        visited_[e] = 1;
        const int32_t p = origin_[e], t = origin_[twin_[e]];
        const double px = x_[p] - x_[o], py = y_[p] - y_[o], pz = z_[p] - z_[o];
        const double tx = x_[t] - x_[o], ty = y_[t] - y_[o], tz = z_[t] - z_[o];
        ax += py * tz - pz * ty;
        ay += pz * tx - px * tz;
        az += px * ty - py * tx;
        e = next_[e];
      } while (e != e0);
      const std::size_t p = static_cast<std::size_t>(plane_[e0] + 1);
      areaOf_[p] += 0.5 * std::sqrt(ax * ax + ay * ay + az * az);
      present_[p] = 1;
    }
    // One entry per plane that kept a face (a plane may have been cut away entirely later).
    for (std::size_t p = 0; p < areaOf_.size(); ++p) {
      if (!present_[p]) continue;
      const double offset = p == 0 ? startOffset_ : offsets_[p - 1];
      volume += areaOf_[p] * offset / 3.0;
      out.push_back({static_cast<int32_t>(p) - 1, areaOf_[p]});
    }
  }

 private:
  struct Crossing {
    int32_t vertex, entry, newEdge, startsHere;
  };
  // The cube's half-edge mesh.
  struct Topology {
    int32_t origin[24], next[24], twin[24], vEdge[8];
    Topology() {
      const int32_t rings[6][4] = {{1, 2, 6, 5}, {0, 4, 7, 3}, {3, 7, 6, 2}, {0, 1, 5, 4}, {4, 5, 6, 7}, {0, 3, 2, 1}};
      for (int f = 0; f < 6; ++f)
        for (int q = 0; q < 4; ++q) {
          const int32_t e = 4 * f + q;
          origin[e] = rings[f][q];
          next[e] = 4 * f + (q + 1) % 4;
          vEdge[rings[f][q]] = e;
        }
      for (int32_t e = 0; e < 24; ++e)
        for (int32_t g = 0; g < 24; ++g)
          if (origin[g] == origin[next[e]] && origin[next[g]] == origin[e]) twin[e] = g;
    }
  };
  // Vertices: slots [0, nv_), free ones at the origin; vEdge_ = one half-edge out of each.
  std::vector<double> x_, y_, z_, s_;
  std::vector<int32_t> vEdge_, freeV_;
  int32_t nv_ = 0;
  // Half-edges: slots [0, ne_), free ones listed in freeE_ (origin −1).
  std::vector<int32_t> origin_, twin_, next_, plane_, key_, freeE_;
  int32_t ne_ = 0;
  std::vector<double> offsets_;  // distance of plane p from the atom
  double startOffset_ = 0;
  // Scratch.
  std::vector<int32_t> outside_, crossings_, dying_;
  std::vector<Crossing> cross_;
  std::vector<uint8_t> visited_, present_;
  std::vector<double> areaOf_;
  double rmax_ = 0;
  void reserveVertices(int32_t n) {
    if (static_cast<std::size_t>(n) <= x_.size()) return;
    const std::size_t size = std::max<std::size_t>(static_cast<std::size_t>(n), 2 * x_.size());
    x_.resize(size), y_.resize(size), z_.resize(size), s_.resize(size), vEdge_.resize(size);
  }
  void reserveEdges(int32_t n) {
    if (static_cast<std::size_t>(n) <= origin_.size()) return;
    const std::size_t size = std::max<std::size_t>(static_cast<std::size_t>(n), 2 * origin_.size());
    origin_.resize(size), twin_.resize(size), next_.resize(size), plane_.resize(size), key_.resize(size);
  }

  int32_t newVertex(double x, double y, double z) {
    int32_t v;
    if (!freeV_.empty()) {
      v = freeV_.back();
      freeV_.pop_back();
    } else {
      v = nv_++;
    }
    x_[v] = x, y_[v] = y, z_[v] = z;
    return v;
  }
  void freeVertex(int32_t v) {
    x_[v] = y_[v] = z_[v] = 0;
    freeV_.push_back(v);
  }
  int32_t newEdge() {
    if (!freeE_.empty()) {
      const int32_t e = freeE_.back();
      freeE_.pop_back();
      return e;
    }
    return ne_++;
  }
  void freeEdge(int32_t e) {
    origin_[e] = -1;
    freeE_.push_back(e);
  }

  // The farthest vertex (free slots sit at the origin, inside the cell: they do not change it).
  void updateBounds() {
    const int32_t V = nv_;
    const double *x = x_.data(), *y = y_.data(), *z = z_.data();
    double r2 = 0;
#pragma omp simd reduction(max : r2)
    for (int32_t v = 0; v < V; ++v) {
      const double q = x[v] * x[v] + y[v] * y[v] + z[v] * z[v];
      r2 = r2 > q ? r2 : q;
    }
    rmax_ = std::sqrt(r2);
  }
};

}  // namespace polymorph
