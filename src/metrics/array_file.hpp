#pragma once
// Reading named arrays and attributes from any HDF5 file: the data format
// (data.dataset: hdf5) and model.init's flat vectors. HDF5 stays behind this
// header; every failure is an InputError naming the file and the array.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fedhpc {

enum class ElementKind { UInt8, Float32, Float64, Integer, Other };

struct ArrayInfo {
  std::vector<std::int64_t> dims;
  ElementKind kind = ElementKind::Other;
  std::string type_text;  // "uint8", "float32", "int64", "string", ... for messages
  std::int64_t rows() const { return dims.empty() ? 1 : dims[0]; }
};

class ArrayFile {
 public:
  // InputError when `path` does not exist or is not an HDF5 file; `what`
  // names the key it came from ("data.path") in those messages.
  ArrayFile(const std::string& path, const std::string& what);
  ~ArrayFile();
  ArrayFile(const ArrayFile&) = delete;
  ArrayFile& operator=(const ArrayFile&) = delete;

  const std::string& path() const { return path_; }
  bool has(const std::string& name) const;  // a dataset at this path ("/train/x")
  ArrayInfo info(const std::string& name) const;
  // Every element as float (uint8, float32 or float64 arrays) or as int64
  // (integer arrays); any other element type is an InputError.
  std::vector<float> floats(const std::string& name) const;
  std::vector<std::int64_t> integers(const std::string& name) const;
  // A root attribute: numeric (any integer or float type) or text; empty when absent.
  std::optional<double> number_attribute(const std::string& name) const;
  std::optional<std::string> text_attribute(const std::string& name) const;

 private:
  struct Impl;
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fedhpc
