// A minimal unit-test harness for the C++ core (ctest runs the resulting binary).
#pragma once
#include <cmath>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace polymorph::test {

struct Case {
  std::string name;
  std::function<void()> body;
};
std::vector<Case>& registry();
struct Failure {
  std::string message;
};
struct Register {
  Register(const char* name, std::function<void()> body) { registry().push_back({name, std::move(body)}); }
};

}  // namespace polymorph::test

#define PM_CONCAT2(a, b) a##b
#define PM_CONCAT(a, b) PM_CONCAT2(a, b)
#define TEST_CASE(name)                                                                   \
  static void PM_CONCAT(test_fn_, __LINE__)();                                            \
  static polymorph::test::Register PM_CONCAT(test_reg_, __LINE__)(name, PM_CONCAT(test_fn_, __LINE__)); \
  static void PM_CONCAT(test_fn_, __LINE__)()

#define CHECK(cond)                                                                        \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::ostringstream os_;                                                              \
      os_ << __FILE__ << ":" << __LINE__ << ": CHECK(" #cond ") failed";                   \
      throw polymorph::test::Failure{os_.str()};                                           \
    }                                                                                      \
  } while (0)

#define CHECK_NEAR(a, b, tol)                                                              \
  do {                                                                                     \
    const double a_ = (a), b_ = (b);                                                       \
    if (!(std::fabs(a_ - b_) <= (tol))) {                                                  \
      std::ostringstream os_;                                                              \
      os_ << __FILE__ << ":" << __LINE__ << ": " #a " = " << a_ << " vs " #b " = " << b_;  \
      throw polymorph::test::Failure{os_.str()};                                           \
    }                                                                                      \
  } while (0)

#define CHECK_THROWS_CODE(expr, code_)                                                     \
  do {                                                                                     \
    bool thrown_ = false;                                                                  \
    try {                                                                                  \
      expr;                                                                                \
    } catch (const polymorph::Error& e_) {                                                 \
      thrown_ = e_.code() == (code_);                                                      \
    }                                                                                      \
    if (!thrown_) throw polymorph::test::Failure{std::string(__FILE__) + ": " #expr " did not throw " + (code_)}; \
  } while (0)
