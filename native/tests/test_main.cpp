#include "tests/test.hpp"

namespace polymorph::test {
std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}
}  // namespace polymorph::test

int main(int argc, char** argv) {
  using namespace polymorph::test;
  const std::string filter = argc > 1 ? argv[1] : "";
  int failed = 0, passed = 0;
  for (const Case& c : registry()) {
    if (!filter.empty() && c.name.find(filter) == std::string::npos) continue;
    try {
      c.body();
      ++passed;
      std::cout << "ok   " << c.name << "\n";
    } catch (const Failure& f) {
      ++failed;
      std::cout << "FAIL " << c.name << "\n     " << f.message << "\n";
    } catch (const std::exception& e) {
      ++failed;
      std::cout << "FAIL " << c.name << "\n     unexpected exception: " << e.what() << "\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}
