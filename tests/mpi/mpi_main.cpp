// gtest under mpiexec: every rank runs every test; only rank 0 prints the
// report, other ranks print their failures; the exit code is a failure if
// any rank failed.
#include <gtest/gtest.h>

#include <cstdio>

#include "comm/mpi_session.hpp"
#include "mpi_world.hpp"

namespace {
fedhpc::Comm* g_world = nullptr;

class FailurePrinter : public ::testing::EmptyTestEventListener {
 public:
  explicit FailurePrinter(int rank) : rank_(rank) {}
  void OnTestPartResult(const ::testing::TestPartResult& r) override {
    if (r.failed())
      std::fprintf(stderr, "[rank %d] %s:%d: failure\n%s\n", rank_, r.file_name() ? r.file_name() : "?",
                   r.line_number(), r.summary());
  }

 private:
  int rank_;
};
}  // namespace

fedhpc::Comm& fedhpc::test::world() { return *g_world; }

int main(int argc, char** argv) {
  fedhpc::MpiSession mpi(&argc, &argv);
  auto world = mpi.world();
  g_world = world.get();
  ::testing::InitGoogleTest(&argc, argv);
  if (world->rank() != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
    listeners.Append(new FailurePrinter(world->rank()));
  }
  const int rc = RUN_ALL_TESTS();
  const bool all_passed = world->allreduce_min(rc == 0 ? 1 : 0) == 1;
  return all_passed ? 0 : 1;
}
