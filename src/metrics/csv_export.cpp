#include "metrics/csv_export.hpp"

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "metrics/guarded_open.hpp"
#include "metrics/hdf5_table.hpp"

namespace fedhpc {

namespace {

// The `units` attribute: one string per column.
std::vector<std::string> read_units(hid_t dset) {
  if (H5Aexists(dset, "units") <= 0) return {};
  h5::Handle attr(H5Aopen(dset, "units", H5P_DEFAULT), H5Aclose);
  h5::Handle space(H5Aget_space(attr.get()), H5Sclose);
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  h5::Handle str = h5::string_type();
  std::vector<char*> raw(n, nullptr);
  std::vector<std::string> units;
  if (n > 0 && H5Aread(attr.get(), str.get(), raw.data()) >= 0) {
    for (char* u : raw) units.emplace_back(u ? u : "");
    H5Dvlen_reclaim(str.get(), space.get(), H5P_DEFAULT, raw.data());
  }
  return units;
}

// One value of an integer or float member at `p`.
std::string cell(const unsigned char* p, hid_t type) {
  const std::size_t size = H5Tget_size(type);
  if (H5Tget_class(type) == H5T_FLOAT) {
    if (size == sizeof(double)) { double v; std::memcpy(&v, p, sizeof v); return fmt::format("{}", v); }
    float v; std::memcpy(&v, p, sizeof v); return fmt::format("{}", v);
  }
  const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
  std::int64_t s = 0;
  std::uint64_t u = 0;
  switch (size) {
    case 1: { std::int8_t a; std::uint8_t b; std::memcpy(&a, p, 1); std::memcpy(&b, p, 1); s = a; u = b; break; }
    case 2: { std::int16_t a; std::uint16_t b; std::memcpy(&a, p, 2); std::memcpy(&b, p, 2); s = a; u = b; break; }
    case 4: { std::int32_t a; std::uint32_t b; std::memcpy(&a, p, 4); std::memcpy(&b, p, 4); s = a; u = b; break; }
    default: { std::memcpy(&s, p, 8); std::memcpy(&u, p, 8); break; }
  }
  return is_signed ? fmt::format("{}", s) : fmt::format("{}", u);
}

// A compound table, read whole in its native layout.
void table_csv(hid_t file, const char* name, const std::string& out, const std::string& path) {
  h5::Handle dset(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
  if (!dset) throw InputError(fmt::format("{}: cannot open /{}", path, name));
  h5::Handle file_type(H5Dget_type(dset.get()), H5Tclose);
  h5::Handle mem(H5Tget_native_type(file_type.get(), H5T_DIR_ASCEND), H5Tclose);
  h5::Handle space(H5Dget_space(dset.get()), H5Sclose);
  const auto rows = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  const std::size_t row_size = H5Tget_size(mem.get());
  std::vector<unsigned char> buf(rows * row_size);
  if (rows > 0 && H5Dread(dset.get(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) < 0)
    throw InputError(fmt::format("{}: cannot read /{}", path, name));
  const int members = H5Tget_nmembers(mem.get());
  const auto units = read_units(dset.get());
  std::ofstream f(out);
  for (int m = 0; m < members; ++m) {
    char* member = H5Tget_member_name(mem.get(), static_cast<unsigned>(m));
    const auto i = static_cast<std::size_t>(m);
    f << (m ? "," : "") << member << (i < units.size() && !units[i].empty() ? " [" + units[i] + "]" : "");
    H5free_memory(member);
  }
  f << "\n";
  std::vector<h5::Handle> types;
  std::vector<std::size_t> offsets;
  for (int m = 0; m < members; ++m) {
    types.emplace_back(H5Tget_member_type(mem.get(), static_cast<unsigned>(m)), H5Tclose);
    offsets.push_back(H5Tget_member_offset(mem.get(), static_cast<unsigned>(m)));
  }
  for (std::size_t r = 0; r < rows; ++r) {
    for (int m = 0; m < members; ++m) {
      const auto i = static_cast<std::size_t>(m);
      f << (m ? "," : "") << cell(buf.data() + r * row_size + offsets[i], types[i].get());
    }
    f << "\n";
  }
  if (!f) throw Error(fmt::format("{}: cannot write", out));
}

// /partition's per-client rows: client, num_samples, adversary (0 where the
// file has no adversary column).
void partition_csv(hid_t file, const std::string& out, const std::string& path) {
  const auto samples = h5::read_rows<std::int64_t>(file, "partition/num_samples", H5T_NATIVE_INT64, path, true);
  const auto adversary = h5::read_rows<std::uint8_t>(file, "partition/adversary", H5T_NATIVE_UINT8, path);
  std::ofstream f(out);
  f << "client [id],num_samples [samples],adversary [flag]\n";
  for (std::size_t c = 0; c < samples.size(); ++c) {
    f << c << "," << samples[c] << "," << (c < adversary.size() ? static_cast<int>(adversary[c]) : 0) << "\n";
  }
  if (!f) throw Error(fmt::format("{}: cannot write", out));
}

}  // namespace

std::vector<std::string> export_csv(const std::string& results_path, const std::string& out_dir) {
  h5::silence_errors();
  if (!std::filesystem::is_regular_file(results_path))
    throw InputError(fmt::format("{}: no such results file", results_path));
  h5::Handle file = h5::open_for_reading(results_path);
  if (!file) throw InputError(fmt::format("{}: cannot open the HDF5 file", results_path));
  if (H5Aexists(file.get(), "schema_version") <= 0)
    throw InputError(fmt::format("{}: not a fedhpc results file (no schema_version attribute)", results_path));
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw InputError(fmt::format("export: {}: cannot create the folder: {}", out_dir, ec.message()));
  std::vector<std::string> written;
  for (const char* name : {"rounds", "clients", "timings", "checkpoints"}) {
    if (H5Lexists(file.get(), name, H5P_DEFAULT) <= 0) continue;
    written.push_back(out_dir + "/" + name + ".csv");
    table_csv(file.get(), name, written.back(), results_path);
  }
  if (H5Lexists(file.get(), "partition", H5P_DEFAULT) > 0 &&
      H5Lexists(file.get(), "partition/num_samples", H5P_DEFAULT) > 0) {
    written.push_back(out_dir + "/partition.csv");
    partition_csv(file.get(), written.back(), results_path);
  }
  return written;
}

}  // namespace fedhpc
