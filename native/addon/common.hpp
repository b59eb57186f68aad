// Shared helpers for the node-addon-api bindings: argument checks, zero-copy array views,
// error translation (polymorph::Error -> JS Error with a `code`), and a Promise-based worker.
#pragma once
#include <napi.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "addon/native_thread.hpp"
#include "core/buffer.hpp"
#include "core/error.hpp"

namespace polymorph::addon {

// A JS Error carrying a stable `code`; lib/core/native.ts turns it into a PolymorphError.
inline Napi::Error makeError(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}

[[noreturn]] inline void fail(Napi::Env env, const std::string& code, const std::string& message) {
  throw makeError(env, code, message);
}

// Runs `body`, translating C++ exceptions into JS errors with codes.
template <class Body>
auto guarded(Napi::Env env, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const polymorph::Error& e) {
    throw makeError(env, e.code(), e.what());
  } catch (const std::bad_alloc&) {
    throw makeError(env, "E_MEMORY", "out of memory in native code");
  } catch (const std::exception& e) {
    throw makeError(env, "E_NATIVE", std::string("native error: ") + e.what());
  }
}

template <class T>
struct ArrayView {
  const T* data = nullptr;
  std::size_t length = 0;
};

template <class T>
struct TypedArrayTraits;
template <>
struct TypedArrayTraits<double> {
  static constexpr napi_typedarray_type type = napi_float64_array;
  static constexpr const char* name = "Float64Array";
};
template <>
struct TypedArrayTraits<int32_t> {
  static constexpr napi_typedarray_type type = napi_int32_array;
  static constexpr const char* name = "Int32Array";
};
template <>
struct TypedArrayTraits<uint8_t> {
  static constexpr napi_typedarray_type type = napi_uint8_array;
  static constexpr const char* name = "Uint8Array";
};

// A zero-copy view of a typed array argument; checks its type and (if given) its length.
template <class T>
ArrayView<T> viewOf(const Napi::Value& value, const char* what, std::size_t expectedLength = SIZE_MAX) {
  Napi::Env env = value.Env();
  if (!value.IsTypedArray() ||
      value.As<Napi::TypedArray>().TypedArrayType() != TypedArrayTraits<T>::type) {
    fail(env, "E_TYPE", std::string(what) + " must be a " + TypedArrayTraits<T>::name);
  }
  auto array = value.As<Napi::TypedArrayOf<T>>();
  ArrayView<T> view{array.Data(), array.ElementLength()};
  if (expectedLength != SIZE_MAX && view.length != expectedLength) {
    fail(env, "E_SHAPE", std::string(what) + " has " + std::to_string(view.length) +
                             " elements, expected " + std::to_string(expectedLength));
  }
  return view;
}

// A copy of a typed array argument (checked as viewOf checks it), for data kept beyond the call.
template <class T>
std::vector<T> copyOf(const Napi::Value& value, const char* what, std::size_t length = SIZE_MAX) {
  auto view = viewOf<T>(value, what, length);
  return std::vector<T>(view.data, view.data + view.length);
}

inline double numberOf(const Napi::Value& value, const char* what) {
  if (!value.IsNumber()) fail(value.Env(), "E_TYPE", std::string(what) + " must be a number");
  return value.As<Napi::Number>().DoubleValue();
}

inline bool boolOf(const Napi::Value& value, const char* what) {
  if (!value.IsBoolean()) fail(value.Env(), "E_TYPE", std::string(what) + " must be a boolean");
  return value.As<Napi::Boolean>().Value();
}

// Moves a std::vector (any allocator) into a JS typed array without copying (external ArrayBuffer).
template <class T, class A>
Napi::TypedArrayOf<T> toTypedArray(Napi::Env env, std::vector<T, A>&& vector) {
  if (vector.empty()) return Napi::TypedArrayOf<T>::New(env, 0);
  auto* owner = new std::vector<T, A>(std::move(vector));
  const int64_t bytes = static_cast<int64_t>(owner->size() * sizeof(T));
  Napi::MemoryManagement::AdjustExternalMemory(env, bytes);  // lets V8's GC see the memory
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(
      env, owner->data(), owner->size() * sizeof(T),
      [](Napi::Env env, void*, std::vector<T, A>* hint) {
        Napi::MemoryManagement::AdjustExternalMemory(env, -static_cast<int64_t>(hint->size() * sizeof(T)));
        delete hint;
      },
      owner);
  return Napi::TypedArrayOf<T>::New(env, owner->size(), buffer, 0, TypedArrayTraits<T>::type);
}

// A JS typed array over a Buffer's values, without copying. Owned memory becomes an external
// ArrayBuffer spanning the whole capacity (so a later rebuild can reuse it); borrowed memory must
// come from `borrowedFrom`, which the new view then shares.
template <class T>
Napi::TypedArrayOf<T> toTypedArray(Napi::Env env, polymorph::Buffer<T>&& buffer,
                                   Napi::ArrayBuffer borrowedFrom = Napi::ArrayBuffer()) {
  const std::size_t n = buffer.size();
  if (!buffer.owned()) {
    if (borrowedFrom.IsEmpty()) {
      if (n != 0) fail(env, "E_NATIVE", "internal: borrowed buffer without its ArrayBuffer");
      return Napi::TypedArrayOf<T>::New(env, 0);
    }
    return Napi::TypedArrayOf<T>::New(env, n, borrowedFrom, 0, TypedArrayTraits<T>::type);
  }
  const int64_t bytes = static_cast<int64_t>(buffer.capacity() * sizeof(T));
  T* data = buffer.release();
  Napi::MemoryManagement::AdjustExternalMemory(env, bytes);  // lets V8's GC see the memory
  Napi::ArrayBuffer array = Napi::ArrayBuffer::New(
      env, data, static_cast<std::size_t>(bytes),
      [](Napi::Env env, void* p, int64_t* size) {
        Napi::MemoryManagement::AdjustExternalMemory(env, -*size);
        delete size;
        polymorph::freeBuffer(p);
      },
      new int64_t(bytes));
  return Napi::TypedArrayOf<T>::New(env, n, array, 0, TypedArrayTraits<T>::type);
}

// A Buffer borrowing the memory of a JS ArrayBuffer argument (to write a result into it again).
template <class T>
polymorph::Buffer<T> borrowArrayBuffer(const Napi::Value& value, const char* what) {
  if (!value.IsArrayBuffer()) fail(value.Env(), "E_TYPE", std::string(what) + " must be an ArrayBuffer");
  auto array = value.As<Napi::ArrayBuffer>();
  if (reinterpret_cast<std::uintptr_t>(array.Data()) % alignof(T) != 0) {
    fail(value.Env(), "E_VALUE", std::string(what) + " is not aligned for its element type");
  }
  return polymorph::Buffer<T>::borrow(static_cast<T*>(array.Data()), array.ByteLength() / sizeof(T));
}

// Runs `compute` on the native thread (for a libuv worker thread, which waits) and resolves a Promise with `convert(result)`.
// Inputs that `compute` reads must be kept alive with keep() (their JS objects are referenced).
template <class Result>
class PromiseWorker : public Napi::AsyncWorker {
 public:
  using Compute = std::function<Result()>;
  using Convert = std::function<Napi::Value(Napi::Env, Result&)>;

  PromiseWorker(Napi::Env env, Compute compute, Convert convert)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)),
        compute_(std::move(compute)), convert_(std::move(convert)) {}

  void keep(const Napi::Value& value) {
    if (value.IsObject()) kept_.push_back(Napi::Persistent(value.As<Napi::Object>()));
  }
  Napi::Promise promise() const { return deferred_.Promise(); }

  // Queues `compute` on a worker thread, keeping `inputs` (the JS arrays it reads) alive until
  // it is done, and returns the Promise of `convert(result)`.
  static Napi::Promise start(Napi::Env env, Compute compute, Convert convert,
                             std::initializer_list<Napi::Value> inputs) {
    auto* worker = new PromiseWorker(env, std::move(compute), std::move(convert));
    for (const Napi::Value& input : inputs) worker->keep(input);
    Napi::Promise promise = worker->promise();
    worker->Queue();  // the worker deletes itself when done
    return promise;
  }

 protected:
  void Execute() override {
    try {
      // This libuv thread waits while the addon's native thread computes (native_thread.hpp).
      result_ = onNativeThread([&] { return std::make_unique<Result>(compute_()); });
    } catch (const polymorph::Error& e) {
      code_ = e.code();
      SetError(e.what());
    } catch (const std::bad_alloc&) {
      code_ = "E_MEMORY";
      SetError("out of memory in native code");
    } catch (const std::exception& e) {
      code_ = "E_NATIVE";
      SetError(std::string("native error: ") + e.what());
    }
  }
  void OnOK() override {
    Napi::Env env = Env();
    try {
      deferred_.Resolve(guarded(env, [&] { return convert_(env, *result_); }));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }
  void OnError(const Napi::Error& error) override {
    deferred_.Reject(makeError(Env(), code_, error.Message()).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Compute compute_;
  Convert convert_;
  std::unique_ptr<Result> result_;
  std::string code_ = "E_NATIVE";
  std::vector<Napi::ObjectReference> kept_;
};

// An opaque JS handle owning a shared C++ object (a model built once and used by many calls;
// async calls copy the shared_ptr, so the object lives until the last job ends).
template <class T>
Napi::External<std::shared_ptr<T>> makeHandle(Napi::Env env, std::shared_ptr<T> object) {
  return Napi::External<std::shared_ptr<T>>::New(env, new std::shared_ptr<T>(std::move(object)),
                                                 [](Napi::Env, std::shared_ptr<T>* p) { delete p; });
}

// The object behind a handle made by makeHandle<T>; `what` names it in the type error.
// Handles are only created by the addon and kept private in the TypeScript wrappers.
template <class T>
std::shared_ptr<T> handleOf(const Napi::Value& value, const char* what) {
  if (!value.IsExternal()) fail(value.Env(), "E_TYPE", std::string(what) + " must be a native handle");
  return *value.As<Napi::External<std::shared_ptr<T>>>().Data();
}

inline Napi::Object objectOf(const Napi::Value& value, const char* what) {
  if (!value.IsObject() || value.IsArray() || value.IsTypedArray()) {
    fail(value.Env(), "E_TYPE", std::string(what) + " must be an object");
  }
  return value.As<Napi::Object>();
}

// Reads positions [3N], elements/types [N], cell [9] or null, pbc [3 booleans] from info[first…first+3].
struct StructureArgs {
  const double* positions = nullptr;
  std::size_t n = 0;
  const int32_t* types = nullptr;
  const double* cell = nullptr;
  bool pbc[3] = {false, false, false};
};
inline StructureArgs structureArgs(const Napi::CallbackInfo& info, std::size_t first) {
  Napi::Env env = info.Env();
  StructureArgs s;
  auto positions = viewOf<double>(info[first], "positions");
  if (positions.length % 3 != 0) fail(env, "E_SHAPE", "positions length must be a multiple of 3");
  s.positions = positions.data;
  s.n = positions.length / 3;
  s.types = viewOf<int32_t>(info[first + 1], "elements", s.n).data;
  if (!info[first + 2].IsNull() && !info[first + 2].IsUndefined()) s.cell = viewOf<double>(info[first + 2], "cell", 9).data;
  if (!info[first + 3].IsArray() || info[first + 3].As<Napi::Array>().Length() != 3) {
    fail(env, "E_TYPE", "pbc must be an array of 3 booleans");
  }
  for (uint32_t k = 0; k < 3; ++k) s.pbc[k] = boolOf(info[first + 3].As<Napi::Array>().Get(k), "pbc[k]");
  return s;
}

// Each binding file registers its functions through one of these.
void registerThreads(Napi::Env env, Napi::Object exports);
void registerNeighborList(Napi::Env env, Napi::Object exports);
void registerEvaluator(Napi::Env env, Napi::Object exports);
void registerLennardJones(Napi::Env env, Napi::Object exports);
void registerBuckingham(Napi::Env env, Napi::Object exports);
void registerSymmetryFunctions(Napi::Env env, Napi::Object exports);
void registerHdnnp(Napi::Env env, Napi::Object exports);
void registerHdnnpTraining(Napi::Env env, Napi::Object exports);
void registerHdnnpKalman(Napi::Env env, Napi::Object exports);
void registerLassoLars(Napi::Env env, Napi::Object exports);
void registerPlipDescriptors(Napi::Env env, Napi::Object exports);
void registerEwald(Napi::Env env, Napi::Object exports);
void registerCoulomb(Napi::Env env, Napi::Object exports);
void registerMolecularDynamics(Napi::Env env, Napi::Object exports);
void registerMinimize(Napi::Env env, Napi::Object exports);
void registerCommonNeighborAnalysis(Napi::Env env, Napi::Object exports);
void registerPairHistogram(Napi::Env env, Napi::Object exports);
void registerSolidAtoms(Napi::Env env, Napi::Object exports);
void registerSteinhardt(Napi::Env env, Napi::Object exports);
void registerStructureFactor(Napi::Env env, Napi::Object exports);
void registerMsd(Napi::Env env, Napi::Object exports);

}  // namespace polymorph::addon
