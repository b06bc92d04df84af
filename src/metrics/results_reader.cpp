#include "metrics/results_reader.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/printable.hpp"
#include "metrics/guarded_open.hpp"
#include "metrics/hdf5_table.hpp"

namespace fedhpc {

using h5::check;
using h5::Handle;

namespace {

herr_t read_attr(hid_t loc, const char* name, const H5A_info_t*, void* data) {
  auto* out = static_cast<Results*>(data);
  Handle attr(H5Aopen(loc, name, H5P_DEFAULT), H5Aclose);
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls == H5T_STRING) {
    attr.reset();
    out->text[name] = h5::read_attr_text(loc, name);
  } else if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
    double v = 0;
    if (H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &v) >= 0) out->numbers[name] = v;
  }
  return 0;
}


}  // namespace

bool is_hdf5(const std::string& path) {
  h5::silence_errors();
  return H5Fis_hdf5(path.c_str()) > 0;
}

long count_rounds(const std::string& path) {
  h5::silence_errors();
  const h5::MetadataDeadline deadline(path);
  Handle file = h5::open_for_reading(path);
  if (!file) return -1;
  Handle dset(H5Dopen2(file.get(), "rounds", H5P_DEFAULT), H5Dclose);
  if (!dset) return -1;
  Handle space(H5Dget_space(dset.get()), H5Sclose);
  return static_cast<long>(H5Sget_simple_extent_npoints(space.get()));
}

std::string Results::shown(const std::string& key, const std::string& missing) const {
  const auto it = text.find(key);
  return it == text.end() ? missing : terminal_safe(it->second, 1000);
}

Results read_results(const std::string& path, bool rounds_only) {
  h5::silence_errors();
  if (!std::filesystem::exists(path)) throw InputError(fmt::format("{}: no such results file", path));
  if (H5Fis_hdf5(path.c_str()) <= 0) throw InputError(fmt::format("{}: not an HDF5 file", path));
  Results r;
  Handle file;
  {
    const h5::MetadataDeadline deadline(path);
    file = h5::open_for_reading(path);
    if (!file) throw InputError(fmt::format("{}: cannot open the HDF5 file", path));
    hsize_t idx = 0;
    H5Aiterate2(file.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, read_attr, &r);
  }
  if (!r.numbers.count("schema_version"))
    throw InputError(fmt::format("{}: not a fedhpc results file (no schema_version attribute)", path));
  r.complete = r.numbers.count("complete") && r.numbers.at("complete") == 1;
  r.rounds = h5::read_rows<RoundRecord>(file.get(), "rounds", h5::rounds_type().get(), path, /*required=*/true);
  if (rounds_only) return r;
  r.clients = h5::read_rows<ClientRecord>(file.get(), "clients", h5::clients_type().get(), path);
  r.timings = h5::read_rows<TimingRecord>(file.get(), "timings", h5::timings_type().get(), path);
  for (const auto& row : h5::read_rows<h5::CheckpointRow>(file.get(), "checkpoints", h5::checkpoints_type().get(), path))
    if (row.round > 0) r.checkpoint_rounds.push_back(row.round);
  if (r.complete) r.final_model = h5::read_rows<float>(file.get(), "model/final", H5T_NATIVE_FLOAT, path, true);
  // Populations recorded by how to re-derive them have no rows.
  if (H5Lexists(file.get(), "partition", H5P_DEFAULT) > 0 &&
      H5Lexists(file.get(), "partition/num_samples", H5P_DEFAULT) > 0)
    r.partition_sizes = h5::read_rows<std::int64_t>(file.get(), "partition/num_samples", H5T_NATIVE_INT64, path);
  return r;
}

}  // namespace fedhpc
