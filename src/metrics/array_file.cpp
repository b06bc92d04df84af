#include "metrics/array_file.hpp"

#include <filesystem>

#include "core/error.hpp"
#include "data/population.hpp"
#include "metrics/guarded_open.hpp"
#include "metrics/hdf5_table.hpp"

namespace fedhpc {

using h5::Handle;

struct ArrayFile::Impl {
  Handle file;
};

namespace {

ElementKind kind_of(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      if (H5Tget_size(type) == 1 && H5Tget_sign(type) == H5T_SGN_NONE) return ElementKind::UInt8;
      return ElementKind::Integer;
    case H5T_FLOAT:
      return H5Tget_size(type) == 4 ? ElementKind::Float32 : H5Tget_size(type) == 8 ? ElementKind::Float64
                                                                                    : ElementKind::Other;
    default: return ElementKind::Other;
  }
}

std::string type_text(hid_t type) {
  const auto bits = 8 * H5Tget_size(type);
  switch (H5Tget_class(type)) {
    case H5T_INTEGER: return fmt::format("{}int{}", H5Tget_sign(type) == H5T_SGN_NONE ? "u" : "", bits);
    case H5T_FLOAT: return fmt::format("float{}", bits);
    case H5T_STRING: return "string";
    case H5T_COMPOUND: return "compound";
    default: return "an unsupported type";
  }
}

}  // namespace

ArrayFile::ArrayFile(const std::string& path, const std::string& what) : path_(path), impl_(std::make_unique<Impl>()) {
  h5::silence_errors();
  if (!std::filesystem::is_regular_file(path)) throw InputError(fmt::format("{}: {}: no such file", what, path));
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw InputError(fmt::format("{}: {}: expected an HDF5 file, found something else", what, path));
  const h5::MetadataDeadline deadline(path);
  impl_->file = h5::open_for_reading(path);
  if (!impl_->file) throw InputError(fmt::format("{}: {}: the HDF5 file cannot be opened (damaged?)", what, path));
}

ArrayFile::~ArrayFile() = default;

bool ArrayFile::has(const std::string& name) const {
  // Each link on the way must exist before the next is asked about.
  std::string prefix;
  for (std::size_t at = 1; at <= name.size(); ++at) {
    if (at == name.size() || name[at] == '/') {
      prefix = name.substr(0, at);
      if (H5Lexists(impl_->file.get(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    }
  }
  Handle object(H5Oopen(impl_->file.get(), name.c_str(), H5P_DEFAULT), H5Oclose);
  return object && H5Iget_type(object.get()) == H5I_DATASET;
}

ArrayInfo ArrayFile::info(const std::string& name) const {
  if (!has(name)) throw InputError(fmt::format("{}: has no dataset {}", path_, name));
  Handle dset(H5Dopen2(impl_->file.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(dset.get()), H5Tclose);
  Handle space(H5Dget_space(dset.get()), H5Sclose);
  if (!dset || !type || !space) throw InputError(fmt::format("{}: cannot open dataset {}", path_, name));
  ArrayInfo out;
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank < 0 || H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
    throw InputError(fmt::format("{}: cannot read the shape of {}", path_, name));
  for (const auto d : dims) out.dims.push_back(static_cast<std::int64_t>(d));
  out.kind = kind_of(type.get());
  out.type_text = type_text(type.get());
  return out;
}

namespace {

template <class T>
std::vector<T> read_all(hid_t file, const std::string& name, hid_t mem_type, std::int64_t count,
                        const std::string& path) {
  std::vector<T> out(static_cast<std::size_t>(count));
  Handle dset(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!out.empty() && H5Dread(dset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    throw InputError(fmt::format("{}: cannot read {} (damaged?)", path, name));
  return out;
}

// A few bytes of file may declare an array of any size (HDF5 fills what
// was never written): the count is checked for overflow and against the
// memory this process may use before anything is allocated.
std::int64_t element_count(const ArrayInfo& info, const std::string& name, const std::string& path,
                           std::size_t element_bytes) {
  std::int64_t n = 1;
  for (const auto d : info.dims)
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      throw InputError(fmt::format("{}: {} declares more elements than can be counted", path, name));
  const auto bytes = static_cast<double>(n) * static_cast<double>(element_bytes);
  if (const auto available = available_memory_bytes(); available && bytes > static_cast<double>(*available))
    throw InputError(fmt::format("{}: {} holds {} elements ({:.1f} GB), more than this process may use ({:.1f} GB)",
                                 path, name, n, bytes / 1e9, static_cast<double>(*available) / 1e9));
  return n;
}

}  // namespace

std::vector<float> ArrayFile::floats(const std::string& name) const {
  const ArrayInfo a = info(name);
  if (a.kind != ElementKind::UInt8 && a.kind != ElementKind::Float32 && a.kind != ElementKind::Float64)
    throw InputError(fmt::format("{}: {}: expected uint8, float32 or float64 elements, found {}", path_, name,
                                 a.type_text));
  return read_all<float>(impl_->file.get(), name, H5T_NATIVE_FLOAT, element_count(a, name, path_, sizeof(float)), path_);
}

std::vector<std::int64_t> ArrayFile::integers(const std::string& name) const {
  const ArrayInfo a = info(name);
  if (a.kind != ElementKind::UInt8 && a.kind != ElementKind::Integer)
    throw InputError(fmt::format("{}: {}: expected integer elements, found {}", path_, name, a.type_text));
  return read_all<std::int64_t>(impl_->file.get(), name, H5T_NATIVE_INT64,
                                 element_count(a, name, path_, sizeof(std::int64_t)), path_);
}

std::optional<double> ArrayFile::number_attribute(const std::string& name) const {
  const hid_t root = impl_->file.get();
  if (H5Aexists(root, name.c_str()) <= 0) return std::nullopt;
  Handle attr(H5Aopen(root, name.c_str(), H5P_DEFAULT), H5Aclose);
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if ((cls != H5T_INTEGER && cls != H5T_FLOAT) || H5Sget_simple_extent_npoints(space.get()) != 1)
    throw InputError(fmt::format("{}: attribute {}: expected one number, found {}", path_, name,
                                 cls == H5T_STRING ? "text" : "something else"));
  double v = 0;
  if (H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &v) < 0)
    throw InputError(fmt::format("{}: attribute {} cannot be read", path_, name));
  return v;
}

std::optional<std::string> ArrayFile::text_attribute(const std::string& name) const {
  const hid_t root = impl_->file.get();
  if (H5Aexists(root, name.c_str()) <= 0) return std::nullopt;
  return h5::read_attr_text(root, name.c_str());
}

}  // namespace fedhpc
