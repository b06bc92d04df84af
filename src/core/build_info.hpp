#pragma once
// What this binary was built from, for the results file's provenance. The
// definition is generated at every build (src/core/build_info.cmake).
namespace fedhpc {

struct BuildInfo {
  const char* version;           // the CMake project version
  const char* git_sha;           // "unknown" outside a git checkout
  bool git_dirty;                // tracked files differed from the commit
  const char* yaml_cpp_version;  // the yaml-cpp CMake package version
};

const BuildInfo& build_info();

}  // namespace fedhpc
