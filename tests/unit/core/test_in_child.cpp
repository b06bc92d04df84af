// A read that crashes in its child process is bad input for the parent,
// never a crash of the parent.
#include <gtest/gtest.h>

#include <csignal>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/in_child.hpp"
#include "unit/input_error_of.hpp"

using namespace fedhpc;
using fedhpc::test_support::input_error_of;

TEST(SurviveInChild, AGoodReadReturns) {
  EXPECT_NO_THROW(survive_in_child("f.h5", [] {}));
}

TEST(SurviveInChild, BadInputInTheChildIsBadInputHere) {
  EXPECT_EQ(input_error_of([] { survive_in_child("f.h5", [] { throw InputError("f.h5: has no /rounds"); }); }),
            "f.h5: has no /rounds");
}

TEST(SurviveInChild, AnyOtherErrorInTheChildIsADamagedFile) {
  EXPECT_EQ(input_error_of([] { survive_in_child("f.h5", [] { throw Error("HDF5 failed to read /checkpoint/model"); }); }),
            "f.h5: reading it failed (HDF5 failed to read /checkpoint/model); the file is damaged");
}

TEST(SurviveInChild, ACrashInTheChildIsADamagedFile) {
  const std::string msg = input_error_of([] { survive_in_child("f.h5", [] { std::raise(SIGSEGV); }); });
  // A signal here; under AddressSanitizer its handler turns the crash into an exit code.
  EXPECT_EQ(msg.rfind("f.h5: reading it crashed the library that reads it (", 0), 0u) << msg;
  EXPECT_NE(msg.find("); the file is damaged"), std::string::npos) << msg;
}
