// Bindings:
//   steinhardt(positions, types, cell|null, pbc, options) → { values: Float64Array [N·n_l], neighborCounts: Int32Array [N] }
//   steinhardtAsync(…same…) → Promise
//   voronoi(positions, types, cell|null, pbc, { areaThreshold, openBoundary }) → { volumes, openArea,
//     rowPtr, neighbors, shifts, vectors, areas, openBoundary, passes }
//   voronoiAsync(…same…) → Promise
// positions Float64Array [3N] Å; types Int32Array [N] (species labels); options { degrees: Int32Array,
// mode: 'cutoff' | 'count' | 'voronoi', cutoff (Å), count, areaThreshold, openBoundary (Å),
// average, wl, sameSpecies }. Results are moved into JS typed arrays without copying.
#include "core/steinhardt.hpp"

#include "addon/common.hpp"
#include "core/voronoi.hpp"

namespace polymorph::addon {
namespace {

struct Job {
  SteinhardtInput input;
  SteinhardtParameters parameters;
};

VoronoiOptions voronoiOptionsOf(const Napi::Object& o) {
  VoronoiOptions v;
  v.areaThreshold = numberOf(o.Get("areaThreshold"), "options.areaThreshold");
  v.openBoundary = numberOf(o.Get("openBoundary"), "options.openBoundary");
  return v;
}

Job parseJob(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 5) fail(env, "E_TYPE", "steinhardt expects 5 arguments");
  Job job;
  const StructureArgs s = structureArgs(info, 0);
  job.input.positions = s.positions;
  job.input.n = s.n;
  job.input.types = s.types;
  job.input.cell = s.cell;
  for (int a = 0; a < 3; ++a) job.input.pbc[a] = s.pbc[a];
  Napi::Object o = objectOf(info[4], "options");
  auto degrees = viewOf<int32_t>(o.Get("degrees"), "options.degrees");
  job.parameters.degrees.assign(degrees.data, degrees.data + degrees.length);
  if (!o.Get("mode").IsString()) fail(env, "E_TYPE", "options.mode must be a string");
  const std::string mode = o.Get("mode").As<Napi::String>().Utf8Value();
  if (mode == "cutoff") {
    job.parameters.neighbors = SteinhardtNeighbors::Cutoff;
    job.parameters.cutoff = numberOf(o.Get("cutoff"), "options.cutoff");
  } else if (mode == "count") {
    job.parameters.neighbors = SteinhardtNeighbors::Count;
    job.parameters.count = static_cast<int>(numberOf(o.Get("count"), "options.count"));
  } else if (mode == "voronoi") {
    job.parameters.neighbors = SteinhardtNeighbors::Voronoi;
    job.parameters.voronoi = voronoiOptionsOf(o);
  } else {
    fail(env, "E_VALUE", "options.mode must be 'cutoff', 'count' or 'voronoi'");
  }
  job.parameters.average = boolOf(o.Get("average"), "options.average");
  job.parameters.wl = boolOf(o.Get("wl"), "options.wl");
  job.parameters.sameSpecies = boolOf(o.Get("sameSpecies"), "options.sameSpecies");
  validateSteinhardtParameters(job.parameters);
  return job;
}

Napi::Value toJs(Napi::Env env, SteinhardtResult& result) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("values", toTypedArray(env, std::move(result.values)));
  out.Set("neighborCounts", toTypedArray(env, std::move(result.neighborCounts)));
  return out;
}

Napi::Value steinhardtSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&] {
    Job job = parseJob(info);
    SteinhardtResult result = onNativeThread([&] { return steinhardt(job.input, job.parameters); });
    return toJs(env, result);
  });
}

Napi::Value steinhardtAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Job job = parseJob(info);
    return PromiseWorker<SteinhardtResult>::start(
        env, [job] { return steinhardt(job.input, job.parameters); }, toJs, {info[0], info[1], info[2]});
  });
}

struct VoronoiJob {
  VoronoiInput input;
  VoronoiOptions options;
};

VoronoiJob parseVoronoi(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 5) fail(env, "E_TYPE", "voronoi expects 5 arguments");
  VoronoiJob job;
  const StructureArgs s = structureArgs(info, 0);
  job.input.positions = s.positions;
  job.input.n = s.n;
  job.input.cell = s.cell;
  for (int a = 0; a < 3; ++a) job.input.pbc[a] = s.pbc[a];
  job.options = voronoiOptionsOf(objectOf(info[4], "options"));
  return job;
}

Napi::Value voronoiToJs(Napi::Env env, VoronoiTessellation& t) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("volumes", toTypedArray(env, std::move(t.volumes)));
  out.Set("openArea", toTypedArray(env, std::move(t.openArea)));
  out.Set("rowPtr", toTypedArray(env, std::move(t.rowPtr)));
  out.Set("neighbors", toTypedArray(env, std::move(t.neighbors)));
  out.Set("shifts", toTypedArray(env, std::move(t.shifts)));
  out.Set("vectors", toTypedArray(env, std::move(t.vectors)));
  out.Set("areas", toTypedArray(env, std::move(t.areas)));
  out.Set("openBoundary", Napi::Number::New(env, t.openBoundary));
  out.Set("passes", Napi::Number::New(env, t.passes));
  return out;
}

Napi::Value voronoiSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&] {
    VoronoiJob job = parseVoronoi(info);
    VoronoiTessellation t = onNativeThread([&] { return voronoiTessellation(job.input, job.options); });
    return voronoiToJs(env, t);
  });
}

Napi::Value voronoiAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    VoronoiJob job = parseVoronoi(info);
    return PromiseWorker<VoronoiTessellation>::start(
        env, [job] { return voronoiTessellation(job.input, job.options); }, voronoiToJs, {info[0], info[1], info[2]});
  });
}

}  // namespace

void registerSteinhardt(Napi::Env env, Napi::Object exports) {
  exports.Set("steinhardt", Napi::Function::New(env, steinhardtSync));
  exports.Set("steinhardtAsync", Napi::Function::New(env, steinhardtAsync));
  exports.Set("voronoi", Napi::Function::New(env, voronoiSync));
  exports.Set("voronoiAsync", Napi::Function::New(env, voronoiAsync));
}

}  // namespace polymorph::addon
